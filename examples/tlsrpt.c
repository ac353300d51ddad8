/* tlsrpt — the command-line face of libtlsrpt, and its worked example.
 * SPDX-License-Identifier: MIT
 *
 * It uses only the public API (<tlsrpt/tlsrpt.h>). Each command is one handler in the command table below; the
 * output helpers (finding printer, caret line, JSON writer) are shared, so a new command is one more handler.
 *
 * Exit status: 0 success, 1 the input is invalid or unusable, 2 usage or I/O error, 3 temporary DNS failure
 * (see tlsrpt(1)). */
#include <tlsrpt/tlsrpt.h>

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define EXIT_OK 0
#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define EXIT_TEMPFAIL 3

/* generate: the TTL of the zone line unless --ttl says otherwise; the largest TTL RFC 2181 §8 allows. */
#define DEFAULT_TTL 3600u
#define MAX_TTL 2147483647u
/* A DNS character-string holds at most 255 bytes (RFC 1035 §3.3). */
#define DNS_STRING_MAX 255u
/* The record the owner of an external destination publishes. */
#define AUTHORIZATION_VALUE "v=TLSRPTv1"

static const char PROGRAM[] = "tlsrpt";

/* ---- Terminal output ---------------------------------------------------------------------------------------- */

#define COLOUR_ERROR "\033[1;31m"
#define COLOUR_WARNING "\033[1;35m"
#define COLOUR_INFO "\033[1;36m"
#define COLOUR_CARET "\033[1;32m"
#define COLOUR_RESET "\033[0m"

/* Colour only when stdout is a terminal, the stream itself is one, and NO_COLOR is not set (CLI.md). */
static int stream_wants_colour(FILE *f)
{
    return isatty(STDOUT_FILENO) && isatty(fileno(f)) && getenv("NO_COLOR") == NULL;
}

/* Writes untrusted bytes so that every byte takes a predictable number of columns: printable ASCII as itself (one
 * column), a backslash as "\\" (two), anything else as "\xHH" (four). Returns the column at which byte `mark`
 * starts (mark may equal len: the column just past the text). */
static size_t put_escaped(FILE *f, const char *text, size_t len, size_t mark)
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

static void put_escaped_string(FILE *f, const char *s)
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

static const char *severity_name(int severity)
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

/* Prints finding i of d as "SEVERITY: MESSAGE [ID]". When the finding has an offset into `subject` (the text the
 * finding is about; may be NULL), two more lines follow: the subject, escaped, and a caret under the offending
 * byte. Both are indented by two columns. */
static void print_finding(FILE *f, int colour, const tlsrpt_diag *d, size_t i, const char *subject,
                          size_t subject_len)
{
    int severity = tlsrpt_diag_severity(d, i);
    if (colour)
        fprintf(f, "%s%s:%s ", severity_colour(severity), severity_name(severity), COLOUR_RESET);
    else
        fprintf(f, "%s: ", severity_name(severity));
    put_message(f, tlsrpt_diag_message(d, i));
    fprintf(f, " [%s]\n", tlsrpt_diag_id(d, i));

    size_t offset = tlsrpt_diag_offset(d, i);
    if (subject == NULL || offset == TLSRPT_NO_OFFSET || offset > subject_len)
        return;
    fputs("  ", f);
    size_t column = put_escaped(f, subject, subject_len, offset);
    fprintf(f, "\n  %*s%s^%s\n", (int)column, "", colour ? COLOUR_CARET : "", colour ? COLOUR_RESET : "");
}

static void print_findings(FILE *f, int colour, const tlsrpt_diag *d, const char *subject, size_t subject_len)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        print_finding(f, colour, d, i, subject, subject_len);
}

struct finding_counts {
    size_t errors, warnings, infos;
};

static void count_findings(const tlsrpt_diag *d, struct finding_counts *c)
{
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        switch (tlsrpt_diag_severity(d, i)) {
        case TLSRPT_SEVERITY_ERROR: c->errors++; break;
        case TLSRPT_SEVERITY_WARNING: c->warnings++; break;
        default: c->infos++; break;
        }
    }
}

static void put_count(FILE *f, size_t n, const char *singular, const char *plural)
{
    fprintf(f, "%zu %s", n, n == 1 ? singular : plural);
}

/* ---- JSON output -------------------------------------------------------------------------------------------- */

/* Length of the well-formed UTF-8 sequence (RFC 3629) at p, or 0 when the bytes there are not one. */
static size_t utf8_sequence_length(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    size_t n;
    unsigned char lo = 0x80, hi = 0xBF; /* the allowed range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
    } else
        return 0;
    if (avail < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < n; k++)
        if (p[k] < 0x80 || p[k] > 0xBF)
            return 0;
    return n;
}

/* Writes a JSON string (RFC 8259): '"' and '\' escaped, control characters and DEL as \u00XX, well-formed UTF-8
 * copied, and every byte that is not part of well-formed UTF-8 replaced by U+FFFD, so the output is always valid
 * JSON whatever the input bytes. */
static void json_string(FILE *f, const char *text, size_t len)
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
            size_t n = utf8_sequence_length(p + i, len - i);
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

/* A JSON string, or null for NULL. */
static void json_cstring(FILE *f, const char *s)
{
    if (s == NULL)
        fputs("null", f);
    else
        json_string(f, s, strlen(s));
}

static void json_key(FILE *f, int *first, const char *key)
{
    if (!*first)
        fputc(',', f);
    *first = 0;
    json_cstring(f, key);
    fputc(':', f);
}

/* "findings": [{"severity", "id", "message", "offset"}...] for every entry of each list in order. */
static void json_findings(FILE *f, const tlsrpt_diag *const *lists, size_t n_lists)
{
    int first = 1;
    fputc('[', f);
    for (size_t l = 0; l < n_lists; l++) {
        for (size_t i = 0; i < tlsrpt_diag_count(lists[l]); i++) {
            if (!first)
                fputc(',', f);
            first = 0;
            int k = 1;
            fputc('{', f);
            json_key(f, &k, "severity");
            json_cstring(f, severity_name(tlsrpt_diag_severity(lists[l], i)));
            json_key(f, &k, "id");
            json_cstring(f, tlsrpt_diag_id(lists[l], i));
            json_key(f, &k, "message");
            json_cstring(f, tlsrpt_diag_message(lists[l], i));
            json_key(f, &k, "offset");
            size_t offset = tlsrpt_diag_offset(lists[l], i);
            if (offset == TLSRPT_NO_OFFSET)
                fputs("null", f);
            else
                fprintf(f, "%zu", offset);
            fputc('}', f);
        }
    }
    fputc(']', f);
}

static const char *scheme_name(int scheme)
{
    switch (scheme) {
    case TLSRPT_URI_MAILTO: return "mailto";
    case TLSRPT_URI_HTTPS: return "https";
    default: return "other";
    }
}

/* What lookup found out about one destination's external authorization. */
struct destination_check {
    int external;        /* 1 outside DOMAIN's organizational domain, 0 inside, -1 no host name (not applicable) */
    char *name;          /* the authorization record name "<domain>._report._tls.<host>.", or NULL */
    const char *verdict; /* "not-required", "authorized", "not-authorized", "temporary-failure", "not-checked",
                          * or NULL when not applicable */
};

/* "rua": [...] and "extensions": [...] of a parsed record (empty arrays for NULL). With `checks` (one per
 * destination), each destination also gets "external", "authorization_name" and "authorization". */
static void json_record_fields(FILE *f, int *first, const tlsrpt_record *r, const struct destination_check *checks)
{
    json_key(f, first, "rua");
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_record_rua_count(r); i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_key(f, &k, "uri");
        json_cstring(f, tlsrpt_uri_string(u));
        json_key(f, &k, "scheme");
        json_cstring(f, scheme_name(tlsrpt_uri_scheme(u)));
        json_key(f, &k, "mailbox");
        json_cstring(f, tlsrpt_uri_mailbox(u));
        json_key(f, &k, "host");
        json_cstring(f, tlsrpt_uri_host(u));
        if (checks != NULL) {
            json_key(f, &k, "external");
            fputs(checks[i].external < 0 ? "null" : checks[i].external ? "true" : "false", f);
            json_key(f, &k, "authorization_name");
            json_cstring(f, checks[i].name);
            json_key(f, &k, "authorization");
            json_cstring(f, checks[i].verdict);
        }
        fputc('}', f);
    }
    fputc(']', f);
    json_key(f, first, "extensions");
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_record_extension_count(r); i++) {
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_key(f, &k, "name");
        json_cstring(f, tlsrpt_record_extension_name(r, i));
        json_key(f, &k, "value");
        json_cstring(f, tlsrpt_record_extension_value(r, i));
        fputc('}', f);
    }
    fputc(']', f);
}

/* ---- Shared helpers ----------------------------------------------------------------------------------------- */

/* Reports a failed library call that is not about the input (ENOMEM, EINVAL) and returns the exit status 2. */
static int fail_library(const char *command, const char *what, int code)
{
    fprintf(stderr, "%s %s: %s: %s\n", PROGRAM, command, what, tlsrpt_status_string(code));
    return EXIT_USAGE;
}

/* Prints the parsed record: its canonical text, every destination and every extension. */
static int print_record_summary(FILE *f, const tlsrpt_record *r)
{
    char *canonical = NULL;
    int rc = tlsrpt_record_serialize(r, &canonical, NULL);
    if (rc != TLSRPT_OK)
        return rc;
    fputs("record: ", f);
    put_escaped_string(f, canonical);
    fputc('\n', f);
    tlsrpt_free(canonical);
    for (size_t i = 0; i < tlsrpt_record_rua_count(r); i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        fputs("rua: ", f);
        put_escaped_string(f, tlsrpt_uri_string(u));
        fprintf(f, " (%s", scheme_name(tlsrpt_uri_scheme(u)));
        if (tlsrpt_uri_mailbox(u)) {
            fputs(", mailbox ", f);
            put_escaped_string(f, tlsrpt_uri_mailbox(u));
        }
        if (tlsrpt_uri_host(u)) {
            fputs(", host ", f);
            put_escaped_string(f, tlsrpt_uri_host(u));
        }
        fputs(")\n", f);
    }
    for (size_t i = 0; i < tlsrpt_record_extension_count(r); i++) {
        fputs("extension: ", f);
        put_escaped_string(f, tlsrpt_record_extension_name(r, i));
        fputc('=', f);
        put_escaped_string(f, tlsrpt_record_extension_value(r, i));
        fputc('\n', f);
    }
    return TLSRPT_OK;
}

/* Usage errors: one line naming the problem, one pointing at --help; exit status 2. */
static int usage_error(const char *command, const char *problem, const char *detail)
{
    if (command)
        fprintf(stderr, "%s %s: %s", PROGRAM, command, problem);
    else
        fprintf(stderr, "%s: %s", PROGRAM, problem);
    if (detail) {
        fputs(" '", stderr);
        put_escaped_string(stderr, detail);
        fputc('\'', stderr);
    }
    fprintf(stderr, "\nTry '%s%s%s --help'.\n", PROGRAM, command ? " " : "", command ? command : "");
    return EXIT_USAGE;
}

/* The usage error for getopt_long's return value '?' (unknown option) or ':' (missing argument), with opterr 0
 * and an optstring starting with ':'. glibc sets optopt to the option character of an unknown short option and to 0
 * for an unknown long one, which is then the last argument it consumed. */
static int option_error(const char *command, int ch, char **argv)
{
    if (ch == ':')
        return usage_error(command, "option requires an argument:", argv[optind - 1]);
    if (optopt != 0) {
        char shortopt[3] = {'-', (char)optopt, '\0'};
        return usage_error(command, "unknown option", shortopt);
    }
    return usage_error(command, "unknown option", argv[optind - 1]);
}

/* ---- generate ----------------------------------------------------------------------------------------------- */

static const char GENERATE_HELP[] =
    "Usage: tlsrpt generate --rua DEST [--rua DEST]... [--domain DOMAIN] [--ttl SECONDS]\n"
    "                       [--format record|zone|json]\n"
    "Build a TLSRPT record (RFC 8460) for _smtp._tls.DOMAIN from report destinations.\n"
    "\n"
    "  --rua DEST         a mailto: or https: URI, or a bare e-mail address (taken as mailto:);\n"
    "                     repeat for several destinations, kept in the order given\n"
    "  --domain DOMAIN    the policy domain: also list the authorization records that external\n"
    "                     destinations must publish, and the checker's findings\n"
    "  --ttl SECONDS      TTL of the zone line, 0 to 2147483647 (default 3600; 0 omits it)\n"
    "  --format FORMAT    record: the record text (default); zone: a master-file line for\n"
    "                     _smtp._tls.DOMAIN (needs --domain); json: name, type, ttl, value, strings\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 record generated, 1 a destination is invalid, 2 usage error.\n";

enum generate_format { FORMAT_RECORD, FORMAT_ZONE, FORMAT_JSON };

/* Everything generate prints, gathered before printing so that a failure prints nothing on stdout. */
struct generated {
    const char *domain;
    uint32_t ttl;
    char *value;       /* the record text */
    size_t value_len;
    char *zone;        /* the master-file line, when there is a domain */
    size_t zone_len;
    char *owner;       /* the owner name "_smtp._tls.<a-label domain>.", when there is a domain */
    tlsrpt_diag *lint; /* the checker's findings, when there is a domain */
    char **authorizations; /* distinct names "<domain>._report._tls.<host>." to publish */
    size_t n_authorizations;
};

static void generated_free(struct generated *g)
{
    tlsrpt_free(g->value);
    tlsrpt_free(g->zone);
    free(g->owner);
    tlsrpt_diag_free(g->lint);
    for (size_t i = 0; i < g->n_authorizations; i++)
        free(g->authorizations[i]);
    free(g->authorizations);
}

/* The distinct authorization names "<domain>._report._tls.<host>." of the destinations outside the policy domain's
 * organization, in record order. The library decides which destinations are external (organizational domains,
 * Public Suffix List) and builds the name (tlsrpt_authorization_name); hosts that cannot have one (IP addresses) and
 * names over 253 octets are skipped, and the lint findings say why. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
static int collect_authorizations(struct generated *g, const tlsrpt_record *r)
{
    size_t n = tlsrpt_record_rua_count(r);
    g->authorizations = calloc(n ? n : 1, sizeof *g->authorizations);
    if (g->authorizations == NULL)
        return TLSRPT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        char *name = NULL;
        int required = 0;
        int rc = tlsrpt_authorization_name(&name, g->domain, tlsrpt_record_rua(r, i), &required);
        if (rc == TLSRPT_ENOMEM)
            return rc;
        if (rc != TLSRPT_OK || !required) {
            tlsrpt_free(name);
            continue;
        }
        size_t len = strlen(name);
        char *absolute = malloc(len + 2);
        if (absolute != NULL) {
            memcpy(absolute, name, len);
            memcpy(absolute + len, ".", 2);
        }
        tlsrpt_free(name);
        if (absolute == NULL)
            return TLSRPT_ENOMEM;
        int seen = 0;
        for (size_t k = 0; k < g->n_authorizations && !seen; k++)
            seen = strcmp(g->authorizations[k], absolute) == 0;
        if (seen)
            free(absolute);
        else
            g->authorizations[g->n_authorizations++] = absolute;
    }
    return TLSRPT_OK;
}

/* The owner name is the first field of the library's zone line (it did the IDNA conversion). */
static int owner_from_zone(struct generated *g)
{
    size_t n = strcspn(g->zone, " \t");
    g->owner = malloc(n + 1);
    if (g->owner == NULL)
        return TLSRPT_ENOMEM;
    memcpy(g->owner, g->zone, n);
    g->owner[n] = '\0';
    while (g->zone_len > 0 && (g->zone[g->zone_len - 1] == '\n' || g->zone[g->zone_len - 1] == '\r'))
        g->zone[--g->zone_len] = '\0';
    return TLSRPT_OK;
}

static void print_generated_text(const struct generated *g, enum generate_format format)
{
    FILE *f = stdout;
    if (format == FORMAT_ZONE)
        fprintf(f, "%s\n", g->zone);
    else
        fprintf(f, "%s\n", g->value);
    if (g->domain == NULL)
        return;
    if (g->n_authorizations > 0) {
        fputs("\nEach external destination's owner must publish:\n", f);
        for (size_t i = 0; i < g->n_authorizations; i++) {
            put_escaped_string(f, g->authorizations[i]);
            fputs(" TXT \"" AUTHORIZATION_VALUE "\"\n", f);
        }
    }
    if (tlsrpt_diag_count(g->lint) > 0) {
        fputc('\n', f);
        print_findings(f, stream_wants_colour(f), g->lint, g->value, g->value_len);
    }
}

static void print_generated_json(const struct generated *g)
{
    FILE *f = stdout;
    int first = 1;
    fputc('{', f);
    json_key(f, &first, "name");
    json_cstring(f, g->owner);
    json_key(f, &first, "type");
    json_cstring(f, "TXT");
    json_key(f, &first, "ttl");
    fprintf(f, "%lu", (unsigned long)g->ttl);
    json_key(f, &first, "value");
    json_string(f, g->value, g->value_len);
    json_key(f, &first, "strings");
    fputc('[', f);
    for (size_t off = 0; off < g->value_len || off == 0; off += DNS_STRING_MAX) {
        size_t n = g->value_len - off < DNS_STRING_MAX ? g->value_len - off : DNS_STRING_MAX;
        if (off)
            fputc(',', f);
        json_string(f, g->value + off, n);
        if (g->value_len == 0)
            break;
    }
    fputc(']', f);
    json_key(f, &first, "authorizations");
    fputc('[', f);
    for (size_t i = 0; i < g->n_authorizations; i++) {
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_key(f, &k, "name");
        json_cstring(f, g->authorizations[i]);
        json_key(f, &k, "type");
        json_cstring(f, "TXT");
        json_key(f, &k, "value");
        json_cstring(f, AUTHORIZATION_VALUE);
        fputc('}', f);
    }
    fputc(']', f);
    json_key(f, &first, "findings");
    const tlsrpt_diag *lists[] = {g->lint};
    json_findings(f, lists, 1);
    fputs("}\n", f);
}

/* Adds one --rua destination; on failure explains on stderr and returns the exit status. */
static int generate_add_destination(tlsrpt_record *r, const char *dest)
{
    tlsrpt_diag *diag = NULL;
    int rc = tlsrpt_diag_new(&diag);
    if (rc != TLSRPT_OK)
        return fail_library("generate", "diagnostics", rc);
    rc = tlsrpt_record_add_rua(r, dest, diag);
    int status = EXIT_OK;
    if (rc != TLSRPT_OK) {
        if (rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL) {
            status = fail_library("generate", "adding a destination", rc);
        } else {
            fprintf(stderr, "%s generate: ", PROGRAM);
            if (rc == TLSRPT_EUNSUPPORTED)
                fputs("unsupported scheme (only mailto: and https:) in destination '", stderr);
            else if (rc == TLSRPT_ELIMIT)
                fputs("too many destinations or destination too long: '", stderr);
            else
                fputs("invalid destination '", stderr);
            put_escaped_string(stderr, dest);
            fputs("'\n", stderr);
            print_findings(stderr, stream_wants_colour(stderr), diag, dest, strlen(dest));
            status = EXIT_INVALID;
        }
    }
    tlsrpt_diag_free(diag);
    return status;
}

static int parse_ttl(const char *text, uint32_t *ttl)
{
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v > MAX_TTL)
        return -1;
    *ttl = (uint32_t)v;
    return 0;
}

static int cmd_generate(int argc, char **argv)
{
    static const struct option options[] = {
        {"rua", required_argument, NULL, 'r'},
        {"domain", required_argument, NULL, 'd'},
        {"ttl", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct generated g = {.ttl = DEFAULT_TTL};
    enum generate_format format = FORMAT_RECORD;
    tlsrpt_record *r = NULL;
    int rc = tlsrpt_record_new(&r);
    if (rc != TLSRPT_OK)
        return fail_library("generate", "new record", rc);

    int status = EXIT_OK, ch;
    size_t destinations = 0;
    /* Destinations are added after option parsing, so that --help and usage errors win over input errors. */
    char **dests = calloc((size_t)argc, sizeof *dests);
    if (dests == NULL) {
        tlsrpt_record_free(r);
        return fail_library("generate", "options", TLSRPT_ENOMEM);
    }
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (ch) {
        case 'r': dests[destinations++] = optarg; break;
        case 'd': g.domain = optarg; break;
        case 't':
            if (parse_ttl(optarg, &g.ttl) != 0) {
                status = usage_error("generate", "invalid TTL (0 to 2147483647 seconds):", optarg);
                goto done;
            }
            break;
        case 'f':
            if (strcmp(optarg, "record") == 0)
                format = FORMAT_RECORD;
            else if (strcmp(optarg, "zone") == 0)
                format = FORMAT_ZONE;
            else if (strcmp(optarg, "json") == 0)
                format = FORMAT_JSON;
            else {
                status = usage_error("generate", "unknown format (record, zone or json):", optarg);
                goto done;
            }
            break;
        case 'h':
            fputs(GENERATE_HELP, stdout);
            goto done;
        default:
            status = option_error("generate", ch, argv);
            goto done;
        }
    }
    if (optind < argc) {
        status = usage_error("generate", "unexpected argument", argv[optind]);
        goto done;
    }
    if (destinations == 0) {
        status = usage_error("generate", "at least one --rua DEST is required", NULL);
        goto done;
    }
    if (format == FORMAT_ZONE && g.domain == NULL) {
        status = usage_error("generate", "--format zone needs --domain", NULL);
        goto done;
    }
    for (size_t i = 0; i < destinations && status == EXIT_OK; i++)
        status = generate_add_destination(r, dests[i]);
    if (status != EXIT_OK)
        goto done;

    rc = tlsrpt_record_serialize(r, &g.value, &g.value_len);
    if (rc != TLSRPT_OK) {
        status = fail_library("generate", "serializing the record", rc);
        goto done;
    }
    if (g.domain != NULL) {
        rc = tlsrpt_record_to_zone(r, g.domain, g.ttl, &g.zone, &g.zone_len);
        if (rc == TLSRPT_EINVAL) {
            status = usage_error("generate", "not a domain name:", g.domain);
            goto done;
        }
        if (rc == TLSRPT_OK)
            rc = owner_from_zone(&g);
        if (rc == TLSRPT_OK)
            rc = tlsrpt_diag_new(&g.lint);
        if (rc == TLSRPT_OK)
            rc = tlsrpt_record_lint(r, g.domain, g.lint);
        if (rc == TLSRPT_OK)
            rc = collect_authorizations(&g, r);
        if (rc != TLSRPT_OK) {
            status = fail_library("generate", "checking the record", rc);
            goto done;
        }
    }
    if (format == FORMAT_JSON)
        print_generated_json(&g);
    else
        print_generated_text(&g, format);
done:
    free(dests);
    generated_free(&g);
    tlsrpt_record_free(r);
    return status;
}

/* ---- check -------------------------------------------------------------------------------------------------- */

static const char CHECK_HELP[] =
    "Usage: tlsrpt check [--domain DOMAIN] [--strict] [--json] RECORD|-\n"
    "Check the syntax of a TLSRPT record (RFC 8460) and lint it; '-' reads the record from standard input\n"
    "(one trailing newline is removed).\n"
    "\n"
    "  --domain DOMAIN    the policy domain publishing the record (enables the external-destination check)\n"
    "  --strict           warnings make the record fail (exit status 1)\n"
    "  --json             print one JSON document instead of text\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 valid (warnings allowed unless --strict), 1 invalid or unusable, 2 usage or I/O error.\n";

/* Reads standard input, at most TLSRPT_MAX_RECORD_LENGTH + 2 bytes: enough for the library to see that a longer
 * input is over its limit, without reading an unbounded stream. */
static int read_stdin_record(char **out, size_t *out_len)
{
    size_t cap = TLSRPT_MAX_RECORD_LENGTH + 2, len = 0;
    char *buf = malloc(cap);
    if (buf == NULL)
        return -1;
    while (len < cap) {
        size_t n = fread(buf + len, 1, cap - len, stdin);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(stdin)) {
        free(buf);
        return -1;
    }
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    *out = buf;
    *out_len = len;
    return 0;
}

/* status: the outcome of parsing, by the library's return code. */
static const char *parse_status_name(int rc)
{
    switch (rc) {
    case TLSRPT_OK: return "valid";
    case TLSRPT_ESEMANTIC: return "unusable";
    case TLSRPT_ELIMIT: return "over-limit";
    case TLSRPT_EUNSUPPORTED: return "unsupported";
    default: return "syntax-error";
    }
}

static int cmd_check(int argc, char **argv)
{
    static const struct option options[] = {
        {"domain", required_argument, NULL, 'd'},
        {"strict", no_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *domain = NULL;
    int strict = 0, json = 0, ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (ch) {
        case 'd': domain = optarg; break;
        case 's': strict = 1; break;
        case 'j': json = 1; break;
        case 'h': fputs(CHECK_HELP, stdout); return EXIT_OK;
        default: return option_error("check", ch, argv);
        }
    }
    if (optind >= argc)
        return usage_error("check", "missing RECORD (or '-' for standard input)", NULL);
    if (argc - optind > 1)
        return usage_error("check", "unexpected argument", argv[optind + 1]);

    char *input = NULL;
    size_t input_len;
    if (strcmp(argv[optind], "-") == 0) {
        if (read_stdin_record(&input, &input_len) != 0) {
            fprintf(stderr, "%s check: cannot read standard input: %s\n", PROGRAM, strerror(errno));
            return EXIT_USAGE;
        }
    } else {
        input_len = strlen(argv[optind]);
        input = malloc(input_len + 1);
        if (input == NULL)
            return fail_library("check", "reading the record", TLSRPT_ENOMEM);
        memcpy(input, argv[optind], input_len + 1);
    }

    int status = EXIT_OK;
    tlsrpt_record *r = NULL;
    tlsrpt_diag *parse_diag = NULL, *lint_diag = NULL;
    char *canonical = NULL;
    size_t canonical_len = 0;
    int rc = tlsrpt_diag_new(&parse_diag);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&lint_diag);
    if (rc != TLSRPT_OK) {
        status = fail_library("check", "diagnostics", rc);
        goto done;
    }
    int parsed = tlsrpt_record_parse(&r, input, input_len, parse_diag);
    if (parsed == TLSRPT_ENOMEM || parsed == TLSRPT_EINVAL) {
        status = fail_library("check", "parsing", parsed);
        goto done;
    }
    if (parsed == TLSRPT_OK) {
        rc = tlsrpt_record_lint(r, domain, lint_diag);
        if (rc == TLSRPT_EINVAL) {
            status = usage_error("check", "not a domain name:", domain);
            goto done;
        }
        if (rc == TLSRPT_OK)
            rc = tlsrpt_record_serialize(r, &canonical, &canonical_len);
        if (rc != TLSRPT_OK) {
            status = fail_library("check", "checking the record", rc);
            goto done;
        }
    }

    struct finding_counts counts = {0, 0, 0};
    count_findings(parse_diag, &counts);
    count_findings(lint_diag, &counts);
    int valid = parsed == TLSRPT_OK && counts.errors == 0 && !(strict && counts.warnings > 0);
    status = valid ? EXIT_OK : EXIT_INVALID;

    if (json) {
        FILE *f = stdout;
        int first = 1;
        fputc('{', f);
        json_key(f, &first, "valid");
        fputs(valid ? "true" : "false", f);
        json_key(f, &first, "status");
        json_cstring(f, parse_status_name(parsed));
        json_key(f, &first, "strict");
        fputs(strict ? "true" : "false", f);
        json_key(f, &first, "domain");
        json_cstring(f, domain);
        json_key(f, &first, "input");
        json_string(f, input, input_len);
        json_key(f, &first, "record");
        if (canonical)
            json_string(f, canonical, canonical_len);
        else
            fputs("null", f);
        json_record_fields(f, &first, r, NULL);
        json_key(f, &first, "findings");
        const tlsrpt_diag *lists[] = {parse_diag, lint_diag};
        json_findings(f, lists, 2);
        json_key(f, &first, "errors");
        fprintf(f, "%zu", counts.errors);
        json_key(f, &first, "warnings");
        fprintf(f, "%zu", counts.warnings);
        json_key(f, &first, "infos");
        fprintf(f, "%zu", counts.infos);
        fputs("}\n", f);
    } else {
        FILE *f = stdout;
        int colour = stream_wants_colour(f);
        print_findings(f, colour, parse_diag, input, input_len);
        print_findings(f, colour, lint_diag, canonical, canonical_len);
        if (r != NULL && (rc = print_record_summary(f, r)) != TLSRPT_OK) {
            status = fail_library("check", "printing the record", rc);
            goto done;
        }
        fputs(valid ? "valid" : counts.errors == 0 && parsed == TLSRPT_OK ? "invalid (--strict)" : "invalid", f);
        fputs(": ", f);
        put_count(f, counts.errors, "error", "errors");
        fputs(", ", f);
        put_count(f, counts.warnings, "warning", "warnings");
        fputs(", ", f);
        put_count(f, counts.infos, "info", "infos");
        fputc('\n', f);
    }
done:
    tlsrpt_free(canonical);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(parse_diag);
    tlsrpt_diag_free(lint_diag);
    free(input);
    return status;
}

/* ---- lookup ------------------------------------------------------------------------------------------------- */

/* lookup --timeout: milliseconds per answer, at most one minute. */
#define MAX_TIMEOUT_MS 60000u

static const char LOOKUP_HELP[] =
    "Usage: tlsrpt lookup [--server ADDR[:PORT]] [--timeout MS] [--no-authorization] [--json] DOMAIN\n"
    "Look up the TLSRPT record of DOMAIN (TXT at _smtp._tls.DOMAIN, RFC 8460) and check it, with the\n"
    "authorization records of destinations outside DOMAIN's organization.\n"
    "\n"
    "  --server ADDR[:PORT]  ask this name server instead of the system's: an IPv4 address, or an IPv6\n"
    "                        address in brackets ([::1]:5353); the port defaults to 53\n"
    "  --timeout MS          wait at most MS milliseconds for each answer, 1 to 60000 (default 5000)\n"
    "  --no-authorization    do not query the authorization records of external destinations\n"
    "  --json                print one JSON document instead of text\n"
    "  -h, --help            show this help\n"
    "\n"
    "Exit status: 0 one valid record, 1 no record, several records, or an invalid or unusable one,\n"
    "2 usage or I/O error, 3 temporary DNS failure (of the lookup or of an authorization check).\n";

/* Splits --server ADDR[:PORT] into the address and the port (0 when not given: the DNS port). An IPv6 address
 * with a port is written in brackets; a bare IPv6 address (two ':' or more) is taken whole, without a port.
 * Whether the address is an IP literal is left to tlsrpt_resolver_set_nameserver(). Returns 0, or -1. */
static int parse_server(const char *arg, char *addr, size_t addr_size, uint16_t *port)
{
    const char *host = arg, *host_end, *port_text = NULL;
    if (arg[0] == '[') {
        host = arg + 1;
        host_end = strchr(host, ']');
        if (host_end == NULL)
            return -1;
        if (host_end[1] == ':')
            port_text = host_end + 2;
        else if (host_end[1] != '\0')
            return -1;
    } else {
        const char *colon = strchr(arg, ':');
        if (colon != NULL && strchr(colon + 1, ':') == NULL) {
            host_end = colon;
            port_text = colon + 1;
        } else {
            host_end = arg + strlen(arg);
        }
    }
    size_t len = (size_t)(host_end - host);
    if (len == 0 || len >= addr_size)
        return -1;
    memcpy(addr, host, len);
    addr[len] = '\0';
    *port = 0;
    if (port_text != NULL) {
        unsigned long v = 0;
        if (*port_text == '\0' || strlen(port_text) > 5)
            return -1;
        for (const char *p = port_text; *p; p++) {
            if (*p < '0' || *p > '9')
                return -1;
            v = v * 10 + (unsigned long)(*p - '0');
        }
        if (v == 0 || v > 65535)
            return -1;
        *port = (uint16_t)v;
    }
    return 0;
}

static int parse_timeout(const char *text, uint32_t *ms)
{
    if (*text < '0' || *text > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v == 0 || v > MAX_TIMEOUT_MS)
        return -1;
    *ms = (uint32_t)v;
    return 0;
}

/* status: the RFC 8460 §3 verdict of the lookup, by its status. */
static const char *lookup_status_name(int status)
{
    switch (status) {
    case TLSRPT_ENOTFOUND: return "not-found";
    case TLSRPT_EMULTIPLE: return "multiple";
    case TLSRPT_ETEMPFAIL: return "temporary-failure";
    default: return parse_status_name(status);
    }
}

static const char *authorization_verdict_name(int verdict)
{
    switch (verdict) {
    case TLSRPT_AUTH_NOT_REQUIRED: return "not-required";
    case TLSRPT_AUTH_AUTHORIZED: return "authorized";
    default: return "not-authorized";
    }
}

/* Everything lookup found, gathered before printing. */
struct looked_up {
    const char *domain;
    const tlsrpt_lookup_result *result;
    const tlsrpt_record *record;   /* the parsed record (status OK), else NULL */
    char *canonical;               /* its canonical text */
    size_t canonical_len;
    tlsrpt_diag *lint;             /* tlsrpt_record_lint() with the domain */
    tlsrpt_diag *authorization;    /* tlsrpt_check_authorization() findings of every destination */
    struct destination_check *checks; /* one per destination of the record */
    size_t n_checks;
    int authorization_tempfail;    /* an authorization check failed temporarily */
    const char *subject;           /* the single candidate TXT text (parse finding offsets point into it) */
    size_t subject_len;
    struct finding_counts counts;
    int exit_status;
};

static void looked_up_free(struct looked_up *q)
{
    tlsrpt_free(q->canonical);
    tlsrpt_diag_free(q->lint);
    tlsrpt_diag_free(q->authorization);
    for (size_t i = 0; i < q->n_checks; i++)
        free(q->checks[i].name);
    free(q->checks);
}

/* Classifies destination i and, unless `skip_dns`, checks its authorization. Returns TLSRPT_OK or the library
 * error that stops the command (ENOMEM, EINVAL). */
static int check_destination(struct looked_up *q, tlsrpt_resolver *res, size_t i, int skip_dns)
{
    const tlsrpt_uri *u = tlsrpt_record_rua(q->record, i);
    struct destination_check *c = &q->checks[i];
    c->external = -1;
    if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER || tlsrpt_uri_host(u) == NULL)
        return TLSRPT_OK; /* reporters do not deliver there; no host to authorize */
    char *name = NULL;
    int required = 0;
    int rc = tlsrpt_authorization_name(&name, q->domain, u, &required);
    if (rc == TLSRPT_OK || rc == TLSRPT_ELIMIT) {
        c->external = required;
    } else if (rc == TLSRPT_EINVAL) {
        c->external = 1; /* a destination of a parsed record with a host that has no name: an IP address */
    } else {
        return rc;
    }
    if (name != NULL) {
        size_t len = strlen(name);
        c->name = malloc(len + 2);
        if (c->name != NULL) {
            memcpy(c->name, name, len);
            memcpy(c->name + len, ".", 2);
        }
        tlsrpt_free(name);
        if (c->name == NULL)
            return TLSRPT_ENOMEM;
    }
    if (!c->external) {
        c->verdict = authorization_verdict_name(TLSRPT_AUTH_NOT_REQUIRED);
        return TLSRPT_OK;
    }
    if (skip_dns) {
        c->verdict = "not-checked";
        return TLSRPT_OK;
    }
    int verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    rc = tlsrpt_check_authorization(res, q->domain, u, &verdict, q->authorization);
    if (rc == TLSRPT_ETEMPFAIL) {
        c->verdict = "temporary-failure";
        q->authorization_tempfail = 1;
        return TLSRPT_OK;
    }
    if (rc == TLSRPT_OK)
        c->verdict = authorization_verdict_name(verdict);
    return rc;
}

static void print_authorization_line(FILE *f, const tlsrpt_uri *u, const struct destination_check *c)
{
    fputs("authorization: ", f);
    put_escaped_string(f, tlsrpt_uri_string(u));
    fputs(": ", f);
    if (strcmp(c->verdict, "not-required") == 0)
        fputs("not required (same organization)", f);
    else if (strcmp(c->verdict, "authorized") == 0)
        fputs("authorized by ", f);
    else if (strcmp(c->verdict, "not-authorized") == 0)
        fputs("not authorized", f);
    else if (strcmp(c->verdict, "temporary-failure") == 0)
        fputs("temporary DNS failure, check again later", f);
    else
        fputs("not checked (--no-authorization)", f);
    if (c->name != NULL && strcmp(c->verdict, "authorized") == 0) {
        put_escaped_string(f, c->name);
    } else if (c->name != NULL && strcmp(c->verdict, "not-required") != 0) {
        fputs("; expects ", f);
        put_escaped_string(f, c->name);
        fputs(" TXT \"" AUTHORIZATION_VALUE "\"", f);
    }
    fputc('\n', f);
}

static int print_looked_up_text(const struct looked_up *q)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    const tlsrpt_lookup_result *l = q->result;
    fputs("query: ", f);
    put_escaped_string(f, tlsrpt_lookup_result_qname(l));
    fputc('\n', f);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        fputs("txt: ", f);
        put_escaped(f, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i), 0);
        fputc('\n', f);
    }
    fputs(tlsrpt_lookup_result_authenticated(l) ? "dnssec: authenticated (the resolver set the AD bit)\n"
                                                : "dnssec: not authenticated\n",
          f);
    print_findings(f, colour, tlsrpt_lookup_result_diag(l), q->subject, q->subject_len);
    if (q->record != NULL) {
        int rc = print_record_summary(f, q->record);
        if (rc != TLSRPT_OK)
            return rc;
        for (size_t i = 0; i < q->n_checks; i++)
            if (q->checks[i].verdict != NULL)
                print_authorization_line(f, tlsrpt_record_rua(q->record, i), &q->checks[i]);
        print_findings(f, colour, q->lint, q->canonical, q->canonical_len);
        print_findings(f, colour, q->authorization, NULL, 0);
    }
    fputs(lookup_status_name(tlsrpt_lookup_result_status(l)), f);
    if (q->authorization_tempfail)
        fputs(" (authorization incomplete: temporary DNS failure)", f);
    fputs(": ", f);
    put_count(f, q->counts.errors, "error", "errors");
    fputs(", ", f);
    put_count(f, q->counts.warnings, "warning", "warnings");
    fputs(", ", f);
    put_count(f, q->counts.infos, "info", "infos");
    fputc('\n', f);
    return TLSRPT_OK;
}

static void print_looked_up_json(const struct looked_up *q)
{
    FILE *f = stdout;
    const tlsrpt_lookup_result *l = q->result;
    int first = 1;
    fputc('{', f);
    json_key(f, &first, "domain");
    json_cstring(f, q->domain);
    json_key(f, &first, "qname");
    json_cstring(f, tlsrpt_lookup_result_qname(l));
    json_key(f, &first, "status");
    json_cstring(f, lookup_status_name(tlsrpt_lookup_result_status(l)));
    json_key(f, &first, "valid");
    fputs(q->record != NULL ? "true" : "false", f);
    json_key(f, &first, "authenticated");
    fputs(tlsrpt_lookup_result_authenticated(l) ? "true" : "false", f);
    json_key(f, &first, "txt");
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        if (i)
            fputc(',', f);
        json_string(f, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i));
    }
    fputc(']', f);
    json_key(f, &first, "record");
    if (q->canonical)
        json_string(f, q->canonical, q->canonical_len);
    else
        fputs("null", f);
    json_record_fields(f, &first, q->record, q->checks);
    json_key(f, &first, "authorization_complete");
    fputs(q->authorization_tempfail ? "false" : "true", f);
    json_key(f, &first, "findings");
    const tlsrpt_diag *lists[] = {tlsrpt_lookup_result_diag(l), q->lint, q->authorization};
    json_findings(f, lists, 3);
    json_key(f, &first, "errors");
    fprintf(f, "%zu", q->counts.errors);
    json_key(f, &first, "warnings");
    fprintf(f, "%zu", q->counts.warnings);
    json_key(f, &first, "infos");
    fprintf(f, "%zu", q->counts.infos);
    fputs("}\n", f);
}

/* The single candidate among the TXT records: the text that parse findings' offsets point into. */
static void find_candidate(struct looked_up *q)
{
    const tlsrpt_lookup_result *l = q->result;
    size_t candidates = 0;
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        const char *text = tlsrpt_lookup_result_txt(l, i);
        size_t len = tlsrpt_lookup_result_txt_length(l, i);
        if (tlsrpt_record_is_candidate(text, len)) {
            candidates++;
            q->subject = text;
            q->subject_len = len;
        }
    }
    if (candidates != 1) {
        q->subject = NULL;
        q->subject_len = 0;
    }
}

/* Lints the record and checks each destination. Returns TLSRPT_OK or a library error (ENOMEM). */
static int examine_record(struct looked_up *q, tlsrpt_resolver *res, int skip_dns)
{
    int rc = tlsrpt_record_serialize(q->record, &q->canonical, &q->canonical_len);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_record_lint(q->record, q->domain, q->lint);
    if (rc != TLSRPT_OK)
        return rc;
    q->n_checks = tlsrpt_record_rua_count(q->record);
    q->checks = calloc(q->n_checks ? q->n_checks : 1, sizeof *q->checks);
    if (q->checks == NULL)
        return TLSRPT_ENOMEM;
    for (size_t i = 0; i < q->n_checks && rc == TLSRPT_OK; i++)
        rc = check_destination(q, res, i, skip_dns);
    return rc;
}

static int cmd_lookup(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},
        {"no-authorization", no_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *server = NULL, *timeout_text = NULL;
    uint32_t timeout = 0;
    int skip_dns = 0, json = 0, ch;
    char address[64];
    uint16_t port = 0;
    opterr = 0;
    optind = 1;
    /* Option values are checked after the loop, so that --help wins over them. */
    while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (ch) {
        case 's': server = optarg; break;
        case 't': timeout_text = optarg; break;
        case 'n': skip_dns = 1; break;
        case 'j': json = 1; break;
        case 'h': fputs(LOOKUP_HELP, stdout); return EXIT_OK;
        default: return option_error("lookup", ch, argv);
        }
    }
    if (server != NULL && parse_server(server, address, sizeof address, &port) != 0)
        return usage_error("lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
    if (timeout_text != NULL && parse_timeout(timeout_text, &timeout) != 0)
        return usage_error("lookup", "invalid timeout (1 to 60000 milliseconds):", timeout_text);
    if (optind >= argc)
        return usage_error("lookup", "missing DOMAIN", NULL);
    if (argc - optind > 1)
        return usage_error("lookup", "unexpected argument", argv[optind + 1]);

    struct looked_up q = {.domain = argv[optind]};
    tlsrpt_resolver *res = NULL;
    tlsrpt_lookup_result *l = NULL;
    int status = EXIT_OK;
    int rc = tlsrpt_resolver_new(&res);
    if (rc != TLSRPT_OK) {
        status = fail_library("lookup", "resolver", rc);
        goto done;
    }
    if (server != NULL) {
        rc = tlsrpt_resolver_set_nameserver(res, address, port);
        if (rc == TLSRPT_EINVAL) {
            status = usage_error("lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
            goto done;
        }
        if (rc != TLSRPT_OK) {
            status = fail_library("lookup", "resolver", rc);
            goto done;
        }
    }
    if (timeout != 0 && (rc = tlsrpt_resolver_set_timeout(res, timeout)) != TLSRPT_OK) {
        status = fail_library("lookup", "resolver", rc);
        goto done;
    }
    rc = tlsrpt_lookup(res, q.domain, &l);
    if (l == NULL) {
        status = rc == TLSRPT_EINVAL ? usage_error("lookup", "not a domain name:", q.domain)
                                     : fail_library("lookup", "looking up the record", rc);
        goto done;
    }
    q.result = l;
    q.record = tlsrpt_lookup_result_record(l);
    find_candidate(&q);
    rc = tlsrpt_diag_new(&q.lint);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&q.authorization);
    if (rc == TLSRPT_OK && q.record != NULL)
        rc = examine_record(&q, res, skip_dns);
    if (rc != TLSRPT_OK) {
        status = fail_library("lookup", "checking the record", rc);
        goto done;
    }
    count_findings(tlsrpt_lookup_result_diag(l), &q.counts);
    count_findings(q.lint, &q.counts);
    count_findings(q.authorization, &q.counts);

    int lookup_status = tlsrpt_lookup_result_status(l);
    if (lookup_status == TLSRPT_ETEMPFAIL || (q.record != NULL && q.authorization_tempfail))
        status = EXIT_TEMPFAIL;
    else
        status = q.record != NULL ? EXIT_OK : EXIT_INVALID;
    if (json) {
        print_looked_up_json(&q);
    } else if ((rc = print_looked_up_text(&q)) != TLSRPT_OK) {
        status = fail_library("lookup", "printing the record", rc);
    }
done:
    looked_up_free(&q);
    tlsrpt_lookup_result_free(l);
    tlsrpt_resolver_free(res);
    return status;
}

/* ---- report ------------------------------------------------------------------------------------------------- */

static const char REPORT_HELP[] =
    "Usage: tlsrpt report [--strict] [--json] FILE...\n"
    "       tlsrpt report --merge [--strict] [--gzip] FILE...\n"
    "Read SMTP TLS reports (RFC 8460), JSON or gzip-compressed JSON, or report e-mails (.eml, RFC 8460 5.3),\n"
    "and summarize each one: sender, period, report id, and per policy the sessions, the success rate and\n"
    "every failure explained. '-' reads the report from standard input. An input that starts with neither\n"
    "'{' (after white space) nor the gzip magic, and whose first line is a header field, is read as an e-mail.\n"
    "\n"
    "  --strict           deviations from RFC 8460 make a report fail (exit status 1)\n"
    "  --json             print one JSON document instead of text\n"
    "  --merge            add up the reports into the first one (equal policies and failure details summed,\n"
    "                     the period widened) and write it as RFC 8460 JSON; nothing is written if a report\n"
    "                     fails to parse or a count would pass 2^64-1 (exit status 1)\n"
    "  --gzip             with --merge: write the merged report gzip-compressed\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 every report parsed (warnings allowed unless --strict), 1 a report failed to parse,\n"
    "2 usage or I/O error (the worst over all files).\n";

#define SECONDS_PER_DAY 86400
/* Success rates are printed in hundredths of a percent. */
#define RATE_SCALE 10000

/* An exact sum of uint64 counts: a report may hold many counts near 2^64. */
struct count_sum {
    uint64_t hi, lo;
};

static void sum_add(struct count_sum *s, uint64_t v)
{
    s->lo += v;
    if (s->lo < v)
        s->hi++;
}

/* Writes the decimal text of s into buf (at least 40 bytes: 2^128 has 39 digits). */
static const char *sum_text(struct count_sum s, char *buf, size_t size)
{
    uint32_t limb[4] = {(uint32_t)(s.hi >> 32), (uint32_t)s.hi, (uint32_t)(s.lo >> 32), (uint32_t)s.lo};
    char *p = buf + size - 1;
    *p = '\0';
    do {
        uint64_t rem = 0;
        int nonzero = 0;
        for (size_t i = 0; i < 4; i++) {
            uint64_t cur = (rem << 32) | limb[i];
            limb[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
            nonzero |= limb[i] != 0;
        }
        *--p = (char)('0' + rem);
        if (!nonzero)
            break;
    } while (p > buf);
    return p;
}

static long double sum_value(struct count_sum s)
{
    return (long double)s.hi * 18446744073709551616.0L + (long double)s.lo;
}

/* The share of successful sessions in hundredths of a percent, truncated, so that 100.00% means no failed session
 * and 0.00% no successful one; -1 when there were no sessions at all. */
static long success_rate(struct count_sum ok, struct count_sum failed)
{
    long double s = sum_value(ok), total = s + sum_value(failed);
    if (total == 0)
        return -1;
    long rate = (long)(s * RATE_SCALE / total);
    if (rate >= RATE_SCALE && (failed.hi | failed.lo) != 0)
        rate = RATE_SCALE - 1;
    if (rate <= 0 && (ok.hi | ok.lo) != 0)
        rate = 0;
    return rate;
}

static void put_rate(FILE *f, long rate)
{
    fprintf(f, "%ld.%02ld", rate / 100, rate % 100);
}

/* Unix seconds as an RFC 3339 UTC date-time (proleptic Gregorian calendar, days counted from 1970-01-01). */
static void put_utc_time(FILE *f, int64_t t)
{
    int64_t days = t / SECONDS_PER_DAY, secs = t % SECONDS_PER_DAY;
    if (secs < 0) {
        secs += SECONDS_PER_DAY;
        days--;
    }
    /* Shift the epoch to 0000-03-01 and count 400-year eras of 146097 days. */
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t day = doy - (153 * mp + 2) / 5 + 1;
    int64_t month = mp < 10 ? mp + 3 : mp - 9;
    int64_t year = yoe + era * 400 + (month <= 2);
    fprintf(f, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)year, (long long)month, (long long)day,
            (long long)(secs / 3600), (long long)(secs / 60 % 60), (long long)(secs % 60));
}

/* Reads a whole file (or standard input for "-"), at most one byte more than the larger of the library's report
 * and message limits: enough for the library to see that a longer input is over its limit, without reading an
 * unbounded stream. Returns 0, or -1 with errno set. */
static int read_report_file(const char *name, unsigned char **out, size_t *out_len)
{
    const size_t limit = (size_t)(TLSRPT_MAX_MESSAGE_SIZE > TLSRPT_MAX_REPORT_SIZE ? TLSRPT_MAX_MESSAGE_SIZE
                                                                                   : TLSRPT_MAX_REPORT_SIZE) + 1;
    FILE *f = strcmp(name, "-") == 0 ? stdin : fopen(name, "rb");
    if (f == NULL)
        return -1;
    size_t cap = 0, len = 0;
    unsigned char *buf = NULL;
    int err = 0;
    while (len < limit) {
        if (len == cap) {
            size_t next = cap ? cap * 2 : 64 * 1024;
            if (next > limit)
                next = limit;
            unsigned char *grown = realloc(buf, next);
            if (grown == NULL) {
                err = ENOMEM;
                break;
            }
            buf = grown;
            cap = next;
        }
        size_t n = fread(buf + len, 1, cap - len, f);
        len += n;
        if (n == 0) {
            if (ferror(f))
                err = errno ? errno : EIO;
            break;
        }
    }
    if (f != stdin)
        fclose(f);
    if (err) {
        free(buf);
        errno = err;
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* One FILE argument: what was read and what the library made of it. */
struct report_result {
    const char *file;
    int read_errno;       /* nonzero: the file could not be read */
    int parsed;           /* tlsrpt_report_parse's return code */
    tlsrpt_report *report;
    tlsrpt_diag *diag;
    struct finding_counts counts;
    int status;           /* exit status for this file */
};

static const char *report_status_name(const struct report_result *res)
{
    return res->read_errno ? "unreadable" : parse_status_name(res->parsed);
}

/* A text field: escaped, or "(not given)" when the report lacks it. */
static void put_text_field(FILE *f, const char *label, const char *value)
{
    fprintf(f, "%s: ", label);
    if (value)
        put_escaped_string(f, value);
    else
        fputs("(not given)", f);
    fputc('\n', f);
}

/* "SEVERITY: PATH: MESSAGE [ID]"; without a JSON path, the byte offset takes its place when there is one. */
static void print_report_finding(FILE *f, int colour, const tlsrpt_diag *d, size_t i)
{
    int severity = tlsrpt_diag_severity(d, i);
    if (colour)
        fprintf(f, "%s%s:%s ", severity_colour(severity), severity_name(severity), COLOUR_RESET);
    else
        fprintf(f, "%s: ", severity_name(severity));
    const char *path = tlsrpt_diag_path(d, i);
    size_t offset = tlsrpt_diag_offset(d, i);
    if (path && path[0]) {
        put_escaped_string(f, path);
        fputs(": ", f);
    } else if (offset != TLSRPT_NO_OFFSET) {
        fprintf(f, "byte %zu: ", offset);
    }
    put_message(f, tlsrpt_diag_message(d, i));
    fprintf(f, " [%s]\n", tlsrpt_diag_id(d, i));
}

static void print_failure_text(FILE *f, const tlsrpt_failure *x)
{
    const char *type = tlsrpt_failure_result_type(x);
    uint64_t n = tlsrpt_failure_session_count(x);
    fputs("  failure: ", f);
    put_escaped_string(f, type);
    fprintf(f, ", %" PRIu64 " %s\n", n, n == 1 ? "session" : "sessions");
    const char *mx = tlsrpt_failure_receiving_mx_hostname(x), *ip = tlsrpt_failure_receiving_ip(x);
    if (mx) {
        fputs("    receiving MX: ", f);
        put_escaped_string(f, mx);
        if (ip) {
            fputs(" (", f);
            put_escaped_string(f, ip);
            fputc(')', f);
        }
        fputc('\n', f);
    } else if (ip) {
        put_text_field(f, "    receiving IP", ip);
    }
    if (tlsrpt_failure_receiving_mx_helo(x))
        put_text_field(f, "    receiving MX HELO", tlsrpt_failure_receiving_mx_helo(x));
    if (tlsrpt_failure_sending_mta_ip(x))
        put_text_field(f, "    sending MTA", tlsrpt_failure_sending_mta_ip(x));
    if (tlsrpt_failure_reason_code(x))
        put_text_field(f, "    reason code", tlsrpt_failure_reason_code(x));
    if (tlsrpt_failure_additional_information(x))
        put_text_field(f, "    additional information", tlsrpt_failure_additional_information(x));
    const char *meaning = tlsrpt_result_type_description(type);
    fputs("    meaning: ", f);
    fputs(meaning ? meaning : "unknown result type (not registered by RFC 8460 or with IANA)", f);
    fputc('\n', f);
}

static void print_report_text(FILE *f, const tlsrpt_report *r)
{
    put_text_field(f, "organization", tlsrpt_report_organization_name(r));
    put_text_field(f, "contact", tlsrpt_report_contact_info(r));
    int64_t start = tlsrpt_report_start_time(r), end = tlsrpt_report_end_time(r);
    fputs("period: ", f);
    if (start)
        put_utc_time(f, start);
    else
        fputs("(not given)", f);
    fputs(" to ", f);
    if (end)
        put_utc_time(f, end);
    else
        fputs("(not given)", f);
    fputc('\n', f);
    put_text_field(f, "report id", tlsrpt_report_id(r));
    size_t n = tlsrpt_report_policy_count(r);
    if (n == 0)
        fputs("policies: none\n", f);
    for (size_t i = 0; i < n; i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        fprintf(f, "policy %zu of %zu: ", i + 1, n);
        put_escaped_string(f, tlsrpt_policy_type_name(p));
        fputc(' ', f);
        if (tlsrpt_policy_domain(p))
            put_escaped_string(f, tlsrpt_policy_domain(p));
        else
            fputs("(no policy-domain)", f);
        fputc('\n', f);
        fputs("  mx-hosts: ", f);
        if (tlsrpt_policy_mx_host_count(p) == 0)
            fputs("none", f);
        for (size_t k = 0; k < tlsrpt_policy_mx_host_count(p); k++) {
            if (k)
                fputs(", ", f);
            put_escaped_string(f, tlsrpt_policy_mx_host(p, k));
        }
        fputc('\n', f);
        struct count_sum ok = {0, tlsrpt_policy_successful_sessions(p)}, bad = {0, tlsrpt_policy_failed_sessions(p)};
        fprintf(f, "  sessions: %" PRIu64 " successful, %" PRIu64 " failed, success rate ", ok.lo, bad.lo);
        long rate = success_rate(ok, bad);
        if (rate < 0)
            fputs("n/a (no sessions)", f);
        else {
            put_rate(f, rate);
            fputc('%', f);
        }
        fputc('\n', f);
        for (size_t k = 0; k < tlsrpt_policy_failure_count(p); k++)
            print_failure_text(f, tlsrpt_policy_failure(p, k));
    }
}

/* A string member, left out when absent. */
static void json_optional(FILE *f, int *first, const char *key, const char *value)
{
    if (value == NULL)
        return;
    json_key(f, first, key);
    json_cstring(f, value);
}

static void json_utc_time(FILE *f, int *first, const char *key, int64_t t)
{
    if (t == 0)
        return;
    json_key(f, first, key);
    fputc('"', f);
    put_utc_time(f, t);
    fputc('"', f);
}

/* The report with RFC 8460 member names, as the getters read it. */
static void json_report_object(FILE *f, const tlsrpt_report *r)
{
    int first = 1;
    fputc('{', f);
    json_optional(f, &first, "organization-name", tlsrpt_report_organization_name(r));
    int64_t start = tlsrpt_report_start_time(r), end = tlsrpt_report_end_time(r);
    if (start || end) {
        json_key(f, &first, "date-range");
        int k = 1;
        fputc('{', f);
        json_utc_time(f, &k, "start-datetime", start);
        json_utc_time(f, &k, "end-datetime", end);
        fputc('}', f);
    }
    json_optional(f, &first, "contact-info", tlsrpt_report_contact_info(r));
    json_optional(f, &first, "report-id", tlsrpt_report_id(r));
    json_key(f, &first, "policies");
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        int pk = 1, k = 1;
        fputs(i ? ",{" : "{", f);
        json_key(f, &pk, "policy");
        fputc('{', f);
        json_key(f, &k, "policy-type");
        json_cstring(f, tlsrpt_policy_type_name(p));
        json_key(f, &k, "policy-string");
        fputc('[', f);
        for (size_t s = 0; s < tlsrpt_policy_string_count(p); s++) {
            if (s)
                fputc(',', f);
            json_cstring(f, tlsrpt_policy_string(p, s));
        }
        fputc(']', f);
        json_optional(f, &k, "policy-domain", tlsrpt_policy_domain(p));
        json_key(f, &k, "mx-host");
        fputc('[', f);
        for (size_t s = 0; s < tlsrpt_policy_mx_host_count(p); s++) {
            if (s)
                fputc(',', f);
            json_cstring(f, tlsrpt_policy_mx_host(p, s));
        }
        fputs("]}", f);
        json_key(f, &pk, "summary");
        fprintf(f, "{\"total-successful-session-count\":%" PRIu64 ",\"total-failure-session-count\":%" PRIu64 "}",
                tlsrpt_policy_successful_sessions(p), tlsrpt_policy_failed_sessions(p));
        json_key(f, &pk, "failure-details");
        fputc('[', f);
        for (size_t d = 0; d < tlsrpt_policy_failure_count(p); d++) {
            const tlsrpt_failure *x = tlsrpt_policy_failure(p, d);
            int fk = 1;
            fputs(d ? ",{" : "{", f);
            json_key(f, &fk, "result-type");
            json_cstring(f, tlsrpt_failure_result_type(x));
            json_optional(f, &fk, "sending-mta-ip", tlsrpt_failure_sending_mta_ip(x));
            json_optional(f, &fk, "receiving-mx-hostname", tlsrpt_failure_receiving_mx_hostname(x));
            json_optional(f, &fk, "receiving-mx-helo", tlsrpt_failure_receiving_mx_helo(x));
            json_optional(f, &fk, "receiving-ip", tlsrpt_failure_receiving_ip(x));
            json_key(f, &fk, "failed-session-count");
            fprintf(f, "%" PRIu64, tlsrpt_failure_session_count(x));
            json_optional(f, &fk, "additional-information", tlsrpt_failure_additional_information(x));
            json_optional(f, &fk, "failure-reason-code", tlsrpt_failure_reason_code(x));
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("]}", f);
}

static void json_sessions(FILE *f, int *first, struct count_sum ok, struct count_sum bad)
{
    char buf[40];
    json_key(f, first, "successful-sessions");
    fputs(sum_text(ok, buf, sizeof buf), f);
    json_key(f, first, "failed-sessions");
    fputs(sum_text(bad, buf, sizeof buf), f);
    json_key(f, first, "success-rate");
    long rate = success_rate(ok, bad);
    if (rate < 0)
        fputs("null", f);
    else
        put_rate(f, rate);
}

/* The failed sessions of every failure detail of r whose result type is `type`, from policy i, detail d on. */
static struct count_sum failed_sessions_of_type(const tlsrpt_report *r, const char *type, size_t i, size_t d)
{
    struct count_sum sum = {0, 0};
    for (; i < tlsrpt_report_policy_count(r); i++, d = 0) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        for (; d < tlsrpt_policy_failure_count(p); d++)
            if (strcmp(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, d)), type) == 0)
                sum_add(&sum, tlsrpt_failure_session_count(tlsrpt_policy_failure(p, d)));
    }
    return sum;
}

/* Whether a failure detail before policy i, detail d has the result type `type`. */
static int result_type_seen_before(const tlsrpt_report *r, const char *type, size_t i, size_t d)
{
    for (size_t pi = 0; pi <= i; pi++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, pi);
        size_t end = pi == i ? d : tlsrpt_policy_failure_count(p);
        for (size_t k = 0; k < end; k++)
            if (strcmp(tlsrpt_failure_result_type(tlsrpt_policy_failure(p, k)), type) == 0)
                return 1;
    }
    return 0;
}

/* Session totals of the report and of each policy, and the failed sessions per result type (in order of first
 * appearance) with their explanations. Allocates nothing: a report has few distinct result types, and each scan
 * stops at the first earlier detail of the same type. */
static void json_report_stats(FILE *f, const tlsrpt_report *r)
{
    struct count_sum ok = {0, 0}, bad = {0, 0};
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        sum_add(&ok, tlsrpt_policy_successful_sessions(tlsrpt_report_policy(r, i)));
        sum_add(&bad, tlsrpt_policy_failed_sessions(tlsrpt_report_policy(r, i)));
    }
    int first = 1;
    char buf[40];
    fputc('{', f);
    json_key(f, &first, "policy-count");
    fprintf(f, "%zu", tlsrpt_report_policy_count(r));
    json_sessions(f, &first, ok, bad);
    json_key(f, &first, "policies");
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_sessions(f, &k, (struct count_sum){0, tlsrpt_policy_successful_sessions(p)},
                      (struct count_sum){0, tlsrpt_policy_failed_sessions(p)});
        json_key(f, &k, "failure-detail-count");
        fprintf(f, "%zu", tlsrpt_policy_failure_count(p));
        fputc('}', f);
    }
    fputc(']', f);
    json_key(f, &first, "failure-types");
    fputc('[', f);
    int first_type = 1;
    for (size_t i = 0; i < tlsrpt_report_policy_count(r); i++) {
        const tlsrpt_policy *p = tlsrpt_report_policy(r, i);
        for (size_t d = 0; d < tlsrpt_policy_failure_count(p); d++) {
            const char *type = tlsrpt_failure_result_type(tlsrpt_policy_failure(p, d));
            if (result_type_seen_before(r, type, i, d))
                continue;
            const char *meaning = tlsrpt_result_type_description(type);
            int k = 1;
            fputs(first_type ? "{" : ",{", f);
            first_type = 0;
            json_key(f, &k, "result-type");
            json_cstring(f, type);
            json_key(f, &k, "failed-sessions");
            fputs(sum_text(failed_sessions_of_type(r, type, i, d), buf, sizeof buf), f);
            json_key(f, &k, "registered");
            fputs(meaning ? "true" : "false", f);
            json_key(f, &k, "description");
            json_cstring(f, meaning);
            fputc('}', f);
        }
    }
    fputs("]}", f);
}

/* "findings": [{"severity", "id", "message", "offset", "path"}...]. */
static void json_report_findings(FILE *f, const tlsrpt_diag *d)
{
    fputc('[', f);
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        int k = 1;
        fputs(i ? ",{" : "{", f);
        json_key(f, &k, "severity");
        json_cstring(f, severity_name(tlsrpt_diag_severity(d, i)));
        json_key(f, &k, "id");
        json_cstring(f, tlsrpt_diag_id(d, i));
        json_key(f, &k, "message");
        json_cstring(f, tlsrpt_diag_message(d, i));
        json_key(f, &k, "offset");
        size_t offset = tlsrpt_diag_offset(d, i);
        if (offset == TLSRPT_NO_OFFSET)
            fputs("null", f);
        else
            fprintf(f, "%zu", offset);
        json_key(f, &k, "path");
        json_cstring(f, tlsrpt_diag_path(d, i));
        fputc('}', f);
    }
    fputc(']', f);
}

/* 1 if the input is a report e-mail rather than a report: it starts with neither '{' (after JSON white space) nor
 * the gzip magic, and its first line is an RFC 5322 header field ("name:") or an mbox "From " line. */
static int looks_like_message(const unsigned char *data, size_t len)
{
    if (len >= 2 && data[0] == 0x1f && data[1] == 0x8b)
        return 0;
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{')
        return 0;
    if (len >= 5 && memcmp(data, "From ", 5) == 0)
        return 1;
    for (i = 0; i < len && data[i] > 32 && data[i] < 127 && data[i] != ':'; i++)
        ;
    return i > 0 && i < len && data[i] == ':';
}

/* Reads and parses one FILE. Returns 0, or the exit status 2 when the library failed (out of memory). */
static int report_load(struct report_result *res, unsigned flags)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (read_report_file(res->file, &data, &len) != 0) {
        res->read_errno = errno;
        res->status = EXIT_USAGE;
        fprintf(stderr, "%s report: cannot read '", PROGRAM);
        put_escaped_string(stderr, res->file);
        fprintf(stderr, "': %s\n", strerror(res->read_errno));
        return 0;
    }
    int rc = tlsrpt_diag_new(&res->diag);
    if (rc == TLSRPT_OK)
        rc = res->parsed = looks_like_message(data, len)
                               ? tlsrpt_report_parse_message(&res->report, data, len, flags, res->diag)
                               : tlsrpt_report_parse(&res->report, data, len, flags, res->diag);
    free(data);
    if (rc == TLSRPT_ENOMEM || rc == TLSRPT_EINVAL)
        return fail_library("report", "parsing", rc);
    count_findings(res->diag, &res->counts);
    int valid = res->parsed == TLSRPT_OK && res->counts.errors == 0 &&
                !((flags & TLSRPT_PARSE_STRICT) && res->counts.warnings > 0);
    res->status = valid ? EXIT_OK : EXIT_INVALID;
    return 0;
}

static void print_report_result_text(FILE *f, const struct report_result *res)
{
    fputs("file: ", f);
    put_escaped_string(f, res->file);
    fputc('\n', f);
    if (res->read_errno) {
        fprintf(f, "unreadable: %s\n", strerror(res->read_errno));
        return;
    }
    int colour = stream_wants_colour(f);
    for (size_t i = 0; i < tlsrpt_diag_count(res->diag); i++)
        print_report_finding(f, colour, res->diag, i);
    if (res->report)
        print_report_text(f, res->report);
    fputs(res->status == EXIT_OK                                     ? "valid"
          : res->parsed == TLSRPT_OK && res->counts.errors == 0      ? "invalid (--strict)"
                                                                     : "invalid",
          f);
    fputs(": ", f);
    put_count(f, res->counts.errors, "error", "errors");
    fputs(", ", f);
    put_count(f, res->counts.warnings, "warning", "warnings");
    fputs(", ", f);
    put_count(f, res->counts.infos, "info", "infos");
    fputc('\n', f);
}

static void print_report_result_json(FILE *f, const struct report_result *res)
{
    int first = 1;
    fputc('{', f);
    json_key(f, &first, "file");
    json_cstring(f, res->file);
    json_key(f, &first, "status");
    json_cstring(f, report_status_name(res));
    json_key(f, &first, "valid");
    fputs(res->status == EXIT_OK ? "true" : "false", f);
    if (res->read_errno) {
        json_key(f, &first, "error");
        json_cstring(f, strerror(res->read_errno));
    }
    json_key(f, &first, "report");
    if (res->report)
        json_report_object(f, res->report);
    else
        fputs("null", f);
    json_key(f, &first, "stats");
    if (res->report)
        json_report_stats(f, res->report);
    else
        fputs("null", f);
    json_key(f, &first, "findings");
    json_report_findings(f, res->diag);
    json_key(f, &first, "errors");
    fprintf(f, "%zu", res->counts.errors);
    json_key(f, &first, "warnings");
    fprintf(f, "%zu", res->counts.warnings);
    json_key(f, &first, "infos");
    fprintf(f, "%zu", res->counts.infos);
    fputc('}', f);
}

/* tlsrpt report --merge: parses every FILE, merges them into the first, writes the result to standard output (pretty
 * JSON, or gzip). Findings go to standard error, each after the name of its file. */
static int report_merge(int first, int argc, char **argv, unsigned flags, int gzip)
{
    tlsrpt_report *total = NULL;
    int status = EXIT_OK, colour = stream_wants_colour(stderr);
    for (int i = first; i < argc; i++) {
        struct report_result res = {.file = argv[i]};
        int failed = report_load(&res, flags);
        if (failed) {
            tlsrpt_report_free(total);
            return failed;
        }
        if (res.diag && tlsrpt_diag_count(res.diag) > 0) {
            fprintf(stderr, "%s report: ", PROGRAM);
            put_escaped_string(stderr, res.file);
            fputs(":\n", stderr);
            for (size_t k = 0; k < tlsrpt_diag_count(res.diag); k++)
                print_report_finding(stderr, colour, res.diag, k);
        }
        if (res.status == EXIT_OK && total == NULL) {
            total = res.report;
            res.report = NULL;
        } else if (res.status == EXIT_OK && status == EXIT_OK) {
            int rc = tlsrpt_report_merge(total, res.report);
            if (rc == TLSRPT_ELIMIT) {
                fprintf(stderr, "%s report: cannot merge '", PROGRAM);
                put_escaped_string(stderr, res.file);
                fputs("': a session count would exceed 2^64-1\n", stderr);
                res.status = EXIT_INVALID;
            } else if (rc != TLSRPT_OK) {
                tlsrpt_report_free(res.report);
                tlsrpt_diag_free(res.diag);
                tlsrpt_report_free(total);
                return fail_library("report", "merging", rc);
            }
        }
        tlsrpt_report_free(res.report);
        tlsrpt_diag_free(res.diag);
        if (res.status > status)
            status = res.status;
    }
    if (status != EXIT_OK) {
        tlsrpt_report_free(total);
        return status;
    }
    void *out = NULL;
    size_t len = 0;
    int rc;
    if (gzip) {
        rc = tlsrpt_report_serialize_gzip(total, &out, &len);
    } else {
        char *text = NULL;
        rc = tlsrpt_report_serialize(total, TLSRPT_JSON_PRETTY, &text, &len);
        out = text;
    }
    tlsrpt_report_free(total);
    if (rc == TLSRPT_EINVAL) {
        /* A parsed date-time whose UTC form is outside the years 0000..9999 cannot be written back. */
        fprintf(stderr, "%s report: the merged report cannot be written as RFC 8460 JSON (a date-time out of range)\n",
                PROGRAM);
        return EXIT_INVALID;
    }
    if (rc != TLSRPT_OK)
        return fail_library("report", "writing", rc);
    int ok = fwrite(out, 1, len, stdout) == len && fflush(stdout) == 0;
    tlsrpt_free(out);
    if (!ok) {
        fprintf(stderr, "%s report: cannot write the merged report: %s\n", PROGRAM, strerror(errno));
        return EXIT_USAGE;
    }
    return EXIT_OK;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option options[] = {
        {"strict", no_argument, NULL, 's'},
        {"json", no_argument, NULL, 'j'},
        {"merge", no_argument, NULL, 'm'},
        {"gzip", no_argument, NULL, 'z'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int strict = 0, json = 0, merge = 0, gzip = 0, ch;
    opterr = 0;
    optind = 1;
    while ((ch = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (ch) {
        case 's': strict = 1; break;
        case 'j': json = 1; break;
        case 'm': merge = 1; break;
        case 'z': gzip = 1; break;
        case 'h': fputs(REPORT_HELP, stdout); return EXIT_OK;
        default: return option_error("report", ch, argv);
        }
    }
    if (gzip && !merge)
        return usage_error("report", "--gzip needs --merge", NULL);
    if (json && merge)
        return usage_error("report", "--json and --merge cannot be combined (--merge writes JSON)", NULL);
    if (optind >= argc)
        return usage_error("report", "missing FILE (or '-' for standard input)", NULL);
    if (merge)
        return report_merge(optind, argc, argv, strict ? TLSRPT_PARSE_STRICT : 0, gzip);

    /* One file at a time: read, parse, print, free. The exit status is the worst over all files. */
    FILE *f = stdout;
    int status = EXIT_OK;
    if (json)
        fprintf(f, "{\"strict\":%s,\"reports\":[", strict ? "true" : "false");
    for (int i = optind; i < argc; i++) {
        struct report_result res = {.file = argv[i]};
        int failed = report_load(&res, strict ? TLSRPT_PARSE_STRICT : 0);
        if (failed == 0) {
            if (json) {
                if (i > optind)
                    fputc(',', f);
                print_report_result_json(f, &res);
            } else {
                if (i > optind)
                    fputc('\n', f);
                print_report_result_text(f, &res);
            }
        }
        tlsrpt_report_free(res.report);
        tlsrpt_diag_free(res.diag);
        if (failed) {
            status = failed; /* the library ran out of memory: stop here */
            break;
        }
        if (res.status > status)
            status = res.status;
    }
    if (json)
        fputs("]}\n", f);
    return status;
}

/* ---- The command table and main ----------------------------------------------------------------------------- */

struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;
};

static const struct command COMMANDS[] = {
    {"generate", cmd_generate, "build a TLSRPT record from report destinations"},
    {"check", cmd_check, "check the syntax of a TLSRPT record and lint it"},
    {"lookup", cmd_lookup, "look up a domain's TLSRPT record in DNS and check it"},
    {"report", cmd_report, "read TLS reports (JSON or gzip) and summarize them"},
};

static void print_main_help(FILE *f)
{
    fprintf(f, "Usage: %s COMMAND [OPTIONS] ARGS\n", PROGRAM);
    fprintf(f, "       %s COMMAND --help\n", PROGRAM);
    fprintf(f, "       %s --help | --version\n", PROGRAM);
    fputs("SMTP TLS Reporting (RFC 8460) records, from the command line.\n\nCommands:\n", f);
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        fprintf(f, "  %-10s  %s\n", COMMANDS[i].name, COMMANDS[i].summary);
    fputs("\nExit status: 0 success, 1 invalid input, 2 usage or I/O error, 3 temporary DNS failure.\n"
          "Colour is used only when standard output is a terminal and NO_COLOR is not set.\n",
          f);
}

/* Flushes stdout: a write error (a full disk, a closed pipe) is an I/O error, exit status 2. */
static int finish(int status)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: write error on standard output\n", PROGRAM);
        return EXIT_USAGE;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage_error(NULL, "missing COMMAND", NULL);
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        print_main_help(stdout);
        return finish(EXIT_OK);
    }
    if (strcmp(first, "--version") == 0) {
        printf("%s (libtlsrpt) %s\n", PROGRAM, tlsrpt_version_string());
        return finish(EXIT_OK);
    }
    for (size_t i = 0; i < sizeof COMMANDS / sizeof COMMANDS[0]; i++)
        if (strcmp(first, COMMANDS[i].name) == 0)
            return finish(COMMANDS[i].run(argc - 1, argv + 1));
    if (first[0] == '-')
        return usage_error(NULL, "unknown option", first);
    return usage_error(NULL, "unknown command", first);
}
