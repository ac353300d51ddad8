/* Fuzz target: record parse, lint, serialize, zone output; a record that parses must re-parse to the same content.
 * Since 1.1 also: every hint is one non-empty line, the findings and the record write as JSON, and the record's
 * character-strings join to its text.
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
    for (size_t i = 0; i < tlsrpt_diag_count(diag); i++) {
        const char *hint = tlsrpt_diag_hint(diag, i);
        FUZZ_CHECK(hint == NULL || (hint[0] != '\0' && strchr(hint, '\n') == NULL));
    }
    char *json = NULL;
    FUZZ_CHECK(tlsrpt_diag_to_json(diag, 0, &json, NULL) == TLSRPT_OK);
    tlsrpt_free(json);
    if (rc == TLSRPT_OK) {
        FUZZ_CHECK(rec != NULL);
        FUZZ_CHECK(tlsrpt_record_to_json(rec, "example.com", 0, &json, NULL) == TLSRPT_OK);
        tlsrpt_free(json);
        FUZZ_CHECK(tlsrpt_record_is_candidate(text, size) == 1);
        char *s = NULL;
        size_t len = 0;
        FUZZ_CHECK(tlsrpt_record_serialize(rec, &s, &len) == TLSRPT_OK);
        FUZZ_CHECK(strlen(s) == len);
        char **strings = NULL;
        size_t n = 0, joined = 0;
        FUZZ_CHECK(tlsrpt_record_to_strings(rec, &strings, &n) == TLSRPT_OK);
        for (size_t i = 0; i < n; i++) {
            size_t k = strlen(strings[i]);
            FUZZ_CHECK(k <= 255 && joined + k <= len && memcmp(s + joined, strings[i], k) == 0);
            joined += k;
        }
        FUZZ_CHECK(joined == len);
        tlsrpt_free(strings);
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
