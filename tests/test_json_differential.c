/* Differential test of the JSON reader against jansson (test-only dependency): many random JSON documents from a
 * seeded PRNG (deterministic) and mutations of each (byte replacements, truncations, insertions of structural
 * characters, deletions). For every input both must agree on accept/reject, and on accept on every value. The
 * known differences are checked explicitly, each confirmed by the reader's own tokens, never by loosening a check:
 *   - jansson stores integers as int64 and rejects others ("too big integer"); we keep the text (the report
 *     parser reads counts as uint64), so such a document is accepted here;
 *   - jansson rejects reals that overflow a double ("real number overflow"); we keep the text;
 *   - jansson rejects "\u0000" in member names ("NUL byte in object key not supported"); we deliver it;
 *   - nesting deeper than TLSRPT_MAX_JSON_DEPTH is our ELIMIT, jansson goes to 2048;
 *   - jansson's lexer drops a NUL byte that directly follows a number or a literal, so it accepts "[1\0]", "1\0"
 *     and "[true\0]"; for us a NUL byte outside a string is json-syntax or json-trailing-data (API.md: embedded
 *     NULs are a syntax error).
 * Both run with duplicate names rejected (our strict mode, JSON_REJECT_DUPLICATES) and \u0000 allowed in values
 * (JSON_ALLOW_NUL), top-level scalars allowed (JSON_DECODE_ANY).
 * Usage: test_json_differential [documents] [seed]. SPDX-License-Identifier: MIT */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_reader.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * UINT64_C(0x2545F4914F6CDD1D);
}

static unsigned below(unsigned n)
{
    return (unsigned)(rnd() % n);
}

static void ws(trpt_buf *b)
{
    static const char *const w[] = {"", "", "", " ", "\n", "\t", "\r\n  "};
    trpt_buf_puts(b, w[below(7)]);
}

static void gen_string(trpt_buf *b, int key)
{
    static const char *const pieces[] = {
        "a", "b", "Z", " ", "0", "~", "/", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t", "\\u0041",
        "\\u00e9", "\\u20AC", "\\uFFFF", "\\ud83d\\ude00", "\\uDBFF\\uDFFF", "\\u0000", "\xc3\xa9", "\xe2\x82\xac",
        "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\x7f", "policy", "result-type", "mx-host",
    };
    trpt_buf_putc(b, '"');
    unsigned n = key ? below(3) : below(12);
    for (unsigned i = 0; i < n; i++) {
        unsigned k = below(sizeof pieces / sizeof pieces[0]);
        if (key && k == 21) /* keep most keys free of NUL; a few get it on purpose below */
            k = 0;
        trpt_buf_puts(b, pieces[k]);
    }
    if (key && below(200) == 0)
        trpt_buf_puts(b, "\\u0000");
    trpt_buf_putc(b, '"');
}

static void gen_number(trpt_buf *b)
{
    static const char *const fixed[] = {"0", "-0", "1", "-1", "9223372036854775807", "-9223372036854775808",
                                        "9223372036854775808", "18446744073709551615", "18446744073709551616",
                                        "0.5", "-0.0", "1e5", "1E-5", "2.5e+10", "1e400", "-1e400", "1e-400",
                                        "123456789012345678901234567890"};
    if (below(3) == 0) {
        trpt_buf_puts(b, fixed[below(sizeof fixed / sizeof fixed[0])]);
        return;
    }
    if (below(4) == 0)
        trpt_buf_putc(b, '-');
    unsigned digits = 1 + below(below(4) == 0 ? 22 : 6);
    trpt_buf_putc(b, (char)('1' + below(9)));
    for (unsigned i = 1; i < digits; i++)
        trpt_buf_putc(b, (char)('0' + below(10)));
    if (below(4) == 0) {
        trpt_buf_putc(b, '.');
        for (unsigned i = 0, n = 1 + below(5); i < n; i++)
            trpt_buf_putc(b, (char)('0' + below(10)));
    }
    if (below(6) == 0)
        trpt_buf_printf(b, "%c%s%u", below(2) ? 'e' : 'E', below(3) == 0 ? "-" : below(2) ? "+" : "", below(30));
}

static void gen_value(trpt_buf *b, int depth)
{
    unsigned k = below(depth >= 6 ? 6 : 9);
    ws(b);
    switch (k) {
    case 0: trpt_buf_puts(b, "true"); break;
    case 1: trpt_buf_puts(b, "false"); break;
    case 2: trpt_buf_puts(b, "null"); break;
    case 3:
    case 4: gen_number(b); break;
    case 5: gen_string(b, 0); break;
    case 6:
    case 7: {
        trpt_buf_putc(b, '{');
        unsigned n = below(5);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                trpt_buf_putc(b, ',');
            ws(b);
            gen_string(b, 1);
            ws(b);
            trpt_buf_putc(b, ':');
            gen_value(b, depth + 1);
        }
        ws(b);
        trpt_buf_putc(b, '}');
        break;
    }
    default: {
        trpt_buf_putc(b, '[');
        unsigned n = below(5);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                trpt_buf_putc(b, ',');
            gen_value(b, depth + 1);
        }
        ws(b);
        trpt_buf_putc(b, ']');
        break;
    }
    }
    ws(b);
}

/* ---- Comparison ------------------------------------------------------------------------------------------- */

struct findings {
    int int64_overflow; /* an integer outside int64 */
    int real_overflow;  /* a real that overflows a double */
    int nul_in_key;
};

/* Reads one value from r (its first token t already read) and compares it with v (NULL: only read, collecting
 * findings). Returns 1 when equal, 0 when different, -1 on a reader error. */
static int compare(trpt_json_reader *r, int t, const json_t *v, struct findings *fd)
{
    size_t n;
    const char *s;
    switch (t) {
    case TRPT_JSON_OBJECT_START: {
        size_t members = 0;
        int same = !v || json_is_object(v);
        while ((t = trpt_json_next(r)) == TRPT_JSON_NAME) {
            s = trpt_json_string(r, &n);
            if (memchr(s, '\0', n))
                fd->nul_in_key = 1;
            const json_t *child = (v && same) ? json_object_getn(v, s, n) : NULL;
            if (v && same && !child)
                same = 0;
            members++;
            int c = compare(r, trpt_json_next(r), child, fd);
            if (c < 0)
                return c;
            same = same && c;
        }
        if (t != TRPT_JSON_OBJECT_END)
            return -1;
        return same && (!v || json_object_size(v) == members);
    }
    case TRPT_JSON_ARRAY_START: {
        size_t i = 0;
        int same = !v || json_is_array(v);
        for (;;) {
            t = trpt_json_next(r);
            if (t == TRPT_JSON_ARRAY_END)
                break;
            const json_t *child = (v && same) ? json_array_get(v, i) : NULL;
            if (v && same && !child)
                same = 0;
            int c = compare(r, t, child, fd);
            if (c < 0)
                return c;
            same = same && c;
            i++;
        }
        return same && (!v || json_array_size(v) == i);
    }
    case TRPT_JSON_STRING:
        s = trpt_json_string(r, &n);
        return !v || (json_is_string(v) && json_string_length(v) == n && memcmp(json_string_value(v), s, n) == 0);
    case TRPT_JSON_NUMBER: {
        s = trpt_json_number_text(r, &n);
        char text[512];
        if (n >= sizeof text)
            return 0;
        memcpy(text, s, n);
        text[n] = '\0';
        int real = strpbrk(text, ".eE") != NULL;
        errno = 0;
        if (real) {
            double d = strtod(text, NULL);
            if (isinf(d))
                fd->real_overflow = 1;
            return !v || (json_is_real(v) && json_real_value(v) == d);
        }
        long long ll = strtoll(text, NULL, 10);
        if (errno == ERANGE)
            fd->int64_overflow = 1;
        return !v || (json_is_integer(v) && json_integer_value(v) == ll);
    }
    case TRPT_JSON_TRUE: return !v || json_is_true(v);
    case TRPT_JSON_FALSE: return !v || json_is_false(v);
    case TRPT_JSON_NULL: return !v || json_is_null(v);
    default: return -1;
    }
}

struct counts {
    unsigned long docs, accepted_both, rejected_both, int64_diff, real_diff, nulkey_diff, depth_diff, nul_after_diff,
        failures;
};

static void dump(const char *why, const char *doc, size_t len, const char *jerr)
{
    printf("FAIL %s (jansson: %s): ", why, jerr);
    for (size_t i = 0; i < len && i < 400; i++) {
        unsigned char c = (unsigned char)doc[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            putchar(c);
        else
            printf("\\x%02x", c);
    }
    putchar('\n');
}

static void check_one(const char *doc, size_t len, struct counts *c)
{
    c->docs++;
    /* An exact-size copy, so that reading past the end is caught under valgrind/ASan. */
    char *in = malloc(len ? len : 1);
    if (!in)
        exit(1);
    memcpy(in, doc, len);

    json_error_t jerr;
    json_t *root = json_loadb(in, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);

    tlsrpt_diag *d;
    if (tlsrpt_diag_new(&d) != TLSRPT_OK)
        exit(1);
    trpt_json_reader *r;
    if (trpt_json_reader_new(&r, in, len, TRPT_JSON_STRICT, TLSRPT_MAX_REPORT_SIZE, d) != TLSRPT_OK)
        exit(1);
    struct findings fd = {0, 0, 0};
    int t = trpt_json_next(r);
    int same = t > 0 ? compare(r, t, root, &fd) : -1;
    int ours_ok = same >= 0 && trpt_json_next(r) == TRPT_JSON_END;
    trpt_json_reader_free(r);

    if (ours_ok && root) {
        c->accepted_both++;
        if (same != 1) {
            dump("values differ", in, len, "accepted");
            c->failures++;
        }
    } else if (!ours_ok && !root) {
        c->rejected_both++;
    } else if (ours_ok) {
        if (fd.int64_overflow && strstr(jerr.text, "too big"))
            c->int64_diff++;
        else if (fd.real_overflow && strstr(jerr.text, "real number overflow"))
            c->real_diff++;
        else if (fd.nul_in_key && strstr(jerr.text, "NUL byte in object key"))
            c->nulkey_diff++;
        else {
            dump("we accept, jansson rejects", in, len, jerr.text);
            c->failures++;
        }
    } else {
        const char *id = tlsrpt_diag_count(d) ? tlsrpt_diag_id(d, tlsrpt_diag_count(d) - 1) : "";
        size_t off = tlsrpt_diag_count(d) ? tlsrpt_diag_offset(d, tlsrpt_diag_count(d) - 1) : TLSRPT_NO_OFFSET;
        if (strcmp(id, "json-depth-limit") == 0) {
            c->depth_diff++;
        } else if ((strcmp(id, "json-trailing-data") == 0 || strcmp(id, "json-syntax") == 0) && off < len &&
                   off > 0 && in[off] == '\0' && strchr("0123456789el", in[off - 1]) && in[off - 1] != '\0') {
            c->nul_after_diff++;
        } else {
            dump(id, in, len, "accepted");
            c->failures++;
        }
    }
    if (!ours_ok && trpt_diag_errors_since(d, 0) == 0) {
        dump("rejected without an ERROR diagnostic", in, len, root ? "accepted" : jerr.text);
        c->failures++;
    }
    /* Lenient mode accepts everything strict mode accepts, with the same findings (none). */
    if (ours_ok) {
        tlsrpt_diag_clear(d);
        if (trpt_json_reader_new(&r, in, len, 0, TLSRPT_MAX_REPORT_SIZE, d) != TLSRPT_OK)
            exit(1);
        while ((t = trpt_json_next(r)) > 0 && t != TRPT_JSON_END)
            ;
        trpt_json_reader_free(r);
        if (t != TRPT_JSON_END || tlsrpt_diag_count(d) != 0) {
            dump("lenient differs from strict", in, len, "");
            c->failures++;
        }
    }
    tlsrpt_diag_free(d);
    json_decref(root);
    free(in);
}

int main(int argc, char **argv)
{
    unsigned long ndocs = argc > 1 ? strtoul(argv[1], NULL, 10) : 30000;
    rng_state = argc > 2 ? strtoull(argv[2], NULL, 10) : UINT64_C(0x5EED5EED12345678);
    if (rng_state == 0)
        rng_state = 1;
    static const char inserts[] = "{}[],:\"\\ 0-.eE\x01\x80\xc3\xef";
    struct counts c = {0};
    trpt_buf b, m;
    for (unsigned long i = 0; i < ndocs; i++) {
        trpt_buf_init(&b);
        gen_value(&b, 0);
        if (b.failed)
            return 1;
        check_one(b.data, b.len, &c);
        for (int k = 0; k < 5 && b.len > 0; k++) {
            trpt_buf_init(&m);
            trpt_buf_append(&m, b.data, b.len);
            if (m.failed)
                return 1;
            size_t at = rnd() % m.len;
            switch (below(4)) {
            case 0: /* replace one byte: structural, quote, escape, control, non-ASCII or any */
                m.data[at] = below(2) ? inserts[below(sizeof inserts - 1)] : (char)below(256);
                break;
            case 1: /* truncate */
                m.len = at;
                break;
            case 2: /* insert a structural or special byte */
                trpt_buf_putc(&m, 0);
                memmove(m.data + at + 1, m.data + at, m.len - at - 1);
                m.data[at] = inserts[below(sizeof inserts - 1)];
                break;
            default: /* delete one byte */
                memmove(m.data + at, m.data + at + 1, m.len - at - 1);
                m.len--;
                break;
            }
            check_one(m.data, m.len, &c);
            trpt_buf_free(&m);
        }
        trpt_buf_free(&b);
    }
    printf("differential vs jansson %s: %lu documents (%lu generated + mutations): %lu accepted by both with equal "
           "values, %lu rejected by both; documented differences: %lu integers outside int64, %lu real overflows, "
           "%lu NUL in a member name, %lu deeper than %u, %lu NUL byte after a number or literal; %lu failures\n",
           jansson_version_str(), c.docs, ndocs, c.accepted_both, c.rejected_both, c.int64_diff, c.real_diff,
           c.nulkey_diff, c.depth_diff, (unsigned)TLSRPT_MAX_JSON_DEPTH, c.nul_after_diff, c.failures);
    return c.failures ? 1 : 0;
}
