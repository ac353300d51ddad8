/* read-report: read an SMTP TLS report (RFC 8460 §4) and print its summary, as a report receiver would.
 * SPDX-License-Identifier: MIT
 *
 * usage: read-report [FILE]   (JSON or gzip-compressed JSON; without FILE, a report built into the program) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <tlsrpt/tlsrpt.h>

/* A report as a sender writes it: one MTA-STS policy, 1 000 good sessions and 3 that failed. */
static const char SAMPLE[] =
    "{\"organization-name\":\"Example Mail\",\"date-range\":{\"start-datetime\":\"2024-07-01T00:00:00Z\","
    "\"end-datetime\":\"2024-07-01T23:59:59Z\"},\"contact-info\":\"tlsrpt@mail.example\","
    "\"report-id\":\"2024-07-01-42\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\","
    "\"policy-string\":[\"version: STSv1\",\"mode: enforce\",\"mx: mx.example.com\",\"max_age: 86400\"],"
    "\"policy-domain\":\"example.com\",\"mx-host\":\"mx.example.com\"},"
    "\"summary\":{\"total-successful-session-count\":1000,\"total-failure-session-count\":3},"
    "\"failure-details\":[{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.25\","
    "\"receiving-mx-hostname\":\"mx.example.com\",\"failed-session-count\":3}]}]}";

/* Reads a whole file into memory (a real receiver would also cap its size: the library refuses more than
 * TLSRPT_MAX_REPORT_SIZE anyway). Returns a buffer to free(), or NULL. */
static char *read_file(const char *name, size_t *len)
{
    FILE *f = fopen(name, "rb");
    char *buf = NULL;
    size_t cap = 0;
    int complete = 0;
    *len = 0;
    while (f != NULL && !complete) {
        if (*len == cap) {
            char *grown = realloc(buf, cap = cap ? cap * 2 : 4096);
            if (grown == NULL)
                break;
            buf = grown;
        }
        size_t n = fread(buf + *len, 1, cap - *len, f);
        *len += n;
        if (n == 0 && ferror(f))
            break;
        complete = n == 0;
    }
    if (f != NULL)
        fclose(f);
    if (!complete) {
        free(buf);
        return NULL;
    }
    return buf;
}

int main(int argc, char **argv)
{
    size_t len = sizeof SAMPLE - 1;
    char *data = argc > 1 ? read_file(argv[1], &len) : NULL;
    if (argc > 1 && data == NULL) {
        perror(argv[1]);
        return 2;
    }
    tlsrpt_diag *diag = NULL;
    tlsrpt_report *r = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK) {
        free(data);
        return 2;
    }
    /* JSON or gzip, told apart by the first bytes. Lenient by default: the ways real senders deviate from RFC 8460
     * are warnings (flags TLSRPT_PARSE_STRICT makes them errors). */
    int rc = tlsrpt_report_parse(&r, data ? data : SAMPLE, len, 0, diag);
    free(data);
    /* Report findings carry a JSON pointer to the member they are about. */
    for (size_t i = 0; i < tlsrpt_diag_count(diag); i++)
        printf("[%s] %s: %s\n", tlsrpt_diag_id(diag, i), tlsrpt_diag_path(diag, i), tlsrpt_diag_message(diag, i));
    if (rc != TLSRPT_OK) {
        printf("not a report: %s\n", tlsrpt_status_string(rc));
        tlsrpt_diag_free(diag);
        return 1;
    }
    /* Strings are returned exactly as written, NULL when absent; times are Unix seconds (0 when absent). */
    const char *org = tlsrpt_report_organization_name(r);
    printf("from %s, report %s\n", org ? org : "(no name)", tlsrpt_report_id(r) ? tlsrpt_report_id(r) : "(no id)");
    printf("period %" PRId64 " to %" PRId64 "\n", tlsrpt_report_start_time(r), tlsrpt_report_end_time(r));
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i); /* borrowed from r */
        const char *domain = tlsrpt_policy_domain(p);
        printf("policy %s for %s: %" PRIu64 " successful, %" PRIu64 " failed sessions\n",
               tlsrpt_policy_type_name(p), domain ? domain : "(no domain)", tlsrpt_policy_successful_sessions(p),
               tlsrpt_policy_failed_sessions(p));
        for (size_t k = 0; k < tlsrpt_policy_failure_count(p); k++) {
            const tlsrpt_failure *f = tlsrpt_policy_failure(p, k);
            /* A plain-English sentence for each registered result type, NULL for any other. */
            const char *meaning = tlsrpt_result_type_description(tlsrpt_failure_result_type(f));
            printf("  %" PRIu64 " x %s: %s\n", tlsrpt_failure_session_count(f), tlsrpt_failure_result_type(f),
                   meaning ? meaning : "(not a registered result type)");
        }
    }
    tlsrpt_report_free(r);
    tlsrpt_diag_free(diag);
    return 0;
}
