/* libtlsrpt — domain names (internal, never installed). SPDX-License-Identifier: MIT
 *
 * One place for what counts as a domain name, IDNA2008 conversion and organizational domains, so that the record
 * lint, zone output, DNS lookups, the authorization check and report validation all agree. */
#ifndef TLSRPT_DOMAIN_H
#define TLSRPT_DOMAIN_H

#include <stddef.h>

/* Longest name in presentation form without the trailing dot, and longest label (RFC 1035). */
#define TRPT_DOMAIN_MAX_LENGTH 253u
#define TRPT_LABEL_MAX_LENGTH 63u

/* Converts a host/domain name (U-labels or A-labels, any case, optional single trailing dot) to lower-case A-labels
 * without the trailing dot, using IDNA2008 non-transitional processing (libidn2). The result must be a host name:
 * labels of 1..63 letters, digits and hyphens, no leading or trailing hyphen, at most 253 octets in all.
 * `allow_underscore` also admits '_' in labels (service names such as _smtp._tls, and the wider set of names that
 * occur in DNS). Returns TLSRPT_OK (*out is new, free()), TLSRPT_EINVAL (not a domain name) or TLSRPT_ENOMEM. */
int trpt_domain_to_alabel(const char *name, int allow_underscore, char **out);

/* The name `before` + the A-label form of `domain` + `after`, where `before` is whole labels with their dots
 * ("_smtp._tls.", "_mta-sts.", "https://mta-sts.") and `after` follows the name (".", a URL path): for the
 * service names and URLs built under a policy domain. The labels of `before` (from its last "/" on) and the domain
 * must fit the 253 octets of a name. Returns TLSRPT_OK (*out new, free()), TLSRPT_EINVAL (not a domain name, or the
 * name too long) or TLSRPT_ENOMEM. */
int trpt_domain_name_under(const char *domain, const char *before, const char *after, char **out);

/* The one rule behind trpt_domain_to_alabel (and tlsrpt_domain_check, tlsrpt_domain_to_ascii): the same
 * conversion, and when `name` is refused, one ERROR finding in diag (may be NULL) that says why: domain-empty,
 * domain-not-utf8, domain-url, domain-email-address, domain-ip-address, domain-record-name (a "_smtp._tls.",
 * "_mta-sts." or "_report._tls." name where a domain is expected; not with allow_underscore), domain-empty-label,
 * domain-label-too-long, domain-label-hyphen, domain-bad-character, domain-too-long, domain-idna-invalid
 * (doc/diagnostics.md), with the byte offset in `name` where there is one. A function that takes a domain and a
 * diag reports through this. `out` may be NULL (check only). Returns TLSRPT_OK (*out new, free()), TLSRPT_EINVAL
 * (NULL name: no finding) or TLSRPT_ENOMEM. */
struct tlsrpt_diag;
int trpt_domain_check(const char *name, int allow_underscore, struct tlsrpt_diag *diag, char **out);

/* 1 if `name` (already lower-case A-labels, no trailing dot) is a syntactically valid host name as above. */
int trpt_domain_is_valid_alabel(const char *name, size_t len, int allow_underscore);

/* The organizational domain of an A-label name: its registrable domain under the Public Suffix List (libpsl), or
 * the name itself when the name is a public suffix or has no registrable part. Returns TLSRPT_OK (*out is new,
 * free()), TLSRPT_EINVAL or TLSRPT_ENOMEM. */
int trpt_org_domain(const char *alabel_name, char **out);

/* Compares the organizational domains of two A-label names: 1 same, 0 different, negative TLSRPT_E* on error. */
int trpt_same_org_domain(const char *a, const char *b);

#endif
