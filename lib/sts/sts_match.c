/* libtlsrpt — MX host matching against an MTA-STS policy's mx patterns (RFC 8461 §4.1).
 * SPDX-License-Identifier: MIT */
#include "sts_internal.h"

#include <stdlib.h>
#include <string.h>

int trpt_sts_pattern_matches(const char *pattern, const char *host)
{
    if (pattern[0] == '*' && pattern[1] == '.') {
        /* "*" is exactly one whole label: the host's first label, and the rest equal to the pattern's base. */
        const char *dot = strchr(host, '.');
        return dot && dot != host && trpt_ascii_strcasecmp(dot + 1, pattern + 2) == 0;
    }
    return trpt_ascii_strcasecmp(host, pattern) == 0;
}

TLSRPT_API int tlsrpt_sts_policy_matches(const tlsrpt_sts_policy *p, const char *mx_host)
{
    if (!p || !mx_host)
        return TLSRPT_EINVAL;
    /* Lower case, no trailing dot, U-labels to A-labels: the patterns are A-labels (the parser and the builder
     * see to it), so one comparison per pattern decides. */
    char *host = NULL;
    int rc = trpt_domain_to_alabel(mx_host, 0, &host);
    if (rc != TLSRPT_OK)
        return rc;
    int found = 0;
    for (size_t i = 0; i < p->mx_count && !found; i++)
        found = trpt_sts_pattern_matches(p->mx_lines[i] + STS_MX_PREFIX_LEN, host);
    free(host);
    return found;
}
