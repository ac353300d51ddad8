/* libtlsrpt — building reports: new report, find-or-add policy, record outcomes, failure details, merge.
 * SPDX-License-Identifier: MIT
 *
 * Every value is checked as it comes in, so a built report always serializes and reads back equal. Counts never
 * wrap: a sum over UINT64_MAX is TLSRPT_ELIMIT ("over a limit", like every other count overflow in the library, see
 * trpt_u64_add) and leaves everything unchanged. */
#include "charclass.h"
#include "datetime.h"
#include "domain.h"
#include "ip.h"
#include "report_internal.h"
#include "utf8.h"

#include <arpa/inet.h> /* inet_ntop */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Checks on input text ---------------------------------------------------------------------------------------- */

static int is_utf8(const char *s)
{
    size_t len = strlen(s);
    return trpt_utf8_valid_prefix(s, len) == len;
}

static int is_nonempty_utf8(const char *s)
{
    return s && *s && is_utf8(s);
}

/* 1 if name is already what trpt_domain_to_alabel() would make of it: lower-case LDH labels, no trailing dot, no
 * "xn--" label (whose Punycode only libidn2 can check). Lets the common case skip the conversion and its copy. */
static int is_plain_alabel(const char *name)
{
    size_t len = strlen(name);
    if (!trpt_domain_is_valid_alabel(name, len, 0))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (name[i] >= 'A' && name[i] <= 'Z')
            return 0;
    for (const char *p = name; p; p = strchr(p, '.')) {
        if (*p == '.')
            p++;
        if (strncmp(p, "xn--", 4) == 0)
            return 0;
    }
    return 1;
}

/* The A-label form of a host name: *use points to name itself when it is already in that form (nothing allocated,
 * *owned NULL), else to a new string in *owned. Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. */
static int host_alabel(const char *name, const char **use, char **owned)
{
    *owned = NULL;
    *use = NULL;
    if (!name)
        return TLSRPT_EINVAL;
    if (is_plain_alabel(name)) {
        *use = name;
        return TLSRPT_OK;
    }
    int rc = trpt_domain_to_alabel(name, 0, owned);
    if (rc != TLSRPT_OK)
        return rc;
    *use = *owned;
    return TLSRPT_OK;
}

/* An mx-host pattern: a host name, or "*." followed by one (RFC 8461 §4.1: the wildcard is a whole left-most label). */
static int mx_pattern_alabel(const char *pattern, const char **use, char **owned)
{
    *owned = NULL;
    *use = NULL;
    if (!pattern)
        return TLSRPT_EINVAL;
    if (strncmp(pattern, "*.", 2) != 0)
        return host_alabel(pattern, use, owned);
    if (is_plain_alabel(pattern + 2)) {
        *use = pattern;
        return TLSRPT_OK;
    }
    char *converted;
    int rc = trpt_domain_to_alabel(pattern + 2, 0, &converted);
    if (rc != TLSRPT_OK)
        return rc;
    size_t n = strlen(converted);
    *owned = malloc(n + 3);
    if (!*owned) {
        free(converted);
        return TLSRPT_ENOMEM;
    }
    memcpy(*owned, "*.", 2);
    memcpy(*owned + 2, converted, n + 1);
    free(converted);
    *use = *owned;
    return TLSRPT_OK;
}

/* ---- Reports ------------------------------------------------------------------------------------------------------ */

TLSRPT_API int tlsrpt_report_new(tlsrpt_report **out, const char *organization_name, const char *contact_info,
                                 const char *report_id, int64_t start_time, int64_t end_time)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!is_nonempty_utf8(organization_name) || !is_nonempty_utf8(report_id) ||
        (contact_info && !is_utf8(contact_info)))
        return TLSRPT_EINVAL;
    if (start_time < TRPT_TIME_MIN || end_time > TRPT_TIME_MAX || start_time >= end_time)
        return TLSRPT_EINVAL;
    tlsrpt_report *r;
    if (trpt_report_create(&r) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    if (trpt_set_string(&r->arena, &r->organization_name, organization_name, strlen(organization_name)) !=
            TLSRPT_OK ||
        trpt_set_string(&r->arena, &r->report_id, report_id, strlen(report_id)) != TLSRPT_OK ||
        (contact_info &&
         trpt_set_string(&r->arena, &r->contact_info, contact_info, strlen(contact_info)) != TLSRPT_OK)) {
        tlsrpt_report_free(r);
        return TLSRPT_ENOMEM;
    }
    r->start_time = start_time;
    r->end_time = end_time;
    r->has_start_time = 1;
    r->has_end_time = 1;
    *out = r;
    return TLSRPT_OK;
}

/* Converted mx-host patterns: pointers to use, and the copies to free. Small lists live on the stack. */
#define MX_STACK 8

TLSRPT_API int tlsrpt_report_add_policy(tlsrpt_report *r, int policy_type, const char *policy_domain,
                                        const char *const *policy_strings, size_t n_strings,
                                        const char *const *mx_hosts, size_t n_mx_hosts, tlsrpt_policy **policy)
{
    if (!policy)
        return TLSRPT_EINVAL;
    *policy = NULL;
    const char *type_name = trpt_policy_type_to_name(policy_type);
    if (!r || !type_name || !policy_domain || (n_strings > 0 && !policy_strings) || (n_mx_hosts > 0 && !mx_hosts))
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < n_strings; i++)
        if (!policy_strings[i] || !is_utf8(policy_strings[i]))
            return TLSRPT_EINVAL;

    const char *mx_stack[MX_STACK];
    char *owned_stack[MX_STACK];
    const char **mx_use = mx_stack;
    char **mx_owned = owned_stack;
    if (n_mx_hosts > MX_STACK) {
        if (n_mx_hosts > SIZE_MAX / sizeof(char *))
            return TLSRPT_ENOMEM;
        mx_use = malloc(n_mx_hosts * sizeof *mx_use);
        mx_owned = calloc(n_mx_hosts, sizeof *mx_owned);
        if (!mx_use || !mx_owned) {
            free(mx_use);
            free(mx_owned);
            return TLSRPT_ENOMEM;
        }
    }
    size_t converted = 0;
    const char *domain;
    char *domain_owned;
    int rc = host_alabel(policy_domain, &domain, &domain_owned);
    for (; rc == TLSRPT_OK && converted < n_mx_hosts; converted++)
        rc = mx_pattern_alabel(mx_hosts[converted], &mx_use[converted], &mx_owned[converted]);
    if (rc != TLSRPT_OK)
        goto done;

    tlsrpt_policy *found;
    rc = trpt_report_find_policy(r, type_name, domain, n_strings > 0, policy_strings, n_strings, n_mx_hosts > 0,
                                 mx_use, n_mx_hosts, &found);
    if (rc != TLSRPT_OK)
        goto done;
    if (found) {
        *policy = found;
        goto done;
    }
    trpt_arena_mark mark = trpt_arena_get_mark(&r->arena);
    tlsrpt_policy *p;
    rc = trpt_policy_create(&p, &r->arena, type_name, strlen(type_name));
    if (rc != TLSRPT_OK) {
        trpt_arena_release(&r->arena, mark);
        goto done;
    }
    rc = trpt_set_string(&r->arena, &p->domain, domain, strlen(domain));
    for (size_t i = 0; rc == TLSRPT_OK && i < n_strings; i++)
        rc = trpt_policy_add_string(p, policy_strings[i], strlen(policy_strings[i]));
    for (size_t i = 0; rc == TLSRPT_OK && i < n_mx_hosts; i++)
        rc = trpt_policy_add_mx_host(p, mx_use[i], strlen(mx_use[i]));
    if (rc != TLSRPT_OK)
        trpt_policy_destroy(p);
    else
        rc = trpt_report_take_policy(r, p); /* destroys p on failure */
    if (rc == TLSRPT_OK)
        *policy = p;
    else
        trpt_arena_release(&r->arena, mark); /* p and its strings */
done:
    free(domain_owned);
    for (size_t i = 0; i < converted; i++)
        free(mx_owned[i]);
    if (mx_use != mx_stack) {
        free(mx_use);
        free(mx_owned);
    }
    return rc;
}

TLSRPT_API int tlsrpt_policy_add_successes(tlsrpt_policy *p, uint64_t sessions)
{
    if (!p)
        return TLSRPT_EINVAL;
    return trpt_u64_add(&p->successful_sessions, sessions);
}

/* ---- Failure details -------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_failure_new(tlsrpt_failure **out, const char *result_type)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!is_nonempty_utf8(result_type))
        return TLSRPT_EINVAL;
    return trpt_failure_create(out, NULL, result_type, strlen(result_type));
}

TLSRPT_API void tlsrpt_failure_free(tlsrpt_failure *f)
{
    trpt_failure_destroy(f); /* a report's detail (arena set) is left alone: it belongs to the report */
}

/* 1 if f may be changed: a standalone detail from tlsrpt_failure_new. A report's own detail (arena set) is part of
 * its policy's de-duplication index; changing it would leave the index stale and could make two details equal, so
 * every setter refuses it (bindings lose the const of tlsrpt_policy_failure()). */
static int writable(const tlsrpt_failure *f)
{
    return f && !f->arena;
}

TLSRPT_API int tlsrpt_failure_set_result_type(tlsrpt_failure *f, const char *result_type)
{
    if (!writable(f) || !is_nonempty_utf8(result_type))
        return TLSRPT_EINVAL;
    int rc = trpt_set_string(NULL, &f->result_type, result_type, strlen(result_type));
    if (rc == TLSRPT_OK)
        f->result_code = trpt_result_code_from_name(result_type);
    return rc;
}

TLSRPT_API int tlsrpt_failure_reset(tlsrpt_failure *f, const char *result_type)
{
    if (!writable(f) || !is_nonempty_utf8(result_type))
        return TLSRPT_EINVAL;
    int rc = tlsrpt_failure_set_result_type(f, result_type); /* the only allocation: f is unchanged if it fails */
    if (rc != TLSRPT_OK)
        return rc;
    char **optional[] = {&f->sending_mta_ip, &f->receiving_mx_hostname, &f->receiving_mx_helo, &f->receiving_ip,
                         &f->additional_information, &f->reason_code};
    for (size_t i = 0; i < sizeof optional / sizeof optional[0]; i++) {
        free(*optional[i]);
        *optional[i] = NULL;
    }
    f->session_count = 0;
    return TLSRPT_OK;
}

/* Stores the RFC 5952 text of an IPv4 or IPv6 address in a field of f. */
static int set_ip(tlsrpt_failure *f, char **field, const char *ip)
{
    if (!ip)
        return trpt_set_string(f->arena, field, NULL, 0);
    unsigned char addr[16];
    char text[INET6_ADDRSTRLEN];
    int family;
    switch (trpt_ip_parse(ip, strlen(ip), addr)) {
    case 4:
        family = AF_INET;
        break;
    case 6:
        family = AF_INET6;
        break;
    default:
        return TLSRPT_EINVAL;
    }
    if (!inet_ntop(family, addr, text, sizeof text))
        return TLSRPT_EINVAL;
    return trpt_set_string(f->arena, field, text, strlen(text));
}

TLSRPT_API int tlsrpt_failure_set_sending_mta_ip(tlsrpt_failure *f, const char *ip)
{
    return writable(f) ? set_ip(f, &f->sending_mta_ip, ip) : TLSRPT_EINVAL;
}

TLSRPT_API int tlsrpt_failure_set_receiving_ip(tlsrpt_failure *f, const char *ip)
{
    return writable(f) ? set_ip(f, &f->receiving_ip, ip) : TLSRPT_EINVAL;
}

static int set_host(tlsrpt_failure *f, char **field, const char *name)
{
    if (!name)
        return trpt_set_string(f->arena, field, NULL, 0);
    const char *use;
    char *owned;
    int rc = host_alabel(name, &use, &owned);
    if (rc == TLSRPT_OK)
        rc = trpt_set_string(f->arena, field, use, strlen(use));
    free(owned);
    return rc;
}

TLSRPT_API int tlsrpt_failure_set_receiving_mx_hostname(tlsrpt_failure *f, const char *hostname)
{
    return writable(f) ? set_host(f, &f->receiving_mx_hostname, hostname) : TLSRPT_EINVAL;
}

/* RFC 5321 §4.1.3 address-literal: "[" IPv4-address-literal "]" or "[IPv6:" IPv6-addr "]" (the general form with
 * other tags is not used by any MTA and is refused). */
static int is_address_literal(const char *s)
{
    size_t len = strlen(s);
    if (len < 3 || s[0] != '[' || s[len - 1] != ']' || len - 2 >= INET6_ADDRSTRLEN + 5)
        return 0;
    char inner[INET6_ADDRSTRLEN + 5];
    memcpy(inner, s + 1, len - 2);
    inner[len - 2] = '\0';
    if (strncmp(inner, "IPv6:", 5) == 0)
        return trpt_ip_parse(inner + 5, len - 2 - 5, NULL) == 6;
    return trpt_ip_parse(inner, len - 2, NULL) == 4;
}

TLSRPT_API int tlsrpt_failure_set_receiving_mx_helo(tlsrpt_failure *f, const char *helo)
{
    if (!writable(f))
        return TLSRPT_EINVAL;
    if (helo && is_address_literal(helo))
        return trpt_set_string(f->arena, &f->receiving_mx_helo, helo, strlen(helo));
    return set_host(f, &f->receiving_mx_helo, helo);
}

/* ---- RFC 3986 URI check (additional-information) --------------------------------------------------------------- */

static int is_sub_delim(int c)
{
    return c && strchr("!$&'()*+,;=", c) != NULL;
}

/* Checks s[from, to) against *( unreserved / pct-encoded / sub-delims / extra ). */
static int all_of(const char *s, size_t from, size_t to, const char *extra)
{
    for (size_t i = from; i < to; i++) {
        int c = (unsigned char)s[i];
        if (c == '%') {
            if (to - i < 3 || !trpt_is_hexdig((unsigned char)s[i + 1]) || !trpt_is_hexdig((unsigned char)s[i + 2]))
                return 0;
            i += 2;
        } else if (!trpt_is_unreserved(c) && !is_sub_delim(c) && !(c && strchr(extra, c))) {
            return 0;
        }
    }
    return 1;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]" — s[from, to) is the text between the brackets. */
static int is_ip_literal_inner(const char *s, size_t from, size_t to)
{
    size_t n = to - from;
    if (n > 0 && (s[from] == 'v' || s[from] == 'V')) {
        /* IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
        size_t i = from + 1;
        while (i < to && trpt_is_hexdig((unsigned char)s[i]))
            i++;
        if (i == from + 1 || i >= to || s[i] != '.' || i + 1 >= to)
            return 0;
        for (i++; i < to; i++)
            if (!trpt_is_unreserved((unsigned char)s[i]) && !is_sub_delim((unsigned char)s[i]) && s[i] != ':')
                return 0;
        return 1;
    }
    if (n == 0 || n >= INET6_ADDRSTRLEN)
        return 0;
    return trpt_ip_parse(s + from, n, NULL) == 6;
}

/* URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ] (RFC 3986 §3). */
static int is_absolute_uri(const char *s)
{
    size_t len = strlen(s);
    if (len == 0 || len > TLSRPT_MAX_URI_LENGTH || !trpt_is_alpha((unsigned char)s[0]))
        return 0;
    size_t i = 1;
    while (i < len && (trpt_is_alpha((unsigned char)s[i]) || trpt_is_digit((unsigned char)s[i]) || s[i] == '+' ||
                       s[i] == '-' || s[i] == '.'))
        i++;
    if (i >= len || s[i] != ':')
        return 0;
    i++;
    size_t end_hier = i;
    while (end_hier < len && s[end_hier] != '?' && s[end_hier] != '#')
        end_hier++;
    size_t path_from = i;
    if (end_hier - i >= 2 && s[i] == '/' && s[i + 1] == '/') {
        /* authority = [ userinfo "@" ] host [ ":" port ], up to the next "/" */
        size_t a = i + 2, a_end = a;
        while (a_end < end_hier && s[a_end] != '/')
            a_end++;
        size_t host_from = a;
        const char *at = memchr(s + a, '@', a_end - a);
        if (at) {
            size_t at_pos = (size_t)(at - s);
            if (!all_of(s, a, at_pos, ":"))
                return 0;
            host_from = at_pos + 1;
        }
        size_t host_to;
        if (host_from < a_end && s[host_from] == '[') {
            const char *close = memchr(s + host_from, ']', a_end - host_from);
            if (!close)
                return 0;
            host_to = (size_t)(close - s) + 1;
            if (!is_ip_literal_inner(s, host_from + 1, host_to - 1))
                return 0;
        } else {
            host_to = host_from;
            while (host_to < a_end && s[host_to] != ':')
                host_to++;
            /* reg-name (an IPv4address is a reg-name too, syntactically) */
            if (!all_of(s, host_from, host_to, ""))
                return 0;
        }
        if (host_to < a_end) {
            if (s[host_to] != ':')
                return 0;
            for (size_t k = host_to + 1; k < a_end; k++)
                if (!trpt_is_digit((unsigned char)s[k]))
                    return 0;
        }
        path_from = a_end; /* path-abempty: empty or starting with "/" */
    }
    /* path = segments of pchar separated by "/" (path-absolute / path-rootless / path-empty / path-abempty) */
    if (!all_of(s, path_from, end_hier, ":@/"))
        return 0;
    size_t k = end_hier;
    if (k < len && s[k] == '?') {
        size_t q_end = k + 1;
        while (q_end < len && s[q_end] != '#')
            q_end++;
        if (!all_of(s, k + 1, q_end, ":@/?"))
            return 0;
        k = q_end;
    }
    if (k < len && s[k] == '#') {
        if (!all_of(s, k + 1, len, ":@/?"))
            return 0;
    }
    return 1;
}

TLSRPT_API int tlsrpt_failure_set_additional_information(tlsrpt_failure *f, const char *uri)
{
    if (!writable(f))
        return TLSRPT_EINVAL;
    if (!uri)
        return trpt_set_string(f->arena, &f->additional_information, NULL, 0);
    if (!is_absolute_uri(uri))
        return TLSRPT_EINVAL;
    return trpt_set_string(f->arena, &f->additional_information, uri, strlen(uri));
}

TLSRPT_API int tlsrpt_failure_set_reason_code(tlsrpt_failure *f, const char *reason_code)
{
    if (!writable(f) || (reason_code && !is_utf8(reason_code)))
        return TLSRPT_EINVAL;
    return trpt_set_string(f->arena, &f->reason_code, reason_code, reason_code ? strlen(reason_code) : 0);
}

TLSRPT_API int tlsrpt_policy_add_failures(tlsrpt_policy *p, const tlsrpt_failure *f, uint64_t sessions)
{
    if (!p || !f)
        return TLSRPT_EINVAL;
    if (sessions > UINT64_MAX - p->failed_sessions)
        return TLSRPT_ELIMIT;
    tlsrpt_failure *detail;
    int rc = trpt_policy_find_failure(p, f, &detail);
    if (rc != TLSRPT_OK)
        return rc;
    if (detail) {
        /* The hot path: an outcome seen before. Nothing is allocated. */
        if (sessions > UINT64_MAX - detail->session_count)
            return TLSRPT_ELIMIT;
        detail->session_count += sessions;
    } else {
        trpt_arena_mark mark = trpt_arena_get_mark(p->arena);
        tlsrpt_failure *copy;
        rc = trpt_failure_copy(&copy, p->arena, f);
        if (rc == TLSRPT_OK) {
            copy->session_count = sessions;
            rc = trpt_policy_take_failure(p, copy);
        }
        if (rc != TLSRPT_OK) {
            trpt_arena_release(p->arena, mark); /* the copy and its strings */
            return rc;
        }
    }
    p->failed_sessions += sessions;
    return TLSRPT_OK;
}

/* ---- Merge ---------------------------------------------------------------------------------------------------------
 * In two phases so that dst is unchanged on any error. Phase 1 makes the structure: every policy and detail of src
 * gets a counterpart in dst, appended with zero counts when there is none (ENOMEM undoes the appends). Phase 2 adds
 * the counts, one counter at a time in a fixed order; when a sum would overflow, the additions done so far are
 * subtracted again in the same order and the appends are undone. Both phases find counterparts through the indexes,
 * which phase 1 has built, so phase 2 allocates nothing and cannot fail but for the overflow. */

typedef struct merge_undo {
    trpt_arena_mark mark;   /* dst's arena before the merge */
    size_t n_policies;      /* dst's policy count before the merge */
    size_t *n_failures;     /* per original dst policy: its detail count before */
    unsigned char *has_failures;
} merge_undo;

static void merge_rollback(tlsrpt_report *dst, const merge_undo *u)
{
    for (size_t i = 0; i < u->n_policies; i++) {
        trpt_policy_truncate_failures(dst->policies[i], u->n_failures[i]);
        dst->policies[i]->has_failures = u->has_failures[i];
    }
    trpt_report_truncate_policies(dst, u->n_policies);
    trpt_arena_release(&dst->arena, u->mark); /* what the appends allocated there; nothing points to it now */
}

static int find_policy_like(tlsrpt_report *dst, const tlsrpt_policy *sp, tlsrpt_policy **found)
{
    return trpt_report_find_policy(dst, sp->type_name, sp->domain, sp->has_strings,
                                   (const char *const *)sp->strings, sp->n_strings, sp->has_mx_hosts,
                                   (const char *const *)sp->mx_hosts, sp->n_mx_hosts, found);
}

/* A policy with sp's identity, zero counts and no details. */
static int policy_like(tlsrpt_policy **out, trpt_arena *arena, const tlsrpt_policy *sp)
{
    tlsrpt_policy *p;
    int rc = trpt_policy_create(&p, arena, sp->type_name, strlen(sp->type_name));
    if (rc != TLSRPT_OK)
        return rc;
    if (sp->domain)
        rc = trpt_set_string(arena, &p->domain, sp->domain, strlen(sp->domain));
    for (size_t i = 0; rc == TLSRPT_OK && i < sp->n_strings; i++)
        rc = trpt_policy_add_string(p, sp->strings[i], strlen(sp->strings[i]));
    for (size_t i = 0; rc == TLSRPT_OK && i < sp->n_mx_hosts; i++)
        rc = trpt_policy_add_mx_host(p, sp->mx_hosts[i], strlen(sp->mx_hosts[i]));
    if (rc != TLSRPT_OK) {
        trpt_policy_destroy(p);
        return rc;
    }
    p->has_strings = sp->has_strings;
    p->has_mx_hosts = sp->has_mx_hosts;
    *out = p;
    return TLSRPT_OK;
}

/* TLSRPT_ELIMIT when dst holds more policies or failure details than tlsrpt_report_parse() reads back
 * (TLSRPT_MAX_POLICIES, TLSRPT_MAX_FAILURE_DETAILS): a merged report must stay readable. */
static int within_read_limits(const tlsrpt_report *r)
{
    if (r->n_policies > TLSRPT_MAX_POLICIES)
        return TLSRPT_ELIMIT;
    size_t details = 0;
    for (size_t i = 0; i < r->n_policies; i++)
        details += r->policies[i]->n_failures;
    return details > TLSRPT_MAX_FAILURE_DETAILS ? TLSRPT_ELIMIT : TLSRPT_OK;
}

static int merge_structure(tlsrpt_report *dst, const tlsrpt_report *src)
{
    for (size_t i = 0; i < src->n_policies; i++) {
        const tlsrpt_policy *sp = src->policies[i];
        tlsrpt_policy *dp;
        int rc = find_policy_like(dst, sp, &dp);
        if (rc != TLSRPT_OK)
            return rc;
        if (!dp) {
            rc = policy_like(&dp, &dst->arena, sp);
            if (rc != TLSRPT_OK)
                return rc;
            rc = trpt_report_take_policy(dst, dp);
            if (rc != TLSRPT_OK)
                return rc;
        }
        if (sp->has_failures)
            dp->has_failures = 1;
        for (size_t k = 0; k < sp->n_failures; k++) {
            tlsrpt_failure *df;
            rc = trpt_policy_find_failure(dp, sp->failures[k], &df);
            if (rc != TLSRPT_OK)
                return rc;
            if (!df) {
                rc = trpt_failure_copy(&df, &dst->arena, sp->failures[k]);
                if (rc != TLSRPT_OK)
                    return rc;
                df->session_count = 0;
                rc = trpt_policy_take_failure(dp, df);
                if (rc != TLSRPT_OK)
                    return rc;
            }
        }
    }
    return TLSRPT_OK;
}

/* Adds (or, with subtract, takes away) src's counts to/from their counterparts in dst, for the first `limit`
 * counters in the fixed order. In add mode, stops at the first overflow and returns TLSRPT_ELIMIT with *done the
 * number of counters already added. */
static int merge_counts(tlsrpt_report *dst, const tlsrpt_report *src, int subtract, size_t limit, size_t *done)
{
    size_t step = 0;
#define MERGE_COUNTER(acc, add)                                                                                        \
    do {                                                                                                               \
        if (step == limit)                                                                                             \
            goto out;                                                                                                  \
        if (subtract) {                                                                                                \
            (acc) -= (add);                                                                                            \
        } else if (trpt_u64_add(&(acc), (add)) != TLSRPT_OK) {                                                         \
            *done = step;                                                                                              \
            return TLSRPT_ELIMIT;                                                                                      \
        }                                                                                                              \
        step++;                                                                                                        \
    } while (0)
    for (size_t i = 0; i < src->n_policies; i++) {
        const tlsrpt_policy *sp = src->policies[i];
        tlsrpt_policy *dp = NULL;
        (void)find_policy_like(dst, sp, &dp); /* indexes exist: no allocation, always found */
        MERGE_COUNTER(dp->successful_sessions, sp->successful_sessions);
        MERGE_COUNTER(dp->failed_sessions, sp->failed_sessions);
        for (size_t k = 0; k < sp->n_failures; k++) {
            tlsrpt_failure *df = NULL;
            (void)trpt_policy_find_failure(dp, sp->failures[k], &df);
            MERGE_COUNTER(df->session_count, sp->failures[k]->session_count);
        }
    }
#undef MERGE_COUNTER
out:
    *done = step;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_report_merge(tlsrpt_report *dst, const tlsrpt_report *src)
{
    if (!dst || !src)
        return TLSRPT_EINVAL;
    if (dst == src) {
        /* Counts would change under the walk: merge a copy. */
        tlsrpt_report *copy;
        int rc = trpt_report_copy(&copy, src);
        if (rc != TLSRPT_OK)
            return rc;
        rc = tlsrpt_report_merge(dst, copy);
        tlsrpt_report_free(copy);
        return rc;
    }
    merge_undo u = {trpt_arena_get_mark(&dst->arena), dst->n_policies, NULL, NULL};
    if (u.n_policies > 0) {
        u.n_failures = malloc(u.n_policies * sizeof *u.n_failures);
        u.has_failures = malloc(u.n_policies);
        if (!u.n_failures || !u.has_failures) {
            free(u.n_failures);
            free(u.has_failures);
            return TLSRPT_ENOMEM;
        }
        for (size_t i = 0; i < u.n_policies; i++) {
            u.n_failures[i] = dst->policies[i]->n_failures;
            u.has_failures[i] = (unsigned char)dst->policies[i]->has_failures;
        }
    }
    int rc = merge_structure(dst, src);
    if (rc == TLSRPT_OK)
        rc = within_read_limits(dst);
    if (rc == TLSRPT_OK) {
        size_t done;
        rc = merge_counts(dst, src, 0, SIZE_MAX, &done);
        if (rc != TLSRPT_OK) {
            size_t undone;
            (void)merge_counts(dst, src, 1, done, &undone);
        }
    }
    if (rc != TLSRPT_OK) {
        merge_rollback(dst, &u);
    } else {
        if (src->has_start_time && (!dst->has_start_time || src->start_time < dst->start_time)) {
            dst->start_time = src->start_time;
            dst->has_start_time = 1;
        }
        if (src->has_end_time && (!dst->has_end_time || src->end_time > dst->end_time)) {
            dst->end_time = src->end_time;
            dst->has_end_time = 1;
        }
    }
    free(u.n_failures);
    free(u.has_failures);
    return rc;
}

TLSRPT_API int tlsrpt_report_merge_within(tlsrpt_report *dst, const tlsrpt_report *src)
{
    if (!dst || !src)
        return TLSRPT_EINVAL;
    if (!dst->has_start_time || !dst->has_end_time || !src->has_start_time || !src->has_end_time ||
        src->start_time < dst->start_time || src->end_time > dst->end_time)
        return TLSRPT_ESEMANTIC;
    return tlsrpt_report_merge(dst, src); /* within: the period stays dst's */
}

TLSRPT_API int tlsrpt_report_merge_policy(tlsrpt_report *dst, const tlsrpt_policy *src_policy,
                                          tlsrpt_policy **policy)
{
    if (policy)
        *policy = NULL;
    if (!dst || !src_policy)
        return TLSRPT_EINVAL;
    /* A report of one policy, borrowed: merge walks it without changing it. When the policy is dst's own, its
     * counts would change under the walk, so merge a copy (tlsrpt_report_merge does the same for dst == src). */
    tlsrpt_policy *one = (tlsrpt_policy *)src_policy;
    tlsrpt_report view;
    memset(&view, 0, sizeof view);
    view.policies = &one;
    view.n_policies = 1;
    tlsrpt_report *copy = NULL;
    const tlsrpt_report *src = &view;
    if (src_policy->arena == &dst->arena) {
        int rc = trpt_report_copy(&copy, &view);
        if (rc != TLSRPT_OK)
            return rc;
        src = copy;
    }
    int rc = tlsrpt_report_merge(dst, src); /* view has no times: dst's period is left alone */
    tlsrpt_report_free(copy);
    if (rc == TLSRPT_OK && policy)
        rc = find_policy_like(dst, src_policy, policy); /* the index exists: no allocation, always found */
    return rc;
}

/* ---- Per-domain reports ---------------------------------------------------------------------------------------- */

/* *same = 1 if a policy-domain as written names the domain `alabel` (lower-case A-labels). Returns TLSRPT_OK or
 * TLSRPT_ENOMEM. */
static int names_domain(const char *written, const char *alabel, int *same)
{
    *same = 0;
    if (!written)
        return TLSRPT_OK;
    char *converted;
    int rc = trpt_domain_to_alabel(written, 1, &converted);
    if (rc == TLSRPT_ENOMEM)
        return rc;
    if (rc == TLSRPT_OK) {
        *same = strcmp(converted, alabel) == 0;
        free(converted);
    } else {
        *same = trpt_ascii_strcasecmp(written, alabel) == 0; /* not a name: compared as written */
    }
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_report_extract(const tlsrpt_report *src, const char *policy_domain, const char *report_id,
                                     tlsrpt_report **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!src || !policy_domain || (report_id && !is_nonempty_utf8(report_id)))
        return TLSRPT_EINVAL;
    char *domain;
    int rc = trpt_domain_to_alabel(policy_domain, 0, &domain);
    if (rc != TLSRPT_OK)
        return rc;
    /* The view holds the policies to take; trpt_report_copy copies them exactly, with src's metadata. */
    tlsrpt_report view = *src;
    memset(&view.policy_index, 0, sizeof view.policy_index);
    view.policies = NULL;
    view.n_policies = view.cap_policies = 0;
    if (src->n_policies > 0) {
        view.policies = malloc(src->n_policies * sizeof *view.policies);
        if (!view.policies) {
            free(domain);
            return TLSRPT_ENOMEM;
        }
    }
    for (size_t i = 0; rc == TLSRPT_OK && i < src->n_policies; i++) {
        int same;
        rc = names_domain(src->policies[i]->domain, domain, &same);
        if (same)
            view.policies[view.n_policies++] = src->policies[i];
    }
    free(domain);
    tlsrpt_report *r = NULL;
    if (rc == TLSRPT_OK)
        rc = trpt_report_copy(&r, &view);
    free(view.policies);
    if (rc != TLSRPT_OK)
        return rc;
    if (report_id && trpt_set_string(&r->arena, &r->report_id, report_id, strlen(report_id)) != TLSRPT_OK) {
        tlsrpt_report_free(r);
        return TLSRPT_ENOMEM;
    }
    *out = r;
    return TLSRPT_OK;
}

/* ---- UTC days -------------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_utc_day(int64_t t, int64_t *start, int64_t *end)
{
    if (start)
        *start = 0;
    if (end)
        *end = 0;
    if (!start || !end || t < TRPT_TIME_MIN || t > TRPT_TIME_MAX)
        return TLSRPT_EINVAL;
    int64_t day = t / 86400;
    if (t % 86400 < 0)
        day--; /* floor, also before 1970 */
    *start = day * 86400;
    *end = *start + 86399;
    return TLSRPT_OK;
}

/* ---- DANE TLSA policies ---------------------------------------------------------------------------------------------
 * One canonical presentation form per RRset (tlsrpt_report_add_tlsa_policy in report.h): records sorted, equal ones
 * kept once, each written "U S M HEX" with upper-case hex. */

typedef struct tlsa_rr {
    uint8_t usage, selector, mtype;
    const uint8_t *data;
    size_t len;
} tlsa_rr;

static int tlsa_rr_cmp(const void *a, const void *b)
{
    const tlsa_rr *x = a, *y = b;
    if (x->usage != y->usage)
        return x->usage < y->usage ? -1 : 1;
    if (x->selector != y->selector)
        return x->selector < y->selector ? -1 : 1;
    if (x->mtype != y->mtype)
        return x->mtype < y->mtype ? -1 : 1;
    int c = memcmp(x->data, y->data, x->len < y->len ? x->len : y->len);
    if (c != 0)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

/* Longest presentation form of a record but for its data: "255 255 255 " and the NUL. */
#define TLSA_FIELDS_MAX 13u

/* Writes the presentation form of rr to out (room for TLSA_FIELDS_MAX + 2 * len bytes); returns the bytes written
 * with the NUL. */
static size_t tlsa_presentation(const tlsa_rr *rr, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    int n = snprintf(out, TLSA_FIELDS_MAX, "%u %u %u ", (unsigned int)rr->usage, (unsigned int)rr->selector,
                     (unsigned int)rr->mtype);
    char *p = out + n;
    for (size_t i = 0; i < rr->len; i++) {
        *p++ = hex[rr->data[i] >> 4];
        *p++ = hex[rr->data[i] & 0xf];
    }
    *p++ = '\0';
    return (size_t)(p - out);
}

/* An RRset of at most this many records, whose strings fit TLSA_STACK_TEXT bytes, is canonicalized on the stack: the
 * MTA's per-delivery call then allocates nothing once the policy exists (as tlsrpt_report_add_policy). */
#define TLSA_STACK_RRS 16u
#define TLSA_STACK_TEXT 2048u

TLSRPT_API int tlsrpt_report_add_tlsa_policy(tlsrpt_report *r, const char *base_domain, const uint8_t *usage,
                                             const uint8_t *selector, const uint8_t *mtype,
                                             const uint8_t *const *data, const size_t *data_len, size_t n,
                                             tlsrpt_policy **policy)
{
    if (!policy)
        return TLSRPT_EINVAL;
    *policy = NULL;
    if (!r || !base_domain || !usage || !selector || !mtype || !data || !data_len || n == 0 ||
        n > TLSRPT_MAX_POLICY_STRINGS)
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!data[i] || data_len[i] == 0 || data_len[i] > TLSRPT_MAX_TLSA_DATA)
            return TLSRPT_EINVAL;
    tlsa_rr rrs_stack[TLSA_STACK_RRS];
    const char *strings_stack[TLSA_STACK_RRS];
    char text_stack[TLSA_STACK_TEXT];
    tlsa_rr *rrs = rrs_stack;
    const char **strings = strings_stack;
    char *text = text_stack;
    if (n > TLSA_STACK_RRS) {
        rrs = malloc(n * sizeof *rrs);
        strings = malloc(n * sizeof *strings);
    }
    int rc = rrs && strings ? TLSRPT_OK : TLSRPT_ENOMEM;
    size_t kept = 0, text_len = 0;
    if (rc == TLSRPT_OK) {
        for (size_t i = 0; i < n; i++)
            rrs[i] = (tlsa_rr){usage[i], selector[i], mtype[i], data[i], data_len[i]};
        qsort(rrs, n, sizeof *rrs, tlsa_rr_cmp);
        /* Sorted, equal records are neighbours: keep the first of each run. n <= 1000 records of <= 65532 octets:
         * the sum cannot overflow. */
        for (size_t i = 0; i < n; i++) {
            if (i > 0 && tlsa_rr_cmp(&rrs[i], &rrs[i - 1]) == 0)
                continue;
            rrs[kept++] = rrs[i];
            text_len += TLSA_FIELDS_MAX + 2 * rrs[i].len;
        }
        if (text_len > sizeof text_stack && !(text = malloc(text_len)))
            rc = TLSRPT_ENOMEM;
    }
    if (rc == TLSRPT_OK) {
        size_t at = 0;
        for (size_t i = 0; i < kept; i++) {
            strings[i] = text + at;
            at += tlsa_presentation(&rrs[i], text + at);
        }
        rc = tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA, base_domain, strings, kept, NULL, 0, policy);
    }
    if (text != text_stack)
        free(text);
    if (rrs != rrs_stack) {
        free(rrs);
        free(strings);
    }
    return rc;
}
