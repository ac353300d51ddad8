/* Fuzz target: URI parse and duplication. SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tlsrpt_diag *diag = NULL;
    tlsrpt_uri *uri = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_uri_parse(&uri, (const char *)data, size, diag);
    if (rc == TLSRPT_ESYNTAX || rc == TLSRPT_ELIMIT) {
        FUZZ_CHECK(uri == NULL);
        FUZZ_CHECK(fuzz_has_error(diag));
    }
    if (rc == TLSRPT_OK) {
        int scheme = tlsrpt_uri_scheme(uri);
        FUZZ_CHECK(scheme == TLSRPT_URI_MAILTO || scheme == TLSRPT_URI_HTTPS || scheme == TLSRPT_URI_OTHER);
        const char *s = tlsrpt_uri_string(uri);
        FUZZ_CHECK(s != NULL);
        if (scheme == TLSRPT_URI_MAILTO)
            FUZZ_CHECK(tlsrpt_uri_mailbox(uri) != NULL && strchr(tlsrpt_uri_mailbox(uri), '@') != NULL);
        else
            FUZZ_CHECK(tlsrpt_uri_mailbox(uri) == NULL);
        if (scheme == TLSRPT_URI_HTTPS)
            FUZZ_CHECK(tlsrpt_uri_host(uri) != NULL && tlsrpt_uri_host(uri)[0] != '\0');
        /* The record form re-parses to the same URI. */
        tlsrpt_uri *again = NULL;
        FUZZ_CHECK(tlsrpt_uri_parse(&again, s, strlen(s), NULL) == TLSRPT_OK);
        FUZZ_CHECK(strcmp(tlsrpt_uri_string(again), s) == 0);
        tlsrpt_uri *copy = NULL;
        FUZZ_CHECK(tlsrpt_uri_dup(&copy, uri) == TLSRPT_OK);
        FUZZ_CHECK(strcmp(tlsrpt_uri_string(copy), s) == 0);
        tlsrpt_uri_free(again);
        tlsrpt_uri_free(copy);
    }
    tlsrpt_uri_free(uri);
    tlsrpt_diag_free(diag);
    return 0;
}
