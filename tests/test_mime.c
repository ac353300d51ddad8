/* Message-format helpers (lib/mime.c): header folding at 78 characters, dot-atom-text, printable header values;
 * the reader on its own, without a report: the walk's leaf parts with their spans, types and file names, the
 * top-level fields it keeps, its findings and status, transfer-encoding selection and decoding. The reader's every
 * finding, offset and limit through tlsrpt_report_parse_message is tests/test_report_message.c.
 * SPDX-License-Identifier: MIT */
#include <stdio.h>
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

/* ---- The reader ------------------------------------------------------------------------------------------------ */

/* What the leaf callback saw. */
typedef struct leaves {
    size_t n;
    size_t start[8], body[8], end[8];
    char type[8][2 * TRPT_MIME_TOKEN_MAX + 2];
    char filename[8][TRPT_MIME_FILENAME_MAX + 1];
    int cte[8];
} leaves;

static void on_leaf(trpt_mime_reader *r, const trpt_mime_part *part, void *ctx)
{
    leaves *l = ctx;
    ck_assert_uint_lt(l->n, 8);
    l->start[l->n] = part->start;
    l->body[l->n] = part->headers->body;
    l->end[l->n] = part->end;
    snprintf(l->type[l->n], sizeof l->type[0], "%s/%s", part->type->type, part->type->subtype);
    ck_assert_int_eq(trpt_mime_part_filename(r, part->headers, part->type, l->filename[l->n]), 0);
    l->cte[l->n] = trpt_mime_cte(r, part->headers->cte);
    l->n++;
}

static size_t at(const char *msg, const char *needle)
{
    const char *p = strstr(msg, needle);
    ck_assert_msg(p != NULL, "'%s' not in the message", needle);
    return (size_t)(p - msg);
}

static const char walk_msg[] = "From: a@example.org\r\n"
                               "X-Kept: one\r\n"
                               "X-Kept: two\r\n"
                               "Content-Type: multipart/mixed; boundary=\"outer\"\r\n"
                               "\r\n"
                               "preamble\r\n"
                               "--outer\r\n"
                               "Content-Type: text/plain\r\n"
                               "\r\n"
                               "first\r\n"
                               "--outer\r\n"
                               "Content-Type: multipart/alternative; boundary=inner\r\n"
                               "\r\n"
                               "--inner\r\n"
                               "\r\n"
                               "no header\r\n"
                               "--inner--\r\n"
                               "--outer\r\n"
                               "Content-Type: message/rfc822\r\n"
                               "\r\n"
                               "Content-Type: application/octet-stream; name=\"n.bin\"\r\n"
                               "Content-Disposition: attachment; filename*0=\"a.\"; filename*1=\"gz\"\r\n"
                               "Content-Transfer-Encoding: Base64\r\n"
                               "\r\n"
                               "Zm9v\r\n"
                               "--outer--\r\n"
                               "epilogue\r\n";

START_TEST(mime_walk_leaf_parts)
{
    static const char *const fields[] = {"x-kept", "Subject"};
    leaves l;
    memset(&l, 0, sizeof l);
    trpt_mime_reader r;
    trpt_mime_reader_init(&r, walk_msg, strlen(walk_msg), NULL, 0);
    r.top_fields = fields;
    r.n_top_fields = 2;
    r.leaf = on_leaf;
    r.ctx = &l;
    trpt_mime_walk(&r);
    ck_assert_int_eq(r.rc, TLSRPT_OK);
    ck_assert_int_eq(r.deviation, 0);
    ck_assert_uint_eq(r.parts, 4);
    /* the top-level section: the first X-Kept, no Subject, the multipart type */
    ck_assert_int_eq(r.top.top[0].present, 1);
    ck_assert_uint_eq(r.top.top[0].off, at(walk_msg, " one"));
    ck_assert_uint_eq(r.top.top[0].len, 4);
    ck_assert_int_eq(r.top.top[1].present, 0);
    ck_assert_str_eq(r.top_type.type, "multipart");
    ck_assert_str_eq(r.top_type.boundary, "outer");
    ck_assert_uint_eq(r.top.body, at(walk_msg, "preamble"));
    /* three leaves in document order: their entity spans (the line break before a delimiter is the delimiter's) */
    ck_assert_uint_eq(l.n, 3);
    ck_assert_str_eq(l.type[0], "text/plain");
    ck_assert_uint_eq(l.start[0], at(walk_msg, "Content-Type: text/plain"));
    ck_assert_uint_eq(l.body[0], at(walk_msg, "first"));
    ck_assert_uint_eq(l.end[0], at(walk_msg, "first") + 5);
    ck_assert_str_eq(l.filename[0], "");
    ck_assert_int_eq(l.cte[0], TRPT_MIME_CTE_IDENTITY);
    ck_assert_str_eq(l.type[1], "text/plain"); /* no Content-Type: the RFC 2045 §5.2 default */
    ck_assert_uint_eq(l.body[1], at(walk_msg, "no header"));
    ck_assert_str_eq(l.type[2], "application/octet-stream");
    ck_assert_uint_eq(l.start[2], at(walk_msg, "Content-Type: application"));
    ck_assert_uint_eq(l.body[2], at(walk_msg, "Zm9v"));
    ck_assert_uint_eq(l.end[2], at(walk_msg, "Zm9v") + 4);
    ck_assert_str_eq(l.filename[2], "a.gz"); /* RFC 2231 sections of the Content-Disposition filename, before name */
    ck_assert_int_eq(l.cte[2], TRPT_MIME_CTE_BASE64);
    ck_assert_uint_gt(r.work, 0);
    ck_assert_uint_le(r.work, 4 * strlen(walk_msg));
    /* its body decoded */
    unsigned char out[8];
    size_t n;
    ck_assert_int_eq(trpt_mime_decode(&r, l.cte[2], l.body[2], l.end[2], out, sizeof out, &n), 0);
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(memcmp(out, "foo", 3), 0);
    ck_assert_int_eq(trpt_mime_decode(&r, l.cte[2], l.body[2], l.end[2], out, 2, &n), TRPT_MIME_DECODE_FULL);
}
END_TEST

/* Deviations read past (a WARNING; an ERROR and r.deviation in strict mode), fatal findings stop the walk. */
START_TEST(mime_walk_findings)
{
    static const char unterminated[] = "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nbody\r\n";
    for (int strict = 0; strict <= 1; strict++) {
        tlsrpt_diag *d;
        ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
        leaves l;
        memset(&l, 0, sizeof l);
        trpt_mime_reader r;
        trpt_mime_reader_init(&r, unterminated, strlen(unterminated), d, strict);
        r.leaf = on_leaf;
        r.ctx = &l;
        trpt_mime_walk(&r);
        ck_assert_int_eq(r.rc, TLSRPT_OK);
        ck_assert_int_eq(r.deviation, strict);
        ck_assert_uint_eq(l.n, 1);
        ck_assert_uint_eq(l.end[0], at(unterminated, "body") + 4);
        ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
        ck_assert_diag(d, "message-multipart-unterminated", strict ? TLSRPT_SEVERITY_ERROR : TLSRPT_SEVERITY_WARNING,
                       strlen(unterminated));
        tlsrpt_diag_free(d);
    }
    static const char no_boundary[] = "Content-Type: multipart/mixed\r\n\r\n--b\r\n\r\nbody\r\n--b--\r\n";
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    leaves l;
    memset(&l, 0, sizeof l);
    trpt_mime_reader r;
    trpt_mime_reader_init(&r, no_boundary, strlen(no_boundary), d, 0);
    r.leaf = on_leaf;
    r.ctx = &l;
    trpt_mime_walk(&r);
    ck_assert_int_eq(r.rc, TLSRPT_ESYNTAX);
    ck_assert_uint_eq(l.n, 0);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 1);
    ck_assert_diag(d, "message-mime-invalid", TLSRPT_SEVERITY_ERROR, at(no_boundary, " multipart"));
    tlsrpt_diag_free(d);
    /* an empty message: one leaf, text/plain, no header, no body */
    memset(&l, 0, sizeof l);
    trpt_mime_reader_init(&r, NULL, 0, NULL, 1);
    r.leaf = on_leaf;
    r.ctx = &l;
    trpt_mime_walk(&r);
    ck_assert_int_eq(r.rc, TLSRPT_OK);
    ck_assert_uint_eq(l.n, 1);
    ck_assert_str_eq(l.type[0], "text/plain");
    ck_assert_uint_eq(l.body[0], 0);
    ck_assert_uint_eq(l.end[0], 0);
}
END_TEST

/* Content-Transfer-Encoding selection and the quoted-printable decoder with its limit. */
START_TEST(mime_transfer_encodings)
{
    static const char msg[] = "7BIT (comment) |binary|x-uuencode|quoted-printable|a=3Db=\r\nc=\r\n";
    trpt_mime_reader r;
    tlsrpt_diag *d;
    ck_assert_int_eq(tlsrpt_diag_new(&d), TLSRPT_OK);
    trpt_mime_reader_init(&r, msg, strlen(msg), d, 0);
    trpt_mime_span absent = {0, 0, 0}, s7 = {0, at(msg, "|"), 1}, bin = {at(msg, "binary"), 6, 1};
    trpt_mime_span uu = {at(msg, "x-uu"), 10, 1}, qp = {at(msg, "quoted"), 16, 1};
    trpt_mime_span empty = {at(msg, "(comment)"), 10, 1};
    ck_assert_int_eq(trpt_mime_cte(&r, absent), TRPT_MIME_CTE_IDENTITY);
    ck_assert_int_eq(trpt_mime_cte(&r, s7), TRPT_MIME_CTE_IDENTITY);
    ck_assert_int_eq(trpt_mime_cte(&r, bin), TRPT_MIME_CTE_IDENTITY);
    ck_assert_int_eq(trpt_mime_cte(&r, uu), TRPT_MIME_CTE_UNKNOWN);
    ck_assert_int_eq(trpt_mime_cte(&r, qp), TRPT_MIME_CTE_QP);
    ck_assert_int_eq(trpt_mime_cte(&r, empty), TRPT_MIME_CTE_UNKNOWN); /* only a comment: no token */
    size_t body = at(msg, "a=3D"), end = strlen(msg);
    unsigned char out[16];
    size_t n;
    ck_assert_int_eq(trpt_mime_decode(&r, TRPT_MIME_CTE_QP, body, end, out, sizeof out, &n), 0);
    ck_assert_uint_eq(n, 4);
    ck_assert_int_eq(memcmp(out, "a=bc", 4), 0);
    ck_assert_int_eq(trpt_mime_decode(&r, TRPT_MIME_CTE_QP, body, end, out, 3, &n), TRPT_MIME_DECODE_FULL);
    ck_assert_uint_eq(tlsrpt_diag_count(d), 0);
    ck_assert_int_eq(r.rc, TLSRPT_OK);
    tlsrpt_diag_free(d);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("mime");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, mime_folding);
    tcase_add_test(tc, mime_dot_atom_and_printable);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    tcase_add_test(tc, mime_walk_leaf_parts);
    tcase_add_test(tc, mime_walk_findings);
    tcase_add_test(tc, mime_transfer_encodings);
    suite_add_tcase(s, tc);
    return s;
}
