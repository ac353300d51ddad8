/* tlsrpt — what every file of the command-line program shares: the exit statuses, the program's name, the command
 * handlers of the command table (main.c), option parsing and usage errors (usage.c).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_H
#define TLSRPT_CLI_H

#include <stddef.h>
#include <stdint.h>

/* Exit statuses (tlsrpt(1)): success (0), the input is invalid or unusable (1), usage or I/O error (2), temporary DNS
 * failure (3). */
#define EXIT_OK 0
#define EXIT_INVALID 1
#define EXIT_USAGE 2
#define EXIT_TEMPFAIL 3

#define PROGRAM "tlsrpt"

/* The commands (one file each, cmd_NAME.c). argv[0] is the command name; each returns the exit status. */
int cmd_generate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_lookup(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_sts(int argc, char **argv);

/* usage.c: the options of a command and the usage errors (exit status 2). */

struct option;
/* Entries of the commands' option tables: --help (as 'h'), --json (as 'j', where a command has it), the end. */
#define OPTION_HELP {"help", no_argument, NULL, 'h'}
#define OPTION_JSON {"json", no_argument, NULL, 'j'}
#define OPTIONS_END {NULL, 0, NULL, 0}
/* getopt_long() over a command's argv (argv[0] is the command name) with the option table `options` and -h; the
 * first call of the process starts from argv[1]. Returns the option's value, ':' (a missing argument), '?' (an
 * unknown option) or -1 after the last option, with optarg and optind as getopt_long() sets them. */
int next_option(int argc, char **argv, const struct option *options);
/* An option's value as a decimal number from min to max (digits only: no sign, no white space). Returns 0, or -1
 * and leaves *out alone. */
int parse_uint32_option(const char *text, uint32_t min, uint32_t max, uint32_t *out);
/* A usage error: "tlsrpt COMMAND: PROBLEM 'DETAIL'" (COMMAND and DETAIL may be NULL), then a line pointing at
 * --help. */
/* The problem text of a refused domain: usage_error() then adds the reason tlsrpt_domain_check() gives. */
#define NOT_A_DOMAIN "not a domain name:"
int usage_error(const char *command, const char *problem, const char *detail);
/* The usage error for getopt_long's return value '?' or ':' (opterr 0, an optstring starting with ':'). */
int option_error(const char *command, int ch, char **argv);
/* A DOMAIN argument that is a record name (_smtp._tls.example.com), an e-mail address or a URL: prints the usage
 * error (NOT_A_DOMAIN, the library's reason, and a "hint:" line naming the domain it most likely meant) and returns
 * EXIT_USAGE; EXIT_OK otherwise. */
int check_domain_argument(const char *command, const char *domain);
/* The usage error for a DOMAIN the library refused (NOT_A_DOMAIN). */
int domain_usage_error(const char *command, const char *domain);
/* --server ADDR[:PORT]: the address and the port (0 when not given: the DNS port). An IPv6 address with a port is
 * written in brackets; a bare IPv6 address (two ':' or more) is taken whole. Returns 0, or -1. */
int parse_server_option(const char *arg, char *addr, size_t addr_size, uint16_t *port);
/* main.c: a failed library call that is not about the input (ENOMEM, EINVAL), "tlsrpt COMMAND: WHAT: status
 * sentence" on stderr; returns EXIT_USAGE. */
int fail_library(const char *command, const char *what, int code);

#endif
