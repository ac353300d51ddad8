/* Fuzz target: report e-mail parse (RFC 5322 headers, MIME walk, transfer encodings, then the report), lenient or
 * strict, and every getter of a parsed report. The first input byte selects strict mode (odd) or lenient (even);
 * the rest is the message.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_report_walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? TLSRPT_PARSE_STRICT : 0;
    tlsrpt_diag *diag = NULL;
    tlsrpt_report *rep = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_report_parse_message(&rep, data + 1, size - 1, flags, diag);
    if (rc != TLSRPT_OK) {
        FUZZ_CHECK(rep == NULL);
        if (rc != TLSRPT_ENOMEM)
            FUZZ_CHECK(fuzz_has_error(diag));
    } else {
        FUZZ_CHECK(rep != NULL);
        FUZZ_CHECK(!fuzz_has_error(diag)); /* success never carries an ERROR, in either mode */
        fuzz_walk_report(rep);
    }
    for (size_t i = 0; i < tlsrpt_diag_count(diag); i++) {
        fuzz_touch(tlsrpt_diag_id(diag, i));
        fuzz_touch(tlsrpt_diag_message(diag, i));
        size_t off = tlsrpt_diag_offset(diag, i);
        /* message findings point into the message; report findings (with a path) into the decoded report */
        const char *path = tlsrpt_diag_path(diag, i);
        if (path && !path[0] && off != TLSRPT_NO_OFFSET && strncmp(tlsrpt_diag_id(diag, i), "message-", 8) == 0)
            FUZZ_CHECK(off <= size - 1 || off == TLSRPT_MAX_MESSAGE_SIZE);
    }
    tlsrpt_report_free(rep);
    tlsrpt_diag_free(diag);
    return 0;
}
