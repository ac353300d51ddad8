/* Fuzz target: the internal streaming JSON reader (lib/json_reader.h) on its own.
 *
 * The first input byte selects the mode, the rest is the JSON text (copied into an exact-size buffer, so ASan sees
 * a read before or past it):
 *   bit 0  strict (TRPT_JSON_STRICT) instead of lenient;
 *   bit 1  call trpt_json_skip() on every other container start and member name instead of descending;
 *   bit 2  max_size is half the text length (the size-limit path).
 * Every token is pulled; strings are read byte by byte, numbers converted with trpt_json_uint64(), and the path,
 * offset and depth of each token are checked against a stack the harness keeps itself.
 *
 * Invariants: reader_new fails only with ELIMIT (+ ERROR json-size-limit) when over max_size; every negative
 * status of next/skip is ESYNTAX, ELIMIT or ENOMEM, adds exactly one ERROR, and is sticky (repeating the call
 * returns it again and adds nothing); strict mode adds no WARNING; END repeats; containers balance; the JSON
 * pointer has as many segments as the depth says; trpt_json_uint64 agrees with trpt_json_number_to_uint64 and its
 * ESEMANTIC adds an ERROR; the token count is bounded by the input length.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "json_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count_severity(const tlsrpt_diag *d, int severity)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (tlsrpt_diag_severity(d, i) == severity)
            n++;
    return n;
}

/* The number of ERROR entries, counted incrementally: the harness asks before every token, and recounting a list of
 * up to 1016 entries each time made the harness itself quadratic (a 13 KB input took a second under ASan). Entries
 * are only appended until the list is full; once full (999 entries and more) errors may replace each other and the
 * count is not used (check_error_count). */
static struct {
    const tlsrpt_diag *d;
    size_t seen, errors;
} error_tally;

static size_t error_count(const tlsrpt_diag *d)
{
    size_t n = tlsrpt_diag_count(d);
    if (error_tally.d != d || n < error_tally.seen) {
        error_tally.d = d;
        error_tally.seen = 0;
        error_tally.errors = 0;
    }
    for (; error_tally.seen < n; error_tally.seen++)
        if (tlsrpt_diag_severity(d, error_tally.seen) == TLSRPT_SEVERITY_ERROR)
            error_tally.errors++;
    return error_tally.errors;
}

static size_t path_segments(const char *path)
{
    size_t n = 0;
    for (const char *p = path; *p; p++)
        if (*p == '/')
            n++;
    return n;
}

/* The list holds `expected` ERROR entries; once it is full (999 entries and more, doc/tlsrpt_diag.3) errors may
 * replace each other, and then the newest ERROR is its last entry. */
static void check_error_count(const tlsrpt_diag *diag, size_t expected)
{
    size_t n = tlsrpt_diag_count(diag);
    if (n < 999)
        FUZZ_CHECK(count_severity(diag, TLSRPT_SEVERITY_ERROR) == expected);
    else
        FUZZ_CHECK(tlsrpt_diag_severity(diag, n - 1) == TLSRPT_SEVERITY_ERROR);
}

/* A failed next/skip: the status is an error code, exactly one ERROR was added (none when reader_new already
 * recorded the failure: a BOM in strict mode), and the failure is sticky. */
static void check_failure(trpt_json_reader *r, tlsrpt_diag *diag, int status, size_t errors_before, int pre_failed)
{
    FUZZ_CHECK(status == TLSRPT_ESYNTAX || status == TLSRPT_ELIMIT || status == TLSRPT_ENOMEM);
    check_error_count(diag, errors_before + (pre_failed ? 0 : 1));
    size_t n = tlsrpt_diag_count(diag);
    FUZZ_CHECK(trpt_json_next(r) == status);
    FUZZ_CHECK(trpt_json_skip(r) == status);
    FUZZ_CHECK(tlsrpt_diag_count(diag) == n);
}

static void check_string(trpt_json_reader *r)
{
    size_t len = 99;
    const char *s = trpt_json_string(r, &len);
    FUZZ_CHECK(s != NULL);
    volatile unsigned sum = 0;
    for (size_t i = 0; i < len; i++) /* ASan: the string is readable over its whole length */
        sum += (unsigned char)s[i];
    (void)sum;
    if (len < 256 && memchr(s, '\0', len) == NULL) {
        char copy[256];
        memcpy(copy, s, len);
        copy[len] = '\0';
        FUZZ_CHECK(trpt_json_string_equals(r, copy) == 1);
        if (len > 0) {
            copy[len - 1] = '\0';
            FUZZ_CHECK(trpt_json_string_equals(r, copy) == 0);
        }
    }
    size_t nlen = 7;
    FUZZ_CHECK(trpt_json_number_text(r, &nlen) == NULL && nlen == 0);
}

static void check_number(trpt_json_reader *r, tlsrpt_diag *diag)
{
    size_t len = 0;
    const char *text = trpt_json_number_text(r, &len);
    FUZZ_CHECK(text != NULL && len > 0);
    uint64_t direct = 1;
    trpt_json_u64_status st = trpt_json_number_to_uint64(text, len, &direct);
    FUZZ_CHECK(st != TRPT_JSON_U64_SYNTAX);
    if (st != TRPT_JSON_U64_OK)
        FUZZ_CHECK(direct == 0);
    size_t errors = error_count(diag);
    uint64_t v = 1;
    int rc = trpt_json_uint64(r, &v);
    if (st == TRPT_JSON_U64_OK) {
        FUZZ_CHECK(rc == TLSRPT_OK && v == direct);
        FUZZ_CHECK(error_count(diag) == errors);
    } else {
        FUZZ_CHECK(rc == TLSRPT_ESEMANTIC || rc == TLSRPT_ENOMEM);
        FUZZ_CHECK(v == 0);
        if (rc == TLSRPT_ESEMANTIC)
            check_error_count(diag, errors + 1);
    }
    size_t slen = 7;
    FUZZ_CHECK(trpt_json_string(r, &slen) == NULL && slen == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const unsigned mode = data[0];
    const size_t len = size - 1;
    char *text = malloc(len ? len : 1);
    if (!text)
        return 0;
    if (len)
        memcpy(text, data + 1, len);
    const unsigned flags = (mode & 1u) ? TRPT_JSON_STRICT : 0;
    const int skipping = (mode & 2u) != 0;
    const size_t max_size = (mode & 4u) ? len / 2 : TLSRPT_MAX_REPORT_SIZE;

    tlsrpt_diag *diag = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK) {
        free(text);
        return 0;
    }
    error_tally.d = NULL; /* a new list (perhaps at the last one's address) */
    trpt_json_reader *r = (trpt_json_reader *)&diag; /* must be overwritten */
    int rc = trpt_json_reader_new(&r, text, len, flags, max_size, diag);
    if (rc != TLSRPT_OK) {
        FUZZ_CHECK(r == NULL);
        FUZZ_CHECK(rc == TLSRPT_ELIMIT || rc == TLSRPT_ENOMEM);
        if (rc == TLSRPT_ELIMIT) {
            FUZZ_CHECK(len > max_size);
            FUZZ_CHECK(tlsrpt_diag_count(diag) == 1);
            FUZZ_CHECK(tlsrpt_diag_severity(diag, 0) == TLSRPT_SEVERITY_ERROR);
            FUZZ_CHECK(strcmp(tlsrpt_diag_id(diag, 0), "json-size-limit") == 0);
        }
        goto out;
    }
    FUZZ_CHECK(r != NULL && len <= max_size);
    FUZZ_CHECK(trpt_json_token_type(r) == 0);
    /* Strict mode and a byte order mark: reader_new recorded the ERROR, the first next() fails. */
    const int pre_failed = count_severity(diag, TLSRPT_SEVERITY_ERROR) > 0;
    if (pre_failed)
        FUZZ_CHECK((flags & TRPT_JSON_STRICT) && len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0);

    /* The harness's own view of the open containers: 1 object, 2 array. */
    unsigned char stack[TLSRPT_MAX_JSON_DEPTH + 1];
    unsigned depth = 0;
    size_t tokens = 0, names = 0;
    int done = 0;
    while (!done) {
        size_t errors = error_count(diag);
        int t = trpt_json_next(r);
        tokens++;
        /* Every token but END consumes at least one byte (a name consumes its ':' too). */
        FUZZ_CHECK(tokens <= len + 2);
        if (t < 0) {
            check_failure(r, diag, t, errors, pre_failed);
            break;
        }
        FUZZ_CHECK(t >= TRPT_JSON_OBJECT_START && t <= TRPT_JSON_END);
        FUZZ_CHECK(trpt_json_token_type(r) == t);
        size_t off = trpt_json_offset(r);
        FUZZ_CHECK(t == TRPT_JSON_END ? off <= len : off < len);
        const char *path = trpt_json_path(r);
        FUZZ_CHECK(path != NULL);
        FUZZ_CHECK(path[0] == '\0' || path[0] == '/');
        FUZZ_CHECK(trpt_json_path(r) == path); /* cached until the next token */
        size_t segs = path_segments(path);
        /* A path over TRPT_DIAG_PATH_MAX bytes is cut in the middle, with a "/..." segment standing for the levels
         * left out: then it has fewer segments than levels (a member named "..." looks the same: also allowed). */
        FUZZ_CHECK(strlen(path) <= TRPT_DIAG_PATH_MAX);
        int maybe_cut = strstr(path, "/.../") != NULL;
#define SEGS_ARE(n) (maybe_cut ? segs <= (n) : segs == (n))
        switch (t) {
        case TRPT_JSON_OBJECT_START:
        case TRPT_JSON_ARRAY_START:
            FUZZ_CHECK(depth < TLSRPT_MAX_JSON_DEPTH);
            if (skipping && (tokens & 1u)) {
                /* Skip the whole container: afterwards the current token is its end. */
                int s = trpt_json_skip(r);
                if (s != TLSRPT_OK) {
                    check_failure(r, diag, s, errors, pre_failed);
                    done = 1;
                    break;
                }
                FUZZ_CHECK(trpt_json_token_type(r) ==
                           (t == TRPT_JSON_OBJECT_START ? TRPT_JSON_OBJECT_END : TRPT_JSON_ARRAY_END));
                FUZZ_CHECK(trpt_json_depth(r) == depth);
                break;
            }
            stack[depth++] = t == TRPT_JSON_OBJECT_START ? 1 : 2;
            FUZZ_CHECK(trpt_json_depth(r) == depth);
            FUZZ_CHECK(SEGS_ARE(depth - 1));
            break;
        case TRPT_JSON_OBJECT_END:
        case TRPT_JSON_ARRAY_END:
            FUZZ_CHECK(depth > 0);
            FUZZ_CHECK(stack[depth - 1] == (t == TRPT_JSON_OBJECT_END ? 1 : 2));
            depth--;
            FUZZ_CHECK(trpt_json_depth(r) == depth);
            FUZZ_CHECK(SEGS_ARE(depth));
            break;
        case TRPT_JSON_NAME:
            FUZZ_CHECK(depth > 0 && stack[depth - 1] == 1);
            FUZZ_CHECK(trpt_json_depth(r) == depth && SEGS_ARE(depth));
            names++;
            check_string(r);
            if (skipping && (names & 1u)) {
                int s = trpt_json_skip(r);
                if (s != TLSRPT_OK) {
                    check_failure(r, diag, s, errors, pre_failed);
                    done = 1;
                    break;
                }
                int after = trpt_json_token_type(r);
                FUZZ_CHECK(after != TRPT_JSON_NAME && after != TRPT_JSON_END);
                FUZZ_CHECK(trpt_json_depth(r) == depth);
            }
            break;
        case TRPT_JSON_STRING:
            FUZZ_CHECK(trpt_json_depth(r) == depth && SEGS_ARE(depth));
            check_string(r);
            break;
        case TRPT_JSON_NUMBER:
            FUZZ_CHECK(trpt_json_depth(r) == depth && SEGS_ARE(depth));
            check_number(r, diag);
            break;
        case TRPT_JSON_TRUE:
        case TRPT_JSON_FALSE:
        case TRPT_JSON_NULL:
            FUZZ_CHECK(trpt_json_depth(r) == depth && SEGS_ARE(depth));
            break;
        case TRPT_JSON_END:
            FUZZ_CHECK(depth == 0 && trpt_json_depth(r) == 0);
            FUZZ_CHECK(trpt_json_next(r) == TRPT_JSON_END);
            FUZZ_CHECK(trpt_json_skip(r) == TLSRPT_OK);
            FUZZ_CHECK(trpt_json_next(r) == TRPT_JSON_END);
            done = 1;
            break;
        default:
            break;
        }
    }
    if (flags & TRPT_JSON_STRICT)
        FUZZ_CHECK(count_severity(diag, TLSRPT_SEVERITY_WARNING) == 0);
    trpt_json_reader_free(r);
out:
    tlsrpt_diag_free(diag);
    free(text);
    return 0;
}
