/* tlsrpt — the program's own error messages: usage errors, option errors and library failures (exit status 2).
 * Findings about the input are not errors of the program; output.c prints those.
 * SPDX-License-Identifier: MIT */
#include "cli.h"
#include "output.h"

#include <getopt.h>
#include <stdio.h>

#include <tlsrpt/tlsrpt.h>

int fail_library(const char *command, const char *what, int code)
{
    fprintf(stderr, "%s %s: %s: %s\n", PROGRAM, command, what, tlsrpt_status_string(code));
    return EXIT_USAGE;
}

/* One line naming the problem, one pointing at --help. */
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
    fprintf(stderr, "\nTry '%s%s%s --help'.\n", PROGRAM, command ? " " : "", command ? command : "");
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
