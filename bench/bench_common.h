/* Shared by the benchmark programs: a monotonic clock and reading a whole file. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_BENCH_COMMON_H
#define TLSRPT_BENCH_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline unsigned char *read_file(const char *name, size_t *out_len)
{
    FILE *f = fopen(name, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16, n = 0, got;
    unsigned char *buf = (unsigned char *)malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            unsigned char *grown = (unsigned char *)realloc(buf, cap * 2);
            if (grown == NULL)
                free(buf);
            buf = grown;
            cap *= 2;
        }
    }
    fclose(f);
    *out_len = n;
    return buf;
}

#endif
