/* libtlsrpt — the report object model shared by the parser, the builder, the writer and the validator.
 * Never installed. SPDX-License-Identifier: MIT
 *
 * Ownership: a report owns its policies, a policy owns its failure details, every object owns its strings.
 * Optional strings are NULL when absent; NULL and "" are different values everywhere (equality, serialization).
 *
 * Finding equal objects (the builder's add_policy / add_failures and merge): every policy and failure detail that
 * sits in a container carries a 64-bit hash of its identity fields, SipHash-1-3 under a random key that belongs to
 * the container's index (hashindex.h; so that names chosen by a hostile party — MX host names come from the
 * receiving domain's DNS — cannot be precomputed to collide). The container's index is built on the first lookup
 * and maintained on every append after that; the parser, which never looks anything up, never pays for it. A lookup
 * hashes the key, probes, and compares the hash before the fields: it allocates nothing (only building or growing
 * the index allocates).
 *
 * Memory: a report owns an arena (arena.h) that holds its policies and failure details (the structs) and all their
 * strings and its own, and the lists of policy strings and mx-hosts; they are never freed one by one,
 * tlsrpt_report_free releases the arena at once. Only the arrays that grow after their owner is in the report
 * (policies, failure details) and the indexes are separate heap blocks.
 * A failure detail outside any report (tlsrpt_failure_new, lookup keys) has arena NULL: it and its strings are
 * ordinary heap blocks, freed by trpt_failure_destroy.
 */
#ifndef TLSRPT_REPORT_INTERNAL_H
#define TLSRPT_REPORT_INTERNAL_H

#include "internal.h"
#include "arena.h"
#include "hashindex.h"

struct tlsrpt_failure {
    trpt_arena *arena;            /* the owning report's arena; NULL for a standalone detail (heap blocks) */
    char *result_type;            /* never NULL */
    int result_code;              /* TLSRPT_RESULT_*, derived from result_type */
    char *sending_mta_ip;         /* each of these: NULL when absent */
    char *receiving_mx_hostname;
    char *receiving_mx_helo;
    char *receiving_ip;
    char *additional_information;
    char *reason_code;
    uint64_t session_count;
    uint64_t hash; /* identity hash under the owning policy's seed; valid while the policy's index exists */
};

struct tlsrpt_policy {
    trpt_arena *arena; /* the owning report's arena: the struct and its strings live there */
    int type;         /* TLSRPT_POLICY_*, derived from type_name */
    char *type_name;  /* never NULL */
    char *domain;     /* NULL when absent */
    char **strings;   /* "policy-string" entries (the list is in the arena too) */
    size_t n_strings, cap_strings;
    int has_strings;  /* 0: member absent; 1: present (possibly an empty array) */
    char **mx_hosts;  /* "mx-host" patterns (likewise) */
    size_t n_mx_hosts, cap_mx_hosts;
    int has_mx_hosts; /* 0: member absent; 1: present (a string, or an array, possibly empty) */
    uint64_t successful_sessions;
    uint64_t failed_sessions;
    tlsrpt_failure **failures; /* a heap block, or in the arena when failures_in_arena (the fast reader's) */
    size_t n_failures, cap_failures;
    int failures_in_arena;     /* then growing it copies it to the heap first */
    int has_failures; /* 0: "failure-details" absent; 1: present (possibly empty) */
    trpt_index failure_index;
    uint64_t hash; /* identity hash under the owning report's seed; valid while the report's index exists */
};

struct tlsrpt_report {
    trpt_arena arena;        /* policies, failure details and every string of the report */
    char *organization_name; /* each string: NULL when absent */
    char *contact_info;
    char *report_id;
    int64_t start_time, end_time;
    int has_start_time, has_end_time;
    tlsrpt_policy **policies; /* a heap block, or in the arena when policies_in_arena (the fast reader's) */
    size_t n_policies, cap_policies;
    int policies_in_arena;    /* then growing it copies it to the heap first */
    trpt_index policy_index;
    char *text; /* NULL, or the JSON text that the fast path read in place: its strings point into it (report_fast.h) */
};

/* ---- Names of types ----------------------------------------------------------------------------------------- */
/* TLSRPT_POLICY_* of a policy-type (exact match), TLSRPT_POLICY_OTHER otherwise; _text: of s[0..len), where a NUL
 * byte never matches. */
int trpt_policy_type_from_name(const char *name);
int trpt_policy_type_from_text(const char *s, size_t len);
/* "sts", "tlsa", "no-policy-found" for the known codes; NULL otherwise. */
const char *trpt_policy_type_to_name(int type);
/* TLSRPT_RESULT_* of a result-type (exact match), TLSRPT_RESULT_OTHER otherwise. */
int trpt_result_code_from_name(const char *name);
int trpt_result_code_from_text(const char *s, size_t len);
/* The registered name of a TLSRPT_RESULT_* code 1..11; NULL otherwise. */
const char *trpt_result_code_to_name(int code);

/* ---- Counts ---------------------------------------------------------------------------------------------------- */
/* *acc += add. Returns TLSRPT_OK, or TLSRPT_ELIMIT (and leaves *acc unchanged) when the sum exceeds UINT64_MAX. */
int trpt_u64_add(uint64_t *acc, uint64_t add) TRPT_WARN_UNUSED;

/* ---- Strings --------------------------------------------------------------------------------------------------- */
/* Replaces *field with a copy of s[0..len) (NUL-terminated); s NULL makes the field absent. With an arena the copy
 * is allocated there (the old string stays in the arena); with arena NULL it is a heap block and the old string is
 * freed. Returns TLSRPT_OK or TLSRPT_ENOMEM (then *field is unchanged). */
int trpt_set_string(trpt_arena *arena, char **field, const char *s, size_t len) TRPT_WARN_UNUSED;

/* ---- Reports --------------------------------------------------------------------------------------------------- */
/* A new empty report: every string absent, no times, no policies. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_report_create(tlsrpt_report **out);

/* Appends p to r (r takes ownership, also on failure: then p is freed). Keeps the index current if it exists.
 * Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_report_take_policy(tlsrpt_report *r, tlsrpt_policy *p);

/* Finds the first policy of r equal to the given identity: same type_name, domain (NULL equals only NULL),
 * strings (present flag, count, each entry, in order) and mx-hosts (likewise). The arrays may be NULL when their
 * count is 0; has_* say whether the member is present. Builds the index on the first call.
 * Returns TLSRPT_OK (*found is the policy, or NULL when there is none) or TLSRPT_ENOMEM. */
int trpt_report_find_policy(tlsrpt_report *r, const char *type_name, const char *domain, int has_strings,
                            const char *const *strings, size_t n_strings, int has_mx_hosts,
                            const char *const *mx_hosts, size_t n_mx_hosts, tlsrpt_policy **found);

/* Deep copy of a report (the copy has no index yet). Returns TLSRPT_OK or TLSRPT_ENOMEM (*out NULL). */
int trpt_report_copy(tlsrpt_report **out, const tlsrpt_report *r);

/* Frees the policies at positions >= n and drops the index (rebuilt on the next lookup): undoes appends (merge). */
void trpt_report_truncate_policies(tlsrpt_report *r, size_t n);

/* ---- Policies -------------------------------------------------------------------------------------------------- */
/* A new policy in the arena of the report it is meant for (then appended with trpt_report_take_policy), of the given
 * type_name (copied; type derived from it), no domain, strings or mx-hosts, counts 0, no failure details.
 * Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_policy_create(tlsrpt_policy **out, trpt_arena *arena, const char *type_name, size_t type_len);
/* Frees the policy's heap blocks (failure array, index) and destroys its failure details; the struct, the string
 * lists and the strings stay in the arena (until the report is freed or the arena released). */
void trpt_policy_destroy(tlsrpt_policy *p);
/* Append a copy of s[0..len) to the policy strings / mx-hosts and mark the member present.
 * Returns TLSRPT_OK or TLSRPT_ENOMEM. Only for a policy not yet in a report (identity fields are then frozen). */
int trpt_policy_add_string(tlsrpt_policy *p, const char *s, size_t len);
int trpt_policy_add_mx_host(tlsrpt_policy *p, const char *s, size_t len);
/* Make the policy strings / mx-hosts exactly items[0..n) (strings already in p's arena: only the list is
 * allocated, at its exact size; n 0 is an empty list) and mark the member present. Replaces the list (the old one
 * stays in the arena), for a policy not yet in a report. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_policy_set_strings(tlsrpt_policy *p, char *const *items, size_t n);
int trpt_policy_set_mx_hosts(tlsrpt_policy *p, char *const *items, size_t n);

/* Appends f (allocated in p's arena) to p (p takes ownership, also on failure: then f is destroyed) and marks
 * failure-details present. Keeps
 * the index current if it exists. Does not touch the counts. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_policy_take_failure(tlsrpt_policy *p, tlsrpt_failure *f);

/* Finds the first failure detail of p whose result type and six optional strings all equal key's (NULL equals
 * only NULL); counts are not compared. key need not belong to p. Builds the index on the first call.
 * Returns TLSRPT_OK (*found is the detail or NULL) or TLSRPT_ENOMEM. */
int trpt_policy_find_failure(tlsrpt_policy *p, const tlsrpt_failure *key, tlsrpt_failure **found);

/* Sum of the failed-session-counts of p's details. Returns TLSRPT_OK or TLSRPT_ELIMIT (sum over UINT64_MAX,
 * *sum then UINT64_MAX). */
int trpt_policy_details_sum(const tlsrpt_policy *p, uint64_t *sum);

/* Frees the failure details at positions >= n and drops the index (rebuilt on the next lookup): undoes appends. */
void trpt_policy_truncate_failures(tlsrpt_policy *p, size_t n);

/* ---- Failure details -------------------------------------------------------------------------------------------- */
/* A new failure detail with this result type (copied; code derived), every optional field absent, count 0: in
 * the arena (for a report's policy), or with arena NULL a standalone one made of heap blocks.
 * Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_failure_create(tlsrpt_failure **out, trpt_arena *arena, const char *result_type, size_t len);
/* Deep copy (count included) into the arena (NULL: standalone). Returns TLSRPT_OK or TLSRPT_ENOMEM (*out NULL). */
int trpt_failure_copy(tlsrpt_failure **out, trpt_arena *arena, const tlsrpt_failure *f);
/* Frees a standalone detail and its strings; a detail in an arena is left to its arena (nothing to do). */
void trpt_failure_destroy(tlsrpt_failure *f);
/* 1 if a and b have the same result type and optional strings (counts not compared). */
int trpt_failure_same_identity(const tlsrpt_failure *a, const tlsrpt_failure *b);

/* ---- Parsing ----------------------------------------------------------------------------------------------------- */
/* What one parse used, for tests that hold the parser to its bounds. */
typedef struct trpt_parse_stats {
    size_t memory_peak;  /* most bytes charged to the parse's budget at once (reader + report + scratch) */
    size_t memory_limit; /* the budget: REPORT_MEMORY_FACTOR x the JSON size + REPORT_MEMORY_SLACK */
    uint64_t name_work;  /* the JSON reader's duplicate-name work (trpt_json_reader_stats) */
    uint64_t paths_rendered; /* JSON pointers the reader built */
    int fast_path;           /* 1: the fast path took the report (report_fast.h); 0: the general path read it */
} trpt_parse_stats;

/* A flag of trpt_report_parse_stats only (never of the public functions): read with the general path alone, without
 * trying the fast path first (report_fast.h), so that tests and fuzz_report_paths can hold the two to each other. */
#define TRPT_PARSE_GENERAL 0x40000000u

/* tlsrpt_report_parse, filling *stats (may be NULL); flags may include TRPT_PARSE_GENERAL. */
int trpt_report_parse_stats(tlsrpt_report **out, const void *data, size_t len, unsigned flags, tlsrpt_diag *diag,
                            trpt_parse_stats *stats);

/* ---- Report e-mails (report_message.c) --------------------------------------------------------------------------- */
/* tlsrpt_report_parse_message, also giving the number of message bytes its MIME walk, header value parser and
 * transfer decoders examined (*work, never NULL; the report parse itself is not counted): trpt_mime_reader.work
 * (mime.h). Tests use it to check that the cost stays linear in the message size, whatever its shape. */
int trpt_report_parse_message_work(tlsrpt_report **out, const void *data, size_t len, unsigned flags,
                                   tlsrpt_diag *diag, size_t *work);

#endif
