/* Fuzz target: record parse, lint, serialize, zone output; a record that parses must re-parse to the same content.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const tlsrpt_record *a, const tlsrpt_record *b)
{
    FUZZ_CHECK(tlsrpt_record_rua_count(a) == tlsrpt_record_rua_count(b));
    for (size_t i = 0; i < tlsrpt_record_rua_count(a); i++) {
        const tlsrpt_uri *ua = tlsrpt_record_rua(a, i), *ub = tlsrpt_record_rua(b, i);
        FUZZ_CHECK(strcmp(tlsrpt_uri_string(ua), tlsrpt_uri_string(ub)) == 0);
        FUZZ_CHECK(tlsrpt_uri_scheme(ua) == tlsrpt_uri_scheme(ub));
    }
    FUZZ_CHECK(tlsrpt_record_extension_count(a) == tlsrpt_record_extension_count(b));
    for (size_t i = 0; i < tlsrpt_record_extension_count(a); i++) {
        FUZZ_CHECK(strcmp(tlsrpt_record_extension_name(a, i), tlsrpt_record_extension_name(b, i)) == 0);
        FUZZ_CHECK(strcmp(tlsrpt_record_extension_value(a, i), tlsrpt_record_extension_value(b, i)) == 0);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    tlsrpt_diag *diag = NULL;
    tlsrpt_record *rec = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_record_parse(&rec, text, size, diag);
    (void)tlsrpt_record_is_candidate(text, size);
    if (rc == TLSRPT_ESYNTAX || rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ELIMIT) {
        FUZZ_CHECK(rec == NULL);
        FUZZ_CHECK(fuzz_has_error(diag));
    }
    if (rc == TLSRPT_OK) {
        FUZZ_CHECK(rec != NULL);
        FUZZ_CHECK(tlsrpt_record_is_candidate(text, size) == 1);
        char *s = NULL;
        size_t len = 0;
        FUZZ_CHECK(tlsrpt_record_serialize(rec, &s, &len) == TLSRPT_OK);
        FUZZ_CHECK(strlen(s) == len);
        tlsrpt_record *again = NULL;
        tlsrpt_diag_clear(diag);
        FUZZ_CHECK(tlsrpt_record_parse(&again, s, len, diag) == TLSRPT_OK);
        check_same(rec, again);
        tlsrpt_record *copy = NULL;
        FUZZ_CHECK(tlsrpt_record_dup(&copy, rec) == TLSRPT_OK);
        check_same(rec, copy);
        tlsrpt_diag_clear(diag);
        FUZZ_CHECK(tlsrpt_record_lint(rec, "example.com", diag) == TLSRPT_OK);
        char *zone = NULL;
        FUZZ_CHECK(tlsrpt_record_to_zone(rec, "example.com", 300, &zone, NULL) == TLSRPT_OK);
        tlsrpt_free(zone);
        tlsrpt_free(s);
        tlsrpt_record_free(again);
        tlsrpt_record_free(copy);
    }
    tlsrpt_record_free(rec);
    tlsrpt_diag_free(diag);
    return 0;
}
