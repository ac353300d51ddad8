/* libtlsrpt — outcome events: one delivery attempt's outcome as a small binary message that a short-lived
 * delivery process sends to a collector (one datagram on a unix socket), which applies it to the day's report.
 * SPDX-License-Identifier: MIT
 *
 * An event holds what tlsrpt_report_add_policy() and tlsrpt_policy_add_successes() / tlsrpt_policy_add_failures()
 * take, plus the UTC time of the attempt: applying the events of many processes, in any order, gives the report that
 * one process making those calls would have built (the same policies, details and counts; policies and details in
 * the order the collector first saw them). tlsrpt_event(3) specifies the bytes (version 1); doc/mta-integration.md
 * shows the datagram path. Pure functions: no I/O, no clock.
 */
#ifndef TLSRPT_EVENT_H
#define TLSRPT_EVENT_H

#include <tlsrpt/common.h>
#include <tlsrpt/report.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The largest event, in bytes: the largest UDP payload (65535 - 8 - 20), so an event fits one datagram of every
 * kind of socket whose limit is at least that (Linux unix datagram sockets: the send buffer, 208 KiB by default).
 * Typical events are 50 to 600 bytes; FreeBSD and macOS cap unix datagrams at 2048 bytes by default
 * (net.local.dgram.maxdgram), enough for those but not for a policy with large TLSA records. Since: 1.1 */
#define TLSRPT_EVENT_MAX_SIZE 65507u

/* The version of the format tlsrpt_event_encode() writes. Since: 1.1 */
#define TLSRPT_EVENT_VERSION 1

/**
 * tlsrpt_event_encode - write one delivery outcome as an event.
 * @buf:            where the event is written; may be NULL when buf_size is 0 (to learn the size).
 * @buf_size:       bytes available at buf (TLSRPT_EVENT_MAX_SIZE is always enough).
 * @out_len:        receives the event's size in bytes, on TLSRPT_OK and on TLSRPT_ELIMIT when only buf_size was
 *                  too small; 0 otherwise. May be NULL.
 * @time:           the UTC time of the attempt, Unix seconds; tlsrpt_report_apply_event() checks it against the
 *                  report's period.
 * @policy_type, @policy_domain, @policy_strings, @n_strings, @mx_hosts, @n_mx_hosts: the applied policy, as for
 *                  tlsrpt_report_add_policy() (the same checks; the domain and mx-hosts are written as lower-case
 *                  A-labels).
 * @failure:        NULL for successful sessions; else the failure detail (its result type and optional fields
 *                  are copied into the event; its count is ignored), from tlsrpt_failure_new().
 * @sessions:       the number of sessions with this outcome (usually 1; 0 records the policy, or the detail, with
 *                  no sessions, as the builder does).
 * The bytes depend only on the arguments (no padding, no clock), so equal outcomes give equal events.
 * Returns TLSRPT_OK; TLSRPT_EINVAL (buf NULL with buf_size > 0, an argument tlsrpt_report_add_policy()
 * would refuse, a string longer than 65535 bytes); TLSRPT_ELIMIT (more than TLSRPT_MAX_POLICY_STRINGS strings or
 * TLSRPT_MAX_MX_HOSTS mx-hosts, an event larger than TLSRPT_EVENT_MAX_SIZE, or larger than buf_size: nothing is
 * written then); TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_event_encode(void *buf, size_t buf_size, size_t *out_len, int64_t time, int policy_type,
                                   const char *policy_domain, const char *const *policy_strings, size_t n_strings,
                                   const char *const *mx_hosts, size_t n_mx_hosts, const tlsrpt_failure *failure,
                                   uint64_t sessions);

/**
 * tlsrpt_event_peek - check the event at the start of data and tell its size and time.
 * @data, @len:  bytes that start with an event; more may follow (a spool file of events back to back: the size
 *               field makes events self-delimiting).
 * @event_len:   receives the event's size in bytes (0 on failure); may be NULL.
 * @time:        receives the event's time (0 on failure); may be NULL. A collector that keeps one report per day
 *               routes each event to the report of its day with it.
 * @diag:        the error is appended here; may be NULL.
 * Checks the whole format of the event (every length, count and flag, UTF-8 strings without NUL); the values are
 * checked as the builder checks them only by tlsrpt_report_apply_event().
 * Returns TLSRPT_OK or the status and diagnostic tlsrpt_report_apply_event() gives for the format. Since: 1.1
 */
TLSRPT_API int tlsrpt_event_peek(const void *data, size_t len, size_t *event_len, int64_t *time, tlsrpt_diag *diag);

/**
 * tlsrpt_report_apply_event - add one event's outcome to a report.
 * @report: the day's report (built or parsed); policies and details are found or appended as
 *          tlsrpt_report_add_policy() and tlsrpt_policy_add_failures() find them, and the counts added.
 * @data, @len: exactly one event (len equal to its size field).
 * @diag:   the error, with its id and the byte offset in data, is appended here; may be NULL.
 * On every error the report is unchanged.
 * Returns TLSRPT_OK;
 *   TLSRPT_ESEMANTIC, and only for this: a valid event whose time is outside the report's period (start_time <=
 *   time <= end_time): the event belongs to another day's report (id event-other-period; tlsrpt_event_peek() gives
 *   its time);
 *   TLSRPT_ESYNTAX: not an event (event-foreign), cut short (event-truncated), a size field that disagrees with
 *   len (event-length-mismatch), an unknown kind, policy type or field flag, a string that is not UTF-8 or holds a
 *   NUL, bytes after the last field (event-trailing-bytes), or a value the builder refuses (event-value-invalid:
 *   not a host name, not an IP address, ...);
 *   TLSRPT_EUNSUPPORTED: an event of another format version (event-version-unsupported);
 *   TLSRPT_ELIMIT: over TLSRPT_EVENT_MAX_SIZE, TLSRPT_MAX_POLICY_STRINGS or TLSRPT_MAX_MX_HOSTS, or a count of the
 *   report would pass UINT64_MAX or the report its policy or detail limits (event-report-limit);
 *   TLSRPT_EINVAL: report NULL, data NULL with len > 0, or a report whose period is not start < end;
 *   TLSRPT_ENOMEM.
 * doc/diagnostics.md lists every id. Cost: linear in len; about 2 x len of heap during the call, plus the copy the
 * report keeps of a new policy (a 65507-byte event: 198 KB at the peak, 66 KB kept). Since: 1.1
 */
TLSRPT_API int tlsrpt_report_apply_event(tlsrpt_report *report, const void *data, size_t len, tlsrpt_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
