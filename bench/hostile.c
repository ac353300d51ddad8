/* Hostile input (issue 10): what a few KB to a few MB of crafted report costs a receiver that parses it, next to an
 * ordinary report of the same size. Public API only (tlsrpt_report_parse, tlsrpt_report_parse_message); the inputs
 * are generated in memory, deterministically (fixed seeds). Not a test: no timed assertions (bench/README.md).
 *
 *   hostile [--runs N] [--budget SECONDS] [--only NAME,...] [SIZE...]
 *
 * SIZE is the JSON size of every input, in bytes or with a K or M suffix (KiB, MiB); default 1M 8M. For each size
 * the program prints one line per case:
 *
 *   case       the attack class (and variant)
 *   mode       lenient (flags 0) or strict (TLSRPT_PARSE_STRICT)
 *   json       bytes of JSON text (decompressed)
 *   input      bytes handed to the parser (the JSON itself, the gzip file, or the e-mail)
 *   status     what the parse returned (OK, ESYNTAX, ESEMANTIC, ELIMIT, ENOMEM, ...)
 *   s/MB       seconds per 10^6 bytes of JSON (3 significant digits): the best of --runs parses (default 3), fewer
 *              when the parses of one case have taken --budget seconds (default 3) together
 *   x-ord      s/MB divided by the ordinary report's s/MB in the same form (JSON, gzip or e-mail)
 *   heap/json  peak heap during the parse (report object, diagnostics list and the library's scratch; the input
 *              buffer excluded) divided by the JSON size; counted by count_heap.h (usable block sizes)
 *   heap-MiB   the same peak in MiB
 *   diag       entries in the diagnostics list after the parse (the list keeps at most 1000 warnings and notes)
 *   runs       how many parses were made (the heap is the highest peak of them)
 *   target     the target of issue 10 per case: "time" when s/MB is more than 3x the ordinary report's, "heap"
 *              when the peak is above 4x the JSON size + 1 MiB, "ok" when both are met
 *
 * The counting allocator is live for every parse, the timed ones too: it adds a malloc_usable_size() to each
 * malloc/realloc/free call, and the library makes few of them (an arena per report), so it barely moves s/MB.
 *
 * --only keeps the cases whose name starts with one of the given names (e.g. --only name-flood-random,ordinary);
 * the ordinary reports are always parsed, as the reference. --save DIR also writes every input to
 * DIR/SIZE-CASE.json, .json.gz or .eml (to look at it, or to feed it to other tools). Sizes up to TLSRPT_MAX_REPORT_SIZE (20 MiB).
 * SPDX-License-Identifier: MIT */
#include <tlsrpt/tlsrpt.h>

#include <libdeflate.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_common.h"
#include "count_heap.h"

#ifndef COUNTING_ALLOCATOR
#error "hostile needs the counting allocator of count_heap.h (glibc)"
#endif

#define NESTED_OBJECTS 62   /* the unknown member's objects: with the report object and the array, depth 64 */
#define DEEP_NAME_BYTES 128 /* TRPT_JSON_PATH_NAME_MAX: a name's longest rendering in a JSON pointer */

/* ---- Growing text buffer ------------------------------------------------------------------------------------ */

typedef struct buf {
    char *p;
    size_t n, cap;
} buf;

static void reserve(buf *b, size_t more)
{
    if (b->cap - b->n >= more)
        return;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) {
        fputs("hostile: out of memory\n", stderr);
        exit(1);
    }
    b->p = p;
    b->cap = cap;
}

static void put(buf *b, const char *s, size_t n)
{
    reserve(b, n);
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

static void puts_(buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(b->p + b->n, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

static void buf_free(buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* ---- Deterministic pseudo-random numbers (splitmix64) ------------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* ---- The ordinary report (the shape of gen_reports.py) ----------------------------------------------------- */

static const char *const result_types[] = {
    "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure",     "tlsa-invalid",              "dnssec-invalid",      "dane-required",
    "sts-policy-fetch-error", "sts-policy-invalid",        "sts-webpki-invalid"};
static const char *const reasons[] = {"X509_V_ERR_CERT_HAS_EXPIRED", "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                                      "X509_V_ERR_HOSTNAME_MISMATCH", "TLS alert 40: handshake failure"};

/* The report's members before "policies", without the opening brace. */
static const char report_head[] =
    "\"organization-name\":\"Hostile Input Bench, Inc.\",\"date-range\":{\"start-datetime\":\"2024-03-01T00:00:00Z\","
    "\"end-datetime\":\"2024-03-01T23:59:59Z\"},\"contact-info\":\"smtp-tls-reporting@sender.example\","
    "\"report-id\":\"2024-03-01T00:00:00Z_hostile\"";

static void put_failure(buf *b, uint64_t *rng, unsigned p, unsigned k, unsigned *count)
{
    *count = 1 + (unsigned)(rng_next(rng) % 499);
    putf(b, "{\"result-type\":\"%s\",", result_types[(p + k) % 11]);
    if (k % 2)
        putf(b, "\"sending-mta-ip\":\"2001:db8:%x::%x\",", p % 4096, k + 1);
    else
        putf(b, "\"sending-mta-ip\":\"198.51.100.%u\",", k + 10);
    putf(b, "\"receiving-mx-hostname\":\"mx%u.customer%u.example\",\"receiving-ip\":\"203.0.113.%u\","
            "\"failed-session-count\":%u",
         k % 3 + 1, p, (p + k) % 250 + 1, *count);
    if (k % 2 == 0)
        putf(b, ",\"receiving-mx-helo\":\"mx%u.customer%u.example ESMTP ready\",\"failure-reason-code\":\"%s\"",
             k % 3 + 1, p, reasons[(p + k) % 4]);
    if (k % 3 == 0)
        putf(b, ",\"additional-information\":\"https://reports.sender.example/tlsrpt/detail?p=%u&k=%u\"", p, k);
    puts_(b, "}");
}

/* Policy number p, strict-valid, with p % 4 + 1 failure details. */
static void put_policy(buf *b, uint64_t *rng, unsigned p)
{
    if (p % 5 == 4) {
        putf(b, "{\"policy\":{\"policy-type\":\"tlsa\",\"policy-string\":[");
        for (int s = 0; s < 2; s++) {
            putf(b, "%s\"3 1 1 ", s ? "," : "");
            for (int w = 0; w < 4; w++)
                putf(b, "%016llX", (unsigned long long)rng_next(rng));
            puts_(b, "\"");
        }
        putf(b, "],\"policy-domain\":\"customer%u.example\",\"mx-host\":[\"mx1.customer%u.example\"]}", p, p);
    } else {
        putf(b,
             "{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: enforce\","
             "\"mx: mx1.customer%u.example\",\"mx: *.backup.customer%u.example\",\"max_age: 604800\"],"
             "\"policy-domain\":\"customer%u.example\",\"mx-host\":[\"mx1.customer%u.example\","
             "\"*.backup.customer%u.example\"]}",
             p, p, p, p, p);
    }
    buf details = {0};
    unsigned long long failed = 0;
    for (unsigned k = 0; k <= p % 4; k++) {
        unsigned c;
        if (k)
            puts_(&details, ",");
        put_failure(&details, rng, p, k, &c);
        failed += c;
    }
    putf(b, ",\"summary\":{\"total-successful-session-count\":%llu,\"total-failure-session-count\":%llu},"
            "\"failure-details\":[",
         (unsigned long long)(rng_next(rng) % 10000000), failed);
    put(b, details.p, details.n);
    puts_(b, "]}");
    buf_free(&details);
}

/* An ordinary report: policies like gen_reports.py's until the next one would pass `size` bytes. */
static void gen_ordinary(buf *b, size_t size)
{
    uint64_t rng = 1;
    putf(b, "{%s,\"policies\":[", report_head);
    buf one = {0};
    for (unsigned p = 0;; p++) {
        one.n = 0;
        put_policy(&one, &rng, p);
        if (p > 0 && b->n + 1 + one.n + 2 > size)
            break;
        if (p)
            puts_(b, ",");
        put(b, one.p, one.n);
    }
    buf_free(&one);
    puts_(b, "]}");
}

/* The policy that keeps every hostile report a valid one. */
static void put_valid_policies(buf *b)
{
    uint64_t rng = 1;
    puts_(b, "\"policies\":[");
    put_policy(b, &rng, 0);
    puts_(b, "]");
}

/* ---- Class 1: names that collide under the old duplicate-name hash ------------------------------------------ */

/* The duplicate-name index of lib/json_reader.c before issue 10 hashed a name with hash_bytes() below (copied
 * here unchanged, as the reference the generator is checked against) and used (hash & (slots - 1)) as the first
 * slot of a linear probe, with slots a power of two between 2x and 4x the object's names. For an 8-byte name w
 * (its bytes read as a little-endian 64-bit word) the function is
 *
 *     h = ((K ^ 8) ^ w) * M1;   h ^= h >> 29;   h *= K;   hash = h >> 32
 *
 * and every step can be undone: the multiplications by the odd constants K and M1 by multiplying with their
 * inverses modulo 2^64 (Newton's iteration, inverse_mod_2_64), and the xorshift by x ^ (x >> 29) ^ (x >> 58) (the
 * shift is less than half the width, so two terms restore it). So the generator picks final values H whose bits
 * 32..55 are all the same constant (COLLIDE_BITS: bits 0..23 of hash, i.e. the same first slot in every table of
 * up to 2^24 slots) and whose other 40 bits count up, computes w = ((inverse(K) * H) unshifted) * inverse(M1) ^
 * (K ^ 8), and keeps w when all its 8 bytes are printable ASCII other than '"' and '\\' (93 of 256 values, so
 * about one H in 3,300 gives a name). Different H give different w (every step is a bijection), so the names are
 * distinct without any check. Each name is then verified with hash_bytes() itself.
 * With the keyed SipHash that replaces hash_bytes these names are ordinary random-looking names. */
#define OLD_K UINT64_C(0x9E3779B97F4A7C15)
#define OLD_M1 UINT64_C(0xFF51AFD7ED558CCD)
#define COLLIDE_BITS UINT64_C(0xC0FFEE)

static uint32_t old_hash_bytes(const char *s, size_t n)
{
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15) ^ n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * UINT64_C(0xFF51AFD7ED558CCD);
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    if (n) {
        uint64_t w = 0;
        memcpy(&w, s, n);
        h = (h ^ w) * UINT64_C(0xC4CEB9FE1A85EC53);
        h ^= h >> 29;
    }
    h *= UINT64_C(0x9E3779B97F4A7C15);
    return (uint32_t)(h >> 32);
}

static uint64_t inverse_mod_2_64(uint64_t a)
{
    uint64_t x = a; /* right in the low 3 bits for odd a; each step doubles the right bits: 3, 6, 12, 24, 48, 96 */
    for (int i = 0; i < 5; i++)
        x *= 2 - a * x;
    return x;
}

static unsigned char name_byte_ok[256];

static void init_name_bytes(void)
{
    for (int c = 0x20; c < 0x7f; c++)
        name_byte_ok[c] = c != '"' && c != '\\';
}

/* All 8 bytes of w in name_byte_ok, tested a word at a time (most candidates fail at the first test). */
static int printable_word(uint64_t w)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), high = ones * 0x80;
    if (w & high)
        return 0;
    /* For bytes below 0x80: is any byte of x below n (0 < n <= 128)? (the "hasless" word trick) */
#define HAS_LESS(x, n) (((x) - ones * (n)) & ~(x) & high)
    return !HAS_LESS(w, 0x20) && !HAS_LESS(w ^ ones * 0x7f, 1) && !HAS_LESS(w ^ ones * '"', 1) &&
           !HAS_LESS(w ^ ones * '\\', 1);
#undef HAS_LESS
}

/* The 8 bytes of a name word, in memory order (the order hash_bytes' memcpy reads them on a little-endian CPU). */
static void word_bytes(uint64_t w, char out[8])
{
    for (int i = 0; i < 8; i++)
        out[i] = (char)(w >> (8 * i));
}

/* A name that the report object itself uses (8 bytes): never generated, it would be a duplicate. */
static int reserved_name(uint64_t w)
{
    char s[8];
    word_bytes(w, s);
    return memcmp(s, "policies", 8) == 0;
}

static uint64_t *colliding_names(size_t n)
{
    uint64_t *out = malloc(n * sizeof *out);
    if (!out)
        exit(1);
    const uint64_t k_inv = inverse_mod_2_64(OLD_K), m1_inv = inverse_mod_2_64(OLD_M1);
    size_t got = 0;
    for (uint64_t c = 0; got < n; c++) {
        uint64_t h = (c & UINT64_C(0xFFFFFFFF)) | COLLIDE_BITS << 32 | (c >> 32) << 56; /* the final value */
        uint64_t x = h * k_inv;                                                          /* undo h *= K */
        x ^= x >> 29 ^ x >> 58;                                                          /* undo h ^= h >> 29 */
        uint64_t w = (x * m1_inv) ^ (OLD_K ^ 8); /* undo h = (h ^ w) * M1, h starting at K ^ 8 */
        if (printable_word(w) && !reserved_name(w))
            out[got++] = w;
    }
    for (size_t i = 0; i < n; i++) {
        char s[8];
        word_bytes(out[i], s);
        if ((old_hash_bytes(s, 8) & 0xFFFFFF) != COLLIDE_BITS) {
            fputs("hostile: the hash inversion is wrong (or this CPU is big-endian)\n", stderr);
            exit(1);
        }
    }
    return out;
}

/* ---- Class 2: random names of the same alphabet, the reference for class 1 --------------------------------- */

static uint64_t *random_names(size_t n)
{
    uint64_t *out = malloc(n * sizeof *out);
    size_t cap = 64;
    while (cap < n * 2)
        cap *= 2;
    uint64_t *seen = calloc(cap, sizeof *seen); /* open addressing; 0 is never a name (bytes are >= 0x20) */
    if (!out || !seen)
        exit(1);
    char alphabet[96];
    int na = 0;
    for (int c = 0; c < 256; c++)
        if (name_byte_ok[c])
            alphabet[na++] = (char)c;
    uint64_t rng = 10;
    for (size_t got = 0; got < n;) {
        uint64_t r = rng_next(&rng), w = 0;
        for (int i = 0; i < 8; i++)
            w |= (uint64_t)(unsigned char)alphabet[(r >> (8 * i)) % (unsigned)na] << (8 * i);
        if (reserved_name(w))
            continue;
        size_t slot = (size_t)(rng_next(&(uint64_t){w}) & (cap - 1));
        while (seen[slot] && seen[slot] != w)
            slot = (slot + 1) & (cap - 1);
        if (seen[slot])
            continue;
        seen[slot] = w;
        out[got++] = w;
    }
    free(seen);
    return out;
}

/* count `"NAME":0` members, comma-separated. */
static void put_names(buf *b, const uint64_t *names, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char s[8];
        word_bytes(names[i], s);
        if (i)
            puts_(b, ",");
        puts_(b, "\"");
        put(b, s, 8);
        puts_(b, "\":0");
    }
}

#define NAME_MEMBER_BYTES 13 /* "12345678":0, */

/* How many names fit when the rest of the report takes `fixed` bytes. */
static size_t names_that_fit(size_t size, size_t fixed)
{
    return size > fixed + NAME_MEMBER_BYTES ? (size - fixed + 1) / NAME_MEMBER_BYTES : 1;
}

/* The names as one unknown member's object: {head,"x-flood":{names},"policies":[...]}. */
static void gen_names_in_member(buf *b, size_t size, const uint64_t *names)
{
    buf tail = {0};
    puts_(&tail, "},");
    put_valid_policies(&tail);
    puts_(&tail, "}");
    putf(b, "{%s,\"x-flood\":{", report_head);
    put_names(b, names, names_that_fit(size, b->n + tail.n));
    put(b, tail.p, tail.n);
    buf_free(&tail);
}

/* The names as members of the report object itself: {names,head,"policies":[...]}. */
static void gen_names_at_top(buf *b, size_t size, const uint64_t *names)
{
    buf tail = {0};
    putf(&tail, ",%s,", report_head);
    put_valid_policies(&tail);
    puts_(&tail, "}");
    puts_(b, "{");
    put_names(b, names, names_that_fit(size, 1 + tail.n));
    put(b, tail.p, tail.n);
    buf_free(&tail);
}

/* ---- Class 3: findings past the full diagnostics list ------------------------------------------------------- */

/* {head,"x-deep":{"N":{"N":...[ "\xff", "\xff", ... ]...}},"policies":[...]}: an unknown member whose value nests
 * NESTED_OBJECTS objects, each with one member named by DEEP_NAME_BYTES escaped NUL bytes (a NUL is written as
 * U+FFFD in a JSON pointer, 3 bytes: the longest rendering of a name), and in the innermost an array of strings
 * that each hold one invalid UTF-8 byte, so that each string is a warning whose JSON pointer is about 24 KB. */
static void gen_dropped_findings(buf *b, size_t size)
{
    buf tail = {0};
    puts_(&tail, "]");
    for (int i = 0; i < NESTED_OBJECTS; i++)
        puts_(&tail, "}");
    puts_(&tail, ",");
    put_valid_policies(&tail);
    puts_(&tail, "}");
    putf(b, "{%s,\"x-deep\":", report_head);
    for (int i = 0; i < NESTED_OBJECTS; i++) {
        puts_(b, "{\"");
        for (int k = 0; k < DEEP_NAME_BYTES; k++)
            puts_(b, "\\u0000");
        puts_(b, "\":");
    }
    puts_(b, "[");
    size_t fixed = b->n + tail.n;
    size_t count = size > fixed + 4 ? (size - fixed + 1) / 4 : 1; /* "\xff", */
    for (size_t i = 0; i < count; i++)
        put(b, i ? ",\"\xff\"" : "\"\xff\"", i ? 4 : 3);
    put(b, tail.p, tail.n);
    buf_free(&tail);
}

/* ---- Classes 5 and 6: empty objects that become structs ------------------------------------------------------ */

static void put_empty_objects(buf *b, size_t size, size_t tail_len)
{
    size_t count = size > b->n + tail_len + 3 ? (size - b->n - tail_len + 1) / 3 : 1; /* {}, */
    for (size_t i = 0; i < count; i++)
        put(b, i ? ",{}" : "{}", i ? 3 : 2);
}

static void gen_empty_policies(buf *b, size_t size)
{
    putf(b, "{%s,\"policies\":[", report_head);
    put_empty_objects(b, size, 2);
    puts_(b, "]}");
}

static void gen_empty_failure_details(buf *b, size_t size)
{
    static const char policy[] =
        "{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":[\"version: STSv1\",\"mode: enforce\","
        "\"mx: mx1.customer0.example\",\"max_age: 604800\"],\"policy-domain\":\"customer0.example\","
        "\"mx-host\":[\"mx1.customer0.example\"]},\"summary\":{\"total-successful-session-count\":1,"
        "\"total-failure-session-count\":0},\"failure-details\":[";
    putf(b, "{%s,\"policies\":[%s", report_head, policy);
    put_empty_objects(b, size, 4);
    puts_(b, "]}]}");
}

/* ---- gzip and the e-mail ---------------------------------------------------------------------------------------- */

static void gzip_of(buf *out, const buf *in)
{
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(9);
    if (!c)
        exit(1);
    size_t bound = libdeflate_gzip_compress_bound(c, in->n);
    reserve(out, bound);
    out->n = libdeflate_gzip_compress(c, in->p, in->n, out->p, bound);
    libdeflate_free_compressor(c);
    if (out->n == 0)
        exit(1);
}

/* A minimal RFC 8460 §5.3 report e-mail: multipart/report with a text part and the gzip report in base64. */
static void mail_of(buf *out, const buf *gz)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    puts_(out, "From: TLS Reporting <smtp-tls-reporting@sender.example>\r\n"
               "To: tlsrpt@customer0.example\r\n"
               "Subject: Report Domain: customer0.example Submitter: sender.example "
               "Report-ID: <hostile.20240301@sender.example>\r\n"
               "Date: Sat, 02 Mar 2024 00:10:00 +0000\r\n"
               "Message-ID: <hostile.20240301@sender.example>\r\n"
               "TLS-Report-Domain: customer0.example\r\n"
               "TLS-Report-Submitter: sender.example\r\n"
               "MIME-Version: 1.0\r\n"
               "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"hostile-boundary\"\r\n"
               "\r\n"
               "--hostile-boundary\r\n"
               "Content-Type: text/plain; charset=us-ascii\r\n"
               "\r\n"
               "This is an aggregate TLS report from sender.example.\r\n"
               "--hostile-boundary\r\n"
               "Content-Type: application/tlsrpt+gzip\r\n"
               "Content-Transfer-Encoding: base64\r\n"
               "Content-Disposition: attachment;\r\n"
               " filename=\"sender.example!customer0.example!1709251200!1709337599!hostile.json.gz\"\r\n"
               "\r\n");
    const unsigned char *s = (const unsigned char *)gz->p;
    size_t line = 0;
    for (size_t i = 0; i < gz->n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < gz->n ? (uint32_t)s[i + 1] << 8 : 0) |
                     (i + 2 < gz->n ? s[i + 2] : 0);
        char q[4] = {b64[v >> 18], b64[(v >> 12) & 63], i + 1 < gz->n ? b64[(v >> 6) & 63] : '=',
                     i + 2 < gz->n ? b64[v & 63] : '='};
        put(out, q, 4);
        if ((line += 4) == 76) {
            puts_(out, "\r\n");
            line = 0;
        }
    }
    if (line)
        puts_(out, "\r\n");
    puts_(out, "--hostile-boundary--\r\n");
}

/* ---- Measuring ------------------------------------------------------------------------------------------------- */

enum form { FORM_JSON, FORM_GZIP, FORM_MAIL };

typedef struct measured {
    int rc;
    double best; /* seconds */
    int runs;
    size_t peak; /* bytes */
    size_t diag;
} measured;

static int max_runs = 3;
static double budget = 3.0;

static measured measure(const buf *in, enum form form, unsigned flags)
{
    measured m = {0, 1e30, 0, 0, 0};
    double total = 0;
    while (m.runs < max_runs && (m.runs == 0 || total < budget)) {
        tlsrpt_diag *d = NULL;
        tlsrpt_report *r = NULL;
        if (tlsrpt_diag_new(&d) != TLSRPT_OK)
            exit(1);
        heap_mark();
        double t0 = now();
        m.rc = form == FORM_MAIL ? tlsrpt_report_parse_message(&r, in->p, in->n, flags, d)
                                 : tlsrpt_report_parse(&r, in->p, in->n, flags, d);
        double t = now() - t0;
        size_t peak = heap_peak_since_mark();
        if (peak > m.peak)
            m.peak = peak;
        m.diag = tlsrpt_diag_count(d);
        tlsrpt_report_free(r);
        tlsrpt_diag_free(d);
        total += t;
        if (t < m.best)
            m.best = t;
        m.runs++;
    }
    return m;
}

/* The short name of a status (tlsrpt_status_string() gives a sentence). */
static const char *status_name(int rc)
{
    switch (rc) {
    case TLSRPT_OK:
        return "OK";
    case TLSRPT_ENOMEM:
        return "ENOMEM";
    case TLSRPT_EINVAL:
        return "EINVAL";
    case TLSRPT_ESYNTAX:
        return "ESYNTAX";
    case TLSRPT_ESEMANTIC:
        return "ESEMANTIC";
    case TLSRPT_ELIMIT:
        return "ELIMIT";
    case TLSRPT_EUNSUPPORTED:
        return "EUNSUPPORTED";
    default:
        return "other";
    }
}

static const char *save_dir; /* --save: every input is also written there */
static size_t current_size;

static void save(const char *label, const buf *in, enum form form)
{
    if (!save_dir)
        return;
    char path[4096];
    snprintf(path, sizeof path, "%s/%zu-%s%s", save_dir, current_size, label,
             form == FORM_JSON ? ".json" : form == FORM_GZIP ? ".json.gz" : ".eml");
    for (char *c = path + strlen(save_dir) + 1; *c; c++)
        if (*c == '/')
            *c = '_';
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(in->p, 1, in->n, f) != in->n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static const char *only; /* --only: comma-separated name prefixes, NULL for every case */

/* Whether a case is kept by --only (its name starts with one of the names), or with any_case whether some case of
 * a class is (also when a name is longer than the class name, e.g. "dropped-findings-mail"). */
static int only_has(const char *name, int any_case)
{
    if (!only)
        return 1;
    const char *p = only;
    while (*p) {
        size_t n = strcspn(p, ",");
        if (n > 0 && (strncmp(name, p, n) == 0 || (any_case && n > strlen(name) && strncmp(name, p, strlen(name)) == 0)))
            return 1;
        p += n;
        if (*p == ',')
            p++;
    }
    return 0;
}

static int wanted(const char *name)
{
    return only_has(name, 0);
}

static int class_wanted(const char *name)
{
    return only_has(name, 1);
}

static double ordinary_s_per_mb[3]; /* by form, at the current size */

static void print_header(void)
{
    printf("%-28s %-7s %9s %9s %-10s %9s %8s %9s %8s %5s %4s  %s\n", "case", "mode", "json", "input", "status",
           "s/MB", "x-ord", "heap/json", "heap-MiB", "diag", "runs", "target");
}

static void report_case(const char *name, const buf *json, const buf *in, enum form form, unsigned flags,
                        int reference)
{
    if (!reference && !wanted(name))
        return;
    if (!(flags & TLSRPT_PARSE_STRICT))
        save(name, in, form);
    measured m = measure(in, form, flags);
    double s_per_mb = m.best / ((double)json->n / 1e6);
    if (reference)
        ordinary_s_per_mb[form] = s_per_mb;
    double ratio = s_per_mb / ordinary_s_per_mb[form];
    double heap_ratio = (double)m.peak / (double)json->n;
    int slow = ratio > 3.0, fat = (double)m.peak > 4.0 * (double)json->n + 1048576.0;
    printf("%-28s %-7s %9zu %9zu %-10s %9.3g %8.1f %9.2f %8.1f %5zu %4d  %s\n", name,
           flags & TLSRPT_PARSE_STRICT ? "strict" : "lenient", json->n, in->n, status_name(m.rc), s_per_mb,
           ratio, heap_ratio, (double)m.peak / 1048576.0, m.diag, m.runs,
           slow && fat ? "time,heap" : slow ? "time" : fat ? "heap" : "ok");
    fflush(stdout);
}

/* The JSON case, and with compressed set also its gzip and e-mail forms. */
static void run_forms(const char *name, const buf *json, unsigned flags, int gzip_too, int mail_too, int reference)
{
    char label[64];
    report_case(name, json, json, FORM_JSON, flags, reference);
    if (!gzip_too && !mail_too)
        return;
    buf gz = {0};
    gzip_of(&gz, json);
    if (gzip_too) {
        snprintf(label, sizeof label, "%s-gz", name);
        report_case(label, json, &gz, FORM_GZIP, flags, reference);
    }
    if (mail_too) {
        buf mail = {0};
        mail_of(&mail, &gz);
        snprintf(label, sizeof label, "%s-mail", name);
        report_case(label, json, &mail, FORM_MAIL, flags, reference);
        buf_free(&mail);
    }
    buf_free(&gz);
}

static size_t parse_size(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || v <= 0)
        return 0;
    if (*end == 'K' || *end == 'k')
        v *= 1024, end++;
    else if (*end == 'M' || *end == 'm')
        v *= 1048576, end++;
    if (*end != '\0' || v > TLSRPT_MAX_REPORT_SIZE)
        return 0;
    return (size_t)v;
}

int main(int argc, char **argv)
{
    size_t sizes[16];
    int n_sizes = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
            max_runs = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--budget") == 0 && i + 1 < argc) {
            budget = atof(argv[++i]);
        } else if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) {
            save_dir = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            only = argv[++i];
        } else if (argv[i][0] != '-' && n_sizes < 16 && (sizes[n_sizes] = parse_size(argv[i])) > 0) {
            n_sizes++;
        } else {
            fputs("usage: hostile [--runs N] [--budget SECONDS] [--only NAME,...] [--save DIR] [SIZE[K|M]...]   (default 1M 8M; "
                  "at most 16 sizes of at most 20M)\n",
                  stderr);
            return 2;
        }
    }
    if (max_runs < 1)
        max_runs = 1;
    if (n_sizes == 0) {
        sizes[n_sizes++] = 1048576;
        sizes[n_sizes++] = 8 * 1048576;
    }
    init_name_bytes();

    /* The names are made once, for the largest size (a smaller size uses the first ones). */
    size_t most_names = 0;
    for (int s = 0; s < n_sizes; s++)
        if (sizes[s] / NAME_MEMBER_BYTES + 1 > most_names)
            most_names = sizes[s] / NAME_MEMBER_BYTES + 1;
    uint64_t *collide = NULL, *random = NULL;

    for (int s = 0; s < n_sizes; s++) {
        size_t size = sizes[s];
        current_size = size;
        FILE *la = fopen("/proc/loadavg", "r");
        char line[128] = "?\n";
        if (la) {
            if (!fgets(line, sizeof line, la))
                strcpy(line, "?\n");
            fclose(la);
        }
        printf("# size %zu bytes of JSON (%.2f MiB); /proc/loadavg: %s", size, (double)size / 1048576.0, line);
        print_header();
        buf json = {0};

        gen_ordinary(&json, size);
        run_forms("ordinary", &json, 0, 1, 1, 1);
        buf_free(&json);

        static const struct {
            const char *name;
            int top;
            int colliding;
        } floods[] = {{"name-flood/member", 0, 1},
                      {"name-flood/top", 1, 1},
                      {"name-flood-random/member", 0, 0},
                      {"name-flood-random/top", 1, 0}};
        for (size_t f = 0; f < sizeof floods / sizeof floods[0]; f++) {
            if (!class_wanted(floods[f].name))
                continue;
            if (floods[f].colliding && !collide) {
                double t0 = now();
                collide = colliding_names(most_names);
                fprintf(stderr, "hostile: %zu colliding names made in %.1f s\n", most_names, now() - t0);
            } else if (!floods[f].colliding && !random) {
                random = random_names(most_names);
            }
            const uint64_t *names = floods[f].colliding ? collide : random;
            if (floods[f].top)
                gen_names_at_top(&json, size, names);
            else
                gen_names_in_member(&json, size, names);
            run_forms(floods[f].name, &json, 0, 0, 0, 0);
            run_forms(floods[f].name, &json, TLSRPT_PARSE_STRICT, 0, 0, 0);
            buf_free(&json);
        }

        if (class_wanted("dropped-findings")) {
            gen_dropped_findings(&json, size);
            run_forms("dropped-findings", &json, 0, 0, 1, 0);
            buf_free(&json);
        }
        if (class_wanted("empty-policies")) {
            gen_empty_policies(&json, size);
            run_forms("empty-policies", &json, 0, 1, 0, 0);
            buf_free(&json);
        }
        if (class_wanted("empty-failure-details")) {
            gen_empty_failure_details(&json, size);
            run_forms("empty-failure-details", &json, 0, 1, 0, 0);
            buf_free(&json);
        }
    }
    free(collide);
    free(random);
    return 0;
}
