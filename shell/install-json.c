/*
 * install-json.c — a small JSON reader for OCI image layouts (index.json, manifests and
 * image configs). Strict RFC 8259 syntax; nesting is bounded so a hostile document cannot
 * exhaust the stack.
 */
#include <config.h>

#include <string.h>

#include "install.h"

#define JSON_MAX_DEPTH 64

typedef struct {
    const char *p;
    const char *start;
    const char *end;
    const char *what;
} json_parser;

static install_json *json_value(json_parser *jp, int depth, GError **error);

void
install_json_free(install_json *value)
{
    if (!value)
        return;
    g_free(value->string);
    g_free(value->key);
    if (value->items)
        g_ptr_array_unref(value->items);
    g_free(value);
}

static install_json *
json_fail(json_parser *jp, GError **error, const char *problem)
{
    install_error(error, VSH_ERROR_INVALID_ARG, "%s: invalid JSON at offset %ld: %s",
                  jp->what, (long) (jp->p - jp->start), problem);
    return NULL;
}

static void
json_skip_ws(json_parser *jp)
{
    while (jp->p < jp->end && strchr(" \t\r\n", *jp->p) && *jp->p)
        jp->p++;
}

static install_json *
json_new(install_json_type type)
{
    install_json *v = g_new0(install_json, 1);

    v->type = type;
    if (type == INSTALL_JSON_ARRAY || type == INSTALL_JSON_OBJECT)
        v->items = g_ptr_array_new_with_free_func((GDestroyNotify) install_json_free);
    return v;
}

static int
json_hex4(const char *p, gunichar *ret)
{
    gunichar v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int d = g_ascii_xdigit_value(p[i]);

        if (d < 0)
            return -1;
        v = v * 16 + (gunichar) d;
    }
    *ret = v;
    return 0;
}

/* \uXXXX, with UTF-16 surrogate pairs joined. */
static int
json_unicode_escape(json_parser *jp, GString *out)
{
    gunichar c;
    gunichar lo;

    if (jp->end - jp->p < 5 || json_hex4(jp->p + 1, &c) < 0)
        return -1;
    jp->p += 5;
    if (c >= 0xd800 && c <= 0xdbff) {
        if (jp->end - jp->p < 6 || jp->p[0] != '\\' || jp->p[1] != 'u' ||
            json_hex4(jp->p + 2, &lo) < 0 || lo < 0xdc00 || lo > 0xdfff)
            return -1;
        jp->p += 6;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
    } else if (c >= 0xdc00 && c <= 0xdfff) {
        return -1;
    }
    if (c == 0)
        return -1;      /* a NUL would silently truncate the C string */
    g_string_append_unichar(out, c);
    return 0;
}

static char *
json_string_raw(json_parser *jp, GError **error)
{
    g_autoptr(GString) out = g_string_new("");
    static const char esc_in[] = "\"\\/bfnrt";
    static const char esc_out[] = "\"\\/\b\f\n\r\t";

    jp->p++;    /* the opening quote */
    while (jp->p < jp->end && *jp->p != '"') {
        unsigned char c = (unsigned char) *jp->p;

        if (c < 0x20) {
            json_fail(jp, error, "control character in string");
            return NULL;
        }
        if (c != '\\') {
            g_string_append_c(out, (char) c);
            jp->p++;
            continue;
        }
        if (++jp->p >= jp->end) {
            json_fail(jp, error, "unterminated string");
            return NULL;
        }
        if (*jp->p == 'u') {
            if (json_unicode_escape(jp, out) < 0) {
                json_fail(jp, error, "bad \\u escape");
                return NULL;
            }
            continue;
        }
        if (!*jp->p || !strchr(esc_in, *jp->p)) {
            json_fail(jp, error, "bad escape");
            return NULL;
        }
        g_string_append_c(out, esc_out[strchr(esc_in, *jp->p) - esc_in]);
        jp->p++;
    }
    if (jp->p >= jp->end) {
        json_fail(jp, error, "unterminated string");
        return NULL;
    }
    jp->p++;
    if (!g_utf8_validate(out->str, (gssize) out->len, NULL)) {
        json_fail(jp, error, "string is not UTF-8");
        return NULL;
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static install_json *
json_number(json_parser *jp, GError **error)
{
    const char *s = jp->p;
    g_autofree char *text = NULL;
    char *endp = NULL;
    install_json *v;

    while (jp->p < jp->end && *jp->p && strchr("+-0123456789.eE", *jp->p))
        jp->p++;
    text = g_strndup(s, (gsize) (jp->p - s));
    v = json_new(INSTALL_JSON_NUMBER);
    v->number = g_ascii_strtod(text, &endp);
    if (!*text || *endp) {
        install_json_free(v);
        jp->p = s;
        return json_fail(jp, error, "bad number");
    }
    return v;
}

static install_json *
json_literal(json_parser *jp, GError **error)
{
    static const struct { const char *word; install_json_type type; bool value; } lits[] = {
        { "true", INSTALL_JSON_BOOL, true },
        { "false", INSTALL_JSON_BOOL, false },
        { "null", INSTALL_JSON_NULL, false },
    };
    size_t i;

    for (i = 0; i < G_N_ELEMENTS(lits); i++) {
        size_t n = strlen(lits[i].word);

        if ((size_t) (jp->end - jp->p) >= n && strncmp(jp->p, lits[i].word, n) == 0) {
            install_json *v = json_new(lits[i].type);

            v->boolean = lits[i].value;
            jp->p += n;
            return v;
        }
    }
    return json_fail(jp, error, "unexpected character");
}

/* Arrays and objects: '[' value, ... ']' and '{' "key": value, ... '}'. */
static install_json *
json_container(json_parser *jp, int depth, GError **error)
{
    bool object = *jp->p == '{';
    char close = object ? '}' : ']';
    g_autoptr(install_json) v = json_new(object ? INSTALL_JSON_OBJECT : INSTALL_JSON_ARRAY);

    if (depth > JSON_MAX_DEPTH)
        return json_fail(jp, error, "nested too deeply");
    jp->p++;
    json_skip_ws(jp);
    if (jp->p < jp->end && *jp->p == close) {
        jp->p++;
        return g_steal_pointer(&v);
    }
    for (;;) {
        g_autofree char *key = NULL;
        install_json *item;

        json_skip_ws(jp);
        if (object) {
            if (jp->p >= jp->end || *jp->p != '"')
                return json_fail(jp, error, "expected a member name");
            if (!(key = json_string_raw(jp, error)))
                return NULL;
            json_skip_ws(jp);
            if (jp->p >= jp->end || *jp->p != ':')
                return json_fail(jp, error, "expected ':'");
            jp->p++;
        }
        if (!(item = json_value(jp, depth + 1, error)))
            return NULL;
        item->key = g_steal_pointer(&key);
        g_ptr_array_add(v->items, item);
        json_skip_ws(jp);
        if (jp->p < jp->end && *jp->p == ',') {
            jp->p++;
            continue;
        }
        if (jp->p < jp->end && *jp->p == close) {
            jp->p++;
            return g_steal_pointer(&v);
        }
        return json_fail(jp, error, object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static install_json *
json_value(json_parser *jp, int depth, GError **error)
{
    json_skip_ws(jp);
    if (jp->p >= jp->end)
        return json_fail(jp, error, "unexpected end of document");
    if (*jp->p == '{' || *jp->p == '[')
        return json_container(jp, depth, error);
    if (*jp->p == '"') {
        char *s = json_string_raw(jp, error);
        install_json *v;

        if (!s)
            return NULL;
        v = json_new(INSTALL_JSON_STRING);
        v->string = s;
        return v;
    }
    if (*jp->p == '-' || g_ascii_isdigit(*jp->p))
        return json_number(jp, error);
    return json_literal(jp, error);
}

install_json *
install_json_parse(const char *text, gsize len, const char *what, GError **error)
{
    json_parser jp = { text, text, text + len, what };
    g_autoptr(install_json) v = json_value(&jp, 0, error);

    if (!v)
        return NULL;
    json_skip_ws(&jp);
    if (jp.p != jp.end)
        return json_fail(&jp, error, "trailing data");
    return g_steal_pointer(&v);
}

const install_json *
install_json_get(const install_json *obj, const char *key)
{
    guint i;

    if (!obj || obj->type != INSTALL_JSON_OBJECT)
        return NULL;
    /* the last occurrence wins, as in most JSON readers */
    for (i = obj->items->len; i > 0; i--) {
        const install_json *item = g_ptr_array_index(obj->items, i - 1);

        if (strcmp(item->key, key) == 0)
            return item;
    }
    return NULL;
}

const char *
install_json_get_string(const install_json *obj, const char *key)
{
    const install_json *v = install_json_get(obj, key);

    return v && v->type == INSTALL_JSON_STRING ? v->string : NULL;
}
