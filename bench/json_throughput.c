/* Throughput of the JSON reader on a generated ~20 KB TLS-RPT-like report: reads every token and fetches every
 * string and count the way the report parser does. Not a test (no timed assertions anywhere); build it with
 * `ninja -C <build> bench/json_throughput` and run it: prints MB/s for a compact and a pretty-printed document.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "json_reader.h"

#include "bench_common.h"

static void report(trpt_buf *b, int pretty)
{
    const char *nl = pretty ? "\n" : "", *in1 = pretty ? "  " : "", *in2 = pretty ? "    " : "",
               *in3 = pretty ? "      " : "", *in4 = pretty ? "        " : "", *sp = pretty ? " " : "";
    trpt_buf_printf(b, "{%s%s\"organization-name\":%s\"Example Mail Provider, Inc.\",%s", nl, in1, sp, nl);
    trpt_buf_printf(b, "%s\"date-range\":%s{\"start-datetime\":%s\"2024-03-01T00:00:00Z\",%s\"end-datetime\":%s"
                       "\"2024-03-01T23:59:59Z\"},%s", in1, sp, sp, sp, sp, nl);
    trpt_buf_printf(b, "%s\"contact-info\":%s\"smtp-tls-reporting@mail.example.com\",%s", in1, sp, nl);
    trpt_buf_printf(b, "%s\"report-id\":%s\"2024-03-01T00:00:00Z_example.net\",%s", in1, sp, nl);
    trpt_buf_printf(b, "%s\"policies\":%s[", in1, sp);
    for (int p = 0; b->len < 19500; p++) {
        trpt_buf_printf(b, "%s%s%s{%s%s\"policy\":%s{%s", p ? "," : "", nl, in2, nl, in3, sp, nl);
        trpt_buf_printf(b, "%s\"policy-type\":%s\"sts\",%s%s\"policy-string\":%s[\"version: STSv1\",%s\"mode: "
                           "enforce\",%s\"mx: mx%d.example.net\",%s\"mx: *.backup.example.net\",%s\"max_age: "
                           "604800\"],%s",
                        in4, sp, nl, in4, sp, sp, sp, p, sp, sp, nl);
        trpt_buf_printf(b, "%s\"policy-domain\":%s\"example%d.net\",%s%s\"mx-host\":%s[\"mx%d.example.net\","
                           "%s\"*.backup.example.net\"]%s%s},%s",
                        in4, sp, p, nl, in4, sp, p, sp, nl, in3, nl);
        trpt_buf_printf(b, "%s\"summary\":%s{\"total-successful-session-count\":%s%d,%s"
                           "\"total-failure-session-count\":%s%d},%s",
                        in3, sp, sp, 1000 + p * 37, sp, sp, p * 3, nl);
        trpt_buf_printf(b, "%s\"failure-details\":%s[", in3, sp);
        for (int f = 0; f < 3; f++)
            trpt_buf_printf(b, "%s%s%s{\"result-type\":%s\"certificate-expired\",%s\"sending-mta-ip\":%s"
                               "\"2001:db8:abcd:12::%x\",%s\"receiving-mx-hostname\":%s\"mx%d.example.net\",%s"
                               "\"receiving-ip\":%s\"203.0.113.%d\",%s\"failed-session-count\":%s%d,%s"
                               "\"failure-reason-code\":%s\"X509_V_ERR_CERT_HAS_EXPIRED \\/ see log\"}",
                            f ? "," : "", nl, in4, sp, sp, sp, f + 1, sp, sp, p, sp, sp, f + 10, sp, sp, f + 1, sp,
                            sp);
        trpt_buf_printf(b, "%s%s]%s%s}", nl, in3, nl, in2);
    }
    trpt_buf_printf(b, "%s%s]%s}%s", nl, in1, nl, nl);
}

/* Reads the document once like a schema-driven parser; returns a checksum so nothing is optimized away. */
static uint64_t read_once(const char *doc, size_t len)
{
    trpt_json_reader *r;
    uint64_t sum = 0;
    if (trpt_json_reader_new(&r, doc, len, TRPT_JSON_STRICT, TLSRPT_MAX_REPORT_SIZE, NULL) != TLSRPT_OK)
        exit(1);
    int t;
    while ((t = trpt_json_next(r)) > 0 && t != TRPT_JSON_END) {
        size_t n;
        if (t == TRPT_JSON_STRING || t == TRPT_JSON_NAME) {
            sum += (size_t)(trpt_json_string(r, &n) != NULL) + n;
        } else if (t == TRPT_JSON_NUMBER) {
            uint64_t v;
            if (trpt_json_uint64(r, &v) == TLSRPT_OK)
                sum += v;
        }
    }
    if (t != TRPT_JSON_END) {
        fprintf(stderr, "bench document rejected (%d)\n", t);
        exit(1);
    }
    trpt_json_reader_free(r);
    return sum;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.0;
    for (int pretty = 0; pretty < 2; pretty++) {
        trpt_buf b;
        trpt_buf_init(&b);
        report(&b, pretty);
        char *doc;
        size_t len;
        if (trpt_buf_finish(&b, &doc, &len) != TLSRPT_OK)
            return 1;
        uint64_t sum = 0;
        size_t iters = 0;
        double t0 = now(), t1;
        do {
            for (int i = 0; i < 100; i++)
                sum += read_once(doc, len);
            iters += 100;
            t1 = now();
        } while (t1 - t0 < seconds);
        printf("%-8s document %zu bytes: %zu reads in %.2f s = %.0f MB/s (checksum %llu)\n",
               pretty ? "pretty" : "compact", len, iters, t1 - t0, (double)len * (double)iters / (t1 - t0) / 1e6,
               (unsigned long long)sum);
        free(doc);
    }
    return 0;
}
