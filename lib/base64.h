/* libtlsrpt — base64 (RFC 4648 §4 alphabet, RFC 2045 §6.8 line rules). Internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * The writer encodes the §5.3 e-mail's report part here. The reader's decoder (white space skipped, "=" padding
 * only at the end, a finding at the first bad byte) still lives in report_message.c and moves next to the encoder
 * once that file's rewrite is in; it decodes through trpt_base64_value(), so that both directions read the one
 * alphabet of this header. */
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

#endif
