/* tlsrpt — MTA-STS objects as the sts commands show them (summary lines, JSON members), and the MX lookup of
 * `sts lookup` (mx_lookup.c).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_STS_VIEW_H
#define TLSRPT_CLI_STS_VIEW_H

#include "output.h"

#include <tlsrpt/tlsrpt.h>

/* cmd_sts_lookup.c: `tlsrpt sts lookup` (argv[0] is "lookup"). */
int cmd_sts_lookup(int argc, char **argv);

/* "policy: LINE" for each line of the policy as a report's policy-string lists it. */
void print_sts_policy_summary(FILE *f, const tlsrpt_sts_policy *p);
/* The members "mode", "max_age", "mx" [...], "extensions" [{name, value}] and "policy_strings" [...] of a policy. */
void json_sts_policy_fields(struct json_writer *w, const tlsrpt_sts_policy *p);
/* A record as {"id", "extensions": [{name, value}]}, or null. */
void json_sts_record(struct json_writer *w, const tlsrpt_sts_record *r);
/* "testing", "enforce" or "none". */
const char *sts_mode_name(int mode);

/* ---- mx_lookup.c: the MX records of a domain, asked with ldns directly (the library's resolver answers TXT
 * queries only; an MTA has its MX hosts already). ---- */
struct mx_host {
    unsigned preference;
    char *host; /* lower case, no trailing dot */
};
struct mx_answer {
    int status; /* TLSRPT_OK (hosts may be empty: no MX records), TLSRPT_ENOTFOUND (NXDOMAIN), TLSRPT_ETEMPFAIL */
    char *error; /* why, for ETEMPFAIL */
    struct mx_host *hosts;
    size_t n;
};
/* Looks up the MX records of `domain` (A-labels) at `server` (NULL: the system's resolv.conf) with `timeout_ms`
 * per try. Returns 0, or -1 when out of memory. The hosts are sorted by preference, then name. */
int mx_lookup(const char *domain, const char *server, uint16_t port, uint32_t timeout_ms, struct mx_answer *out);
void mx_answer_free(struct mx_answer *a);

#endif
