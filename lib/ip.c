/* libtlsrpt — IP address text: the one parser of IPv4 and IPv6 text in the library, and the RFC 5952 canonical
 * form (ip.h). SPDX-License-Identifier: MIT */
#include "ip.h"

#include <stdio.h>
#include <string.h>

#include "charclass.h"

/* IPv4address = dec-octet "." dec-octet "." dec-octet "." dec-octet; dec-octet has no leading zeros. */
static int parse_ipv4(const char *s, size_t len, unsigned char out[4])
{
    size_t i = 0;
    for (int part = 0; part < 4; part++) {
        if (part > 0) {
            if (i >= len || s[i] != '.')
                return 0;
            i++;
        }
        size_t start = i;
        unsigned v = 0;
        while (i < len && trpt_is_digit((unsigned char)s[i]) && i - start < 3)
            v = v * 10 + (unsigned)(s[i++] - '0');
        size_t n = i - start;
        if (n == 0 || (n > 1 && s[start] == '0') || v > 255 || (i < len && trpt_is_digit((unsigned char)s[i])))
            return 0;
        out[part] = (unsigned char)v;
    }
    return i == len;
}

/* RFC 4291 §2.2: eight groups of 1-4 hex digits, at most one "::" standing for one or more zero groups, and
 * optionally the last 32 bits as a dotted quad. */
static int parse_ipv6(const char *s, size_t len, unsigned char out[16])
{
    unsigned groups[8];
    size_t n = 0;
    long gap = -1; /* group index where "::" stands */
    size_t i = 0;

    if (len < 2)
        return 0;
    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        gap = 0;
        i = 2;
    }
    while (i < len) {
        /* The token up to the next ':' or the end: hex group or (last) dotted quad. */
        size_t end = i;
        int has_dot = 0;
        while (end < len && s[end] != ':') {
            if (s[end] == '.')
                has_dot = 1;
            end++;
        }
        if (has_dot) {
            unsigned char v4[4];
            if (end != len || n > 6 || !parse_ipv4(s + i, end - i, v4))
                return 0;
            groups[n++] = (unsigned)v4[0] << 8 | v4[1];
            groups[n++] = (unsigned)v4[2] << 8 | v4[3];
            i = end;
            break;
        }
        size_t digits = end - i;
        if (digits == 0 || digits > 4 || n >= 8)
            return 0;
        unsigned v = 0;
        for (size_t k = i; k < end; k++) {
            int h = trpt_hex_value((unsigned char)s[k]);
            if (h < 0)
                return 0;
            v = v << 4 | (unsigned)h;
        }
        groups[n++] = v;
        i = end;
        if (i == len)
            break;
        i++; /* the ':' */
        if (i < len && s[i] == ':') {
            if (gap >= 0)
                return 0;
            gap = (long)n;
            i++;
        } else if (i == len) {
            return 0; /* a single trailing ':' */
        }
    }
    if (gap >= 0) {
        if (n > 7)
            return 0;
        size_t zeros = 8 - n;
        for (size_t k = n; k-- > (size_t)gap;)
            groups[k + zeros] = groups[k];
        for (size_t k = 0; k < zeros; k++)
            groups[(size_t)gap + k] = 0;
    } else if (n != 8) {
        return 0;
    }
    for (size_t k = 0; k < 8; k++) {
        out[2 * k] = (unsigned char)(groups[k] >> 8);
        out[2 * k + 1] = (unsigned char)(groups[k] & 0xff);
    }
    return 1;
}

int trpt_ip_parse(const char *s, size_t len, unsigned char addr[16])
{
    unsigned char tmp[16];
    unsigned char *a = addr ? addr : tmp;
    if (!s)
        return 0;
    if (memchr(s, ':', len))
        return parse_ipv6(s, len, a) ? 6 : 0;
    return parse_ipv4(s, len, a) ? 4 : 0;
}

/* RFC 5952 §4 text of an IPv6 address: lower-case hex without leading zeros, the longest run of two or more zero
 * groups (the first on a tie) as "::". With `mapped_dotted`, an IPv4-mapped address (::ffff:0:0/96) ends in a
 * dotted quad (§5). Writes at most 46 bytes including the NUL. */
static void format_ipv6(const unsigned char a[16], int mapped_dotted, char out[46])
{
    unsigned g[8];
    for (int k = 0; k < 8; k++)
        g[k] = (unsigned)a[2 * k] << 8 | a[2 * k + 1];
    int ngroups = 8;
    int mapped = mapped_dotted && g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    if (mapped)
        ngroups = 6;
    int best = -1, best_len = 0;
    for (int k = 0; k < ngroups;) {
        if (g[k] != 0) {
            k++;
            continue;
        }
        int start = k;
        while (k < ngroups && g[k] == 0)
            k++;
        if (k - start > best_len) {
            best = start;
            best_len = k - start;
        }
    }
    if (best_len < 2)
        best = -1;
    char *p = out;
    size_t left = 46;
    for (int k = 0; k < ngroups; k++) {
        if (k == best) {
            int w = snprintf(p, left, "%s", k == 0 ? "::" : ":");
            p += w;
            left -= (size_t)w;
            k += best_len - 1;
            continue;
        }
        int w = snprintf(p, left, "%x%s", g[k], k < ngroups - 1 ? ":" : "");
        p += w;
        left -= (size_t)w;
    }
    if (mapped) {
        int w = snprintf(p, left, "%s%u.%u.%u.%u", best >= 0 && best + best_len == 6 ? "" : ":", a[12], a[13],
                         a[14], a[15]);
        p += w;
        left -= (size_t)w;
    }
    (void)left;
}

int trpt_ip_is_canonical(const char *s, size_t len)
{
    unsigned char a[16];
    int family = trpt_ip_parse(s, len, a);
    if (family == 4)
        return 1;
    if (family != 6)
        return 0;
    char text[46];
    for (int dotted = 1; dotted >= 0; dotted--) {
        format_ipv6(a, dotted, text);
        if (strlen(text) == len && memcmp(text, s, len) == 0)
            return 1;
    }
    return 0;
}
