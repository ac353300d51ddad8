/* libtlsrpt — UTF-8 (RFC 3629): the one rule for a well-formed sequence, and the encoder. Internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * The sequence check is static inline so that the JSON reader's per-byte string loop (json_reader.c) keeps it
 * inlined as it was when the reader had its own copy; the reader also needs the length of a bad sequence's maximal
 * subpart, to replace it by U+FFFD. trpt_utf8_valid_prefix() (utf8.c), which every other check uses, applies the
 * same rule to a whole text. */
#ifndef TLSRPT_UTF8_H
#define TLSRPT_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* Checks the UTF-8 sequence that starts with the non-ASCII byte s[0] (RFC 3629 §4: no overlongs, no surrogates,
 * nothing above U+10FFFF). Returns its length when well-formed, else 0 with *bad set to the length of its maximal
 * ill-formed subpart (at least 1): Unicode's "U+FFFD substitution of maximal subparts". */
static inline size_t trpt_utf8_sequence(const unsigned char *s, size_t avail, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    if (avail < 2 || s[1] < lo || s[1] > hi) {
        *bad = 1;
        return 0;
    }
    for (size_t i = 2; i < need; i++) {
        if (i >= avail || (s[i] & 0xC0) != 0x80) {
            *bad = i;
            return 0;
        }
    }
    return need;
}

/* Writes code point cp (at most U+10FFFF, not a surrogate) as 1..4 bytes of UTF-8; returns how many. */
static inline size_t trpt_utf8_encode(char out[4], uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Length of the longest prefix of s[0..len) that is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates
 * U+D800..U+DFFF, nothing above U+10FFFF; NUL bytes are well-formed). Equals len when the whole text is valid; a
 * truncated sequence at the end stops the prefix before it. */
size_t trpt_utf8_valid_prefix(const char *s, size_t len);

#endif
