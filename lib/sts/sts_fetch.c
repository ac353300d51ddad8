/* libtlsrpt — MTA-STS policy fetches (RFC 8461 §3.3): the resolver's HTTPS settings, the response object a fetch
 * fills, and the built-in client on libcurl.
 * SPDX-License-Identifier: MIT
 *
 * The built-in client makes one curl easy handle per fetch and keeps nothing between fetches (no connection, DNS,
 * cookie, HSTS or alt-svc cache). What RFC 8461 §3.3 and the issue ask, option by option:
 *   - only https:// (CURLOPT_PROTOCOLS_STR), redirects never followed (CURLOPT_FOLLOWLOCATION 0: a 3xx is just a
 *     status other than 200);
 *   - certificate and host name always verified (VERIFYPEER 1, VERIFYHOST 2 are set explicitly; nothing in the API
 *     turns them off), TLS 1.2 or higher (CURLOPT_SSLVERSION);
 *   - nothing from the environment: CURLOPT_PROXY "" disables proxies, including http_proxy/https_proxy/ALL_PROXY;
 *     no .netrc (CURL_NETRC_IGNORED), no cookie engine; the trust store is the CA file set on the resolver or
 *     libcurl's built-in default (Debian: /etc/ssl/certs/ca-certificates.crt);
 *   - the body is cut off at TLSRPT_MAX_STS_POLICY_SIZE while it arrives (the write callback refuses more, and
 *     CURLOPT_MAXFILESIZE refuses a larger Content-Length before the body), the whole fetch is bounded by the
 *     resolver's HTTPS timeout; CURLOPT_NOSIGNAL so no signal handler is installed (threads).
 * curl_global_init(CURL_GLOBAL_DEFAULT) runs once per process (pthread_once) before the first built-in fetch;
 * curl_global_cleanup() is never called, so an application using libcurl itself is not disturbed.
 */
#include "sts_fetch.h"

#include "domain.h"
#include "ip.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef TRPT_HAVE_CURL
#include <curl/curl.h>
#include <pthread.h>
#endif

/* ---- settings on the resolver ---------------------------------------------------------------------------------- */

static const trpt_https_settings default_settings = {.timeout_ms = TLSRPT_STS_DEFAULT_FETCH_TIMEOUT_MS};

void trpt_https_settings_free(struct trpt_https_settings *s)
{
    if (!s)
        return;
    free(s->ca_file);
    for (size_t i = 0; i < s->n_connect_to; i++)
        free(s->connect_to[i].host);
    free(s);
}

const trpt_https_settings *trpt_https_settings_of(tlsrpt_resolver *res)
{
    const trpt_https_settings *s = *trpt_resolver_https_slot(res);
    return s ? s : &default_settings;
}

/* The resolver's settings, made with the defaults on first use; NULL on ENOMEM. */
static trpt_https_settings *settings(tlsrpt_resolver *res)
{
    trpt_https_settings **slot = trpt_resolver_https_slot(res);
    if (!*slot) {
        *slot = calloc(1, sizeof **slot);
        if (*slot)
            (*slot)->timeout_ms = TLSRPT_STS_DEFAULT_FETCH_TIMEOUT_MS;
    }
    return *slot;
}

TLSRPT_API int tlsrpt_resolver_set_https_timeout(tlsrpt_resolver *res, uint32_t milliseconds)
{
    if (!res || milliseconds == 0)
        return TLSRPT_EINVAL;
    trpt_https_settings *s = settings(res);
    if (!s)
        return TLSRPT_ENOMEM;
    s->timeout_ms = milliseconds;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_https_ca_file(tlsrpt_resolver *res, const char *path)
{
    if (!res)
        return TLSRPT_EINVAL;
    char *copy = NULL;
    if (path && !(copy = strdup(path)))
        return TLSRPT_ENOMEM;
    trpt_https_settings *s = settings(res);
    if (!s) {
        free(copy);
        return TLSRPT_ENOMEM;
    }
    free(s->ca_file);
    s->ca_file = copy;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_https_connect_to(tlsrpt_resolver *res, const char *host, const char *address,
                                                    uint16_t port)
{
    if (!res)
        return TLSRPT_EINVAL;
    if (!host) {
        trpt_https_settings *s = *trpt_resolver_https_slot(res);
        if (s) {
            for (size_t i = 0; i < s->n_connect_to; i++)
                free(s->connect_to[i].host);
            s->n_connect_to = 0;
        }
        return TLSRPT_OK;
    }
    unsigned char bytes[16];
    if (!address || port == 0 || strlen(address) >= sizeof ((trpt_connect_to *)0)->address ||
        trpt_ip_parse(address, strlen(address), bytes) == 0)
        return TLSRPT_EINVAL;
    char *name = NULL;
    int rc = host[0] ? trpt_domain_to_alabel(host, 1, &name) : ((name = trpt_strdup("")) ? TLSRPT_OK : TLSRPT_ENOMEM);
    if (rc != TLSRPT_OK)
        return rc;
    trpt_https_settings *s = settings(res);
    if (!s) {
        free(name);
        return TLSRPT_ENOMEM;
    }
    size_t i = 0;
    while (i < s->n_connect_to && strcmp(s->connect_to[i].host, name) != 0)
        i++;
    if (i == s->n_connect_to) {
        if (s->n_connect_to == TLSRPT_MAX_HTTPS_CONNECT_TO) {
            free(name);
            return TLSRPT_ELIMIT;
        }
        s->n_connect_to++;
    } else {
        free(s->connect_to[i].host);
    }
    s->connect_to[i].host = name;
    strcpy(s->connect_to[i].address, address);
    s->connect_to[i].port = port;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_resolver_set_https_fetch(tlsrpt_resolver *res, tlsrpt_https_fetch_fn fn, void *userdata)
{
    if (!res)
        return TLSRPT_EINVAL;
    if (!fn && !*trpt_resolver_https_slot(res))
        return TLSRPT_OK;
    trpt_https_settings *s = settings(res);
    if (!s)
        return TLSRPT_ENOMEM;
    s->fn = fn;
    s->userdata = fn ? userdata : NULL;
    return TLSRPT_OK;
}

/* ---- the response --------------------------------------------------------------------------------------------- */

TLSRPT_API int tlsrpt_https_response_new(tlsrpt_https_response **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = calloc(1, sizeof **out);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

void trpt_https_response_reset(tlsrpt_https_response *r)
{
    free(r->content_type);
    free(r->body);
    free(r->message);
    memset(r, 0, sizeof *r);
}

TLSRPT_API void tlsrpt_https_response_free(tlsrpt_https_response *r)
{
    if (!r)
        return;
    trpt_https_response_reset(r);
    free(r);
}

TLSRPT_API int tlsrpt_https_response_set_status(tlsrpt_https_response *r, int http_status, const char *content_type)
{
    if (!r || http_status < 100 || http_status > 999)
        return TLSRPT_EINVAL;
    char *ct = NULL;
    if (content_type && !(ct = strdup(content_type)))
        return TLSRPT_ENOMEM;
    free(r->content_type);
    r->content_type = ct;
    r->http_status = http_status;
    if (r->fetch == TLSRPT_STS_FETCH_NONE)
        r->fetch = TLSRPT_STS_FETCH_OK;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_https_response_append(tlsrpt_https_response *r, const void *data, size_t len)
{
    if (!r || (!data && len > 0))
        return TLSRPT_EINVAL;
    if (len > TLSRPT_MAX_STS_POLICY_SIZE - r->len) {
        r->fetch = TLSRPT_STS_FETCH_TOO_LARGE;
        return TLSRPT_ELIMIT;
    }
    if (r->len + len + 1 > r->cap) {
        size_t cap = r->cap ? r->cap : 1024;
        while (cap < r->len + len + 1)
            cap *= 2;
        if (cap > TLSRPT_MAX_STS_POLICY_SIZE + 1)
            cap = TLSRPT_MAX_STS_POLICY_SIZE + 1;
        char *p = realloc(r->body, cap);
        if (!p)
            return TLSRPT_ENOMEM;
        r->body = p;
        r->cap = cap;
    }
    if (len)
        memcpy(r->body + r->len, data, len);
    r->len += len;
    r->body[r->len] = '\0';
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_https_response_set_error(tlsrpt_https_response *r, int fetch, const char *message)
{
    if (!r || fetch < TLSRPT_STS_FETCH_CONNECT || fetch > TLSRPT_STS_FETCH_UNSUPPORTED)
        return TLSRPT_EINVAL;
    char *m = NULL;
    if (message) {
        trpt_buf b;
        trpt_buf_init(&b);
        trpt_buf_put_quoted(&b, message, strlen(message), 200);
        if (trpt_buf_finish(&b, &m, NULL) != TLSRPT_OK)
            return TLSRPT_ENOMEM;
    }
    free(r->message);
    r->message = m;
    r->fetch = fetch;
    return TLSRPT_OK;
}

/* ---- the built-in client ---------------------------------------------------------------------------------------- */

#ifdef TRPT_HAVE_CURL

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_FAILED_INIT;

static void curl_init(void)
{
    curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    tlsrpt_https_response *r = userdata;
    size_t len = size * nmemb;
    /* Returning less than len makes libcurl stop with CURLE_WRITE_ERROR. */
    return tlsrpt_https_response_append(r, data, len) == TLSRPT_OK ? len : 0;
}

static int fetch_code(CURLcode rc)
{
    switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
        return TLSRPT_STS_FETCH_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
        return TLSRPT_STS_FETCH_TIMEOUT;
    case CURLE_PEER_FAILED_VERIFICATION: /* also CURLE_SSL_CACERT: not trusted, expired, wrong name */
        return TLSRPT_STS_FETCH_CERTIFICATE;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
        return TLSRPT_STS_FETCH_TLS;
    case CURLE_FILESIZE_EXCEEDED:
        return TLSRPT_STS_FETCH_TOO_LARGE;
    default:
        return TLSRPT_STS_FETCH_PROTOCOL;
    }
}

int trpt_https_fetch_builtin(const trpt_https_settings *s, const char *url, const char *host,
                             tlsrpt_https_response *r)
{
    pthread_once(&curl_once, curl_init);
    if (curl_init_rc != CURLE_OK)
        return tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_PROTOCOL, curl_easy_strerror(curl_init_rc)) ==
                       TLSRPT_ENOMEM
                   ? TLSRPT_ENOMEM
                   : TLSRPT_OK;
    CURL *h = curl_easy_init();
    if (!h)
        return TLSRPT_ENOMEM;
    struct curl_slist *connect_to = NULL;
    int rc = TLSRPT_OK;
    /* The host's own mapping first, then the one for every host (libcurl takes the first that matches). */
    for (size_t k = 0; k < 2 * s->n_connect_to; k++) {
        const trpt_connect_to *m = &s->connect_to[k % s->n_connect_to];
        if (strcmp(m->host, k < s->n_connect_to ? host : "") != 0)
            continue;
        char line[512];
        int v6 = strchr(m->address, ':') != NULL;
        snprintf(line, sizeof line, "%s:443:%s%s%s:%u", m->host, v6 ? "[" : "", m->address, v6 ? "]" : "",
                 (unsigned)m->port);
        struct curl_slist *l = curl_slist_append(connect_to, line);
        if (!l) {
            rc = TLSRPT_ENOMEM;
            goto done;
        }
        connect_to = l;
    }
    char errbuf[CURL_ERROR_SIZE];
    errbuf[0] = '\0';
    long timeout = s->timeout_ms > (uint32_t)0x7fffffff ? 0x7fffffffL : (long)s->timeout_ms;
    /* Every option is checked: a libcurl that refused one of the security options must not fetch without it. */
    CURLcode setup = CURLE_OK;
#define SET(opt, val)                                                                                               \
    do {                                                                                                            \
        if (setup == CURLE_OK)                                                                                      \
            setup = curl_easy_setopt(h, opt, val);                                                                  \
    } while (0)
    SET(CURLOPT_URL, url);
    SET(CURLOPT_PROTOCOLS_STR, "https");
    SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    SET(CURLOPT_PROXY, "");
    SET(CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TIMEOUT_MS, timeout);
    SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)TLSRPT_MAX_STS_POLICY_SIZE);
    SET(CURLOPT_USERAGENT, "libtlsrpt/" TLSRPT_VERSION_STRING);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, r);
    SET(CURLOPT_ERRORBUFFER, errbuf);
    if (s->ca_file)
        SET(CURLOPT_CAINFO, s->ca_file);
    if (connect_to)
        SET(CURLOPT_CONNECT_TO, connect_to);
#undef SET
    if (setup != CURLE_OK) {
        rc = tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_PROTOCOL, curl_easy_strerror(setup));
        goto done;
    }
    CURLcode res = curl_easy_perform(h);
    if (res == CURLE_OK) {
        long status = 0;
        char *ct = NULL;
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
        curl_easy_getinfo(h, CURLINFO_CONTENT_TYPE, &ct);
        if (status >= 100 && status <= 999)
            rc = tlsrpt_https_response_set_status(r, (int)status, ct);
        else
            rc = tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_PROTOCOL, "no HTTP status");
    } else if (r->fetch == TLSRPT_STS_FETCH_TOO_LARGE || res == CURLE_FILESIZE_EXCEEDED) {
        rc = tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_TOO_LARGE, NULL);
    } else {
        rc = tlsrpt_https_response_set_error(r, fetch_code(res), errbuf[0] ? errbuf : curl_easy_strerror(res));
    }
done:
    curl_slist_free_all(connect_to);
    curl_easy_cleanup(h);
    return rc == TLSRPT_ENOMEM ? TLSRPT_ENOMEM : TLSRPT_OK;
}

#else

int trpt_https_fetch_builtin(const trpt_https_settings *s, const char *url, const char *host,
                             tlsrpt_https_response *r)
{
    (void)s;
    (void)url;
    (void)host;
    return tlsrpt_https_response_set_error(r, TLSRPT_STS_FETCH_UNSUPPORTED,
                                           "libtlsrpt was built without HTTPS (meson -Dhttps=disabled)") ==
                   TLSRPT_ENOMEM
               ? TLSRPT_ENOMEM
               : TLSRPT_OK;
}

#endif
