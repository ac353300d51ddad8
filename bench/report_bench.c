/* "gzip (or JSON) bytes -> report object with every field read" with libtlsrpt, through the public API only:
 * tlsrpt_report_parse() on the file's bytes, then every getter on the report, folded into a checksum that the
 * Python, Node and jansson benchmarks compute the same way (bench/README.md). Not a test: no timed assertions.
 *
 *   report_bench [--seconds S] FILE...   one line per FILE: impl, file, JSON bytes, best µs per report, checksum
 *   report_heap --heap FILE              (the same source built with -DCOUNT_HEAP) peak heap above the baseline
 *                                        during one parse + walk, by a counting allocator (glibc: interposes
 *                                        malloc/calloc/realloc/free for the whole process, libdeflate included)
 * SPDX-License-Identifier: MIT */
#include <tlsrpt/tlsrpt.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"

/* The counting allocator (count_heap.h) is compiled only into report_heap (meson: -DCOUNT_HEAP), so that it never
 * slows the timed runs of report_bench. */
#ifdef COUNT_HEAP
#include "count_heap.h"
#endif

#define BATCHES 5

/* ---- The walk --------------------------------------------------------------------------------------------------- */

static uint64_t len(const char *s)
{
    return s ? strlen(s) : 0;
}

/* Reads every field of the report: string lengths, counts, times and type codes, summed. */
static uint64_t walk(const tlsrpt_report *r)
{
    uint64_t c = len(tlsrpt_report_organization_name(r)) + len(tlsrpt_report_contact_info(r)) +
                 len(tlsrpt_report_id(r)) + (uint64_t)tlsrpt_report_start_time(r) +
                 (uint64_t)tlsrpt_report_end_time(r);
    size_t np = tlsrpt_report_policy_count(r);
    c += np;
    for (size_t i = 0; i < np; i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        c += (uint64_t)tlsrpt_policy_type(p) + len(tlsrpt_policy_type_name(p)) + len(tlsrpt_policy_domain(p));
        for (size_t k = 0; k < tlsrpt_policy_string_count(p); k++)
            c += len(tlsrpt_policy_string(p, k));
        for (size_t k = 0; k < tlsrpt_policy_mx_host_count(p); k++)
            c += len(tlsrpt_policy_mx_host(p, k));
        c += tlsrpt_policy_successful_sessions(p) + tlsrpt_policy_failed_sessions(p);
        size_t nf = tlsrpt_policy_failure_count(p);
        c += nf;
        for (size_t k = 0; k < nf; k++) {
            const tlsrpt_failure *f = tlsrpt_policy_failure(p, k);
            c += (uint64_t)tlsrpt_failure_result_code(f) + len(tlsrpt_failure_result_type(f)) +
                 len(tlsrpt_failure_sending_mta_ip(f)) + len(tlsrpt_failure_receiving_mx_hostname(f)) +
                 len(tlsrpt_failure_receiving_mx_helo(f)) + len(tlsrpt_failure_receiving_ip(f)) +
                 len(tlsrpt_failure_additional_information(f)) + len(tlsrpt_failure_reason_code(f)) +
                 tlsrpt_failure_session_count(f);
        }
    }
    return c;
}

/* ---- Driver ------------------------------------------------------------------------------------------------------ */

/* One parse + walk; returns the checksum, or exits on a parse failure (the benchmark inputs are valid reports). */
static __attribute__((noinline)) uint64_t once(const unsigned char *data, size_t n, const char *name)
{
    tlsrpt_report *r = NULL;
    int rc = tlsrpt_report_parse(&r, data, n, 0, NULL);
    if (rc != TLSRPT_OK) {
        fprintf(stderr, "%s: %s\n", name, tlsrpt_status_string(rc));
        exit(1);
    }
    uint64_t c = walk(r);
    tlsrpt_report_free(r);
    return c;
}

/* The size of the JSON text: the file itself, or the ISIZE trailer of a (single-member) gzip file. */
static size_t json_size(const unsigned char *data, size_t n)
{
    if (n >= 18 && data[0] == 0x1f && data[1] == 0x8b)
        return (size_t)data[n - 4] | (size_t)data[n - 3] << 8 | (size_t)data[n - 2] << 16 | (size_t)data[n - 1] << 24;
    return n;
}

int main(int argc, char **argv)
{
    double seconds = 1.0;
    int i = 1;
    if (argc == 3 && strcmp(argv[1], "--heap") == 0) {
#ifdef COUNTING_ALLOCATOR
        size_t n;
        unsigned char *data = read_file(argv[2], &n);
        if (data == NULL) {
            perror(argv[2]);
            return 1;
        }
        heap_mark();
        uint64_t c = once(data, n, argv[2]);
        printf("libtlsrpt\t%s\t%zu\tpeak-heap\t%zu\t%llu\n", argv[2], json_size(data, n), heap_peak_since_mark(),
               (unsigned long long)c);
        free(data);
        return 0;
#else
        fputs("--heap needs the report_heap build (-DCOUNT_HEAP, glibc)\n", stderr);
        return 2;
#endif
    }
    if (argc > 3 && strcmp(argv[1], "--iterations") == 0) {
        /* A fixed amount of work for instruction counts (valgrind --tool=callgrind --toggle-collect=once): N parses
         * + walks of each FILE, untimed. */
        long n_iter = atol(argv[2]);
        for (i = 3; i < argc; i++) {
            size_t n;
            unsigned char *data = read_file(argv[i], &n);
            if (data == NULL) {
                perror(argv[i]);
                return 1;
            }
            uint64_t c = 0;
            for (long k = 0; k < n_iter; k++)
                c += once(data, n, argv[i]);
            printf("libtlsrpt\t%s\t%zu\titerations\t%ld\t%llu\n", argv[i], json_size(data, n), n_iter,
                   (unsigned long long)c);
            free(data);
        }
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
        seconds = atof(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fputs("usage: report_bench [--seconds S] FILE... | report_bench --iterations N FILE... | report_bench --heap FILE\n",
              stderr);
        return 2;
    }
    for (; i < argc; i++) {
        size_t n;
        unsigned char *data = read_file(argv[i], &n);
        if (data == NULL) {
            perror(argv[i]);
            return 1;
        }
        uint64_t sum = once(data, n, argv[i]);
        /* Calibrate: a batch lasts about seconds / BATCHES; report the best batch. */
        long iters = 1;
        for (;;) {
            double t0 = now();
            for (long k = 0; k < iters; k++)
                once(data, n, argv[i]);
            if (now() - t0 >= seconds / BATCHES / 4 || iters > (1L << 40))
                break;
            iters *= 2;
        }
        iters *= 4;
        double best = 1e30;
        for (int b = 0; b < BATCHES; b++) {
            double t0 = now();
            uint64_t c = 0;
            for (long k = 0; k < iters; k++)
                c += once(data, n, argv[i]);
            double t = (now() - t0) / (double)iters;
            if (c != sum * (uint64_t)iters) {
                fprintf(stderr, "%s: checksum changed\n", argv[i]);
                return 1;
            }
            if (t < best)
                best = t;
        }
        printf("libtlsrpt\t%s\t%zu\t%.3f\t%llu\n", argv[i], json_size(data, n), best * 1e6, (unsigned long long)sum);
        free(data);
    }
    return 0;
}
