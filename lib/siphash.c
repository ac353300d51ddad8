/* libtlsrpt — SipHash-1-3 and random hash keys (see siphash.h). Written from the SipHash paper.
 * SPDX-License-Identifier: MIT */
#include "siphash.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"

static inline uint64_t rotl(uint64_t x, int b)
{
    return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)                                                                                   \
    do {                                                                                                           \
        v0 += v1;                                                                                                  \
        v1 = rotl(v1, 13);                                                                                         \
        v1 ^= v0;                                                                                                  \
        v0 = rotl(v0, 32);                                                                                         \
        v2 += v3;                                                                                                  \
        v3 = rotl(v3, 16);                                                                                         \
        v3 ^= v2;                                                                                                  \
        v0 += v3;                                                                                                  \
        v3 = rotl(v3, 21);                                                                                         \
        v3 ^= v0;                                                                                                  \
        v2 += v1;                                                                                                  \
        v1 = rotl(v1, 17);                                                                                         \
        v1 ^= v2;                                                                                                  \
        v2 = rotl(v2, 32);                                                                                         \
    } while (0)

static inline uint64_t load_le64(const unsigned char *p)
{
    return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 | (uint64_t)p[3] << 24 |
           (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

/* Inlined into each caller with constant round counts, so that SipHash-1-3 runs unrolled. */
static inline uint64_t siphash(const trpt_hash_key *key, const void *data, size_t len, int c_rounds, int d_rounds)
{
    const unsigned char *in = data;
    uint64_t v0 = key->k0 ^ 0x736f6d6570736575ULL;
    uint64_t v1 = key->k1 ^ 0x646f72616e646f6dULL;
    uint64_t v2 = key->k0 ^ 0x6c7967656e657261ULL;
    uint64_t v3 = key->k1 ^ 0x7465646279746573ULL;
    size_t n = len;
    for (; n >= 8; in += 8, n -= 8) {
        uint64_t m = load_le64(in);
        v3 ^= m;
        for (int i = 0; i < c_rounds; i++)
            SIPROUND(v0, v1, v2, v3);
        v0 ^= m;
    }
    uint64_t b = (uint64_t)len << 56;
    for (size_t i = 0; i < n; i++)
        b |= (uint64_t)in[i] << (8 * i);
    v3 ^= b;
    for (int i = 0; i < c_rounds; i++)
        SIPROUND(v0, v1, v2, v3);
    v0 ^= b;
    v2 ^= 0xff;
    for (int i = 0; i < d_rounds; i++)
        SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t trpt_siphash_cd(const trpt_hash_key *key, const void *data, size_t len, int c_rounds, int d_rounds)
{
    return siphash(key, data, len, c_rounds, d_rounds);
}

uint64_t trpt_siphash13(const trpt_hash_key *key, const void *data, size_t len)
{
    return siphash(key, data, len, 1, 3);
}

void trpt_siphash_init(trpt_siphash *s, const trpt_hash_key *key)
{
    s->v0 = key->k0 ^ 0x736f6d6570736575ULL;
    s->v1 = key->k1 ^ 0x646f72616e646f6dULL;
    s->v2 = key->k0 ^ 0x6c7967656e657261ULL;
    s->v3 = key->k1 ^ 0x7465646279746573ULL;
    s->tail = 0;
    s->tail_len = 0;
    s->total = 0;
}

static inline void compress(trpt_siphash *s, uint64_t m)
{
    uint64_t v0 = s->v0, v1 = s->v1, v2 = s->v2, v3 = s->v3;
    v3 ^= m;
    SIPROUND(v0, v1, v2, v3);
    v0 ^= m;
    s->v0 = v0, s->v1 = v1, s->v2 = v2, s->v3 = v3;
}

void trpt_siphash_update(trpt_siphash *s, const void *data, size_t len)
{
    const unsigned char *in = data;
    s->total += len;
    while (len && s->tail_len) {
        s->tail |= (uint64_t)*in++ << (8 * s->tail_len);
        len--;
        if (++s->tail_len == 8) {
            compress(s, s->tail);
            s->tail = 0;
            s->tail_len = 0;
        }
    }
    for (; len >= 8; in += 8, len -= 8)
        compress(s, load_le64(in));
    for (size_t i = 0; i < len; i++)
        s->tail |= (uint64_t)in[i] << (8 * i);
    s->tail_len = len;
}

uint64_t trpt_siphash_final(trpt_siphash *s)
{
    uint64_t b = s->total << 56 | s->tail;
    compress(s, b);
    uint64_t v0 = s->v0, v1 = s->v1, v2 = s->v2 ^ 0xff, v3 = s->v3;
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    SIPROUND(v0, v1, v2, v3);
    return v0 ^ v1 ^ v2 ^ v3;
}

static int read_urandom(void *buf, size_t len)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    return got == len;
}

void trpt_hash_key_new(trpt_hash_key *key)
{
    unsigned char buf[16];
    ssize_t n;
    do {
        n = getrandom(buf, sizeof buf, GRND_NONBLOCK);
    } while (n < 0 && errno == EINTR);
    if (n == (ssize_t)sizeof buf || read_urandom(buf, sizeof buf)) {
        key->k0 = load_le64(buf);
        key->k1 = load_le64(buf + 8);
        return;
    }
    /* No kernel randomness (very early boot, a sandbox without /dev): a mix of what differs between processes and
     * calls (no global state: the key's own address tells tables apart). Not secret from a local user, but unknown
     * to whoever wrote the report. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    key->k0 = trpt_mix64((uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ (uint64_t)(uintptr_t)key);
    key->k1 = trpt_mix64(((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)&ts ^ key->k0);
}
