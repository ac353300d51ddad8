/* libtlsrpt — the _mta-sts TXT record (RFC 8461 §3.1): parser, builder, serializer.
 * SPDX-License-Identifier: MIT
 *
 * The grammar, with RFC 7405 %s = case-sensitive:
 *   sts-text-record = sts-version 1*(sts-field-delim sts-field) [sts-field-delim]
 *   sts-field       = sts-id / sts-extension
 *   sts-field-delim = *WSP ";" *WSP
 *   sts-version     = %s"v=STSv1"
 *   sts-id          = %s"id=" 1*32(ALPHA / DIGIT)
 *   sts-extension   = sts-ext-name "=" sts-ext-value
 *   sts-ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 *
 * Decisions, as for TLSRPT records in lib/record.c (doc/diagnostics.md, "MTA-STS"):
 *   - Erratum 6285: the ABNF admits WSP before the first ';' but §3.1 keeps only records beginning "v=STSv1;". We
 *     follow the ABNF and warn (sts-record-space-before-semicolon), because such senders ignore the record.
 *   - WSP after the last field without a ';' is outside the ABNF; accepted with a warning
 *     (sts-record-trailing-whitespace).
 *   - A second v= or id= field is kept as an extension of that name with a warning: the ABNF reads a second id= as
 *     sts-id again, RFC 8461 §3.2 says later duplicates are ignored, and keeping it lets the record round-trip.
 */
#include "sts_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct tlsrpt_sts_record {
    char id[33];
    trpt_sts_exts ext;
};

#define VERSION_TEXT "v=STSv1"
#define VERSION_LEN (sizeof VERSION_TEXT - 1)
#define ID_MAX 32u

static int id_ok(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!trpt_is_alnum((unsigned char)id[i]))
            return 0;
    return 1;
}

/* ---- the object ----------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_sts_record_new(tlsrpt_sts_record **out, const char *id)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!id || !id_ok(id))
        return TLSRPT_EINVAL;
    tlsrpt_sts_record *r = calloc(1, sizeof *r);
    if (!r)
        return TLSRPT_ENOMEM;
    strcpy(r->id, id);
    *out = r;
    return TLSRPT_OK;
}

TLSRPT_API void tlsrpt_sts_record_free(tlsrpt_sts_record *r)
{
    if (!r)
        return;
    trpt_sts_exts_free(&r->ext);
    free(r);
}

TLSRPT_API const char *tlsrpt_sts_record_id(const tlsrpt_sts_record *r)
{
    return r ? r->id : NULL;
}

TLSRPT_API size_t tlsrpt_sts_record_extension_count(const tlsrpt_sts_record *r)
{
    return r ? r->ext.count : 0;
}

TLSRPT_API const char *tlsrpt_sts_record_extension_name(const tlsrpt_sts_record *r, size_t i)
{
    return r && i < r->ext.count ? r->ext.v[i].name : NULL;
}

TLSRPT_API const char *tlsrpt_sts_record_extension_value(const tlsrpt_sts_record *r, size_t i)
{
    return r && i < r->ext.count ? r->ext.v[i].value : NULL;
}

/* "v=STSv1; id=ID" + "; name=value" per extension + ";" */
static size_t serialized_length(const tlsrpt_sts_record *r)
{
    size_t n = VERSION_LEN + strlen("; id=") + strlen(r->id) + 1;
    for (size_t i = 0; i < r->ext.count; i++)
        n += 2 + strlen(r->ext.v[i].line);
    return n;
}

TLSRPT_API int tlsrpt_sts_record_add_extension(tlsrpt_sts_record *r, const char *name, const char *value)
{
    if (!r || !name || !value)
        return TLSRPT_EINVAL;
    size_t nlen = strlen(name), vlen = strlen(value);
    if (!trpt_sts_ext_name_ok(name, nlen) || strcmp(name, "v") == 0 || strcmp(name, "id") == 0 || vlen == 0)
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < vlen; i++)
        if (!sts_is_record_ext_value_char((unsigned char)value[i]))
            return TLSRPT_EINVAL;
    if (r->ext.count == TLSRPT_MAX_EXTENSION_COUNT || serialized_length(r) + 3 + nlen + vlen > TLSRPT_MAX_RECORD_LENGTH)
        return TLSRPT_ELIMIT;
    return trpt_sts_exts_push(&r->ext, name, nlen, "=", value, vlen);
}

TLSRPT_API int tlsrpt_sts_record_serialize(const tlsrpt_sts_record *r, char **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r)
        return TLSRPT_EINVAL;
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, VERSION_TEXT "; id=");
    trpt_buf_puts(&b, r->id);
    for (size_t i = 0; i < r->ext.count; i++) {
        trpt_buf_puts(&b, "; ");
        trpt_buf_puts(&b, r->ext.v[i].line);
    }
    trpt_buf_putc(&b, ';');
    return trpt_buf_finish(&b, out, out_len);
}

/* ---- parsing -------------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_sts_record_is_candidate(const char *text, size_t len)
{
    return trpt_tag_record_is_candidate(text, len, VERSION_TEXT);
}

typedef struct rec_ctx {
    const char *s;
    size_t len;
    tlsrpt_diag *diag;
    tlsrpt_sts_record *r;
    int have_id;
} rec_ctx;

static int note(const rec_ctx *c, int severity, const char *id, size_t offset, const char *fmt, ...)
    TRPT_PRINTF(5, 6);

static int note(const rec_ctx *c, int severity, const char *id, size_t offset, const char *fmt, ...)
{
    if (!trpt_diag_keeps(c->diag, severity))
        return TLSRPT_OK;
    va_list ap;
    va_start(ap, fmt);
    int rc = trpt_diag_vadd(c->diag, severity, id, offset, NULL, fmt, ap);
    va_end(ap);
    return rc;
}

/* sts-id = %s"id=" 1*32(ALPHA / DIGIT); *i is at "id=" and this is the first id field. */
static int parse_id(rec_ctx *c, size_t *i)
{
    size_t start = *i + 3, p = start;
    char what[16];
    while (p < c->len && trpt_is_alnum((unsigned char)c->s[p])) {
        if (p - start == ID_MAX)
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-id-too-long", p,
                                  "The id starting at offset %zu is longer than %u letters and digits.", start,
                                  ID_MAX);
        p++;
    }
    if (p == start || (p < c->len && c->s[p] != ';' && !trpt_is_wsp((unsigned char)c->s[p]))) {
        trpt_sts_describe_byte(c->s, c->len, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-id-invalid", p,
                              "The id may only hold 1 to %u ASCII letters and digits; found %s at offset %zu.", ID_MAX,
                              what, p);
    }
    memcpy(c->r->id, c->s + start, p - start);
    c->r->id[p - start] = '\0';
    c->have_id = 1;
    *i = p;
    return TLSRPT_OK;
}

/* sts-extension = sts-ext-name "=" sts-ext-value; *i is at the name's first byte. */
static int parse_extension(rec_ctx *c, size_t *i)
{
    size_t name = *i, p = *i;
    char what[16];
    if (p >= c->len || !trpt_is_alnum((unsigned char)c->s[p])) {
        trpt_sts_describe_byte(c->s, c->len, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-ext-name-invalid", p,
                              "Expected a field name (a letter or digit) at offset %zu, found %s.", p, what);
    }
    p++;
    while (p < c->len && sts_is_ext_name_char((unsigned char)c->s[p])) {
        if (p - name == STS_EXT_NAME_MAX)
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-ext-name-too-long", p,
                                  "The field name starting at offset %zu is longer than %u characters.", name,
                                  STS_EXT_NAME_MAX);
        p++;
    }
    if (p >= c->len || c->s[p] != '=') {
        trpt_sts_describe_byte(c->s, c->len, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-ext-name-invalid", p,
                              "Expected '=' after the field name at offset %zu, found %s.", p, what);
    }
    size_t name_len = p - name;
    size_t value = ++p;
    while (p < c->len && sts_is_record_ext_value_char((unsigned char)c->s[p]))
        p++;
    if (p == value || (p < c->len && c->s[p] != ';' && !trpt_is_wsp((unsigned char)c->s[p]))) {
        trpt_sts_describe_byte(c->s, c->len, p, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-ext-value-invalid", p,
                              "%s at offset %zu is not allowed in a field value (printable ASCII except '=' and "
                              "';').",
                              what, p);
    }
    if (c->r->ext.count == TLSRPT_MAX_EXTENSION_COUNT)
        return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "sts-record-too-many-extensions", name,
                              "The record has more than %u extension fields.", TLSRPT_MAX_EXTENSION_COUNT);
    int rc = trpt_sts_exts_push(&c->r->ext, c->s + name, name_len, "=", c->s + value, p - value);
    if (rc != TLSRPT_OK)
        return rc;
    *i = p;
    if (name_len == 1 && c->s[name] == 'v')
        return note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-record-version-repeated"), name,
                    "A second v= field at offset %zu is kept as an extension; only the first field is the version.",
                    name);
    if (name_len == 2 && c->s[name] == 'i' && c->s[name + 1] == 'd')
        return note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-record-id-repeated"), name,
                    "A second id= field at offset %zu is kept as an extension; senders use the first id.", name);
    int wrong_case = name_len == 2 && trpt_ascii_strncasecmp(c->s + name, "id", 2) == 0;
    if (!trpt_diag_keeps(c->diag, wrong_case ? TLSRPT_SEVERITY_WARNING : TLSRPT_SEVERITY_INFO))
        return TLSRPT_OK;
    char *qn = trpt_quoted(c->s + name, name_len, 40);
    if (wrong_case)
        rc = note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-record-id-wrong-case"), name,
                  "The field \"%s\" is not id= (field names are case-sensitive); it is kept as an unknown extension.",
                  qn);
    else
        rc = note(c, TLSRPT_SEVERITY_INFO, DIAG_ID("sts-record-extension-unknown"), name,
                  "The unknown field \"%s\" is kept but has no meaning in MTA-STS version 1.", qn);
    trpt_quoted_free(qn);
    return rc;
}

static int parse_fields(rec_ctx *c)
{
    int rc;
    char what[16];
    if (c->len < VERSION_LEN || memcmp(c->s, VERSION_TEXT, VERSION_LEN) != 0) {
        size_t k = 0;
        while (k < c->len && k < VERSION_LEN && c->s[k] == VERSION_TEXT[k])
            k++;
        trpt_sts_describe_byte(c->s, c->len, k, what);
        char *q = trpt_quoted(c->s, c->len, 40);
        if (k < 2)
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-version-missing", k,
                                "An MTA-STS record must begin with \"v=STSv1\" (case-sensitive); \"%s\" has %s at "
                                "offset %zu.",
                                q, what, k);
        else
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-version-invalid", k,
                                "The version must be exactly \"STSv1\" (case-sensitive); \"%s\" has %s at offset "
                                "%zu.",
                                q, what, k);
        trpt_quoted_free(q);
        return rc;
    }
    size_t p = VERSION_LEN;
    int first = 1;
    for (;;) {
        /* sts-field-delim = *WSP ";" *WSP, or the end (after an optional delimiter) */
        size_t ws = p;
        while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p == c->len) {
            if (p > ws && !first &&
                (rc = note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-record-trailing-whitespace"), ws,
                           "Whitespace after the last field (offset %zu) is outside the RFC 8461 grammar; it is "
                           "ignored.",
                           ws)) != TLSRPT_OK)
                return rc;
            break;
        }
        if (c->s[p] != ';') {
            trpt_sts_describe_byte(c->s, c->len, p, what);
            /* "v=STSv10" is a different version, not version 1 followed by junk. */
            if (first && p == ws)
                return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-version-invalid", p,
                                      "Expected ';' after \"v=STSv1\", found %s at offset %zu.", what, p);
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-delimiter-expected", p,
                                  "Expected ';' before the next field, found %s at offset %zu.", what, p);
        }
        if (first && p > ws &&
            (rc = note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-record-space-before-semicolon"), ws,
                       "Whitespace between \"v=STSv1\" and ';' is allowed by the RFC 8461 grammar, but senders that "
                       "only accept records beginning \"v=STSv1;\" will ignore this one.")) != TLSRPT_OK)
            return rc;
        p++;
        while (p < c->len && trpt_is_wsp((unsigned char)c->s[p]))
            p++;
        if (p == c->len)
            break; /* [sts-field-delim] at the end */
        if (c->s[p] == ';')
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-field-empty", p,
                                  "Empty field at offset %zu (two ';' in a row).", p);
        if (!c->have_id && c->len - p >= 3 && memcmp(c->s + p, "id=", 3) == 0)
            rc = parse_id(c, &p);
        else
            rc = parse_extension(c, &p);
        if (rc != TLSRPT_OK)
            return rc;
        first = 0;
    }
    if (!c->have_id)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-record-id-missing", TLSRPT_NO_OFFSET,
                              "The record has no id= field; RFC 8461 requires one.");
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_sts_record_parse(tlsrpt_sts_record **out, const char *text, size_t len, tlsrpt_diag *diag)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!text && len > 0)
        return TLSRPT_EINVAL;
    int checked = trpt_text_input_check(text, len, TLSRPT_MAX_RECORD_LENGTH, "record", DIAG_ID("sts-record-too-long"),
                                        DIAG_ID("sts-record-nul"), diag);
    if (checked != TLSRPT_OK)
        return checked;
    rec_ctx c = {text, len, diag, NULL, 0};
    c.r = calloc(1, sizeof *c.r);
    if (!c.r)
        return TLSRPT_ENOMEM;
    int rc = parse_fields(&c);
    /* As for TLSRPT records: the canonical text must fit the limit, or it could not be read back. */
    if (rc == TLSRPT_OK && serialized_length(c.r) > TLSRPT_MAX_RECORD_LENGTH)
        rc = trpt_diag_fail(diag, TLSRPT_ELIMIT, "sts-record-too-long", TLSRPT_NO_OFFSET,
                            "The record's canonical text (its fields separated by \"; \") would be %zu bytes long; "
                            "the limit is %u.",
                            serialized_length(c.r), TLSRPT_MAX_RECORD_LENGTH);
    if (rc != TLSRPT_OK) {
        tlsrpt_sts_record_free(c.r);
        return rc;
    }
    *out = c.r;
    return TLSRPT_OK;
}
