/* libtlsrpt — Internet messages (RFC 5322) and MIME (RFC 2045, 2046, 2231). Internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * The room of the message format, apart from what a TLSRPT message says (report_write.c writes the RFC 8460 §5.3
 * message, report_message.c reads one). Two halves:
 *   - the writer's helpers: header folding, dot-atom-text, printable header values;
 *   - the reader: header sections scanned in place, Content-Type and Content-Disposition parameters (RFC 2045 §5.1,
 *     RFC 2183, RFC 2231 sections), the multipart walk (RFC 2046: boundaries, delimiters, unterminated bodies,
 *     message/rfc822 and message/global entities, the nesting and part limits), transfer-encoding selection and the
 *     base64 and quoted-printable decoders. It knows nothing about reports: a caller (report_message.c, later mailbox
 *     ingest) gets each leaf part through a callback, with its header fields, content type and body span.
 *
 * The reader never copies the message and stores nothing about it but offsets. Its findings are "message-" ids
 * (doc/diagnostics.md) at byte offsets of the message; deviations it reads past go through trpt_diag_deviation()
 * (WARNING, or ERROR when strict, and then reader.deviation is set so that the caller fails the read at the end).
 * Its cost is linear (mime.c says why): reader.work counts the bytes examined, and tests/test_report_message.c
 * (cost_is_linear) holds it to a linear bound on the worst shapes. */
#ifndef TLSRPT_MIME_H
#define TLSRPT_MIME_H

#include <stddef.h>

#include "internal.h"

/* 1 if s is non-empty printable US-ASCII (0x20..0x7e): no CR, LF, NUL or other controls, nothing that could start a
 * new header line or need encoding. */
int trpt_mime_is_printable(const char *s);

/* 1 if s[0..len) is an RFC 5322 §3.2.3 dot-atom-text: 1*atext *("." 1*atext). */
int trpt_mime_is_dot_atom_text(const char *s, size_t len);

/* Appends a header field "name: token token ...", folded (CRLF SP, RFC 5322 §2.2.3) before a token when the line
 * would pass 78 characters, and ends it with CRLF. Every token must be at most 997 octets, so that no line passes
 * 998. */
void trpt_mime_put_folded(trpt_buf *b, const char *const *tokens, size_t n);

/* ---- The reader ---------------------------------------------------------------------------------------------- */

#define TRPT_MIME_TOKEN_MAX 64u      /* longest type, subtype, parameter name or report-type kept */
#define TRPT_MIME_FILENAME_MAX 1024u /* longest file name parameter kept (longer: "", never a usable name) */
#define TRPT_MIME_BOUNDARY_MAX 70u   /* RFC 2046 §5.1.1 */
/* RFC 2231 sections of one parameter that are read: numbers 0 .. TRPT_MIME_PARAM_SECTIONS - 1 (a section numbered
 * higher is skipped as a junk parameter). Sections are kept in a table indexed by their number, so a header cannot
 * make the reader do more than this much work per parameter. */
#define TRPT_MIME_PARAM_SECTIONS 64u
/* How many fields of the top-level header section beyond the MIME ones a caller may ask the reader to remember. */
#define TRPT_MIME_TOP_FIELDS 8u

/* Bytes [off, off + len) of the message; present 0 when the field is absent. */
typedef struct trpt_mime_span {
    size_t off, len;
    int present;
} trpt_mime_span;

/* The fields of one header section the reader remembers (the first occurrence of each): spans of the values, from
 * after the colon to the end of the field's last line (folding line breaks included). */
typedef struct trpt_mime_headers {
    trpt_mime_span content_type, cte, disposition;
    trpt_mime_span top[TRPT_MIME_TOP_FIELDS]; /* top-level section only: the fields named in reader.top_fields */
    size_t body; /* offset of the body (the end of the entity when there is none) */
} trpt_mime_headers;

/* A Content-Type. Absent: text/plain (RFC 2045 §5.2); unreadable: type and subtype "". */
typedef struct trpt_mime_content_type {
    char type[TRPT_MIME_TOKEN_MAX + 1], subtype[TRPT_MIME_TOKEN_MAX + 1]; /* lower case */
    char boundary[TRPT_MIME_BOUNDARY_MAX + 1];                             /* multipart only */
    size_t boundary_len;
    int has_boundary;
    char report_type[TRPT_MIME_TOKEN_MAX + 1]; /* RFC 6522 multipart/report's report-type, lower case, or "" */
    char name[TRPT_MIME_FILENAME_MAX + 1];     /* the "name" parameter ("" when absent or too long) */
} trpt_mime_content_type;

/* A leaf part as the walk hands it over: the entity [start, end) (header section and body), its headers (body
 * offset in headers->body) and content type. */
typedef struct trpt_mime_part {
    size_t start, end;
    const trpt_mime_headers *headers;
    const trpt_mime_content_type *type;
} trpt_mime_part;

typedef struct trpt_mime_reader trpt_mime_reader;

/* Called for each leaf part (an entity that is neither multipart nor an attached message), in document order. It
 * may add findings through the reader (trpt_mime_diag_fatal etc.); a status other than TLSRPT_OK in reader->rc ends the
 * walk. */
typedef void (*trpt_mime_leaf_fn)(trpt_mime_reader *r, const trpt_mime_part *part, void *ctx);

struct trpt_mime_reader {
    /* set by trpt_mime_reader_init, then by the caller before the walk */
    const unsigned char *m;
    size_t len;
    tlsrpt_diag *diag;
    int strict;                   /* deviations are ERRORs */
    const char *const *top_fields; /* names of top-level fields to remember in top.top[] (case-insensitive) */
    size_t n_top_fields;          /* at most TRPT_MIME_TOP_FIELDS */
    trpt_mime_leaf_fn leaf;
    void *ctx;
    /* results */
    int rc;        /* the first fatal status, or TLSRPT_OK */
    int deviation; /* strict mode: a deviation was reported as an ERROR */
    size_t parts;  /* body parts seen */
    size_t work;   /* bytes examined by the walk, the header value parser and the decoders */
    trpt_mime_headers top;           /* the top-level header section */
    trpt_mime_content_type top_type; /* and its Content-Type */
};

/* A reader of m[0..len) (m may be NULL when len is 0), findings to diag (may be NULL), no top-level fields, no
 * callback. */
void trpt_mime_reader_init(trpt_mime_reader *r, const void *m, size_t len, tlsrpt_diag *diag, int strict);

/* Walks the message: the top-level header section (a line that is not a field is fatal there; an mbox "From " line
 * first is skipped with a note), then each multipart body (RFC 2046 §5.1) and attached message (message/rfc822,
 * message/global with an identity encoding), calling r->leaf for every leaf part. Read leniently as mature mail
 * readers do, each a deviation with its own id: a body part's malformed header section ends before the bad line, a
 * multipart body without its closing delimiter runs to the end, junk parameters are skipped. Fatal: the limits
 * TLSRPT_MAX_HEADER_FIELDS, TLSRPT_MAX_HEADER_LENGTH, TLSRPT_MAX_MIME_DEPTH, TLSRPT_MAX_MIME_PARTS, and a multipart
 * entity without a usable boundary or delimiter line. The result is in r->rc (and r->deviation). */
void trpt_mime_walk(trpt_mime_reader *r);

/* The file name of a leaf part: Content-Disposition's filename (RFC 2183, RFC 2231), else Content-Type's name;
 * "" when there is none. out holds TRPT_MIME_FILENAME_MAX + 1 bytes. Returns 0, or -1 when out of memory. */
int trpt_mime_part_filename(trpt_mime_reader *r, const trpt_mime_headers *h, const trpt_mime_content_type *ct,
                            char *out);

/* Content-Transfer-Encodings: 7bit, 8bit and binary are the identity; anything else is unknown. */
enum { TRPT_MIME_CTE_IDENTITY, TRPT_MIME_CTE_BASE64, TRPT_MIME_CTE_QP, TRPT_MIME_CTE_UNKNOWN };

/* The encoding a Content-Transfer-Encoding value names (absent: 7bit, the identity; RFC 2045 §6.1). */
int trpt_mime_cte(trpt_mime_reader *r, trpt_mime_span cte);

/* Decodes the body [start, end) of a TRPT_MIME_CTE_BASE64 or TRPT_MIME_CTE_QP part into out, at most max bytes (the
 * size of the body suffices for both), *n bytes written. Base64 bytes outside the alphabet (message-base64-junk)
 * and a quoted-printable '=' that starts nothing (message-qp-invalid) are deviations; malformed base64 padding or a
 * base64 text that ends inside a group is fatal (message-base64-invalid). Returns 0, -1 after a fatal finding (or
 * out of memory; r->rc says which), or TRPT_MIME_DECODE_FULL when the output would pass max bytes (no finding: the
 * caller's limit, the caller's words). */
#define TRPT_MIME_DECODE_FULL 1
int trpt_mime_decode(trpt_mime_reader *r, int cte, size_t start, size_t end, unsigned char *out, size_t max,
                     size_t *n);

/* ---- The reader's findings and value cursor, for its callers ----------------------------------------------------
 * What a caller reports about the message it reads goes through the reader, so that the status is one: a fatal
 * finding (ERROR) sets r->rc; a deviation (WARNING, or ERROR when strict, then r->deviation is set) returns 0 to read
 * on or -1 when out of memory (r->rc TLSRPT_ENOMEM); a note is an INFO. Ask trpt_mime_diag_deviation_keeps() before
 * quoting anything for a deviation, so that a dropped warning costs nothing. Their names hold "diag": the docs test
 * finds the ids of doc/diagnostics.md in the calls of functions so named (doc/CONVENTIONS.md, Diagnostics). */
void trpt_mime_diag_fatal(trpt_mime_reader *r, int rc, const char *id, size_t at, const char *fmt, ...)
    TRPT_PRINTF(5, 6);
int trpt_mime_diag_deviation(trpt_mime_reader *r, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(4, 5);
void trpt_mime_diag_info(trpt_mime_reader *r, const char *id, size_t at, const char *fmt, ...) TRPT_PRINTF(4, 5);

/* trpt_diag_deviation_keeps() for the reader's findings list and mode. */
static inline int trpt_mime_diag_deviation_keeps(const trpt_mime_reader *r)
{
    return trpt_diag_deviation_keeps(r->diag, r->strict);
}

/* A position in a header value: m[pos, end). */
typedef struct trpt_mime_cursor {
    const unsigned char *m;
    size_t pos, end;
} trpt_mime_cursor;

/* A cursor over a header value; the value is counted as read once (r->work). */
trpt_mime_cursor trpt_mime_span_cursor(trpt_mime_reader *r, trpt_mime_span s);

/* Skips white space, folding line breaks and (nested) comments: RFC 5322 CFWS. */
void trpt_mime_skip_cfws(trpt_mime_cursor *k);

#endif
