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

/* One byte more than the larger of the library's report and message limits: what is read of one item. */
size_t report_item_limit(void);
/* Reads a stream to its end or to `limit` bytes. Returns 0, or -1 with errno set. */
int report_read_stream(FILE *f, size_t limit, unsigned char **out, size_t *out_len);
/* Reads a whole file (or standard input for "-"), at most report_item_limit() bytes. Returns 0, or -1 with errno
 * set. */
int report_read_file(const char *name, unsigned char **out, size_t *out_len);
/* Parses data (JSON, gzip or an e-mail, by content) into res: diag, report, counts, status. Returns TLSRPT_OK, or
 * the library's TLSRPT_ENOMEM / TLSRPT_EINVAL (not about the input). */
int report_parse_data(struct report_result *res, const unsigned char *data, size_t len, unsigned flags);
/* "tlsrpt report: cannot read 'FILE': REASON" on standard error. */
void report_say_unreadable(const struct report_result *res);
/* Reads and parses res->file (a report, gzip or JSON, or a report e-mail). An unreadable file is said on stderr and
 * gets status 2. Returns 0, or the exit status 2 when the library failed (out of memory). */
int report_load(struct report_result *res, unsigned flags);
/* The "status" word of a FILE: "unreadable", or the parse status. */
const char *report_status_name(const struct report_result *res);

/* ---- report_items.c: the inputs of a run ---- */

/* One item: a file to read (it may turn out to be a mailbox: then each message is a result of its own), or a
 * message already in memory (a mailbox's, standard input's), or an input that could not be opened or listed. */
struct report_item {
    char *name;               /* as shown: the path, "PATH#N" for message N of a mailbox, "-" */
    char *path;               /* the file a worker reads, or NULL */
    const unsigned char *data; /* when path is NULL: the bytes (borrowed from the list's blocks) */
    size_t len;
    int read_errno;           /* nonzero: the input could not be read or listed */
};

/* A whole file in memory: mapped, or read (standard input). */
struct mapped_file {
    unsigned char *data;
    size_t len;
    int is_mapped;
};

struct report_items {
    struct report_item *items;
    size_t n, cap;
    struct mapped_file *blocks; /* mailboxes and standard input, freed with the list */
    size_t n_blocks, cap_blocks;
};

/* Adds the items of one argument: "-" (standard input: one report, or an mbox stream split into messages), a
 * directory (walked: see report_items.c), an mbox file (split), any other file. Returns 0, or -1 when out of
 * memory. */
int report_items_add(struct report_items *list, const char *arg);
void report_items_free(struct report_items *list);
/* Maps a whole file read-only (an empty file: data NULL). Returns 0, or -1 with errno. */
int report_map_file(const char *path, struct mapped_file *m);
void report_unmap(struct mapped_file *m);
/* The number of messages of a mailbox. */
size_t report_mbox_count(const unsigned char *data, size_t len);

/* ---- report_bulk.c: the parallel pipeline ---- */

struct bulk_options {
    unsigned flags;        /* TLSRPT_PARSE_STRICT or 0 */
    unsigned jobs;         /* worker threads; 1: everything in the main thread */
    int rows_format;       /* TLSRPT_ROWS_NDJSON / _CSV: workers write each valid report's rows; 0: none */
    const char *domain;    /* the rows' policy domain filter, or NULL */
    int progress;          /* a progress line on standard error when it is a terminal */
};

/* One parsed report or message, handed to the consumer in item order. */
struct bulk_result {
    struct report_result res;
    char *name;            /* the label of a mailbox message found by a worker (res.file points here) */
    char *rows;            /* the rows, when asked and the report is valid */
    size_t rows_len;
};

/* Called by the main thread for every result in order; may take res.report (setting it NULL). Returns -1 to go
 * on, or an exit status to stop the run. */
typedef int (*bulk_consume_fn)(void *ctx, struct bulk_result *r);

/* Runs the items through opt->jobs threads. Returns the worst exit status of the results (0, 1 invalid, 2
 * unreadable), or the consumer's status when it stopped the run. */
int report_bulk_run(const struct report_items *items, const struct bulk_options *opt, bulk_consume_fn consume,
                    void *ctx);

/* ---- report_summary.c: --summary ---- */

struct summary_counts {
    size_t items, invalid, unreadable;
};

/* The aggregate as text, or as one JSON document; failed lists the names and findings of the items that failed
 * (JSON only; text lists them on standard error as they come). */
void print_summary_text(FILE *f, const tlsrpt_aggregate *a, const struct summary_counts *c);
void print_summary_json(FILE *f, const tlsrpt_aggregate *a, const struct summary_counts *c, int strict,
                        const struct report_result *failed, size_t n_failed);

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
