/* tlsrpt check: the syntax checker. Parses and lints a record given as an argument or on standard input and prints
 * every finding with its position.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "record_view.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char CHECK_HELP[] =
    "Usage: tlsrpt check [--domain DOMAIN] [--strict] [--json] RECORD|-\n"
    "Check the syntax of a TLSRPT record (RFC 8460) and lint it; '-' reads the record from standard input\n"
    "(one trailing newline is removed).\n"
    "\n"
    "  --domain DOMAIN    the policy domain publishing the record (enables the external-destination check)\n"
    "  --strict           warnings make the record fail (exit status 1)\n"
    "  --json             print one JSON document instead of text\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 valid (warnings allowed unless --strict), 1 invalid or unusable, 2 usage or I/O error.\n";

/* Reads standard input, at most TLSRPT_MAX_RECORD_LENGTH + 2 bytes: enough for the library to see that a longer
 * input is over its limit, without reading an unbounded stream. */
static int read_stdin_record(char **out, size_t *out_len)
{
    size_t cap = TLSRPT_MAX_RECORD_LENGTH + 2, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return -1;
    while (len < cap) {
        size_t n = fread(buf + len, 1, cap - len, stdin);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(stdin)) {
        free(buf);
        return -1;
    }
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    *out = buf;
    *out_len = len;
    return 0;
}

/* What check found, gathered before printing. */
struct checked {
    int strict;
    const char *domain;
    const char *input;
    size_t input_len;
    int parsed;               /* tlsrpt_record_parse's return code */
    const tlsrpt_record *record;
    const tlsrpt_diag *parse_diag, *lint_diag;
    const char *canonical;    /* the record's canonical text, or NULL */
    size_t canonical_len;
    const char *record_json;  /* the record as the library writes it (tlsrpt_record_to_json), or NULL */
    size_t record_json_len;
    struct finding_counts counts;
    int valid;
};

static void print_checked_json(const struct checked *c)
{
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_bool(w, "valid", c->valid);
    json_member_string(w, "status", parse_status_name(c->parsed));
    json_member_bool(w, "strict", c->strict);
    json_member_string(w, "domain", c->domain);
    json_key(w, "input");
    json_string(w, c->input, c->input_len);
    json_key(w, "record");
    if (c->canonical)
        json_string(w, c->canonical, c->canonical_len);
    else
        json_null(w);
    json_record_members(w, c->record_json, c->record_json_len);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {c->parse_diag, c->lint_diag};
    json_findings(w, lists, 2, 0);
    json_counts(w, &c->counts);
    json_end_object(w);
    json_finish(w);
}

/* Returns TLSRPT_OK or the error of printing the record. */
static int print_checked_text(const struct checked *c)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    print_findings_with_hints(f, colour, c->parse_diag, c->input, c->input_len);
    print_findings_with_hints(f, colour, c->lint_diag, NULL, 0); /* lint findings have no offset */
    if (c->record != NULL) {
        int rc = print_record_summary(f, c->record);
        if (rc != TLSRPT_OK)
            return rc;
    }
    print_summary_line(f, validity_name(c->valid, c->counts.errors == 0 && c->parsed == TLSRPT_OK), NULL,
                       &c->counts);
    return TLSRPT_OK;
}

int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {
        {"domain", required_argument, NULL, 'd'},
        {"strict", no_argument, NULL, 's'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    const char *domain = NULL;
    enum output_format output = OUTPUT_TEXT;
    int strict = 0, ch;
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 'd': domain = optarg; break;
        case 's': strict = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'h': fputs(CHECK_HELP, stdout); return EXIT_OK;
        default: return option_error("check", ch, argv);
        }
    }
    if (domain != NULL && check_domain_argument("check", domain) != EXIT_OK)
        return EXIT_USAGE;
    if (optind >= argc)
        return usage_error("check", "missing RECORD (or '-' for standard input)", NULL);
    if (argc - optind > 1)
        return usage_error("check", "unexpected argument", argv[optind + 1]);

    char *input = NULL;
    size_t input_len;
    if (strcmp(argv[optind], "-") == 0) {
        if (read_stdin_record(&input, &input_len) != 0) {
            fprintf(stderr, "%s check: cannot read standard input: %s\n", PROGRAM, strerror(errno));
            return EXIT_USAGE;
        }
    } else {
        input_len = strlen(argv[optind]);
        input = malloc(input_len + 1);
        if (input == NULL)
            return fail_library("check", "reading the record", TLSRPT_ENOMEM);
        memcpy(input, argv[optind], input_len + 1);
    }

    int status = EXIT_OK;
    tlsrpt_record *r = NULL;
    tlsrpt_diag *parse_diag = NULL, *lint_diag = NULL;
    char *canonical = NULL, *record_json = NULL;
    size_t canonical_len = 0, record_json_len = 0;
    int rc = tlsrpt_diag_new(&parse_diag);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&lint_diag);
    if (rc != TLSRPT_OK) {
        status = fail_library("check", "diagnostics", rc);
        goto done;
    }
    int parsed = tlsrpt_record_parse(&r, input, input_len, parse_diag);
    if (parsed == TLSRPT_ENOMEM || parsed == TLSRPT_EINVAL) {
        status = fail_library("check", "parsing", parsed);
        goto done;
    }
    if (parsed == TLSRPT_OK) {
        rc = tlsrpt_record_lint(r, domain, lint_diag);
        if (rc == TLSRPT_EINVAL) {
            status = domain_usage_error("check", domain);
            goto done;
        }
        if (rc == TLSRPT_OK)
            rc = tlsrpt_record_serialize(r, &canonical, &canonical_len);
        if (rc == TLSRPT_OK && output == OUTPUT_JSON)
            rc = tlsrpt_record_to_json(r, domain, 0, &record_json, &record_json_len);
        if (rc != TLSRPT_OK) {
            status = fail_library("check", "checking the record", rc);
            goto done;
        }
    }

    struct checked c = {
        .strict = strict, .domain = domain, .input = input, .input_len = input_len, .parsed = parsed,
        .record = r, .parse_diag = parse_diag, .lint_diag = lint_diag,
        .canonical = canonical, .canonical_len = canonical_len,
        .record_json = record_json, .record_json_len = record_json_len,
    };
    count_findings(parse_diag, &c.counts);
    count_findings(lint_diag, &c.counts);
    c.valid = parsed == TLSRPT_OK && c.counts.errors == 0 && !(strict && c.counts.warnings > 0);
    status = c.valid ? EXIT_OK : EXIT_INVALID;
    if (output == OUTPUT_JSON)
        print_checked_json(&c);
    else if ((rc = print_checked_text(&c)) != TLSRPT_OK)
        status = fail_library("check", "printing the record", rc);
done:
    tlsrpt_free(canonical);
    tlsrpt_free(record_json);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(parse_diag);
    tlsrpt_diag_free(lint_diag);
    free(input);
    return status;
}
