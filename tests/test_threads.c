/* Thread test: the library keeps no mutable global state, so independent objects may be used from many threads at
 * once, and one const object may be read from many threads at once (API.md conventions).
 *
 * THREADS threads start together (a barrier) and each runs ITERATIONS rounds of: record parse (good and bad input),
 * serialize, URI parse (with IDNA), the record builder and tlsrpt_record_to_zone, a lookup through its own resolver
 * and tlsrpt_resolver_set_lookup callback (found and NXDOMAIN), and diagnostics lists. All threads also read one
 * shared const record (getters, serialize, dup and lint, compared with what the main thread saw before the threads
 * started) and one shared const report (getters, serialize, validate); each thread also builds, serializes (JSON
 * and gzip), parses back and merges a report of its own; and all read one shared const MTA-STS policy (matching,
 * lint, its entry in a report of their own). Every result is asserted in the thread; the process fails if any assertion failed in any thread.
 * Built against the public API only (the shared library), so `.ci/tsan` checks what a caller would run.
 *
 * usage: test_threads [ITERATIONS]   (default 200; .ci/tsan runs this under ThreadSanitizer)
 * SPDX-License-Identifier: MIT */
#include <tlsrpt/tlsrpt.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define THREADS 8

typedef struct {
    int index;
    unsigned iterations;
    unsigned checks;
    unsigned failures;
    /* what the thread's lookup callback saw */
    unsigned calls;
    char qname[300];
} worker;

/* Records a failure of this thread (fprintf is thread-safe) and goes on, so one run lists every broken check. */
#define CHECK(w, cond)                                                                                                 \
    do {                                                                                                               \
        (w)->checks++;                                                                                                 \
        if (!(cond)) {                                                                                                 \
            (w)->failures++;                                                                                           \
            fprintf(stderr, "thread %d: %s:%d: check failed: %s\n", (w)->index, __FILE__, __LINE__, #cond);           \
        }                                                                                                              \
    } while (0)

#define CHECK_STR(w, got, want)                                                                                        \
    do {                                                                                                               \
        const char *got_ = (got), *want_ = (want);                                                                     \
        (w)->checks++;                                                                                                 \
        if (!got_ || strcmp(got_, want_) != 0) {                                                                       \
            (w)->failures++;                                                                                           \
            fprintf(stderr, "thread %d: %s:%d: %s is \"%s\", expected \"%s\"\n", (w)->index, __FILE__, __LINE__,     \
                    #got, got_ ? got_ : "(null)", want_);                                                              \
        }                                                                                                              \
    } while (0)

/* Checks entry i of a diagnostics list: id, severity and offset. */
static void check_diag(worker *w, int line, const tlsrpt_diag *d, size_t i, const char *id, int severity,
                       size_t offset)
{
    w->checks++;
    const char *got = tlsrpt_diag_id(d, i);
    if (!got || strcmp(got, id) != 0 || tlsrpt_diag_severity(d, i) != severity || tlsrpt_diag_offset(d, i) != offset) {
        w->failures++;
        fprintf(stderr, "thread %d: line %d: diag %zu is %s/%d/%zu, expected %s/%d/%zu\n", w->index, line, i,
                got ? got : "(none)", tlsrpt_diag_severity(d, i), tlsrpt_diag_offset(d, i), id, severity, offset);
    }
}

/* ---- the shared const record ---------------------------------------------------------------------------------- */

static const char shared_text[] =
    "v=TLSRPTv1;rua=mailto:tls@example.com,https://r.example.net/x,mailto:tls@example.com;ext=1";
static const char shared_canonical[] =
    "v=TLSRPTv1; rua=mailto:tls@example.com,https://r.example.net/x,mailto:tls@example.com; ext=1";
static const tlsrpt_record *shared_record;
/* What lint said about it in the main thread before the threads started. */
static tlsrpt_diag *shared_lint;

static int same_diags(const tlsrpt_diag *a, const tlsrpt_diag *b)
{
    if (tlsrpt_diag_count(a) != tlsrpt_diag_count(b))
        return 0;
    for (size_t i = 0; i < tlsrpt_diag_count(a); i++) {
        if (strcmp(tlsrpt_diag_id(a, i), tlsrpt_diag_id(b, i)) != 0 ||
            strcmp(tlsrpt_diag_message(a, i), tlsrpt_diag_message(b, i)) != 0 ||
            tlsrpt_diag_severity(a, i) != tlsrpt_diag_severity(b, i) ||
            tlsrpt_diag_offset(a, i) != tlsrpt_diag_offset(b, i))
            return 0;
    }
    return 1;
}

static void read_shared(worker *w)
{
    const tlsrpt_record *r = shared_record;
    CHECK(w, tlsrpt_record_rua_count(r) == 3);
    CHECK(w, tlsrpt_uri_scheme(tlsrpt_record_rua(r, 0)) == TLSRPT_URI_MAILTO);
    CHECK_STR(w, tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 0)), "tls@example.com");
    CHECK(w, tlsrpt_uri_scheme(tlsrpt_record_rua(r, 1)) == TLSRPT_URI_HTTPS);
    CHECK_STR(w, tlsrpt_uri_host(tlsrpt_record_rua(r, 1)), "r.example.net");
    CHECK_STR(w, tlsrpt_uri_string(tlsrpt_record_rua(r, 2)), "mailto:tls@example.com");
    CHECK(w, tlsrpt_record_rua(r, 3) == NULL);
    CHECK(w, tlsrpt_record_extension_count(r) == 1);
    CHECK_STR(w, tlsrpt_record_extension_name(r, 0), "ext");
    CHECK_STR(w, tlsrpt_record_extension_value(r, 0), "1");

    char *s = NULL;
    size_t len = 0;
    CHECK(w, tlsrpt_record_serialize(r, &s, &len) == TLSRPT_OK);
    CHECK_STR(w, s, shared_canonical);
    CHECK(w, len == sizeof shared_canonical - 1);
    tlsrpt_free(s);

    tlsrpt_record *copy = NULL;
    CHECK(w, tlsrpt_record_dup(&copy, r) == TLSRPT_OK);
    CHECK(w, tlsrpt_record_rua_count(copy) == 3);
    CHECK(w, tlsrpt_record_rua(copy, 0) != tlsrpt_record_rua(r, 0));
    tlsrpt_record_free(copy);

    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    CHECK(w, tlsrpt_record_lint(r, "example.com", d) == TLSRPT_OK);
    CHECK(w, tlsrpt_diag_count(d) == 3);
    check_diag(w, __LINE__, d, 0, "lint-rua-duplicate", TLSRPT_SEVERITY_WARNING, TLSRPT_NO_OFFSET);
    check_diag(w, __LINE__, d, 1, "lint-rua-many", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    check_diag(w, __LINE__, d, 2, "lint-rua-external", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    CHECK(w, same_diags(d, shared_lint));
    tlsrpt_diag_free(d);
}

/* ---- a shared const MTA-STS policy (since 1.1): matched, linted and put into each thread's own report --------- */

static const char shared_sts_text[] = "version: STSv1\nmode: enforce\nmx: mx1.example.com\nmx: *.example.net\n"
                                      "max_age: 604800\n";
static const tlsrpt_sts_policy *shared_sts;

static void read_shared_sts(worker *w, unsigned it)
{
    const tlsrpt_sts_policy *p = shared_sts;
    CHECK(w, tlsrpt_sts_policy_matches(p, "MX1.example.com.") == 1);
    CHECK(w, tlsrpt_sts_policy_matches(p, "b\xc3\xbc" "cher.example.net") == 1);
    CHECK(w, tlsrpt_sts_policy_matches(p, "a.b.example.net") == 0);
    CHECK(w, tlsrpt_sts_policy_string_count(p) == 5);
    CHECK_STR(w, tlsrpt_sts_policy_string(p, 3), "mx: *.example.net");
    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    const char *hosts[] = {"mx1.example.com", "mx2.example.com"};
    CHECK(w, tlsrpt_sts_policy_lint(p, 0, hosts, 2, d) == TLSRPT_OK);
    CHECK(w, tlsrpt_diag_count(d) == 2); /* *.example.net unused, mx2 uncovered */
    tlsrpt_diag_free(d);
    tlsrpt_report *r = NULL;
    tlsrpt_policy *a = NULL, *b = NULL;
    CHECK(w, tlsrpt_report_new(&r, "Thread Org", NULL, "sts", 1719792000, 1719878399) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_add_sts_policy(r, "example.com", p, &a) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_add_sts_policy(r, "example.com", p, &b) == TLSRPT_OK);
    CHECK(w, a != NULL && a == b);
    CHECK(w, tlsrpt_policy_add_successes(a, it) == TLSRPT_OK);
    tlsrpt_report_free(r);
}

/* ---- per-thread work ------------------------------------------------------------------------------------------ */

static void parse_and_serialize(worker *w, unsigned it)
{
    char text[256], want[256], mailbox[64], ext_name[16], ext_value[16];
    snprintf(mailbox, sizeof mailbox, "tlsrpt+t%di%u@example.com", w->index, it);
    snprintf(ext_name, sizeof ext_name, "x%d", w->index);
    snprintf(ext_value, sizeof ext_value, "v%u", it);
    int n = snprintf(text, sizeof text, "v=TLSRPTv1;rua=mailto:%s,https://reports.example.net/t%d;%s=%s", mailbox,
                     w->index, ext_name, ext_value);
    snprintf(want, sizeof want, "v=TLSRPTv1; rua=mailto:%s,https://reports.example.net/t%d; %s=%s", mailbox,
             w->index, ext_name, ext_value);

    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    tlsrpt_record *r = NULL;
    CHECK(w, tlsrpt_record_parse(&r, text, (size_t)n, d) == TLSRPT_OK);
    CHECK(w, r != NULL);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    /* the unknown extension's name starts after "...;" */
    check_diag(w, __LINE__, d, 0, "record-extension-unknown", TLSRPT_SEVERITY_INFO,
               (size_t)(strrchr(text, ';') - text) + 1);
    CHECK(w, tlsrpt_record_rua_count(r) == 2);
    CHECK_STR(w, tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 0)), mailbox);
    CHECK_STR(w, tlsrpt_uri_host(tlsrpt_record_rua(r, 1)), "reports.example.net");
    CHECK_STR(w, tlsrpt_record_extension_name(r, 0), ext_name);
    CHECK_STR(w, tlsrpt_record_extension_value(r, 0), ext_value);
    char *s = NULL;
    size_t len = 0;
    CHECK(w, tlsrpt_record_serialize(r, &s, &len) == TLSRPT_OK);
    CHECK_STR(w, s, want);
    CHECK(w, s && len == strlen(want));
    tlsrpt_free(s);
    tlsrpt_record_free(r);

    /* bad input: an error code, an ERROR with its offset, *out NULL */
    tlsrpt_diag_clear(d);
    CHECK(w, tlsrpt_diag_count(d) == 0);
    r = (tlsrpt_record *)d; /* must be overwritten with NULL */
    CHECK(w, tlsrpt_record_parse(&r, "v=TLSRPTv1", 10, d) == TLSRPT_ESYNTAX);
    CHECK(w, r == NULL);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    check_diag(w, __LINE__, d, 0, "record-rua-missing", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_diag_clear(d);
    CHECK(w, tlsrpt_record_parse(&r, "v=TLSRPTv10;rua=mailto:a@example.com", 36, d) == TLSRPT_ESYNTAX);
    check_diag(w, __LINE__, d, 0, "record-version-invalid", TLSRPT_SEVERITY_ERROR, 10);
    tlsrpt_diag_free(d);
}

static void parse_uris(worker *w, unsigned it)
{
    char text[128], want[128];
    int n = snprintf(text, sizeof text, "https://B\xc3\xbc" "cher.example/t%d/%u", w->index, it);
    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    tlsrpt_uri *u = (tlsrpt_uri *)d; /* must be overwritten with NULL */
    /* a raw non-ASCII byte is not allowed in a URI */
    CHECK(w, tlsrpt_uri_parse(&u, text, (size_t)n, d) == TLSRPT_ESYNTAX);
    CHECK(w, u == NULL);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    check_diag(w, __LINE__, d, 0, "uri-invalid-char", TLSRPT_SEVERITY_ERROR, 9);
    tlsrpt_diag_clear(d);

    /* percent-encoded U-label host: converted to A-labels with IDNA2008 */
    n = snprintf(text, sizeof text, "https://B%%C3%%BCcher.example/t%d/%u", w->index, it);
    CHECK(w, tlsrpt_uri_parse(&u, text, (size_t)n, d) == TLSRPT_OK);
    CHECK(w, tlsrpt_diag_count(d) == 0);
    CHECK(w, tlsrpt_uri_scheme(u) == TLSRPT_URI_HTTPS);
    CHECK_STR(w, tlsrpt_uri_host(u), "xn--bcher-kva.example");
    CHECK_STR(w, tlsrpt_uri_string(u), text);
    tlsrpt_uri_free(u);

    n = snprintf(text, sizeof text, "mailto:a%d.%u@Example.ORG", w->index, it);
    snprintf(want, sizeof want, "a%d.%u@Example.ORG", w->index, it);
    CHECK(w, tlsrpt_uri_parse(&u, text, (size_t)n, d) == TLSRPT_OK);
    CHECK(w, tlsrpt_uri_scheme(u) == TLSRPT_URI_MAILTO);
    CHECK_STR(w, tlsrpt_uri_host(u), "example.org");
    CHECK_STR(w, tlsrpt_uri_mailbox(u), want);
    tlsrpt_uri_free(u);

    CHECK(w, tlsrpt_uri_parse(&u, "mailto:a@b.example,c@d.example", 30, d) == TLSRPT_ESYNTAX);
    CHECK(w, u == NULL);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    check_diag(w, __LINE__, d, 0, "uri-unencoded-delimiter", TLSRPT_SEVERITY_ERROR, 18);
    tlsrpt_diag_free(d);
}

static void build_record(worker *w, unsigned it)
{
    char addr[64], want[160], zone[256];
    snprintf(addr, sizeof addr, "t%d-%u@example.com", w->index, it);
    snprintf(want, sizeof want, "v=TLSRPTv1; rua=mailto:%s; id=w%d", addr, w->index);
    snprintf(zone, sizeof zone, "_smtp._tls.xn--bcher-kva.example. 300 IN TXT \"%s\"", want);
    char ext[16];
    snprintf(ext, sizeof ext, "w%d", w->index);

    tlsrpt_record *r = NULL;
    CHECK(w, tlsrpt_record_new(&r) == TLSRPT_OK);
    char *s = NULL;
    CHECK(w, tlsrpt_record_serialize(r, &s, NULL) == TLSRPT_ESEMANTIC);
    CHECK(w, s == NULL);
    CHECK(w, tlsrpt_record_add_rua(r, addr, NULL) == TLSRPT_OK);
    CHECK(w, tlsrpt_record_add_extension(r, "id", ext) == TLSRPT_OK);
    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    CHECK(w, tlsrpt_record_add_rua(r, "ftp://x.example/", d) == TLSRPT_EUNSUPPORTED);
    check_diag(w, __LINE__, d, 0, "rua-scheme-unsupported", TLSRPT_SEVERITY_ERROR, 0);
    tlsrpt_diag_free(d);
    CHECK(w, tlsrpt_record_rua_count(r) == 1);
    size_t len = 0;
    CHECK(w, tlsrpt_record_serialize(r, &s, &len) == TLSRPT_OK);
    CHECK_STR(w, s, want);
    CHECK(w, len == strlen(want));
    tlsrpt_free(s);
    CHECK(w, tlsrpt_record_to_zone(r, "b\xc3\xbc" "cher.example.", 300, &s, &len) == TLSRPT_OK);
    CHECK_STR(w, s, zone);
    CHECK(w, len == strlen(zone));
    tlsrpt_free(s);
    tlsrpt_record_free(r);
}

/* The thread's own lookup function: one TLSRPT record split over two strings, one SPF record; NXDOMAIN for names
 * under "missing.". */
static int thread_lookup(const char *qname, tlsrpt_txt_answer *answer, void *userdata)
{
    worker *w = userdata;
    w->calls++;
    snprintf(w->qname, sizeof w->qname, "%s", qname);
    if (strstr(qname, "._tls.missing."))
        return TLSRPT_ENOTFOUND;
    char first[64];
    int n = snprintf(first, sizeof first, "v=TLSRPTv1; rua=mailto:t%d@", w->index);
    const char *strings[2] = {first, "example.com"};
    size_t lens[2] = {(size_t)n, 11};
    if (tlsrpt_txt_answer_add(answer, strings, lens, 2) != TLSRPT_OK)
        return TLSRPT_ETEMPFAIL;
    const char *spf = "v=spf1 -all";
    size_t spf_len = 11;
    if (tlsrpt_txt_answer_add(answer, &spf, &spf_len, 1) != TLSRPT_OK)
        return TLSRPT_ETEMPFAIL;
    return TLSRPT_OK;
}

static void lookup(worker *w, tlsrpt_resolver *res, unsigned it)
{
    char domain[64], qname[80], mailbox[64], txt0[96];
    snprintf(domain, sizeof domain, "T%d.i%u.Example", w->index, it);
    snprintf(qname, sizeof qname, "_smtp._tls.t%d.i%u.example.", w->index, it);
    snprintf(mailbox, sizeof mailbox, "t%d@example.com", w->index);
    snprintf(txt0, sizeof txt0, "v=TLSRPTv1; rua=mailto:%s", mailbox);
    unsigned calls = w->calls;

    tlsrpt_lookup_result *l = NULL;
    CHECK(w, tlsrpt_lookup(res, domain, &l) == TLSRPT_OK);
    CHECK(w, w->calls == calls + 1);
    CHECK_STR(w, w->qname, qname);
    CHECK(w, tlsrpt_lookup_result_status(l) == TLSRPT_OK);
    CHECK_STR(w, tlsrpt_lookup_result_qname(l), qname);
    CHECK(w, tlsrpt_lookup_result_txt_count(l) == 2);
    CHECK_STR(w, tlsrpt_lookup_result_txt(l, 0), txt0);
    CHECK(w, tlsrpt_lookup_result_txt_length(l, 0) == strlen(txt0));
    CHECK_STR(w, tlsrpt_lookup_result_txt(l, 1), "v=spf1 -all");
    CHECK(w, tlsrpt_lookup_result_authenticated(l) == 0);
    const tlsrpt_record *r = tlsrpt_lookup_result_record(l);
    CHECK(w, tlsrpt_record_rua_count(r) == 1);
    CHECK_STR(w, tlsrpt_uri_mailbox(tlsrpt_record_rua(r, 0)), mailbox);
    const tlsrpt_diag *d = tlsrpt_lookup_result_diag(l);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    check_diag(w, __LINE__, d, 0, "dns-txt-not-tlsrpt", TLSRPT_SEVERITY_INFO, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);

    snprintf(domain, sizeof domain, "missing.t%d", w->index);
    CHECK(w, tlsrpt_lookup(res, domain, &l) == TLSRPT_ENOTFOUND);
    CHECK(w, tlsrpt_lookup_result_status(l) == TLSRPT_ENOTFOUND);
    CHECK(w, tlsrpt_lookup_result_record(l) == NULL);
    CHECK(w, tlsrpt_lookup_result_txt_count(l) == 0);
    d = tlsrpt_lookup_result_diag(l);
    CHECK(w, tlsrpt_diag_count(d) == 1);
    check_diag(w, __LINE__, d, 0, "dns-nxdomain", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    tlsrpt_lookup_result_free(l);
}

/* A diagnostics list that collects the findings of several calls, cleared and reused. */
static void diag_lists(worker *w, unsigned it)
{
    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    for (unsigned round = 0; round < 3; round++) {
        tlsrpt_record *r = NULL;
        CHECK(w, tlsrpt_record_parse(&r, "v=TLSRPTv1 ;rua=mailto:a@example.com", 36, d) == TLSRPT_OK);
        tlsrpt_record_free(r);
        tlsrpt_uri *u = NULL;
        CHECK(w, tlsrpt_uri_parse(&u, "", 0, d) == TLSRPT_ESYNTAX);
        CHECK(w, tlsrpt_diag_count(d) == 2 * (round + 1));
    }
    for (size_t i = 0; i < 6; i += 2) {
        check_diag(w, __LINE__, d, i, "record-space-before-semicolon", TLSRPT_SEVERITY_WARNING, 10);
        check_diag(w, __LINE__, d, i + 1, "uri-empty", TLSRPT_SEVERITY_ERROR, 0);
        CHECK(w, tlsrpt_diag_message(d, i) != NULL && tlsrpt_diag_message(d, i)[0] != '\0');
    }
    tlsrpt_diag_clear(d);
    CHECK(w, tlsrpt_diag_count(d) == 0);
    CHECK(w, tlsrpt_diag_id(d, 0) == NULL);
    (void)it;
    tlsrpt_diag_free(d);
}

/* ---- reports (RFC 8460 §4) ------------------------------------------------------------------------------------ */

/* A report parsed once in main() before the threads start; every thread reads it (const) at the same time. */
static const char shared_report_json[] =
    "{\"organization-name\":\"Shared Org\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
    "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"tls@shared.example\",\"report-id\":\"shared-1\","
    "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: enforce\"],"
    "\"policy-domain\":\"shared.example\",\"mx-host\":[\"mx.shared.example\"]},\"summary\":{"
    "\"total-successful-session-count\":100,\"total-failure-session-count\":7},\"failure-details\":[{"
    "\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-ip\":\"198.51.100.2\","
    "\"receiving-mx-hostname\":\"mx.shared.example\",\"failed-session-count\":7}]}]}";
static const tlsrpt_report *shared_report;

static void read_shared_report(worker *w)
{
    const tlsrpt_report *r = shared_report;
    CHECK_STR(w, tlsrpt_report_organization_name(r), "Shared Org");
    CHECK_STR(w, tlsrpt_report_contact_info(r), "tls@shared.example");
    CHECK(w, tlsrpt_report_start_time(r) == 1719792000);
    CHECK(w, tlsrpt_report_end_time(r) == 1719878399);
    CHECK(w, tlsrpt_report_policy_count(r) == 1);
    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    CHECK(w, tlsrpt_policy_type(p) == TLSRPT_POLICY_STS);
    CHECK_STR(w, tlsrpt_policy_string(p, 1), "mode: enforce");
    CHECK(w, tlsrpt_policy_successful_sessions(p) == 100);
    CHECK(w, tlsrpt_policy_failed_sessions(p) == 7);
    const tlsrpt_failure *f = tlsrpt_policy_failure(p, 0);
    CHECK(w, tlsrpt_failure_result_code(f) == TLSRPT_RESULT_CERTIFICATE_EXPIRED);
    CHECK_STR(w, tlsrpt_failure_receiving_ip(f), "198.51.100.2");
    CHECK(w, tlsrpt_failure_session_count(f) == 7);
    /* Serializing and validating a const report from many threads at once. */
    char *json = NULL;
    size_t len = 0;
    CHECK(w, tlsrpt_report_serialize(r, 0, &json, &len) == TLSRPT_OK);
    tlsrpt_report *again = NULL;
    CHECK(w, tlsrpt_report_parse(&again, json, len, TLSRPT_PARSE_STRICT, NULL) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_policy_count(again) == 1);
    tlsrpt_report_free(again);
    tlsrpt_free(json);
    tlsrpt_diag *d = NULL;
    CHECK(w, tlsrpt_diag_new(&d) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_validate(r, d) == TLSRPT_OK);
    tlsrpt_diag_free(d);
}

/* Each thread builds its own report (its policy domain names the thread), records outcomes, serializes it plain
 * and gzip, parses both back and checks every count; then merges it into a second report. */
static void build_and_parse_report(worker *w, unsigned it)
{
    char domain[64], mx[80];
    snprintf(domain, sizeof domain, "t%d.example", w->index);
    snprintf(mx, sizeof mx, "mx%u.t%d.example", it % 3, w->index);
    const char *strings[] = {"version: STSv1", "mode: testing"};
    const char *mxs[] = {mx};
    tlsrpt_report *r = NULL;
    CHECK(w, tlsrpt_report_new(&r, "Thread Org", "tls@thread.example", "thread-report", 1719792000, 1719878399) ==
                 TLSRPT_OK);
    tlsrpt_policy *p = NULL, *same = NULL;
    CHECK(w, tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, domain, strings, 2, mxs, 1, &p) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, domain, strings, 2, mxs, 1, &same) == TLSRPT_OK);
    CHECK(w, p == same);
    CHECK(w, tlsrpt_policy_add_successes(p, 10u + it) == TLSRPT_OK);
    tlsrpt_failure *f = NULL;
    CHECK(w, tlsrpt_failure_new(&f, "starttls-not-supported") == TLSRPT_OK);
    CHECK(w, tlsrpt_failure_set_receiving_mx_hostname(f, mx) == TLSRPT_OK);
    CHECK(w, tlsrpt_failure_set_receiving_ip(f, "2001:db8::25") == TLSRPT_OK);
    /* RFC 8460 §4.4 lists sending-mta-ip without marking it optional: without it a strict parse rejects the report. */
    CHECK(w, tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.10") == TLSRPT_OK);
    CHECK(w, tlsrpt_policy_add_failures(p, f, 2) == TLSRPT_OK);
    CHECK(w, tlsrpt_policy_add_failures(p, f, 3) == TLSRPT_OK); /* merges into the same detail */
    tlsrpt_failure_free(f);
    CHECK(w, tlsrpt_policy_failure_count(p) == 1);

    char *json = NULL;
    size_t len = 0;
    void *gz = NULL;
    size_t gz_len = 0;
    CHECK(w, tlsrpt_report_serialize(r, it % 2 ? TLSRPT_JSON_PRETTY : 0, &json, &len) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_serialize_gzip(r, &gz, &gz_len) == TLSRPT_OK);
    const void *inputs[] = {json, gz};
    const size_t lens[] = {len, gz_len};
    for (int k = 0; k < 2; k++) {
        tlsrpt_report *back = NULL;
        CHECK(w, tlsrpt_report_parse(&back, inputs[k], lens[k], TLSRPT_PARSE_STRICT, NULL) == TLSRPT_OK);
        const tlsrpt_policy *bp = tlsrpt_report_policy(back, 0);
        CHECK_STR(w, tlsrpt_policy_domain(bp), domain);
        CHECK_STR(w, tlsrpt_policy_mx_host(bp, 0), mx);
        CHECK(w, tlsrpt_policy_successful_sessions(bp) == 10u + it);
        CHECK(w, tlsrpt_policy_failed_sessions(bp) == 5);
        CHECK(w, tlsrpt_failure_session_count(tlsrpt_policy_failure(bp, 0)) == 5);
        CHECK_STR(w, tlsrpt_failure_receiving_ip(tlsrpt_policy_failure(bp, 0)), "2001:db8::25");
        tlsrpt_report_free(back);
    }
    tlsrpt_report *sum = NULL;
    CHECK(w, tlsrpt_report_new(&sum, "Thread Org", "tls@thread.example", "sum", 1719792000, 1719878399) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_merge(sum, r) == TLSRPT_OK);
    CHECK(w, tlsrpt_report_merge(sum, r) == TLSRPT_OK);
    CHECK(w, tlsrpt_policy_failed_sessions(tlsrpt_report_policy(sum, 0)) == 10);
    tlsrpt_report_free(sum);
    tlsrpt_free(gz);
    tlsrpt_free(json);
    tlsrpt_report_free(r);
}

static pthread_barrier_t start;

static void *run(void *arg)
{
    worker *w = arg;
    tlsrpt_resolver *res = NULL;
    CHECK(w, tlsrpt_resolver_new(&res) == TLSRPT_OK);
    CHECK(w, tlsrpt_resolver_set_lookup(res, thread_lookup, w) == TLSRPT_OK);
    pthread_barrier_wait(&start);
    for (unsigned it = 0; it < w->iterations; it++) {
        parse_and_serialize(w, it);
        parse_uris(w, it);
        build_record(w, it);
        lookup(w, res, it);
        diag_lists(w, it);
        read_shared(w);
        build_and_parse_report(w, it);
        read_shared_report(w);
        read_shared_sts(w, it);
    }
    tlsrpt_resolver_free(res);
    return NULL;
}

int main(int argc, char **argv)
{
    unsigned iterations = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 200;
    if (iterations == 0) {
        fprintf(stderr, "usage: test_threads [ITERATIONS > 0]\n");
        return 2;
    }
    tlsrpt_record *shared = NULL;
    if (tlsrpt_record_parse(&shared, shared_text, sizeof shared_text - 1, NULL) != TLSRPT_OK ||
        tlsrpt_diag_new(&shared_lint) != TLSRPT_OK || tlsrpt_record_lint(shared, "example.com", shared_lint) != TLSRPT_OK) {
        fprintf(stderr, "setup: the shared record did not parse or lint\n");
        return 1;
    }
    shared_record = shared;
    tlsrpt_report *report = NULL;
    if (tlsrpt_report_parse(&report, shared_report_json, sizeof shared_report_json - 1, TLSRPT_PARSE_STRICT, NULL) !=
        TLSRPT_OK) {
        fprintf(stderr, "setup: the shared report did not parse\n");
        return 1;
    }
    shared_report = report;
    tlsrpt_sts_policy *sts = NULL;
    if (tlsrpt_sts_policy_parse(&sts, shared_sts_text, sizeof shared_sts_text - 1, NULL) != TLSRPT_OK) {
        fprintf(stderr, "setup: the shared MTA-STS policy did not parse\n");
        return 1;
    }
    shared_sts = sts;

    worker workers[THREADS];
    pthread_t tids[THREADS];
    if (pthread_barrier_init(&start, NULL, THREADS) != 0)
        return 1;
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.index = i, .iterations = iterations};
        if (pthread_create(&tids[i], NULL, run, &workers[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            return 1;
        }
    }
    unsigned checks = 0, failures = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(tids[i], NULL);
        checks += workers[i].checks;
        failures += workers[i].failures;
        /* Each iteration calls the thread's own callback twice, and only the thread's own (userdata). */
        if (workers[i].calls != 2 * iterations) {
            fprintf(stderr, "thread %d: lookup callback ran %u times, expected %u\n", i, workers[i].calls,
                    2 * iterations);
            failures++;
        }
    }
    pthread_barrier_destroy(&start);
    tlsrpt_record_free(shared);
    tlsrpt_report_free(report);
    tlsrpt_sts_policy_free(sts);
    tlsrpt_diag_free(shared_lint);
    printf("%d threads x %u iterations: %u checks, %u failed\n", THREADS, iterations, checks, failures);
    return failures == 0 ? 0 : 1;
}
