/* The same job as report_bench.c with libdeflate + simdjson (issue 15, "Single-report reading"): gunzip with
 * libdeflate, parse with simdjson's DOM parser, copy every field into report / policy / failure structs of the same
 * shape as libtlsrpt's (strings NUL-terminated in a per-report arena of the same block sizes, the two date-times
 * converted to Unix seconds, counts as exact uint64, policy and result types mapped to their codes), then read them
 * the way report_bench.c reads libtlsrpt's getters, folded into the same checksum. Output and options as
 * report_bench (without --heap); --iterations N for instruction counts (callgrind --toggle-collect=once).
 *
 * What it checks (less than libtlsrpt, see bench/README.md): JSON grammar and UTF-8 (simdjson validates both),
 * the member types, counts that are exact uint64 (get_uint64), date-times of the exact form YYYY-MM-DDThh:mm:ssZ
 * (digits and separators only: no range checks, no offsets, no fractions). Not checked: duplicate names, NUL bytes
 * in strings, missing members, count limits, memory budget; no diagnostics, offsets or paths.
 *
 * Like any program that reads many reports, it keeps one simdjson parser and one libdeflate decompressor for the
 * whole run (simdjson's documented use: the parser's buffers are reused); libtlsrpt allocates its reader and
 * decompressor per report. Benchmark-only: simdjson is never a dependency of the library.
 * SPDX-License-Identifier: MIT */
#include <libdeflate.h>
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern "C" {
#include "bench_common.h"
}

#define BATCHES 5

/* ---- The objects: the shape of libtlsrpt's report (lib/report_internal.h), arena included ---------------------- */

namespace {

struct alignas(std::max_align_t) arena_block {
    arena_block *prev;
    size_t size;
    unsigned char *data() { return reinterpret_cast<unsigned char *>(this + 1); } /* the bytes after the header */
};

/* lib/arena.c's policy: blocks from 1 KiB doubling to 4 KiB while the arena holds less than 32 KiB, to 16 KiB
 * after; bump allocation, freed together. */
struct arena {
    arena_block *head = nullptr;
    size_t used = 0, total = 0;

    void *take(size_t size, size_t align)
    {
        if (head) {
            size_t at = (used + (align - 1)) & ~(align - 1);
            if (at <= head->size && head->size - at >= size) {
                used = at + size;
                return head->data() + at;
            }
        }
        size_t max = total < 32768 ? 4096 : 16384;
        size_t bsize = total < 1024 ? 1024 : total > max ? max : total;
        if (bsize < size)
            bsize = size;
        arena_block *b = static_cast<arena_block *>(malloc(sizeof(arena_block) + bsize));
        if (!b)
            abort();
        b->prev = head;
        b->size = bsize;
        head = b;
        used = size;
        total += bsize;
        return b->data();
    }
    template <typename T> T *array(size_t n)
    {
        return static_cast<T *>(take(n ? n * sizeof(T) : 1, alignof(std::max_align_t)));
    }
    char *strdup(std::string_view s)
    {
        char *c = static_cast<char *>(take(s.size() + 1, 1));
        memcpy(c, s.data(), s.size());
        c[s.size()] = '\0';
        return c;
    }
    ~arena()
    {
        while (head) {
            arena_block *b = head;
            head = b->prev;
            free(b);
        }
    }
};

struct failure {
    const char *result_type = nullptr;
    int result_code = 0;
    const char *sending_mta_ip = nullptr, *receiving_mx_hostname = nullptr, *receiving_mx_helo = nullptr,
               *receiving_ip = nullptr, *additional_information = nullptr, *reason_code = nullptr;
    uint64_t session_count = 0;
};

struct policy {
    int type = 0;
    const char *type_name = nullptr, *domain = nullptr;
    char **strings = nullptr;
    size_t n_strings = 0;
    char **mx_hosts = nullptr;
    size_t n_mx_hosts = 0;
    uint64_t successful_sessions = 0, failed_sessions = 0;
    failure *failures = nullptr;
    size_t n_failures = 0;
};

struct report {
    arena a;
    const char *organization_name = nullptr, *contact_info = nullptr, *report_id = nullptr;
    int64_t start_time = 0, end_time = 0;
    policy *policies = nullptr;
    size_t n_policies = 0;
};

/* TLSRPT_POLICY_* and TLSRPT_RESULT_* codes (1-based as in libtlsrpt; 0: other). */
const char *const POLICY_TYPES[] = {"sts", "tlsa", "no-policy-found"};
const char *const RESULT_TYPES[] = {
    "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
    "sts-policy-invalid", "sts-webpki-invalid",
};

int code_of(std::string_view s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s == names[i])
            return (int)i + 1;
    return 0;
}

[[noreturn]] void bad(const char *what)
{
    fprintf(stderr, "simdjson_bench: %s\n", what);
    exit(1);
}

/* "YYYY-MM-DDThh:mm:ssZ" as Unix seconds (days from civil); the exact form only. */
int64_t unix_time(std::string_view s)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
    if (s.size() != sizeof shape - 1)
        bad("date-time");
    for (size_t i = 0; i < s.size(); i++)
        if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
            bad("date-time");
    auto num = [&](size_t at, size_t n) {
        int v = 0;
        for (size_t i = 0; i < n; i++)
            v = v * 10 + (s[at + i] - '0');
        return v;
    };
    int y = num(0, 4), m = num(5, 2), d = num(8, 2), hh = num(11, 2), mm = num(14, 2), ss = num(17, 2);
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + hh * 3600 + mm * 60 + ss;
}

std::string_view str(simdjson::dom::element e)
{
    std::string_view s;
    if (e.get_string().get(s))
        bad("expected a string");
    return s;
}

uint64_t count(simdjson::dom::element e)
{
    uint64_t v;
    if (e.get_uint64().get(v))
        bad("expected a uint64");
    return v;
}

char **string_list(arena &a, simdjson::dom::element e, size_t *n)
{
    if (e.is_string()) {
        char **list = a.array<char *>(1);
        list[0] = a.strdup(str(e));
        *n = 1;
        return list;
    }
    simdjson::dom::array arr;
    if (e.get_array().get(arr))
        bad("expected an array");
    char **list = a.array<char *>(arr.size());
    size_t i = 0;
    for (simdjson::dom::element s : arr)
        list[i++] = a.strdup(str(s));
    *n = i;
    return list;
}

void read_failure(arena &a, simdjson::dom::object o, failure *f)
{
    for (auto field : o) {
        std::string_view k = field.key;
        if (k == "result-type") {
            std::string_view s = str(field.value);
            f->result_type = a.strdup(s);
            f->result_code = code_of(s, RESULT_TYPES, sizeof RESULT_TYPES / sizeof RESULT_TYPES[0]);
        } else if (k == "failed-session-count") {
            f->session_count = count(field.value);
        } else if (k == "sending-mta-ip") {
            f->sending_mta_ip = a.strdup(str(field.value));
        } else if (k == "receiving-mx-hostname") {
            f->receiving_mx_hostname = a.strdup(str(field.value));
        } else if (k == "receiving-mx-helo") {
            f->receiving_mx_helo = a.strdup(str(field.value));
        } else if (k == "receiving-ip") {
            f->receiving_ip = a.strdup(str(field.value));
        } else if (k == "additional-information") {
            f->additional_information = a.strdup(str(field.value));
        } else if (k == "failure-reason-code") {
            f->reason_code = a.strdup(str(field.value));
        }
    }
}

void read_policy_entry(arena &a, simdjson::dom::object o, policy *p)
{
    for (auto field : o) {
        std::string_view k = field.key;
        simdjson::dom::object inner;
        if (k == "policy") {
            if (field.value.get_object().get(inner))
                bad("policy");
            for (auto pf : inner) {
                std::string_view pk = pf.key;
                if (pk == "policy-type") {
                    std::string_view s = str(pf.value);
                    p->type_name = a.strdup(s);
                    p->type = code_of(s, POLICY_TYPES, 3);
                } else if (pk == "policy-domain") {
                    p->domain = a.strdup(str(pf.value));
                } else if (pk == "policy-string") {
                    p->strings = string_list(a, pf.value, &p->n_strings);
                } else if (pk == "mx-host") {
                    p->mx_hosts = string_list(a, pf.value, &p->n_mx_hosts);
                }
            }
        } else if (k == "summary") {
            if (field.value.get_object().get(inner))
                bad("summary");
            for (auto sf : inner) {
                if (sf.key == "total-successful-session-count")
                    p->successful_sessions = count(sf.value);
                else if (sf.key == "total-failure-session-count")
                    p->failed_sessions = count(sf.value);
            }
        } else if (k == "failure-details") {
            simdjson::dom::array arr;
            if (field.value.get_array().get(arr))
                bad("failure-details");
            p->failures = a.array<failure>(arr.size());
            size_t i = 0;
            for (simdjson::dom::element e : arr) {
                simdjson::dom::object fo;
                if (e.get_object().get(fo))
                    bad("failure detail");
                new (&p->failures[i]) failure();
                read_failure(a, fo, &p->failures[i++]);
            }
            p->n_failures = i;
        }
    }
}

void read_report(simdjson::dom::element doc, report *r)
{
    simdjson::dom::object o;
    if (doc.get_object().get(o))
        bad("not an object");
    arena &a = r->a;
    for (auto field : o) {
        std::string_view k = field.key;
        if (k == "organization-name") {
            r->organization_name = a.strdup(str(field.value));
        } else if (k == "contact-info") {
            r->contact_info = a.strdup(str(field.value));
        } else if (k == "report-id") {
            r->report_id = a.strdup(str(field.value));
        } else if (k == "date-range") {
            simdjson::dom::object range;
            if (field.value.get_object().get(range))
                bad("date-range");
            for (auto df : range) {
                if (df.key == "start-datetime")
                    r->start_time = unix_time(str(df.value));
                else if (df.key == "end-datetime")
                    r->end_time = unix_time(str(df.value));
            }
        } else if (k == "policies") {
            simdjson::dom::array arr;
            if (field.value.get_array().get(arr))
                bad("policies");
            r->policies = a.array<policy>(arr.size());
            size_t i = 0;
            for (simdjson::dom::element e : arr) {
                simdjson::dom::object po;
                if (e.get_object().get(po))
                    bad("policy entry");
                new (&r->policies[i]) policy();
                read_policy_entry(a, po, &r->policies[i++]);
            }
            r->n_policies = i;
        }
    }
}

/* ---- The walk: report_bench.c's, over these structs ------------------------------------------------------------- */

uint64_t len(const char *s)
{
    return s ? strlen(s) : 0;
}

uint64_t walk(const report *r)
{
    uint64_t c = len(r->organization_name) + len(r->contact_info) + len(r->report_id) + (uint64_t)r->start_time +
                 (uint64_t)r->end_time;
    c += r->n_policies;
    for (size_t i = 0; i < r->n_policies; i++) {
        const policy *p = &r->policies[i];
        c += (uint64_t)p->type + len(p->type_name) + len(p->domain);
        for (size_t k = 0; k < p->n_strings; k++)
            c += len(p->strings[k]);
        for (size_t k = 0; k < p->n_mx_hosts; k++)
            c += len(p->mx_hosts[k]);
        c += p->successful_sessions + p->failed_sessions;
        c += p->n_failures;
        for (size_t k = 0; k < p->n_failures; k++) {
            const failure *f = &p->failures[k];
            c += (uint64_t)f->result_code + len(f->result_type) + len(f->sending_mta_ip) +
                 len(f->receiving_mx_hostname) + len(f->receiving_mx_helo) + len(f->receiving_ip) +
                 len(f->additional_information) + len(f->reason_code) + f->session_count;
        }
    }
    return c;
}

/* ---- Driver ------------------------------------------------------------------------------------------------------ */

struct reader {
    simdjson::dom::parser parser;
    libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    ~reader() { libdeflate_free_decompressor(dec); }
};

size_t json_size(const unsigned char *data, size_t n)
{
    if (n >= 18 && data[0] == 0x1f && data[1] == 0x8b)
        return (size_t)data[n - 4] | (size_t)data[n - 3] << 8 | (size_t)data[n - 2] << 16 | (size_t)data[n - 1] << 24;
    return n;
}

/* One read + walk of a file's bytes. data has SIMDJSON_PADDING readable bytes after n (plain JSON is parsed in
 * place). gzip: decompressed (ISIZE bytes) into a fresh padded buffer, freed with the report. */
__attribute__((noinline)) uint64_t once(reader &rd, const unsigned char *data, size_t n)
{
    const unsigned char *text = data;
    size_t text_len = n;
    unsigned char *buf = nullptr;
    if (n >= 18 && data[0] == 0x1f && data[1] == 0x8b) {
        size_t isize = json_size(data, n);
        buf = static_cast<unsigned char *>(malloc(isize + simdjson::SIMDJSON_PADDING));
        if (!buf || libdeflate_gzip_decompress(rd.dec, data, n, buf, isize, &text_len) != LIBDEFLATE_SUCCESS)
            bad("gunzip");
        text = buf;
    }
    simdjson::dom::element doc;
    if (rd.parser.parse(text, text_len, false).get(doc))
        bad("simdjson parse");
    report r;
    read_report(doc, &r);
    uint64_t c = walk(&r);
    free(buf);
    return c;
}

unsigned char *read_padded(const char *name, size_t *n)
{
    unsigned char *data = read_file(name, n);
    if (!data)
        return nullptr;
    unsigned char *padded = static_cast<unsigned char *>(calloc(1, *n + simdjson::SIMDJSON_PADDING));
    if (padded)
        memcpy(padded, data, *n);
    free(data);
    return padded;
}

} // namespace

int main(int argc, char **argv)
{
    double seconds = 1.0;
    int i = 1;
    reader rd;
    fprintf(stderr, "simdjson %d.%d.%d, %s kernel\n", (int)simdjson::SIMDJSON_VERSION_MAJOR,
            (int)simdjson::SIMDJSON_VERSION_MINOR, (int)simdjson::SIMDJSON_VERSION_REVISION,
            simdjson::get_active_implementation()->name().c_str());
    if (argc > 3 && strcmp(argv[1], "--iterations") == 0) {
        long n_iter = atol(argv[2]);
        for (i = 3; i < argc; i++) {
            size_t n;
            unsigned char *data = read_padded(argv[i], &n);
            if (!data) {
                perror(argv[i]);
                return 1;
            }
            uint64_t c = 0;
            for (long k = 0; k < n_iter; k++)
                c += once(rd, data, n);
            printf("simdjson\t%s\t%zu\titerations\t%ld\t%llu\n", argv[i], json_size(data, n), n_iter,
                   (unsigned long long)c);
            free(data);
        }
        return 0;
    }
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
        seconds = atof(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fputs("usage: simdjson_bench [--seconds S] FILE... | simdjson_bench --iterations N FILE...\n", stderr);
        return 2;
    }
    for (; i < argc; i++) {
        size_t n;
        unsigned char *data = read_padded(argv[i], &n);
        if (!data) {
            perror(argv[i]);
            return 1;
        }
        uint64_t sum = once(rd, data, n);
        long iters = 1;
        for (;;) {
            double t0 = now();
            for (long k = 0; k < iters; k++)
                once(rd, data, n);
            if (now() - t0 >= seconds / BATCHES / 4 || iters > (1L << 40))
                break;
            iters *= 2;
        }
        iters *= 4;
        double best = 1e30;
        for (int b = 0; b < BATCHES; b++) {
            double t0 = now();
            uint64_t c = 0;
            for (long k = 0; k < iters; k++)
                c += once(rd, data, n);
            double t = (now() - t0) / (double)iters;
            if (c != sum * (uint64_t)iters)
                bad("checksum changed");
            if (t < best)
                best = t;
        }
        printf("simdjson\t%s\t%zu\t%.3f\t%llu\n", argv[i], json_size(data, n), best * 1e6, (unsigned long long)sum);
        free(data);
    }
    return 0;
}
