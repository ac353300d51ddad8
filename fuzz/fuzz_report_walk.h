/* Shared by the report and message fuzz targets: every getter of a parsed report, with its invariants.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_FUZZ_REPORT_WALK_H
#define TLSRPT_FUZZ_REPORT_WALK_H

#include <string.h>

#include "fuzz_common.h"

static inline void fuzz_touch(const char *s)
{
    /* Reads the whole string, so ASan/valgrind see an unterminated or freed one. */
    if (s)
        FUZZ_CHECK(strlen(s) < ((size_t)1 << 30));
}

static inline void fuzz_walk_report(const tlsrpt_report *r)
{
    fuzz_touch(tlsrpt_report_organization_name(r));
    fuzz_touch(tlsrpt_report_contact_info(r));
    fuzz_touch(tlsrpt_report_id(r));
    (void)tlsrpt_report_start_time(r);
    (void)tlsrpt_report_end_time(r);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        FUZZ_CHECK(p != NULL);
        int type = tlsrpt_policy_type(p);
        FUZZ_CHECK(type >= TLSRPT_POLICY_OTHER && type <= TLSRPT_POLICY_NO_POLICY_FOUND);
        fuzz_touch(tlsrpt_policy_type_name(p));
        fuzz_touch(tlsrpt_policy_domain(p));
        for (size_t j = 0; j < tlsrpt_policy_string_count(p); j++)
            fuzz_touch(tlsrpt_policy_string(p, j));
        FUZZ_CHECK(tlsrpt_policy_string(p, tlsrpt_policy_string_count(p)) == NULL);
        for (size_t j = 0; j < tlsrpt_policy_mx_host_count(p); j++)
            fuzz_touch(tlsrpt_policy_mx_host(p, j));
        (void)tlsrpt_policy_successful_sessions(p);
        (void)tlsrpt_policy_failed_sessions(p);
        for (size_t j = 0; j < tlsrpt_policy_failure_count(p); j++) {
            const tlsrpt_failure *f = tlsrpt_policy_failure(p, j);
            FUZZ_CHECK(f != NULL);
            const char *rt = tlsrpt_failure_result_type(f);
            fuzz_touch(rt);
            int code = tlsrpt_failure_result_code(f);
            FUZZ_CHECK(code >= TLSRPT_RESULT_OTHER && code <= TLSRPT_RESULT_STS_WEBPKI_INVALID);
            if (rt)
                FUZZ_CHECK((tlsrpt_result_type_description(rt) != NULL) == (code != TLSRPT_RESULT_OTHER));
            fuzz_touch(tlsrpt_failure_sending_mta_ip(f));
            fuzz_touch(tlsrpt_failure_receiving_mx_hostname(f));
            fuzz_touch(tlsrpt_failure_receiving_mx_helo(f));
            fuzz_touch(tlsrpt_failure_receiving_ip(f));
            fuzz_touch(tlsrpt_failure_additional_information(f));
            fuzz_touch(tlsrpt_failure_reason_code(f));
            (void)tlsrpt_failure_session_count(f);
        }
        FUZZ_CHECK(tlsrpt_policy_failure(p, tlsrpt_policy_failure_count(p)) == NULL);
    }
    FUZZ_CHECK(tlsrpt_report_policy(r, tlsrpt_report_policy_count(r)) == NULL);
}

#endif
