/* libtlsrpt — IP address text (internal, never installed). SPDX-License-Identifier: MIT
 *
 * The library's one parser of IPv4 and IPv6 text, used where a report is validated, where a builder takes an
 * address and for a resolver's name server. It accepts exactly what glibc's inet_pton() accepts for AF_INET and then
 * AF_INET6 (tests/test_ip.c compares the two over generated strings), but reads (text, length) instead of a C
 * string, so that a NUL byte in the text is not an address rather than its end. */
#ifndef TLSRPT_IP_H
#define TLSRPT_IP_H

#include <stddef.h>

/* Parses IPv4 dotted-quad (RFC 8460 / RFC 3986 dec-octet, no leading zeros) or IPv6 text (RFC 4291 §2.2, with an
 * optional trailing dotted quad; no zone id, no brackets). Returns 4 or 6 (and the address in network order in
 * addr[0..3] or addr[0..15]; addr may be NULL), or 0 when the text is not an address. */
int trpt_ip_parse(const char *s, size_t len, unsigned char addr[16]);
/* 1 if s is an IP address in its RFC 5952 canonical text form (always 1 for a valid IPv4 address). */
int trpt_ip_is_canonical(const char *s, size_t len);

#endif
