/* libtlsrpt — reading a TLS report e-mail (RFC 8460 §5.3): RFC 5322 header sections, MIME (RFC 2045/2046)
 * structure, transfer encodings, then the report itself through tlsrpt_report_parse().
 * SPDX-License-Identifier: MIT
 *
 * The message is never copied and nothing about it is stored but a few offsets: header fields are scanned in
 * place (folded lines are read as whitespace where a value is interpreted), and only the fields this reader needs
 * (Content-Type, Content-Transfer-Encoding, Content-Disposition; Subject, TLS-Report-Domain and
 * TLS-Report-Submitter of the top-level header) are remembered, as spans of the input. The only allocation that
 * scales with the input is the decoded report part, and it is capped at TLSRPT_MAX_REPORT_SIZE.
 *
 * Work is linear: each multipart entity is scanned once line by line for its own boundary (one memchr per line, one
 * comparison of at most 72 bytes per line that starts with "-"), and an entity nested d levels deep is scanned by
 * d enclosing levels, d <= TLSRPT_MAX_MIME_DEPTH. Each header section and header value is read once, in place (an
 * RFC 2231 value a second time when its sections are joined). msg_reader.work counts the bytes examined, and
 * tests/test_report_message.c (cost_is_linear) holds it to a linear bound on the worst shapes.
 *
 * MIME is read leniently, the way mature mail readers read it, each case a deviation with its own id (WARNING; in
 * strict mode an ERROR, and the parse fails with TLSRPT_ESEMANTIC): a multipart body without its closing delimiter,
 * base64 bytes outside the alphabet, a malformed header section of a body part, unreadable, repeated or
 * misnumbered parameters (doc/report-parsing.md, "Report e-mails: the MIME reader").
 *
 * Choosing the report part (the first part, in document order, of the best rank):
 *   rank 1: application/tlsrpt+gzip or application/tlsrpt+json (RFC 8460 §6);
 *   rank 2: application/tlsrpt (Stalwart) — a nonstandard-type WARNING;
 *   rank 3: application/gzip, application/x-gzip, application/octet-stream or application/json with a file name
 *           (Content-Disposition filename, else Content-Type name) ending in .json.gz, .gz or .json — a
 *           nonstandard-type WARNING.
 * Whether the chosen part holds gzip or JSON is decided by the bytes (tlsrpt_report_parse looks for the gzip
 * magic); a declared type that disagrees is a WARNING. */
#include "internal.h"
#include "base64.h"
#include "charclass.h"
#include "gzip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_FILENAME_MAX 1024u /* longest file name parameter kept (longer: never a report name) */
#define MSG_TOKEN_MAX 64u      /* longest type, subtype or report-type kept */
#define MSG_BOUNDARY_MAX 70u   /* RFC 2046 §5.1.1 */

typedef struct span {
    size_t off, len;
    int present;
} span;

/* The fields of one header section this reader uses (first occurrence of each). */
typedef struct headers {
    span content_type, cte, disposition;
    span subject, report_domain, report_submitter;
    size_t body; /* offset of the body (end of the entity when there is none) */
} headers;

typedef struct content_type {
    char type[MSG_TOKEN_MAX + 1], subtype[MSG_TOKEN_MAX + 1]; /* lower case; "" when absent or unreadable */
    char boundary[MSG_BOUNDARY_MAX + 1];
    size_t boundary_len;
    int has_boundary;
    char report_type[MSG_TOKEN_MAX + 1];
    char name[MSG_FILENAME_MAX + 1]; /* the "name" parameter ("" when absent or too long) */
} content_type;

enum { DECLARED_UNKNOWN = 0, DECLARED_GZIP = 1, DECLARED_JSON = 2 };

typedef struct candidate {
    int rank;            /* 0: none yet */
    size_t header;       /* offset of the part's first header byte */
    size_t type_at;      /* offset of its Content-Type value */
    size_t body, end;    /* the encoded content */
    span cte;
    int declared;        /* DECLARED_* */
    char type[2 * MSG_TOKEN_MAX + 2];
} candidate;

typedef struct msg_reader {
    const unsigned char *m;
    size_t len;
    tlsrpt_diag *diag;
    int strict;
    int rc;        /* the first fatal status, or TLSRPT_OK */
    int deviation; /* strict mode: a deviation was reported as an ERROR */
    size_t parts;  /* body parts seen so far */
    candidate best;
    size_t candidates;
    headers top;
    content_type top_type;
    size_t work; /* bytes examined by the walk, the header value parser and the decoders (tests check that it
                  * stays linear in the message size; see trpt_report_parse_message_work) */
} msg_reader;

/* ---- Findings ------------------------------------------------------------------------------------------------- */

static void fatal_diag(msg_reader *c, int rc, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(5, 6);
static void fatal_diag(msg_reader *c, int rc, const char *id, size_t at, const char *fmt, ...)
{
    if (c->rc == TLSRPT_OK)
        c->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    if (trpt_diag_vadd(c->diag, TLSRPT_SEVERITY_ERROR, id, at, NULL, fmt, ap) != TLSRPT_OK)
        c->rc = TLSRPT_ENOMEM;
    va_end(ap);
}

/* A deviation from RFC 8460 §5.3 or the MIME RFCs that the reader can read past: WARNING, or ERROR in strict mode
 * (the parse then fails with TLSRPT_ESEMANTIC once everything has been looked at). */
static void deviation_vdiag(msg_reader *c, const char *id, size_t at, const char *fmt, va_list ap) TRPT_PRINTF(4, 0);
static void deviation_vdiag(msg_reader *c, const char *id, size_t at, const char *fmt, va_list ap)
{
    if (trpt_diag_vadd(c->diag, c->strict ? TLSRPT_SEVERITY_ERROR : TLSRPT_SEVERITY_WARNING, id, at, NULL, fmt,
                       ap) != TLSRPT_OK && c->rc == TLSRPT_OK)
        c->rc = TLSRPT_ENOMEM;
    if (c->strict)
        c->deviation = 1;
}

static void deviation_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(4, 5);
static void deviation_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    deviation_vdiag(c, id, at, fmt, ap);
    va_end(ap);
}

static void info_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(4, 5);
static void info_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (trpt_diag_vadd(c->diag, TLSRPT_SEVERITY_INFO, id, at, NULL, fmt, ap) != TLSRPT_OK && c->rc == TLSRPT_OK)
        c->rc = TLSRPT_ENOMEM;
    va_end(ap);
}

/* A deviation from the MIME syntax (RFC 2045, RFC 2046, RFC 2231, RFC 5322) that the reader reads past the way
 * mature mail readers do; a deviation like the others (deviation_diag): WARNING, or in strict mode an ERROR, and
 * the parse reads on so that one parse shows every finding, then fails with TLSRPT_ESEMANTIC. Returns 0 to read on,
 * -1 when the finding could not be stored (out of memory). */
static int mime_deviation_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(4, 5);
static int mime_deviation_diag(msg_reader *c, const char *id, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    deviation_vdiag(c, id, at, fmt, ap);
    va_end(ap);
    return c->rc == TLSRPT_OK ? 0 : -1;
}

/* 1 when a deviation finding would be kept: always in strict mode (an ERROR), else when the list takes a WARNING.
 * Checked before anything is quoted for a finding, so that dropped findings cost nothing. */
static int deviation_kept(const msg_reader *c)
{
    return c->strict || trpt_diag_keeps(c->diag, TLSRPT_SEVERITY_WARNING);
}

/* ---- Lines and header sections ---------------------------------------------------------------------------------- */

/* End of the line starting at pos within [.., end): the offset of its '\n', or end. */
static size_t line_end(msg_reader *c, size_t pos, size_t end)
{
    const unsigned char *nl = memchr(c->m + pos, '\n', end - pos);
    size_t le = nl ? (size_t)(nl - c->m) : end;
    c->work += le - pos + 1;
    return le;
}

/* The line's content end: before a '\r' that precedes the line end. */
static size_t content_end(const msg_reader *c, size_t pos, size_t le)
{
    return le > pos && c->m[le - 1] == '\r' ? le - 1 : le;
}

static int field_name_is(const msg_reader *c, size_t at, size_t n, const char *name)
{
    return strlen(name) == n && trpt_ascii_strncasecmp((const char *)c->m + at, name, n) == 0;
}

/* Scans the header section of the entity [start, end): field count and length within their limits, every line a
 * field ("name:"), a continuation (leading WSP) or the empty line that ends the section. Fills h (spans of the
 * values: after the colon up to the end of the field's last line). Returns 0, or -1 after a fatal finding.
 *
 * In the top-level header a line that is none of these is fatal. In the header section of a body part (or of an
 * attached message) it is a deviation: the section ends before that line and the body starts with it, as RFC 5322
 * readers such as Python's email package read it (a missing blank line, a stray line, "Content-Type :"); the
 * fields before it are used. */
static int scan_headers(msg_reader *c, size_t start, size_t end, int top, headers *h)
{
    memset(h, 0, sizeof *h);
    h->body = end;
    size_t pos = start, fields = 0, field_start = 0;
    span *current = NULL; /* the remembered value the current field fills, or NULL */
    int in_field = 0;
    while (pos < end) {
        size_t le = line_end(c, pos, end), ce = content_end(c, pos, le);
        size_t next = le < end ? le + 1 : end;
        if (ce == pos) { /* the empty line */
            h->body = next;
            return 0;
        }
        if (trpt_is_wsp(c->m[pos])) {
            if (!in_field) {
                if (!top) {
                    if (mime_deviation_diag(c, "message-part-header-malformed", pos,
                                            "A body part's header section starts with a continuation line (leading "
                                            "white space); the part's body is taken to start there.") != 0)
                        return -1;
                    h->body = pos;
                    return 0;
                }
                fatal_diag(c, TLSRPT_ESYNTAX, "message-header-invalid", pos,
                           "A header section starts with a continuation line (leading white space).");
                return -1;
            }
        } else {
            size_t colon = pos;
            while (colon < ce && c->m[colon] != ':' && c->m[colon] > 32 && c->m[colon] < 127)
                colon++;
            if (colon == ce || c->m[colon] != ':' || colon == pos) {
                if (top && fields == 0 && pos == start && ce - pos >= 5 && memcmp(c->m + pos, "From ", 5) == 0) {
                    info_diag(c, "message-mbox-from-line", pos,
                              "The message starts with an mbox \"From \" line; it is skipped.");
                    pos = next;
                    continue;
                }
                size_t at = colon < ce ? colon : pos;
                trpt_buf q;
                trpt_buf_init(&q);
                if (top || deviation_kept(c))
                    trpt_buf_put_quoted(&q, (const char *)c->m + pos, ce - pos, 40);
                if (!top) {
                    int stop = mime_deviation_diag(c, "message-part-header-malformed", at,
                                                   "The line \"%s\" in a body part's header section is not a field "
                                                   "(name, then ':'); the part's body is taken to start there.",
                                                   q.data ? q.data : "");
                    trpt_buf_free(&q);
                    if (stop)
                        return -1;
                    h->body = pos;
                    return 0;
                }
                fatal_diag(c, TLSRPT_ESYNTAX, "message-header-invalid", at,
                           "The header line \"%s\" is not a field (name, then ':').", q.data ? q.data : "");
                trpt_buf_free(&q);
                return -1;
            }
            if (++fields > TLSRPT_MAX_HEADER_FIELDS) {
                fatal_diag(c, TLSRPT_ELIMIT, "message-too-many-headers", pos,
                           "A header section has more than %u fields.", (unsigned)TLSRPT_MAX_HEADER_FIELDS);
                return -1;
            }
            in_field = 1;
            field_start = pos;
            size_t n = colon - pos;
            span *s = NULL;
            if (field_name_is(c, pos, n, "Content-Type"))
                s = &h->content_type;
            else if (field_name_is(c, pos, n, "Content-Transfer-Encoding"))
                s = &h->cte;
            else if (field_name_is(c, pos, n, "Content-Disposition"))
                s = &h->disposition;
            else if (top && field_name_is(c, pos, n, "Subject"))
                s = &h->subject;
            else if (top && field_name_is(c, pos, n, "TLS-Report-Domain"))
                s = &h->report_domain;
            else if (top && field_name_is(c, pos, n, "TLS-Report-Submitter"))
                s = &h->report_submitter;
            current = s && !s->present ? s : NULL;
            if (current) {
                current->present = 1;
                current->off = colon + 1;
            }
        }
        if (ce - field_start > TLSRPT_MAX_HEADER_LENGTH) {
            fatal_diag(c, TLSRPT_ELIMIT, "message-header-too-long", field_start,
                       "A header field is longer than %u bytes.", (unsigned)TLSRPT_MAX_HEADER_LENGTH);
            return -1;
        }
        if (current)
            current->len = ce - current->off;
        pos = next;
    }
    return 0; /* no empty line: the entity has headers only */
}

/* ---- Structured header values (RFC 2045 §5.1, RFC 2183, RFC 2231) ------------------------------------------------ */

typedef struct cursor {
    const unsigned char *m;
    size_t pos, end;
} cursor;

/* A cursor over a header value; the value is counted as read once (c->work). */
static cursor span_cursor(msg_reader *c, span s)
{
    cursor k = {c->m, s.off, s.off + s.len};
    c->work += s.len;
    return k;
}

/* Skips white space, folding line breaks and (nested) comments. */
static void skip_cfws(cursor *k)
{
    size_t depth = 0;
    while (k->pos < k->end) {
        unsigned char ch = k->m[k->pos];
        if (depth == 0 && (trpt_is_wsp(ch) || ch == '\r' || ch == '\n')) {
            k->pos++;
        } else if (ch == '(') {
            depth++;
            k->pos++;
        } else if (depth > 0 && ch == ')') {
            depth--;
            k->pos++;
        } else if (depth > 0 && ch == '\\') {
            k->pos += k->pos + 1 < k->end ? 2 : 1;
        } else if (depth > 0) {
            k->pos++;
        } else {
            return;
        }
    }
}

static int is_tspecial_or_ctl(unsigned char ch)
{
    return ch <= 32 || ch >= 127 || strchr("()<>@,;:\\\"/[]?=", ch) != NULL;
}

/* Reads an RFC 2045 token into out (lower-cased when lower; cut to max bytes and then emptied). Returns its
 * length in the input (0: no token here). */
static size_t read_token(cursor *k, char *out, size_t max, int lower)
{
    size_t start = k->pos;
    while (k->pos < k->end && !is_tspecial_or_ctl(k->m[k->pos]))
        k->pos++;
    size_t n = k->pos - start;
    if (out) {
        if (n > max) {
            out[0] = '\0';
        } else {
            for (size_t i = 0; i < n; i++)
                out[i] = lower ? (char)trpt_ascii_lower(k->m[start + i]) : (char)k->m[start + i];
            out[n] = '\0';
        }
    }
    return n;
}

/* Appends byte ch to the bounded value out[0..*n); *overflow when it does not fit in max bytes. */
static void value_put(char *out, size_t max, size_t *n, int *overflow, unsigned char ch)
{
    if (*n < max)
        out[(*n)++] = (char)ch;
    else
        *overflow = 1;
}

/* Reads a parameter value (token or quoted-string; folding line breaks inside quotes are dropped) and appends it
 * to out[0..*n). Returns 0, or -1 when the value is missing or a quoted string is not closed. */
static int read_value(cursor *k, char *out, size_t max, size_t *n, int *overflow)
{
    if (k->pos < k->end && k->m[k->pos] == '"') {
        k->pos++;
        while (k->pos < k->end) {
            unsigned char ch = k->m[k->pos++];
            if (ch == '"')
                return 0;
            if (ch == '\\' && k->pos < k->end)
                ch = k->m[k->pos++];
            else if (ch == '\r' || ch == '\n')
                continue;
            value_put(out, max, n, overflow, ch);
        }
        return -1;
    }
    size_t start = k->pos;
    if (read_token(k, NULL, 0, 0) == 0)
        return -1;
    for (size_t i = start; i < k->pos; i++)
        value_put(out, max, n, overflow, k->m[i]);
    return 0;
}

/* RFC 2231 extended value: drops "charset'language'" from the first section, decodes %XX. In place. */
static size_t decode_ext_value(char *v, size_t n, int first)
{
    size_t i = 0, o = 0;
    if (first) {
        const char *q1 = memchr(v, '\'', n);
        const char *q2 = q1 ? memchr(q1 + 1, '\'', n - (size_t)(q1 + 1 - v)) : NULL;
        if (q2)
            i = (size_t)(q2 + 1 - v);
    }
    for (; i < n; i++) {
        int h1, h2;
        if (v[i] == '%' && i + 2 < n && (h1 = trpt_hex_value((unsigned char)v[i + 1])) >= 0 &&
            (h2 = trpt_hex_value((unsigned char)v[i + 2])) >= 0) {
            v[o++] = (char)(h1 * 16 + h2);
            i += 2;
        } else {
            v[o++] = v[i];
        }
    }
    return o;
}

/* Where a parameter value is in the header field: a token or quoted string at `at`, or (raw) the bytes [at, end)
 * of a value with characters that only a quoted string may hold, read as mail readers read it. */
typedef struct param_value {
    size_t at, end;
    int raw;
} param_value;

/* One RFC 2231 section of a parameter. */
typedef struct param_section {
    size_t name_at;
    param_value value;
    unsigned char present, extended;
} param_section;

/* One parameter of interest. Its value does not depend on the order the list is written in (RFC 2045 §5.1: "the
 * ordering of parameters is not significant"): RFC 2231 sections (name*N, name*N*, and name* as section 0) are
 * joined in the order of their numbers (RFC 2231 §3), and read in preference to a plain name= (which senders add
 * for readers without RFC 2231, as RFC 6266 §4.3 describes for file names); without sections the plain value is
 * read. Of a plain value or a section number given twice the first is used. The sections sit in a table indexed by
 * their number (TRPT_MIME_PARAM_SECTIONS entries), so joining them costs the same however they are written. */
typedef struct param {
    const char *name;
    char *out;
    size_t max;
    size_t n;           /* the value: out[0..n) */
    int seen, overflow; /* a value was read; it did not fit in max bytes (then it is unusable) */
    int has_plain, has_sections;
    param_value plain;
    param_section sections[TRPT_MIME_PARAM_SECTIONS];
} param;

static void param_init(param *p, const char *name, char *out, size_t max)
{
    memset(p, 0, sizeof *p);
    p->name = name;
    p->out = out;
    p->max = max;
}

/* Skips to the next ';' that is not inside a quoted string, or to the end. */
static void skip_to_semicolon(cursor *k)
{
    int quoted = 0;
    while (k->pos < k->end) {
        unsigned char ch = k->m[k->pos];
        if (quoted && ch == '\\')
            k->pos++;
        else if (ch == '"')
            quoted = !quoted;
        else if (!quoted && ch == ';')
            return;
        k->pos++;
    }
    k->pos = k->end;
}

/* The findings of one header field's parameter list: each id at most once, at its first occurrence. */
typedef struct param_findings {
    int junk, unquoted, repeated, sections;
} param_findings;

/* A parameter that cannot be read: a deviation (the first one of the field), then skipped up to the next ';'.
 * Returns 0, or -1 when out of memory. */
static int param_junk(msg_reader *c, cursor *k, param_findings *f, size_t at, const char *why)
{
    skip_to_semicolon(k);
    if (f->junk)
        return 0;
    f->junk = 1;
    return mime_deviation_diag(c, "message-param-junk", at, "%s; it is skipped up to the next ';'.", why);
}

/* Reads a value (validated before) of the field that ends at `end` and appends it to p's value, %XX-decoded for an
 * extended section. A raw value is taken as written, without the line breaks of folding. */
static void param_append(msg_reader *c, param *p, param_value value, size_t end, int extended, int first)
{
    size_t before = p->n;
    if (value.raw) {
        for (size_t i = value.at; i < value.end; i++)
            if (c->m[i] != '\r' && c->m[i] != '\n')
                value_put(p->out, p->max, &p->n, &p->overflow, c->m[i]);
        c->work += value.end - value.at;
    } else {
        cursor v = {c->m, value.at, end};
        (void)read_value(&v, p->out, p->max, &p->n, &p->overflow);
        c->work += v.pos - value.at; /* a second reading: values do not overlap, so at most the field again */
    }
    if (extended && !p->overflow)
        p->n = before + decode_ext_value(p->out + before, p->n - before, first);
}

/* Parses ";" name "=" value ... after the type (RFC 2045 §5.1 with RFC 2231) and fills the params whose names match
 * (case-insensitive). A parameter that cannot be read is skipped (message-param-junk), not the end of the list, and
 * an unquoted value with characters that need quotes runs to the next ';' (message-param-unquoted), as mail readers
 * read them. Returns 0, or -1 when out of memory. */
static int read_params(msg_reader *c, cursor *k, param *params, size_t n_params)
{
    param_findings f = {0, 0, 0, 0};
    for (;;) {
        skip_cfws(k);
        if (k->pos >= k->end)
            break;
        if (k->m[k->pos] != ';') {
            if (param_junk(c, k, &f, k->pos,
                           "Text after a quoted parameter value (or after the type) is not a parameter"))
                return -1;
            continue;
        }
        k->pos++;
        skip_cfws(k);
        if (k->pos >= k->end)
            break; /* a trailing ';' */
        size_t name_at = k->pos;
        param_value value = {0, 0, 0};
        char name[MSG_TOKEN_MAX + 1];
        int ok = read_token(k, name, MSG_TOKEN_MAX, 1) > 0;
        if (ok) {
            skip_cfws(k);
            ok = k->pos < k->end && k->m[k->pos] == '=';
        }
        if (ok) {
            k->pos++;
            skip_cfws(k);
            value.at = k->pos;
            if (k->pos < k->end && k->m[k->pos] == '"') {
                size_t none = 0;
                int overflow = 0;
                ok = read_value(k, NULL, 0, &none, &overflow) == 0;
            } else {
                size_t token = read_token(k, NULL, 0, 0);
                cursor after = *k;
                skip_cfws(&after);
                if (after.pos < after.end && after.m[after.pos] != ';') {
                    /* Characters that RFC 2045 §5.1 allows only in a quoted string ("boundary=----=_Part_1", white
                     * space): the value is the text up to the next ';', without trailing white space, as mail
                     * readers take it. */
                    skip_to_semicolon(k);
                    value.end = k->pos;
                    while (value.end > value.at && (trpt_is_wsp(k->m[value.end - 1]) || k->m[value.end - 1] == '\r' ||
                                                    k->m[value.end - 1] == '\n'))
                        value.end--;
                    value.raw = 1;
                    if (!f.unquoted) {
                        f.unquoted = 1;
                        if (mime_deviation_diag(c, "message-param-unquoted", after.pos,
                                                "A parameter value holds a character that RFC 2045 §5.1 allows only "
                                                "in a quoted string; the value is read up to the next ';'."))
                            return -1;
                    }
                } else {
                    ok = token > 0;
                }
            }
        }
        if (!ok) {
            if (param_junk(c, k, &f, name_at,
                           "A parameter is empty, has no '=' or no value, or its quoted string is not closed"))
                return -1;
            continue;
        }
        for (size_t i = 0; i < n_params && name[0]; i++) {
            param *p = &params[i];
            size_t bl = strlen(p->name);
            if (strcmp(name, p->name) == 0) {
                if (p->has_plain) {
                    if (!f.repeated) {
                        f.repeated = 1;
                        if (mime_deviation_diag(c, "message-param-repeated", name_at,
                                                "The parameter \"%s\" is given more than once; the first is used.",
                                                name))
                            return -1;
                    }
                } else {
                    p->has_plain = 1;
                    p->plain = value;
                }
                break;
            }
            if (strncmp(name, p->name, bl) != 0 || name[bl] != '*')
                continue;
            /* name* | name*N | name*N* (RFC 2231: N is 0 or has no leading zero) */
            const char *sfx = name + bl + 1;
            size_t digits = strspn(sfx, "0123456789"), number = 0;
            int extended = 1;
            if (sfx[0] != '\0') {
                if (digits == 0 || (sfx[digits] != '\0' && strcmp(sfx + digits, "*") != 0))
                    break; /* another parameter's name */
                extended = sfx[digits] == '*';
                for (size_t d = 0; d < digits && number < TRPT_MIME_PARAM_SECTIONS; d++)
                    number = number * 10 + (size_t)(sfx[d] - '0');
            }
            if (number >= TRPT_MIME_PARAM_SECTIONS) {
                if (param_junk(c, k, &f, name_at, "The RFC 2231 section number of a parameter is over the limit"))
                    return -1;
                break;
            }
            if (digits > 1 && sfx[0] == '0' && !f.sections) {
                f.sections = 1;
                if (mime_deviation_diag(c, "message-param-sections-invalid", name_at,
                                        "The RFC 2231 section number of \"%s\" has a leading zero (RFC 2231 §3); it "
                                        "is read as the number %zu.", name, number))
                    return -1;
            }
            param_section *sec = &p->sections[number];
            if (sec->present) {
                if (!f.repeated) {
                    f.repeated = 1;
                    if (mime_deviation_diag(c, "message-param-repeated", name_at,
                                            "The RFC 2231 section %zu of \"%s\" is given more than once; the first is "
                                            "used.", number, p->name))
                        return -1;
                }
                break;
            }
            sec->present = 1;
            sec->extended = (unsigned char)extended;
            sec->name_at = name_at;
            sec->value = value;
            p->has_sections = 1;
            break;
        }
    }
    for (size_t i = 0; i < n_params; i++) {
        param *p = &params[i];
        if (p->has_sections) {
            size_t next = 0;
            for (size_t number = 0; number < TRPT_MIME_PARAM_SECTIONS; number++) {
                const param_section *sec = &p->sections[number];
                if (!sec->present)
                    continue;
                if (number != next && !f.sections) {
                    f.sections = 1;
                    if (mime_deviation_diag(c, "message-param-sections-invalid", sec->name_at,
                                            "The RFC 2231 sections of \"%s\" have no section %zu (RFC 2231 §3); the "
                                            "sections present are joined in number order.", p->name, next))
                        return -1;
                }
                next = number + 1;
                param_append(c, p, sec->value, k->end, sec->extended, number == 0);
            }
            p->seen = 1;
        } else if (p->has_plain) {
            param_append(c, p, p->plain, k->end, 0, 0);
            p->seen = 1;
        }
    }
    return 0;
}

/* Content-Type: type/subtype and the parameters boundary, report-type and name. Absent or unreadable: text/plain
 * (RFC 2045 §5.2), with type and subtype "" when unreadable. Returns 0, or -1 for a multipart boundary that
 * cannot be used (finding added). */
static int parse_content_type(msg_reader *c, span s, content_type *ct)
{
    memset(ct, 0, sizeof *ct);
    if (!s.present) {
        strcpy(ct->type, "text");
        strcpy(ct->subtype, "plain");
        return 0;
    }
    cursor k = span_cursor(c, s);
    skip_cfws(&k);
    if (read_token(&k, ct->type, MSG_TOKEN_MAX, 1) == 0)
        return 0;
    skip_cfws(&k);
    if (k.pos >= k.end || k.m[k.pos] != '/') {
        ct->type[0] = '\0';
        return 0;
    }
    k.pos++;
    skip_cfws(&k);
    if (read_token(&k, ct->subtype, MSG_TOKEN_MAX, 1) == 0) {
        ct->type[0] = '\0';
        return 0;
    }
    char boundary[MSG_BOUNDARY_MAX + 2];
    param params[3];
    param_init(&params[0], "boundary", boundary, MSG_BOUNDARY_MAX + 1);
    param_init(&params[1], "report-type", ct->report_type, MSG_TOKEN_MAX);
    param_init(&params[2], "name", ct->name, MSG_FILENAME_MAX);
    if (read_params(c, &k, params, sizeof params / sizeof params[0]) != 0)
        return -1;
    ct->report_type[params[1].overflow ? 0 : params[1].n] = '\0';
    for (size_t i = 0; ct->report_type[i]; i++)
        ct->report_type[i] = (char)trpt_ascii_lower((unsigned char)ct->report_type[i]);
    ct->name[params[2].overflow ? 0 : params[2].n] = '\0';
    if (strcmp(ct->type, "multipart") != 0)
        return 0;
    if (!params[0].seen) {
        fatal_diag(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
                   "A multipart Content-Type has no boundary parameter.");
        return -1;
    }
    size_t n = params[0].n;
    if (params[0].overflow || n > MSG_BOUNDARY_MAX || n == 0) {
        fatal_diag(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
                   "A multipart boundary must be 1 to 70 characters long (RFC 2046 §5.1.1).");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)boundary[i];
        int bchar = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    strchr("'()+_,-./:=? ", ch) != NULL;
        if (!bchar || ch == '\0' || (ch == ' ' && i + 1 == n)) {
            fatal_diag(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
                       "A multipart boundary contains a character that RFC 2046 §5.1.1 does not allow.");
            return -1;
        }
    }
    memcpy(ct->boundary, boundary, n);
    ct->boundary[n] = '\0';
    ct->boundary_len = n;
    ct->has_boundary = 1;
    return 0;
}

/* The file name of a part: Content-Disposition's filename, else Content-Type's name. Returns 0, or -1 when out of
 * memory. */
static int part_filename(msg_reader *c, const headers *h, const content_type *ct, char *out)
{
    out[0] = '\0';
    if (h->disposition.present) {
        cursor k = span_cursor(c, h->disposition);
        skip_cfws(&k);
        if (read_token(&k, NULL, 0, 0) > 0) {
            param p;
            param_init(&p, "filename", out, MSG_FILENAME_MAX);
            if (read_params(c, &k, &p, 1) != 0)
                return -1;
            out[p.overflow ? 0 : p.n] = '\0';
            if (p.seen && !p.overflow && p.n > 0)
                return 0;
        }
    }
    strcpy(out, ct->name);
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && trpt_ascii_strcasecmp(s + n - k, suffix) == 0;
}

/* ---- The MIME walk ----------------------------------------------------------------------------------------------- */

static void walk_entity(msg_reader *c, size_t start, size_t end, size_t depth, int top);

/* Considers a leaf part as the report part. */
static void consider_part(msg_reader *c, size_t start, size_t end, const headers *h, const content_type *ct)
{
    int rank = 0, declared = DECLARED_UNKNOWN;
    char filename[MSG_FILENAME_MAX + 1];
    if (part_filename(c, h, ct, filename) != 0)
        return;
    int gz_name = ends_with(filename, ".gz"), json_name = ends_with(filename, ".json");
    if (strcmp(ct->type, "application") == 0) {
        if (strcmp(ct->subtype, "tlsrpt+gzip") == 0) {
            rank = 1;
            declared = DECLARED_GZIP;
        } else if (strcmp(ct->subtype, "tlsrpt+json") == 0) {
            rank = 1;
            declared = DECLARED_JSON;
        } else if (strcmp(ct->subtype, "tlsrpt") == 0) {
            rank = 2;
            declared = gz_name ? DECLARED_GZIP : json_name ? DECLARED_JSON : DECLARED_UNKNOWN;
        } else if ((gz_name || json_name) &&
                   (strcmp(ct->subtype, "gzip") == 0 || strcmp(ct->subtype, "x-gzip") == 0 ||
                    strcmp(ct->subtype, "octet-stream") == 0 || strcmp(ct->subtype, "json") == 0)) {
            rank = 3;
            declared = strcmp(ct->subtype, "json") == 0 ? DECLARED_JSON
                       : strcmp(ct->subtype, "octet-stream") == 0 ? (gz_name ? DECLARED_GZIP : DECLARED_JSON)
                                                                  : DECLARED_GZIP;
        }
    }
    if (rank == 0)
        return;
    c->candidates++;
    if (c->best.rank != 0 && c->best.rank <= rank)
        return;
    candidate *b = &c->best;
    b->rank = rank;
    b->header = start;
    b->type_at = h->content_type.off;
    b->body = h->body;
    b->end = end;
    b->cte = h->cte;
    b->declared = declared;
    snprintf(b->type, sizeof b->type, "%s/%s", ct->type, ct->subtype);
}

/* 1 if the line [pos, le) is "--" boundary ["--"] followed only by white space; *close says whether "--" followed. */
static int is_delimiter(msg_reader *c, size_t pos, size_t le, const content_type *ct, int *close)
{
    size_t bl = ct->boundary_len;
    c->work += le - pos < 2 + bl ? le - pos : 2 + bl;
    if (le - pos < 2 + bl || c->m[pos] != '-' || c->m[pos + 1] != '-' || memcmp(c->m + pos + 2, ct->boundary, bl) != 0)
        return 0;
    size_t p = pos + 2 + bl;
    *close = 0;
    if (le - p >= 2 && c->m[p] == '-' && c->m[p + 1] == '-') {
        *close = 1;
        p += 2;
    }
    size_t from = p;
    while (p < le && (trpt_is_wsp(c->m[p]) || c->m[p] == '\r'))
        p++;
    c->work += p - from + 1;
    return p == le;
}

static void walk_multipart(msg_reader *c, size_t start, size_t end, size_t depth, const content_type *ct)
{
    enum { PREAMBLE, IN_PART, CLOSED } state = PREAMBLE;
    size_t part_start = start, pos = start;
    while (pos < end && state != CLOSED) {
        size_t le = line_end(c, pos, end);
        int close;
        if (c->m[pos] == '-' && is_delimiter(c, pos, le, ct, &close)) {
            if (state == IN_PART) {
                /* The line break before the delimiter belongs to the delimiter (RFC 2046 §5.1.1). */
                size_t pe = pos;
                if (pe > part_start && c->m[pe - 1] == '\n')
                    pe--;
                if (pe > part_start && c->m[pe - 1] == '\r')
                    pe--;
                walk_entity(c, part_start, pe, depth, 0);
                if (c->rc != TLSRPT_OK)
                    return;
            }
            if (close) {
                if (state == PREAMBLE) {
                    fatal_diag(c, TLSRPT_ESYNTAX, "message-mime-invalid", pos,
                               "A multipart entity has no body part before its closing delimiter.");
                    return;
                }
                state = CLOSED;
            } else {
                if (++c->parts > TLSRPT_MAX_MIME_PARTS) {
                    fatal_diag(c, TLSRPT_ELIMIT, "message-too-many-parts", pos,
                               "The message has more than %u body parts.", (unsigned)TLSRPT_MAX_MIME_PARTS);
                    return;
                }
                state = IN_PART;
                part_start = le < end ? le + 1 : end;
            }
        }
        pos = le < end ? le + 1 : end;
    }
    if (state == PREAMBLE) {
        fatal_diag(c, TLSRPT_ESYNTAX, "message-mime-invalid", start,
                   "A multipart entity has no delimiter line \"--%s\".", ct->boundary);
    } else if (state == IN_PART) {
        /* No closing delimiter (a truncated message, or a sender that never writes it): the open part runs to the
         * end of the entity, as mail readers read it. The end stands for the missing delimiter line, so a line
         * break right before it is the delimiter's (RFC 2046 §5.1.1), not the part's. */
        size_t pe = end;
        if (pe > part_start && c->m[pe - 1] == '\n')
            pe--;
        if (pe > part_start && c->m[pe - 1] == '\r')
            pe--;
        walk_entity(c, part_start, pe, depth, 0);
        if (c->rc == TLSRPT_OK)
            (void)mime_deviation_diag(c, "message-multipart-unterminated", end,
                                      "A multipart entity ends without its closing delimiter \"--%s--\" (truncated "
                                      "message?); its last part is read up to the end.", ct->boundary);
    }
}

static int cte_is_identity(msg_reader *c, span cte)
{
    if (!cte.present)
        return 1;
    cursor k = span_cursor(c, cte);
    skip_cfws(&k);
    char name[MSG_TOKEN_MAX + 1];
    if (read_token(&k, name, MSG_TOKEN_MAX, 1) == 0)
        return 0;
    return strcmp(name, "7bit") == 0 || strcmp(name, "8bit") == 0 || strcmp(name, "binary") == 0;
}

static void walk_entity(msg_reader *c, size_t start, size_t end, size_t depth, int top)
{
    headers h;
    if (scan_headers(c, start, end, top, &h) != 0)
        return;
    content_type ct;
    if (parse_content_type(c, h.content_type, &ct) != 0)
        return;
    if (top) {
        c->top = h;
        c->top_type = ct;
    }
    int multipart = strcmp(ct.type, "multipart") == 0;
    int message = strcmp(ct.type, "message") == 0 &&
                  (strcmp(ct.subtype, "rfc822") == 0 || strcmp(ct.subtype, "global") == 0) && cte_is_identity(c, h.cte);
    if (multipart || message) {
        if (depth + 1 > TLSRPT_MAX_MIME_DEPTH) {
            fatal_diag(c, TLSRPT_ELIMIT, "message-depth-limit", h.content_type.off,
                       "MIME entities are nested more than %u levels deep.", (unsigned)TLSRPT_MAX_MIME_DEPTH);
            return;
        }
        if (multipart)
            walk_multipart(c, h.body, end, depth + 1, &ct);
        else
            walk_entity(c, h.body, end, depth + 1, 0);
        return;
    }
    consider_part(c, start, end, &h, &ct);
}

/* ---- Transfer encodings --------------------------------------------------------------------------------------- */

/* Appends a decoded byte; over the report limit is a fatal finding. Returns 0 or -1. */
static int out_put(msg_reader *c, unsigned char *out, size_t *n, unsigned char ch, size_t body)
{
    if (*n >= TLSRPT_MAX_REPORT_SIZE) {
        fatal_diag(c, TLSRPT_ELIMIT, "message-report-too-large", body,
                   "The decoded report part is more than %u bytes.", (unsigned)TLSRPT_MAX_REPORT_SIZE);
        return -1;
    }
    out[(*n)++] = ch;
    return 0;
}

/* base64's junk callback: the deviation finding, at its offset in the message. */
typedef struct base64_junk_ctx {
    msg_reader *c;
    size_t start;
} base64_junk_ctx;

static int base64_junk(void *ctx, size_t at, unsigned char byte)
{
    base64_junk_ctx *j = ctx;
    return mime_deviation_diag(j->c, "message-base64-junk", j->start + at,
                               "The byte 0x%02x is not a base64 character; it is skipped (RFC 2045 §6.8).", byte);
}

/* A base64 body (trpt_base64_decode: RFC 2045 §6.8, bytes outside the alphabet skipped with one deviation finding
 * per part, in strict mode an ERROR). Wrong padding, data after padding or a text that ends inside a group is an
 * error in both modes. */
static int decode_base64(msg_reader *c, size_t start, size_t end, unsigned char *out, size_t max, size_t *n)
{
    c->work += end - start;
    base64_junk_ctx j = {c, start};
    size_t at;
    int status = trpt_base64_decode(c->m + start, end - start, out, max, n, &at, base64_junk, &j);
    switch (status) {
    case TRPT_BASE64_OK:
        return 0;
    case TRPT_BASE64_STOPPED:
        return -1;
    case TRPT_BASE64_FULL:
        fatal_diag(c, TLSRPT_ELIMIT, "message-report-too-large", start,
                   "The decoded report part is more than %u bytes.", (unsigned)TLSRPT_MAX_REPORT_SIZE);
        return -1;
    case TRPT_BASE64_PAD_MISPLACED:
        fatal_diag(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at,
                   "Base64 padding '=' where a data character must be.");
        return -1;
    case TRPT_BASE64_PAD_EXCESS:
        fatal_diag(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at, "Too much base64 padding '='.");
        return -1;
    case TRPT_BASE64_DATA_AFTER_PAD:
        fatal_diag(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at, "Base64 data (0x%02x) after padding.",
                   c->m[start + at]);
        return -1;
    default:
        fatal_diag(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at,
                   "The base64 text ends inside a 4-character group (truncated?).");
        return -1;
    }
}

/* RFC 2045 §6.7: "=XX" (either case), soft line breaks "=" *WSP EOL, trailing white space of each line dropped.
 * A lone "=" is kept as written with a deviation finding (RFC 2045 §6.7 note 1 asks decoders to be robust). */
static int decode_qp(msg_reader *c, size_t start, size_t end, unsigned char *out, size_t *n)
{
    int reported = 0;
    size_t pos = start;
    while (pos < end) {
        size_t le = line_end(c, pos, end), ce = content_end(c, pos, le);
        size_t te = ce;
        while (te > pos && trpt_is_wsp(c->m[te - 1]))
            te--;
        int soft = 0;
        for (size_t i = pos; i < te; i++) {
            unsigned char ch = c->m[i];
            if (ch != '=') {
                if (out_put(c, out, n, ch, start))
                    return -1;
                continue;
            }
            if (i + 1 == te) {
                soft = 1;
                break;
            }
            int h1 = trpt_hex_value(c->m[i + 1]); /* i + 1 < te: a '=' at te - 1 is the soft break above */
            int h2 = h1 >= 0 && i + 2 < te ? trpt_hex_value(c->m[i + 2]) : -1;
            if (h1 >= 0 && h2 >= 0) {
                if (out_put(c, out, n, (unsigned char)(h1 * 16 + h2), start))
                    return -1;
                i += 2;
                continue;
            }
            if (!reported) {
                deviation_diag(c, "message-qp-invalid", i,
                               "'=' not followed by two hex digits or a line break in quoted-printable text; kept as written.");
                reported = 1;
            }
            if (out_put(c, out, n, ch, start))
                return -1;
        }
        if (le < end && !soft) {
            for (size_t i = ce; i <= le; i++)
                if (out_put(c, out, n, c->m[i], start))
                    return -1;
        }
        pos = le < end ? le + 1 : end;
    }
    return 0;
}

/* Decodes the chosen part. *data is borrowed from the message (identity encodings) or allocated (*owned). */
static int decode_part(msg_reader *c, const candidate *b, const unsigned char **data, size_t *len,
                       unsigned char **owned)
{
    *owned = NULL;
    char name[MSG_TOKEN_MAX + 1] = "7bit";
    if (b->cte.present) {
        cursor k = span_cursor(c, b->cte);
        skip_cfws(&k);
        if (read_token(&k, name, MSG_TOKEN_MAX, 1) == 0)
            name[0] = '\0';
    }
    size_t in = b->end > b->body ? b->end - b->body : 0;
    if (strcmp(name, "7bit") == 0 || strcmp(name, "8bit") == 0 || strcmp(name, "binary") == 0) {
        if (in > TLSRPT_MAX_REPORT_SIZE) {
            fatal_diag(c, TLSRPT_ELIMIT, "message-report-too-large", b->body,
                       "The decoded report part is more than %u bytes.", (unsigned)TLSRPT_MAX_REPORT_SIZE);
            return -1;
        }
        *data = c->m + b->body;
        *len = in;
        return 0;
    }
    int base64 = strcmp(name, "base64") == 0;
    if (!base64 && strcmp(name, "quoted-printable") != 0) {
        fatal_diag(c, TLSRPT_EUNSUPPORTED, "message-encoding-unknown", b->cte.present ? b->cte.off : b->header,
                   "The report part's Content-Transfer-Encoding is not 7bit, 8bit, binary, base64 or "
                   "quoted-printable.");
        return -1;
    }
    size_t cap = base64 ? in / 4 * 3 + 3 : in;
    if (cap > TLSRPT_MAX_REPORT_SIZE)
        cap = TLSRPT_MAX_REPORT_SIZE;
    unsigned char *out = malloc(cap ? cap : 1);
    if (!out) {
        c->rc = TLSRPT_ENOMEM;
        return -1;
    }
    size_t n = 0;
    if ((base64 ? decode_base64(c, b->body, b->end, out, cap, &n) : decode_qp(c, b->body, b->end, out, &n)) != 0) {
        free(out);
        return -1;
    }
    *owned = out;
    *data = out;
    *len = n;
    return 0;
}

/* ---- RFC 8460 §5.3 metadata ---------------------------------------------------------------------------------- */

/* Subject matcher: positions in [pos, end) of the unfolded-on-the-fly value. */
static int match_fws(cursor *k)
{
    size_t start = k->pos;
    while (k->pos < k->end && (trpt_is_wsp(k->m[k->pos]) || k->m[k->pos] == '\r' || k->m[k->pos] == '\n'))
        k->pos++;
    return k->pos > start;
}

static int match_literal(cursor *k, const char *lit)
{
    size_t n = strlen(lit);
    if (k->end - k->pos < n || memcmp(k->m + k->pos, lit, n) != 0)
        return 0;
    k->pos += n;
    return 1;
}

/* domain-name of RFC 6376: sub-domain 1*("." sub-domain), sub-domain = Let-dig [Ldh-str]. */
static int match_domain(cursor *k, span *out)
{
    size_t start = k->pos, labels = 0;
    for (;;) {
        size_t l = k->pos;
        while (k->pos < k->end && (trpt_is_alnum(k->m[k->pos]) || k->m[k->pos] == '-'))
            k->pos++;
        if (k->pos == l || k->m[l] == '-' || k->m[k->pos - 1] == '-')
            return 0;
        labels++;
        if (k->pos < k->end && k->m[k->pos] == '.' && k->pos + 1 < k->end && trpt_is_alnum(k->m[k->pos + 1]))
            k->pos++;
        else
            break;
    }
    out->off = start;
    out->len = k->pos - start;
    out->present = 1;
    return labels >= 2;
}

static int match_dot_atom(cursor *k)
{
    for (;;) {
        size_t l = k->pos;
        while (k->pos < k->end && trpt_is_atext(k->m[k->pos]))
            k->pos++;
        if (k->pos == l)
            return 0;
        if (k->pos < k->end && k->m[k->pos] == '.')
            k->pos++;
        else
            return 1;
    }
}

/* The Subject against the ABNF of RFC 8460 §5.3. Returns 1, or 0 with *at the offset where it stops matching.
 * The two domain names are returned in *domain and *submitter. */
static int match_subject(msg_reader *c, span s, size_t *at, span *domain, span *submitter)
{
    cursor k = span_cursor(c, s);
    while (k.pos < k.end && trpt_is_wsp(k.m[k.pos]))
        k.pos++;
    int ok = match_literal(&k, "Report") && match_fws(&k) && match_literal(&k, "Domain:") && match_fws(&k) &&
             match_domain(&k, domain) && match_fws(&k) && match_literal(&k, "Submitter:") && match_fws(&k) &&
             match_domain(&k, submitter) && match_fws(&k) && match_literal(&k, "Report-ID:") && match_fws(&k) &&
             match_literal(&k, "<") && match_dot_atom(&k) && match_literal(&k, "@");
    if (ok) {
        if (k.pos < k.end && k.m[k.pos] == '[') {
            while (k.pos < k.end && k.m[k.pos] != ']' && k.m[k.pos] > 32 && k.m[k.pos] < 127)
                k.pos++;
            ok = match_literal(&k, "]");
        } else {
            ok = match_dot_atom(&k);
        }
        ok = ok && match_literal(&k, ">");
    }
    if (ok) {
        skip_cfws(&k);
        ok = k.pos == k.end;
    }
    *at = k.pos;
    return ok;
}

/* The value of a header that holds one domain name: CFWS, the name, CFWS. Returns 0 or -1 (not a single token). */
static int header_domain(msg_reader *c, span s, span *out)
{
    cursor k = span_cursor(c, s);
    skip_cfws(&k);
    size_t start = k.pos;
    while (k.pos < k.end && k.m[k.pos] > 32 && k.m[k.pos] < 127 && k.m[k.pos] != '(')
        k.pos++;
    out->off = start;
    out->len = k.pos - start;
    out->present = 1;
    skip_cfws(&k);
    return out->len > 0 && k.pos == k.end ? 0 : -1;
}

/* Case-insensitive equality of a name in the message and a C string, a trailing dot on either side ignored. */
static int same_name(const msg_reader *c, span a, const char *b, size_t bl)
{
    size_t al = a.len;
    if (al > 0 && c->m[a.off + al - 1] == '.')
        al--;
    if (bl > 0 && b[bl - 1] == '.')
        bl--;
    return al == bl && trpt_ascii_strncasecmp((const char *)c->m + a.off, b, al) == 0;
}

static void put_span(trpt_buf *q, const msg_reader *c, span s)
{
    trpt_buf_put_quoted(q, (const char *)c->m + s.off, s.len, 80);
}

/* The domain a contact-info names: after the last '@' of an address (mailto: or bare), or an https URI's host. */
static int contact_domain(const char *contact, const char **d, size_t *n)
{
    const char *at = strrchr(contact, '@');
    const char *start = at ? at + 1 : NULL;
    if (!start) {
        const char *sep = strstr(contact, "://");
        if (!sep)
            return 0;
        start = sep + 3;
    }
    size_t len = strcspn(start, ">/?:#;, ");
    *d = start;
    *n = len;
    return len > 0;
}

/* Subject, TLS-Report-Domain and TLS-Report-Submitter: present, well-formed, consistent with each other and with
 * the report (RFC 8460 §5.3; the report is authoritative, §5.6). A name is quoted for a finding only when the
 * finding is kept (deviation_kept). */
static void check_metadata(msg_reader *c, const tlsrpt_report *r)
{
    const headers *h = &c->top;
    span sub_domain = {0, 0, 0}, sub_submitter = {0, 0, 0}, hdr_domain = {0, 0, 0}, hdr_submitter = {0, 0, 0};
    size_t at;
    trpt_buf q;
    if (!h->subject.present) {
        deviation_diag(c, "message-subject-invalid", TLSRPT_NO_OFFSET, "The message has no Subject.");
    } else if (!match_subject(c, h->subject, &at, &sub_domain, &sub_submitter)) {
        deviation_diag(c, "message-subject-invalid", at,
                       "The Subject does not follow RFC 8460 §5.3 (\"Report Domain: <domain> Submitter: <domain> "
                       "Report-ID: <id@host>\").");
        sub_domain.present = sub_submitter.present = 0;
    }
    if (!h->report_domain.present)
        deviation_diag(c, "message-header-missing", TLSRPT_NO_OFFSET, "The header field TLS-Report-Domain is missing.");
    else if (header_domain(c, h->report_domain, &hdr_domain) != 0) {
        deviation_diag(c, "message-header-invalid-value", h->report_domain.off,
                       "TLS-Report-Domain does not hold a single domain name.");
        hdr_domain.present = 0;
    }
    if (!h->report_submitter.present)
        deviation_diag(c, "message-header-missing", TLSRPT_NO_OFFSET,
                       "The header field TLS-Report-Submitter is missing.");
    else if (header_domain(c, h->report_submitter, &hdr_submitter) != 0) {
        deviation_diag(c, "message-header-invalid-value", h->report_submitter.off,
                       "TLS-Report-Submitter does not hold a single domain name.");
        hdr_submitter.present = 0;
    }
    if (!r)
        return;
    if (hdr_domain.present && sub_domain.present &&
        !same_name(c, hdr_domain, (const char *)c->m + sub_domain.off, sub_domain.len) && deviation_kept(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, sub_domain);
        deviation_diag(c, "message-header-mismatch", sub_domain.off,
                       "The Subject names the domain \"%s\", TLS-Report-Domain another.", q.data ? q.data : "");
        trpt_buf_free(&q);
    }
    if (hdr_submitter.present && sub_submitter.present &&
        !same_name(c, hdr_submitter, (const char *)c->m + sub_submitter.off, sub_submitter.len) && deviation_kept(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, sub_submitter);
        deviation_diag(c, "message-header-mismatch", sub_submitter.off,
                       "The Subject names the submitter \"%s\", TLS-Report-Submitter another.", q.data ? q.data : "");
        trpt_buf_free(&q);
    }
    if (hdr_domain.present) {
        size_t with_domain = 0, matching = 0;
        for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
            const char *pd = tlsrpt_policy_domain(tlsrpt_report_policy(r, i));
            if (!pd)
                continue;
            with_domain++;
            matching += same_name(c, hdr_domain, pd, strlen(pd));
        }
        if (with_domain > 0 && matching == 0 && deviation_kept(c)) {
            trpt_buf_init(&q);
            put_span(&q, c, hdr_domain);
            deviation_diag(c, "message-header-mismatch", hdr_domain.off,
                           "TLS-Report-Domain \"%s\" is not the policy domain of any policy in the report; the "
                           "report is authoritative (RFC 8460 §5.6).",
                           q.data ? q.data : "");
            trpt_buf_free(&q);
        }
    }
    const char *contact = tlsrpt_report_contact_info(r), *cd;
    size_t cl;
    if (hdr_submitter.present && contact && contact_domain(contact, &cd, &cl) &&
        !same_name(c, hdr_submitter, cd, cl) && deviation_kept(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, hdr_submitter);
        deviation_diag(c, "message-header-mismatch", hdr_submitter.off,
                       "TLS-Report-Submitter \"%s\" is not the domain of the report's contact-info (RFC 8460 §5.3); "
                       "the report is authoritative (RFC 8460 §5.6).",
                       q.data ? q.data : "");
        trpt_buf_free(&q);
    }
}

/* ---- Entry point ---------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_report_parse_message(tlsrpt_report **out, const void *data, size_t len, unsigned flags,
                                           tlsrpt_diag *diag)
{
    size_t work;
    return trpt_report_parse_message_work(out, data, len, flags, diag, &work);
}

int trpt_report_parse_message_work(tlsrpt_report **out, const void *data, size_t len, unsigned flags,
                                   tlsrpt_diag *diag, size_t *work)
{
    *work = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if ((!data && len > 0) || (flags & ~TLSRPT_PARSE_STRICT))
        return TLSRPT_EINVAL;
    msg_reader c;
    memset(&c, 0, sizeof c);
    c.m = data ? data : (const unsigned char *)"";
    c.len = len;
    c.diag = diag;
    c.strict = (flags & TLSRPT_PARSE_STRICT) != 0;
    if (len > TLSRPT_MAX_MESSAGE_SIZE) {
        fatal_diag(&c, TLSRPT_ELIMIT, "message-too-large", TLSRPT_MAX_MESSAGE_SIZE,
                   "The message is %zu bytes, more than the limit of %u bytes.", len,
                   (unsigned)TLSRPT_MAX_MESSAGE_SIZE);
        return c.rc;
    }
    walk_entity(&c, 0, len, 0, 1);
    *work = c.work;
    if (c.rc != TLSRPT_OK)
        return c.rc;
    if (c.best.rank == 0) {
        fatal_diag(&c, TLSRPT_ESEMANTIC, "message-no-report-part", TLSRPT_NO_OFFSET,
                   "The message has no report part (application/tlsrpt+gzip or application/tlsrpt+json, or a "
                   ".json/.json.gz attachment).");
        return c.rc;
    }
    const candidate *b = &c.best;
    int top_is_report = strcmp(c.top_type.type, "multipart") == 0 && strcmp(c.top_type.subtype, "report") == 0 &&
                        strcmp(c.top_type.report_type, "tlsrpt") == 0;
    if (!top_is_report)
        deviation_diag(&c, "message-not-multipart-report", c.top.content_type.present ? c.top.content_type.off : 0,
                       "The message is not multipart/report with report-type=\"tlsrpt\" (RFC 8460 §5.3).");
    if (b->rank > 1)
        deviation_diag(&c, "message-report-type-nonstandard", b->type_at,
                       "The report part is typed %s; RFC 8460 §5.3 registers application/tlsrpt+gzip and "
                       "application/tlsrpt+json.",
                       b->type);
    if (c.candidates > 1)
        info_diag(&c, "message-multiple-report-parts", b->header,
                  "The message has %zu parts that could be the report; the one at this offset is read.",
                  c.candidates);
    const unsigned char *report;
    size_t report_len;
    unsigned char *owned;
    int decoded = c.rc == TLSRPT_OK && decode_part(&c, b, &report, &report_len, &owned) == 0;
    *work = c.work;
    if (!decoded)
        return c.rc;
    int gz = trpt_gzip_detect(report, report_len);
    if ((b->declared == DECLARED_GZIP && !gz) || (b->declared == DECLARED_JSON && gz))
        deviation_diag(&c, "message-report-type-mismatch", b->body,
                       "The report part is declared as %s but holds %s.",
                       b->declared == DECLARED_GZIP ? "gzip" : "JSON", gz ? "gzip" : "something other than gzip");
    tlsrpt_report *r = NULL;
    int rc = c.rc == TLSRPT_OK ? tlsrpt_report_parse(&r, report, report_len, flags, diag) : c.rc;
    free(owned);
    if (rc == TLSRPT_OK || rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ESYNTAX || rc == TLSRPT_ELIMIT)
        if (c.rc == TLSRPT_OK)
            check_metadata(&c, r);
    *work = c.work;
    if (rc == TLSRPT_OK && c.rc != TLSRPT_OK)
        rc = c.rc;
    if (rc == TLSRPT_OK && c.deviation)
        rc = TLSRPT_ESEMANTIC;
    if (rc != TLSRPT_OK) {
        tlsrpt_report_free(r);
        return rc;
    }
    *out = r;
    return TLSRPT_OK;
}
