/* tlsrpt report — the numbers a report summary shows: exact session sums, the success rate, UTC date-times.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#define SECONDS_PER_DAY 86400
/* Success rates are printed in hundredths of a percent. */
#define RATE_SCALE 10000

void sum_add(struct count_sum *s, uint64_t v)
{
    s->lo += v;
    if (s->lo < v)
        s->hi++;
}

const char *sum_text(struct count_sum s, char *buf, size_t size)
{
    uint32_t limb[4] = {(uint32_t)(s.hi >> 32), (uint32_t)s.hi, (uint32_t)(s.lo >> 32), (uint32_t)s.lo};
    char *p = buf + size - 1;
    *p = '\0';
    do {
        uint64_t rem = 0;
        int nonzero = 0;
        for (size_t i = 0; i < 4; i++) {
            uint64_t cur = (rem << 32) | limb[i];
            limb[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
            nonzero |= limb[i] != 0;
        }
        *--p = (char)('0' + rem);
        if (!nonzero)
            break;
    } while (p > buf);
    return p;
}

static long double sum_value(struct count_sum s)
{
    return (long double)s.hi * 18446744073709551616.0L + (long double)s.lo;
}

long success_rate(struct count_sum ok, struct count_sum failed)
{
    long double s = sum_value(ok), total = s + sum_value(failed);
    if (total == 0)
        return -1;
    long rate = (long)(s * RATE_SCALE / total);
    if (rate >= RATE_SCALE && (failed.hi | failed.lo) != 0)
        rate = RATE_SCALE - 1;
    if (rate <= 0 && (ok.hi | ok.lo) != 0)
        rate = 0;
    return rate;
}

const char *rate_text(long rate, char *buf, size_t size)
{
    snprintf(buf, size, "%ld.%02ld", rate / 100, rate % 100);
    return buf;
}

/* Proleptic Gregorian calendar, days counted from 1970-01-01. */
const char *utc_time_text(int64_t t, char *buf, size_t size)
{
    int64_t days = t / SECONDS_PER_DAY, secs = t % SECONDS_PER_DAY;
    if (secs < 0) {
        secs += SECONDS_PER_DAY;
        days--;
    }
    /* Shift the epoch to 0000-03-01 and count 400-year eras of 146097 days. */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)year, (long long)month,
             (long long)day, (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
    return buf;
}
