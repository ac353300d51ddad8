/* libtlsrpt — a keyed open-addressing index over the items of a container (internal, never installed).
 * SPDX-License-Identifier: MIT
 *
 * The container keeps its items in an array; the index maps a 64-bit hash to item positions (slot = position + 1,
 * 0 = empty, linear probing, load <= 1/2). The index is built on the first lookup and kept current on every append
 * after that, so a container that is never searched never pays for it. Each item stores its own hash; the index
 * reads it through the container's `hash_at` callback, so that growing the index hashes nothing again.
 *
 * The hashes are SipHash-1-3 (siphash.h) under a random key that belongs to the index, drawn when the index first
 * needs it: the items' fields come from other parties (a receiving domain's DNS, a report's sender), and a hash
 * they could predict would let them make every lookup probe every earlier item. An identity hash covers each field
 * in turn: first its length as 8 bytes, or UINT64_MAX for an absent field (so that ("ab","c") and ("a","bc"), or
 * NULL and "", differ), then its bytes (trpt_hash_str and friends below). */
#ifndef TLSRPT_HASHINDEX_H
#define TLSRPT_HASHINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "siphash.h"

typedef struct trpt_index {
    size_t *slots; /* item position + 1; 0 = empty; NULL until the first lookup */
    size_t cap;    /* power of two, or 0 */
    trpt_hash_key key; /* the items' hashes are SipHash-1-3 under this key, drawn at the first lookup */
    int key_ready;
} trpt_index;

/* The stored hash of item i of a container. */
typedef uint64_t (*trpt_index_hash_at)(const void *container, size_t i);

/* The index's key, drawn on the first call. */
const trpt_hash_key *trpt_index_key(trpt_index *ix);
/* Frees the slots (the key stays): the index is rebuilt on the next lookup. */
void trpt_index_free(trpt_index *ix);
/* (Re)builds the index over the container's items [0, n) with room for at least n items at load <= 1/2.
 * Returns TLSRPT_OK or TLSRPT_ENOMEM (then the index is unchanged). */
int trpt_index_rebuild(trpt_index *ix, const void *container, size_t n, trpt_index_hash_at hash_at);
/* Adds item n - 1 (already stored, its hash set) to an existing index, growing it when needed. On failure
 * (TLSRPT_ENOMEM) the index is unchanged and does not contain the item. */
int trpt_index_add_last(trpt_index *ix, const void *container, size_t n, trpt_index_hash_at hash_at);

/* The probe sequence of a hash in a built index:
 *     for (size_t s = trpt_index_probe_first(ix, h); ix->slots[s]; s = trpt_index_probe_next(ix, s))
 *         ... item ix->slots[s] - 1 is a candidate: compare its hash, then its fields ...
 */
static inline size_t trpt_index_probe_first(const trpt_index *ix, uint64_t hash)
{
    return (size_t)hash & (ix->cap - 1);
}

static inline size_t trpt_index_probe_next(const trpt_index *ix, size_t slot)
{
    return (slot + 1) & (ix->cap - 1);
}

/* The fields of an identity hash: a number; a string (NULL: absent); a list of strings (present flag, count,
 * each entry). */
void trpt_hash_u64(trpt_siphash *h, uint64_t v);
void trpt_hash_str(trpt_siphash *h, const char *s);
void trpt_hash_str_list(trpt_siphash *h, int present, const char *const *list, size_t n);

#endif
