/* tlsrpt — what every file of the command-line program shares: the exit statuses, the program's name, the command
 * handlers of the command table (main.c) and the program's own error messages (errors.c).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_H
#define TLSRPT_CLI_H

/* Exit statuses (tlsrpt(1)): the input is invalid or unusable (1), usage or I/O error (2), temporary DNS failure (3). */
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

/* errors.c: the messages tlsrpt writes on standard error on its own behalf, each returning EXIT_USAGE. */

/* A usage error: "tlsrpt COMMAND: PROBLEM 'DETAIL'" (COMMAND and DETAIL may be NULL), then a line pointing at --help. */
int usage_error(const char *command, const char *problem, const char *detail);
/* The usage error for getopt_long's return value '?' or ':' (opterr 0, an optstring starting with ':'). */
int option_error(const char *command, int ch, char **argv);
/* A failed library call that is not about the input (ENOMEM, EINVAL): "tlsrpt COMMAND: WHAT: status sentence". */
int fail_library(const char *command, const char *what, int code);

#endif
