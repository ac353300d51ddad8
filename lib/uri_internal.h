/* libtlsrpt — private interface between the URI parser and the record parser, builder and lint. Never installed.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_URI_INTERNAL_H
#define TLSRPT_URI_INTERNAL_H

#include "internal.h"

/* Parses one destination URI. Diagnostic offsets are `base` plus the byte's index in `text`, so the record parser
 * reports offsets in the record while tlsrpt_uri_parse() reports them in the URI (base 0). Same return codes as
 * tlsrpt_uri_parse(); *out is NULL on failure. */
int trpt_uri_parse_at(tlsrpt_uri **out, const char *text, size_t len, size_t base, tlsrpt_diag *diag);

/* Builds a mailto: URI from a bare addr-spec (not percent-encoded), e.g. "user@example.com". Grammar errors are
 * TLSRPT_ESYNTAX with an ERROR (mailto-bad-address, mailto-bad-domain, mailto-multiple-addresses) whose offset is
 * the byte index in `address`; diag may be NULL. Returns TLSRPT_OK, TLSRPT_ESYNTAX or TLSRPT_ENOMEM. */
int trpt_uri_from_address(tlsrpt_uri **out, const char *address, size_t len, tlsrpt_diag *diag);

/* 1 if `text` starts with an RFC 3986 scheme followed by ':' (so it is meant as a URI, not a bare address). */
int trpt_uri_has_scheme(const char *text, size_t len);

/* A new string that is equal for two destinations that deliver to the same place: for mailto: the local part as
 * decoded plus the A-label domain; otherwise the scheme and authority lower-cased followed by the rest as written.
 * Returns NULL on allocation failure. */
char *trpt_uri_identity_key(const tlsrpt_uri *u);

#endif
