/* tlsrpt report — what its files share: one FILE argument and what the library made of it (report_input.c), the
 * numbers a summary shows (report_numbers.c), and a report printed as text (report_text.c) or JSON (report_json.c).
 * cmd_report.c holds the command itself and --merge.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_CMD_REPORT_H
#define TLSRPT_CLI_CMD_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include <tlsrpt/tlsrpt.h>

#include "output.h"

/* ---- report_input.c ---- */

/* One FILE argument: what was read and what the library made of it. */
struct report_result {
    const char *file;
    int read_errno;       /* nonzero: the file could not be read */
    int parsed;           /* tlsrpt_report_parse's return code */
    tlsrpt_report *report;
    tlsrpt_diag *diag;
    struct finding_counts counts;
    int status;           /* exit status for this file */
};

/* Reads and parses res->file (a report, gzip or JSON, or a report e-mail). An unreadable file is said on stderr and
 * gets status 2. Returns 0, or the exit status 2 when the library failed (out of memory). */
int report_load(struct report_result *res, unsigned flags);
/* The "status" word of a FILE: "unreadable", or the parse status. */
const char *report_status_name(const struct report_result *res);

/* ---- report_numbers.c ---- */

/* An exact sum of uint64 counts: a report may hold many counts near 2^64. */
struct count_sum {
    uint64_t hi, lo;
};

void sum_add(struct count_sum *s, uint64_t v);
/* Buffer sizes of the texts below: 2^128 has 39 digits; a rate is at most "100.00"; a date-time of any int64_t
 * seconds fits 64 bytes. */
#define SUM_TEXT_SIZE 40
#define RATE_TEXT_SIZE 16
#define UTC_TIME_SIZE 64

/* Writes the decimal text of s into buf (at least SUM_TEXT_SIZE bytes); returns its first digit. */
const char *sum_text(struct count_sum s, char *buf, size_t size);
/* The share of successful sessions in hundredths of a percent, truncated, so that 100.00% means no failed session
 * and 0.00% no successful one; -1 when there were no sessions at all. */
long success_rate(struct count_sum ok, struct count_sum failed);
/* A rate of success_rate() as "D.DD" (hundredths of a percent as a percentage); returns buf. */
const char *rate_text(long rate, char *buf, size_t size);
/* Unix seconds as an RFC 3339 UTC date-time, "YYYY-MM-DDThh:mm:ssZ"; returns buf. */
const char *utc_time_text(int64_t t, char *buf, size_t size);

/* ---- report_text.c and report_json.c ---- */

/* The file name, the findings, the report and the summary line. */
void print_report_result_text(FILE *f, const struct report_result *res);
/* {"file", "status", "valid", ["error",] "report", "stats", "findings", "errors", "warnings", "infos"} */
void print_report_result_json(struct json_writer *w, const struct report_result *res);

#endif
