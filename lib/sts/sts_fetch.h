/* libtlsrpt — MTA-STS policy fetches: the resolver's HTTPS settings, the response object, the built-in client.
 * Never installed. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_STS_FETCH_H
#define TLSRPT_STS_FETCH_H

#include "dns_internal.h"
#include "sts_internal.h"

typedef struct trpt_connect_to {
    char *host;         /* lower-case A-labels, no trailing dot */
    char address[48];   /* IP literal, IPv6 without brackets */
    uint16_t port;
} trpt_connect_to;

struct trpt_https_settings {
    uint32_t timeout_ms;
    char *ca_file; /* NULL: the system's trust store */
    trpt_connect_to connect_to[TLSRPT_MAX_HTTPS_CONNECT_TO];
    size_t n_connect_to;
    tlsrpt_https_fetch_fn fn;
    void *userdata;
};
typedef struct trpt_https_settings trpt_https_settings;

struct tlsrpt_https_response {
    int fetch;          /* TLSRPT_STS_FETCH_*; NONE until set */
    int http_status;    /* 0: no response */
    char *content_type; /* as received, or NULL */
    char *body;         /* NUL-terminated, at most TLSRPT_MAX_STS_POLICY_SIZE bytes */
    size_t len;
    size_t cap;
    char *message; /* why the fetch failed, one line, or NULL */
};

/* The settings a fetch uses: the resolver's, or the defaults when it has none (never NULL). */
const trpt_https_settings *trpt_https_settings_of(tlsrpt_resolver *res);

/* Resets a response to "nothing yet" (frees what it holds). */
void trpt_https_response_reset(tlsrpt_https_response *r);

/* Fetches url with the built-in client (libcurl) under the settings and fills r. Returns TLSRPT_OK (r says how the
 * fetch ended) or TLSRPT_ENOMEM. Without HTTPS support built in, r says TLSRPT_STS_FETCH_UNSUPPORTED. */
int trpt_https_fetch_builtin(const trpt_https_settings *s, const char *url, const char *host,
                             tlsrpt_https_response *r);

#endif
