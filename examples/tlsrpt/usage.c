/* tlsrpt — command-line usage: the option loop every command runs, and the usage errors (exit status 2) when an
 * argument is unknown, missing or malformed.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int next_option(int argc, char **argv, const struct option *options)
{
    /* opterr 0 and the leading ':' make getopt_long quiet and tell a missing argument (':') from an unknown option
     * ('?'), so that option_error() says it in the program's words. A process runs one command, so optind is still
     * at its initial 1 on the first call. */
    opterr = 0;
    return getopt_long(argc, argv, ":h", options, NULL);
}

int parse_uint32_option(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
    if (*text < '0' || *text > '9')
        return -1; /* strtoull would take a sign or white space */
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return -1;
    *out = (uint32_t)v;
    return 0;
}

/* ---- DOMAIN arguments ----------------------------------------------------------------------------------------
 * What people give where a domain is asked for (doc/diagnostics.md, "Fix-it hints"): the record's name, an e-mail
 * address, a URL. tlsrpt_domain_check() says which (domain-record-name, domain-email-address, domain-url); the
 * program adds a "hint:" line with the domain the argument most likely meant. */

static int starts_with_nocase(const char *s, const char *prefix)
{
    for (; *prefix; s++, prefix++)
        if (*s == '\0' || (*s | 0x20) != (*prefix | 0x20))
            return 0;
    return 1;
}

/* The domain the argument most likely meant, written to out (at most size - 1 bytes), and the kind of mistake; NULL
 * when the argument is none of the recognized mistakes. */
static const char *domain_mistake(const char *arg, char *out, size_t size)
{
    const char *id = NULL, *start = arg, *end;
    const char *scheme = strstr(arg, "://");
    if (starts_with_nocase(arg, "_smtp._tls.") || starts_with_nocase(arg, "_mta-sts.")) {
        id = "domain-record-name";
        start = strchr(arg + 1, '.') + 1;
        if (start[0] == '_')
            start = strchr(start, '.') + 1; /* "_smtp._tls." has two labels */
        end = start + strlen(start);
    } else if (scheme != NULL && strchr(arg, '.') != NULL && scheme < strchr(arg, '.')) {
        id = "domain-url";
        start = scheme + 3;
        const char *at = strchr(start, '@'), *slash = strchr(start, '/');
        if (at != NULL && (slash == NULL || at < slash))
            start = at + 1;
        end = start + strcspn(start, ":/?#");
    } else if (strchr(arg, '@') != NULL) {
        id = "domain-email-address";
        start = strrchr(arg, '@') + 1;
        end = start + strcspn(start, ">?");
    } else {
        return NULL;
    }
    if (end > start && end[-1] == '.')
        end--;
    size_t n = (size_t)(end - start);
    if (n == 0 || n >= size)
        return NULL;
    memcpy(out, start, n);
    out[n] = '\0';
    return id;
}

/* Every command that refuses a domain says NOT_A_DOMAIN: the library's one rule then says why, as a finding line
 * ("error: ... [domain-...]"), between the problem and the pointer to --help. */
static void put_domain_reason(const char *domain)
{
    tlsrpt_diag *d = NULL;
    if (tlsrpt_diag_new(&d) == TLSRPT_OK && tlsrpt_domain_check(domain, d) == TLSRPT_EINVAL) {
        for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
            if (tlsrpt_diag_severity(d, i) == TLSRPT_SEVERITY_ERROR)
                fprintf(stderr, "error: %s [%s]\n", tlsrpt_diag_message(d, i), tlsrpt_diag_id(d, i));
    }
    tlsrpt_diag_free(d);
    char meant[256];
    if (domain_mistake(domain, meant, sizeof meant) != NULL) {
        fputs("hint: did you mean '", stderr);
        put_escaped_string(stderr, meant);
        fputs("'?\n", stderr);
    }
}

/* One line naming the problem (and for a domain, why), one pointing at --help. */
int usage_error(const char *command, const char *problem, const char *detail)
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
    fputc('\n', stderr);
    if (detail && strcmp(problem, NOT_A_DOMAIN) == 0)
        put_domain_reason(detail);
    fprintf(stderr, "Try '%s%s%s --help'.\n", PROGRAM, command ? " " : "", command ? command : "");
    return EXIT_USAGE;
}

/* ch is '?' (unknown option) or ':' (missing argument). glibc sets optopt to the option character of an unknown short
 * option and to 0 for an unknown long one, which is then the last argument it consumed. */
int option_error(const char *command, int ch, char **argv)
{
    if (ch == ':')
        return usage_error(command, "option requires an argument:", argv[optind - 1]);
    if (optopt != 0) {
        char shortopt[3] = {'-', (char)optopt, '\0'};
        return usage_error(command, "unknown option", shortopt);
    }
    return usage_error(command, "unknown option", argv[optind - 1]);
}

/* Splits --server ADDR[:PORT] into the address and the port (0 when not given: the DNS port). An IPv6 address
 * with a port is written in brackets; a bare IPv6 address (two ':' or more) is taken whole, without a port.
 * Whether the address is an IP literal is left to tlsrpt_resolver_set_nameserver(). Returns 0, or -1. */
int parse_server_option(const char *arg, char *addr, size_t addr_size, uint16_t *port)
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

int check_domain_argument(const char *command, const char *domain)
{
    char meant[256];
    if (domain_mistake(domain, meant, sizeof meant) == NULL)
        return EXIT_OK;
    return usage_error(command, NOT_A_DOMAIN, domain);
}

int domain_usage_error(const char *command, const char *domain)
{
    return usage_error(command, NOT_A_DOMAIN, domain);
}
