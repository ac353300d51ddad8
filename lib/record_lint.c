/* libtlsrpt — what a careful checker says about a valid record. SPDX-License-Identifier: MIT
 *
 * None of these findings makes a record invalid; each has a stable id (doc/diagnostics.md, "Record lint"). */
#include "domain.h"
#include "uri_internal.h"

#include <stdlib.h>
#include <string.h>

/* More destinations than this draw lint-rua-many. RFC 8460 §3 lets a reporter deliver to only one of them ("A
 * receiver MAY opt to only attempt delivery to one of the endpoints"), so a destination beyond the first may receive
 * nothing; the threshold of 2 is this library's choice (one destination and one backup), not a measured number. */
#define LINT_RUA_RELIABLE 2u

/* One DNS character-string (RFC 1035 §3.3); a longer record must be published as several. */
#define LINT_TXT_STRING_MAX 255u

/* One lint-rua-external per destination outside the policy domain's organizational domain, naming the record
 * tlsrpt_authorization_name() computes (the one that tlsrpt_check_authorization() looks up). */
static int lint_external(const tlsrpt_record *r, const char *policy, tlsrpt_diag *diag)
{
    for (size_t i = 0; i < tlsrpt_record_rua_count(r); i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER)
            continue;
        char *name = NULL;
        int required = 0;
        int rc = tlsrpt_authorization_name(&name, policy, u, &required);
        if (rc == TLSRPT_EINVAL)
            continue; /* no host, or an IP address: no record can authorize it */
        if (rc == TLSRPT_ENOMEM)
            return rc;
        size_t mark = tlsrpt_diag_count(diag);
        if (required && rc == TLSRPT_OK) {
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-rua-external", TLSRPT_NO_OFFSET, NULL,
                               "Destination %zu (%s) is outside the organizational domain of %s; receivers that "
                               "verify external destinations expect the TXT record %s \"v=TLSRPTv1\".",
                               i + 1, tlsrpt_uri_string(u), policy, name);
            if (rc == TLSRPT_OK)
                rc = trpt_diag_hint(diag, mark, "lint-rua-external",
                                    "Ask the owner of %s to publish TXT %s. \"v=TLSRPTv1\" in its zone, or use a "
                                    "destination in %s.",
                                    tlsrpt_uri_host(u), name, policy);
        }
        else if (required)
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-rua-external", TLSRPT_NO_OFFSET, NULL,
                               "Destination %zu (%s) is outside the organizational domain of %s; the authorization "
                               "record that receivers verifying external destinations look for would have a name "
                               "longer than %u octets, so it cannot be published.",
                               i + 1, tlsrpt_uri_string(u), policy, TRPT_DOMAIN_MAX_LENGTH);
        else
            rc = TLSRPT_OK;
        tlsrpt_free(name);
        if (rc != TLSRPT_OK)
            return rc;
    }
    return TLSRPT_OK;
}

static int lint_duplicates(const tlsrpt_record *r, tlsrpt_diag *diag)
{
    size_t n = tlsrpt_record_rua_count(r);
    char **keys = calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return TLSRPT_ENOMEM;
    int rc = TLSRPT_OK;
    for (size_t i = 0; i < n && rc == TLSRPT_OK; i++) {
        keys[i] = trpt_uri_identity_key(tlsrpt_record_rua(r, i));
        if (!keys[i]) {
            rc = TLSRPT_ENOMEM;
            break;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(keys[i], keys[j]) == 0) {
                rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "lint-rua-duplicate", TLSRPT_NO_OFFSET, NULL,
                                   "Destination %zu (%s) repeats destination %zu; reporters may send every report "
                                   "twice.",
                                   i + 1, tlsrpt_uri_string(tlsrpt_record_rua(r, i)), j + 1);
                break;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i]);
    free(keys);
    return rc;
}

TLSRPT_API int tlsrpt_record_lint(const tlsrpt_record *r, const char *policy_domain, tlsrpt_diag *diag)
{
    if (!r || !diag)
        return TLSRPT_EINVAL;
    char *policy = NULL;
    if (policy_domain) {
        int rc = trpt_domain_to_alabel(policy_domain, 1, &policy);
        if (rc != TLSRPT_OK)
            return rc;
    }
    int rc = lint_duplicates(r, diag);
    size_t n = tlsrpt_record_rua_count(r), mailto = 0;
    for (size_t i = 0; i < n && rc == TLSRPT_OK; i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        if (tlsrpt_uri_scheme(u) == TLSRPT_URI_MAILTO)
            mailto++;
        if (tlsrpt_uri_scheme(u) != TLSRPT_URI_OTHER)
            continue;
        const char *s = tlsrpt_uri_string(u);
        int http = trpt_ascii_strncasecmp(s, "http:", 5) == 0;
        size_t mark = tlsrpt_diag_count(diag);
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "lint-rua-scheme-unsupported", TLSRPT_NO_OFFSET, NULL,
                           "Destination %zu (%s) %s; reporters only deliver to mailto: and https:.", i + 1, s,
                           http ? "uses plain http:, not https:" : "uses an unsupported scheme");
        if (rc == TLSRPT_OK && http)
            rc = trpt_diag_hint(diag, mark, "lint-rua-scheme-unsupported", "Did you mean \"https:%s\"?", s + 5);
    }
    if (rc == TLSRPT_OK && n > LINT_RUA_RELIABLE)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-rua-many", TLSRPT_NO_OFFSET, NULL,
                           "The record lists %zu destinations; RFC 8460 §3 lets a reporter deliver to only one of "
                           "them, so the others may receive no report.",
                           n);
    if (rc == TLSRPT_OK && n > 0 && mailto == 0)
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-no-mailto", TLSRPT_NO_OFFSET, NULL,
                           "The record has no mailto: destination; RFC 8460 §5.4 makes delivery by HTTPS POST "
                           "optional (MAY), so a reporter that delivers only by e-mail sends nothing here.");
    if (rc == TLSRPT_OK && policy)
        rc = lint_external(r, policy, diag);
    if (rc == TLSRPT_OK && n > 0) {
        char *text = NULL;
        size_t len = 0;
        rc = tlsrpt_record_serialize(r, &text, &len);
        if (rc == TLSRPT_OK && len > LINT_TXT_STRING_MAX)
            rc = trpt_diag_add(diag, TLSRPT_SEVERITY_INFO, "lint-record-long", TLSRPT_NO_OFFSET, NULL,
                               "The record is %zu bytes long; it must be published as several character-strings "
                               "of at most %u bytes (tlsrpt_record_to_zone does this), which some DNS editors "
                               "get wrong.",
                               len, LINT_TXT_STRING_MAX);
        free(text);
    }
    free(policy);
    return rc;
}
