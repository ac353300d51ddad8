/* libtlsrpt — base64 (RFC 4648 §4 alphabet, RFC 2045 §6.8 line rules). Internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * Both directions: the writer encodes the §5.3 e-mail's report part with trpt_base64_put_lines(), the MIME reader
 * (mime.c) decodes a base64 body with trpt_base64_decode(). Both read the one alphabet of this header. */
#ifndef TLSRPT_BASE64_H
#define TLSRPT_BASE64_H

#include <stddef.h>

#include "internal.h"

/* The 64 characters in the order of their values. */
#define TRPT_BASE64_ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

/* The value 0..63 of a base64 character, -1 for any other byte (including the padding "="). */
static inline int trpt_base64_value(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Appends the base64 of data[0..len) in lines of 76 characters, each ended by CRLF (RFC 2045 §6.8), the last line
 * shorter and padded with "="; nothing for len 0. */
void trpt_base64_put_lines(trpt_buf *b, const unsigned char *data, size_t len);

/* What trpt_base64_decode() found. */
enum {
    TRPT_BASE64_OK = 0,
    TRPT_BASE64_STOPPED,          /* the junk callback returned nonzero */
    TRPT_BASE64_FULL,             /* the output would pass max bytes */
    TRPT_BASE64_PAD_MISPLACED,    /* '=' where a data character must be (at *at) */
    TRPT_BASE64_PAD_EXCESS,       /* more '=' than the last group can take (at *at) */
    TRPT_BASE64_DATA_AFTER_PAD,   /* an alphabet character after the padding (at *at) */
    TRPT_BASE64_TRUNCATED         /* the text ends inside a 4-character group (*at = len) */
};

/* Called once, at the first byte that is neither in the alphabet nor white space nor '=', with its offset in the
 * input: 0 to read on, nonzero to stop. */
typedef int (*trpt_base64_junk_fn)(void *ctx, size_t at, unsigned char byte);

/* Decodes base64 text as RFC 2045 §6.8 asks: space, tab, CR and LF are skipped silently; any other byte outside
 * the alphabet is skipped too ("Any characters outside of the base64 alphabet are to be ignored"), the first one
 * reported to junk (may be NULL); "=" is padding, only at the end, completing the last 4-character group. Writes at
 * most max bytes to out (in / 4 * 3 + 3 always suffice) and their number to *out_len. Returns TRPT_BASE64_OK or
 * the first problem, with its offset in the input in *at (for TRPT_BASE64_FULL the offset of the byte being
 * decoded); reads nothing after it. */
int trpt_base64_decode(const unsigned char *in, size_t len, unsigned char *out, size_t max, size_t *out_len,
                       size_t *at, trpt_base64_junk_fn junk, void *ctx);

#endif
