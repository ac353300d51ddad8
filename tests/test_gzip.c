/* gzip (lib/gzip.c): detection, decompression with its cap, multi-member files, truncation and corruption, bombs;
 * through the report parser too. The .gz inputs are made by meson at build time (TLSRPT_TEST_BUILDDIR).
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "gzip.h"
#include "testfiles.h"
#include "testutil.h"

START_TEST(gzip_real_files)
{
    size_t json_len, gz_len;
    char *json = src_file("report-full.json", &json_len);
    char *gz = build_file("report-full.json.gz", &gz_len);
    ck_assert(trpt_gzip_detect(gz, gz_len));
    ck_assert(!trpt_gzip_detect(json, json_len));
    ck_assert(!trpt_gzip_detect(gz, 1));

    unsigned char *out;
    size_t out_len;
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_gzip_decompress(gz, gz_len, TLSRPT_MAX_REPORT_SIZE, &out, &out_len, d), TLSRPT_OK);
    ck_assert_uint_eq(out_len, json_len);
    ck_assert_mem_eq(out, json, json_len);
    free(out);

    /* The cap at the exact size, and one byte below. */
    ck_assert_int_eq(trpt_gzip_decompress(gz, gz_len, json_len, &out, &out_len, d), TLSRPT_OK);
    ck_assert_uint_eq(out_len, json_len);
    free(out);
    ck_assert_int_eq(trpt_gzip_decompress(gz, gz_len, json_len - 1, &out, &out_len, d), TLSRPT_ELIMIT);
    ck_assert_ptr_null(out);
    ck_assert_diag(d, "gzip-too-large", TLSRPT_SEVERITY_ERROR, 0);

    /* A lying ISIZE (claims 5 bytes, then 4 GiB - 1) changes nothing but the first buffer size. */
    char *lie = malloc(gz_len);
    memcpy(lie, gz, gz_len);
    unsigned char small[4] = {5, 0, 0, 0}, big[4] = {0xff, 0xff, 0xff, 0xff};
    memcpy(lie + gz_len - 4, small, 4);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(trpt_gzip_decompress(lie, gz_len, TLSRPT_MAX_REPORT_SIZE, &out, &out_len, d), TLSRPT_ESYNTAX);
    ck_assert_diag(d, "gzip-invalid", TLSRPT_SEVERITY_ERROR, 0); /* ISIZE is checked after decompression */
    memcpy(lie + gz_len - 4, big, 4);
    ck_assert_int_eq(trpt_gzip_decompress(lie, gz_len, TLSRPT_MAX_REPORT_SIZE, &out, &out_len, d), TLSRPT_ESYNTAX);
    free(lie);

    /* Trailing bytes that are not a member. */
    char *trail = malloc(gz_len + 3);
    memcpy(trail, gz, gz_len);
    memcpy(trail + gz_len, "\0\0\0", 3);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(trpt_gzip_decompress(trail, gz_len + 3, TLSRPT_MAX_REPORT_SIZE, &out, &out_len, d),
                     TLSRPT_ESYNTAX);
    ck_assert_diag(d, "gzip-trailing-data", TLSRPT_SEVERITY_ERROR, gz_len);
    free(trail);

    /* Two members: the outputs are concatenated; the cap counts the total. */
    size_t a_len, b_len, multi_len;
    char *a = src_file("report-split-a.txt", &a_len);
    char *b = src_file("report-split-b.txt", &b_len);
    char *multi = build_file("report-multi.gz", &multi_len);
    ck_assert_int_eq(trpt_gzip_decompress(multi, multi_len, TLSRPT_MAX_REPORT_SIZE, &out, &out_len, NULL),
                     TLSRPT_OK);
    ck_assert_uint_eq(out_len, a_len + b_len);
    ck_assert_mem_eq(out, a, a_len);
    ck_assert_mem_eq(out + a_len, b, b_len);
    free(out);
    ck_assert_int_eq(trpt_gzip_decompress(multi, multi_len, a_len + b_len, &out, &out_len, NULL), TLSRPT_OK);
    free(out);
    ck_assert_int_eq(trpt_gzip_decompress(multi, multi_len, a_len + b_len - 1, &out, &out_len, NULL),
                     TLSRPT_ELIMIT);
    ck_assert_int_eq(trpt_gzip_decompress(multi, multi_len, a_len, &out, &out_len, NULL), TLSRPT_ELIMIT);

    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_parse(&r, multi, multi_len, TLSRPT_PARSE_STRICT, NULL), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_organization_name(r), "Split Member Org");
    ck_assert_str_eq(tlsrpt_report_id(r), "split");
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    tlsrpt_report_free(r);

    tlsrpt_diag_free(d);
    free(a);
    free(b);
    free(multi);
    free(json);
    free(gz);
}
END_TEST

START_TEST(gzip_every_truncation_and_corruption)
{
    size_t gz_len;
    char *gz = build_file("report-full.json.gz", &gz_len);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    for (size_t n = 0; n < gz_len; n++) {
        /* An exact-size copy, so that the sanitizers see any read past the prefix. */
        char *prefix = malloc(n ? n : 1);
        memcpy(prefix, gz, n);
        tlsrpt_report *r = (tlsrpt_report *)1;
        tlsrpt_diag_clear(d);
        int rc = tlsrpt_report_parse(&r, prefix, n, 0, d);
        ck_assert_ptr_null(r);
        ck_assert_int_eq(rc, TLSRPT_ESYNTAX);
        if (n >= 2)
            ck_assert_diag(d, "gzip-invalid", TLSRPT_SEVERITY_ERROR, 0);
        else
            ck_assert_uint_ge(count_severity(d, TLSRPT_SEVERITY_ERROR), 1); /* not gzip: a JSON syntax error */
        free(prefix);
    }
    /* Flip each byte after the header: deflate data, CRC or ISIZE no longer agree (or the header is bad). */
    for (size_t i = 10; i < gz_len; i++) {
        char *bad = malloc(gz_len);
        memcpy(bad, gz, gz_len);
        bad[i] ^= 0x01;
        tlsrpt_report *r = (tlsrpt_report *)1;
        tlsrpt_diag_clear(d);
        ck_assert_int_eq(tlsrpt_report_parse(&r, bad, gz_len, 0, d), TLSRPT_ESYNTAX);
        ck_assert_ptr_null(r);
        ck_assert_diag(d, "gzip-invalid", TLSRPT_SEVERITY_ERROR, 0);
        free(bad);
    }
    tlsrpt_diag_free(d);
    free(gz);
}
END_TEST

START_TEST(gzip_bomb_and_limit)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    size_t len;
    char *bomb = build_file("bomb.gz", &len);
    ck_assert_uint_lt(len, 64 * 1024); /* small input ... */
    tlsrpt_report *r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_parse(&r, bomb, len, 0, d), TLSRPT_ELIMIT); /* ... that expands past 20 MiB */
    ck_assert_ptr_null(r);
    ck_assert_diag(d, "gzip-too-large", TLSRPT_SEVERITY_ERROR, 0);
    free(bomb);

    char *at = build_file("report-at-limit.json.gz", &len);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_parse(&r, at, len, 0, d), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_report_policy_count(r), 0);
    tlsrpt_report_free(r);
    free(at);

    char *over = build_file("report-over-limit.json.gz", &len);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_parse(&r, over, len, 0, d), TLSRPT_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_diag(d, "gzip-too-large", TLSRPT_SEVERITY_ERROR, 0);
    free(over);

    /* Uncompressed input: at the limit parses, one byte over is refused before reading. */
    char *big = malloc(TLSRPT_MAX_REPORT_SIZE + 1);
    memset(big, ' ', TLSRPT_MAX_REPORT_SIZE + 1);
    memcpy(big, "{\"policies\":[]", 14);
    big[TLSRPT_MAX_REPORT_SIZE - 1] = '}';
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_parse(&r, big, TLSRPT_MAX_REPORT_SIZE, 0, d), TLSRPT_OK);
    tlsrpt_report_free(r);
    ck_assert_int_eq(tlsrpt_report_parse(&r, big, TLSRPT_MAX_REPORT_SIZE + 1, 0, d), TLSRPT_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_diag(d, "report-too-large", TLSRPT_SEVERITY_ERROR, TLSRPT_MAX_REPORT_SIZE);
    free(big);
    tlsrpt_diag_free(d);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("gzip");
    TCase *tc = tcase_create("gzip");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, gzip_real_files);
    tcase_add_test(tc, gzip_every_truncation_and_corruption);
    tcase_add_test(tc, gzip_bomb_and_limit);
    suite_add_tcase(s, tc);
    return s;
}
