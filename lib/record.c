/* libtlsrpt — the _smtp._tls TXT record (RFC 8460 §3): parser, builder, serializer.
 * SPDX-License-Identifier: MIT
 *
 * The grammar, with RFC 7405 %s = case-sensitive:
 *   tlsrpt-record     = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim]
 *   field-delim       = *WSP ";" *WSP
 *   tlsrpt-field      = tlsrpt-rua / tlsrpt-extension
 *   tlsrpt-version    = %s"v=TLSRPTv1"
 *   tlsrpt-rua        = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 *   tlsrpt-extension  = tlsrpt-ext-name "=" tlsrpt-ext-value
 *   tlsrpt-ext-name   = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   tlsrpt-ext-value  = 1*(%x21-3A / %x3C / %x3E-7E)
 *
 * Decisions where the RFC is silent or contradicts itself (doc/diagnostics.md, "Record"):
 *   - Erratum 6285: the ABNF admits WSP before the first ';' but RFC 8460's DNS filter keeps only records beginning
 *     "v=TLSRPTv1;". We follow the ABNF (the record parses, and tlsrpt_record_is_candidate accepts it) and warn
 *     (record-space-before-semicolon), because many reporters drop such a record.
 *   - WSP after the last field without a ';' is outside the ABNF; it is accepted with a warning
 *     (record-trailing-whitespace), as every resolver-side implementation we know trims it.
 *   - A repeated rua= field is merged in order (rua-repeated). A second v= field is kept as an extension named "v"
 *     with a warning (record-version-repeated): the ABNF reads it as an extension, and it round-trips.
 */
#include "charclass.h"
#include "tagrecord.h"
#include "uri_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tlsrpt_record {
    tlsrpt_uri **rua;
    size_t rua_count;
    size_t rua_cap;
    char **ext_name;
    char **ext_value;
    size_t ext_count;
    size_t ext_cap;
};

#define VERSION_TEXT "v=TLSRPTv1"
#define VERSION_LEN (sizeof VERSION_TEXT - 1)
#define EXT_NAME_MAX 32u


static int is_ext_name_char(unsigned char c)
{
    return trpt_is_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* tlsrpt-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) */
static int is_ext_value_char(unsigned char c)
{
    return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
}

static int ext_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > EXT_NAME_MAX || !trpt_is_alnum((unsigned char)name[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!is_ext_name_char((unsigned char)name[i]))
            return 0;
    return 1;
}

static int ext_value_ok(const char *value)
{
    if (!*value)
        return 0;
    for (; *value; value++)
        if (!is_ext_value_char((unsigned char)*value))
            return 0;
    return 1;
}

/* ---- the object ----------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_record_new(tlsrpt_record **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = calloc(1, sizeof **out);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

TLSRPT_API void tlsrpt_record_free(tlsrpt_record *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->rua_count; i++)
        tlsrpt_uri_free(r->rua[i]);
    for (size_t i = 0; i < r->ext_count; i++) {
        free(r->ext_name[i]);
        free(r->ext_value[i]);
    }
    free(r->rua);
    free(r->ext_name);
    free(r->ext_value);
    free(r);
}

/* Takes ownership of u on success only. */
static int push_rua(tlsrpt_record *r, tlsrpt_uri *u)
{
    if (r->rua_count == r->rua_cap) {
        size_t cap = r->rua_cap ? r->rua_cap * 2 : 4;
        tlsrpt_uri **p = realloc(r->rua, cap * sizeof *p);
        if (!p)
            return TLSRPT_ENOMEM;
        r->rua = p;
        r->rua_cap = cap;
    }
    r->rua[r->rua_count++] = u;
    return TLSRPT_OK;
}

static int push_extension(tlsrpt_record *r, const char *name, size_t name_len, const char *value, size_t value_len)
{
    if (r->ext_count == r->ext_cap) {
        size_t cap = r->ext_cap ? r->ext_cap * 2 : 4;
        char **n = realloc(r->ext_name, cap * sizeof *n);
        if (!n)
            return TLSRPT_ENOMEM;
        r->ext_name = n;
        char **v = realloc(r->ext_value, cap * sizeof *v);
        if (!v)
            return TLSRPT_ENOMEM;
        r->ext_value = v;
        r->ext_cap = cap;
    }
    char *n = trpt_strndup(name, name_len);
    char *v = trpt_strndup(value, value_len);
    if (!n || !v) {
        free(n);
        free(v);
        return TLSRPT_ENOMEM;
    }
    r->ext_name[r->ext_count] = n;
    r->ext_value[r->ext_count] = v;
    r->ext_count++;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_record_dup(tlsrpt_record **out, const tlsrpt_record *r)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r)
        return TLSRPT_EINVAL;
    tlsrpt_record *c = calloc(1, sizeof *c);
    if (!c)
        return TLSRPT_ENOMEM;
    int rc = TLSRPT_OK;
    for (size_t i = 0; i < r->rua_count && rc == TLSRPT_OK; i++) {
        tlsrpt_uri *u = NULL;
        rc = tlsrpt_uri_dup(&u, r->rua[i]);
        if (rc == TLSRPT_OK && (rc = push_rua(c, u)) != TLSRPT_OK)
            tlsrpt_uri_free(u);
    }
    for (size_t i = 0; i < r->ext_count && rc == TLSRPT_OK; i++)
        rc = push_extension(c, r->ext_name[i], strlen(r->ext_name[i]), r->ext_value[i], strlen(r->ext_value[i]));
    if (rc != TLSRPT_OK) {
        tlsrpt_record_free(c);
        return rc;
    }
    *out = c;
    return TLSRPT_OK;
}

TLSRPT_API size_t tlsrpt_record_rua_count(const tlsrpt_record *r)
{
    return r ? r->rua_count : 0;
}

TLSRPT_API const tlsrpt_uri *tlsrpt_record_rua(const tlsrpt_record *r, size_t i)
{
    return r && i < r->rua_count ? r->rua[i] : NULL;
}

TLSRPT_API size_t tlsrpt_record_extension_count(const tlsrpt_record *r)
{
    return r ? r->ext_count : 0;
}

TLSRPT_API const char *tlsrpt_record_extension_name(const tlsrpt_record *r, size_t i)
{
    return r && i < r->ext_count ? r->ext_name[i] : NULL;
}

TLSRPT_API const char *tlsrpt_record_extension_value(const tlsrpt_record *r, size_t i)
{
    return r && i < r->ext_count ? r->ext_value[i] : NULL;
}

/* ---- parsing -------------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_record_is_candidate(const char *text, size_t len)
{
    return trpt_tag_record_is_candidate(text, len, VERSION_TEXT);
}

typedef struct rec_ctx {
    const char *s;
    size_t len;
    tlsrpt_diag *diag;
    tlsrpt_record *r;
    size_t first_rua; /* offset of the first rua= field, SIZE_MAX before */
} rec_ctx;

/* Describes the byte at offset i for a message: 'c' for printable ASCII, 0xHH otherwise, "end" past the text. */
static void describe_byte(const rec_ctx *c, size_t i, char buf[16])
{
    if (i >= c->len)
        strcpy(buf, "end of text");
    else if ((unsigned char)c->s[i] > 0x20 && (unsigned char)c->s[i] < 0x7f)
        snprintf(buf, 16, "'%c'", c->s[i]);
    else
        snprintf(buf, 16, "byte 0x%02X", (unsigned char)c->s[i]);
}

/* tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); *i is at "rua=". */
static int parse_rua(rec_ctx *c, size_t *i)
{
    size_t field = *i;
    int rc;
    if (c->first_rua == SIZE_MAX) {
        c->first_rua = field;
    } else if ((rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "rua-repeated", field, NULL,
                                   "The record has more than one rua= field; their destinations are merged in "
                                   "order, but other tools may use only the first.")) != TLSRPT_OK) {
        return rc;
    }
    size_t p = field + 4;
    for (;;) {
        /* A URI runs to the next ',' ';' WSP or the end; the URI parser checks everything in between. */
        size_t start = p;
        while (p < c->len && c->s[p] != ',' && c->s[p] != ';' && !trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p == start) {
            char what[16];
            describe_byte(c, p, what);
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "rua-empty", p,
                                  "Expected a destination URI at offset %zu, found %s.", p, what);
        }
        if (c->r->rua_count == TLSRPT_MAX_RUA_COUNT)
            return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "rua-too-many", start,
                                  "The record lists more than %u destinations.", TLSRPT_MAX_RUA_COUNT);
        tlsrpt_uri *u = NULL;
        if ((rc = trpt_uri_parse_at(&u, c->s + start, p - start, start, c->diag)) != TLSRPT_OK)
            return rc;
        if ((rc = push_rua(c->r, u)) != TLSRPT_OK) {
            tlsrpt_uri_free(u);
            return rc;
        }
        if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER) {
            char *q = trpt_quoted(c->s + start, p - start, 100);
            rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "rua-scheme-unsupported", start, NULL,
                               "The destination \"%s\" uses a scheme reporters do not support (only mailto: and "
                               "https:); it will be skipped.",
                               q);
            trpt_quoted_free(q);
            if (rc != TLSRPT_OK)
                return rc;
        }
        size_t after = p;
        while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p < c->len && c->s[p] == ',') {
            p++;
            while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
                p++;
            continue;
        }
        *i = after;
        return TLSRPT_OK;
    }
}

/* tlsrpt-extension = tlsrpt-ext-name "=" tlsrpt-ext-value; *i is at the name's first byte. */
static int parse_extension(rec_ctx *c, size_t *i)
{
    size_t name = *i, p = *i;
    char what[16];
    if (p >= c->len || !trpt_is_alnum((unsigned char)c->s[p])) {
        describe_byte(c, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-ext-name-invalid", p,
                              "Expected a field name (a letter or digit) at offset %zu, found %s.", p, what);
    }
    p++;
    while (p < c->len && is_ext_name_char((unsigned char)c->s[p])) {
        if (p - name == EXT_NAME_MAX)
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-ext-name-too-long", p,
                                  "The field name starting at offset %zu is longer than %u characters.", name,
                                  EXT_NAME_MAX);
        p++;
    }
    if (p >= c->len || c->s[p] != '=') {
        describe_byte(c, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-ext-name-invalid", p,
                              "Expected '=' after the field name at offset %zu, found %s.", p, what);
    }
    size_t name_len = p - name;
    size_t value = ++p;
    while (p < c->len && is_ext_value_char((unsigned char)c->s[p]))
        p++;
    if (p == value || (p < c->len && c->s[p] != ';' && !trpt_is_wsp((unsigned char)c->s[p]))) {
        describe_byte(c, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-ext-value-invalid", p,
                              "%s at offset %zu is not allowed in a field value (printable ASCII except '=' and "
                              "';').",
                              what, p);
    }
    if (c->r->ext_count == TLSRPT_MAX_EXTENSION_COUNT)
        return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "record-too-many-extensions", name,
                              "The record has more than %u extension fields.", TLSRPT_MAX_EXTENSION_COUNT);
    int rc = push_extension(c->r, c->s + name, name_len, c->s + value, p - value);
    if (rc != TLSRPT_OK)
        return rc;
    char *qn = trpt_quoted(c->s + name, name_len, 40);
    if (name_len == 1 && c->s[name] == 'v')
        rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "record-version-repeated", name, NULL,
                           "A second v= field at offset %zu is kept as an extension; only the first field is the "
                           "version.",
                           name);
    else if (name_len == 3 && trpt_ascii_strncasecmp(c->s + name, "rua", 3) == 0)
        rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "record-rua-wrong-case", name, NULL,
                           "The field \"%s\" is not rua= (field names are case-sensitive); it is kept as an unknown "
                           "extension.",
                           qn);
    else
        rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_INFO, "record-extension-unknown", name, NULL,
                           "The unknown field \"%s\" is kept but has no meaning in TLSRPT version 1.", qn);
    trpt_quoted_free(qn);
    *i = p;
    return rc;
}

static int parse_fields(rec_ctx *c)
{
    size_t p;
    int rc;
    char what[16];

    if (c->len < VERSION_LEN || memcmp(c->s, VERSION_TEXT, VERSION_LEN) != 0) {
        size_t k = 0;
        while (k < c->len && k < VERSION_LEN && c->s[k] == VERSION_TEXT[k])
            k++;
        describe_byte(c, k, what);
        char *q = trpt_quoted(c->s, c->len, 40);
        if (k < 2)
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-version-missing", k,
                                "A TLSRPT record must begin with \"v=TLSRPTv1\" (case-sensitive); \"%s\" has %s at "
                                "offset %zu.",
                                q, what, k);
        else
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-version-invalid", k,
                                "The version must be exactly \"TLSRPTv1\" (case-sensitive); \"%s\" has %s at "
                                "offset %zu.",
                                q, what, k);
        trpt_quoted_free(q);
        return rc;
    }
    p = VERSION_LEN;
    int first = 1;
    for (;;) {
        /* field-delim = *WSP ";" *WSP, or the end (after an optional delimiter) */
        size_t ws = p;
        while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p == c->len) {
            if (p > ws && !first &&
                (rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "record-trailing-whitespace", ws, NULL,
                                    "Whitespace after the last field (offset %zu) is outside the RFC 8460 grammar; "
                                    "it is ignored.",
                                    ws)) != TLSRPT_OK)
                return rc;
            break;
        }
        if (c->s[p] != ';') {
            describe_byte(c, p, what);
            /* "v=TLSRPTv10" is a different version, not version 1 followed by junk. */
            if (first && p == ws)
                return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-version-invalid", p,
                                      "Expected ';' after \"v=TLSRPTv1\", found %s at offset %zu.", what, p);
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-delimiter-expected", p,
                                  "Expected ';' before the next field, found %s at offset %zu.", what, p);
        }
        if (first && p > ws &&
            (rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "record-space-before-semicolon", ws, NULL,
                                "Whitespace between \"v=TLSRPTv1\" and ';' is allowed by the RFC 8460 grammar, but "
                                "many reporters only accept records beginning \"v=TLSRPTv1;\" and will ignore this "
                                "one.")) !=
                TLSRPT_OK)
            return rc;
        p++;
        while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p == c->len)
            break; /* [field-delim] at the end */
        if (c->s[p] == ';')
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-field-empty", p,
                                  "Empty field at offset %zu (two ';' in a row).", p);
        if (c->len - p >= 4 && memcmp(c->s + p, "rua=", 4) == 0)
            rc = parse_rua(c, &p);
        else
            rc = parse_extension(c, &p);
        if (rc != TLSRPT_OK)
            return rc;
        first = 0;
    }
    if (c->first_rua == SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-rua-missing", TLSRPT_NO_OFFSET,
                              "The record has no rua= field; RFC 8460 requires one.");
    for (size_t k = 0; k < c->r->rua_count; k++)
        if (tlsrpt_uri_scheme(c->r->rua[k]) != TLSRPT_URI_OTHER)
            return TLSRPT_OK;
    return trpt_diag_fail(c->diag, TLSRPT_ESEMANTIC, "rua-none-usable", c->first_rua,
                          "No destination uses mailto: or https:, so no reporter can deliver reports.");
}

TLSRPT_API int tlsrpt_record_parse(tlsrpt_record **out, const char *text, size_t len, tlsrpt_diag *diag)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!text && len > 0)
        return TLSRPT_EINVAL;
    int rc = trpt_text_input_check(text, len, TLSRPT_MAX_RECORD_LENGTH, "record", DIAG_ID("record-too-long"),
                                   DIAG_ID("record-nul"), diag);
    if (rc != TLSRPT_OK)
        return rc;
    rec_ctx c = {text, len, diag, NULL, SIZE_MAX};
    rc = tlsrpt_record_new(&c.r);
    if (rc != TLSRPT_OK)
        return rc;
    rc = parse_fields(&c);
    if (rc != TLSRPT_OK) {
        tlsrpt_record_free(c.r);
        return rc;
    }
    *out = c.r;
    return TLSRPT_OK;
}

/* ---- building and writing ------------------------------------------------------------------------------------- */

/* Length of the canonical text, or of the text after adding `extra` bytes in a new field/list item. */
static size_t serialized_length(const tlsrpt_record *r)
{
    size_t n = VERSION_LEN + strlen("; rua=");
    for (size_t i = 0; i < r->rua_count; i++)
        n += strlen(tlsrpt_uri_string(r->rua[i])) + (i ? 1 : 0);
    for (size_t i = 0; i < r->ext_count; i++)
        n += 2 + strlen(r->ext_name[i]) + 1 + strlen(r->ext_value[i]);
    return n;
}

TLSRPT_API int tlsrpt_record_add_rua(tlsrpt_record *r, const char *uri, tlsrpt_diag *diag)
{
    if (!r || !uri)
        return TLSRPT_EINVAL;
    size_t len = strlen(uri);
    if (r->rua_count == TLSRPT_MAX_RUA_COUNT)
        return trpt_diag_fail(diag, TLSRPT_ELIMIT, "rua-too-many", TLSRPT_NO_OFFSET,
                              "The record already has %u destinations, the most it may hold.", TLSRPT_MAX_RUA_COUNT);
    tlsrpt_uri *u = NULL;
    int rc;
    if (trpt_uri_has_scheme(uri, len))
        rc = trpt_uri_parse_at(&u, uri, len, 0, diag);
    else
        rc = trpt_uri_from_address(&u, uri, len, diag);
    if (rc != TLSRPT_OK)
        return rc;
    if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER) {
        char *q = trpt_quoted(uri, len, 100);
        rc = trpt_diag_fail(diag, TLSRPT_EUNSUPPORTED, "rua-scheme-unsupported", 0,
                            "The destination \"%s\" uses a scheme reporters do not support (only mailto: and "
                            "https:).",
                            q);
        trpt_quoted_free(q);
        tlsrpt_uri_free(u);
        return rc;
    }
    size_t add = strlen(tlsrpt_uri_string(u)) + (r->rua_count ? 1 : 0);
    if (serialized_length(r) + add > TLSRPT_MAX_RECORD_LENGTH) {
        tlsrpt_uri_free(u);
        return trpt_diag_fail(diag, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET,
                              "Adding this destination would make the record longer than %u bytes.",
                              TLSRPT_MAX_RECORD_LENGTH);
    }
    if ((rc = push_rua(r, u)) != TLSRPT_OK)
        tlsrpt_uri_free(u);
    return rc;
}

TLSRPT_API int tlsrpt_record_add_extension(tlsrpt_record *r, const char *name, const char *value)
{
    if (!r || !name || !value || !ext_name_ok(name) || !ext_value_ok(value) || strcmp(name, "v") == 0 ||
        strcmp(name, "rua") == 0)
        return TLSRPT_EINVAL;
    if (r->ext_count == TLSRPT_MAX_EXTENSION_COUNT)
        return TLSRPT_ELIMIT;
    if (serialized_length(r) + 3 + strlen(name) + strlen(value) > TLSRPT_MAX_RECORD_LENGTH)
        return TLSRPT_ELIMIT;
    return push_extension(r, name, strlen(name), value, strlen(value));
}

TLSRPT_API int tlsrpt_record_serialize(const tlsrpt_record *r, char **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r)
        return TLSRPT_EINVAL;
    if (r->rua_count == 0)
        return TLSRPT_ESEMANTIC;
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, VERSION_TEXT "; rua=");
    for (size_t i = 0; i < r->rua_count; i++) {
        if (i)
            trpt_buf_putc(&b, ',');
        trpt_buf_puts(&b, tlsrpt_uri_string(r->rua[i]));
    }
    for (size_t i = 0; i < r->ext_count; i++) {
        trpt_buf_puts(&b, "; ");
        trpt_buf_puts(&b, r->ext_name[i]);
        trpt_buf_putc(&b, '=');
        trpt_buf_puts(&b, r->ext_value[i]);
    }
    return trpt_buf_finish(&b, out, out_len);
}
