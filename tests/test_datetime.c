/* Date-times (lib/datetime.c): RFC 3339 reading and writing, over the whole range of years 0000-9999.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "datetime.h"
#include "testutil.h"

#define DAY 1719792000 /* 2024-07-01T00:00:00Z */

START_TEST(datetime_rfc3339)
{
    static const struct {
        const char *text;
        int rc;
        int64_t value;
        int zone;
    } cases[] = {
        {"1970-01-01T00:00:00Z", TLSRPT_OK, 0, 1},
        {"2016-04-01T00:00:00Z", TLSRPT_OK, 1459468800, 1},
        {"2016-04-01T23:59:59Z", TLSRPT_OK, 1459555199, 1},
        {"2016-04-01t23:59:59z", TLSRPT_OK, 1459555199, 1},
        {"2016-04-01T23:59:59.999Z", TLSRPT_OK, 1459555199, 1},
        {"2016-04-01T02:00:00+02:00", TLSRPT_OK, 1459468800, 1},
        {"2016-03-31T19:30:00-04:30", TLSRPT_OK, 1459468800, 1},
        {"2016-04-01T00:00:00-00:00", TLSRPT_OK, 1459468800, 1},
        {"2023-01-10T00:00:00", TLSRPT_OK, 1673308800, 0},
        {"2023-01-10T00:00:00.5", TLSRPT_OK, 1673308800, 0},
        {"2016-12-31T23:59:60Z", TLSRPT_OK, 1483228800, 1},
        {"2024-02-29T00:00:00Z", TLSRPT_OK, 1709164800, 1},
        {"2000-02-29T00:00:00Z", TLSRPT_OK, 951782400, 1},
        {"1969-12-31T23:59:59Z", TLSRPT_OK, -1, 1},
        {"9999-12-31T23:59:59Z", TLSRPT_OK, 253402300799, 1},
        {"2023-02-29T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"1900-02-29T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-04-31T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-13-01T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-00-01T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-00T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T24:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:60:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:61Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01 00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01", TLSRPT_ESYNTAX, 0, 0},
        {"23-01-01T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-1-01T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00.Z", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00+0200", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00+24:00", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00+02:60", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00ZZ", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00 ", TLSRPT_ESYNTAX, 0, 0},
        {"2023-01-01T00:00:00UTC", TLSRPT_ESYNTAX, 0, 0},
        {"", TLSRPT_ESYNTAX, 0, 0},
        {"+2023-01-01T00:00:00Z", TLSRPT_ESYNTAX, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = 42;
        int zone = 7;
        int rc = trpt_datetime_parse(cases[i].text, strlen(cases[i].text), &v, &zone);
        ck_assert_msg(rc == cases[i].rc, "rc of '%s'", cases[i].text);
        ck_assert_msg(v == cases[i].value, "value of '%s': %lld", cases[i].text, (long long)v);
        ck_assert_msg(zone == cases[i].zone, "zone of '%s'", cases[i].text);
    }
}
END_TEST

START_TEST(datetime_format)
{
    static const struct {
        int64_t t;
        const char *text;
    } cases[] = {
        {0, "1970-01-01T00:00:00Z"},
        {-1, "1969-12-31T23:59:59Z"},
        {DAY, "2024-07-01T00:00:00Z"},
        {DAY + 86399, "2024-07-01T23:59:59Z"},
        {1709164800, "2024-02-29T00:00:00Z"},
        {951782400, "2000-02-29T00:00:00Z"},
        {4107542399LL, "2100-02-28T23:59:59Z"},
        {4107542400LL, "2100-03-01T00:00:00Z"},
        {TRPT_TIME_MIN, "0000-01-01T00:00:00Z"},
        {TRPT_TIME_MAX, "9999-12-31T23:59:59Z"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[21];
        ck_assert_int_eq(trpt_datetime_format(cases[i].t, text), TLSRPT_OK);
        ck_assert_str_eq(text, cases[i].text);
        int64_t back;
        int has_zone;
        ck_assert_int_eq(trpt_datetime_parse(text, 20, &back, &has_zone), TLSRPT_OK);
        ck_assert_int_eq(back, cases[i].t);
        ck_assert_int_eq(has_zone, 1);
    }
    char text[21];
    ck_assert_int_eq(trpt_datetime_format(TRPT_TIME_MIN - 1, text), TLSRPT_EINVAL);
    ck_assert_int_eq(trpt_datetime_format(TRPT_TIME_MAX + 1, text), TLSRPT_EINVAL);
    /* Every 997th second over the whole range reads back. */
    for (int64_t t = TRPT_TIME_MIN; t <= TRPT_TIME_MAX; t += 86400 * 997 + 4321) {
        int64_t back;
        int has_zone;
        ck_assert_int_eq(trpt_datetime_format(t, text), TLSRPT_OK);
        ck_assert_int_eq(trpt_datetime_parse(text, 20, &back, &has_zone), TLSRPT_OK);
        ck_assert_int_eq(back, t);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("datetime");
    TCase *tc = tcase_create("datetime");
    tcase_add_test(tc, datetime_rfc3339);
    tcase_add_test(tc, datetime_format);
    suite_add_tcase(s, tc);
    return s;
}
