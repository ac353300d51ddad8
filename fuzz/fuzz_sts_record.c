/* Fuzz target: _mta-sts TXT record parse and serialize; a record that parses is a candidate and re-parses from its
 * serialization to the same content, and serializing that gives the same bytes.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const tlsrpt_sts_record *a, const tlsrpt_sts_record *b)
{
    FUZZ_CHECK(strcmp(tlsrpt_sts_record_id(a), tlsrpt_sts_record_id(b)) == 0);
    FUZZ_CHECK(tlsrpt_sts_record_extension_count(a) == tlsrpt_sts_record_extension_count(b));
    for (size_t i = 0; i < tlsrpt_sts_record_extension_count(a); i++) {
        FUZZ_CHECK(strcmp(tlsrpt_sts_record_extension_name(a, i), tlsrpt_sts_record_extension_name(b, i)) == 0);
        FUZZ_CHECK(strcmp(tlsrpt_sts_record_extension_value(a, i), tlsrpt_sts_record_extension_value(b, i)) == 0);
    }
    FUZZ_CHECK(tlsrpt_sts_record_extension_name(a, tlsrpt_sts_record_extension_count(a)) == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    tlsrpt_diag *diag = NULL;
    tlsrpt_sts_record *rec = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_sts_record_parse(&rec, text, size, diag);
    if (rc == TLSRPT_ESYNTAX || rc == TLSRPT_ELIMIT) {
        FUZZ_CHECK(rec == NULL);
        FUZZ_CHECK(fuzz_has_error(diag));
    }
    FUZZ_CHECK(rc != TLSRPT_ESEMANTIC && rc != TLSRPT_EINVAL);
    if (rc == TLSRPT_OK) {
        FUZZ_CHECK(rec != NULL);
        FUZZ_CHECK(!fuzz_has_error(diag));
        FUZZ_CHECK(tlsrpt_sts_record_is_candidate(text, size) == 1);
        size_t id_len = strlen(tlsrpt_sts_record_id(rec));
        FUZZ_CHECK(id_len >= 1 && id_len <= 32);
        char *s = NULL, *s2 = NULL;
        size_t len = 0, len2 = 0;
        FUZZ_CHECK(tlsrpt_sts_record_serialize(rec, &s, &len) == TLSRPT_OK);
        FUZZ_CHECK(strlen(s) == len);
        FUZZ_CHECK(tlsrpt_sts_record_is_candidate(s, len) == 1);
        tlsrpt_sts_record *again = NULL;
        tlsrpt_diag_clear(diag);
        FUZZ_CHECK(tlsrpt_sts_record_parse(&again, s, len, diag) == TLSRPT_OK);
        check_same(rec, again);
        FUZZ_CHECK(tlsrpt_sts_record_serialize(again, &s2, &len2) == TLSRPT_OK);
        FUZZ_CHECK(len == len2 && memcmp(s, s2, len) == 0);
        /* the builder makes the same record from the getters */
        tlsrpt_sts_record *built = NULL;
        FUZZ_CHECK(tlsrpt_sts_record_new(&built, tlsrpt_sts_record_id(rec)) == TLSRPT_OK);
        for (size_t i = 0; i < tlsrpt_sts_record_extension_count(rec); i++) {
            const char *name = tlsrpt_sts_record_extension_name(rec, i);
            int add = tlsrpt_sts_record_add_extension(built, name, tlsrpt_sts_record_extension_value(rec, i));
            /* a second v= or id= is kept by the parser but refused by the builder */
            FUZZ_CHECK(add == TLSRPT_OK || ((strcmp(name, "v") == 0 || strcmp(name, "id") == 0) &&
                                            add == TLSRPT_EINVAL));
        }
        tlsrpt_free(s);
        tlsrpt_free(s2);
        tlsrpt_sts_record_free(again);
        tlsrpt_sts_record_free(built);
    }
    tlsrpt_sts_record_free(rec);
    tlsrpt_diag_free(diag);
    return 0;
}
