/* tlsrpt — the shared output module: the output format, untrusted text made safe for a terminal, findings (with a
 * caret under the offending byte, or with their JSON path) in colour when allowed, the summary line, and the one
 * JSON writer of the program.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_OUTPUT_H
#define TLSRPT_CLI_OUTPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <tlsrpt/tlsrpt.h>

/* What a command prints on standard output: text for people (the default) or one JSON document (--json). */
enum output_format { OUTPUT_TEXT, OUTPUT_JSON };

/* Colour only when stdout is a terminal, the stream f itself is one, and NO_COLOR is not set. */
int stream_wants_colour(FILE *f);

/* ---- Untrusted text ---- */

/* Writes bytes so that each takes a predictable number of columns: printable ASCII as itself, a backslash as "\\",
 * anything else as "\xHH". Returns the column at which byte `mark` starts (mark may equal len). */
size_t put_escaped(FILE *f, const char *text, size_t len, size_t mark);
void put_escaped_string(FILE *f, const char *s);

/* ---- Findings ---- */

const char *severity_name(int severity);

/* "SEVERITY: MESSAGE [ID]" for every finding of d; a finding with an offset into `subject` (may be NULL) gets two
 * more lines: the subject, escaped, and a caret under the offending byte. */
void print_findings(FILE *f, int colour, const tlsrpt_diag *d, const char *subject, size_t subject_len);
/* print_findings(), and after each finding that has one, its fix-it hint (tlsrpt_diag_hint) as a line
 * "hint: HINT". */
void print_findings_with_hints(FILE *f, int colour, const tlsrpt_diag *d, const char *subject, size_t subject_len);
/* "SEVERITY: PATH: MESSAGE [ID]" for every finding of d (report findings); without a JSON path, "byte N" takes its
 * place when the finding has an offset. */
void print_path_findings(FILE *f, int colour, const tlsrpt_diag *d);

/* "SEVERITY: line N: MESSAGE [ID]" for every finding of d, with the line of `text` (a multi-line input such as an
 * MTA-STS policy) that holds the finding's offset and a caret under the offending byte. */
void print_line_findings(FILE *f, int colour, const tlsrpt_diag *d, const char *text, size_t len);

struct finding_counts {
    size_t errors, warnings, infos;
};

/* Adds the findings of d to c, by severity. */
void count_findings(const tlsrpt_diag *d, struct finding_counts *c);

/* ---- The verdict and the summary line ---- */

/* The "status" word of a parse's return code: valid, unusable, over-limit, unsupported, syntax-error. */
const char *parse_status_name(int rc);
/* The verdict of a checked input: "valid", "invalid (--strict)" (parsed without errors, failed only for warnings
 * under --strict) or "invalid". */
const char *validity_name(int valid, int parsed_without_errors);
/* The last line of check, lookup and report: "VERDICT[NOTE]: N errors, N warnings, N infos" (NOTE may be NULL). */
void print_summary_line(FILE *f, const char *verdict, const char *note, const struct finding_counts *c);

/* ---- JSON: the one writer of the program ----
 * Compact RFC 8259 text (no white space), written token by token onto a stream; commas and colons are written by
 * the writer. Every JSON document the program prints comes from here:
 *
 *     struct json_writer w;
 *     json_start(&w, stdout);
 *     json_begin_object(&w);
 *     json_member_bool(&w, "valid", 1);
 *     json_key(&w, "findings");
 *     json_findings(&w, lists, 1, 0);
 *     json_end_object(&w);
 *     json_finish(&w);                  // the final newline
 *
 * Findings and records are written by the library (tlsrpt_diag_to_json, tlsrpt_record_to_json) and spliced in with
 * json_raw() and json_raw_members(); the program writes the rest itself, because it prints what it was given (an
 * argument, a TXT record) whatever its bytes (README.md, "The JSON"). */

/* Containers open at once; the program's documents nest 6 deep at most. */
#define JSON_MAX_DEPTH 16

struct json_writer {
    FILE *f;
    unsigned depth;                     /* open containers */
    int after_key;                      /* a member name was written; its value comes next */
    int has_items[JSON_MAX_DEPTH];      /* per open container: something was written inside */
};

void json_start(struct json_writer *w, FILE *f);
/* Ends the document with a newline. */
void json_finish(struct json_writer *w);

void json_begin_object(struct json_writer *w);
void json_end_object(struct json_writer *w);
void json_begin_array(struct json_writer *w);
void json_end_array(struct json_writer *w);
/* A member name; its value comes next. */
void json_key(struct json_writer *w, const char *key);

/* A JSON string: '"' and '\' escaped, control characters and DEL as \u00XX, well-formed UTF-8 copied, every other
 * byte replaced by U+FFFD, so the output is valid JSON whatever the input bytes. */
void json_string(struct json_writer *w, const char *text, size_t len);
/* A JSON string, or null for NULL. */
void json_cstring(struct json_writer *w, const char *s);
void json_bool(struct json_writer *w, int value);
void json_null(struct json_writer *w);
void json_size(struct json_writer *w, size_t value);
void json_uint64(struct json_writer *w, uint64_t value);
/* A number whose text the caller made (a 128-bit sum, a rate "99.50"). */
void json_number_text(struct json_writer *w, const char *text);

/* A whole member: json_key() and then the value (json_member_string writes null for NULL). */
void json_member_string(struct json_writer *w, const char *key, const char *value);
void json_member_bool(struct json_writer *w, const char *key, int value);
void json_member_size(struct json_writer *w, const char *key, size_t value);
void json_member_uint64(struct json_writer *w, const char *key, uint64_t value);

/* The members "errors", "warnings" and "infos" of the summary. */
void json_counts(struct json_writer *w, const struct finding_counts *c);
/* An array of the findings of each list in order, as the library writes them (tlsrpt_diag_to_json: "severity", "id",
 * "message", "offset", "path", "hint"). with_path is kept for the callers' sake: every finding has its "path" now. */
void json_findings(struct json_writer *w, const tlsrpt_diag *const *lists, size_t n_lists, int with_path);

/* A value the library wrote as compact JSON (tlsrpt_*_to_json), written as it is. */
void json_raw(struct json_writer *w, const char *json, size_t len);
/* The members of an object the library wrote as compact JSON, written into the object open in w (the library's
 * compact output of an object is "{" MEMBERS "}", so the members are the text between the braces). */
void json_raw_members(struct json_writer *w, const char *object, size_t len);

#endif
