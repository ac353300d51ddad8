/* libtlsrpt — the one-pass reader of plain reports (report_fast.h says what it takes and why it exists).
 * SPDX-License-Identifier: MIT
 *
 * Every function here takes the cursor (a pointer into the text) and returns the cursor after what it read, or NULL
 * when the input is not of the plain kind: then trpt_report_read_fast() frees the report and returns 0. Nothing is
 * reported from here; nothing here needs to be right about why the input is not plain, only that it is not.
 *
 * What "plain" checks, next to what the general path checks (report_parse.c, json_reader.c), so that the two agree:
 *   - JSON grammar of exactly this schema: objects, arrays, strings, integers; whitespace is space, tab, LF, CR.
 *   - strings: no backslash, no byte below 0x20, UTF-8 well-formed (RFC 3629, utf8.h: the reader's own rule);
 *   - names: the schema's member names of each object, each at most once (so no duplicate-name finding);
 *   - counts: 0, or 1 to 19 digits without a leading zero, not followed by '.', 'e' or 'E' (exact uint64);
 *   - date-times: trpt_datetime_parse() accepts them and they have a zone;
 *   - policy and result types: registered ones; no "failure-error-code";
 *   - the count limits of report.h, and the memory budget (less a margin, report_fast.h).
 */
#include "report_fast.h"

#include "datetime.h"
#include "report_internal.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__) && defined(__GNUC__)
#include <emmintrin.h> /* SSE2 is in every x86-64; elsewhere the scalar loops below do the same */
#endif

typedef const unsigned char *cursor;

/* A list of pointers: the first LIST_INLINE in the list itself (most reports need no more), then on the heap. */
#define LIST_INLINE 64u
typedef struct ptr_list {
    void **v; /* in_place or a heap block */
    size_t n, cap;
    void *in_place[LIST_INLINE];
} ptr_list;

typedef struct fast {
    cursor in;  /* the text: offsets count from here (in place, the caller's writable buffer) */
    cursor end; /* one past its last byte */
    tlsrpt_report *r;
    trpt_arena *arena;
    trpt_budget budget;
    int strict;
    ptr_list items; /* the strings of the array being read, reused for every array */
    /* The failure details of the array being read, the policies read so far: each list goes to the arena at its
     * exact size when its array ends (the report's arrays, marked in_arena: report_internal.h). */
    ptr_list details, policies;
    size_t failure_details; /* in all policies so far */
    char *result_type_copy[TLSRPT_RESULT_STS_WEBPKI_INVALID + 1]; /* as in report_parse.c: one copy per type */
    trpt_fast_result *res;
    unsigned char *last_nul; /* in place: the last closing quote replaced by a NUL (NULL: none yet) */
    /* Where strings are kept: the bytes of the text from the start of the last copied block up to copied_end are
     * also at their address + delta (the block, in the report's arena), and a string is ended there. In place (a
     * text of the caller's that the report keeps), the whole text is that block, with delta 0. */
    uintptr_t delta;
    cursor copied_end;
    int in_place;
    struct template *templates; /* one per kind of object (T_*), see below */
} fast;

/* The byte at p, or 0 at the end (a NUL byte outside a string is not JSON either: both end the plain path). */
static inline unsigned peek(cursor end, cursor p)
{
    return p < end ? *p : 0u;
}

#if defined(__GNUC__)
#define OUT_OF_LINE __attribute__((noinline))
#else
#define OUT_OF_LINE
#endif

static cursor skip_ws_run(cursor end, cursor p) OUT_OF_LINE;

/* The first byte at or after p that is not JSON whitespace. */
static cursor skip_ws_run(cursor end, cursor p)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

/* skip_ws_run(), inline for no whitespace and for the one space of ", " and ": " (a byte above ' ' is never
 * whitespace). */
static inline cursor skip_ws(cursor end, cursor p)
{
    if (end - p >= 2) {
        if (p[0] > ' ')
            return p;
        if (p[0] == ' ' && p[1] > ' ')
            return p + 1;
    }
    return skip_ws_run(end, p);
}

static inline int plain_byte(unsigned c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

static cursor string_end_slow(cursor end, cursor s) OUT_OF_LINE;

/* s is at a byte of a string that is not plain (plain_byte): the closing quote, or NULL when the string has a
 * backslash, a control byte or ill-formed UTF-8, or does not end. */
static cursor string_end_slow(cursor end, cursor s)
{
    for (;;) {
        while (s < end && plain_byte(*s))
            s++;
        if (s >= end)
            return NULL;
        if (*s == '"')
            return s;
        if (*s < 0x80)
            return NULL; /* a backslash or a control byte */
        size_t bad;
        size_t n = trpt_utf8_sequence(s, (size_t)(end - s), &bad);
        if (!n)
            return NULL;
        s += n;
    }
}

/* s is just after an opening quote: string_end_slow(), with the common case inline (plain bytes up to the quote). */
static inline cursor string_end(cursor end, cursor s)
{
#if defined(__SSE2__) && defined(__GNUC__)
    /* 16 bytes at a time: the signed compare with 0x20 also flags every byte >= 0x80 (negative). */
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
    while (end - s >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
        __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                       _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(special);
        if (mask) {
            s += __builtin_ctz(mask);
            return *s == '"' ? s : string_end_slow(end, s);
        }
        s += 16;
    }
#endif
    return string_end_slow(end, s);
}

/* p is at a member name: reads it and the ':' after it. Sets *name, *len; returns the cursor at the value. */
static inline cursor member_name(cursor end, cursor p, cursor *name, size_t *len)
{
    if (peek(end, p) != '"')
        return NULL;
    cursor q = string_end(end, p + 1);
    if (!q)
        return NULL;
    *name = p + 1;
    *len = (size_t)(q - p - 1);
    if (end - q >= 4 && q[1] == ':') { /* the common ":" and ": " */
        if (q[2] > ' ')
            return q + 2;
        if (q[2] == ' ' && q[3] > ' ')
            return q + 3;
    }
    p = skip_ws(end, q + 1);
    if (peek(end, p) != ':')
        return NULL;
    return skip_ws(end, p + 1);
}

/* 1 if the n bytes at s are lit's (n = strlen(lit) >= 4): overlapping word compares, which the compiler turns into
 * compares with constants (a call of memcmp is most of a name's cost otherwise). */
static inline int name_is(cursor s, const char *lit, size_t n)
{
    uint64_t a, b;
    if (n < 8) {
        uint32_t x, y, z, w;
        memcpy(&x, s, 4);
        memcpy(&y, lit, 4);
        memcpy(&z, s + n - 4, 4);
        memcpy(&w, lit + n - 4, 4);
        return ((x ^ y) | (z ^ w)) == 0;
    }
    uint64_t diff = 0;
    size_t i = 0;
    for (; i + 8 < n; i += 8) {
        memcpy(&a, s + i, 8);
        memcpy(&b, lit + i, 8);
        diff |= a ^ b;
    }
    memcpy(&a, s + n - 8, 8);
    memcpy(&b, lit + n - 8, 8);
    return (diff | (a ^ b)) == 0;
}

#define NAME_IS(s, lit) name_is((s), (lit), sizeof(lit) - 1u)

/* After a member's value or an array element: the next one (*more 1, cursor at it) or the closing `close` (*more 0,
 * cursor after it). */
static inline cursor next_item(cursor end, cursor p, unsigned close, int *more)
{
    if (end - p >= 3) { /* the common ",", ", " and the end without whitespace */
        if (p[0] == ',') {
            *more = 1;
            if (p[1] > ' ')
                return p + 1;
            if (p[1] == ' ' && p[2] > ' ')
                return p + 2;
        } else if (p[0] == close) {
            *more = 0;
            return p + 1;
        }
    }
    p = skip_ws(end, p);
    unsigned c = peek(end, p);
    if (c == ',') {
        *more = 1;
        return skip_ws(end, p + 1);
    }
    *more = 0;
    return c == close ? p + 1 : NULL;
}

/* p is at '{' or '[': the cursor at the first member or element (*more 1) or after an empty container (*more 0). */
static inline cursor open_container(cursor end, cursor p, unsigned open, int *more)
{
    if (peek(end, p) != open)
        return NULL;
    if (end - p >= 2 && p[1] > ' ') {
        *more = p[1] != open + 2u;
        return *more ? p + 1 : p + 2;
    }
    p = skip_ws(end, p + 1);
    *more = peek(end, p) != open + 2u; /* '}' is '{' + 2, ']' is '[' + 2 */
    return *more ? p : p + 1;
}

/* A string value: its bytes (not copied) in *s, *len; the cursor after it. */
static inline cursor string_value(cursor end, cursor p, cursor *s, size_t *len)
{
    if (peek(end, p) != '"')
        return NULL;
    cursor q = string_end(end, p + 1);
    if (!q)
        return NULL;
    *s = p + 1;
    *len = (size_t)(q - p - 1);
    return q + 1;
}

/* Not in place, the next string [s, s + len] (closing quote included) is past what has been copied: the text from
 * s on is copied to a block of the arena of its own, one memcpy for many strings: first REGION_FIRST bytes (or the
 * string), so that a report given up early (most hostile input) has cost little copying and memory, then all the
 * rest of the text in one block. (Many blocks of a few hundred KiB made the allocator give memory back to the
 * system and fault it in again on every parse: 13 ms instead of 1 ms for a 2.3 MB report, bench/README.md.) Only
 * the part of a string that did not fit the first block is copied twice. */
#define REGION_FIRST 16384u

static int copy_region(fast *f, cursor s, size_t len) OUT_OF_LINE;
static int copy_region(fast *f, cursor s, size_t len)
{
    size_t n = (size_t)(f->end - s); /* > len: the closing quote is in the text */
    if (f->copied_end == f->in && n > REGION_FIRST && len + 1u <= REGION_FIRST)
        n = REGION_FIRST; /* the first block */
    unsigned char *b = trpt_arena_alloc_aside(f->arena, n);
    if (!b)
        return 0;
    memcpy(b, s, n);
    f->delta = (uintptr_t)b - (uintptr_t)s;
    f->copied_end = s + n;
    return 1;
}

/* The string s[0..len) (its closing quote at s[len]) as a NUL-terminated string of the report. */
static inline char *keep_string(fast *f, cursor s, size_t len)
{
    if (s + len >= f->copied_end && !copy_region(f, s, len))
        return NULL;
    unsigned char *d = (unsigned char *)((uintptr_t)s + f->delta);
    d[len] = '\0';
    f->last_nul = d + len; /* (used in place only) */
    return (char *)d;
}

/* A string value, kept (keep_string) in *field. */
static inline cursor take_string(fast *f, cursor end, cursor p, char **field)
{
    cursor s;
    size_t len;
    if (!(p = string_value(end, p, &s, &len)) || !(*field = keep_string(f, s, len)))
        return NULL;
    return p;
}

/* A count: an exact uint64 written as a plain integer. */
static inline cursor take_count(cursor end, cursor p, uint64_t *out)
{
    unsigned c = peek(end, p);
    uint64_t v = 0;
    if (c == '0') {
        p++;
    } else if (c >= '1' && c <= '9') {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        if (end - p >= 8) { /* up to 7 digits in one word: 8 bytes, the first non-digit found by bit tricks */
            uint64_t w;
            memcpy(&w, p, 8);
            uint64_t x = w ^ UINT64_C(0x3030303030303030); /* digits become 0..9 */
            /* A byte is not a digit iff it has a high nibble now or reaches one when 6 is added; a carry out of
             * a byte happens only above 0xF9, which is not a digit, and reaches only later bytes. */
            uint64_t nondigit = (x | (x + UINT64_C(0x0606060606060606))) & UINT64_C(0xF0F0F0F0F0F0F0F0);
            if (nondigit) {
                unsigned n = (unsigned)__builtin_ctzll(nondigit) / 8u; /* 1..7: the first byte is a digit */
                x <<= 8u * (8u - n); /* the digits in the high bytes, zero bytes (leading zeros) below */
                x = (x * 10u + (x >> 8)) & UINT64_C(0x00FF00FF00FF00FF);
                x = (x * 100u + (x >> 16)) & UINT64_C(0x0000FFFF0000FFFF);
                x = (x * 10000u + (x >> 32)) & UINT64_C(0xFFFFFFFF);
                v = x;
                p += n;
                goto digits_done;
            }
        }
#endif
        {
            cursor digits = p;
            while (p < end && *p >= '0' && *p <= '9' && p - digits < 19)
                v = v * 10u + (unsigned)(*p++ - '0');
        }
    } else {
        return NULL; /* a minus sign, another type, null */
    }
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
digits_done:
#endif
    c = peek(end, p);
    if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E')
        return NULL; /* a leading zero, a twentieth digit, a fraction, an exponent */
    *out = v;
    return p;
}

/* A date-time with a zone, as Unix seconds. */
static inline cursor take_datetime(cursor end, cursor p, int64_t *out, int *has)
{
    cursor s;
    size_t len;
    int has_zone;
    if (!(p = string_value(end, p, &s, &len)) || trpt_datetime_parse((const char *)s, len, out, &has_zone) != TLSRPT_OK ||
        !has_zone)
        return NULL;
    *has = 1;
    return p;
}

/* Lists a finding of the report (report_fast.h); in strict mode every one of them is an error: give up. */
static int note(fast *f, trpt_missing kind, cursor at, size_t pi, size_t fi)
{
    trpt_fast_result *res = f->res;
    if (f->strict || res->n_notes == TRPT_FAST_MAX_NOTES)
        return 0;
    trpt_fast_note *n = &res->notes[res->n_notes++];
    n->kind = kind;
    n->offset = (uint32_t)(at - f->in);
    n->pi = (uint32_t)pi;
    n->fi = (uint32_t)fi;
    return 1;
}

/* ---- Lists ----------------------------------------------------------------------------------------------------- */

static int list_grow(fast *f, ptr_list *l) OUT_OF_LINE;
static int list_grow(fast *f, ptr_list *l)
{
    size_t cap = l->cap * 2;
    int was_inline = l->v == l->in_place;
    size_t charge = was_inline ? cap * sizeof *l->v : (cap - l->cap) * sizeof *l->v;
    if (!trpt_budget_take(&f->budget, charge))
        return 0;
    void **v = was_inline ? malloc(cap * sizeof *v) : realloc(l->v, cap * sizeof *v);
    if (!v) {
        trpt_budget_give(&f->budget, charge);
        return 0;
    }
    if (was_inline)
        memcpy(v, l->in_place, l->n * sizeof *v);
    l->v = v;
    l->cap = cap;
    return 1;
}

static void list_init(ptr_list *l)
{
    l->v = l->in_place;
    l->n = 0;
    l->cap = LIST_INLINE;
}

static void list_free(ptr_list *l)
{
    if (l->v != l->in_place)
        free(l->v);
}

static inline int list_add(fast *f, ptr_list *l, void *item)
{
    if (l->n == l->cap && !list_grow(f, l))
        return 0;
    l->v[l->n++] = item;
    return 1;
}

/* The list (n > 0) copied to the arena. */
static void **list_to_arena(fast *f, const ptr_list *l)
{
    void **a = trpt_arena_alloc(f->arena, l->n * sizeof *a);
    if (a)
        memcpy(a, l->v, l->n * sizeof *a);
    return a;
}

/* An array of strings (policy-string, mx-host; `limit` entries at most), or for mx-host also one string, handed to
 * set() as in report_parse.c. */
static cursor string_list(fast *f, cursor end, cursor p, tlsrpt_policy *pol,
                          int (*set)(tlsrpt_policy *, char *const *, size_t), unsigned limit, int one_string_too)
{
    ptr_list *l = &f->items;
    l->n = 0;
    if (one_string_too && peek(end, p) == '"') {
        char *s;
        if (!(p = take_string(f, end, p, &s)) || !list_add(f, l, s))
            return NULL;
    } else {
        int more;
        if (!(p = open_container(end, p, '[', &more)))
            return NULL;
        while (more) {
            char *s;
            if (l->n == limit || !(p = take_string(f, end, p, &s)) || !list_add(f, l, s) ||
                !(p = next_item(end, p, ']', &more)))
                return NULL;
        }
    }
    return set(pol, (char *const *)(void *)l->v, l->n) == TLSRPT_OK ? p : NULL;
}

/* ---- Member templates -----------------------------------------------------------------------------------------
 * A sender writes its failure details (policies, summaries) with the members in its own order and with the same
 * whitespace each time. So the bytes between the end of one member's value and the start of the next member's
 * value (the "gap": ", " or ",\n    ", the quoted name, ':' and whitespace) repeat from one object to the next, and
 * so does which member follows which. Each kind of object has a template, learnt from the objects read so far: the
 * gap of each member (after a value; the first member's after '{'), the gap of the object's end ('}'), and the last
 * two members that followed each member. The next member is first looked for there: when the bytes at the cursor
 * are one of those gaps, they are that separator, name and ':' again (or the end), so the member is known without
 * scanning or looking up its name. Otherwise it is read the general way (next_item(), member_name() and the
 * kind's lookup) and the template learns from it. The seen bits still catch a member that occurs twice. */

#define TEMPLATE_MEMBERS 8u              /* the most members an object of the schema has (a failure detail) */
#define GAP_END TEMPLATE_MEMBERS         /* gap index of the object's end */
#define GAP_FIRST (TEMPLATE_MEMBERS + 1u) /* gap index of the first member (after '{') */
#define TEMPLATE_GAPS (TEMPLATE_MEMBERS + 2u)
#define GAP_MAX 64u      /* longer gaps (deep indentation) are not kept: such members are read the general way */
#define MEMBER_END 255u  /* member id for the object's end */
#define NO_GAP 255u

typedef struct template {
    _Alignas(16) unsigned char gap[TEMPLATE_GAPS][GAP_MAX];
    uint32_t want[TEMPLATE_GAPS]; /* bit i set for each byte i of the gap's last 32-byte half */
    unsigned char gap_len[TEMPLATE_GAPS]; /* 0: not learnt */
    unsigned char next[TEMPLATE_MEMBERS][2]; /* the gaps (member or GAP_END) seen after each member, newest first */
    unsigned char first; /* the member of the GAP_FIRST gap */
} template;

/* The kinds of object, each with its template. */
enum { T_REPORT, T_RANGE, T_ENTRY, T_POLICY, T_SUMMARY, T_DETAIL, T_KINDS };

static void template_init(template *t)
{
    memset(t->gap_len, 0, sizeof t->gap_len);
    memset(t->next, NO_GAP, sizeof t->next);
}

/* Iterating over one object's members. */
typedef struct members {
    template *t;
    unsigned k;    /* members read so far */
    unsigned prev; /* the member read last (when k > 0) */
    unsigned seen; /* bit m set for each member m read */
} members;

/* p is at an object's '{': starts the iteration over its members, with the template of its kind. Returns the cursor
 * after the '{'. */
static inline cursor object_begin(cursor end, cursor p, members *it, template *t)
{
    if (peek(end, p) != '{')
        return NULL;
    it->t = t;
    it->k = it->prev = it->seen = 0;
    return p + 1;
}

/* Learns gap g: the bytes [start, q). */
static inline void keep_gap(template *t, unsigned g, cursor start, cursor q)
{
    size_t len = (size_t)(q - start);
    if (len > GAP_MAX || len == 0)
        return;
    memcpy(t->gap[g], start, len);
    t->gap_len[g] = (unsigned char)len;
    size_t tail = len > 32 ? len - 32 : len; /* the bytes of the last 32-byte half (gap_equal) */
    t->want[g] = tail >= 32 ? UINT32_MAX : (UINT32_C(1) << tail) - 1u;
}

/* 1 if the bytes at p are gap g of t (a learnt one). */
static inline int gap_equal(cursor end, cursor p, const template *t, unsigned g)
{
    const unsigned char *gap = t->gap[g];
    unsigned len = t->gap_len[g];
#if defined(__SSE2__) && defined(__GNUC__)
    if (len - 1u < 32u && end - p >= 32) { /* the common case (1 to 32 bytes): two compares */
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)p);
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
        __m128i b0 = _mm_load_si128((const __m128i *)(const void *)gap);
        __m128i b1 = _mm_load_si128((const __m128i *)(const void *)(gap + 16));
        unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0)) |
                      (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1)) << 16;
        return (~eq & t->want[g]) == 0;
    }
    if (len - 1u < 64u && end - p >= 64) { /* 33 to 64 bytes: the first 32 whole, the rest masked */
        for (unsigned i = 0; i < 32; i += 16) {
            __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            __m128i b = _mm_load_si128((const __m128i *)(const void *)(gap + i));
            if (_mm_movemask_epi8(_mm_cmpeq_epi8(a, b)) != 0xFFFF)
                return 0;
        }
        __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
        __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 48));
        __m128i b0 = _mm_load_si128((const __m128i *)(const void *)(gap + 32));
        __m128i b1 = _mm_load_si128((const __m128i *)(const void *)(gap + 48));
        unsigned eq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a0, b0)) |
                      (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(a1, b1)) << 16;
        return (~eq & t->want[g]) == 0;
    }
#endif
    return len && (size_t)(end - p) >= len && memcmp(p, gap, len) == 0;
}

/* The next member of the object being read: p is just after its '{' or just after the previous member's value.
 * Sets *m to the member's id (lookup() maps a name to it on the general way) or MEMBER_END; returns the cursor at
 * the value or after the '}'. */
static inline cursor next_member(cursor end, cursor p, members *it, int (*lookup)(cursor, size_t), unsigned *m)
{
    template *t = it->t;
    if (it->k == 0) {
        if (gap_equal(end, p, t, GAP_FIRST)) {
            it->k = 1;
            it->prev = *m = t->first;
            it->seen = 1u << t->first;
            return p + t->gap_len[GAP_FIRST];
        }
    } else {
        for (unsigned j = 0; j < 2; j++) {
            unsigned g = t->next[it->prev][j];
            if (g != NO_GAP && gap_equal(end, p, t, g)) {
                if (j) { /* newest first */
                    t->next[it->prev][1] = t->next[it->prev][0];
                    t->next[it->prev][0] = (unsigned char)g;
                }
                if (g == GAP_END) {
                    *m = MEMBER_END;
                } else {
                    if (it->seen & (1u << g))
                        return NULL; /* a member that occurs twice */
                    it->seen |= 1u << g;
                    it->k++;
                    it->prev = *m = g;
                }
                return p + t->gap_len[g];
            }
        }
    }
    /* The general way. */
    cursor start = p, q;
    int more;
    if (it->k == 0)
        q = open_container(end, p - 1, '{', &more); /* p - 1 is the '{' */
    else
        q = next_item(end, p, '}', &more);
    if (!q)
        return NULL;
    unsigned g;
    if (!more) {
        *m = MEMBER_END;
        g = GAP_END;
    } else {
        cursor name;
        size_t len;
        if (!(q = member_name(end, q, &name, &len)))
            return NULL;
        int id = lookup(name, len);
        if (id < 0 || (it->seen & (1u << id)))
            return NULL; /* not a member of this object (or "failure-error-code"), or one that occurs twice */
        it->seen |= 1u << id;
        *m = g = (unsigned)id;
    }
    if (it->k == 0) {
        if (g != GAP_END) {
            keep_gap(t, GAP_FIRST, start, q);
            t->first = (unsigned char)g;
        }
    } else {
        keep_gap(t, g, start, q);
        if (t->next[it->prev][0] != g) {
            t->next[it->prev][1] = t->next[it->prev][0];
            t->next[it->prev][0] = (unsigned char)g;
        }
    }
    if (g != GAP_END) {
        it->k++;
        it->prev = g;
    }
    return q;
}

/* ---- The schema ------------------------------------------------------------------------------------------------ */

enum { D_TYPE, D_COUNT, D_SMI, D_RMH, D_HELO, D_RIP, D_INFO, D_REASON };

static int detail_member(cursor name, size_t len)
{
    switch (len) {
    case 11:
        return NAME_IS(name, "result-type") ? D_TYPE : -1;
    case 20:
        return NAME_IS(name, "failed-session-count") ? D_COUNT : -1;
    case 14:
        return NAME_IS(name, "sending-mta-ip") ? D_SMI : -1;
    case 21:
        return NAME_IS(name, "receiving-mx-hostname") ? D_RMH : -1;
    case 17:
        return NAME_IS(name, "receiving-mx-helo") ? D_HELO : -1;
    case 12:
        return NAME_IS(name, "receiving-ip") ? D_RIP : -1;
    case 22:
        return NAME_IS(name, "additional-information") ? D_INFO : -1;
    case 19:
        return NAME_IS(name, "failure-reason-code") ? D_REASON : -1;
    default: /* "failure-error-code" (a deviation) and every unknown member */
        return -1;
    }
}

static cursor failure_detail(fast *f, cursor p, tlsrpt_policy *pol, size_t pi, size_t fi)
{
    const cursor end = f->end;
    cursor at = p;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_DETAIL])))
        return NULL;
    tlsrpt_failure *d = trpt_arena_alloc(f->arena, sizeof *d);
    if (!d)
        return NULL;
    memset(d, 0, sizeof *d);
    d->arena = f->arena;
    if (!list_add(f, &f->details, d))
        return NULL;
    unsigned m;
    for (;;) {
        if (!(p = next_member(end, p, &it, detail_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        char **field;
        switch (m) {
        case D_TYPE: { /* a registered one, its copy shared by every detail of that type */
            cursor s;
            size_t n;
            if (!(p = string_value(end, p, &s, &n)))
                return NULL;
            int code = trpt_result_code_from_text((const char *)s, n);
            if (code == TLSRPT_RESULT_OTHER)
                return NULL;
            if (!f->result_type_copy[code] && !(f->result_type_copy[code] = keep_string(f, s, n)))
                return NULL;
            d->result_type = f->result_type_copy[code];
            d->result_code = code;
            continue;
        }
        case D_COUNT:
            if (!(p = take_count(end, p, &d->session_count)))
                return NULL;
            continue;
        case D_SMI:
            field = &d->sending_mta_ip;
            break;
        case D_RMH:
            field = &d->receiving_mx_hostname;
            break;
        case D_HELO:
            field = &d->receiving_mx_helo;
            break;
        case D_RIP:
            field = &d->receiving_ip;
            break;
        case D_INFO:
            field = &d->additional_information;
            break;
        default:
            field = &d->reason_code;
            break;
        }
        if (!(p = take_string(f, end, p, field)))
            return NULL;
    }
    if (!(it.seen & (1u << D_TYPE)))
        return NULL; /* an error: the general path says so */
    if ((!(it.seen & (1u << D_COUNT)) && !note(f, TRPT_MISSING_SESSION_COUNT, at, pi, fi)) ||
        (!(it.seen & (1u << D_SMI)) && !note(f, TRPT_MISSING_SENDING_MTA_IP, at, pi, fi)) ||
        (!(it.seen & (1u << D_RMH)) && !note(f, TRPT_MISSING_RECEIVING_MX_HOSTNAME, at, pi, fi)))
        return NULL;
    return p;
}

static cursor failure_details(fast *f, cursor p, tlsrpt_policy *pol, size_t pi)
{
    const cursor end = f->end;
    int more;
    if (!(p = open_container(end, p, '[', &more)))
        return NULL;
    pol->has_failures = 1;
    f->details.n = 0;
    for (size_t fi = 0; more; fi++) {
        if (++f->failure_details > TLSRPT_MAX_FAILURE_DETAILS || !(p = failure_detail(f, p, pol, pi, fi)) ||
            !(p = next_item(end, p, ']', &more)))
            return NULL;
    }
    if (f->details.n) {
        if (!(pol->failures = (tlsrpt_failure **)list_to_arena(f, &f->details)))
            return NULL;
        pol->n_failures = pol->cap_failures = f->details.n;
        pol->failures_in_arena = 1;
    }
    return p;
}

enum { P_TYPE, P_DOMAIN, P_STRINGS, P_MX };

static int policy_member(cursor name, size_t len)
{
    if (len == 11)
        return NAME_IS(name, "policy-type") ? P_TYPE : -1;
    if (len == 13)
        return NAME_IS(name, "policy-domain") ? P_DOMAIN : NAME_IS(name, "policy-string") ? P_STRINGS : -1;
    if (len == 7)
        return NAME_IS(name, "mx-host") ? P_MX : -1;
    return -1;
}

/* "policy": *seen_out is the members read (bits: 1 << P_*). */
static cursor policy_object(fast *f, cursor p, tlsrpt_policy *pol, unsigned *seen_out)
{
    const cursor end = f->end;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_POLICY])))
        return NULL;
    unsigned m;
    for (;;) {
        if (!(p = next_member(end, p, &it, policy_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        switch (m) {
        case P_TYPE:
            if (!(p = take_string(f, end, p, &pol->type_name)))
                return NULL;
            pol->type = trpt_policy_type_from_name(pol->type_name);
            if (pol->type == TLSRPT_POLICY_OTHER)
                return NULL;
            break;
        case P_DOMAIN:
            p = take_string(f, end, p, &pol->domain);
            break;
        case P_STRINGS:
            p = string_list(f, end, p, pol, trpt_policy_set_strings, TLSRPT_MAX_POLICY_STRINGS, 0);
            break;
        default:
            p = string_list(f, end, p, pol, trpt_policy_set_mx_hosts, TLSRPT_MAX_MX_HOSTS, 1);
            break;
        }
        if (!p)
            return NULL;
    }
    *seen_out = it.seen;
    return p;
}

enum { S_SUCCESSFUL, S_FAILED };

static int summary_member(cursor name, size_t len)
{
    if (len == 30)
        return NAME_IS(name, "total-successful-session-count") ? S_SUCCESSFUL : -1;
    if (len == 27)
        return NAME_IS(name, "total-failure-session-count") ? S_FAILED : -1;
    return -1;
}

/* "summary": *failed_at is the total-failure-session-count's offset when it was read. */
static cursor summary_object(fast *f, cursor p, tlsrpt_policy *pol, unsigned *seen_out, cursor *failed_at)
{
    const cursor end = f->end;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_SUMMARY])))
        return NULL;
    unsigned m;
    for (;;) {
        if (!(p = next_member(end, p, &it, summary_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        if (m == S_FAILED)
            *failed_at = p;
        if (!(p = take_count(end, p, m == S_SUCCESSFUL ? &pol->successful_sessions : &pol->failed_sessions)))
            return NULL;
    }
    *seen_out = it.seen;
    return p;
}

enum { E_POLICY, E_SUMMARY, E_DETAILS };

static int entry_member(cursor name, size_t len)
{
    if (len == 6)
        return NAME_IS(name, "policy") ? E_POLICY : -1;
    if (len == 7)
        return NAME_IS(name, "summary") ? E_SUMMARY : -1;
    if (len == 15)
        return NAME_IS(name, "failure-details") ? E_DETAILS : -1;
    return -1;
}

static cursor policy_entry(fast *f, cursor p, size_t pi)
{
    const cursor end = f->end;
    cursor at = p, policy_at = p, summary_at = p, failed_at = NULL;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_ENTRY])))
        return NULL;
    tlsrpt_policy *pol = trpt_arena_alloc(f->arena, sizeof *pol);
    if (!pol)
        return NULL;
    memset(pol, 0, sizeof *pol);
    pol->arena = f->arena;
    if (!list_add(f, &f->policies, pol))
        return NULL;
    unsigned policy_seen = 0, summary_seen = 0, m;
    for (;;) {
        if (!(p = next_member(end, p, &it, entry_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        if (m == E_POLICY) {
            policy_at = p;
            p = policy_object(f, p, pol, &policy_seen);
        } else if (m == E_SUMMARY) {
            summary_at = p;
            p = summary_object(f, p, pol, &summary_seen, &failed_at);
        } else {
            p = failure_details(f, p, pol, pi);
        }
        if (!p)
            return NULL;
    }
    /* The checks at the end of a policy, in report_parse.c's order (parse_policy_entry). */
    if (!(it.seen & (1u << E_POLICY)) || !(policy_seen & (1u << P_TYPE)))
        return NULL; /* "policy" or "policy-type" missing: errors */
    if ((!(policy_seen & (1u << P_DOMAIN)) && !note(f, TRPT_MISSING_POLICY_DOMAIN, policy_at, pi, 0)) ||
        (!(policy_seen & (1u << P_STRINGS)) && (pol->type == TLSRPT_POLICY_STS || pol->type == TLSRPT_POLICY_TLSA) &&
         !note(f, TRPT_MISSING_POLICY_STRING, policy_at, pi, 0)) ||
        (!(policy_seen & (1u << P_MX)) && pol->type == TLSRPT_POLICY_STS &&
         !note(f, TRPT_MISSING_MX_HOST, policy_at, pi, 0)))
        return NULL;
    if (!(it.seen & (1u << E_SUMMARY))) {
        if (!note(f, TRPT_MISSING_SUMMARY, at, pi, 0))
            return NULL;
    } else if ((!(summary_seen & (1u << S_SUCCESSFUL)) && !note(f, TRPT_MISSING_SUCCESSFUL, summary_at, pi, 0)) ||
               (!(summary_seen & (1u << S_FAILED)) && !note(f, TRPT_MISSING_FAILED, summary_at, pi, 0))) {
        return NULL;
    }
    if ((summary_seen & (1u << S_FAILED)) && pol->n_failures > 0) {
        uint64_t sum;
        if ((trpt_policy_details_sum(pol, &sum) != TLSRPT_OK || sum != pol->failed_sessions) &&
            !note(f, TRPT_NOTE_SUMMARY_MISMATCH, failed_at, pi, 0))
            return NULL;
    }
    return p;
}

enum { R_START, R_END };

static int range_member(cursor name, size_t len)
{
    if (len == 14)
        return NAME_IS(name, "start-datetime") ? R_START : -1;
    if (len == 12)
        return NAME_IS(name, "end-datetime") ? R_END : -1;
    return -1;
}

static cursor date_range(fast *f, cursor p)
{
    const cursor end = f->end;
    tlsrpt_report *r = f->r;
    cursor at = p;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_RANGE])))
        return NULL;
    for (;;) {
        unsigned m;
        if (!(p = next_member(end, p, &it, range_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        if (m == R_START)
            p = take_datetime(end, p, &r->start_time, &r->has_start_time);
        else
            p = take_datetime(end, p, &r->end_time, &r->has_end_time);
        if (!p)
            return NULL;
    }
    if ((!(it.seen & (1u << R_START)) && !note(f, TRPT_MISSING_START_DATETIME, at, 0, 0)) ||
        (!(it.seen & (1u << R_END)) && !note(f, TRPT_MISSING_END_DATETIME, at, 0, 0)))
        return NULL;
    return p;
}

static cursor policies(fast *f, cursor p)
{
    const cursor end = f->end;
    int more;
    if (!(p = open_container(end, p, '[', &more)))
        return NULL;
    for (size_t pi = 0; more; pi++) {
        if (pi >= TLSRPT_MAX_POLICIES || !(p = policy_entry(f, p, pi)) || !(p = next_item(end, p, ']', &more)))
            return NULL;
    }
    tlsrpt_report *r = f->r;
    if (f->policies.n) {
        if (!(r->policies = (tlsrpt_policy **)list_to_arena(f, &f->policies)))
            return NULL;
        r->n_policies = r->cap_policies = f->policies.n;
        r->policies_in_arena = 1;
    }
    return p;
}

enum { O_ORG, O_RANGE, O_CONTACT, O_ID, O_POLICIES };

static int report_member(cursor name, size_t len)
{
    switch (len) {
    case 17:
        return NAME_IS(name, "organization-name") ? O_ORG : -1;
    case 10:
        return NAME_IS(name, "date-range") ? O_RANGE : -1;
    case 12:
        return NAME_IS(name, "contact-info") ? O_CONTACT : -1;
    case 9:
        return NAME_IS(name, "report-id") ? O_ID : -1;
    case 8:
        return NAME_IS(name, "policies") ? O_POLICIES : -1;
    default:
        return -1;
    }
}

static cursor report_object(fast *f, cursor p)
{
    const cursor end = f->end;
    tlsrpt_report *r = f->r;
    cursor at = p;
    members it;
    if (!(p = object_begin(end, p, &it, &f->templates[T_REPORT])))
        return NULL;
    for (;;) {
        unsigned m;
        if (!(p = next_member(end, p, &it, report_member, &m)))
            return NULL;
        if (m == MEMBER_END)
            break;
        switch (m) {
        case O_ORG:
            p = take_string(f, end, p, &r->organization_name);
            break;
        case O_RANGE:
            p = date_range(f, p);
            break;
        case O_CONTACT:
            p = take_string(f, end, p, &r->contact_info);
            break;
        case O_ID:
            p = take_string(f, end, p, &r->report_id);
            break;
        default:
            p = policies(f, p);
            break;
        }
        if (!p)
            return NULL;
    }
    if (!(it.seen & (1u << O_POLICIES)))
        return NULL; /* an error */
    if ((!(it.seen & (1u << O_ORG)) && !note(f, TRPT_MISSING_ORGANIZATION_NAME, at, 0, 0)) ||
        (!(it.seen & (1u << O_RANGE)) && !note(f, TRPT_MISSING_DATE_RANGE, at, 0, 0)) ||
        (!(it.seen & (1u << O_CONTACT)) && !note(f, TRPT_MISSING_CONTACT_INFO, at, 0, 0)) ||
        (!(it.seen & (1u << O_ID)) && !note(f, TRPT_MISSING_REPORT_ID, at, 0, 0)))
        return NULL;
    return p;
}

int trpt_report_read_fast(const char *text, size_t len, char *own, int strict, size_t memory_limit,
                          trpt_fast_result *res)
{
    fast f;
    memset(&f, 0, sizeof f);
    res->report = NULL;
    res->n_notes = 0;
    res->memory_peak = 0;
    res->last_nul = NULL;
    if (memory_limit <= TRPT_FAST_MEMORY_MARGIN || trpt_report_create(&f.r) != TLSRPT_OK)
        return 0;
    f.in = (cursor)(own ? own : text);
    f.end = f.in + len;
    f.in_place = own != NULL;
    f.copied_end = own ? f.end : f.in; /* in place: all of it, delta 0 */
    f.strict = strict;
    f.res = res;
    f.budget.limit = memory_limit - TRPT_FAST_MEMORY_MARGIN;
    f.arena = &f.r->arena;
    f.r->arena.budget = &f.budget;
    list_init(&f.items);
    list_init(&f.details);
    list_init(&f.policies);
    /* The objects take about 0.4 x the JSON (bench/README.md): one block for them in most reports; at most 16 KiB
     * before anything is known about the text (the arena grows from there). */
    if (trpt_arena_reserve(f.arena, len / 2 < 16384u ? len / 2 : 16384u) != TLSRPT_OK) {
        tlsrpt_report_free(f.r);
        return 0;
    }
    template templates[T_KINDS]; /* 4.3 KiB */
    for (size_t i = 0; i < T_KINDS; i++)
        template_init(&templates[i]);
    f.templates = templates;
    cursor p = report_object(&f, skip_ws(f.end, f.in));
    int taken = p && skip_ws(f.end, p) == f.end;
    f.r->arena.budget = NULL;
    list_free(&f.items);
    list_free(&f.details);
    list_free(&f.policies);
    res->memory_peak = f.budget.peak;
    if (!taken) {
        tlsrpt_report_free(f.r);
        res->n_notes = 0;
        res->last_nul = f.in_place ? (char *)f.last_nul : NULL;
        return 0;
    }
    res->report = f.r;
    return 1;
}

void trpt_report_fast_restore(char *text, const trpt_fast_result *res)
{
    if (!res->last_nul)
        return;
    char *p = text, *last = res->last_nul;
    while (p <= last && (p = memchr(p, '\0', (size_t)(last - p) + 1u)) != NULL)
        *p++ = '"';
}
