/* libtlsrpt — reading a TLS report e-mail (RFC 8460 §5.3): the report part chosen among the leaf parts of the MIME
 * walk (mime.c), decoded, read through tlsrpt_report_parse(), and the §5.3 metadata checked against it.
 * SPDX-License-Identifier: MIT
 *
 * The message is never copied: the MIME reader (mime.h) scans it in place and hands each leaf part over with spans
 * of its header fields; this file remembers only the best report part so far (offsets) and the top-level Subject,
 * TLS-Report-Domain and TLS-Report-Submitter (spans the reader keeps for it). The only allocation that scales with
 * the input is the decoded report part, and it is capped at TLSRPT_MAX_REPORT_SIZE. The work is the reader's
 * (mime.h), plus one reading of the report part and of the metadata fields; reader.work counts it all, and
 * tests/test_report_message.c (cost_is_linear) holds it to a linear bound on the worst shapes.
 *
 * MIME is read leniently (mime.h), each case a deviation with its own id (WARNING; in strict mode an ERROR, and the
 * parse fails with TLSRPT_ESEMANTIC): doc/report-parsing.md, "Report e-mails: the MIME reader". The report-level
 * findings of this file go through the same reader, so that a message read has one status.
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
#include "charclass.h"
#include "gzip.h"
#include "mime.h"
#include "domain.h"
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef trpt_mime_span span;
typedef trpt_mime_cursor cursor;

enum { DECLARED_UNKNOWN = 0, DECLARED_GZIP = 1, DECLARED_JSON = 2 };

typedef struct candidate {
    int rank;            /* 0: none yet */
    size_t header;       /* offset of the part's first header byte */
    size_t type_at;      /* offset of its Content-Type value */
    size_t body, end;    /* the encoded content */
    span cte;
    int declared;        /* DECLARED_* */
    char type[2 * TRPT_MIME_TOKEN_MAX + 2];
} candidate;

/* The top-level fields of RFC 8460 §5.3 the reader keeps for the metadata checks, by their index in top.top[]. */
enum { FIELD_SUBJECT, FIELD_REPORT_DOMAIN, FIELD_REPORT_SUBMITTER, FIELD_COUNT };
static const char *const top_fields[FIELD_COUNT] = {"Subject", "TLS-Report-Domain", "TLS-Report-Submitter"};

typedef struct msg_reader {
    trpt_mime_reader mime; /* the message, the findings and the status (mime.h) */
    candidate best;
    size_t candidates;
} msg_reader;

/* ---- Choosing the report part ----------------------------------------------------------------------------------- */

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n > k && trpt_ascii_strcasecmp(s + n - k, suffix) == 0;
}

/* The walk's leaf callback: considers a leaf part as the report part. */
static void consider_part(trpt_mime_reader *r, const trpt_mime_part *part, void *ctx)
{
    msg_reader *c = ctx;
    const trpt_mime_headers *h = part->headers;
    const trpt_mime_content_type *ct = part->type;
    int rank = 0, declared = DECLARED_UNKNOWN;
    char filename[TRPT_MIME_FILENAME_MAX + 1];
    if (trpt_mime_part_filename(r, h, ct, filename) != 0)
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
    b->header = part->start;
    b->type_at = h->content_type.off;
    b->body = h->body;
    b->end = part->end;
    b->cte = h->cte;
    b->declared = declared;
    snprintf(b->type, sizeof b->type, "%s/%s", ct->type, ct->subtype);
}

/* ---- Decoding the report part ------------------------------------------------------------------------------- */

static void report_too_large(msg_reader *c, size_t body)
{
    trpt_mime_diag_fatal(&c->mime, TLSRPT_ELIMIT, "message-report-too-large", body,
                         "The decoded report part is more than %u bytes.", (unsigned)TLSRPT_MAX_REPORT_SIZE);
}

/* Decodes the chosen part. *data is borrowed from the message (identity encodings) or allocated (*owned). */
static int decode_part(msg_reader *c, const candidate *b, const unsigned char **data, size_t *len,
                       unsigned char **owned)
{
    *owned = NULL;
    int cte = trpt_mime_cte(&c->mime, b->cte);
    size_t in = b->end > b->body ? b->end - b->body : 0;
    if (cte == TRPT_MIME_CTE_IDENTITY) {
        if (in > TLSRPT_MAX_REPORT_SIZE) {
            report_too_large(c, b->body);
            return -1;
        }
        *data = c->mime.m + b->body;
        *len = in;
        return 0;
    }
    if (cte == TRPT_MIME_CTE_UNKNOWN) {
        trpt_mime_diag_fatal(&c->mime, TLSRPT_EUNSUPPORTED, "message-encoding-unknown",
                             b->cte.present ? b->cte.off : b->header,
                             "The report part's Content-Transfer-Encoding is not 7bit, 8bit, binary, base64 or "
                             "quoted-printable.");
        return -1;
    }
    size_t cap = cte == TRPT_MIME_CTE_BASE64 ? in / 4 * 3 + 3 : in;
    if (cap > TLSRPT_MAX_REPORT_SIZE)
        cap = TLSRPT_MAX_REPORT_SIZE;
    unsigned char *out = malloc(cap ? cap : 1);
    if (!out) {
        c->mime.rc = TLSRPT_ENOMEM;
        return -1;
    }
    size_t n = 0;
    int rc = trpt_mime_decode(&c->mime, cte, b->body, b->end, out, cap, &n);
    if (rc != 0) {
        if (rc == TRPT_MIME_DECODE_FULL) /* only when cap is the limit: the cap above fits any decoded body */
            report_too_large(c, b->body);
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
static int match_subject(trpt_mime_reader *c, span s, size_t *at, span *domain, span *submitter)
{
    cursor k = trpt_mime_span_cursor(c, s);
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
        trpt_mime_skip_cfws(&k);
        ok = k.pos == k.end;
    }
    *at = k.pos;
    return ok;
}

/* The value of a header that holds one domain name: CFWS, the name, CFWS. Returns 0 or -1 (not a single token). */
static int header_domain(trpt_mime_reader *c, span s, span *out)
{
    cursor k = trpt_mime_span_cursor(c, s);
    trpt_mime_skip_cfws(&k);
    size_t start = k.pos;
    while (k.pos < k.end && k.m[k.pos] > 32 && k.m[k.pos] < 127 && k.m[k.pos] != '(')
        k.pos++;
    out->off = start;
    out->len = k.pos - start;
    out->present = 1;
    trpt_mime_skip_cfws(&k);
    return out->len > 0 && k.pos == k.end ? 0 : -1;
}

/* 1 if s[0..n) may be spelt otherwise under the IDN rule: a byte of UTF-8, or an "xn--" label. */
static int may_be_idn(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] >= 0x80)
            return 1;
        if ((i == 0 || s[i - 1] == '.') && n - i >= 4 && trpt_ascii_strncasecmp(s + i, "xn--", 4) == 0)
            return 1;
    }
    return 0;
}

/* The A-label form of s[0..n) under the library's one rule (domain.h), new; NULL when it is not a domain name (or
 * memory runs out: the caller then warns about a mismatch, which costs the report nothing). Texts longer than
 * any convertible name are not copied. */
static char *alabel_of(const char *s, size_t n)
{
    if (n > 4 * TRPT_DOMAIN_MAX_LENGTH + 1)
        return NULL;
    char *copy = trpt_strndup(s, n), *out = NULL;
    if (copy && trpt_domain_to_alabel(copy, 1, &out) != TLSRPT_OK)
        out = NULL;
    free(copy);
    return out;
}

/* Equality of a name in the message and a C string: ASCII case-insensitive, a trailing dot on either side ignored,
 * and, when either may be an IDN, the A-label forms (tlsrpt_report_to_message writes the A-labels of a U-label name
 * the report holds). a_alabel is alabel_of(the span), computed once by the caller (NULL: not a domain). */
static int same_name(const trpt_mime_reader *c, span a, const char *a_alabel, const char *b, size_t bl)
{
    size_t al = a.len;
    if (al > 0 && c->m[a.off + al - 1] == '.')
        al--;
    if (bl > 0 && b[bl - 1] == '.')
        bl--;
    const char *as = (const char *)c->m + a.off;
    if (al == bl && trpt_ascii_strncasecmp(as, b, al) == 0)
        return 1;
    if (!a_alabel || (!may_be_idn(b, bl) && !may_be_idn(a_alabel, strlen(a_alabel))))
        return 0;
    char *b_alabel = alabel_of(b, bl);
    int same = b_alabel && strcmp(a_alabel, b_alabel) == 0;
    free(b_alabel);
    return same;
}

static void put_span(trpt_buf *q, const trpt_mime_reader *c, span s)
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
 * finding is kept (trpt_mime_diag_deviation_keeps). */
static void check_metadata(trpt_mime_reader *c, const tlsrpt_report *r)
{
    const trpt_mime_headers *h = &c->top;
    span subject = h->top[FIELD_SUBJECT], domain = h->top[FIELD_REPORT_DOMAIN];
    span submitter = h->top[FIELD_REPORT_SUBMITTER];
    span sub_domain = {0, 0, 0}, sub_submitter = {0, 0, 0}, hdr_domain = {0, 0, 0}, hdr_submitter = {0, 0, 0};
    size_t at;
    trpt_buf q;
    if (!subject.present) {
        (void)trpt_mime_diag_deviation(c, "message-subject-invalid", TLSRPT_NO_OFFSET, "The message has no Subject.");
    } else if (!match_subject(c, subject, &at, &sub_domain, &sub_submitter)) {
        (void)trpt_mime_diag_deviation(c, "message-subject-invalid", at,
                                       "The Subject does not follow RFC 8460 §5.3 (\"Report Domain: <domain> "
                                       "Submitter: <domain> Report-ID: <id@host>\").");
        sub_domain.present = sub_submitter.present = 0;
    }
    if (!domain.present)
        (void)trpt_mime_diag_deviation(c, "message-header-missing", TLSRPT_NO_OFFSET,
                                       "The header field TLS-Report-Domain is missing.");
    else if (header_domain(c, domain, &hdr_domain) != 0) {
        (void)trpt_mime_diag_deviation(c, "message-header-invalid-value", domain.off,
                                       "TLS-Report-Domain does not hold a single domain name.");
        hdr_domain.present = 0;
    }
    if (!submitter.present)
        (void)trpt_mime_diag_deviation(c, "message-header-missing", TLSRPT_NO_OFFSET,
                                       "The header field TLS-Report-Submitter is missing.");
    else if (header_domain(c, submitter, &hdr_submitter) != 0) {
        (void)trpt_mime_diag_deviation(c, "message-header-invalid-value", submitter.off,
                                       "TLS-Report-Submitter does not hold a single domain name.");
        hdr_submitter.present = 0;
    }
    if (!r)
        return;
    /* The headers' A-label forms, once: the domain is compared with every policy. */
    char *hdr_domain_a = hdr_domain.present ? alabel_of((const char *)c->m + hdr_domain.off, hdr_domain.len) : NULL;
    char *hdr_submitter_a =
        hdr_submitter.present ? alabel_of((const char *)c->m + hdr_submitter.off, hdr_submitter.len) : NULL;
    if (hdr_domain.present && sub_domain.present &&
        !same_name(c, hdr_domain, hdr_domain_a, (const char *)c->m + sub_domain.off, sub_domain.len) &&
        trpt_mime_diag_deviation_keeps(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, sub_domain);
        (void)trpt_mime_diag_deviation(c, "message-header-mismatch", sub_domain.off,
                                       "The Subject names the domain \"%s\", TLS-Report-Domain another.",
                                       q.data ? q.data : "");
        trpt_buf_free(&q);
    }
    if (hdr_submitter.present && sub_submitter.present &&
        !same_name(c, hdr_submitter, hdr_submitter_a, (const char *)c->m + sub_submitter.off, sub_submitter.len) &&
        trpt_mime_diag_deviation_keeps(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, sub_submitter);
        (void)trpt_mime_diag_deviation(c, "message-header-mismatch", sub_submitter.off,
                                       "The Subject names the submitter \"%s\", TLS-Report-Submitter another.",
                                       q.data ? q.data : "");
        trpt_buf_free(&q);
    }
    if (hdr_domain.present) {
        size_t with_domain = 0, matching = 0;
        for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
            const char *pd = tlsrpt_policy_domain(tlsrpt_report_policy(r, i));
            if (!pd)
                continue;
            with_domain++;
            if (!matching) /* one match settles it */
                matching += same_name(c, hdr_domain, hdr_domain_a, pd, strlen(pd));
        }
        if (with_domain > 0 && matching == 0 && trpt_mime_diag_deviation_keeps(c)) {
            trpt_buf_init(&q);
            put_span(&q, c, hdr_domain);
            (void)trpt_mime_diag_deviation(c, "message-header-mismatch", hdr_domain.off,
                                           "TLS-Report-Domain \"%s\" is not the policy domain of any policy in the "
                                           "report; the report is authoritative (RFC 8460 §5.6).",
                                           q.data ? q.data : "");
            trpt_buf_free(&q);
        }
    }
    const char *contact = tlsrpt_report_contact_info(r), *cd;
    size_t cl;
    if (hdr_submitter.present && contact && contact_domain(contact, &cd, &cl) &&
        !same_name(c, hdr_submitter, hdr_submitter_a, cd, cl) && trpt_mime_diag_deviation_keeps(c)) {
        trpt_buf_init(&q);
        put_span(&q, c, hdr_submitter);
        (void)trpt_mime_diag_deviation(c, "message-header-mismatch", hdr_submitter.off,
                                       "TLS-Report-Submitter \"%s\" is not the domain of the report's contact-info "
                                       "(RFC 8460 §5.3); the report is authoritative (RFC 8460 §5.6).",
                                       q.data ? q.data : "");
        trpt_buf_free(&q);
    }
    free(hdr_domain_a);
    free(hdr_submitter_a);
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
    trpt_mime_reader *m = &c.mime;
    trpt_mime_reader_init(m, data, len, diag, (flags & TLSRPT_PARSE_STRICT) != 0);
    m->top_fields = top_fields;
    m->n_top_fields = FIELD_COUNT;
    m->leaf = consider_part;
    m->ctx = &c;
    if (len > TLSRPT_MAX_MESSAGE_SIZE) {
        trpt_mime_diag_fatal(m, TLSRPT_ELIMIT, "message-too-large", TLSRPT_MAX_MESSAGE_SIZE,
                             "The message is %zu bytes, more than the limit of %u bytes.", len,
                             (unsigned)TLSRPT_MAX_MESSAGE_SIZE);
        return m->rc;
    }
    trpt_mime_walk(m);
    *work = m->work;
    if (m->rc != TLSRPT_OK)
        return m->rc;
    if (c.best.rank == 0) {
        trpt_mime_diag_fatal(m, TLSRPT_ESEMANTIC, "message-no-report-part", TLSRPT_NO_OFFSET,
                             "The message has no report part (application/tlsrpt+gzip or application/tlsrpt+json, or a "
                             ".json/.json.gz attachment).");
        return m->rc;
    }
    const candidate *b = &c.best;
    int top_is_report = strcmp(m->top_type.type, "multipart") == 0 && strcmp(m->top_type.subtype, "report") == 0 &&
                        strcmp(m->top_type.report_type, "tlsrpt") == 0;
    if (!top_is_report)
        (void)trpt_mime_diag_deviation(m, "message-not-multipart-report",
                                       m->top.content_type.present ? m->top.content_type.off : 0,
                                       "The message is not multipart/report with report-type=\"tlsrpt\" (RFC 8460 "
                                       "§5.3).");
    if (b->rank > 1)
        (void)trpt_mime_diag_deviation(m, "message-report-type-nonstandard", b->type_at,
                                       "The report part is typed %s; RFC 8460 §5.3 registers "
                                       "application/tlsrpt+gzip and application/tlsrpt+json.",
                                       b->type);
    if (c.candidates > 1)
        trpt_mime_diag_info(m, "message-multiple-report-parts", b->header,
                            "The message has %zu parts that could be the report; the one at this offset is read.",
                            c.candidates);
    const unsigned char *report;
    size_t report_len;
    unsigned char *owned;
    int decoded = m->rc == TLSRPT_OK && decode_part(&c, b, &report, &report_len, &owned) == 0;
    *work = m->work;
    if (!decoded)
        return m->rc;
    int gz = trpt_gzip_detect(report, report_len);
    if ((b->declared == DECLARED_GZIP && !gz) || (b->declared == DECLARED_JSON && gz))
        (void)trpt_mime_diag_deviation(m, "message-report-type-mismatch", b->body,
                                       "The report part is declared as %s but holds %s.",
                                       b->declared == DECLARED_GZIP ? "gzip" : "JSON",
                                       gz ? "gzip" : "something other than gzip");
    tlsrpt_report *r = NULL;
    int rc = m->rc == TLSRPT_OK ? tlsrpt_report_parse(&r, report, report_len, flags, diag) : m->rc;
    free(owned);
    if (rc == TLSRPT_OK || rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ESYNTAX || rc == TLSRPT_ELIMIT)
        if (m->rc == TLSRPT_OK)
            check_metadata(m, r);
    *work = m->work;
    if (rc == TLSRPT_OK && m->rc != TLSRPT_OK)
        rc = m->rc;
    if (rc == TLSRPT_OK && m->deviation)
        rc = TLSRPT_ESEMANTIC;
    if (rc != TLSRPT_OK) {
        tlsrpt_report_free(r);
        return rc;
    }
    *out = r;
    return TLSRPT_OK;
}
