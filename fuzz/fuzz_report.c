/* Fuzz target: report parse (JSON or gzip, lenient or strict), every getter, validate; a report that parses must
 * serialize, and the serialized report must parse again (strictly the same where the writer normalizes nothing:
 * every count and string that the getters return).
 * The first input byte selects strict mode (odd) or lenient (even); the rest is the report.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_report_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_string(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* What serialize -> parse must preserve: every field the getters return. */
static void check_same(const tlsrpt_report *a, const tlsrpt_report *b)
{
    FUZZ_CHECK(same_string(tlsrpt_report_organization_name(a), tlsrpt_report_organization_name(b)));
    FUZZ_CHECK(same_string(tlsrpt_report_contact_info(a), tlsrpt_report_contact_info(b)));
    FUZZ_CHECK(same_string(tlsrpt_report_id(a), tlsrpt_report_id(b)));
    FUZZ_CHECK(tlsrpt_report_start_time(a) == tlsrpt_report_start_time(b));
    FUZZ_CHECK(tlsrpt_report_end_time(a) == tlsrpt_report_end_time(b));
    FUZZ_CHECK(tlsrpt_report_policy_count(a) == tlsrpt_report_policy_count(b));
    for (size_t i = 0; i < tlsrpt_report_policy_count(a); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(a, i), *q = tlsrpt_report_policy(b, i);
        FUZZ_CHECK(same_string(tlsrpt_policy_type_name(p), tlsrpt_policy_type_name(q)));
        FUZZ_CHECK(same_string(tlsrpt_policy_domain(p), tlsrpt_policy_domain(q)));
        FUZZ_CHECK(tlsrpt_policy_string_count(p) == tlsrpt_policy_string_count(q));
        for (size_t j = 0; j < tlsrpt_policy_string_count(p); j++)
            FUZZ_CHECK(same_string(tlsrpt_policy_string(p, j), tlsrpt_policy_string(q, j)));
        FUZZ_CHECK(tlsrpt_policy_mx_host_count(p) == tlsrpt_policy_mx_host_count(q));
        for (size_t j = 0; j < tlsrpt_policy_mx_host_count(p); j++)
            FUZZ_CHECK(same_string(tlsrpt_policy_mx_host(p, j), tlsrpt_policy_mx_host(q, j)));
        FUZZ_CHECK(tlsrpt_policy_successful_sessions(p) == tlsrpt_policy_successful_sessions(q));
        FUZZ_CHECK(tlsrpt_policy_failed_sessions(p) == tlsrpt_policy_failed_sessions(q));
        FUZZ_CHECK(tlsrpt_policy_failure_count(p) == tlsrpt_policy_failure_count(q));
        for (size_t j = 0; j < tlsrpt_policy_failure_count(p); j++) {
            const tlsrpt_failure *f = tlsrpt_policy_failure(p, j), *g = tlsrpt_policy_failure(q, j);
            FUZZ_CHECK(same_string(tlsrpt_failure_result_type(f), tlsrpt_failure_result_type(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_sending_mta_ip(f), tlsrpt_failure_sending_mta_ip(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_receiving_mx_hostname(f), tlsrpt_failure_receiving_mx_hostname(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_receiving_mx_helo(f), tlsrpt_failure_receiving_mx_helo(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_receiving_ip(f), tlsrpt_failure_receiving_ip(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_additional_information(f), tlsrpt_failure_additional_information(g)));
            FUZZ_CHECK(same_string(tlsrpt_failure_reason_code(f), tlsrpt_failure_reason_code(g)));
            FUZZ_CHECK(tlsrpt_failure_session_count(f) == tlsrpt_failure_session_count(g));
        }
    }
}

static void round_trip(const tlsrpt_report *rep)
{
    char *json = NULL;
    size_t len = 0;
    int rc = tlsrpt_report_serialize(rep, 0, &json, &len);
    /* Serialization fails only for lack of memory or for a report it cannot write faithfully; say which. */
    if (rc != TLSRPT_OK) {
        FUZZ_CHECK(rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL || rc == TLSRPT_ELIMIT);
        FUZZ_CHECK(json == NULL);
        return;
    }
    tlsrpt_report *again = NULL;
    rc = tlsrpt_report_parse(&again, json, len, 0, NULL);
    FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_ENOMEM);
    if (rc == TLSRPT_OK)
        check_same(rep, again);
    tlsrpt_report_free(again);
    tlsrpt_free(json);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? TLSRPT_PARSE_STRICT : 0;
    tlsrpt_diag *diag = NULL;
    tlsrpt_report *rep = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_report_parse(&rep, data + 1, size - 1, flags, diag);
    if (rc != TLSRPT_OK) {
        FUZZ_CHECK(rep == NULL);
        if (rc != TLSRPT_ENOMEM)
            FUZZ_CHECK(fuzz_has_error(diag));
    } else {
        FUZZ_CHECK(rep != NULL);
        FUZZ_CHECK(!fuzz_has_error(diag)); /* success never carries an ERROR, in either mode */
        fuzz_walk_report(rep);
        round_trip(rep);
        tlsrpt_diag_clear(diag);
        (void)tlsrpt_report_validate(rep, diag);
    }
    tlsrpt_report_free(rep);
    tlsrpt_diag_free(diag);
    return 0;
}
