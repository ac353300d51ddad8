/* Tests of tlsrpt_report_parse_message: every MIME shape and transfer encoding, every diagnostic id with its
 * offset, every limit at the limit and one past it, round trips through tlsrpt_report_to_message, every truncation,
 * and the real-world report e-mails (TLSRPT_REAL_WORLD, set by the meson option real_world_testdata).
 * Offsets are located in the generated message text (strstr) and asserted exactly.
 * SPDX-License-Identifier: MIT */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mime.h"
#include "report_testutil.h"

/* tests/meson.build links this suite with --wrap for malloc, calloc, realloc, free: alloc_hooks.h counts the bytes
 * held during a parse. */
#include "alloc_hooks.h"

/* ---- Helpers --------------------------------------------------------------------------------------------------- */

static char *format(size_t *len, const char *fmt, ...) TRPT_PRINTF(2, 3);
static char *format(size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    ck_assert_int_ge(n, 0);
    char *s = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    *len = (size_t)n;
    return s;
}

/* tmpl with "%s" replaced by value and "%%" by "%" (templates assembled at run time). */
static char *fill(size_t *len, const char *tmpl, const char *value)
{
    trpt_buf b;
    trpt_buf_init(&b);
    for (const char *p = tmpl; *p; p++) {
        if (p[0] == '%' && p[1] == 's') {
            trpt_buf_puts(&b, value);
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            trpt_buf_putc(&b, '%');
            p++;
        } else {
            trpt_buf_putc(&b, *p);
        }
    }
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, len), TLSRPT_OK);
    return out;
}

static size_t offset_of(const char *msg, const char *needle)
{
    const char *p = strstr(msg, needle);
    ck_assert_msg(p != NULL, "'%s' not in the message", needle);
    return (size_t)(p - msg);
}

static size_t count_severity(const tlsrpt_diag *d, int sev)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        n += tlsrpt_diag_severity(d, i) == sev;
    return n;
}

/* The report every test sends: one sts policy for receiver.example, one failure detail. */
static tlsrpt_report *test_report(const char *org)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, org, "tlsrpt@sender.example", "r1", 1719792000, 1719878399), TLSRPT_OK);
    static const char *const sts[] = {"version: STSv1", "mode: enforce", "mx: mx.receiver.example",
                                      "max_age: 86400"};
    static const char *const mx[] = {"mx.receiver.example"};
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, "receiver.example", sts, 4, mx, 1, &p),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_successes(p, 100), TLSRPT_OK);
    tlsrpt_failure *f;
    ck_assert_int_eq(tlsrpt_failure_new(&f, "certificate-expired"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_mx_hostname(f, "mx.receiver.example"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_sending_mta_ip(f, "192.0.2.1"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_receiving_ip(f, "2001:db8::25"), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_policy_add_failures(p, f, 3), TLSRPT_OK);
    tlsrpt_failure_free(f);
    return r;
}

static char *test_json(const char *org)
{
    tlsrpt_report *r = test_report(org);
    char *json = serialize_or_fail(r, 0);
    tlsrpt_report_free(r);
    return json;
}

static char *base64(const unsigned char *in, size_t n, size_t line)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = malloc(n / 3 * 4 + 4 + (n / 3 * 4 + 4) / (line ? line : 1) * 2 + 3);
    ck_assert_ptr_nonnull(out);
    size_t o = 0, col = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)in[i] << 16 | (i + 1 < n ? (unsigned)in[i + 1] << 8 : 0) | (i + 2 < n ? in[i + 2] : 0);
        out[o++] = abc[v >> 18 & 63];
        out[o++] = abc[v >> 12 & 63];
        out[o++] = i + 1 < n ? abc[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? abc[v & 63] : '=';
        col += 4;
        if (line && col >= line && i + 3 < n) {
            out[o++] = '\r';
            out[o++] = '\n';
            col = 0;
        }
    }
    out[o] = '\0';
    return out;
}

static char *test_gzip_b64(const char *org)
{
    tlsrpt_report *r = test_report(org);
    void *gz;
    size_t gz_len;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, &gz_len), TLSRPT_OK);
    char *b = base64(gz, gz_len, 76);
    tlsrpt_free(gz);
    tlsrpt_report_free(r);
    return b;
}

/* Top-level header fields that follow RFC 8460 §5.3. */
#define HEAD                                                                                                           \
    "From: tlsrpt@sender.example\r\n"                                                                                  \
    "To: reports@receiver.example\r\n"                                                                                 \
    "Subject: Report Domain: receiver.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"            \
    "TLS-Report-Domain: receiver.example\r\n"                                                                          \
    "TLS-Report-Submitter: sender.example\r\n"                                                                         \
    "MIME-Version: 1.0\r\n"

#define REPORT_TOP "Content-Type: multipart/report; report-type=\"tlsrpt\"; boundary=\"BB\"\r\n\r\n"
#define TEXT_PART "--BB\r\nContent-Type: text/plain\r\n\r\nThis is a report.\r\n"

typedef struct outcome {
    int rc;
    tlsrpt_report *r;
    tlsrpt_diag *d;
} outcome;

static outcome parse(const char *msg, size_t len, unsigned flags)
{
    outcome o;
    ck_assert_int_eq(tlsrpt_diag_new(&o.d), TLSRPT_OK);
    o.rc = tlsrpt_report_parse_message(&o.r, msg, len, flags, o.d);
    if (o.rc == TLSRPT_OK) {
        ck_assert_ptr_nonnull(o.r);
        ck_assert_uint_eq(count_severity(o.d, TLSRPT_SEVERITY_ERROR), 0);
    } else {
        ck_assert_ptr_null(o.r);
        if (o.rc != TLSRPT_ENOMEM)
            ck_assert_uint_ge(count_severity(o.d, TLSRPT_SEVERITY_ERROR), 1);
    }
    return o;
}

static void done(outcome *o)
{
    tlsrpt_report_free(o->r);
    tlsrpt_diag_free(o->d);
}

/* The message parses to the test report with exactly the findings given as (id, severity, offset) triples. */
static void expect_report(const outcome *o, const char *org)
{
    ck_assert_msg(o->rc == TLSRPT_OK, "rc %d; first finding %s at %zu: %s", o->rc,
                  tlsrpt_diag_count(o->d) ? tlsrpt_diag_id(o->d, 0) : "-",
                  tlsrpt_diag_count(o->d) ? tlsrpt_diag_offset(o->d, 0) : 0,
                  tlsrpt_diag_count(o->d) ? tlsrpt_diag_message(o->d, 0) : "-");
    tlsrpt_report *want = test_report(org);
    char why[256] = "";
    ck_assert_msg(report_equal(want, o->r, why, sizeof why), "report differs: %s", why);
    tlsrpt_report_free(want);
}

/* Exactly one finding, with this id, severity and offset. */
static void expect_only(const outcome *o, const char *id, int sev, size_t off)
{
    ck_assert_msg(tlsrpt_diag_count(o->d) == 1, "%zu findings, first %s", tlsrpt_diag_count(o->d),
                  tlsrpt_diag_count(o->d) ? tlsrpt_diag_id(o->d, 0) : "-");
    ck_assert_diag(o->d, id, sev, off);
}

/* ---- Round trips ----------------------------------------------------------------------------------------------- */

static char *built_message(size_t *len)
{
    tlsrpt_report *r = test_report("Org");
    char *msg;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "tlsrpt@sender.example", "reports@receiver.example",
                                              "receiver.example", "sender.example", &msg, len),
                     TLSRPT_OK);
    tlsrpt_report_free(r);
    return msg;
}

/* CRLF -> LF */
static char *to_lf(const char *s, size_t len, size_t *out_len)
{
    char *o = malloc(len + 1);
    ck_assert_ptr_nonnull(o);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
            o[n++] = s[i];
    o[n] = '\0';
    *out_len = n;
    return o;
}

/* The one IDN rule on both sides: a report whose contact-info and policy domain are U-labels, written by
 * tlsrpt_report_to_message (which puts A-labels in the headers), reads back in strict mode without a mismatch. */
START_TEST(round_trip_idn_names)
{
    tlsrpt_report *r;
    ck_assert_int_eq(tlsrpt_report_new(&r, "Org", "tlsrpt@S\xc3\xa9nder.example", "id-1", 1719792000, 1719878399),
                     TLSRPT_OK);
    tlsrpt_policy *p;
    ck_assert_int_eq(tlsrpt_report_add_policy(r, TLSRPT_POLICY_NO_POLICY_FOUND, "b\xc3\xbc" "cher.example", NULL, 0,
                                              NULL, 0, &p),
                     TLSRPT_OK);
    char *msg;
    size_t len;
    ck_assert_int_eq(tlsrpt_report_to_message(r, "tlsrpt@s\xc3\xa9nder.example", "r@b\xc3\xbc" "cher.example",
                                              "B\xc3\xbc" "cher.example", "s\xc3\xa9nder.example", &msg, &len),
                     TLSRPT_OK);
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    tlsrpt_report *back;
    ck_assert_int_eq(tlsrpt_report_parse_message(&back, msg, len, TLSRPT_PARSE_STRICT, d), TLSRPT_OK);
    ck_assert_int_eq(diag_find(d, "message-header-mismatch"), -1);
    tlsrpt_report_free(back);
    tlsrpt_free(msg);
    /* A different domain is still a mismatch, also when both are written in U-labels. */
    tlsrpt_diag_clear(d);
    ck_assert_int_eq(tlsrpt_report_to_message(r, "a@s.example", "r@example.net", "other.example",
                                              "s\xc3\xa4nder.example", &msg, &len),
                     TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_report_parse_message(&back, msg, len, 0, d), TLSRPT_OK);
    ck_assert_int_ge(diag_find(d, "message-header-mismatch"), 0);
    size_t mismatches = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        mismatches += strcmp(tlsrpt_diag_id(d, i), "message-header-mismatch") == 0;
    ck_assert_uint_eq(mismatches, 2); /* the domain and the submitter */
    tlsrpt_report_free(back);
    tlsrpt_free(msg);
    tlsrpt_diag_free(d);
    tlsrpt_report_free(r);
}
END_TEST

START_TEST(round_trip_built_message)
{
    size_t len;
    char *msg = built_message(&len);
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags += TLSRPT_PARSE_STRICT) {
        outcome o = parse(msg, len, flags);
        expect_report(&o, "Org");
        ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
        done(&o);
    }
    size_t lf_len;
    char *lf = to_lf(msg, len, &lf_len);
    ck_assert_uint_lt(lf_len, len);
    outcome o = parse(lf, lf_len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    /* an mbox "From " line in front */
    size_t mb_len;
    char *mb = format(&mb_len, "From tlsrpt@sender.example Mon Jul  1 00:00:00 2024\r\n%s", msg);
    o = parse(mb, mb_len, 0);
    expect_report(&o, "Org");
    expect_only(&o, "message-mbox-from-line", TLSRPT_SEVERITY_INFO, 0);
    done(&o);
    free(mb);
    free(lf);
    tlsrpt_free(msg);
}
END_TEST

/* Every prefix of a built message either fails cleanly or, read leniently, yields the very same report (a prefix that
 * ends after the report part lacks only the closing delimiter: message-multipart-unterminated, and possibly the
 * first bytes of that delimiter as skipped base64 junk). Strict mode rejects every prefix until the closing
 * delimiter "--B--" is complete. */
START_TEST(every_truncation_fails_cleanly)
{
    size_t len;
    char *full = built_message(&len);
    tlsrpt_report *want = test_report("Org");
    for (int lf = 0; lf <= 1; lf++) {
        size_t n_len = len;
        char *msg = lf ? to_lf(full, len, &n_len) : full;
        size_t complete = n_len - (lf ? 1 : 2); /* without the final line break */
        size_t closing = 0; /* where the closing delimiter line starts: after the last "\n--" */
        for (const char *p = strstr(msg, "\n--"); p; p = strstr(p + 1, "\n--"))
            closing = (size_t)(p - msg) + 1;
        ck_assert_int_eq(strncmp(msg + closing, "------=_tlsrpt_", 15), 0);
        ck_assert_uint_eq(n_len - closing, strlen("------=_tlsrpt_0123456789abcdef--\r\n") - (size_t)lf);
        size_t read_leniently = 0;
        for (size_t n = 0; n <= n_len; n++) {
            char *copy = malloc(n ? n : 1); /* exact size, so ASan sees any read past the end */
            ck_assert_ptr_nonnull(copy);
            memcpy(copy, msg, n);
            outcome o = parse(copy, n, 0);
            if (n >= complete) {
                ck_assert_msg(o.rc == TLSRPT_OK, "prefix %zu: rc %d", n, o.rc);
                ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
            } else if (o.rc == TLSRPT_OK) {
                char why[256] = "";
                ck_assert_msg(report_equal(want, o.r, why, sizeof why), "prefix %zu: %s", n, why);
                ck_assert_int_ge(diag_find(o.d, "message-multipart-unterminated"), 0);
                ck_assert_uint_eq(count_severity(o.d, TLSRPT_SEVERITY_WARNING), tlsrpt_diag_count(o.d));
                read_leniently++;
            } else {
                /* EUNSUPPORTED: cut inside "Content-Transfer-Encoding: base64" */
                ck_assert_msg(o.rc == TLSRPT_ESYNTAX || o.rc == TLSRPT_ESEMANTIC || o.rc == TLSRPT_EUNSUPPORTED,
                              "prefix %zu: rc %d", n, o.rc);
            }
            done(&o);
            o = parse(copy, n, TLSRPT_PARSE_STRICT);
            if (n >= complete)
                ck_assert_msg(o.rc == TLSRPT_OK, "strict prefix %zu: rc %d", n, o.rc);
            else
                ck_assert_msg(o.rc == TLSRPT_ESYNTAX || o.rc == TLSRPT_ESEMANTIC || o.rc == TLSRPT_EUNSUPPORTED,
                              "strict prefix %zu: rc %d", n, o.rc);
            done(&o);
            free(copy);
        }
        /* at least: the prefix that ends right before the closing delimiter, and the one before its line break */
        ck_assert_uint_ge(read_leniently, 2);
        /* the prefix that ends where the closing delimiter would start is read with exactly that warning */
        outcome o = parse(msg, closing, 0);
        ck_assert_int_eq(o.rc, TLSRPT_OK);
        expect_only(&o, "message-multipart-unterminated", TLSRPT_SEVERITY_WARNING, closing);
        done(&o);
        if (lf)
            free(msg);
    }
    tlsrpt_report_free(want);
    tlsrpt_free(full);
}
END_TEST

/* ---- Shapes and encodings ------------------------------------------------------------------------------------------ */

START_TEST(shape_multipart_report_json_7bit)
{
    char *json = test_json("Org");
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "preamble\r\n" TEXT_PART
                       "--BB\r\nContent-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: 7bit\r\n\r\n%s\r\n"
                       "--BB--\r\nepilogue\r\n", json);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    free(msg);
    free(json);
}
END_TEST

START_TEST(shape_single_part_gzip_base64)
{
    char *b64 = test_gzip_b64("Org");
    size_t len;
    char *msg = format(&len, HEAD "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: Base64\r\n"
                       "\r\n%s\r\n", b64);
    outcome o = parse(msg, len, 0);
    expect_report(&o, "Org");
    expect_only(&o, "message-not-multipart-report", TLSRPT_SEVERITY_WARNING,
                offset_of(msg, "Content-Type:") + strlen("Content-Type:"));
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    expect_only(&o, "message-not-multipart-report", TLSRPT_SEVERITY_ERROR,
                offset_of(msg, "Content-Type:") + strlen("Content-Type:"));
    done(&o);
    free(msg);
    free(b64);
}
END_TEST

/* multipart/report in multipart/mixed, folded Content-Type, comments, LF only, whitespace inside base64. */
START_TEST(shape_nested_and_folded)
{
    char *b64 = test_gzip_b64("Org");
    /* spaces and tabs inside the base64 text are skipped */
    size_t n = strlen(b64);
    char *spaced = malloc(n * 2 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        spaced[k++] = b64[i];
        if (i % 9 == 8)
            spaced[k++] = i % 2 ? ' ' : '\t';
    }
    spaced[k] = '\0';
    size_t len;
    char *msg = format(&len,
                       "From: a@sender.example\n"
                       "Subject: Report Domain: receiver.example\n Submitter: sender.example\n\tReport-ID:\n"
                       "  <r1@sender.example> (a comment)\n"
                       "TLS-Report-Domain: receiver.example (the domain)\n"
                       "TLS-Report-Submitter:\n sender.example\n"
                       "Content-Type: multipart/report (top);\n report-type=tlsrpt;\n\tboundary=outer\n\n"
                       "--outer\nContent-Type: multipart/mixed; boundary=\"in ner\"\n\n"
                       "--in ner\ncontent-type: TEXT/plain\n\nhello\n"
                       "--in ner\nCONTENT-TYPE: Application/TLSRPT+GZIP; name=x\nContent-Transfer-Encoding: base64\n"
                       "\n%s\n--in ner--\n--outer--\n",
                       spaced);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    free(msg);
    free(spaced);
    free(b64);
}
END_TEST

/* A forwarded report: message/rfc822 inside multipart/mixed. The outer message is not a report message. */
START_TEST(shape_forwarded_rfc822)
{
    char *json = test_json("Org");
    size_t len;
    char *msg = format(&len,
                       "From: me@receiver.example\r\nSubject: Fwd: report\r\n"
                       "Content-Type: multipart/mixed; boundary=F\r\n\r\n"
                       "--F\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                       "--F\r\nContent-Type: message/rfc822\r\n\r\n" HEAD
                       "Content-Type: application/tlsrpt+json\r\n\r\n%s\r\n--F--\r\n",
                       json);
    outcome o = parse(msg, len, 0);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 4);
    ck_assert_diag(o.d, "message-not-multipart-report", TLSRPT_SEVERITY_WARNING,
                   offset_of(msg, "multipart/mixed") - 1);
    ck_assert_diag(o.d, "message-subject-invalid", TLSRPT_SEVERITY_WARNING, offset_of(msg, "Fwd"));
    ck_assert_str_eq(tlsrpt_diag_id(o.d, 2), "message-header-missing");
    ck_assert_str_eq(tlsrpt_diag_id(o.d, 3), "message-header-missing");
    ck_assert_uint_eq(tlsrpt_diag_offset(o.d, 3), TLSRPT_NO_OFFSET);
    done(&o);
    free(msg);
    free(json);
}
END_TEST

/* Stalwart's application/tlsrpt, and generic types found by file name (RFC 2231 forms included). */
START_TEST(shape_nonstandard_types)
{
    char *json = test_json("Org");
    char *b64 = test_gzip_b64("Org");
    static const char *const parts[] = {
        "Content-Type: application/tlsrpt\r\nContent-Disposition: attachment; filename=\"a!b!1!2.json\"\r\n\r\n%s",
        "Content-Type: application/tlsrpt\r\n\r\n%s",
        "Content-Type: application/json; name=\"report.json\"\r\n\r\n%s",
        "Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n filename*=UTF-8''r%%65port.JSON.GZ\r\n\r\n%s",
        "Content-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment; filename*0=\"a!b!1!2.js\"; filename*1=\"on.gz\"\r\n\r\n%s",
        "Content-Type: application/x-gzip; name=r.gz\r\nContent-Transfer-Encoding: base64\r\n\r\n%s",
    };
    static const char *const types[] = {"application/tlsrpt", "application/tlsrpt", "application/json",
                                        "application/octet-stream", "application/gzip", "application/x-gzip"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char tmpl[2048];
        snprintf(tmpl, sizeof tmpl, "%s%s%s", HEAD REPORT_TOP TEXT_PART "--BB\r\n", parts[i], "\r\n--BB--\r\n");
        size_t len;
        char *msg = fill(&len, tmpl, strstr(parts[i], "base64") ? b64 : json);
        outcome o = parse(msg, len, 0);
        expect_report(&o, "Org");
        size_t at = offset_of(msg, "--BB\r\nContent-Type: application") + strlen("--BB\r\nContent-Type:");
        expect_only(&o, "message-report-type-nonstandard", TLSRPT_SEVERITY_WARNING, at);
        ck_assert_msg(strstr(tlsrpt_diag_message(o.d, 0), types[i]) != NULL, "%s", tlsrpt_diag_message(o.d, 0));
        done(&o);
        free(msg);
    }
    /* a generic type without a report file name is not a report part */
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP TEXT_PART
                       "--BB\r\nContent-Type: application/octet-stream; name=\"report.txt\"\r\n\r\n%s\r\n--BB--\r\n",
                       json);
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    expect_only(&o, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    free(msg);
    free(b64);
    free(json);
}
END_TEST

/* The best-ranked part wins, the first among equals; the others are noted. */
START_TEST(shape_several_candidates)
{
    char *a = test_json("First"), *b = test_json("Second"), *c = test_json("Third");
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP
                       "--BB\r\nContent-Type: application/json; name=a.json\r\n\r\n%s\r\n"
                       "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n"
                       "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n",
                       a, b, c);
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_OK);
    ck_assert_str_eq(tlsrpt_report_organization_name(o.r), "Second");
    expect_only(&o, "message-multiple-report-parts", TLSRPT_SEVERITY_INFO,
                offset_of(msg, "--BB\r\nContent-Type: application/tlsrpt+json") + 6);
    ck_assert_ptr_nonnull(strstr(tlsrpt_diag_message(o.d, 0), " 3 parts"));
    done(&o);
    /* strict mode: a note is not a deviation */
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_OK);
    done(&o);
    free(msg);
    free(a);
    free(b);
    free(c);
}
END_TEST

START_TEST(encoding_quoted_printable)
{
    char *json = test_json("Org");
    /* encode every '{' as =7B, break lines with soft breaks every 40 bytes, trailing spaces after soft breaks */
    size_t n = strlen(json);
    char *qp = malloc(n * 4 + 64);
    size_t k = 0, col = 0;
    for (size_t i = 0; i < n; i++) {
        if (json[i] == '{' || json[i] == '=') {
            k += (size_t)sprintf(qp + k, "=%02x", (unsigned char)json[i]); /* lower-case hex is accepted */
        } else {
            qp[k++] = json[i];
        }
        if (++col == 40) {
            memcpy(qp + k, "=  \r\n", 5);
            k += 5;
            col = 0;
        }
    }
    qp[k] = '\0';
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n%s\r\n--BB--\r\n", qp);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    free(msg);

    /* a lone '=' is kept as written: WARNING, or ERROR in strict mode */
    msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n=ZZ%s\r\n--BB--\r\n", json);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX); /* "=ZZ{" is not JSON */
    ck_assert_diag(o.d, "message-qp-invalid", TLSRPT_SEVERITY_WARNING, offset_of(msg, "=ZZ"));
    done(&o);
    free(msg);
    msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                 "Content-Transfer-Encoding: quoted-printable\r\n\r\n%s =\r\n--BB--\r\n", json);
    /* "= " at the end is a soft break after trailing-space removal: valid */
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    done(&o);
    free(msg);
    free(qp);
    free(json);
}
END_TEST

/* "=4" at the end of a JSON text: lenient keeps it (and the JSON then fails), strict fails on the deviation. */
START_TEST(encoding_quoted_printable_strict)
{
    size_t len;
    char *msg = format(&len, HEAD "Content-Type: application/tlsrpt+json\r\n"
                       "Content-Transfer-Encoding: quoted-printable\r\n\r\n{\"policies\":[]} =4");
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX); /* the JSON "{...} =4" fails; the deviation is also an ERROR */
    ck_assert_diag(o.d, "message-qp-invalid", TLSRPT_SEVERITY_ERROR, offset_of(msg, "=4"));
    done(&o);
    free(msg);
}
END_TEST

START_TEST(encoding_base64_errors)
{
    static const struct {
        const char *body; /* the base64 text of the report part */
        size_t at;        /* offset of the finding in the body */
        const char *why;
    } cases[] = {
        {"QUJD\r\nQUI==", 10, "Too much"},
        {"QUJD QQ== QUJD", 10, "after padding"},
        {"QUJD\r\n=QUJD", 6, "where a data character"},
        {"QUJD\r\nQ===", 7, "where a data character"},
        {"QUJD\r\nQUJDRA", 12, "ends inside"},
        {"QUJD\r\nQUJDRU=", 13, "ends inside"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                           "Content-Transfer-Encoding: base64\r\n\r\n%s\r\n--BB--\r\n", cases[i].body);
        outcome o = parse(msg, len, 0);
        ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX);
        size_t at = offset_of(msg, "base64\r\n\r\n") + 10 + cases[i].at;
        ck_assert_msg(tlsrpt_diag_offset(o.d, 0) == at, "case %zu: offset %zu, expected %zu", i,
                      tlsrpt_diag_offset(o.d, 0), at);
        expect_only(&o, "message-base64-invalid", TLSRPT_SEVERITY_ERROR, at);
        ck_assert_msg(strstr(tlsrpt_diag_message(o.d, 0), cases[i].why) != NULL, "case %zu: %s", i,
                      tlsrpt_diag_message(o.d, 0));
        done(&o);
        free(msg);
    }
}
END_TEST

START_TEST(encoding_unknown_and_mismatch)
{
    char *json = test_json("Org");
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                       "Content-Transfer-Encoding: x-uuencode\r\n\r\n%s\r\n--BB--\r\n", json);
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_EUNSUPPORTED);
    expect_only(&o, "message-encoding-unknown", TLSRPT_SEVERITY_ERROR,
                offset_of(msg, "Content-Transfer-Encoding:") + strlen("Content-Transfer-Encoding:"));
    done(&o);
    free(msg);

    /* declared gzip, holds JSON: read by its bytes, with a warning */
    msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n\r\n%s\r\n--BB--\r\n",
                 json);
    o = parse(msg, len, 0);
    expect_report(&o, "Org");
    expect_only(&o, "message-report-type-mismatch", TLSRPT_SEVERITY_WARNING, offset_of(msg, json));
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    expect_only(&o, "message-report-type-mismatch", TLSRPT_SEVERITY_ERROR, offset_of(msg, json));
    done(&o);
    free(msg);
    free(json);
}
END_TEST

/* Findings of the inner report keep their JSON pointers and offsets in the decoded report. */
START_TEST(inner_report_findings)
{
    static const char bad[] = "{\"policies\": 5}";
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n",
                       bad);
    tlsrpt_diag *d1, *d2;
    ck_assert_int_eq(tlsrpt_diag_new(&d1), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_diag_new(&d2), TLSRPT_OK);
    tlsrpt_report *r1, *r2;
    int rc1 = tlsrpt_report_parse_message(&r1, msg, len, 0, d1);
    int rc2 = tlsrpt_report_parse(&r2, TEXT(bad), 0, d2);
    ck_assert_int_eq(rc1, rc2);
    ck_assert_int_ne(rc1, TLSRPT_OK);
    ck_assert_ptr_null(r1);
    /* the same findings, in the same order, then nothing about the metadata (there is no report to compare) */
    ck_assert_uint_eq(tlsrpt_diag_count(d1), tlsrpt_diag_count(d2));
    for (size_t i = 0; i < tlsrpt_diag_count(d2); i++) {
        ck_assert_str_eq(tlsrpt_diag_id(d1, i), tlsrpt_diag_id(d2, i));
        ck_assert_str_eq(tlsrpt_diag_path(d1, i), tlsrpt_diag_path(d2, i));
        ck_assert_uint_eq(tlsrpt_diag_offset(d1, i), tlsrpt_diag_offset(d2, i));
        ck_assert_int_eq(tlsrpt_diag_severity(d1, i), tlsrpt_diag_severity(d2, i));
    }
    tlsrpt_diag_free(d1);
    tlsrpt_diag_free(d2);
    free(msg);
}
END_TEST

/* ---- MIME structure errors ------------------------------------------------------------------------------------- */

START_TEST(mime_invalid_structures)
{
    char *json = test_json("Org");
    static const struct {
        const char *top, *body;
        const char *marker; /* offset: this text's position + adjust; NULL: end of message */
        size_t adjust;
        const char *why;
    } cases[] = {
        {"Content-Type: multipart/report; report-type=tlsrpt\r\n\r\n", "--BB\r\n\r\n%s\r\n--BB--\r\n",
         "Content-Type:", 13, "no boundary"},
        {"Content-Type: multipart/report; boundary=\"123456789012345678901234567890123456789012345678901234567890"
         "12345678901\"\r\n\r\n", "%s", "Content-Type:", 13, "1 to 70"},
        {"Content-Type: multipart/report; boundary=\"\"\r\n\r\n", "%s", "Content-Type:", 13, "1 to 70"},
        {"Content-Type: multipart/report; boundary=\"a\\\"b\"\r\n\r\n", "%s", "Content-Type:", 13, "character"},
        {"Content-Type: multipart/report; boundary=\"ends with space \"\r\n\r\n", "%s", "Content-Type:", 13,
         "character"},
        {REPORT_TOP, "no delimiter here\r\n%s\r\n", "no delimiter", 0, "no delimiter line"},
        {REPORT_TOP, "--BBX\r\n%s\r\n--BB --\r\n", "--BBX", 0, "no delimiter line"},
        {REPORT_TOP, "%s\r\n--BB--\r\n", "--BB--", 0, "no body part"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, "%s%s%s", HEAD, cases[i].top, cases[i].body);
        size_t len;
        char *msg = fill(&len, tmpl, json);
        outcome o = parse(msg, len, 0);
        ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX);
        size_t at = cases[i].marker ? offset_of(msg, cases[i].marker) + cases[i].adjust : len;
        if (i == 5)
            at = offset_of(msg, "\r\n\r\n") + 4; /* the body's start */
        if (i == 6)
            at = offset_of(msg, "--BBX"); /* the body starts with it */
        expect_only(&o, "message-mime-invalid", TLSRPT_SEVERITY_ERROR, at);
        ck_assert_msg(strstr(tlsrpt_diag_message(o.d, 0), cases[i].why) != NULL, "case %zu: %s", i,
                      tlsrpt_diag_message(o.d, 0));
        done(&o);
        free(msg);
    }
    free(json);
}
END_TEST

START_TEST(header_errors)
{
    char *json = test_json("Org");
    size_t len;
    char *msg = format(&len, HEAD "This line is not a field\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s",
                       json);
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX);
    expect_only(&o, "message-header-invalid", TLSRPT_SEVERITY_ERROR, offset_of(msg, "This line") + 4);
    done(&o);
    free(msg);
    msg = format(&len, " folded first\r\n" HEAD "\r\n%s", json);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX);
    expect_only(&o, "message-header-invalid", TLSRPT_SEVERITY_ERROR, 0);
    done(&o);
    free(msg);
    /* inside the report part: its header section ends before the line, so it has no Content-Type (text/plain) */
    msg = format(&len, HEAD REPORT_TOP "--BB\r\n: no name\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n"
                 "--BB--\r\n", json);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-part-header-malformed", TLSRPT_SEVERITY_WARNING, offset_of(msg, ": no name"));
    ck_assert_diag(o.d, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-part-header-malformed", TLSRPT_SEVERITY_ERROR, offset_of(msg, ": no name"));
    ck_assert_diag(o.d, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    free(msg);
    /* empty input: no header, no body, no report part */
    o = parse("", 0, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    expect_only(&o, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    free(json);
}
END_TEST

START_TEST(arguments)
{
    tlsrpt_report *r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_parse_message(NULL, "x", 1, 0, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_report_parse_message(&r, NULL, 1, 0, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    r = (tlsrpt_report *)1;
    ck_assert_int_eq(tlsrpt_report_parse_message(&r, "x", 1, 0x2, NULL), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_report_parse_message(&r, NULL, 0, 0, NULL), TLSRPT_ESEMANTIC);
    ck_assert_ptr_null(r);
}
END_TEST

/* ---- RFC 8460 §5.3 metadata ------------------------------------------------------------------------------------ */

START_TEST(metadata_findings)
{
    char *json = test_json("Org");
    static const struct {
        const char *head;
        const char *id;
        const char *marker; /* offset of this text (+ adjust); NULL: no offset */
        size_t adjust;
    } cases[] = {
        {"Subject: Report Domain: receiver.example Submitter: sender.example Report-ID: r1@sender.example\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-subject-invalid", "r1@sender", 0},
        {"Subject: report Domain: receiver.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-subject-invalid", "report Domain", 0},
        {"Subject: Report Domain: localhost Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-subject-invalid", "localhost", 9},
        {"TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-subject-invalid", NULL, 0},
        {"Subject: Report Domain: receiver.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Submitter: sender.example\r\n",
         "message-header-missing", NULL, 0},
        {"Subject: Report Domain: receiver.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\n",
         "message-header-missing", NULL, 0},
        {"Subject: Report Domain: receiver.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example two\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-header-invalid-value", "TLS-Report-Domain:", 18},
        {"Subject: Report Domain: other.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-header-mismatch", "other.example", 0},
        {"Subject: Report Domain: receiver.example Submitter: other.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-header-mismatch", "other.example", 0},
        {"Subject: Report Domain: other.example Submitter: sender.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: other.example\r\nTLS-Report-Submitter: sender.example\r\n",
         "message-header-mismatch", "TLS-Report-Domain: ", 19},
        {"Subject: Report Domain: receiver.example Submitter: other.example Report-ID: <r1@sender.example>\r\n"
         "TLS-Report-Domain: receiver.example\r\nTLS-Report-Submitter: other.example\r\n",
         "message-header-mismatch", "TLS-Report-Submitter: ", 22},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, "From: a@sender.example\r\n%s%s", cases[i].head,
                 REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n");
        size_t len;
        char *msg = fill(&len, tmpl, json);
        size_t at = cases[i].marker ? offset_of(msg, cases[i].marker) + cases[i].adjust : TLSRPT_NO_OFFSET;
        outcome o = parse(msg, len, 0);
        expect_report(&o, "Org");
        ck_assert_msg(tlsrpt_diag_count(o.d) == 1, "case %zu: %zu findings", i, tlsrpt_diag_count(o.d));
        ck_assert_diag(o.d, cases[i].id, TLSRPT_SEVERITY_WARNING, at);
        done(&o);
        o = parse(msg, len, TLSRPT_PARSE_STRICT);
        ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
        ck_assert_uint_eq(tlsrpt_diag_count(o.d), 1);
        ck_assert_diag(o.d, cases[i].id, TLSRPT_SEVERITY_ERROR, at);
        done(&o);
        free(msg);
    }
    free(json);
}
END_TEST

/* ---- Lenient MIME (issue #10): what mature mail readers recover ---------------------------------------------- */

/* Lenient: the test report with exactly one finding, a WARNING (id, at); strict: ESEMANTIC (a deviation) with
 * exactly that finding as an ERROR. */
static void expect_mime_deviation(const char *msg, size_t len, const char *id, size_t at)
{
    outcome o = parse(msg, len, 0);
    expect_report(&o, "Org");
    expect_only(&o, id, TLSRPT_SEVERITY_WARNING, at);
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    expect_only(&o, id, TLSRPT_SEVERITY_ERROR, at);
    done(&o);
}

/* Both modes: the test report, no finding at all. */
static void expect_clean(const char *msg, size_t len)
{
    for (unsigned flags = 0; flags <= TLSRPT_PARSE_STRICT; flags += TLSRPT_PARSE_STRICT) {
        outcome o = parse(msg, len, flags);
        expect_report(&o, "Org");
        ck_assert_msg(tlsrpt_diag_count(o.d) == 0, "%zu findings, first %s at %zu", tlsrpt_diag_count(o.d),
                      tlsrpt_diag_count(o.d) ? tlsrpt_diag_id(o.d, 0) : "-",
                      tlsrpt_diag_count(o.d) ? tlsrpt_diag_offset(o.d, 0) : 0);
        done(&o);
    }
}

/* A multipart body that ends without "--BB--" (the report part complete), or whose last line opens a part that
 * never closes, is read up to the end of the input. Offset: the entity's end. */
START_TEST(lenient_multipart_unterminated)
{
    char *json = test_json("Org");
    char *b64 = test_gzip_b64("Org");
    static const struct {
        const char *body;
        int b64;
    } cases[] = {
        {TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n", 0},
        {TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s", 0},
        {TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n",
         1},
        /* the last line opens a part that never closes */
        {TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB\r\n", 0},
        {TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB", 0},
        {"--BB\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n%s\r\n"
         "--BB\r\nContent-Type: text/plain\r\n", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, "%s%s", HEAD REPORT_TOP, cases[i].body);
        size_t len;
        char *msg = fill(&len, tmpl, cases[i].b64 ? b64 : json);
        expect_mime_deviation(msg, len, "message-multipart-unterminated", len);
        free(msg);
    }
    /* LF line ends */
    size_t len, lf_len;
    char *msg = format(&len, HEAD REPORT_TOP TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n",
                       json);
    char *lf = to_lf(msg, len, &lf_len);
    expect_mime_deviation(lf, lf_len, "message-multipart-unterminated", lf_len);
    free(lf);
    free(msg);
    /* an inner multipart without its closing delimiter ends where its enclosing part ends */
    msg = format(&len, HEAD "Content-Type: multipart/report; report-type=tlsrpt; boundary=outer\r\n\r\n"
                 "--outer\r\nContent-Type: multipart/mixed; boundary=inner\r\n\r\n"
                 "--inner\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--outer--\r\n", json);
    expect_mime_deviation(msg, len, "message-multipart-unterminated", offset_of(msg, "\r\n--outer--"));
    free(msg);
    /* binary gzip: the line break at the end of the input belongs to the missing delimiter, as it would to a
     * delimiter line (RFC 2046 §5.1.1), so the gzip data is read without it */
    tlsrpt_report *r = test_report("Org");
    void *gz;
    size_t gz_len;
    ck_assert_int_eq(tlsrpt_report_serialize_gzip(r, &gz, &gz_len), TLSRPT_OK);
    tlsrpt_report_free(r);
    static const char *const ends[] = {"\r\n", "\n", ""};
    for (size_t i = 0; i < 3; i++) {
        trpt_buf b;
        trpt_buf_init(&b);
        trpt_buf_puts(&b, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                      "Content-Transfer-Encoding: binary\r\n\r\n");
        trpt_buf_append(&b, gz, gz_len);
        trpt_buf_puts(&b, ends[i]);
        ck_assert_int_eq(trpt_buf_finish(&b, &msg, &len), TLSRPT_OK);
        expect_mime_deviation(msg, len, "message-multipart-unterminated", len);
        free(msg);
    }
    tlsrpt_free(gz);
    free(b64);
    free(json);
}
END_TEST

/* The report part's base64 text with byte `junk` inserted at `at` and again 40 bytes later (one finding, the first). */
static char *base64_with_junk(const char *b64, char junk, size_t at, size_t *len, size_t *junk_at)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                  "Content-Transfer-Encoding: base64\r\n\r\n");
    size_t n = strlen(b64);
    ck_assert_uint_gt(n, at + 40);
    *junk_at = b.len + at;
    trpt_buf_append(&b, b64, at);
    trpt_buf_putc(&b, junk);
    trpt_buf_append(&b, b64 + at, 40);
    trpt_buf_putc(&b, junk);
    trpt_buf_puts(&b, b64 + at + 40);
    trpt_buf_puts(&b, "\r\n--BB--\r\n");
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    return msg;
}

/* RFC 2045 §6.8: "Any characters outside of the base64 alphabet are to be ignored in base64-encoded data." */
START_TEST(lenient_base64_junk)
{
    char *b64 = test_gzip_b64("Org");
    static const char junk[] = {'!', '*', (char)0xe9, (char)0xff, '\f', '\v', '-', '.', '\x01'};
    for (size_t i = 0; i < sizeof junk; i++) {
        size_t len, at;
        char *msg = base64_with_junk(b64, junk[i], 10 + i, &len, &at);
        expect_mime_deviation(msg, len, "message-base64-junk", at);
        free(msg);
    }
    /* junk at the very end of the text, after the last group */
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                       "Content-Transfer-Encoding: base64\r\n\r\n%s\f\r\n--BB--\r\n", b64);
    expect_mime_deviation(msg, len, "message-base64-junk", offset_of(msg, "\f"));
    free(msg);
    /* skipped junk does not make a short group whole: WARNING for the junk, then the ERROR of the short group */
    msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                 "Content-Transfer-Encoding: base64\r\n\r\nQUJD\r\nAB*D\r\n--BB--\r\n");
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESYNTAX);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-base64-junk", TLSRPT_SEVERITY_WARNING, offset_of(msg, "*D"));
    ck_assert_diag(o.d, "message-base64-invalid", TLSRPT_SEVERITY_ERROR, offset_of(msg, "\r\n--BB--"));
    ck_assert_int_eq(diag_find(o.d, "message-base64-junk"), 0);
    done(&o);
    free(msg);
    free(b64);
}
END_TEST

/* RFC 2231 §3: sections are joined in the order of their numbers, not the order written; in both modes, no finding. */
START_TEST(rfc2231_sections_by_number)
{
    char *json = test_json("Org");
    char *b64 = test_gzip_b64("Org");
    size_t len;
    char *msg = format(&len, HEAD "Content-Type: multipart/report; report-type=tlsrpt;\r\n boundary*2=\"-b2\";"
                       " boundary*0=b0;\r\n boundary*1=\"-b1\"\r\n\r\n"
                       "--b0-b1-b2\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--b0-b1-b2--\r\n", json);
    expect_clean(msg, len);
    free(msg);
    /* extended sections out of order: the charset belongs to section 0 wherever it is written */
    static const char *const dispositions[] = {
        "filename*1*=%%2Egz; filename*0*=UTF-8'en'a%%21b%%211%%212.json",
        "filename*2=\".gz\"; filename*1*=%%2Ejson; filename*0*=UTF-8''a!b!1!2",
        /* a plain filename and the RFC 2231 form: the RFC 2231 form is read, whichever comes first */
        "filename*1=\".json.gz\"; filename=\"report.txt\"; filename*0=\"a!b!1!2\"",
        "filename*=UTF-8''a!b!1!2.json.gz; filename=\"report.txt\"",
    };
    for (size_t i = 0; i < sizeof dispositions / sizeof dispositions[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, "%s%s%s",
                 HEAD REPORT_TOP TEXT_PART "--BB\r\nContent-Type: application/gzip\r\n"
                 "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; ",
                 dispositions[i], "\r\n\r\n%s\r\n--BB--\r\n");
        msg = fill(&len, tmpl, b64);
        size_t at = offset_of(msg, "application/gzip") - 1;
        outcome o = parse(msg, len, 0);
        expect_report(&o, "Org");
        expect_only(&o, "message-report-type-nonstandard", TLSRPT_SEVERITY_WARNING, at);
        done(&o);
        o = parse(msg, len, TLSRPT_PARSE_STRICT);
        ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
        expect_only(&o, "message-report-type-nonstandard", TLSRPT_SEVERITY_ERROR, at);
        done(&o);
        free(msg);
    }
    free(b64);
    free(json);
}
END_TEST

/* Sections that RFC 2231 §3 does not allow ("neither leading zeroes nor gaps in the sequence"), and a parameter or
 * section given twice: read as documented, a deviation. */
START_TEST(rfc2231_sections_invalid)
{
    char *json = test_json("Org");
    static const struct {
        const char *params; /* the Content-Type parameters after report-type; boundary "b0-b1" */
        const char *id, *marker;
    } cases[] = {
        /* a gap: the sections present, in number order */
        {"boundary*0=b0; boundary*2=\"-b1\"", "message-param-sections-invalid", "boundary*2"},
        {"boundary*1=b0; boundary*2=\"-b1\"", "message-param-sections-invalid", "boundary*1"},
        /* a leading zero: read as its number */
        {"boundary*01=\"-b1\"; boundary*0=b0", "message-param-sections-invalid", "boundary*01"},
        /* a repeated section or parameter: the first one */
        {"boundary*0=b0; boundary*1=\"-b1\"; boundary*1=\"-zz\"", "message-param-repeated", "boundary*1=\"-zz"},
        {"boundary*0=b0; boundary*=zz; boundary*1=\"-b1\"", "message-param-repeated", "boundary*=zz"},
        {"boundary=b0-b1; boundary=zz", "message-param-repeated", "boundary=zz"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, HEAD "Content-Type: multipart/report; report-type=tlsrpt; %s\r\n\r\n"
                 "--b0-b1\r\nContent-Type: application/tlsrpt+json\r\n\r\n%%s\r\n--b0-b1--\r\n", cases[i].params);
        size_t len;
        char *msg = fill(&len, tmpl, json);
        expect_mime_deviation(msg, len, cases[i].id, offset_of(msg, cases[i].marker));
        free(msg);
    }
    free(json);
}
END_TEST

/* A part that is not the report, with a malformed header section: its header section ends at the line that is not a
 * field (where a reader such as Python's email package starts the body), so the walk goes on. */
START_TEST(lenient_part_header_malformed)
{
    char *json = test_json("Org");
    static const struct {
        const char *part, *marker;
        size_t adjust;
    } cases[] = {
        {"--BB\r\nContent-Type: text/plain\r\nThis is a report.\r\n", "This is a report.", 4}, /* no blank line */
        {"--BB\r\nContent-Type: text/plain\r\nnot a field\r\nX-A: b\r\n\r\ntext\r\n", "not a field", 3},
        {"--BB\r\nContent-Type : text/plain\r\n\r\ntext\r\n", "Content-Type :", 12},
        {"--BB\r\n indented first line\r\n\r\ntext\r\n", " indented", 0},
        {"--BB\r\nContent-Type: text/plain\r\n: no name\r\n\r\ntext\r\n", ": no name", 0},
        /* the header section of an attached message */
        {"--BB\r\nContent-Type: message/rfc822\r\n\r\nFrom: a@sender.example\r\nbroken line\r\n\r\ntext\r\n",
         "broken line", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, "%s%s%s", HEAD REPORT_TOP, cases[i].part,
                 "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n");
        size_t len;
        char *msg = fill(&len, tmpl, json);
        expect_mime_deviation(msg, len, "message-part-header-malformed", offset_of(msg, cases[i].marker) +
                              cases[i].adjust);
        free(msg);
    }
    /* the report part itself without the blank line: its base64 body starts with a line that is not a field, and the
     * fields before it (the type and the encoding) are used, so the report is read */
    char *b64 = test_gzip_b64("Org");
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+gzip\r\n"
                       "Content-Transfer-Encoding: base64\r\n%s\r\n--BB--\r\n", b64);
    /* a line of field-name characters only, without ':': the offset is its start */
    expect_mime_deviation(msg, len, "message-part-header-malformed", offset_of(msg, "base64\r\n") + 8);
    free(msg);
    free(b64);
    free(json);
}
END_TEST

/* A junk or empty parameter is skipped up to the next ';' (outside quoted strings), not the end of the list. One
 * finding per header field, at the first. */
START_TEST(lenient_param_junk)
{
    char *json = test_json("Org");
    char *b64 = test_gzip_b64("Org");
    static const struct {
        const char *type, *marker;
    } cases[] = {
        {"multipart/report; ;; foo; report-type=\"tlsrpt\"; boundary=\"BB\"", ";; foo"},
        {"multipart/report; report-type=tlsrpt; foo; boundary=BB", "foo;"},
        {"multipart/report; report-type=tlsrpt; foo=; boundary=BB", "foo="},
        {"multipart/report; report-type=tlsrpt;; boundary=BB", "; boundary"},
        {"multipart/report; report-type=\"tlsrpt\" junk; boundary=BB", "junk"},
        {"multipart/report junk; report-type=tlsrpt; boundary=BB", "junk"},
        {"multipart/report; report-type=tlsrpt; x=\"a;b\" c\"d;e\"; boundary=BB", "c\"d"},
        {"multipart/report; report-type=tlsrpt; =x; boundary=BB", "=x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, HEAD "Content-Type: %s\r\n\r\n" TEXT_PART
                 "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%%s\r\n--BB--\r\n", cases[i].type);
        size_t len;
        char *msg = fill(&len, tmpl, json);
        expect_mime_deviation(msg, len, "message-param-junk", offset_of(msg, cases[i].marker));
        free(msg);
    }
    /* in Content-Disposition, before the filename that makes a generic part the report */
    size_t len;
    char *msg = format(&len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/gzip\r\n"
                       "Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; ; bad;"
                       " filename=\"a!b!1!2.json.gz\"\r\n\r\n%s\r\n--BB--\r\n", b64);
    outcome o = parse(msg, len, 0);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-param-junk", TLSRPT_SEVERITY_WARNING, offset_of(msg, "; bad"));
    ck_assert_diag(o.d, "message-report-type-nonstandard", TLSRPT_SEVERITY_WARNING,
                   offset_of(msg, "application/gzip") - 1);
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-param-junk", TLSRPT_SEVERITY_ERROR, offset_of(msg, "; bad"));
    ck_assert_diag(o.d, "message-report-type-nonstandard", TLSRPT_SEVERITY_ERROR,
                   offset_of(msg, "application/gzip") - 1);
    done(&o);
    free(msg);
    free(b64);
    free(json);
}
END_TEST

/* An unquoted value with characters that RFC 2045 §5.1 allows only in a quoted string runs to the next ';' (trailing
 * white space and folding line breaks dropped), as mail readers read it; one finding per field, at the first such
 * character. */
START_TEST(lenient_param_unquoted)
{
    char *json = test_json("Org");
    static const struct {
        const char *params, *boundary, *marker;
        size_t adjust;
    } cases[] = {
        {"boundary=----=_Part_1_2.3; report-type=tlsrpt", "----=_Part_1_2.3", "=_Part_1_2.3;", 0},
        {"report-type=tlsrpt; boundary=a b  ", "a b", "b  ", 0},
        {"report-type=tlsrpt; boundary=x/y?z:1", "x/y?z:1", "/y?z", 0},
        {"report-type=tlsrpt; boundary==_lead", "=_lead", "==_lead", 1},
        {"report-type=tlsrpt; boundary=fold\r\n ed", "fold ed", "ed\r\n\r\n", 0},
        {"report-type=tlsrpt; boundary*0=b0; boundary*1=-b1/x", "b0-b1/x", "/x", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char tmpl[1024];
        snprintf(tmpl, sizeof tmpl, HEAD "Content-Type: multipart/report; %s\r\n\r\n"
                 "--%s\r\nContent-Type: application/tlsrpt+json\r\n\r\n%%s\r\n--%s--\r\n", cases[i].params,
                 cases[i].boundary, cases[i].boundary);
        size_t len;
        char *msg = fill(&len, tmpl, json);
        expect_mime_deviation(msg, len, "message-param-unquoted", offset_of(msg, cases[i].marker) + cases[i].adjust);
        free(msg);
    }
    free(json);
}
END_TEST

/* TRPT_MIME_PARAM_SECTIONS sections (numbers 0 .. limit - 1) are read; a section numbered at the limit or above is
 * skipped as junk. The sections are written in reverse order. */
static char *sections_message(size_t sections, size_t *len)
{
    char *b64 = test_gzip_b64("Org");
    char name[TRPT_MIME_PARAM_SECTIONS + 1];
    memset(name, 'x', TRPT_MIME_PARAM_SECTIONS - 8);
    memcpy(name + TRPT_MIME_PARAM_SECTIONS - 8, ".json.gz", 9);
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD REPORT_TOP "--BB\r\nContent-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n"
                  "Content-Disposition: attachment");
    for (size_t i = sections; i-- > 0;)
        trpt_buf_printf(&b, ";\r\n filename*%zu=\"%.1s\"", i, i < TRPT_MIME_PARAM_SECTIONS ? name + i : "");
    trpt_buf_printf(&b, "\r\n\r\n%s\r\n--BB--\r\n", b64);
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    free(b64);
    return msg;
}

START_TEST(limit_param_sections)
{
    size_t len;
    char *msg = sections_message(TRPT_MIME_PARAM_SECTIONS, &len);
    outcome o = parse(msg, len, 0);
    expect_report(&o, "Org");
    expect_only(&o, "message-report-type-nonstandard", TLSRPT_SEVERITY_WARNING, offset_of(msg, "application/gzip") - 1);
    done(&o);
    free(msg);
    msg = sections_message(TRPT_MIME_PARAM_SECTIONS + 1, &len);
    char marker[32];
    snprintf(marker, sizeof marker, "filename*%u=", (unsigned)TRPT_MIME_PARAM_SECTIONS);
    o = parse(msg, len, 0);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-param-junk", TLSRPT_SEVERITY_WARNING, offset_of(msg, marker));
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-param-junk", TLSRPT_SEVERITY_ERROR, offset_of(msg, marker));
    done(&o);
    free(msg);
}
END_TEST

/* ---- Limits ---------------------------------------------------------------------------------------------------- */

/* A conforming message padded with preamble to exactly `total` bytes. */
static char *padded_message(size_t total, size_t *len)
{
    char *json = test_json("Org");
    size_t head_len;
    char *head = format(&head_len, HEAD REPORT_TOP);
    size_t tail_len;
    char *tail = format(&tail_len, "\r\n--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
    ck_assert_uint_gt(total, head_len + tail_len);
    char *msg = malloc(total);
    ck_assert_ptr_nonnull(msg);
    memcpy(msg, head, head_len);
    memset(msg + head_len, 'x', total - head_len - tail_len);
    memcpy(msg + total - tail_len, tail, tail_len);
    *len = total;
    free(json);
    free(head);
    free(tail);
    return msg;
}

START_TEST(limit_message_size)
{
    size_t len;
    char *msg = padded_message(TLSRPT_MAX_MESSAGE_SIZE, &len);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    free(msg);
    msg = padded_message(TLSRPT_MAX_MESSAGE_SIZE + 1, &len);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
    expect_only(&o, "message-too-large", TLSRPT_SEVERITY_ERROR, TLSRPT_MAX_MESSAGE_SIZE);
    done(&o);
    free(msg);
}
END_TEST

/* A report part of exactly n decoded bytes: '{"policies":[]' + spaces + '}', 7bit or base64. */
static char *sized_report_message(size_t n, int b64, size_t *len)
{
    char *json = malloc(n + 1);
    ck_assert_ptr_nonnull(json);
    memcpy(json, "{\"policies\":[]", 14);
    memset(json + 14, ' ', n - 15);
    json[n - 1] = '}';
    json[n] = '\0';
    char *body = b64 ? base64((unsigned char *)json, n, 76) : json;
    char *msg = format(len, HEAD REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                       "Content-Transfer-Encoding: %s\r\n\r\n%s\r\n--BB--\r\n", b64 ? "base64" : "7bit", body);
    if (b64)
        free(body);
    free(json);
    return msg;
}

START_TEST(limit_decoded_report_size)
{
    for (int b64 = 0; b64 <= 1; b64++) {
        size_t len;
        char *msg = sized_report_message(TLSRPT_MAX_REPORT_SIZE, b64, &len);
        outcome o = parse(msg, len, 0);
        ck_assert_int_eq(o.rc, TLSRPT_OK); /* an empty report: warnings about the missing members only */
        ck_assert_int_lt(diag_find(o.d, "message-report-too-large"), 0);
        ck_assert_int_lt(diag_find(o.d, "report-too-large"), 0);
        done(&o);
        free(msg);
        msg = sized_report_message(TLSRPT_MAX_REPORT_SIZE + 1, b64, &len);
        o = parse(msg, len, 0);
        ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
        size_t body = b64 ? offset_of(msg, "base64\r\n\r\n") + 10 : offset_of(msg, "7bit\r\n\r\n") + 8;
        expect_only(&o, "message-report-too-large", TLSRPT_SEVERITY_ERROR, body);
        done(&o);
        free(msg);
    }
}
END_TEST

/* n nested multiparts (boundaries b1..bn) around a report part. */
static char *nested_message(size_t n, size_t *len, size_t *last_type_at)
{
    char *json = test_json("Org");
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD);
    for (size_t i = 1; i <= n; i++) {
        if (i > 1)
            trpt_buf_printf(&b, "--b%zu\r\n", i - 1);
        *last_type_at = b.len + strlen("Content-Type:");
        trpt_buf_printf(&b, "Content-Type: multipart/%s; report-type=tlsrpt; boundary=b%zu\r\n\r\n",
                        i == 1 ? "report" : "mixed", i);
    }
    trpt_buf_printf(&b, "--b%zu\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n", n, json);
    for (size_t i = n; i >= 1; i--)
        trpt_buf_printf(&b, "--b%zu--\r\n", i);
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    free(json);
    return msg;
}

START_TEST(limit_depth)
{
    size_t len, at;
    char *msg = nested_message(TLSRPT_MAX_MIME_DEPTH, &len, &at);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 0);
    done(&o);
    free(msg);
    msg = nested_message(TLSRPT_MAX_MIME_DEPTH + 1, &len, &at);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
    expect_only(&o, "message-depth-limit", TLSRPT_SEVERITY_ERROR, at);
    done(&o);
    free(msg);
}
END_TEST

/* n body parts in all: n - 1 text parts, then the report. */
static char *parts_message(size_t n, size_t *len, size_t *last_at)
{
    char *json = test_json("Org");
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD REPORT_TOP);
    for (size_t i = 1; i < n; i++)
        trpt_buf_puts(&b, TEXT_PART);
    *last_at = b.len;
    trpt_buf_printf(&b, "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    free(json);
    return msg;
}

START_TEST(limit_parts)
{
    size_t len, at;
    char *msg = parts_message(TLSRPT_MAX_MIME_PARTS, &len, &at);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    done(&o);
    free(msg);
    msg = parts_message(TLSRPT_MAX_MIME_PARTS + 1, &len, &at);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
    expect_only(&o, "message-too-many-parts", TLSRPT_SEVERITY_ERROR, at);
    done(&o);
    free(msg);
}
END_TEST

/* HEAD has 6 fields, REPORT_TOP 1; n - 7 X- fields are added. *nth_at: offset of the last field added. */
static char *fields_message(size_t n, size_t long_len, size_t *len, size_t *at)
{
    char *json = test_json("Org");
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD);
    for (size_t i = 7; i < n; i++) {
        *at = b.len;
        trpt_buf_printf(&b, "X-Field-%zu: v\r\n", i);
    }
    if (long_len) {
        /* one field of exactly long_len bytes, folded every 70 bytes */
        *at = b.len;
        size_t start = b.len;
        trpt_buf_puts(&b, "X-Long: ");
        while (b.len - start < long_len) {
            size_t used = b.len - start;
            if (used % 72 == 70 && long_len - used >= 3)
                trpt_buf_puts(&b, "\r\n ");
            else
                trpt_buf_putc(&b, 'y');
        }
        ck_assert_uint_eq(b.len - start, long_len);
        trpt_buf_puts(&b, "\r\n");
    }
    trpt_buf_printf(&b, REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    free(json);
    return msg;
}

START_TEST(limit_header_fields)
{
    size_t len, at;
    char *msg = fields_message(TLSRPT_MAX_HEADER_FIELDS, 0, &len, &at);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    done(&o);
    free(msg);
    msg = fields_message(TLSRPT_MAX_HEADER_FIELDS + 1, 0, &len, &at);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
    /* field number 1001 is REPORT_TOP's Content-Type, right after the last X- field */
    expect_only(&o, "message-too-many-headers", TLSRPT_SEVERITY_ERROR, offset_of(msg, REPORT_TOP));
    done(&o);
    free(msg);
}
END_TEST

START_TEST(limit_header_length)
{
    size_t len, at;
    char *msg = fields_message(0, TLSRPT_MAX_HEADER_LENGTH, &len, &at);
    outcome o = parse(msg, len, TLSRPT_PARSE_STRICT);
    expect_report(&o, "Org");
    done(&o);
    free(msg);
    msg = fields_message(0, TLSRPT_MAX_HEADER_LENGTH + 1, &len, &at);
    o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ELIMIT);
    expect_only(&o, "message-header-too-long", TLSRPT_SEVERITY_ERROR, at);
    done(&o);
    free(msg);
}
END_TEST

/* Pathological boundaries: many lines that almost match a 70-byte boundary stay linear (the test's timeout). */
START_TEST(pathological_boundaries)
{
    char boundary[71];
    memset(boundary, 'a', 70);
    boundary[70] = '\0';
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_printf(&b, HEAD "Content-Type: multipart/report; report-type=tlsrpt; boundary=\"%s\"\r\n\r\n", boundary);
    trpt_buf_printf(&b, "--%s\r\n\r\n", boundary);
    for (size_t i = 0; i < 200000; i++)
        trpt_buf_printf(&b, "--%.69sb\r\n", boundary);
    char *msg;
    size_t len;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, &len), TLSRPT_OK);
    outcome o = parse(msg, len, 0);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC); /* the open part is read to the end: text/plain, no report */
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-multipart-unterminated", TLSRPT_SEVERITY_WARNING, len);
    ck_assert_diag(o.d, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    o = parse(msg, len, TLSRPT_PARSE_STRICT);
    ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
    ck_assert_uint_eq(tlsrpt_diag_count(o.d), 2);
    ck_assert_diag(o.d, "message-multipart-unterminated", TLSRPT_SEVERITY_ERROR, len);
    ck_assert_diag(o.d, "message-no-report-part", TLSRPT_SEVERITY_ERROR, TLSRPT_NO_OFFSET);
    done(&o);
    free(msg);
}
END_TEST

/* ---- Cost: the walk stays linear whatever the shape (work counted, never timed) -------------------------------- */

/* Message shapes that would make a careless MIME reader rescan: `n` scales each one. */
enum { SHAPE_PARTS, SHAPE_NEAR_MISS, SHAPE_DEEP, SHAPE_DEEP_UNTERMINATED, SHAPE_BAD_PART_HEADERS, SHAPE_PARAMS,
       SHAPE_FIELDS, SHAPE_RFC822_CHAIN, SHAPE_BASE64_JUNK, SHAPE_COUNT };

static char *shape_message(int shape, size_t n, size_t *len)
{
    char *json = test_json("Org");
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, HEAD);
    switch (shape) {
    case SHAPE_PARTS: /* n parts (n <= 99), each with 50 lines that start like a delimiter */
        trpt_buf_puts(&b, REPORT_TOP);
        for (size_t i = 0; i < n; i++) {
            trpt_buf_puts(&b, "--BB\r\nContent-Type: text/plain\r\n\r\n");
            for (size_t k = 0; k < 50; k++)
                trpt_buf_puts(&b, "--BBx not a delimiter\r\n");
        }
        trpt_buf_printf(&b, "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
        break;
    case SHAPE_NEAR_MISS: /* n lines that match a 70-byte boundary but for the last byte */
        trpt_buf_printf(&b, "Content-Type: multipart/report; report-type=tlsrpt; boundary=\"%070d\"\r\n\r\n", 0);
        trpt_buf_printf(&b, "--%070d\r\nContent-Type: text/plain\r\n\r\n", 0);
        for (size_t i = 0; i < n; i++)
            trpt_buf_printf(&b, "--%069d1\r\n", 0);
        trpt_buf_printf(&b, "--%070d\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--%070d--\r\n", 0, json, 0);
        break;
    case SHAPE_DEEP:
    case SHAPE_DEEP_UNTERMINATED: /* TLSRPT_MAX_MIME_DEPTH multiparts, n filler lines in the innermost */
        for (size_t i = 1; i <= TLSRPT_MAX_MIME_DEPTH; i++) {
            if (i > 1)
                trpt_buf_printf(&b, "--b%zu\r\n", i - 1);
            trpt_buf_printf(&b, "Content-Type: multipart/%s; report-type=tlsrpt; boundary=b%zu\r\n\r\n",
                            i == 1 ? "report" : "mixed", i);
        }
        trpt_buf_printf(&b, "--b%u\r\nContent-Type: text/plain\r\n\r\n", (unsigned)TLSRPT_MAX_MIME_DEPTH);
        for (size_t i = 0; i < n; i++)
            trpt_buf_puts(&b, "--b filler line\r\n");
        trpt_buf_printf(&b, "--b%u\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n",
                        (unsigned)TLSRPT_MAX_MIME_DEPTH, json);
        if (shape == SHAPE_DEEP)
            for (size_t i = TLSRPT_MAX_MIME_DEPTH; i >= 1; i--)
                trpt_buf_printf(&b, "--b%zu--\r\n", i);
        break;
    case SHAPE_BAD_PART_HEADERS: /* n parts (n <= 99) without a blank line after their header */
        trpt_buf_puts(&b, REPORT_TOP);
        for (size_t i = 0; i < n; i++) {
            trpt_buf_puts(&b, "--BB\r\nContent-Type: text/plain\r\n");
            for (size_t k = 0; k < 50; k++)
                trpt_buf_puts(&b, "this line is not a field\r\n");
        }
        trpt_buf_printf(&b, "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
        break;
    case SHAPE_PARAMS: /* a Content-Type with n junk, repeated and RFC 2231 parameters, folded */
        trpt_buf_puts(&b, "Content-Type: multipart/report; report-type=tlsrpt");
        for (size_t i = 0; i < n; i++)
            trpt_buf_printf(&b, ";; x; boundary*%zu=\"%s\"; boundary*70=y;\r\n boundary=\"q;q\" junk", i % 64,
                            i % 64 < 2 ? "B" : ""); /* sections 0 and 1 make "BB"; the rest empty or repeated */
        trpt_buf_puts(&b, "\r\n\r\n--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n");
        trpt_buf_printf(&b, "%s\r\n--BB--\r\n", json);
        break;
    case SHAPE_FIELDS: /* n parts (n <= 99) of 900 header fields each */
        trpt_buf_puts(&b, REPORT_TOP);
        for (size_t i = 0; i < n; i++) {
            trpt_buf_puts(&b, "--BB\r\n");
            for (size_t k = 0; k < 900; k++)
                trpt_buf_puts(&b, "Content-Type: text/plain; a=b\r\n");
            trpt_buf_puts(&b, "\r\ntext\r\n");
        }
        trpt_buf_printf(&b, "--BB\r\nContent-Type: application/tlsrpt+json\r\n\r\n%s\r\n--BB--\r\n", json);
        break;
    case SHAPE_RFC822_CHAIN: /* attached messages nested to the depth limit, each header with n folded lines */
        trpt_buf_puts(&b, "Content-Type: message/rfc822\r\n\r\n");
        for (size_t i = 2; i < TLSRPT_MAX_MIME_DEPTH; i++) {
            trpt_buf_puts(&b, "X-Long: a\r\n");
            for (size_t k = 0; k < n; k++)
                trpt_buf_puts(&b, " folded\r\n");
            trpt_buf_puts(&b, "Content-Type: message/rfc822\r\n\r\n");
        }
        trpt_buf_printf(&b, "Content-Type: application/tlsrpt+json\r\n\r\n%s\r\n", json);
        break;
    case SHAPE_BASE64_JUNK: { /* base64 of a report padded with n lines of junk bytes */
        char *b64 = base64((const unsigned char *)json, strlen(json), 76);
        trpt_buf_puts(&b, REPORT_TOP "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                      "Content-Transfer-Encoding: base64\r\n\r\n");
        for (size_t i = 0; i < n; i++)
            trpt_buf_puts(&b, "!*!*!*!*\f\xe9\r\n");
        trpt_buf_printf(&b, "%s\r\n--BB--\r\n", b64);
        free(b64);
        break;
    }
    default:
        ck_abort();
    }
    char *msg;
    ck_assert_int_eq(trpt_buf_finish(&b, &msg, len), TLSRPT_OK);
    free(json);
    return msg;
}

/* Two sizes of each shape, the second twice the first, both within the limits. */
static const size_t shape_sizes[SHAPE_COUNT][2] = {
    [SHAPE_PARTS] = {45, 90},     [SHAPE_NEAR_MISS] = {20000, 40000}, [SHAPE_DEEP] = {20000, 40000},
    [SHAPE_DEEP_UNTERMINATED] = {20000, 40000}, [SHAPE_BAD_PART_HEADERS] = {45, 90},
    [SHAPE_PARAMS] = {400, 800},  [SHAPE_FIELDS] = {45, 90},          [SHAPE_RFC822_CHAIN] = {2000, 4000},
    [SHAPE_BASE64_JUNK] = {20000, 40000},
};

static size_t work_of(const char *msg, size_t len)
{
    tlsrpt_report *r;
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    size_t work = 0;
    (void)trpt_report_parse_message_work(&r, msg, len, 0, d, &work);
    tlsrpt_report_free(r);
    tlsrpt_diag_free(d);
    return work;
}

/* At two sizes of each shape, the work is at most 2 * TLSRPT_MAX_MIME_DEPTH + 5 bytes examined per message byte (each
 * byte is looked at by at most the depth limit's enclosing multipart levels, twice each: the line search and the
 * delimiter test; then by its own header scan or value parse, a second reading of a parameter value, the decoder and
 * the metadata checks), and doubling the message does not raise the work per byte (+10 %): a rescan per part, per
 * boundary line or per finding would break both. */
START_TEST(cost_is_linear)
{
    for (int shape = 0; shape < SHAPE_COUNT; shape++) {
        double per_byte[2];
        for (int k = 0; k < 2; k++) {
            size_t len;
            char *msg = shape_message(shape, shape_sizes[shape][k], &len);
            /* the shape is what it claims: the report is found (every shape is read leniently) */
            outcome o = parse(msg, len, 0);
            ck_assert_msg(o.rc == TLSRPT_OK, "shape %d: rc %d, %s", shape, o.rc,
                          tlsrpt_diag_count(o.d) ? tlsrpt_diag_id(o.d, tlsrpt_diag_count(o.d) - 1) : "-");
            done(&o);
            size_t work = work_of(msg, len);
            ck_assert_msg(work <= (2 * TLSRPT_MAX_MIME_DEPTH + 5) * len, "shape %d: %zu bytes examined for %zu", shape,
                          work, len);
            per_byte[k] = (double)work / (double)len;
            free(msg);
        }
        ck_assert_msg(per_byte[1] <= per_byte[0] * 1.1, "shape %d: %.2f bytes examined per byte, then %.2f", shape,
                      per_byte[0], per_byte[1]);
    }
}
END_TEST

/* A JSON report of exactly n bytes ('{"policies":[]' + spaces + '}'). */
static char *sized_json(size_t n)
{
    char *json = malloc(n + 1);
    ck_assert_ptr_nonnull(json);
    memcpy(json, "{\"policies\":[]", 14);
    memset(json + 14, ' ', n - 15);
    json[n - 1] = '}';
    json[n] = '\0';
    return json;
}

/* Quoted-printable with every byte written as =XX where it may be (the longest encoding: 3 bytes per byte). */
static char *qp_encode(const char *s, size_t n)
{
    trpt_buf b;
    trpt_buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        trpt_buf_printf(&b, "=%02X", (unsigned char)s[i]);
        if (i % 25 == 24)
            trpt_buf_puts(&b, "=\r\n");
    }
    char *out;
    ck_assert_int_eq(trpt_buf_finish(&b, &out, NULL), TLSRPT_OK);
    return out;
}

/* The memory a message parse holds beyond what the report parse of the decoded report needs is at most the message
 * itself plus a constant (the decoded report part: 3/4 of base64, at most the part for quoted-printable, nothing for
 * 7bit), whatever the encoding, the shape and the number of findings. Measured with the counting allocator. */
START_TEST(memory_is_bounded)
{
    const size_t n = 1u << 20;
    char *json = sized_json(n);
    char *b64 = base64((const unsigned char *)json, n, 76);
    char *qp = qp_encode(json, n);
    static const char *const encodings[] = {"base64", "quoted-printable", "7bit"};
    const char *const bodies[] = {b64, qp, json};
    for (size_t i = 0; i < 3; i++) {
        size_t len;
        char *msg = format(&len, HEAD REPORT_TOP TEXT_PART "--BB\r\nContent-Type: application/tlsrpt+json\r\n"
                           "Content-Transfer-Encoding: %s\r\n\r\n%s\r\n--BB--\r\n", encodings[i], bodies[i]);
        tlsrpt_diag *d;
        tlsrpt_report *r;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        meter_start();
        ck_assert_int_eq(tlsrpt_report_parse_message(&r, msg, len, 0, d), TLSRPT_OK);
        size_t message_peak = meter_stop();
        tlsrpt_report_free(r);
        tlsrpt_diag_free(d);
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        meter_start();
        ck_assert_int_eq(tlsrpt_report_parse(&r, json, n, 0, d), TLSRPT_OK);
        size_t report_peak = meter_stop();
        tlsrpt_report_free(r);
        tlsrpt_diag_free(d);
        ck_assert_msg(message_peak <= report_peak + len + 65536,
                      "%s: the message parse held %zu bytes, the report parse %zu, the message is %zu", encodings[i],
                      message_peak, report_peak, len);
        if (i == 0) /* base64: the decoded part, about 3/4 of the message, is the only buffer that grows with it */
            ck_assert_uint_ge(message_peak, report_peak + n);
        free(msg);
    }
    /* a message of many parts and findings holds no more: findings of dropped warnings are not even built */
    for (int shape = 0; shape < SHAPE_COUNT; shape++) {
        size_t len;
        char *msg = shape_message(shape, shape_sizes[shape][1], &len);
        tlsrpt_diag *d;
        tlsrpt_report *r;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        meter_start();
        ck_assert_int_eq(tlsrpt_report_parse_message(&r, msg, len, 0, d), TLSRPT_OK);
        size_t peak = meter_stop();
        ck_assert_msg(peak <= len + 65536, "shape %d: %zu bytes held for a message of %zu", shape, peak, len);
        tlsrpt_report_free(r);
        tlsrpt_diag_free(d);
        free(msg);
    }
    free(qp);
    free(b64);
    free(json);
}
END_TEST

/* ---- Real-world report e-mails ---------------------------------------------------------------------------------- */

static char *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    ck_assert_int_ge(n, 0);
    rewind(f);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static const struct {
    const char *file, *organization;
    size_t policies;
    int strict_rc;                /* tlsrpt_report_parse_message's result in strict mode */
    const char *lenient_warnings; /* the warning ids in order, space-separated */
} real_world[] = {
    {"mox-google-2022.eml", "Google Inc.", 1, TLSRPT_OK, ""},
    {"mox-microsoft-2023.eml", "Microsoft Corporation", 1, TLSRPT_ESEMANTIC,
     "report-datetime-no-zone report-datetime-no-zone report-field-missing message-subject-invalid"},
    {"parsedmarc-google.eml", "Google Inc.", 1, TLSRPT_OK, ""},
    {"stalwart-rpt01.eml", "Company-X", 1, TLSRPT_ESEMANTIC, "message-header-mismatch message-header-mismatch"},
    {"stalwart-rpt02.eml", "Google Inc.", 1, TLSRPT_ESEMANTIC,
     "message-report-type-nonstandard report-field-missing message-header-mismatch message-header-mismatch"},
};

START_TEST(real_world_messages)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    for (size_t k = 0; k < sizeof real_world / sizeof real_world[0]; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, real_world[k].file);
        size_t len;
        char *data = read_whole(path, &len);
        outcome o = parse(data, len, 0);
        ck_assert_msg(o.rc == TLSRPT_OK, "%s: rc %d", real_world[k].file, o.rc);
        ck_assert_str_eq(tlsrpt_report_organization_name(o.r), real_world[k].organization);
        ck_assert_uint_eq(tlsrpt_report_policy_count(o.r), real_world[k].policies);
        char ids[512] = "";
        for (size_t i = 0; i < tlsrpt_diag_count(o.d); i++) {
            ck_assert_int_eq(tlsrpt_diag_severity(o.d, i), TLSRPT_SEVERITY_WARNING);
            snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s", i ? " " : "", tlsrpt_diag_id(o.d, i));
        }
        ck_assert_str_eq(ids, real_world[k].lenient_warnings);
        done(&o);
        o = parse(data, len, TLSRPT_PARSE_STRICT);
        ck_assert_msg(o.rc == real_world[k].strict_rc, "%s strict: rc %d", real_world[k].file, o.rc);
        done(&o);
        free(data);
    }
}
END_TEST

/* Each real report e-mail cut before its closing delimiter line (as a large mail provider sends them) still yields
 * its report, with message-multipart-unterminated at the cut as the one finding added; strict mode rejects it. */
START_TEST(real_world_without_closing_delimiter)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    for (size_t k = 0; k < sizeof real_world / sizeof real_world[0]; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, real_world[k].file);
        size_t len;
        char *data = read_whole(path, &len);
        data[len] = '\0';
        size_t cut = 0; /* the start of the last line that begins with "--": the closing delimiter */
        for (const char *p = strstr(data, "\n--"); p; p = strstr(p + 1, "\n--"))
            cut = (size_t)(p - data) + 1;
        ck_assert_uint_gt(cut, 0);
        size_t e = len;
        while (e > cut && (data[e - 1] == '\n' || data[e - 1] == '\r'))
            e--;
        ck_assert_msg(e - cut > 4 && memcmp(data + e - 2, "--", 2) == 0 && !memchr(data + cut, '\n', e - cut),
                      "%s: the last line is not a closing delimiter", real_world[k].file);
        outcome full = parse(data, len, 0), o = parse(data, cut, 0);
        ck_assert_msg(o.rc == TLSRPT_OK, "%s: rc %d", real_world[k].file, o.rc);
        char why[256] = "";
        ck_assert_msg(report_equal(full.r, o.r, why, sizeof why), "%s: %s", real_world[k].file, why);
        ck_assert_uint_eq(tlsrpt_diag_count(o.d), tlsrpt_diag_count(full.d) + 1);
        ck_assert_diag(o.d, "message-multipart-unterminated", TLSRPT_SEVERITY_WARNING, cut);
        done(&o);
        done(&full);
        o = parse(data, cut, TLSRPT_PARSE_STRICT);
        ck_assert_int_eq(o.rc, TLSRPT_ESEMANTIC);
        ck_assert_diag(o.d, "message-multipart-unterminated", TLSRPT_SEVERITY_ERROR, cut);
        done(&o);
        free(data);
    }
}
END_TEST

/* The Stalwart e-mails carry the same reports as their .json files. */
START_TEST(real_world_same_as_json)
{
    const char *dir = getenv("TLSRPT_REAL_WORLD");
    ck_assert_msg(dir != NULL, "configure with -Dreal_world_testdata=... to run this test");
    static const char *const names[] = {"stalwart-rpt01", "stalwart-rpt02"};
    for (size_t k = 0; k < 2; k++) {
        char path[4096];
        size_t len, jlen;
        snprintf(path, sizeof path, "%s/%s.eml", dir, names[k]);
        char *eml = read_whole(path, &len);
        snprintf(path, sizeof path, "%s/%s.json", dir, names[k]);
        char *json = read_whole(path, &jlen);
        tlsrpt_report *a, *b;
        ck_assert_int_eq(tlsrpt_report_parse_message(&a, eml, len, 0, NULL), TLSRPT_OK);
        ck_assert_int_eq(tlsrpt_report_parse(&b, json, jlen, 0, NULL), TLSRPT_OK);
        char why[256] = "";
        ck_assert_msg(report_equal(a, b, why, sizeof why), "%s: %s", names[k], why);
        tlsrpt_report_free(a);
        tlsrpt_report_free(b);
        free(eml);
        free(json);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("report_message");
    TCase *tc = tcase_create("shapes");
    tcase_add_test(tc, round_trip_built_message);
    tcase_add_test(tc, round_trip_idn_names);
    tcase_add_test(tc, shape_multipart_report_json_7bit);
    tcase_add_test(tc, shape_single_part_gzip_base64);
    tcase_add_test(tc, shape_nested_and_folded);
    tcase_add_test(tc, shape_forwarded_rfc822);
    tcase_add_test(tc, shape_nonstandard_types);
    tcase_add_test(tc, shape_several_candidates);
    tcase_add_test(tc, encoding_quoted_printable);
    tcase_add_test(tc, encoding_quoted_printable_strict);
    tcase_add_test(tc, encoding_base64_errors);
    tcase_add_test(tc, encoding_unknown_and_mismatch);
    tcase_add_test(tc, inner_report_findings);
    tcase_add_test(tc, mime_invalid_structures);
    tcase_add_test(tc, header_errors);
    tcase_add_test(tc, arguments);
    tcase_add_test(tc, metadata_findings);
    suite_add_tcase(s, tc);

    tc = tcase_create("lenient-mime");
    tcase_add_test(tc, lenient_multipart_unterminated);
    tcase_add_test(tc, lenient_base64_junk);
    tcase_add_test(tc, rfc2231_sections_by_number);
    tcase_add_test(tc, rfc2231_sections_invalid);
    tcase_add_test(tc, lenient_part_header_malformed);
    tcase_add_test(tc, lenient_param_junk);
    tcase_add_test(tc, lenient_param_unquoted);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, every_truncation_fails_cleanly);
    tcase_add_test(tc, limit_message_size);
    tcase_add_test(tc, limit_decoded_report_size);
    tcase_add_test(tc, limit_depth);
    tcase_add_test(tc, limit_parts);
    tcase_add_test(tc, limit_header_fields);
    tcase_add_test(tc, limit_header_length);
    tcase_add_test(tc, limit_param_sections);
    tcase_add_test(tc, pathological_boundaries);
    tcase_add_test(tc, cost_is_linear);
    tcase_add_test(tc, memory_is_bounded);
    suite_add_tcase(s, tc);

    if (getenv("TLSRPT_REAL_WORLD")) {
        tc = tcase_create("real-world");
        tcase_add_test(tc, real_world_messages);
        tcase_add_test(tc, real_world_same_as_json);
        tcase_add_test(tc, real_world_without_closing_delimiter);
        suite_add_tcase(s, tc);
    }
    return s;
}
