/* Writing with libtlsrpt, through the public API only (bench/README.md): how many session outcomes one core records
 * per second, and how fast a large report is serialized and gzipped. Not a test: no timed assertions.
 *
 *   write_bench [--seconds S] LARGE.json
 *
 * Prints one line per figure, "write <TAB> libtlsrpt <TAB> metric <TAB> value" (bench/summarize.py makes the table):
 *   successes-per-s   tlsrpt_policy_add_successes(p, 1) calls per second
 *   failures-per-s    tlsrpt_policy_add_failures(p, f, 1) per second, every f equal to one of the policy's 50 existing
 *                     details (a realistic mix: 11 result types, IPv4 and IPv6 senders, 3 MX hosts, some with a HELO
 *                     name or a reason code), in a fixed pseudo-random order
 *   serialize-us      tlsrpt_report_serialize(compact) of the report parsed from LARGE.json, and json-bytes its size
 *   serialize-gzip-us tlsrpt_report_serialize_gzip of the same report, and gzip-bytes its size
 * Each time is the best of 5 batches of about S/5 seconds (default S = 1).
 * SPDX-License-Identifier: MIT */
#include <tlsrpt/tlsrpt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"

#define BATCHES 5
#define N_DETAILS 50
#define ORDER_LEN 4096

static void check(int rc, const char *what)
{
    if (rc != TLSRPT_OK) {
        fprintf(stderr, "%s: %s\n", what, tlsrpt_status_string(rc));
        exit(1);
    }
}

/* A job run `iters` times; returns seconds. */
typedef double (*job_fn)(void *ctx, long iters);

/* Best seconds per iteration over BATCHES batches of about seconds/BATCHES each. */
static double best_per_iter(job_fn job, void *ctx, double seconds)
{
    long iters = 1;
    while (job(ctx, iters) < seconds / BATCHES / 4 && iters < (1L << 40))
        iters *= 2;
    iters *= 4;
    double best = 1e30;
    for (int b = 0; b < BATCHES; b++) {
        double t = job(ctx, iters) / (double)iters;
        if (t < best)
            best = t;
    }
    return best;
}

/* ---- Outcomes ------------------------------------------------------------------------------------------------- */

typedef struct outcomes {
    tlsrpt_policy *policy;
    tlsrpt_failure *details[N_DETAILS];
    unsigned char order[ORDER_LEN]; /* indexes into details */
} outcomes;

static double add_successes_job(void *ctx, long iters)
{
    outcomes *o = ctx;
    uint64_t before = tlsrpt_policy_successful_sessions(o->policy);
    double t0 = now();
    for (long k = 0; k < iters; k++)
        if (tlsrpt_policy_add_successes(o->policy, 1) != TLSRPT_OK)
            exit(1);
    double t = now() - t0;
    if (tlsrpt_policy_successful_sessions(o->policy) - before != (uint64_t)iters)
        exit(1);
    return t;
}

static double add_failures_job(void *ctx, long iters)
{
    outcomes *o = ctx;
    size_t n_before = tlsrpt_policy_failure_count(o->policy);
    uint64_t before = tlsrpt_policy_failed_sessions(o->policy);
    double t0 = now();
    for (long k = 0; k < iters; k++)
        if (tlsrpt_policy_add_failures(o->policy, o->details[o->order[k % ORDER_LEN]], 1) != TLSRPT_OK)
            exit(1);
    double t = now() - t0;
    /* Every outcome went to an existing detail: no new one, and every session counted. */
    if (tlsrpt_policy_failure_count(o->policy) != n_before ||
        tlsrpt_policy_failed_sessions(o->policy) - before != (uint64_t)iters)
        exit(1);
    return t;
}

static void setup_outcomes(outcomes *o, tlsrpt_report **report)
{
    static const char *const result_types[] = {
        "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
        "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
        "sts-policy-invalid", "sts-webpki-invalid"};
    static const char *const reasons[] = {"X509_V_ERR_CERT_HAS_EXPIRED", "X509_V_ERR_HOSTNAME_MISMATCH",
                                          "TLS alert 40: handshake failure"};
    static const char *const strings[] = {"version: STSv1", "mode: enforce", "mx: mx1.customer.example",
                                          "mx: *.backup.customer.example", "max_age: 604800"};
    static const char *const mx[] = {"mx1.customer.example", "*.backup.customer.example"};
    check(tlsrpt_report_new(report, "Benchmark Mail Provider, Inc.", "smtp-tls-reporting@sender.example",
                            "2024-03-01T00:00:00Z_bench", 1709251200, 1709337599),
          "tlsrpt_report_new");
    check(tlsrpt_report_add_policy(*report, TLSRPT_POLICY_STS, "customer.example", strings, 5, mx, 2, &o->policy),
          "tlsrpt_report_add_policy");
    char text[64];
    for (int i = 0; i < N_DETAILS; i++) {
        tlsrpt_failure *f;
        check(tlsrpt_failure_new(&f, result_types[i % 11]), "tlsrpt_failure_new");
        if (i % 2)
            snprintf(text, sizeof text, "2001:db8:%x::%x", i, i + 1);
        else
            snprintf(text, sizeof text, "198.51.100.%d", i + 10);
        check(tlsrpt_failure_set_sending_mta_ip(f, text), "set_sending_mta_ip");
        snprintf(text, sizeof text, "mx%d.customer.example", i % 3 + 1);
        check(tlsrpt_failure_set_receiving_mx_hostname(f, text), "set_receiving_mx_hostname");
        snprintf(text, sizeof text, "203.0.113.%d", i % 3 + 1);
        check(tlsrpt_failure_set_receiving_ip(f, text), "set_receiving_ip");
        if (i % 4 == 0) {
            snprintf(text, sizeof text, "mx%d.customer.example", i % 3 + 1);
            check(tlsrpt_failure_set_receiving_mx_helo(f, text), "set_receiving_mx_helo");
        }
        if (i % 3 == 0)
            check(tlsrpt_failure_set_reason_code(f, reasons[i % 3]), "set_reason_code");
        check(tlsrpt_policy_add_failures(o->policy, f, 1), "tlsrpt_policy_add_failures");
        o->details[i] = f;
    }
    if (tlsrpt_policy_failure_count(o->policy) != N_DETAILS) {
        fputs("the 50 details are not distinct\n", stderr);
        exit(1);
    }
    uint32_t x = 12345;
    for (int k = 0; k < ORDER_LEN; k++) {
        x = x * 1103515245u + 12345u;
        o->order[k] = (unsigned char)((x >> 16) % N_DETAILS);
    }
}

/* ---- Serialization ------------------------------------------------------------------------------------------- */

typedef struct serialization {
    const tlsrpt_report *report;
    size_t json_bytes, gzip_bytes;
} serialization;

static double serialize_job(void *ctx, long iters)
{
    serialization *s = ctx;
    double t0 = now();
    for (long k = 0; k < iters; k++) {
        char *json;
        check(tlsrpt_report_serialize(s->report, 0, &json, &s->json_bytes), "tlsrpt_report_serialize");
        tlsrpt_free(json);
    }
    return now() - t0;
}

static double serialize_gzip_job(void *ctx, long iters)
{
    serialization *s = ctx;
    double t0 = now();
    for (long k = 0; k < iters; k++) {
        void *gz;
        check(tlsrpt_report_serialize_gzip(s->report, &gz, &s->gzip_bytes), "tlsrpt_report_serialize_gzip");
        tlsrpt_free(gz);
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    double seconds = 1.0;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
        seconds = atof(argv[2]);
        i = 3;
    }
    if (i + 1 != argc) {
        fputs("usage: write_bench [--seconds S] LARGE.json\n", stderr);
        return 2;
    }

    outcomes o;
    tlsrpt_report *built;
    setup_outcomes(&o, &built);
    double t = best_per_iter(add_successes_job, &o, seconds);
    printf("write\tlibtlsrpt\tsuccesses-per-s\t%.0f\n", 1.0 / t);
    t = best_per_iter(add_failures_job, &o, seconds);
    printf("write\tlibtlsrpt\tfailures-per-s\t%.0f\n", 1.0 / t);
    for (int k = 0; k < N_DETAILS; k++)
        tlsrpt_failure_free(o.details[k]);
    tlsrpt_report_free(built);

    size_t n;
    unsigned char *data = read_file(argv[i], &n);
    if (data == NULL) {
        perror(argv[i]);
        return 1;
    }
    tlsrpt_report *r;
    check(tlsrpt_report_parse(&r, data, n, 0, NULL), argv[i]);
    free(data);
    serialization s = {r, 0, 0};
    t = best_per_iter(serialize_job, &s, seconds);
    printf("write\tlibtlsrpt\tserialize-us\t%.1f\n", t * 1e6);
    printf("write\tlibtlsrpt\tjson-bytes\t%zu\n", s.json_bytes);
    t = best_per_iter(serialize_gzip_job, &s, seconds);
    printf("write\tlibtlsrpt\tserialize-gzip-us\t%.1f\n", t * 1e6);
    printf("write\tlibtlsrpt\tgzip-bytes\t%zu\n", s.gzip_bytes);
    tlsrpt_report_free(r);
    return 0;
}
