/* ASCII character classes (lib/charclass.h) against <ctype.h> in the C locale and the RFC sets, for all 256 bytes.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <string.h>

#include "charclass.h"
#include "testutil.h"

START_TEST(charclass_every_byte)
{
    for (int c = 0; c < 256; c++) {
        int ascii = c < 0x80;
        ck_assert_int_eq(trpt_is_digit(c), ascii && isdigit(c) != 0);
        ck_assert_int_eq(trpt_is_alpha(c), ascii && isalpha(c) != 0);
        ck_assert_int_eq(trpt_is_alnum(c), ascii && isalnum(c) != 0);
        ck_assert_int_eq(trpt_is_hexdig(c), ascii && isxdigit(c) != 0);
        int want = !ascii || !isxdigit(c) ? -1 : isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        ck_assert_int_eq(trpt_hex_value(c), want);
        ck_assert_int_eq(trpt_is_unreserved(c), ascii && (isalnum(c) || (c && strchr("-._~", c))));
        ck_assert_int_eq(trpt_is_atext(c), ascii && (isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c))));
        ck_assert_int_eq(trpt_is_wsp(c), c == ' ' || c == '\t');
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("charclass");
    TCase *tc = tcase_create("charclass");
    tcase_add_test(tc, charclass_every_byte);
    suite_add_tcase(s, tc);
    return s;
}
