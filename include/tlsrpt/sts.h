/* libtlsrpt — MTA-STS (RFC 8461): the _mta-sts TXT record, the policy file, MX matching, the policy's entry in a
 * TLSRPT report, and policy discovery (the TXT lookup and the HTTPS fetch). Everything but tlsrpt_sts_lookup() is a
 * pure function: no network, no clock, no environment.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_STS_H
#define TLSRPT_STS_H

#include <tlsrpt/common.h>
#include <tlsrpt/dns.h>
#include <tlsrpt/report.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrpt_sts_record tlsrpt_sts_record;
typedef struct tlsrpt_sts_policy tlsrpt_sts_policy;

/* Policy modes (RFC 8461 §5). Since: 1.1 */
#define TLSRPT_STS_MODE_NONE 0    /* "none": the domain withdraws its policy */
#define TLSRPT_STS_MODE_TESTING 1 /* "testing": report failures, deliver anyway */
#define TLSRPT_STS_MODE_ENFORCE 2 /* "enforce": deliver only to matching MX hosts with a valid certificate */

/* Input limits (doc/limits.md). Since: 1.1
 * The record text of tlsrpt_sts_record_parse is bounded by TLSRPT_MAX_RECORD_LENGTH and its extension fields by
 * TLSRPT_MAX_EXTENSION_COUNT, as for TLSRPT records. A policy's mx and extension counts are bounded so that every
 * policy fits into a report that the report parser reads back: 3 + mx + extensions "policy-string" entries stay
 * under TLSRPT_MAX_POLICY_STRINGS (1000) and the mx patterns under TLSRPT_MAX_MX_HOSTS (1000). */
#define TLSRPT_MAX_STS_POLICY_SIZE 65536u    /* bytes of a policy file (RFC 8461 §3.3 suggests 64 KiB) */
#define TLSRPT_MAX_STS_MX_COUNT 500u         /* mx lines in one policy */
#define TLSRPT_MAX_STS_EXTENSION_COUNT 128u  /* unknown keys in one policy */
#define TLSRPT_MAX_STS_MAX_AGE 31557600u     /* the largest max_age RFC 8461 §3.2 allows (one year), seconds */

/* Flags of tlsrpt_sts_policy_lint. Since: 1.1 */
#define TLSRPT_STS_LINT_NO_TLSRPT 1u /* the caller knows the policy domain publishes no valid TLSRPT record */

/* ---- The _mta-sts TXT record (RFC 8461 §3.1) ----------------------------------------------------------------- */

/**
 * tlsrpt_sts_record_parse - parse the text of an _mta-sts TXT record (character-strings already joined).
 * @out:  receives the new record (free with tlsrpt_sts_record_free); NULL on failure.
 * @text, @len: the record bytes, no NUL needed; embedded NULs are a syntax error.
 * @diag: findings are appended here; may be NULL.
 * Implements the RFC 8461 §3.1 ABNF exactly: case-sensitive "v=STSv1" first, fields separated by *WSP ";" *WSP, an
 * optional trailing ';', "id=" with 1 to 32 letters and digits (required), extension fields name=value as in
 * TLSRPT records, kept in order (INFO). Grammar violations and a missing id are TLSRPT_ESYNTAX with the byte offset.
 * Accepted with a WARNING: whitespace before the first ';' (erratum 6285: senders that keep only records beginning
 * "v=STSv1;" ignore it), whitespace after the last field, a second v= or id= field (kept as an extension of that
 * name; RFC 8461 §3.2 says later duplicates are ignored, and tlsrpt_sts_record_id gives the first).
 * Also: TLSRPT_ELIMIT (over TLSRPT_MAX_RECORD_LENGTH bytes, the text or its canonical text, or more than
 * TLSRPT_MAX_EXTENSION_COUNT extensions),
 * TLSRPT_EINVAL (out NULL, text NULL with len > 0), TLSRPT_ENOMEM. The parse stops at the first error.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_record_parse(tlsrpt_sts_record **out, const char *text, size_t len, tlsrpt_diag *diag);

/**
 * tlsrpt_sts_record_is_candidate - 1 if the text starts with "v=STSv1" *WSP ";" (the test that selects MTA-STS
 * records among a name's TXT records, with erratum 6285's whitespace), else 0. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_record_is_candidate(const char *text, size_t len);

/**
 * tlsrpt_sts_record_new - a record "v=STSv1; id=<id>;" to build on.
 * @out: receives the new record (free with tlsrpt_sts_record_free); NULL on failure.
 * @id:  1 to 32 ASCII letters and digits (copied).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out or id NULL, id outside the grammar) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_record_new(tlsrpt_sts_record **out, const char *id);

/**
 * tlsrpt_sts_record_add_extension - append an extension field name=value (copied). The name must match
 * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") and must not be "v" or "id"; the value
 * 1*(%x21-3A / %x3C / %x3E-7E). Returns TLSRPT_OK, TLSRPT_EINVAL (NULL, or outside the grammar), TLSRPT_ELIMIT
 * (TLSRPT_MAX_EXTENSION_COUNT reached, or the serialized record would exceed TLSRPT_MAX_RECORD_LENGTH) or
 * TLSRPT_ENOMEM. On failure the record is unchanged. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_record_add_extension(tlsrpt_sts_record *r, const char *name, const char *value);

/** tlsrpt_sts_record_id - the policy id (borrowed; the first id= field); NULL for NULL. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_record_id(const tlsrpt_sts_record *r);

/** tlsrpt_sts_record_extension_count - number of extension fields, in record order (0 for NULL). Since: 1.1 */
TLSRPT_API size_t tlsrpt_sts_record_extension_count(const tlsrpt_sts_record *r);

/** tlsrpt_sts_record_extension_name - name of extension i (borrowed); NULL when out of range. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_record_extension_name(const tlsrpt_sts_record *r, size_t i);

/** tlsrpt_sts_record_extension_value - value of extension i (borrowed); NULL when out of range. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_record_extension_value(const tlsrpt_sts_record *r, size_t i);

/**
 * tlsrpt_sts_record_serialize - the canonical text "v=STSv1; id=<id>[; name=value]...;" (with the trailing ';' of
 * RFC 8461's example, so that every sender's "begins with v=STSv1;" test takes it).
 * @out: receives a new NUL-terminated string (free with tlsrpt_free); NULL on failure. @out_len: its length, may be
 * NULL. Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_record_serialize(const tlsrpt_sts_record *r, char **out, size_t *out_len);

/** tlsrpt_sts_record_free - free a record and everything it owns. NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_sts_record_free(tlsrpt_sts_record *r);

/* ---- The policy file (RFC 8461 §3.2) -------------------------------------------------------------------------- */

/**
 * tlsrpt_sts_policy_parse - parse the body of https://mta-sts.<domain>/.well-known/mta-sts.txt.
 * @out:  receives the new policy (free with tlsrpt_sts_policy_free); NULL on failure.
 * @text, @len: the body, at most TLSRPT_MAX_STS_POLICY_SIZE bytes; no NUL needed.
 * @diag: findings are appended here; may be NULL.
 * The RFC 8461 §3.2 ABNF: lines ended by LF or CRLF (erratum 6253; the last terminator is optional), each
 * "key:" *WSP value *WSP with case-sensitive keys and no whitespace before ':'. "version: STSv1", "mode: enforce" /
 * "testing" / "none" and "max_age: " 1 to 10 digits (0..TLSRPT_MAX_STS_MAX_AGE) are required once each; "mx:" is
 * required at least once unless the mode is none, each an RFC 5321 Domain in A-labels, optionally "*." followed by
 * one (the wildcard is only the whole left-most label). Other keys are extensions: kept in order with an INFO.
 * Errors: a line outside the grammar, a bare CR, a NUL, a non-A-label mx, a value outside UTF-8 is TLSRPT_ESYNTAX
 * at the offending byte; so are a missing required key (TLSRPT_NO_OFFSET) and a repeated version, mode or max_age
 * (offset of the second; an error here, as issue #12 asks, although RFC 8461 §3.2 tells parsers to ignore all but
 * the first). A max_age over the maximum is TLSRPT_ESEMANTIC. Over
 * TLSRPT_MAX_STS_POLICY_SIZE bytes, TLSRPT_MAX_STS_MX_COUNT mx lines or TLSRPT_MAX_STS_EXTENSION_COUNT unknown keys
 * is TLSRPT_ELIMIT, and so is a policy whose canonical file (tlsrpt_sts_policy_serialize: every line ended by CRLF)
 * would be over TLSRPT_MAX_STS_POLICY_SIZE, so that every policy's file is read back. Accepted with a WARNING: empty
 * lines (outside the ABNF; ignored) and a key that differs
 * from a known one only in case (kept as an extension; the known key is then still required).
 * Also TLSRPT_EINVAL (out NULL, text NULL with len > 0) and TLSRPT_ENOMEM. The parse stops at the first error.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_parse(tlsrpt_sts_policy **out, const char *text, size_t len, tlsrpt_diag *diag);

/**
 * tlsrpt_sts_policy_new - a policy "version: STSv1" with this mode and max_age and no mx pattern yet.
 * @out:     receives the new policy (free with tlsrpt_sts_policy_free); NULL on failure.
 * @mode:    TLSRPT_STS_MODE_ENFORCE, _TESTING or _NONE.
 * @max_age: seconds, at most TLSRPT_MAX_STS_MAX_AGE.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL, unknown mode, max_age too large) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_new(tlsrpt_sts_policy **out, int mode, uint32_t max_age);

/**
 * tlsrpt_sts_policy_add_mx - append an mx pattern: a host name ("mx1.example.com") or "*." and a domain
 * ("*.example.com"); U-labels are converted to A-labels and the pattern is stored in lower case without a trailing
 * dot. Returns TLSRPT_OK, TLSRPT_EINVAL (NULL, not a host name, a wildcard elsewhere than the whole left-most
 * label), TLSRPT_ELIMIT (TLSRPT_MAX_STS_MX_COUNT reached) or TLSRPT_ENOMEM. On failure the policy is unchanged.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_add_mx(tlsrpt_sts_policy *p, const char *pattern);

/** tlsrpt_sts_policy_mode - TLSRPT_STS_MODE_*; TLSRPT_EINVAL for NULL. Since: 1.1 */
TLSRPT_API int tlsrpt_sts_policy_mode(const tlsrpt_sts_policy *p);

/** tlsrpt_sts_policy_max_age - max_age in seconds; 0 for NULL. Since: 1.1 */
TLSRPT_API uint32_t tlsrpt_sts_policy_max_age(const tlsrpt_sts_policy *p);

/** tlsrpt_sts_policy_mx_count - number of mx patterns (0 for NULL). Since: 1.1 */
TLSRPT_API size_t tlsrpt_sts_policy_mx_count(const tlsrpt_sts_policy *p);

/**
 * tlsrpt_sts_policy_mx - mx pattern i (borrowed), in policy order, as written in a parsed policy (A-labels; case
 * as written); NULL when out of range. Since: 1.1
 */
TLSRPT_API const char *tlsrpt_sts_policy_mx(const tlsrpt_sts_policy *p, size_t i);

/** tlsrpt_sts_policy_extension_count - number of unknown keys kept, in policy order (0 for NULL). Since: 1.1 */
TLSRPT_API size_t tlsrpt_sts_policy_extension_count(const tlsrpt_sts_policy *p);

/** tlsrpt_sts_policy_extension_name - key of extension i (borrowed); NULL when out of range. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_policy_extension_name(const tlsrpt_sts_policy *p, size_t i);

/** tlsrpt_sts_policy_extension_value - value of extension i (borrowed, UTF-8); NULL when out of range. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_policy_extension_value(const tlsrpt_sts_policy *p, size_t i);

/**
 * tlsrpt_sts_policy_string_count, tlsrpt_sts_policy_string - the policy's lines as they go into a report's
 * "policy-string" (RFC 8460 §4.4, Appendix B): "version: STSv1", "mode: <mode>", one "mx: <pattern>" per pattern
 * in order, "max_age: <seconds>" (without leading zeros), then one "<key>: <value>" per extension in order. The
 * same policy always gives the same strings, whatever its line terminators, whitespace and the place of the
 * version, mode and max_age lines.
 * string_count is 0 for NULL; string returns a borrowed pointer, NULL when out of range. Since: 1.1
 */
TLSRPT_API size_t tlsrpt_sts_policy_string_count(const tlsrpt_sts_policy *p);
TLSRPT_API const char *tlsrpt_sts_policy_string(const tlsrpt_sts_policy *p, size_t i);

/**
 * tlsrpt_sts_policy_serialize - the policy file: the strings of tlsrpt_sts_policy_string, each ended by CRLF.
 * @out: receives a new NUL-terminated string (free with tlsrpt_free); NULL on failure. @out_len: its length, may be
 * NULL. Returns TLSRPT_OK, TLSRPT_EINVAL, TLSRPT_ESEMANTIC (no mx pattern while the mode is not none) or
 * TLSRPT_ENOMEM. parse(serialize(p)) equals p. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_serialize(const tlsrpt_sts_policy *p, char **out, size_t *out_len);

/**
 * tlsrpt_sts_policy_lint - what a careful checker says about a valid policy, appended to @diag (not NULL):
 * lint-sts-enforce-short-max-age (enforce with max_age under 86400 s: WARNING), lint-sts-mode-none (INFO),
 * lint-sts-testing-no-tlsrpt (testing while @flags has TLSRPT_STS_LINT_NO_TLSRPT: nobody will see the failures
 * testing is for; WARNING), lint-sts-enforce-no-tlsrpt (INFO), lint-sts-mx-duplicate (WARNING), lint-sts-mx-redundant
 * (a name a wildcard of the policy already covers: INFO), lint-sts-mx-numeric (a pattern whose last label is all
 * digits, such as an IPv4 address: it covers no host name; WARNING), and when @mx_hosts lists the domain's MX host
 * names: lint-sts-mx-unused (a pattern that covers none of them: INFO) and lint-sts-mx-uncovered (an MX host that
 * no pattern covers: mail to it fails in enforce mode; WARNING, not given in mode none). Findings have no offset.
 * @mx_hosts, @n_mx_hosts: the policy domain's MX host names (U-labels allowed, trailing dot ignored), or NULL and 0
 * when unknown.
 * Returns TLSRPT_OK (none of the findings fails the policy), TLSRPT_EINVAL (p or diag NULL, an unknown flag, an
 * mx_host NULL or not a host name; nothing is appended then) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_lint(const tlsrpt_sts_policy *p, unsigned int flags, const char *const *mx_hosts,
                                      size_t n_mx_hosts, tlsrpt_diag *diag);

/**
 * tlsrpt_sts_policy_matches - whether an MX host is covered by the policy's mx patterns (RFC 8461 §4.1):
 * case-insensitive, a trailing dot ignored, U-labels converted to A-labels (IDNA2008), and "*.example.com"
 * matching exactly one more left-most label ("mail.example.com", not "example.com" or "a.b.example.com").
 * Returns 1 (matches), 0 (does not), TLSRPT_EINVAL (p or mx_host NULL, mx_host not a host name) or TLSRPT_ENOMEM.
 * A const policy may be matched from many threads at once. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_matches(const tlsrpt_sts_policy *p, const char *mx_host);

/** tlsrpt_sts_policy_free - free a policy and everything it owns. NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_sts_policy_free(tlsrpt_sts_policy *p);

/**
 * tlsrpt_report_add_sts_policy - find or add the "sts" policy of an applied MTA-STS policy in a report:
 * tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, policy_domain, the policy's strings (tlsrpt_sts_policy_string),
 * its mx patterns, &p). Two processes that fetched the same policy, or the same process twice, count into one
 * policy entry, even when the files differed in line terminators, whitespace or where the version, mode and
 * max_age lines stood (the mx patterns and extensions keep their order).
 * @policy: receives the policy, borrowed from r; NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument, policy_domain not a domain name) or TLSRPT_ENOMEM; r is
 * unchanged on failure. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_add_sts_policy(tlsrpt_report *r, const char *policy_domain,
                                            const tlsrpt_sts_policy *sts, tlsrpt_policy **policy);

/* ---- Policy discovery (RFC 8461 §3.1-3.3): the _mta-sts TXT record, then the policy over HTTPS -------------------- */

typedef struct tlsrpt_https_response tlsrpt_https_response;
typedef struct tlsrpt_sts_lookup_result tlsrpt_sts_lookup_result;

/* Default of tlsrpt_resolver_set_https_timeout(): the whole fetch (connect, TLS, request, body). RFC 8461 §3.3
 * suggests that senders wait up to a minute; 10 s suits an interactive checker. Since: 1.1 */
#define TLSRPT_STS_DEFAULT_FETCH_TIMEOUT_MS 10000u
/* Host mappings one resolver holds (tlsrpt_resolver_set_https_connect_to). Since: 1.1 */
#define TLSRPT_MAX_HTTPS_CONNECT_TO 16u

/* How a policy fetch ended (tlsrpt_sts_lookup_result_fetch, tlsrpt_https_response_set_error). Since: 1.1 */
#define TLSRPT_STS_FETCH_NONE 0        /* no fetch: no usable TXT record, or not asked for */
#define TLSRPT_STS_FETCH_OK 1          /* an HTTP response arrived (its status may still be other than 200) */
#define TLSRPT_STS_FETCH_CONNECT 2     /* the host name did not resolve, or no connection could be made */
#define TLSRPT_STS_FETCH_TIMEOUT 3     /* the timeout passed before the response was complete */
#define TLSRPT_STS_FETCH_TLS 4         /* the TLS handshake failed for a reason other than the certificate */
#define TLSRPT_STS_FETCH_CERTIFICATE 5 /* the certificate is not valid for mta-sts.<domain> (PKIX or host name) */
#define TLSRPT_STS_FETCH_PROTOCOL 6    /* a broken HTTP response, or any other failure of the transfer */
#define TLSRPT_STS_FETCH_TOO_LARGE 7   /* the body is longer than TLSRPT_MAX_STS_POLICY_SIZE */
#define TLSRPT_STS_FETCH_UNSUPPORTED 8 /* built without HTTPS (meson -Dhttps=disabled) and no fetch function set */

/**
 * tlsrpt_sts_fetch_name - the word for a TLSRPT_STS_FETCH_* value, as the library's JSON writes it ("none", "ok",
 * "connect", "timeout", "tls", "certificate", "protocol", "too-large", "unsupported"; static, never free it). NULL
 * for a value this library does not define (a later 1.x may add some). Since: 1.1
 */
TLSRPT_API const char *tlsrpt_sts_fetch_name(int fetch);

/* Flags of tlsrpt_sts_lookup(). Since: 1.1 */
#define TLSRPT_STS_LOOKUP_TXT_ONLY 1u     /* look up the TXT record only, do not fetch the policy */
#define TLSRPT_STS_LOOKUP_FETCH_ALWAYS 2u /* fetch the policy even without a usable TXT record (checkers); what a
                                             sender would do (status, result type) is unchanged by it */

/**
 * tlsrpt_https_fetch_fn - the caller's own HTTPS client (see tlsrpt_resolver_set_https_fetch).
 * @url:  "https://mta-sts.<a-label domain>/.well-known/mta-sts.txt".
 * @host: "mta-sts.<a-label domain>", the name the certificate must be valid for.
 * @timeout_ms: the resolver's HTTPS timeout.
 * @response: fill it with tlsrpt_https_response_set_status() and _append() for a response that arrived, or
 *            tlsrpt_https_response_set_error() when none did; borrowed, valid during the call only.
 * The function must keep RFC 8461 §3.3: verify the certificate for @host (PKIX), TLS 1.2 or higher, never follow a
 * redirect, no HTTP cache. Returns TLSRPT_OK; any other value is taken as TLSRPT_STS_FETCH_PROTOCOL unless the
 * function set an error itself. Since: 1.1
 */
typedef int (*tlsrpt_https_fetch_fn)(const char *url, const char *host, uint32_t timeout_ms,
                                     tlsrpt_https_response *response, void *userdata);

/**
 * tlsrpt_resolver_set_https_timeout - the limit on one policy fetch, 1 ms or more
 * (default TLSRPT_STS_DEFAULT_FETCH_TIMEOUT_MS). Returns TLSRPT_OK or TLSRPT_EINVAL. Since: 1.1
 */
TLSRPT_API int tlsrpt_resolver_set_https_timeout(tlsrpt_resolver *res, uint32_t milliseconds);

/**
 * tlsrpt_resolver_set_https_ca_file - verify policy hosts against the CA certificates in this PEM file instead of
 * the system's trust store (a staging server, tests). NULL goes back to the system's store. Certificate and host
 * name verification are always on; nothing turns them off. The file is read at each fetch.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (res NULL) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_resolver_set_https_ca_file(tlsrpt_resolver *res, const char *path);

/**
 * tlsrpt_resolver_set_https_connect_to - connect to @address:@port whenever a fetch is for @host:443, as curl's
 * --connect-to does; the URL, the TLS server name and the certificate check still use @host. Replaces an earlier
 * mapping of the same host; host "" maps every host that has no mapping of its own (a staging server); host NULL
 * removes all mappings.
 * @address: an IPv4 or IPv6 literal. @port: 1..65535.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (res NULL, host not a host name, address not an IP literal, port 0),
 * TLSRPT_ELIMIT (more than TLSRPT_MAX_HTTPS_CONNECT_TO hosts) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_resolver_set_https_connect_to(tlsrpt_resolver *res, const char *host, const char *address,
                                                    uint16_t port);

/**
 * tlsrpt_resolver_set_https_fetch - send every policy fetch of this resolver to @fn instead of the built-in client
 * (libcurl). NULL goes back to the built-in client. @userdata is passed to fn unchanged.
 * Returns TLSRPT_OK or TLSRPT_EINVAL. Since: 1.1
 */
TLSRPT_API int tlsrpt_resolver_set_https_fetch(tlsrpt_resolver *res, tlsrpt_https_fetch_fn fn, void *userdata);

/**
 * tlsrpt_https_response_new - an empty response, for tlsrpt_sts_evaluate() with a fetch the caller made itself.
 * (A tlsrpt_https_fetch_fn receives one made by the library.) Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_https_response_new(tlsrpt_https_response **out);

/**
 * tlsrpt_https_response_set_status - an HTTP response arrived: its status code (100..999) and its Content-Type
 * header as received (NULL when it had none). Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_https_response_set_status(tlsrpt_https_response *r, int http_status,
                                                const char *content_type);

/**
 * tlsrpt_https_response_append - append @len bytes of the response body. The body is limited to
 * TLSRPT_MAX_STS_POLICY_SIZE bytes: an append that would go over returns TLSRPT_ELIMIT and marks the response
 * TLSRPT_STS_FETCH_TOO_LARGE (stop receiving then). Returns TLSRPT_OK, TLSRPT_EINVAL, TLSRPT_ELIMIT or
 * TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_https_response_append(tlsrpt_https_response *r, const void *data, size_t len);

/**
 * tlsrpt_https_response_set_error - no usable response arrived: @fetch is one of TLSRPT_STS_FETCH_CONNECT ..
 * _UNSUPPORTED, @message says why in one line (copied; may be NULL). Returns TLSRPT_OK, TLSRPT_EINVAL or
 * TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_https_response_set_error(tlsrpt_https_response *r, int fetch, const char *message);

/** tlsrpt_https_response_free - free a response made by tlsrpt_https_response_new(). NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_https_response_free(tlsrpt_https_response *r);

/**
 * tlsrpt_sts_lookup - discover a domain's MTA-STS policy as a sending MTA does (RFC 8461 §3), without a cache:
 * the TXT records at "_mta-sts.<domain>" through the resolver (CNAMEs followed; records not starting with
 * "v=STSv1;" ignored; exactly one must remain and parse), then a GET of
 * https://mta-sts.<domain>/.well-known/mta-sts.txt (libcurl, or the resolver's fetch function: certificate and host
 * name always verified, TLS 1.2 or higher, no redirect followed, no cache, no cookie, no proxy and no other setting
 * from the environment, the body limited to TLSRPT_MAX_STS_POLICY_SIZE while it arrives, the resolver's HTTPS
 * timeout), then the checks of the response (status 200, media type text/plain) and tlsrpt_sts_policy_parse().
 * @domain: the policy domain, U-labels or A-labels. @flags: TLSRPT_STS_LOOKUP_* or 0.
 * @out: receives the result (free with tlsrpt_sts_lookup_result_free) whenever the return value is not
 *       TLSRPT_EINVAL or TLSRPT_ENOMEM; it tells each stage.
 * Returns what tlsrpt_sts_lookup_result_status() says (see there), TLSRPT_EINVAL (a NULL argument, domain not a
 * domain name) or TLSRPT_ENOMEM. libcurl: the first fetch calls curl_global_init(CURL_GLOBAL_DEFAULT) once per
 * process (thread-safe with libcurl 7.84 or later); libtlsrpt never calls curl_global_cleanup(), so an application
 * that uses libcurl itself is not disturbed. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_lookup(tlsrpt_resolver *res, const char *domain, unsigned int flags,
                                 tlsrpt_sts_lookup_result **out);

/**
 * tlsrpt_sts_evaluate - the same evaluation as tlsrpt_sts_lookup() for answers the caller already has (its own
 * resolver and HTTP client, an event loop): no network.
 * @dns_status: how the caller's TXT query for "_mta-sts.<domain>" ended: TLSRPT_OK (@answer holds the TXT RRs,
 *              after CNAMEs; none = no data), TLSRPT_ENOTFOUND (NXDOMAIN) or TLSRPT_ETEMPFAIL.
 * @answer: the TXT RRs (tlsrpt_txt_answer_new); may be NULL unless dns_status is TLSRPT_OK.
 * @response: the policy fetch (tlsrpt_https_response_new), or NULL when none was made (the result then ends after
 *            the TXT stage, as with TLSRPT_STS_LOOKUP_TXT_ONLY).
 * Returns as tlsrpt_sts_lookup(); TLSRPT_EINVAL also for another dns_status. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_evaluate(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                   const tlsrpt_https_response *response, tlsrpt_sts_lookup_result **out);

/**
 * tlsrpt_sts_evaluate_txt - tlsrpt_sts_evaluate() of the TXT stage alone (response NULL): whether the caller's
 * answer holds the domain's one valid "v=STSv1" record (TLSRPT_OK, tlsrpt_sts_lookup_result_record) before it
 * fetches the policy. Returns as tlsrpt_sts_evaluate(). Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_evaluate_txt(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                       tlsrpt_sts_lookup_result **out);

/**
 * tlsrpt_sts_policy_url - "https://mta-sts.<a-label domain>/.well-known/mta-sts.txt", and
 * tlsrpt_sts_txt_qname - "_mta-sts.<a-label domain>.", each a new string (free with tlsrpt_free).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (not a domain name) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_policy_url(const char *domain, char **out);
TLSRPT_API int tlsrpt_sts_txt_qname(const char *domain, char **out);

/**
 * tlsrpt_sts_lookup_result_status - what a sender without a cached policy makes of the domain:
 * TLSRPT_OK — a valid policy was fetched (tlsrpt_sts_lookup_result_policy);
 * TLSRPT_ENOTFOUND — no MTA-STS: no TXT record at the name, none starting with "v=STSv1;", or the name does not exist;
 * TLSRPT_EMULTIPLE — more than one "v=STSv1;" record (RFC 8461 §3.1: then no MTA-STS);
 * TLSRPT_ESYNTAX — the TXT record is malformed (then no MTA-STS), or the policy is (sts-policy-invalid);
 * TLSRPT_ESEMANTIC — the policy was not usable: a status other than 200, a media type other than text/plain, a
 *                   max_age over the maximum (sts-policy-fetch-error or sts-policy-invalid);
 * TLSRPT_ETEMPFAIL — the TXT lookup failed temporarily, or the fetch did not complete (connection, timeout, TLS,
 *                   certificate: sts-policy-fetch-error or sts-webpki-invalid);
 * TLSRPT_ELIMIT — the TXT answer or the policy body was over a limit;
 * TLSRPT_EUNSUPPORTED — the fetch was needed but HTTPS is not built in and no fetch function was set.
 * With TLSRPT_STS_LOOKUP_TXT_ONLY (or no response given to tlsrpt_sts_evaluate), TLSRPT_OK means the TXT record
 * is valid. TLSRPT_EINVAL for NULL. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_lookup_result_status(const tlsrpt_sts_lookup_result *r);

/**
 * tlsrpt_sts_lookup_result_result_type - the RFC 8460 §4.3.2 result type a sending MTA reports for this outcome
 * ("sts-policy-fetch-error", "sts-policy-invalid" or "sts-webpki-invalid"), or NULL when there is none to report:
 * a valid policy, or no MTA-STS at all (RFC 8461 §6: fetch failures are reportable only when a valid TXT record is
 * present). Static string. Since: 1.1
 */
TLSRPT_API const char *tlsrpt_sts_lookup_result_result_type(const tlsrpt_sts_lookup_result *r);

/* The TXT stage. _domain: the policy domain in A-labels; _txt_qname: "_mta-sts.<domain>."; _txt_status: TLSRPT_OK
 * (one valid record), _ENOTFOUND, _EMULTIPLE, _ESYNTAX, _ETEMPFAIL or _ELIMIT; _txt_count/_txt: every TXT RR as
 * received (strings joined, NUL-terminated; _txt_length for binary-safe use); _record: the parsed record when
 * _txt_status is TLSRPT_OK, else NULL; _authenticated: the answer was DNSSEC-validated (AD bit, or what the caller
 * said). All borrowed from r. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_lookup_result_domain(const tlsrpt_sts_lookup_result *r);
TLSRPT_API const char *tlsrpt_sts_lookup_result_txt_qname(const tlsrpt_sts_lookup_result *r);
TLSRPT_API int tlsrpt_sts_lookup_result_txt_status(const tlsrpt_sts_lookup_result *r);
TLSRPT_API size_t tlsrpt_sts_lookup_result_txt_count(const tlsrpt_sts_lookup_result *r);
TLSRPT_API const char *tlsrpt_sts_lookup_result_txt(const tlsrpt_sts_lookup_result *r, size_t i);
TLSRPT_API size_t tlsrpt_sts_lookup_result_txt_length(const tlsrpt_sts_lookup_result *r, size_t i);
TLSRPT_API const tlsrpt_sts_record *tlsrpt_sts_lookup_result_record(const tlsrpt_sts_lookup_result *r);
TLSRPT_API int tlsrpt_sts_lookup_result_authenticated(const tlsrpt_sts_lookup_result *r);

/* The fetch stage. _url: the policy URL; _fetch: TLSRPT_STS_FETCH_*; _http_status: the HTTP status (0 when no
 * response arrived); _content_type: the Content-Type header as received, or NULL; _body/_body_length: the body as
 * received (NUL-terminated, at most TLSRPT_MAX_STS_POLICY_SIZE bytes; NULL when none); _policy: the parsed policy
 * whenever the body parsed, even when the status or media type makes it unusable (the status says whether a sender
 * applies it). All borrowed from r. Since: 1.1 */
TLSRPT_API const char *tlsrpt_sts_lookup_result_url(const tlsrpt_sts_lookup_result *r);
TLSRPT_API int tlsrpt_sts_lookup_result_fetch(const tlsrpt_sts_lookup_result *r);
TLSRPT_API int tlsrpt_sts_lookup_result_http_status(const tlsrpt_sts_lookup_result *r);
TLSRPT_API const char *tlsrpt_sts_lookup_result_content_type(const tlsrpt_sts_lookup_result *r);
TLSRPT_API const char *tlsrpt_sts_lookup_result_body(const tlsrpt_sts_lookup_result *r);
TLSRPT_API size_t tlsrpt_sts_lookup_result_body_length(const tlsrpt_sts_lookup_result *r);
TLSRPT_API const tlsrpt_sts_policy *tlsrpt_sts_lookup_result_policy(const tlsrpt_sts_lookup_result *r);

/** tlsrpt_sts_lookup_result_diag - every finding of every stage, with ids (borrowed). Since: 1.1 */
TLSRPT_API const tlsrpt_diag *tlsrpt_sts_lookup_result_diag(const tlsrpt_sts_lookup_result *r);

/**
 * tlsrpt_sts_lookup_result_to_json - the result as a JSON object (doc/json-output.md, "MTA-STS lookup result",
 * schema TLSRPT_JSON_SCHEMA_VERSION): "domain", "status" (the TXT stage's verdict when it failed, "fetch-failed"
 * when no response arrived, else the policy's), "valid", "result_type", "txt" {qname, status, authenticated,
 * records, record}, "fetch" {url, outcome, http_status, content_type, bytes, certificate}, "policy" (or null) and
 * "findings". @flags: 0 or TLSRPT_JSON_PRETTY. @out: a new string (free with tlsrpt_free); @out_len may be NULL.
 * Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_sts_lookup_result_to_json(const tlsrpt_sts_lookup_result *r, unsigned int flags, char **out,
                                                size_t *out_len);

/** tlsrpt_sts_lookup_result_free - free a result and everything it owns. NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_sts_lookup_result_free(tlsrpt_sts_lookup_result *r);

#ifdef __cplusplus
}
#endif

#endif
