/* The same job as report_bench.c with jansson + zlib: inflate the gzip file with zlib, json_loadb() the text, then
 * read every field the way report_bench.c reads it through libtlsrpt's getters (string lengths, counts, the two
 * date-times converted to Unix seconds, policy and result types mapped to their codes), folded into the same
 * checksum. Output and options as report_bench (without --heap). Not a test.
 * SPDX-License-Identifier: MIT */
#include <jansson.h>
#include <zlib.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_common.h"

#define BATCHES 5

static const char *const RESULT_TYPES[] = {
    "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
    "sts-policy-invalid", "sts-webpki-invalid",
};

static uint64_t code_of(const char *s, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i + 1;
    return 0;
}

static uint64_t len(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_length(v) : 0;
}

static uint64_t count(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

/* "YYYY-MM-DDThh:mm:ssZ" as Unix seconds (days from civil, proleptic Gregorian); 0 when it does not read. */
static int64_t unix_time(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    int y, m, d, hh, mm, ss;
    if (!json_is_string(v) || sscanf(json_string_value(v), "%4d-%2d-%2dT%2d:%2d:%2d", &y, &m, &d, &hh, &mm, &ss) != 6)
        return 0;
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400 + hh * 3600 + mm * 60 + ss;
}

static uint64_t walk(json_t *r)
{
    static const char *const POLICY_TYPES[] = {"sts", "tlsa", "no-policy-found"};
    json_t *range = json_object_get(r, "date-range");
    uint64_t c = len(r, "organization-name") + len(r, "contact-info") + len(r, "report-id") +
                 (uint64_t)unix_time(range, "start-datetime") + (uint64_t)unix_time(range, "end-datetime");
    json_t *policies = json_object_get(r, "policies");
    size_t np = json_array_size(policies);
    c += np;
    for (size_t i = 0; i < np; i++) {
        json_t *entry = json_array_get(policies, i), *p = json_object_get(entry, "policy");
        json_t *type = json_object_get(p, "policy-type");
        c += code_of(json_string_value(type), POLICY_TYPES, 3) + json_string_length(type) + len(p, "policy-domain");
        json_t *strings = json_object_get(p, "policy-string"), *mx = json_object_get(p, "mx-host");
        for (size_t k = 0; k < json_array_size(strings); k++)
            c += json_string_length(json_array_get(strings, k));
        if (json_is_string(mx))
            c += json_string_length(mx);
        for (size_t k = 0; k < json_array_size(mx); k++)
            c += json_string_length(json_array_get(mx, k));
        json_t *summary = json_object_get(entry, "summary");
        c += count(summary, "total-successful-session-count") + count(summary, "total-failure-session-count");
        json_t *details = json_object_get(entry, "failure-details");
        size_t nf = json_array_size(details);
        c += nf;
        for (size_t k = 0; k < nf; k++) {
            json_t *f = json_array_get(details, k), *rt = json_object_get(f, "result-type");
            c += code_of(json_string_value(rt), RESULT_TYPES, sizeof RESULT_TYPES / sizeof RESULT_TYPES[0]) +
                 json_string_length(rt) + len(f, "sending-mta-ip") + len(f, "receiving-mx-hostname") +
                 len(f, "receiving-mx-helo") + len(f, "receiving-ip") + len(f, "additional-information") +
                 len(f, "failure-reason-code") + count(f, "failed-session-count");
        }
    }
    return c;
}

/* Inflates a gzip file (zlib, windowBits 16 + 15: gzip wrapper) into a buffer that doubles as needed. */
static char *gunzip(const unsigned char *in, size_t n, size_t *out_len)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
        return NULL;
    size_t cap = n * 4 + 1024, used = 0;
    char *out = malloc(cap);
    z.next_in = (unsigned char *)in;
    z.avail_in = (uInt)n;
    int rc = Z_OK;
    while (out && rc != Z_STREAM_END) {
        if (used == cap) {
            char *grown = realloc(out, cap * 2);
            if (grown == NULL)
                free(out);
            out = grown;
            cap *= 2;
            if (out == NULL)
                break;
        }
        z.next_out = (unsigned char *)out + used;
        z.avail_out = (uInt)(cap - used);
        rc = inflate(&z, Z_NO_FLUSH);
        used = cap - z.avail_out;
        if (rc != Z_OK && rc != Z_STREAM_END) {
            free(out);
            out = NULL;
        }
    }
    inflateEnd(&z);
    *out_len = used;
    return out;
}

static uint64_t once(const unsigned char *data, size_t n, const char *name)
{
    size_t text_len = n;
    char *text = NULL;
    if (n >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        text = gunzip(data, n, &text_len);
        if (text == NULL) {
            fprintf(stderr, "%s: inflate failed\n", name);
            exit(1);
        }
    }
    json_error_t err;
    json_t *r = json_loadb(text ? text : (const char *)data, text_len, 0, &err);
    if (r == NULL) {
        fprintf(stderr, "%s: %s\n", name, err.text);
        exit(1);
    }
    uint64_t c = walk(r);
    json_decref(r);
    free(text);
    return c;
}

static size_t json_size(const unsigned char *data, size_t n)
{
    if (n >= 18 && data[0] == 0x1f && data[1] == 0x8b)
        return (size_t)data[n - 4] | (size_t)data[n - 3] << 8 | (size_t)data[n - 2] << 16 | (size_t)data[n - 1] << 24;
    return n;
}

int main(int argc, char **argv)
{
    double seconds = 1.0;
    int i = 1;
    if (argc > 2 && strcmp(argv[1], "--seconds") == 0) {
        seconds = atof(argv[2]);
        i = 3;
    }
    if (i >= argc) {
        fputs("usage: jansson_bench [--seconds S] FILE...\n", stderr);
        return 2;
    }
    for (; i < argc; i++) {
        size_t n;
        unsigned char *data = read_file(argv[i], &n);
        if (data == NULL) {
            perror(argv[i]);
            return 1;
        }
        uint64_t sum = once(data, n, argv[i]);
        long iters = 1;
        for (;;) {
            double t0 = now();
            for (long k = 0; k < iters; k++)
                once(data, n, argv[i]);
            if (now() - t0 >= seconds / BATCHES / 4 || iters > (1L << 40))
                break;
            iters *= 2;
        }
        iters *= 4;
        double best = 1e30;
        for (int b = 0; b < BATCHES; b++) {
            double t0 = now();
            for (long k = 0; k < iters; k++)
                once(data, n, argv[i]);
            double t = (now() - t0) / (double)iters;
            if (t < best)
                best = t;
        }
        printf("jansson+zlib\t%s\t%zu\t%.3f\t%llu\n", argv[i], json_size(data, n), best * 1e6,
               (unsigned long long)sum);
        free(data);
    }
    return 0;
}
