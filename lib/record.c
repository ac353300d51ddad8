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
 *     (record-space-before-semicolon), because a reporter that applies the prefix rule drops such a record (of the
 *     implementations surveyed in SPEC-NOTES §6.1, sys4's reporter does).
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
    int last_was_rua; /* the field before the current delimiter was rua= (for fix-it hints) */
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

/* ---- fix-it hints ----------------------------------------------------------------------------------------------
 * What people paste into a checker instead of a record, and what to type instead (doc/diagnostics.md, "Fix-it
 * hints"). Each helper runs after the finding it explains was added, and attaches its hint to the newest finding
 * with that id from index `mark` on (trpt_diag_hint). They only read the text: a hint never changes a verdict. */

static const char *find_text(const char *s, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (memcmp(s + i, what, n) == 0)
            return s + i;
    return NULL;
}

static const char *find_text_nocase(const char *s, size_t len, const char *what)
{
    size_t n = strlen(what);
    for (size_t i = 0; n <= len && i <= len - n; i++)
        if (trpt_ascii_strncasecmp(s + i, what, n) == 0)
            return s + i;
    return NULL;
}

/* U+201C U+201D U+2018 U+2019 (and U+201E, U+00AB/U+00BB) as UTF-8: quotes a word processor or web page makes. */
static size_t smart_quote_at(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len >= 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x9C || p[2] == 0x9D || p[2] == 0x98 ||
                                                       p[2] == 0x99 || p[2] == 0x9E))
        return 3;
    if (len >= 2 && p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB))
        return 2;
    return 0;
}

static int has_smart_quote(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (smart_quote_at(s + i, len - i))
            return 1;
    return 0;
}

#define HINT_QUOTES "Remove the quotes around the record: they are zone-file syntax, not part of the value."
#define HINT_SMART_QUOTES                                                                                           \
    "Remove the typographic (curly) quotes that a word processor or web page added; the value has no quotes."

/* record-version-missing / record-version-invalid: what is at the start instead of "v=TLSRPTv1". */
static int hint_version(rec_ctx *c, size_t mark, const char *id)
{
    const char *s = c->s;
    size_t len = c->len;
    const char *v = find_text(s, len, VERSION_TEXT);
    size_t k = v ? (size_t)(v - s) : 0;
    int rc = TLSRPT_OK;
    if (v && k > 0) {
        size_t i = 0;
        while (i < k && (trpt_is_wsp((unsigned char)s[i]) || s[i] == '"' || s[i] == '\''))
            i++;
        if (find_text_nocase(s, k, "_smtp._tls"))
            rc = trpt_diag_hint(c->diag, mark, id,
                                "Only the value goes in the TXT record: remove everything before v=TLSRPTv1 (and "
                                "any closing quote); the name _smtp._tls goes in the Name (Host) field.");
        else if (has_smart_quote(s, k))
            rc = trpt_diag_hint(c->diag, mark, id, HINT_SMART_QUOTES);
        else if (i == k && (memchr(s, '"', k) || memchr(s, '\'', k)))
            rc = trpt_diag_hint(c->diag, mark, id, HINT_QUOTES);
        else if (i == k)
            rc = trpt_diag_hint(c->diag, mark, id, "Remove the whitespace before v=TLSRPTv1.");
        else
            rc = trpt_diag_hint(c->diag, mark, id, "Remove the %zu bytes before v=TLSRPTv1: the record must begin "
                                                   "with it.", k);
        return rc;
    }
    if (smart_quote_at(s, len))
        return trpt_diag_hint(c->diag, mark, id, HINT_SMART_QUOTES);
    if (len > 0 && (s[0] == '"' || s[0] == '\''))
        return trpt_diag_hint(c->diag, mark, id, HINT_QUOTES);
    if (len >= VERSION_LEN && trpt_ascii_strncasecmp(s, VERSION_TEXT, VERSION_LEN) == 0)
        return trpt_diag_hint(c->diag, mark, id, "The version is case-sensitive: write v=TLSRPTv1 exactly.");
    if (len >= 8 && trpt_ascii_strncasecmp(s, "v=DMARC1", 8) == 0)
        return trpt_diag_hint(c->diag, mark, id,
                              "This is a DMARC record (published at _dmarc); a TLSRPT record begins v=TLSRPTv1; "
                              "and is published at _smtp._tls.");
    if (len >= 6 && trpt_ascii_strncasecmp(s, "v=spf1", 6) == 0)
        return trpt_diag_hint(c->diag, mark, id,
                              "This is an SPF record; a TLSRPT record begins v=TLSRPTv1; and is published at "
                              "_smtp._tls.");
    if (len >= 7 && trpt_ascii_strncasecmp(s, "v=STSv1", 7) == 0)
        return trpt_diag_hint(c->diag, mark, id,
                              "This is an MTA-STS record (published at _mta-sts); a TLSRPT record begins "
                              "v=TLSRPTv1; and is published at _smtp._tls.");
    if (len >= 4 && memcmp(s, "rua=", 4) == 0)
        return trpt_diag_hint(c->diag, mark, id, "Begin the record with the version: v=TLSRPTv1; rua=...");
    /* "v = TLSRPTv1", "v =TLSRPTv1", "v= TLSRPTv1" */
    size_t i = 0;
    if (len > 0 && (s[0] == 'v' || s[0] == 'V')) {
        i = 1;
        while (i < len && trpt_is_wsp((unsigned char)s[i]))
            i++;
        if (i < len && s[i] == '=') {
            size_t j = i + 1;
            while (j < len && trpt_is_wsp((unsigned char)s[j]))
                j++;
            if ((i > 1 || j > i + 1) && len - j >= 8 && trpt_ascii_strncasecmp(s + j, "TLSRPTv1", 8) == 0)
                return trpt_diag_hint(c->diag, mark, id,
                                      "Remove the whitespace around '=': write v=TLSRPTv1 with nothing between.");
        }
    }
    return TLSRPT_OK;
}

/* 1 if the text at p (up to the next ';' or WSP) looks like a destination: it has a ':' or an '@'. */
static int looks_like_destination(const rec_ctx *c, size_t p)
{
    for (; p < c->len && c->s[p] != ';' && !trpt_is_wsp((unsigned char)c->s[p]); p++)
        if (c->s[p] == ':' || c->s[p] == '@')
            return 1;
    return 0;
}

/* record-version-invalid / record-delimiter-expected where a ';' should be; p is the offending byte. */
static int hint_delimiter(rec_ctx *c, size_t mark, const char *id, size_t p, int after_version)
{
    char ch = c->s[p];
    if (ch == '\\' && p + 1 < c->len && c->s[p + 1] == ';')
        return trpt_diag_hint(c->diag, mark, id,
                              "Remove the backslash before ';': \\; is how dig and zone files escape ';', not part "
                              "of the record.");
    if (ch == '"' || smart_quote_at(c->s + p, c->len - p))
        return trpt_diag_hint(c->diag, mark, id, ch == '"' ? HINT_QUOTES : HINT_SMART_QUOTES);
    if (ch == ',' && after_version)
        return trpt_diag_hint(c->diag, mark, id, "Separate fields with ';', not ',': v=TLSRPTv1; rua=...");
    if (after_version)
        return trpt_diag_hint(c->diag, mark, id, "Put ';' after the version: v=TLSRPTv1; rua=...");
    if (c->last_was_rua && looks_like_destination(c, p))
        return trpt_diag_hint(c->diag, mark, id,
                              "Separate destinations with ',', not whitespace: rua=mailto:a@example.com,"
                              "mailto:b@example.com.");
    size_t q = p;
    while (q < c->len && is_ext_name_char((unsigned char)c->s[q]))
        q++;
    if (q > p && q < c->len && c->s[q] == '=')
        return trpt_diag_hint(c->diag, mark, id, "Separate fields with ';'.");
    return TLSRPT_OK; /* something else that does not belong there: the message says what */
}

/* A destination the URI parser refused (the error is the newest finding from `mark` on); uri is its text. */
static int hint_destination(rec_ctx *c, size_t mark, const char *uri, size_t len)
{
    const tlsrpt_diag *d = c->diag;
    size_t n = tlsrpt_diag_count(d);
    if (!d || n <= mark)
        return TLSRPT_OK;
    const char *id = tlsrpt_diag_id(d, n - 1);
    int rc = TLSRPT_OK;
    char *q = trpt_quoted(uri, len, 100);
    const char *bang = memchr(uri, '!', len);
    if (find_text(uri, len, "\""))
        rc = trpt_diag_hint(c->diag, mark, id, "Remove the quote character from the destination.");
    else if (has_smart_quote(uri, len))
        rc = trpt_diag_hint(c->diag, mark, id, HINT_SMART_QUOTES);
    else if (strcmp(id, "uri-no-scheme") == 0 && memchr(uri, '@', len))
        rc = trpt_diag_hint(c->diag, mark, id, "Did you mean \"mailto:%s\"?", q);
    else if (strcmp(id, "uri-no-scheme") == 0 && memchr(uri, '.', len))
        rc = trpt_diag_hint(c->diag, mark, id, "Did you mean \"https://%s\"?", q);
    else if (len > 9 && trpt_ascii_strncasecmp(uri, "mailto://", 9) == 0) {
        char *rest = trpt_quoted(uri + 9, len - 9, 100);
        rc = trpt_diag_hint(c->diag, mark, id, "A mailto: URI has no '//': write \"mailto:%s\".", rest);
        trpt_quoted_free(rest);
    } else if (strcmp(id, "uri-unencoded-delimiter") == 0 && bang && bang + 1 < uri + len &&
               bang[1] >= '0' && bang[1] <= '9') {
        char *size = trpt_quoted(bang, (size_t)(uri + len - bang), 20);
        rc = trpt_diag_hint(c->diag, mark, id,
                            "Remove \"%s\": TLSRPT destinations have no size limit (that is DMARC's rua syntax).",
                            size);
        trpt_quoted_free(size);
    }
    trpt_quoted_free(q);
    return rc;
}

/* rua-scheme-unsupported for an http: destination: the https: one is almost always what was meant. */
static int hint_http(tlsrpt_diag *diag, size_t mark, const char *uri, size_t len)
{
    if (len < 5 || trpt_ascii_strncasecmp(uri, "http:", 5) != 0)
        return TLSRPT_OK;
    char *rest = trpt_quoted(uri + 5, len - 5, 100);
    int rc = trpt_diag_hint(diag, mark, DIAG_ID("rua-scheme-unsupported"),
                            "Did you mean \"https:%s\"? Reporters deliver only to mailto: and https:.", rest);
    trpt_quoted_free(rest);
    return rc;
}

/* tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); *i is at "rua=". */
static int parse_rua(rec_ctx *c, size_t *i)
{
    size_t field = *i;
    int rc;
    if (c->first_rua == SIZE_MAX) {
        c->first_rua = field;
    } else if ((rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "rua-repeated", field, NULL,
                                   "The record has more than one rua= field; RFC 8460 does not say how to read "
                                   "that, and implementations differ (some use only the first, some checkers reject "
                                   "the record); this library merges their destinations in order.")) != TLSRPT_OK) {
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
            if (p == field + 4 && p < c->len && trpt_is_wsp((unsigned char)c->s[p])) {
                size_t q = p;
                while (q < c->len && trpt_is_wsp((unsigned char)c->s[q]))
                    q++;
                if (q < c->len && c->s[q] != ';') {
                    size_t mark = tlsrpt_diag_count(c->diag);
                    rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-field-space", p,
                                        "Whitespace after \"rua=\" at offset %zu is not allowed (RFC 8460 §3).", p);
                    if (rc == TLSRPT_ESYNTAX && trpt_diag_hint(c->diag, mark, "record-field-space",
                                                               "Remove the whitespace: write rua=%c... with nothing "
                                                               "between '=' and the destination.",
                                                               c->s[q]) != TLSRPT_OK)
                        return TLSRPT_ENOMEM;
                    return rc;
                }
            }
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "rua-empty", p,
                                  "Expected a destination URI at offset %zu, found %s.", p, what);
        }
        if (c->r->rua_count == TLSRPT_MAX_RUA_COUNT)
            return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "rua-too-many", start,
                                  "The record lists more than %u destinations.", TLSRPT_MAX_RUA_COUNT);
        tlsrpt_uri *u = NULL;
        size_t mark = tlsrpt_diag_count(c->diag);
        if ((rc = trpt_uri_parse_at(&u, c->s + start, p - start, start, c->diag)) != TLSRPT_OK) {
            if (rc != TLSRPT_ENOMEM && hint_destination(c, mark, c->s + start, p - start) != TLSRPT_OK)
                return TLSRPT_ENOMEM;
            return rc;
        }
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
            if (rc == TLSRPT_OK)
                rc = hint_http(c->diag, mark, c->s + start, p - start);
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
        size_t eq = p, mark = tlsrpt_diag_count(c->diag);
        while (eq < c->len && trpt_is_wsp((unsigned char)c->s[eq]))
            eq++;
        char *qn = trpt_quoted(c->s + name, p - name, 40);
        int rc;
        if (eq > p && eq < c->len && c->s[eq] == '=') {
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-field-space", p,
                                "Whitespace between the field name \"%s\" and '=' at offset %zu is not allowed "
                                "(RFC 8460 §3).",
                                qn, p);
            if (rc == TLSRPT_ESYNTAX &&
                trpt_diag_hint(c->diag, mark, "record-field-space",
                               "Remove the whitespace: write %s= with nothing around '='.", qn) != TLSRPT_OK)
                rc = TLSRPT_ENOMEM;
        } else {
            describe_byte(c, p, what);
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-ext-name-invalid", p,
                                "Expected '=' after the field name at offset %zu, found %s.", p, what);
            if (rc == TLSRPT_ESYNTAX && p < c->len && (c->s[p] == ':' || c->s[p] == '@') &&
                trpt_diag_hint(c->diag, mark, "record-ext-name-invalid",
                               "Separate destinations with ',' inside one rua= field, not with ';': "
                               "rua=mailto:a@example.com,mailto:b@example.com.") != TLSRPT_OK)
                rc = TLSRPT_ENOMEM;
        }
        trpt_quoted_free(qn);
        return rc;
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
        size_t mark = tlsrpt_diag_count(c->diag);
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
        if (rc == TLSRPT_ESYNTAX &&
            hint_version(c, mark, k < 2 ? DIAG_ID("record-version-missing") : DIAG_ID("record-version-invalid")) !=
                TLSRPT_OK)
            return TLSRPT_ENOMEM;
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
            size_t mark = tlsrpt_diag_count(c->diag);
            /* "v=TLSRPTv10" is a different version, not version 1 followed by junk. */
            const char *id =
                first && p == ws ? DIAG_ID("record-version-invalid") : DIAG_ID("record-delimiter-expected");
            if (first && p == ws)
                rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-version-invalid", p,
                                    "Expected ';' after \"v=TLSRPTv1\", found %s at offset %zu.", what, p);
            else
                rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "record-delimiter-expected", p,
                                    "Expected ';' before the next field, found %s at offset %zu.", what, p);
            if (rc == TLSRPT_ESYNTAX && !(first && p == ws && trpt_is_digit((unsigned char)c->s[p])) &&
                hint_delimiter(c, mark, id, p, first) != TLSRPT_OK)
                return TLSRPT_ENOMEM;
            return rc;
        }
        if (first && p > ws &&
            (rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_WARNING, "record-space-before-semicolon", ws, NULL,
                                "Whitespace between \"v=TLSRPTv1\" and ';' is allowed by the RFC 8460 grammar, but "
                                "its section 3 discards records that do not begin \"v=TLSRPTv1;\", so reporters "
                                "that apply that rule will ignore this one (erratum 6285).")) !=
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
        c->last_was_rua = c->len - p >= 4 && memcmp(c->s + p, "rua=", 4) == 0;
        if (c->last_was_rua)
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

static size_t serialized_length(const tlsrpt_record *r);

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
    rec_ctx c = {text, len, diag, NULL, SIZE_MAX, 0};
    rc = tlsrpt_record_new(&c.r);
    if (rc != TLSRPT_OK)
        return rc;
    rc = parse_fields(&c);
    /* The canonical text puts "; " between fields where the input may have ";": a record at the length limit can
     * grow past it, and then it could neither be written back nor read again (the builder refuses the same). */
    if (rc == TLSRPT_OK && serialized_length(c.r) > TLSRPT_MAX_RECORD_LENGTH)
        rc = trpt_diag_fail(diag, TLSRPT_ELIMIT, "record-too-long", TLSRPT_NO_OFFSET,
                            "The record's canonical text (its fields separated by \"; \") would be %zu bytes long; "
                            "the limit is %u.",
                            serialized_length(c.r), TLSRPT_MAX_RECORD_LENGTH);
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
    size_t mark = tlsrpt_diag_count(diag);
    if (trpt_uri_has_scheme(uri, len))
        rc = trpt_uri_parse_at(&u, uri, len, 0, diag);
    else
        rc = trpt_uri_from_address(&u, uri, len, diag);
    if (rc != TLSRPT_OK) {
        rec_ctx c = {uri, len, diag, r, SIZE_MAX, 1};
        if (rc != TLSRPT_ENOMEM && hint_destination(&c, mark, uri, len) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
        return rc;
    }
    if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER) {
        char *q = trpt_quoted(uri, len, 100);
        rc = trpt_diag_fail(diag, TLSRPT_EUNSUPPORTED, "rua-scheme-unsupported", 0,
                            "The destination \"%s\" uses a scheme reporters do not support (only mailto: and "
                            "https:).",
                            q);
        trpt_quoted_free(q);
        tlsrpt_uri_free(u);
        if (rc == TLSRPT_EUNSUPPORTED && hint_http(diag, mark, uri, len) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
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
