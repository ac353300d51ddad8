/* libtlsrpt — status codes, memory, versions and the diagnostics list.
 * SPDX-License-Identifier: MIT
 *
 * Ownership words used in every header:
 *   "new"      — the caller owns the result and releases it with the named function;
 *   "borrowed" — the pointer belongs to another object and stays valid until that object is freed or modified.
 */
#ifndef TLSRPT_COMMON_H
#define TLSRPT_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(TLSRPT_BUILDING_LIBRARY) && defined(__GNUC__)
#define TLSRPT_API __attribute__((visibility("default")))
#else
#define TLSRPT_API
#endif

/* Status codes. Every fallible function returns TLSRPT_OK or one of these negative values. They are never
 * renumbered. Since: 1.0 */
#define TLSRPT_OK 0
#define TLSRPT_ENOMEM (-1)       /* allocation failed */
#define TLSRPT_EINVAL (-2)       /* bad argument: NULL where not allowed, index out of range, bad flag */
#define TLSRPT_ESYNTAX (-3)      /* input does not follow its grammar */
#define TLSRPT_ESEMANTIC (-4)    /* well-formed but not valid */
#define TLSRPT_ELIMIT (-5)       /* input over a size, depth or count limit */
#define TLSRPT_ENOTFOUND (-6)    /* DNS: no TLSRPT record */
#define TLSRPT_EMULTIPLE (-7)    /* DNS: more than one TLSRPT record */
#define TLSRPT_ETEMPFAIL (-8)    /* DNS: temporary failure, retry later */
#define TLSRPT_EUNSUPPORTED (-9) /* feature not built in, or scheme/format not supported */

/* Severities of diagnostics. Since: 1.0 */
#define TLSRPT_SEVERITY_INFO 0
#define TLSRPT_SEVERITY_WARNING 1
#define TLSRPT_SEVERITY_ERROR 2

/* tlsrpt_diag_offset() for a finding that has no position in the input. Since: 1.0 */
#define TLSRPT_NO_OFFSET ((size_t)-1)

/* Input limits (see doc/limits.md). Going over one is TLSRPT_ELIMIT with a diagnostic. Since: 1.0 */
#define TLSRPT_MAX_RECORD_LENGTH 65535u             /* bytes of record text */
#define TLSRPT_MAX_URI_LENGTH 8192u                 /* bytes of one URI */
#define TLSRPT_MAX_RUA_COUNT 128u                   /* destinations in one record */
#define TLSRPT_MAX_EXTENSION_COUNT 128u             /* extension fields in one record */
#define TLSRPT_MAX_REPORT_SIZE (20u * 1024u * 1024u) /* report input and decompressed report, bytes */
#define TLSRPT_MAX_JSON_DEPTH 64u                   /* JSON nesting depth */

/**
 * tlsrpt_status_string - a static English sentence describing a status code.
 * Works for any int, unknown codes included. Never NULL; the string is static and must not be freed.
 * Since: 1.0
 */
TLSRPT_API const char *tlsrpt_status_string(int code);

/**
 * tlsrpt_status_name - the name of a status code's macro: "TLSRPT_OK", "TLSRPT_ESYNTAX", ... (static, never free
 * it), for bindings and logs that want a stable token rather than a sentence. NULL for a code this library does
 * not define (a later 1.x may add codes: map NULL to a generic error). Since: 1.1
 */
TLSRPT_API const char *tlsrpt_status_name(int code);

/**
 * tlsrpt_free - release memory the library allocated for the caller (every "char **out" result).
 * NULL is a no-op. Since: 1.0
 */
TLSRPT_API void tlsrpt_free(void *p);

/** tlsrpt_version_number - the library's TLSRPT_VERSION_NUMBER at run time. Since: 1.0 */
TLSRPT_API int tlsrpt_version_number(void);

/** tlsrpt_version_string - the library's TLSRPT_VERSION_STRING at run time (static). Since: 1.0 */
TLSRPT_API const char *tlsrpt_version_string(void);

/* ---- Diagnostics ------------------------------------------------------------------------------------------------
 * One list carries every error, warning and note a function found. Parse and check functions take a
 * tlsrpt_diag * that may be NULL and append to it. When a function fails with ESYNTAX, ESEMANTIC or ELIMIT, at
 * least one ERROR entry explains why. Ids are stable kebab-case strings listed in doc/diagnostics.md. */

typedef struct tlsrpt_diag tlsrpt_diag;

/**
 * tlsrpt_diag_new - create an empty diagnostics list.
 * @out: receives the new list (free with tlsrpt_diag_free); NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out is NULL) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_diag_new(tlsrpt_diag **out);

/** tlsrpt_diag_free - free the list and every entry. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_diag_free(tlsrpt_diag *d);

/** tlsrpt_diag_clear - remove every entry (the list stays usable). NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_diag_clear(tlsrpt_diag *d);

/** tlsrpt_diag_count - number of entries; 0 for NULL. Since: 1.0 */
TLSRPT_API size_t tlsrpt_diag_count(const tlsrpt_diag *d);

/**
 * tlsrpt_diag_severity - TLSRPT_SEVERITY_ERROR, _WARNING or _INFO of entry i;
 * TLSRPT_EINVAL when d is NULL or i is out of range. Since: 1.0
 */
TLSRPT_API int tlsrpt_diag_severity(const tlsrpt_diag *d, size_t i);

/** tlsrpt_diag_id - stable kebab-case id of entry i (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const char *tlsrpt_diag_id(const tlsrpt_diag *d, size_t i);

/**
 * tlsrpt_diag_message - one English sentence naming the offending text (borrowed); NULL when out of range.
 * Since: 1.0
 */
TLSRPT_API const char *tlsrpt_diag_message(const tlsrpt_diag *d, size_t i);

/**
 * tlsrpt_diag_offset - byte offset of the finding in the input, or TLSRPT_NO_OFFSET when it has none or i is out
 * of range. Since: 1.0
 */
TLSRPT_API size_t tlsrpt_diag_offset(const tlsrpt_diag *d, size_t i);

/**
 * tlsrpt_diag_path - JSON pointer of a report finding (e.g. "/policies/0/summary"), "" for other findings
 * (borrowed); NULL when out of range. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_diag_path(const tlsrpt_diag *d, size_t i);

/**
 * tlsrpt_diag_hint - a one-line suggested fix for entry i (borrowed), or NULL when the library has none.
 * A hint names what to type instead ("Did you mean \"mailto:a@example.com\"?", "Remove the quotes around the
 * record."); doc/diagnostics.md lists the mistakes that get one. Like messages, hints are English text that may be
 * reworded in any release. NULL also when d is NULL or i is out of range. Since: 1.1
 */
TLSRPT_API const char *tlsrpt_diag_hint(const tlsrpt_diag *d, size_t i);

/* ---- JSON output ------------------------------------------------------------------------------------------------
 * tlsrpt_diag_to_json(), tlsrpt_record_to_json() and tlsrpt_lookup_result_to_json() write the documents of one
 * schema, doc/json-output.md, whose version is TLSRPT_JSON_SCHEMA_VERSION: within a version, members are only ever
 * added, never removed, renamed or given another type. Output is compact (no white space) unless flags has
 * TLSRPT_JSON_PRETTY. Since: 1.1 */
#define TLSRPT_JSON_SCHEMA_VERSION 1
/* The same flag as for tlsrpt_report_serialize() (report.h defines it identically). Since: 1.0 */
#define TLSRPT_JSON_PRETTY 0x1u

/**
 * tlsrpt_diag_to_json - the findings of d as a JSON array (doc/json-output.md, "Finding"): one object per entry,
 * in order, with "severity", "id", "message", "offset" (null for TLSRPT_NO_OFFSET), "path" and "hint" (null when
 * there is none).
 * @flags: 0 or TLSRPT_JSON_PRETTY.
 * @out: receives a new NUL-terminated string (free with tlsrpt_free); NULL on failure. @out_len its length, may be
 * NULL. A NULL or empty d gives "[]".
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL, unknown flag) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_diag_to_json(const tlsrpt_diag *d, unsigned int flags, char **out, size_t *out_len);

/* ---- Domain names ------------------------------------------------------------------------------------------------
 * One rule for every function that takes a domain name (a policy domain, a submitter, an mx host, the domain of
 * an e-mail address): U-labels (UTF-8) or A-labels, any case, at most one trailing dot; IDNA2008 non-transitional
 * (libidn2); the result is a host name of lower-case LDH labels of 1..63 octets, 253 octets in all. Where a name
 * goes on the wire (DNS queries, file names, e-mail headers, report JSON) its A-label form is written. */

/**
 * tlsrpt_domain_to_ascii - the A-label form of a domain name, as every function of the library converts it.
 * @in:  the name (UTF-8, NUL-terminated).
 * @out: receives the lower-case A-label name without a trailing dot (free with tlsrpt_free); NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument, or in is not a domain name: tlsrpt_domain_check() says why)
 * or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_domain_to_ascii(const char *in, char **out);

/**
 * tlsrpt_domain_check - say why a text is not a domain name, by the rule above (what tlsrpt_domain_to_ascii() and
 * every domain-taking function accept).
 * @in:   the text (UTF-8, NUL-terminated).
 * @diag: when in is refused, one ERROR finding is appended here (may be NULL): its id tells the reason —
 *        "domain-record-name" (a record name such as "_smtp._tls.example.com" was given), "domain-email-address",
 *        "domain-url", "domain-ip-address" (bracketed or IPv6; a dotted-quad IPv4 address is accepted, as in 1.0,
 *        with a WARNING of that id), "domain-too-long", "domain-label-too-long", "domain-empty",
 *        "domain-empty-label", "domain-label-hyphen", "domain-bad-character", "domain-not-utf8",
 *        "domain-idna-invalid" — with the byte offset in @in where there is one (doc/diagnostics.md).
 * Returns TLSRPT_OK (a domain name), TLSRPT_EINVAL (in NULL, without a finding; or not a domain name) or
 * TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_domain_check(const char *in, tlsrpt_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
