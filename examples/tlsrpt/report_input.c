/* tlsrpt report — the input side: reads one FILE argument (bounded), tells a report e-mail from a report, and has
 * the library parse it (tlsrpt_report_parse_any: JSON, gzip or an e-mail).
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

size_t report_item_limit(void)
{
    return (size_t)(TLSRPT_MAX_MESSAGE_SIZE > TLSRPT_MAX_REPORT_SIZE ? TLSRPT_MAX_MESSAGE_SIZE
                                                                     : TLSRPT_MAX_REPORT_SIZE) + 1;
}

int report_read_stream(FILE *f, size_t limit, unsigned char **out, size_t *out_len)
{
    size_t cap = 0, len = 0;
    unsigned char *buf = NULL;
    int err = 0;
    while (len < limit) {
        if (len == cap) {
            size_t next = cap ? cap * 2 : 64 * 1024;
            if (next > limit)
                next = limit;
            unsigned char *grown = realloc(buf, next);
            if (grown == NULL) {
                err = ENOMEM;
                break;
            }
            buf = grown;
            cap = next;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                err = errno ? errno : EIO;
            break;
        }
    }
    if (err) {
        free(buf);
        errno = err;
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* At most report_item_limit() bytes: enough for the library to see that a longer input is over its limit, without
 * reading an unbounded stream. */
int report_read_file(const char *name, unsigned char **out, size_t *out_len)
{
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
    if (f == NULL)
        return -1;
    int rc = report_read_stream(f, report_item_limit(), out, out_len);
    if (f != stdin) {
        int e = errno;
        fclose(f);
        errno = e;
    }
    return rc;
}

const char *report_status_name(const struct report_result *res)
{
    return res->read_errno ? "unreadable" : parse_status_name(res->parsed);
}

void report_say_unreadable(const struct report_result *res)
{
    fprintf(stderr, "%s report: cannot read '", PROGRAM);
    put_escaped_string(stderr, res->file);
    fprintf(stderr, "': %s\n", strerror(res->read_errno));
}

int report_parse_data(struct report_result *res, const unsigned char *data, size_t len, unsigned flags)
{
    int rc = tlsrpt_diag_new(&res->diag);
    if (rc == TLSRPT_OK)
        rc = res->parsed = tlsrpt_report_parse_any(&res->report, data, len, flags, res->diag);
    if (rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL)
        return rc;
    count_findings(res->diag, &res->counts);
    int valid = res->parsed == TLSRPT_OK && res->counts.errors == 0 &&
                !((flags & TLSRPT_PARSE_STRICT) && res->counts.warnings > 0);
    res->status = valid ? EXIT_OK : EXIT_INVALID;
    return TLSRPT_OK;
}

int report_load(struct report_result *res, unsigned flags)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (report_read_file(res->file, &data, &len) != 0) {
        res->read_errno = errno;
        res->status = EXIT_USAGE;
        report_say_unreadable(res);
        return 0;
    }
    int rc = report_parse_data(res, data, len, flags);
    free(data);
    if (rc != TLSRPT_OK)
        return fail_library("report", "parsing", rc);
    return 0;
}
