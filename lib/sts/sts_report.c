/* libtlsrpt — an applied MTA-STS policy as a policy of a TLSRPT report (RFC 8460 §4.4 with RFC 8461).
 * SPDX-License-Identifier: MIT */
#include "sts_internal.h"

#include <stdlib.h>

TLSRPT_API int tlsrpt_report_add_sts_policy(tlsrpt_report *r, const char *policy_domain,
                                            const tlsrpt_sts_policy *sts, tlsrpt_policy **policy)
{
    if (!policy)
        return TLSRPT_EINVAL;
    *policy = NULL;
    if (!r || !policy_domain || !sts)
        return TLSRPT_EINVAL;
    /* The canonical lines and the patterns are what two processes that fetched the same policy have in common
     * (whatever the files' terminators, whitespace and the place of the version, mode and max_age lines), so
     * tlsrpt_report_add_policy finds one entry. */
    size_t n = tlsrpt_sts_policy_string_count(sts);
    const char **strings = malloc((n + sts->mx_count) * sizeof *strings);
    if (!strings)
        return TLSRPT_ENOMEM;
    const char **mx = strings + n;
    for (size_t i = 0; i < n; i++)
        strings[i] = tlsrpt_sts_policy_string(sts, i);
    for (size_t i = 0; i < sts->mx_count; i++)
        mx[i] = sts->mx_lines[i] + STS_MX_PREFIX_LEN;
    int rc = tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, policy_domain, strings, n, mx, sts->mx_count, policy);
    free(strings);
    return rc;
}
