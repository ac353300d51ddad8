/* libtlsrpt — DNS: finding a domain's TLSRPT record (RFC 8460 §3) and checking external report destinations.
 * SPDX-License-Identifier: MIT
 *
 * A tlsrpt_resolver sends TXT queries, by default over UDP/TCP to the name servers of the system configuration
 * (resolv.conf, read through ldns), or through a lookup function the caller provides (an MTA's own resolver).
 * tlsrpt_lookup() applies RFC 8460 §3 to what it finds; tlsrpt_check_authorization() checks the optional
 * external-destination authorization record (the DMARC RFC 7489 §7.1 mechanism transposed to TLSRPT).
 * Each of them is a query and a pure evaluation; a program that already holds the answer (its own resolver, an event
 * loop) calls the evaluation alone: tlsrpt_lookup_qname() + tlsrpt_lookup_evaluate(), tlsrpt_authorization_name()
 * + tlsrpt_authorization_evaluate() (since 1.1).
 *
 * Thread safety: one resolver must not be used from several threads at the same time (lookups use and update its
 * state); use one resolver per thread. Results are independent objects.
 */
#ifndef TLSRPT_DNS_H
#define TLSRPT_DNS_H

#include <tlsrpt/common.h>
#include <tlsrpt/record.h>
#include <tlsrpt/uri.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrpt_resolver tlsrpt_resolver;
typedef struct tlsrpt_txt_answer tlsrpt_txt_answer;
typedef struct tlsrpt_lookup_result tlsrpt_lookup_result;

/* Limits on one TXT answer, whoever produced it (the network or a lookup function). An answer over a limit is
 * never evaluated: the lookup fails with TLSRPT_ELIMIT. Since: 1.0 */
#define TLSRPT_MAX_TXT_RRS 256u             /* TXT resource records in one answer */
#define TLSRPT_MAX_TXT_ANSWER_SIZE 262144u  /* bytes of TXT text in one answer, all strings of all RRs */
#define TLSRPT_MAX_RESOLVER_RETRIES 10u     /* tlsrpt_resolver_set_retries() */

/* Defaults of a new resolver. Since: 1.0 */
#define TLSRPT_RESOLVER_DEFAULT_TIMEOUT_MS 5000u /* wait for one answer */
#define TLSRPT_RESOLVER_DEFAULT_RETRIES 1u       /* further rounds over all name servers after the first */

/* A TTL that is not known (an answer from a lookup function that did not give one). Since: 1.1 */
#define TLSRPT_TTL_UNKNOWN (-1)

/* Verdicts of tlsrpt_check_authorization(). Since: 1.0 */
#define TLSRPT_AUTH_NOT_REQUIRED 0   /* destination in the policy domain's organizational domain */
#define TLSRPT_AUTH_AUTHORIZED 1     /* the destination published the authorization record */
#define TLSRPT_AUTH_NOT_AUTHORIZED 2 /* it did not (or it cannot: an IP-literal host) */

/**
 * tlsrpt_resolver_new - a resolver using the system's name servers (resolv.conf, read with ldns).
 * @out: receives the new resolver (free with tlsrpt_resolver_free); NULL on failure.
 * A missing or unusable resolv.conf does not fail here: the resolver is created and every lookup through the
 * system configuration then fails with TLSRPT_ETEMPFAIL and the diagnostic "dns-no-resolver-config", until
 * tlsrpt_resolver_set_nameserver() or tlsrpt_resolver_set_lookup() gives it another way to resolve.
 * Queries ask for the AD bit (RFC 6840 §5.7), use EDNS0 with a 1232-byte UDP buffer and fall back to TCP when an
 * answer is truncated. Defaults: TLSRPT_RESOLVER_DEFAULT_TIMEOUT_MS, TLSRPT_RESOLVER_DEFAULT_RETRIES.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out is NULL) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_resolver_new(tlsrpt_resolver **out);

/**
 * tlsrpt_resolver_set_nameserver - replace the list of name servers with one server.
 * @address: an IPv4 ("192.0.2.53") or IPv6 ("2001:db8::53") literal, without brackets or zone index.
 * @port: the UDP/TCP port; 0 means the DNS port 53.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL, or not an IP literal; the resolver is then unchanged) or
 * TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_resolver_set_nameserver(tlsrpt_resolver *res, const char *address, uint16_t port);

/**
 * tlsrpt_resolver_set_timeout - how long to wait for each answer, in milliseconds (> 0).
 * A lookup takes at most about (retries + 1) × servers × timeout. Returns TLSRPT_OK or TLSRPT_EINVAL (NULL or 0).
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_resolver_set_timeout(tlsrpt_resolver *res, uint32_t milliseconds);

/**
 * tlsrpt_resolver_set_retries - further rounds over all name servers after the first one fails (timeout, network
 * error, bad reply, SERVFAIL, REFUSED). 0..TLSRPT_MAX_RESOLVER_RETRIES.
 * Returns TLSRPT_OK or TLSRPT_EINVAL. Since: 1.0
 */
TLSRPT_API int tlsrpt_resolver_set_retries(tlsrpt_resolver *res, unsigned int retries);

/**
 * tlsrpt_txt_lookup_fn - the caller's own TXT lookup (see tlsrpt_resolver_set_lookup).
 * @qname: the absolute query name in A-labels with the trailing dot, e.g. "_smtp._tls.example.com.".
 * @answer: add each TXT RR found at qname with tlsrpt_txt_answer_add() (after following CNAMEs); borrowed, valid
 *          only during the call. Since 1.1 the function may also give the RRs' TTLs
 *          (tlsrpt_txt_answer_add_with_ttl()), the CNAME chain it followed (tlsrpt_txt_answer_add_cname()) and the
 *          server (tlsrpt_txt_answer_set_server()); what it does not give is reported as unknown.
 * Returns TLSRPT_OK (answer filled; no RR added means the name exists without TXT records), TLSRPT_ENOTFOUND
 * (NXDOMAIN) or TLSRPT_ETEMPFAIL (SERVFAIL, timeout, ...). Any other value is treated as TLSRPT_ETEMPFAIL.
 * Since: 1.0
 */
typedef int (*tlsrpt_txt_lookup_fn)(const char *qname, tlsrpt_txt_answer *answer, void *userdata);

/**
 * tlsrpt_resolver_set_lookup - send every query of this resolver to @fn instead of the network.
 * @fn: the lookup function, or NULL to go back to the name servers. @userdata is passed to it unchanged.
 * Returns TLSRPT_OK or TLSRPT_EINVAL (res is NULL). Since: 1.0
 */
TLSRPT_API int tlsrpt_resolver_set_lookup(tlsrpt_resolver *res, tlsrpt_txt_lookup_fn fn, void *userdata);

/**
 * tlsrpt_txt_answer_add - add one TXT resource record to an answer (inside a tlsrpt_txt_lookup_fn).
 * @strings, @lens: the record's @n character-strings and their lengths (copied; binary-safe, no NUL needed).
 *                  n may be 0 (an empty record); then strings and lens may be NULL.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument), TLSRPT_ELIMIT (over TLSRPT_MAX_TXT_RRS or
 * TLSRPT_MAX_TXT_ANSWER_SIZE: the answer is then marked incomplete and the lookup fails with TLSRPT_ELIMIT,
 * whatever the function returns) or TLSRPT_ENOMEM (the lookup fails with TLSRPT_ENOMEM). Since: 1.0
 */
TLSRPT_API int tlsrpt_txt_answer_add(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens, size_t n);

/**
 * tlsrpt_txt_answer_set_authenticated - say that the caller's resolver validated the answer with DNSSEC
 * (nonzero) or not (0, the default). Reported by tlsrpt_lookup_result_authenticated().
 * Returns TLSRPT_OK or TLSRPT_EINVAL. Since: 1.0
 */
TLSRPT_API int tlsrpt_txt_answer_set_authenticated(tlsrpt_txt_answer *a, int authenticated);

/**
 * tlsrpt_txt_answer_new - a new, empty TXT answer owned by the caller, for the functions that evaluate an answer the
 * caller already has (its own resolver, an event loop) instead of querying: fill it with tlsrpt_txt_answer_add() and
 * tlsrpt_txt_answer_set_authenticated(), hand it to an evaluation function, free it with tlsrpt_txt_answer_free().
 * The limits TLSRPT_MAX_TXT_RRS and TLSRPT_MAX_TXT_ANSWER_SIZE apply as in a lookup function; an answer that went
 * over them (an add returned TLSRPT_ELIMIT) evaluates to TLSRPT_ELIMIT.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out is NULL) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_txt_answer_new(tlsrpt_txt_answer **out);

/** tlsrpt_txt_answer_free - free an answer made by tlsrpt_txt_answer_new(). NULL is a no-op. Since: 1.1 */
TLSRPT_API void tlsrpt_txt_answer_free(tlsrpt_txt_answer *a);

/**
 * tlsrpt_txt_answer_add_with_ttl - tlsrpt_txt_answer_add() with the RR's TTL, reported by
 * tlsrpt_lookup_result_txt_ttl(). tlsrpt_txt_answer_add() records the TTL as TLSRPT_TTL_UNKNOWN.
 * @ttl: the TTL in seconds as the DNS message had it (0..4294967295; a value with the most significant bit set is
 *       taken as 0, RFC 2181 §8), or TLSRPT_TTL_UNKNOWN.
 * Returns what tlsrpt_txt_answer_add() returns, and TLSRPT_EINVAL for any other @ttl (the answer is then unchanged).
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_txt_answer_add_with_ttl(tlsrpt_txt_answer *a, const char *const *strings, const size_t *lens,
                                              size_t n, int64_t ttl);

/**
 * tlsrpt_txt_answer_add_cname - add the next CNAME followed from the query name to the TXT RRs (the caller's
 * resolver followed it): call it once per CNAME, in chain order, the target of each.
 * @target: the CNAME's target, a domain name (copied; a trailing dot is added when missing), at most 254 bytes.
 * @ttl: the CNAME RR's TTL as for tlsrpt_txt_answer_add_with_ttl(), or TLSRPT_TTL_UNKNOWN.
 * The evaluation applies the library's CNAME rule to the chain: more than 11 CNAMEs, or a target equal to the query
 * name or to an earlier target (a loop), is a permanent "no usable record" (TLSRPT_ENOTFOUND, dns-cname-*), as for
 * an answer from the network.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument, an empty or too long target, a bad @ttl; the answer is
 * unchanged), TLSRPT_ELIMIT (the chain already holds 12 targets: it is marked too long) or TLSRPT_ENOMEM.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_txt_answer_add_cname(tlsrpt_txt_answer *a, const char *target, int64_t ttl);

/**
 * tlsrpt_txt_answer_set_server - say which name server gave the answer, reported by tlsrpt_lookup_result_server().
 * @address: an IPv4 or IPv6 literal (copied, in its canonical text form); @port: its port, 0 when not known.
 * Returns TLSRPT_OK or TLSRPT_EINVAL (NULL, or not an IP literal; the answer is then unchanged). Since: 1.1
 */
TLSRPT_API int tlsrpt_txt_answer_set_server(tlsrpt_txt_answer *a, const char *address, uint16_t port);

/** tlsrpt_resolver_free - free a resolver. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_resolver_free(tlsrpt_resolver *res);

/**
 * tlsrpt_lookup - find and parse the TLSRPT record of @domain (RFC 8460 §3).
 * @res: the resolver (its state is used and updated: not from two threads at once).
 * @domain: the policy domain, U-labels or A-labels, optional trailing dot. The query goes to
 *          "_smtp._tls.<A-label domain>." (IDNA2008, non-transitional).
 * @out: receives the result (free with tlsrpt_lookup_result_free) for every status but TLSRPT_ENOMEM and
 *       TLSRPT_EINVAL, when it is NULL.
 * Strings of one TXT RR are joined without spaces; RRs that do not start "v=TLSRPTv1" *WSP ";" are ignored (kept
 * in the txt list, with an INFO diagnostic). Returns the result's status:
 *   TLSRPT_OK        exactly one candidate record, and it parsed;
 *   TLSRPT_ENOTFOUND NXDOMAIN, no TXT records, or no candidate among them;
 *   TLSRPT_EMULTIPLE two or more candidates (the domain then has no TLSRPT policy);
 *   TLSRPT_ESYNTAX / TLSRPT_ESEMANTIC / TLSRPT_ELIMIT  the single candidate failed to parse (see the diagnostics);
 *                    TLSRPT_ELIMIT also when the answer was over TLSRPT_MAX_TXT_RRS or TLSRPT_MAX_TXT_ANSWER_SIZE;
 *   TLSRPT_ETEMPFAIL SERVFAIL, REFUSED, timeout, network error, unusable replies, no resolver configuration;
 *   TLSRPT_EINVAL    NULL argument, or @domain is not a host name (or "_smtp._tls." + it exceeds 253 octets);
 *   TLSRPT_ENOMEM.
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_lookup(tlsrpt_resolver *res, const char *domain, tlsrpt_lookup_result **out);

/**
 * tlsrpt_lookup_qname - the name tlsrpt_lookup() queries for @domain: "_smtp._tls.<A-label domain>." (absolute,
 * lower case, IDNA2008 non-transitional), for a program that sends the TXT query itself. No DNS query is made.
 * @out: receives the new name (free with tlsrpt_free); NULL on failure. (Last, not first as for other functions
 *       that make a string: issue 13 names these functions with the parameters of tlsrpt_lookup() minus the
 *       resolver, so that moving from tlsrpt_lookup() to the evaluation changes only the transport.)
 * Returns TLSRPT_OK, TLSRPT_EINVAL (a NULL argument, @domain is not a host name, or the name exceeds 253 octets)
 * or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_lookup_qname(const char *domain, char **out);

/**
 * tlsrpt_lookup_evaluate - tlsrpt_lookup() without the query: apply RFC 8460 §3 to an answer the caller already
 * has for tlsrpt_lookup_qname(@domain) (its own resolver, an event loop), with exactly the rules, statuses and
 * diagnostics of tlsrpt_lookup().
 * @domain: the policy domain, as for tlsrpt_lookup().
 * @dns_status: what the caller's query gave: TLSRPT_OK (an answer; no RR in it means the name exists without TXT
 *              records), TLSRPT_ENOTFOUND (NXDOMAIN) or TLSRPT_ETEMPFAIL (SERVFAIL, timeout, ...: the result is
 *              TLSRPT_ETEMPFAIL with the ERROR dns-lookup-tempfail).
 * @answer: the TXT RRs at the name (after following CNAMEs), filled with tlsrpt_txt_answer_add() or
 *          tlsrpt_txt_answer_add_with_ttl(), the chain with tlsrpt_txt_answer_add_cname(), the AD bit with
 *          tlsrpt_txt_answer_set_authenticated(), the server with tlsrpt_txt_answer_set_server() (borrowed, only
 *          read; it may be used again). NULL is an empty answer.
 * @out: receives the result (free with tlsrpt_lookup_result_free) for every status but TLSRPT_ENOMEM and
 *       TLSRPT_EINVAL, when it is NULL. The result keeps a copy of what it needs.
 * Returns the result's status, as tlsrpt_lookup() does; TLSRPT_EINVAL also for a @dns_status other than the three.
 * No resolver, no I/O: thread-safe for distinct @out. Since: 1.1
 */
TLSRPT_API int tlsrpt_lookup_evaluate(const char *domain, int dns_status, const tlsrpt_txt_answer *answer,
                                      tlsrpt_lookup_result **out);

/**
 * tlsrpt_lookup_result_status - the status tlsrpt_lookup() returned; TLSRPT_EINVAL for NULL. Since: 1.0
 */
TLSRPT_API int tlsrpt_lookup_result_status(const tlsrpt_lookup_result *l);

/** tlsrpt_lookup_result_qname - the query name "_smtp._tls.<a-label domain>." (borrowed); NULL for NULL. Since: 1.0 */
TLSRPT_API const char *tlsrpt_lookup_result_qname(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_txt_count - number of TXT RRs found at the name (candidates and others), in answer order.
 * 0 for NULL. Since: 1.0
 */
TLSRPT_API size_t tlsrpt_lookup_result_txt_count(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_txt - TXT RR i, its strings joined without spaces, NUL-terminated (borrowed). The text
 * may itself contain NUL bytes: use tlsrpt_lookup_result_txt_length(). NULL when out of range. Since: 1.0
 */
TLSRPT_API const char *tlsrpt_lookup_result_txt(const tlsrpt_lookup_result *l, size_t i);

/** tlsrpt_lookup_result_txt_length - length in bytes of TXT RR i (joined); 0 when out of range. Since: 1.0 */
TLSRPT_API size_t tlsrpt_lookup_result_txt_length(const tlsrpt_lookup_result *l, size_t i);

/**
 * tlsrpt_lookup_result_record - the parsed record (borrowed), non-NULL only when the status is TLSRPT_OK.
 * Since: 1.0
 */
TLSRPT_API const tlsrpt_record *tlsrpt_lookup_result_record(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_authenticated - 1 if the answer came with the AD bit (the resolver validated it with
 * DNSSEC; trust it only as far as the path to that resolver), or the lookup function said so; else 0.
 * When the lookup took several replies (a CNAME target queried again), every one of them had to carry AD.
 * It describes the DNS data the status rests on, whatever the status: 1 with TLSRPT_ENOTFOUND means the absence
 * (NXDOMAIN, no data) or the refused data (a CNAME loop or a chain over the bound, an answer over the size limits:
 * TLSRPT_ELIMIT) was validated; it never means that a usable record was found. It is 0 for TLSRPT_ETEMPFAIL (no
 * usable answer). (1.0 reported 0 for an answer over the size limits whatever its AD bit.)
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_lookup_result_authenticated(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_diag - every finding of the lookup and of the record parse (borrowed; never NULL for a
 * non-NULL result). Since: 1.0
 */
TLSRPT_API const tlsrpt_diag *tlsrpt_lookup_result_diag(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_txt_ttl - the TTL in seconds of TXT RR i as the answer had it (0..2147483647), or
 * TLSRPT_TTL_UNKNOWN when the lookup function or the caller's answer did not give it, or i is out of range.
 * Since: 1.1
 */
TLSRPT_API int64_t tlsrpt_lookup_result_txt_ttl(const tlsrpt_lookup_result *l, size_t i);

/**
 * tlsrpt_lookup_result_txt_string_count - number of character-strings of TXT RR i (their original boundaries, which
 * tlsrpt_lookup_result_txt() joins); 0 when out of range (and for an RR without strings). Since: 1.1
 */
TLSRPT_API size_t tlsrpt_lookup_result_txt_string_count(const tlsrpt_lookup_result *l, size_t i);

/**
 * tlsrpt_lookup_result_txt_string - character-string j of TXT RR i (0..255 bytes, NUL-terminated, may itself hold
 * NUL bytes: use tlsrpt_lookup_result_txt_string_length()), borrowed; NULL when out of range. Since: 1.1
 */
TLSRPT_API const char *tlsrpt_lookup_result_txt_string(const tlsrpt_lookup_result *l, size_t i, size_t j);

/** tlsrpt_lookup_result_txt_string_length - length of string j of TXT RR i; 0 when out of range. Since: 1.1 */
TLSRPT_API size_t tlsrpt_lookup_result_txt_string_length(const tlsrpt_lookup_result *l, size_t i, size_t j);

/**
 * tlsrpt_lookup_result_cname_count - number of CNAMEs followed from the query name (0: the TXT RRs are owned by the
 * query name itself). CNAME i is owned by the query name (i = 0) or by the target of CNAME i-1. For a chain refused
 * as a loop or as too long (dns-cname-loop, dns-cname-chain-too-long), the last one is the CNAME that was refused.
 * 0 for NULL. Since: 1.1
 */
TLSRPT_API size_t tlsrpt_lookup_result_cname_count(const tlsrpt_lookup_result *l);

/** tlsrpt_lookup_result_cname - the target of CNAME i, absolute with the trailing dot (borrowed); NULL when out of
 * range. Since: 1.1 */
TLSRPT_API const char *tlsrpt_lookup_result_cname(const tlsrpt_lookup_result *l, size_t i);

/** tlsrpt_lookup_result_cname_ttl - the TTL of CNAME i, or TLSRPT_TTL_UNKNOWN (not given, out of range).
 * Since: 1.1 */
TLSRPT_API int64_t tlsrpt_lookup_result_cname_ttl(const tlsrpt_lookup_result *l, size_t i);

/**
 * tlsrpt_lookup_result_server - the name server that gave the final answer, as an IP literal ("127.0.0.1",
 * "2001:db8::53"), borrowed; NULL when not known (a lookup function or caller's answer that did not say, or no
 * server answered: TLSRPT_ETEMPFAIL). When the library queried a CNAME target again, it is the server of the last
 * reply. Since: 1.1
 */
TLSRPT_API const char *tlsrpt_lookup_result_server(const tlsrpt_lookup_result *l);

/** tlsrpt_lookup_result_server_port - the port of tlsrpt_lookup_result_server(), 0 when not known. Since: 1.1 */
TLSRPT_API uint16_t tlsrpt_lookup_result_server_port(const tlsrpt_lookup_result *l);

/**
 * tlsrpt_lookup_result_to_json - the lookup result as a JSON object (doc/json-output.md, "Lookup result"):
 * "qname", "status" ("valid", "not-found", "multiple", "syntax-error", "unusable", "over-limit",
 * "temporary-failure"), "authenticated", "txt" (every TXT text, strings joined), "answer" (the CNAME chain, then
 * each TXT RR with its TTL and character-strings), "server" (the name server that answered, or null), "record" (the
 * record object of tlsrpt_record_to_json without a policy domain, or null) and "findings" (as
 * tlsrpt_diag_to_json).
 * @flags: 0 or TLSRPT_JSON_PRETTY. @out: a new string (free with tlsrpt_free), NULL on failure; @out_len may be
 * NULL. TXT bytes that are not UTF-8 are written as U+FFFD.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL l or out, unknown flag) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_lookup_result_to_json(const tlsrpt_lookup_result *l, unsigned int flags, char **out,
                                            size_t *out_len);

/** tlsrpt_lookup_result_free - free a result and everything it owns. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_lookup_result_free(tlsrpt_lookup_result *l);

/**
 * tlsrpt_authorization_name - the name of the external-authorization record for reports of @policy_domain sent to
 * @destination: "<policy-domain A-label>._report._tls.<destination host A-label>" (no trailing dot), the owner of
 * the TXT record "v=TLSRPTv1" that tlsrpt_check_authorization() looks for. No DNS query is made.
 * @out: receives the new name (free with tlsrpt_free); NULL on failure.
 * @policy_domain: U-labels or A-labels, optional trailing dot ('_' is allowed in labels).
 * @destination: a destination with a host name (mailto: or https:; tlsrpt_uri_host()).
 * @required: may be NULL; receives 1 when the destination host is outside the organizational domain of the policy
 *            domain (Public Suffix List), so that receivers that verify external destinations expect the record,
 *            else 0. It is also set when the result is TLSRPT_ELIMIT; it is 0 on every other failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (out, policy_domain or destination NULL; the policy domain is not a domain name;
 * the destination has no host, or its host is an IP address or not a domain name), TLSRPT_ELIMIT (the name would
 * be longer than 253 octets, so no such record can exist) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_authorization_name(char **out, const char *policy_domain, const tlsrpt_uri *destination,
                                         int *required);

/**
 * tlsrpt_check_authorization - may @policy_domain send its reports to @destination? (optional local policy; RFC
 * 8460 does not require it, see tlsrpt_check_authorization(3)).
 * @verdict: receives TLSRPT_AUTH_NOT_REQUIRED when the destination host is in the policy domain's organizational
 *           domain (Public Suffix List); otherwise TLSRPT_AUTH_AUTHORIZED when a TXT RR at
 *           "<policy-domain>._report._tls.<destination host>." (a DNS wildcard answers too) starts with
 *           "v=TLSRPTv1" followed by the end or *WSP ";", else TLSRPT_AUTH_NOT_AUTHORIZED.
 *           On failure it is set to TLSRPT_AUTH_NOT_AUTHORIZED.
 * @diag: findings are appended here (why a destination is or is not authorized, DNS problems); may be NULL.
 * Returns TLSRPT_OK (verdict set), TLSRPT_ETEMPFAIL (temporary DNS failure: decide later), TLSRPT_EINVAL (NULL
 * argument, policy domain not a domain name, destination without a host) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_check_authorization(tlsrpt_resolver *res, const char *policy_domain,
                                          const tlsrpt_uri *destination, int *verdict, tlsrpt_diag *diag);

/**
 * tlsrpt_authorization_evaluate - tlsrpt_check_authorization() without the query: decide from an answer the caller
 * already has for the TXT query at tlsrpt_authorization_name() + "." (its own resolver, an event loop), with exactly
 * the rules, verdicts and diagnostics of tlsrpt_check_authorization().
 * @dns_status, @answer: as for tlsrpt_lookup_evaluate(); not looked at when no query is needed (the destination is
 *           in the policy domain's organizational domain, its host is an IP address, or the name would be over 253
 *           octets: tlsrpt_authorization_name() says which).
 * @verdict: as for tlsrpt_check_authorization(); TLSRPT_AUTH_NOT_AUTHORIZED on failure.
 * Returns TLSRPT_OK (verdict set), TLSRPT_ETEMPFAIL (@dns_status was TLSRPT_ETEMPFAIL; ERROR dns-lookup-tempfail
 * in diag), TLSRPT_EINVAL (NULL argument, policy domain not a domain name, destination without a host, a
 * @dns_status other than TLSRPT_OK, TLSRPT_ENOTFOUND, TLSRPT_ETEMPFAIL) or TLSRPT_ENOMEM. No resolver, no I/O.
 * Since: 1.1
 */
TLSRPT_API int tlsrpt_authorization_evaluate(const char *policy_domain, const tlsrpt_uri *destination,
                                             int dns_status, const tlsrpt_txt_answer *answer, int *verdict,
                                             tlsrpt_diag *diag);

#ifdef __cplusplus
}
#endif

#endif
