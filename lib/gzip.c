/* libtlsrpt — gzip (RFC 1952) through libdeflate: compression of reports, and decompression with a hard output
 * cap (gzip.h).
 * SPDX-License-Identifier: MIT
 *
 * libdeflate decompresses a whole member into a caller-sized buffer and says "insufficient space" when the buffer
 * is too small; it does not stream. So the output buffer starts at a guessed size and is doubled (never past the
 * cap) until the member fits, decompressing the member again each time. The guess comes from the member's ISIZE
 * trailer (the uncompressed size mod 2^32), which the sender controls: it is only trusted up to what deflate can
 * produce from the input at all (1032 output bytes per input byte) and up to the cap, so a lying ISIZE costs at most
 * one allocation of at most the cap. A member whose output does not fit in the cap is a decompression bomb:
 * TLSRPT_ELIMIT. The work is bounded too: the buffer only doubles, so there are at most log2(cap) + 1 attempts
 * per member and the bytes produced by all attempts together stay under twice the cap.
 *
 * Multi-member files (gzip a b > c; cat x.gz y.gz): RFC 1952 §2.2 defines a gzip file as a series of members, and
 * gzip -d outputs their concatenation; we do the same, with the cap on the total. Bytes after a member that do not
 * start another member (padding, garbage) are an error: a report is never followed by anything. */
#include "gzip.h"

#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#define GZIP_MIN_MEMBER 18u        /* 10-byte header + empty deflate block (2 bytes) + 8-byte trailer */
#define GZIP_MAX_RATIO 1032u       /* deflate's largest expansion per input byte */
#define GZIP_FIRST_BUFFER 4096u    /* first output buffer when ISIZE gives no usable hint */
/* ISIZE is written by the sender and may lie: it is trusted for the first buffer only up to this size, and for a
 * larger buffer only up to GZIP_GROWTH x the output already proven (the buffer that turned out too small). So the
 * output buffer is never more than max(GZIP_TRUST_FIRST, GZIP_GROWTH x the real output), and while it grows the old
 * and the new buffer together stay under (1 + GZIP_GROWTH) x the output proven so far. */
#define GZIP_TRUST_FIRST (1024u * 1024u)
#define GZIP_GROWTH 3u

/* gzip level: 6 of libdeflate's 1..12 (its default). On the 2.2 MB benchmark report (bench/README.md) it compresses
 * in about 9.5 ms to 160 886 bytes, where level 9 takes about 92 ms for 156 594 bytes (2.7 % fewer) and 12 several
 * times longer still: level 9 alone would miss the 20 ms budget for serializing and compressing such a report. */
#define TRPT_GZIP_LEVEL 6

int trpt_gzip_detect(const void *data, size_t len)
{
    const unsigned char *p = data;
    return len >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static size_t min_size(size_t a, size_t b)
{
    return a < b ? a : b;
}

/* ISIZE of the last member (the last four bytes), or 0. */
static size_t last_isize(const unsigned char *in, size_t len)
{
    if (len < GZIP_MIN_MEMBER)
        return 0;
    const unsigned char *t = in + len - 4;
    return (size_t)((uint32_t)t[0] | (uint32_t)t[1] << 8 | (uint32_t)t[2] << 16 | (uint32_t)t[3] << 24);
}

/* The buffer size to try first for the member at in[0, len): ISIZE if plausible, within cap. */
static size_t first_guess(const unsigned char *in, size_t len, size_t cap)
{
    size_t possible = len > SIZE_MAX / GZIP_MAX_RATIO ? SIZE_MAX : len * GZIP_MAX_RATIO;
    /* ISIZE of this member is at the end of the member, which we do not know yet for multi-member input; the last
     * four bytes of the input are the last member's ISIZE, right for the common single member. */
    size_t guess = last_isize(in, len);
    if (guess == 0)
        guess = GZIP_FIRST_BUFFER;
    guess = min_size(guess, possible);
    guess = min_size(guess, GZIP_TRUST_FIRST);
    guess = min_size(guess, cap);
    return guess ? guess : 1; /* a 0-byte cap still gets a 1-byte buffer; limit keeps the output at 0 */
}

int trpt_gzip_decompress(const void *data, size_t len, size_t max_out, unsigned char **out, size_t *out_len,
                         tlsrpt_diag *diag)
{
    *out = NULL;
    *out_len = 0;
    const unsigned char *in = data;

    struct libdeflate_decompressor *dec = libdeflate_alloc_decompressor();
    if (!dec)
        return TLSRPT_ENOMEM;

    unsigned char *buf = NULL;
    size_t buf_cap = 0; /* allocated bytes: at most max_out (at least 1) */
    size_t total = 0;   /* output bytes of the members done so far */
    size_t pos = 0;     /* start of the current member in the input */
    int rc = TLSRPT_OK;

    while (pos < len) {
        if (!trpt_gzip_detect(in + pos, len - pos)) {
            trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("gzip-trailing-data"), pos, NULL,
                          "%zu byte(s) after the end of the gzip data are not another gzip member.", len - pos);
            rc = TLSRPT_ESYNTAX;
            break;
        }
        if (!buf) {
            buf_cap = first_guess(in, len, max_out);
            buf = malloc(buf_cap);
            if (!buf) {
                rc = TLSRPT_ENOMEM;
                break;
            }
        }
        size_t limit = min_size(buf_cap, max_out);
        size_t in_used = 0, produced = 0;
        enum libdeflate_result res = libdeflate_gzip_decompress_ex(dec, in + pos, len - pos, buf + total,
                                                                   limit - total, &in_used, &produced);
        if (res == LIBDEFLATE_INSUFFICIENT_SPACE) {
            if (limit >= max_out) {
                trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("gzip-too-large"), pos, NULL,
                              "The gzip data decompresses to more than the limit of %zu bytes.", max_out);
                rc = TLSRPT_ELIMIT;
                break;
            }
            /* The output is longer than buf_cap: grow to ISIZE when that is within GZIP_GROWTH x, else to
             * GZIP_GROWTH x. A buffer that holds no earlier member's output is freed before the new one is taken
             * (the member is decompressed again from its start anyway); otherwise the output so far is copied. */
            size_t isize = last_isize(in, len);
            size_t want = buf_cap > max_out / GZIP_GROWTH ? max_out : buf_cap * GZIP_GROWTH;
            if (isize > buf_cap && isize < want)
                want = isize;
            unsigned char *nb;
            if (total == 0) {
                free(buf);
                buf = NULL;
                nb = malloc(want);
            } else {
                nb = malloc(want);
                if (nb)
                    memcpy(nb, buf, total);
                free(buf);
            }
            buf = nb;
            if (!nb) {
                rc = TLSRPT_ENOMEM;
                break;
            }
            buf_cap = want;
            continue; /* decompress the same member again into the larger buffer */
        }
        if (res != LIBDEFLATE_SUCCESS) {
            trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("gzip-invalid"), pos, NULL,
                          "The gzip member at byte %zu is truncated or corrupt (bad header, deflate data, CRC or "
                          "length).",
                          pos);
            rc = TLSRPT_ESYNTAX;
            break;
        }
        total += produced;
        pos += in_used;
    }
    libdeflate_free_decompressor(dec);

    if (rc != TLSRPT_OK) {
        free(buf);
        return rc;
    }
    if (!buf) { /* len == 0 cannot happen for detected gzip, but keep the contract */
        buf = malloc(1);
        if (!buf)
            return TLSRPT_ENOMEM;
    } else if (total < buf_cap) {
        unsigned char *nb = realloc(buf, total ? total : 1);
        if (nb)
            buf = nb;
    }
    *out = buf;
    *out_len = total;
    return TLSRPT_OK;
}

/* ---- Compression ------------------------------------------------------------------------------------------------- */

int trpt_gzip_compress(const void *data, size_t len, unsigned char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(TRPT_GZIP_LEVEL);
    if (!c)
        return TLSRPT_ENOMEM;
    size_t bound = libdeflate_gzip_compress_bound(c, len);
    unsigned char *buf = malloc(bound ? bound : 1);
    if (!buf) {
        libdeflate_free_compressor(c);
        return TLSRPT_ENOMEM;
    }
    size_t n = libdeflate_gzip_compress(c, data, len, buf, bound);
    libdeflate_free_compressor(c);
    if (n == 0) { /* cannot happen with a buffer of the bound's size */
        free(buf);
        return TLSRPT_ENOMEM;
    }
    *out = buf;
    *out_len = n;
    return TLSRPT_OK;
}

