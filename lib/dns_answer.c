/* libtlsrpt — the TXT answer: what one TXT query found (RRs with their strings and TTLs, the CNAME chain, the AD bit,
 * the answering server), filled by the ldns transport, by a caller's lookup function or by a caller that made the
 * query itself, and read by the evaluation. It judges nothing. SPDX-License-Identifier: MIT */
#include "dns_internal.h"
#include "ip.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

/* Longest CNAME target accepted from a caller: 253 octets of name and the trailing dot. */
#define CNAME_TARGET_MAX 254u

void trpt_txt_answer_init(tlsrpt_txt_answer *a)
{
    memset(a, 0, sizeof *a);
    a->rcode = -1;
}

static void rr_free(trpt_txt_rr *rr)
{
    for (size_t i = 0; i < rr->n_strings; i++)
        free(rr->strings[i]);
    free(rr->strings);
    free(rr->lens);
}

void trpt_txt_answer_clear(tlsrpt_txt_answer *a)
{
    for (size_t i = 0; i < a->n_rrs; i++)
        rr_free(&a->rrs[i]);
    free(a->rrs);
    for (size_t i = 0; i < a->n_cnames; i++)
        free(a->cnames[i]);
    trpt_txt_answer_init(a);
}

void trpt_txt_answer_drop_rrs(tlsrpt_txt_answer *a)
{
    for (size_t i = 0; i < a->n_rrs; i++)
        rr_free(&a->rrs[i]);
    a->n_rrs = 0;
    a->total_bytes = 0;
}

void trpt_txt_answer_move(tlsrpt_txt_answer *dst, tlsrpt_txt_answer *src)
{
    trpt_txt_answer_clear(dst);
    *dst = *src;
    trpt_txt_answer_init(src);
}

int64_t trpt_dns_ttl(uint32_t wire_ttl)
{
    return (wire_ttl & 0x80000000u) ? 0 : (int64_t)wire_ttl;
}

/* A TTL argument of the public adders: 0..UINT32_MAX (RFC 2181 §8 applied) or TLSRPT_TTL_UNKNOWN. -2 if invalid. */
static int64_t checked_ttl(int64_t ttl)
{
    if (ttl == TLSRPT_TTL_UNKNOWN)
        return TLSRPT_TTL_UNKNOWN;
    if (ttl < 0 || ttl > (int64_t)UINT32_MAX)
        return -2;
    return trpt_dns_ttl((uint32_t)ttl);
}

static int answer_add(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens, size_t n, int64_t ttl)
{
    if (!a || (n > 0 && (!strings || !lens)))
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (!strings[i] && lens[i] > 0)
            return TLSRPT_EINVAL;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        if (lens[i] > TLSRPT_MAX_TXT_ANSWER_SIZE - total) {
            a->over_limit = 1;
            return TLSRPT_ELIMIT;
        }
        total += lens[i];
    }
    if (a->n_rrs >= TLSRPT_MAX_TXT_RRS || total > TLSRPT_MAX_TXT_ANSWER_SIZE - a->total_bytes) {
        a->over_limit = 1;
        return TLSRPT_ELIMIT;
    }
    if (a->n_rrs == a->cap_rrs) {
        size_t cap = a->cap_rrs ? a->cap_rrs * 2 : 4;
        trpt_txt_rr *p = realloc(a->rrs, cap * sizeof *p);
        if (!p) {
            a->out_of_memory = 1;
            return TLSRPT_ENOMEM;
        }
        a->rrs = p;
        a->cap_rrs = cap;
    }
    trpt_txt_rr rr = {0};
    if (n > 0) {
        rr.strings = calloc(n, sizeof *rr.strings);
        rr.lens = calloc(n, sizeof *rr.lens);
        if (!rr.strings || !rr.lens)
            goto nomem;
        for (size_t i = 0; i < n; i++) {
            rr.strings[i] = malloc(lens[i] + 1);
            if (!rr.strings[i])
                goto nomem;
            rr.n_strings = i + 1;
            if (lens[i])
                memcpy(rr.strings[i], strings[i], lens[i]);
            rr.strings[i][lens[i]] = '\0';
            rr.lens[i] = lens[i];
        }
    }
    rr.n_strings = n;
    rr.total_len = total;
    rr.ttl = ttl;
    a->rrs[a->n_rrs++] = rr;
    a->total_bytes += total;
    return TLSRPT_OK;
nomem:
    rr_free(&rr);
    a->out_of_memory = 1;
    return TLSRPT_ENOMEM;
}

TLSRPT_API int tlsrpt_txt_answer_add(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens, size_t n)
{
    return answer_add(a, strings, lens, n, TLSRPT_TTL_UNKNOWN);
}

TLSRPT_API int tlsrpt_txt_answer_add_with_ttl(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens,
                                              size_t n, int64_t ttl)
{
    int64_t t = checked_ttl(ttl);
    if (t == -2)
        return TLSRPT_EINVAL;
    return answer_add(a, strings, lens, n, t);
}

int trpt_txt_answer_push_cname(tlsrpt_txt_answer *a, const char *target, int64_t ttl)
{
    if (a->n_cnames > TRPT_DNS_MAX_CNAME_CHAIN) {
        /* The chain is already one past the bound: keep what shows it, remember that it went on. */
        a->cname_overflow = 1;
        return TLSRPT_ELIMIT;
    }
    size_t len = strlen(target);
    int dot = len > 0 && target[len - 1] == '.';
    char *copy = malloc(len + (dot ? 1 : 2));
    if (!copy) {
        a->out_of_memory = 1;
        return TLSRPT_ENOMEM;
    }
    memcpy(copy, target, len);
    if (!dot)
        copy[len++] = '.';
    copy[len] = '\0';
    a->cnames[a->n_cnames] = copy;
    a->cname_ttls[a->n_cnames] = ttl;
    a->n_cnames++;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_txt_answer_add_cname(tlsrpt_txt_answer *a, const char *target, int64_t ttl)
{
    if (!a || !target)
        return TLSRPT_EINVAL;
    int64_t t = checked_ttl(ttl);
    size_t len = strlen(target);
    if (t == -2 || len == 0 || len > CNAME_TARGET_MAX || (len == CNAME_TARGET_MAX && target[len - 1] != '.') ||
        strcmp(target, ".") == 0)
        return TLSRPT_EINVAL;
    return trpt_txt_answer_push_cname(a, target, t);
}

TLSRPT_API int tlsrpt_txt_answer_set_server(tlsrpt_txt_answer *a, const char *address, uint16_t port)
{
    if (!a || !address)
        return TLSRPT_EINVAL;
    unsigned char bytes[16];
    int family = trpt_ip_parse(address, strlen(address), bytes);
    char text[INET6_ADDRSTRLEN];
    if (family == 4 ? !inet_ntop(AF_INET, bytes, text, sizeof text)
                    : family == 6 ? !inet_ntop(AF_INET6, bytes, text, sizeof text) : 1)
        return TLSRPT_EINVAL;
    memcpy(a->server, text, strlen(text) + 1);
    a->server_port = port;
    return TLSRPT_OK;
}

void trpt_txt_answer_set_server_addr(tlsrpt_txt_answer *a, const struct sockaddr_storage *addr)
{
    a->server[0] = '\0';
    a->server_port = 0;
    if (addr->ss_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)addr;
        if (inet_ntop(AF_INET, &v4->sin_addr, a->server, sizeof a->server))
            a->server_port = ntohs(v4->sin_port);
    } else if (addr->ss_family == AF_INET6) {
        const struct sockaddr_in6 *v6 = (const struct sockaddr_in6 *)addr;
        if (inet_ntop(AF_INET6, &v6->sin6_addr, a->server, sizeof a->server))
            a->server_port = ntohs(v6->sin6_port);
    }
    if (a->server_port == 0)
        a->server[0] = '\0';
}

TLSRPT_API int tlsrpt_txt_answer_set_authenticated(tlsrpt_txt_answer *a, int authenticated)
{
    if (!a)
        return TLSRPT_EINVAL;
    a->authenticated = authenticated ? 1 : 0;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_txt_answer_new(tlsrpt_txt_answer **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = malloc(sizeof **out);
    if (!*out)
        return TLSRPT_ENOMEM;
    trpt_txt_answer_init(*out);
    return TLSRPT_OK;
}

TLSRPT_API void tlsrpt_txt_answer_free(tlsrpt_txt_answer *a)
{
    if (!a)
        return;
    trpt_txt_answer_clear(a);
    free(a);
}

int trpt_txt_answer_copy(tlsrpt_txt_answer *dst, const tlsrpt_txt_answer *src)
{
    for (size_t i = 0; i < src->n_rrs; i++) {
        const trpt_txt_rr *rr = &src->rrs[i];
        if (answer_add(dst, (const char *const *)rr->strings, rr->lens, rr->n_strings, rr->ttl) != TLSRPT_OK)
            goto nomem;
    }
    for (size_t i = 0; i < src->n_cnames; i++) {
        dst->cnames[i] = trpt_strdup(src->cnames[i]);
        if (!dst->cnames[i])
            goto nomem;
        dst->cname_ttls[i] = src->cname_ttls[i];
        dst->n_cnames = i + 1;
    }
    dst->cname_overflow = src->cname_overflow;
    dst->authenticated = src->authenticated;
    dst->rcode = src->rcode;
    dst->over_limit = src->over_limit;
    dst->out_of_memory = src->out_of_memory;
    memcpy(dst->server, src->server, sizeof dst->server);
    dst->server_port = src->server_port;
    return TLSRPT_OK;
nomem:
    trpt_txt_answer_clear(dst);
    return TLSRPT_ENOMEM;
}

char *trpt_txt_rr_join(const trpt_txt_rr *rr, size_t *len)
{
    char *out = malloc(rr->total_len + 1);
    if (!out)
        return NULL;
    size_t pos = 0;
    for (size_t i = 0; i < rr->n_strings; i++) {
        if (rr->lens[i])
            memcpy(out + pos, rr->strings[i], rr->lens[i]);
        pos += rr->lens[i];
    }
    out[pos] = '\0';
    *len = pos;
    return out;
}
