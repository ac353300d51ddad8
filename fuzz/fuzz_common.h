/* Shared by the fuzz targets: a failed invariant aborts, which libFuzzer and the replay both report.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_FUZZ_COMMON_H
#define TLSRPT_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>

#include <tlsrpt/tlsrpt.h>

#define FUZZ_CHECK(cond)                                                                                              \
    do {                                                                                                              \
        if (!(cond)) {                                                                                                \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);                              \
            abort();                                                                                                  \
        }                                                                                                             \
    } while (0)

/* A failing parse must explain itself with at least one ERROR entry. */
static inline int fuzz_has_error(const tlsrpt_diag *d)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (tlsrpt_diag_severity(d, i) == TLSRPT_SEVERITY_ERROR)
            return 1;
    return 0;
}

#endif
