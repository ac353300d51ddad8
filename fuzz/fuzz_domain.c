/* Fuzz target: the one domain rule (tlsrpt_domain_check, tlsrpt_domain_to_ascii) and the addresses of the report
 * e-mail (tlsrpt_report_to_message_recipients). The first byte chooses: even, the rest is a domain; odd, the rest is
 * split at the first NUL into a From and a To address (or both the same when there is no NUL).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "domain.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_domain(const char *text)
{
    tlsrpt_diag *diag = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return;
    int rc = tlsrpt_domain_check(text, diag);
    char *ascii = NULL;
    int conv = tlsrpt_domain_to_ascii(text, &ascii);
    FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_EINVAL || rc == TLSRPT_ENOMEM);
    if (rc != TLSRPT_ENOMEM && conv != TLSRPT_ENOMEM) {
        FUZZ_CHECK(rc == conv); /* one rule: the check and the conversion agree */
        size_t errors = 0;
        for (size_t i = 0; i < tlsrpt_diag_count(diag); i++) {
            const char *id = tlsrpt_diag_id(diag, i);
            FUZZ_CHECK(strncmp(id, "domain-", 7) == 0);
            size_t off = tlsrpt_diag_offset(diag, i);
            FUZZ_CHECK(off == TLSRPT_NO_OFFSET || off <= strlen(text));
            if (tlsrpt_diag_severity(diag, i) == TLSRPT_SEVERITY_ERROR)
                errors++;
        }
        FUZZ_CHECK(errors == (rc == TLSRPT_OK ? 0u : 1u));
    }
    if (conv == TLSRPT_OK) {
        size_t n = strlen(ascii);
        FUZZ_CHECK(trpt_domain_is_valid_alabel(ascii, n, 0));
        for (size_t i = 0; i < n; i++)
            FUZZ_CHECK(!(ascii[i] >= 'A' && ascii[i] <= 'Z'));
        char *again = NULL;
        FUZZ_CHECK(tlsrpt_domain_to_ascii(ascii, &again) == TLSRPT_OK); /* the A-label form is a fixed point */
        FUZZ_CHECK(strcmp(again, ascii) == 0);
        tlsrpt_free(again);
    } else {
        FUZZ_CHECK(ascii == NULL);
    }
    tlsrpt_free(ascii);
    tlsrpt_diag_free(diag);
}

static void check_addresses(const char *from, const char *to)
{
    tlsrpt_report *r = NULL;
    tlsrpt_policy *p = NULL;
    if (tlsrpt_report_new(&r, "o", NULL, "id", 86400, 2 * 86400 - 1) != TLSRPT_OK)
        return;
    if (tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "p.example", NULL, 0, NULL, 0, &p) == TLSRPT_OK) {
        const char *list[2] = {to, from};
        char *msg = NULL;
        size_t len = 0;
        int rc = tlsrpt_report_to_message_recipients(r, from, list, 2, "p.example", "s.example", &msg, &len);
        FUZZ_CHECK(rc == TLSRPT_OK || rc == TLSRPT_EINVAL || rc == TLSRPT_ENOMEM);
        if (rc == TLSRPT_OK) {
            /* CRLF lines of at most 998 octets, no NUL, no bare CR or LF: nothing was injected. */
            size_t line = 0;
            FUZZ_CHECK(strlen(msg) == len);
            for (size_t i = 0; i < len; i++) {
                if (msg[i] == '\r') {
                    FUZZ_CHECK(i + 1 < len && msg[i + 1] == '\n');
                    FUZZ_CHECK(line <= 998);
                    line = 0;
                    i++;
                    continue;
                }
                FUZZ_CHECK(msg[i] != '\n');
                line++;
            }
            FUZZ_CHECK(line == 0);
            /* and the reader reads it back */
            tlsrpt_report *back = NULL;
            FUZZ_CHECK(tlsrpt_report_parse_message(&back, msg, len, 0, NULL) == TLSRPT_OK);
            tlsrpt_report_free(back);
        } else {
            FUZZ_CHECK(msg == NULL && len == 0);
        }
        tlsrpt_free(msg);
    }
    tlsrpt_report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 4096)
        return 0;
    char *text = malloc(size);
    if (!text)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if ((data[0] & 1) == 0) {
        check_domain(text);
    } else {
        size_t first = strlen(text);
        check_addresses(text, first + 1 < size - 1 ? text + first + 1 : text);
    }
    free(text);
    return 0;
}
