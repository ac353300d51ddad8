/* libtlsrpt — the streaming JSON reader: RFC 8259 grammar, I-JSON (RFC 7493) checks, byte offsets and JSON
 * pointers in every finding. The interface and its rules are in json_reader.h.
 * SPDX-License-Identifier: MIT
 *
 * Design notes (why, not what):
 * - An iterative state machine with a stack of at most TLSRPT_MAX_JSON_DEPTH frames (the first 8 inside the reader,
 *   the rest allocated when reached): hostile nesting can never recurse the C stack, and going one level deeper
 *   is a clean ELIMIT.
 * - Strings are scanned 16 bytes at a time (SSE2) or 8 (portable word tricks) for the four things that stop a
 *   plain run ('"', '\\', a control byte, a non-ASCII byte); a string that ends at its first stop is returned as a
 *   span of the input without further work. Anything else goes to the out-of-line decoder: a string that has
 *   nothing but valid UTF-8 is still a span; only a string with an escape (or, in lenient mode, an invalid byte)
 *   is decoded, into one reusable scratch buffer.
 * - Duplicate names: the names of every open object live on one stack (an inner object's names are pushed after
 *   its parent's and popped when it closes, so each open object's names are contiguous). Small objects compare
 *   each new name with the earlier ones (length first, no hashing); larger ones get a hash index that is reused
 *   per depth and dropped when big.
 * - Parsing a report is dominated by per-token costs (its strings are short), so the common paths are kept
 *   short: frames are initialized when their level is first reached, and after ',' the next name or value is
 *   read directly. The two tokens a report mostly consists of (a plain string value; a plain name followed by
 *   ':' in a small object, with no earlier name of its length) have leaf fast paths (read_value, read_name) that
 *   change the reader only when they succeed, so that everything else starts over in the general functions from
 *   the same byte; trpt_json_next_member/_value/_element skip the state dispatch for the input the report
 *   parser expects and fall back to trpt_json_next() otherwise (tests/test_json_reader.c checks that both give
 *   the same tokens, offsets, paths and findings). Plain integers of up to 19 digits are converted while
 *   scanned. The current token is the first member of the reader, so that its accessors are inline.
 * - The JSON pointer is not kept as text: each frame keeps its current member (an index into the name stack) or
 *   element index, and trpt_json_path() renders it on demand.
 */
#include "json_reader.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "internal.h"
#include "utf8.h"
#include "siphash.h"

/* What the reader expects next. */
enum {
    ST_VALUE,         /* a value (top level, after ':' or after ',' in an array) */
    ST_FIRST_MEMBER,  /* a name or '}' (just after '{') */
    ST_FIRST_ELEMENT, /* a value or ']' (just after '[') */
    ST_AFTER_VALUE,   /* ',' or the container's closing bracket */
    ST_DONE,          /* the top-level value is complete: only whitespace may follow */
    ST_END,           /* TRPT_JSON_END was returned */
    ST_FAILED         /* status holds the sticky error (a state of its own: trpt_json_next tests nothing else) */
};

/* One distinct member name of an open object (a repeated name gets no entry of its own). Offsets and lengths fit
 * 31 bits because the input is capped below 2 GiB; the top bit of len_flags says the name had escapes or
 * replacements and its decoded bytes are in the arena. 8 bytes: tracking costs at most a few bytes per input byte. */
typedef struct name_entry {
    uint32_t off; /* into the input, or into the arena */
    uint32_t len_flags;
} name_entry;
#define NAME_IN_ARENA 0x80000000u

/* Frames inside the reader (deeper levels are allocated when reached). */
#define INLINE_FRAMES 8u

typedef struct frame {
    uint32_t *table;       /* hash index, kept per depth: 0 empty, else slot_value() (position + tag) */
    uint64_t name_lengths; /* object: bit (len % 64) is set for the length of each name read so far */
    /* Positions and counts fit 32 bits: the input is below 2 GiB (JSON_MAX_INPUT). 40 bytes a frame. */
    uint32_t index;        /* array: index of the current element */
    uint32_t cur_name;     /* object: name stack index of the current member */
    uint32_t names_start;  /* object: first name stack entry of this object */
    uint32_t arena_start;  /* object: arena length when the object opened */
    uint32_t table_cap;    /* slots, a power of two; at most 3/4 of them used */
    unsigned char is_object;
    unsigned char has_current; /* an element has started (array) / a name was read (object) */
    unsigned char tag_shift;   /* a slot holds the name's position + 1 below this bit, hash bits above it */
    unsigned char table_live;  /* the table indexes this object */
} frame;

struct trpt_json_reader {
    trpt_json_current cur; /* first: the inline accessors of json_reader.h read it */
    const unsigned char *in;
    size_t len;
    size_t pos;
    unsigned flags;
    tlsrpt_diag *diag;
    int status; /* sticky error, TLSRPT_OK while reading */
    int state;
    int num_plain;      /* NUMBER: a plain integer of at most 19 digits, whose value is num_value */
    uint64_t num_value;
    unsigned depth;
    unsigned frames_ready; /* frames[0..frames_ready) have been initialized (the deepest level reached so far) */

    char *scratch;
    size_t scratch_cap;

    name_entry *names;
    size_t names_len;
    size_t names_cap;
    char *arena;
    size_t arena_len;
    size_t arena_cap;

    char *path;
    size_t path_len;
    size_t path_cap;
    int path_valid;

    trpt_budget *budget; /* the caller's memory budget (NULL: none); every buffer above is charged to it */
    size_t charged;      /* bytes charged to budget, given back by trpt_json_reader_free */
    trpt_hash_key key;   /* the key of every hash index of this reader (drawn when the first index is built) */
    int key_ready;
    uint64_t probes;     /* hash index slots examined and names compared (trpt_json_reader_stats, for tests) */
    uint64_t paths;      /* JSON pointers rendered (trpt_json_reader_stats) */

    frame *frames;       /* frames_inline, or a heap array of frames_cap frames once the input nests deeper */
    frame *top;          /* &frames[depth - 1] (the innermost open container) when depth > 0 */
    unsigned frames_cap;

    /* Last, so that a new reader zeroes only the fields above: a frame is initialized when its level is first
     * reached. Reports nest 5 levels deep, so the first levels live in the reader itself and the rest (up to
     * TLSRPT_MAX_JSON_DEPTH) is allocated when reached: a small reader for the common input. */
    frame frames_inline[INLINE_FRAMES];
};

/* Largest input the 31-bit name offsets and lengths can address. */
#define JSON_MAX_INPUT ((size_t)INT32_MAX - 1u)
/* A per-depth hash index bigger than this is freed when its object closes, so that later small objects at that
 * depth never pay for clearing a big table. */
#define TABLE_KEEP_MAX 256u

/* Byte classes inside a string: 0 plain, 1 '"', 2 '\\', 3 control, 4 non-ASCII. */
enum { C_PLAIN, C_QUOTE, C_ESCAPE, C_CONTROL, C_UTF8 };
static const unsigned char string_class[256] = {
    3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

/* RFC 8259 whitespace: space, tab, LF, CR. */
static const unsigned char is_ws[256] = {
    ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, [' '] = 1,
};

/* The first position at or after p that is not JSON whitespace, for runs of more than one byte. */
static size_t skip_ws_run(const unsigned char *in, size_t len, size_t p)
{
    while (p < len && in[p] <= ' ' && is_ws[in[p]])
        p++;
    return p;
}

/* The first position at or after p that is not JSON whitespace. Inline for the common cases: no whitespace, or
 * the one space of ", " and ": " (a byte above ' ' is never whitespace: one compare each). */
static inline size_t skip_ws(const unsigned char *in, size_t len, size_t p)
{
    if (p < len && in[p] > ' ')
        return p;
    if (p < len && in[p] == ' ' && len - p > 1 && in[p + 1] > ' ')
        return p + 1;
    return skip_ws_run(in, len, p);
}

/* Hex digit values plus one; 0 for anything else. A table of its own, not charclass.h's trpt_hex_value(), so that a
 * \uXXXX escape in the reader's string loop costs four table loads and no comparisons per digit. */
static const unsigned char hex_value1[256] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,  ['7'] = 8,
    ['8'] = 9,  ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16,
    ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

static const char replacement_char[3] = {'\xEF', '\xBF', '\xBD'}; /* U+FFFD */

/* ---- Findings ---------------------------------------------------------------------------------------------- */

/* A byte for a message: 'x' when printable ASCII, else 0xNN. */
static void describe_byte(char out[8], unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    if (c > 0x20 && c < 0x7f && c != '\'') {
        out[0] = '\'';
        out[1] = (char)c;
        out[2] = '\'';
        out[3] = '\0';
    } else {
        out[0] = '0';
        out[1] = 'x';
        out[2] = hex[c >> 4];
        out[3] = hex[c & 15];
        out[4] = '\0';
    }
}

static int add_finding(trpt_json_reader *r, int severity, const char *id, size_t off, const char *fmt, va_list ap)
    TRPT_PRINTF(5, 0);
static int add_finding(trpt_json_reader *r, int severity, const char *id, size_t off, const char *fmt, va_list ap)
{
    if (!r->diag)
        return TLSRPT_OK;
    return trpt_diag_vadd(r->diag, severity, id, off, trpt_json_path(r), fmt, ap);
}

/* Records an error (sticky) and returns its status. */
static int fail(trpt_json_reader *r, int status, const char *id, size_t off, const char *fmt, ...) TRPT_PRINTF(5, 6);
static int fail(trpt_json_reader *r, int status, const char *id, size_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)add_finding(r, TLSRPT_SEVERITY_ERROR, id, off, fmt, ap); /* the parse error outranks a lost message */
    va_end(ap);
    r->status = status;
    r->state = ST_FAILED;
    r->cur.token = 0;
    r->cur.str = NULL;
    r->cur.str_len = 0;
    return status;
}

/* An I-JSON finding: a deviation (trpt_diag_deviation: an error in strict mode, else a warning). Returns TLSRPT_OK
 * when reading may go on. */
static int ijson_finding(trpt_json_reader *r, int status, const char *id, size_t off, const char *fmt, ...)
    TRPT_PRINTF(5, 6);
static int ijson_finding(trpt_json_reader *r, int status, const char *id, size_t off, const char *fmt, ...)
{
    int strict = (r->flags & TRPT_JSON_STRICT) != 0;
    int rc = TLSRPT_OK;
    if (trpt_diag_deviation_keeps(r->diag, strict)) { /* no path is rendered for a finding that is not kept */
        va_list ap;
        va_start(ap, fmt);
        rc = trpt_diag_vdeviation(r->diag, strict, id, off, trpt_json_path(r), fmt, ap);
        va_end(ap);
    }
    if (strict) {
        r->status = status;
        r->state = ST_FAILED;
        r->cur.token = 0;
        r->cur.str = NULL;
        r->cur.str_len = 0;
        return status;
    }
    if (rc != TLSRPT_OK) {
        r->status = rc;
        r->state = ST_FAILED;
        return rc;
    }
    return TLSRPT_OK;
}

static int unexpected_end(trpt_json_reader *r, const char *what)
{
    return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-unexpected-end"), r->len, "The JSON text ends inside %s.", what);
}

/* ---- Buffers ----------------------------------------------------------------------------------------------- */

/* Charges n more bytes to the reader's budget. Returns TLSRPT_OK, or TLSRPT_ELIMIT when the budget is spent. */
static int charge(trpt_json_reader *r, size_t n)
{
    if (!trpt_budget_take(r->budget, n))
        return TLSRPT_ELIMIT;
    r->charged += n;
    return TLSRPT_OK;
}

static void uncharge(trpt_json_reader *r, size_t n)
{
    trpt_budget_give(r->budget, n);
    r->charged -= n;
}

/* Fails for memory that could not be had: ELIMIT json-memory-limit when the budget said no, else ENOMEM. */
static int no_memory(trpt_json_reader *r, int rc, size_t off, const char *what)
{
    if (rc == TLSRPT_ELIMIT)
        return fail(r, TLSRPT_ELIMIT, DIAG_ID("json-memory-limit"), off,
                    "Reading %s would take more memory than the limit for this input (%zu bytes).", what,
                    r->budget ? r->budget->limit : (size_t)0);
    return fail(r, TLSRPT_ENOMEM, DIAG_ID("json-out-of-memory"), off, "Out of memory while reading %s.", what);
}

/* Grows *buf (capacity *cap) to hold at least need bytes, charging the growth to the budget. Returns TLSRPT_OK,
 * TLSRPT_ELIMIT (budget) or TLSRPT_ENOMEM. */
static int grow(trpt_json_reader *r, char **buf, size_t *cap, size_t need)
{
    if (need <= *cap)
        return TLSRPT_OK;
    size_t ncap = *cap ? *cap : 256;
    while (ncap < need)
        ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
    if (charge(r, ncap - *cap) != TLSRPT_OK)
        return TLSRPT_ELIMIT;
    char *p = realloc(*buf, ncap);
    if (!p) {
        uncharge(r, ncap - *cap);
        return TLSRPT_ENOMEM;
    }
    *buf = p;
    *cap = ncap;
    return TLSRPT_OK;
}

/* Appends n bytes at scratch[*used]. */
static inline int scratch_put(trpt_json_reader *r, size_t *used, const void *src, size_t n)
{
    if (n == 0) /* the scratch buffer may not exist yet */
        return TLSRPT_OK;
    int rc;
    if (r->scratch_cap - *used < n && (rc = grow(r, &r->scratch, &r->scratch_cap, *used + n)) != TLSRPT_OK)
        return no_memory(r, rc, r->pos, "a string");
    memcpy(r->scratch + *used, src, n);
    *used += n;
    return TLSRPT_OK;
}

/* ---- UTF-8 (utf8.h) ---------------------------------------------------------------------------------------------- */

/* ---- Strings ----------------------------------------------------------------------------------------------- */

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Reads the 4 hex digits of a \u escape whose backslash is at p. Returns the code unit, -1 when truncated, -2
 * when a digit is not hex. */
static long read_u_escape(const unsigned char *in, size_t len, size_t p)
{
    if (len - p < 6)
        return -1;
    unsigned a = hex_value1[in[p + 2]], b = hex_value1[in[p + 3]], c = hex_value1[in[p + 4]],
             d = hex_value1[in[p + 5]];
    if (!a || !b || !c || !d)
        return -2;
    return (long)(((a - 1) << 12) | ((b - 1) << 8) | ((c - 1) << 4) | (d - 1));
}

/* Keeps a function out of line (the less common path), so that its caller stays small; or inlines a step of
 * trpt_json_next() into it, so that a token costs one call. */
#if defined(__GNUC__)
#define OUT_OF_LINE __attribute__((noinline))
#define ALWAYS_INLINE inline __attribute__((always_inline))
#else
#define OUT_OF_LINE
#define ALWAYS_INLINE inline
#endif

/* plain_run_end() 8 bytes at a time, then byte by byte: the whole scan without SSE2, else the last 15 bytes of the
 * input (out of line there, so that the 16-byte loop's callers keep few registers). */
#if defined(__SSE2__) && defined(__GNUC__)
static size_t plain_run_end_words(const unsigned char *in, size_t len, size_t p) OUT_OF_LINE;
#endif
static size_t plain_run_end_words(const unsigned char *in, size_t len, size_t p)
{
    while (len - p >= 8) {
        uint64_t w;
        memcpy(&w, in + p, 8);
        uint64_t q = w ^ (ONES * '"');
        uint64_t b = w ^ (ONES * '\\');
        /* A byte sets its high bit here iff it is '"', '\\', < 0x20 or >= 0x80: a borrow only ever starts at a
         * byte that matches, so there are no false alarms without a real match. */
        uint64_t m = (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) | w) & HIGHS;
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            /* Little-endian: the first byte in memory is the lowest in w, and borrows run towards higher bytes,
             * so the lowest flagged byte is a real match: go straight to it. */
            p += (size_t)__builtin_ctzll(m) / 8;
#endif
            break;
        }
        p += 8;
    }
    while (p < len && string_class[in[p]] == C_PLAIN)
        p++;
    return p;
}

/* The position of the first byte at or after p that ends a plain run in a string ('"', '\\', a control byte, a
 * non-ASCII byte), or len when there is none. */
static inline size_t plain_run_end(const unsigned char *in, size_t len, size_t p)
{
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes at a time. The compare is signed, so "< 0x20" also catches every byte >= 0x80 (negative). Bit i of
     * the mask is byte i, so the lowest set bit is the first special byte. */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (len - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + p));
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask)
            return p + (size_t)__builtin_ctz(mask);
        p += 16;
    }
#endif
    return plain_run_end_words(in, len, p);
}

static int scan_string_slow(trpt_json_reader *r, size_t start, size_t p, int *decoded) OUT_OF_LINE;

/* Scans the string whose opening quote is at r->pos; on success sets r->cur.str/str_len (a span of the input when
 * nothing had to be decoded, else the scratch buffer), *decoded, and r->pos after the closing quote. */
static ALWAYS_INLINE int scan_string(trpt_json_reader *r, int *decoded, size_t stop)
{
    const size_t start = r->pos + 1;
    /* stop: the first stop byte after start when a fast path has found it already, else SIZE_MAX */
    size_t p = stop != SIZE_MAX ? stop : plain_run_end(r->in, r->len, start);
    if (p < r->len && r->in[p] == '"') { /* the common case: nothing to check or decode */
        r->cur.str = (const char *)r->in + start;
        r->cur.str_len = p - start;
        r->cur.str_has_nul = 0; /* raw control bytes are errors: a NUL needs an escape */
        r->pos = p + 1;
        *decoded = 0;
        return TLSRPT_OK;
    }
    return scan_string_slow(r, start, p, decoded);
}

/* The rest of scan_string() from p, the first byte that ends the plain run from start: escapes, UTF-8, errors. */
static int scan_string_slow(trpt_json_reader *r, size_t start, size_t p, int *decoded)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t run = start; /* first input byte not yet copied (when copying) */
    size_t used = 0;    /* bytes in scratch */
    int copying = 0;
    int warned = 0;
    int has_nul = 0; /* a \u0000 escape was decoded (the only way a NUL gets into a string) */
    int rc;

    for (;;) {
        p = plain_run_end(in, len, p);
        if (p >= len)
            return unexpected_end(r, "a string");
        switch (string_class[in[p]]) {
        case C_QUOTE:
            if (copying) {
                if ((rc = scratch_put(r, &used, in + run, p - run)) != TLSRPT_OK)
                    return rc;
                r->cur.str = r->scratch;
                r->cur.str_len = used;
                r->cur.str_has_nul = has_nul;
            } else {
                r->cur.str = (const char *)in + start;
                r->cur.str_len = p - start;
                r->cur.str_has_nul = 0;
            }
            *decoded = copying;
            r->pos = p + 1;
            return TLSRPT_OK;
        case C_CONTROL: {
            char b[8];
            describe_byte(b, in[p]);
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-control-character"), p,
                        "Control character %s in a string; it must be escaped.", b);
        }
        case C_UTF8: {
            size_t bad;
            size_t n = trpt_utf8_sequence(in + p, len - p, &bad);
            if (n) {
                p += n;
                break;
            }
            if (!warned) {
                char b[8];
                describe_byte(b, in[p]);
                rc = ijson_finding(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-utf8"), p,
                                   (r->flags & TRPT_JSON_STRICT) ? "Invalid UTF-8 in a string (byte %s)."
                                                                 : "Invalid UTF-8 in a string (byte %s); replaced "
                                                                   "by U+FFFD.",
                                   b);
                if (rc != TLSRPT_OK)
                    return rc;
                warned = 1;
            }
            if ((rc = scratch_put(r, &used, in + run, p - run)) != TLSRPT_OK ||
                (rc = scratch_put(r, &used, replacement_char, 3)) != TLSRPT_OK)
                return rc;
            copying = 1;
            p += bad;
            run = p;
            break;
        }
        case C_ESCAPE: {
            char out[4];
            size_t n = 1;
            size_t esc = p;
            if ((rc = scratch_put(r, &used, in + run, p - run)) != TLSRPT_OK)
                return rc;
            copying = 1;
            if (len - p < 2)
                return unexpected_end(r, "a string");
            switch (in[p + 1]) {
            case '"': out[0] = '"'; break;
            case '\\': out[0] = '\\'; break;
            case '/': out[0] = '/'; break;
            case 'b': out[0] = '\b'; break;
            case 'f': out[0] = '\f'; break;
            case 'n': out[0] = '\n'; break;
            case 'r': out[0] = '\r'; break;
            case 't': out[0] = '\t'; break;
            case 'u': {
                long u = read_u_escape(in, len, p);
                if (u == -1)
                    return unexpected_end(r, "a string");
                if (u == -2)
                    return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-escape"), esc,
                                "A \\u escape needs four hexadecimal digits.");
                uint32_t cp = (uint32_t)u;
                size_t consumed = 6;
                int lone = 0;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    if (len - p < 7)
                        return unexpected_end(r, "a string");
                    long lo = -3;
                    if (in[p + 6] == '\\' && len - p < 8)
                        return unexpected_end(r, "a string");
                    if (in[p + 6] == '\\' && in[p + 7] == 'u') {
                        lo = read_u_escape(in, len, p + 6);
                        if (lo == -1)
                            return unexpected_end(r, "a string");
                        if (lo == -2)
                            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-escape"), p + 6,
                                        "A \\u escape needs four hexadecimal digits.");
                    }
                    if (lo >= 0xDC00 && lo <= 0xDFFF) {
                        cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
                        consumed = 12;
                    } else {
                        lone = 1;
                    }
                } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                    lone = 1;
                }
                if (lone) {
                    if (!warned) {
                        rc = ijson_finding(r, TLSRPT_ESYNTAX, DIAG_ID("json-lone-surrogate"), esc,
                                           (r->flags & TRPT_JSON_STRICT)
                                               ? "Escape \\u%04lX is a lone UTF-16 surrogate."
                                               : "Escape \\u%04lX is a lone UTF-16 surrogate; replaced by U+FFFD.",
                                           (unsigned long)cp);
                        if (rc != TLSRPT_OK)
                            return rc;
                        warned = 1;
                    }
                    memcpy(out, replacement_char, 3);
                    n = 3;
                } else {
                    n = trpt_utf8_encode(out, cp);
                    has_nul |= cp == 0;
                }
                p += consumed - 2; /* the common "p += 2" below covers the backslash and the 'u' */
                break;
            }
            default: {
                char b[8];
                describe_byte(b, in[p + 1]);
                return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-escape"), esc, "Invalid escape \\%s in a string.",
                            b);
            }
            }
            if ((rc = scratch_put(r, &used, out, n)) != TLSRPT_OK)
                return rc;
            p += 2;
            run = p;
            break;
        }
        }
    }
}

/* ---- Duplicate names --------------------------------------------------------------------------------------- */

static size_t name_len(const name_entry *e)
{
    return e->len_flags & ~NAME_IN_ARENA;
}

static const char *name_bytes(const trpt_json_reader *r, const name_entry *e)
{
    return (e->len_flags & NAME_IN_ARENA) ? r->arena + e->off : (const char *)r->in + e->off;
}

/* 1 if entry e is the name s[0..n). */
static int name_is(trpt_json_reader *r, const name_entry *e, const char *s, size_t n)
{
    r->probes++;
    return name_len(e) == n && memcmp(name_bytes(r, e), s, n) == 0;
}

static uint64_t name_hash(const trpt_json_reader *r, const char *s, size_t n)
{
    return trpt_siphash13(&r->key, s, n);
}

/* A slot's value: the name's position in its object + 1 in the low tag_shift bits, and above them as many bits of
 * the hash as fit (the tag), so that a probe compares names only when their tags agree: a probe that passes other
 * names reads no name bytes (no cache miss into the input for each). */
static uint32_t slot_value(const frame *f, size_t position, uint64_t h)
{
    uint32_t tag = f->tag_shift >= 32 ? 0 : (uint32_t)(h >> 32) << f->tag_shift;
    return tag | (uint32_t)(position + 1);
}

static size_t slot_position(const frame *f, uint32_t v)
{
    return (f->tag_shift >= 32 ? v : v & ((UINT32_C(1) << f->tag_shift) - 1)) - 1;
}

/* Looks s[0..n) (hash h) up in the index of f: returns the name stack index of the equal name, or SIZE_MAX and in
 * *empty the slot where it goes. */
static size_t table_find(trpt_json_reader *r, const frame *f, const char *s, size_t n, uint64_t h, size_t *empty)
{
    size_t mask = f->table_cap - 1;
    uint32_t tag = slot_value(f, 0, h) & ~((f->tag_shift >= 32 ? 0 : UINT32_C(1) << f->tag_shift) - 1u);
    for (size_t slot = (size_t)h & mask;; slot = (slot + 1) & mask) {
        uint32_t v = f->table[slot];
        r->probes++;
        if (v == 0) {
            *empty = slot;
            return SIZE_MAX;
        }
        if (f->tag_shift < 32 && (v & ~((UINT32_C(1) << f->tag_shift) - 1u)) != tag)
            continue;
        size_t other = f->names_start + slot_position(f, v);
        if (name_is(r, &r->names[other], s, n))
            return other;
    }
}

/* (Re)builds the index of f over its names (all distinct) with room for `want` names at a load of at most 3/4.
 * The old table is freed before the new one is allocated: the names are re-inserted from the name stack. */
static int table_build(trpt_json_reader *r, frame *f, size_t want)
{
    if (!r->key_ready) {
        trpt_hash_key_new(&r->key);
        r->key_ready = 1;
    }
    size_t cap = 64;
    while (cap / 4 * 3 < want)
        cap *= 2;
    if (cap != f->table_cap) {
        free(f->table);
        uncharge(r, f->table_cap * sizeof *f->table);
        f->table = NULL;
        f->table_cap = 0;
        int rc = charge(r, cap * sizeof *f->table);
        if (rc != TLSRPT_OK)
            return rc;
        f->table = malloc(cap * sizeof *f->table);
        if (!f->table) {
            uncharge(r, cap * sizeof *f->table);
            return TLSRPT_ENOMEM;
        }
        f->table_cap = cap;
    }
    /* Positions are below the capacity: log2(cap) + 1 bits hold position + 1, the rest is tag. */
    unsigned bits = 1;
    while (((size_t)1 << (bits - 1)) < f->table_cap)
        bits++;
    f->tag_shift = bits;
    memset(f->table, 0, f->table_cap * sizeof *f->table);
    f->table_live = 1;
    size_t mask = f->table_cap - 1;
    for (size_t i = f->names_start; i < r->names_len; i++) {
        const name_entry *e = &r->names[i];
        uint64_t h = name_hash(r, name_bytes(r, e), name_len(e));
        size_t slot = (size_t)h & mask;
        while (f->table[slot]) {
            r->probes++;
            slot = (slot + 1) & mask;
        }
        f->table[slot] = slot_value(f, i - f->names_start, h);
    }
    return TLSRPT_OK;
}

/* Makes room for one more entry on the name stack (grown by 1.5x). Returns TLSRPT_OK, or the reader's failure. */
static int grow_names(trpt_json_reader *r, size_t name_off) OUT_OF_LINE;
static int grow_names(trpt_json_reader *r, size_t name_off)
{
    int rc;
    size_t cap = r->names_cap ? r->names_cap + r->names_cap / 2 : 32; /* 1.5x: tracking stays near its need */
    if ((rc = charge(r, (cap - r->names_cap) * sizeof(name_entry))) != TLSRPT_OK)
        return no_memory(r, rc, name_off, "a member name");
    name_entry *n = realloc(r->names, cap * sizeof *n);
    if (!n) {
        uncharge(r, (cap - r->names_cap) * sizeof(name_entry));
        return no_memory(r, TLSRPT_ENOMEM, name_off, "a member name");
    }
    r->names = n;
    r->names_cap = cap;
    return TLSRPT_OK;
}

/* Copies a decoded name (r->str, not in the input) to the reader's arena; returns its offset there, or SIZE_MAX
 * after a failure. */
static size_t keep_decoded_name(trpt_json_reader *r, size_t name_off) OUT_OF_LINE;
static size_t keep_decoded_name(trpt_json_reader *r, size_t name_off)
{
    int rc;
    if (r->arena_cap - r->arena_len < r->cur.str_len &&
        (rc = grow(r, &r->arena, &r->arena_cap, r->arena_len + r->cur.str_len)) != TLSRPT_OK) {
        no_memory(r, rc, name_off, "a member name");
        return SIZE_MAX;
    }
    if (r->cur.str_len)
        memcpy(r->arena + r->arena_len, r->cur.str, r->cur.str_len);
    size_t off = r->arena_len;
    r->arena_len += r->cur.str_len;
    return off;
}

/* Pushes the name just scanned (r->str) on the name stack; returns its index, or SIZE_MAX after a failure. */
static inline size_t push_name(trpt_json_reader *r, int decoded, size_t name_off)
{
    if (r->names_len == r->names_cap && grow_names(r, name_off) != TLSRPT_OK)
        return SIZE_MAX;
    name_entry *e = &r->names[r->names_len];
    e->len_flags = (uint32_t)r->cur.str_len;
    if (decoded) {
        size_t off = keep_decoded_name(r, name_off);
        if (off == SIZE_MAX)
            return SIZE_MAX;
        e->off = (uint32_t)off;
        e->len_flags |= NAME_IN_ARENA;
    } else {
        e->off = (uint32_t)((const unsigned char *)r->cur.str - r->in);
    }
    return r->names_len++;
}

/* Records the name just scanned (r->str) as the current member of the innermost object and reports it when the
 * object already has a member of that name (then the current member is that earlier entry: a repeated name takes
 * no memory). Cost: O(1) expected per name, whatever names the input chooses (keyed hash, see siphash.h). */
static int add_name_slow(trpt_json_reader *r, frame *f, int decoded, size_t name_off) OUT_OF_LINE;
static int add_name_slow(trpt_json_reader *r, frame *f, int decoded, size_t name_off)
{
    size_t count = r->names_len - f->names_start;
    size_t dup = SIZE_MAX;
    r->path_valid = 0;
    f->has_current = 1;
    if (f->table_live) {
        size_t empty = 0;
        uint64_t h = name_hash(r, r->cur.str, r->cur.str_len);
        dup = table_find(r, f, r->cur.str, r->cur.str_len, h, &empty);
        if (dup == SIZE_MAX) {
            size_t idx = push_name(r, decoded, name_off);
            if (idx == SIZE_MAX)
                return r->status;
            f->cur_name = idx;
            if ((count + 1) > f->table_cap / 4 * 3) {
                int rc = table_build(r, f, count + 1);
                if (rc != TLSRPT_OK)
                    return no_memory(r, rc, name_off, "a member name");
            } else {
                f->table[empty] = slot_value(f, idx - f->names_start, h);
            }
        }
    } else {
        /* A small object: compare with each earlier name (lengths first), no hashing; not even that when no
         * earlier name has a length equal to this one's modulo 64 (names in a schema mostly differ in length). */
        uint64_t bit = UINT64_C(1) << (r->cur.str_len % 64);
        if (f->name_lengths & bit) {
            for (size_t i = f->names_start; i < r->names_len; i++) {
                if (name_is(r, &r->names[i], r->cur.str, r->cur.str_len)) {
                    dup = i;
                    break;
                }
            }
        }
        if (dup == SIZE_MAX) {
            f->name_lengths |= bit;
            size_t idx = push_name(r, decoded, name_off);
            if (idx == SIZE_MAX)
                return r->status;
            f->cur_name = idx;
            if (count + 1 > TRPT_JSON_LINEAR_NAMES) {
                int rc = table_build(r, f, count + 1);
                if (rc != TLSRPT_OK)
                    return no_memory(r, rc, name_off, "a member name");
            }
        }
    }
    if (dup != SIZE_MAX) {
        f->cur_name = dup;
        int strict = (r->flags & TRPT_JSON_STRICT) != 0;
        if (!strict && !trpt_diag_deviation_keeps(r->diag, strict))
            return TLSRPT_OK; /* the warning would be dropped: build nothing for it */
        trpt_buf b;
        trpt_buf_init(&b);
        trpt_buf_put_quoted(&b, r->cur.str, r->cur.str_len, 64);
        char *quoted = NULL;
        if (trpt_buf_finish(&b, &quoted, NULL) != TLSRPT_OK)
            return no_memory(r, TLSRPT_ENOMEM, name_off, "a member name");
        int rc = ijson_finding(r, TLSRPT_ESYNTAX, DIAG_ID("json-duplicate-name"), name_off,
                               "Member name \"%s\" occurs more than once in this object.", quoted);
        free(quoted);
        return rc;
    }
    return TLSRPT_OK;
}

/* add_name_slow(), inline for the common case: a small object, a name in the input (no escapes), and no earlier
 * name of the same length modulo 64 (so no comparison is needed), and room on the name stack. */
static inline int add_name(trpt_json_reader *r, frame *f, int decoded, size_t name_off)
{
    uint64_t bit = UINT64_C(1) << (r->cur.str_len % 64);
    if (!((f->name_lengths & bit) | (uint64_t)f->table_live | (uint64_t)decoded) &&
        r->names_len - f->names_start < TRPT_JSON_LINEAR_NAMES && r->names_len < r->names_cap) {
        f->name_lengths |= bit;
        f->has_current = 1;
        name_entry *e = &r->names[r->names_len];
        e->off = (uint32_t)((const unsigned char *)r->cur.str - r->in);
        e->len_flags = (uint32_t)r->cur.str_len;
        f->cur_name = r->names_len++;
        return TLSRPT_OK;
    }
    return add_name_slow(r, f, decoded, name_off);
}

/* ---- Reader ------------------------------------------------------------------------------------------------ */

int trpt_json_reader_new(trpt_json_reader **out, const char *data, size_t len, unsigned flags, size_t max_size,
                         tlsrpt_diag *diag)
{
    if (out)
        *out = NULL;
    if (!out || (!data && len > 0) || (flags & ~TRPT_JSON_STRICT))
        return TLSRPT_EINVAL;
    if (max_size > JSON_MAX_INPUT)
        max_size = JSON_MAX_INPUT;
    if (len > max_size) {
        (void)trpt_diag_add(diag, TLSRPT_SEVERITY_ERROR, DIAG_ID("json-size-limit"), max_size, NULL,
                            "The JSON text is %zu bytes, more than the limit of %zu.", len, max_size);
        return TLSRPT_ELIMIT;
    }
    trpt_json_reader *r = malloc(sizeof *r);
    if (!r)
        return TLSRPT_ENOMEM;
    memset(r, 0, offsetof(trpt_json_reader, frames_inline));
    r->frames = r->frames_inline;
    r->frames_cap = INLINE_FRAMES;
    r->in = (const unsigned char *)(data ? data : "");
    r->len = len;
    r->flags = flags;
    r->diag = diag;
    r->state = ST_VALUE;
    if (len >= 3 && r->in[0] == 0xEF && r->in[1] == 0xBB && r->in[2] == 0xBF) {
        int rc = ijson_finding(r, TLSRPT_ESYNTAX, DIAG_ID("json-bom"), 0,
                               (flags & TRPT_JSON_STRICT)
                                   ? "The JSON text starts with a UTF-8 byte order mark (RFC 8259 §8.1)."
                                   : "The JSON text starts with a UTF-8 byte order mark (RFC 8259 §8.1); skipped.");
        if (rc == TLSRPT_ENOMEM) {
            trpt_json_reader_free(r);
            return rc;
        }
        r->pos = 3;
    }
    *out = r;
    return TLSRPT_OK;
}

void trpt_json_reader_free(trpt_json_reader *r)
{
    if (!r)
        return;
    for (unsigned i = 0; i < r->frames_ready; i++)
        free(r->frames[i].table);
    if (r->frames != r->frames_inline)
        free(r->frames);
    free(r->scratch);
    free(r->names);
    free(r->arena);
    free(r->path);
    trpt_budget_give(r->budget, r->charged);
    free(r);
}

void trpt_json_reader_set_budget(trpt_json_reader *r, trpt_budget *budget)
{
    r->budget = budget;
}

void trpt_json_reader_stats(const trpt_json_reader *r, uint64_t *name_work, uint64_t *paths_rendered)
{
    *name_work = r->probes;
    *paths_rendered = r->paths;
}

/* Room for the frames of twice as many levels (at most TLSRPT_MAX_JSON_DEPTH), charged to the budget. */
static int grow_frames(trpt_json_reader *r) OUT_OF_LINE;
static int grow_frames(trpt_json_reader *r)
{
    unsigned cap = r->frames_cap * 2 > TLSRPT_MAX_JSON_DEPTH ? TLSRPT_MAX_JSON_DEPTH : r->frames_cap * 2;
    if (charge(r, cap * sizeof(frame)) != TLSRPT_OK)
        return TLSRPT_ELIMIT;
    frame *nf = malloc(cap * sizeof(frame));
    if (!nf) {
        uncharge(r, cap * sizeof(frame));
        return TLSRPT_ENOMEM;
    }
    memcpy(nf, r->frames, r->frames_ready * sizeof(frame));
    if (r->frames != r->frames_inline) {
        free(r->frames);
        uncharge(r, r->frames_cap * sizeof(frame));
    }
    r->frames = nf;
    r->frames_cap = cap;
    r->top = r->depth ? &nf[r->depth - 1] : NULL;
    return TLSRPT_OK;
}

static int syntax_error(trpt_json_reader *r, size_t p, const char *expected)
{
    char b[8];
    if (p >= r->len)
        return unexpected_end(r, expected);
    describe_byte(b, r->in[p]);
    return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-syntax"), p, "Expected %s, found %s.", expected, b);
}

static int after_value_state(const trpt_json_reader *r)
{
    return r->depth ? ST_AFTER_VALUE : ST_DONE;
}

static int read_number(trpt_json_reader *r, size_t p)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    const size_t s = p;
    int plain = 1;  /* no sign, fraction or exponent, at most 19 digits: v is the value (trpt_json_uint64) */
    uint64_t v = 0; /* the integer part's value while it has at most 19 digits (cannot overflow) */
    if (in[p] == '-') {
        plain = 0;
        p++;
        if (p >= len)
            return unexpected_end(r, "a number");
    }
    if (in[p] == '0') {
        p++;
        if (p < len && in[p] >= '0' && in[p] <= '9')
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-number"), p, "A number must not have a leading zero.");
    } else if (in[p] >= '1' && in[p] <= '9') {
        const size_t digits = p;
        while (p < len && in[p] >= '0' && in[p] <= '9' && p - digits < 19)
            v = v * 10 + (unsigned)(in[p++] - '0');
        if (p < len && in[p] >= '0' && in[p] <= '9') {
            plain = 0;
            while (p < len && in[p] >= '0' && in[p] <= '9')
                p++;
        }
    } else {
        return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-number"), p, "A minus sign must be followed by a digit.");
    }
    if (p < len && in[p] == '.') {
        plain = 0;
        p++;
        if (p >= len)
            return unexpected_end(r, "a number");
        if (!(in[p] >= '0' && in[p] <= '9'))
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-number"), p, "A decimal point must be followed by a digit.");
        while (p < len && in[p] >= '0' && in[p] <= '9')
            p++;
    }
    if (p < len && (in[p] == 'e' || in[p] == 'E')) {
        plain = 0;
        p++;
        if (p < len && (in[p] == '+' || in[p] == '-'))
            p++;
        if (p >= len)
            return unexpected_end(r, "a number");
        if (!(in[p] >= '0' && in[p] <= '9'))
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-invalid-number"), p, "An exponent must have digits.");
        while (p < len && in[p] >= '0' && in[p] <= '9')
            p++;
    }
    r->cur.str = (const char *)in + s;
    r->cur.str_len = p - s;
    r->num_plain = plain;
    r->num_value = v;
    r->pos = p;
    r->cur.token = TRPT_JSON_NUMBER;
    r->state = after_value_state(r);
    return TRPT_JSON_NUMBER;
}

static int read_literal(trpt_json_reader *r, size_t p, const char *word, size_t wlen, int token)
{
    for (size_t i = 0; i < wlen; i++) {
        if (p + i >= r->len)
            return unexpected_end(r, "a literal");
        if (r->in[p + i] != (unsigned char)word[i]) {
            char b[8];
            describe_byte(b, r->in[p + i]);
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-syntax"), p + i, "Invalid literal (expected \"%s\"), found %s.", word,
                        b);
        }
    }
    r->pos = p + wlen;
    r->cur.token = token;
    r->state = after_value_state(r);
    return token;
}

/* Reads the value starting at p (whitespace skipped): every case (read_value() has the fast path). */
static int read_value_general(trpt_json_reader *r, size_t p, size_t stop) OUT_OF_LINE;
static int read_value_general(trpt_json_reader *r, size_t p, size_t stop)
{
    if (p >= r->len)
        return unexpected_end(r, "a value");
    r->cur.tok_off = p;
    unsigned char c = r->in[p];
    if (c == '"') { /* the most common value in a report */
        int decoded;
        r->pos = p;
        int rc = scan_string(r, &decoded, stop);
        if (rc != TLSRPT_OK)
            return rc;
        r->cur.token = TRPT_JSON_STRING;
        r->state = after_value_state(r);
        return TRPT_JSON_STRING;
    }
    /* (r->cur.str is left as it was: the accessors look at the token first) */
    switch (c) {
    case '{':
    case '[': {
        if (r->depth >= TLSRPT_MAX_JSON_DEPTH)
            return fail(r, TLSRPT_ELIMIT, DIAG_ID("json-depth-limit"), p, "Nesting deeper than %u levels.",
                        (unsigned)TLSRPT_MAX_JSON_DEPTH);
        if (r->depth == r->frames_cap) {
            int rc = grow_frames(r);
            if (rc != TLSRPT_OK)
                return no_memory(r, rc, p, c == '{' ? "an object" : "an array");
        }
        frame *f = &r->frames[r->depth];
        if (r->depth == r->frames_ready) { /* first time at this level: no hash index yet */
            f->table = NULL;
            f->table_cap = 0;
            r->frames_ready++;
        }
        r->depth++;
        r->top = f;
        f->is_object = c == '{';
        f->has_current = 0;
        f->index = 0;
        f->names_start = r->names_len;
        f->arena_start = r->arena_len;
        f->table_live = 0;
        f->name_lengths = 0;
        r->path_valid = 0;
        r->pos = p + 1;
        r->state = f->is_object ? ST_FIRST_MEMBER : ST_FIRST_ELEMENT;
        r->cur.token = f->is_object ? TRPT_JSON_OBJECT_START : TRPT_JSON_ARRAY_START;
        return r->cur.token;
    }
    case 't':
        return read_literal(r, p, "true", 4, TRPT_JSON_TRUE);
    case 'f':
        return read_literal(r, p, "false", 5, TRPT_JSON_FALSE);
    case 'n':
        return read_literal(r, p, "null", 4, TRPT_JSON_NULL);
    default:
        if (c == '-' || (c >= '0' && c <= '9'))
            return read_number(r, p);
        return syntax_error(r, p, "a value");
    }
}

/* Reads a member name and the ':' after it: every case (read_name() has the fast path). */
static int read_name_general(trpt_json_reader *r, size_t p, size_t stop) OUT_OF_LINE;
static int read_name_general(trpt_json_reader *r, size_t p, size_t stop)
{
    if (p >= r->len)
        return unexpected_end(r, "an object");
    if (r->in[p] != '"')
        return syntax_error(r, p, "a member name");
    frame *f = r->top;
    int decoded;
    r->cur.tok_off = p;
    r->pos = p;
    int rc = scan_string(r, &decoded, stop);
    if (rc != TLSRPT_OK)
        return rc;
    if ((rc = add_name(r, f, decoded, p)) != TLSRPT_OK)
        return rc;
    size_t q = skip_ws(r->in, r->len, r->pos);
    if (q >= r->len || r->in[q] != ':')
        return syntax_error(r, q, "':' after a member name");
    r->pos = q + 1;
    r->cur.token = TRPT_JSON_NAME;
    r->state = ST_VALUE;
    return TRPT_JSON_NAME;
}

/* The fast paths of the two token kinds a report consists of: a string without escapes or non-ASCII bytes, and a
 * member name of that kind followed directly by ':' in a small object where no earlier name has its length (modulo
 * 64). They read the input into locals and change the reader only once everything is known to be that simple, so
 * that anything else can start over in the general function from the same position; and they call nothing, so
 * they need no stack frame. Both give exactly what the general functions give for these inputs. */

/* The end of the plain run from p (plain_run_end), or SIZE_MAX when the scan reaches the last 15 bytes of the input
 * (or 7 without SSE2): the general path takes those. */
static inline size_t plain_run_end_fast(const unsigned char *in, size_t len, size_t p)
{
#if defined(__SSE2__) && defined(__GNUC__)
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (len - p >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(in + p));
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask)
            return p + (size_t)__builtin_ctz(mask);
        p += 16;
    }
    return SIZE_MAX;
#else
    while (len - p >= 8) {
        uint64_t w;
        memcpy(&w, in + p, 8);
        uint64_t q = w ^ (ONES * '"');
        uint64_t b = w ^ (ONES * '\\');
        uint64_t m = (((q - ONES) & ~q) | ((b - ONES) & ~b) | ((w - ONES * 0x20) & ~w) | w) & HIGHS;
        if (m) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return p + (size_t)__builtin_ctzll(m) / 8;
#else
            while (string_class[in[p]] == C_PLAIN)
                p++;
            return p;
#endif
        }
        p += 8;
    }
    return SIZE_MAX;
#endif
}

static inline int read_value(trpt_json_reader *r, size_t p)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    if (p >= len)
        return read_value_general(r, p, SIZE_MAX);
    if (in[p] == '"') {
        size_t q = plain_run_end_fast(in, len, p + 1);
        if (q < len && in[q] == '"') {
            r->cur.tok_off = p;
            r->cur.str = (const char *)in + p + 1;
            r->cur.str_len = q - p - 1;
            r->cur.str_has_nul = 0;
            r->pos = q + 1;
            r->cur.token = TRPT_JSON_STRING;
            r->state = after_value_state(r);
            return TRPT_JSON_STRING;
        }
        return read_value_general(r, p, q); /* escapes, non-ASCII, errors: decoded from the stop byte q on */
    } else if ((in[p] | 0x20) == '{' && r->depth < r->frames_ready) { /* '{' or '[' at a level reached before */
        frame *f = &r->frames[r->depth++];
        r->top = f;
        int is_object = in[p] == '{';
        f->is_object = (unsigned char)is_object;
        f->has_current = 0;
        f->index = 0;
        f->names_start = r->names_len;
        f->arena_start = r->arena_len;
        f->table_live = 0;
        f->name_lengths = 0;
        r->cur.tok_off = p;
        r->pos = p + 1;
        r->state = is_object ? ST_FIRST_MEMBER : ST_FIRST_ELEMENT;
        r->cur.token = is_object ? TRPT_JSON_OBJECT_START : TRPT_JSON_ARRAY_START;
        return r->cur.token;
    }
    return read_value_general(r, p, SIZE_MAX);
}

static inline int read_name(trpt_json_reader *r, size_t p)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t q = SIZE_MAX; /* the first stop byte of the name, when scanned here */
    if (p < len && in[p] == '"') {
        q = plain_run_end_fast(in, len, p + 1);
        if (q < len - 1 && in[q] == '"' && in[q + 1] == ':') {
            frame *f = r->top;
            size_t n = q - p - 1;
            uint64_t bit = UINT64_C(1) << (n % 64);
            if (!((f->name_lengths & bit) | (uint64_t)f->table_live) &&
                r->names_len - f->names_start < TRPT_JSON_LINEAR_NAMES && r->names_len < r->names_cap) {
                f->name_lengths |= bit;
                f->has_current = 1;
                name_entry *e = &r->names[r->names_len];
                e->off = (uint32_t)(p + 1);
                e->len_flags = (uint32_t)n;
                f->cur_name = r->names_len++;
                r->cur.tok_off = p;
                r->cur.str = (const char *)in + p + 1;
                r->cur.str_len = n;
                r->cur.str_has_nul = 0;
                r->pos = q + 2;
                r->cur.token = TRPT_JSON_NAME;
                r->state = ST_VALUE;
                return TRPT_JSON_NAME;
            }
        }
    }
    return read_name_general(r, p, q); /* from the stop byte q when known: the name is not scanned twice */
}

static int close_container(trpt_json_reader *r, size_t p)
{
    frame *f = r->top;
    if (f->is_object) {
        r->names_len = f->names_start;
        r->arena_len = f->arena_start;
        f->table_live = 0;
        if (f->table_cap > TABLE_KEEP_MAX) {
            uncharge(r, f->table_cap * sizeof *f->table);
            free(f->table);
            f->table = NULL;
            f->table_cap = 0;
        }
    }
    r->depth--;
    r->top = r->depth ? f - 1 : NULL;
    r->path_valid = 0;
    r->cur.tok_off = p;
    r->pos = p + 1;
    r->cur.str = NULL;
    r->cur.str_len = 0;
    r->state = after_value_state(r);
    r->cur.token = f->is_object ? TRPT_JSON_OBJECT_END : TRPT_JSON_ARRAY_END;
    return r->cur.token;
}

int trpt_json_next(trpt_json_reader *r)
{
    r->path_valid = 0;
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t p = skip_ws(in, len, r->pos);
    switch (r->state) {
    case ST_VALUE:
        return read_value(r, p);
    case ST_FIRST_ELEMENT: {
        if (p < len && in[p] == ']')
            return close_container(r, p);
        frame *f = r->top;
        f->has_current = 1;
        f->index = 0;
        r->path_valid = 0;
        return read_value(r, p);
    }
    case ST_FIRST_MEMBER:
        if (p < len && in[p] == '}')
            return close_container(r, p);
        return read_name(r, p);
    case ST_AFTER_VALUE: {
        frame *f = r->top;
        if (p >= len)
            return unexpected_end(r, f->is_object ? "an object" : "an array");
        unsigned char c = in[p];
        if (c == ',') { /* go on with the next member or element directly */
            p = skip_ws(in, len, p + 1);
            if (f->is_object)
                return read_name(r, p);
            f->index++;
            return read_value(r, p);
        }
        if (c == (f->is_object ? '}' : ']'))
            return close_container(r, p);
        return syntax_error(r, p, f->is_object ? "',' or '}'" : "',' or ']'");
    }
    case ST_DONE:
        if (p < len) {
            char b[8];
            describe_byte(b, in[p]);
            return fail(r, TLSRPT_ESYNTAX, DIAG_ID("json-trailing-data"), p,
                        "Unexpected %s after the end of the JSON value.", b);
        }
        r->pos = p;
        r->cur.tok_off = p;
        r->state = ST_END;
        r->cur.token = TRPT_JSON_END;
        r->cur.str = NULL;
        r->cur.str_len = 0;
        return TRPT_JSON_END;
    case ST_END:
        return TRPT_JSON_END;
    default: /* ST_FAILED */
        return r->status;
    }
}

/* The next member's name, after '{' or after ", " (or ","), or the object's end: what trpt_json_next() does for this
 * input, without its dispatch. */
int trpt_json_next_member(trpt_json_reader *r)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t p = r->pos;
    if (r->state == ST_AFTER_VALUE && p < len && in[p] == ',' && r->top->is_object) {
        p++;
        if (p < len && in[p] == ' ')
            p++;
        if (p < len && in[p] > ' ') {
            r->path_valid = 0;
            return read_name(r, p);
        }
    } else if (r->state == ST_FIRST_MEMBER && p < len && in[p] == '"') {
        r->path_valid = 0;
        return read_name(r, p);
    } else if ((r->state == ST_AFTER_VALUE || r->state == ST_FIRST_MEMBER) && p < len && in[p] == '}' &&
               r->top->is_object) {
        return close_container(r, p);
    }
    return trpt_json_next(r);
}

/* The next element of an array, after '[' or after ", " (or ","), or the array's end: what trpt_json_next() does for
 * this input, without its dispatch. */
int trpt_json_next_element(trpt_json_reader *r)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t p = r->pos;
    if (r->depth == 0 || r->top->is_object)
        return trpt_json_next(r);
    frame *f = r->top;
    if (r->state == ST_AFTER_VALUE && p < len && in[p] == ',') {
        p++;
        if (p < len && in[p] == ' ')
            p++;
        if (p < len && in[p] > ' ') {
            r->path_valid = 0;
            f->index++;
            return read_value(r, p);
        }
    } else if (r->state == ST_FIRST_ELEMENT && p < len && in[p] > ' ' && in[p] != ']') {
        r->path_valid = 0;
        f->has_current = 1;
        f->index = 0;
        return read_value(r, p);
    } else if ((r->state == ST_AFTER_VALUE || r->state == ST_FIRST_ELEMENT) && p < len && in[p] == ']') {
        return close_container(r, p);
    }
    return trpt_json_next(r);
}

/* A member's value after ':' (or ": "): what trpt_json_next() does for this input, without its dispatch. */
int trpt_json_next_value(trpt_json_reader *r)
{
    const unsigned char *in = r->in;
    const size_t len = r->len;
    size_t p = r->pos;
    if (r->state == ST_VALUE) {
        if (p < len && in[p] == ' ')
            p++;
        if (p < len && in[p] > ' ') {
            r->path_valid = 0;
            return read_value(r, p);
        }
    }
    return trpt_json_next(r);
}

int trpt_json_skip(trpt_json_reader *r)
{
    if (r->status != TLSRPT_OK)
        return r->status;
    int t = r->cur.token;
    if (t == TRPT_JSON_NAME && (t = trpt_json_next(r)) < 0)
        return t;
    if (t != TRPT_JSON_OBJECT_START && t != TRPT_JSON_ARRAY_START)
        return TLSRPT_OK;
    const unsigned target = r->depth - 1;
    for (;;) {
        t = trpt_json_next(r);
        if (t < 0)
            return t;
        if ((t == TRPT_JSON_OBJECT_END || t == TRPT_JSON_ARRAY_END) && r->depth == target)
            return TLSRPT_OK;
    }
}

int trpt_json_string_equals(const trpt_json_reader *r, const char *s)
{
    if (r->cur.token != TRPT_JSON_NAME && r->cur.token != TRPT_JSON_STRING)
        return 0;
    size_t n = strlen(s);
    return n == r->cur.str_len && memcmp(r->cur.str, s, n) == 0;
}

const char *trpt_json_number_text(const trpt_json_reader *r, size_t *len)
{
    if (r->cur.token == TRPT_JSON_NUMBER) {
        if (len)
            *len = r->cur.str_len;
        return r->cur.str;
    }
    if (len)
        *len = 0;
    return NULL;
}

trpt_json_u64_status trpt_json_number_to_uint64(const char *text, size_t len, uint64_t *out)
{
    *out = 0;
    if (len == 2 && text[0] == '-' && text[1] == '0')
        return TRPT_JSON_U64_OK; /* -0 equals 0 (RFC 8259 numbers are values, not text) */
    if (len > 0 && text[0] == '-')
        return TRPT_JSON_U64_NEGATIVE;
    if (len == 0)
        return TRPT_JSON_U64_SYNTAX;
    uint64_t v = 0;
    int too_large = 0;
    size_t i = 0;
    for (; i < len && text[i] >= '0' && text[i] <= '9'; i++) {
        unsigned d = (unsigned)(text[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            too_large = 1;
        else
            v = v * 10 + d;
    }
    if (i == 0)
        return TRPT_JSON_U64_SYNTAX;
    if (i < len) {
        if (text[i] == '.')
            return TRPT_JSON_U64_FRACTION;
        if (text[i] == 'e' || text[i] == 'E')
            return TRPT_JSON_U64_EXPONENT;
        return TRPT_JSON_U64_SYNTAX;
    }
    if (too_large)
        return TRPT_JSON_U64_TOO_LARGE;
    *out = v;
    return TRPT_JSON_U64_OK;
}

int trpt_json_uint64(trpt_json_reader *r, uint64_t *out)
{
    *out = 0;
    if (r->cur.token != TRPT_JSON_NUMBER)
        return TLSRPT_EINVAL;
    if (r->num_plain) { /* converted by read_number: at most 19 digits, no sign, fraction or exponent */
        *out = r->num_value;
        return TLSRPT_OK;
    }
    trpt_json_u64_status st = trpt_json_number_to_uint64(r->cur.str, r->cur.str_len, out);
    const char *id, *why;
    switch (st) {
    case TRPT_JSON_U64_OK:
        return TLSRPT_OK;
    case TRPT_JSON_U64_NEGATIVE:
        id = DIAG_ID("json-number-negative");
        why = "is negative";
        break;
    case TRPT_JSON_U64_FRACTION:
        id = DIAG_ID("json-number-fraction");
        why = "has a fraction";
        break;
    case TRPT_JSON_U64_EXPONENT:
        id = DIAG_ID("json-number-exponent");
        why = "has an exponent";
        break;
    case TRPT_JSON_U64_TOO_LARGE:
        id = DIAG_ID("json-number-too-large");
        why = "is larger than 18446744073709551615";
        break;
    default: /* the reader only hands out numbers that follow the grammar */
        id = DIAG_ID("json-invalid-number");
        why = "is not a number";
        break;
    }
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_put_quoted(&b, r->cur.str, r->cur.str_len, 40);
    char *quoted = NULL;
    if (trpt_buf_finish(&b, &quoted, NULL) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    int rc = trpt_diag_add(r->diag, TLSRPT_SEVERITY_ERROR, id, r->cur.tok_off, trpt_json_path(r),
                           "The number %s %s; a non-negative integer is required.", quoted, why);
    free(quoted);
    return rc == TLSRPT_OK ? TLSRPT_ESEMANTIC : rc;
}

unsigned trpt_json_depth(const trpt_json_reader *r)
{
    return r->depth;
}

/* ---- JSON pointer ------------------------------------------------------------------------------------------ */

static int path_put(trpt_json_reader *r, const char *s, size_t n)
{
    if (r->path_cap - r->path_len <= n && grow(r, &r->path, &r->path_cap, r->path_len + n + 1) != TLSRPT_OK)
        return TLSRPT_ENOMEM;
    memcpy(r->path + r->path_len, s, n);
    r->path_len += n;
    return TLSRPT_OK;
}

/* The longest segment: '/', a name of TRPT_JSON_PATH_NAME_MAX bytes each written as up to 3 ("~0", U+FFFD for a
 * NUL byte), "..." after a cut name; or '/' and a decimal index. */
#define SEGMENT_MAX (1u + 3u * TRPT_JSON_PATH_NAME_MAX + 3u)

/* Writes frame f's segment of the path ("/" and its member name escaped, or its element index) to out (room for
 * SEGMENT_MAX bytes); returns its length. */
static size_t render_segment(const trpt_json_reader *r, const frame *f, char *out)
{
    size_t n = 0;
    out[n++] = '/';
    if (!f->is_object) {
        char num[24];
        size_t i = sizeof num;
        size_t v = f->index;
        do {
            num[--i] = (char)('0' + v % 10);
            v /= 10;
        } while (v);
        memcpy(out + n, num + i, sizeof num - i);
        return n + sizeof num - i;
    }
    const name_entry *e = &r->names[f->cur_name];
    const char *s = name_bytes(r, e);
    size_t len = name_len(e);
    int cut = 0;
    if (len > TRPT_JSON_PATH_NAME_MAX) {
        len = TRPT_JSON_PATH_NAME_MAX;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80) /* never split a UTF-8 sequence */
            len--;
        cut = 1;
    }
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '~') {
            out[n++] = '~';
            out[n++] = '0';
        } else if (s[i] == '/') {
            out[n++] = '~';
            out[n++] = '1';
        } else if (s[i] == '\0') {
            memcpy(out + n, replacement_char, 3);
            n += 3;
        } else {
            out[n++] = s[i];
        }
    }
    if (cut) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    return n;
}

const char *trpt_json_path(trpt_json_reader *r)
{
    if (r->path_valid)
        return r->path;
    r->paths++;
    r->path_len = 0;
    char seg[SEGMENT_MAX];
    size_t head = 0; /* end of the last segment that ends within TRPT_DIAG_PATH_HEAD bytes */
    unsigned d;
    for (d = 0; d < r->depth; d++) {
        const frame *f = &r->frames[d];
        if (!f->has_current)
            continue;
        size_t n = render_segment(r, f, seg);
        if (r->path_len + n > TRPT_DIAG_PATH_MAX)
            break; /* too long: cut in the middle (below) */
        if (path_put(r, seg, n) != TLSRPT_OK)
            return NULL;
        if (r->path_len <= TRPT_DIAG_PATH_HEAD)
            head = r->path_len;
    }
    if (d < r->depth) {
        /* The first segments up to `head`, "/...", and the last segments that fit in the rest, rendered from the
         * deepest level up: the middle is never rendered, so a path costs O(TRPT_DIAG_PATH_MAX) however deep. */
        char tail[TRPT_DIAG_PATH_MAX];
        size_t room = TRPT_DIAG_PATH_MAX - head - 4, t = sizeof tail;
        for (unsigned e = r->depth; e-- > 0;) {
            const frame *f = &r->frames[e];
            if (!f->has_current)
                continue;
            size_t n = render_segment(r, f, seg);
            if (sizeof tail - t + n > room)
                break;
            t -= n;
            memcpy(tail + t, seg, n);
        }
        r->path_len = head;
        if (path_put(r, "/...", 4) != TLSRPT_OK || path_put(r, tail + t, sizeof tail - t) != TLSRPT_OK)
            return NULL;
    }
    if (path_put(r, "", 0) != TLSRPT_OK)
        return NULL;
    r->path[r->path_len] = '\0';
    r->path_valid = 1;
    return r->path;
}
