/* tlsrpt generate: builds a record from report destinations and prints it as record text, a zone line or JSON,
 * with the authorization records external destinations need and the checker's findings.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "record_view.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The TTL of the zone line unless --ttl says otherwise; the largest TTL RFC 2181 §8 allows. */
#define DEFAULT_TTL 3600u
#define MAX_TTL 2147483647u
/* A DNS character-string holds at most 255 bytes (RFC 1035 §3.3). */
#define DNS_STRING_MAX 255u

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
        char *absolute = absolute_authorization_name(name);
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

/* The record text, or with `zone_line` the master-file line; then, with a domain, the authorizations and findings. */
static void print_generated_text(const struct generated *g, int zone_line)
{
    FILE *f = stdout;
    fprintf(f, "%s\n", zone_line ? g->zone : g->value);
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
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_string(w, "name", g->owner);
    json_member_string(w, "type", "TXT");
    json_member_uint64(w, "ttl", g->ttl);
    json_key(w, "value");
    json_string(w, g->value, g->value_len);
    /* The value cut into DNS character-strings; an empty value is one empty string. */
    json_key(w, "strings");
    json_begin_array(w);
    for (size_t off = 0; off < g->value_len || off == 0; off += DNS_STRING_MAX) {
        size_t n = g->value_len - off < DNS_STRING_MAX ? g->value_len - off : DNS_STRING_MAX;
        json_string(w, g->value + off, n);
        if (g->value_len == 0)
            break;
    }
    json_end_array(w);
    json_key(w, "authorizations");
    json_begin_array(w);
    for (size_t i = 0; i < g->n_authorizations; i++) {
        json_begin_object(w);
        json_member_string(w, "name", g->authorizations[i]);
        json_member_string(w, "type", "TXT");
        json_member_string(w, "value", AUTHORIZATION_VALUE);
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {g->lint};
    json_findings(w, lists, 1, 0);
    json_end_object(w);
    json_finish(w);
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

/* --format: "json" is the output format JSON; "record" and "zone" are two kinds of text. Returns 0, or -1. */
static int parse_format(const char *text, enum output_format *output, int *zone_line)
{
    if (strcmp(text, "json") == 0)
        *output = OUTPUT_JSON;
    else if (strcmp(text, "record") == 0 || strcmp(text, "zone") == 0)
        *output = OUTPUT_TEXT;
    else
        return -1;
    *zone_line = strcmp(text, "zone") == 0;
    return 0;
}

int cmd_generate(int argc, char **argv)
{
    static const struct option options[] = {
        {"rua", required_argument, NULL, 'r'},
        {"domain", required_argument, NULL, 'd'},
        {"ttl", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        OPTION_HELP,
        OPTIONS_END,
    };
    struct generated g = {.ttl = DEFAULT_TTL};
    enum output_format output = OUTPUT_TEXT;
    int zone_line = 0;
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
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 'r': dests[destinations++] = optarg; break;
        case 'd': g.domain = optarg; break;
        case 't':
            if (parse_uint32_option(optarg, 0, MAX_TTL, &g.ttl) != 0) {
                status = usage_error("generate", "invalid TTL (0 to 2147483647 seconds):", optarg);
                goto done;
            }
            break;
        case 'f':
            if (parse_format(optarg, &output, &zone_line) != 0) {
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
    if (zone_line && g.domain == NULL) {
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
    if (output == OUTPUT_JSON)
        print_generated_json(&g);
    else
        print_generated_text(&g, zone_line);
done:
    free(dests);
    generated_free(&g);
    tlsrpt_record_free(r);
    return status;
}
