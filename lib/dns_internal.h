/* libtlsrpt — the narrow interface between the DNS evaluation (dns.c, authz.c: pure, RFC 8460 §3 and the
 * authorization rule applied to an answer), the answer object both sides share (dns_answer.c), the resolver object
 * (dns_resolver.c: which transport answers a query) and the ldns transport (dns_ldns.c).
 * The evaluation never queries; the transport never evaluates. Private, never installed. SPDX-License-Identifier: MIT */
#ifndef TLSRPT_DNS_INTERNAL_H
#define TLSRPT_DNS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "internal.h"

/* CNAMEs followed from the query name to the TXT RRset, over all queries of one lookup: 11, what BIND (the
 * max-query-restarts default since 9.18.29 / 9.20.1) and Unbound (max-query-restarts and iter-scrub-cname, 11
 * since 1.22) follow. A longer chain, or a loop, is a permanent "no usable record" (doc/dns.md). */
#define TRPT_DNS_MAX_CNAME_CHAIN 11u

/* One TXT resource record: its character-strings, each with its length (binary-safe, each also NUL-terminated). */
typedef struct trpt_txt_rr {
    size_t n_strings;
    char **strings;
    size_t *lens;
    size_t total_len; /* sum of lens: the length of the joined text */
    int64_t ttl;      /* seconds, 0..2^31-1, or TLSRPT_TTL_UNKNOWN (since 1.1) */
} trpt_txt_rr;

/* What one TXT query found. Filled by the ldns transport or by the caller's lookup function. */
struct tlsrpt_txt_answer {
    trpt_txt_rr *rrs;
    size_t n_rrs;
    size_t cap_rrs;
    size_t total_bytes;  /* sum of all RRs' total_len, bounded by TLSRPT_MAX_TXT_ANSWER_SIZE */
    int authenticated;   /* AD bit of the answer, or what the lookup function said */
    int rcode;           /* DNS rcode of the final answer, or -1 when unknown (lookup function, no answer) */
    int over_limit;      /* an add was refused with TLSRPT_ELIMIT: the answer is incomplete */
    int out_of_memory;   /* an add failed with TLSRPT_ENOMEM */
    /* The CNAME chain from the query name (since 1.1): the targets in order, each owned, absolute (trailing dot),
     * with the TTL of the CNAME RR. It ends where the transport stopped: at the owner of the TXT RRs, at a name
     * that does not exist, at a target seen before (a loop) or at the first target past TRPT_DNS_MAX_CNAME_CHAIN.
     * trpt_dns_chain_check() judges it. */
    char *cnames[TRPT_DNS_MAX_CNAME_CHAIN + 1];
    int64_t cname_ttls[TRPT_DNS_MAX_CNAME_CHAIN + 1];
    size_t n_cnames;
    int cname_overflow; /* more than TRPT_DNS_MAX_CNAME_CHAIN + 1 targets were added: the chain is too long */
    /* The server that gave the final answer (since 1.1): an IP literal, "" when unknown; its port, 0 when unknown. */
    char server[48];
    uint16_t server_port;
};

void trpt_txt_answer_init(tlsrpt_txt_answer *a);
void trpt_txt_answer_clear(tlsrpt_txt_answer *a);
/* Deep copy of src into dst (initialized, empty). TLSRPT_OK or TLSRPT_ENOMEM (dst then cleared). */
int trpt_txt_answer_copy(tlsrpt_txt_answer *dst, const tlsrpt_txt_answer *src);
/* Frees the TXT RRs and keeps the rest (chain, AD bit, server, rcode): an NXDOMAIN answer has no data. */
void trpt_txt_answer_drop_rrs(tlsrpt_txt_answer *a);
/* Moves src into dst (dst's old contents are freed) and leaves src initialized and empty. */
void trpt_txt_answer_move(tlsrpt_txt_answer *dst, tlsrpt_txt_answer *src);
/* Appends a CNAME target (copied, a trailing dot added when missing) with its TTL, unchecked (the transport's names
 * come from ldns's presentation form). TLSRPT_OK, TLSRPT_ELIMIT (already one past TRPT_DNS_MAX_CNAME_CHAIN:
 * cname_overflow is set) or TLSRPT_ENOMEM (out_of_memory is set). */
int trpt_txt_answer_push_cname(tlsrpt_txt_answer *a, const char *target, int64_t ttl);
/* RFC 2181 §8: a TTL with the most significant bit set is taken as 0. */
int64_t trpt_dns_ttl(uint32_t wire_ttl);
/* Sets the answering server from a socket address (the transport). */
void trpt_txt_answer_set_server_addr(tlsrpt_txt_answer *a, const struct sockaddr_storage *addr);

/* The CNAME chain rule of the evaluation, one place for lookups and authorization checks: TLSRPT_OK when the
 * answer's chain from `qname` is usable, TLSRPT_ENOTFOUND with an ERROR dns-cname-loop (a target equal to the
 * query name or to an earlier target, compared without case) or dns-cname-chain-too-long (more than
 * TRPT_DNS_MAX_CNAME_CHAIN CNAMEs) in diag, or TLSRPT_ENOMEM. */
int trpt_dns_chain_check(const tlsrpt_txt_answer *a, const char *qname, tlsrpt_diag *diag);

/* The ERROR id (dns-answer-too-large, sts-dns-answer-too-large) for an answer marked over_limit. TLSRPT_ELIMIT,
 * or TLSRPT_ENOMEM. */
int trpt_dns_answer_too_large(const char *id, const char *qname, tlsrpt_diag *diag);

/* Default EDNS0 UDP payload size announced in queries (the DNS flag day 2020 value). */
#define TRPT_DNS_EDNS_UDP_SIZE 1232u
/* Name servers taken from resolv.conf (glibc's MAXNS is 3; ldns reads more). */
#define TRPT_DNS_MAX_SERVERS 8u

typedef struct trpt_nameserver {
    struct sockaddr_storage addr;
    socklen_t addr_len;
} trpt_nameserver;

/* How to reach the name servers: what the transport needs from the resolver object. */
typedef struct trpt_dns_transport {
    const trpt_nameserver *servers;
    size_t n_servers;
    uint32_t timeout_ms;
    unsigned retries;
    uint16_t edns_udp_size; /* 0: no EDNS0 (queries are then limited to 512-byte UDP answers) */
} trpt_dns_transport;

/* Reads a resolv.conf through ldns (path NULL: the system's /etc/resolv.conf). Fills up to TRPT_DNS_MAX_SERVERS
 * servers into `servers` (caller-provided array) and their number into *n, and the port ldns reports.
 * Returns TLSRPT_OK, TLSRPT_ETEMPFAIL (the file is missing or unusable; *error receives a new message, free()) or
 * TLSRPT_ENOMEM. */
int trpt_ldns_read_config(const char *path, trpt_nameserver *servers, size_t *n, char **error);

/* Sends a TXT/IN query for `qname` (absolute, trailing dot, A-labels) to the servers of `t`, following CNAMEs in the
 * answers (and querying a CNAME target again when the server did not follow it), verifying every reply (id,
 * question, QR, class, owner names along the chain), falling back to TCP when a UDP answer is truncated and
 * repeating a query once without EDNS0 when a server answers it FORMERR (RFC 6891 §7). The transport only reports
 * what DNS said; it does not judge it: the answer receives the TXT RRs (strings, TTLs), the CNAME chain (stopped at
 * a loop or past TRPT_DNS_MAX_CNAME_CHAIN, judged by trpt_dns_chain_check()), the AD bit (1 when every reply used
 * had it), the rcode and the answering server; an answer over TLSRPT_MAX_TXT_RRS / TLSRPT_MAX_TXT_ANSWER_SIZE is
 * marked over_limit.
 * Returns TLSRPT_OK (answer filled; no RR = no data), TLSRPT_ENOTFOUND (NXDOMAIN at the end of the chain),
 * TLSRPT_ETEMPFAIL (with an ERROR in diag saying why) or TLSRPT_ENOMEM. `answer` must be initialized and empty. */
int trpt_ldns_query_txt(const trpt_dns_transport *t, const char *qname, tlsrpt_txt_answer *answer,
                        tlsrpt_diag *diag);

/* ---- Reply handling of the ldns transport (used by trpt_ldns_query_txt; exposed for fuzz/fuzz_dns_packet.c) ---- */

struct ldns_struct_pkt; /* ldns_pkt */
struct ldns_struct_rdf; /* ldns_rdf */

/* The names of one lookup: the query name (names[0]), then each CNAME target followed. Each name is owned
 * (ldns_rdf_deep_free). */
typedef struct trpt_dns_chain {
    struct ldns_struct_rdf *names[TRPT_DNS_MAX_CNAME_CHAIN + 1];
    size_t n;
} trpt_dns_chain;

/* Checks one reply (`len` wire bytes) to the query with `id` for `qname`: header length, id, QR bit, ldns parse,
 * opcode QUERY, exactly one question that is qname TXT IN. `server` names the sender in the message.
 * Returns TLSRPT_OK (*out is the parsed packet, ldns_pkt_free), TLSRPT_ESYNTAX (the reply is rejected: a WARNING
 * dns-reply-malformed / dns-reply-id-mismatch / dns-reply-question-mismatch in diag says why; *out NULL) or
 * TLSRPT_ENOMEM. The rcode and TC bit are not looked at. */
int trpt_ldns_check_reply(const uint8_t *wire, size_t len, uint16_t id, const struct ldns_struct_rdf *qname,
                          const char *server, tlsrpt_diag *diag, struct ldns_struct_pkt **out);

/* Takes an accepted NOERROR or NXDOMAIN reply to the query for the chain's last name: sets answer->rcode, clears
 * answer->authenticated when the AD bit is clear, adds the TXT/IN RRs owned by the end of the chain, following
 * CNAME/IN RRs of the answer section first (c grows, at most TRPT_DNS_MAX_CNAME_CHAIN CNAMEs; each target followed
 * is added to the answer's chain). A target already in the chain (a loop), or one past the bound, is added to the
 * answer's chain and ends the walk without TXT RRs. Adds the number of answer RRs it did not use to *ignored.
 * Returns TLSRPT_OK (*again 1 when the answer ended in a CNAME without the target's data: query the chain's new
 * end), TLSRPT_ENOTFOUND (NXDOMAIN), TLSRPT_ELIMIT (over TLSRPT_MAX_TXT_RRS or TLSRPT_MAX_TXT_ANSWER_SIZE: the
 * answer is marked over_limit) or TLSRPT_ENOMEM. It adds no diagnostic. */
int trpt_ldns_take_answer(const struct ldns_struct_pkt *reply, trpt_dns_chain *c, tlsrpt_txt_answer *answer,
                          tlsrpt_diag *diag, size_t *ignored, int *again);

/* ---- Resolver internals used by dns.c, authz.c and white-box tests ---------------------------------------- */

/* Like tlsrpt_resolver_new(), reading `resolv_conf` instead of the system file (tests of a missing file). */
int trpt_resolver_new_from_file(tlsrpt_resolver **out, const char *resolv_conf);

/* Changes the EDNS0 UDP size announced in queries (0 = no EDNS0); for tests of the truncation path. */
int trpt_resolver_set_edns_udp_size(tlsrpt_resolver *res, uint16_t size);

/* One TXT query through the resolver's backend (lookup function or network): the transport only. Returns
 * TLSRPT_OK (answer filled, possibly marked over_limit or with a chain that trpt_dns_chain_check() refuses),
 * TLSRPT_ENOTFOUND (NXDOMAIN; the answer keeps its chain, AD bit and server, no RR), TLSRPT_ETEMPFAIL (an ERROR
 * in diag says why; the answer is empty) or TLSRPT_ENOMEM. The evaluation (dns.c, authz.c) judges the rest. */
int trpt_resolver_query(tlsrpt_resolver *res, const char *qname, tlsrpt_txt_answer *answer, tlsrpt_diag *diag);

/* One TXT query through the resolver's backend (lookup function or network), with the result codes of 1.0 (kept
 * for lib/sts/): trpt_resolver_query(), then TLSRPT_ELIMIT (with the ERROR dns-answer-too-large) for an answer
 * over the limits and TLSRPT_ETEMPFAIL (with the ERROR dns-cname-loop or dns-cname-chain-too-long) for a chain
 * that trpt_dns_chain_check() refuses; the callback's other codes become TLSRPT_ETEMPFAIL with a diagnostic.
 * Code that wants the 1.1 rule (such a chain is a permanent "no usable record") calls trpt_resolver_query() and
 * trpt_dns_chain_check(). On any status but TLSRPT_OK and TLSRPT_ENOTFOUND the answer is empty. */
int trpt_resolver_query_txt(tlsrpt_resolver *res, const char *qname, tlsrpt_txt_answer *answer, tlsrpt_diag *diag);

/* The resolver's HTTPS settings for MTA-STS policy fetches (lib/sts/sts_fetch.c owns the type): the slot in the
 * resolver, NULL until a setting is made; tlsrpt_resolver_free() frees it with trpt_https_settings_free(). */
struct trpt_https_settings;
struct trpt_https_settings **trpt_resolver_https_slot(tlsrpt_resolver *res);
void trpt_https_settings_free(struct trpt_https_settings *s);

/* Joins the strings of one RR into a new NUL-terminated buffer (free()); its length in *len. NULL on ENOMEM. */
char *trpt_txt_rr_join(const trpt_txt_rr *rr, size_t *len);

/* Which TXT record of an answer is the one record of a tag-value kind (RFC 8460 §3 for TLSRPT, RFC 8461 §3.1 for
 * MTA-STS): the words and ids of its findings. */
typedef struct trpt_txt_kind {
    int (*is_candidate)(const char *text, size_t len);
    const char *a_record;     /* "a TLSRPT record" */
    const char *policy;       /* "TLSRPT" (the domain publishes no ... policy) */
    const char *version;      /* "v=TLSRPTv1;": what a candidate starts with */
    const char *rule;         /* "RFC 8460 section 3": what says several candidates mean no policy */
    const char *id_not_kind;  /* INFO for each other record */
    const char *id_no_data, *id_no_record, *id_multiple; /* ERRORs */
} trpt_txt_kind;

/* Joins every RR of the answer into out[i] (NUL-terminated, length in lens[i]; both arrays new, n_out set as they
 * fill: the caller frees them whatever the result), notes each RR that is not a candidate (INFO, quoted), and
 * finds the candidate. Returns TLSRPT_OK (exactly one: its index in *candidate), TLSRPT_ENOTFOUND (none: no data or
 * no record), TLSRPT_EMULTIPLE (several; an ERROR each) or TLSRPT_ENOMEM. qname names the query in messages. */
int trpt_txt_select(const trpt_txt_kind *kind, const tlsrpt_txt_answer *a, const char *qname, char ***out,
                    size_t **lens, size_t *n_out, size_t *candidate, tlsrpt_diag *diag);

#endif
