/* The keyed open-addressing index (lib/hashindex.c): every item found by its hash through growth and rebuilds,
 * colliding hashes, the key drawn once, and the identity-hash fields. SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>

#include "hashindex.h"
#include "testutil.h"

static uint64_t stored_hash(const void *container, size_t i)
{
    return ((const uint64_t *)container)[i];
}

/* 1 if position `want` is on the probe sequence of hash h. */
static int probe_finds(const trpt_index *ix, const uint64_t *hashes, uint64_t h, size_t want)
{
    for (size_t s = trpt_index_probe_first(ix, h); ix->slots[s]; s = trpt_index_probe_next(ix, s))
        if (ix->slots[s] - 1 == want && hashes[want] == h)
            return 1;
    return 0;
}

START_TEST(index_grows_and_finds_every_item)
{
    enum { N = 5000 };
    uint64_t *hashes = malloc(N * sizeof *hashes);
    ck_assert_ptr_nonnull(hashes);
    trpt_index ix = {0};
    const trpt_hash_key *key = trpt_index_key(&ix);
    ck_assert_int_eq(ix.key_ready, 1);
    ck_assert_ptr_eq(trpt_index_key(&ix), key); /* drawn once */
    trpt_hash_key first = *key;
    for (size_t i = 0; i < N; i++) {
        /* every 7th item repeats an earlier hash: equal hashes must both stay findable */
        hashes[i] = i % 7 == 6 ? hashes[i - 3] : trpt_siphash13(key, &i, sizeof i);
        if (i == 0)
            ck_assert_int_eq(trpt_index_rebuild(&ix, hashes, 1, stored_hash), TLSRPT_OK);
        else
            ck_assert_int_eq(trpt_index_add_last(&ix, hashes, i + 1, stored_hash), TLSRPT_OK);
        ck_assert_uint_ge(ix.cap, 2 * (i + 1)); /* load stays <= 1/2 */
        ck_assert_uint_eq(ix.cap & (ix.cap - 1), 0);
    }
    for (size_t i = 0; i < N; i++)
        ck_assert_msg(probe_finds(&ix, hashes, hashes[i], i), "item %zu not found", i);
    size_t used = 0;
    for (size_t s = 0; s < ix.cap; s++)
        used += ix.slots[s] != 0;
    ck_assert_uint_eq(used, N);

    /* Freed, rebuilt from the stored hashes: the same items, the same key. */
    trpt_index_free(&ix);
    ck_assert_ptr_null(ix.slots);
    ck_assert_uint_eq(ix.cap, 0);
    ck_assert_int_eq(trpt_index_rebuild(&ix, hashes, N, stored_hash), TLSRPT_OK);
    for (size_t i = 0; i < N; i++)
        ck_assert(probe_finds(&ix, hashes, hashes[i], i));
    ck_assert_uint_eq(trpt_index_key(&ix)->k0, first.k0);
    ck_assert_uint_eq(trpt_index_key(&ix)->k1, first.k1);
    trpt_index_free(&ix);
    trpt_index_free(&ix); /* twice is harmless */
    free(hashes);

    /* Two indexes draw different keys (2^-128 to fail). */
    trpt_index a = {0}, b = {0};
    const trpt_hash_key *ka = trpt_index_key(&a), *kb = trpt_index_key(&b);
    ck_assert(ka->k0 != kb->k0 || ka->k1 != kb->k1);
}
END_TEST

static uint64_t fields_hash(const trpt_hash_key *key, const char *a, const char *b)
{
    trpt_siphash h;
    trpt_siphash_init(&h, key);
    trpt_hash_str(&h, a);
    trpt_hash_str(&h, b);
    return trpt_siphash_final(&h);
}

START_TEST(identity_hash_fields_are_delimited)
{
    trpt_hash_key key = {0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
    /* Lengths go first, so moving bytes between fields, or NULL against "", changes the hash. */
    ck_assert(fields_hash(&key, "ab", "c") != fields_hash(&key, "a", "bc"));
    ck_assert(fields_hash(&key, NULL, "x") != fields_hash(&key, "", "x"));
    ck_assert_uint_eq(fields_hash(&key, "ab", "c"), fields_hash(&key, "ab", "c"));
    /* A string is its length as 8 bytes, then its bytes; an absent one is UINT64_MAX. */
    trpt_siphash h;
    trpt_siphash_init(&h, &key);
    trpt_hash_str(&h, "abc");
    uint64_t len = 3;
    unsigned char flat[8 + 3];
    memcpy(flat, &len, 8);
    memcpy(flat + 8, "abc", 3);
    ck_assert_uint_eq(trpt_siphash_final(&h), trpt_siphash13(&key, flat, sizeof flat));
    trpt_siphash_init(&h, &key);
    trpt_hash_str(&h, NULL);
    uint64_t absent = UINT64_MAX;
    ck_assert_uint_eq(trpt_siphash_final(&h), trpt_siphash13(&key, &absent, 8));
    /* A list: absent, empty and ("") differ. */
    const char *one[] = {""};
    uint64_t v[3];
    for (int k = 0; k < 3; k++) {
        trpt_siphash_init(&h, &key);
        trpt_hash_str_list(&h, k > 0, one, k == 2 ? 1 : 0);
        v[k] = trpt_siphash_final(&h);
    }
    ck_assert(v[0] != v[1] && v[1] != v[2] && v[0] != v[2]);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("hashindex");
    TCase *tc = tcase_create("index");
    tcase_add_test(tc, index_grows_and_finds_every_item);
    tcase_add_test(tc, identity_hash_fields_are_delimited);
    suite_add_tcase(s, tc);
    return s;
}
