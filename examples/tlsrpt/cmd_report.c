/* tlsrpt report: reads reports (JSON, gzip or report e-mails) and summarizes each one as text or JSON, or with
 * --merge adds them up into one report written as RFC 8460 JSON.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <string.h>

static const char REPORT_HELP[] =
    "Usage: tlsrpt report [--strict] [--json] FILE...\n"
    "       tlsrpt report --merge [--strict] [--gzip] FILE...\n"
    "Read SMTP TLS reports (RFC 8460), JSON or gzip-compressed JSON, or report e-mails (.eml, RFC 8460 5.3),\n"
    "and summarize each one: sender, period, report id, and per policy the sessions, the success rate and\n"
    "every failure explained. '-' reads the report from standard input. An input that starts with neither\n"
    "'{' (after white space) nor the gzip magic, and whose first line is a header field, is read as an e-mail.\n"
    "\n"
    "  --strict           deviations from RFC 8460 make a report fail (exit status 1)\n"
    "  --json             print one JSON document instead of text\n"
    "  --merge            add up the reports into the first one (equal policies and failure details summed,\n"
    "                     the period widened) and write it as RFC 8460 JSON; nothing is written if a report\n"
    "                     fails to parse or a count would pass 2^64-1 (exit status 1)\n"
    "  --gzip             with --merge: write the merged report gzip-compressed\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 every report parsed (warnings allowed unless --strict), 1 a report failed to parse,\n"
    "2 usage or I/O error (the worst over all files).\n";

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

int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"strict", no_argument, NULL, 's'},
        OPTION_JSON,
        {"merge", no_argument, NULL, 'm'},
        {"gzip", no_argument, NULL, 'z'},
        OPTION_HELP,
        OPTIONS_END,
    };
    int strict = 0, merge = 0, gzip = 0, ch;
    enum output_format output = OUTPUT_TEXT;
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 's': strict = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'm': merge = 1; break;
        case 'z': gzip = 1; break;
        case 'h': fputs(REPORT_HELP, stdout); return EXIT_OK;
        default: return option_error("report", ch, argv);
        }
    }
    if (gzip && !merge)
        return usage_error("report", "--gzip needs --merge", NULL);
    if (output == OUTPUT_JSON && merge)
        return usage_error("report", "--json and --merge cannot be combined (--merge writes JSON)", NULL);
    if (optind >= argc)
        return usage_error("report", "missing FILE (or '-' for standard input)", NULL);
    if (merge)
        return report_merge(optind, argc, argv, strict ? TLSRPT_PARSE_STRICT : 0, gzip);

    /* One file at a time: read, parse, print, free. The exit status is the worst over all files. */
    FILE *f = stdout;
    struct json_writer json, *w = &json;
    json_start(w, f);
    int status = EXIT_OK;
    if (output == OUTPUT_JSON) {
        json_begin_object(w);
        json_member_bool(w, "strict", strict);
        json_key(w, "reports");
        json_begin_array(w);
    }
    for (int i = optind; i < argc; i++) {
        struct report_result res = {.file = argv[i]};
        int failed = report_load(&res, strict ? TLSRPT_PARSE_STRICT : 0);
        if (failed == 0) {
            if (output == OUTPUT_JSON) {
                print_report_result_json(w, &res);
            } else {
                if (i > optind)
                    fputc('\n', f);
                print_report_result_text(f, &res);
            }
        }
        tlsrpt_report_free(res.report);
        tlsrpt_diag_free(res.diag);
        if (failed) {
            status = failed; /* the library ran out of memory: stop here */
            break;
        }
        if (res.status > status)
            status = res.status;
    }
    if (output == OUTPUT_JSON) {
        json_end_array(w);
        json_end_object(w);
        json_finish(w);
    }
    return status;
}
