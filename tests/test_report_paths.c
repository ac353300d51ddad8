/* The two paths of tlsrpt_report_parse() (lib/report_fast.h): the one-pass fast path for plain reports and the
 * general path (JSON reader + schema walk, TRPT_PARSE_GENERAL) give the same status, the same findings (severity,
 * id, offset, path, message, hint of every entry) and the same report (every field of the model and the serialized
 * bytes), in lenient and strict mode, for
 *   - the real-world JSON reports (TLSRPT_REAL_WORLD, set by the meson option real_world_testdata), the report files
 *     of tests/data, and the gzip files made from them at build time (report-full.json.gz, report-multi.gz, and the
 *     20 MiB reports at and over the size limit);
 *   - reports of the shape bench/gen_reports.py writes (1, 20 and 2000 policies; generated here, with a generator of
 *     its own), compact and re-indented;
 *   - plain reports that the fast path must take (stats.fast_path == 1, with spot checks of the values and its memory
 *     within the general path's budget), and one input per reason for the fast path to give up (fast_path == 0);
 *   - a deterministic mutation sweep: at every byte of three reports, 17 replacement bytes, deleting, doubling and
 *     cutting the text there.
 * Under valgrind (TLSRPT_TEST_VALGRIND=1, set by the valgrind test setup in tests/meson.build) the test keeps under a
 * minute (25-40 s on 2 shared cores): each position of the sweep gets every 8th mutation only, rotating, so that
 * every mutation still meets an eighth of the positions; the generated report has 200 policies instead of 2000; and
 * the two 20 MiB gzip reports are left out.
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "report_internal.h"
#include "report_testutil.h"
#include "testfiles.h"
#include "testutil.h"

/* 1 under the valgrind test setup: fewer and smaller inputs (see the top of the file). */
static int under_valgrind(void)
{
    const char *v = getenv("TLSRPT_TEST_VALGRIND");
    return v && strcmp(v, "1") == 0;
}

/* ---- Both paths ------------------------------------------------------------------------------------------------ */

typedef struct run {
    int rc;
    tlsrpt_report *r;
    tlsrpt_diag *d;
    trpt_parse_stats st;
} run;

static void run_init(run *x)
{
    memset(x, 0, sizeof *x);
    ck_assert_int_eq(tlsrpt_diag_new(&x->d), TLSRPT_OK);
}

static void run_done(run *x)
{
    tlsrpt_report_free(x->r);
    tlsrpt_diag_free(x->d);
    memset(x, 0, sizeof *x);
}

static void run_parse(run *x, const char *text, size_t len, unsigned flags)
{
    tlsrpt_diag_clear(x->d);
    tlsrpt_report_free(x->r);
    x->r = NULL;
    x->rc = trpt_report_parse_stats(&x->r, text, len, flags, x->d, &x->st);
}

static int same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *show(const char *s)
{
    return s ? s : "(null)";
}

/* NULL when the default parse a and the general parse b agree; otherwise the first difference (static text). */
static const char *difference(const run *a, const run *b)
{
    static char why[1024];
    if (b->st.fast_path)
        return "the TRPT_PARSE_GENERAL parse says it took the fast path";
    if (a->rc != b->rc) {
        snprintf(why, sizeof why, "status %d (default) / %d (general); %zu / %zu findings, last %s / %s", a->rc, b->rc,
                 tlsrpt_diag_count(a->d), tlsrpt_diag_count(b->d),
                 show(tlsrpt_diag_id(a->d, tlsrpt_diag_count(a->d) - 1)),
                 show(tlsrpt_diag_id(b->d, tlsrpt_diag_count(b->d) - 1)));
        return why;
    }
    size_t n = tlsrpt_diag_count(a->d), m = tlsrpt_diag_count(b->d);
    for (size_t i = 0; i < n || i < m; i++) {
        if (i >= n || i >= m) {
            snprintf(why, sizeof why, "%zu findings (default) / %zu (general); the first extra one: %s %s at %zu", n,
                     m, show(tlsrpt_diag_id(i < n ? a->d : b->d, i)), show(tlsrpt_diag_path(i < n ? a->d : b->d, i)),
                     tlsrpt_diag_offset(i < n ? a->d : b->d, i));
            return why;
        }
        if (tlsrpt_diag_severity(a->d, i) != tlsrpt_diag_severity(b->d, i) ||
            !same_opt(tlsrpt_diag_id(a->d, i), tlsrpt_diag_id(b->d, i)) ||
            tlsrpt_diag_offset(a->d, i) != tlsrpt_diag_offset(b->d, i) ||
            !same_opt(tlsrpt_diag_path(a->d, i), tlsrpt_diag_path(b->d, i)) ||
            !same_opt(tlsrpt_diag_message(a->d, i), tlsrpt_diag_message(b->d, i)) ||
            !same_opt(tlsrpt_diag_hint(a->d, i), tlsrpt_diag_hint(b->d, i))) {
            snprintf(why, sizeof why, "finding %zu: [%d %s %zu %s] %s / [%d %s %zu %s] %s", i,
                     tlsrpt_diag_severity(a->d, i), show(tlsrpt_diag_id(a->d, i)), tlsrpt_diag_offset(a->d, i),
                     show(tlsrpt_diag_path(a->d, i)), show(tlsrpt_diag_message(a->d, i)),
                     tlsrpt_diag_severity(b->d, i), show(tlsrpt_diag_id(b->d, i)), tlsrpt_diag_offset(b->d, i),
                     show(tlsrpt_diag_path(b->d, i)), show(tlsrpt_diag_message(b->d, i)));
            return why;
        }
    }
    if (!a->r != !b->r || !a->r != (a->rc != TLSRPT_OK))
        return "a report on one side only, or a report with a failure status";
    if (!a->r)
        return NULL;
    char model[256];
    if (!report_equal(a->r, b->r, model, sizeof model)) {
        snprintf(why, sizeof why, "the reports differ: %s", model);
        return why;
    }
    char *ja = NULL, *jb = NULL;
    size_t la = 0, lb = 0;
    int ra = tlsrpt_report_serialize(a->r, 0, &ja, &la), rb = tlsrpt_report_serialize(b->r, 0, &jb, &lb);
    int same = ra == rb && la == lb && (ra != TLSRPT_OK || memcmp(ja, jb, la) == 0);
    tlsrpt_free(ja);
    tlsrpt_free(jb);
    if (!same) {
        snprintf(why, sizeof why, "the serialized reports differ (serialize %d / %d, %zu / %zu bytes)", ra, rb, la, lb);
        return why;
    }
    return NULL;
}

/* The input for a failure message: printable ASCII as is, the rest as \xNN, at most `max` bytes from `from`. */
static const char *excerpt(const char *text, size_t len, size_t from, size_t max)
{
    static char out[4 * 160 + 8];
    size_t o = 0;
    if (max > 160)
        max = 160;
    for (size_t i = from; i < len && i < from + max; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", c);
    }
    out[o] = '\0';
    return out;
}

/* Both parses of text in one mode; the test fails at the first difference. Returns the default parse's fast_path
 * (the default run is left in *a for value checks). */
static int both_paths(run *a, run *b, const char *label, const char *text, size_t len, unsigned flags)
{
    run_parse(a, text, len, flags);
    run_parse(b, text, len, flags | TRPT_PARSE_GENERAL);
    const char *why = difference(a, b);
    ck_assert_msg(why == NULL, "%s (%s, %zu bytes): %s; input starts \"%s\"", label,
                  (flags & TLSRPT_PARSE_STRICT) ? "strict" : "lenient", len, why, excerpt(text, len, 0, 120));
    if (a->st.fast_path) {
        ck_assert_msg(a->rc == TLSRPT_OK, "%s: the fast path took it with status %d", label, a->rc);
        ck_assert_msg(a->st.memory_peak <= a->st.memory_limit,
                      "%s: the fast path used %zu bytes, the budget is %zu", label, a->st.memory_peak,
                      a->st.memory_limit);
        ck_assert_uint_eq(a->st.memory_limit, b->st.memory_limit);
    }
    return a->st.fast_path;
}

/* Both modes, on a heap copy of exactly len bytes (so that ASan and valgrind see a read past the end).
 * Sets fast[0] (lenient) and fast[1] (strict). */
static void both_modes(const char *label, const char *text, size_t len, int fast[2])
{
    char *copy = malloc(len ? len : 1);
    ck_assert_ptr_nonnull(copy);
    if (len)
        memcpy(copy, text, len);
    run a, b;
    run_init(&a);
    run_init(&b);
    fast[0] = both_paths(&a, &b, label, copy, len, 0);
    fast[1] = both_paths(&a, &b, label, copy, len, TLSRPT_PARSE_STRICT);
    run_done(&a);
    run_done(&b);
    free(copy);
}

/* ---- Text helpers ---------------------------------------------------------------------------------------------- */

/* A copy of text with the first occurrence of `old` replaced by `new` (the test fails when there is none). */
static char *subst(const char *text, const char *old, const char *new)
{
    const char *at = strstr(text, old);
    ck_assert_msg(at != NULL, "\"%s\" is not in the text", old);
    size_t head = (size_t)(at - text), lo = strlen(old), ln = strlen(new), tail = strlen(at + lo);
    char *out = malloc(head + ln + tail + 1);
    ck_assert_ptr_nonnull(out);
    memcpy(out, text, head);
    memcpy(out + head, new, ln);
    memcpy(out + head + ln, at + lo, tail + 1);
    return out;
}

typedef struct outbuf {
    char *s;
    size_t len, cap;
} outbuf;

static void put(outbuf *t, const char *fmt, ...) TRPT_PRINTF(2, 3);

static void put(outbuf *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->s ? t->s + t->len : NULL, t->s ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        ck_assert_int_ge(n, 0);
        if (t->s && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap : 4096;
        while (cap <= t->len + (size_t)n)
            cap *= 2;
        t->s = realloc(t->s, cap);
        ck_assert_ptr_nonnull(t->s);
        t->cap = cap;
    }
}

/* JSON text re-indented: a line per member and element, `indent` per level, `eol` at each line end (strings are
 * copied as they are; the input has no white space outside strings but the one space of ", " and ": "). */
static char *reindent(const char *json, const char *indent, const char *eol)
{
    outbuf t = {NULL, 0, 0};
    int depth = 0, in_string = 0;
    for (const char *p = json; *p; p++) {
        char c = *p;
        if (in_string) {
            put(&t, "%c", c);
            if (c == '\\' && p[1])
                put(&t, "%c", *++p);
            else if (c == '"')
                in_string = 0;
            continue;
        }
        switch (c) {
        case '"':
            in_string = 1;
            put(&t, "%c", c);
            break;
        case '{':
        case '[':
            depth++;
            put(&t, "%c%s", c, eol);
            for (int i = 0; i < depth; i++)
                put(&t, "%s", indent);
            break;
        case '}':
        case ']':
            depth--;
            put(&t, "%s", eol);
            for (int i = 0; i < depth; i++)
                put(&t, "%s", indent);
            put(&t, "%c", c);
            break;
        case ',':
            put(&t, ",%s", eol);
            for (int i = 0; i < depth; i++)
                put(&t, "%s", indent);
            if (p[1] == ' ')
                p++;
            break;
        default:
            put(&t, "%c", c);
        }
    }
    put(&t, "%s", eol);
    return t.s;
}

/* ---- Reports of bench/gen_reports.py's shape --------------------------------------------------------------------
 * The same members, in the same order, with the same separators (Python's json.dumps: ", " and ": "); the random
 * numbers come from a 64-bit LCG here, so the bytes are not the script's. */

static const char *const gen_result_types[] = {
    "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure",     "tlsa-invalid",              "dnssec-invalid",      "dane-required",
    "sts-policy-fetch-error", "sts-policy-invalid",        "sts-webpki-invalid"};
static const char *const gen_reasons[] = {"X509_V_ERR_CERT_HAS_EXPIRED", "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
                                          "X509_V_ERR_HOSTNAME_MISMATCH", "TLS alert 40: handshake failure"};

static uint64_t lcg(uint64_t *state, uint64_t n)
{
    *state = *state * 6364136223846793005u + 1442695040888963407u;
    return (*state >> 33) % n;
}

static char *gen_report(unsigned n_policies, uint64_t seed)
{
    outbuf t = {NULL, 0, 0};
    uint64_t rng = seed;
    put(&t, "{\"organization-name\": \"Benchmark Mail Provider, Inc.\", \"date-range\": {\"start-datetime\": "
            "\"2024-03-01T00:00:00Z\", \"end-datetime\": \"2024-03-01T23:59:59Z\"}, \"contact-info\": "
            "\"smtp-tls-reporting@sender.example\", \"report-id\": \"2024-03-01T00:00:00Z_bench-%u\", \"policies\": [",
        n_policies);
    for (unsigned p = 0; p < n_policies; p++) {
        put(&t, "%s{\"policy\": {", p ? ", " : "");
        if (p % 5 == 4) {
            put(&t, "\"policy-type\": \"tlsa\", \"policy-string\": [");
            for (int s = 0; s < 2; s++) {
                put(&t, "%s\"3 1 1 ", s ? ", " : "");
                for (int w = 0; w < 4; w++)
                    put(&t, "%08X%08X", (unsigned)lcg(&rng, 1u << 31) << 1, (unsigned)lcg(&rng, 1u << 31));
                put(&t, "\"");
            }
            put(&t, "], \"policy-domain\": \"customer%u.example\", \"mx-host\": [\"mx1.customer%u.example\"]}", p, p);
        } else {
            put(&t,
                "\"policy-type\": \"sts\", \"policy-string\": [\"version: STSv1\", \"mode: enforce\", \"mx: "
                "mx1.customer%u.example\", \"mx: *.backup.customer%u.example\", \"max_age: 604800\"], "
                "\"policy-domain\": \"customer%u.example\", \"mx-host\": [\"mx1.customer%u.example\", "
                "\"*.backup.customer%u.example\"]}",
                p, p, p, p, p);
        }
        unsigned n_details = p % 4 + 1;
        uint64_t counts[4], sum = 0;
        for (unsigned k = 0; k < n_details; k++)
            sum += counts[k] = 1 + lcg(&rng, 499);
        put(&t, ", \"summary\": {\"total-successful-session-count\": %llu, \"total-failure-session-count\": %llu}, "
                "\"failure-details\": [",
            (unsigned long long)lcg(&rng, 10000000), (unsigned long long)sum);
        for (unsigned k = 0; k < n_details; k++) {
            put(&t, "%s{\"result-type\": \"%s\", \"sending-mta-ip\": ", k ? ", " : "",
                gen_result_types[(p + k) % 11]);
            if (k % 2)
                put(&t, "\"2001:db8:%x::%x\"", p % 4096, k + 1);
            else
                put(&t, "\"198.51.100.%u\"", k + 10);
            put(&t,
                ", \"receiving-mx-hostname\": \"mx%u.customer%u.example\", \"receiving-ip\": \"203.0.113.%u\", "
                "\"failed-session-count\": %llu",
                k % 3 + 1, p, (p + k) % 250 + 1, (unsigned long long)counts[k]);
            if (k % 2 == 0)
                put(&t,
                    ", \"receiving-mx-helo\": \"mx%u.customer%u.example ESMTP ready\", "
                    "\"failure-reason-code\": \"%s\"",
                    k % 3 + 1, p, gen_reasons[(p + k) % 4]);
            if (k % 3 == 0)
                put(&t, ", \"additional-information\": \"https://reports.sender.example/tlsrpt/detail?p=%u&k=%u\"", p,
                    k);
            put(&t, "}");
        }
        put(&t, "]}");
    }
    put(&t, "]}");
    return t.s;
}

/* ---- Plain reports and what makes the fast path give up ---------------------------------------------------------- */

/* After RFC 8460 Appendix B: the additional-information URL on one line, "failure-reason-code" for the
 * pre-publication "failure-error-code". */
static const char rfc_example[] =
    "{\n"
    "  \"organization-name\": \"Company-X\",\n"
    "  \"date-range\": {\n"
    "    \"start-datetime\": \"2016-04-01T00:00:00Z\",\n"
    "    \"end-datetime\": \"2016-04-01T23:59:59Z\"\n"
    "  },\n"
    "  \"contact-info\": \"sts-reporting@company-x.example\",\n"
    "  \"report-id\": \"5065427c-23d3-47ca-b6e0-946ea0e8c4be\",\n"
    "  \"policies\": [{\n"
    "    \"policy\": {\n"
    "      \"policy-type\": \"sts\",\n"
    "      \"policy-string\": [\"version: STSv1\",\"mode: testing\",\n"
    "            \"mx: *.mail.company-y.example\",\"max_age: 86400\"],\n"
    "      \"policy-domain\": \"company-y.example\",\n"
    "      \"mx-host\": \"*.mail.company-y.example\"\n"
    "    },\n"
    "    \"summary\": {\n"
    "      \"total-successful-session-count\": 5326,\n"
    "      \"total-failure-session-count\": 303\n"
    "    },\n"
    "    \"failure-details\": [{\n"
    "      \"result-type\": \"certificate-expired\",\n"
    "      \"sending-mta-ip\": \"2001:db8:abcd:0012::1\",\n"
    "      \"receiving-mx-hostname\": \"mx1.mail.company-y.example\",\n"
    "      \"failed-session-count\": 100\n"
    "    }, {\n"
    "      \"result-type\": \"starttls-not-supported\",\n"
    "      \"sending-mta-ip\": \"2001:db8:abcd:0013::1\",\n"
    "      \"receiving-mx-hostname\": \"mx2.mail.company-y.example\",\n"
    "      \"receiving-ip\": \"203.0.113.56\",\n"
    "      \"failed-session-count\": 200,\n"
    "      \"additional-information\": "
    "\"https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported\"\n"
    "    }, {\n"
    "      \"result-type\": \"validation-failure\",\n"
    "      \"sending-mta-ip\": \"198.51.100.62\",\n"
    "      \"receiving-ip\": \"203.0.113.58\",\n"
    "      \"receiving-mx-hostname\": \"mx-backup.mail.company-y.example\",\n"
    "      \"failed-session-count\": 3,\n"
    "      \"failure-reason-code\": \"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\"\n"
    "    }]\n"
    "  }]\n"
    "}\n";

/* Plain, pretty-printed (LF, CRLF, tabs, two-space indentation, white space before ':' and ','), two policies: the
 * first base of the sweep. */
static const char sweep_pretty[] =
    "{\n"
    "  \"organization-name\" : \"Example Sender Ltd\",\r\n"
    "  \"date-range\": {\n"
    "\t\"start-datetime\": \"2024-03-10T00:00:00Z\",\n"
    "\t\"end-datetime\": \"2024-03-10T23:59:59.999+00:00\"\n"
    "  },\n"
    "  \"contact-info\": \"tlsrpt-admin@sender.example\" ,\n"
    "  \"report-id\": \"2024-03-10T00:00:00Z_receiver.example\",\n"
    "  \"policies\": [\n"
    "    {\n"
    "      \"policy\": {\n"
    "        \"policy-type\": \"sts\",\n"
    "        \"policy-string\": [\"version: STSv1\", \"mode: enforce\", \"mx: mx1.receiver.example\",\n"
    "                          \"max_age: 604800\"],\n"
    "        \"policy-domain\": \"receiver.example\",\n"
    "        \"mx-host\": [\"mx1.receiver.example\", \"*.backup.receiver.example\"]\n"
    "      },\n"
    "      \"summary\": {\"total-successful-session-count\": 120345, \"total-failure-session-count\": 17},\n"
    "      \"failure-details\": [\n"
    "        {\n"
    "          \"result-type\": \"certificate-expired\",\n"
    "          \"sending-mta-ip\": \"198.51.100.7\",\n"
    "          \"receiving-mx-hostname\": \"mx1.receiver.example\",\n"
    "          \"receiving-mx-helo\": \"mx1.receiver.example ESMTP\",\n"
    "          \"receiving-ip\": \"203.0.113.25\",\n"
    "          \"failed-session-count\": 12,\n"
    "          \"additional-information\": \"https://sender.example/tlsrpt/1\",\n"
    "          \"failure-reason-code\": \"X509_V_ERR_CERT_HAS_EXPIRED\"\n"
    "        },\n"
    "        {\"result-type\": \"starttls-not-supported\", \"sending-mta-ip\": \"2001:db8::25\",\r\n"
    "         \"receiving-mx-hostname\": \"mx2.receiver.example\", \"failed-session-count\": 5}\n"
    "      ]\n"
    "    },\n"
    "    {\n"
    "      \"policy\": {\"policy-type\": \"tlsa\", \"policy-string\": [\"3 1 1 0A1B2C3D\"],\n"
    "                 \"policy-domain\": \"receiver.example\"},\n"
    "      \"summary\": {\"total-successful-session-count\": 0, \"total-failure-session-count\": 0},\n"
    "      \"failure-details\": []\n"
    "    }\n"
    "  ]\n"
    "}\n";

/* Plain but for missing members, compact: the fast path lists them (lenient) or gives up (strict). */
static const char sweep_missing[] =
    "{\"organization-name\":\"Sender\",\"date-range\":{\"start-datetime\":\"2024-05-01T00:00:00Z\"},"
    "\"report-id\":\"r-2024-05-01\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":"
    "[\"version: STSv1\",\"mode: enforce\",\"mx: mx.a.example\",\"max_age: 86400\"]},\"summary\":"
    "{\"total-failure-session-count\":4},\"failure-details\":[{\"result-type\":\"certificate-expired\","
    "\"failed-session-count\":4,\"receiving-ip\":\"192.0.2.7\"}]},{\"policy\":{\"policy-type\":\"tlsa\","
    "\"policy-domain\":\"t.example\"},\"failure-details\":[{\"result-type\":\"dane-required\","
    "\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":\"mx.t.example\"},{\"result-type\":"
    "\"tlsa-invalid\",\"receiving-mx-hostname\":\"mx2.t.example\",\"failed-session-count\":2}]},"
    "{\"policy\":{\"policy-type\":\"no-policy-found\"},\"summary\":{\"total-successful-session-count\":9}},"
    "{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"c.example\",\"mx-host\":\"mx.c.example\"},"
    "\"summary\":{}}]}";

/* The findings of sweep_missing in lenient mode, in order (each at the '{' of the object that lacks the member). */
static const char *const missing_findings[] = {
    "/date-range/end-datetime",
    "/policies/0/failure-details/0/sending-mta-ip",
    "/policies/0/failure-details/0/receiving-mx-hostname",
    "/policies/0/policy/policy-domain",
    "/policies/0/policy/mx-host",
    "/policies/0/summary/total-successful-session-count",
    "/policies/1/failure-details/0/failed-session-count",
    "/policies/1/failure-details/1/sending-mta-ip",
    "/policies/1/policy/policy-string",
    "/policies/1/summary",
    "/policies/2/policy/policy-domain",
    "/policies/2/summary/total-failure-session-count",
    "/policies/3/policy/policy-string",
    "/policies/3/summary/total-successful-session-count",
    "/policies/3/summary/total-failure-session-count",
    "/contact-info",
};

/* Plain but for summaries that disagree with their details (one by a count, one by an overflow of the sum), with the
 * separators of Python's json.dumps. */
static const char sweep_mismatch[] =
    "{\"organization-name\": \"Mismatch Mail\", \"date-range\": {\"start-datetime\": \"2024-06-30T00:00:00-02:00\", "
    "\"end-datetime\": \"2024-06-30T23:59:59-02:00\"}, \"contact-info\": \"mailto:tls@mismatch.example\", "
    "\"report-id\": \"mm-1\", \"policies\": [{\"policy\": {\"policy-type\": \"sts\", \"policy-string\": "
    "[\"version: STSv1\", \"mode: testing\"], \"policy-domain\": \"a.example\", \"mx-host\": \"*.a.example\"}, "
    "\"summary\": {\"total-successful-session-count\": 10, \"total-failure-session-count\": 10}, "
    "\"failure-details\": [{\"result-type\": \"validation-failure\", \"sending-mta-ip\": \"192.0.2.1\", "
    "\"receiving-mx-hostname\": \"mx.a.example\", \"failed-session-count\": 3}, {\"result-type\": "
    "\"validation-failure\", \"sending-mta-ip\": \"192.0.2.2\", \"receiving-mx-hostname\": \"mx.a.example\", "
    "\"failed-session-count\": 4}]}, {\"policy\": {\"policy-type\": \"no-policy-found\", \"policy-domain\": "
    "\"b.example\"}, \"summary\": {\"total-successful-session-count\": 0, \"total-failure-session-count\": 5}, "
    "\"failure-details\": [{\"result-type\": \"sts-policy-fetch-error\", \"sending-mta-ip\": \"192.0.2.3\", "
    "\"receiving-mx-hostname\": \"b.example\", \"failed-session-count\": 9999999999999999999}, {\"result-type\": "
    "\"sts-webpki-invalid\", \"sending-mta-ip\": \"192.0.2.3\", \"receiving-mx-hostname\": \"b.example\", "
    "\"failed-session-count\": 9999999999999999999}]}, {\"policy\": {\"policy-type\": \"tlsa\", \"policy-string\": "
    "[\"3 0 1 FF\"], \"policy-domain\": \"c.example\"}, \"summary\": {\"total-successful-session-count\": 1, "
    "\"total-failure-session-count\": 0}}]}";

/* The compact report that the give-up variants below change. */
static const char compact_base[] =
    "{\"organization-name\":\"Company-X\",\"date-range\":{\"start-datetime\":\"2016-04-01T00:00:00Z\","
    "\"end-datetime\":\"2016-04-01T23:59:59Z\"},\"contact-info\":\"sts-reporting@company-x.example\","
    "\"report-id\":\"5065427c\",\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":"
    "[\"version: STSv1\",\"mode: testing\"],\"policy-domain\":\"company-y.example\",\"mx-host\":"
    "\"*.mail.company-y.example\"},\"summary\":{\"total-successful-session-count\":5326,"
    "\"total-failure-session-count\":303},\"failure-details\":[{\"result-type\":\"certificate-expired\","
    "\"sending-mta-ip\":\"2001:db8:abcd:0012::1\",\"receiving-mx-hostname\":\"mx1.mail.company-y.example\","
    "\"failed-session-count\":300},{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"198.51.100.62\","
    "\"receiving-mx-hostname\":\"mx-backup.mail.company-y.example\",\"failed-session-count\":3,"
    "\"failure-reason-code\":\"X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED\"}]}]}";

/* One change of compact_base each; whether the fast path takes the result in lenient and in strict mode. */
static const struct variant {
    const char *name, *old, *new;
    int fast_lenient, fast_strict;
} variants[] = {
    {"unchanged", "", "", 1, 1},
    {"mx-host array", "\"mx-host\":\"*.mail.company-y.example\"", "\"mx-host\":[\"*.mail.company-y.example\"]", 1, 1},
    {"empty arrays", "[\"version: STSv1\",\"mode: testing\"]", "[]", 1, 1},
    {"19 digits", "5326", "9999999999999999999", 1, 1},
    {"zero", "5326", "0", 1, 1},
    {"date-time with offset and fraction", "2016-04-01T00:00:00Z", "2016-04-01T00:00:00.123+05:30", 1, 1},
    {"valid UTF-8, 2 bytes", "Company-X", "Company-\xc3\xa9", 1, 1},
    {"valid UTF-8, 3 bytes", "Company-X", "Company-\xe2\x82\xac", 1, 1},
    {"valid UTF-8, 4 bytes", "Company-X", "Company-\xf0\x9f\x98\x80", 1, 1},
    {"white space", ",\"policies\":", " \t\r\n,\r\n\t \"policies\" \n: \t", 1, 1},
    {"missing organization-name", "\"organization-name\":\"Company-X\",", "", 1, 0},
    {"missing date-range",
     "\"date-range\":{\"start-datetime\":\"2016-04-01T00:00:00Z\",\"end-datetime\":\"2016-04-01T23:59:59Z\"},", "", 1,
     0},
    {"missing contact-info", "\"contact-info\":\"sts-reporting@company-x.example\",", "", 1, 0},
    {"missing report-id", "\"report-id\":\"5065427c\",", "", 1, 0},
    {"missing start-datetime", "\"start-datetime\":\"2016-04-01T00:00:00Z\",", "", 1, 0},
    {"missing end-datetime", ",\"end-datetime\":\"2016-04-01T23:59:59Z\"", "", 1, 0},
    {"missing policy-domain", "\"policy-domain\":\"company-y.example\",", "", 1, 0},
    {"missing policy-string", "\"policy-string\":[\"version: STSv1\",\"mode: testing\"],", "", 1, 0},
    {"missing mx-host", ",\"mx-host\":\"*.mail.company-y.example\"", "", 1, 0},
    {"missing summary", "\"summary\":{\"total-successful-session-count\":5326,\"total-failure-session-count\":303},",
     "", 1, 0},
    {"missing total-successful-session-count", "\"total-successful-session-count\":5326,", "", 1, 0},
    {"missing total-failure-session-count", ",\"total-failure-session-count\":303", "", 1, 0},
    {"missing failed-session-count", ",\"failed-session-count\":300", "", 1, 0},
    {"missing sending-mta-ip", "\"sending-mta-ip\":\"2001:db8:abcd:0012::1\",", "", 1, 0},
    {"missing receiving-mx-hostname", ",\"receiving-mx-hostname\":\"mx1.mail.company-y.example\"", "", 1, 0},
    {"summary mismatch", "\"total-failure-session-count\":303", "\"total-failure-session-count\":302", 1, 0},
    {"missing result-type", "\"result-type\":\"certificate-expired\",", "", 0, 0},
    {"missing policy-type", "\"policy-type\":\"sts\",", "", 0, 0},
    {"missing policies", ",\"policies\":[", ",\"x\":[", 0, 0},
    {"escape \\/", "sts-reporting@company-x.example", "sts-reporting\\/company-x.example", 0, 0},
    {"escape \\u00e9", "Company-X", "Company-\\u00e9", 0, 0},
    {"escape \\n in a name", "\"report-id\"", "\"report\\nid\"", 0, 0},
    {"escaped NUL", "Company-X", "Company\\u0000X", 0, 0},
    {"invalid UTF-8", "Company-X", "Company-\xc3(", 0, 0},
    {"UTF-8 overlong", "Company-X", "Company-\xc0\xaf", 0, 0},
    {"UTF-8 surrogate", "Company-X", "Company-\xed\xa0\x80", 0, 0},
    {"UTF-8 above U+10FFFF", "Company-X", "Company-\xf4\x90\x80\x80", 0, 0},
    {"UTF-8 cut", "Company-X\"", "Company-\xe2\x82\"", 0, 0},
    {"control byte", "Company-X", "Company\x01X", 0, 0},
    {"raw tab in a string", "Company-X", "Company\tX", 0, 0},
    {"unknown member, top", "{\"organization-name\"", "{\"x-ext\":{\"a\":[1]},\"organization-name\"", 0, 0},
    {"unknown member, date-range", "\"start-datetime\"", "\"x\":1,\"start-datetime\"", 0, 0},
    {"unknown member, policy entry", "{\"policy\":", "{\"x\":null,\"policy\":", 0, 0},
    {"unknown member, policy", "\"policy-type\":\"sts\",", "\"policy-type\":\"sts\",\"x\":\"\",", 0, 0},
    {"unknown member, summary", ",\"total-failure-session-count\":303", ",\"total-failure-session-count\":303,\"x\":0",
     0, 0},
    {"unknown member, failure detail", ",\"failed-session-count\":300", ",\"failed-session-count\":300,\"x\":[]", 0, 0},
    {"duplicate member, top", "\"contact-info\":", "\"report-id\":\"dup\",\"contact-info\":", 0, 0},
    {"duplicate member, date-range", ",\"end-datetime\"",
     ",\"start-datetime\":\"2016-04-01T00:00:01Z\",\"end-datetime\"", 0, 0},
    {"duplicate member, policy", "\"policy-domain\":", "\"policy-type\":\"tlsa\",\"policy-domain\":", 0, 0},
    {"duplicate member, summary", ",\"total-failure-session-count\":303",
     ",\"total-failure-session-count\":303,\"total-failure-session-count\":303", 0, 0},
    {"duplicate member, failure detail", ",\"failed-session-count\":300",
     ",\"failed-session-count\":300,\"failed-session-count\":300", 0, 0},
    {"duplicate member, policy entry", "{\"policy\":", "{\"failure-details\":[],\"policy\":", 0, 0},
    {"null string", "\"sts-reporting@company-x.example\"", "null", 0, 0},
    {"null count", "5326", "null", 0, 0},
    {"null object", "{\"total-successful-session-count\":5326,\"total-failure-session-count\":303}", "null", 0, 0},
    {"null mx-host", "\"*.mail.company-y.example\"", "null", 0, 0},
    {"leading zero", "5326", "05326", 0, 0},
    {"negative", "5326", "-5326", 0, 0},
    {"minus zero", "5326", "-0", 0, 0},
    {"fraction", "5326", "5326.0", 0, 0},
    {"exponent", "5326", "5326e0", 0, 0},
    {"exponent E", "5326", "5E3", 0, 0},
    {"20 digits, 2^64-1", "5326", "18446744073709551615", 0, 0},
    {"20 digits, 2^64", "5326", "18446744073709551616", 0, 0},
    {"count as a string", "5326", "\"5326\"", 0, 0},
    {"count true", "5326", "true", 0, 0},
    {"date-time without zone", "2016-04-01T00:00:00Z", "2016-04-01T00:00:00", 0, 0},
    {"date-time invalid", "2016-04-01T00:00:00Z", "2016-04-31T00:00:00Z", 0, 0},
    {"date-time as a number", "\"2016-04-01T00:00:00Z\"", "1459468800", 0, 0},
    {"unknown policy type", "\"policy-type\":\"sts\"", "\"policy-type\":\"invalid-policy-type\"", 0, 0},
    {"policy type in capitals", "\"policy-type\":\"sts\"", "\"policy-type\":\"STS\"", 0, 0},
    {"unknown result type", "\"certificate-expired\"", "\"certificate-expired2\"", 0, 0},
    {"failure-error-code", "\"failure-reason-code\"", "\"failure-error-code\"", 0, 0},
    {"policy-string as a string", "[\"version: STSv1\",\"mode: testing\"]", "\"version: STSv1\"", 0, 0},
    {"policies as an object", "\"policies\":[", "\"policies\":{\"a\":[", 0, 0},
    {"trailing data", "]}]}", "]}]}x", 0, 0},
    {"trailing object", "]}]}", "]}]} {}", 0, 0},
    {"trailing comma", "\"failed-session-count\":3,", "\"failed-session-count\":3,,", 0, 0},
    {"form feed as white space", ",\"policies\"", ",\f\"policies\"", 0, 0},
    {"non-breaking space as white space", ",\"policies\"", ",\xc2\xa0\"policies\"", 0, 0},
    {"byte order mark", "{\"organization-name\"", "\xef\xbb\xbf{\"organization-name\"", 0, 0},
    {"not an object", "{\"organization-name\"", "[{\"organization-name\"", 0, 0},
    {"too deep", "{\"organization-name\"",
     "{\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
     "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],\"organization-name\"", 0, 0},
};

START_TEST(plain_and_give_up_variants)
{
    const struct variant *v = &variants[_i];
    char *text = subst(compact_base, v->old, v->new);
    char label[160];
    snprintf(label, sizeof label, "variant \"%s\"", v->name);
    int fast[2];
    both_modes(label, text, strlen(text), fast);
    ck_assert_msg(fast[0] == v->fast_lenient, "%s: lenient fast_path %d, expected %d", v->name, fast[0],
                  v->fast_lenient);
    ck_assert_msg(fast[1] == v->fast_strict, "%s: strict fast_path %d, expected %d", v->name, fast[1], v->fast_strict);
    free(text);
}
END_TEST

/* Inputs that are not reports at all, each in both modes: the fast path gives up on every one. */
START_TEST(not_reports)
{
    static const struct {
        const char *name;
        const char *text;
        size_t len;
    } inputs[] = {
        {"empty", "", 0},
        {"white space only", " \t\r\n", 4},
        {"NUL", "\0", 1},
        {"leading NUL", "\0{\"policies\":[]}", 16},
        {"trailing NUL", "{\"policies\":[]}\0", 16},
        {"NUL in a name", "{\"poli\0cies\":[]}", 16},
        {"gzip magic only", "\x1f\x8b", 2},
        {"number", "42", 2},
        {"array", "[]", 2},
        {"string", "\"{}\"", 4},
        {"empty object", "{}", 2},
        {"truncated", "{\"policies\":[", 13},
        {"truncated in a string", "{\"organization-name\":\"Org", 25},
        {"truncated after a name", "{\"policies\"", 11},
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        int fast[2];
        both_modes(inputs[i].name, inputs[i].text, inputs[i].len, fast);
        ck_assert_msg(!fast[0] && !fast[1], "%s: the fast path took it", inputs[i].name);
    }
    /* The smallest report the fast path takes: policies and nothing else (lenient: four missing members). */
    int fast[2];
    both_modes("policies only", TEXT("{\"policies\":[]}"), fast);
    ck_assert_int_eq(fast[0], 1);
    ck_assert_int_eq(fast[1], 0);
}
END_TEST

/* The RFC 8460 example: taken in both modes, and read right. */
START_TEST(rfc_example_values)
{
    run a, b;
    run_init(&a);
    run_init(&b);
    for (int strict = 0; strict < 2; strict++) {
        unsigned flags = strict ? TLSRPT_PARSE_STRICT : 0;
        ck_assert_int_eq(both_paths(&a, &b, "RFC 8460 example", TEXT(rfc_example), flags), 1);
        ck_assert_int_eq(a.rc, TLSRPT_OK);
        ck_assert_uint_eq(tlsrpt_diag_count(a.d), 0);
        const tlsrpt_report *r = a.r;
        ck_assert_str_eq(tlsrpt_report_organization_name(r), "Company-X");
        ck_assert_str_eq(tlsrpt_report_contact_info(r), "sts-reporting@company-x.example");
        ck_assert_str_eq(tlsrpt_report_id(r), "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
        ck_assert_int_eq(tlsrpt_report_start_time(r), 1459468800);
        ck_assert_int_eq(tlsrpt_report_end_time(r), 1459555199);
        ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);
        const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
        ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_STS);
        ck_assert_str_eq(tlsrpt_policy_domain(p), "company-y.example");
        ck_assert_uint_eq(tlsrpt_policy_string_count(p), 4);
        ck_assert_str_eq(tlsrpt_policy_string(p, 3), "max_age: 86400");
        ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 1);
        ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "*.mail.company-y.example");
        ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 5326);
        ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 303);
        ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 3);
        const tlsrpt_failure *f = tlsrpt_policy_failure(p, 1);
        ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED);
        ck_assert_str_eq(tlsrpt_failure_receiving_ip(f), "203.0.113.56");
        ck_assert_uint_eq(tlsrpt_failure_session_count(f), 200);
        ck_assert_ptr_null(tlsrpt_failure_receiving_ip(tlsrpt_policy_failure(p, 0)));
        f = tlsrpt_policy_failure(p, 2);
        ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_VALIDATION_FAILURE);
        ck_assert_str_eq(tlsrpt_failure_reason_code(f), "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
        ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "198.51.100.62");
    }
    run_done(&a);
    run_done(&b);
}
END_TEST

/* The sweep bases themselves: the fast path takes each (sweep_missing and sweep_mismatch lenient only), with the
 * expected values and findings. */
START_TEST(sweep_bases_values)
{
    run a, b;
    run_init(&a);
    run_init(&b);

    for (int strict = 0; strict < 2; strict++) {
        ck_assert_int_eq(both_paths(&a, &b, "sweep_pretty", TEXT(sweep_pretty), strict ? TLSRPT_PARSE_STRICT : 0), 1);
        ck_assert_uint_eq(tlsrpt_diag_count(a.d), 0);
        ck_assert_int_eq(tlsrpt_report_end_time(a.r), 1710115199);
        ck_assert_uint_eq(tlsrpt_report_policy_count(a.r), 2);
        const tlsrpt_policy *p = tlsrpt_report_policy(a.r, 0);
        ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 2);
        ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 120345);
        ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(tlsrpt_policy_failure(p, 0)), "mx1.receiver.example ESMTP");
        ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(tlsrpt_policy_failure(p, 1)), "2001:db8::25");
        p = tlsrpt_report_policy(a.r, 1);
        ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_TLSA);
        ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 0);
        ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 0);
    }

    ck_assert_int_eq(both_paths(&a, &b, "sweep_missing", TEXT(sweep_missing), 0), 1);
    ck_assert_int_eq(a.rc, TLSRPT_OK);
    size_t n = sizeof missing_findings / sizeof missing_findings[0];
    ck_assert_uint_eq(tlsrpt_diag_count(a.d), n);
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(tlsrpt_diag_id(a.d, i), "report-field-missing");
        ck_assert_int_eq(tlsrpt_diag_severity(a.d, i), TLSRPT_SEVERITY_WARNING);
        ck_assert_str_eq(tlsrpt_diag_path(a.d, i), missing_findings[i]);
        ck_assert_uint_lt(tlsrpt_diag_offset(a.d, i), sizeof sweep_missing - 1);
        ck_assert_int_eq(sweep_missing[tlsrpt_diag_offset(a.d, i)], '{');
    }
    ck_assert_uint_eq(tlsrpt_diag_offset(a.d, n - 1), 0);                                 /* the report */
    ck_assert_uint_eq(tlsrpt_diag_offset(a.d, 0), strstr(sweep_missing, "{\"start-") - sweep_missing); /* date-range */
    ck_assert_uint_eq(tlsrpt_report_policy_count(a.r), 4);
    ck_assert_ptr_null(tlsrpt_report_contact_info(a.r));
    ck_assert_uint_eq(tlsrpt_policy_failure_count(tlsrpt_report_policy(a.r, 1)), 2);
    ck_assert_int_eq(both_paths(&a, &b, "sweep_missing", TEXT(sweep_missing), TLSRPT_PARSE_STRICT), 0);
    ck_assert_int_eq(a.rc, TLSRPT_ESEMANTIC);

    ck_assert_int_eq(both_paths(&a, &b, "sweep_mismatch", TEXT(sweep_mismatch), 0), 1);
    ck_assert_uint_eq(tlsrpt_diag_count(a.d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(a.d, 0), "report-summary-mismatch");
    ck_assert_str_eq(tlsrpt_diag_path(a.d, 0), "/policies/0/summary/total-failure-session-count");
    ck_assert_ptr_nonnull(
        strstr(tlsrpt_diag_message(a.d, 0), "counts 10 failed sessions, but the failure details add up to 7"));
    ck_assert_str_eq(tlsrpt_diag_id(a.d, 1), "report-summary-mismatch");
    ck_assert_str_eq(tlsrpt_diag_path(a.d, 1), "/policies/1/summary/total-failure-session-count");
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(a.d, 1), "more than 2^64-1"));
    ck_assert_int_eq(tlsrpt_report_start_time(a.r), 1719712800);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(tlsrpt_report_policy(a.r, 1), 1)),
                      9999999999999999999u);
    ck_assert_int_eq(both_paths(&a, &b, "sweep_mismatch", TEXT(sweep_mismatch), TLSRPT_PARSE_STRICT), 0);
    ck_assert_int_eq(a.rc, TLSRPT_ESEMANTIC);

    run_done(&a);
    run_done(&b);
}
END_TEST

/* ---- Files and generated reports --------------------------------------------------------------------------------- */

START_TEST(tests_data_reports)
{
    /* Whether the fast path takes each (lenient, strict). */
    static const struct {
        const char *file;
        int fast_lenient, fast_strict;
    } files[] = {
        {"report-full.json", 0, 0},         /* a count of 20 digits (2^64-1) */
        {"report-built.json", 0, 0},        /* escapes */
        {"report-built.pretty.json", 0, 0}, /* escapes */
        {"report-deviating.json", 0, 0},    /* null, a date-time without zone... */
    };
    int fast[2];
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        size_t len;
        char *data = src_file(files[i].file, &len);
        both_modes(files[i].file, data, len, fast);
        ck_assert_msg(fast[0] == files[i].fast_lenient && fast[1] == files[i].fast_strict,
                      "%s: fast_path %d (lenient) and %d (strict)", files[i].file, fast[0], fast[1]);
        free(data);
    }
    /* report-full.json with its 20-digit count cut to 19 digits is plain. */
    size_t len;
    char *data = src_file("report-full.json", &len);
    char *at = strstr(data, "18446744073709551615");
    ck_assert_ptr_nonnull(at);
    memmove(at, at + 1, len - (size_t)(at + 1 - data));
    both_modes("report-full.json, 19 digits", data, len - 1, fast);
    ck_assert_msg(fast[0] && fast[1], "the fast path does not take report-full.json with 19 digits");
    free(data);
    /* The two halves of report-multi.gz, as one text. */
    size_t la, lb;
    char *a = src_file("report-split-a.txt", &la), *b = src_file("report-split-b.txt", &lb);
    a = realloc(a, la + lb);
    ck_assert_ptr_nonnull(a);
    memcpy(a + la, b, lb);
    both_modes("report-split-a.txt + report-split-b.txt", a, la + lb, fast);
    ck_assert_msg(fast[0] && fast[1], "the fast path does not take the split report");
    free(a);
    free(b);
    /* gzip, made at build time: decompressed before either path reads it. */
    static const struct {
        const char *file;
        int fast_lenient, fast_strict;
    } gz[] = {
        {"report-full.json.gz", 0, 0},
        {"report-multi.gz", 1, 1},
        {"report-at-limit.json.gz", 1, 0}, /* {"policies":[] and 20 MiB of spaces: four members missing */
        {"report-over-limit.json.gz", 0, 0},
    };
    for (size_t i = 0; i < sizeof gz / sizeof gz[0]; i++) {
        if (under_valgrind() && strstr(gz[i].file, "limit"))
            continue; /* 20 MiB each: a minute under valgrind */
        data = build_file(gz[i].file, &len);
        both_modes(gz[i].file, data, len, fast);
        ck_assert_msg(fast[0] == gz[i].fast_lenient && fast[1] == gz[i].fast_strict,
                      "%s: fast_path %d (lenient) and %d (strict)", gz[i].file, fast[0], fast[1]);
        free(data);
    }
}
END_TEST

START_TEST(real_world_json_reports)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    DIR *dh = opendir(dir);
    ck_assert_msg(dh != NULL, "cannot open %s", dir);
    size_t seen = 0, taken = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_whole(path, &len);
        int fast[2];
        both_modes(e->d_name, data, len, fast);
        taken += (size_t)fast[0];
        seen++;
        free(data);
    }
    closedir(dh);
    ck_assert_uint_ge(seen, 1);
    ck_assert_uint_ge(taken, 1); /* a real report or two is plain */
}
END_TEST

START_TEST(generated_reports)
{
    unsigned sizes[] = {1, 20, 2000};
    if (under_valgrind())
        sizes[2] = 200;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        char *json = gen_report(sizes[i], sizes[i]);
        char label[64];
        int fast[2];
        snprintf(label, sizeof label, "generated, %u policies", sizes[i]);
        both_modes(label, json, strlen(json), fast);
        ck_assert_msg(fast[0] && fast[1], "%s: the fast path did not take it", label);

        run a, b;
        run_init(&a);
        run_init(&b);
        ck_assert_int_eq(both_paths(&a, &b, label, json, strlen(json), TLSRPT_PARSE_STRICT), 1);
        ck_assert_uint_eq(tlsrpt_report_policy_count(a.r), sizes[i]);
        char id[64];
        snprintf(id, sizeof id, "2024-03-01T00:00:00Z_bench-%u", sizes[i]);
        ck_assert_str_eq(tlsrpt_report_id(a.r), id);
        const tlsrpt_policy *last = tlsrpt_report_policy(a.r, sizes[i] - 1);
        ck_assert_uint_eq(tlsrpt_policy_failure_count(last), (sizes[i] - 1) % 4 + 1);
        ck_assert_int_eq(tlsrpt_policy_type(last), (sizes[i] - 1) % 5 == 4 ? TLSRPT_POLICY_TLSA : TLSRPT_POLICY_STS);
        run_done(&a);
        run_done(&b);

        if (sizes[i] <= 20) {
            static const char *const styles[][2] = {{"  ", "\n"}, {"\t", "\r\n"}};
            for (size_t s = 0; s < 2; s++) {
                char *pretty = reindent(json, styles[s][0], styles[s][1]);
                snprintf(label, sizeof label, "generated, %u policies, re-indented (%zu)", sizes[i], s);
                both_modes(label, pretty, strlen(pretty), fast);
                ck_assert_msg(fast[0] && fast[1], "%s: the fast path did not take it", label);
                free(pretty);
            }
        }
        free(json);
    }
}
END_TEST

/* ---- The mutation sweep ---------------------------------------------------------------------------------------- */

static const char sweep_bytes[] = {'"', '\\', '\x01', (char)0x80, (char)0xc3, '0', '-', '.', 'e',
                                   ' ', ',',  '}',    ']',        '{',        '[', ':', 'n'};
enum { SWEEP_REPLACE = (int)sizeof sweep_bytes, SWEEP_DELETE = SWEEP_REPLACE, SWEEP_DOUBLE, SWEEP_CUT, SWEEP_KINDS };

static unsigned sweep_stride(void)
{
    return under_valgrind() ? 8u : 1u;
}

static const char *mutation_name(int m)
{
    static char name[16];
    if (m == SWEEP_DELETE)
        return "delete";
    if (m == SWEEP_DOUBLE)
        return "double";
    if (m == SWEEP_CUT)
        return "cut";
    snprintf(name, sizeof name, "replace by 0x%02x", (unsigned char)sweep_bytes[m]);
    return name;
}

static void sweep(const char *name, const char *base, size_t len)
{
    unsigned stride = sweep_stride();
    char *buf = malloc(len + 1);
    ck_assert_ptr_nonnull(buf);
    run a, b;
    run_init(&a);
    run_init(&b);
    size_t inputs = 0, taken = 0;
    for (size_t pos = 0; pos < len; pos++) {
        for (int m = 0; m < SWEEP_KINDS; m++) {
            if ((pos + (size_t)m) % stride != 0)
                continue;
            size_t n;
            if (m < SWEEP_REPLACE) {
                if (base[pos] == sweep_bytes[m])
                    continue;
                memcpy(buf, base, len);
                buf[pos] = sweep_bytes[m];
                n = len;
            } else if (m == SWEEP_DELETE) {
                memcpy(buf, base, pos);
                memcpy(buf + pos, base + pos + 1, len - pos - 1);
                n = len - 1;
            } else if (m == SWEEP_DOUBLE) {
                memcpy(buf, base, pos + 1);
                memcpy(buf + pos + 1, base + pos, len - pos);
                n = len + 1;
            } else {
                memcpy(buf, base, pos);
                n = pos;
            }
            /* An exact-size copy, so that a read past the end shows under ASan and valgrind. */
            char *exact = malloc(n ? n : 1);
            ck_assert_ptr_nonnull(exact);
            memcpy(exact, buf, n);
            for (int strict = 0; strict < 2; strict++) {
                unsigned flags = strict ? TLSRPT_PARSE_STRICT : 0;
                run_parse(&a, exact, n, flags);
                run_parse(&b, exact, n, flags | TRPT_PARSE_GENERAL);
                const char *why = difference(&a, &b);
                if (why)
                    ck_abort_msg("sweep %s, byte %zu, %s, %s: %s; input around it: \"%s\"", name, pos,
                                 mutation_name(m), strict ? "strict" : "lenient", why,
                                 excerpt(exact, n, pos > 40 ? pos - 40 : 0, 80));
                if (a.st.fast_path && !(a.st.memory_peak <= a.st.memory_limit))
                    ck_abort_msg("sweep %s, byte %zu, %s: fast path memory %zu over %zu", name, pos, mutation_name(m),
                                 a.st.memory_peak, a.st.memory_limit);
                inputs++;
                taken += (size_t)a.st.fast_path;
            }
            free(exact);
        }
    }
    run_done(&a);
    run_done(&b);
    free(buf);
    /* Not vacuous: both paths ran on many inputs, and the fast path took some of them (a space for a space, a
     * digit for a digit, a cut inside trailing white space...) and left most. */
    ck_assert_uint_ge(inputs, len * 2 * SWEEP_KINDS / stride / 2);
    ck_assert_msg(taken > 0 && taken < inputs, "sweep %s: the fast path took %zu of %zu inputs", name, taken, inputs);
}

/* A gzip report is read in place (report_fast.h): the fast path ends its strings with NULs in the decompressed text,
 * and when it gives up it puts the quotes back before the general path reads that text. Every mutation that makes it
 * give up (at every byte, so at every point of the text) must leave the general path's result exactly that of the
 * JSON text read by the general path alone. */
START_TEST(sweep_gzip_in_place)
{
    static const char bytes[] = {'\\', 'n', '}', '\x01', '"'};
    const char *base = sweep_pretty;
    size_t len = strlen(base);
    unsigned stride = sweep_stride();
    char *buf = malloc(len);
    ck_assert_ptr_nonnull(buf);
    run a, b;
    run_init(&a);
    run_init(&b);
    size_t given_up = 0, taken = 0;
    for (size_t pos = 0; pos < len; pos++) {
        for (size_t m = 0; m < sizeof bytes; m++) {
            if ((pos + m) % stride != 0 || base[pos] == bytes[m])
                continue;
            memcpy(buf, base, len);
            buf[pos] = bytes[m];
            unsigned char *gz;
            size_t gz_len;
            ck_assert_int_eq(trpt_gzip_compress(buf, len, &gz, &gz_len), TLSRPT_OK);
            for (int strict = 0; strict < 2; strict++) {
                unsigned flags = strict ? TLSRPT_PARSE_STRICT : 0;
                run_parse(&a, (const char *)gz, gz_len, flags);
                run_parse(&b, buf, len, flags | TRPT_PARSE_GENERAL);
                const char *why = difference(&a, &b);
                if (why)
                    ck_abort_msg("gzip sweep, byte %zu set to 0x%02x, %s: %s", pos, (unsigned char)bytes[m],
                                 strict ? "strict" : "lenient", why);
                given_up += !a.st.fast_path;
                taken += (size_t)a.st.fast_path;
            }
            free(gz);
        }
    }
    run_done(&a);
    run_done(&b);
    free(buf);
    ck_assert_msg(given_up > len / stride && taken > 0, "gzip sweep: %zu given up, %zu taken", given_up, taken);
}
END_TEST

START_TEST(sweep_pretty_report)
{
    sweep("sweep_pretty", sweep_pretty, sizeof sweep_pretty - 1);
}
END_TEST

START_TEST(sweep_missing_members)
{
    sweep("sweep_missing", sweep_missing, sizeof sweep_missing - 1);
}
END_TEST

START_TEST(sweep_summary_mismatch)
{
    sweep("sweep_mismatch", sweep_mismatch, sizeof sweep_mismatch - 1);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_paths");
    TCase *tc = tcase_create("plain");
    tcase_add_test(tc, rfc_example_values);
    tcase_add_test(tc, sweep_bases_values);
    tcase_add_loop_test(tc, plain_and_give_up_variants, 0, (int)(sizeof variants / sizeof variants[0]));
    tcase_add_test(tc, not_reports);
    suite_add_tcase(s, tc);

    tc = tcase_create("files");
    tcase_add_test(tc, tests_data_reports);
    tcase_add_test(tc, generated_reports);
    if (getenv("TLSRPT_REAL_WORLD"))
        tcase_add_test(tc, real_world_json_reports);
    suite_add_tcase(s, tc);

    tc = tcase_create("sweep");
    tcase_add_test(tc, sweep_pretty_report);
    tcase_add_test(tc, sweep_gzip_in_place);
    tcase_add_test(tc, sweep_missing_members);
    tcase_add_test(tc, sweep_summary_mismatch);
    suite_add_tcase(s, tc);
    return s;
}
