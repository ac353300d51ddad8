/* Allocation hooks for the Check suites that count, fail or meter the library's allocations (test_report_build.c,
 * test_hostile.c, test_report_message.c, test_sts_policy.c). SPDX-License-Identifier: MIT
 *
 * tests/meson.build links such a suite with -Wl,--wrap for malloc, calloc, realloc and free, so that every
 * allocation of the test and of the library's own code (the internal archive is linked into the test) comes here:
 * - failure injection: arm(k) makes the k-th allocation from then on (0-based) fail; disarm() says how many were
 *   made while armed;
 * - a heap meter: between meter_start() and meter_stop() it follows the bytes held (malloc_usable_size: what the
 *   allocator really gives), their peak (meter_stop() returns it) and the number of allocations (meter_allocs).
 * Include it in exactly one file of a suite. */
#ifndef TLSRPT_TEST_ALLOC_HOOKS_H
#define TLSRPT_TEST_ALLOC_HOOKS_H

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

static long alloc_count;        /* allocations seen while armed */
static long alloc_fail_at = -1; /* the allocation (0-based, while armed) that fails; -1 none */
static int alloc_armed;

static int meter_on;
static size_t meter_now, meter_peak, meter_allocs;

static int alloc_should_fail(void)
{
    return alloc_armed && alloc_count++ == alloc_fail_at;
}

static void *meter_add(void *p)
{
    if (meter_on && p) {
        meter_allocs++;
        meter_now += malloc_usable_size(p);
        if (meter_now > meter_peak)
            meter_peak = meter_now;
    }
    return p;
}

/* A block allocated before the meter started may be freed while it runs: never below zero. */
static void meter_sub(size_t n)
{
    meter_now = meter_now > n ? meter_now - n : 0;
}

void *__wrap_malloc(size_t n)
{
    return alloc_should_fail() ? NULL : meter_add(__real_malloc(n));
}

void *__wrap_calloc(size_t n, size_t m)
{
    return alloc_should_fail() ? NULL : meter_add(__real_calloc(n, m));
}

void *__wrap_realloc(void *p, size_t n)
{
    if (alloc_should_fail())
        return NULL;
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

/* Fails the fail_at-th allocation from now on (-1: none) and counts them. */
static inline void arm(long fail_at)
{
    alloc_count = 0;
    alloc_fail_at = fail_at;
    alloc_armed = 1;
}

/* Stops failing; returns the number of allocations made while armed. */
static inline long disarm(void)
{
    alloc_armed = 0;
    alloc_fail_at = -1;
    return alloc_count;
}

/* Starts the meter at zero. */
static inline void meter_start(void)
{
    meter_now = meter_peak = meter_allocs = 0;
    meter_on = 1;
}

/* Stops the meter; returns the peak bytes held since meter_start() (meter_now: those still held). */
static inline size_t meter_stop(void)
{
    meter_on = 0;
    return meter_peak;
}

#endif
