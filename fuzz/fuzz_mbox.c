/* Fuzz target: a mailbox as a receiver reads it — tlsrpt_mbox_next splits the input, each message goes through
 * tlsrpt_content_type and tlsrpt_report_parse_any, every report that parses goes into one aggregate (keys from the
 * input: de-duplication set and tables) and through tlsrpt_report_rows in both formats. The first input byte
 * selects strict mode (bit 0) and a domain filter (bit 1: "example.com"); the rest is the mailbox.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_report_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Messages parsed per input at most: each costs a full message parse, and the split itself is checked on all. */
#define MAX_PARSED 64

static void check_rows(const tlsrpt_report *r, const char *domain)
{
    for (int format = TLSRPT_ROWS_NDJSON; format <= TLSRPT_ROWS_CSV; format++) {
        char *out = NULL;
        size_t len = 0;
        int rc = tlsrpt_report_rows(r, format, domain, &out, &len);
        FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_ENOMEM);
        if (rc != TLSRPT_OK)
            continue;
        FUZZ_CHECK(out != NULL && strlen(out) == len);
        /* one line per policy that passes + one per its failure details: the row count is known */
        size_t lines = 0, want = 0;
        for (size_t i = 0; i < len; i++)
            lines += format == TLSRPT_ROWS_NDJSON ? out[i] == '\n' : (out[i] == '\n' && i > 0 && out[i - 1] == '\r');
        for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
            const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
            const char *d = tlsrpt_policy_domain(p);
            if (domain && !(d && (strcmp(d, domain) == 0)))
                continue;
            want += 1 + tlsrpt_policy_failure_count(p);
        }
        if (format == TLSRPT_ROWS_NDJSON && !domain)
            FUZZ_CHECK(lines == want); /* JSON strings escape line breaks; CSV fields may hold CRLF */
        tlsrpt_free(out);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? TLSRPT_PARSE_STRICT : 0;
    const char *domain = (data[0] & 2) ? "example.com" : NULL;
    const uint8_t *box = data + 1;
    size_t len = size - 1;
    tlsrpt_aggregate *agg = NULL;
    if (tlsrpt_aggregate_new(&agg) != TLSRPT_OK)
        return 0;
    if (domain && tlsrpt_aggregate_set_domain(agg, domain) != TLSRPT_OK) {
        tlsrpt_aggregate_free(agg);
        return 0;
    }
    size_t pos = 0, off, mlen, expect = 0, n = 0, added = 0;
    int rc;
    while ((rc = tlsrpt_mbox_next(box, len, &pos, &off, &mlen)) == 1) {
        /* messages tile the input in order; only separator blank lines fall between them */
        FUZZ_CHECK(off == expect && off + mlen <= pos && pos <= len && mlen > 0);
        FUZZ_CHECK(pos - (off + mlen) <= 2); /* the dropped separator: LF or CRLF */
        FUZZ_CHECK(n == 0 || memcmp(box + off, "From ", 5) == 0);
        expect = pos;
        n++;
        if (n > MAX_PARSED)
            continue;
        int type = tlsrpt_content_type(box + off, mlen);
        FUZZ_CHECK(type >= TLSRPT_CONTENT_JSON && type <= TLSRPT_CONTENT_MBOX);
        tlsrpt_report *r = NULL;
        tlsrpt_diag *diag = NULL;
        if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
            break;
        int prc = tlsrpt_report_parse_any(&r, box + off, mlen, flags, diag);
        FUZZ_CHECK((prc == TLSRPT_OK) == (r != NULL));
        if (prc != TLSRPT_OK && prc != TLSRPT_ENOMEM)
            FUZZ_CHECK(fuzz_has_error(diag));
        if (r) {
            int verdict = 0;
            int arc = tlsrpt_aggregate_add(agg, r, &verdict);
            FUZZ_CHECK(arc == TLSRPT_OK || arc == TLSRPT_ELIMIT || arc == TLSRPT_ENOMEM);
            if (arc == TLSRPT_OK) {
                FUZZ_CHECK(verdict >= TLSRPT_AGGREGATE_ADDED && verdict <= TLSRPT_AGGREGATE_FILTERED);
                added++;
            }
            check_rows(r, domain);
        }
        tlsrpt_report_free(r);
        tlsrpt_diag_free(diag);
    }
    FUZZ_CHECK(rc == 0 && pos == len);
    FUZZ_CHECK((n == 0) == (len == 0));
    size_t counted = 0;
    for (int v = TLSRPT_AGGREGATE_ADDED; v <= TLSRPT_AGGREGATE_FILTERED; v++)
        counted += tlsrpt_aggregate_count(agg, v);
    FUZZ_CHECK(counted == added);
    for (int t = TLSRPT_TABLE_DAYS; t <= TLSRPT_TABLE_ORGANIZATIONS; t++)
        for (size_t i = 0; i < tlsrpt_aggregate_row_count(agg, t); i++)
            fuzz_touch(tlsrpt_aggregate_row_key(agg, t, i));
    tlsrpt_aggregate_free(agg);
    return 0;
}
