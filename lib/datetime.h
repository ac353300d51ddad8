/* libtlsrpt — date-times: RFC 3339 (reports) read and written, RFC 5322 (e-mail) written. Internal, never
 * installed. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_DATETIME_H
#define TLSRPT_DATETIME_H

#include <stddef.h>
#include <stdint.h>

#include "internal.h"

/* Parses date-time (RFC 3339 §5.6; 'T' and 'Z' in either case) to Unix seconds: a numeric offset is applied,
 * fractional seconds are truncated, second 60 (a leap second) is the first second of the next minute. Without a
 * zone (a deviation real senders commit) the time is taken as UTC and *has_zone is 0. Years 0000-9999, day of
 * month checked against the month and leap years. Returns TLSRPT_OK or TLSRPT_ESYNTAX (*out 0). */
int trpt_datetime_parse(const char *s, size_t len, int64_t *out, int *has_zone);

/* The range of Unix times that RFC 3339 can write in UTC: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59Z. */
#define TRPT_TIME_MIN (-62167219200LL)
#define TRPT_TIME_MAX 253402300799LL
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" plus a NUL into out[21]. Returns TLSRPT_OK or TLSRPT_EINVAL when t is outside
 * [TRPT_TIME_MIN, TRPT_TIME_MAX]. */
int trpt_datetime_format(int64_t t, char out[21]);

/* Appends t as an RFC 5322 §3.3 date-time in UTC: "Mon, 01 Jul 2024 23:59:59 +0000" (t in [0, TRPT_TIME_MAX]: the
 * caller checks). */
void trpt_datetime_put_rfc5322(trpt_buf *b, int64_t t);

#endif
