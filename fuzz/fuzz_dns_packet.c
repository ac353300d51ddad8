/* Fuzz target: the reply handling of the ldns transport (lib/dns_ldns.c) with fuzzed wire-format replies, without a
 * network: trpt_ldns_check_reply() (id, QR, parse, opcode, question) and trpt_ldns_take_answer() (TXT RRs, CNAME
 * chain), driven the way trpt_ldns_query_txt() drives them.
 *
 * Input layout:
 *   byte 0  bits 0-1: the query name (a fixed list); bit 2: the query id is 0xBEEF (else each reply's own first two
 *           bytes, so replies pass the id check and the fuzzer reaches the parser).
 *   then    up to MAX_REPLIES replies, each a 2-byte big-endian length and that many bytes (the last one takes what
 *           is left), as over TCP. Each reply answers the query for the current end of the CNAME chain; a rejected
 *           reply or an rcode other than NOERROR/NXDOMAIN is skipped as the transport skips it (next datagram or
 *           next server).
 *
 * Invariants: a rejected reply adds one WARNING dns-reply-*; an accepted one has one TXT/IN question for the query
 * name; take_answer returns a documented code (ELIMIT only with the answer marked over the limit, ENOTFOUND only
 * for NXDOMAIN) and adds no diagnostic (judging is the evaluation's); the chain never exceeds
 * TRPT_DNS_MAX_CNAME_CHAIN CNAMEs and holds no name twice; the answer's CNAME list is the chain's targets, plus at
 * most one refused target (a loop or one past the bound) that ends the walk, and trpt_dns_chain_check() refuses
 * exactly such a list (ENOTFOUND with dns-cname-loop / dns-cname-chain-too-long); the TXT RRs added are exactly the
 * TXT/IN RRs owned by the end of the chain, none after a refused target; the answer stays within
 * TLSRPT_MAX_TXT_RRS / TLSRPT_MAX_TXT_ANSWER_SIZE, each RR's strings NUL-terminated and summing to its length, and
 * every TTL is 0..2^31-1.
 * SPDX-License-Identifier: MIT */
#include <ldns/ldns.h>
#include <stdint.h>
#include <string.h>

#include "dns_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_REPLIES 16u

static const char *const qnames[] = {
    "_smtp._tls.example.com.",
    "_smtp._tls.xn--bcher-kva.example.",
    "example.com._report._tls.reports.example.net.",
    "_smtp._tls.a.",
};

static size_t count_severity(const tlsrpt_diag *d, int severity)
{
    size_t n = 0;
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++)
        if (tlsrpt_diag_severity(d, i) == severity)
            n++;
    return n;
}

static const char *last_id(const tlsrpt_diag *d)
{
    size_t n = tlsrpt_diag_count(d);
    return n ? tlsrpt_diag_id(d, n - 1) : "";
}

/* TXT/IN RRs of the answer section owned by name. */
static size_t txt_owned_by(const ldns_pkt *p, const ldns_rdf *name)
{
    const ldns_rr_list *an = ldns_pkt_answer(p);
    size_t n = 0;
    for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
        const ldns_rr *rr = ldns_rr_list_rr(an, i);
        if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_TXT && ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
            ldns_dname_compare(ldns_rr_owner(rr), name) == 0)
            n++;
    }
    return n;
}

static void check_answer(const tlsrpt_txt_answer *a)
{
    FUZZ_CHECK(a->n_rrs <= TLSRPT_MAX_TXT_RRS && a->n_rrs <= a->cap_rrs);
    FUZZ_CHECK(a->total_bytes <= TLSRPT_MAX_TXT_ANSWER_SIZE);
    size_t total = 0;
    for (size_t i = 0; i < a->n_rrs; i++) {
        const trpt_txt_rr *rr = &a->rrs[i];
        size_t sum = 0;
        for (size_t k = 0; k < rr->n_strings; k++) {
            FUZZ_CHECK(rr->lens[k] <= 255);
            FUZZ_CHECK(rr->strings[k][rr->lens[k]] == '\0');
            sum += rr->lens[k];
        }
        FUZZ_CHECK(sum == rr->total_len);
        FUZZ_CHECK(rr->ttl >= 0 && rr->ttl <= 0x7fffffff);
        total += sum;
    }
    FUZZ_CHECK(total == a->total_bytes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *qname = qnames[data[0] & 3u];
    const int fixed_id = (data[0] & 4u) != 0;
    size_t pos = 1;

    tlsrpt_diag *diag = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 0;
    trpt_dns_chain c;
    c.n = 0;
    ldns_rdf *first = NULL;
    FUZZ_CHECK(ldns_str2rdf_dname(&first, qname) == LDNS_STATUS_OK && first != NULL);
    c.names[c.n++] = first;
    tlsrpt_txt_answer answer;
    trpt_txt_answer_init(&answer);
    answer.authenticated = 1;
    size_t ignored = 0;

    for (unsigned k = 0; k < MAX_REPLIES && pos < size; k++) {
        size_t len = size - pos;
        if (len >= 2) {
            size_t want = ((size_t)data[pos] << 8) | data[pos + 1];
            pos += 2;
            len = size - pos;
            if (want < len)
                len = want;
        } else {
            pos += len;
            len = 0;
        }
        /* An exact-size copy, so ASan sees every read past the reply. */
        uint8_t *wire = malloc(len ? len : 1);
        if (!wire)
            break;
        if (len)
            memcpy(wire, data + pos, len);
        pos += len;
        uint16_t id = fixed_id ? 0xBEEF : (len >= 2 ? (uint16_t)((wire[0] << 8) | wire[1]) : 0);

        const ldns_rdf *current = c.names[c.n - 1];
        size_t warnings = count_severity(diag, TLSRPT_SEVERITY_WARNING);
        size_t entries = tlsrpt_diag_count(diag);
        ldns_pkt *p = (ldns_pkt *)&c; /* must be overwritten */
        int rc = trpt_ldns_check_reply(wire, len, id, current, "fuzz", diag, &p);
        free(wire);
        if (rc == TLSRPT_ENOMEM) {
            FUZZ_CHECK(p == NULL);
            break;
        }
        if (rc != TLSRPT_OK) {
            FUZZ_CHECK(rc == TLSRPT_ESYNTAX && p == NULL);
            FUZZ_CHECK(tlsrpt_diag_count(diag) == entries + 1);
            FUZZ_CHECK(count_severity(diag, TLSRPT_SEVERITY_WARNING) == warnings + 1);
            FUZZ_CHECK(strncmp(last_id(diag), "dns-reply-", 10) == 0);
            continue;
        }
        FUZZ_CHECK(p != NULL && tlsrpt_diag_count(diag) == entries);
        FUZZ_CHECK(ldns_pkt_id(p) == id && ldns_pkt_qr(p) && ldns_pkt_get_opcode(p) == LDNS_PACKET_QUERY);
        FUZZ_CHECK(ldns_pkt_qdcount(p) == 1);
        const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(p), 0);
        FUZZ_CHECK(q && ldns_rr_get_type(q) == LDNS_RR_TYPE_TXT && ldns_rr_get_class(q) == LDNS_RR_CLASS_IN);
        FUZZ_CHECK(ldns_dname_compare(ldns_rr_owner(q), current) == 0);
        int rcode = ldns_pkt_get_rcode(p);
        if (rcode != LDNS_RCODE_NOERROR && rcode != LDNS_RCODE_NXDOMAIN) {
            ldns_pkt_free(p);
            continue; /* SERVFAIL, REFUSED, ...: the transport asks the next server */
        }

        size_t n_before = answer.n_rrs, chain_before = c.n, errors = count_severity(diag, TLSRPT_SEVERITY_ERROR);
        size_t ignored_before = ignored, an_count = ldns_rr_list_rr_count(ldns_pkt_answer(p));
        int again = -1;
        rc = trpt_ldns_take_answer(p, &c, &answer, diag, &ignored, &again);
        FUZZ_CHECK(again == 0 || again == 1);
        FUZZ_CHECK(answer.rcode == rcode);
        if (!ldns_pkt_ad(p))
            FUZZ_CHECK(answer.authenticated == 0);
        FUZZ_CHECK(c.n >= chain_before && c.n <= TRPT_DNS_MAX_CNAME_CHAIN + 1);
        for (size_t i = 0; i < c.n; i++)
            for (size_t j = i + 1; j < c.n; j++)
                FUZZ_CHECK(ldns_dname_compare(c.names[i], c.names[j]) != 0);
        FUZZ_CHECK(ignored - ignored_before <= an_count);
        FUZZ_CHECK(count_severity(diag, TLSRPT_SEVERITY_ERROR) == errors);
        check_answer(&answer);
        /* The answer's chain: the followed targets, then possibly one refused target. */
        int refused = answer.n_cnames == c.n;
        if (rc != TLSRPT_ENOMEM) {
            FUZZ_CHECK(answer.n_cnames == c.n - 1 || refused);
            for (size_t i = 1; i < c.n; i++) {
                char *text = ldns_rdf2str(c.names[i]);
                if (text)
                    FUZZ_CHECK(strcmp(text, answer.cnames[i - 1]) == 0);
                free(text);
            }
            tlsrpt_diag *judged = NULL;
            if (tlsrpt_diag_new(&judged) == TLSRPT_OK) {
                int crc = trpt_dns_chain_check(&answer, qname, judged);
                if (crc != TLSRPT_ENOMEM) {
                    FUZZ_CHECK(crc == (refused ? TLSRPT_ENOTFOUND : TLSRPT_OK));
                    if (refused)
                        FUZZ_CHECK(strcmp(last_id(judged), "dns-cname-loop") == 0 ||
                                   strcmp(last_id(judged), "dns-cname-chain-too-long") == 0);
                }
                tlsrpt_diag_free(judged);
            }
        }
        switch (rc) {
        case TLSRPT_OK:
            FUZZ_CHECK(rcode == LDNS_RCODE_NOERROR);
            FUZZ_CHECK(answer.n_rrs - n_before == txt_owned_by(p, c.names[c.n - 1]));
            if (again)
                FUZZ_CHECK(c.n > chain_before && answer.n_rrs == n_before && !refused);
            if (refused)
                FUZZ_CHECK(!again && answer.n_rrs == n_before);
            break;
        case TLSRPT_ENOTFOUND:
            FUZZ_CHECK(rcode == LDNS_RCODE_NXDOMAIN && !again);
            break;
        case TLSRPT_ELIMIT:
            FUZZ_CHECK(!again && answer.over_limit);
            break;
        default:
            FUZZ_CHECK(rc == TLSRPT_ENOMEM);
            break;
        }
        ldns_pkt_free(p);
        if (rc != TLSRPT_OK || !again)
            break;
    }

    trpt_txt_answer_clear(&answer);
    for (size_t i = 0; i < c.n; i++)
        ldns_rdf_deep_free(c.names[i]);
    tlsrpt_diag_free(diag);
    return 0;
}
