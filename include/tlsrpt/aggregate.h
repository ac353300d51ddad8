/* libtlsrpt — receiving reports in bulk: content detection, mbox splitting, the aggregate of many reports (with
 * de-duplication and summary tables) and flat rows for databases. tlsrpt_aggregate(3).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_AGGREGATE_H
#define TLSRPT_AGGREGATE_H

#include <stddef.h>
#include <stdint.h>

#include <tlsrpt/common.h>
#include <tlsrpt/report.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Content detection ------------------------------------------------------------------------------------- */

/* What tlsrpt_content_type() finds at the start of an input. Since: 1.1 */
#define TLSRPT_CONTENT_JSON 1    /* JSON text (or anything that is not one of the others: read as JSON) */
#define TLSRPT_CONTENT_GZIP 2    /* the gzip magic bytes 0x1f 0x8b */
#define TLSRPT_CONTENT_MESSAGE 3 /* an RFC 5322 message: the first line is a header field ("name:") */
#define TLSRPT_CONTENT_MBOX 4    /* a mailbox: the input starts with an mbox "From " line */

/**
 * tlsrpt_content_type - what an input is, by its first bytes: TLSRPT_CONTENT_GZIP (the gzip magic), _JSON ('{'
 * after JSON white space), _MBOX (starts with "From "), _MESSAGE (the first line starts with a header field name
 * and a colon: printable ASCII other than ':' and space, then ':'), and otherwise _JSON, so that the JSON reader
 * says what is wrong. Reads at most the first line; never fails (NULL or empty data: TLSRPT_CONTENT_JSON).
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_content_type(const void *data, size_t len);

/**
 * tlsrpt_report_parse_any - parse one report whatever form it came in: JSON, gzip-compressed JSON, or a report
 * e-mail (an mbox "From " first line included; it is skipped with a note).
 * @out, @data, @len, @flags, @diag: as for tlsrpt_report_parse().
 * Chooses by tlsrpt_content_type(): a message (or an mbox-style message) goes to tlsrpt_report_parse_message(),
 * anything else to tlsrpt_report_parse(); returns that call's status and findings unchanged. A mailbox holding
 * several messages is split with tlsrpt_mbox_next() first: given whole, it is read as one message.
 * Returns the codes of those two functions. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_parse_any(tlsrpt_report **out, const void *data, size_t len, unsigned int flags,
                                       tlsrpt_diag *diag);

/**
 * tlsrpt_mbox_next - the next message of a mailbox in mbox format (RFC 4155), without copying.
 * @data, @len: the whole mailbox.
 * @pos:        in: where to continue (0 for the first call); out: where the next call continues.
 * @msg_offset: receives the offset of the message in @data; it starts with its "From " line.
 * @msg_len:    receives its length: up to the next line that starts with "From " (mboxo/mboxrd: every such line
 *              separates messages), without the one empty line that precedes that line.
 * Bytes before the first "From " line (a mailbox that does not start with one) are a message of their own.
 * ">From " lines are left as they are (no unquoting: report parts are base64 or JSON and never hold one).
 * Time is linear in the bytes scanned; nothing is allocated.
 * Returns 1 when a message was found, 0 at the end (*pos == len), TLSRPT_EINVAL (a NULL pointer other than data
 * with len 0, or *pos > len). Since: 1.1
 */
TLSRPT_API int tlsrpt_mbox_next(const void *data, size_t len, size_t *pos, size_t *msg_offset, size_t *msg_len);

/* ---- The aggregate ---------------------------------------------------------------------------------------- */

typedef struct tlsrpt_aggregate tlsrpt_aggregate;

/* Limits of an aggregate (doc/limits.md); past one, tlsrpt_aggregate_add() returns TLSRPT_ELIMIT and the aggregate
 * is unchanged. Since: 1.1 */
#define TLSRPT_MAX_AGGREGATE_REPORTS 10000000u /* distinct reports remembered for de-duplication */
#define TLSRPT_MAX_AGGREGATE_ROWS 1000000u     /* rows of one summary table */

/* What tlsrpt_aggregate_add() did with a report. Since: 1.1 */
#define TLSRPT_AGGREGATE_ADDED 1     /* a new report: counted */
#define TLSRPT_AGGREGATE_DUPLICATE 2 /* the same report was added before: not counted again */
#define TLSRPT_AGGREGATE_FILTERED 3  /* new, but outside the period or without a policy of the domain filter */

/* The summary tables. Since: 1.1 */
#define TLSRPT_TABLE_DAYS 1          /* per policy domain and UTC day: successful and failed sessions */
#define TLSRPT_TABLE_DOMAINS 2       /* per policy domain: successful and failed sessions */
#define TLSRPT_TABLE_RESULT_TYPES 3  /* per result type (as written): failed sessions of the failure details */
#define TLSRPT_TABLE_MX_HOSTS 4      /* per receiving MX host name: failed sessions of the failure details */
#define TLSRPT_TABLE_RECEIVING_IPS 5 /* per receiving IP (as written): failed sessions of the failure details */
#define TLSRPT_TABLE_ORGANIZATIONS 6 /* per sending organization: successful and failed sessions */

/**
 * tlsrpt_aggregate_new - an empty aggregate: it accumulates reports (tlsrpt_aggregate_add) into summary tables and
 * remembers which reports it has seen, so that a report delivered twice counts once.
 * @out: receives the aggregate (free with tlsrpt_aggregate_free); NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out NULL) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_aggregate_new(tlsrpt_aggregate **out);

/** tlsrpt_aggregate_free - free the aggregate and all it holds; NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_aggregate_free(tlsrpt_aggregate *a);

/**
 * tlsrpt_aggregate_set_domain - count only the policies of one policy domain (compared without ASCII case and a
 * trailing dot); NULL counts every policy again. A report without such a policy is TLSRPT_AGGREGATE_FILTERED.
 * The string is copied. Set filters before the first tlsrpt_aggregate_add().
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL aggregate) or TLSRPT_ENOMEM (then the filter is unchanged). Since: 1.1
 */
TLSRPT_API int tlsrpt_aggregate_set_domain(tlsrpt_aggregate *a, const char *policy_domain);

/**
 * tlsrpt_aggregate_set_period - count only reports whose start time t is since <= t < until (Unix seconds, UTC).
 * The default is every report (INT64_MIN, INT64_MAX). Returns TLSRPT_OK or TLSRPT_EINVAL (a NULL aggregate,
 * since > until). Since: 1.1
 */
TLSRPT_API int tlsrpt_aggregate_set_period(tlsrpt_aggregate *a, int64_t since, int64_t until);

/**
 * tlsrpt_aggregate_add - count one report.
 * @a:       the aggregate.
 * @r:       the report (not kept: its counts and strings are copied where a table needs them).
 * @verdict: receives TLSRPT_AGGREGATE_ADDED, _DUPLICATE or _FILTERED; may be NULL.
 *
 * De-duplication: two reports are the same report when their "organization-name", their "report-id" and the list
 * of their policies' domains (in order, compared without ASCII case and a trailing dot) are equal. RFC 8460 makes
 * the report-id unique per sender; the policy domains are part of the key because some senders reuse one id for
 * the reports of several domains. A report without a report-id is never a duplicate. The first copy counts, later
 * ones are _DUPLICATE whatever the filters say; a filtered report is remembered too.
 * Counting, for each policy that passes the filters: its summary counts go to the DAYS row of (policy domain, UTC
 * day of the report's start time), the DOMAINS row of its domain and the ORGANIZATIONS row of the report's
 * organization; each failure detail's failed-session-count goes to its RESULT_TYPES row and, when the detail
 * names them, to its MX_HOSTS row (lower-cased, trailing dot removed) and its RECEIVING_IPS row. A policy without
 * a domain is counted under "" (the empty string). Counts are taken as written (a summary that disagrees with its
 * details is not corrected). The period covered (start and end time) widens to the report's.
 * Keys are kept in SipHash-keyed hash tables (cost O(1) expected per key whatever the input).
 *
 * Returns TLSRPT_OK; TLSRPT_EINVAL (a NULL a or r); TLSRPT_ELIMIT (a sum of the aggregate would pass 2^64-1 —
 * all successful sessions, all failed sessions of the summaries, or all sessions of the failure details, each
 * counted once, so that no row can overflow — or a limit above; the aggregate is unchanged); TLSRPT_ENOMEM (the
 * aggregate may then hold part of the report: free it). Not thread-safe for one aggregate (parse in threads, add
 * in one). Since: 1.1
 */
TLSRPT_API int tlsrpt_aggregate_add(tlsrpt_aggregate *a, const tlsrpt_report *r, int *verdict);

/** tlsrpt_aggregate_count - how many reports tlsrpt_aggregate_add() gave this verdict (TLSRPT_AGGREGATE_ADDED,
 * _DUPLICATE, _FILTERED); 0 for another value or a NULL aggregate. Since: 1.1 */
TLSRPT_API size_t tlsrpt_aggregate_count(const tlsrpt_aggregate *a, int verdict);

/** tlsrpt_aggregate_start_time - the earliest start time of the counted reports (Unix seconds); 0 when none was
 * counted or none had one (a report without a start time counts in the DAYS row of 1970-01-01). Since: 1.1 */
TLSRPT_API int64_t tlsrpt_aggregate_start_time(const tlsrpt_aggregate *a);

/** tlsrpt_aggregate_end_time - the latest end time of the counted reports; 0 when none was counted. Since: 1.1 */
TLSRPT_API int64_t tlsrpt_aggregate_end_time(const tlsrpt_aggregate *a);

/**
 * tlsrpt_aggregate_row_count - the number of rows of a summary table (TLSRPT_TABLE_*); 0 for an unknown table or a
 * NULL aggregate. Rows are kept in the order their keys were first counted, so the same reports added in the same
 * order give the same tables; rank them as you need (the tlsrpt program sorts by failed sessions). Since: 1.1
 */
TLSRPT_API size_t tlsrpt_aggregate_row_count(const tlsrpt_aggregate *a, int table);

/** tlsrpt_aggregate_row_key - the key of row i (borrowed): the policy domain (DAYS, DOMAINS), result type, MX
 * host, IP or organization name; NULL for a bad table or index. Since: 1.1 */
TLSRPT_API const char *tlsrpt_aggregate_row_key(const tlsrpt_aggregate *a, int table, size_t i);

/** tlsrpt_aggregate_row_day - TLSRPT_TABLE_DAYS: the first second (00:00:00 UTC) of row i's day; 0 for other
 * tables or a bad index. Since: 1.1 */
TLSRPT_API int64_t tlsrpt_aggregate_row_day(const tlsrpt_aggregate *a, int table, size_t i);

/** tlsrpt_aggregate_row_successful - successful sessions of row i (DAYS, DOMAINS, ORGANIZATIONS; 0 for the tables
 * of failure details, a bad table or index). Since: 1.1 */
TLSRPT_API uint64_t tlsrpt_aggregate_row_successful(const tlsrpt_aggregate *a, int table, size_t i);

/** tlsrpt_aggregate_row_failed - failed sessions of row i: the summaries' total-failure-session-count (DAYS,
 * DOMAINS, ORGANIZATIONS) or the failure details' failed-session-count (the other tables). Since: 1.1 */
TLSRPT_API uint64_t tlsrpt_aggregate_row_failed(const tlsrpt_aggregate *a, int table, size_t i);

/* ---- Flat rows -------------------------------------------------------------------------------------------- */

/* Formats of tlsrpt_report_rows(). Since: 1.1 */
#define TLSRPT_ROWS_NDJSON 1 /* one JSON object per line ("\n"), every column a member (null when empty) */
#define TLSRPT_ROWS_CSV 2    /* RFC 4180: CRLF line ends, fields quoted when they hold '"', ',', CR or LF */

/**
 * tlsrpt_report_rows - a report as flat rows: one per policy summary ("row_type":"policy"), then one per failure
 * detail of that policy ("failure"), in report order, for loading into a database.
 * @r:             the report.
 * @format:        TLSRPT_ROWS_NDJSON or TLSRPT_ROWS_CSV (rows only: the header is tlsrpt_rows_csv_header()).
 * @policy_domain: NULL for every policy, or only the policies of this domain (as tlsrpt_aggregate_set_domain).
 * @out:           receives the text, NUL-terminated (free with tlsrpt_free); "" when no row; NULL on failure.
 * @out_len:       receives its length (may be NULL).
 * The columns, always all of them and in this order (doc/receivers.md): row_type, organization_name, contact_info,
 * report_id, start_datetime, end_datetime (RFC 3339 UTC; null when the report has none), policy_index (0-based),
 * policy_type, policy_domain, mx_host (the policy's patterns separated by one space), successful_sessions (policy
 * rows), failed_sessions (the summary's on policy rows, the detail's on failure rows), result_type, sending_mta_ip,
 * receiving_mx_hostname, receiving_mx_helo, receiving_ip, failure_reason_code, additional_information. Absent
 * values are JSON null / an empty CSV field. The column set is stable: a later version only appends columns.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (r or out NULL, an unknown format, a string that is not UTF-8 in a built
 * report) or TLSRPT_ENOMEM. Thread-safe: only reads r. Since: 1.1
 */
TLSRPT_API int tlsrpt_report_rows(const tlsrpt_report *r, int format, const char *policy_domain, char **out,
                                  size_t *out_len);

/** tlsrpt_rows_csv_header - the CSV header line of tlsrpt_report_rows(), CRLF included (static). Since: 1.1 */
TLSRPT_API const char *tlsrpt_rows_csv_header(void);

#ifdef __cplusplus
}
#endif

#endif
