/* libtlsrpt — the DNS transport: TXT queries to the configured name servers, packets built and parsed with ldns.
 * SPDX-License-Identifier: MIT
 *
 * ldns reads resolv.conf and does the wire format. The sockets are ours, because ldns_send() (1.8) accepts the
 * first datagram that arrives on an unconnected socket without comparing its id, source or question, marks a name
 * server unreachable for the resolver's whole life after one failure, and sleeps between servers. Here every reply
 * is checked (id, QR, opcode, question, class, owner names along a CNAME chain), a UDP socket is connected so only
 * the server's address can answer, a rejected UDP datagram does not end the wait for the real answer, and a
 * truncated UDP answer is asked again over TCP. See doc/dns.md. */
#include "dns_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

/* Largest DNS message (TCP length prefix, and the receive buffer for UDP). */
#define DNS_MAX_MESSAGE 65535u

int trpt_ldns_read_config(const char *path, trpt_nameserver *servers, size_t *n, char **error)
{
    ldns_resolver *r = NULL;
    const char *shown = path ? path : "/etc/resolv.conf";
    trpt_buf msg;
    trpt_buf_init(&msg);
    *n = 0;
    *error = NULL;

    ldns_status st = ldns_resolver_new_frm_file(&r, path);
    if (st == LDNS_STATUS_MEM_ERR)
        return TLSRPT_ENOMEM;
    if (st != LDNS_STATUS_OK || !r) {
        trpt_buf_printf(&msg, "The resolver configuration %s could not be read (%s).", shown,
                        ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) : "unknown error");
        ldns_resolver_deep_free(r);
        return trpt_buf_finish(&msg, error, NULL) == TLSRPT_OK ? TLSRPT_ETEMPFAIL : TLSRPT_ENOMEM;
    }
    uint16_t port = ldns_resolver_port(r);
    if (port == 0)
        port = 53;
    ldns_rdf **ns = ldns_resolver_nameservers(r);
    for (size_t i = 0; i < ldns_resolver_nameserver_count(r) && *n < TRPT_DNS_MAX_SERVERS; i++) {
        size_t len = 0;
        struct sockaddr_storage *sa = ldns_rdf2native_sockaddr_storage(ns[i], port, &len);
        if (!sa)
            continue;
        if (len <= sizeof servers[*n].addr) {
            memset(&servers[*n], 0, sizeof servers[*n]);
            memcpy(&servers[*n].addr, sa, len);
            servers[*n].addr_len = (socklen_t)len;
            (*n)++;
        }
        free(sa);
    }
    ldns_resolver_deep_free(r);
    if (*n == 0) {
        trpt_buf_printf(&msg, "The resolver configuration %s names no usable name server.", shown);
        return trpt_buf_finish(&msg, error, NULL) == TLSRPT_OK ? TLSRPT_ETEMPFAIL : TLSRPT_ENOMEM;
    }
    return TLSRPT_OK;
}

/* ---- time and sockets ------------------------------------------------------------------------------------------ */

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Milliseconds left until `deadline` for poll(), 0 when it has passed. */
static int remaining_ms(int64_t deadline)
{
    int64_t left = deadline - now_ms();
    if (left <= 0)
        return 0;
    return left > 0x7fffffff ? 0x7fffffff : (int)left;
}

static uint16_t random_id(void)
{
    uint16_t id;
    if (getrandom(&id, sizeof id, 0) == (ssize_t)sizeof id)
        return id;
    return ldns_get_random();
}

static void format_server(const trpt_nameserver *ns, char *out, size_t size)
{
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ns->addr.ss_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)&ns->addr;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
        snprintf(out, size, "%s port %u", host, port);
    } else {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ns->addr;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        port = ntohs(a->sin6_port);
        snprintf(out, size, "%s port %u", host, port);
    }
}

/* ---- one exchange ------------------------------------------------------------------------------------------------ */

/* What happened in one lookup so far, for the final diagnostic when no server gave a usable answer. */
typedef struct query_state {
    const trpt_dns_transport *t;
    tlsrpt_diag *diag;
    tlsrpt_txt_answer *answer;
    unsigned char no_edns[TRPT_DNS_MAX_SERVERS]; /* the server answered FORMERR to EDNS0 in this lookup */
    uint8_t *buf; /* DNS_MAX_MESSAGE bytes */
    int saw_timeout;
    int saw_network_error;
    int saw_rejected;
    int saw_truncated;
    int rcode_failure; /* last rcode other than NOERROR/NXDOMAIN, or -1 */
    char rcode_server[INET6_ADDRSTRLEN + 16];
    char network_error[160];
} query_state;

enum { XCHG_REPLY, XCHG_TIMEOUT, XCHG_NETWORK, XCHG_REJECTED, XCHG_NOMEM, XCHG_BADNAME };

static void note_rejected(tlsrpt_diag *diag, const char *id, const char *server, const char *why)
{
    trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, id, TLSRPT_NO_OFFSET, NULL, "A reply from %s was discarded: %s.",
                  server, why);
}

int trpt_ldns_check_reply(const uint8_t *wire, size_t len, uint16_t id, const ldns_rdf *qname, const char *server,
                          tlsrpt_diag *diag, ldns_pkt **out)
{
    *out = NULL;
    if (len < LDNS_HEADER_SIZE) {
        char why[80];
        snprintf(why, sizeof why, "%zu bytes is shorter than a DNS header", len);
        note_rejected(diag, "dns-reply-malformed", server, why);
        return TLSRPT_ESYNTAX;
    }
    uint16_t got_id = (uint16_t)((wire[0] << 8) | wire[1]);
    if (got_id != id) {
        char why[80];
        snprintf(why, sizeof why, "its id %u is not the query's id %u", got_id, id);
        note_rejected(diag, "dns-reply-id-mismatch", server, why);
        return TLSRPT_ESYNTAX;
    }
    if (!(wire[2] & 0x80)) {
        note_rejected(diag, "dns-reply-malformed", server, "it is not a response (QR bit clear)");
        return TLSRPT_ESYNTAX;
    }
    ldns_pkt *p = NULL;
    ldns_status st = ldns_wire2pkt(&p, wire, len);
    if (st == LDNS_STATUS_MEM_ERR)
        return TLSRPT_ENOMEM;
    if (st != LDNS_STATUS_OK || !p) {
        char why[160];
        snprintf(why, sizeof why, "it cannot be parsed (%s)",
                 ldns_get_errorstr_by_id(st) ? ldns_get_errorstr_by_id(st) : "unknown error");
        note_rejected(diag, "dns-reply-malformed", server, why);
        ldns_pkt_free(p);
        return TLSRPT_ESYNTAX;
    }
    if (ldns_pkt_get_opcode(p) != LDNS_PACKET_QUERY) {
        note_rejected(diag, "dns-reply-malformed", server, "its opcode is not QUERY");
        ldns_pkt_free(p);
        return TLSRPT_ESYNTAX;
    }
    const ldns_rr *q = ldns_pkt_qdcount(p) == 1 ? ldns_rr_list_rr(ldns_pkt_question(p), 0) : NULL;
    if (!q || ldns_rr_get_type(q) != LDNS_RR_TYPE_TXT || ldns_rr_get_class(q) != LDNS_RR_CLASS_IN ||
        !ldns_rr_owner(q) || ldns_dname_compare(ldns_rr_owner(q), qname) != 0) {
        note_rejected(diag, "dns-reply-question-mismatch", server,
                      "its question section is not the query's question");
        ldns_pkt_free(p);
        return TLSRPT_ESYNTAX;
    }
    *out = p;
    return TLSRPT_OK;
}

/* trpt_ldns_check_reply() for one exchange: records a rejection in the lookup's state. Returns XCHG_REPLY,
 * XCHG_REJECTED or XCHG_NOMEM. */
static int check_reply(query_state *s, const uint8_t *wire, size_t len, uint16_t id, const ldns_rdf *qname,
                       const char *server, ldns_pkt **out)
{
    int rc = trpt_ldns_check_reply(wire, len, id, qname, server, s->diag, out);
    if (rc == TLSRPT_OK)
        return XCHG_REPLY;
    if (rc == TLSRPT_ENOMEM)
        return XCHG_NOMEM;
    s->saw_rejected = 1;
    return XCHG_REJECTED;
}

static int udp_exchange(query_state *s, const trpt_nameserver *ns, const uint8_t *query, size_t query_len,
                        uint16_t id, const ldns_rdf *qname, const char *server, ldns_pkt **reply)
{
    int fd = socket(ns->addr.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(s->network_error, sizeof s->network_error, "%s: socket: %s", server, strerror(errno));
        return XCHG_NETWORK;
    }
    /* A connected socket only receives datagrams from the server's address and port. */
    if (connect(fd, (const struct sockaddr *)&ns->addr, ns->addr_len) != 0 ||
        send(fd, query, query_len, 0) != (ssize_t)query_len) {
        snprintf(s->network_error, sizeof s->network_error, "%s: %s", server, strerror(errno));
        close(fd);
        return XCHG_NETWORK;
    }
    int64_t deadline = now_ms() + s->t->timeout_ms;
    int result = XCHG_TIMEOUT;
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int ms = remaining_ms(deadline);
        if (ms == 0)
            break;
        int pr = poll(&pfd, 1, ms);
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0)
            break;
        ssize_t n = recv(fd, s->buf, DNS_MAX_MESSAGE, 0);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            /* ECONNREFUSED: the port is closed (ICMP port unreachable). */
            snprintf(s->network_error, sizeof s->network_error, "%s: %s", server, strerror(errno));
            result = XCHG_NETWORK;
            break;
        }
        int c = check_reply(s, s->buf, (size_t)n, id, qname, server, reply);
        if (c == XCHG_REPLY || c == XCHG_NOMEM) {
            result = c;
            break;
        }
        /* Rejected: keep waiting for the real answer until the deadline (a forged datagram must not win). */
    }
    close(fd);
    if (result == XCHG_TIMEOUT)
        s->saw_timeout = 1;
    return result;
}

/* Waits until fd is ready for `events`; 1 ready, 0 timeout or error. */
static int wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd = {.fd = fd, .events = events};
        int ms = remaining_ms(deadline);
        if (ms == 0)
            return 0;
        int pr = poll(&pfd, 1, ms);
        if (pr < 0 && errno == EINTR)
            continue;
        return pr > 0;
    }
}

/* Reads exactly len bytes; 1 done, 0 timeout, -1 error or closed. */
static int read_full(int fd, uint8_t *buf, size_t len, int64_t deadline)
{
    size_t got = 0;
    while (got < len) {
        if (!wait_fd(fd, POLLIN, deadline))
            return 0;
        ssize_t n = recv(fd, buf + got, len - got, 0);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0)
            return -1;
        got += (size_t)n;
    }
    return 1;
}

static int tcp_exchange(query_state *s, const trpt_nameserver *ns, const uint8_t *query, size_t query_len,
                        uint16_t id, const ldns_rdf *qname, const char *server, ldns_pkt **reply)
{
    int64_t deadline = now_ms() + s->t->timeout_ms;
    int fd = socket(ns->addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        snprintf(s->network_error, sizeof s->network_error, "%s (TCP): socket: %s", server, strerror(errno));
        return XCHG_NETWORK;
    }
    int result = XCHG_NETWORK;
    int err = 0;
    if (connect(fd, (const struct sockaddr *)&ns->addr, ns->addr_len) != 0 && errno != EINPROGRESS) {
        err = errno;
        goto out;
    }
    if (!wait_fd(fd, POLLOUT, deadline)) {
        result = XCHG_TIMEOUT;
        goto out;
    }
    socklen_t errlen = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &errlen) != 0 || err != 0) {
        if (err == 0)
            err = errno;
        goto out;
    }
    uint8_t *msg = malloc(query_len + 2);
    if (!msg) {
        result = XCHG_NOMEM;
        goto out;
    }
    msg[0] = (uint8_t)(query_len >> 8);
    msg[1] = (uint8_t)query_len;
    memcpy(msg + 2, query, query_len);
    size_t sent = 0;
    while (sent < query_len + 2) {
        if (!wait_fd(fd, POLLOUT, deadline)) {
            free(msg);
            result = XCHG_TIMEOUT;
            goto out;
        }
        ssize_t n = send(fd, msg + sent, query_len + 2 - sent, MSG_NOSIGNAL);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            err = errno;
            free(msg);
            goto out;
        }
        sent += (size_t)n;
    }
    free(msg);
    uint8_t prefix[2];
    int r = read_full(fd, prefix, 2, deadline);
    size_t len = r == 1 ? (size_t)((prefix[0] << 8) | prefix[1]) : 0;
    if (r == 1)
        r = read_full(fd, s->buf, len, deadline);
    if (r == 0) {
        result = XCHG_TIMEOUT;
        goto out;
    }
    if (r < 0) {
        snprintf(s->network_error, sizeof s->network_error, "%s (TCP): the connection closed before a full answer",
                 server);
        close(fd);
        return XCHG_NETWORK;
    }
    result = check_reply(s, s->buf, len, id, qname, server, reply);
out:
    if (result == XCHG_NETWORK && err != 0)
        snprintf(s->network_error, sizeof s->network_error, "%s (TCP): %s", server, strerror(err));
    if (result == XCHG_TIMEOUT)
        s->saw_timeout = 1;
    close(fd);
    return result;
}

static int build_query(const char *qname, uint16_t id, uint16_t edns_size, uint8_t **wire, size_t *len)
{
    ldns_pkt *q = NULL;
    *wire = NULL;
    ldns_status st = ldns_pkt_query_new_frm_str(&q, qname, LDNS_RR_TYPE_TXT, LDNS_RR_CLASS_IN, LDNS_RD);
    if (st != LDNS_STATUS_OK || !q) {
        ldns_pkt_free(q);
        return st == LDNS_STATUS_MEM_ERR ? TLSRPT_ENOMEM : TLSRPT_EINVAL;
    }
    ldns_pkt_set_id(q, id);
    /* RFC 6840 §5.7: ask a validating resolver to say whether it validated the answer. */
    ldns_pkt_set_ad(q, true);
    if (edns_size)
        ldns_pkt_set_edns_udp_size(q, edns_size);
    st = ldns_pkt2wire(wire, q, len);
    ldns_pkt_free(q);
    if (st != LDNS_STATUS_OK) {
        free(*wire);
        *wire = NULL;
        return TLSRPT_ENOMEM;
    }
    return TLSRPT_OK;
}

static const char *rcode_name(int rcode)
{
    ldns_lookup_table *lt = ldns_lookup_by_id(ldns_rcodes, rcode);
    return lt && lt->name ? lt->name : "unknown";
}

/* One exchange with one server: the query over UDP, and again over TCP when the UDP answer is truncated.
 * Returns an XCHG_* code; *reply is set for XCHG_REPLY. */
static int exchange(query_state *s, const trpt_nameserver *ns, const char *server, const char *qname_text,
                    const ldns_rdf *qname, uint16_t edns_size, ldns_pkt **reply)
{
    *reply = NULL;
    uint16_t id = random_id();
    uint8_t *wire = NULL;
    size_t wire_len = 0;
    int rc = build_query(qname_text, id, edns_size, &wire, &wire_len);
    if (rc != TLSRPT_OK)
        return rc == TLSRPT_ENOMEM ? XCHG_NOMEM : XCHG_BADNAME;
    ldns_pkt *p = NULL;
    int x = udp_exchange(s, ns, wire, wire_len, id, qname, server, &p);
    if (x == XCHG_REPLY && ldns_pkt_tc(p)) {
        ldns_pkt_free(p);
        p = NULL;
        if (!s->saw_truncated)
            trpt_diag_add(s->diag, TLSRPT_SEVERITY_INFO, "dns-truncated-tcp-retry", TLSRPT_NO_OFFSET, NULL,
                          "The UDP answer from %s was truncated; the query was repeated over TCP.", server);
        s->saw_truncated = 1;
        x = tcp_exchange(s, ns, wire, wire_len, id, qname, server, &p);
        if (x == XCHG_REPLY && ldns_pkt_tc(p)) {
            ldns_pkt_free(p);
            p = NULL;
            s->saw_rejected = 1;
            note_rejected(s->diag, "dns-reply-malformed", server, "its TCP answer has the TC bit set");
            x = XCHG_REJECTED;
        }
    }
    free(wire);
    *reply = p;
    return x;
}

/* One query for qname over all rounds and servers. TLSRPT_OK with *reply (rcode NOERROR or NXDOMAIN) and the
 * server's address in s->answer, TLSRPT_ETEMPFAIL (an ERROR diag says why) or TLSRPT_ENOMEM. */
static int query_servers(query_state *s, const char *qname_text, const ldns_rdf *qname, ldns_pkt **reply)
{
    const trpt_dns_transport *t = s->t;
    *reply = NULL;
    if (t->n_servers == 0) {
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-no-nameserver", TLSRPT_NO_OFFSET, NULL,
                      "No name server is configured.");
        return TLSRPT_ETEMPFAIL;
    }
    for (unsigned round = 0; round <= t->retries; round++) {
        for (size_t i = 0; i < t->n_servers; i++) {
            char server[INET6_ADDRSTRLEN + 16];
            format_server(&t->servers[i], server, sizeof server);
            uint16_t edns = s->no_edns[i] ? 0 : t->edns_udp_size;
            ldns_pkt *p = NULL;
            int x = exchange(s, &t->servers[i], server, qname_text, qname, edns, &p);
            if (x == XCHG_REPLY && edns && ldns_pkt_get_rcode(p) == LDNS_RCODE_FORMERR) {
                /* RFC 6891 §7: a server that does not understand EDNS may answer FORMERR; ask it once more
                 * without the OPT record, and keep EDNS off for it for the rest of this lookup. */
                ldns_pkt_free(p);
                p = NULL;
                s->no_edns[i] = 1;
                trpt_diag_add(s->diag, TLSRPT_SEVERITY_INFO, "dns-edns-formerr-retry", TLSRPT_NO_OFFSET, NULL,
                              "The name server %s answered FORMERR to a query with EDNS0; the query was repeated "
                              "without EDNS0 (RFC 6891 section 7).",
                              server);
                x = exchange(s, &t->servers[i], server, qname_text, qname, 0, &p);
            }
            if (x == XCHG_NOMEM)
                return TLSRPT_ENOMEM;
            if (x == XCHG_BADNAME)
                return TLSRPT_EINVAL;
            if (x == XCHG_NETWORK)
                s->saw_network_error = 1;
            if (x != XCHG_REPLY)
                continue;
            int rcode = ldns_pkt_get_rcode(p);
            if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN) {
                trpt_txt_answer_set_server_addr(s->answer, &t->servers[i].addr);
                *reply = p;
                return TLSRPT_OK;
            }
            s->rcode_failure = rcode;
            memcpy(s->rcode_server, server, sizeof s->rcode_server);
            ldns_pkt_free(p);
        }
    }
    if (s->rcode_failure == LDNS_RCODE_SERVFAIL)
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-servfail", TLSRPT_NO_OFFSET, NULL,
                      "The name server %s answered SERVFAIL for %s.", s->rcode_server, qname_text);
    else if (s->rcode_failure == LDNS_RCODE_REFUSED)
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-refused", TLSRPT_NO_OFFSET, NULL,
                      "The name server %s refused the query for %s.", s->rcode_server, qname_text);
    else if (s->rcode_failure >= 0)
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-rcode-error", TLSRPT_NO_OFFSET, NULL,
                      "The name server %s answered %s (rcode %d) for %s.", s->rcode_server,
                      rcode_name(s->rcode_failure), s->rcode_failure, qname_text);
    else if (s->saw_rejected)
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-no-valid-reply", TLSRPT_NO_OFFSET, NULL,
                      "No acceptable reply for %s arrived; every reply received was discarded.", qname_text);
    else if (s->saw_network_error)
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-network-error", TLSRPT_NO_OFFSET, NULL,
                      "The query for %s failed: %s.", qname_text, s->network_error);
    else
        trpt_diag_add(s->diag, TLSRPT_SEVERITY_ERROR, "dns-timeout", TLSRPT_NO_OFFSET, NULL,
                      "No answer for %s within %u ms (%u tries per server).", qname_text, (unsigned)t->timeout_ms,
                      t->retries + 1);
    return TLSRPT_ETEMPFAIL;
}

/* ---- answers ----------------------------------------------------------------------------------------------------- */

/* Adds the strings of one TXT RR to the answer. TLSRPT_OK, TLSRPT_ELIMIT or TLSRPT_ENOMEM. */
static int add_txt_rr(tlsrpt_txt_answer *answer, const ldns_rr *rr)
{
    size_t n = ldns_rr_rd_count(rr);
    const char **strings = n ? calloc(n, sizeof *strings) : NULL;
    size_t *lens = n ? calloc(n, sizeof *lens) : NULL;
    if (n && (!strings || !lens)) {
        free(strings);
        free(lens);
        return TLSRPT_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const ldns_rdf *rdf = ldns_rr_rdf(rr, i);
        const uint8_t *d = ldns_rdf_data(rdf);
        size_t size = ldns_rdf_size(rdf);
        /* A character-string is a length byte and that many bytes; ldns checked it against the RDLENGTH. */
        if (size >= 1 && (size_t)d[0] + 1 <= size) {
            strings[i] = (const char *)d + 1;
            lens[i] = d[0];
        } else {
            strings[i] = "";
            lens[i] = 0;
        }
    }
    int rc = tlsrpt_txt_answer_add_with_ttl(answer, strings, lens, n, trpt_dns_ttl(ldns_rr_ttl(rr)));
    free(strings);
    free(lens);
    return rc;
}

static int chain_has(const trpt_dns_chain *c, const ldns_rdf *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (ldns_dname_compare(c->names[i], name) == 0)
            return 1;
    return 0;
}

int trpt_ldns_take_answer(const ldns_pkt *reply, trpt_dns_chain *c, tlsrpt_txt_answer *answer, tlsrpt_diag *diag,
                          size_t *ignored, int *again)
{
    int rc = TLSRPT_OK;
    *again = 0;
    answer->rcode = ldns_pkt_get_rcode(reply);
    if (!ldns_pkt_ad(reply))
        answer->authenticated = 0;

    const ldns_rr_list *an = ldns_pkt_answer(reply);
    size_t count = ldns_rr_list_rr_count(an);
    unsigned char *used = count ? calloc(count, 1) : NULL;
    if (count && !used)
        return TLSRPT_ENOMEM;
    int found_txt = 0, followed = 0, chain_refused = 0;
    (void)diag; /* the transport reports what it saw; judging it is the evaluation's job */
    for (;;) {
        const ldns_rdf *name = c->names[c->n - 1];
        for (size_t i = 0; i < count && rc == TLSRPT_OK; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(an, i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_TXT && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
                ldns_dname_compare(ldns_rr_owner(rr), name) == 0) {
                used[i] = 1;
                found_txt = 1;
                rc = add_txt_rr(answer, rr);
            }
        }
        if (rc != TLSRPT_OK || found_txt)
            break;
        const ldns_rdf *target = NULL;
        const ldns_rr *cname_rr = NULL;
        for (size_t i = 0; i < count; i++) {
            const ldns_rr *rr = ldns_rr_list_rr(an, i);
            if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CNAME && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
                ldns_dname_compare(ldns_rr_owner(rr), name) == 0 && ldns_rr_rd_count(rr) == 1) {
                used[i] = 1;
                target = ldns_rr_rdf(rr, 0);
                cname_rr = rr;
                break;
            }
        }
        if (!target)
            break;
        /* Every target is part of the facts; a loop or a target past the bound ends the walk there and the
         * evaluation refuses the chain (trpt_dns_chain_check). */
        char *to = ldns_rdf2str(target);
        if (!to) {
            rc = TLSRPT_ENOMEM;
            break;
        }
        /* The chain never outgrows the answer's: the walk stops at the first target past the bound. */
        rc = trpt_txt_answer_push_cname(answer, to, trpt_dns_ttl(ldns_rr_ttl(cname_rr)));
        free(to);
        if (rc != TLSRPT_OK)
            break;
        if (chain_has(c, target) || c->n > TRPT_DNS_MAX_CNAME_CHAIN) {
            chain_refused = 1;
            break;
        }
        c->names[c->n] = ldns_rdf_clone(target);
        if (!c->names[c->n]) {
            rc = TLSRPT_ENOMEM;
            break;
        }
        c->n++;
        followed = 1;
    }
    for (size_t i = 0; i < count; i++)
        if (!used[i])
            (*ignored)++;
    free(used);
    if (rc == TLSRPT_ELIMIT)
        answer->over_limit = 1;
    if (rc != TLSRPT_OK)
        return rc;
    if (ldns_pkt_get_rcode(reply) == LDNS_RCODE_NXDOMAIN)
        return TLSRPT_ENOTFOUND;
    if (chain_refused)
        return TLSRPT_OK;
    /* Ask again for the end of the chain only when this answer ended in a CNAME without the target's data. */
    *again = !found_txt && followed;
    return TLSRPT_OK;
}

int trpt_ldns_query_txt(const trpt_dns_transport *t, const char *qname, tlsrpt_txt_answer *answer,
                        tlsrpt_diag *diag)
{
    query_state s;
    memset(&s, 0, sizeof s);
    s.t = t;
    s.diag = diag;
    s.answer = answer;
    s.rcode_failure = -1;
    s.buf = malloc(DNS_MAX_MESSAGE);
    if (!s.buf)
        return TLSRPT_ENOMEM;

    trpt_dns_chain c;
    c.n = 0;
    ldns_rdf *first = NULL;
    if (ldns_str2rdf_dname(&first, qname) != LDNS_STATUS_OK || !first) {
        free(s.buf);
        return first ? TLSRPT_EINVAL : TLSRPT_ENOMEM;
    }
    c.names[c.n++] = first;
    answer->authenticated = 1;
    int rc = TLSRPT_OK;
    size_t ignored = 0;

    /* Each round queries the current end of the chain; a server that does not follow a CNAME (an authoritative
     * server whose target is in another zone) gets asked for the target. */
    for (;;) {
        ldns_rdf *current = c.names[c.n - 1];
        char *current_text = ldns_rdf2str(current);
        if (!current_text) {
            rc = TLSRPT_ENOMEM;
            break;
        }
        ldns_pkt *reply = NULL;
        rc = query_servers(&s, current_text, current, &reply);
        free(current_text);
        if (rc != TLSRPT_OK)
            break;
        int again = 0;
        rc = trpt_ldns_take_answer(reply, &c, answer, diag, &ignored, &again);
        ldns_pkt_free(reply);
        if (rc != TLSRPT_OK || !again)
            break;
    }
    if (ignored && (rc == TLSRPT_OK || rc == TLSRPT_ENOTFOUND))
        trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "dns-answer-rr-ignored", TLSRPT_NO_OFFSET, NULL,
                      "%zu resource record(s) in the answer section were not on the path from the query name to its "
                      "TXT records and were ignored.",
                      ignored);
    if (rc == TLSRPT_ELIMIT)
        rc = TLSRPT_OK; /* marked over_limit: the evaluation refuses it (dns-answer-too-large) */
    if (rc != TLSRPT_OK && rc != TLSRPT_ENOTFOUND)
        answer->authenticated = 0;
    for (size_t i = 0; i < c.n; i++)
        ldns_rdf_deep_free(c.names[i]);
    free(s.buf);
    return rc;
}
