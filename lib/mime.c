/* libtlsrpt — Internet messages (RFC 5322) and MIME (RFC 2045, 2046, 2231): the writer's helpers and the reader
 * (mime.h). SPDX-License-Identifier: MIT
 *
 * The reader's work is linear: each multipart entity is scanned once line by line for its own boundary (one memchr
 * per line, one comparison of at most 72 bytes per line that starts with "-"), and an entity nested d levels deep
 * is scanned by d enclosing levels, d <= TLSRPT_MAX_MIME_DEPTH. Each header section and header value is read once,
 * in place (an RFC 2231 value a second time when its sections are joined). reader.work counts the bytes examined. */
#include "mime.h"

#include <string.h>

#include "base64.h"
#include "charclass.h"

/* ---- The writer's helpers -------------------------------------------------------------------------------------- */

int trpt_mime_is_printable(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

int trpt_mime_is_dot_atom_text(const char *s, size_t len)
{
    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return 0;
        } else if (!trpt_is_atext((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

void trpt_mime_put_folded(trpt_buf *b, const char *const *tokens, size_t n)
{
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(tokens[i]);
        if (i > 0) {
            if (line + 1 + len > 78) {
                trpt_buf_puts(b, "\r\n ");
                line = 1;
            } else {
                trpt_buf_putc(b, ' ');
                line++;
            }
        }
        trpt_buf_append(b, tokens[i], len);
        line += len;
    }
    trpt_buf_puts(b, "\r\n");
}

/* ---- The reader's findings -------------------------------------------------------------------------------------- */

void trpt_mime_diag_fatal(trpt_mime_reader *r, int rc, const char *id, size_t at, const char *fmt, ...)
{
    if (r->rc == TLSRPT_OK)
        r->rc = rc;
    va_list ap;
    va_start(ap, fmt);
    if (trpt_diag_vadd(r->diag, TLSRPT_SEVERITY_ERROR, id, at, NULL, fmt, ap) != TLSRPT_OK)
        r->rc = TLSRPT_ENOMEM;
    va_end(ap);
}

int trpt_mime_diag_deviation(trpt_mime_reader *r, const char *id, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (trpt_diag_vdeviation(r->diag, r->strict, id, at, NULL, fmt, ap) != TLSRPT_OK && r->rc == TLSRPT_OK)
        r->rc = TLSRPT_ENOMEM;
    va_end(ap);
    if (r->strict)
        r->deviation = 1;
    return r->rc == TLSRPT_OK ? 0 : -1;
}

void trpt_mime_diag_info(trpt_mime_reader *r, const char *id, size_t at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (trpt_diag_vadd(r->diag, TLSRPT_SEVERITY_INFO, id, at, NULL, fmt, ap) != TLSRPT_OK && r->rc == TLSRPT_OK)
        r->rc = TLSRPT_ENOMEM;
    va_end(ap);
}

/* ---- Lines and header sections ---------------------------------------------------------------------------------- */

/* End of the line starting at pos within [.., end): the offset of its '\n', or end. */
static size_t line_end(trpt_mime_reader *c, size_t pos, size_t end)
{
    const unsigned char *nl = memchr(c->m + pos, '\n', end - pos);
    size_t le = nl ? (size_t)(nl - c->m) : end;
    c->work += le - pos + 1;
    return le;
}

/* The line's content end: before a '\r' that precedes the line end. */
static size_t content_end(const trpt_mime_reader *c, size_t pos, size_t le)
{
    return le > pos && c->m[le - 1] == '\r' ? le - 1 : le;
}

static int field_name_is(const trpt_mime_reader *c, size_t at, size_t n, const char *name)
{
    return strlen(name) == n && trpt_ascii_strncasecmp((const char *)c->m + at, name, n) == 0;
}

/* Scans the header section of the entity [start, end): field count and length within their limits, every line a
 * field ("name:"), a continuation (leading WSP) or the empty line that ends the section. Fills h (spans of the
 * values: after the colon up to the end of the field's last line; in the top-level section also the fields named in
 * c->top_fields). Returns 0, or -1 after a fatal finding.
 *
 * In the top-level header a line that is none of these is fatal. In the header section of a body part (or of an
 * attached message) it is a deviation: the section ends before that line and the body starts with it, as RFC 5322
 * readers such as Python's email package read it (a missing blank line, a stray line, "Content-Type :"); the
 * fields before it are used. */
static int scan_headers(trpt_mime_reader *c, size_t start, size_t end, int top, trpt_mime_headers *h)
{
    memset(h, 0, sizeof *h);
    h->body = end;
    size_t pos = start, fields = 0, field_start = 0;
    trpt_mime_span *current = NULL; /* the remembered value the current field fills, or NULL */
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
                    if (trpt_mime_diag_deviation(c, "message-part-header-malformed", pos,
                                                 "A body part's header section starts with a continuation line (leading "
                                                 "white space); the part's body is taken to start there.") != 0)
                        return -1;
                    h->body = pos;
                    return 0;
                }
                trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-header-invalid", pos,
                                     "A header section starts with a continuation line (leading white space).");
                return -1;
            }
        } else {
            size_t colon = pos;
            while (colon < ce && c->m[colon] != ':' && c->m[colon] > 32 && c->m[colon] < 127)
                colon++;
            if (colon == ce || c->m[colon] != ':' || colon == pos) {
                if (top && fields == 0 && pos == start && ce - pos >= 5 && memcmp(c->m + pos, "From ", 5) == 0) {
                    trpt_mime_diag_info(c, "message-mbox-from-line", pos,
                                        "The message starts with an mbox \"From \" line; it is skipped.");
                    pos = next;
                    continue;
                }
                size_t at = colon < ce ? colon : pos;
                trpt_buf q;
                trpt_buf_init(&q);
                if (top || trpt_mime_diag_deviation_keeps(c))
                    trpt_buf_put_quoted(&q, (const char *)c->m + pos, ce - pos, 40);
                if (!top) {
                    int stop = trpt_mime_diag_deviation(c, "message-part-header-malformed", at,
                                                        "The line \"%s\" in a body part's header section is not a field "
                                                        "(name, then ':'); the part's body is taken to start there.",
                                                        q.data ? q.data : "");
                    trpt_buf_free(&q);
                    if (stop)
                        return -1;
                    h->body = pos;
                    return 0;
                }
                trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-header-invalid", at,
                                     "The header line \"%s\" is not a field (name, then ':').", q.data ? q.data : "");
                trpt_buf_free(&q);
                return -1;
            }
            if (++fields > TLSRPT_MAX_HEADER_FIELDS) {
                trpt_mime_diag_fatal(c, TLSRPT_ELIMIT, "message-too-many-headers", pos,
                                     "A header section has more than %u fields.", (unsigned)TLSRPT_MAX_HEADER_FIELDS);
                return -1;
            }
            in_field = 1;
            field_start = pos;
            size_t n = colon - pos;
            trpt_mime_span *s = NULL;
            if (field_name_is(c, pos, n, "Content-Type"))
                s = &h->content_type;
            else if (field_name_is(c, pos, n, "Content-Transfer-Encoding"))
                s = &h->cte;
            else if (field_name_is(c, pos, n, "Content-Disposition"))
                s = &h->disposition;
            for (size_t i = 0; top && !s && i < c->n_top_fields; i++)
                if (field_name_is(c, pos, n, c->top_fields[i]))
                    s = &h->top[i];
            current = s && !s->present ? s : NULL;
            if (current) {
                current->present = 1;
                current->off = colon + 1;
            }
        }
        if (ce - field_start > TLSRPT_MAX_HEADER_LENGTH) {
            trpt_mime_diag_fatal(c, TLSRPT_ELIMIT, "message-header-too-long", field_start,
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

trpt_mime_cursor trpt_mime_span_cursor(trpt_mime_reader *c, trpt_mime_span s)
{
    trpt_mime_cursor k = {c->m, s.off, s.off + s.len};
    c->work += s.len;
    return k;
}

void trpt_mime_skip_cfws(trpt_mime_cursor *k)
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
static size_t read_token(trpt_mime_cursor *k, char *out, size_t max, int lower)
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
static int read_value(trpt_mime_cursor *k, char *out, size_t max, size_t *n, int *overflow)
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
static void skip_to_semicolon(trpt_mime_cursor *k)
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
static int param_junk(trpt_mime_reader *c, trpt_mime_cursor *k, param_findings *f, size_t at, const char *why)
{
    skip_to_semicolon(k);
    if (f->junk)
        return 0;
    f->junk = 1;
    return trpt_mime_diag_deviation(c, "message-param-junk", at, "%s; it is skipped up to the next ';'.", why);
}

/* Reads a value (validated before) of the field that ends at `end` and appends it to p's value, %XX-decoded for an
 * extended section. A raw value is taken as written, without the line breaks of folding. */
static void param_append(trpt_mime_reader *c, param *p, param_value value, size_t end, int extended, int first)
{
    size_t before = p->n;
    if (value.raw) {
        for (size_t i = value.at; i < value.end; i++)
            if (c->m[i] != '\r' && c->m[i] != '\n')
                value_put(p->out, p->max, &p->n, &p->overflow, c->m[i]);
        c->work += value.end - value.at;
    } else {
        trpt_mime_cursor v = {c->m, value.at, end};
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
static int read_params(trpt_mime_reader *c, trpt_mime_cursor *k, param *params, size_t n_params)
{
    param_findings f = {0, 0, 0, 0};
    for (;;) {
        trpt_mime_skip_cfws(k);
        if (k->pos >= k->end)
            break;
        if (k->m[k->pos] != ';') {
            if (param_junk(c, k, &f, k->pos,
                           "Text after a quoted parameter value (or after the type) is not a parameter"))
                return -1;
            continue;
        }
        k->pos++;
        trpt_mime_skip_cfws(k);
        if (k->pos >= k->end)
            break; /* a trailing ';' */
        size_t name_at = k->pos;
        param_value value = {0, 0, 0};
        char name[TRPT_MIME_TOKEN_MAX + 1];
        int ok = read_token(k, name, TRPT_MIME_TOKEN_MAX, 1) > 0;
        if (ok) {
            trpt_mime_skip_cfws(k);
            ok = k->pos < k->end && k->m[k->pos] == '=';
        }
        if (ok) {
            k->pos++;
            trpt_mime_skip_cfws(k);
            value.at = k->pos;
            if (k->pos < k->end && k->m[k->pos] == '"') {
                size_t none = 0;
                int overflow = 0;
                ok = read_value(k, NULL, 0, &none, &overflow) == 0;
            } else {
                size_t token = read_token(k, NULL, 0, 0);
                trpt_mime_cursor after = *k;
                trpt_mime_skip_cfws(&after);
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
                        if (trpt_mime_diag_deviation(c, "message-param-unquoted", after.pos,
                                                     "A parameter value holds a character that RFC 2045 §5.1 "
                                                     "allows only in a quoted string; the value is read up to the "
                                                     "next ';'."))
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
                        if (trpt_mime_diag_deviation(c, "message-param-repeated", name_at,
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
                if (trpt_mime_diag_deviation(c, "message-param-sections-invalid", name_at,
                                             "The RFC 2231 section number of \"%s\" has a leading zero (RFC 2231 "
                                             "§3); it is read as the number %zu.", name, number))
                    return -1;
            }
            param_section *sec = &p->sections[number];
            if (sec->present) {
                if (!f.repeated) {
                    f.repeated = 1;
                    if (trpt_mime_diag_deviation(c, "message-param-repeated", name_at,
                                                 "The RFC 2231 section %zu of \"%s\" is given more than once; the "
                                                 "first is used.", number, p->name))
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
                    if (trpt_mime_diag_deviation(c, "message-param-sections-invalid", sec->name_at,
                                                 "The RFC 2231 sections of \"%s\" have no section %zu (RFC 2231 "
                                                 "§3); the sections present are joined in number order.", p->name,
                                                 next))
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
static int parse_content_type(trpt_mime_reader *c, trpt_mime_span s, trpt_mime_content_type *ct)
{
    memset(ct, 0, sizeof *ct);
    if (!s.present) {
        strcpy(ct->type, "text");
        strcpy(ct->subtype, "plain");
        return 0;
    }
    trpt_mime_cursor k = trpt_mime_span_cursor(c, s);
    trpt_mime_skip_cfws(&k);
    if (read_token(&k, ct->type, TRPT_MIME_TOKEN_MAX, 1) == 0)
        return 0;
    trpt_mime_skip_cfws(&k);
    if (k.pos >= k.end || k.m[k.pos] != '/') {
        ct->type[0] = '\0';
        return 0;
    }
    k.pos++;
    trpt_mime_skip_cfws(&k);
    if (read_token(&k, ct->subtype, TRPT_MIME_TOKEN_MAX, 1) == 0) {
        ct->type[0] = '\0';
        return 0;
    }
    char boundary[TRPT_MIME_BOUNDARY_MAX + 2];
    param params[3];
    param_init(&params[0], "boundary", boundary, TRPT_MIME_BOUNDARY_MAX + 1);
    param_init(&params[1], "report-type", ct->report_type, TRPT_MIME_TOKEN_MAX);
    param_init(&params[2], "name", ct->name, TRPT_MIME_FILENAME_MAX);
    if (read_params(c, &k, params, sizeof params / sizeof params[0]) != 0)
        return -1;
    ct->report_type[params[1].overflow ? 0 : params[1].n] = '\0';
    for (size_t i = 0; ct->report_type[i]; i++)
        ct->report_type[i] = (char)trpt_ascii_lower((unsigned char)ct->report_type[i]);
    ct->name[params[2].overflow ? 0 : params[2].n] = '\0';
    if (strcmp(ct->type, "multipart") != 0)
        return 0;
    if (!params[0].seen) {
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
                             "A multipart Content-Type has no boundary parameter.");
        return -1;
    }
    size_t n = params[0].n;
    if (params[0].overflow || n > TRPT_MIME_BOUNDARY_MAX || n == 0) {
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
                             "A multipart boundary must be 1 to 70 characters long (RFC 2046 §5.1.1).");
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)boundary[i];
        int bchar = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                    strchr("'()+_,-./:=? ", ch) != NULL;
        if (!bchar || ch == '\0' || (ch == ' ' && i + 1 == n)) {
            trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-mime-invalid", s.off,
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

int trpt_mime_part_filename(trpt_mime_reader *c, const trpt_mime_headers *h, const trpt_mime_content_type *ct,
                            char *out)
{
    out[0] = '\0';
    if (h->disposition.present) {
        trpt_mime_cursor k = trpt_mime_span_cursor(c, h->disposition);
        trpt_mime_skip_cfws(&k);
        if (read_token(&k, NULL, 0, 0) > 0) {
            param p;
            param_init(&p, "filename", out, TRPT_MIME_FILENAME_MAX);
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

/* ---- The walk ------------------------------------------------------------------------------------------------- */

static void walk_entity(trpt_mime_reader *c, size_t start, size_t end, size_t depth, int top);

/* 1 if the line [pos, le) is "--" boundary ["--"] followed only by white space; *close says whether "--" followed. */
static int is_delimiter(trpt_mime_reader *c, size_t pos, size_t le, const trpt_mime_content_type *ct, int *close)
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

/* The end of a body part that a delimiter line (or the end of the entity, standing for a missing one) at `delim`
 * follows: the line break right before it belongs to the delimiter (RFC 2046 §5.1.1), not to the part. */
static size_t part_end(const trpt_mime_reader *c, size_t part_start, size_t delim)
{
    size_t pe = delim;
    if (pe > part_start && c->m[pe - 1] == '\n')
        pe--;
    if (pe > part_start && c->m[pe - 1] == '\r')
        pe--;
    return pe;
}

static void walk_multipart(trpt_mime_reader *c, size_t start, size_t end, size_t depth,
                           const trpt_mime_content_type *ct)
{
    enum { PREAMBLE, IN_PART, CLOSED } state = PREAMBLE;
    size_t part_start = start, pos = start;
    while (pos < end && state != CLOSED) {
        size_t le = line_end(c, pos, end);
        int close;
        if (c->m[pos] == '-' && is_delimiter(c, pos, le, ct, &close)) {
            if (state == IN_PART) {
                walk_entity(c, part_start, part_end(c, part_start, pos), depth, 0);
                if (c->rc != TLSRPT_OK)
                    return;
            }
            if (close) {
                if (state == PREAMBLE) {
                    trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-mime-invalid", pos,
                                         "A multipart entity has no body part before its closing delimiter.");
                    return;
                }
                state = CLOSED;
            } else {
                if (++c->parts > TLSRPT_MAX_MIME_PARTS) {
                    trpt_mime_diag_fatal(c, TLSRPT_ELIMIT, "message-too-many-parts", pos,
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
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-mime-invalid", start,
                             "A multipart entity has no delimiter line \"--%s\".", ct->boundary);
    } else if (state == IN_PART) {
        /* No closing delimiter (a truncated message, or a sender that never writes it): the open part runs to the
         * end of the entity, as mail readers read it. The end stands for the missing delimiter line, so a line
         * break right before it is the delimiter's (RFC 2046 §5.1.1), not the part's. */
        walk_entity(c, part_start, part_end(c, part_start, end), depth, 0);
        if (c->rc == TLSRPT_OK)
            (void)trpt_mime_diag_deviation(c, "message-multipart-unterminated", end,
                                           "A multipart entity ends without its closing delimiter \"--%s--\" "
                                           "(truncated message?); its last part is read up to the end.",
                                           ct->boundary);
    }
}

static void walk_entity(trpt_mime_reader *c, size_t start, size_t end, size_t depth, int top)
{
    trpt_mime_headers h;
    if (scan_headers(c, start, end, top, &h) != 0)
        return;
    trpt_mime_content_type ct;
    if (parse_content_type(c, h.content_type, &ct) != 0)
        return;
    if (top) {
        c->top = h;
        c->top_type = ct;
    }
    int multipart = strcmp(ct.type, "multipart") == 0;
    int message = strcmp(ct.type, "message") == 0 &&
                  (strcmp(ct.subtype, "rfc822") == 0 || strcmp(ct.subtype, "global") == 0) &&
                  trpt_mime_cte(c, h.cte) == TRPT_MIME_CTE_IDENTITY;
    if (multipart || message) {
        if (depth + 1 > TLSRPT_MAX_MIME_DEPTH) {
            trpt_mime_diag_fatal(c, TLSRPT_ELIMIT, "message-depth-limit", h.content_type.off,
                                 "MIME entities are nested more than %u levels deep.", (unsigned)TLSRPT_MAX_MIME_DEPTH);
            return;
        }
        if (multipart)
            walk_multipart(c, h.body, end, depth + 1, &ct);
        else
            walk_entity(c, h.body, end, depth + 1, 0);
        return;
    }
    if (c->leaf) {
        trpt_mime_part part = {start, end, &h, &ct};
        c->leaf(c, &part, c->ctx);
    }
}

void trpt_mime_reader_init(trpt_mime_reader *r, const void *m, size_t len, tlsrpt_diag *diag, int strict)
{
    memset(r, 0, sizeof *r);
    r->m = m ? m : (const unsigned char *)"";
    r->len = len;
    r->diag = diag;
    r->strict = strict;
}

void trpt_mime_walk(trpt_mime_reader *r)
{
    memset(&r->top, 0, sizeof r->top);
    memset(&r->top_type, 0, sizeof r->top_type);
    if (r->n_top_fields > TRPT_MIME_TOP_FIELDS)
        r->n_top_fields = TRPT_MIME_TOP_FIELDS;
    walk_entity(r, 0, r->len, 0, 1);
}

/* ---- Transfer encodings --------------------------------------------------------------------------------------- */

int trpt_mime_cte(trpt_mime_reader *c, trpt_mime_span cte)
{
    if (!cte.present)
        return TRPT_MIME_CTE_IDENTITY;
    trpt_mime_cursor k = trpt_mime_span_cursor(c, cte);
    trpt_mime_skip_cfws(&k);
    char name[TRPT_MIME_TOKEN_MAX + 1];
    if (read_token(&k, name, TRPT_MIME_TOKEN_MAX, 1) == 0)
        return TRPT_MIME_CTE_UNKNOWN;
    if (strcmp(name, "7bit") == 0 || strcmp(name, "8bit") == 0 || strcmp(name, "binary") == 0)
        return TRPT_MIME_CTE_IDENTITY;
    if (strcmp(name, "base64") == 0)
        return TRPT_MIME_CTE_BASE64;
    if (strcmp(name, "quoted-printable") == 0)
        return TRPT_MIME_CTE_QP;
    return TRPT_MIME_CTE_UNKNOWN;
}

/* Appends a decoded byte: 0, or -1 when out (max bytes) is full. */
static int out_put(unsigned char *out, size_t max, size_t *n, unsigned char ch)
{
    if (*n >= max)
        return -1;
    out[(*n)++] = ch;
    return 0;
}

/* base64's junk callback: the deviation finding, at its offset in the message. */
typedef struct base64_junk_ctx {
    trpt_mime_reader *c;
    size_t start;
} base64_junk_ctx;

static int base64_junk(void *ctx, size_t at, unsigned char byte)
{
    base64_junk_ctx *j = ctx;
    return trpt_mime_diag_deviation(j->c, "message-base64-junk", j->start + at,
                                    "The byte 0x%02x is not a base64 character; it is skipped (RFC 2045 §6.8).", byte);
}

/* A base64 body (trpt_base64_decode: RFC 2045 §6.8, bytes outside the alphabet skipped with one deviation finding
 * per part, in strict mode an ERROR). Wrong padding, data after padding or a text that ends inside a group is an
 * error in both modes. */
static int decode_base64(trpt_mime_reader *c, size_t start, size_t end, unsigned char *out, size_t max, size_t *n)
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
        return TRPT_MIME_DECODE_FULL;
    case TRPT_BASE64_PAD_MISPLACED:
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at,
                             "Base64 padding '=' where a data character must be.");
        return -1;
    case TRPT_BASE64_PAD_EXCESS:
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at, "Too much base64 padding '='.");
        return -1;
    case TRPT_BASE64_DATA_AFTER_PAD:
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at,
                             "Base64 data (0x%02x) after padding.", c->m[start + at]);
        return -1;
    default:
        trpt_mime_diag_fatal(c, TLSRPT_ESYNTAX, "message-base64-invalid", start + at,
                             "The base64 text ends inside a 4-character group (truncated?).");
        return -1;
    }
}

/* RFC 2045 §6.7: "=XX" (either case), soft line breaks "=" *WSP EOL, trailing white space of each line dropped.
 * A lone "=" is kept as written with a deviation finding (RFC 2045 §6.7 note 1 asks decoders to be robust). */
static int decode_qp(trpt_mime_reader *c, size_t start, size_t end, unsigned char *out, size_t max, size_t *n)
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
                if (out_put(out, max, n, ch))
                    return TRPT_MIME_DECODE_FULL;
                continue;
            }
            if (i + 1 == te) {
                soft = 1;
                break;
            }
            int h1 = trpt_hex_value(c->m[i + 1]); /* i + 1 < te: a '=' at te - 1 is the soft break above */
            int h2 = h1 >= 0 && i + 2 < te ? trpt_hex_value(c->m[i + 2]) : -1;
            if (h1 >= 0 && h2 >= 0) {
                if (out_put(out, max, n, (unsigned char)(h1 * 16 + h2)))
                    return TRPT_MIME_DECODE_FULL;
                i += 2;
                continue;
            }
            if (!reported) {
                (void)trpt_mime_diag_deviation(c, "message-qp-invalid", i,
                                               "'=' not followed by two hex digits or a line break in quoted-printable "
                                               "text; kept as written.");
                reported = 1;
            }
            if (out_put(out, max, n, ch))
                return TRPT_MIME_DECODE_FULL;
        }
        if (le < end && !soft) {
            for (size_t i = ce; i <= le; i++)
                if (out_put(out, max, n, c->m[i]))
                    return TRPT_MIME_DECODE_FULL;
        }
        pos = le < end ? le + 1 : end;
    }
    return 0;
}


int trpt_mime_decode(trpt_mime_reader *r, int cte, size_t start, size_t end, unsigned char *out, size_t max,
                     size_t *n)
{
    *n = 0;
    return cte == TRPT_MIME_CTE_BASE64 ? decode_base64(r, start, end, out, max, n)
                                       : decode_qp(r, start, end, out, max, n);
}
