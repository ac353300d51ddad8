/* tlsrpt — the command-line face of libtlsrpt, and its worked example: main(), the command table and dispatch, the
 * global options (--help, --version), and the failures of the program itself (exit status 2): a library call that
 * fails for a reason other than the input, and a write error on standard output.
 * SPDX-License-Identifier: MIT
 *
 * It uses only the public API (<tlsrpt/tlsrpt.h>). Each command is one handler in its own file (cmd_NAME.c), listed
 * in the table below; output.c holds what every command prints the same way (README.md: "Adding a command").
 *
 * Exit status: 0 success, 1 the input is invalid or unusable, 2 usage or I/O error, 3 temporary DNS failure
 * (see tlsrpt(1)). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <tlsrpt/tlsrpt.h>

struct command {
    const char *name;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
    const char *summary;               /* one line of `tlsrpt --help` */
};

static const struct command COMMANDS[] = {
    {"generate", cmd_generate, "build a TLSRPT record from report destinations"},
    {"check", cmd_check, "check the syntax of a TLSRPT record and lint it"},
    {"lookup", cmd_lookup, "look up a domain's TLSRPT record in DNS and check it"},
    {"report", cmd_report, "read TLS reports (JSON or gzip) and summarize them"},
    {"sts", cmd_sts, "MTA-STS (RFC 8461): generate, check and look up policies"},
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

int fail_library(const char *command, const char *what, int code)
{
    fprintf(stderr, "%s %s: %s: %s\n", PROGRAM, command, what, tlsrpt_status_string(code));
    return EXIT_USAGE;
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
