/* Message-format helpers (lib/mime.c): header folding at 78 characters, dot-atom-text, printable header values.
 * SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "testutil.h"

static char *folded(const char *const *tokens, size_t n)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_mime_put_folded(&b, tokens, n);
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, NULL), TLSRPT_OK);
    return out;
}

START_TEST(mime_folding)
{
    const char *short_line[] = {"Subject:", "a", "b"};
    char *out = folded(short_line, 3);
    ck_assert_str_eq(out, "Subject: a b\r\n");
    free(out);

    /* 78 characters fit on the line; the 79th moves the token to a continuation line. */
    char t70[71], t71[72];
    memset(t70, 'x', 70);
    t70[70] = '\0';
    memset(t71, 'y', 71);
    t71[71] = '\0';
    const char *fits[] = {"Header:", t70}; /* 7 + 1 + 70 = 78 */
    out = folded(fits, 2);
    ck_assert_uint_eq(strlen(out), 80);
    ck_assert_ptr_null(strstr(out, "\r\n "));
    free(out);
    const char *wraps[] = {"Header:", t71};
    out = folded(wraps, 2);
    ck_assert_int_eq(strncmp(out, "Header:\r\n y", 11), 0);
    ck_assert_str_eq(out + 10 + 71, "\r\n");
    free(out);
    /* A token longer than a line gets a line of its own, unbroken. */
    char big[200];
    memset(big, 'z', 199);
    big[199] = '\0';
    const char *longest[] = {"H:", "a", big, "b"};
    out = folded(longest, 4);
    ck_assert_int_eq(strncmp(out, "H: a\r\n z", 8), 0);
    ck_assert_str_eq(out + 7 + 199, "\r\n b\r\n");
    free(out);
}
END_TEST

START_TEST(mime_dot_atom_and_printable)
{
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("a.b")), 1);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("!#$%&'*+-/=?^_`{|}~")), 1);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT(".a")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("a.")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("a..b")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("a b")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("a@b")), 0);
    ck_assert_int_eq(trpt_mime_is_dot_atom_text(TEXT("\xC3\xA9")), 0);
    ck_assert_int_eq(trpt_mime_is_printable("a b ~"), 1);
    ck_assert_int_eq(trpt_mime_is_printable(""), 0);
    ck_assert_int_eq(trpt_mime_is_printable(NULL), 0);
    ck_assert_int_eq(trpt_mime_is_printable("a\r\nb"), 0);
    ck_assert_int_eq(trpt_mime_is_printable("a\tb"), 0);
    ck_assert_int_eq(trpt_mime_is_printable("\x7f"), 0);
    ck_assert_int_eq(trpt_mime_is_printable("\xC3\xA9"), 0);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("mime");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, mime_folding);
    tcase_add_test(tc, mime_dot_atom_and_printable);
    suite_add_tcase(s, tc);
    return s;
}
