/*
 * domain-schema.h — xml-schemas/domain.rng, compiled into the library at build time
 * (core/conf/schema-data.c is generated from it by a Makefile rule), so validation never
 * depends on where the schema files were installed.
 */
#ifndef VSH_CONF_DOMAIN_SCHEMA_H
#define VSH_CONF_DOMAIN_SCHEMA_H

/* The RelaxNG text of the domain schema, NUL-terminated. */
extern const char vsh_domain_schema_rng[];

#endif /* VSH_CONF_DOMAIN_SCHEMA_H */
