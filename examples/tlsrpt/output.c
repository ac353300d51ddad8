/* tlsrpt — the shared output module (see output.h).
 * SPDX-License-Identifier: MIT */
#include "output.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The library's own UTF-8 rule, borrowed as libxkbcommon's tools borrow library sources: lib/utf8.h is a static
 * inline header that needs no library symbol, so the program still links against the public ABI only. */
#include "utf8.h"

#define COLOUR_ERROR "\033[1;31m"
#define COLOUR_WARNING "\033[1;35m"
#define COLOUR_INFO "\033[1;36m"
#define COLOUR_CARET "\033[1;32m"
#define COLOUR_RESET "\033[0m"

int stream_wants_colour(FILE *f)
{
    return isatty(STDOUT_FILENO) && isatty(fileno(f)) && getenv("NO_COLOR") == NULL;
}

/* ---- Untrusted text ----------------------------------------------------------------------------------------- */

size_t put_escaped(FILE *f, const char *text, size_t len, size_t mark)
{
    size_t column = 0, mark_column = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (i == mark)
            mark_column = column;
        if (c == '\\') {
            fputs("\\\\", f);
            column += 2;
        } else if (c >= 0x20 && c < 0x7f) {
            fputc(c, f);
            column += 1;
        } else {
            fprintf(f, "\\x%02X", c);
            column += 4;
        }
    }
    if (mark >= len)
        mark_column = column;
    return mark_column;
}

void put_escaped_string(FILE *f, const char *s)
{
    put_escaped(f, s, strlen(s), 0);
}

/* Library messages already quote the offending text; only control bytes are escaped here, so that a message can
 * never drive the terminal. */
static void put_message(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            fprintf(f, "\\x%02X", c);
        else
            fputc(c, f);
    }
}

/* ---- Findings ----------------------------------------------------------------------------------------------- */

const char *severity_name(int severity)
{
    switch (severity) {
    case TLSRPT_SEVERITY_ERROR: return "error";
    case TLSRPT_SEVERITY_WARNING: return "warning";
    default: return "info";
    }
}

static const char *severity_colour(int severity)
{
    switch (severity) {
    case TLSRPT_SEVERITY_ERROR: return COLOUR_ERROR;
    case TLSRPT_SEVERITY_WARNING: return COLOUR_WARNING;
    default: return COLOUR_INFO;
    }
}

/* "SEVERITY: ", the severity in its colour. */
static void put_severity(FILE *f, int colour, int severity)
{
    if (colour)
        fprintf(f, "%s%s:%s ", severity_colour(severity), severity_name(severity), COLOUR_RESET);
    else
        fprintf(f, "%s: ", severity_name(severity));
}

/* "MESSAGE [ID]\n" */
static void put_message_and_id(FILE *f, const tlsrpt_diag *d, size_t i)
{
    put_message(f, tlsrpt_diag_message(d, i));
    fprintf(f, " [%s]\n", tlsrpt_diag_id(d, i));
}

/* The caret lines are indented by two columns. */
static void print_finding(FILE *f, int colour, const tlsrpt_diag *d, size_t i, const char *subject,
                          size_t subject_len)
{
    put_severity(f, colour, tlsrpt_diag_severity(d, i));
    put_message_and_id(f, d, i);
    size_t offset = tlsrpt_diag_offset(d, i);
    if (subject == NULL || offset == TLSRPT_NO_OFFSET || offset > subject_len)
        return;
    fputs("  ", f);
    size_t column = put_escaped(f, subject, subject_len, offset);
    fprintf(f, "\n  %*s%s^%s\n", (int)column, "", colour ? COLOUR_CARET : "", colour ? COLOUR_RESET : "");
}

void print_findings(FILE *f, int colour, const tlsrpt_diag *d, const char *subject, size_t subject_len)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        print_finding(f, colour, d, i, subject, subject_len);
}

void print_findings_with_hints(FILE *f, int colour, const tlsrpt_diag *d, const char *subject, size_t subject_len)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        print_finding(f, colour, d, i, subject, subject_len);
        const char *hint = tlsrpt_diag_hint(d, i);
        if (hint != NULL) {
            fputs("hint: ", f);
            put_message(f, hint);
            fputc('\n', f);
        }
    }
}

void print_path_findings(FILE *f, int colour, const tlsrpt_diag *d)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        put_severity(f, colour, tlsrpt_diag_severity(d, i));
        const char *path = tlsrpt_diag_path(d, i);
        size_t offset = tlsrpt_diag_offset(d, i);
        if (path && path[0]) {
            put_escaped_string(f, path);
            fputs(": ", f);
        } else if (offset != TLSRPT_NO_OFFSET) {
            fprintf(f, "byte %zu: ", offset);
        }
        put_message_and_id(f, d, i);
    }
}

void print_line_findings(FILE *f, int colour, const tlsrpt_diag *d, const char *text, size_t len)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        size_t offset = tlsrpt_diag_offset(d, i);
        if (text == NULL || offset == TLSRPT_NO_OFFSET || offset > len) {
            print_finding(f, colour, d, i, NULL, 0);
            continue;
        }
        size_t start = offset, line = 1;
        while (start > 0 && text[start - 1] != '\n')
            start--;
        for (size_t k = 0; k < start; k++)
            line += text[k] == '\n';
        size_t end = offset;
        while (end < len && text[end] != '\n')
            end++;
        put_severity(f, colour, tlsrpt_diag_severity(d, i));
        fprintf(f, "line %zu: ", line);
        put_message_and_id(f, d, i);
        fputs("  ", f);
        size_t column = put_escaped(f, text + start, end - start, offset - start);
        fprintf(f, "\n  %*s%s^%s\n", (int)column, "", colour ? COLOUR_CARET : "", colour ? COLOUR_RESET : "");
    }
}

void count_findings(const tlsrpt_diag *d, struct finding_counts *c)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        switch (tlsrpt_diag_severity(d, i)) {
        case TLSRPT_SEVERITY_ERROR: c->errors++; break;
        case TLSRPT_SEVERITY_WARNING: c->warnings++; break;
        default: c->infos++; break;
        }
    }
}

/* ---- The verdict and the summary line ----------------------------------------------------------------------- */

const char *parse_status_name(int rc)
{
    switch (rc) {
    case TLSRPT_OK: return "valid";
    case TLSRPT_ESEMANTIC: return "unusable";
    case TLSRPT_ELIMIT: return "over-limit";
    case TLSRPT_EUNSUPPORTED: return "unsupported";
    default: return "syntax-error";
    }
}

const char *validity_name(int valid, int parsed_without_errors)
{
    return valid ? "valid" : parsed_without_errors ? "invalid (--strict)" : "invalid";
}

static void put_count(FILE *f, size_t n, const char *singular, const char *plural)
{
    fprintf(f, "%zu %s", n, n == 1 ? singular : plural);
}

void print_summary_line(FILE *f, const char *verdict, const char *note, const struct finding_counts *c)
{
    fputs(verdict, f);
    if (note)
        fputs(note, f);
    fputs(": ", f);
    put_count(f, c->errors, "error", "errors");
    fputs(", ", f);
    put_count(f, c->warnings, "warning", "warnings");
    fputs(", ", f);
    put_count(f, c->infos, "info", "infos");
    fputc('\n', f);
}

/* ---- JSON --------------------------------------------------------------------------------------------------- */

void json_start(struct json_writer *w, FILE *f)
{
    memset(w, 0, sizeof *w);
    w->f = f;
}

void json_finish(struct json_writer *w)
{
    fputc('\n', w->f);
}

/* What goes before a value or a member name: a comma after an earlier item of the same container. */
static void before_item(struct json_writer *w)
{
    if (w->after_key) {
        w->after_key = 0;
        return;
    }
    if (w->depth == 0)
        return;
    unsigned level = w->depth <= JSON_MAX_DEPTH ? w->depth - 1 : JSON_MAX_DEPTH - 1;
    if (w->has_items[level])
        fputc(',', w->f);
    w->has_items[level] = 1;
}

static void begin(struct json_writer *w, char open)
{
    before_item(w);
    fputc(open, w->f);
    /* Deeper than JSON_MAX_DEPTH is a programming error; the commas would still be right at the levels kept. */
    if (w->depth < JSON_MAX_DEPTH)
        w->has_items[w->depth] = 0;
    w->depth++;
}

static void end(struct json_writer *w, char close)
{
    fputc(close, w->f);
    w->depth--;
}

void json_begin_object(struct json_writer *w)
{
    begin(w, '{');
}

void json_end_object(struct json_writer *w)
{
    end(w, '}');
}

void json_begin_array(struct json_writer *w)
{
    begin(w, '[');
}

void json_end_array(struct json_writer *w)
{
    end(w, ']');
}

static void put_string(FILE *f, const char *text, size_t len)
{
    const unsigned char *p = (const unsigned char *)text;
    fputc('"', f);
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            fputc('\\', f);
            fputc(c, f);
            i++;
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\u%04x", c);
            i++;
        } else {
            size_t bad;
            size_t n = c < 0x80 ? 1 : trpt_utf8_sequence(p + i, len - i, &bad);
            if (n == 0) {
                fputs("\\ufffd", f);
                i++;
            } else {
                fwrite(p + i, 1, n, f);
                i += n;
            }
        }
    }
    fputc('"', f);
}

void json_key(struct json_writer *w, const char *key)
{
    before_item(w);
    put_string(w->f, key, strlen(key));
    fputc(':', w->f);
    w->after_key = 1;
}

void json_string(struct json_writer *w, const char *text, size_t len)
{
    before_item(w);
    put_string(w->f, text, len);
}

void json_cstring(struct json_writer *w, const char *s)
{
    if (s == NULL)
        json_null(w);
    else
        json_string(w, s, strlen(s));
}

void json_number_text(struct json_writer *w, const char *text)
{
    before_item(w);
    fputs(text, w->f);
}

void json_bool(struct json_writer *w, int value)
{
    json_number_text(w, value ? "true" : "false");
}

void json_null(struct json_writer *w)
{
    json_number_text(w, "null");
}

void json_size(struct json_writer *w, size_t value)
{
    before_item(w);
    fprintf(w->f, "%zu", value);
}

void json_uint64(struct json_writer *w, uint64_t value)
{
    before_item(w);
    fprintf(w->f, "%" PRIu64, value);
}

void json_member_string(struct json_writer *w, const char *key, const char *value)
{
    json_key(w, key);
    json_cstring(w, value);
}

void json_member_bool(struct json_writer *w, const char *key, int value)
{
    json_key(w, key);
    json_bool(w, value);
}

void json_member_size(struct json_writer *w, const char *key, size_t value)
{
    json_key(w, key);
    json_size(w, value);
}

void json_member_uint64(struct json_writer *w, const char *key, uint64_t value)
{
    json_key(w, key);
    json_uint64(w, value);
}

void json_counts(struct json_writer *w, const struct finding_counts *c)
{
    json_member_size(w, "errors", c->errors);
    json_member_size(w, "warnings", c->warnings);
    json_member_size(w, "infos", c->infos);
}

void json_raw(struct json_writer *w, const char *json, size_t len)
{
    before_item(w);
    fwrite(json, 1, len, w->f);
}

void json_raw_members(struct json_writer *w, const char *object, size_t len)
{
    if (len < 2)
        return;
    /* The members are items of the object open in w: a comma before them when it has some already. */
    if (len > 2) {
        before_item(w);
        fwrite(object + 1, 1, len - 2, w->f);
    }
}

void json_findings(struct json_writer *w, const tlsrpt_diag *const *lists, size_t n_lists, int with_path)
{
    (void)with_path;
    json_begin_array(w);
    for (size_t l = 0; l < n_lists; l++) {
        char *json = NULL;
        size_t len = 0;
        /* "[]", or "[" FINDINGS "]": the findings are the items between the brackets. On failure (out of memory)
         * the list's findings are left out rather than the document broken. */
        if (tlsrpt_diag_to_json(lists[l], 0, &json, &len) == TLSRPT_OK)
            json_raw_members(w, json, len);
        tlsrpt_free(json);
    }
    json_end_array(w);
}
