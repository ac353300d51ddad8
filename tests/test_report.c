/* Reports: object model, result types, parsing (lenient and strict, JSON and gzip), validation, and the real-world
 * reports (TLSRPT_REAL_WORLD, set by the meson option real_world_testdata).
 * SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"
#include "testfiles.h"
#include "testutil.h"

/* ---- Helpers ------------------------------------------------------------------------------------------------------- */

/* Index of the first entry with this id and path, or -1. */
static long diag_find_path(const tlsrpt_diag *d, const char *id, const char *path)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (strcmp(tlsrpt_diag_id(d, i), id) == 0 && strcmp(tlsrpt_diag_path(d, i), path) == 0)
            return (long)i;
    return -1;
}

#define ck_assert_finding(d, id, sev, path)                                                                           \
    do {                                                                                                              \
        long ck_j_ = diag_find_path((d), (id), (path));                                                               \
        ck_assert_msg(ck_j_ >= 0, "finding '%s' at '%s' not found", (id), (path));                                    \
        ck_assert_int_eq(tlsrpt_diag_severity((d), (size_t)ck_j_), (sev));                                            \
    } while (0)

/* Parses text in the given mode; returns the status; *out and d as the library left them. */
static int parse_text(const char *text, unsigned flags, tlsrpt_report **out, tlsrpt_diag *d)
{
    return tlsrpt_report_parse(out, text, strlen(text), flags, d);
}

/* A minimal conforming report around one policies array text. */
#define REPORT_HEAD                                                                                                   \
    "{\"organization-name\":\"Org\",\"date-range\":{\"start-datetime\":\"2024-01-01T00:00:00Z\","                     \
    "\"end-datetime\":\"2024-01-01T23:59:59Z\"},\"contact-info\":\"a@b.example\",\"report-id\":\"id1\","

#define GOOD_POLICY                                                                                                   \
    "{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"r.example\"},"                              \
    "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}"

/* ---- Result types and constants -------------------------------------------------------------------------------------- */

static const char *const registered[] = {
    NULL, "starttls-not-supported", "certificate-host-mismatch", "certificate-expired", "certificate-not-trusted",
    "validation-failure", "tlsa-invalid", "dnssec-invalid", "dane-required", "sts-policy-fetch-error",
    "sts-policy-invalid", "sts-webpki-invalid"};

START_TEST(result_type_numbers_and_descriptions)
{
    ck_assert_int_eq(TLSRPT_RESULT_OTHER, 0);
    ck_assert_int_eq(TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED, 1);
    ck_assert_int_eq(TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH, 2);
    ck_assert_int_eq(TLSRPT_RESULT_CERTIFICATE_EXPIRED, 3);
    ck_assert_int_eq(TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED, 4);
    ck_assert_int_eq(TLSRPT_RESULT_VALIDATION_FAILURE, 5);
    ck_assert_int_eq(TLSRPT_RESULT_TLSA_INVALID, 6);
    ck_assert_int_eq(TLSRPT_RESULT_DNSSEC_INVALID, 7);
    ck_assert_int_eq(TLSRPT_RESULT_DANE_REQUIRED, 8);
    ck_assert_int_eq(TLSRPT_RESULT_STS_POLICY_FETCH_ERROR, 9);
    ck_assert_int_eq(TLSRPT_RESULT_STS_POLICY_INVALID, 10);
    ck_assert_int_eq(TLSRPT_RESULT_STS_WEBPKI_INVALID, 11);
    ck_assert_int_eq(TLSRPT_POLICY_OTHER, 0);
    ck_assert_int_eq(TLSRPT_POLICY_STS, 1);
    ck_assert_int_eq(TLSRPT_POLICY_TLSA, 2);
    ck_assert_int_eq(TLSRPT_POLICY_NO_POLICY_FOUND, 3);
    ck_assert_uint_eq(TLSRPT_PARSE_STRICT, 1);

    for (int code = 1; code <= 11; code++) {
        ck_assert_int_eq(trpt_result_code_from_name(registered[code]), code);
        ck_assert_str_eq(trpt_result_code_to_name(code), registered[code]);
        const char *s = tlsrpt_result_type_description(registered[code]);
        ck_assert_ptr_nonnull(s);
        size_t n = strlen(s);
        ck_assert_uint_gt(n, 40);
        ck_assert_int_eq(s[n - 1], '.');
        /* One sentence: no full stop before the end (allowing dots inside names such as mta-sts.txt). */
        ck_assert_ptr_null(strstr(s, ". "));
        for (int other = 1; other < code; other++)
            ck_assert_str_ne(s, tlsrpt_result_type_description(registered[other]));
    }
    ck_assert_ptr_nonnull(strstr(tlsrpt_result_type_description("certificate-expired"), "expired"));
    ck_assert_ptr_nonnull(strstr(tlsrpt_result_type_description("sts-policy-fetch-error"), "mta-sts.txt"));
    ck_assert_ptr_nonnull(strstr(tlsrpt_result_type_description("tlsa-invalid"), "TLSA"));
    ck_assert_ptr_null(tlsrpt_result_type_description(NULL));
    ck_assert_ptr_null(tlsrpt_result_type_description(""));
    ck_assert_ptr_null(tlsrpt_result_type_description("STARTTLS-NOT-SUPPORTED"));
    ck_assert_ptr_null(tlsrpt_result_type_description("starttls-not-supported "));
    ck_assert_ptr_null(tlsrpt_result_type_description("invalid-policy-type"));
    ck_assert_int_eq(trpt_result_code_from_name("certificate-expire"), TLSRPT_RESULT_OTHER);
    ck_assert_ptr_null(trpt_result_code_to_name(0));
    ck_assert_ptr_null(trpt_result_code_to_name(12));
    ck_assert_int_eq(trpt_policy_type_from_name("sts"), TLSRPT_POLICY_STS);
    ck_assert_int_eq(trpt_policy_type_from_name("tlsa"), TLSRPT_POLICY_TLSA);
    ck_assert_int_eq(trpt_policy_type_from_name("no-policy-found"), TLSRPT_POLICY_NO_POLICY_FOUND);
    ck_assert_int_eq(trpt_policy_type_from_name("STS"), TLSRPT_POLICY_OTHER);
    ck_assert_str_eq(trpt_policy_type_to_name(TLSRPT_POLICY_NO_POLICY_FOUND), "no-policy-found");
    ck_assert_ptr_null(trpt_policy_type_to_name(TLSRPT_POLICY_OTHER));
}
END_TEST

/* ---- Object model ---------------------------------------------------------------------------------------------------- */

/* A failure detail in the arena (for a policy of that report), or standalone with arena NULL (a lookup key). */
static tlsrpt_failure *new_failure(trpt_arena *arena, const char *type, const char *ip, const char *mx,
                                   uint64_t count)
{
    tlsrpt_failure *f;
    ck_assert_int_eq(trpt_failure_create(&f, arena, type, strlen(type)), TLSRPT_OK);
    ck_assert_ptr_eq(f->arena, arena);
    if (ip)
        ck_assert_int_eq(trpt_set_string(arena, &f->sending_mta_ip, ip, strlen(ip)), TLSRPT_OK);
    if (mx)
        ck_assert_int_eq(trpt_set_string(arena, &f->receiving_mx_hostname, mx, strlen(mx)), TLSRPT_OK);
    f->session_count = count;
    return f;
}

START_TEST(model_getters_and_null_safety)
{
    ck_assert_ptr_null(tlsrpt_report_organization_name(NULL));
    ck_assert_ptr_null(tlsrpt_report_contact_info(NULL));
    ck_assert_ptr_null(tlsrpt_report_id(NULL));
    ck_assert_int_eq(tlsrpt_report_start_time(NULL), 0);
    ck_assert_int_eq(tlsrpt_report_end_time(NULL), 0);
    ck_assert_uint_eq(tlsrpt_report_policy_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_report_policy(NULL, 0));
    ck_assert_int_eq(tlsrpt_policy_type(NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_policy_type_name(NULL));
    ck_assert_ptr_null(tlsrpt_policy_domain(NULL));
    ck_assert_uint_eq(tlsrpt_policy_string_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_policy_string(NULL, 0));
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_policy_mx_host(NULL, 0));
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(NULL), 0);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(NULL), 0);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_policy_failure(NULL, 0));
    ck_assert_ptr_null(tlsrpt_failure_result_type(NULL));
    ck_assert_int_eq(tlsrpt_failure_result_code(NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(NULL));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_hostname(NULL));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_helo(NULL));
    ck_assert_ptr_null(tlsrpt_failure_receiving_ip(NULL));
    ck_assert_ptr_null(tlsrpt_failure_additional_information(NULL));
    ck_assert_ptr_null(tlsrpt_failure_reason_code(NULL));
    ck_assert_uint_eq(tlsrpt_failure_session_count(NULL), 0);
    tlsrpt_report_free(NULL);

    tlsrpt_report *r;
    ck_assert_int_eq(trpt_report_create(&r), TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_report_organization_name(r));
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    r->start_time = 5; /* not present: reads 0 */
    ck_assert_int_eq(tlsrpt_report_start_time(r), 0);
    r->has_start_time = 1;
    ck_assert_int_eq(tlsrpt_report_start_time(r), 5);

    tlsrpt_policy *p;
    ck_assert_int_eq(trpt_policy_create(&p, &r->arena, TEXT("sts")), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_add_string(p, TEXT("version: STSv1")), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_add_mx_host(p, TEXT("*.mx.example")), TLSRPT_OK);
    ck_assert_int_eq(trpt_set_string(&r->arena, &p->domain, TEXT("")), TLSRPT_OK); /* present but empty */
    ck_assert_int_eq(trpt_policy_take_failure(p, new_failure(&r->arena, "tlsa-invalid", "192.0.2.1", NULL, 3)),
                     TLSRPT_OK);
    ck_assert_int_eq(trpt_report_take_policy(r, p), TLSRPT_OK);

    const tlsrpt_policy *gp = tlsrpt_report_policy(r, 0);
    ck_assert_ptr_eq(gp, p);
    ck_assert_ptr_null(tlsrpt_report_policy(r, 1));
    ck_assert_int_eq(tlsrpt_policy_type(gp), TLSRPT_POLICY_STS);
    ck_assert_str_eq(tlsrpt_policy_type_name(gp), "sts");
    ck_assert_str_eq(tlsrpt_policy_domain(gp), "");
    ck_assert_uint_eq(tlsrpt_policy_string_count(gp), 1);
    ck_assert_str_eq(tlsrpt_policy_string(gp, 0), "version: STSv1");
    ck_assert_ptr_null(tlsrpt_policy_string(gp, 1));
    ck_assert_str_eq(tlsrpt_policy_mx_host(gp, 0), "*.mx.example");
    ck_assert_ptr_null(tlsrpt_policy_mx_host(gp, 1));
    const tlsrpt_failure *gf = tlsrpt_policy_failure(gp, 0);
    ck_assert_ptr_null(tlsrpt_policy_failure(gp, 1));
    ck_assert_str_eq(tlsrpt_failure_result_type(gf), "tlsa-invalid");
    ck_assert_int_eq(tlsrpt_failure_result_code(gf), TLSRPT_RESULT_TLSA_INVALID);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(gf), "192.0.2.1");
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_hostname(gf));
    ck_assert_uint_eq(tlsrpt_failure_session_count(gf), 3);

    tlsrpt_report *c;
    ck_assert_int_eq(trpt_report_copy(&c, r), TLSRPT_OK);
    const tlsrpt_policy *cp = tlsrpt_report_policy(c, 0);
    ck_assert_ptr_ne(cp, gp);
    ck_assert_str_eq(tlsrpt_policy_domain(cp), "");
    ck_assert_str_eq(tlsrpt_policy_mx_host(cp, 0), "*.mx.example");
    ck_assert_int_eq(tlsrpt_report_start_time(c), 5);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(cp, 0)), 3);
    ck_assert(trpt_failure_same_identity(tlsrpt_policy_failure(cp, 0), gf));
    tlsrpt_report_free(c);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(model_find_policy_distinguishes_absent_and_empty)
{
    tlsrpt_report *r;
    ck_assert_int_eq(trpt_report_create(&r), TLSRPT_OK);
    const char *strs[] = {"version: STSv1", "mode: enforce"};
    const char *mx[] = {"mx.example"};

    tlsrpt_policy *a, *b, *c, *found;
    ck_assert_int_eq(trpt_policy_create(&a, &r->arena, TEXT("sts")), TLSRPT_OK); /* no domain, strings absent */
    ck_assert_int_eq(trpt_report_take_policy(r, a), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_create(&b, &r->arena, TEXT("sts")), TLSRPT_OK); /* domain "", strings [] */
    ck_assert_int_eq(trpt_set_string(&r->arena, &b->domain, TEXT("")), TLSRPT_OK);
    b->has_strings = 1;
    ck_assert_int_eq(trpt_report_take_policy(r, b), TLSRPT_OK);

    ck_assert_int_eq(trpt_report_find_policy(r, "sts", NULL, 0, NULL, 0, 0, NULL, 0, &found), TLSRPT_OK);
    ck_assert_ptr_eq(found, a);
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "", 1, NULL, 0, 0, NULL, 0, &found), TLSRPT_OK);
    ck_assert_ptr_eq(found, b);
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "", 0, NULL, 0, 0, NULL, 0, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);
    ck_assert_int_eq(trpt_report_find_policy(r, "tlsa", NULL, 0, NULL, 0, 0, NULL, 0, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);

    /* Appended after the index exists: found through the maintained index. */
    ck_assert_int_eq(trpt_policy_create(&c, &r->arena, TEXT("sts")), TLSRPT_OK);
    ck_assert_int_eq(trpt_set_string(&r->arena, &c->domain, TEXT("d.example")), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_add_string(c, TEXT("version: STSv1")), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_add_string(c, TEXT("mode: enforce")), TLSRPT_OK);
    ck_assert_int_eq(trpt_policy_add_mx_host(c, TEXT("mx.example")), TLSRPT_OK);
    ck_assert_int_eq(trpt_report_take_policy(r, c), TLSRPT_OK);
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "d.example", 1, strs, 2, 1, mx, 1, &found), TLSRPT_OK);
    ck_assert_ptr_eq(found, c);
    /* Order of strings matters; a missing string does not match. */
    const char *swapped[] = {"mode: enforce", "version: STSv1"};
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "d.example", 1, swapped, 2, 1, mx, 1, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "d.example", 1, strs, 1, 1, mx, 1, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);
    ck_assert_int_eq(trpt_report_find_policy(r, "sts", "d.example", 1, strs, 2, 0, NULL, 0, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);

    /* Many policies: every one is found, through index growth. */
    char name[64];
    for (int i = 0; i < 500; i++) {
        tlsrpt_policy *p;
        snprintf(name, sizeof name, "d%d.example", i);
        ck_assert_int_eq(trpt_policy_create(&p, &r->arena, TEXT("no-policy-found")), TLSRPT_OK);
        ck_assert_int_eq(trpt_set_string(&r->arena, &p->domain, name, strlen(name)), TLSRPT_OK);
        ck_assert_int_eq(trpt_report_take_policy(r, p), TLSRPT_OK);
    }
    for (int i = 0; i < 500; i++) {
        snprintf(name, sizeof name, "d%d.example", i);
        ck_assert_int_eq(trpt_report_find_policy(r, "no-policy-found", name, 0, NULL, 0, 0, NULL, 0, &found),
                         TLSRPT_OK);
        ck_assert_ptr_eq(found, tlsrpt_report_policy(r, 3 + (size_t)i));
    }
    ck_assert_int_eq(trpt_report_find_policy(r, "no-policy-found", "d500.example", 0, NULL, 0, 0, NULL, 0, &found),
                     TLSRPT_OK);
    ck_assert_ptr_null(found);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(model_strings_in_arena_or_heap)
{
    /* With an arena, a replaced string stays in the arena; without one, it is freed (valgrind checks). */
    trpt_arena a = {NULL, 0, 0, NULL};
    char *field = NULL;
    ck_assert_int_eq(trpt_set_string(&a, &field, TEXT("first")), TLSRPT_OK);
    char *first = field;
    ck_assert_int_eq(trpt_set_string(&a, &field, TEXT("second")), TLSRPT_OK);
    ck_assert_str_eq(first, "first");
    ck_assert_str_eq(field, "second");
    ck_assert_int_eq(trpt_set_string(&a, &field, NULL, 0), TLSRPT_OK);
    ck_assert_ptr_null(field);
    trpt_arena_free(&a);
    ck_assert_int_eq(trpt_set_string(NULL, &field, TEXT("heap")), TLSRPT_OK);
    ck_assert_int_eq(trpt_set_string(NULL, &field, TEXT("heap 2")), TLSRPT_OK);
    ck_assert_str_eq(field, "heap 2");
    ck_assert_int_eq(trpt_set_string(NULL, &field, NULL, 0), TLSRPT_OK);
    ck_assert_ptr_null(field);

    /* A standalone detail and its arena copy; destroying the arena copy is left to the arena. */
    tlsrpt_failure *f;
    ck_assert_int_eq(trpt_failure_create(&f, NULL, TEXT("tlsa-invalid")), TLSRPT_OK);
    ck_assert_ptr_null(f->arena);
    ck_assert_int_eq(f->result_code, TLSRPT_RESULT_TLSA_INVALID);
    ck_assert_int_eq(trpt_set_string(NULL, &f->reason_code, TEXT("why")), TLSRPT_OK);
    f->session_count = 9;
    tlsrpt_failure *c;
    ck_assert_int_eq(trpt_failure_copy(&c, &a, f), TLSRPT_OK);
    ck_assert_ptr_eq(c->arena, &a);
    ck_assert(trpt_failure_same_identity(c, f));
    ck_assert_uint_eq(c->session_count, 9);
    trpt_failure_destroy(c);
    trpt_failure_destroy(f);
    ck_assert_str_eq(c->reason_code, "why");
    trpt_arena_free(&a);
}
END_TEST

START_TEST(model_find_failure_and_counts)
{
    tlsrpt_report *r; /* only its arena: the policy is never appended */
    ck_assert_int_eq(trpt_report_create(&r), TLSRPT_OK);
    tlsrpt_policy *p;
    ck_assert_int_eq(trpt_policy_create(&p, &r->arena, TEXT("sts")), TLSRPT_OK);
    char ip[64];
    /* Half before the index is built, half after. */
    for (int i = 0; i < 300; i++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", i % 256);
        ck_assert_int_eq(trpt_policy_take_failure(p, new_failure(&r->arena,
                                                                 i < 256 ? "certificate-expired" : "tlsa-invalid",
                                                                 ip, "mx.example", (uint64_t)i)),
                         TLSRPT_OK);
        if (i == 150) {
            tlsrpt_failure *found;
            tlsrpt_failure *key = new_failure(NULL, "certificate-expired", "192.0.2.7", "mx.example", 0);
            ck_assert_int_eq(trpt_policy_find_failure(p, key, &found), TLSRPT_OK);
            ck_assert_ptr_eq(found, p->failures[7]);
            trpt_failure_destroy(key);
        }
    }
    for (int i = 0; i < 300; i++) {
        snprintf(ip, sizeof ip, "192.0.2.%d", i % 256);
        tlsrpt_failure *found;
        tlsrpt_failure *key =
            new_failure(NULL, i < 256 ? "certificate-expired" : "tlsa-invalid", ip, "mx.example", 99);
        ck_assert_int_eq(trpt_policy_find_failure(p, key, &found), TLSRPT_OK);
        ck_assert_ptr_eq(found, p->failures[i]);
        /* NULL and "" differ; every field takes part. */
        free(key->receiving_mx_helo);
        key->receiving_mx_helo = trpt_strdup("");
        ck_assert_int_eq(trpt_policy_find_failure(p, key, &found), TLSRPT_OK);
        ck_assert_ptr_null(found);
        trpt_failure_destroy(key);
    }
    tlsrpt_failure *key = new_failure(NULL, "certificate-expired", "192.0.2.1", NULL, 0);
    tlsrpt_failure *found;
    ck_assert_int_eq(trpt_policy_find_failure(p, key, &found), TLSRPT_OK);
    ck_assert_ptr_null(found);
    trpt_failure_destroy(key);

    uint64_t sum;
    ck_assert_int_eq(trpt_policy_details_sum(p, &sum), TLSRPT_OK);
    ck_assert_uint_eq(sum, 299u * 300u / 2u);
    p->failures[0]->session_count = UINT64_MAX;
    ck_assert_int_eq(trpt_policy_details_sum(p, &sum), TLSRPT_ELIMIT);
    ck_assert_uint_eq(sum, UINT64_MAX);
    trpt_policy_destroy(p);
    tlsrpt_report_free(r);

    uint64_t acc = UINT64_MAX - 1;
    ck_assert_int_eq(trpt_u64_add(&acc, 1), TLSRPT_OK);
    ck_assert_uint_eq(acc, UINT64_MAX);
    ck_assert_int_eq(trpt_u64_add(&acc, 1), TLSRPT_ELIMIT);
    ck_assert_uint_eq(acc, UINT64_MAX);
    ck_assert_int_eq(trpt_u64_add(&acc, 0), TLSRPT_OK);
}
END_TEST

/* ---- Parsing: every field ---------------------------------------------------------------------------------------------- */

static void check_full_report(const tlsrpt_report *r)
{
    ck_assert_str_eq(tlsrpt_report_organization_name(r), "Example Sender Ltd");
    ck_assert_str_eq(tlsrpt_report_contact_info(r), "tlsrpt-admin@sender.example");
    ck_assert_str_eq(tlsrpt_report_id(r), "2024-03-10T00:00:00Z_receiver.example");
    ck_assert_int_eq(tlsrpt_report_start_time(r), 1710028800);
    ck_assert_int_eq(tlsrpt_report_end_time(r), 1710115199);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 2);

    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_STS);
    ck_assert_str_eq(tlsrpt_policy_type_name(p), "sts");
    ck_assert_str_eq(tlsrpt_policy_domain(p), "receiver.example");
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), 5);
    ck_assert_str_eq(tlsrpt_policy_string(p, 0), "version: STSv1");
    ck_assert_str_eq(tlsrpt_policy_string(p, 1), "mode: enforce");
    ck_assert_str_eq(tlsrpt_policy_string(p, 2), "mx: mx1.receiver.example");
    ck_assert_str_eq(tlsrpt_policy_string(p, 3), "mx: *.backup.receiver.example");
    ck_assert_str_eq(tlsrpt_policy_string(p, 4), "max_age: 604800");
    ck_assert_ptr_null(tlsrpt_policy_string(p, 5));
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 2);
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "mx1.receiver.example");
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 1), "*.backup.receiver.example");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), UINT64_MAX);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 12);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 2);

    const tlsrpt_failure *f = tlsrpt_policy_failure(p, 0);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "certificate-not-trusted");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "2001:db8::25");
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_hostname(f), "mx1.receiver.example");
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_helo(f), "mx1.receiver.example ESMTP");
    ck_assert_str_eq(tlsrpt_failure_receiving_ip(f), "192.0.2.25");
    ck_assert_uint_eq(tlsrpt_failure_session_count(f), 10);
    ck_assert_str_eq(tlsrpt_failure_additional_information(f), "https://sender.example/tlsrpt/info?id=42");
    ck_assert_str_eq(tlsrpt_failure_reason_code(f), "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");

    f = tlsrpt_policy_failure(p, 1);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "starttls-not-supported");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(f), "198.51.100.7");
    ck_assert_str_eq(tlsrpt_failure_receiving_mx_hostname(f), "mx2.backup.receiver.example");
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_helo(f));
    ck_assert_str_eq(tlsrpt_failure_receiving_ip(f), "2001:db8:1::2");
    ck_assert_uint_eq(tlsrpt_failure_session_count(f), 2);
    ck_assert_ptr_null(tlsrpt_failure_additional_information(f));
    ck_assert_ptr_null(tlsrpt_failure_reason_code(f));
    ck_assert_ptr_null(tlsrpt_policy_failure(p, 2));

    p = tlsrpt_report_policy(r, 1);
    ck_assert_int_eq(tlsrpt_policy_type(p), TLSRPT_POLICY_TLSA);
    ck_assert_str_eq(tlsrpt_policy_type_name(p), "tlsa");
    ck_assert_str_eq(tlsrpt_policy_domain(p), "mx.other.example");
    ck_assert_uint_eq(tlsrpt_policy_string_count(p), 1);
    ck_assert_str_eq(tlsrpt_policy_string(p, 0),
                     "3 1 1 0C72AC70B745AC19998811B131D662C9AC69DBDBE7CB23E5B514B56664C5D3D6");
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 1); /* written as a single string */
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "mx.other.example");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 0);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 0);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 0);
    ck_assert_ptr_null(tlsrpt_report_policy(r, 2));
}

START_TEST(parse_full_report_json_and_gzip)
{
    size_t len;
    char *json = src_file("report-full.json", &len);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
        tlsrpt_report *r;
        tlsrpt_diag_clear(d);
        ck_assert_int_eq(tlsrpt_report_parse(&r, json, len, flags, d), TLSRPT_OK);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 0); /* conforming: nothing to say */
        check_full_report(r);
        ck_assert_int_eq(tlsrpt_report_validate(r, d), TLSRPT_OK);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
        tlsrpt_report_free(r);
    }
    char *gz = build_file("report-full.json.gz", &len);
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_parse(&r, gz, len, TLSRPT_PARSE_STRICT, d), TLSRPT_OK);
    check_full_report(r);
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
    free(gz);
    free(json);
}
END_TEST

START_TEST(parse_arguments)
{
    tlsrpt_report *r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_parse(NULL, "{}", 2, 0, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_parse(&r, NULL, 2, 0, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_parse(&r, "{}", 2, 2, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_report_parse(&r, NULL, 0, 0, NULL), TLSRPT_ESYNTAX); /* empty input is no JSON */
    ck_assert_int_eq(tlsrpt_report_validate(NULL, NULL), TLSRPT_EINVAL);
    /* Without a diag list the result is the same. */
    ck_assert_int_eq(parse_text(REPORT_HEAD "\"policies\":[" GOOD_POLICY "]}", TLSRPT_PARSE_STRICT, &r, NULL),
                     TLSRPT_OK);
    tlsrpt_report_free(r);
}
END_TEST

/* ---- Parsing: deviations (WARNING by default, ERROR in strict mode) --------------------------------------------------- */

typedef struct deviation_case {
    const char *text;
    const char *id;
    const char *path;
    const char *at; /* the finding's offset is where this text first occurs; NULL: any offset but NO_OFFSET */
} deviation_case;

static const deviation_case deviations[] = {
    /* Date-time without a zone (Microsoft): read as UTC. */
    {"{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00\",\"end-datetime\":"
     "\"2023-01-10T23:59:59Z\"},\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[]}",
     "report-datetime-no-zone", "/date-range/start-datetime", "\"2023-01-10T00:00:00\""},
    /* contact-info null */
    {"{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00Z\",\"end-datetime\":"
     "\"2023-01-10T23:59:59Z\"},\"contact-info\":null,\"report-id\":\"i\",\"policies\":[]}",
     "report-field-null", "/contact-info", "null"},
    /* Top-level members missing. */
    {"{\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00Z\",\"end-datetime\":\"2023-01-10T23:59:59Z\"},"
     "\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[]}",
     "report-field-missing", "/organization-name", "{"},
    {"{\"organization-name\":\"O\",\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[]}",
     "report-field-missing", "/date-range", "{"},
    {"{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00Z\"},"
     "\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[]}",
     "report-field-missing", "/date-range/end-datetime", "{\"start-datetime"},
    {"{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00Z\",\"end-datetime\":"
     "\"2023-01-10T23:59:59Z\"},\"report-id\":\"i\",\"policies\":[]}",
     "report-field-missing", "/contact-info", "{"},
    {"{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2023-01-10T00:00:00Z\",\"end-datetime\":"
     "\"2023-01-10T23:59:59Z\"},\"contact-info\":\"c\",\"policies\":[]}",
     "report-field-missing", "/report-id", "{"},
    /* Policy members missing. */
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\"},\"summary\":{"
                 "\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
     "report-field-missing", "/policies/0/policy/policy-domain", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d\",\"mx-host\":[]},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
     "report-field-missing", "/policies/0/policy/policy-string", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"tlsa\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
     "report-field-missing", "/policies/0/policy/policy-string", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d\",\"policy-string\":[]},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
     "report-field-missing", "/policies/0/policy/mx-host", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"}}]}",
     "report-field-missing", "/policies/0/summary", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1}}]}",
     "report-field-missing", "/policies/0/summary/total-failure-session-count", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-failure-session-count\":0}}]}",
     "report-field-missing", "/policies/0/summary/total-successful-session-count", NULL},
    /* Unknown policy type (Stalwart rpt03). */
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"invalid-policy-type\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
     "report-policy-type-unknown", "/policies/0/policy/policy-type", NULL},
    /* Failure details. */
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":3},"
                 "\"failure-details\":[{\"result-type\":\"sts-policy-fetch-error\",\"failed-session-count\":3}]}]}",
     "report-field-missing", "/policies/0/failure-details/0/sending-mta-ip", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":3},"
                 "\"failure-details\":[{\"result-type\":\"sts-policy-fetch-error\",\"failed-session-count\":3,"
                 "\"sending-mta-ip\":\"192.0.2.1\"}]}]}",
     "report-field-missing", "/policies/0/failure-details/0/receiving-mx-hostname", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0},"
                 "\"failure-details\":[{\"result-type\":\"dane-required\",\"sending-mta-ip\":\"192.0.2.1\","
                 "\"receiving-mx-hostname\":\"mx\"}]}]}",
     "report-field-missing", "/policies/0/failure-details/0/failed-session-count", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":1},"
                 "\"failure-details\":[{\"result-type\":\"brand-new-type\",\"sending-mta-ip\":\"192.0.2.1\","
                 "\"receiving-mx-hostname\":\"mx\",\"failed-session-count\":1}]}]}",
     "report-result-type-unknown", "/policies/0/failure-details/0/result-type", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":1},"
                 "\"failure-details\":[{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"192.0.2.1\","
                 "\"receiving-mx-hostname\":\"mx\",\"failed-session-count\":1,\"failure-error-code\":\"E1\"}]}]}",
     "report-failure-error-code", "/policies/0/failure-details/0/failure-error-code", NULL},
    /* Summary disagrees with the details (Mail.ru). */
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":1},"
                 "\"failure-details\":[{\"result-type\":\"dane-required\",\"sending-mta-ip\":\"192.0.2.1\","
                 "\"receiving-mx-hostname\":\"mx\",\"failed-session-count\":1},{\"result-type\":\"dane-required\","
                 "\"sending-mta-ip\":\"192.0.2.2\",\"receiving-mx-hostname\":\"mx\",\"failed-session-count\":1}]}]}",
     "report-summary-mismatch", "/policies/0/summary/total-failure-session-count", NULL},
    /* null for other members: absent. */
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d\",\"policy-string\":null,"
                 "\"mx-host\":[]},\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}"
                 "]}",
     "report-field-null", "/policies/0/policy/policy-string", NULL},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                 "\"summary\":{\"total-successful-session-count\":null,\"total-failure-session-count\":0}}]}",
     "report-field-null", "/policies/0/summary/total-successful-session-count", NULL},
};

START_TEST(parse_deviation_lenient_and_strict)
{
    const deviation_case *c = &deviations[_i];
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r;
    ck_assert_int_eq(parse_text(c->text, 0, &r, d), TLSRPT_OK);
    ck_assert_ptr_nonnull(r);
    ck_assert_finding(d, c->id, TLSRPT_SEVERITY_WARNING, c->path);
    ck_assert_uint_eq(count_severity(d, TLSRPT_SEVERITY_ERROR), 0);
    if (c->at)
        ck_assert_uint_eq(tlsrpt_diag_offset(d, (size_t)diag_find_path(d, c->id, c->path)),
                          (size_t)(strstr(c->text, c->at) - c->text));
    else
        ck_assert_uint_ne(tlsrpt_diag_offset(d, (size_t)diag_find_path(d, c->id, c->path)), TLSRPT_NO_OFFSET);
    size_t warnings = count_severity(d, TLSRPT_SEVERITY_WARNING);
    tlsrpt_report_free(r);

    tlsrpt_diag_clear(d);
    r = (tlsrpt_report *)1;
    ck_assert_int_eq(parse_text(c->text, TLSRPT_PARSE_STRICT, &r, d), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(r);
    ck_assert_finding(d, c->id, TLSRPT_SEVERITY_ERROR, c->path);
    /* Every lenient warning is a strict error, and nothing else is. */
    ck_assert_uint_eq(count_severity(d, TLSRPT_SEVERITY_ERROR), warnings);
    ck_assert_uint_eq(count_severity(d, TLSRPT_SEVERITY_WARNING), 0);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(parse_deviation_values)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r;
    /* No zone: UTC; contact-info null: NULL. */
    ck_assert_int_eq(parse_text(deviations[0].text, 0, &r, d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_start_time(r), 1673308800);
    ck_assert_int_eq(tlsrpt_report_end_time(r), 1673395199);
    tlsrpt_report_free(r);
    ck_assert_int_eq(parse_text(deviations[1].text, 0, &r, d), TLSRPT_OK);
    ck_assert_ptr_null(tlsrpt_report_contact_info(r));
    ck_assert_str_eq(tlsrpt_report_id(r), "i");
    tlsrpt_report_free(r);
    /* Missing summary count: 0. Unknown policy type: kept. */
    ck_assert_int_eq(parse_text(deviations[12].text, 0, &r, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(r, 0)), 1);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(tlsrpt_report_policy(r, 0)), 0);
    tlsrpt_report_free(r);
    ck_assert_int_eq(parse_text(deviations[14].text, 0, &r, d), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_type(tlsrpt_report_policy(r, 0)), TLSRPT_POLICY_OTHER);
    ck_assert_str_eq(tlsrpt_policy_type_name(tlsrpt_report_policy(r, 0)), "invalid-policy-type");
    tlsrpt_report_free(r);
    /* Detail without IPs/MX; missing failed-session-count is 0; unknown result type kept. */
    ck_assert_int_eq(parse_text(deviations[15].text, 0, &r, d), TLSRPT_OK);
    const tlsrpt_failure *f = tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "sts-policy-fetch-error");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_STS_POLICY_FETCH_ERROR);
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_mx_hostname(f));
    ck_assert_ptr_null(tlsrpt_failure_receiving_ip(f));
    ck_assert_uint_eq(tlsrpt_failure_session_count(f), 3);
    tlsrpt_report_free(r);
    ck_assert_int_eq(parse_text(deviations[17].text, 0, &r, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0)), 0);
    tlsrpt_report_free(r);
    ck_assert_int_eq(parse_text(deviations[18].text, 0, &r, d), TLSRPT_OK);
    f = tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0);
    ck_assert_str_eq(tlsrpt_failure_result_type(f), "brand-new-type");
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_OTHER);
    tlsrpt_report_free(r);
    /* failure-error-code is stored as the reason code. */
    ck_assert_int_eq(parse_text(deviations[19].text, 0, &r, d), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_failure_reason_code(tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0)), "E1");
    tlsrpt_report_free(r);
    /* Summary mismatch: counts kept as written. */
    ck_assert_int_eq(parse_text(deviations[20].text, 0, &r, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(tlsrpt_report_policy(r, 0)), 1);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(tlsrpt_report_policy(r, 0)), 2);
    tlsrpt_report_free(r);
    /* policy-string null: absent. */
    ck_assert_int_eq(parse_text(deviations[21].text, 0, &r, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_string_count(tlsrpt_report_policy(r, 0)), 0);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(tlsrpt_report_policy(r, 0)), 0);
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(parse_conforming_variants_have_no_findings)
{
    static const char *const texts[] = {
        /* mx-host as a string and as an array; empty policy-string and mx-host arrays; end at next midnight;
         * offsets, fractions, lower-case t/z; receiving-ip absent (RFC 8460 Appendix B omits it). */
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d.example\","
                    "\"policy-string\":[],\"mx-host\":\"*.d.example\"},\"summary\":{"
                    "\"total-successful-session-count\":1,\"total-failure-session-count\":0}}]}",
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d.example\","
                    "\"policy-string\":[],\"mx-host\":[]},\"summary\":{"
                    "\"total-successful-session-count\":1,\"total-failure-session-count\":0},\"failure-details\":[]}]}",
        "{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2024-02-22T00:00:00.000+00:00\","
        "\"end-datetime\":\"2024-02-23t00:00:00z\"},\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[]}",
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d\",\"policy-string\":[],"
                    "\"mx-host\":\"m\"},\"summary\":{\"total-successful-session-count\":0,"
                    "\"total-failure-session-count\":5},\"failure-details\":[{\"result-type\":\"certificate-expired\","
                    "\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":\"m\",\"failed-session-count\":5}]}]}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        tlsrpt_report *r;
        ck_assert_msg(parse_text(texts[i], TLSRPT_PARSE_STRICT, &r, d) == TLSRPT_OK, "text %zu", i);
        ck_assert_msg(tlsrpt_diag_count(d) == 0, "text %zu: %s", i, tlsrpt_diag_id(d, 0));
        tlsrpt_report_free(r);
        tlsrpt_diag_free(d);
    }
    tlsrpt_report *r;
    ck_assert_int_eq(parse_text(texts[0], 0, &r, NULL), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(tlsrpt_report_policy(r, 0)), 1);
    ck_assert_str_eq(tlsrpt_policy_mx_host(tlsrpt_report_policy(r, 0), 0), "*.d.example");
    tlsrpt_report_free(r);
    ck_assert_int_eq(parse_text(texts[2], 0, &r, NULL), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_start_time(r), 1708560000);
    ck_assert_int_eq(tlsrpt_report_end_time(r), 1708646400);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(parse_long_string_lists)
{
    /* Lists longer than the parser's first scratch size, with a wrong-typed element (an error, skipped) among them:
     * every string kept, in order, in two policies (the scratch is reused). */
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, REPORT_HEAD "\"policies\":[");
    for (int pol = 0; pol < 2; pol++) {
        trpt_buf_printf(&b, "%s{\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"d%d.example\","
                            "\"policy-string\":[", pol ? "," : "", pol);
        for (int i = 0; i < 40 + pol; i++)
            trpt_buf_printf(&b, "%s\"s%d-%d\"%s", i ? "," : "", pol, i, i == 20 ? ",7" : "");
        trpt_buf_puts(&b, "],\"mx-host\":[");
        for (int i = 0; i < 33 - pol; i++)
            trpt_buf_printf(&b, "%s\"mx%d.d%d.example\"", i ? "," : "", i, pol);
        trpt_buf_puts(&b, "]},\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":0}}");
    }
    trpt_buf_puts(&b, "]}");
    ck_assert(!b.failed);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_parse(&r, b.data, b.len, 0, d), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(r);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "report-type-mismatch");
    ck_assert_str_eq(tlsrpt_diag_path(d, 0), "/policies/0/policy/policy-string/21");
    ck_assert_str_eq(tlsrpt_diag_id(d, 1), "report-type-mismatch");
    ck_assert_str_eq(tlsrpt_diag_path(d, 1), "/policies/1/policy/policy-string/21");
    /* Without the wrong-typed elements: the report reads back every string. */
    char *text = b.data;
    for (char *q; (q = strstr(text, ",7")) != NULL;)
        memmove(q, q + 2, strlen(q + 2) + 1);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_parse(&r, text, strlen(text), TLSRPT_PARSE_STRICT, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    char want[40];
    for (size_t pol = 0; pol < 2; pol++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, pol);
        ck_assert_uint_eq(tlsrpt_policy_string_count(p), 40 + pol);
        for (size_t i = 0; i < 40 + pol; i++) {
            snprintf(want, sizeof want, "s%zu-%zu", pol, i);
            ck_assert_str_eq(tlsrpt_policy_string(p, i), want);
        }
        ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 33 - pol);
        for (size_t i = 0; i < 33 - pol; i++) {
            snprintf(want, sizeof want, "mx%zu.d%zu.example", i, pol);
            ck_assert_str_eq(tlsrpt_policy_mx_host(p, i), want);
        }
    }
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
    trpt_buf_free(&b);
}
END_TEST

START_TEST(parse_shares_registered_result_types)
{
    /* Details of one registered result type share one copy in the report's arena; unregistered ones are copied
     * each time. Either way every detail reads its own type. */
    static const char text[] =
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d.example\"},"
                    "\"summary\":{\"total-successful-session-count\":0,\"total-failure-session-count\":4},"
                    "\"failure-details\":[{\"result-type\":\"certificate-expired\",\"failed-session-count\":1},"
                    "{\"result-type\":\"x-local\",\"failed-session-count\":1},"
                    "{\"result-type\":\"certificate-expired\",\"failed-session-count\":1},"
                    "{\"result-type\":\"x-local\",\"failed-session-count\":1}]}]}";
    tlsrpt_report *r;
    ck_assert_int_eq(parse_text(text, 0, &r, NULL), TLSRPT_OK);
    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 4);
    const tlsrpt_failure *f[4];
    for (size_t i = 0; i < 4; i++)
        f[i] = tlsrpt_policy_failure(p, i);
    ck_assert_ptr_eq(tlsrpt_failure_result_type(f[0]), tlsrpt_failure_result_type(f[2]));
    ck_assert_str_eq(tlsrpt_failure_result_type(f[0]), "certificate-expired");
    ck_assert_int_eq(tlsrpt_failure_result_code(f[2]), TLSRPT_RESULT_CERTIFICATE_EXPIRED);
    ck_assert_ptr_ne(tlsrpt_failure_result_type(f[1]), tlsrpt_failure_result_type(f[3]));
    ck_assert_str_eq(tlsrpt_failure_result_type(f[3]), "x-local");
    ck_assert_int_eq(tlsrpt_failure_result_code(f[3]), TLSRPT_RESULT_OTHER);
    /* A copy, and a merge into it: equal details of the source all count on the first equal one of the copy. */
    tlsrpt_report *c;
    ck_assert_int_eq(trpt_report_copy(&c, r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_merge(c, r), TLSRPT_OK);
    const tlsrpt_policy *cp = tlsrpt_report_policy(c, 0);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(cp), 4);
    ck_assert_str_eq(tlsrpt_failure_result_type(tlsrpt_policy_failure(cp, 2)), "certificate-expired");
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(cp, 0)), 3);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(cp, 1)), 3);
    ck_assert_uint_eq(tlsrpt_failure_session_count(tlsrpt_policy_failure(cp, 2)), 1);
    tlsrpt_report_free(c);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(parse_unknown_members_and_repeats)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    const char *text = REPORT_HEAD "\"x-extra\":{\"a\":[1,2,{\"b\":null}]},\"policies\":[{\"policy\":{"
                                   "\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\",\"note\":1},"
                                   "\"summary\":{\"total-successful-session-count\":1,"
                                   "\"total-failure-session-count\":0,\"extra\":true}}]}";
    tlsrpt_report *r;
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
        tlsrpt_diag_clear(d);
        ck_assert_int_eq(parse_text(text, flags, &r, d), TLSRPT_OK);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 3);
        ck_assert_finding(d, "report-member-unknown", TLSRPT_SEVERITY_INFO, "/x-extra");
        ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), strlen(REPORT_HEAD));
        ck_assert_finding(d, "report-member-unknown", TLSRPT_SEVERITY_INFO, "/policies/0/policy/note");
        ck_assert_finding(d, "report-member-unknown", TLSRPT_SEVERITY_INFO, "/policies/0/summary/extra");
        ck_assert_uint_eq(tlsrpt_report_policy_count(r), 1);
        tlsrpt_report_free(r);
    }
    /* A repeated member: the JSON reader reports the duplicate (warning when lenient); the first value counts. */
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(parse_text(REPORT_HEAD "\"report-id\":\"second\",\"policies\":[]}", 0, &r, d), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_id(r), "id1");
    ck_assert_diag(d, "json-duplicate-name", TLSRPT_SEVERITY_WARNING, strlen(REPORT_HEAD));
    tlsrpt_report_free(r);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(parse_text(REPORT_HEAD "\"report-id\":\"second\",\"policies\":[]}", TLSRPT_PARSE_STRICT, &r, d),
                     TLSRPT_ESYNTAX);
    ck_assert_ptr_null(r);
    ck_assert_diag(d, "json-duplicate-name", TLSRPT_SEVERITY_ERROR, strlen(REPORT_HEAD));
    /* Both the alias and the real name: the real one wins, in either order. */
    static const char *const both[] = {
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                    "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":1},"
                    "\"failure-details\":[{\"result-type\":\"validation-failure\",\"failure-error-code\":\"OLD\","
                    "\"failure-reason-code\":\"NEW\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
                    "\"m\",\"failed-session-count\":1}]}]}",
        REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"
                    "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":1},"
                    "\"failure-details\":[{\"result-type\":\"validation-failure\",\"failure-reason-code\":\"NEW\","
                    "\"failure-error-code\":\"OLD\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
                    "\"m\",\"failed-session-count\":1}]}]}",
    };
    for (int i = 0; i < 2; i++) {
        ck_assert_int_eq(parse_text(both[i], 0, &r, NULL), TLSRPT_OK);
        ck_assert_str_eq(tlsrpt_failure_reason_code(tlsrpt_policy_failure(tlsrpt_report_policy(r, 0), 0)), "NEW");
        tlsrpt_report_free(r);
    }
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- Parsing: what cannot be a report (an error in both modes) --------------------------------------------------------- */

typedef struct fatal_case {
    const char *text;
    int rc;
    const char *id;
    const char *path;
} fatal_case;

#define DETAIL_WITH(count)                                                                                            \
    REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"no-policy-found\",\"policy-domain\":\"d\"},"            \
                "\"summary\":{\"total-successful-session-count\":" count ",\"total-failure-session-count\":0}}]}"

static const fatal_case fatals[] = {
    {"[]", TLSRPT_ESEMANTIC, "report-not-object", ""},
    {"\"report\"", TLSRPT_ESEMANTIC, "report-not-object", ""},
    {"null", TLSRPT_ESEMANTIC, "report-not-object", ""},
    {"{}", TLSRPT_ESEMANTIC, "report-field-missing", "/policies"},
    {REPORT_HEAD "\"policies\":{}}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies"},
    {REPORT_HEAD "\"policies\":null}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies"},
    {REPORT_HEAD "\"policies\":[" GOOD_POLICY ",7]}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/1"},
    {REPORT_HEAD "\"policies\":[{\"summary\":{}}]}", TLSRPT_ESEMANTIC, "report-field-missing", "/policies/0/policy"},
    {REPORT_HEAD "\"policies\":[{\"policy\":[]}]}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/0/policy"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-domain\":\"d\"}}]}", TLSRPT_ESEMANTIC, "report-field-missing",
     "/policies/0/policy/policy-type"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":3}}]}", TLSRPT_ESEMANTIC, "report-type-mismatch",
     "/policies/0/policy/policy-type"},
    {"{\"organization-name\":42,\"policies\":[]}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/organization-name"},
    {"{\"date-range\":\"today\",\"policies\":[]}", TLSRPT_ESEMANTIC, "report-type-mismatch", "/date-range"},
    {"{\"date-range\":{\"start-datetime\":1},\"policies\":[]}", TLSRPT_ESEMANTIC, "report-type-mismatch",
     "/date-range/start-datetime"},
    {"{\"date-range\":{\"start-datetime\":\"2024-01-01\"},\"policies\":[]}", TLSRPT_ESYNTAX,
     "report-datetime-invalid", "/date-range/start-datetime"},
    {"{\"date-range\":{\"end-datetime\":\"2024-02-30T00:00:00Z\"},\"policies\":[]}", TLSRPT_ESYNTAX,
     "report-datetime-invalid", "/date-range/end-datetime"},
    {"{\"report-id\":\"a\\u0000b\",\"policies\":[]}", TLSRPT_ESEMANTIC, "report-string-nul", "/report-id"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":7}}]}", TLSRPT_ESEMANTIC,
     "report-type-mismatch", "/policies/0/policy/mx-host"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"mx-host\":[\"a\",1]}}]}", TLSRPT_ESEMANTIC,
     "report-type-mismatch", "/policies/0/policy/mx-host/1"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\",\"policy-string\":\"version: STSv1\"}}]}",
     TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/0/policy/policy-string"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":{}}]}", TLSRPT_ESEMANTIC,
     "report-type-mismatch", "/policies/0/failure-details"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":[\"x\"]}]}",
     TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/0/failure-details/0"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":[{"
                 "\"failed-session-count\":1}]}]}",
     TLSRPT_ESEMANTIC, "report-field-missing", "/policies/0/failure-details/0/result-type"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":[{"
                 "\"result-type\":\"dane-required\",\"failed-session-count\":\"1\"}]}]}",
     TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/0/failure-details/0/failed-session-count"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"failure-details\":[{"
                 "\"result-type\":\"dane-required\",\"receiving-ip\":[]}]}]}",
     TLSRPT_ESEMANTIC, "report-type-mismatch", "/policies/0/failure-details/0/receiving-ip"},
    {REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"sts\"},\"summary\":5}]}", TLSRPT_ESEMANTIC,
     "report-type-mismatch", "/policies/0/summary"},
    /* Counts that are not uint64. */
    {DETAIL_WITH("-1"), TLSRPT_ESEMANTIC, "json-number-negative",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("-0.5"), TLSRPT_ESEMANTIC, "json-number-negative",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("1.5"), TLSRPT_ESEMANTIC, "json-number-fraction",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("1.0"), TLSRPT_ESEMANTIC, "json-number-fraction",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("1e3"), TLSRPT_ESEMANTIC, "json-number-exponent",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("18446744073709551616"), TLSRPT_ESEMANTIC, "json-number-too-large",
     "/policies/0/summary/total-successful-session-count"},
    {DETAIL_WITH("true"), TLSRPT_ESEMANTIC, "report-type-mismatch",
     "/policies/0/summary/total-successful-session-count"},
    /* Not JSON. */
    {"{\"policies\":[]", TLSRPT_ESYNTAX, NULL, NULL},
    {"{\"policies\":[]} x", TLSRPT_ESYNTAX, NULL, NULL},
    {"{'policies':[]}", TLSRPT_ESYNTAX, NULL, NULL},
};

START_TEST(parse_fatal_in_both_modes)
{
    const fatal_case *c = &fatals[_i];
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags++) {
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        tlsrpt_report *r = (tlsrpt_report *)1;
        ck_assert_msg(parse_text(c->text, flags, &r, d) == c->rc, "case %d flags %u", _i, flags);
        ck_assert_ptr_null(r);
        ck_assert_uint_ge(count_severity(d, TLSRPT_SEVERITY_ERROR), 1);
        if (c->id) {
            ck_assert_finding(d, c->id, TLSRPT_SEVERITY_ERROR, c->path);
            long j = diag_find_path(d, c->id, c->path);
            ck_assert_uint_ne(tlsrpt_diag_offset(d, (size_t)j), TLSRPT_NO_OFFSET);
        }
        tlsrpt_diag_free(d);
    }
}
END_TEST

START_TEST(parse_uint64_max_and_offsets)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r;
    ck_assert_int_eq(parse_text(DETAIL_WITH("18446744073709551615"), TLSRPT_PARSE_STRICT, &r, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(tlsrpt_report_policy(r, 0)), UINT64_MAX);
    tlsrpt_report_free(r);
    /* The error offset is the byte where the bad value starts. */
    const char *text = DETAIL_WITH("-1");
    ck_assert_int_eq(parse_text(text, 0, &r, d), TLSRPT_ESEMANTIC);
    ck_assert_diag(d, "json-number-negative", TLSRPT_SEVERITY_ERROR, (size_t)(strstr(text, "-1") - text));
    tlsrpt_diag_clear(d);
    text = "{\"date-range\":{\"start-datetime\":\"2024-01-01\"},\"policies\":[]}";
    ck_assert_int_eq(parse_text(text, 0, &r, d), TLSRPT_ESYNTAX);
    ck_assert_diag(d, "report-datetime-invalid", TLSRPT_SEVERITY_ERROR, 32);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- Validation ------------------------------------------------------------------------------------------------------- */

START_TEST(validate_findings)
{
    const char *text =
        "{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2024-01-01T12:00:00Z\","
        "\"end-datetime\":\"2024-01-03T00:00:00Z\"},\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":[{"
        "\"policy\":{\"policy-type\":\"sts\",\"policy-domain\":\"b\xc3\xbc\x63her.example\",\"policy-string\":[],"
        "\"mx-host\":[\"*.ok.example\",\"mx: bad\",\"a.*.example\",\"mx.example.\"]},"
        "\"summary\":{\"total-successful-session-count\":1,\"total-failure-session-count\":9},"
        "\"failure-details\":[{\"result-type\":\"validation-failure\",\"sending-mta-ip\":\"2001:DB8::1\","
        "\"receiving-mx-hostname\":\"-bad-.example\",\"receiving-ip\":\"300.1.1.1\",\"failed-session-count\":1},"
        "{\"result-type\":\"certificate-expired\",\"sending-mta-ip\":\"192.0.2.1\",\"receiving-mx-hostname\":"
        "\"xn--zz.example\",\"receiving-ip\":\"::ffff:192.0.2.9\",\"failed-session-count\":2}]}]}";
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *r;
    ck_assert_int_eq(parse_text(text, 0, &r, d), TLSRPT_OK);
    ck_assert_finding(d, "report-summary-mismatch", TLSRPT_SEVERITY_WARNING,
                      "/policies/0/summary/total-failure-session-count");
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_validate(r, d), TLSRPT_ESEMANTIC);
    ck_assert_finding(d, "report-date-range-not-one-day", TLSRPT_SEVERITY_WARNING, "/date-range");
    ck_assert_finding(d, "report-domain-not-alabel", TLSRPT_SEVERITY_ERROR, "/policies/0/policy/policy-domain");
    ck_assert_int_eq(diag_find_path(d, "report-domain-invalid", "/policies/0/policy/mx-host/0"), -1);
    ck_assert_finding(d, "report-domain-invalid", TLSRPT_SEVERITY_ERROR, "/policies/0/policy/mx-host/1");
    ck_assert_finding(d, "report-domain-invalid", TLSRPT_SEVERITY_ERROR, "/policies/0/policy/mx-host/2");
    ck_assert_finding(d, "report-domain-trailing-dot", TLSRPT_SEVERITY_WARNING, "/policies/0/policy/mx-host/3");
    ck_assert_finding(d, "report-summary-mismatch", TLSRPT_SEVERITY_WARNING,
                      "/policies/0/summary/total-failure-session-count");
    ck_assert_finding(d, "report-ip-not-canonical", TLSRPT_SEVERITY_INFO,
                      "/policies/0/failure-details/0/sending-mta-ip");
    ck_assert_finding(d, "report-ip-invalid", TLSRPT_SEVERITY_ERROR, "/policies/0/failure-details/0/receiving-ip");
    ck_assert_finding(d, "report-domain-invalid", TLSRPT_SEVERITY_ERROR,
                      "/policies/0/failure-details/0/receiving-mx-hostname");
    ck_assert_finding(d, "report-reason-code-missing", TLSRPT_SEVERITY_INFO,
                      "/policies/0/failure-details/0/failure-reason-code");
    ck_assert_finding(d, "report-domain-invalid", TLSRPT_SEVERITY_ERROR,
                      "/policies/0/failure-details/1/receiving-mx-hostname"); /* bad Punycode */
    ck_assert_int_eq(diag_find_path(d, "report-ip-not-canonical", "/policies/0/failure-details/1/receiving-ip"), -1);
    ck_assert_int_eq(diag_find_path(d, "report-ip-invalid", "/policies/0/failure-details/1/sending-mta-ip"), -1);
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        ck_assert_uint_eq(tlsrpt_diag_offset(d, i), TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 11);
    tlsrpt_report_free(r);

    /* Inverted range; aligned range that is one day but not at midnight; missing members; unknown types. */
    text = "{\"date-range\":{\"start-datetime\":\"2024-01-02T00:00:00Z\",\"end-datetime\":\"2024-01-01T00:00:00Z\"},"
           "\"policies\":[]}";
    ck_assert_int_eq(parse_text(text, 0, &r, NULL), TLSRPT_OK);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_validate(r, d), TLSRPT_ESEMANTIC);
    ck_assert_finding(d, "report-date-range-inverted", TLSRPT_SEVERITY_ERROR, "/date-range");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING, "/organization-name");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING, "/contact-info");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING, "/report-id");
    ck_assert_finding(d, "report-policies-empty", TLSRPT_SEVERITY_WARNING, "/policies");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 5);
    tlsrpt_report_free(r);

    text = REPORT_HEAD "\"policies\":[{\"policy\":{\"policy-type\":\"x-new\"},\"summary\":{"
                       "\"total-successful-session-count\":0,\"total-failure-session-count\":1},"
                       "\"failure-details\":[{\"result-type\":\"x-fail\",\"failed-session-count\":1}]}]}";
    ck_assert_int_eq(parse_text(text, 0, &r, NULL), TLSRPT_OK);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_validate(r, d), TLSRPT_OK);
    ck_assert_finding(d, "report-policy-type-unknown", TLSRPT_SEVERITY_WARNING, "/policies/0/policy/policy-type");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING, "/policies/0/policy/policy-domain");
    ck_assert_finding(d, "report-result-type-unknown", TLSRPT_SEVERITY_WARNING,
                      "/policies/0/failure-details/0/result-type");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING,
                      "/policies/0/failure-details/0/sending-mta-ip");
    ck_assert_finding(d, "report-field-missing", TLSRPT_SEVERITY_WARNING,
                      "/policies/0/failure-details/0/receiving-mx-hostname");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 5);
    tlsrpt_report_free(r);

    text = "{\"organization-name\":\"O\",\"date-range\":{\"start-datetime\":\"2024-01-01T06:00:00Z\","
           "\"end-datetime\":\"2024-01-02T06:00:00Z\"},\"contact-info\":\"c\",\"report-id\":\"i\",\"policies\":["
           GOOD_POLICY "]}";
    ck_assert_int_eq(parse_text(text, 0, &r, NULL), TLSRPT_OK);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_validate(r, d), TLSRPT_OK);
    ck_assert_finding(d, "report-date-range-not-midnight", TLSRPT_SEVERITY_INFO, "/date-range");
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
}
END_TEST

/* ---- Real-world reports ------------------------------------------------------------------------------------------------ */

/* Expected verdict of each real-world JSON report: strict mode rejects exactly the deviating ones, and names the
 * first field that deviates. */
static const struct {
    const char *file;
    const char *strict_id;   /* NULL: strict mode accepts it */
    const char *strict_path;
} real_world[] = {
    {"cryinc-google.json", NULL, NULL},
    {"cryinc-microsoft.json", "report-field-missing", "/policies/0/policy/mx-host"},
    {"cryinc-no-contact.json", "report-field-null", "/contact-info"},
    {"cryinc-no-policy.json", NULL, NULL},
    {"cryinc-no_ip_and_mx.json", "report-field-missing", "/policies/0/failure-details/0/sending-mta-ip"},
    {"cryinc-rfc-example.json", NULL, NULL},
    {"parsedmarc-mailru.json", "report-summary-mismatch", "/policies/0/summary/total-failure-session-count"},
    {"parsedmarc-rfc8460.json", NULL, NULL},
    {"parsedmarc-smtp_tls.json", "report-field-missing", "/policies/0/policy/mx-host"},
    {"stalwart-rpt01.json", NULL, NULL},
    {"stalwart-rpt02.json", "report-field-missing", "/policies/0/policy/mx-host"},
    {"stalwart-rpt03.json", "report-policy-type-unknown", "/policies/1/policy/policy-type"},
};

START_TEST(real_world_reports)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    DIR *dh = opendir(dir);
    ck_assert_msg(dh != NULL, "cannot open %s", dir);
    size_t seen = 0;
    struct dirent *e;
    while ((e = readdir(dh))) {
        size_t n = strlen(e->d_name);
        if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
            continue;
        if (n > 4 && strcmp(e->d_name + n - 4, ".eml") == 0)
            continue; /* report e-mails, not reports: the MIME layer is not this library's */
        size_t k = 0;
        while (k < sizeof real_world / sizeof real_world[0] && strcmp(real_world[k].file, e->d_name) != 0)
            k++;
        ck_assert_msg(k < sizeof real_world / sizeof real_world[0], "no expected verdict for %s", e->d_name);
        seen++;

        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *data = read_whole(path, &len);
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        tlsrpt_report *r;
        ck_assert_msg(tlsrpt_report_parse(&r, data, len, 0, d) == TLSRPT_OK, "%s does not parse", e->d_name);
        ck_assert_uint_eq(count_severity(d, TLSRPT_SEVERITY_ERROR), 0);
        ck_assert_uint_ge(tlsrpt_report_policy_count(r), 1);
        ck_assert_ptr_nonnull(tlsrpt_report_organization_name(r));
        size_t warnings = count_severity(d, TLSRPT_SEVERITY_WARNING);
        tlsrpt_report_free(r);

        tlsrpt_diag_clear(d);
        int rc = tlsrpt_report_parse(&r, data, len, TLSRPT_PARSE_STRICT, d);
        if (!real_world[k].strict_id) {
            ck_assert_msg(rc == TLSRPT_OK, "%s: strict mode rejects a conforming report", e->d_name);
            ck_assert_uint_eq(warnings, 0);
            tlsrpt_report_free(r);
        } else {
            ck_assert_msg(rc == TLSRPT_ESEMANTIC, "%s: strict mode accepts a deviating report", e->d_name);
            ck_assert_ptr_null(r);
            ck_assert_uint_gt(warnings, 0);
            ck_assert_finding(d, real_world[k].strict_id, TLSRPT_SEVERITY_ERROR, real_world[k].strict_path);
            ck_assert_uint_eq(count_severity(d, TLSRPT_SEVERITY_ERROR), warnings);
        }
        tlsrpt_diag_free(d);
        free(data);
    }
    closedir(dh);
    ck_assert_uint_eq(seen, sizeof real_world / sizeof real_world[0]);
}
END_TEST

START_TEST(real_world_values)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    char path[4096];
    size_t len;
    tlsrpt_report *r;

    snprintf(path, sizeof path, "%s/parsedmarc-mailru.json", dir);
    char *data = read_whole(path, &len);
    ck_assert_int_eq(tlsrpt_report_parse(&r, data, len, 0, NULL), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_organization_name(r), "Mail.ru");
    ck_assert_int_eq(tlsrpt_report_start_time(r), 1708560000);
    ck_assert_int_eq(tlsrpt_report_end_time(r), 1708646400);
    const tlsrpt_policy *p = tlsrpt_report_policy(r, 0);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 1);
    ck_assert_uint_eq(tlsrpt_policy_failure_count(p), 2);
    ck_assert_str_eq(tlsrpt_failure_reason_code(tlsrpt_policy_failure(p, 1)), "bad https response code: 500");
    ck_assert_ptr_null(tlsrpt_failure_sending_mta_ip(tlsrpt_policy_failure(p, 1)));
    tlsrpt_report_free(r);
    free(data);

    snprintf(path, sizeof path, "%s/parsedmarc-rfc8460.json", dir);
    data = read_whole(path, &len);
    ck_assert_int_eq(tlsrpt_report_parse(&r, data, len, TLSRPT_PARSE_STRICT, NULL), TLSRPT_OK);
    p = tlsrpt_report_policy(r, 0);
    ck_assert_uint_eq(tlsrpt_policy_mx_host_count(p), 1);
    ck_assert_str_eq(tlsrpt_policy_mx_host(p, 0), "*.mail.company-y.example");
    ck_assert_uint_eq(tlsrpt_policy_successful_sessions(p), 5326);
    ck_assert_uint_eq(tlsrpt_policy_failed_sessions(p), 303);
    ck_assert_str_eq(tlsrpt_failure_sending_mta_ip(tlsrpt_policy_failure(p, 0)), "2001:db8:abcd:0012::1");
    ck_assert_str_eq(tlsrpt_failure_reason_code(tlsrpt_policy_failure(p, 2)), "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
    tlsrpt_report_free(r);
    free(data);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("model");
    tcase_add_test(tc, result_type_numbers_and_descriptions);
    tcase_add_test(tc, model_getters_and_null_safety);
    tcase_add_test(tc, model_find_policy_distinguishes_absent_and_empty);
    tcase_add_test(tc, model_strings_in_arena_or_heap);
    tcase_add_test(tc, model_find_failure_and_counts);
    suite_add_tcase(s, tc);

    tc = tcase_create("parse");
    tcase_add_test(tc, parse_full_report_json_and_gzip);
    tcase_add_test(tc, parse_arguments);
    tcase_add_loop_test(tc, parse_deviation_lenient_and_strict, 0, (int)(sizeof deviations / sizeof deviations[0]));
    tcase_add_test(tc, parse_deviation_values);
    tcase_add_test(tc, parse_conforming_variants_have_no_findings);
    tcase_add_test(tc, parse_long_string_lists);
    tcase_add_test(tc, parse_shares_registered_result_types);
    tcase_add_test(tc, parse_unknown_members_and_repeats);
    tcase_add_loop_test(tc, parse_fatal_in_both_modes, 0, (int)(sizeof fatals / sizeof fatals[0]));
    tcase_add_test(tc, parse_uint64_max_and_offsets);
    tcase_add_test(tc, validate_findings);
    suite_add_tcase(s, tc);

    if (getenv("TLSRPT_REAL_WORLD")) {
        tc = tcase_create("real-world");
        tcase_add_test(tc, real_world_reports);
        tcase_add_test(tc, real_world_values);
        suite_add_tcase(s, tc);
    }
    return s;
}
