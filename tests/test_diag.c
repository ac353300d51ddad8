/* The common layer: status strings, versions, the diagnostics list. SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"

START_TEST(status_strings_cover_every_code)
{
    for (int c = -9; c <= 0; c++) {
        const char *s = tlsrpt_status_string(c);
        ck_assert_ptr_nonnull(s);
        ck_assert_str_ne(s, "Unknown status code.");
        ck_assert_int_eq(s[strlen(s) - 1], '.');
    }
    ck_assert_str_eq(tlsrpt_status_string(-10), "Unknown status code.");
    ck_assert_str_eq(tlsrpt_status_string(1), "Unknown status code.");
    ck_assert_str_eq(tlsrpt_status_string(INT32_MIN), "Unknown status code.");
    ck_assert_str_eq(tlsrpt_status_string(TLSRPT_ETEMPFAIL), "Temporary DNS failure; try again later.");
}
END_TEST

/* tlsrpt_status_name (since 1.1): each code's macro name, written by the preprocessor here; NULL for others. */
START_TEST(status_names_are_the_macro_names)
{
#define STATUS(c) {c, #c}
    static const struct {
        int code;
        const char *name;
    } codes[] = {STATUS(TLSRPT_OK),       STATUS(TLSRPT_ENOMEM),    STATUS(TLSRPT_EINVAL),    STATUS(TLSRPT_ESYNTAX),
                 STATUS(TLSRPT_ESEMANTIC), STATUS(TLSRPT_ELIMIT),    STATUS(TLSRPT_ENOTFOUND), STATUS(TLSRPT_EMULTIPLE),
                 STATUS(TLSRPT_ETEMPFAIL), STATUS(TLSRPT_EUNSUPPORTED)};
#undef STATUS
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        ck_assert_str_eq(tlsrpt_status_name(codes[i].code), codes[i].name);
    ck_assert_ptr_null(tlsrpt_status_name(-10));
    ck_assert_ptr_null(tlsrpt_status_name(1));
    ck_assert_ptr_null(tlsrpt_status_name(INT32_MIN));
    ck_assert_ptr_null(tlsrpt_status_name(INT32_MAX));
}
END_TEST

START_TEST(codes_are_never_renumbered)
{
    ck_assert_int_eq(TLSRPT_OK, 0);
    ck_assert_int_eq(TLSRPT_ENOMEM, -1);
    ck_assert_int_eq(TLSRPT_EINVAL, -2);
    ck_assert_int_eq(TLSRPT_ESYNTAX, -3);
    ck_assert_int_eq(TLSRPT_ESEMANTIC, -4);
    ck_assert_int_eq(TLSRPT_ELIMIT, -5);
    ck_assert_int_eq(TLSRPT_ENOTFOUND, -6);
    ck_assert_int_eq(TLSRPT_EMULTIPLE, -7);
    ck_assert_int_eq(TLSRPT_ETEMPFAIL, -8);
    ck_assert_int_eq(TLSRPT_EUNSUPPORTED, -9);
    ck_assert_int_eq(TLSRPT_SEVERITY_ERROR, 2);
    ck_assert_int_eq(TLSRPT_SEVERITY_WARNING, 1);
    ck_assert_int_eq(TLSRPT_SEVERITY_INFO, 0);
}
END_TEST

START_TEST(version_matches_headers)
{
    ck_assert_int_eq(tlsrpt_version_number(), TLSRPT_VERSION_NUMBER);
    ck_assert_int_eq(TLSRPT_VERSION_NUMBER, 10100);
    ck_assert_str_eq(tlsrpt_version_string(), TLSRPT_VERSION_STRING);
    ck_assert_str_eq(tlsrpt_version_string(), "1.1.0");
}
END_TEST

START_TEST(diag_lifecycle_and_getters)
{
    tlsrpt_diag *d = (tlsrpt_diag *)0x1;
    ck_assert_int_eq(tlsrpt_diag_new(NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);

    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "some-id", 7, NULL, "Found %s at %d.", "x", 7),
                     TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "other-id", TLSRPT_NO_OFFSET, "/policies/0", "Bad."),
                     TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 2);
    ck_assert_int_eq(tlsrpt_diag_severity(d, 0), TLSRPT_SEVERITY_WARNING);
    ck_assert_str_eq(tlsrpt_diag_id(d, 0), "some-id");
    ck_assert_str_eq(tlsrpt_diag_message(d, 0), "Found x at 7.");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 0), 7);
    ck_assert_str_eq(tlsrpt_diag_path(d, 0), "");
    ck_assert_str_eq(tlsrpt_diag_path(d, 1), "/policies/0");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1), TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 0), 1);
    ck_assert_uint_eq(trpt_diag_errors_since(d, 2), 0);

    /* Out of range and NULL. */
    ck_assert_int_eq(tlsrpt_diag_severity(d, 2), TLSRPT_EINVAL);
    ck_assert_ptr_null(tlsrpt_diag_id(d, 2));
    ck_assert_ptr_null(tlsrpt_diag_message(d, 99));
    ck_assert_ptr_null(tlsrpt_diag_path(d, 2));
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 2), TLSRPT_NO_OFFSET);
    ck_assert_uint_eq(tlsrpt_diag_count(NULL), 0);
    ck_assert_ptr_null(tlsrpt_diag_id(NULL, 0));
    ck_assert_int_eq(tlsrpt_diag_severity(NULL, 0), TLSRPT_EINVAL);

    tlsrpt_diag_clear(d);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "again", 0, NULL, "Again."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    tlsrpt_diag_clear(NULL);
    tlsrpt_diag_free(d);
    tlsrpt_diag_free(NULL);
    /* A NULL list is allowed everywhere a function appends. */
    ck_assert_int_eq(trpt_diag_add(NULL, TLSRPT_SEVERITY_ERROR, "x", 0, NULL, "X."), TLSRPT_OK);
}
END_TEST

START_TEST(diag_long_message_is_kept_whole)
{
    tlsrpt_diag *d;
    char big[2000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "long", 0, NULL, "<%s>", big), TLSRPT_OK);
    ck_assert_uint_eq(strlen(tlsrpt_diag_message(d, 0)), sizeof big + 1);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(diag_list_is_bounded)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    for (int i = 0; i < 5000; i++)
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "flood", (size_t)i, NULL, "Flood %d.", i),
                         TLSRPT_OK);
    /* 999 warnings, then the marker; later warnings and notes are dropped. */
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1000);
    ck_assert_str_eq(tlsrpt_diag_id(d, 998), "flood");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 998), 998);
    ck_assert_str_eq(tlsrpt_diag_id(d, 999), "too-many-findings");
    ck_assert_int_eq(tlsrpt_diag_severity(d, 999), TLSRPT_SEVERITY_WARNING);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "note", 0, NULL, "Note."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1000);

    /* An error after the flood is still listed, so a failing call always explains itself (found by fuzz_report:
     * a report with a thousand deviations before its syntax error). Errors stop 16 entries later. */
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "the-error", 4242, NULL, "Bad."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1001);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1000), "the-error");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1000), 4242);
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "more", (size_t)i, NULL, "More."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1016);
    /* Full: the newest error takes the last slot, so the error that ended a call is always listed last. */
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "fatal", 77, NULL, "Fatal."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1016);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1015), "fatal");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1015), 77);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1014), "more");
    ck_assert_str_eq(tlsrpt_diag_id(d, 1000), "the-error");

    /* clear starts afresh. */
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "note", 0, NULL, "Note."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);

    /* Errors that fill the list before any warning: the marker still comes when a warning is dropped. */
    tlsrpt_diag_clear(d);
    for (int i = 0; i < 1010; i++)
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "err", 0, NULL, "E."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1010);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w", 0, NULL, "W."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1011);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1010), "too-many-findings");
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w", 0, NULL, "W."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1011);

    /* Only errors: they stop one entry short of the bound, so the marker always fits; the newest error is last. */
    tlsrpt_diag_clear(d);
    for (int i = 0; i < 2000; i++)
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "err", (size_t)i, NULL, "E."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1015);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1014), 1999);
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1013), 1013);
    /* The marker takes the last slot; a later error replaces the newest error, never the marker, and the list
     * stays at its bound of 1016 entries. */
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w", 0, NULL, "W."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1016);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1015), "too-many-findings");
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "fatal", 77, NULL, "Fatal."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1016);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1015), "fatal");
    ck_assert_str_eq(tlsrpt_diag_id(d, 1014), "too-many-findings");
    ck_assert_uint_eq(tlsrpt_diag_offset(d, 1013), 1013);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "fatal2", 78, NULL, "Fatal."), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1016);
    ck_assert_str_eq(tlsrpt_diag_id(d, 1015), "fatal2");
    ck_assert_str_eq(tlsrpt_diag_id(d, 1014), "too-many-findings");
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(diag_keeps_says_what_would_be_stored)
{
    ck_assert_int_eq(trpt_diag_keeps(NULL, TLSRPT_SEVERITY_WARNING), 0);
    ck_assert_int_eq(trpt_diag_keeps(NULL, TLSRPT_SEVERITY_ERROR), 0);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_INFO), 1);
    for (int i = 0; i < 998; i++)
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-x", 0, NULL, "w"), TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_WARNING), 1);
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-x", 0, NULL, "w"), TLSRPT_OK);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 999);
    /* The next warning would be dropped: keeps() says so and adds the marker itself, once. */
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_WARNING), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1000);
    ck_assert_str_eq(tlsrpt_diag_id(d, 999), "too-many-findings");
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_INFO), 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1000);
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_ERROR), 1);
    /* Strict findings are errors: kept; lenient ones are warnings: dropped. */
    ck_assert_int_eq(trpt_diag_deviation_keeps(d, 1), 1);
    ck_assert_int_eq(trpt_diag_deviation_keeps(d, 0), 0);
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(trpt_diag_keeps(d, TLSRPT_SEVERITY_WARNING), 1);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(diag_text_is_bounded)
{
    /* Warnings with 400-byte messages: the list stops taking them once its text reaches 256 KiB. */
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    char msg[401];
    memset(msg, 'm', 400);
    msg[400] = '\0';
    size_t added = 0;
    while (trpt_diag_keeps(d, TLSRPT_SEVERITY_WARNING)) {
        ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-long", added, NULL, "%s", msg), TLSRPT_OK);
        added++;
    }
    size_t text = 0;
    for (size_t i = 0; i + 1 < tlsrpt_diag_count(d); i++)
        text += strlen(tlsrpt_diag_id(d, i)) + strlen(tlsrpt_diag_message(d, i)) + strlen(tlsrpt_diag_path(d, i));
    ck_assert_uint_ge(text, 256u * 1024u);
    ck_assert_uint_lt(text, 256u * 1024u + 407u);
    ck_assert_uint_eq(tlsrpt_diag_count(d), added + 1);
    ck_assert_str_eq(tlsrpt_diag_id(d, added), "too-many-findings");
    /* Errors are still kept. */
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "e-x", 1, NULL, "%s", msg), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_diag_id(d, added + 1), "e-x");
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(diag_long_paths_are_cut_in_the_middle)
{
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    /* 40 segments of 30 bytes ("/" and 29 letters): 1200 bytes. */
    char path[1300];
    size_t n = 0;
    for (int k = 0; k < 40; k++) {
        path[n++] = '/';
        memset(path + n, 'a' + k % 26, 29);
        n += 29;
    }
    path[n] = '\0';
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-x", 0, path, "m"), TLSRPT_OK);
    const char *kept = tlsrpt_diag_path(d, 0);
    /* The segments that end within 128 bytes (4: 120 bytes), "/...", and the last segments that fit in
     * 512 - 120 - 4 = 388 bytes (12: 360 bytes). */
    ck_assert_uint_eq(strlen(kept), 120 + 4 + 360);
    ck_assert_int_eq(memcmp(kept, path, 120), 0);
    ck_assert_int_eq(memcmp(kept + 120, "/...", 4), 0);
    ck_assert_str_eq(kept + 124, path + n - 360);
    /* A path of 512 bytes is kept whole; one longer single segment keeps its head and its tail. */
    path[512] = '\0';
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-x", 0, path, "m"), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_diag_path(d, 1), path);
    char one[2000];
    one[0] = '/';
    memset(one + 1, 'z', sizeof one - 2);
    one[sizeof one - 1] = '\0';
    ck_assert_int_eq(trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "w-x", 0, one, "m"), TLSRPT_OK);
    kept = tlsrpt_diag_path(d, 2);
    ck_assert_uint_le(strlen(kept), 512);
    ck_assert_int_eq(strncmp(kept, "/.../", 5), 0);
    tlsrpt_diag_free(d);
}
END_TEST

START_TEST(buffer_quoting_and_finish)
{
    trpt_buf b;
    char *s;
    size_t n;
    trpt_buf_init(&b);
    trpt_buf_put_quoted(&b, "a\x01\\b\xff", 5, 100);
    trpt_buf_puts(&b, "|");
    trpt_buf_put_quoted(&b, "abcdef", 6, 3);
    trpt_buf_printf(&b, "|%05d", 42);
    ck_assert_int_eq(trpt_buf_finish(&b, &s, &n), TLSRPT_OK);
    ck_assert_str_eq(s, "a\\x01\\\\b\\xFF|abc...|00042");
    ck_assert_uint_eq(n, strlen(s));
    free(s);
    trpt_buf_init(&b);
    ck_assert_int_eq(trpt_buf_finish(&b, &s, &n), TLSRPT_OK);
    ck_assert_str_eq(s, "");
    ck_assert_uint_eq(n, 0);
    free(s);
    ck_assert_int_eq(trpt_ascii_strcasecmp("MailTo", "mailto"), 0);
    ck_assert_int_ne(trpt_ascii_strncasecmp("https", "http:", 5), 0);
}
END_TEST

START_TEST(diag_hints_and_sentence_ends)
{
    tlsrpt_diag *d = NULL;
    tlsrpt_diag_new(&d);
    /* a message that ends in a qualified name gets one period; an ellipsis is kept */
    trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "dns-servfail", TLSRPT_NO_OFFSET, NULL, "SERVFAIL for %s.",
                  "_smtp._tls.example.com.");
    trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "x", TLSRPT_NO_OFFSET, NULL, "Cut %s.", "a...");
    trpt_diag_add(d, TLSRPT_SEVERITY_INFO, "x", TLSRPT_NO_OFFSET, NULL, "..");
    ck_assert_str_eq(tlsrpt_diag_message(d, 0), "SERVFAIL for _smtp._tls.example.com.");
    ck_assert_str_eq(tlsrpt_diag_message(d, 1), "Cut a....");
    ck_assert_str_eq(tlsrpt_diag_message(d, 2), ".");
    /* default hints by id; none for an id without one */
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 0));
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 1));
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 3));
    trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "dns-multiple-records", TLSRPT_NO_OFFSET, NULL, "Two.");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 3),
                     "Keep one TLSRPT record: delete the others and list every destination in its rua=, separated "
                     "by ','.");
    /* a specific hint goes on the newest finding with the id from `from` on, and replaces the default */
    trpt_diag_add(d, TLSRPT_SEVERITY_ERROR, "dns-multiple-records", TLSRPT_NO_OFFSET, NULL, "Three.");
    ck_assert_int_eq(trpt_diag_hint(d, 0, "dns-multiple-records", "Merge %d.", 2), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_diag_hint(d, 4), "Merge 2.");
    ck_assert_str_eq(tlsrpt_diag_hint(d, 3),
                     "Keep one TLSRPT record: delete the others and list every destination in its rua=, separated "
                     "by ','.");
    ck_assert_int_eq(trpt_diag_hint(d, 5, "dns-multiple-records", "Nothing."), TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_hint(d, 0, "no-such-id", "Nothing."), TLSRPT_OK);
    ck_assert_int_eq(trpt_diag_hint(NULL, 0, "x", "Nothing."), TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_diag_hint(d, 4), "Merge 2.");
    /* a hint is cut to 511 bytes (DIAG_MAX_HINT), at 511 it is whole */
    char big[600];
    memset(big, 'h', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    ck_assert_int_eq(trpt_diag_hint(d, 0, "dns-multiple-records", "%.*s", 511, big), TLSRPT_OK);
    ck_assert_uint_eq(strlen(tlsrpt_diag_hint(d, 4)), 511);
    ck_assert_int_eq(trpt_diag_hint(d, 0, "dns-multiple-records", "%s", big), TLSRPT_OK);
    ck_assert_uint_eq(strlen(tlsrpt_diag_hint(d, 4)), 511);
    tlsrpt_diag_clear(d);
    ck_assert_ptr_null(tlsrpt_diag_hint(d, 0));
    tlsrpt_diag_free(d);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("common");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, status_strings_cover_every_code);
    tcase_add_test(tc, codes_are_never_renumbered);
    tcase_add_test(tc, status_names_are_the_macro_names);
    tcase_add_test(tc, version_matches_headers);
    tcase_add_test(tc, diag_lifecycle_and_getters);
    tcase_add_test(tc, diag_long_message_is_kept_whole);
    tcase_add_test(tc, diag_list_is_bounded);
    tcase_add_test(tc, diag_keeps_says_what_would_be_stored);
    tcase_add_test(tc, diag_text_is_bounded);
    tcase_add_test(tc, diag_long_paths_are_cut_in_the_middle);
    tcase_add_test(tc, buffer_quoting_and_finish);
    tcase_add_test(tc, diag_hints_and_sentence_ends);
    suite_add_tcase(s, tc);
    return s;
}
