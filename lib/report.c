/* libtlsrpt — the report object model: construction, lookup of equal objects, getters, free.
 * SPDX-License-Identifier: MIT */
#include "report_internal.h"

#include <stdlib.h>
#include <string.h>

/* ---- Small helpers ------------------------------------------------------------------------------------------- */

int trpt_u64_add(uint64_t *acc, uint64_t add)
{
    if (add > UINT64_MAX - *acc)
        return TLSRPT_ELIMIT;
    *acc += add;
    return TLSRPT_OK;
}

/* ---- Strings ------------------------------------------------------------------------------------------------------ */

int trpt_set_string(trpt_arena *arena, char **field, const char *s, size_t len)
{
    char *copy = NULL;
    if (s) {
        copy = arena ? trpt_arena_strndup(arena, s, len) : trpt_strndup(s, len);
        if (!copy)
            return TLSRPT_ENOMEM;
    }
    if (!arena)
        free(*field);
    *field = copy;
    return TLSRPT_OK;
}

/* Returns array grown so that element n fits (array itself when it already does), updating *cap; NULL when the
 * allocation fails (array is then unchanged and still owned by the caller). *in_arena: the array is in the arena
 * (the fast reader made it at its exact size, report_fast.c): it is copied to a heap block, and *in_arena becomes 0. */
static void *grow_array(void *array, int *in_arena, size_t n, size_t *cap, size_t elem_size, trpt_budget *budget)
{
    if (n < *cap)
        return array;
    if (*cap > SIZE_MAX / 2 / elem_size)
        return NULL;
    size_t ncap = *cap ? *cap * 2 : 4;
    size_t charge = *in_arena ? ncap * elem_size : (ncap - *cap) * elem_size;
    if (!trpt_budget_take(budget, charge))
        return NULL;
    void *p = *in_arena ? malloc(ncap * elem_size) : realloc(array, ncap * elem_size);
    if (p) {
        if (*in_arena && n)
            memcpy(p, array, n * elem_size);
        *in_arena = 0;
        *cap = ncap;
    } else {
        trpt_budget_give(budget, charge);
    }
    return p;
}

static int str_eq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* ---- Identity hashes (hashindex.h: the fields in turn, under the key of the index they are for) ---------------- */

static uint64_t policy_identity_hash(const trpt_hash_key *key, const char *type_name, const char *domain,
                                     int has_strings, const char *const *strings, size_t n_strings, int has_mx_hosts,
                                     const char *const *mx_hosts, size_t n_mx_hosts)
{
    trpt_siphash h;
    trpt_siphash_init(&h, key);
    trpt_hash_str(&h, type_name);
    trpt_hash_str(&h, domain);
    trpt_hash_str_list(&h, has_strings, strings, n_strings);
    trpt_hash_str_list(&h, has_mx_hosts, mx_hosts, n_mx_hosts);
    return trpt_siphash_final(&h);
}

static uint64_t policy_hash(const trpt_hash_key *key, const tlsrpt_policy *p)
{
    return policy_identity_hash(key, p->type_name, p->domain, p->has_strings, (const char *const *)p->strings,
                                p->n_strings, p->has_mx_hosts, (const char *const *)p->mx_hosts, p->n_mx_hosts);
}

static uint64_t failure_hash(const trpt_hash_key *key, const tlsrpt_failure *f)
{
    trpt_siphash h;
    trpt_siphash_init(&h, key);
    trpt_hash_str(&h, f->result_type);
    trpt_hash_str(&h, f->sending_mta_ip);
    trpt_hash_str(&h, f->receiving_mx_hostname);
    trpt_hash_str(&h, f->receiving_mx_helo);
    trpt_hash_str(&h, f->receiving_ip);
    trpt_hash_str(&h, f->additional_information);
    trpt_hash_str(&h, f->reason_code);
    return trpt_siphash_final(&h);
}

static uint64_t stored_policy_hash(const void *report, size_t i)
{
    return ((const tlsrpt_report *)report)->policies[i]->hash;
}

static uint64_t stored_failure_hash(const void *policy, size_t i)
{
    return ((const tlsrpt_policy *)policy)->failures[i]->hash;
}

/* ---- Failure details ---------------------------------------------------------------------------------------------- */

int trpt_failure_create(tlsrpt_failure **out, trpt_arena *arena, const char *result_type, size_t len)
{
    *out = NULL;
    tlsrpt_failure *f = arena ? trpt_arena_alloc(arena, sizeof *f) : malloc(sizeof *f);
    if (!f)
        return TLSRPT_ENOMEM;
    memset(f, 0, sizeof *f);
    f->arena = arena;
    if (trpt_set_string(arena, &f->result_type, result_type, len) != TLSRPT_OK) {
        if (!arena)
            free(f);
        return TLSRPT_ENOMEM;
    }
    f->result_code = trpt_result_code_from_text(result_type, len);
    *out = f;
    return TLSRPT_OK;
}

void trpt_failure_destroy(tlsrpt_failure *f)
{
    if (!f || f->arena)
        return;
    free(f->result_type);
    free(f->sending_mta_ip);
    free(f->receiving_mx_hostname);
    free(f->receiving_mx_helo);
    free(f->receiving_ip);
    free(f->additional_information);
    free(f->reason_code);
    free(f);
}

static int copy_opt(trpt_arena *arena, char **dst, const char *src)
{
    return src ? trpt_set_string(arena, dst, src, strlen(src)) : TLSRPT_OK;
}

int trpt_failure_copy(tlsrpt_failure **out, trpt_arena *arena, const tlsrpt_failure *f)
{
    tlsrpt_failure *c;
    int rc = trpt_failure_create(&c, arena, f->result_type, strlen(f->result_type));
    if (rc != TLSRPT_OK)
        return rc;
    if (copy_opt(arena, &c->sending_mta_ip, f->sending_mta_ip) ||
        copy_opt(arena, &c->receiving_mx_hostname, f->receiving_mx_hostname) ||
        copy_opt(arena, &c->receiving_mx_helo, f->receiving_mx_helo) ||
        copy_opt(arena, &c->receiving_ip, f->receiving_ip) ||
        copy_opt(arena, &c->additional_information, f->additional_information) ||
        copy_opt(arena, &c->reason_code, f->reason_code)) {
        trpt_failure_destroy(c);
        return TLSRPT_ENOMEM;
    }
    c->session_count = f->session_count;
    *out = c;
    return TLSRPT_OK;
}

int trpt_failure_same_identity(const tlsrpt_failure *a, const tlsrpt_failure *b)
{
    return str_eq(a->result_type, b->result_type) && str_eq(a->sending_mta_ip, b->sending_mta_ip) &&
           str_eq(a->receiving_mx_hostname, b->receiving_mx_hostname) &&
           str_eq(a->receiving_mx_helo, b->receiving_mx_helo) && str_eq(a->receiving_ip, b->receiving_ip) &&
           str_eq(a->additional_information, b->additional_information) && str_eq(a->reason_code, b->reason_code);
}

/* ---- Policies ------------------------------------------------------------------------------------------------------ */

int trpt_policy_create(tlsrpt_policy **out, trpt_arena *arena, const char *type_name, size_t type_len)
{
    *out = NULL;
    tlsrpt_policy *p = trpt_arena_alloc(arena, sizeof *p);
    if (!p)
        return TLSRPT_ENOMEM;
    memset(p, 0, sizeof *p);
    p->arena = arena;
    if (trpt_set_string(arena, &p->type_name, type_name, type_len) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    p->type = trpt_policy_type_from_text(type_name, type_len);
    *out = p;
    return TLSRPT_OK;
}

void trpt_policy_destroy(tlsrpt_policy *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_failures; i++)
        trpt_failure_destroy(p->failures[i]);
    if (!p->failures_in_arena)
        free(p->failures);
    trpt_index_free(&p->failure_index);
}

/* The string lists of a policy live in the arena too: they only grow while the policy is being made (its identity
 * is frozen once it is in a report), and a grown list leaves the old one behind in the arena, which with doubling
 * is less than the final list's size. */
static int add_to_list(trpt_arena *arena, char ***list, size_t *n, size_t *cap, const char *s, size_t len)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 8;
        if (ncap > SIZE_MAX / sizeof **list)
            return TLSRPT_ENOMEM;
        char **grown = trpt_arena_alloc(arena, ncap * sizeof **list);
        if (!grown)
            return TLSRPT_ENOMEM;
        if (*n)
            memcpy(grown, *list, *n * sizeof **list);
        *list = grown;
        *cap = ncap;
    }
    char *copy = trpt_arena_strndup(arena, s, len);
    if (!copy)
        return TLSRPT_ENOMEM;
    (*list)[(*n)++] = copy;
    return TLSRPT_OK;
}

int trpt_policy_add_string(tlsrpt_policy *p, const char *s, size_t len)
{
    p->has_strings = 1;
    return add_to_list(p->arena, &p->strings, &p->n_strings, &p->cap_strings, s, len);
}

int trpt_policy_add_mx_host(tlsrpt_policy *p, const char *s, size_t len)
{
    p->has_mx_hosts = 1;
    return add_to_list(p->arena, &p->mx_hosts, &p->n_mx_hosts, &p->cap_mx_hosts, s, len);
}

static int set_list(trpt_arena *arena, char ***list, size_t *n, size_t *cap, char *const *items, size_t count)
{
    char **exact = NULL;
    if (count) {
        if (count > SIZE_MAX / sizeof *exact)
            return TLSRPT_ENOMEM;
        exact = trpt_arena_alloc(arena, count * sizeof *exact);
        if (!exact)
            return TLSRPT_ENOMEM;
        memcpy(exact, items, count * sizeof *exact);
    }
    *list = exact;
    *n = *cap = count;
    return TLSRPT_OK;
}

int trpt_policy_set_strings(tlsrpt_policy *p, char *const *items, size_t n)
{
    p->has_strings = 1;
    return set_list(p->arena, &p->strings, &p->n_strings, &p->cap_strings, items, n);
}

int trpt_policy_set_mx_hosts(tlsrpt_policy *p, char *const *items, size_t n)
{
    p->has_mx_hosts = 1;
    return set_list(p->arena, &p->mx_hosts, &p->n_mx_hosts, &p->cap_mx_hosts, items, n);
}

int trpt_policy_take_failure(tlsrpt_policy *p, tlsrpt_failure *f)
{
    tlsrpt_failure **grown = grow_array(p->failures, &p->failures_in_arena, p->n_failures, &p->cap_failures,
                                         sizeof *p->failures,
                                         p->arena->budget);
    if (!grown) {
        trpt_failure_destroy(f);
        return TLSRPT_ENOMEM;
    }
    p->failures = grown;
    if (p->failure_index.slots) {
        f->hash = failure_hash(trpt_index_key(&p->failure_index), f);
        p->failures[p->n_failures] = f;
        if (trpt_index_add_last(&p->failure_index, p, p->n_failures + 1,
                           stored_failure_hash) != TLSRPT_OK) {
            trpt_failure_destroy(f);
            return TLSRPT_ENOMEM;
        }
    }
    p->failures[p->n_failures++] = f;
    p->has_failures = 1;
    return TLSRPT_OK;
}

int trpt_policy_find_failure(tlsrpt_policy *p, const tlsrpt_failure *key, tlsrpt_failure **found)
{
    *found = NULL;
    const trpt_hash_key *hkey = trpt_index_key(&p->failure_index);
    if (!p->failure_index.slots) {
        for (size_t i = 0; i < p->n_failures; i++)
            p->failures[i]->hash = failure_hash(hkey, p->failures[i]);
        if (trpt_index_rebuild(&p->failure_index, p, p->n_failures, stored_failure_hash) !=
            TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    uint64_t h = failure_hash(hkey, key);
    const trpt_index *ix = &p->failure_index;
    for (size_t i = trpt_index_probe_first(ix, h); ix->slots[i]; i = trpt_index_probe_next(ix, i)) {
        tlsrpt_failure *f = p->failures[ix->slots[i] - 1];
        if (f->hash == h && trpt_failure_same_identity(f, key)) {
            *found = f;
            return TLSRPT_OK;
        }
    }
    return TLSRPT_OK;
}

int trpt_policy_details_sum(const tlsrpt_policy *p, uint64_t *sum)
{
    uint64_t s = 0;
    for (size_t i = 0; i < p->n_failures; i++) {
        if (trpt_u64_add(&s, p->failures[i]->session_count) != TLSRPT_OK) {
            *sum = UINT64_MAX;
            return TLSRPT_ELIMIT;
        }
    }
    *sum = s;
    return TLSRPT_OK;
}

static int copy_str_list(tlsrpt_policy *dst, const tlsrpt_policy *src)
{
    for (size_t i = 0; i < src->n_strings; i++)
        if (trpt_policy_add_string(dst, src->strings[i], strlen(src->strings[i])) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    for (size_t i = 0; i < src->n_mx_hosts; i++)
        if (trpt_policy_add_mx_host(dst, src->mx_hosts[i], strlen(src->mx_hosts[i])) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    dst->has_strings = src->has_strings;
    dst->has_mx_hosts = src->has_mx_hosts;
    return TLSRPT_OK;
}

static int policy_copy(tlsrpt_policy **out, trpt_arena *arena, const tlsrpt_policy *src)
{
    tlsrpt_policy *p;
    int rc = trpt_policy_create(&p, arena, src->type_name, strlen(src->type_name));
    if (rc != TLSRPT_OK)
        return rc;
    if (copy_opt(arena, &p->domain, src->domain) != TLSRPT_OK || copy_str_list(p, src) != TLSRPT_OK)
        goto nomem;
    p->successful_sessions = src->successful_sessions;
    p->failed_sessions = src->failed_sessions;
    for (size_t i = 0; i < src->n_failures; i++) {
        tlsrpt_failure *f;
        if (trpt_failure_copy(&f, arena, src->failures[i]) != TLSRPT_OK)
            goto nomem;
        if (trpt_policy_take_failure(p, f) != TLSRPT_OK)
            goto nomem;
    }
    p->has_failures = src->has_failures;
    *out = p;
    return TLSRPT_OK;
nomem:
    trpt_policy_destroy(p);
    *out = NULL;
    return TLSRPT_ENOMEM;
}

void trpt_policy_truncate_failures(tlsrpt_policy *p, size_t n)
{
    if (n >= p->n_failures)
        return;
    for (size_t i = n; i < p->n_failures; i++)
        trpt_failure_destroy(p->failures[i]);
    p->n_failures = n;
    trpt_index_free(&p->failure_index);
}

/* ---- Reports --------------------------------------------------------------------------------------------------- */

int trpt_report_create(tlsrpt_report **out)
{
    *out = calloc(1, sizeof **out);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

int trpt_report_take_policy(tlsrpt_report *r, tlsrpt_policy *p)
{
    tlsrpt_policy **grown = grow_array(r->policies, &r->policies_in_arena, r->n_policies, &r->cap_policies,
                                        sizeof *r->policies,
                                        r->arena.budget);
    if (!grown) {
        trpt_policy_destroy(p);
        return TLSRPT_ENOMEM;
    }
    r->policies = grown;
    if (r->policy_index.slots) {
        p->hash = policy_hash(trpt_index_key(&r->policy_index), p);
        r->policies[r->n_policies] = p;
        if (trpt_index_add_last(&r->policy_index, r, r->n_policies + 1,
                           stored_policy_hash) != TLSRPT_OK) {
            trpt_policy_destroy(p);
            return TLSRPT_ENOMEM;
        }
    }
    r->policies[r->n_policies++] = p;
    return TLSRPT_OK;
}

static int str_list_eq(int has_a, char *const *a, size_t na, int has_b, const char *const *b, size_t nb)
{
    if (!has_a != !has_b || na != nb)
        return 0;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

int trpt_report_find_policy(tlsrpt_report *r, const char *type_name, const char *domain, int has_strings,
                            const char *const *strings, size_t n_strings, int has_mx_hosts,
                            const char *const *mx_hosts, size_t n_mx_hosts, tlsrpt_policy **found)
{
    *found = NULL;
    const trpt_hash_key *key = trpt_index_key(&r->policy_index);
    if (!r->policy_index.slots) {
        for (size_t i = 0; i < r->n_policies; i++)
            r->policies[i]->hash = policy_hash(key, r->policies[i]);
        if (trpt_index_rebuild(&r->policy_index, r, r->n_policies, stored_policy_hash) !=
            TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    uint64_t h = policy_identity_hash(key, type_name, domain, has_strings, strings, n_strings, has_mx_hosts,
                                      mx_hosts, n_mx_hosts);
    const trpt_index *ix = &r->policy_index;
    for (size_t i = trpt_index_probe_first(ix, h); ix->slots[i]; i = trpt_index_probe_next(ix, i)) {
        tlsrpt_policy *p = r->policies[ix->slots[i] - 1];
        if (p->hash == h && str_eq(p->type_name, type_name) && str_eq(p->domain, domain) &&
            str_list_eq(p->has_strings, p->strings, p->n_strings, has_strings, strings, n_strings) &&
            str_list_eq(p->has_mx_hosts, p->mx_hosts, p->n_mx_hosts, has_mx_hosts, mx_hosts, n_mx_hosts)) {
            *found = p;
            return TLSRPT_OK;
        }
    }
    return TLSRPT_OK;
}

int trpt_report_copy(tlsrpt_report **out, const tlsrpt_report *r)
{
    tlsrpt_report *c;
    if (trpt_report_create(&c) != TLSRPT_OK) {
        *out = NULL;
        return TLSRPT_ENOMEM;
    }
    if (copy_opt(&c->arena, &c->organization_name, r->organization_name) ||
        copy_opt(&c->arena, &c->contact_info, r->contact_info) || copy_opt(&c->arena, &c->report_id, r->report_id))
        goto nomem;
    c->start_time = r->start_time;
    c->end_time = r->end_time;
    c->has_start_time = r->has_start_time;
    c->has_end_time = r->has_end_time;
    for (size_t i = 0; i < r->n_policies; i++) {
        tlsrpt_policy *p;
        if (policy_copy(&p, &c->arena, r->policies[i]) != TLSRPT_OK || trpt_report_take_policy(c, p) != TLSRPT_OK)
            goto nomem;
    }
    *out = c;
    return TLSRPT_OK;
nomem:
    tlsrpt_report_free(c);
    *out = NULL;
    return TLSRPT_ENOMEM;
}

void trpt_report_truncate_policies(tlsrpt_report *r, size_t n)
{
    if (n >= r->n_policies)
        return;
    for (size_t i = n; i < r->n_policies; i++)
        trpt_policy_destroy(r->policies[i]);
    r->n_policies = n;
    trpt_index_free(&r->policy_index);
}

TLSRPT_API void tlsrpt_report_free(tlsrpt_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_policies; i++)
        trpt_policy_destroy(r->policies[i]);
    if (!r->policies_in_arena)
        free(r->policies);
    trpt_index_free(&r->policy_index);
    trpt_arena_free(&r->arena);
    free(r->text);
    free(r);
}

/* ---- Getters ------------------------------------------------------------------------------------------------------ */

TLSRPT_API const char *tlsrpt_report_organization_name(const tlsrpt_report *r)
{
    return r ? r->organization_name : NULL;
}

TLSRPT_API const char *tlsrpt_report_contact_info(const tlsrpt_report *r)
{
    return r ? r->contact_info : NULL;
}

TLSRPT_API const char *tlsrpt_report_id(const tlsrpt_report *r)
{
    return r ? r->report_id : NULL;
}

TLSRPT_API int64_t tlsrpt_report_start_time(const tlsrpt_report *r)
{
    return r && r->has_start_time ? r->start_time : 0;
}

TLSRPT_API int64_t tlsrpt_report_end_time(const tlsrpt_report *r)
{
    return r && r->has_end_time ? r->end_time : 0;
}

TLSRPT_API size_t tlsrpt_report_policy_count(const tlsrpt_report *r)
{
    return r ? r->n_policies : 0;
}

TLSRPT_API const tlsrpt_policy *tlsrpt_report_policy(const tlsrpt_report *r, size_t i)
{
    return r && i < r->n_policies ? r->policies[i] : NULL;
}

TLSRPT_API int tlsrpt_policy_type(const tlsrpt_policy *p)
{
    return p ? p->type : TLSRPT_EINVAL;
}

TLSRPT_API const char *tlsrpt_policy_type_name(const tlsrpt_policy *p)
{
    return p ? p->type_name : NULL;
}

TLSRPT_API const char *tlsrpt_policy_domain(const tlsrpt_policy *p)
{
    return p ? p->domain : NULL;
}

TLSRPT_API size_t tlsrpt_policy_string_count(const tlsrpt_policy *p)
{
    return p ? p->n_strings : 0;
}

TLSRPT_API const char *tlsrpt_policy_string(const tlsrpt_policy *p, size_t i)
{
    return p && i < p->n_strings ? p->strings[i] : NULL;
}

TLSRPT_API size_t tlsrpt_policy_mx_host_count(const tlsrpt_policy *p)
{
    return p ? p->n_mx_hosts : 0;
}

TLSRPT_API const char *tlsrpt_policy_mx_host(const tlsrpt_policy *p, size_t i)
{
    return p && i < p->n_mx_hosts ? p->mx_hosts[i] : NULL;
}

TLSRPT_API uint64_t tlsrpt_policy_successful_sessions(const tlsrpt_policy *p)
{
    return p ? p->successful_sessions : 0;
}

TLSRPT_API uint64_t tlsrpt_policy_failed_sessions(const tlsrpt_policy *p)
{
    return p ? p->failed_sessions : 0;
}

TLSRPT_API size_t tlsrpt_policy_failure_count(const tlsrpt_policy *p)
{
    return p ? p->n_failures : 0;
}

TLSRPT_API const tlsrpt_failure *tlsrpt_policy_failure(const tlsrpt_policy *p, size_t i)
{
    return p && i < p->n_failures ? p->failures[i] : NULL;
}

TLSRPT_API const char *tlsrpt_failure_result_type(const tlsrpt_failure *f)
{
    return f ? f->result_type : NULL;
}

TLSRPT_API int tlsrpt_failure_result_code(const tlsrpt_failure *f)
{
    return f ? f->result_code : TLSRPT_EINVAL;
}

TLSRPT_API const char *tlsrpt_failure_sending_mta_ip(const tlsrpt_failure *f)
{
    return f ? f->sending_mta_ip : NULL;
}

TLSRPT_API const char *tlsrpt_failure_receiving_mx_hostname(const tlsrpt_failure *f)
{
    return f ? f->receiving_mx_hostname : NULL;
}

TLSRPT_API const char *tlsrpt_failure_receiving_mx_helo(const tlsrpt_failure *f)
{
    return f ? f->receiving_mx_helo : NULL;
}

TLSRPT_API const char *tlsrpt_failure_receiving_ip(const tlsrpt_failure *f)
{
    return f ? f->receiving_ip : NULL;
}

TLSRPT_API const char *tlsrpt_failure_additional_information(const tlsrpt_failure *f)
{
    return f ? f->additional_information : NULL;
}

TLSRPT_API const char *tlsrpt_failure_reason_code(const tlsrpt_failure *f)
{
    return f ? f->reason_code : NULL;
}

TLSRPT_API uint64_t tlsrpt_failure_session_count(const tlsrpt_failure *f)
{
    return f ? f->session_count : 0;
}
