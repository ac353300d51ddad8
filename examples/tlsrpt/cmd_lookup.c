/* tlsrpt lookup: the record checker. Looks up what a domain really publishes at _smtp._tls.DOMAIN, gives the
 * RFC 8460 verdict, and checks the authorization records of destinations outside the domain's organization.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"
#include "record_view.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>


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

/* The name that owns the TXT records: the end of the CNAME chain, or the query name. */
static const char *txt_owner(const tlsrpt_lookup_result *l)
{
    size_t n = tlsrpt_lookup_result_cname_count(l);
    return n ? tlsrpt_lookup_result_cname(l, n - 1) : tlsrpt_lookup_result_qname(l);
}

/* One character-string in master-file form (RFC 1035 section 5.1), as drill prints it: in double quotes, '"' and
 * '\' escaped with a backslash, bytes outside printable ASCII as \DDD. */
static void put_character_string(FILE *f, const char *s, size_t len)
{
    fputc('"', f);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            fprintf(f, "\\%03u", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

/* The start of an RR line of the answer section: "answer: NAME<TAB>TTL<TAB>IN<TAB>TYPE<TAB>" (the TTL column only
 * when it is known), the columns drill prints. */
static void put_rr_start(FILE *f, const char *name, int64_t ttl, const char *type)
{
    fputs("answer: ", f);
    put_escaped_string(f, name);
    if (ttl != TLSRPT_TTL_UNKNOWN)
        fprintf(f, "\t%lld", (long long)ttl);
    fprintf(f, "\tIN\t%s\t", type);
}

/* What DNS said, the way drill shows it: the CNAME chain and the TXT RRs with their TTLs and original strings, and
 * the server that answered. */
static void print_answer_section(FILE *f, const tlsrpt_lookup_result *l)
{
    size_t n_cnames = tlsrpt_lookup_result_cname_count(l);
    for (size_t i = 0; i < n_cnames; i++) {
        put_rr_start(f, i == 0 ? tlsrpt_lookup_result_qname(l) : tlsrpt_lookup_result_cname(l, i - 1),
                     tlsrpt_lookup_result_cname_ttl(l, i), "CNAME");
        put_escaped_string(f, tlsrpt_lookup_result_cname(l, i));
        fputc('\n', f);
    }
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        put_rr_start(f, txt_owner(l), tlsrpt_lookup_result_txt_ttl(l, i), "TXT");
        for (size_t j = 0; j < tlsrpt_lookup_result_txt_string_count(l, i); j++) {
            if (j > 0)
                fputc(' ', f);
            put_character_string(f, tlsrpt_lookup_result_txt_string(l, i, j),
                                 tlsrpt_lookup_result_txt_string_length(l, i, j));
        }
        fputc('\n', f);
    }
    if (tlsrpt_lookup_result_server(l) != NULL)
        fprintf(f, "server: %s port %u\n", tlsrpt_lookup_result_server(l),
                (unsigned int)tlsrpt_lookup_result_server_port(l));
}

static int print_looked_up_text(const struct looked_up *q)
{
    FILE *f = stdout;
    int colour = stream_wants_colour(f);
    const tlsrpt_lookup_result *l = q->result;
    fputs("query: ", f);
    put_escaped_string(f, tlsrpt_lookup_result_qname(l));
    fputc('\n', f);
    print_answer_section(f, l);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        fputs("txt: ", f);
        put_escaped(f, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i), 0);
        fputc('\n', f);
    }
    fputs(tlsrpt_lookup_result_authenticated(l) ? "dnssec: authenticated (the resolver set the AD bit)\n"
                                                : "dnssec: not authenticated\n",
          f);
    print_findings_with_hints(f, colour, tlsrpt_lookup_result_diag(l), q->subject, q->subject_len);
    if (q->record != NULL) {
        int rc = print_record_summary(f, q->record);
        if (rc != TLSRPT_OK)
            return rc;
        for (size_t i = 0; i < q->n_checks; i++)
            if (q->checks[i].verdict != NULL)
                print_authorization_line(f, tlsrpt_record_rua(q->record, i), &q->checks[i]);
        print_findings_with_hints(f, colour, q->lint, q->canonical, q->canonical_len);
        print_findings_with_hints(f, colour, q->authorization, NULL, 0);
    }
    print_summary_line(f, lookup_status_name(tlsrpt_lookup_result_status(l)),
                       q->authorization_tempfail ? " (authorization incomplete: temporary DNS failure)" : NULL,
                       &q->counts);
    return TLSRPT_OK;
}

static void json_ttl(struct json_writer *w, int64_t ttl)
{
    json_key(w, "ttl");
    if (ttl == TLSRPT_TTL_UNKNOWN)
        json_null(w);
    else
        json_uint64(w, (uint64_t)ttl);
}

/* "answer": the RRs of the answer section as drill lists them (the CNAME chain, then the TXT RRs with their
 * original strings), and "server": the address and port that answered, or null. */
static void json_answer_section(struct json_writer *w, const tlsrpt_lookup_result *l)
{
    json_key(w, "answer");
    json_begin_array(w);
    size_t n_cnames = tlsrpt_lookup_result_cname_count(l);
    for (size_t i = 0; i < n_cnames; i++) {
        json_begin_object(w);
        json_member_string(w, "name", i == 0 ? tlsrpt_lookup_result_qname(l) : tlsrpt_lookup_result_cname(l, i - 1));
        json_ttl(w, tlsrpt_lookup_result_cname_ttl(l, i));
        json_member_string(w, "type", "CNAME");
        json_member_string(w, "target", tlsrpt_lookup_result_cname(l, i));
        json_end_object(w);
    }
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        json_begin_object(w);
        json_member_string(w, "name", txt_owner(l));
        json_ttl(w, tlsrpt_lookup_result_txt_ttl(l, i));
        json_member_string(w, "type", "TXT");
        json_key(w, "strings");
        json_begin_array(w);
        for (size_t j = 0; j < tlsrpt_lookup_result_txt_string_count(l, i); j++)
            json_string(w, tlsrpt_lookup_result_txt_string(l, i, j), tlsrpt_lookup_result_txt_string_length(l, i, j));
        json_end_array(w);
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "server");
    if (tlsrpt_lookup_result_server(l) == NULL) {
        json_null(w);
    } else {
        json_begin_object(w);
        json_member_string(w, "address", tlsrpt_lookup_result_server(l));
        json_member_size(w, "port", tlsrpt_lookup_result_server_port(l));
        json_end_object(w);
    }
}

static void print_looked_up_json(const struct looked_up *q)
{
    const tlsrpt_lookup_result *l = q->result;
    struct json_writer json, *w = &json;
    json_start(w, stdout);
    json_begin_object(w);
    json_member_string(w, "domain", q->domain);
    json_member_string(w, "qname", tlsrpt_lookup_result_qname(l));
    json_member_string(w, "status", lookup_status_name(tlsrpt_lookup_result_status(l)));
    json_member_bool(w, "valid", q->record != NULL);
    json_member_bool(w, "authenticated", tlsrpt_lookup_result_authenticated(l));
    json_key(w, "txt");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++)
        json_string(w, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i));
    json_end_array(w);
    json_answer_section(w, l);
    json_key(w, "record");
    if (q->canonical)
        json_string(w, q->canonical, q->canonical_len);
    else
        json_null(w);
    json_record_fields(w, q->record, q->checks);
    json_member_bool(w, "authorization_complete", !q->authorization_tempfail);
    json_key(w, "findings");
    const tlsrpt_diag *lists[] = {tlsrpt_lookup_result_diag(l), q->lint, q->authorization};
    json_findings(w, lists, 3, 0);
    json_counts(w, &q->counts);
    json_end_object(w);
    json_finish(w);
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
        rc = check_destination(q->domain, q->record, res, i, skip_dns, q->authorization, &q->checks[i],
                               &q->authorization_tempfail);
    return rc;
}

int cmd_lookup(int argc, char **argv)
{
    static const struct option options[] = {
        {"server", required_argument, NULL, 's'},
        {"timeout", required_argument, NULL, 't'},
        {"no-authorization", no_argument, NULL, 'n'},
        OPTION_JSON,
        OPTION_HELP,
        OPTIONS_END,
    };
    const char *server = NULL, *timeout_text = NULL;
    uint32_t timeout = 0;
    int skip_dns = 0, ch;
    enum output_format output = OUTPUT_TEXT;
    char address[64];
    uint16_t port = 0;
    /* Option values are checked after the loop, so that --help wins over them. */
    while ((ch = next_option(argc, argv, options)) != -1) {
        switch (ch) {
        case 's': server = optarg; break;
        case 't': timeout_text = optarg; break;
        case 'n': skip_dns = 1; break;
        case 'j': output = OUTPUT_JSON; break;
        case 'h': fputs(LOOKUP_HELP, stdout); return EXIT_OK;
        default: return option_error("lookup", ch, argv);
        }
    }
    if (server != NULL && parse_server_option(server, address, sizeof address, &port) != 0)
        return usage_error("lookup", "invalid server (ADDR, ADDR:PORT or [IPv6]:PORT):", server);
    if (timeout_text != NULL && parse_uint32_option(timeout_text, 1, MAX_TIMEOUT_MS, &timeout) != 0)
        return usage_error("lookup", "invalid timeout (1 to 60000 milliseconds):", timeout_text);
    if (optind >= argc)
        return usage_error("lookup", "missing DOMAIN", NULL);
    if (argc - optind > 1)
        return usage_error("lookup", "unexpected argument", argv[optind + 1]);
    if (check_domain_argument("lookup", argv[optind]) != EXIT_OK)
        return EXIT_USAGE;

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
        status = rc == TLSRPT_EINVAL ? domain_usage_error("lookup", q.domain)
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
    if (output == OUTPUT_JSON) {
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
