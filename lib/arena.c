/* libtlsrpt — the arena: bump allocation from blocks that are freed together (arena.h).
 * SPDX-License-Identifier: MIT */
#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN _Alignof(max_align_t)

/* Makes a new head block with room for at least `need` bytes. */
static int arena_add_block(trpt_arena *a, size_t need)
{
    /* Doubles the arena up to a block size that grows with it: small blocks while the arena is small (a report of a
     * few KB wastes little in its last block), big ones once it is big (fewer blocks for a large report). */
    size_t max = a->total < TRPT_ARENA_BIG ? TRPT_ARENA_SMALL_BLOCK : TRPT_ARENA_MAX_BLOCK;
    size_t size = a->total < TRPT_ARENA_FIRST_BLOCK ? TRPT_ARENA_FIRST_BLOCK : a->total > max ? max : a->total;
    if (size < need)
        size = need;
    if (size > SIZE_MAX - sizeof(trpt_arena_block))
        return TLSRPT_ENOMEM;
    if (!trpt_budget_take(a->budget, sizeof(trpt_arena_block) + size))
        return TLSRPT_ENOMEM; /* the budget says why (exceeded) */
    trpt_arena_block *b = malloc(sizeof(trpt_arena_block) + size);
    if (!b) {
        trpt_budget_give(a->budget, sizeof(trpt_arena_block) + size);
        return TLSRPT_ENOMEM;
    }
    b->prev = a->head;
    b->size = size;
    a->head = b;
    a->used = 0;
    a->total += size;
    return TLSRPT_OK;
}

/* size bytes at a multiple of align (a power of two, at most ARENA_ALIGN) from the start of a block. */
static void *arena_take(trpt_arena *a, size_t size, size_t align)
{
    if (a->head) {
        size_t at = (a->used + (align - 1)) & ~(align - 1);
        if (at <= a->head->size && a->head->size - at >= size) {
            a->used = at + size;
            return (unsigned char *)a->head->data + at;
        }
    }
    if (arena_add_block(a, size) != TLSRPT_OK)
        return NULL;
    a->used = size;
    return a->head->data;
}

int trpt_arena_reserve(trpt_arena *a, size_t size)
{
    if (a->head)
        return TLSRPT_OK;
    return arena_add_block(a, size > TRPT_ARENA_FIRST_BLOCK ? size : TRPT_ARENA_FIRST_BLOCK);
}

void *trpt_arena_alloc_aside(trpt_arena *a, size_t size)
{
    if (size > SIZE_MAX - sizeof(trpt_arena_block) || !trpt_budget_take(a->budget, sizeof(trpt_arena_block) + size))
        return NULL;
    trpt_arena_block *b = malloc(sizeof(trpt_arena_block) + size);
    if (!b) {
        trpt_budget_give(a->budget, sizeof(trpt_arena_block) + size);
        return NULL;
    }
    b->size = size;
    a->total += size;
    if (a->head) { /* second in the list: freed with the others (trpt_arena_release goes through them all) */
        b->prev = a->head->prev;
        a->head->prev = b;
    } else { /* the only block, and full */
        b->prev = NULL;
        a->head = b;
        a->used = size;
    }
    return b->data;
}

void *trpt_arena_alloc(trpt_arena *a, size_t size)
{
    return arena_take(a, size, ARENA_ALIGN);
}

char *trpt_arena_strndup_block(trpt_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    char *copy = arena_take(a, len + 1, 1);
    if (copy) {
        if (len)
            memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

trpt_arena_mark trpt_arena_get_mark(const trpt_arena *a)
{
    trpt_arena_mark m = {a->head, a->used};
    return m;
}

void trpt_arena_release(trpt_arena *a, trpt_arena_mark m)
{
    while (a->head != m.head) {
        trpt_arena_block *b = a->head;
        a->head = b->prev;
        a->total -= b->size;
        trpt_budget_give(a->budget, sizeof(trpt_arena_block) + b->size);
        free(b);
    }
    a->used = m.used;
}

void trpt_arena_free(trpt_arena *a)
{
    trpt_arena_mark empty = {NULL, 0};
    trpt_arena_release(a, empty);
}
