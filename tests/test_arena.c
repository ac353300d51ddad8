/* The arena (lib/arena.c): block growth, alignment, release to a mark.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"
#include "testutil.h"

/* Every length from 0 to 80 (the inline copy moves 8..32 bytes as overlapping words), from every offset of a source
 * whose bytes around the copied range differ, into fresh and partly used blocks: exact bytes, then one NUL. */
START_TEST(arena_strndup_lengths)
{
    char src[128];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (char)(i * 7 + 1);
    trpt_arena a = {0};
    for (size_t len = 0; len <= 80; len++) {
        for (size_t off = 0; off + len <= 96; off += 5) {
            char *c = trpt_arena_strndup(&a, src + off, len);
            ck_assert_ptr_nonnull(c);
            ck_assert_int_eq(memcmp(c, src + off, len), 0);
            ck_assert_int_eq(c[len], '\0');
        }
    }
    trpt_arena_free(&a);
}
END_TEST

START_TEST(arena_reserve_and_aside)
{
    /* trpt_arena_reserve sizes the first block (and does nothing once there is one); trpt_arena_alloc_aside puts a
     * block behind the head, so that small allocations go on in the head; both are charged to the budget, given
     * back by release, and refused over it. */
    trpt_budget budget = {0, 100000, 0, 0};
    trpt_arena a = {NULL, 0, 0, &budget};
    ck_assert_int_eq(trpt_arena_reserve(&a, 10), TLSRPT_OK); /* at least TRPT_ARENA_FIRST_BLOCK */
    ck_assert_uint_eq(a.head->size, TRPT_ARENA_FIRST_BLOCK);
    trpt_arena_free(&a);
    ck_assert_uint_eq(budget.used, 0);
    ck_assert_int_eq(trpt_arena_reserve(&a, 5000), TLSRPT_OK);
    trpt_arena_block *first = a.head;
    ck_assert_uint_eq(first->size, 5000);
    ck_assert_int_eq(trpt_arena_reserve(&a, 9000), TLSRPT_OK); /* a block exists: nothing */
    ck_assert_ptr_eq(a.head, first);
    char *small = trpt_arena_strndup(&a, "abc", 3);
    unsigned char *big = trpt_arena_alloc_aside(&a, 20000);
    ck_assert_ptr_nonnull(big);
    memset(big, 0x5a, 20000);
    ck_assert_ptr_eq(a.head, first); /* still the head */
    char *small2 = trpt_arena_strndup(&a, "defg", 4);
    ck_assert_ptr_eq(small2, small + 4); /* right after the first string, in the head */
    ck_assert_str_eq(small, "abc");
    ck_assert_uint_eq(budget.used, 2 * sizeof(trpt_arena_block) + 25000);
    ck_assert_ptr_null(trpt_arena_alloc_aside(&a, 100000)); /* over the budget */
    ck_assert_int_eq(budget.exceeded, 1);
    trpt_arena_free(&a);
    ck_assert_uint_eq(budget.used, 0);
    /* On an empty arena the aside block is the only one, and full: the next allocation makes a new head. */
    unsigned char *only = trpt_arena_alloc_aside(&a, 300);
    ck_assert_ptr_nonnull(only);
    ck_assert_uint_eq(a.used, 300);
    char *after = trpt_arena_strndup(&a, "x", 1);
    ck_assert_ptr_nonnull(after);
    ck_assert(after < (char *)only || after >= (char *)only + 300);
    trpt_arena_free(&a);
    ck_assert_uint_eq(budget.used, 0);
}
END_TEST

START_TEST(arena_blocks_alignment_and_release)
{
    trpt_arena a = {NULL, 0, 0, NULL};
    /* Strings of odd lengths between objects: every object is aligned for any type, every string intact, across
     * many blocks (the blocks stop growing at TRPT_ARENA_MAX_BLOCK). */
    char *strs[3000];
    uint64_t *objs[3000];
    char text[80];
    for (int i = 0; i < 3000; i++) {
        snprintf(text, sizeof text, "string %d %.*s", i, i % 50, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
        strs[i] = trpt_arena_strndup(&a, text, strlen(text));
        ck_assert_ptr_nonnull(strs[i]);
        objs[i] = trpt_arena_alloc(&a, sizeof(uint64_t) * (1 + (size_t)i % 3));
        ck_assert_ptr_nonnull(objs[i]);
        ck_assert_uint_eq((uintptr_t)objs[i] % _Alignof(max_align_t), 0);
        *objs[i] = (uint64_t)i * 0x9E3779B97F4A7C15ULL;
    }
    for (int i = 0; i < 3000; i++) {
        snprintf(text, sizeof text, "string %d %.*s", i, i % 50, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
        ck_assert_str_eq(strs[i], text);
        ck_assert_uint_eq(*objs[i], (uint64_t)i * 0x9E3779B97F4A7C15ULL);
    }
    ck_assert_uint_le(a.head->size, TRPT_ARENA_MAX_BLOCK);
    ck_assert_uint_ge(a.total, TRPT_ARENA_MAX_BLOCK);

    /* A request larger than the largest block gets a block of its own size. */
    trpt_arena_mark before_big = trpt_arena_get_mark(&a);
    size_t total_before_big = a.total;
    char *big = trpt_arena_alloc(&a, 3 * TRPT_ARENA_MAX_BLOCK + 5);
    ck_assert_ptr_nonnull(big);
    memset(big, 'x', 3 * TRPT_ARENA_MAX_BLOCK + 5);
    ck_assert_uint_eq(a.total, total_before_big + 3 * TRPT_ARENA_MAX_BLOCK + 5);
    char *after_big = trpt_arena_strndup(&a, "after", 5);
    ck_assert_str_eq(after_big, "after");
    ck_assert_str_eq(strs[2999] + 0, "string 2999 abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvw");

    /* Releasing to a mark frees what came later and allocates from the mark again. */
    trpt_arena_release(&a, before_big);
    ck_assert_uint_eq(a.total, total_before_big);
    ck_assert_ptr_eq(a.head, before_big.head);
    ck_assert_uint_eq(a.used, before_big.used);
    trpt_arena_mark m = trpt_arena_get_mark(&a);
    char *x = trpt_arena_strndup(&a, "x", 1);
    trpt_arena_release(&a, m);
    ck_assert_ptr_eq(trpt_arena_strndup(&a, "y", 1), x);
    ck_assert_str_eq(x, "y");
    /* An empty string and embedded bytes: exactly len bytes and a NUL. */
    char *e = trpt_arena_strndup(&a, "", 0);
    ck_assert_str_eq(e, "");
    char *n = trpt_arena_strndup(&a, "a\0b", 3);
    ck_assert_int_eq(memcmp(n, "a\0b\0", 4), 0);

    trpt_arena_free(&a);
    ck_assert_ptr_null(a.head);
    ck_assert_uint_eq(a.total, 0);
    ck_assert_uint_eq(a.used, 0);
    trpt_arena_free(&a); /* freeing an empty arena is a no-op */
    /* The first allocation of an empty arena gets the first block size. */
    ck_assert_ptr_nonnull(trpt_arena_strndup(&a, "z", 1));
    ck_assert_uint_eq(a.total, TRPT_ARENA_FIRST_BLOCK);
    trpt_arena_free(&a);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("arena");
    TCase *tc = tcase_create("arena");
    tcase_add_test(tc, arena_blocks_alignment_and_release);
    tcase_add_test(tc, arena_strndup_lengths);
    tcase_add_test(tc, arena_reserve_and_aside);
    suite_add_tcase(s, tc);
    return s;
}
