/* The counting allocator of the benchmark programs (report_heap, hostile): glibc's malloc, calloc, realloc and free
 * are replaced for the whole process (the library and libdeflate included) by wrappers that add up the usable size
 * of every live block, as the heap really spends it, and keep the peak.
 *
 * Include it in exactly one translation unit of a program (it defines malloc & co.). Without glibc it defines
 * nothing and COUNTING_ALLOCATOR stays undefined, so a program can say that it cannot measure.
 *
 *   heap_mark();                 before the work: the peak restarts at the current level
 *   ... work ...
 *   size_t peak = heap_peak_since_mark();   the highest level reached above the mark
 *
 * Blocks that exist at the mark and are freed during the work lower the level below the mark; the peak is then the
 * highest level above the mark, never negative.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_BENCH_COUNT_HEAP_H
#define TLSRPT_BENCH_COUNT_HEAP_H

#include <stddef.h>

#if defined(__GLIBC__)
#include <malloc.h>
#define COUNTING_ALLOCATOR 1

/* glibc's own entry points, so that the wrappers below can replace malloc & co. for the whole process. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);

static size_t heap_current, heap_peak, heap_base;

static void heap_grew(void *p)
{
    if (p) {
        heap_current += malloc_usable_size(p);
        if (heap_current > heap_peak)
            heap_peak = heap_current;
    }
}

void *malloc(size_t n)
{
    void *p = __libc_malloc(n);
    heap_grew(p);
    return p;
}

void *calloc(size_t n, size_t m)
{
    void *p = __libc_calloc(n, m);
    heap_grew(p);
    return p;
}

void *realloc(void *old, size_t n)
{
    size_t before = old ? malloc_usable_size(old) : 0;
    void *p = __libc_realloc(old, n);
    if (p || n == 0) {
        heap_current -= before;
        heap_grew(p);
    }
    return p;
}

void free(void *p)
{
    if (p)
        heap_current -= malloc_usable_size(p);
    __libc_free(p);
}

static inline void heap_mark(void)
{
    heap_base = heap_current;
    heap_peak = heap_current;
}

static inline size_t heap_peak_since_mark(void)
{
    return heap_peak > heap_base ? heap_peak - heap_base : 0;
}
#endif

#endif
