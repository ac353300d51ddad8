/* libtlsrpt — aggregate TLS reports (RFC 8460 §4–5): reading, result types, validation, building, writing.
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

/* Flags of tlsrpt_report_serialize(). Since: 1.0 */
#define TLSRPT_JSON_PRETTY 0x1u /* line breaks and 2-space indentation instead of compact JSON */

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
 * TLSRPT_MAX_REPORT_SIZE, nesting deeper than TLSRPT_MAX_JSON_DEPTH, a count limit below (since 1.1), or the parse's
 * memory budget); TLSRPT_ENOMEM. Since: 1.0
 *
 * Cost: time linear in the input, and at most 4 x the JSON size (decompressed, for gzip) + 1 MiB of heap at once,
 * whatever the input chooses (doc/limits.md).
 */
TLSRPT_API int tlsrpt_report_parse(tlsrpt_report **out, const void *data, size_t len, unsigned int flags,
                                   tlsrpt_diag *diag);

/* Count limits of tlsrpt_report_parse() (doc/limits.md), far above what real reports hold (the largest senders
 * write a handful of policies and at most a few thousand failure details per report). Going over one is
 * TLSRPT_ELIMIT with an ERROR naming the limit at the element's JSON path. Since: 1.1 */
#define TLSRPT_MAX_POLICIES 10000u           /* policies in one report */
#define TLSRPT_MAX_FAILURE_DETAILS 100000u   /* failure details in one report, all policies together */
#define TLSRPT_MAX_POLICY_STRINGS 1000u      /* "policy-string" entries in one policy */
#define TLSRPT_MAX_MX_HOSTS 1000u            /* "mx-host" patterns in one policy */
#define TLSRPT_MAX_UNKNOWN_MEMBERS 10000u    /* members that RFC 8460 does not define, in one report */

/* Limits of tlsrpt_report_parse_message() (doc/limits.md). Going over one is TLSRPT_ELIMIT. Since: 1.0 */
#define TLSRPT_MAX_MESSAGE_SIZE (32u * 1024u * 1024u) /* bytes of a report e-mail (a base64 20 MiB report fits) */
#define TLSRPT_MAX_MIME_DEPTH 8u                      /* nested multipart or message/rfc822 entities */
#define TLSRPT_MAX_MIME_PARTS 100u                    /* body parts in the whole message */
#define TLSRPT_MAX_HEADER_FIELDS 1000u                /* fields in one header section */
#define TLSRPT_MAX_HEADER_LENGTH 65536u               /* bytes of one header field, folded lines included */

/**
 * tlsrpt_report_parse_message - read the report out of a TLS report e-mail (RFC 8460 §5.3).
 * @out:   receives the new report (free with tlsrpt_report_free); NULL on failure.
 * @data:  the whole RFC 5322 message: header section, empty line, body. CRLF or LF line ends, folded header
 *         fields, an mbox "From " first line (skipped with a note).
 * @len:   length of @data in bytes (at most TLSRPT_MAX_MESSAGE_SIZE); no NUL terminator is needed.
 * @flags: 0 (lenient) or TLSRPT_PARSE_STRICT.
 * @diag:  findings are appended here; may be NULL.
 *
 * Walks the MIME structure (multipart types per RFC 2046 and message/rfc822, nested at most TLSRPT_MAX_MIME_DEPTH
 * deep, TLSRPT_MAX_MIME_PARTS parts) and reads the report part: the first part, in document order, typed
 * application/tlsrpt+gzip or application/tlsrpt+json; failing that, the first typed application/tlsrpt; failing
 * that, the first typed application/gzip, application/x-gzip, application/octet-stream or application/json whose
 * file name (Content-Disposition filename, else Content-Type name) ends in .json.gz, .gz or .json. A single-part
 * message whose body is the report is read the same way. The part is decoded (base64, quoted-printable, 7bit,
 * 8bit, binary) to at most TLSRPT_MAX_REPORT_SIZE bytes and then parsed exactly as tlsrpt_report_parse() parses
 * it (JSON or gzip by the magic bytes, same limits, same findings).
 * Deviations from RFC 8460 §5.3 (not multipart/report, a nonstandard part type, a declared type that disagrees
 * with the content, a Subject off the ABNF, TLS-Report-Domain/-Submitter missing or disagreeing with the Subject
 * or the report) are WARNINGs — the report is authoritative (§5.6) — and ERRORs that fail the parse in strict
 * mode. doc/diagnostics.md lists every id.
 * Offsets of the message's own findings are byte offsets in @data; findings of the report parse keep their JSON
 * pointers, and their offsets are in the decoded (and decompressed) report, not in the message.
 *
 * Returns TLSRPT_OK; TLSRPT_EINVAL (out NULL, data NULL with len > 0, unknown flag bits); TLSRPT_ESYNTAX (a
 * header line that is not a field, a broken multipart structure, invalid base64, or the report's own syntax
 * errors); TLSRPT_ESEMANTIC (no report part; the report's semantic errors; in strict mode, any deviation);
 * TLSRPT_EUNSUPPORTED (the report part has an unknown Content-Transfer-Encoding); TLSRPT_ELIMIT (a limit above,
 * or the report's); TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_parse_message(tlsrpt_report **out, const void *data, size_t len, unsigned int flags,
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

/* ---- Building (an MTA's daily report) ----------------------------------------------------------------------------
 * An MTA keeps one report per reporting period, finds or adds the policy it applied for each delivery attempt
 * (tlsrpt_report_add_policy), and records outcomes on it (tlsrpt_policy_add_successes, tlsrpt_policy_add_failures).
 * Every value is checked when it is set, so a built report always serializes. Policies and failure details keep
 * their insertion order. Session counts never wrap: a sum above UINT64_MAX is TLSRPT_ELIMIT and changes nothing.
 * A report (built or parsed) may be modified by one thread at a time. doc/tlsrpt_report_build.3 has the details. */

/**
 * tlsrpt_report_new - start an empty report.
 * @out:               receives the new report (free with tlsrpt_report_free); NULL on failure.
 * @organization_name: "organization-name", non-empty UTF-8 (copied).
 * @contact_info:      "contact-info", UTF-8 (copied), usually an addr-spec whose domain is the submitter; NULL
 *                     leaves the member out (RFC 8460 expects it; tlsrpt_report_validate warns).
 * @report_id:         "report-id", non-empty UTF-8 (copied); unique per report.
 * @start_time, @end_time: the period in Unix seconds (UTC), start < end, both within the years 0000..9999 that
 *                     RFC 3339 can write. RFC 8460 asks for one UTC day: 00:00:00 to 23:59:59 (or to the next
 *                     00:00:00).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL, a required string NULL or empty, a string that is not UTF-8, times
 * out of range or not in order) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_new(tlsrpt_report **out, const char *organization_name, const char *contact_info,
                                 const char *report_id, int64_t start_time, int64_t end_time);

/**
 * tlsrpt_report_add_policy - find or add the policy an MTA applied.
 * @r:              the report (built or parsed).
 * @policy_type:    TLSRPT_POLICY_STS, TLSRPT_POLICY_TLSA or TLSRPT_POLICY_NO_POLICY_FOUND.
 * @policy_domain:  the Policy Domain (required); U-labels are converted to lower-case A-labels (IDNA2008).
 * @policy_strings, @n_strings: "policy-string": the MTA-STS policy lines ("mode: enforce", ...) or the TLSA
 *                  records in presentation form (tlsrpt_report_add_tlsa_policy writes them in one canonical
 *                  form, since 1.1); UTF-8, copied. n_strings 0 leaves the member out (and
 *                  policy_strings may be NULL).
 * @mx_hosts, @n_mx_hosts: "mx-host" patterns of an MTA-STS policy ("mx.example.com" or "*.example.com"), converted
 *                  to lower-case A-labels; n_mx_hosts 0 leaves the member out. Written as a JSON array.
 * @policy:         receives the policy, borrowed from r (valid until r is freed; tlsrpt_report_merge keeps it
 *                  valid). NULL on failure.
 * When r already has a policy equal in type, domain, strings and mx-hosts (after the conversions, order
 * significant), that policy is returned and nothing is added; finding it allocates nothing once r has been searched
 * before. A new policy starts with zero counts and no failure details.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (r or policy NULL, unknown policy_type, a domain or mx-host that is not a host
 * name, a string that is NULL or not UTF-8, a count > 0 with a NULL array) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_add_policy(tlsrpt_report *r, int policy_type, const char *policy_domain,
                                        const char *const *policy_strings, size_t n_strings,
                                        const char *const *mx_hosts, size_t n_mx_hosts, tlsrpt_policy **policy);

/* The longest certificate association data of one record that tlsrpt_report_add_tlsa_policy() takes: a TLSA RDATA
 * of at most 65535 octets less its three one-octet fields. (It takes at most TLSRPT_MAX_POLICY_STRINGS records:
 * more could not be read back.) Since: 1.1 */
#define TLSRPT_MAX_TLSA_DATA 65532u

/**
 * tlsrpt_report_add_tlsa_policy - find or add the "tlsa" policy of an applied DANE TLSA RRset (RFC 6698, RFC 7672)
 * in one canonical form, so that the same RRset counts into one policy whatever order the resolver returned it in
 * (resolvers rotate RRsets) and whichever process or day recorded it.
 * @r:           the report.
 * @base_domain: the TLSA base domain, the Policy Domain of a DANE policy (RFC 8460 §3); U-labels are converted to
 *               lower-case A-labels (tlsrpt_domain_to_ascii()).
 * @usage, @selector, @mtype: the first three fields of record i (certificate usage, selector, matching type).
 * @data, @data_len: the certificate association data of record i, as bytes (not hex), 1..TLSRPT_MAX_TLSA_DATA
 *               octets; copied (as text).
 * @n:           the number of records, 1..TLSRPT_MAX_POLICY_STRINGS.
 * @policy:      receives the policy, borrowed from r; NULL on failure.
 * The canonical form of a record is its RFC 6698 §2.2 presentation form as RFC 8460 §4.4 asks for it: the three
 * fields in decimal without leading zeros, one space between the four fields, and the data as one run of
 * upper-case hexadecimal digits without spaces ("3 1 1 0C72AC70..."). The strings are sorted by usage, selector
 * and matching type (numerically), then by the data (bytewise, a prefix first), and equal records are kept once.
 * The policy has no mx-host (RFC 8460 §4.4: MTA-STS only). tlsrpt_report_add_policy(r, TLSRPT_POLICY_TLSA,
 * base_domain, the canonical strings, n', NULL, 0, &p) is then what this call does. Once the policy exists, an
 * RRset of up to 16 records (about 2 KiB of strings) is found without allocating (the MTA's per-delivery call).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument, n 0 or over TLSRPT_MAX_POLICY_STRINGS, empty or over-long
 * data, base_domain not a domain name) or TLSRPT_ENOMEM; r is unchanged on failure. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_add_tlsa_policy(tlsrpt_report *r, const char *base_domain, const uint8_t *usage,
                                             const uint8_t *selector, const uint8_t *mtype,
                                             const uint8_t *const *data, const size_t *data_len, size_t n,
                                             tlsrpt_policy **policy);

/**
 * tlsrpt_policy_add_successes - add to "total-successful-session-count".
 * Returns TLSRPT_OK, TLSRPT_EINVAL (p NULL) or TLSRPT_ELIMIT (the sum would exceed UINT64_MAX; the count is
 * unchanged). Allocates nothing. Since: 1.0
 */
TLSRPT_API int tlsrpt_policy_add_successes(tlsrpt_policy *p, uint64_t sessions);

/**
 * tlsrpt_failure_new - a standalone failure detail to fill and pass to tlsrpt_policy_add_failures().
 * @out:         receives it (free with tlsrpt_failure_free; it may be reused for many calls); NULL on failure.
 * @result_type: "result-type", one of the RFC 8460 §4.3 names ("certificate-expired", ...) or another non-empty
 *               UTF-8 name (kept as written; tlsrpt_failure_result_code() then says TLSRPT_RESULT_OTHER).
 * Every optional field starts absent. Returns TLSRPT_OK, TLSRPT_EINVAL (out or result_type NULL, empty, not UTF-8)
 * or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_new(tlsrpt_failure **out, const char *result_type);

/**
 * tlsrpt_failure_set_sending_mta_ip, tlsrpt_failure_set_receiving_ip - set "sending-mta-ip" / "receiving-ip".
 * @ip: IPv4 dotted-quad or IPv6 text (inet_pton(3) syntax, no brackets or zone); stored in RFC 5952 canonical form
 *      (so "2001:DB8:0:0::1" is stored as "2001:db8::1" and equal addresses merge). NULL removes the field.
 * The setters modify only failures from tlsrpt_failure_new. Each returns TLSRPT_OK, TLSRPT_EINVAL (f NULL, not an
 * address; f is unchanged) or TLSRPT_ENOMEM. Since: 1.0
 * Since 1.1 every tlsrpt_failure_set_*() setter (and tlsrpt_failure_reset) returns TLSRPT_EINVAL and changes
 * nothing when f belongs to a report (a detail from tlsrpt_policy_failure(), its const cast away): changing it
 * would make the report's details disagree with its de-duplication index.
 */
TLSRPT_API int tlsrpt_failure_set_sending_mta_ip(tlsrpt_failure *f, const char *ip);
TLSRPT_API int tlsrpt_failure_set_receiving_ip(tlsrpt_failure *f, const char *ip);

/**
 * tlsrpt_failure_set_receiving_mx_hostname - set "receiving-mx-hostname": a host name, stored as lower-case
 * A-labels without a trailing dot. NULL removes the field. Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL, not a host
 * name) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_set_receiving_mx_hostname(tlsrpt_failure *f, const char *hostname);

/**
 * tlsrpt_failure_set_receiving_mx_helo - set "receiving-mx-helo", the name the receiving MX announced: a host
 * name (stored as lower-case A-labels) or an RFC 5321 address literal ("[192.0.2.1]", "[IPv6:2001:db8::1]", stored
 * as given). NULL removes the field. Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL, anything else) or TLSRPT_ENOMEM.
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_set_receiving_mx_helo(tlsrpt_failure *f, const char *helo);

/**
 * tlsrpt_failure_set_additional_information - set "additional-information": an absolute URI (RFC 3986 "URI":
 * scheme ":" hier-part ["?" query] ["#" fragment], percent-encoded where it must be; no spaces), stored as given.
 * NULL removes the field. Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL, not such a URI, longer than
 * TLSRPT_MAX_URI_LENGTH) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_set_additional_information(tlsrpt_failure *f, const char *uri);

/**
 * tlsrpt_failure_set_reason_code - set "failure-reason-code": any UTF-8 text (a TLS library's error name or
 * message). NULL removes the field. Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL, not UTF-8) or TLSRPT_ENOMEM.
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_failure_set_reason_code(tlsrpt_failure *f, const char *reason_code);

/**
 * tlsrpt_policy_add_failures - record failed sessions.
 * @p:        the policy (from tlsrpt_report_add_policy).
 * @f:        the failure detail; only its result type and optional fields are used (its own count is ignored). It
 *            is copied: the caller keeps ownership and may change and reuse it.
 * @sessions: the number of failed sessions to add (0 records the detail with a zero count).
 * If p already has a detail with the same result type and the same optional fields (absent equals only absent),
 * its "failed-session-count" grows by sessions and nothing is allocated (once p has been searched before);
 * otherwise a copy of f with that count is appended. In both cases "total-failure-session-count" grows by sessions.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (p or f NULL), TLSRPT_ELIMIT (either count would exceed UINT64_MAX: nothing is
 * changed) or TLSRPT_ENOMEM (nothing is changed). Since: 1.0
 */
TLSRPT_API int tlsrpt_policy_add_failures(tlsrpt_policy *p, const tlsrpt_failure *f, uint64_t sessions);

/**
 * tlsrpt_failure_set_result_type - change "result-type" of a standalone detail (so that one detail per worker can
 * be reused for every outcome); the optional fields are kept. @result_type as for tlsrpt_failure_new (copied).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL or belonging to a report, result_type NULL, empty or not UTF-8; f is
 * unchanged) or TLSRPT_ENOMEM (f is unchanged). Since: 1.1
 */
TLSRPT_API int tlsrpt_failure_set_result_type(tlsrpt_failure *f, const char *result_type);

/**
 * tlsrpt_failure_reset - make a standalone detail what tlsrpt_failure_new(&f, result_type) makes: this result
 * type, every optional field absent, count 0 (the per-worker detail, reused for the next outcome).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (f NULL or belonging to a report, result_type NULL, empty or not UTF-8; f is
 * unchanged) or TLSRPT_ENOMEM (f is unchanged). Since: 1.1
 */
TLSRPT_API int tlsrpt_failure_reset(tlsrpt_failure *f, const char *result_type);

/**
 * tlsrpt_failure_free - free a failure from tlsrpt_failure_new. NULL is a no-op. A failure that belongs to a
 * report (tlsrpt_policy_failure) is never freed by it: the call does nothing (the report frees it). Since: 1.0
 */
TLSRPT_API void tlsrpt_failure_free(tlsrpt_failure *f);

/**
 * tlsrpt_report_merge - add src's counts to dst (the MTA's per-process or per-hour reports into the daily one).
 * Each policy of src is found in dst as tlsrpt_report_add_policy finds it (type name, domain, strings, mx-hosts),
 * or appended; its success and failure summary counts are added; each of its failure details is found in that
 * policy as tlsrpt_policy_add_failures finds it, or appended, and its count added. dst's period widens to cover
 * both (earliest start, latest end). dst keeps its organization name, contact and report id. src is not changed
 * (src may be dst: every count doubles). Policies of dst that existed before stay at the same address.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL argument), TLSRPT_ELIMIT (a sum would exceed UINT64_MAX; since 1.1 also
 * a result with more than TLSRPT_MAX_POLICIES policies or TLSRPT_MAX_FAILURE_DETAILS failure details, which
 * tlsrpt_report_parse could not read back) or TLSRPT_ENOMEM; on any error dst is unchanged. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_merge(tlsrpt_report *dst, const tlsrpt_report *src);

/**
 * tlsrpt_report_merge_within - tlsrpt_report_merge() for parts of one reporting period: src's period must lie
 * within dst's (dst.start <= src.start and src.end <= dst.end; equal periods, or an hour's report into the day's),
 * and dst's period never changes. Merging tomorrow's report into today's is refused instead of widening today's
 * period to two days.
 * Returns what tlsrpt_report_merge() returns, and TLSRPT_ESEMANTIC (dst or src has no start or end time, or src's
 * period is not within dst's); on any error dst is unchanged. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_merge_within(tlsrpt_report *dst, const tlsrpt_report *src);

/**
 * tlsrpt_report_merge_policy - add one policy, with its counts and failure details, to a report: the policy of
 * another report (or of dst itself). dst's policy equal in type name, domain, strings and mx-hosts (as
 * tlsrpt_report_merge finds it) gets src_policy's summary counts added and each of its failure details merged as
 * tlsrpt_report_merge merges them; when dst has none, a copy of src_policy is appended, unknown policy types and a
 * summary failure count above the sum of the details included. dst's metadata and period do not change.
 * @policy: receives dst's policy (borrowed from dst); may be NULL. NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (dst or src_policy NULL), TLSRPT_ELIMIT (a sum over UINT64_MAX, or dst would
 * hold more than TLSRPT_MAX_POLICIES policies or TLSRPT_MAX_FAILURE_DETAILS details) or TLSRPT_ENOMEM; on any error
 * dst is unchanged. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_merge_policy(tlsrpt_report *dst, const tlsrpt_policy *src_policy,
                                          tlsrpt_policy **policy);

/**
 * tlsrpt_report_extract - the report about one Policy Domain (RFC 8460 reports are per policy domain), taken out
 * of a report that holds several (an MTA's merged day, a parsed report).
 * @src:           the report (built or parsed; not modified).
 * @policy_domain: the Policy Domain; U-labels, any case and a trailing dot allowed (tlsrpt_domain_to_ascii()). A
 *                 policy of src is taken when its "policy-domain" names the same domain (compared in A-labels;
 *                 a policy-domain that is not a domain name is compared as written, ignoring ASCII case).
 * @report_id:     "report-id" of the new report (non-empty UTF-8, copied), or NULL to keep src's.
 * @out:           receives the new report (free with tlsrpt_report_free); NULL on failure.
 * The new report has src's organization name, contact info and period and a copy of each policy taken, in src's
 * order, exactly as it is: unknown policy types, absent members, the summary counts (also a failure count that
 * disagrees with the details) and every failure detail. It has no policy when src has none for the domain
 * (tlsrpt_report_policy_count() says so; tlsrpt_report_to_message() refuses such a report).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (src, policy_domain or out NULL, policy_domain not a domain name
 * (tlsrpt_domain_check() says why), report_id empty or not UTF-8) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_extract(const tlsrpt_report *src, const char *policy_domain, const char *report_id,
                                     tlsrpt_report **out);

/**
 * tlsrpt_utc_day - the UTC day that contains a time, as RFC 8460 §4.1 reporting periods are: @start receives
 * 00:00:00 of that day and @end 23:59:59 (start + 86399), in Unix seconds. The library never reads the clock: pass
 * the MTA's time of the delivery attempt.
 * Returns TLSRPT_OK, or TLSRPT_EINVAL (start or end NULL, t outside the years 0000..9999 that a report can
 * write; then both are 0). Since: 1.1
 */
TLSRPT_API int tlsrpt_utc_day(int64_t t, int64_t *start, int64_t *end);

/* ---- Writing and delivery (RFC 8460 §5) -------------------------------------------------------------------------- */

/**
 * tlsrpt_report_serialize - the report as RFC 8460 JSON.
 * @r:       the report (built or parsed; not modified).
 * @flags:   0 (compact: no whitespace) or TLSRPT_JSON_PRETTY (2-space indentation, a final newline).
 * @out:     receives the UTF-8 JSON text, NUL-terminated (free with tlsrpt_free); NULL on failure.
 * @out_len: receives its length without the NUL (may be NULL).
 * Members are written in the order of RFC 8460 §4.4; date-times as RFC 3339 UTC ("2024-07-01T00:00:00Z"); absent
 * optional members are left out (never null); "mx-host" is always an array. The output is deterministic (the same
 * report gives the same bytes) and tlsrpt_report_parse() reads it back to an equal report (when it is not larger
 * than TLSRPT_MAX_REPORT_SIZE).
 * Returns TLSRPT_OK, TLSRPT_EINVAL (r or out NULL, unknown flag, a parsed date-time whose UTC form falls outside the
 * years 0000..9999) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_serialize(const tlsrpt_report *r, unsigned int flags, char **out, size_t *out_len);

/**
 * tlsrpt_report_serialize_gzip - the compact JSON of tlsrpt_report_serialize(), compressed as one gzip member
 * (RFC 1952, libdeflate level 6, no file name, MTIME 0, so deterministic for a given libdeflate build).
 * @out receives the bytes (free with tlsrpt_free), @out_len their number. Returns the codes of
 * tlsrpt_report_serialize(). Since: 1.0
 */
TLSRPT_API int tlsrpt_report_serialize_gzip(const tlsrpt_report *r, void **out, size_t *out_len);

/**
 * tlsrpt_report_filename - the RFC 8460 §5.1 file name:
 * sender "!" policy-domain "!" begin-timestamp "!" end-timestamp ["!" unique-id] "." ("json" / "json.gz").
 * @sender_domain: the submitter's domain (the domain of contact-info); U-labels are converted to A-labels.
 * @policy_domain: the Policy Domain the report is about; likewise.
 * @unique_id:     1*(ALPHA / DIGIT), or NULL to leave it out.
 * @gzip:          non-zero for ".json.gz", 0 for ".json".
 * @out:           receives the name (free with tlsrpt_free); NULL on failure.
 * The timestamps are the report's start and end time in decimal Unix seconds.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL argument, a domain that is not a host name, a unique_id that is empty or
 * not alphanumeric, a report without a start or end time or with a time before 1970) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_filename(const tlsrpt_report *r, const char *sender_domain, const char *policy_domain,
                                      const char *unique_id, int gzip, char **out);

/**
 * tlsrpt_report_to_message - the complete e-mail of RFC 8460 §5.3, ready for SMTP submission.
 * @from:          the From address, e.g. "tlsrpt-noreply@mail.example.com" or "TLS Reports <...>".
 * @to:            the To address, e.g. the mailbox of a mailto: rua (tlsrpt_uri_mailbox()).
 * @policy_domain: the Policy Domain the report is about (TLS-Report-Domain and the Subject).
 * @submitter:     the submitter's domain (TLS-Report-Submitter; RFC 8460: it MUST be the domain of contact-info).
 * @out, @out_len: receive the message (free with tlsrpt_free), NUL-terminated, CRLF line ends, no line longer than
 *                 998 octets.
 * The message: From, To, Subject "Report Domain: <policy_domain> Submitter: <submitter> Report-ID: <msg-id>" (the
 * §5.3 ABNF; the report id becomes a valid RFC 5322 msg-id, see tlsrpt_report_write(3)), Date (the report's end
 * time, so the bytes are deterministic; the library never reads the clock), Message-ID (a hash of the report and the
 * two domains, at the submitter), MIME-Version, TLS-Report-Domain, TLS-Report-Submitter, TLS-Required: No,
 * Auto-Submitted: auto-generated, and a multipart/report; report-type="tlsrpt" body with a short text/plain part and
 * the report as application/tlsrpt+gzip in base64 (76-character lines), named by tlsrpt_report_filename() without a
 * unique id. DKIM signing is the MTA's job.
 * No string may hold a control character (CR, LF, ...: no header injection). Since 1.1 the four strings follow the
 * library's one IDN rule (tlsrpt_domain_to_ascii()): the two domains may be U-labels and are written in A-labels;
 * from and to may be UTF-8 addresses as tlsrpt_uri_mailbox() returns them: a U-label domain of an address is
 * written in A-labels, a non-ASCII display name ("Jörg <a@example.com>") as RFC 2047 encoded-words, and a
 * non-ASCII local part as UTF-8 (RFC 6532; such a message needs an SMTPUTF8 path, RFC 6531). ASCII input gives the
 * bytes 1.0 gave. Since 1.1 a report without any policy is refused (TLSRPT_ESEMANTIC): it reports nothing.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL argument, a string that breaks these rules (tlsrpt_domain_check() says
 * why a domain is refused) or would make a header line longer than 998 octets, a report without start/end time or
 * with a time before 1970), TLSRPT_ESEMANTIC (no policy, since 1.1), TLSRPT_ELIMIT (the report id is too long to
 * fit a Subject line) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_report_to_message(const tlsrpt_report *r, const char *from, const char *to,
                                        const char *policy_domain, const char *submitter, char **out,
                                        size_t *out_len);

/**
 * tlsrpt_report_to_message_recipients - tlsrpt_report_to_message() for several recipients: the message's To field
 * lists @to[0..n_to) in order, separated by commas and folded between addresses (the rua of one record that are
 * mailboxes of one mail system, or a copy to the MTA's own archive). Everything else, the rules for each address
 * and the return codes are those of tlsrpt_report_to_message(); with n_to 1 the bytes are the same.
 * @to, @n_to: 1..TLSRPT_MAX_RUA_COUNT addresses (copied into the message); TLSRPT_EINVAL otherwise or for a NULL
 *             entry. The envelope recipients are the MTA's to choose.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_report_to_message_recipients(const tlsrpt_report *r, const char *from,
                                                   const char *const *to, size_t n_to, const char *policy_domain,
                                                   const char *submitter, char **out, size_t *out_len);

/** tlsrpt_report_free - free the report with all its policies and failure details. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_report_free(tlsrpt_report *r);

#ifdef __cplusplus
}
#endif

#endif
