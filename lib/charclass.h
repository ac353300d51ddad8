/* libtlsrpt — ASCII character classes of the RFCs the library reads and writes (internal, never installed).
 * SPDX-License-Identifier: MIT
 *
 * Each takes a byte value as an int (0..255; pass `(unsigned char)` of a char) and never looks at the locale: the
 * grammars are ASCII, and <ctype.h> answers by locale (and is undefined for negative values). */
#ifndef TLSRPT_CHARCLASS_H
#define TLSRPT_CHARCLASS_H

#include <string.h>

/* RFC 5234 DIGIT, ALPHA, and the two together. */
static inline int trpt_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static inline int trpt_is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline int trpt_is_alnum(int c)
{
    return trpt_is_alpha(c) || trpt_is_digit(c);
}

/* RFC 5234 WSP: space or horizontal tab. */
static inline int trpt_is_wsp(int c)
{
    return c == ' ' || c == '\t';
}

/* RFC 5234 HEXDIG, in either case. */
static inline int trpt_is_hexdig(int c)
{
    return trpt_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The value 0..15 of a HEXDIG, -1 for any other byte. */
static inline int trpt_hex_value(int c)
{
    if (trpt_is_digit(c))
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* RFC 3986 unreserved = ALPHA / DIGIT / "-" / "." / "_" / "~". */
static inline int trpt_is_unreserved(int c)
{
    return trpt_is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* RFC 5322 §3.2.3 atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "/" / "=" / "?" /
 * "^" / "_" / "`" / "{" / "|" / "}" / "~". */
static inline int trpt_is_atext(int c)
{
    return trpt_is_alnum(c) || (c > 0 && c < 0x80 && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

#endif
