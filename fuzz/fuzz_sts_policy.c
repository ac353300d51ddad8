/* Fuzz target: MTA-STS policy parse, serialize, lint, matching and the report entry; a policy that parses
 * re-parses from its serialization to the same content, covers every pattern it lists (§4.1), and two policies of
 * the same content count into one report entry.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_same(const tlsrpt_sts_policy *a, const tlsrpt_sts_policy *b)
{
    FUZZ_CHECK(tlsrpt_sts_policy_mode(a) == tlsrpt_sts_policy_mode(b));
    FUZZ_CHECK(tlsrpt_sts_policy_max_age(a) == tlsrpt_sts_policy_max_age(b));
    FUZZ_CHECK(tlsrpt_sts_policy_mx_count(a) == tlsrpt_sts_policy_mx_count(b));
    FUZZ_CHECK(tlsrpt_sts_policy_extension_count(a) == tlsrpt_sts_policy_extension_count(b));
    FUZZ_CHECK(tlsrpt_sts_policy_string_count(a) == tlsrpt_sts_policy_string_count(b));
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(a); i++)
        FUZZ_CHECK(strcmp(tlsrpt_sts_policy_string(a, i), tlsrpt_sts_policy_string(b, i)) == 0);
}

/* Every pattern covers the host it names: "mx.example" itself, "*.example" the name with "*" replaced by "a". */
static void check_patterns_match(const tlsrpt_sts_policy *p)
{
    for (size_t i = 0; i < tlsrpt_sts_policy_mx_count(p); i++) {
        const char *pat = tlsrpt_sts_policy_mx(p, i);
        char host[300];
        FUZZ_CHECK(strlen(pat) < sizeof host);
        strcpy(host, pat);
        if (host[0] == '*')
            host[0] = 'a';
        FUZZ_CHECK(tlsrpt_sts_policy_matches(p, host) == 1);
        if (pat[0] == '*') {
            /* one label more than the pattern's is never covered by it (another pattern may cover it) */
            FUZZ_CHECK(tlsrpt_sts_policy_matches(p, pat + 2) >= 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    tlsrpt_diag *diag = NULL;
    tlsrpt_sts_policy *pol = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    int rc = tlsrpt_sts_policy_parse(&pol, text, size, diag);
    if (rc == TLSRPT_ESYNTAX || rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ELIMIT) {
        FUZZ_CHECK(pol == NULL);
        FUZZ_CHECK(fuzz_has_error(diag));
    }
    FUZZ_CHECK(rc != TLSRPT_EINVAL);
    if (rc == TLSRPT_OK) {
        FUZZ_CHECK(pol != NULL);
        FUZZ_CHECK(!fuzz_has_error(diag));
        size_t n_mx = tlsrpt_sts_policy_mx_count(pol);
        FUZZ_CHECK(n_mx <= TLSRPT_MAX_STS_MX_COUNT);
        FUZZ_CHECK(tlsrpt_sts_policy_extension_count(pol) <= TLSRPT_MAX_STS_EXTENSION_COUNT);
        FUZZ_CHECK(tlsrpt_sts_policy_max_age(pol) <= TLSRPT_MAX_STS_MAX_AGE);
        FUZZ_CHECK(n_mx > 0 || tlsrpt_sts_policy_mode(pol) == TLSRPT_STS_MODE_NONE);
        FUZZ_CHECK(tlsrpt_sts_policy_string_count(pol) == 3 + n_mx + tlsrpt_sts_policy_extension_count(pol));
        char *s = NULL, *s2 = NULL;
        size_t len = 0, len2 = 0;
        FUZZ_CHECK(tlsrpt_sts_policy_serialize(pol, &s, &len) == TLSRPT_OK);
        FUZZ_CHECK(strlen(s) == len);
        tlsrpt_sts_policy *again = NULL;
        tlsrpt_diag_clear(diag);
        FUZZ_CHECK(tlsrpt_sts_policy_parse(&again, s, len, diag) == TLSRPT_OK);
        check_same(pol, again);
        FUZZ_CHECK(tlsrpt_sts_policy_serialize(again, &s2, &len2) == TLSRPT_OK);
        FUZZ_CHECK(len == len2 && memcmp(s, s2, len) == 0);
        check_patterns_match(pol);

        tlsrpt_diag_clear(diag);
        const char *hosts[] = {"mx1.example.com", "mail.example.net."};
        FUZZ_CHECK(tlsrpt_sts_policy_lint(pol, TLSRPT_STS_LINT_NO_TLSRPT, hosts, 2, diag) == TLSRPT_OK);
        FUZZ_CHECK(!fuzz_has_error(diag));

        /* the same content, from two files, is one report entry with the policy's strings and patterns */
        tlsrpt_report *r = NULL;
        FUZZ_CHECK(tlsrpt_report_new(&r, "fuzz", NULL, "id", 0, 86399) == TLSRPT_OK);
        tlsrpt_policy *a = NULL, *b = NULL;
        FUZZ_CHECK(tlsrpt_report_add_sts_policy(r, "example.com", pol, &a) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_report_add_sts_policy(r, "example.com", again, &b) == TLSRPT_OK);
        FUZZ_CHECK(a == b && tlsrpt_report_policy_count(r) == 1);
        FUZZ_CHECK(tlsrpt_policy_string_count(a) == tlsrpt_sts_policy_string_count(pol));
        FUZZ_CHECK(tlsrpt_policy_mx_host_count(a) == n_mx);
        /* and the report it makes reads back */
        char *json = NULL;
        size_t json_len = 0;
        FUZZ_CHECK(tlsrpt_report_serialize(r, 0, &json, &json_len) == TLSRPT_OK);
        tlsrpt_report *back = NULL;
        FUZZ_CHECK(tlsrpt_report_parse(&back, json, json_len, 0, NULL) == TLSRPT_OK);
        FUZZ_CHECK(tlsrpt_policy_string_count(tlsrpt_report_policy(back, 0)) == tlsrpt_sts_policy_string_count(pol));
        tlsrpt_report_free(back);
        tlsrpt_free(json);
        tlsrpt_report_free(r);
        tlsrpt_free(s);
        tlsrpt_free(s2);
        tlsrpt_sts_policy_free(again);
    }
    tlsrpt_sts_policy_free(pol);
    tlsrpt_diag_free(diag);
    return 0;
}
