/* tlsrpt generate: builds a record from report destinations and prints it as record text, a zone line, JSON, or
 * ready for a DNS provider (a Route 53 change batch, a Cloudflare API body, an nsupdate script, the fields of a
 * provider's form), with the authorization records external destinations need and the checker's findings.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "providers.h"
#include "record_view.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

/* The TTL unless --ttl says otherwise; the largest TTL RFC 2181 §8 allows. */
#define DEFAULT_TTL 3600u
#define MAX_TTL 2147483647u

static const char GENERATE_HELP[] =
    "Usage: tlsrpt generate --rua DEST [--rua DEST]... [--domain DOMAIN] [--zone ZONE] [--ttl SECONDS]\n"
    "                       [--format record|zone|json|route53|cloudflare|nsupdate]\n"
    "                       [--provider cloudflare|route53|registro.br|generic]\n"
    "Build a TLSRPT record (RFC 8460) for _smtp._tls.DOMAIN from report destinations.\n"
    "\n"
    "  --rua DEST         a mailto: or https: URI, or a bare e-mail address (taken as mailto:);\n"
    "                     repeat for several destinations, kept in the order given\n"
    "  --domain DOMAIN    the policy domain: also list the authorization records that external\n"
    "                     destinations must publish, and the checker's findings\n"
    "  --zone ZONE        the DNS zone the record goes in, when it is not DOMAIN itself (names in\n"
    "                     provider forms and nsupdate are relative to it)\n"
    "  --ttl SECONDS      TTL, 0 to 2147483647 (default 3600; 0 omits it from the zone line;\n"
    "                     cloudflare: 1 (automatic, the default) or 30 to 86400)\n"
    "  --format FORMAT    record: the record text (default); zone: a master-file line; json: name,\n"
    "                     type, ttl, value, strings; route53: a ChangeResourceRecordSets change batch;\n"
    "                     cloudflare: a DNS record API body; nsupdate: an RFC 2136 nsupdate script\n"
    "                     (every format but record needs --domain)\n"
    "  --provider NAME    the fields to type into that provider's web form (needs --domain)\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 record generated, 1 a destination is invalid, 2 usage error.\n";

enum generate_format { FORMAT_RECORD, FORMAT_ZONE, FORMAT_JSON, FORMAT_ROUTE53, FORMAT_CLOUDFLARE, FORMAT_NSUPDATE };

/* Everything generate prints, gathered before printing so that a failure prints nothing on stdout. */
struct generated {
    const char *domain;
    const char *zone;      /* --zone, or the domain, as given */
    char *zone_alabel;     /* the zone in lower-case A-labels without the final dot, when there is a domain */
    int zone_given;        /* --zone was given */
    uint32_t ttl;
    int ttl_given;
    const char *ttl_text;  /* --ttl as given */
    char *value;           /* the record text */
    size_t value_len;
    char *zone_line;       /* the master-file line, when there is a domain */
    char *owner;           /* the owner name "_smtp._tls.<a-label domain>.", when there is a domain */
    char *what;            /* "TLSRPT record of <a-label domain>" */
    tlsrpt_diag *lint;     /* the checker's findings, when there is a domain */
    char *record_json;     /* the record as the library writes it (json format) */
    size_t record_json_len;
    char **authorizations; /* distinct names "<domain>._report._tls.<host>." to publish */
    char **authorization_whats;
    size_t n_authorizations;
};

static void generated_free(struct generated *g)
{
    tlsrpt_free(g->value);
    tlsrpt_free(g->zone_line);
    tlsrpt_free(g->owner);
    tlsrpt_free(g->zone_alabel);
    free(g->what);
    tlsrpt_diag_free(g->lint);
    tlsrpt_free(g->record_json);
    for (size_t i = 0; i < g->n_authorizations; i++) {
        free(g->authorizations[i]);
        free(g->authorization_whats[i]);
    }
    free(g->authorizations);
    free(g->authorization_whats);
}

/* "PREFIX<name without its final dot>SUFFIX" as a new string, or NULL when out of memory. */
static char *describe(const char *prefix, const char *name, size_t name_len, const char *suffix)
{
    size_t n = strlen(prefix) + name_len + strlen(suffix) + 1;
    char *s = malloc(n);
    if (s != NULL)
        snprintf(s, n, "%s%.*s%s", prefix, (int)name_len, name, suffix);
    return s;
}

/* The distinct authorization names "<domain>._report._tls.<host>." of the destinations outside the policy domain's
 * organization, in record order. The library decides which destinations are external (organizational domains,
 * Public Suffix List) and builds the name (tlsrpt_authorization_name); hosts that cannot have one (IP addresses) and
 * names over 253 octets are skipped, and the lint findings say why. Returns TLSRPT_OK or TLSRPT_ENOMEM. */
static int collect_authorizations(struct generated *g, const tlsrpt_record *r)
{
    size_t n = tlsrpt_record_rua_count(r);
    g->authorizations = calloc(n ? n : 1, sizeof *g->authorizations);
    g->authorization_whats = calloc(n ? n : 1, sizeof *g->authorization_whats);
    if (g->authorizations == NULL || g->authorization_whats == NULL)
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
        if (seen) {
            free(absolute);
            continue;
        }
        const char *host = strstr(absolute, "._report._tls.") + strlen("._report._tls.");
        char *what = describe("Authorization record for reports to ", host, strlen(host) - 1, "");
        if (what == NULL) {
            free(absolute);
            return TLSRPT_ENOMEM;
        }
        g->authorization_whats[g->n_authorizations] = what;
        g->authorizations[g->n_authorizations++] = absolute;
    }
    return TLSRPT_OK;
}

/* The record text, or with `zone_line` the master-file line; then, with a domain, the authorizations and findings. */
static void print_generated_text(const struct generated *g, int zone_line)
{
    FILE *f = stdout;
    fprintf(f, "%s\n", zone_line ? g->zone_line : g->value);
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
        print_findings_with_hints(f, stream_wants_colour(f), g->lint, NULL, 0);
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
    /* "value" and "strings" (the library's character-strings), then "rua" and "extensions". */
    json_record_members(w, g->record_json, g->record_json_len);
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

/* The authorization records as txt_records (they live in the destination owners' zones, which are not known). */
static struct txt_record *authorization_records(const struct generated *g)
{
    struct txt_record *a = calloc(g->n_authorizations ? g->n_authorizations : 1, sizeof *a);
    for (size_t i = 0; a != NULL && i < g->n_authorizations; i++)
        a[i] = (struct txt_record){g->authorizations[i], NULL, AUTHORIZATION_VALUE, g->authorization_whats[i]};
    return a;
}

/* The provider formats; returns 0, or -1 when out of memory. The authorization records belong to other zones: in
 * the nsupdate script they are comments, in the forms their own blocks, and for the one-zone JSON formats they are
 * listed on standard error so that standard output stays one document. */
static int print_for_provider(const struct generated *g, enum generate_format format, enum provider provider)
{
    struct txt_record own = {g->owner, g->zone_alabel, g->value, g->what};
    struct txt_record *others = authorization_records(g);
    if (others == NULL)
        return -1;
    int rc = 0;
    if (provider != PROVIDER_NONE) {
        rc = print_provider_form(stdout, provider, &own, g->ttl, g->ttl_given);
        for (size_t i = 0; i < g->n_authorizations && rc == 0; i++) {
            fputc('\n', stdout);
            rc = print_provider_form(stdout, provider, &others[i], g->ttl, g->ttl_given);
        }
        if (rc == 0 && tlsrpt_diag_count(g->lint) > 0) {
            fputc('\n', stdout);
            print_findings_with_hints(stdout, stream_wants_colour(stdout), g->lint, NULL, 0);
        }
    } else if (format == FORMAT_NSUPDATE) {
        rc = print_nsupdate_script(stdout, &own, 1, others, g->n_authorizations, g->zone_given ? g->zone_alabel : NULL,
                                   g->ttl);
    } else {
        if (format == FORMAT_ROUTE53)
            rc = print_route53_batch(stdout, &own, 1, g->what, g->ttl);
        else
            rc = print_cloudflare_record(stdout, &own, g->ttl_given ? g->ttl : CLOUDFLARE_TTL_AUTO);
        for (size_t i = 0; i < g->n_authorizations && rc == 0; i++) {
            fprintf(stderr, "%s generate: note: in the zone of its owner: ", PROGRAM);
            put_escaped_string(stderr, g->authorizations[i]);
            fputs(" TXT \"" AUTHORIZATION_VALUE "\"\n", stderr);
        }
    }
    free(others);
    return rc;
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
            print_findings_with_hints(stderr, stream_wants_colour(stderr), diag, dest, strlen(dest));
            status = EXIT_INVALID;
        }
    }
    tlsrpt_diag_free(diag);
    return status;
}

static int parse_format(const char *text, enum generate_format *format)
{
    static const char *const names[] = {"record", "zone", "json", "route53", "cloudflare", "nsupdate"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcmp(text, names[i]) == 0) {
            *format = (enum generate_format)i;
            return 0;
        }
    }
    return -1;
}

/* Everything that needs the domain: the zone line, the owner name, the findings, the authorizations. Returns the
 * exit status (a usage error for a bad DOMAIN or ZONE). */
static int gather_for_domain(struct generated *g, const tlsrpt_record *r)
{
    int rc = tlsrpt_record_to_zone(r, g->domain, g->ttl, &g->zone_line, NULL);
    if (rc == TLSRPT_EINVAL)
        return domain_usage_error("generate", g->domain);
    char *relative = NULL;
    if (rc == TLSRPT_OK && (rc = tlsrpt_record_owner_name(&relative, g->domain, g->zone)) == TLSRPT_EINVAL)
        return usage_error("generate", "DOMAIN is not in ZONE (or ZONE is not a domain name):", g->zone);
    tlsrpt_free(relative);
    if (rc == TLSRPT_OK && (rc = tlsrpt_owner_name(&g->zone_alabel, g->zone, NULL)) == TLSRPT_OK)
        g->zone_alabel[strlen(g->zone_alabel) - 1] = '\0'; /* the final dot */
    if (rc == TLSRPT_OK)
        rc = tlsrpt_record_owner_name(&g->owner, g->domain, NULL);
    if (rc == TLSRPT_OK) {
        size_t prefix = strlen("_smtp._tls."), n = strlen(g->owner);
        if ((g->what = describe("TLSRPT record of ", g->owner + prefix, n - prefix - 1, "")) == NULL)
            rc = TLSRPT_ENOMEM;
    }
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&g->lint);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_record_lint(r, g->domain, g->lint);
    if (rc == TLSRPT_OK)
        rc = collect_authorizations(g, r);
    return rc == TLSRPT_OK ? EXIT_OK : fail_library("generate", "checking the record", rc);
}

/* The option values that depend on each other; returns the exit status. */
static int check_combination(const struct generated *g, enum generate_format format, int format_given,
                             enum provider provider)
{
    if (provider != PROVIDER_NONE && format_given)
        return usage_error("generate", "--provider and --format cannot be combined", NULL);
    if ((format != FORMAT_RECORD && format != FORMAT_JSON) && g->domain == NULL) {
        static const char *const needs[] = {"", "--format zone needs --domain", "", "--format route53 needs --domain",
                                            "--format cloudflare needs --domain", "--format nsupdate needs --domain"};
        return usage_error("generate", needs[format], NULL);
    }
    if (provider != PROVIDER_NONE && g->domain == NULL)
        return usage_error("generate", "--provider needs --domain", NULL);
    if (g->zone != NULL && g->domain == NULL)
        return usage_error("generate", "--zone needs --domain", NULL);
    int cloudflare = format == FORMAT_CLOUDFLARE || provider == PROVIDER_CLOUDFLARE;
    if (cloudflare && g->ttl_given && g->ttl != CLOUDFLARE_TTL_AUTO &&
        (g->ttl < CLOUDFLARE_TTL_MIN || g->ttl > CLOUDFLARE_TTL_MAX))
        return usage_error("generate", "invalid TTL for Cloudflare (1, automatic, or 30 to 86400 seconds):",
                           g->ttl_text);
    if (g->domain != NULL)
        return check_domain_argument("generate", g->domain);
    return EXIT_OK;
}

int cmd_generate(int argc, char **argv)
{
    static const struct option options[] = {
        {"rua", required_argument, NULL, 'r'},
        {"domain", required_argument, NULL, 'd'},
        {"zone", required_argument, NULL, 'z'},
        {"ttl", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"provider", required_argument, NULL, 'p'},
        OPTION_HELP,
        OPTIONS_END,
    };
    struct generated g = {.ttl = DEFAULT_TTL};
    enum generate_format format = FORMAT_RECORD;
    enum provider provider = PROVIDER_NONE;
    int format_given = 0;
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
        case 'z': g.zone = optarg; break;
        case 't':
            if (parse_uint32_option(optarg, 0, MAX_TTL, &g.ttl) != 0) {
                status = usage_error("generate", "invalid TTL (0 to 2147483647 seconds):", optarg);
                goto done;
            }
            g.ttl_given = 1;
            g.ttl_text = optarg;
            break;
        case 'f':
            if (parse_format(optarg, &format) != 0) {
                status = usage_error("generate",
                                     "unknown format (record, zone, json, route53, cloudflare or nsupdate):", optarg);
                goto done;
            }
            format_given = 1;
            break;
        case 'p':
            if ((provider = provider_by_name(optarg)) == PROVIDER_NONE) {
                status = usage_error("generate", "unknown provider (cloudflare, route53, registro.br or generic):",
                                     optarg);
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
    if ((status = check_combination(&g, format, format_given, provider)) != EXIT_OK)
        goto done;
    g.zone_given = g.zone != NULL;
    if (g.zone == NULL)
        g.zone = g.domain;
    for (size_t i = 0; i < destinations && status == EXIT_OK; i++)
        status = generate_add_destination(r, dests[i]);
    if (status != EXIT_OK)
        goto done;

    rc = tlsrpt_record_serialize(r, &g.value, &g.value_len);
    if (rc != TLSRPT_OK) {
        status = fail_library("generate", "serializing the record", rc);
        goto done;
    }
    if (g.domain != NULL && (status = gather_for_domain(&g, r)) != EXIT_OK)
        goto done;
    if (format == FORMAT_JSON && (rc = tlsrpt_record_to_json(r, g.domain, 0, &g.record_json, &g.record_json_len)) !=
                                     TLSRPT_OK) {
        status = fail_library("generate", "writing the record", rc);
        goto done;
    }
    if (format == FORMAT_JSON)
        print_generated_json(&g);
    else if (format == FORMAT_RECORD && provider == PROVIDER_NONE)
        print_generated_text(&g, 0);
    else if (format == FORMAT_ZONE)
        print_generated_text(&g, 1);
    else if (print_for_provider(&g, format, provider) != 0)
        status = fail_library("generate", "printing the record", TLSRPT_ENOMEM);
done:
    free(dests);
    generated_free(&g);
    tlsrpt_record_free(r);
    return status;
}
