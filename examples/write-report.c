/* write-report: what an MTA does with TLS-RPT all day: record the outcome of each delivery attempt, and after
 * midnight UTC write the day's report (RFC 8460 §4) under its §5.1 file name.
 * SPDX-License-Identifier: MIT
 *
 * usage: write-report [UNIX-TIME]   (a moment of the day to report; default 2024-07-01 12:00:00 UTC) */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <tlsrpt/tlsrpt.h>

#define SECONDS_PER_DAY 86400

/* Stops at the first failed call: a real MTA would log it and keep delivering mail. */
#define CHECK(call)                                                                                               \
    do {                                                                                                          \
        int rc_ = (call);                                                                                         \
        if (rc_ != TLSRPT_OK) {                                                                                   \
            fprintf(stderr, "%s: %s\n", #call, tlsrpt_status_string(rc_));                                       \
            exit(1);                                                                                              \
        }                                                                                                         \
    } while (0)

int main(int argc, char **argv)
{
    int64_t moment = argc > 1 ? strtoll(argv[1], NULL, 10) : 1719835200;
    /* The reporting period is one UTC day: 00:00:00 to 23:59:59. */
    int64_t start = moment - moment % SECONDS_PER_DAY, end = start + SECONDS_PER_DAY - 1;

    /* One report per day and per policy domain (the recipients' domain, here example.com), started when the day
     * starts. The strings are copied; the report id must be unique to the sender. */
    char report_id[64];
    snprintf(report_id, sizeof report_id, "%" PRId64 ".mail.example", start / SECONDS_PER_DAY);
    tlsrpt_report *report = NULL;
    CHECK(tlsrpt_report_new(&report, "Example Mail", "tlsrpt@mail.example", report_id, start, end));

    /* Each delivery attempt: find (or add, the first time) the policy that was applied. Equal policies are found
     * again without allocating, so this is cheap on the hot path. The policy is borrowed from the report. */
    static const char *const sts[] = {"version: STSv1", "mode: enforce", "mx: mx.example.com", "max_age: 86400"};
    static const char *const mx[] = {"mx.example.com"};
    tlsrpt_policy *policy = NULL;
    for (int attempt = 0; attempt < 3; attempt++) {
        CHECK(tlsrpt_report_add_policy(report, TLSRPT_POLICY_STS, "example.com", sts, 4, mx, 1, &policy));
        CHECK(tlsrpt_policy_add_successes(policy, 1));
    }

    /* A failed session: describe it once as a standalone failure detail, then add it to the policy as often as it
     * happens. Equal details are merged into one with the sum of their counts. */
    tlsrpt_failure *expired = NULL;
    CHECK(tlsrpt_failure_new(&expired, "certificate-expired"));
    CHECK(tlsrpt_failure_set_sending_mta_ip(expired, "192.0.2.25"));
    CHECK(tlsrpt_failure_set_receiving_mx_hostname(expired, "mx.example.com"));
    CHECK(tlsrpt_failure_set_receiving_ip(expired, "203.0.113.7"));
    CHECK(tlsrpt_policy_add_failures(policy, expired, 2)); /* copies the detail: adds 2 failed sessions */
    CHECK(tlsrpt_policy_add_failures(policy, expired, 1)); /* the same detail again: now 3 */
    tlsrpt_failure_free(expired);

    /* Another kind of failure, with the reason code the MTA's TLS library gave. */
    tlsrpt_failure *no_starttls = NULL;
    CHECK(tlsrpt_failure_new(&no_starttls, "starttls-not-supported"));
    CHECK(tlsrpt_failure_set_sending_mta_ip(no_starttls, "192.0.2.25")); /* RFC 8460 requires it */
    CHECK(tlsrpt_failure_set_receiving_mx_hostname(no_starttls, "mx.example.com"));
    CHECK(tlsrpt_failure_set_reason_code(no_starttls, "no STARTTLS in EHLO"));
    CHECK(tlsrpt_policy_add_failures(policy, no_starttls, 1));
    tlsrpt_failure_free(no_starttls);

    /* After midnight: the file name (sender's domain, policy domain, period) and the JSON. Both are allocated by
     * the library and released with tlsrpt_free(). tlsrpt_report_serialize_gzip() and tlsrpt_report_to_message()
     * give what is actually sent (doc/mta-integration.md). */
    char *name = NULL, *json = NULL;
    size_t json_len = 0;
    CHECK(tlsrpt_report_filename(report, "mail.example", "example.com", NULL, 0, &name));
    CHECK(tlsrpt_report_serialize(report, TLSRPT_JSON_PRETTY, &json, &json_len));
    printf("%s\n", name);
    fwrite(json, 1, json_len, stdout);
    tlsrpt_free(name);
    tlsrpt_free(json);
    tlsrpt_report_free(report);
    return 0;
}
