/* tlsrpt — TXT records as a DNS provider wants them: an Amazon Route 53 change batch, a Cloudflare API record body,
 * an nsupdate (RFC 2136) script, and the field values a person types into a provider's web form. Any TXT record at
 * any owner name: the TLSRPT record, the authorization records of external destinations, MTA-STS records.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_CLI_PROVIDERS_H
#define TLSRPT_CLI_PROVIDERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One TXT record to publish. */
struct txt_record {
    const char *owner; /* the absolute owner name with its final dot, A-labels: "_smtp._tls.example.com." */
    const char *zone;  /* the apex of the zone it goes in ("example.com"), or NULL when that is another party's zone
                        * and unknown (an authorization record lives in the destination owner's zone) */
    const char *value; /* the TXT value, the character-strings joined */
    const char *what;  /* one line saying what it is: "TLSRPT record of example.com" */
};

/* The web forms --provider knows. */
enum provider { PROVIDER_NONE, PROVIDER_CLOUDFLARE, PROVIDER_ROUTE53, PROVIDER_REGISTRO_BR, PROVIDER_GENERIC };

/* Cloudflare's "automatic" TTL (its API's ttl 1), and its range for other TTLs: 60 to 86400 seconds, 30 on
 * Enterprise zones (API schema dns-records_ttl). */
#define CLOUDFLARE_TTL_AUTO 1u
#define CLOUDFLARE_TTL_MIN 30u
#define CLOUDFLARE_TTL_MAX 86400u

/* The provider named by --provider, or PROVIDER_NONE for an unknown name. */
enum provider provider_by_name(const char *name);

/* The value as RFC 1035 character-strings, each at most 255 bytes, each in double quotes with '"' and '\' escaped by
 * a backslash and bytes outside 0x20-0x7E as \DDD, separated by one space: the form of zone files, nsupdate, Route
 * 53's Value and Cloudflare's content. A new string to free(), or NULL when out of memory. */
char *quoted_strings(const char *value);

/* A Route 53 ChangeResourceRecordSets change batch (JSON, one line): one UPSERT per record, all in one hosted zone,
 * Value as quoted_strings(). Returns 0, or -1 when out of memory (nothing printed). */
int print_route53_batch(FILE *f, const struct txt_record *records, size_t n, const char *comment, uint32_t ttl);

/* The body of Cloudflare's "create DNS record" API call for one record (JSON, one line): type, name (without the
 * final dot), content (quoted_strings()), ttl (1 = automatic), comment. Returns 0, or -1 when out of memory. */
int print_cloudflare_record(FILE *f, const struct txt_record *r, uint32_t ttl);

/* An nsupdate script: for each record of `own` (the zone `zone`, or the zone nsupdate finds when NULL) an update that
 * replaces every TXT record at its name, each ended by "send"; then the records of `others` as comment lines (they
 * belong to other parties' zones). Returns 0, or -1 when out of memory. */
int print_nsupdate_script(FILE *f, const struct txt_record *own, size_t n_own, const struct txt_record *others,
                          size_t n_others, const char *zone, uint32_t ttl);

/* The fields of a provider's web form for one record, as a person types them. ttl_given 0: the provider's default
 * TTL is suggested (Cloudflare: Auto). Returns 0, or -1 when out of memory. */
int print_provider_form(FILE *f, enum provider p, const struct txt_record *r, uint32_t ttl, int ttl_given);

#endif
