/* tlsrpt report: reads reports (JSON, gzip or report e-mails) and summarizes each one as text or JSON, or with
 * --merge adds them up into one report written as RFC 8460 JSON.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char REPORT_HELP[] =
    "Usage: tlsrpt report [--strict] [--json] [--jobs N] INPUT...\n"
    "       tlsrpt report --summary [--json] [FILTER]... [--strict] [--jobs N] INPUT...\n"
    "       tlsrpt report --ndjson|--csv [FILTER]... [--strict] [--jobs N] INPUT...\n"
    "       tlsrpt report --merge [--strict] [--gzip] FILE...\n"
    "Read SMTP TLS reports (RFC 8460), JSON or gzip-compressed JSON, or report e-mails (.eml, RFC 8460 5.3),\n"
    "and summarize each one: sender, period, report id, and per policy the sessions, the success rate and\n"
    "every failure explained. '-' reads the report from standard input. An input that starts with neither\n"
    "'{' (after white space) nor the gzip magic, and whose first line is a header field, is read as an e-mail.\n"
    "An INPUT may also be a directory (read recursively), a Maildir, or an mbox file or stream (each message\n"
    "is an item, NAME#N). Reports delivered more than once (same organization, report id and policy domains)\n"
    "count once in --summary, --ndjson and --csv.\n"
    "\n"
    "  --strict           deviations from RFC 8460 make a report fail (exit status 1)\n"
    "  --json             print one JSON document instead of text\n"
    "  --summary          one summary of all reports: per policy domain and day, result types, top MX hosts,\n"
    "                     IPs and sending organizations among failures\n"
    "  --ndjson, --csv    flat rows for databases: one per policy, one per failure detail (doc/receivers.md)\n"
    "  --domain DOMAIN    with --summary, --ndjson, --csv: only the policies of DOMAIN\n"
    "  --since DATE       with --summary, --ndjson, --csv: only reports starting at or after DATE\n"
    "  --until DATE       ... and before DATE (a date YYYY-MM-DD includes that day; or YYYY-MM-DDThh:mm:ssZ)\n"
    "  --jobs N           parse in N threads (default: the number of processors); the output is the same\n"
    "  --merge            add up the reports into the first one (equal policies and failure details summed,\n"
    "                     the period widened) and write it as RFC 8460 JSON; nothing is written if a report\n"
    "                     fails to parse or a count would pass 2^64-1 (exit status 1)\n"
    "  --gzip             with --merge: write the merged report gzip-compressed\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 every report parsed (warnings allowed unless --strict), 1 a report failed to parse,\n"
    "2 usage or I/O error (the worst over all inputs).\n";

/* tlsrpt report --merge: parses every FILE, merges them into the first, writes the result to standard output (pretty
 * JSON, or gzip). Findings go to standard error, each after the name of its file. */
static int report_merge(int first, int argc, char **argv, unsigned flags, int gzip)
{
    tlsrpt_report *total = NULL;
    int status = EXIT_OK, colour = stream_wants_colour(stderr);
    for (int i = first; i < argc; i++) {
        struct report_result res = {.file = argv[i]};
        int failed = report_load(&res, flags);
        if (failed) {
            tlsrpt_report_free(total);
            return failed;
        }
        if (res.diag && tlsrpt_diag_count(res.diag) > 0) {
            fprintf(stderr, "%s report: ", PROGRAM);
            put_escaped_string(stderr, res.file);
            fputs(":\n", stderr);
            print_path_findings(stderr, colour, res.diag);
        }
        if (res.status == EXIT_OK && total == NULL) {
            total = res.report;
            res.report = NULL;
        } else if (res.status == EXIT_OK && status == EXIT_OK) {
            int rc = tlsrpt_report_merge(total, res.report);
            if (rc == TLSRPT_ELIMIT) {
                fprintf(stderr, "%s report: cannot merge '", PROGRAM);
                put_escaped_string(stderr, res.file);
                fputs("': a session count would exceed 2^64-1\n", stderr);
                res.status = EXIT_INVALID;
            } else if (rc != TLSRPT_OK) {
                tlsrpt_report_free(res.report);
                tlsrpt_diag_free(res.diag);
                tlsrpt_report_free(total);
                return fail_library("report", "merging", rc);
            }
        }
        tlsrpt_report_free(res.report);
        tlsrpt_diag_free(res.diag);
        if (res.status > status)
            status = res.status;
    }
    if (status != EXIT_OK) {
        tlsrpt_report_free(total);
        return status;
    }
    void *out = NULL;
    size_t len = 0;
    int rc;
    if (gzip) {
        rc = tlsrpt_report_serialize_gzip(total, &out, &len);
    } else {
        char *text = NULL;
        rc = tlsrpt_report_serialize(total, TLSRPT_JSON_PRETTY, &text, &len);
        out = text;
    }
    tlsrpt_report_free(total);
    if (rc == TLSRPT_EINVAL) {
        /* A parsed date-time whose UTC form is outside the years 0000..9999 cannot be written back. */
        fprintf(stderr, "%s report: the merged report cannot be written as RFC 8460 JSON (a date-time out of range)\n",
                PROGRAM);
        return EXIT_INVALID;
    }
    if (rc != TLSRPT_OK)
        return fail_library("report", "writing", rc);
    int ok = fwrite(out, 1, len, stdout) == len && fflush(stdout) == 0;
    tlsrpt_free(out);
    if (!ok) {
        fprintf(stderr, "%s report: cannot write the merged report: %s\n", PROGRAM, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

/* ---- Reading many inputs ---- */

enum report_mode { MODE_EACH, MODE_SUMMARY, MODE_NDJSON, MODE_CSV };

struct run {
    enum report_mode mode;
    enum output_format output;
    int strict;
    FILE *f;
    struct json_writer *w;
    size_t printed;               /* MODE_EACH: results printed */
    tlsrpt_aggregate *aggregate;  /* the other modes */
    struct summary_counts counts;
    struct report_result *failed; /* --summary --json: the items that failed, for "failed-items" */
    size_t n_failed, cap_failed;
};

/* Keeps a failed item's name and findings for the JSON summary. Returns 0 or -1 (out of memory). */
static int remember_failure(struct run *run, struct report_result *res)
{
    if (run->mode != MODE_SUMMARY || run->output != OUTPUT_JSON)
        return 0;
    if (run->n_failed == run->cap_failed) {
        size_t cap = run->cap_failed ? run->cap_failed * 2 : 16;
        struct report_result *grown = realloc(run->failed, cap * sizeof *grown);
        if (!grown)
            return -1;
        run->failed = grown;
        run->cap_failed = cap;
    }
    size_t n = strlen(res->file) + 1;
    char *name = malloc(n);
    if (!name)
        return -1;
    memcpy(name, res->file, n);
    struct report_result *kept = &run->failed[run->n_failed++];
    *kept = *res;
    kept->file = name;
    kept->report = NULL;
    res->diag = NULL; /* now the run's */
    return 0;
}

static int consume_result(void *ctx, struct bulk_result *b)
{
    struct run *run = ctx;
    struct report_result *res = &b->res;
    if (run->mode == MODE_EACH) {
        if (res->read_errno)
            report_say_unreadable(res);
        if (run->output == OUTPUT_JSON) {
            print_report_result_json(run->w, res);
        } else {
            if (run->printed > 0)
                fputc('\n', run->f);
            print_report_result_text(run->f, res);
        }
        run->printed++;
        return -1;
    }
    run->counts.items++;
    if (res->read_errno) {
        run->counts.unreadable++;
        report_say_unreadable(res);
        return remember_failure(run, res) == 0 ? -1 : fail_library("report", "reading", TLSRPT_ENOMEM);
    }
    if (res->status != EXIT_OK) {
        run->counts.invalid++;
        fprintf(stderr, "%s report: ", PROGRAM);
        put_escaped_string(stderr, res->file);
        fprintf(stderr, ": %s\n", report_status_name(res));
        print_path_findings(stderr, stream_wants_colour(stderr), res->diag);
        return remember_failure(run, res) == 0 ? -1 : fail_library("report", "reading", TLSRPT_ENOMEM);
    }
    int verdict = 0;
    int rc = tlsrpt_aggregate_add(run->aggregate, res->report, &verdict);
    if (rc == TLSRPT_ELIMIT) {
        fprintf(stderr, "%s report: ", PROGRAM);
        put_escaped_string(stderr, res->file);
        fputs(": not counted: the sessions of all reports would pass 2^64-1, or too many reports or rows\n", stderr);
        run->counts.invalid++;
        res->status = EXIT_INVALID;
        return -1;
    }
    if (rc != TLSRPT_OK)
        return fail_library("report", "adding up", rc);
    if (verdict == TLSRPT_AGGREGATE_ADDED && b->rows)
        fwrite(b->rows, 1, b->rows_len, run->f);
    return -1;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* --since / --until: "YYYY-MM-DD" (for --until, the day is included: the bound is the next midnight) or
 * "YYYY-MM-DDThh:mm:ssZ". Returns 0, or -1 for any other text. */
static int parse_date_option(const char *text, int until, int64_t *out)
{
    unsigned y, mo, d, h = 0, mi = 0, s = 0;
    int n = 0;
    size_t len = strlen(text);
    if (len == 10 && sscanf(text, "%4u-%2u-%2u%n", &y, &mo, &d, &n) == 3 && n == 10) {
        /* a whole day */
    } else if (len == 20 && sscanf(text, "%4u-%2u-%2uT%2u:%2u:%2uZ%n", &y, &mo, &d, &h, &mi, &s, &n) == 6 &&
               n == 20) {
        until = 0;
    } else {
        return -1;
    }
    for (size_t i = 0; i < len; i++)
        if (strchr("0123456789-T:Z", text[i]) == NULL)
            return -1;
    static const unsigned days_in[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (mo < 1 || mo > 12 || d < 1 || d > days_in[mo - 1] || h > 23 || mi > 59 || s > 59)
        return -1;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap)
        return -1;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
    *out = until ? t + 86400 : t;
    return 0;
}

static unsigned default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"strict", no_argument, NULL, 's'},
        OPTION_JSON,
        {"merge", no_argument, NULL, 'm'},
        {"gzip", no_argument, NULL, 'z'},
        {"summary", no_argument, NULL, 'S'},
        {"ndjson", no_argument, NULL, 'N'},
        {"csv", no_argument, NULL, 'C'},
        {"jobs", required_argument, NULL, 'J'},
        {"domain", required_argument, NULL, 'D'},
        {"since", required_argument, NULL, 'B'},
        {"until", required_argument, NULL, 'U'},
        OPTION_HELP,
        OPTIONS_END,
    };
    int strict = 0, merge = 0, gzip = 0, ch, filters = 0;
    enum report_mode mode = MODE_EACH;
    enum output_format output = OUTPUT_TEXT;
    uint32_t jobs = 0;
    const char *domain = NULL;
    int64_t since = INT64_MIN, until = INT64_MAX;
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 's': strict = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'm': merge = 1; break;
        case 'z': gzip = 1; break;
        case 'S':
        case 'N':
        case 'C': {
            enum report_mode m = ch == 'S' ? MODE_SUMMARY : ch == 'N' ? MODE_NDJSON : MODE_CSV;
            if (mode != MODE_EACH && mode != m)
                return usage_error("report", "--summary, --ndjson and --csv cannot be combined", NULL);
            mode = m;
            break;
        }
        case 'J':
            if (parse_uint32_option(optarg, 1, 1024, &jobs) != 0)
                return usage_error("report", "--jobs needs a number from 1 to 1024, not", optarg);
            break;
        case 'D': domain = optarg; filters = 1; break;
        case 'B':
            if (parse_date_option(optarg, 0, &since) != 0)
                return usage_error("report", "--since needs YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not", optarg);
            filters = 1;
            break;
        case 'U':
            if (parse_date_option(optarg, 1, &until) != 0)
                return usage_error("report", "--until needs YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ, not", optarg);
            filters = 1;
            break;
        case 'h': fputs(REPORT_HELP, stdout); return EXIT_OK;
        default: return option_error("report", ch, argv);
        }
    }
    if (gzip && !merge)
        return usage_error("report", "--gzip needs --merge", NULL);
    if (output == OUTPUT_JSON && merge)
        return usage_error("report", "--json and --merge cannot be combined (--merge writes JSON)", NULL);
    if (merge && mode != MODE_EACH)
        return usage_error("report", "--merge cannot be combined with --summary, --ndjson or --csv", NULL);
    if (output == OUTPUT_JSON && (mode == MODE_NDJSON || mode == MODE_CSV))
        return usage_error("report", "--json cannot be combined with --ndjson or --csv", NULL);
    if (filters && mode == MODE_EACH)
        return usage_error("report", "--domain, --since and --until need --summary, --ndjson or --csv", NULL);
    if (since >= until)
        return usage_error("report", "--since must be before --until", NULL);
    if (optind >= argc)
        return usage_error("report", "missing FILE (or '-' for standard input)", NULL);
    if (merge)
        return report_merge(optind, argc, argv, strict ? TLSRPT_PARSE_STRICT : 0, gzip);

    struct report_items items;
    memset(&items, 0, sizeof items);
    for (int i = optind; i < argc; i++) {
        if (report_items_add(&items, argv[i]) != 0) {
            report_items_free(&items);
            return fail_library("report", "listing the inputs", TLSRPT_ENOMEM);
        }
    }
    struct bulk_options opt = {
        .flags = strict ? TLSRPT_PARSE_STRICT : 0,
        .jobs = jobs ? jobs : default_jobs(),
        .rows_format = mode == MODE_NDJSON ? TLSRPT_ROWS_NDJSON : mode == MODE_CSV ? TLSRPT_ROWS_CSV : 0,
        .domain = domain,
        .progress = mode != MODE_EACH,
    };
    struct json_writer json;
    struct run run = {.mode = mode, .output = output, .strict = strict, .f = stdout, .w = &json};
    int status;
    if (mode != MODE_EACH) {
        int rc = tlsrpt_aggregate_new(&run.aggregate);
        if (rc == TLSRPT_OK && domain)
            rc = tlsrpt_aggregate_set_domain(run.aggregate, domain);
        if (rc == TLSRPT_OK)
            rc = tlsrpt_aggregate_set_period(run.aggregate, since, until);
        if (rc != TLSRPT_OK) {
            report_items_free(&items);
            tlsrpt_aggregate_free(run.aggregate);
            return fail_library("report", "starting the summary", rc);
        }
    }
    if (mode == MODE_CSV)
        fputs(tlsrpt_rows_csv_header(), stdout);
    if (mode == MODE_EACH && output == OUTPUT_JSON) {
        json_start(&json, stdout);
        json_begin_object(&json);
        json_member_bool(&json, "strict", strict);
        json_key(&json, "reports");
        json_begin_array(&json);
    }
    status = report_bulk_run(&items, &opt, consume_result, &run);
    if (mode == MODE_EACH && output == OUTPUT_JSON) {
        json_end_array(&json);
        json_end_object(&json);
        json_finish(&json);
    }
    if (mode == MODE_SUMMARY) {
        if (output == OUTPUT_JSON)
            print_summary_json(stdout, run.aggregate, &run.counts, strict, run.failed, run.n_failed);
        else
            print_summary_text(stdout, run.aggregate, &run.counts);
    }
    for (size_t i = 0; i < run.n_failed; i++) {
        free((char *)run.failed[i].file);
        tlsrpt_diag_free(run.failed[i].diag);
    }
    free(run.failed);
    tlsrpt_aggregate_free(run.aggregate);
    report_items_free(&items);
    return status;
}
