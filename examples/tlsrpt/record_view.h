/* tlsrpt — a parsed record as check and lookup show it: its summary lines, its JSON members, and the authorization
 * record names of its destinations (also used by generate).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_RECORD_VIEW_H
#define TLSRPT_CLI_RECORD_VIEW_H

#include "output.h"

#include <tlsrpt/tlsrpt.h>

/* The record the owner of an external destination publishes. */
#define AUTHORIZATION_VALUE "v=TLSRPTv1"

/* What lookup found out about one destination's external authorization. */
struct destination_check {
    int external;        /* 1 outside DOMAIN's organizational domain, 0 inside, -1 no host name (not applicable) */
    char *name;          /* the authorization record name "<domain>._report._tls.<host>.", or NULL */
    const char *verdict; /* "not-required", "authorized", "not-authorized", "temporary-failure", "not-checked",
                          * or NULL when not applicable */
};

/* Prints "record: CANONICAL", then a "rua:" line per destination and an "extension:" line per extension. Returns
 * TLSRPT_OK or the error of tlsrpt_record_serialize(). */
int print_record_summary(FILE *f, const tlsrpt_record *r);

/* The members "rua": [...] and "extensions": [...] of a record (empty arrays for NULL). With `checks` (one per
 * destination), each destination also gets "external", "authorization_name" and "authorization". */
void json_record_fields(struct json_writer *w, const tlsrpt_record *r, const struct destination_check *checks);

/* The members of a record object the library wrote (tlsrpt_record_to_json, compact): "value", "strings", "rua" (with
 * "external" and "authorization_name") and "extensions"; for NULL (no record) "value" null and empty arrays. */
void json_record_members(struct json_writer *w, const char *record_json, size_t len);

/* The absolute name "NAME." of an authorization record, from the name tlsrpt_authorization_name() allocated, which
 * this frees. Returns a string to free(), or NULL when out of memory. */
char *absolute_authorization_name(char *name);

/* Classifies destination i of `record` (published by `domain`) and, unless `skip_dns`, checks its authorization
 * through res, adding the findings to diag and setting *tempfail on a temporary DNS failure. Fills c (c->name is
 * to be freed). Returns TLSRPT_OK or the library error that stops the command (ENOMEM, EINVAL). */
int check_destination(const char *domain, const tlsrpt_record *record, tlsrpt_resolver *res, size_t i,
                      int skip_dns, tlsrpt_diag *diag, struct destination_check *c, int *tempfail);

/* "authorization: URI: VERDICT[; expects NAME TXT "v=TLSRPTv1"]" for a checked destination. */
void print_authorization_line(FILE *f, const tlsrpt_uri *u, const struct destination_check *c);

#endif
