/* libtlsrpt — the keyed open-addressing index (hashindex.h). SPDX-License-Identifier: MIT */
#include "hashindex.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

const trpt_hash_key *trpt_index_key(trpt_index *ix)
{
    if (!ix->key_ready) {
        trpt_hash_key_new(&ix->key);
        ix->key_ready = 1;
    }
    return &ix->key;
}

void trpt_hash_u64(trpt_siphash *h, uint64_t v)
{
    trpt_siphash_update(h, &v, sizeof v);
}

void trpt_hash_str(trpt_siphash *h, const char *s)
{
    if (!s) {
        trpt_hash_u64(h, UINT64_MAX);
        return;
    }
    size_t n = strlen(s);
    trpt_hash_u64(h, (uint64_t)n);
    trpt_siphash_update(h, s, n);
}

void trpt_hash_str_list(trpt_siphash *h, int present, const char *const *list, size_t n)
{
    trpt_hash_u64(h, present ? (uint64_t)n : UINT64_MAX);
    for (size_t i = 0; i < n; i++)
        trpt_hash_str(h, list[i]);
}

void trpt_index_free(trpt_index *ix)
{
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = 0;
}

static void index_place(trpt_index *ix, uint64_t hash, size_t position)
{
    size_t mask = ix->cap - 1;
    size_t i = (size_t)hash & mask;
    while (ix->slots[i])
        i = (i + 1) & mask;
    ix->slots[i] = position + 1;
}

int trpt_index_rebuild(trpt_index *ix, const void *container, size_t n, trpt_index_hash_at hash_at)
{
    size_t cap = 16;
    while (n > cap / 2) {
        if (cap > SIZE_MAX / 2 / sizeof(size_t))
            return TLSRPT_ENOMEM;
        cap *= 2;
    }
    size_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return TLSRPT_ENOMEM;
    free(ix->slots);
    ix->slots = slots;
    ix->cap = cap;
    for (size_t i = 0; i < n; i++)
        index_place(ix, hash_at(container, i), i);
    return TLSRPT_OK;
}

int trpt_index_add_last(trpt_index *ix, const void *container, size_t n, trpt_index_hash_at hash_at)
{
    if (n > ix->cap / 2)
        return trpt_index_rebuild(ix, container, n, hash_at);
    index_place(ix, hash_at(container, n - 1), n - 1);
    return TLSRPT_OK;
}
