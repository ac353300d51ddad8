/* libtlsrpt — the one-pass reader of plain reports (report_fast.c), internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * tlsrpt_report_parse() first tries this reader. It takes only the JSON that real senders write when nothing is
 * wrong: the RFC 8460 members and no others, each once, strings without escapes (UTF-8 checked), counts as plain
 * integers, date-times with a zone, registered policy and result types. Anything else (any byte that the general
 * path would report, or that needs the JSON reader's path to report) makes it give up: it frees what it built and
 * the general path (the JSON reader of json_reader.h and the schema walk of report_parse.c) reads the report from
 * the start, findings and all. So the fast path decides nothing that the general path would decide otherwise; the
 * fuzz target fuzz_report_paths holds the two to the same report and the same findings for every input.
 *
 * The only findings of an accepted report are missing members and a summary that disagrees with its details
 * (deviations, lenient mode only: in strict mode they are errors and the fast path gives up). The fast path does not
 * add them itself: it lists them (trpt_fast_note) in document order, and report_parse.c adds them through the same
 * functions as the general path, so their text, offsets and paths are the same.
 *
 * Cost: one pass over the text, O(1) per byte (no name index: the member names are the schema's, found by length
 * and one compare). Giving up costs at most that pass, so a report that the fast path does not take costs at most
 * twice the general path; the fast path's objects are freed before the general path starts, so the peak memory is
 * the larger of the two, not their sum. Its scratch (the member templates, the first 64 entries of its lists, the
 * notes) is on the stack, about 9 KiB, so that none of it costs an allocation. */
#ifndef TLSRPT_REPORT_FAST_H
#define TLSRPT_REPORT_FAST_H

#include <stddef.h>
#include <stdint.h>

#include <tlsrpt/report.h>

/* Strings are not copied one by one. Given a text of the caller's that the report may keep (the decompressed gzip
 * text), the fast path puts a NUL where each string's closing quote was and the strings point into that text, which
 * the report then keeps (tlsrpt_report.text); when it gives up, trpt_report_fast_restore() puts the quotes back.
 * Given a text it must not change, it copies the text to the report's arena a region (2 KiB, or a longer string) at
 * a time as it reads, and ends the strings in the copy: a report that it gives up early costs only what was read. */

/* A member that RFC 8460 requires and that the report does not have, where missing it is a deviation (a WARNING
 * in lenient mode): report_parse.c's missing_member() has the name and the path of each. */
typedef enum trpt_missing {
    TRPT_MISSING_ORGANIZATION_NAME, /* in the report object */
    TRPT_MISSING_DATE_RANGE,
    TRPT_MISSING_CONTACT_INFO,
    TRPT_MISSING_REPORT_ID,
    TRPT_MISSING_START_DATETIME, /* in "date-range" */
    TRPT_MISSING_END_DATETIME,
    TRPT_MISSING_POLICY_DOMAIN, /* in "policy" of policy pi */
    TRPT_MISSING_POLICY_STRING,
    TRPT_MISSING_MX_HOST,
    TRPT_MISSING_SUMMARY, /* in policy pi */
    TRPT_MISSING_SUCCESSFUL, /* in "summary" of policy pi */
    TRPT_MISSING_FAILED,
    TRPT_MISSING_SESSION_COUNT, /* in failure detail fi of policy pi */
    TRPT_MISSING_SENDING_MTA_IP,
    TRPT_MISSING_RECEIVING_MX_HOSTNAME,
    TRPT_NOTE_SUMMARY_MISMATCH /* not a missing member: policy pi's summary disagrees with its details */
} trpt_missing;

/* One finding of an accepted report, in document order. */
typedef struct trpt_fast_note {
    uint32_t kind;   /* trpt_missing */
    uint32_t offset; /* the container's '{' (missing members) or the total-failure-session-count (mismatch) */
    uint32_t pi, fi; /* policy and failure detail index, where the kind has them */
} trpt_fast_note;

/* More notes than this and the fast path gives up (the general path then drops what the diag list would drop). */
#define TRPT_FAST_MAX_NOTES 128u

typedef struct trpt_fast_result {
    tlsrpt_report *report; /* the report, when taken */
    trpt_fast_note notes[TRPT_FAST_MAX_NOTES];
    size_t n_notes;
    size_t memory_peak; /* bytes charged to the fast path's budget at most (taken or not) */
    char *last_nul;     /* not taken: the last quote that was replaced by a NUL (NULL: none) */
} trpt_fast_result;

/**
 * trpt_report_read_fast - read a plain report in one pass.
 * @text, @len: the JSON text (len <= TLSRPT_MAX_REPORT_SIZE).
 * @own: NULL, or the same len bytes in a buffer of the caller's that the report may keep: then it is read and
 *       changed in place (taken: the caller hands it to the report, report->text; not taken: trpt_report_fast_restore).
 * @strict: TLSRPT_PARSE_STRICT given: give up on any finding.
 * @memory_limit: the budget of the general path; the fast path keeps TRPT_FAST_MEMORY_MARGIN below it, so that
 *                what it takes the general path (whose JSON reader needs a little more for a report of this kind)
 *                takes too.
 * @res: out; res->report is the report (the caller owns it) when 1 is returned, else NULL.
 * Returns 1 (taken) or 0 (not taken: nothing was allocated that is still held, res->memory_peak says what was used).
 */
int trpt_report_read_fast(const char *text, size_t len, char *own, int strict, size_t memory_limit,
                          trpt_fast_result *res);

/* After a fast path that was not taken: every NUL byte of text up to and including res->last_nul is a quote that it
 * replaced (a NUL byte of the input before that point would have stopped it there), so putting a quote back at each
 * gives the text as it was. Linear in the bytes up to last_nul. */
void trpt_report_fast_restore(char *text, const trpt_fast_result *res);

#define TRPT_FAST_MEMORY_MARGIN (16u * 1024u)

#endif
