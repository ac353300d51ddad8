/* Helpers of the suites that read test files: the sources' tests/data, and the gzip files meson makes at build
 * time (TLSRPT_TEST_BUILDDIR); and a count of findings by severity. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_TESTFILES_H
#define TLSRPT_TESTFILES_H

#include <stdio.h>
#include <stdlib.h>

#include "testutil.h"

static inline char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *len = n;
    return buf;
}

static inline char *build_file(const char *name, size_t *len)
{
    const char *dir = getenv("TLSRPT_TEST_BUILDDIR");
    ck_assert_msg(dir != NULL, "TLSRPT_TEST_BUILDDIR is not set (run through meson test)");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return read_whole(path, len);
}

static inline char *src_file(const char *name, size_t *len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/data/%s", TESTS_SRCDIR, name);
    return read_whole(path, len);
}

static inline size_t count_severity(const tlsrpt_diag *d, int sev)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        n += tlsrpt_diag_severity(d, i) == sev;
    return n;
}

#endif
