/* libtlsrpt — a report as flat rows for databases: NDJSON and RFC 4180 CSV with one stable column set
 * (tlsrpt_aggregate(3), doc/receivers.md).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "datetime.h"
#include "internal.h"
#include "report_internal.h"
#include "utf8.h"

/* The columns, in order. Never reorder or rename: a later version only appends. */
enum column {
    COL_ROW_TYPE,
    COL_ORGANIZATION_NAME,
    COL_CONTACT_INFO,
    COL_REPORT_ID,
    COL_START_DATETIME,
    COL_END_DATETIME,
    COL_POLICY_INDEX,
    COL_POLICY_TYPE,
    COL_POLICY_DOMAIN,
    COL_MX_HOST,
    COL_SUCCESSFUL_SESSIONS,
    COL_FAILED_SESSIONS,
    COL_RESULT_TYPE,
    COL_SENDING_MTA_IP,
    COL_RECEIVING_MX_HOSTNAME,
    COL_RECEIVING_MX_HELO,
    COL_RECEIVING_IP,
    COL_FAILURE_REASON_CODE,
    COL_ADDITIONAL_INFORMATION,
    COLUMN_COUNT
};

static const char *const COLUMN_NAMES[COLUMN_COUNT] = {
    "row_type", "organization_name", "contact_info", "report_id", "start_datetime", "end_datetime",
    "policy_index", "policy_type", "policy_domain", "mx_host", "successful_sessions", "failed_sessions",
    "result_type", "sending_mta_ip", "receiving_mx_hostname", "receiving_mx_helo", "receiving_ip",
    "failure_reason_code", "additional_information",
};

static const char CSV_HEADER[] =
    "row_type,organization_name,contact_info,report_id,start_datetime,end_datetime,policy_index,policy_type,"
    "policy_domain,mx_host,successful_sessions,failed_sessions,result_type,sending_mta_ip,receiving_mx_hostname,"
    "receiving_mx_helo,receiving_ip,failure_reason_code,additional_information\r\n";

const char *tlsrpt_rows_csv_header(void)
{
    return CSV_HEADER;
}

/* One cell: a string (NULL: absent) or a number. */
struct cell {
    const char *text;
    int is_number;
    uint64_t number;
};

struct row {
    struct cell cells[COLUMN_COUNT];
};

static void set_text(struct row *row, enum column c, const char *text)
{
    row->cells[c] = (struct cell){.text = text};
}

static void set_number(struct row *row, enum column c, uint64_t v)
{
    row->cells[c] = (struct cell){.is_number = 1, .number = v};
}

static void put_csv_field(trpt_buf *b, const char *s)
{
    if (strpbrk(s, "\",\r\n") == NULL) {
        trpt_buf_puts(b, s);
        return;
    }
    trpt_buf_putc(b, '"');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            trpt_buf_putc(b, '"');
        trpt_buf_putc(b, *p);
    }
    trpt_buf_putc(b, '"');
}

/* A JSON string with the escapes of lib/json_writer.c (\" \\ \b \f \n \r \t, \u00xx for the other control
 * characters; everything else as is), copying the runs between escapes at once: the rows repeat the same kind of
 * short strings millions of times. Returns TLSRPT_OK or TLSRPT_EINVAL (not UTF-8). */
static int put_json_string(trpt_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s), run = 0;
    if (trpt_utf8_valid_prefix(s, n) != n)
        return TLSRPT_EINVAL;
    trpt_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        trpt_buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[7] = {'\\', 0};
        size_t len = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            len = 6;
        }
        trpt_buf_append(b, esc, len);
    }
    trpt_buf_append(b, s + run, n - run);
    trpt_buf_putc(b, '"');
    return TLSRPT_OK;
}

static void put_uint64(trpt_buf *b, uint64_t v)
{
    char digits[20];
    size_t n = 0;
    do {
        digits[sizeof digits - 1 - n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    trpt_buf_append(b, digits + sizeof digits - n, n);
}

/* Cells [from, to) of a row, each after its separator (NDJSON: ,"name":value; CSV: ,value). The first cell of a row
 * (from == 0) has no separator. */
static int put_cells(trpt_buf *b, int format, const struct row *row, int from, int to)
{
    for (int c = from; c < to; c++) {
        const struct cell *x = &row->cells[c];
        if (format == TLSRPT_ROWS_NDJSON) {
            trpt_buf_puts(b, c == 0 ? "\"" : ",\"");
            trpt_buf_puts(b, COLUMN_NAMES[c]);
            trpt_buf_puts(b, "\":");
        } else if (c > 0) {
            trpt_buf_putc(b, ',');
        }
        if (x->is_number) {
            put_uint64(b, x->number);
        } else if (x->text) {
            if (format == TLSRPT_ROWS_NDJSON) {
                if (put_json_string(b, x->text) != TLSRPT_OK)
                    return TLSRPT_EINVAL;
            } else {
                size_t n = strlen(x->text);
                if (trpt_utf8_valid_prefix(x->text, n) != n)
                    return TLSRPT_EINVAL;
                put_csv_field(b, x->text);
            }
        } else if (format == TLSRPT_ROWS_NDJSON) {
            trpt_buf_puts(b, "null");
        }
    }
    return TLSRPT_OK;
}

/* The columns that every row of a policy shares: organization_name .. mx_host. */
#define SHARED_FROM COL_ORGANIZATION_NAME
#define SHARED_TO COL_SUCCESSFUL_SESSIONS

/* One row: its row_type, the policy's shared cells (already written once into `shared`), its own cells. */
static int write_row(trpt_buf *b, int format, const struct row *row, const trpt_buf *shared)
{
    if (format == TLSRPT_ROWS_NDJSON)
        trpt_buf_putc(b, '{');
    int rc = put_cells(b, format, row, 0, SHARED_FROM);
    trpt_buf_append(b, shared->data, shared->len);
    if (rc == TLSRPT_OK)
        rc = put_cells(b, format, row, SHARED_TO, COLUMN_COUNT);
    trpt_buf_puts(b, format == TLSRPT_ROWS_NDJSON ? "}\n" : "\r\n");
    return rc != TLSRPT_OK ? rc : b->failed ? TLSRPT_ENOMEM : TLSRPT_OK;
}

/* 1 if the policy passes the domain filter (compared without ASCII case and a trailing dot on either side). */
static int domain_passes(const tlsrpt_policy *p, const char *filter)
{
    if (!filter)
        return 1;
    const char *d = tlsrpt_policy_domain(p);
    size_t n = d ? strlen(d) : 0, m = strlen(filter);
    if (n > 0 && d[n - 1] == '.')
        n--;
    if (m > 0 && filter[m - 1] == '.')
        m--;
    return n == m && (n == 0 || trpt_ascii_strncasecmp(d, filter, n) == 0);
}

int tlsrpt_report_rows(const tlsrpt_report *r, int format, const char *policy_domain, char **out, size_t *out_len)
{
    if (out)
        *out = NULL;
    if (out_len)
        *out_len = 0;
    if (!r || !out || (format != TLSRPT_ROWS_NDJSON && format != TLSRPT_ROWS_CSV))
        return TLSRPT_EINVAL;
    char start[21], end[21];
    /* null when the report has no such date-time (lenient parsing), not 1970 */
    int has_start = r->has_start_time && trpt_datetime_format(r->start_time, start) == TLSRPT_OK;
    int has_end = r->has_end_time && trpt_datetime_format(r->end_time, end) == TLSRPT_OK;
    struct row row;
    memset(&row, 0, sizeof row);
    set_text(&row, COL_ORGANIZATION_NAME, tlsrpt_report_organization_name(r));
    set_text(&row, COL_CONTACT_INFO, tlsrpt_report_contact_info(r));
    set_text(&row, COL_REPORT_ID, tlsrpt_report_id(r));
    set_text(&row, COL_START_DATETIME, has_start ? start : NULL);
    set_text(&row, COL_END_DATETIME, has_end ? end : NULL);

    trpt_buf b, mx, shared;
    trpt_buf_init(&b);
    trpt_buf_init(&mx);
    trpt_buf_init(&shared);
    int rc = TLSRPT_OK;
    size_t n = tlsrpt_report_policy_count(r);
    for (size_t i = 0; i < n && rc == TLSRPT_OK; i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        if (!domain_passes(p, policy_domain))
            continue;
        mx.len = 0;
        size_t hosts = tlsrpt_policy_mx_host_count(p);
        for (size_t k = 0; k < hosts; k++) {
            if (k > 0)
                trpt_buf_putc(&mx, ' ');
            trpt_buf_puts(&mx, tlsrpt_policy_mx_host(p, k));
        }
        if (mx.failed) {
            rc = TLSRPT_ENOMEM;
            break;
        }
        set_text(&row, COL_ROW_TYPE, "policy");
        set_number(&row, COL_POLICY_INDEX, (uint64_t)i);
        set_text(&row, COL_POLICY_TYPE, tlsrpt_policy_type_name(p));
        set_text(&row, COL_POLICY_DOMAIN, tlsrpt_policy_domain(p));
        set_text(&row, COL_MX_HOST, hosts ? mx.data : NULL);
        set_number(&row, COL_SUCCESSFUL_SESSIONS, tlsrpt_policy_successful_sessions(p));
        set_number(&row, COL_FAILED_SESSIONS, tlsrpt_policy_failed_sessions(p));
        for (int c = COL_RESULT_TYPE; c < COLUMN_COUNT; c++)
            set_text(&row, (enum column)c, NULL);
        shared.len = 0;
        rc = put_cells(&shared, format, &row, SHARED_FROM, SHARED_TO);
        if (rc == TLSRPT_OK && shared.failed)
            rc = TLSRPT_ENOMEM;
        if (rc == TLSRPT_OK && !shared.data)
            trpt_buf_puts(&shared, ""); /* CSV of empty cells: still a buffer to copy from */
        if (rc == TLSRPT_OK)
            rc = write_row(&b, format, &row, &shared);
        size_t nf = tlsrpt_policy_failure_count(p);
        set_text(&row, COL_ROW_TYPE, "failure");
        set_text(&row, COL_SUCCESSFUL_SESSIONS, NULL);
        for (size_t k = 0; k < nf && rc == TLSRPT_OK; k++) {
            const tlsrpt_failure *f = tlsrpt_policy_failure(p, k);
            set_number(&row, COL_FAILED_SESSIONS, tlsrpt_failure_session_count(f));
            set_text(&row, COL_RESULT_TYPE, tlsrpt_failure_result_type(f));
            set_text(&row, COL_SENDING_MTA_IP, tlsrpt_failure_sending_mta_ip(f));
            set_text(&row, COL_RECEIVING_MX_HOSTNAME, tlsrpt_failure_receiving_mx_hostname(f));
            set_text(&row, COL_RECEIVING_MX_HELO, tlsrpt_failure_receiving_mx_helo(f));
            set_text(&row, COL_RECEIVING_IP, tlsrpt_failure_receiving_ip(f));
            set_text(&row, COL_FAILURE_REASON_CODE, tlsrpt_failure_reason_code(f));
            set_text(&row, COL_ADDITIONAL_INFORMATION, tlsrpt_failure_additional_information(f));
            rc = write_row(&b, format, &row, &shared);
        }
    }
    trpt_buf_free(&mx);
    trpt_buf_free(&shared);
    if (rc != TLSRPT_OK) {
        trpt_buf_free(&b);
        return rc;
    }
    return trpt_buf_finish(&b, out, out_len);
}
