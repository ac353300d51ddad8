/* libtlsrpt — the streaming JSON writer (see json_writer.h for the exact output format).
 * SPDX-License-Identifier: MIT */
#include "json_writer.h"
#include "utf8.h"

#include <string.h>

void trpt_jw_init(trpt_json_writer *w, trpt_buf *b, unsigned flags)
{
    memset(w, 0, sizeof *w);
    w->buf = b;
    w->flags = flags;
    w->status = (flags & ~TRPT_JW_PRETTY) ? TLSRPT_EINVAL : TLSRPT_OK;
}

static int fail(trpt_json_writer *w, size_t restore_len, int rc)
{
    trpt_buf *b = w->buf;
    if (b->data && restore_len <= b->len) {
        b->len = restore_len;
        b->data[b->len] = '\0';
    }
    w->status = rc;
    return rc;
}

/* Checks the buffer after a call's writes; on allocation failure the call's bytes are dropped. */
static int settle(trpt_json_writer *w, size_t start_len)
{
    if (w->buf->failed)
        return fail(w, start_len, TLSRPT_ENOMEM);
    return TLSRPT_OK;
}

static void newline_indent(trpt_json_writer *w, unsigned depth)
{
    static const char spaces[] = "                                                                ";
    trpt_buf_putc(w->buf, '\n');
    size_t n = (size_t)depth * 2;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        trpt_buf_append(w->buf, spaces, k);
        n -= k;
    }
}

/* Writes what goes before a value (or a member name when `is_name`): the comma and line break. Returns TLSRPT_OK,
 * or TLSRPT_EINVAL when a value or name is not allowed here. */
static int before_item(trpt_json_writer *w, int is_name)
{
    if (w->done)
        return TLSRPT_EINVAL; /* a second top-level value */
    if (w->depth == 0)
        return is_name ? TLSRPT_EINVAL : TLSRPT_OK;
    unsigned level = w->depth - 1;
    if (w->is_object[level]) {
        if (is_name == w->after_name)
            return TLSRPT_EINVAL; /* a value without a name, or two names in a row */
        if (!is_name) {
            w->after_name = 0;
            if (w->flags & TRPT_JW_PRETTY)
                trpt_buf_append(w->buf, ": ", 2);
            else
                trpt_buf_putc(w->buf, ':');
            return TLSRPT_OK;
        }
    } else if (is_name) {
        return TLSRPT_EINVAL; /* a name inside an array */
    }
    if (w->has_items[level])
        trpt_buf_putc(w->buf, ',');
    w->has_items[level] = 1;
    if (w->flags & TRPT_JW_PRETTY)
        newline_indent(w, w->depth);
    return TLSRPT_OK;
}

/* After a complete value: at top level, the document is done. */
static void after_value(trpt_json_writer *w)
{
    if (w->depth == 0) {
        w->done = 1;
        if (w->flags & TRPT_JW_PRETTY)
            trpt_buf_putc(w->buf, '\n');
    }
}

static int begin(trpt_json_writer *w, int is_object)
{
    if (w->status != TLSRPT_OK)
        return w->status;
    size_t start = w->buf->len;
    int rc = before_item(w, 0);
    if (rc != TLSRPT_OK)
        return fail(w, start, rc);
    if (w->depth >= TRPT_JW_MAX_DEPTH)
        return fail(w, start, TLSRPT_ELIMIT);
    trpt_buf_putc(w->buf, is_object ? '{' : '[');
    w->is_object[w->depth] = (unsigned char)is_object;
    w->has_items[w->depth] = 0;
    w->depth++;
    return settle(w, start);
}

static int end(trpt_json_writer *w, int is_object)
{
    if (w->status != TLSRPT_OK)
        return w->status;
    size_t start = w->buf->len;
    if (w->depth == 0 || w->is_object[w->depth - 1] != is_object || w->after_name)
        return fail(w, start, TLSRPT_EINVAL);
    w->depth--;
    if (w->has_items[w->depth] && (w->flags & TRPT_JW_PRETTY))
        newline_indent(w, w->depth);
    trpt_buf_putc(w->buf, is_object ? '}' : ']');
    after_value(w);
    return settle(w, start);
}

int trpt_jw_begin_object(trpt_json_writer *w)
{
    return begin(w, 1);
}

int trpt_jw_end_object(trpt_json_writer *w)
{
    return end(w, 1);
}

int trpt_jw_begin_array(trpt_json_writer *w)
{
    return begin(w, 0);
}

int trpt_jw_end_array(trpt_json_writer *w)
{
    return end(w, 0);
}

/* 1 for the bytes that are copied as they are: everything but '"', '\\' and the control characters. Bytes >= 0x80
 * are copied too; their UTF-8 well-formedness is checked separately. */
static const unsigned char plain[256] = {
    ['\x20'] = 1, ['\x21'] = 1, ['\x23'] = 1, ['\x24'] = 1, ['\x25'] = 1, ['\x26'] = 1, ['\x27'] = 1,
    ['\x28'] = 1, ['\x29'] = 1, ['\x2a'] = 1, ['\x2b'] = 1, ['\x2c'] = 1, ['\x2d'] = 1, ['\x2e'] = 1,
    ['\x2f'] = 1, ['\x30'] = 1, ['\x31'] = 1, ['\x32'] = 1, ['\x33'] = 1, ['\x34'] = 1, ['\x35'] = 1,
    ['\x36'] = 1, ['\x37'] = 1, ['\x38'] = 1, ['\x39'] = 1, ['\x3a'] = 1, ['\x3b'] = 1, ['\x3c'] = 1,
    ['\x3d'] = 1, ['\x3e'] = 1, ['\x3f'] = 1, ['\x40'] = 1, ['\x41'] = 1, ['\x42'] = 1, ['\x43'] = 1,
    ['\x44'] = 1, ['\x45'] = 1, ['\x46'] = 1, ['\x47'] = 1, ['\x48'] = 1, ['\x49'] = 1, ['\x4a'] = 1,
    ['\x4b'] = 1, ['\x4c'] = 1, ['\x4d'] = 1, ['\x4e'] = 1, ['\x4f'] = 1, ['\x50'] = 1, ['\x51'] = 1,
    ['\x52'] = 1, ['\x53'] = 1, ['\x54'] = 1, ['\x55'] = 1, ['\x56'] = 1, ['\x57'] = 1, ['\x58'] = 1,
    ['\x59'] = 1, ['\x5a'] = 1, ['\x5b'] = 1, ['\x5d'] = 1, ['\x5e'] = 1, ['\x5f'] = 1, ['\x60'] = 1,
    ['\x61'] = 1, ['\x62'] = 1, ['\x63'] = 1, ['\x64'] = 1, ['\x65'] = 1, ['\x66'] = 1, ['\x67'] = 1,
    ['\x68'] = 1, ['\x69'] = 1, ['\x6a'] = 1, ['\x6b'] = 1, ['\x6c'] = 1, ['\x6d'] = 1, ['\x6e'] = 1,
    ['\x6f'] = 1, ['\x70'] = 1, ['\x71'] = 1, ['\x72'] = 1, ['\x73'] = 1, ['\x74'] = 1, ['\x75'] = 1,
    ['\x76'] = 1, ['\x77'] = 1, ['\x78'] = 1, ['\x79'] = 1, ['\x7a'] = 1, ['\x7b'] = 1, ['\x7c'] = 1,
    ['\x7d'] = 1, ['\x7e'] = 1, ['\x7f'] = 1,
#define ROW16(h) [h + 0] = 1, [h + 1] = 1, [h + 2] = 1, [h + 3] = 1, [h + 4] = 1, [h + 5] = 1, [h + 6] = 1, \
                 [h + 7] = 1, [h + 8] = 1, [h + 9] = 1, [h + 10] = 1, [h + 11] = 1, [h + 12] = 1, [h + 13] = 1, \
                 [h + 14] = 1, [h + 15] = 1
    ROW16(0x80), ROW16(0x90), ROW16(0xa0), ROW16(0xb0), ROW16(0xc0), ROW16(0xd0), ROW16(0xe0), ROW16(0xf0),
#undef ROW16
};

/* Appends the quoted, escaped string. The caller has checked that s is well-formed UTF-8. */
static void put_quoted_string(trpt_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    trpt_buf_putc(b, '"');
    size_t run = 0; /* start of the pending run of plain bytes */
    for (size_t i = 0; i < len; i++) {
        unsigned c = p[i];
        if (plain[c])
            continue;
        if (i > run)
            trpt_buf_append(b, s + run, i - run);
        run = i + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\t': esc[1] = 't'; break;
        case '\n': esc[1] = 'n'; break;
        case '\f': esc[1] = 'f'; break;
        case '\r': esc[1] = 'r'; break;
        default:
            esc[1] = 'u';
            esc[2] = '0';
            esc[3] = '0';
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 0xf];
            n = 6;
            break;
        }
        trpt_buf_append(b, esc, n);
    }
    if (len > run)
        trpt_buf_append(b, s + run, len - run);
    trpt_buf_putc(b, '"');
}

static int write_string(trpt_json_writer *w, const char *s, size_t len, int is_name)
{
    if (w->status != TLSRPT_OK)
        return w->status;
    size_t start = w->buf->len;
    if ((!s && len > 0) || trpt_utf8_valid_prefix(s, len) != len)
        return fail(w, start, TLSRPT_EINVAL);
    int rc = before_item(w, is_name);
    if (rc != TLSRPT_OK)
        return fail(w, start, rc);
    put_quoted_string(w->buf, s ? s : "", len);
    if (is_name)
        w->after_name = 1;
    else
        after_value(w);
    return settle(w, start);
}

int trpt_jw_name(trpt_json_writer *w, const char *s, size_t len)
{
    return write_string(w, s, len, 1);
}

int trpt_jw_string(trpt_json_writer *w, const char *s, size_t len)
{
    return write_string(w, s, len, 0);
}

/* Writes a scalar whose text needs no escaping. */
static int write_raw_value(trpt_json_writer *w, const char *text, size_t len)
{
    if (w->status != TLSRPT_OK)
        return w->status;
    size_t start = w->buf->len;
    int rc = before_item(w, 0);
    if (rc != TLSRPT_OK)
        return fail(w, start, rc);
    trpt_buf_append(w->buf, text, len);
    after_value(w);
    return settle(w, start);
}

/* Decimal digits of v, written backwards ending at end; returns the first digit. */
static char *u64_digits(uint64_t v, char *end)
{
    char *p = end;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return p;
}

int trpt_jw_uint64(trpt_json_writer *w, uint64_t v)
{
    char digits[20];
    char *first = u64_digits(v, digits + sizeof digits);
    return write_raw_value(w, first, (size_t)(digits + sizeof digits - first));
}

int trpt_jw_int64(trpt_json_writer *w, int64_t v)
{
    char digits[21];
    /* The magnitude of INT64_MIN does not fit an int64_t; in uint64_t arithmetic it does. */
    uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *first = u64_digits(magnitude, digits + sizeof digits);
    if (v < 0)
        *--first = '-';
    return write_raw_value(w, first, (size_t)(digits + sizeof digits - first));
}

int trpt_jw_bool(trpt_json_writer *w, int v)
{
    return v ? write_raw_value(w, "true", 4) : write_raw_value(w, "false", 5);
}

int trpt_jw_null(trpt_json_writer *w)
{
    return write_raw_value(w, "null", 4);
}

int trpt_jw_member_string(trpt_json_writer *w, const char *name, const char *value)
{
    trpt_jw_name(w, name, strlen(name));
    return trpt_jw_string(w, value, strlen(value));
}

int trpt_jw_member_uint64(trpt_json_writer *w, const char *name, uint64_t value)
{
    trpt_jw_name(w, name, strlen(name));
    return trpt_jw_uint64(w, value);
}

int trpt_jw_finish(const trpt_json_writer *w)
{
    if (w->status != TLSRPT_OK)
        return w->status;
    if (w->buf->failed)
        return TLSRPT_ENOMEM;
    return w->done ? TLSRPT_OK : TLSRPT_EINVAL;
}
