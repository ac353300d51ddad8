/* libtlsrpt — what a careful checker says about a valid MTA-STS policy (lint-sts-* findings, never errors).
 * SPDX-License-Identifier: MIT */
#include "sts_internal.h"

#include <stdlib.h>
#include <string.h>

/* RFC 8461 §3.2 recommends weeks; under a day an enforcing policy lapses between daily refreshes. */
#define ENFORCE_MIN_MAX_AGE 86400u

static const char *pattern_at(const tlsrpt_sts_policy *p, size_t i)
{
    return p->mx_lines[i] + STS_MX_PREFIX_LEN;
}

/* 1 if the last label is all digits: no host name has such a top-level label (RFC 1123 §2.1, RFC 3696 §2), so the
 * pattern can only be an IPv4 address written as a name, and an MX target is never an address. */
static int last_label_numeric(const char *pattern)
{
    const char *last = strrchr(pattern, '.');
    last = last ? last + 1 : pattern;
    for (const char *q = last; *q; q++)
        if (!trpt_is_digit((unsigned char)*q))
            return 0;
    return 1;
}

static int finding(tlsrpt_diag *diag, int severity, const char *id, const char *fmt, const char *name)
    TRPT_PRINTF(4, 0);

/* Adds one finding whose message quotes name (once, as %s), building nothing when the list would drop it. */
static int finding(tlsrpt_diag *diag, int severity, const char *id, const char *fmt, const char *name)
{
    if (!trpt_diag_keeps(diag, severity))
        return TLSRPT_OK;
    char *q = trpt_quoted(name, strlen(name), 100);
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#endif
    int rc = trpt_diag_add(diag, severity, id, TLSRPT_NO_OFFSET, NULL, fmt, q);
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif
    trpt_quoted_free(q);
    return rc;
}

static int lint_mode(const tlsrpt_sts_policy *p, unsigned int flags, tlsrpt_diag *diag)
{
    int rc = TLSRPT_OK;
    if (p->mode == TLSRPT_STS_MODE_ENFORCE && p->max_age < ENFORCE_MIN_MAX_AGE)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "lint-sts-enforce-short-max-age", TLSRPT_NO_OFFSET, NULL,
                           "The policy enforces with max_age %lu, under a day: senders that refresh daily may find "
                           "it expired; RFC 8461 recommends weeks.",
                           (unsigned long)p->max_age);
    if (rc == TLSRPT_OK && p->mode == TLSRPT_STS_MODE_NONE)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-sts-mode-none", TLSRPT_NO_OFFSET, NULL,
                           "The mode is none: senders stop applying MTA-STS to this domain once they fetch it.");
    if (rc == TLSRPT_OK && (flags & TLSRPT_STS_LINT_NO_TLSRPT) && p->mode == TLSRPT_STS_MODE_TESTING)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "lint-sts-testing-no-tlsrpt", TLSRPT_NO_OFFSET, NULL,
                           "The mode is testing but the domain publishes no TLSRPT record, so nobody will see the "
                           "failures testing is meant to show; publish _smtp._tls first.");
    if (rc == TLSRPT_OK && (flags & TLSRPT_STS_LINT_NO_TLSRPT) && p->mode == TLSRPT_STS_MODE_ENFORCE)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-sts-enforce-no-tlsrpt", TLSRPT_NO_OFFSET, NULL,
                           "The policy enforces but the domain publishes no TLSRPT record: mail that senders refuse "
                           "to deliver will go unreported.");
    return rc;
}

static int lint_patterns(const tlsrpt_sts_policy *p, char *const *hosts, size_t n_hosts, tlsrpt_diag *diag)
{
    int rc = TLSRPT_OK;
    for (size_t i = 0; i < p->mx_count && rc == TLSRPT_OK; i++) {
        const char *pat = pattern_at(p, i);
        int duplicate = 0, redundant = 0;
        for (size_t j = 0; j < p->mx_count && !duplicate; j++) {
            const char *other = pattern_at(p, j);
            if (j < i && trpt_ascii_strcasecmp(pat, other) == 0)
                duplicate = 1;
            else if (j != i && pat[0] != '*' && other[0] == '*' && trpt_sts_pattern_matches(other, pat))
                redundant = 1;
        }
        if (duplicate)
            rc = finding(diag, TLSRPT_SEVERITY_WARNING, DIAG_ID("lint-sts-mx-duplicate"),
                         "The mx pattern \"%s\" is listed more than once.", pat);
        else if (redundant)
            rc = finding(diag, TLSRPT_SEVERITY_INFO, DIAG_ID("lint-sts-mx-redundant"),
                         "The mx pattern \"%s\" is already covered by a wildcard pattern of the policy.", pat);
        if (rc == TLSRPT_OK && last_label_numeric(pat))
            rc = finding(diag, TLSRPT_SEVERITY_WARNING, DIAG_ID("lint-sts-mx-numeric"),
                         "The mx pattern \"%s\" ends in an all-digit label, so it covers no host name (MX records "
                         "name hosts, not addresses).",
                         pat);
        if (rc == TLSRPT_OK && hosts && !duplicate) {
            int used = 0;
            for (size_t h = 0; h < n_hosts && !used; h++)
                used = trpt_sts_pattern_matches(pat, hosts[h]);
            if (!used)
                rc = finding(diag, TLSRPT_SEVERITY_INFO, DIAG_ID("lint-sts-mx-unused"),
                             "The mx pattern \"%s\" covers none of the domain's MX hosts.", pat);
        }
    }
    /* Under mode none nothing is enforced, so an uncovered MX host loses no mail. */
    for (size_t h = 0; h < n_hosts && rc == TLSRPT_OK && p->mode != TLSRPT_STS_MODE_NONE; h++) {
        int covered = 0;
        for (size_t i = 0; i < p->mx_count && !covered; i++)
            covered = trpt_sts_pattern_matches(pattern_at(p, i), hosts[h]);
        if (!covered)
            rc = finding(diag, TLSRPT_SEVERITY_WARNING, DIAG_ID("lint-sts-mx-uncovered"),
                         "The MX host \"%s\" matches no mx pattern: senders that enforce the policy will not deliver "
                         "to it.",
                         hosts[h]);
    }
    return rc;
}

TLSRPT_API int tlsrpt_sts_policy_lint(const tlsrpt_sts_policy *p, unsigned int flags, const char *const *mx_hosts,
                                      size_t n_mx_hosts, tlsrpt_diag *diag)
{
    if (!p || !diag || (flags & ~TLSRPT_STS_LINT_NO_TLSRPT) || (n_mx_hosts > 0 && !mx_hosts))
        return TLSRPT_EINVAL;
    /* Convert every host before the first finding, so that a bad argument appends nothing. */
    char **hosts = NULL;
    int rc = TLSRPT_OK;
    size_t converted = 0;
    if (mx_hosts) {
        hosts = calloc(n_mx_hosts ? n_mx_hosts : 1, sizeof *hosts);
        if (!hosts)
            return TLSRPT_ENOMEM;
        for (; converted < n_mx_hosts && rc == TLSRPT_OK; converted++)
            rc = mx_hosts[converted] ? trpt_domain_to_alabel(mx_hosts[converted], 0, &hosts[converted])
                                     : TLSRPT_EINVAL;
    }
    if (rc == TLSRPT_OK)
        rc = lint_mode(p, flags, diag);
    if (rc == TLSRPT_OK)
        rc = lint_patterns(p, hosts, mx_hosts ? n_mx_hosts : 0, diag);
    for (size_t i = 0; i < converted; i++)
        free(hosts[i]);
    free(hosts);
    return rc;
}
