/* Fuzz target: tlsrpt_lookup() and tlsrpt_check_authorization() through tlsrpt_resolver_set_lookup(), with a lookup
 * function that answers from the fuzz input.
 *
 * Input layout:
 *   byte 0  bits 0-1: what the lookup function returns (OK, ENOTFOUND, ETEMPFAIL, or an undocumented 42);
 *           bit 2: it calls tlsrpt_txt_answer_set_authenticated(a, 1); bits 3-5: the destination URI of the
 *           authorization check (a fixed list).
 *   byte 1  bit 7 clear: the policy domain from a fixed list (low bits); set: a length byte and that many bytes
 *           follow, taken as the policy domain (cut at a NUL).
 *   then    TXT RRs until the input ends, each: one byte c (low 7 bits: number of character-strings; bit 7: add the
 *           RR 64 times), then each string: a length byte L < 0xF0 and L bytes (fewer when the input ends), or
 *           L >= 0xF0: (L - 0xEF) * 16384 copies of the next byte (to reach TLSRPT_MAX_TXT_ANSWER_SIZE).
 *
 * The harness parses the same RRs itself and predicts the outcome (RFC 8460 §3 as documented in tlsrpt/dns.h):
 * return == tlsrpt_lookup_result_status; OK exactly when one candidate parses, and then the record is non-NULL;
 * every failure carries an ERROR and the documented diag id; the txt list is the RRs joined; the authorization
 * verdict follows the answer. The pure layer agrees with the resolver path: tlsrpt_lookup_evaluate() and
 * tlsrpt_authorization_evaluate() on a caller-made answer holding the same RRs give the same status, txt list (with
 * each RR's strings, TTL unknown), AD bit, verdict and diagnostic ids as tlsrpt_lookup() and
 * tlsrpt_check_authorization() through the lookup function (for the three documented statuses).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REPEAT_FLAG 0x80u
#define REPEAT_COUNT 64u
#define LONG_STRING_MIN 0xF0u
#define LONG_STRING_UNIT 16384u

static const char *const domains[] = {
    "example.com",  "example.com.", "mail.example.org", "bücher.example", "xn--bcher-kva.example",
    "a.b.c.d.example.net", "localhost", "co.uk",
};

static const char *const destinations[] = {
    "mailto:tlsrpt@reports.example.net",
    "https://collector.example.org/v1/tlsrpt",
    "mailto:postmaster@example.com",
    "https://reports.example.com/",
    "https://192.0.2.1/report",
    "mailto:tlsrpt@xn--bcher-kva.example",
    "https://[2001:db8::1]/r",
    "mailto:x@sub.mail.example.org",
};

typedef struct fuzz_in {
    const uint8_t *data;
    size_t size;
    size_t rr_start; /* offset of the first RR */
} fuzz_in;

/* One RR as the harness decoded it (the strings point into the input or into the long-string buffers). */
typedef struct rr_view {
    size_t n;
    const char *strings[128];
    size_t lens[128];
    size_t total;
    unsigned repeat;
} rr_view;

typedef struct cb_state {
    const fuzz_in *in;
    int status;
    int authenticated;
    unsigned calls;
    int saw_limit;    /* an add returned TLSRPT_ELIMIT */
    size_t added;     /* RRs accepted */
    char qname[512];
    char *long_bufs[128];
    size_t n_long;
} cb_state;

/* Decodes the RR at *pos into v; returns 0 at the end of the input. */
static int next_rr(cb_state *st, size_t *pos, rr_view *v)
{
    const uint8_t *d = st->in->data;
    size_t size = st->in->size;
    if (*pos >= size)
        return 0;
    unsigned c = d[(*pos)++];
    v->repeat = (c & REPEAT_FLAG) ? REPEAT_COUNT : 1;
    v->n = 0;
    v->total = 0;
    unsigned want = c & 0x7Fu;
    for (unsigned i = 0; i < want && *pos < size; i++) {
        unsigned l = d[(*pos)++];
        if (l >= LONG_STRING_MIN) {
            size_t len = (size_t)(l - LONG_STRING_MIN + 1) * LONG_STRING_UNIT;
            char fill = *pos < size ? (char)d[(*pos)++] : 'a';
            char *buf = NULL;
            if (st->n_long < sizeof st->long_bufs / sizeof st->long_bufs[0])
                buf = malloc(len);
            if (!buf)
                continue;
            memset(buf, fill, len);
            st->long_bufs[st->n_long++] = buf;
            v->strings[v->n] = buf;
            v->lens[v->n] = len;
        } else {
            size_t len = l;
            if (len > size - *pos)
                len = size - *pos;
            v->strings[v->n] = (const char *)d + *pos;
            v->lens[v->n] = len;
            *pos += len;
        }
        v->total += v->lens[v->n];
        v->n++;
    }
    return 1;
}

static void free_long(cb_state *st)
{
    for (size_t i = 0; i < st->n_long; i++)
        free(st->long_bufs[i]);
    st->n_long = 0;
}

static int lookup_fn(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    cb_state *st = userdata;
    st->calls++;
    snprintf(st->qname, sizeof st->qname, "%s", qname);
    FUZZ_CHECK(tlsrpt_txt_answer_add(answer, NULL, NULL, 1) == TLSRPT_EINVAL);
    if (st->authenticated)
        FUZZ_CHECK(tlsrpt_txt_answer_set_authenticated(answer, 1) == TLSRPT_OK);
    size_t pos = st->in->rr_start;
    rr_view v;
    while (next_rr(st, &pos, &v)) {
        for (unsigned k = 0; k < v.repeat; k++) {
            int rc = tlsrpt_txt_answer_add(answer, v.n ? v.strings : NULL, v.n ? v.lens : NULL, v.n);
            if (rc == TLSRPT_ELIMIT) {
                st->saw_limit = 1;
            } else {
                FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_ENOMEM);
                if (rc == TLSRPT_OK)
                    st->added++;
            }
        }
    }
    return st->status;
}

static int has_id(const tlsrpt_diag *d, const char *id, int severity)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (tlsrpt_diag_severity(d, i) == severity && strcmp(tlsrpt_diag_id(d, i), id) == 0)
            return 1;
    return 0;
}

/* The RR joined, as the library joins it. */
static char *join(const rr_view *v, size_t *len)
{
    char *out = malloc(v->total + 1);
    FUZZ_CHECK(out != NULL);
    size_t p = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (v->lens[i])
            memcpy(out + p, v->strings[i], v->lens[i]);
        p += v->lens[i];
    }
    out[p] = '\0';
    *len = p;
    return out;
}

/* "v=TLSRPTv1" then *WSP then the end or ';' (the authorization test of tlsrpt_check_authorization). */
static int authorizes(const char *t, size_t len)
{
    if (len < 10 || memcmp(t, "v=TLSRPTv1", 10) != 0)
        return 0;
    size_t i = 10;
    while (i < len && (t[i] == ' ' || t[i] == '\t'))
        i++;
    return i == len || t[i] == ';';
}

static void check_lookup(cb_state *st, tlsrpt_resolver *res, const char *domain)
{
    tlsrpt_lookup_result *l = (tlsrpt_lookup_result *)st; /* must be overwritten */
    st->calls = 0;
    st->saw_limit = 0;
    st->added = 0;
    int rc = tlsrpt_lookup(res, domain, &l);
    if (rc == TLSRPT_EINVAL || rc == TLSRPT_ENOMEM) {
        FUZZ_CHECK(l == NULL);
        if (rc == TLSRPT_EINVAL)
            FUZZ_CHECK(st->calls == 0);
        free_long(st);
        return;
    }
    FUZZ_CHECK(l != NULL);
    FUZZ_CHECK(st->calls == 1);
    FUZZ_CHECK(tlsrpt_lookup_result_status(l) == rc);
    const char *qname = tlsrpt_lookup_result_qname(l);
    FUZZ_CHECK(qname != NULL && strcmp(qname, st->qname) == 0);
    FUZZ_CHECK(strncmp(qname, "_smtp._tls.", 11) == 0 && qname[strlen(qname) - 1] == '.');
    FUZZ_CHECK(strlen(qname) - 1 <= 253);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    FUZZ_CHECK(d != NULL);
    if (rc == TLSRPT_OK)
        FUZZ_CHECK(tlsrpt_lookup_result_record(l) != NULL && !fuzz_has_error(d));
    else
        FUZZ_CHECK(tlsrpt_lookup_result_record(l) == NULL && fuzz_has_error(d));

    if (st->saw_limit) {
        FUZZ_CHECK(rc == TLSRPT_ELIMIT && has_id(d, "dns-answer-too-large", TLSRPT_SEVERITY_ERROR));
        /* authenticated describes the refused data (tlsrpt/dns.h, since 1.1): what the function said. */
        FUZZ_CHECK(tlsrpt_lookup_result_txt_count(l) == 0 &&
                   tlsrpt_lookup_result_authenticated(l) == st->authenticated);
    } else if (st->status == TLSRPT_ENOTFOUND) {
        FUZZ_CHECK(rc == TLSRPT_ENOTFOUND && has_id(d, "dns-nxdomain", TLSRPT_SEVERITY_ERROR));
        FUZZ_CHECK(tlsrpt_lookup_result_txt_count(l) == 0);
        FUZZ_CHECK(tlsrpt_lookup_result_authenticated(l) == st->authenticated);
    } else if (st->status == TLSRPT_ETEMPFAIL) {
        FUZZ_CHECK(rc == TLSRPT_ETEMPFAIL && has_id(d, "dns-lookup-tempfail", TLSRPT_SEVERITY_ERROR));
        FUZZ_CHECK(tlsrpt_lookup_result_txt_count(l) == 0 && tlsrpt_lookup_result_authenticated(l) == 0);
    } else if (st->status != TLSRPT_OK) {
        FUZZ_CHECK(rc == TLSRPT_ETEMPFAIL && has_id(d, "dns-lookup-callback-error", TLSRPT_SEVERITY_ERROR));
        FUZZ_CHECK(tlsrpt_lookup_result_txt_count(l) == 0 && tlsrpt_lookup_result_authenticated(l) == 0);
    } else {
        /* OK: the harness's own §3 evaluation of the same RRs. */
        FUZZ_CHECK(tlsrpt_lookup_result_txt_count(l) == st->added);
        FUZZ_CHECK(tlsrpt_lookup_result_authenticated(l) == st->authenticated);
        size_t pos = st->in->rr_start, i = 0, candidates = 0, candidate = 0;
        char *candidate_text = NULL;
        size_t candidate_len = 0;
        rr_view v;
        cb_state again = *st;
        again.n_long = 0;
        while (next_rr(&again, &pos, &v)) {
            size_t len;
            char *text = join(&v, &len);
            int is_candidate = tlsrpt_record_is_candidate(text, len);
            for (unsigned k = 0; k < v.repeat; k++, i++) {
                FUZZ_CHECK(tlsrpt_lookup_result_txt_length(l, i) == len);
                FUZZ_CHECK(memcmp(tlsrpt_lookup_result_txt(l, i), text, len) == 0);
                FUZZ_CHECK(tlsrpt_lookup_result_txt(l, i)[len] == '\0');
                if (is_candidate) {
                    candidates++;
                    candidate = i;
                }
            }
            if (is_candidate && !candidate_text) {
                candidate_text = text;
                candidate_len = len;
            } else {
                free(text);
            }
        }
        free_long(&again);
        FUZZ_CHECK(i == st->added);
        FUZZ_CHECK(tlsrpt_lookup_result_txt(l, i) == NULL && tlsrpt_lookup_result_txt_length(l, i) == 0);
        if (st->added == 0) {
            FUZZ_CHECK(rc == TLSRPT_ENOTFOUND && has_id(d, "dns-no-data", TLSRPT_SEVERITY_ERROR));
        } else if (candidates == 0) {
            FUZZ_CHECK(rc == TLSRPT_ENOTFOUND && has_id(d, "dns-no-tlsrpt-record", TLSRPT_SEVERITY_ERROR));
        } else if (candidates > 1) {
            FUZZ_CHECK(rc == TLSRPT_EMULTIPLE && has_id(d, "dns-multiple-records", TLSRPT_SEVERITY_ERROR));
        } else {
            (void)candidate;
            tlsrpt_record *rec = NULL;
            int prc = tlsrpt_record_parse(&rec, candidate_text, candidate_len, NULL);
            FUZZ_CHECK(rc == prc);
            if (rec) {
                char *a = NULL, *b = NULL;
                FUZZ_CHECK(tlsrpt_record_serialize(rec, &a, NULL) == TLSRPT_OK);
                FUZZ_CHECK(tlsrpt_record_serialize(tlsrpt_lookup_result_record(l), &b, NULL) == TLSRPT_OK);
                FUZZ_CHECK(strcmp(a, b) == 0);
                tlsrpt_free(a);
                tlsrpt_free(b);
            }
            tlsrpt_record_free(rec);
        }
        free(candidate_text);
    }
    tlsrpt_lookup_result_free(l);
    free_long(st);
}

static void check_authz(cb_state *st, tlsrpt_resolver *res, const char *domain, const char *dest_text)
{
    tlsrpt_uri *dest = NULL;
    FUZZ_CHECK(tlsrpt_uri_parse(&dest, dest_text, strlen(dest_text), NULL) == TLSRPT_OK);
    tlsrpt_diag *diag = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK) {
        tlsrpt_uri_free(dest);
        return;
    }
    st->calls = 0;
    st->saw_limit = 0;
    st->added = 0;
    int verdict = -1;
    int rc = tlsrpt_check_authorization(res, domain, dest, &verdict, diag);
    FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_ETEMPFAIL || rc == TLSRPT_EINVAL || rc == TLSRPT_ENOMEM);
    FUZZ_CHECK(verdict == TLSRPT_AUTH_NOT_REQUIRED || verdict == TLSRPT_AUTH_AUTHORIZED ||
               verdict == TLSRPT_AUTH_NOT_AUTHORIZED);
    if (rc != TLSRPT_OK)
        FUZZ_CHECK(verdict == TLSRPT_AUTH_NOT_AUTHORIZED);
    if (rc == TLSRPT_EINVAL)
        FUZZ_CHECK(st->calls == 0);
    if (verdict == TLSRPT_AUTH_NOT_REQUIRED)
        FUZZ_CHECK(st->calls == 0 && has_id(diag, "authz-not-required", TLSRPT_SEVERITY_INFO));
    FUZZ_CHECK(st->calls <= 1);
    if (st->calls == 1) {
        FUZZ_CHECK(strstr(st->qname, "._report._tls.") != NULL && st->qname[strlen(st->qname) - 1] == '.');
        if (st->saw_limit) {
            FUZZ_CHECK(rc == TLSRPT_OK && verdict == TLSRPT_AUTH_NOT_AUTHORIZED);
            FUZZ_CHECK(has_id(diag, "dns-answer-too-large", TLSRPT_SEVERITY_ERROR));
        } else if (st->status == TLSRPT_ENOTFOUND) {
            FUZZ_CHECK(rc == TLSRPT_OK && verdict == TLSRPT_AUTH_NOT_AUTHORIZED);
            FUZZ_CHECK(has_id(diag, "authz-record-missing", TLSRPT_SEVERITY_WARNING));
        } else if (st->status != TLSRPT_OK) {
            FUZZ_CHECK(rc == TLSRPT_ETEMPFAIL && fuzz_has_error(diag));
        } else if (rc == TLSRPT_OK) {
            size_t pos = st->in->rr_start;
            int found = 0;
            rr_view v;
            cb_state again = *st;
            again.n_long = 0;
            while (!found && next_rr(&again, &pos, &v)) {
                size_t len;
                char *text = join(&v, &len);
                found = authorizes(text, len);
                free(text);
            }
            free_long(&again);
            FUZZ_CHECK(verdict == (found ? TLSRPT_AUTH_AUTHORIZED : TLSRPT_AUTH_NOT_AUTHORIZED));
            if (found)
                FUZZ_CHECK(has_id(diag, "authz-authorized", TLSRPT_SEVERITY_INFO));
            else if (st->added == 0)
                FUZZ_CHECK(has_id(diag, "authz-record-missing", TLSRPT_SEVERITY_WARNING));
            else
                FUZZ_CHECK(has_id(diag, "authz-no-tlsrpt-txt", TLSRPT_SEVERITY_WARNING));
        }
    }
    tlsrpt_diag_free(diag);
    tlsrpt_uri_free(dest);
    free_long(st);
}

static void check_same_diag(const tlsrpt_diag *a, const tlsrpt_diag *b)
{
    FUZZ_CHECK(tlsrpt_diag_count(a) == tlsrpt_diag_count(b));
    for (size_t i = 0; i < tlsrpt_diag_count(a); i++) {
        FUZZ_CHECK(strcmp(tlsrpt_diag_id(a, i), tlsrpt_diag_id(b, i)) == 0);
        FUZZ_CHECK(tlsrpt_diag_severity(a, i) == tlsrpt_diag_severity(b, i));
        FUZZ_CHECK(tlsrpt_diag_offset(a, i) == tlsrpt_diag_offset(b, i));
    }
}

/* The same RRs in a caller-made answer: the evaluation functions agree with the resolver path. */
static void check_evaluate(cb_state *st, tlsrpt_resolver *res, const char *domain, const char *dest_text)
{
    if (st->status != TLSRPT_OK && st->status != TLSRPT_ENOTFOUND && st->status != TLSRPT_ETEMPFAIL)
        return;
    tlsrpt_txt_answer *a = NULL;
    if (tlsrpt_txt_answer_new(&a) != TLSRPT_OK)
        return;
    (void)lookup_fn("caller.", a, st);
    free_long(st); /* the answer holds copies */
    tlsrpt_lookup_result *e = NULL, *l = NULL;
    int erc = tlsrpt_lookup_evaluate(domain, st->status, a, &e);
    int lrc = tlsrpt_lookup(res, domain, &l);
    free_long(st);
    if (erc != TLSRPT_ENOMEM && lrc != TLSRPT_ENOMEM) {
        FUZZ_CHECK(erc == lrc && (e == NULL) == (l == NULL));
        if (e && l) {
            FUZZ_CHECK(tlsrpt_lookup_result_status(e) == tlsrpt_lookup_result_status(l));
            FUZZ_CHECK(strcmp(tlsrpt_lookup_result_qname(e), tlsrpt_lookup_result_qname(l)) == 0);
            FUZZ_CHECK(tlsrpt_lookup_result_authenticated(e) == tlsrpt_lookup_result_authenticated(l));
            FUZZ_CHECK(tlsrpt_lookup_result_txt_count(e) == tlsrpt_lookup_result_txt_count(l));
            for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(e); i++) {
                size_t len = tlsrpt_lookup_result_txt_length(e, i), sum = 0;
                FUZZ_CHECK(len == tlsrpt_lookup_result_txt_length(l, i));
                FUZZ_CHECK(memcmp(tlsrpt_lookup_result_txt(e, i), tlsrpt_lookup_result_txt(l, i), len) == 0);
                FUZZ_CHECK(tlsrpt_lookup_result_txt_ttl(e, i) == TLSRPT_TTL_UNKNOWN);
                size_t n = tlsrpt_lookup_result_txt_string_count(e, i);
                FUZZ_CHECK(n == tlsrpt_lookup_result_txt_string_count(l, i));
                for (size_t j = 0; j < n; j++) {
                    size_t sl = tlsrpt_lookup_result_txt_string_length(e, i, j);
                    FUZZ_CHECK(sl <= len - sum);
                    FUZZ_CHECK(memcmp(tlsrpt_lookup_result_txt_string(e, i, j), tlsrpt_lookup_result_txt(e, i) + sum,
                                      sl) == 0);
                    sum += sl;
                }
                FUZZ_CHECK(sum == len);
            }
            FUZZ_CHECK(tlsrpt_lookup_result_cname_count(e) == 0 && tlsrpt_lookup_result_server(e) == NULL);
            check_same_diag(tlsrpt_lookup_result_diag(e), tlsrpt_lookup_result_diag(l));
        }
    }
    tlsrpt_lookup_result_free(e);
    tlsrpt_lookup_result_free(l);

    tlsrpt_uri *dest = NULL;
    tlsrpt_diag *de = NULL, *dl = NULL;
    if (tlsrpt_uri_parse(&dest, dest_text, strlen(dest_text), NULL) == TLSRPT_OK && tlsrpt_diag_new(&de) == TLSRPT_OK &&
        tlsrpt_diag_new(&dl) == TLSRPT_OK) {
        int ve = -1, vl = -1;
        erc = tlsrpt_authorization_evaluate(domain, dest, st->status, a, &ve, de);
        lrc = tlsrpt_check_authorization(res, domain, dest, &vl, dl);
        if (erc != TLSRPT_ENOMEM && lrc != TLSRPT_ENOMEM) {
            FUZZ_CHECK(erc == lrc && ve == vl);
            check_same_diag(de, dl);
        }
    }
    tlsrpt_diag_free(de);
    tlsrpt_diag_free(dl);
    tlsrpt_uri_free(dest);
    tlsrpt_txt_answer_free(a);
    free_long(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    static const int statuses[4] = {TLSRPT_OK, TLSRPT_ENOTFOUND, TLSRPT_ETEMPFAIL, 42};
    fuzz_in in = {data, size, 2};
    cb_state st;
    memset(&st, 0, sizeof st);
    st.in = &in;
    st.status = statuses[data[0] & 3u];
    st.authenticated = (data[0] & 4u) != 0;
    const char *dest = destinations[(data[0] >> 3) & 7u];

    char domain_buf[257];
    const char *domain;
    if (data[1] & 0x80u) {
        size_t len = size > 2 ? data[2] : 0;
        if (len > size - 3 || size < 3)
            len = size < 3 ? 0 : size - 3;
        if (len > sizeof domain_buf - 1)
            len = sizeof domain_buf - 1;
        if (len)
            memcpy(domain_buf, data + 3, len);
        domain_buf[len] = '\0';
        domain = domain_buf;
        in.rr_start = 3 + len;
    } else {
        domain = domains[data[1] % (sizeof domains / sizeof domains[0])];
    }

    /* One resolver for the whole run: creating one reads resolv.conf, which would dominate the time per input. */
    static tlsrpt_resolver *res;
    if (!res && tlsrpt_resolver_new(&res) != TLSRPT_OK)
        return 0;
    FUZZ_CHECK(tlsrpt_resolver_set_lookup(res, lookup_fn, &st) == TLSRPT_OK);
    check_lookup(&st, res, domain);
    check_authz(&st, res, domain, dest);
    check_evaluate(&st, res, domain, dest);
    return 0;
}
