/* libtlsrpt — the aggregate of many reports: de-duplication and the summary tables (tlsrpt_aggregate(3)).
 * SPDX-License-Identifier: MIT
 *
 * Every table is an array of rows in first-counted order with a SipHash-keyed index over it (hashindex.h): the
 * keys (policy domains, MX names, IPs, organization names, report ids) are chosen by the reports' senders. The
 * de-duplication keys are the length-prefixed bytes of organization, report-id and policy domains, kept whole (no
 * digest: two different reports never merge). Memory: per remembered report its key plus about 40 bytes; per row
 * its key plus about 56 bytes; both counts bounded (TLSRPT_MAX_AGGREGATE_REPORTS, TLSRPT_MAX_AGGREGATE_ROWS). */
#include <stdlib.h>
#include <string.h>

#include "hashindex.h"
#include "internal.h"
#include "report_internal.h"

#define SECONDS_PER_DAY 86400
#define TABLE_COUNT 7 /* TLSRPT_TABLE_DAYS .. TLSRPT_TABLE_ORGANIZATIONS, index 0 unused */

struct agg_row {
    uint64_t hash;
    char *key;
    int64_t day;
    uint64_t successful, failed;
};

struct agg_table {
    struct agg_row *rows;
    size_t n, cap;
    trpt_index ix;
};

struct seen_key {
    uint64_t hash;
    char *bytes;
    size_t len;
};

struct tlsrpt_aggregate {
    struct agg_table tables[TABLE_COUNT];
    struct seen_key *seen;
    size_t n_seen, cap_seen;
    trpt_index seen_ix;
    size_t verdicts[4];
    int64_t start, end;
    int has_start, has_end;
    char *domain; /* normalized filter, or NULL */
    int64_t since, until;
    uint64_t totals[3]; /* successful, failed (summaries) and detail sessions counted */
};

static uint64_t row_hash_at(const void *container, size_t i)
{
    return ((const struct agg_table *)container)->rows[i].hash;
}

static uint64_t seen_hash_at(const void *container, size_t i)
{
    return ((const tlsrpt_aggregate *)container)->seen[i].hash;
}

int tlsrpt_aggregate_new(tlsrpt_aggregate **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return TLSRPT_ENOMEM;
    (*out)->since = INT64_MIN;
    (*out)->until = INT64_MAX;
    return TLSRPT_OK;
}

void tlsrpt_aggregate_free(tlsrpt_aggregate *a)
{
    if (!a)
        return;
    for (int t = 1; t < TABLE_COUNT; t++) {
        for (size_t i = 0; i < a->tables[t].n; i++)
            free(a->tables[t].rows[i].key);
        free(a->tables[t].rows);
        trpt_index_free(&a->tables[t].ix);
    }
    for (size_t i = 0; i < a->n_seen; i++)
        free(a->seen[i].bytes);
    free(a->seen);
    trpt_index_free(&a->seen_ix);
    free(a->domain);
    free(a);
}

/* The normalized form of d in buf (size NAME_BUF) when it fits, else in a new string; NULL when out of memory.
 * Release with release_name(). */
#define NAME_BUF 256
static char *normalized_name(const char *d, char *buf)
{
    if (!d) {
        buf[0] = '\0';
        return buf;
    }
    size_t n = strlen(d);
    if (n > 0 && d[n - 1] == '.')
        n--;
    char *s = n < NAME_BUF ? buf : malloc(n + 1);
    if (!s)
        return NULL;
    for (size_t i = 0; i < n; i++)
        s[i] = (char)trpt_ascii_lower((unsigned char)d[i]);
    s[n] = '\0';
    return s;
}

/* A domain as the tables keep it: ASCII lower case, without one trailing dot; "" for NULL. New string or NULL. */
static char *normalized_domain(const char *d)
{
    char buf[NAME_BUF];
    char *s = normalized_name(d, buf);
    return s == buf ? trpt_strdup(buf) : s;
}

static void release_name(char *s, const char *buf)
{
    if (s != buf)
        free(s);
}

/* 1 if the normalized forms of d and the normalized filter f are equal. */
static int domain_matches(const char *d, const char *f)
{
    size_t n = d ? strlen(d) : 0, m = strlen(f);
    if (n > 0 && d[n - 1] == '.')
        n--;
    return n == m && (n == 0 || trpt_ascii_strncasecmp(d, f, n) == 0);
}

int tlsrpt_aggregate_set_domain(tlsrpt_aggregate *a, const char *policy_domain)
{
    if (!a)
        return TLSRPT_EINVAL;
    char *d = NULL;
    if (policy_domain && !(d = normalized_domain(policy_domain)))
        return TLSRPT_ENOMEM;
    free(a->domain);
    a->domain = d;
    return TLSRPT_OK;
}

int tlsrpt_aggregate_set_period(tlsrpt_aggregate *a, int64_t since, int64_t until)
{
    if (!a || since > until)
        return TLSRPT_EINVAL;
    a->since = since;
    a->until = until;
    return TLSRPT_OK;
}

/* ---- Tables ---- */

/* Room for one more element in a growing array (doubling, from 16). Returns TLSRPT_OK or TLSRPT_ENOMEM (then the
 * array is unchanged). */
static int grow_for_one(void **array, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return TLSRPT_OK;
    size_t next = *cap ? *cap * 2 : 16;
    if (next > SIZE_MAX / size)
        return TLSRPT_ENOMEM;
    void *grown = realloc(*array, next * size);
    if (!grown)
        return TLSRPT_ENOMEM;
    *array = grown;
    *cap = next;
    return TLSRPT_OK;
}

static uint64_t row_hash(struct agg_table *t, const char *key, int64_t day)
{
    trpt_siphash h;
    trpt_siphash_init(&h, trpt_index_key(&t->ix));
    trpt_hash_str(&h, key);
    trpt_hash_u64(&h, (uint64_t)day);
    return trpt_siphash_final(&h);
}

/* The row of (key, day), or NULL with *rc TLSRPT_OK when absent (or TLSRPT_ENOMEM: the index could not be
 * built). */
static struct agg_row *table_find(struct agg_table *t, uint64_t hash, const char *key, int64_t day, int *rc)
{
    *rc = TLSRPT_OK;
    if (!t->ix.slots && (*rc = trpt_index_rebuild(&t->ix, t, t->n, row_hash_at)) != TLSRPT_OK)
        return NULL;
    for (size_t s = trpt_index_probe_first(&t->ix, hash); t->ix.slots[s]; s = trpt_index_probe_next(&t->ix, s)) {
        struct agg_row *row = &t->rows[t->ix.slots[s] - 1];
        if (row->hash == hash && row->day == day && strcmp(row->key, key) == 0)
            return row;
    }
    return NULL;
}

/* Adds successful/failed to the row of (key, day), making it when new. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
static int table_count(struct agg_table *t, const char *key, int64_t day, uint64_t successful, uint64_t failed)
{
    int rc;
    uint64_t hash = row_hash(t, key, day);
    struct agg_row *row = table_find(t, hash, key, day, &rc);
    if (rc != TLSRPT_OK)
        return rc;
    if (!row) {
        void *rows = t->rows;
        if (grow_for_one(&rows, &t->cap, t->n, sizeof *t->rows) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
        t->rows = rows;
        char *copy = trpt_strdup(key);
        if (!copy)
            return TLSRPT_ENOMEM;
        t->rows[t->n] = (struct agg_row){.hash = hash, .key = copy, .day = day};
        if (trpt_index_add_last(&t->ix, t, t->n + 1, row_hash_at) != TLSRPT_OK) {
            free(copy);
            return TLSRPT_ENOMEM;
        }
        row = &t->rows[t->n++];
    }
    row->successful += successful;
    row->failed += failed;
    return TLSRPT_OK;
}

/* ---- De-duplication ---- */

/* Appends a field: its length as 8 bytes (UINT64_MAX: absent), then its bytes, lower-cased when asked. */
static char *put_field(char *p, const char *s, size_t n, int lower)
{
    uint64_t len = s ? (uint64_t)n : UINT64_MAX;
    memcpy(p, &len, sizeof len);
    p += sizeof len;
    for (size_t i = 0; s && i < n; i++)
        *p++ = lower ? (char)trpt_ascii_lower((unsigned char)s[i]) : s[i];
    return p;
}

/* The length of a policy domain in the key: without one trailing dot. */
static size_t key_domain_length(const char *d)
{
    size_t n = d ? strlen(d) : 0;
    return n > 0 && d[n - 1] == '.' ? n - 1 : n;
}

/* The identity of a report: organization, report-id and each policy's normalized domain, length-prefixed, as a new
 * buffer (one allocation: its size is computed first). */
static char *identity_key(const tlsrpt_report *r, size_t *out_len)
{
    const char *org = tlsrpt_report_organization_name(r), *id = tlsrpt_report_id(r);
    size_t org_len = org ? strlen(org) : 0, id_len = strlen(id), n = tlsrpt_report_policy_count(r);
    size_t total = 16 + org_len + id_len;
    for (size_t i = 0; i < n; i++)
        total += 8 + key_domain_length(tlsrpt_policy_domain(tlsrpt_report_policy(r, i)));
    char *key = malloc(total), *p = key;
    if (!key)
        return NULL;
    p = put_field(p, org, org_len, 0);
    p = put_field(p, id, id_len, 0);
    for (size_t i = 0; i < n; i++) {
        const char *d = tlsrpt_policy_domain(tlsrpt_report_policy(r, i));
        p = put_field(p, d, key_domain_length(d), 1);
    }
    *out_len = total;
    return key;
}

/* 1 if the key was seen, 0 if not; negative on ENOMEM. */
static int seen_find(tlsrpt_aggregate *a, uint64_t hash, const char *key, size_t len)
{
    int rc;
    if (!a->seen_ix.slots && (rc = trpt_index_rebuild(&a->seen_ix, a, a->n_seen, seen_hash_at)) != TLSRPT_OK)
        return rc;
    for (size_t s = trpt_index_probe_first(&a->seen_ix, hash); a->seen_ix.slots[s];
         s = trpt_index_probe_next(&a->seen_ix, s)) {
        const struct seen_key *k = &a->seen[a->seen_ix.slots[s] - 1];
        if (k->hash == hash && k->len == len && memcmp(k->bytes, key, len) == 0)
            return 1;
    }
    return 0;
}

/* Takes ownership of key on success. */
static int seen_add(tlsrpt_aggregate *a, uint64_t hash, char *key, size_t len)
{
    void *seen = a->seen;
    if (grow_for_one(&seen, &a->cap_seen, a->n_seen, sizeof *a->seen) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    a->seen = seen;
    a->seen[a->n_seen] = (struct seen_key){.hash = hash, .bytes = key, .len = len};
    int rc = trpt_index_add_last(&a->seen_ix, a, a->n_seen + 1, seen_hash_at);
    if (rc != TLSRPT_OK)
        return rc;
    a->n_seen++;
    return TLSRPT_OK;
}

/* ---- Adding a report ---- */

static int policy_passes(const tlsrpt_aggregate *a, const tlsrpt_policy *p)
{
    return !a->domain || domain_matches(tlsrpt_policy_domain(p), a->domain);
}

static int64_t day_of(int64_t t)
{
    int64_t d = t / SECONDS_PER_DAY;
    if (t % SECONDS_PER_DAY < 0)
        d--;
    return d * SECONDS_PER_DAY;
}

/* The report's sessions that would be counted, with an overflow check against the aggregate's totals (successful,
 * failed, detail sessions: every row's count is part of one of them, so no row can overflow); and an upper bound
 * of the new rows. Returns TLSRPT_OK or TLSRPT_ELIMIT. */
static int check_limits(const tlsrpt_aggregate *a, const tlsrpt_report *r, uint64_t sums[3])
{
    uint64_t ok = 0, bad = 0, d = 0;
    size_t policies = 0, failures = 0;
    size_t n = tlsrpt_report_policy_count(r);
    for (size_t i = 0; i < n; i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        if (!policy_passes(a, p))
            continue;
        policies++;
        uint64_t s = tlsrpt_policy_successful_sessions(p), f = tlsrpt_policy_failed_sessions(p);
        if (s > UINT64_MAX - ok || f > UINT64_MAX - bad)
            return TLSRPT_ELIMIT;
        ok += s;
        bad += f;
        size_t nf = tlsrpt_policy_failure_count(p);
        failures += nf;
        for (size_t k = 0; k < nf; k++) {
            uint64_t c = tlsrpt_failure_session_count(tlsrpt_policy_failure(p, k));
            if (c > UINT64_MAX - d)
                return TLSRPT_ELIMIT;
            d += c;
        }
    }
    if (ok > UINT64_MAX - a->totals[0] || bad > UINT64_MAX - a->totals[1] || d > UINT64_MAX - a->totals[2])
        return TLSRPT_ELIMIT;
    /* Each policy makes at most one new row in DAYS, DOMAINS and ORGANIZATIONS, each failure detail at most one
     * in the three others; an exact count would cost a second round of lookups, so only the bound is checked. */
    for (int t = 1; t < TABLE_COUNT; t++) {
        size_t grow = t == TLSRPT_TABLE_DAYS || t == TLSRPT_TABLE_DOMAINS || t == TLSRPT_TABLE_ORGANIZATIONS
                          ? policies
                          : failures;
        if (a->tables[t].n > TLSRPT_MAX_AGGREGATE_ROWS || grow > TLSRPT_MAX_AGGREGATE_ROWS - a->tables[t].n)
            return TLSRPT_ELIMIT;
    }
    sums[0] = ok;
    sums[1] = bad;
    sums[2] = d;
    return TLSRPT_OK;
}

static int count_policy(tlsrpt_aggregate *a, const char *org, int64_t day, const tlsrpt_policy *p)
{
    uint64_t ok = tlsrpt_policy_successful_sessions(p), bad = tlsrpt_policy_failed_sessions(p);
    char buf[NAME_BUF];
    char *domain = normalized_name(tlsrpt_policy_domain(p), buf);
    if (!domain)
        return TLSRPT_ENOMEM;
    int rc = table_count(&a->tables[TLSRPT_TABLE_DAYS], domain, day, ok, bad);
    if (rc == TLSRPT_OK)
        rc = table_count(&a->tables[TLSRPT_TABLE_DOMAINS], domain, 0, ok, bad);
    release_name(domain, buf);
    if (rc == TLSRPT_OK)
        rc = table_count(&a->tables[TLSRPT_TABLE_ORGANIZATIONS], org ? org : "", 0, ok, bad);
    size_t nf = tlsrpt_policy_failure_count(p);
    for (size_t k = 0; k < nf && rc == TLSRPT_OK; k++) {
        const tlsrpt_failure *f = tlsrpt_policy_failure(p, k);
        uint64_t c = tlsrpt_failure_session_count(f);
        rc = table_count(&a->tables[TLSRPT_TABLE_RESULT_TYPES], tlsrpt_failure_result_type(f), 0, 0, c);
        const char *mx = tlsrpt_failure_receiving_mx_hostname(f), *ip = tlsrpt_failure_receiving_ip(f);
        if (rc == TLSRPT_OK && mx) {
            char *host = normalized_name(mx, buf);
            rc = host ? table_count(&a->tables[TLSRPT_TABLE_MX_HOSTS], host, 0, 0, c) : TLSRPT_ENOMEM;
            release_name(host, buf);
        }
        if (rc == TLSRPT_OK && ip)
            rc = table_count(&a->tables[TLSRPT_TABLE_RECEIVING_IPS], ip, 0, 0, c);
    }
    return rc;
}

int tlsrpt_aggregate_add(tlsrpt_aggregate *a, const tlsrpt_report *r, int *verdict)
{
    if (verdict)
        *verdict = 0;
    if (!a || !r)
        return TLSRPT_EINVAL;
    int rc;
    char *key = NULL;
    size_t key_len = 0;
    uint64_t hash = 0;
    if (tlsrpt_report_id(r)) {
        if (!(key = identity_key(r, &key_len)))
            return TLSRPT_ENOMEM;
        hash = trpt_siphash13(trpt_index_key(&a->seen_ix), key, key_len);
        int found = seen_find(a, hash, key, key_len);
        if (found != 0) {
            free(key);
            if (found < 0)
                return found;
            a->verdicts[TLSRPT_AGGREGATE_DUPLICATE]++;
            if (verdict)
                *verdict = TLSRPT_AGGREGATE_DUPLICATE;
            return TLSRPT_OK;
        }
        if (a->n_seen >= TLSRPT_MAX_AGGREGATE_REPORTS) {
            free(key);
            return TLSRPT_ELIMIT;
        }
    }

    int64_t start = tlsrpt_report_start_time(r);
    size_t n = tlsrpt_report_policy_count(r), passing = 0;
    for (size_t i = 0; i < n; i++)
        passing += (size_t)policy_passes(a, tlsrpt_report_policy(r, i));
    int filtered = start < a->since || start >= a->until || (a->domain && passing == 0);
    uint64_t sums[3] = {0, 0, 0};
    if (!filtered && (rc = check_limits(a, r, sums)) != TLSRPT_OK) {
        free(key);
        return rc;
    }
    if (key && (rc = seen_add(a, hash, key, key_len)) != TLSRPT_OK) {
        free(key);
        return rc;
    }
    int result = filtered ? TLSRPT_AGGREGATE_FILTERED : TLSRPT_AGGREGATE_ADDED;
    if (!filtered) {
        const char *org = tlsrpt_report_organization_name(r);
        int64_t day = day_of(start);
        for (size_t i = 0; i < n; i++) {
            const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
            if (policy_passes(a, p) && (rc = count_policy(a, org, day, p)) != TLSRPT_OK)
                return rc;
        }
        for (int k = 0; k < 3; k++)
            a->totals[k] += sums[k];
        /* the period covers the date-times the reports have (a lenient parse may have none) */
        if (r->has_start_time && (!a->has_start || r->start_time < a->start)) {
            a->start = r->start_time;
            a->has_start = 1;
        }
        if (r->has_end_time && (!a->has_end || r->end_time > a->end)) {
            a->end = r->end_time;
            a->has_end = 1;
        }
    }
    a->verdicts[result]++;
    if (verdict)
        *verdict = result;
    return TLSRPT_OK;
}

/* ---- Reading ---- */

size_t tlsrpt_aggregate_count(const tlsrpt_aggregate *a, int verdict)
{
    if (!a || verdict < TLSRPT_AGGREGATE_ADDED || verdict > TLSRPT_AGGREGATE_FILTERED)
        return 0;
    return a->verdicts[verdict];
}

int64_t tlsrpt_aggregate_start_time(const tlsrpt_aggregate *a)
{
    return a ? a->start : 0;
}

int64_t tlsrpt_aggregate_end_time(const tlsrpt_aggregate *a)
{
    return a ? a->end : 0;
}

static const struct agg_row *row_at(const tlsrpt_aggregate *a, int table, size_t i)
{
    if (!a || table < 1 || table >= TABLE_COUNT || i >= a->tables[table].n)
        return NULL;
    return &a->tables[table].rows[i];
}

size_t tlsrpt_aggregate_row_count(const tlsrpt_aggregate *a, int table)
{
    if (!a || table < 1 || table >= TABLE_COUNT)
        return 0;
    return a->tables[table].n;
}

const char *tlsrpt_aggregate_row_key(const tlsrpt_aggregate *a, int table, size_t i)
{
    const struct agg_row *row = row_at(a, table, i);
    return row ? row->key : NULL;
}

int64_t tlsrpt_aggregate_row_day(const tlsrpt_aggregate *a, int table, size_t i)
{
    const struct agg_row *row = row_at(a, table, i);
    return row && table == TLSRPT_TABLE_DAYS ? row->day : 0;
}

uint64_t tlsrpt_aggregate_row_successful(const tlsrpt_aggregate *a, int table, size_t i)
{
    const struct agg_row *row = row_at(a, table, i);
    return row ? row->successful : 0;
}

uint64_t tlsrpt_aggregate_row_failed(const tlsrpt_aggregate *a, int table, size_t i)
{
    const struct agg_row *row = row_at(a, table, i);
    return row ? row->failed : 0;
}
