/* libtlsrpt — aggregate TLS reports (RFC 8460 §4): reading, result types, validation.
 * SPDX-License-Identifier: MIT
 *
 * A tlsrpt_report holds the report's metadata and an ordered list of policies; each tlsrpt_policy holds the
 * applied policy, its summary counts and an ordered list of failure details (tlsrpt_failure). Policies and
 * failures are owned by their report: the pointers the getters return are borrowed and stay valid until the
 * report is freed or modified. Every string is returned exactly as written in the report (no normalization of
 * IP addresses, names or case). An optional field that is absent (or JSON null) reads as NULL, which is distinct
 * from an empty string.
 */
#ifndef TLSRPT_REPORT_H
#define TLSRPT_REPORT_H

#include <tlsrpt/common.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrpt_report tlsrpt_report;
typedef struct tlsrpt_policy tlsrpt_policy;
typedef struct tlsrpt_failure tlsrpt_failure;

/* Policy types (the "policy-type" member). Since: 1.0 */
#define TLSRPT_POLICY_OTHER 0           /* a policy-type that RFC 8460 does not define (kept as written) */
#define TLSRPT_POLICY_STS 1             /* "sts": MTA-STS (RFC 8461) */
#define TLSRPT_POLICY_TLSA 2            /* "tlsa": DANE (RFC 7672) */
#define TLSRPT_POLICY_NO_POLICY_FOUND 3 /* "no-policy-found" */

/* Result types (the "result-type" member of a failure detail), the registered values of RFC 8460 §4.3 and the
 * IANA "STARTTLS Validation Result Types" registry. The numbers are never changed. Since: 1.0 */
#define TLSRPT_RESULT_OTHER 0 /* a result type this library does not know (kept as written) */
#define TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED 1
#define TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH 2
#define TLSRPT_RESULT_CERTIFICATE_EXPIRED 3
#define TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED 4
#define TLSRPT_RESULT_VALIDATION_FAILURE 5
#define TLSRPT_RESULT_TLSA_INVALID 6
#define TLSRPT_RESULT_DNSSEC_INVALID 7
#define TLSRPT_RESULT_DANE_REQUIRED 8
#define TLSRPT_RESULT_STS_POLICY_FETCH_ERROR 9
#define TLSRPT_RESULT_STS_POLICY_INVALID 10
#define TLSRPT_RESULT_STS_WEBPKI_INVALID 11

/* Flags of tlsrpt_report_parse(). Since: 1.0 */
#define TLSRPT_PARSE_STRICT 0x1u /* every deviation from RFC 8460 is an ERROR and fails the parse */

/* ---- Reading ---------------------------------------------------------------------------------------------- */

/**
 * tlsrpt_report_parse - parse an RFC 8460 aggregate report.
 * @out:   receives the new report (free with tlsrpt_report_free); NULL on failure.
 * @data:  the report: JSON (UTF-8, I-JSON), or the same JSON compressed with gzip (recognized by the gzip magic
 *         bytes 0x1f 0x8b; several concatenated gzip members are decompressed one after the other).
 * @len:   length of @data in bytes; no NUL terminator is needed.
 * @flags: 0 (lenient) or TLSRPT_PARSE_STRICT.
 * @diag:  findings are appended here; may be NULL.
 *
 * The default (lenient) mode accepts what real senders send and adds a WARNING for each deviation from RFC 8460
 * (date-times without a time zone, null or missing members, failure details without addresses, a summary that
 * disagrees with its details, unknown policy or result types, the old "failure-error-code" name, ...); unknown
 * members are ignored with an INFO note. With TLSRPT_PARSE_STRICT every such deviation is an ERROR and the parse
 * fails. What cannot be read as a report is an error in both modes. doc/report-parsing.md lists every case.
 * Counts are kept as written, absent counts read as 0, policies and failure details keep their order.
 * Every finding carries the JSON pointer of the member it concerns and, where one exists, its byte offset in the
 * (decompressed) JSON text.
 *
 * Returns TLSRPT_OK; TLSRPT_EINVAL (out NULL, data NULL with len > 0, unknown flag bits); TLSRPT_ESYNTAX (the
 * gzip stream, the JSON text or a date-time is malformed); TLSRPT_ESEMANTIC (well-formed JSON that is not a
 * report: not an object, no "policies" array, a member of the wrong type, a count that is not an unsigned 64-bit
 * integer; or, in strict mode, any deviation); TLSRPT_ELIMIT (input or decompressed text over
 * TLSRPT_MAX_REPORT_SIZE, nesting deeper than TLSRPT_MAX_JSON_DEPTH); TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_parse(tlsrpt_report **out, const void *data, size_t len, unsigned flags,
                                   tlsrpt_diag *diag);

/** tlsrpt_report_organization_name - "organization-name" (borrowed); NULL when absent or r is NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_report_organization_name(const tlsrpt_report *r);

/** tlsrpt_report_contact_info - "contact-info" (borrowed); NULL when absent, null, or r is NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_report_contact_info(const tlsrpt_report *r);

/** tlsrpt_report_id - "report-id" (borrowed); NULL when absent or r is NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_report_id(const tlsrpt_report *r);

/**
 * tlsrpt_report_start_time - "date-range"."start-datetime" as Unix seconds (UTC; a date-time without a zone is
 * taken as UTC); 0 when absent or r is NULL. Since: 1.0
 */
TLSRPT_API int64_t tlsrpt_report_start_time(const tlsrpt_report *r);

/** tlsrpt_report_end_time - "date-range"."end-datetime" as Unix seconds (UTC); 0 when absent. Since: 1.0 */
TLSRPT_API int64_t tlsrpt_report_end_time(const tlsrpt_report *r);

/** tlsrpt_report_policy_count - number of policies (0 for NULL). Since: 1.0 */
TLSRPT_API size_t tlsrpt_report_policy_count(const tlsrpt_report *r);

/** tlsrpt_report_policy - policy i in report order (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const tlsrpt_policy *tlsrpt_report_policy(const tlsrpt_report *r, size_t i);

/**
 * tlsrpt_policy_type - TLSRPT_POLICY_STS, _TLSA or _NO_POLICY_FOUND; TLSRPT_POLICY_OTHER for any other
 * "policy-type"; TLSRPT_EINVAL when p is NULL. Since: 1.0
 */
TLSRPT_API int tlsrpt_policy_type(const tlsrpt_policy *p);

/** tlsrpt_policy_type_name - "policy-type" as written, also for unknown types (borrowed); NULL for NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_policy_type_name(const tlsrpt_policy *p);

/** tlsrpt_policy_domain - "policy-domain" as written (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_policy_domain(const tlsrpt_policy *p);

/** tlsrpt_policy_string_count - number of "policy-string" entries (0 when absent or p is NULL). Since: 1.0 */
TLSRPT_API size_t tlsrpt_policy_string_count(const tlsrpt_policy *p);

/** tlsrpt_policy_string - "policy-string" entry i (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const char *tlsrpt_policy_string(const tlsrpt_policy *p, size_t i);

/**
 * tlsrpt_policy_mx_host_count - number of "mx-host" patterns (0 when absent or p is NULL). The member may be
 * one string (RFC 8460 §4.4) or an array of strings (erratum 6241); both read the same way. Since: 1.0
 */
TLSRPT_API size_t tlsrpt_policy_mx_host_count(const tlsrpt_policy *p);

/** tlsrpt_policy_mx_host - "mx-host" pattern i as written (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const char *tlsrpt_policy_mx_host(const tlsrpt_policy *p, size_t i);

/** tlsrpt_policy_successful_sessions - "total-successful-session-count" as written; 0 when absent. Since: 1.0 */
TLSRPT_API uint64_t tlsrpt_policy_successful_sessions(const tlsrpt_policy *p);

/**
 * tlsrpt_policy_failed_sessions - "total-failure-session-count" as written (not recomputed from the details);
 * 0 when absent. Since: 1.0
 */
TLSRPT_API uint64_t tlsrpt_policy_failed_sessions(const tlsrpt_policy *p);

/** tlsrpt_policy_failure_count - number of failure details (0 when absent or p is NULL). Since: 1.0 */
TLSRPT_API size_t tlsrpt_policy_failure_count(const tlsrpt_policy *p);

/** tlsrpt_policy_failure - failure detail i in report order (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const tlsrpt_failure *tlsrpt_policy_failure(const tlsrpt_policy *p, size_t i);

/** tlsrpt_failure_result_type - "result-type" as written (borrowed); NULL for NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_result_type(const tlsrpt_failure *f);

/**
 * tlsrpt_failure_result_code - the TLSRPT_RESULT_* number of the result type (exact, case-sensitive match);
 * TLSRPT_RESULT_OTHER for an unregistered one; TLSRPT_EINVAL when f is NULL. Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_result_code(const tlsrpt_failure *f);

/** tlsrpt_failure_sending_mta_ip - "sending-mta-ip" as written (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_sending_mta_ip(const tlsrpt_failure *f);

/** tlsrpt_failure_receiving_mx_hostname - "receiving-mx-hostname" (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_receiving_mx_hostname(const tlsrpt_failure *f);

/** tlsrpt_failure_receiving_mx_helo - "receiving-mx-helo" (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_receiving_mx_helo(const tlsrpt_failure *f);

/** tlsrpt_failure_receiving_ip - "receiving-ip" as written (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_receiving_ip(const tlsrpt_failure *f);

/** tlsrpt_failure_additional_information - "additional-information" (borrowed); NULL when absent. Since: 1.0 */
TLSRPT_API const char *tlsrpt_failure_additional_information(const tlsrpt_failure *f);

/**
 * tlsrpt_failure_reason_code - "failure-reason-code" (borrowed), or the value of the pre-publication name
 * "failure-error-code" when only that one is present; NULL when absent. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_failure_reason_code(const tlsrpt_failure *f);

/** tlsrpt_failure_session_count - "failed-session-count" as written; 0 when absent. Since: 1.0 */
TLSRPT_API uint64_t tlsrpt_failure_session_count(const tlsrpt_failure *f);

/**
 * tlsrpt_result_type_description - one plain-English sentence saying what a registered result type means and
 * what the receiving domain should check. @result_type is matched exactly (case-sensitive).
 * Returns a static string (never free it), or NULL for NULL or an unregistered type. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_result_type_description(const char *result_type);

/**
 * tlsrpt_report_validate - schema and consistency findings on a report, whether parsed or built.
 * @r:    the report (not modified).
 * @diag: findings are appended here; may be NULL. Each finding carries the JSON pointer of the member it
 *        concerns (e.g. "/policies/0/failure-details/1/sending-mta-ip") and TLSRPT_NO_OFFSET.
 * Checks: IP address syntax (IPv4 dotted-quad per RFC 8460, IPv6 per RFC 4291; a form other than the RFC 5952
 * canonical text is a note), policy-domain, mx-host patterns and receiving-mx-hostname as A-label domain names,
 * the date range (order, one UTC day), registered policy and result types, the summary failure count against the
 * sum of the details, and the members RFC 8460 expects. doc/diagnostics.md lists every id and its severity.
 * Returns TLSRPT_OK when no ERROR was found (warnings and notes may have been added), TLSRPT_ESEMANTIC when at
 * least one ERROR was found, TLSRPT_EINVAL (r NULL) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_validate(const tlsrpt_report *r, tlsrpt_diag *diag);

/** tlsrpt_report_free - free the report with all its policies and failure details. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_report_free(tlsrpt_report *r);

#ifdef __cplusplus
}
#endif

#endif
