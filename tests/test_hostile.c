/* Hostile input: the report path costs linear time and bounded memory whatever the input chooses (issue 10).
 * SPDX-License-Identifier: MIT
 *
 * Every input here is made by a generator in this file, never committed data. Nothing is timed: each test asserts a
 * quantity that does not move with the machine — the duplicate-name index's probes and comparisons, the JSON
 * pointers rendered, the peak of the library's heap (this suite wraps malloc/calloc/realloc/free, see
 * tests/meson.build), the diagnostics kept.
 *
 * The memory promise (doc/limits.md): tlsrpt_report_parse() never holds more than 4 x the JSON size + 1 MiB of heap
 * at once (for gzip input, the JSON size is the decompressed size), whatever the input.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "json_reader.h"
#include "report_internal.h"
#include "siphash.h"
#include "testutil.h"

/* tests/meson.build links this suite with --wrap for malloc, calloc, realloc and free: alloc_hooks.h meters the peak
 * heap of each parse, the library's allocations and the diag list's included. */
#include "alloc_hooks.h"

#define MIB (1024LL * 1024LL)

/* ---- Generators --------------------------------------------------------------------------------------------- */

typedef struct gen {
    char *data;
    size_t len, cap;
} gen;

static void put(gen *g, const char *s, size_t n)
{
    if (g->len + n + 1 > g->cap) {
        size_t cap = g->cap ? g->cap : 4096;
        while (cap < g->len + n + 1)
            cap *= 2;
        g->data = realloc(g->data, cap);
        ck_assert_ptr_nonnull(g->data);
        g->cap = cap;
    }
    memcpy(g->data + g->len, s, n);
    g->len += n;
    g->data[g->len] = '\0';
}

static void puts_(gen *g, const char *s)
{
    put(g, s, strlen(s));
}

static void putf(gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(gen *g, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ck_assert(n > 0 && (size_t)n < sizeof buf);
    put(g, buf, (size_t)n);
}

static const char HEAD[] = "{\"organization-name\":\"Hostile Inc.\",\"date-range\":{\"start-datetime\":"
                           "\"2026-11-01T00:00:00Z\",\"end-datetime\":\"2026-11-01T23:59:59Z\"},\"contact-info\":"
                           "\"mailto:x@example.net\",\"report-id\":\"r-1\",";

/* head, then n copies of elem separated by commas, then tail. */
static gen repeated(const char *head, const char *elem, size_t n, const char *tail)
{
    gen g = {0};
    puts_(&g, head);
    size_t el = strlen(elem);
    for (size_t i = 0; i < n; i++) {
        if (i)
            put(&g, ",", 1);
        put(&g, elem, el);
    }
    puts_(&g, tail);
    return g;
}

static const char POLICY_OPEN[] = "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\","
                                  "\"policy-string\":[\"version: STSv1\",\"mode: enforce\"],\"mx-host\":[\"mx.example.com\"]},"
                                  "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}";

/* A report whose "policies" array holds n copies of elem. */
static gen policies_of(const char *elem, size_t n)
{
    char head[sizeof HEAD + 16];
    snprintf(head, sizeof head, "%s\"policies\":[", HEAD);
    return repeated(head, elem, n, "]}");
}

/* One policy whose "failure-details" array holds n copies of elem. */
static gen details_of(const char *elem, size_t n)
{
    char head[sizeof HEAD + sizeof POLICY_OPEN + 40];
    snprintf(head, sizeof head, "%s\"policies\":[%s,\"failure-details\":[", HEAD, POLICY_OPEN);
    return repeated(head, elem, n, "]}]}");
}

/* gzip of g's text (libdeflate, level 6: the same gzip format as the gzip program). */
static gen gzip_of(const gen *g)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(6);
    ck_assert_ptr_nonnull(c);
    gen z = {0};
    z.cap = libdeflate_gzip_compress_bound(c, g->len) + 1;
    z.data = malloc(z.cap);
    ck_assert_ptr_nonnull(z.data);
    z.len = libdeflate_gzip_compress(c, g->data, g->len, z.data, z.cap);
    ck_assert_uint_gt(z.len, 0);
    libdeflate_free_compressor(c);
    return z;
}

/* Parses data with the heap meter on. Returns the status; *peak gets the peak heap, *s the parse's stats. */
static int metered_parse(const gen *in, unsigned flags, tlsrpt_diag *d, long long *peak, trpt_parse_stats *s)
{
    tlsrpt_report *r = NULL;
    meter_start();
    int rc = trpt_report_parse_stats(&r, in->data, in->len, flags, d, s);
    tlsrpt_report_free(r);
    *peak = (long long)meter_stop();
    return rc;
}

/* The promise: peak heap <= 4 x the JSON size + 1 MiB (the diag list included). */
static void assert_heap_bound(long long peak, size_t json_len)
{
    long long bound = 4 * (long long)json_len + MIB;
    ck_assert_msg(peak <= bound, "peak heap %lld bytes for %zu JSON bytes: over 4x + 1 MiB (%lld)", peak, json_len,
                  bound);
}

static const char *last_id(const tlsrpt_diag *d)
{
    size_t n = tlsrpt_diag_count(d);
    return n ? tlsrpt_diag_id(d, n - 1) : "";
}

/* ---- SipHash ------------------------------------------------------------------------------------------------- */

START_TEST(siphash_reference_vector_and_incremental)
{
    /* The SipHash paper's test vector (Appendix A): SipHash-2-4, key 00..0f, message 00..0e. */
    trpt_hash_key k = {UINT64_C(0x0706050403020100), UINT64_C(0x0f0e0d0c0b0a0908)};
    unsigned char msg[64];
    for (unsigned i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)i;
    ck_assert_uint_eq(trpt_siphash_cd(&k, msg, 15, 2, 4), UINT64_C(0xa129ca6149be45e5));
    /* The incremental form equals the one-shot SipHash-1-3 for every length and every split. */
    for (size_t len = 0; len <= sizeof msg; len++) {
        uint64_t want = trpt_siphash13(&k, msg, len);
        ck_assert_uint_eq(want, trpt_siphash_cd(&k, msg, len, 1, 3));
        for (size_t cut = 0; cut <= len; cut++) {
            trpt_siphash s;
            trpt_siphash_init(&s, &k);
            trpt_siphash_update(&s, msg, cut);
            trpt_siphash_update(&s, msg + cut, len - cut);
            ck_assert_uint_eq(trpt_siphash_final(&s), want);
        }
    }
    /* Two fresh keys differ (getrandom). */
    trpt_hash_key a, b;
    trpt_hash_key_new(&a);
    trpt_hash_key_new(&b);
    ck_assert(a.k0 != b.k0 || a.k1 != b.k1);
}
END_TEST

/* ---- 1. Member-name hash flooding ----------------------------------------------------------------------------- */

/* The multiplicative inverse of an odd c modulo 2^64 (Newton's iteration doubles the correct bits each step). */
static uint64_t inverse64(uint64_t c)
{
    uint64_t x = c;
    for (int i = 0; i < 6; i++)
        x *= 2 - c * x;
    return x;
}

/* 8-byte printable names that all collide under the reader's hash before issue 10: hash_bytes(s, 8) was
 *   h = ((0x9E3779B97F4A7C15 ^ 8) ^ w) * 0xFF51AFD7ED558CCD; h ^= h >> 29; h *= 0x9E3779B97F4A7C15; return h >> 32
 * for the 8 bytes w, every step invertible. Picking the final 64-bit value with fixed top 32 bits (the whole 32-bit
 * hash, so every table size collides) and running the steps backwards gives w; the printable ones are kept. */
static void old_hash_collisions(char (*names)[9], size_t n)
{
    const uint64_t c1 = UINT64_C(0xFF51AFD7ED558CCD), c2 = UINT64_C(0x9E3779B97F4A7C15);
    const uint64_t i1 = inverse64(c1), i2 = inverse64(c2);
    const uint64_t h0 = c2 ^ 8;
    uint64_t low = 1;
    for (size_t found = 0; found < n; low++) {
        uint64_t h = (UINT64_C(0x5A5A5A5A) << 32) | low; /* distinct lows: distinct names */
        h *= i2;
        h ^= (h >> 29) ^ (h >> 58); /* inverse of h ^= h >> 29 */
        uint64_t w = (h * i1) ^ h0;
        char s[9];
        int ok = 1;
        for (int b = 0; b < 8 && ok; b++) {
            unsigned char ch = (unsigned char)(w >> (8 * b));
            ok = ch >= 0x20 && ch < 0x7F && ch != '"' && ch != '\\';
            s[b] = (char)ch;
        }
        if (!ok)
            continue;
        s[8] = '\0';
        memcpy(names[found++], s, 9);
    }
}

/* An object holding the given names, each with value 0. */
static void put_object_of(gen *g, char (*names)[9], size_t n)
{
    put(g, "{", 1);
    for (size_t i = 0; i < n; i++)
        putf(g, "%s\"%s\":0", i ? "," : "", names[i]);
    put(g, "}", 1);
}

/* Reads a whole JSON text and returns the reader's duplicate-name work. */
static uint64_t reader_work(const gen *g, unsigned flags, int *status)
{
    trpt_json_reader *r;
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_json_reader_new(&r, g->data, g->len, flags, TLSRPT_MAX_REPORT_SIZE, d), TLSRPT_OK);
    int t;
    while ((t = trpt_json_next(r)) > 0 && t != TRPT_JSON_END)
        ;
    *status = t;
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    tlsrpt_diag_free(d);
    uint64_t work, paths;
    trpt_json_reader_stats(r, &work, &paths);
    trpt_json_reader_free(r);
    return work;
}

START_TEST(name_flood_costs_linear_work)
{
    enum { N = 4000 };
    char (*names)[9] = malloc(N * sizeof *names);
    ck_assert_ptr_nonnull(names);
    old_hash_collisions(names, N);
    gen g = {0};
    put_object_of(&g, names, N);
    for (unsigned flags = 0; flags <= TRPT_JSON_STRICT; flags++) {
        int status;
        uint64_t work = reader_work(&g, flags, &status);
        ck_assert_int_eq(status, TRPT_JSON_END); /* distinct names: valid in both modes */
        /* Before the keyed hash these names took N^2/2 = 8 million comparisons; now a few per name. */
        ck_assert_msg(work <= 12u * N, "duplicate tracking did %llu probes for %d names", (unsigned long long)work,
                      N);
    }
    /* The same names as the members of a report (unknown members, INFO each) and inside an unknown member. */
    gen rep = {0};
    puts_(&rep, HEAD);
    puts_(&rep, "\"x-flood\":");
    put_object_of(&rep, names, N);
    puts_(&rep, ",\"policies\":[]}");
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&rep, TLSRPT_PARSE_STRICT, d, &peak, &st), TLSRPT_OK);
    ck_assert_uint_le(st.name_work, 12u * N + 100u);
    assert_heap_bound(peak, rep.len);
    tlsrpt_diag_free(d);
    free(rep.data);
    free(g.data);
    free(names);
}
END_TEST

START_TEST(repeated_names_take_no_memory)
{
    /* 200,000 members all named "a" in one object: lenient reads them (one warning kept per list slot), the name
     * stack holds one entry, and the work is one comparison per name. */
    enum { N = 200000 };
    gen g = {0};
    puts_(&g, HEAD);
    puts_(&g, "\"x\":{");
    for (size_t i = 0; i < N; i++)
        puts_(&g, i ? ",\"a\":0" : "\"a\":0");
    puts_(&g, "},\"policies\":[]}");
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&g, 0, d, &peak, &st), TLSRPT_OK);
    ck_assert_uint_le(st.name_work, 2u * N + 100u);
    ck_assert_uint_le(st.memory_peak, 64u * 1024u); /* no per-name memory */
    ck_assert_uint_le(st.paths_rendered, 1000u);    /* one per kept warning, none for the dropped */
    ck_assert_diag(d, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, strlen(HEAD) + 11);
    ck_assert_int_ge(diag_find(d, "too-many-findings"), 0);
    assert_heap_bound(peak, g.len);
    /* Strict: the first repeat fails the parse. */
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(metered_parse(&g, TLSRPT_PARSE_STRICT, d, &peak, &st), TLSRPT_ESYNTAX);
    ck_assert_str_eq(last_id(d), "json-duplicate-name");
    tlsrpt_diag_free(d);
    free(g.data);
}
END_TEST

/* ---- 2. No work for findings that are dropped -------------------------------------------------------------- */

/* An unknown member nesting `levels` objects, each entered through a 128-byte name, around an array of n strings
 * that each hold one invalid UTF-8 byte: lenient mode has a warning for each string, at a ~8 KB path. */
static gen deep_invalid_strings(unsigned levels, size_t n)
{
    gen g = {0};
    puts_(&g, HEAD);
    puts_(&g, "\"x\":");
    char name[129];
    for (unsigned l = 0; l < levels; l++) {
        memset(name, 'a' + (int)(l % 26), 128);
        name[127] = '~'; /* rendered as "~0": the path escapes too */
        name[128] = '\0';
        putf(&g, "{\"%s\":", name);
    }
    put(&g, "[", 1);
    for (size_t i = 0; i < n; i++)
        puts_(&g, i ? ",\"\xff\"" : "\"\xff\"");
    put(&g, "]", 1);
    for (unsigned l = 0; l < levels; l++)
        put(&g, "}", 1);
    puts_(&g, ",\"policies\":[]}");
    return g;
}

START_TEST(dropped_findings_cost_nothing)
{
    enum { N = 100000 };
    gen g = deep_invalid_strings(TLSRPT_MAX_JSON_DEPTH - 2, N);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&g, 0, d, &peak, &st), TLSRPT_OK);
    /* Every string had a finding; only those the list kept had a path built. */
    size_t n = tlsrpt_diag_count(d);
    ck_assert_uint_le(n, 1000u);
    ck_assert_uint_le(st.paths_rendered, n + 2u);
    ck_assert_str_eq(last_id(d), "too-many-findings");
    size_t text = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_uint_le(strlen(tlsrpt_diag_path(d, i)), 512u); /* long paths are stored cut in the middle */
        text += strlen(tlsrpt_diag_path(d, i)) + strlen(tlsrpt_diag_message(d, i));
    }
    ck_assert_uint_le(text, 256u * 1024u + 4096u);
    /* The cut path still starts at the root, says where it was cut, and ends with the element. */
    ck_assert_str_eq(tlsrpt_diag_id(d, 1), "json-invalid-utf8");
    const char *p0 = tlsrpt_diag_path(d, 1);
    ck_assert_msg(strncmp(p0, "/x/.../", 7) == 0, "path %s", p0);
    ck_assert_msg(strcmp(p0 + strlen(p0) - 2, "/0") == 0, "path %s", p0);
    ck_assert_msg(strstr(p0, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                             "aaaaaaaaaaaaaaaaaaaaaaaaaa~0/") == NULL,
                  "the first levels are cut: %s", p0);
    assert_heap_bound(peak, g.len);

    /* No diag list at all: nothing is rendered. */
    ck_assert_int_eq(metered_parse(&g, 0, NULL, &peak, &st), TLSRPT_OK);
    ck_assert_uint_eq(st.paths_rendered, 0);
    tlsrpt_diag_free(d);
    free(g.data);
}
END_TEST

START_TEST(dropped_deviations_cost_nothing)
{
    /* 50,000 failure details with every optional member missing and a null: three warnings each, 150,000 in all. */
    gen g = details_of("{\"result-type\":\"starttls-not-supported\",\"receiving-ip\":null}", 50000);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&g, 0, d, &peak, &st), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1000u);
    ck_assert_uint_le(st.paths_rendered, 1000u);
    assert_heap_bound(peak, g.len);
    tlsrpt_diag_free(d);
    free(g.data);
}
END_TEST

START_TEST(errors_stop_after_a_hundred)
{
    /* A million empty policies: each lacks "policy" (an error in both modes); the walk stops after 100 errors. */
    gen g = policies_of("{}", 1000000);
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        trpt_parse_stats st;
        long long peak;
        ck_assert_int_eq(metered_parse(&g, flags, d, &peak, &st), TLSRPT_ESEMANTIC);
        ck_assert_str_eq(last_id(d), "report-too-many-errors");
        ck_assert_uint_le(tlsrpt_diag_count(d), 2u * 100u + 2u); /* 100 errors, and in lenient mode the warnings between them */
        ck_assert_uint_le(st.paths_rendered, 150u);
        assert_heap_bound(peak, g.len);
        tlsrpt_diag_free(d);
    }
    free(g.data);
}
END_TEST

/* ---- 3. Memory amplification --------------------------------------------------------------------------------- */

typedef struct shape {
    const char *name;
    int details; /* elem goes into failure-details (else into policies) */
    const char *elem;
    size_t count;
} shape;

static const shape shapes[] = {
    {"empty policies", 0, "{}", 2000000},
    {"empty failure details", 1, "{}", 2000000},
    {"minimal policies", 0, "{\"policy\":{\"policy-type\":\"\"}}", 300000},
    {"minimal failure details", 1, "{\"result-type\":\"\"}", 500000},
    {"policies full of empty strings", 0,
     "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\","
     "\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"],"
     "\"mx-host\":[\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"]}}",
     50000},
    {"failure details with empty strings", 1,
     "{\"result-type\":\"x\",\"sending-mta-ip\":\"\",\"receiving-mx-hostname\":\"\",\"receiving-ip\":\"\","
     "\"receiving-mx-helo\":\"\",\"additional-information\":\"\",\"failure-reason-code\":\"\"}",
     120000},
};

START_TEST(memory_stays_within_four_times_the_json)
{
    const shape *sh = &shapes[_i];
    gen g = sh->details ? details_of(sh->elem, sh->count) : policies_of(sh->elem, sh->count);
    gen z = gzip_of(&g);
    for (int gz = 0; gz <= 1; gz++) {
        for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
            tlsrpt_diag *d;
            ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
            trpt_parse_stats st;
            long long peak;
            int rc = metered_parse(gz ? &z : &g, flags, d, &peak, &st);
            /* Whatever the verdict (these shapes fail on a limit, on 100 errors, or in strict mode), it is an
             * explained failure, never unbounded memory. */
            ck_assert_msg(rc == TLSRPT_ELIMIT || rc == TLSRPT_ESEMANTIC, "%s: status %d", sh->name, rc);
            ck_assert_int_eq(tlsrpt_diag_severity(d, tlsrpt_diag_count(d) - 1), TLSRPT_SEVERITY_ERROR);
            ck_assert_uint_le(st.memory_peak, st.memory_limit);
            assert_heap_bound(peak, g.len);
            tlsrpt_diag_free(d);
        }
    }
    free(z.data);
    free(g.data);
}
END_TEST

START_TEST(memory_budget_is_reported)
{
    /* 10,000 minimal policies (within TLSRPT_MAX_POLICIES) would take ~2 MB of objects from 300 KB of JSON: over
     * 3 x + 512 KiB, so the parse stops with report-memory-limit at the policy that went over. */
    gen g = policies_of("{\"policy\":{\"policy-type\":\"\"}}", 10000);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&g, 0, d, &peak, &st), TLSRPT_ELIMIT);
    ck_assert_str_eq(last_id(d), "report-memory-limit");
    const char *path = tlsrpt_diag_path(d, tlsrpt_diag_count(d) - 1);
    ck_assert_msg(strncmp(path, "/policies/", 10) == 0, "path %s", path);
    ck_assert_uint_eq(st.memory_limit, 3u * g.len + 512u * 1024u);
    assert_heap_bound(peak, g.len);
    tlsrpt_diag_free(d);
    free(g.data);
}
END_TEST

START_TEST(lying_gzip_size_is_not_trusted)
{
    /* A 10 KB JSON (an incompressible member, so that the gzip is ~5 KB and 1032 x its size, deflate's largest
     * expansion, is ~5 MB) in a gzip member whose ISIZE trailer claims 20 MiB: the first output buffer is not
     * taken from the lie. */
    gen g = {0};
    puts_(&g, HEAD);
    puts_(&g, "\"x-noise\":\"");
    for (uint64_t i = 0; i < 10000 / 16; i++)
        putf(&g, "%016llx", (unsigned long long)trpt_mix64(i + 1));
    puts_(&g, "\",\"policies\":[]}");
    gen z = gzip_of(&g);
    ck_assert_uint_gt(z.len * 1032u, 2u * 1024u * 1024u);
    uint32_t lie = 20u * 1024u * 1024u;
    for (int b = 0; b < 4; b++)
        z.data[z.len - 4 + (size_t)b] = (char)(lie >> (8 * b));
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_parse_stats st;
    long long peak;
    ck_assert_int_eq(metered_parse(&z, 0, d, &peak, &st), TLSRPT_ESYNTAX); /* ISIZE is checked, too */
    ck_assert_str_eq(last_id(d), "gzip-invalid");
    ck_assert_msg(peak <= MIB + 64 * 1024, "peak heap %lld for a lying ISIZE", peak);
    tlsrpt_diag_free(d);
    free(z.data);
    free(g.data);
}
END_TEST

/* ---- Count limits at the limit and one past it --------------------------------------------------------------- */

static const char SMALL_POLICY[] = "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.com\"},"
                                   "\"summary\":{\"total-successful-session-count\":1,"
                                   "\"total-failure-session-count\":0}}";
static const char SMALL_DETAIL[] = "{\"result-type\":\"starttls-not-supported\",\"sending-mta-ip\":\"192.0.2.1\","
                                   "\"receiving-mx-hostname\":\"mx.example.com\",\"failed-session-count\":0}";

static void parse_expect(const gen *g, int want, const char *id, const char *path)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r = NULL;
    int rc = tlsrpt_report_parse(&r, g->data, g->len, 0, d);
    ck_assert_msg(rc == want, "status %d, want %d (last finding %s)", rc, want, last_id(d));
    if (id) {
        ck_assert_str_eq(last_id(d), id);
        ck_assert_str_eq(tlsrpt_diag_path(d, tlsrpt_diag_count(d) - 1), path);
        ck_assert_int_eq(tlsrpt_diag_severity(d, tlsrpt_diag_count(d) - 1), TLSRPT_SEVERITY_ERROR);
    }
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
}

START_TEST(policy_count_limit)
{
    gen at = policies_of(SMALL_POLICY, TLSRPT_MAX_POLICIES);
    parse_expect(&at, TLSRPT_OK, NULL, NULL);
    gen over = policies_of(SMALL_POLICY, TLSRPT_MAX_POLICIES + 1);
    parse_expect(&over, TLSRPT_ELIMIT, "report-too-many-policies", "/policies/10000");
    free(at.data);
    free(over.data);
}
END_TEST

START_TEST(failure_detail_count_limit)
{
    /* Spread over two policies: the limit is per report. */
    size_t half = TLSRPT_MAX_FAILURE_DETAILS / 2;
    for (size_t extra = 0; extra <= 1; extra++) {
        gen g = {0};
        puts_(&g, HEAD);
        puts_(&g, "\"policies\":[");
        for (int p = 0; p < 2; p++) {
            puts_(&g, p ? ",{\"policy\":{\"policy-type\":\"no-policy-found\"}" : "{\"policy\":{\"policy-type\":\"no-policy-found\"}");
            puts_(&g, ",\"failure-details\":[");
            size_t n = half + (p == 1 ? extra : 0);
            for (size_t i = 0; i < n; i++) {
                if (i)
                    put(&g, ",", 1);
                puts_(&g, SMALL_DETAIL);
            }
            puts_(&g, "]}");
        }
        puts_(&g, "]}");
        if (extra)
            parse_expect(&g, TLSRPT_ELIMIT, "report-too-many-failure-details", "/policies/1/failure-details/50000");
        else
            parse_expect(&g, TLSRPT_OK, NULL, NULL);
        free(g.data);
    }
}
END_TEST

static gen policy_with_list(const char *member, size_t n)
{
    gen g = {0};
    puts_(&g, HEAD);
    putf(&g, "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"example.com\",\"%s\":[", member);
    for (size_t i = 0; i < n; i++)
        putf(&g, "%s\"mx%zu.example.com\"", i ? "," : "", i);
    puts_(&g, "]},\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}");
    return g;
}

START_TEST(string_list_limits)
{
    gen a = policy_with_list("policy-string", TLSRPT_MAX_POLICY_STRINGS);
    parse_expect(&a, TLSRPT_OK, NULL, NULL);
    gen b = policy_with_list("policy-string", TLSRPT_MAX_POLICY_STRINGS + 1);
    parse_expect(&b, TLSRPT_ELIMIT, "report-too-many-policy-strings", "/policies/0/policy/policy-string/1000");
    gen c = policy_with_list("mx-host", TLSRPT_MAX_MX_HOSTS);
    parse_expect(&c, TLSRPT_OK, NULL, NULL);
    gen e = policy_with_list("mx-host", TLSRPT_MAX_MX_HOSTS + 1);
    parse_expect(&e, TLSRPT_ELIMIT, "report-too-many-mx-hosts", "/policies/0/policy/mx-host/1000");
    free(a.data);
    free(b.data);
    free(c.data);
    free(e.data);
}
END_TEST

START_TEST(unknown_member_limit)
{
    for (size_t extra = 0; extra <= 1; extra++) {
        gen g = {0};
        puts_(&g, HEAD);
        for (size_t i = 0; i < TLSRPT_MAX_UNKNOWN_MEMBERS + extra; i++)
            putf(&g, "\"x-%zu\":[1,{\"a\":2}],", i);
        puts_(&g, "\"policies\":[]}");
        if (extra)
            parse_expect(&g, TLSRPT_ELIMIT, "report-too-many-unknown-members", "/x-10000");
        else
            parse_expect(&g, TLSRPT_OK, NULL, NULL);
        free(g.data);
    }
}
END_TEST

/* A report of n policies with distinct domains d<first>.example .. */
static gen distinct_policies(size_t first, size_t n)
{
    gen g = {0};
    puts_(&g, HEAD);
    puts_(&g, "\"policies\":[");
    for (size_t i = 0; i < n; i++)
        putf(&g, "%s{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d%zu.example\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}",
             i ? "," : "", first + i);
    puts_(&g, "]}");
    return g;
}

START_TEST(merge_keeps_the_result_readable)
{
    /* A merge whose result would hold more than TLSRPT_MAX_POLICIES policies fails and changes nothing. */
    gen a = distinct_policies(0, TLSRPT_MAX_POLICIES);
    gen b = distinct_policies(TLSRPT_MAX_POLICIES - 1, 2); /* one known policy, one new */
    tlsrpt_report *dst, *src;
    ck_assert_int_eq(tlsrpt_report_parse(&dst, a.data, a.len, 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_parse(&src, b.data, b.len, 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge(dst, src), TLSRPT_ELIMIT);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), TLSRPT_MAX_POLICIES);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(dst, TLSRPT_MAX_POLICIES - 1)), 1);
    /* At the limit it merges. */
    gen c = distinct_policies(TLSRPT_MAX_POLICIES - 1, 1);
    tlsrpt_report *one;
    ck_assert_int_eq(tlsrpt_report_parse(&one, c.data, c.len, 0, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge(dst, one), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(dst), TLSRPT_MAX_POLICIES);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(dst, TLSRPT_MAX_POLICIES - 1)), 2);
    tlsrpt_report_free(one);
    tlsrpt_report_free(src);
    tlsrpt_report_free(dst);
    free(a.data);
    free(b.data);
    free(c.data);
}
END_TEST

START_TEST(minus_zero_count_is_zero)
{
    gen g = policies_of("{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"example.com\"},"
                        "\"summary\":{\"total-successful-session-count\":-0,\"total-failure-session-count\":-0}}",
                        1);
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
        tlsrpt_report *r = NULL;
        ck_assert_int_eq(tlsrpt_report_parse(&r, g.data, g.len, flags, NULL), TLSRPT_OK);
        const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
        ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 0);
        ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
        tlsrpt_report_free(r);
    }
    free(g.data);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("hostile");
    TCase *tc = tcase_create("cost");
    tcase_set_timeout(tc, 600);
    tcase_add_test(tc, siphash_reference_vector_and_incremental);
    tcase_add_test(tc, name_flood_costs_linear_work);
    tcase_add_test(tc, repeated_names_take_no_memory);
    tcase_add_test(tc, dropped_findings_cost_nothing);
    tcase_add_test(tc, dropped_deviations_cost_nothing);
    tcase_add_test(tc, errors_stop_after_a_hundred);
    tcase_add_loop_test(tc, memory_stays_within_four_times_the_json, 0, (int)(sizeof shapes / sizeof shapes[0]));
    tcase_add_test(tc, memory_budget_is_reported);
    tcase_add_test(tc, lying_gzip_size_is_not_trusted);
    suite_add_tcase(s, tc);
    TCase *lim = tcase_create("limits");
    tcase_set_timeout(lim, 600);
    tcase_add_test(lim, policy_count_limit);
    tcase_add_test(lim, failure_detail_count_limit);
    tcase_add_test(lim, string_list_limits);
    tcase_add_test(lim, unknown_member_limit);
    tcase_add_test(lim, merge_keeps_the_result_readable);
    tcase_add_test(lim, minus_zero_count_is_zero);
    suite_add_tcase(s, lim);
    return s;
}
