/* libtlsrpt — keyed hashing for tables whose keys the input chooses (internal, never installed).
 * SPDX-License-Identifier: MIT
 *
 * Every hash table that is keyed by input (JSON member names, a report's policies and failure details, ...) hashes
 * with SipHash-1-3 (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012; 1 compression round and 3
 * finalization rounds, as CPython, Rust's std and Ruby use for their tables) under a 128-bit key that the table's
 * owner draws from getrandom() when it is created. Without the key an attacker cannot compute names that collide,
 * so a table's cost stays O(1) expected per operation whatever the input (a fixed or invertible hash lets a few
 * kilobytes of chosen names make every insertion probe every earlier one).
 */
#ifndef TLSRPT_SIPHASH_H
#define TLSRPT_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

typedef struct trpt_hash_key {
    uint64_t k0, k1;
} trpt_hash_key;

/* A fresh random key: getrandom() (never blocks after boot; on a kernel without it, /dev/urandom), and if neither
 * answers, a mix of the clock, the process id, a counter and addresses — still unknown to a remote sender, which is
 * what matters here. Thread-safe. */
void trpt_hash_key_new(trpt_hash_key *key);

/* SipHash-1-3 of data[0..len) under key. */
uint64_t trpt_siphash13(const trpt_hash_key *key, const void *data, size_t len);

/* Incremental form, for a hash over several fields (the same value as trpt_siphash13 of their concatenation). */
typedef struct trpt_siphash {
    uint64_t v0, v1, v2, v3;
    uint64_t tail;   /* bytes not yet compressed, little-endian */
    size_t tail_len; /* 0..7 */
    uint64_t total;  /* bytes fed so far */
} trpt_siphash;

void trpt_siphash_init(trpt_siphash *s, const trpt_hash_key *key);
void trpt_siphash_update(trpt_siphash *s, const void *data, size_t len);
uint64_t trpt_siphash_final(trpt_siphash *s);

/* The general SipHash-c-d, for the test vectors of the paper (SipHash-2-4); the library uses 1-3 only. */
uint64_t trpt_siphash_cd(const trpt_hash_key *key, const void *data, size_t len, int c_rounds, int d_rounds);

#endif
