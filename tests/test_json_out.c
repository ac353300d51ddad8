/* The library's JSON documents (lib/json_out.c, doc/json-output.md): findings, and lookup results made through a
 * caller's lookup function (no network). Records are in test_record.c. SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

START_TEST(findings_json)
{
    char *out = (char *)"junk";
    size_t len = 99;
    ck_assert_int_eq(tlsrpt_diag_to_json(NULL, 0, &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "[]");
    ck_assert_uint_eq(len, 2);
    tlsrpt_free(out);
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    ck_assert_int_eq(tlsrpt_diag_to_json(d, TLSRPT_JSON_PRETTY, &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "[]\n");
    tlsrpt_free(out);
    trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "uri-no-scheme", 16, NULL, "A \"quoted\" \\ message\x01.");
    ck_assert_int_eq(trpt_diag_hint(d, 0, "uri-no-scheme", "Did you mean \"mailto:a@example.com\"?"), TLSRPT_OK);
    trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "report-x", TLSRPT_NO_OFFSET, "/policies/0", "W.");
    trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "record-extension-unknown", 3, NULL, "I.");
    ck_assert_int_eq(tlsrpt_diag_to_json(d, 0, &out, &len), TLSRPT_OK);
    ck_assert_str_eq(out, "[{\"severity\":\"error\",\"id\":\"uri-no-scheme\",\"message\":"
                          "\"A \\\"quoted\\\" \\\\ message\\u0001.\",\"offset\":16,\"path\":\"\",\"hint\":"
                          "\"Did you mean \\\"mailto:a@example.com\\\"?\"},"
                          "{\"severity\":\"warning\",\"id\":\"report-x\",\"message\":\"W.\",\"offset\":null,\"path\":"
                          "\"/policies/0\",\"hint\":null},"
                          "{\"severity\":\"info\",\"id\":\"record-extension-unknown\",\"message\":\"I.\",\"offset\":3,"
                          "\"path\":\"\",\"hint\":null}]");
    ck_assert_uint_eq(len, strlen(out));
    tlsrpt_free(out);
    out = (char *)"junk";
    ck_assert_int_eq(tlsrpt_diag_to_json(d, 4, &out, &len), TLSRPT_EINVAL);
    ck_assert_ptr_null(out);
    ck_assert_uint_eq(len, 0);
    ck_assert_int_eq(tlsrpt_diag_to_json(d, 0, NULL, NULL), TLSRPT_EINVAL);
    tlsrpt_diag_free(d);
}
END_TEST

/* A caller's lookup function that answers with the TXT strings in userdata (NULL-terminated). */
static int answer(const char *qname, tlsrpt_txt_answer *a, void *userdata)
{
    (void)qname;
    const char *const *rrs = userdata;
    for (size_t i = 0; rrs[i]; i++) {
        size_t len = strlen(rrs[i]);
        if (tlsrpt_txt_answer_add(a, &rrs[i], &len, 1) != TLSRPT_OK)
            return TLSRPT_ETEMPFAIL;
    }
    return TLSRPT_OK;
}

static char *lookup_json(const char *const *rrs, unsigned int flags)
{
    tlsrpt_resolver *res = NULL;
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, answer, (void *)rrs), TLSRPT_OK);
    tlsrpt_lookup(res, "example.com", &l);
    ck_assert_ptr_nonnull(l);
    char *out = NULL;
    ck_assert_int_eq(tlsrpt_lookup_result_to_json(l, flags, &out, NULL), TLSRPT_OK);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
    return out;
}

/* An answer with DNS facts: a CNAME chain, TTLs, two character-strings, the server. */
static int answer_with_facts(const char *qname, tlsrpt_txt_answer *a, void *userdata)
{
    (void)qname;
    (void)userdata;
    const char *strings[] = {"v=TLSRPTv1;", "rua=mailto:r@example.com"};
    size_t lens[] = {11, 24};
    if (tlsrpt_txt_answer_add_cname(a, "_smtp._tls.provider.example", 300) != TLSRPT_OK ||
        tlsrpt_txt_answer_add_cname(a, "tlsrpt.provider.example.", TLSRPT_TTL_UNKNOWN) != TLSRPT_OK ||
        tlsrpt_txt_answer_add_with_ttl(a, strings, lens, 2, 3600) != TLSRPT_OK ||
        tlsrpt_txt_answer_set_server(a, "2001:db8::53", 5353) != TLSRPT_OK)
        return TLSRPT_ETEMPFAIL;
    return TLSRPT_OK;
}

START_TEST(lookup_result_dns_facts)
{
    tlsrpt_resolver *res = NULL;
    tlsrpt_lookup_result *l = NULL;
    ck_assert_int_eq(tlsrpt_resolver_new(&res), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_resolver_set_lookup(res, answer_with_facts, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_lookup(res, "example.com", &l), TLSRPT_OK);
    char *out = NULL;
    ck_assert_int_eq(tlsrpt_lookup_result_to_json(l, 0, &out, NULL), TLSRPT_OK);
    ck_assert_msg(strstr(out, "\"answer\":["
                              "{\"name\":\"_smtp._tls.example.com.\",\"ttl\":300,\"type\":\"CNAME\","
                              "\"target\":\"_smtp._tls.provider.example.\"},"
                              "{\"name\":\"_smtp._tls.provider.example.\",\"ttl\":null,\"type\":\"CNAME\","
                              "\"target\":\"tlsrpt.provider.example.\"},"
                              "{\"name\":\"tlsrpt.provider.example.\",\"ttl\":3600,\"type\":\"TXT\","
                              "\"strings\":[\"v=TLSRPTv1;\",\"rua=mailto:r@example.com\"]}],"
                              "\"server\":{\"address\":\"2001:db8::53\",\"port\":5353},") != NULL,
                  "%s", out);
    tlsrpt_free(out);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
}
END_TEST

START_TEST(lookup_result_json)
{
    const char *valid[] = {"v=TLSRPTv1;rua=mailto:r@example.com", "google-site-verification=x", NULL};
    char *out = lookup_json(valid, 0);
    /* Members are compared piece by piece: later versions of the schema may add members, and the message text
     * belongs to the DNS layer. The answer of a lookup function that says no TTL and no server: TTLs null, server
     * null. */
    const char *head = "{\"qname\":\"_smtp._tls.example.com.\",\"status\":\"valid\",\"authenticated\":false,"
                       "\"txt\":[\"v=TLSRPTv1;rua=mailto:r@example.com\",\"google-site-verification=x\"],"
                       "\"answer\":[{\"name\":\"_smtp._tls.example.com.\",\"ttl\":null,\"type\":\"TXT\","
                       "\"strings\":[\"v=TLSRPTv1;rua=mailto:r@example.com\"]},{\"name\":\"_smtp._tls.example.com.\","
                       "\"ttl\":null,\"type\":\"TXT\",\"strings\":[\"google-site-verification=x\"]}],"
                       "\"server\":null,";
    ck_assert_int_eq(strncmp(out, head, strlen(head)), 0);
    ck_assert_ptr_nonnull(strstr(out, ",\"record\":{\"value\":\"v=TLSRPTv1; rua=mailto:r@example.com\",\"strings\":"
                                      "[\"v=TLSRPTv1; rua=mailto:r@example.com\"],\"rua\":[{\"uri\":"
                                      "\"mailto:r@example.com\",\"scheme\":\"mailto\",\"mailbox\":\"r@example.com\","
                                      "\"host\":\"example.com\",\"external\":null,\"authorization_name\":null}],"
                                      "\"extensions\":[]},\"findings\":[{\"severity\":\"info\",\"id\":"
                                      "\"dns-txt-not-tlsrpt\",\"message\":\""));
    const char *tail = "\",\"offset\":null,\"path\":\"\",\"hint\":null}]}";
    ck_assert_str_eq(out + strlen(out) - strlen(tail), tail);
    tlsrpt_free(out);
    /* Two records: no record object, the finding with its hint; bytes that are not UTF-8 become U+FFFD. */
    const char *two[] = {"v=TLSRPTv1;rua=mailto:a@example.com", "v=TLSRPTv1;rua=mailto:b@example.com\xff", NULL};
    out = lookup_json(two, 0);
    ck_assert_msg(strstr(out, "\"status\":\"multiple\"") != NULL, "%s", out);
    ck_assert_msg(strstr(out, "rua=mailto:b@example.com\xEF\xBF\xBD\"]") != NULL, "%s", out);
    ck_assert_ptr_nonnull(strstr(out, "\"record\":null"));
    ck_assert_ptr_nonnull(strstr(out, "\"id\":\"dns-multiple-records\""));
    ck_assert_ptr_nonnull(strstr(out, "\"hint\":\"Keep one TLSRPT record: delete the others and list every "
                                      "destination in its rua=, separated by ','.\""));
    tlsrpt_free(out);
    const char *none[] = {NULL};
    out = lookup_json(none, TLSRPT_JSON_PRETTY);
    ck_assert_ptr_nonnull(strstr(out, "\n  \"status\": \"not-found\",\n"));
    ck_assert_ptr_nonnull(
        strstr(out, "\n  \"txt\": [],\n  \"answer\": [],\n  \"server\": null,\n  \"record\": null,\n"));
    tlsrpt_free(out);
    char *o = (char *)"junk";
    ck_assert_int_eq(tlsrpt_lookup_result_to_json(NULL, 0, &o, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(o);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("json_out");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, findings_json);
    tcase_add_test(tc, lookup_result_json);
    tcase_add_test(tc, lookup_result_dns_facts);
    suite_add_tcase(s, tc);
    return s;
}
