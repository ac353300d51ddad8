/* libtlsrpt — the arena (internal, never installed). SPDX-License-Identifier: MIT
 *
 * Bump allocation from a chain of heap blocks that are freed together. Blocks double in size from
 * TRPT_ARENA_FIRST_BLOCK up to TRPT_ARENA_SMALL_BLOCK while the arena is small, then up to TRPT_ARENA_MAX_BLOCK (a
 * larger request gets a block of its own size), so a report's arena costs a few mallocs however many strings it
 * holds, and at most one partly used block of slack besides the bytes that did not fit at the end of earlier
 * blocks (each such tail is smaller than the request that did not fit). Nothing is freed individually: a string
 * replaced in an arena object stays until the arena is freed, so only append-only users allocate from it (the
 * parser, the builder, merge, copy). trpt_arena_release() undoes everything allocated after a mark (error paths,
 * merge rollback): then nothing else may still point there. */
#ifndef TLSRPT_ARENA_H
#define TLSRPT_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal.h" /* trpt_budget */

#define TRPT_ARENA_FIRST_BLOCK 1024u
#define TRPT_ARENA_SMALL_BLOCK 4096u /* the largest block while the arena holds less than TRPT_ARENA_BIG bytes */
#define TRPT_ARENA_BIG 32768u
#define TRPT_ARENA_MAX_BLOCK 16384u

typedef struct trpt_arena_block trpt_arena_block;
struct trpt_arena_block {
    trpt_arena_block *prev; /* the block allocated before this one */
    size_t size;            /* bytes in data */
    max_align_t data[];     /* max_align_t: the first byte is aligned for any object */
};

typedef struct trpt_arena {
    trpt_arena_block *head; /* the newest block; NULL before the first allocation */
    size_t used;            /* bytes used in head */
    size_t total;           /* bytes in all blocks (without headers) */
    trpt_budget *budget;    /* blocks are charged to it while set (the parser sets it for the parse); NULL: none */
} trpt_arena;

/* A position in an arena, for trpt_arena_release(). */
typedef struct trpt_arena_mark {
    trpt_arena_block *head;
    size_t used;
} trpt_arena_mark;

/* An empty arena is all zero; it allocates nothing until the first request. */

/* size bytes (size > 0) aligned for any object, uninitialized; NULL when out of memory. */
void *trpt_arena_alloc(trpt_arena *a, size_t size);
/* Makes the first block of an empty arena `size` bytes (at least TRPT_ARENA_FIRST_BLOCK), for a caller that knows
 * about how much it will need; nothing when the arena has a block already. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
int trpt_arena_reserve(trpt_arena *a, size_t size);
/* size bytes (size > 0) in a block of their own, which is not the head: the head keeps serving small requests (the
 * fast report reader copies text there in big pieces, report_fast.c). Charged to the budget like any block; NULL
 * when out of memory or over the budget. Not between trpt_arena_get_mark() and trpt_arena_release(): the release
 * frees the blocks that became the head after the mark, so it would keep this one (trpt_arena_free frees it). */
void *trpt_arena_alloc_aside(trpt_arena *a, size_t size);
/* trpt_arena_strndup when the head block has no room: a new block. */
char *trpt_arena_strndup_block(trpt_arena *a, const char *s, size_t len);

/* A copy of s[0..len) followed by a NUL; NULL when out of memory. Inline: the parser copies every string value. */
static inline char *trpt_arena_strndup(trpt_arena *a, const char *s, size_t len)
{
    if (a->head && a->head->size - a->used > len) { /* room for len + 1 bytes (never for len == SIZE_MAX) */
        char *copy = (char *)a->head->data + a->used;
        a->used += len + 1;
        if (len >= 8 && len <= 32) { /* most strings of a report: two or four overlapping 8-byte moves */
            uint64_t w0, w1, w2, w3;
            memcpy(&w0, s, 8);
            memcpy(&w1, s + len - 8, 8);
            if (len > 16) {
                memcpy(&w2, s + 8, 8);
                memcpy(&w3, s + len - 16, 8);
                memcpy(copy + 8, &w2, 8);
                memcpy(copy + len - 16, &w3, 8);
            }
            memcpy(copy, &w0, 8);
            memcpy(copy + len - 8, &w1, 8);
        } else if (len) {
            memcpy(copy, s, len);
        }
        copy[len] = '\0';
        return copy;
    }
    return trpt_arena_strndup_block(a, s, len);
}
trpt_arena_mark trpt_arena_get_mark(const trpt_arena *a);
/* Frees every block allocated after the mark was taken and makes the arena allocate from the mark on again. */
void trpt_arena_release(trpt_arena *a, trpt_arena_mark m);
/* Frees every block; the arena is empty afterwards. */
void trpt_arena_free(trpt_arena *a);

#endif
