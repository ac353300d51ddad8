/* A heap meter for the Check suites that hold the library to a memory bound (test_hostile.c, test_report_message.c).
 * SPDX-License-Identifier: MIT
 *
 * tests/meson.build links such a suite with -Wl,--wrap for malloc, calloc, realloc and free, so that every
 * allocation of the test and of the library's own code (the internal archive is linked into the test) comes here.
 * While the meter runs, it follows the bytes held (malloc_usable_size: what the allocator really gives) and their
 * peak. Include it in exactly one file of a suite. */
#ifndef TLSRPT_TEST_HEAP_METER_H
#define TLSRPT_TEST_HEAP_METER_H

#include <malloc.h>
#include <stddef.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);

static int meter_on;
static size_t meter_now, meter_peak;

static void meter_add(void *p)
{
    if (meter_on && p) {
        meter_now += malloc_usable_size(p);
        if (meter_now > meter_peak)
            meter_peak = meter_now;
    }
}

/* A block allocated before the meter started may be freed while it runs: never below zero. */
static void meter_sub(size_t n)
{
    meter_now = meter_now > n ? meter_now - n : 0;
}

void *__wrap_malloc(size_t n)
{
    void *p = __real_malloc(n);
    meter_add(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t m)
{
    void *p = __real_calloc(n, m);
    meter_add(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    /* The old and the new block both exist for a moment: the new one is counted before the old one goes. */
    size_t old = (meter_on && p) ? malloc_usable_size(p) : 0;
    void *q = __real_realloc(p, n);
    if (q) {
        meter_add(q);
        if (meter_on)
            meter_sub(old);
    }
    return q;
}

void __wrap_free(void *p)
{
    if (meter_on && p)
        meter_sub(malloc_usable_size(p));
    __real_free(p);
}

/* Starts the meter at zero. */
static inline void meter_start(void)
{
    meter_now = meter_peak = 0;
    meter_on = 1;
}

/* Stops the meter; returns the peak bytes held since meter_start(). */
static inline size_t meter_stop(void)
{
    meter_on = 0;
    return meter_peak;
}

#endif
