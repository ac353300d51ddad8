/* libtlsrpt — the MTA-STS policy object (RFC 8461 §3.2): builder, getters, the report's policy-string lines,
 * serializer. The parser is lib/sts/sts_policy_parse.c.
 * SPDX-License-Identifier: MIT
 *
 * The object keeps each line ready as it goes into a report's "policy-string" (RFC 8460 Appendix B order: version,
 * mode, mx..., max_age, then extensions), so that the getters and tlsrpt_report_add_sts_policy allocate nothing and
 * a const policy can be read from many threads at once. */
#include "sts_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VERSION_LINE "version: STSv1"

tlsrpt_sts_policy *trpt_sts_policy_alloc(void)
{
    tlsrpt_sts_policy *p = calloc(1, sizeof *p);
    if (p)
        trpt_sts_policy_set_max_age(p, 0);
    return p;
}

void trpt_sts_policy_set_max_age(tlsrpt_sts_policy *p, uint32_t max_age)
{
    p->max_age = max_age;
    snprintf(p->max_age_line, sizeof p->max_age_line, "max_age: %lu", (unsigned long)max_age);
}

int trpt_sts_policy_push_mx(tlsrpt_sts_policy *p, const char *pattern, size_t len)
{
    if (p->mx_count == p->mx_cap) {
        size_t cap = p->mx_cap ? p->mx_cap * 2 : 4;
        char **v = realloc(p->mx_lines, cap * sizeof *v);
        if (!v)
            return TLSRPT_ENOMEM;
        p->mx_lines = v;
        p->mx_cap = cap;
    }
    char *line = malloc(STS_MX_PREFIX_LEN + len + 1);
    if (!line)
        return TLSRPT_ENOMEM;
    memcpy(line, STS_MX_PREFIX, STS_MX_PREFIX_LEN);
    memcpy(line + STS_MX_PREFIX_LEN, pattern, len);
    line[STS_MX_PREFIX_LEN + len] = '\0';
    p->mx_lines[p->mx_count++] = line;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_sts_policy_new(tlsrpt_sts_policy **out, int mode, uint32_t max_age)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!trpt_sts_mode_name(mode) || max_age > TLSRPT_MAX_STS_MAX_AGE)
        return TLSRPT_EINVAL;
    tlsrpt_sts_policy *p = trpt_sts_policy_alloc();
    if (!p)
        return TLSRPT_ENOMEM;
    p->mode = mode;
    trpt_sts_policy_set_max_age(p, max_age);
    *out = p;
    return TLSRPT_OK;
}

TLSRPT_API void tlsrpt_sts_policy_free(tlsrpt_sts_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->mx_count; i++)
        free(p->mx_lines[i]);
    free(p->mx_lines);
    trpt_sts_exts_free(&p->ext);
    free(p);
}

TLSRPT_API int tlsrpt_sts_policy_add_mx(tlsrpt_sts_policy *p, const char *pattern)
{
    if (!p || !pattern)
        return TLSRPT_EINVAL;
    int wildcard = pattern[0] == '*' && pattern[1] == '.';
    char *alabel = NULL;
    int rc = trpt_domain_to_alabel(pattern + (wildcard ? 2 : 0), 0, &alabel);
    if (rc != TLSRPT_OK)
        return rc;
    size_t n = strlen(alabel);
    size_t bad;
    /* The conversion takes a trailing dot and any case; the pattern must still fit the policy grammar (253 octets
     * with the wildcard label). */
    if (wildcard && n + 2 > TRPT_DOMAIN_MAX_LENGTH)
        rc = TLSRPT_EINVAL;
    else if (trpt_sts_mx_pattern_problem(alabel, n, &bad))
        rc = TLSRPT_EINVAL;
    else if (p->mx_count == TLSRPT_MAX_STS_MX_COUNT ||
             trpt_sts_policy_serialized_length(p) + strlen("mx: ") + n + (wildcard ? 2 : 0) + 2 >
                 TLSRPT_MAX_STS_POLICY_SIZE)
        rc = TLSRPT_ELIMIT; /* the policy file must stay one the parser reads back */
    if (rc == TLSRPT_OK && wildcard) {
        char *w = malloc(n + 3);
        if (!w) {
            rc = TLSRPT_ENOMEM;
        } else {
            memcpy(w, "*.", 2);
            memcpy(w + 2, alabel, n + 1);
            free(alabel);
            alabel = w;
            n += 2;
        }
    }
    if (rc == TLSRPT_OK)
        rc = trpt_sts_policy_push_mx(p, alabel, n);
    free(alabel);
    return rc;
}

TLSRPT_API int tlsrpt_sts_policy_mode(const tlsrpt_sts_policy *p)
{
    return p ? p->mode : TLSRPT_EINVAL;
}

TLSRPT_API uint32_t tlsrpt_sts_policy_max_age(const tlsrpt_sts_policy *p)
{
    return p ? p->max_age : 0;
}

TLSRPT_API size_t tlsrpt_sts_policy_mx_count(const tlsrpt_sts_policy *p)
{
    return p ? p->mx_count : 0;
}

TLSRPT_API const char *tlsrpt_sts_policy_mx(const tlsrpt_sts_policy *p, size_t i)
{
    return p && i < p->mx_count ? p->mx_lines[i] + STS_MX_PREFIX_LEN : NULL;
}

TLSRPT_API size_t tlsrpt_sts_policy_extension_count(const tlsrpt_sts_policy *p)
{
    return p ? p->ext.count : 0;
}

TLSRPT_API const char *tlsrpt_sts_policy_extension_name(const tlsrpt_sts_policy *p, size_t i)
{
    return p && i < p->ext.count ? p->ext.v[i].name : NULL;
}

TLSRPT_API const char *tlsrpt_sts_policy_extension_value(const tlsrpt_sts_policy *p, size_t i)
{
    return p && i < p->ext.count ? p->ext.v[i].value : NULL;
}

TLSRPT_API size_t tlsrpt_sts_policy_string_count(const tlsrpt_sts_policy *p)
{
    return p ? 3 + p->mx_count + p->ext.count : 0;
}

TLSRPT_API const char *tlsrpt_sts_policy_string(const tlsrpt_sts_policy *p, size_t i)
{
    if (!p)
        return NULL;
    if (i == 0)
        return VERSION_LINE;
    if (i == 1) {
        switch (p->mode) {
        case TLSRPT_STS_MODE_ENFORCE:
            return "mode: enforce";
        case TLSRPT_STS_MODE_TESTING:
            return "mode: testing";
        default:
            return "mode: none";
        }
    }
    i -= 2;
    if (i < p->mx_count)
        return p->mx_lines[i];
    i -= p->mx_count;
    if (i == 0)
        return p->max_age_line;
    i -= 1;
    return i < p->ext.count ? p->ext.v[i].line : NULL;
}

size_t trpt_sts_policy_serialized_length(const tlsrpt_sts_policy *p)
{
    size_t total = 0, n = tlsrpt_sts_policy_string_count(p);
    for (size_t i = 0; i < n; i++)
        total += strlen(tlsrpt_sts_policy_string(p, i)) + 2;
    return total;
}

TLSRPT_API int tlsrpt_sts_policy_serialize(const tlsrpt_sts_policy *p, char **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!p)
        return TLSRPT_EINVAL;
    if (p->mx_count == 0 && p->mode != TLSRPT_STS_MODE_NONE)
        return TLSRPT_ESEMANTIC;
    trpt_buf b;
    trpt_buf_init(&b);
    size_t n = tlsrpt_sts_policy_string_count(p);
    for (size_t i = 0; i < n; i++) {
        trpt_buf_puts(&b, tlsrpt_sts_policy_string(p, i));
        trpt_buf_puts(&b, "\r\n");
    }
    return trpt_buf_finish(&b, out, out_len);
}
