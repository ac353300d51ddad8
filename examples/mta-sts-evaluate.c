/* mta-sts-evaluate: apply MTA-STS (RFC 8461) the way an event-loop MTA does, with answers it got itself.
 * SPDX-License-Identifier: MIT
 *
 * An MTA with its own resolver and HTTP client (an event loop, or Postfix's own DNS) queries the TXT record at
 * tlsrpt_sts_txt_qname() and fetches tlsrpt_sts_policy_url() itself, then hands both answers to
 * tlsrpt_sts_evaluate(): the same evaluation as tlsrpt_sts_lookup(), without network. With the policy it checks
 * each MX host (tlsrpt_sts_policy_matches) and counts the session under the policy's report entry
 * (tlsrpt_report_add_sts_policy). Here the "answers" are fixed strings, so the program needs no network.
 *
 * usage: mta-sts-evaluate [MX-HOST...]   (default: three MX hosts, one outside the policy) */
#include <stdio.h>
#include <string.h>
#include <tlsrpt/tlsrpt.h>

static const char DOMAIN[] = "example.com";
static const char TXT[] = "v=STSv1; id=20240701T000000Z;";
static const char POLICY[] = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.mx.example.com\r\n"
                             "max_age: 604800\r\n";

int main(int argc, char **argv)
{
    char *qname = NULL, *url = NULL;
    if (tlsrpt_sts_txt_qname(DOMAIN, &qname) != TLSRPT_OK || tlsrpt_sts_policy_url(DOMAIN, &url) != TLSRPT_OK)
        return 2;
    printf("query TXT %s, fetch %s\n", qname, url);
    tlsrpt_free(qname);
    tlsrpt_free(url);

    /* What the MTA's resolver answered: one TXT record of one string (a longer record comes as several). */
    tlsrpt_txt_answer *answer = NULL;
    tlsrpt_https_response *response = NULL;
    const char *strings[] = {TXT};
    size_t lens[] = {sizeof TXT - 1};
    if (tlsrpt_txt_answer_new(&answer) != TLSRPT_OK || tlsrpt_txt_answer_add(answer, strings, lens, 1) != TLSRPT_OK)
        return 2;
    /* What its HTTP client received (after verifying the certificate for mta-sts.example.com, RFC 8461 §3.3). A
     * client that got no response calls tlsrpt_https_response_set_error() with TLSRPT_STS_FETCH_TIMEOUT etc. */
    if (tlsrpt_https_response_new(&response) != TLSRPT_OK ||
        tlsrpt_https_response_set_status(response, 200, "text/plain; charset=utf-8") != TLSRPT_OK ||
        tlsrpt_https_response_append(response, POLICY, sizeof POLICY - 1) != TLSRPT_OK)
        return 2;

    tlsrpt_sts_lookup_result *r = NULL;
    int rc = tlsrpt_sts_evaluate(DOMAIN, TLSRPT_OK, answer, response, &r);
    tlsrpt_txt_answer_free(answer);
    tlsrpt_https_response_free(response);
    if (r == NULL)
        return 2; /* TLSRPT_EINVAL or TLSRPT_ENOMEM */
    if (rc != TLSRPT_OK) {
        /* No policy to apply: say why, and what to report if anything (NULL: the domain has no MTA-STS). */
        const char *type = tlsrpt_sts_lookup_result_result_type(r);
        printf("no policy: %s; report: %s\n", tlsrpt_status_string(rc), type ? type : "nothing");
        tlsrpt_sts_lookup_result_free(r);
        return 1;
    }
    const tlsrpt_sts_policy *p = tlsrpt_sts_lookup_result_policy(r); /* borrowed from r */
    printf("policy id %s, mode %d (2 = enforce), max_age %u\n",
           tlsrpt_sts_record_id(tlsrpt_sts_lookup_result_record(r)), tlsrpt_sts_policy_mode(p),
           (unsigned)tlsrpt_sts_policy_max_age(p));

    /* Per MX host: may the MTA deliver there under the policy? */
    const char *defaults[] = {"mail.example.com", "a.mx.example.com", "backup.example.net"};
    const char *const *hosts = argc > 1 ? (const char *const *)argv + 1 : defaults;
    int n = argc > 1 ? argc - 1 : 3;
    for (int i = 0; i < n; i++) {
        int m = tlsrpt_sts_policy_matches(p, hosts[i]);
        printf("%s: %s\n", hosts[i], m == 1 ? "matches" : m == 0 ? "does not match: do not deliver there" : "bad name");
    }

    /* A successful session under this policy, counted in the day's report. */
    tlsrpt_report *report = NULL;
    tlsrpt_policy *entry = NULL;
    if (tlsrpt_report_new(&report, "Example MTA", "tlsrpt@example.net", "2024-07-01-example.com", 1719792000,
                          1719878399) != TLSRPT_OK ||
        tlsrpt_report_add_sts_policy(report, DOMAIN, p, &entry) != TLSRPT_OK ||
        tlsrpt_policy_add_successes(entry, 1) != TLSRPT_OK) {
        tlsrpt_report_free(report);
        tlsrpt_sts_lookup_result_free(r);
        return 2;
    }
    printf("report entry: %zu policy strings, %zu mx-host patterns\n", tlsrpt_policy_string_count(entry),
           tlsrpt_policy_mx_host_count(entry));
    tlsrpt_report_free(report);
    tlsrpt_sts_lookup_result_free(r);
    return 0;
}
