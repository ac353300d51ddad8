/* libtlsrpt — date-times: RFC 3339 text read and written, RFC 5322 dates written (datetime.h).
 * SPDX-License-Identifier: MIT */
#include "datetime.h"

/* ---- The proleptic Gregorian calendar (Howard Hinnant's algorithms) ------------------------------------------------ */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (Howard Hinnant's days_from_civil). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Civil date of a day count from 1970-01-01 (Howard Hinnant's civil_from_days, proleptic Gregorian). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

typedef struct broken_time {
    int64_t days; /* since 1970-01-01 */
    int64_t year;
    int month, day, hour, minute, second;
} broken_time;

static void break_time(int64_t t, broken_time *bt)
{
    int64_t days = t / 86400, secs = t % 86400;
    if (secs < 0) {
        secs += 86400;
        days--;
    }
    bt->days = days;
    civil_from_days(days, &bt->year, &bt->month, &bt->day);
    bt->hour = (int)(secs / 3600);
    bt->minute = (int)(secs / 60 % 60);
    bt->second = (int)(secs % 60);
}

/* ---- RFC 3339 date-time: reading --------------------------------------------------------------------------------- */

static int digits(const char *s, size_t len, size_t at, size_t n, int *value)
{
    if (at + n > len)
        return 0;
    int v = 0;
    for (size_t i = at; i < at + n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

int trpt_datetime_parse(const char *s, size_t len, int64_t *out, int *has_zone)
{
    int year, month, day, hour, minute, second;
    *out = 0;
    *has_zone = 0;
    if (!digits(s, len, 0, 4, &year) || len < 19 || s[4] != '-' || !digits(s, len, 5, 2, &month) || s[7] != '-' ||
        !digits(s, len, 8, 2, &day) || (s[10] != 'T' && s[10] != 't') || !digits(s, len, 11, 2, &hour) ||
        s[13] != ':' || !digits(s, len, 14, 2, &minute) || s[16] != ':' || !digits(s, len, 17, 2, &second))
        return TLSRPT_ESYNTAX;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 ||
        second > 60)
        return TLSRPT_ESYNTAX;
    size_t i = 19;
    if (i < len && s[i] == '.') { /* time-secfrac: truncated to whole seconds */
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return TLSRPT_ESYNTAX;
    }
    int64_t offset = 0;
    if (i < len) {
        if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == len) {
            *has_zone = 1;
        } else if ((s[i] == '+' || s[i] == '-') && i + 6 == len) {
            int oh, om;
            if (!digits(s, len, i + 1, 2, &oh) || s[i + 3] != ':' || !digits(s, len, i + 4, 2, &om) || oh > 23 ||
                om > 59)
                return TLSRPT_ESYNTAX;
            offset = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
            *has_zone = 1;
        } else {
            return TLSRPT_ESYNTAX;
        }
    }
    /* A leap second (:60) counts as the first second of the next minute, as POSIX time has no leap seconds. */
    *out = days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
    return TLSRPT_OK;
}

/* ---- RFC 3339 date-time: writing --------------------------------------------------------------------------------- */

/* Writes v as exactly n decimal digits (with leading zeros). */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

int trpt_datetime_format(int64_t t, char out[21])
{
    if (t < TRPT_TIME_MIN || t > TRPT_TIME_MAX)
        return TLSRPT_EINVAL;
    broken_time bt;
    break_time(t, &bt); /* the range check above keeps the year in 0..9999 */
    /* "YYYY-MM-DDTHH:MM:SSZ", digit by digit (snprintf's "%04d" cannot be proven to fit by gcc -O3). */
    put_digits(out, (unsigned)bt.year, 4);
    out[4] = '-';
    put_digits(out + 5, (unsigned)bt.month, 2);
    out[7] = '-';
    put_digits(out + 8, (unsigned)bt.day, 2);
    out[10] = 'T';
    put_digits(out + 11, (unsigned)bt.hour, 2);
    out[13] = ':';
    put_digits(out + 14, (unsigned)bt.minute, 2);
    out[16] = ':';
    put_digits(out + 17, (unsigned)bt.second, 2);
    out[19] = 'Z';
    out[20] = '\0';
    return TLSRPT_OK;
}

/* ---- RFC 5322 date-time: writing --------------------------------------------------------------------------------- */

/* RFC 5322 §3.3 date-time in UTC: "Mon, 01 Jul 2024 23:59:59 +0000". */
void trpt_datetime_put_rfc5322(trpt_buf *b, int64_t t)
{
    static const char *const wday[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"}; /* 1970-01-01: Thursday */
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    broken_time bt;
    break_time(t, &bt);
    trpt_buf_printf(b, "%s, %02d %s %04lld %02d:%02d:%02d +0000", wday[bt.days % 7], bt.day, mon[bt.month - 1],
                    (long long)bt.year, bt.hour, bt.minute, bt.second);
}
