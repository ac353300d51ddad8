/* libtlsrpt — report destination URIs (the rua list of RFC 8460 §3).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_URI_H
#define TLSRPT_URI_H

#include <tlsrpt/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrpt_uri tlsrpt_uri;

/* URI schemes. Since: 1.0 */
#define TLSRPT_URI_OTHER 0  /* syntactically a URI, but no TLSRPT delivery method (http:, ftp:, ...) */
#define TLSRPT_URI_MAILTO 1 /* mailto: one addr-spec (RFC 6068) */
#define TLSRPT_URI_HTTPS 2  /* https: with a non-empty host */

/**
 * tlsrpt_uri_parse - parse one report destination as it appears in a record.
 * @out:  receives the new URI (free with tlsrpt_uri_free); NULL on failure.
 * @text: the URI bytes (no NUL needed); @len its length.
 * @diag: findings are appended here; may be NULL.
 * Syntax is RFC 3986; ',' '!' ';' must be percent-encoded (RFC 8460 §3); no whitespace, control or non-ASCII
 * bytes. The scheme is compared case-insensitively. A mailto: URI must hold exactly one addr-spec (RFC 6068 /
 * RFC 5322 dot-atom or quoted-string local part, host-name domain; address literals are refused), with '/', '&',
 * '=' percent-encoded and no fragment; header fields ("?subject=...") are accepted and ignored (INFO). An https:
 * URI must have a non-empty host. Other schemes parse as TLSRPT_URI_OTHER. Diagnostic ids and offsets (relative
 * to @text) are listed in doc/diagnostics.md.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL, or text NULL with len > 0), TLSRPT_ESYNTAX (with an ERROR entry and
 * the byte offset), TLSRPT_ELIMIT (longer than TLSRPT_MAX_URI_LENGTH) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_uri_parse(tlsrpt_uri **out, const char *text, size_t len, tlsrpt_diag *diag);

/**
 * tlsrpt_uri_new_mailto - build a mailto: URI from an e-mail address "local@domain".
 * @address is not percent-encoded; it may be a U-label domain (UTF-8). Every byte other than unreserved
 * characters, '$' '\'' '(' ')' '*' '+' ':' and the separating '@' is percent-encoded (this covers RFC 6068 §2 and
 * RFC 8460's ',' '!' ';'). The mailbox of the result is @address as given.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL argument, or not an addr-spec), TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_uri_new_mailto(tlsrpt_uri **out, const char *address);

/** tlsrpt_uri_scheme - TLSRPT_URI_MAILTO, TLSRPT_URI_HTTPS or TLSRPT_URI_OTHER (also for NULL). Since: 1.0 */
TLSRPT_API int tlsrpt_uri_scheme(const tlsrpt_uri *u);

/**
 * tlsrpt_uri_string - the URI as it must appear in a record, ',' '!' ';' percent-encoded (borrowed).
 * NULL for NULL. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_uri_string(const tlsrpt_uri *u);

/**
 * tlsrpt_uri_mailbox - for mailto:, the percent-decoded addr-spec "local@domain" (borrowed); NULL otherwise.
 * Since: 1.0
 */
TLSRPT_API const char *tlsrpt_uri_mailbox(const tlsrpt_uri *u);

/**
 * tlsrpt_uri_host - the lower-case destination host: the mailbox's domain for mailto:, the authority host for
 * https: and other schemes with an authority (borrowed); NULL when there is none. Domain names are given in
 * A-labels (a U-label or percent-encoded UTF-8 domain is converted with IDNA2008); IP literals keep their brackets
 * ("[2001:db8::1]"); a reg-name that is not a DNS name is lower-cased as written. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_uri_host(const tlsrpt_uri *u);

/** tlsrpt_uri_dup - deep copy. Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. Since: 1.0 */
TLSRPT_API int tlsrpt_uri_dup(tlsrpt_uri **out, const tlsrpt_uri *u);

/** tlsrpt_uri_free - free a URI. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_uri_free(tlsrpt_uri *u);

#ifdef __cplusplus
}
#endif

#endif
