/* tlsrpt sts: MTA-STS (RFC 8461). The subcommand dispatch, `sts generate` (the _mta-sts TXT record and the policy
 * file for a domain) and `sts check` (the syntax of a record or a policy, with lint). `sts lookup` is
 * cmd_sts_lookup.c.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "providers.h"
#include "sts_view.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char STS_HELP[] =
    "Usage: tlsrpt sts generate|check|lookup [OPTIONS] ARGS\n"
    "MTA-STS (RFC 8461), the other half of SMTP transport security next to TLS reporting:\n"
    "\n"
    "  generate   build the _mta-sts TXT record and the policy file for a domain\n"
    "  check      check the syntax of an _mta-sts record or a policy file and lint it\n"
    "  lookup     discover a domain's policy as a sending MTA does (TXT, HTTPS fetch, policy), check its MX\n"
    "             coverage and its TLSRPT record\n"
    "\n"
    "Run 'tlsrpt sts COMMAND --help' for each one's options.\n";

static const char GENERATE_HELP[] =
    "Usage: tlsrpt sts generate --domain DOMAIN --mode testing|enforce|none --mx PATTERN... --max-age SECONDS\n"
    "                           [--id ID] [--ttl SECONDS] [--json]\n"
    "                           [--format text|zone|record|policy|json|route53|cloudflare|nsupdate]\n"
    "                           [--provider cloudflare|route53|registro.br|generic]\n"
    "Build the MTA-STS TXT record and policy file of DOMAIN (RFC 8461 sections 3.1 and 3.2).\n"
    "\n"
    "  --domain DOMAIN     the policy domain\n"
    "  --mode MODE         testing (report failures, deliver anyway), enforce, or none (withdraw the policy)\n"
    "  --mx PATTERN        an MX host name or *.suffix the policy allows; repeat for each (not needed for none)\n"
    "  --max-age SECONDS   how long senders cache the policy, 0 to 31557600\n"
    "  --id ID             the policy id, 1 to 32 letters and digits (default: the current UTC time,\n"
    "                      YYYYMMDDTHHMMSSZ); change it whenever the policy file changes\n"
    "  --ttl SECONDS       the TTL of the TXT record (default 3600)\n"
    "  --format FORMAT     text (everything, the default), zone (the TXT record as a zone file line),\n"
    "                      record (its text only), policy (the policy file's exact bytes), json, or the TXT\n"
    "                      record for a DNS provider's API: route53 (a change batch), cloudflare (a record\n"
    "                      body; TTL automatic unless --ttl), nsupdate (an RFC 2136 script)\n"
    "  --provider NAME     the TXT record's fields as typed into that provider's web form, and the policy\n"
    "  --json              the same as --format json\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 generated, 1 the values make no valid record or policy, 2 usage or I/O error.\n";

static const char CHECK_HELP[] =
    "Usage: tlsrpt sts check [--record|--policy] [--mx HOST]... [--strict] [--json] TEXT|FILE|-\n"
    "Check the syntax of an MTA-STS TXT record (RFC 8461 section 3.1) or policy file (section 3.2) and lint it.\n"
    "The argument is the text itself, a file (with --policy, when a file of that name exists) or '-' for\n"
    "standard input. Without --record or --policy, input beginning with \"v=\" is a record, anything else a policy.\n"
    "\n"
    "  --record            the input is the TXT record (strings joined)\n"
    "  --policy            the input is the policy file\n"
    "  --mx HOST           an MX host of the domain: lint says which the policy does not cover (repeatable)\n"
    "  --strict            warnings make the input fail (exit status 1)\n"
    "  --json              print one JSON document instead of text\n"
    "  -h, --help          show this help\n"
    "\n"
    "Exit status: 0 valid (warnings allowed unless --strict), 1 invalid, 2 usage or I/O error.\n";

/* ---- sts generate ------------------------------------------------------------------------------------------------ */

static int mode_of(const char *s)
{
    if (strcmp(s, "testing") == 0)
        return TLSRPT_STS_MODE_TESTING;
    if (strcmp(s, "enforce") == 0)
        return TLSRPT_STS_MODE_ENFORCE;
    if (strcmp(s, "none") == 0)
        return TLSRPT_STS_MODE_NONE;
    return -1;
}

/* What generate made, gathered before printing. */
struct generated {
    const char *domain_arg;
    char *txt_name;      /* "_mta-sts.<a-label>." */
    char *url;
    char *record;        /* the TXT record text */
    char *policy;        /* the policy file, CRLF lines */
    size_t policy_len;
    tlsrpt_sts_policy *p;
    tlsrpt_diag *lint;
    uint32_t ttl;
};

static void generated_free(struct generated *g)
{
    tlsrpt_free(g->txt_name);
    tlsrpt_free(g->url);
    tlsrpt_free(g->record);
    tlsrpt_free(g->policy);
    tlsrpt_sts_policy_free(g->p);
    tlsrpt_diag_free(g->lint);
}

/* The rollout advice: only what RFC 8461 and RFC 8460 say. */
static const char *const ADVICE_TESTING[] = {
    "mode testing: senders that implement TLS reporting report policy failures but deliver anyway (RFC 8461 "
    "section 5); publish a TLSRPT record (tlsrpt generate) so that the reports reach you.",
    "After the reports show no failures for your MX hosts, switch to mode enforce: change the policy file and "
    "publish a new id in the TXT record (RFC 8461 section 3.1: senders refetch the policy only when the id "
    "changes).",
};
static const char *const ADVICE_ENFORCE[] = {
    "mode enforce: senders deliver only to MX hosts the policy lists that present a valid certificate (RFC 8461 "
    "section 5); keep a TLSRPT record published to see refused deliveries.",
    "Whenever the policy file changes, publish a new id in the TXT record (RFC 8461 section 3.1).",
};
static const char *const ADVICE_NONE[] = {
    "mode none: senders that had cached the policy stop applying it; keep serving this policy, with a new id, "
    "at least for the max_age of the previous one before removing the TXT record (RFC 8461 section 8.3).",
};

static const char *const *advice(int mode, size_t *n)
{
    switch (mode) {
    case TLSRPT_STS_MODE_TESTING: *n = 2; return ADVICE_TESTING;
    case TLSRPT_STS_MODE_ENFORCE: *n = 2; return ADVICE_ENFORCE;
    default: *n = 1; return ADVICE_NONE;
    }
}

static void print_generated_json(const struct generated *g)
{
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_string(w, "domain", g->txt_name + strlen("_mta-sts."));
    json_member_string(w, "txt_name", g->txt_name);
    json_member_string(w, "txt_record", g->record);
    json_member_size(w, "ttl", g->ttl);
    json_member_string(w, "policy_url", g->url);
    json_key(w, "policy");
    json_string(w, g->policy, g->policy_len);
    json_sts_policy_fields(w, g->p);
    json_key(w, "advice");
    json_begin_array(w);
    size_t n;
    const char *const *a = advice(tlsrpt_sts_policy_mode(g->p), &n);
    for (size_t i = 0; i < n; i++)
        json_cstring(w, a[i]);
    json_end_array(w);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {g->lint};
    json_findings(w, lists, 1, 0);
    struct finding_counts c = {0};
    count_findings(g->lint, &c);
    json_counts(w, &c);
    json_end_object(w);
    json_finish(w);
}

static void print_generated_text(const struct generated *g)
{
    FILE *f = stdout;
    fputs("TXT record: ", f);
    put_escaped_string(f, g->txt_name);
    fputs(" TXT \"", f);
    put_escaped_string(f, g->record);
    fputs("\"\n", f);
    fputs("policy file: serve at ", f);
    put_escaped_string(f, g->url);
    fputs("\n  (HTTPS with a certificate valid for ", f);
    const char *host = g->url + strlen("https://");
    fwrite(host, 1, strcspn(host, "/"), f);
    fputs(", Content-Type: text/plain, status 200, no redirect)\n", f);
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(g->p); i++) {
        fputs("  ", f);
        put_escaped_string(f, tlsrpt_sts_policy_string(g->p, i));
        fputc('\n', f);
    }
    print_findings_with_hints(f, stream_wants_colour(f), g->lint, NULL, 0);
    size_t n;
    const char *const *a = advice(tlsrpt_sts_policy_mode(g->p), &n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "advice: %s\n", a[i]);
}

/* The TXT record for a DNS provider (the policy file is served over HTTPS, not published in DNS: --provider prints
 * where it goes after the record's form). Returns 0, or -1 when out of memory. */
static int print_sts_for_provider(const struct generated *g, const char *format, enum provider provider,
                                  int ttl_given)
{
    const char *domain = g->txt_name + strlen("_mta-sts.");
    char zone[256];
    size_t n = strlen(domain);
    if (n == 0 || n >= sizeof zone)
        return -1;
    memcpy(zone, domain, n - 1); /* without the final dot */
    zone[n - 1] = '\0';
    char what[300];
    snprintf(what, sizeof what, "MTA-STS record of %s", zone);
    struct txt_record rec = {g->txt_name, zone, g->record, what};
    if (provider != PROVIDER_NONE) {
        if (print_provider_form(stdout, provider, &rec, g->ttl, ttl_given) != 0)
            return -1;
        fputs("\npolicy file: serve at ", stdout);
        put_escaped_string(stdout, g->url);
        fputs(" (text/plain, status 200), not in DNS:\n", stdout);
        fwrite(g->policy, 1, g->policy_len, stdout);
        return 0;
    }
    if (strcmp(format, "nsupdate") == 0)
        return print_nsupdate_script(stdout, &rec, 1, NULL, 0, NULL, g->ttl);
    if (strcmp(format, "route53") == 0)
        return print_route53_batch(stdout, &rec, 1, what, g->ttl);
    return print_cloudflare_record(stdout, &rec, ttl_given ? g->ttl : CLOUDFLARE_TTL_AUTO);
}

static int sts_generate(int argc, char **argv)
{
    static const struct option options[] = {
        {"domain", required_argument, NULL, 'd'},
        {"mode", required_argument, NULL, 'm'},
        {"mx", required_argument, NULL, 'x'},
        {"max-age", required_argument, NULL, 'a'},
        {"id", required_argument, NULL, 'i'},
        {"ttl", required_argument, NULL, 't'},
        {"format", required_argument, NULL, 'f'},
        {"provider", required_argument, NULL, 'p'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    const char *domain = NULL, *mode_text = NULL, *max_age_text = NULL, *id = NULL, *ttl_text = NULL;
    const char *provider_name = NULL;
    const char *format = "text";
    const char **mx = calloc((size_t)argc + 1, sizeof *mx);
    size_t n_mx = 0;
    int ch;
    if (mx == NULL)
        return fail_library("sts generate", "options", TLSRPT_ENOMEM);
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 'd': domain = optarg; break;
        case 'm': mode_text = optarg; break;
        case 'x': mx[n_mx++] = optarg; break;
        case 'a': max_age_text = optarg; break;
        case 'i': id = optarg; break;
        case 't': ttl_text = optarg; break;
        case 'f': format = optarg; break;
        case 'p': provider_name = optarg; break;
        case 'j': format = "json"; break;
        case 'h': free(mx); fputs(GENERATE_HELP, stdout); return EXIT_OK;
        default: free(mx); return option_error("sts generate", ch, argv);
        }
    }
    struct generated g = {.domain_arg = domain, .ttl = 3600};
    uint32_t max_age = 0;
    int mode = mode_text ? mode_of(mode_text) : -1, status = EXIT_OK, rc;
    enum provider provider = provider_name ? provider_by_name(provider_name) : PROVIDER_NONE;
    static const char *const FORMATS[] = {"text", "zone", "record", "policy", "json", "route53", "cloudflare",
                                          "nsupdate"};
    size_t f = 0;
    while (f < sizeof FORMATS / sizeof FORMATS[0] && strcmp(format, FORMATS[f]) != 0)
        f++;
    if (f == sizeof FORMATS / sizeof FORMATS[0])
        status = usage_error("sts generate",
                             "unknown format (text, zone, record, policy, json, route53, cloudflare or nsupdate):",
                             format);
    else if (provider_name != NULL && provider == PROVIDER_NONE)
        status = usage_error("sts generate", "unknown provider (cloudflare, route53, registro.br or generic):",
                             provider_name);
    else if (optind < argc)
        status = usage_error("sts generate", "unexpected argument", argv[optind]);
    else if (domain == NULL)
        status = usage_error("sts generate", "missing --domain", NULL);
    else if (mode_text == NULL || mode < 0)
        status = usage_error("sts generate", "missing or unknown --mode (testing, enforce or none):", mode_text);
    else if (max_age_text == NULL ||
             parse_uint32_option(max_age_text, 0, TLSRPT_MAX_STS_MAX_AGE, &max_age) != 0)
        status = usage_error("sts generate", "missing or invalid --max-age (0 to 31557600 seconds):", max_age_text);
    else if (ttl_text != NULL && parse_uint32_option(ttl_text, 0, 2147483647u, &g.ttl) != 0)
        status = usage_error("sts generate", "invalid --ttl (0 to 2147483647 seconds):", ttl_text);
    else if (n_mx == 0 && mode != TLSRPT_STS_MODE_NONE)
        status = usage_error("sts generate", "missing --mx (each MX host name or *.suffix the policy allows)",
                             NULL);
    if (status != EXIT_OK) {
        free(mx);
        return status;
    }

    char default_id[32];
    if (id == NULL) {
        /* The CLI may read the clock (the library never does). */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(default_id, sizeof default_id, "%Y%m%dT%H%M%SZ", &tm);
        id = default_id;
    }
    tlsrpt_sts_record *rec = NULL;
    rc = tlsrpt_sts_txt_qname(domain, &g.txt_name);
    if (rc == TLSRPT_EINVAL) {
        status = usage_error("sts generate", "not a domain name:", domain);
        goto done;
    }
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_policy_url(domain, &g.url);
    if (rc == TLSRPT_OK && (rc = tlsrpt_sts_record_new(&rec, id)) == TLSRPT_EINVAL) {
        status = usage_error("sts generate", "invalid --id (1 to 32 letters and digits):", id);
        goto done;
    }
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_record_serialize(rec, &g.record, NULL);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_policy_new(&g.p, mode, max_age);
    for (size_t i = 0; i < n_mx && rc == TLSRPT_OK; i++) {
        rc = tlsrpt_sts_policy_add_mx(g.p, mx[i]);
        if (rc == TLSRPT_EINVAL || rc == TLSRPT_ELIMIT) {
            fprintf(stderr, "%s sts generate: ", PROGRAM);
            put_escaped_string(stderr, mx[i]);
            fputs(rc == TLSRPT_EINVAL ? ": not an MX host name or *.suffix pattern (A-labels or U-labels)\n"
                                      : ": too many --mx patterns\n",
                  stderr);
            status = EXIT_INVALID;
            goto done;
        }
    }
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_policy_serialize(g.p, &g.policy, &g.policy_len);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&g.lint);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_sts_policy_lint(g.p, 0, NULL, 0, g.lint);
    if (rc != TLSRPT_OK) {
        status = fail_library("sts generate", "building the policy", rc);
        goto done;
    }
    if (strcmp(format, "json") == 0) {
        print_generated_json(&g);
    } else if (strcmp(format, "zone") == 0) {
        put_escaped_string(stdout, g.txt_name);
        printf(" %u IN TXT \"", (unsigned)g.ttl);
        put_escaped_string(stdout, g.record);
        fputs("\"\n", stdout);
    } else if (strcmp(format, "record") == 0) {
        put_escaped_string(stdout, g.record);
        fputc('\n', stdout);
    } else if (strcmp(format, "policy") == 0) {
        fwrite(g.policy, 1, g.policy_len, stdout);
    } else if (provider != PROVIDER_NONE || strcmp(format, "route53") == 0 || strcmp(format, "cloudflare") == 0 ||
               strcmp(format, "nsupdate") == 0) {
        if (print_sts_for_provider(&g, format, provider, ttl_text != NULL) != 0)
            status = fail_library("sts generate", "printing the record", TLSRPT_ENOMEM);
    } else {
        print_generated_text(&g);
    }
done:
    tlsrpt_sts_record_free(rec);
    generated_free(&g);
    free(mx);
    return status;
}

/* ---- sts check --------------------------------------------------------------------------------------------------- */

/* Reads at most `max` + 1 bytes of a stream (so that the library sees an over-long input as such). */
static int read_bounded(FILE *in, size_t max, char **out, size_t *out_len)
{
    size_t cap = max + 1, len = 0;
    char *buf = malloc(cap + 1);
    if (buf == NULL)
        return -1;
    while (len < cap) {
        size_t n = fread(buf + len, 1, cap - len, in);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(in)) {
        free(buf);
        return -1;
    }
    buf[len] = '\0';
    *out = buf;
    *out_len = len;
    return 0;
}

struct sts_checked {
    int is_policy, strict, parsed, valid;
    const char *input;
    size_t input_len;
    tlsrpt_sts_record *record;
    tlsrpt_sts_policy *policy;
    tlsrpt_diag *diag, *lint;
    struct finding_counts counts;
};

static void print_sts_checked_json(const struct sts_checked *c)
{
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_bool(w, "valid", c->valid);
    json_member_string(w, "status", parse_status_name(c->parsed));
    json_member_string(w, "kind", c->is_policy ? "policy" : "record");
    json_member_bool(w, "strict", c->strict);
    json_key(w, "input");
    json_string(w, c->input, c->input_len);
    if (c->is_policy) {
        json_key(w, "policy");
        if (c->policy) {
            json_begin_object(w);
            json_sts_policy_fields(w, c->policy);
            json_end_object(w);
        } else {
            json_null(w);
        }
    } else {
        json_key(w, "record");
        json_sts_record(w, c->record);
    }
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {c->diag, c->lint};
    json_findings(w, lists, 2, 0);
    json_counts(w, &c->counts);
    json_end_object(w);
    json_finish(w);
}

static void print_sts_checked_text(const struct sts_checked *c)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    if (c->is_policy)
        print_line_findings(f, colour, c->diag, c->input, c->input_len);
    else
        print_findings_with_hints(f, colour, c->diag, c->input, c->input_len);
    print_findings_with_hints(f, colour, c->lint, NULL, 0);
    if (c->record) {
        fputs("id: ", f);
        put_escaped_string(f, tlsrpt_sts_record_id(c->record));
        fputc('\n', f);
    }
    if (c->policy)
        print_sts_policy_summary(f, c->policy);
    print_summary_line(f, validity_name(c->valid, c->counts.errors == 0 && c->parsed == TLSRPT_OK), NULL,
                       &c->counts);
}

static int sts_check(int argc, char **argv)
{
    static const struct option options[] = {
        {"record", no_argument, NULL, 'r'},
        {"policy", no_argument, NULL, 'p'},
        {"mx", required_argument, NULL, 'x'},
        {"strict", no_argument, NULL, 's'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    int kind = -1, strict = 0, ch;
    enum output_format output = OUTPUT_TEXT;
    const char **mx = calloc((size_t)argc + 1, sizeof *mx);
    size_t n_mx = 0;
    if (mx == NULL)
        return fail_library("sts check", "options", TLSRPT_ENOMEM);
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 'r': kind = 0; break;
        case 'p': kind = 1; break;
        case 'x': mx[n_mx++] = optarg; break;
        case 's': strict = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'h': free(mx); fputs(CHECK_HELP, stdout); return EXIT_OK;
        default: free(mx); return option_error("sts check", ch, argv);
        }
    }
    if (optind >= argc || argc - optind > 1) {
        free(mx);
        return optind >= argc ? usage_error("sts check", "missing TEXT, FILE or '-'", NULL)
                              : usage_error("sts check", "unexpected argument", argv[optind + 1]);
    }
    const char *arg = argv[optind];
    char *input = NULL;
    size_t input_len = 0;
    FILE *in = NULL;
    if (strcmp(arg, "-") == 0)
        in = stdin;
    else if (kind != 0)
        in = fopen(arg, "rb"); /* a file of that name, or else the text itself */
    if (in != NULL) {
        int err = read_bounded(in, TLSRPT_MAX_STS_POLICY_SIZE, &input, &input_len);
        int saved = errno;
        if (in != stdin)
            fclose(in);
        if (err != 0) {
            fprintf(stderr, "%s sts check: cannot read %s: %s\n", PROGRAM, in == stdin ? "standard input" : arg,
                    strerror(saved));
            free(mx);
            return EXIT_USAGE;
        }
    } else {
        input_len = strlen(arg);
        input = malloc(input_len + 1);
        if (input == NULL) {
            free(mx);
            return fail_library("sts check", "reading the input", TLSRPT_ENOMEM);
        }
        memcpy(input, arg, input_len + 1);
    }
    if (kind == -1)
        kind = !(input_len >= 2 && input[0] == 'v' && input[1] == '=');
    /* A record is one line: the trailing newline of `echo` or a file is not part of it. */
    if (kind == 0 && input_len > 0 && input[input_len - 1] == '\n')
        input[--input_len] = '\0';

    struct sts_checked c = {.is_policy = kind, .strict = strict, .input = input, .input_len = input_len};
    int status = EXIT_OK;
    int rc = tlsrpt_diag_new(&c.diag);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_diag_new(&c.lint);
    if (rc != TLSRPT_OK) {
        status = fail_library("sts check", "diagnostics", rc);
        goto done;
    }
    c.parsed = kind ? tlsrpt_sts_policy_parse(&c.policy, input, input_len, c.diag)
                    : tlsrpt_sts_record_parse(&c.record, input, input_len, c.diag);
    if (c.parsed == TLSRPT_ENOMEM || c.parsed == TLSRPT_EINVAL) {
        status = fail_library("sts check", "parsing", c.parsed);
        goto done;
    }
    if (c.policy) {
        rc = tlsrpt_sts_policy_lint(c.policy, 0, n_mx ? mx : NULL, n_mx, c.lint);
        if (rc != TLSRPT_OK) {
            status = rc == TLSRPT_EINVAL ? usage_error("sts check", "an --mx value is not a host name", NULL)
                                         : fail_library("sts check", "lint", rc);
            goto done;
        }
    }
    count_findings(c.diag, &c.counts);
    count_findings(c.lint, &c.counts);
    c.valid = c.parsed == TLSRPT_OK && c.counts.errors == 0 && !(strict && c.counts.warnings > 0);
    status = c.valid ? EXIT_OK : EXIT_INVALID;
    if (output == OUTPUT_JSON)
        print_sts_checked_json(&c);
    else
        print_sts_checked_text(&c);
done:
    tlsrpt_sts_record_free(c.record);
    tlsrpt_sts_policy_free(c.policy);
    tlsrpt_diag_free(c.diag);
    tlsrpt_diag_free(c.lint);
    free(input);
    free(mx);
    return status;
}

/* ---- dispatch ---------------------------------------------------------------------------------------------------- */

int cmd_sts(int argc, char **argv)
{
    if (argc < 2)
        return usage_error("sts", "missing COMMAND (generate, check or lookup)", NULL);
    const char *sub = argv[1];
    if (strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
        fputs(STS_HELP, stdout);
        return EXIT_OK;
    }
    /* The subcommand's argv starts at its name, as a command's does. */
    if (strcmp(sub, "generate") == 0)
        return sts_generate(argc - 1, argv + 1);
    if (strcmp(sub, "check") == 0)
        return sts_check(argc - 1, argv + 1);
    if (strcmp(sub, "lookup") == 0)
        return cmd_sts_lookup(argc - 1, argv + 1);
    return usage_error("sts", "unknown command", sub);
}
