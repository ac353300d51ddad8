/* libtlsrpt — schema and consistency checks on a report object (tlsrpt_report_validate).
 * SPDX-License-Identifier: MIT
 *
 * Severities (doc/diagnostics.md): a value that cannot be what the member says it is (an IP that is no IP, a
 * domain that is no domain, a date range that ends before it starts) is an ERROR; a deviation that real senders
 * commit and that a reader can live with (a missing member, an unknown type, counts that disagree, a range that is
 * not one day) is a WARNING, as in the lenient parser; style (non-canonical IPv6 text, a range not aligned to UTC
 * midnight, a missing reason code where RFC 8460 says SHOULD) is an INFO note. */
#include "domain.h"
#include "ip.h"
#include "report_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Report validation -------------------------------------------------------------------------------------------- */

/* The checks share one state: where findings go, the path being built, and whether an allocation failed. */
typedef struct validator {
    tlsrpt_diag *diag;
    trpt_buf path;
    size_t errors;
    int nomem;
} validator;

#define ONE_DAY 86400

static void finding(validator *v, int severity, const char *id, const char *fmt, ...) TRPT_PRINTF(4, 5);

static void finding(validator *v, int severity, const char *id, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (v->path.failed || trpt_diag_vadd(v->diag, severity, id, TLSRPT_NO_OFFSET, v->path.data ? v->path.data : "",
                                         fmt, ap) != TLSRPT_OK)
        v->nomem = 1;
    va_end(ap);
    if (severity == TLSRPT_SEVERITY_ERROR)
        v->errors++;
}

/* Sets the path to prefix + suffix; prefix is a length the path had before. */
static void path_at(validator *v, size_t prefix, const char *suffix)
{
    v->path.len = prefix;
    if (v->path.data)
        v->path.data[prefix] = '\0';
    trpt_buf_puts(&v->path, suffix);
}

/* Quoted untrusted text for a message; the buffer is the caller's. */
static const char *quoted(trpt_buf *b, const char *s)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    trpt_buf_putc(b, '"');
    trpt_buf_put_quoted(b, s, strlen(s), 80);
    trpt_buf_putc(b, '"');
    return b->failed ? "(text)" : b->data;
}

static void missing(validator *v, size_t prefix, const char *member, const char *what)
{
    path_at(v, prefix, member);
    finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-field-missing"), "The report has no %s (\"%s\").", what,
            strrchr(member, '/') + 1);
}

static void check_ip(validator *v, size_t prefix, const char *member, const char *ip)
{
    if (!ip)
        return;
    trpt_buf q;
    trpt_buf_init(&q);
    path_at(v, prefix, member);
    size_t len = strlen(ip);
    int family = trpt_ip_parse(ip, len, NULL);
    if (!family)
        finding(v, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-ip-invalid"),
                "%s is not an IPv4 address in dotted-quad form or an IPv6 address.", quoted(&q, ip));
    else if (!trpt_ip_is_canonical(ip, len))
        finding(v, TLSRPT_SEVERITY_INFO, DIAG_ID("report-ip-not-canonical"),
                "The IPv6 address %s is not in the RFC 5952 canonical form.", quoted(&q, ip));
    trpt_buf_free(&q);
}

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* A domain name in A-labels; with allow_wildcard, "*." may stand for the leftmost label (an mx-host pattern). */
static void check_domain(validator *v, size_t prefix, const char *member, const char *name, int allow_wildcard)
{
    if (!name)
        return;
    trpt_buf q;
    trpt_buf_init(&q);
    path_at(v, prefix, member);
    const char *host = name;
    if (allow_wildcard && strncmp(host, "*.", 2) == 0)
        host += 2;
    size_t len = strlen(host);
    if (has_non_ascii(host)) {
        finding(v, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-domain-not-alabel"),
                "%s is not written in A-labels (RFC 8460 requires the Punycode form of internationalized names).",
                quoted(&q, name));
    } else {
        char *alabel = NULL;
        int rc = trpt_domain_to_alabel(host, 0, &alabel);
        free(alabel);
        if (rc == TLSRPT_ENOMEM) {
            v->nomem = 1;
        } else if (rc != TLSRPT_OK) {
            finding(v, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-domain-invalid"), "%s is not a valid %s.", quoted(&q, name),
                    allow_wildcard ? "MX host pattern (a host name, or \"*.\" and a domain name)" : "host name");
        } else if (host[len - 1] == '.') {
            finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-domain-trailing-dot"),
                    "%s ends with a dot; reports write names without the root label.", quoted(&q, name));
        }
    }
    trpt_buf_free(&q);
}

static void check_date_range(validator *v, const tlsrpt_report *r)
{
    if (!r->has_start_time)
        missing(v, 0, "/date-range/start-datetime", "start of the date range");
    if (!r->has_end_time)
        missing(v, 0, "/date-range/end-datetime", "end of the date range");
    if (!r->has_start_time || !r->has_end_time)
        return;
    path_at(v, 0, "/date-range");
    if (r->end_time <= r->start_time) {
        finding(v, TLSRPT_SEVERITY_ERROR, DIAG_ID("report-date-range-inverted"),
                "The date range ends (%lld) at or before its start (%lld).", (long long)r->end_time,
                (long long)r->start_time);
        return;
    }
    /* Senders end the day at 23:59:59 or at the next midnight: both are one day. */
    int64_t length = r->end_time - r->start_time;
    if (length != ONE_DAY && length != ONE_DAY - 1)
        finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-date-range-not-one-day"),
                "The date range covers %lld seconds, not one day (RFC 8460 §4.1: a report SHOULD cover one full UTC "
                "day).",
                (long long)length);
    else if (r->start_time % ONE_DAY != 0)
        finding(v, TLSRPT_SEVERITY_INFO, DIAG_ID("report-date-range-not-midnight"),
                "The date range does not start at 00:00:00 UTC (RFC 8460 §4.1: reports cover 0000-2400 UTC).");
}

static void check_failure(validator *v, size_t prefix, const tlsrpt_failure *f)
{
    trpt_buf q;
    trpt_buf_init(&q);
    if (f->result_code == TLSRPT_RESULT_OTHER) {
        path_at(v, prefix, "/result-type");
        finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-result-type-unknown"),
                "The result type %s is not registered (RFC 8460 §4.3).", quoted(&q, f->result_type));
    }
    trpt_buf_free(&q);
    if (!f->sending_mta_ip)
        missing(v, prefix, "/sending-mta-ip", "sending MTA IP address");
    if (!f->receiving_mx_hostname)
        missing(v, prefix, "/receiving-mx-hostname", "receiving MX host name");
    check_ip(v, prefix, "/sending-mta-ip", f->sending_mta_ip);
    check_ip(v, prefix, "/receiving-ip", f->receiving_ip);
    check_domain(v, prefix, "/receiving-mx-hostname", f->receiving_mx_hostname, 0);
    if (!f->reason_code && (f->result_code == TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED ||
                            f->result_code == TLSRPT_RESULT_VALIDATION_FAILURE)) {
        path_at(v, prefix, "/failure-reason-code");
        finding(v, TLSRPT_SEVERITY_INFO, DIAG_ID("report-reason-code-missing"),
                "A %s failure has no failure-reason-code (RFC 8460 §4.3.1: it SHOULD have one).", f->result_type);
    }
}

static void check_policy(validator *v, size_t prefix, const tlsrpt_policy *p)
{
    trpt_buf q;
    trpt_buf_init(&q);
    if (p->type == TLSRPT_POLICY_OTHER) {
        path_at(v, prefix, "/policy/policy-type");
        finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-policy-type-unknown"),
                "The policy type %s is not one of \"sts\", \"tlsa\" and \"no-policy-found\".",
                quoted(&q, p->type_name));
    }
    trpt_buf_free(&q);
    if (!p->domain)
        missing(v, prefix, "/policy/policy-domain", "policy domain");
    if (!p->has_strings && (p->type == TLSRPT_POLICY_STS || p->type == TLSRPT_POLICY_TLSA))
        missing(v, prefix, "/policy/policy-string", "policy string");
    if (!p->has_mx_hosts && p->type == TLSRPT_POLICY_STS)
        missing(v, prefix, "/policy/mx-host", "MX host pattern of the MTA-STS policy");
    check_domain(v, prefix, "/policy/policy-domain", p->domain, 0);

    trpt_buf member;
    trpt_buf_init(&member);
    for (size_t i = 0; i < p->n_mx_hosts; i++) {
        member.len = 0;
        trpt_buf_printf(&member, "/policy/mx-host/%zu", i);
        if (member.failed) {
            v->nomem = 1;
            break;
        }
        check_domain(v, prefix, member.data, p->mx_hosts[i], 1);
    }
    trpt_buf_free(&member);

    uint64_t sum;
    int over = trpt_policy_details_sum(p, &sum) != TLSRPT_OK;
    if (p->n_failures > 0 && (over || sum != p->failed_sessions)) {
        path_at(v, prefix, "/summary/total-failure-session-count");
        if (over)
            finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-summary-mismatch"),
                    "The failed-session-counts of the failure details add up to more than 2^64-1.");
        else
            finding(v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-summary-mismatch"),
                    "The summary counts %llu failed sessions, but the failure details add up to %llu.",
                    (unsigned long long)p->failed_sessions, (unsigned long long)sum);
    }

    for (size_t i = 0; i < p->n_failures && !v->nomem; i++) {
        path_at(v, prefix, "");
        trpt_buf_printf(&v->path, "/failure-details/%zu", i);
        check_failure(v, v->path.len, p->failures[i]);
    }
}

TLSRPT_API int tlsrpt_report_validate(const tlsrpt_report *r, tlsrpt_diag *diag)
{
    if (!r)
        return TLSRPT_EINVAL;
    validator v = {diag, {NULL, 0, 0, 0}, 0, 0};
    trpt_buf_init(&v.path);
    trpt_buf_puts(&v.path, "");

    if (!r->organization_name)
        missing(&v, 0, "/organization-name", "organization name");
    if (!r->contact_info)
        missing(&v, 0, "/contact-info", "contact information");
    if (!r->report_id)
        missing(&v, 0, "/report-id", "report id");
    check_date_range(&v, r);
    if (r->n_policies == 0) {
        path_at(&v, 0, "/policies");
        finding(&v, TLSRPT_SEVERITY_WARNING, DIAG_ID("report-policies-empty"), "The report has no policies.");
    }
    for (size_t i = 0; i < r->n_policies && !v.nomem; i++) {
        path_at(&v, 0, "");
        trpt_buf_printf(&v.path, "/policies/%zu", i);
        check_policy(&v, v.path.len, r->policies[i]);
    }
    if (v.path.failed)
        v.nomem = 1;
    trpt_buf_free(&v.path);
    if (v.nomem)
        return TLSRPT_ENOMEM;
    return v.errors ? TLSRPT_ESEMANTIC : TLSRPT_OK;
}
