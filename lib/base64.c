/* libtlsrpt — base64 both directions (base64.h): the MIME line encoder and the RFC 2045 §6.8 decoder.
 * SPDX-License-Identifier: MIT */
#include "base64.h"

#include <stdint.h>

void trpt_base64_put_lines(trpt_buf *b, const unsigned char *data, size_t len)
{
    static const char alphabet[] = TRPT_BASE64_ALPHABET;
    char line[78];
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        size_t k = len - i;
        if (k > 1)
            v |= (uint32_t)data[i + 1] << 8;
        if (k > 2)
            v |= data[i + 2];
        line[n++] = alphabet[(v >> 18) & 63];
        line[n++] = alphabet[(v >> 12) & 63];
        line[n++] = k > 1 ? alphabet[(v >> 6) & 63] : '=';
        line[n++] = k > 2 ? alphabet[v & 63] : '=';
        if (n == 76) {
            line[n++] = '\r';
            line[n++] = '\n';
            trpt_buf_append(b, line, n);
            n = 0;
        }
    }
    if (n > 0) {
        line[n++] = '\r';
        line[n++] = '\n';
        trpt_buf_append(b, line, n);
    }
}

/* Appends one decoded byte: 0, or -1 when out is full. */
static int put_byte(unsigned char *out, size_t max, size_t *n, unsigned char byte)
{
    if (*n >= max)
        return -1;
    out[(*n)++] = byte;
    return 0;
}

int trpt_base64_decode(const unsigned char *in, size_t len, unsigned char *out, size_t max, size_t *out_len,
                       size_t *at, trpt_base64_junk_fn junk, void *ctx)
{
    uint32_t acc = 0;
    size_t quantum = 0, pad = 0;
    int junk_reported = 0;
    *out_len = 0;
    *at = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = in[i];
        if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n')
            continue;
        *at = i;
        if (ch == '=') {
            if (quantum + pad < 2)
                return TRPT_BASE64_PAD_MISPLACED;
            if (quantum + ++pad > 4)
                return TRPT_BASE64_PAD_EXCESS;
            continue;
        }
        int v = trpt_base64_value(ch);
        if (v < 0) {
            if (!junk_reported) {
                junk_reported = 1;
                if (junk && junk(ctx, i, ch) != 0)
                    return TRPT_BASE64_STOPPED;
            }
            continue;
        }
        if (pad > 0)
            return TRPT_BASE64_DATA_AFTER_PAD;
        acc = acc << 6 | (uint32_t)v;
        if (++quantum == 4) {
            if (put_byte(out, max, out_len, (unsigned char)(acc >> 16)) ||
                put_byte(out, max, out_len, (unsigned char)(acc >> 8)) ||
                put_byte(out, max, out_len, (unsigned char)acc))
                return TRPT_BASE64_FULL;
            acc = 0;
            quantum = 0;
        }
    }
    *at = len;
    if (quantum == 0 && pad == 0)
        return TRPT_BASE64_OK;
    if (quantum + pad != 4)
        return TRPT_BASE64_TRUNCATED;
    acc <<= 6 * (unsigned)pad;
    if (put_byte(out, max, out_len, (unsigned char)(acc >> 16)))
        return TRPT_BASE64_FULL;
    if (quantum == 3 && put_byte(out, max, out_len, (unsigned char)(acc >> 8)))
        return TRPT_BASE64_FULL;
    return TRPT_BASE64_OK;
}
