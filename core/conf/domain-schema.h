/*
 * domain-schema.h — xml-schemas/domain.rng, compiled into the library at build time:
 * tools/rng-compile writes core/conf/schema-data.c from it (a Makefile rule), so
 * validation neither depends on where the schema files were installed nor parses or
 * compiles a schema at run time.
 */
#ifndef VSH_CONF_DOMAIN_SCHEMA_H
#define VSH_CONF_DOMAIN_SCHEMA_H

#include "util/rng.h"

/* The domain schema in RELAX NG's simple form (util/rng.h). */
extern const vsh_rng_grammar vsh_domain_grammar;

#endif /* VSH_CONF_DOMAIN_SCHEMA_H */
