/* libtlsrpt — the registered STARTTLS validation result types (RFC 8460 §4.3, IANA registry) and policy types.
 * SPDX-License-Identifier: MIT */
#include "report_internal.h"

#include <string.h>

typedef struct result_type_info {
    int code;
    const char *name;
    size_t name_len;
    const char *description;
} result_type_info;

/* A name and its length, for the table below. */
#define NAME(s) s, sizeof s - 1

/* Indexed by code - 1. The sentences say what the sending MTA saw and what the receiving domain should check. */
static const result_type_info result_types[] = {
    {TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED, NAME("starttls-not-supported"),
     "The receiving MX did not offer STARTTLS, so no encrypted session could be set up; check that every MX host "
     "advertises STARTTLS in its EHLO response and that nothing on the path strips it."},
    {TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH, NAME("certificate-host-mismatch"),
     "The certificate the receiving MX presented does not name the MX host (or match the policy's mx patterns); "
     "check that each MX host's certificate lists its host name in the subject alternative names."},
    {TLSRPT_RESULT_CERTIFICATE_EXPIRED, NAME("certificate-expired"),
     "The certificate the receiving MX presented has expired; renew it and check that the server was reloaded to "
     "use the new certificate."},
    {TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED, NAME("certificate-not-trusted"),
     "The certificate chain the receiving MX presented could not be validated up to a trusted certificate "
     "authority; check that the server sends the complete intermediate chain and uses a certificate from a "
     "publicly trusted authority."},
    {TLSRPT_RESULT_VALIDATION_FAILURE, NAME("validation-failure"),
     "The TLS session or certificate failed validation for a reason outside the other categories; check the "
     "failure reason code in the report and the MX host's TLS configuration."},
    {TLSRPT_RESULT_TLSA_INVALID, NAME("tlsa-invalid"),
     "None of the DANE TLSA records published for the MX host matched the certificate it presented; check that the "
     "TLSA records were updated for the current certificate or key."},
    {TLSRPT_RESULT_DNSSEC_INVALID, NAME("dnssec-invalid"),
     "The sender's DNSSEC-validating resolver returned no valid records for the DANE lookup; check the DNSSEC "
     "signatures and DS delegation of the MX host's zone."},
    {TLSRPT_RESULT_DANE_REQUIRED, NAME("dane-required"),
     "The sender requires DANE but found no DNSSEC-validated TLSA records for the MX host; check that TLSA records "
     "are published in a signed zone with a valid chain of trust."},
    {TLSRPT_RESULT_STS_POLICY_FETCH_ERROR, NAME("sts-policy-fetch-error"),
     "The sender could not retrieve the domain's MTA-STS policy; check that https://mta-sts.<domain>/.well-known/"
     "mta-sts.txt is reachable and answers with status 200."},
    {TLSRPT_RESULT_STS_POLICY_INVALID, NAME("sts-policy-invalid"),
     "The sender retrieved the domain's MTA-STS policy but found it invalid; check the policy file's syntax and "
     "that its version, mode, mx and max_age fields are correct."},
    {TLSRPT_RESULT_STS_WEBPKI_INVALID, NAME("sts-webpki-invalid"),
     "The MTA-STS policy could not be authenticated because the certificate of the mta-sts web host failed PKIX "
     "validation; check that host's HTTPS certificate, its name and its chain."},
};

#define RESULT_TYPE_COUNT (sizeof result_types / sizeof result_types[0])

static const result_type_info *find_result_type_text(const char *s, size_t len)
{
    for (size_t i = 0; i < RESULT_TYPE_COUNT; i++)
        if (result_types[i].name_len == len && memcmp(result_types[i].name, s, len) == 0)
            return &result_types[i];
    return NULL;
}

static const result_type_info *find_result_type(const char *name)
{
    return name ? find_result_type_text(name, strlen(name)) : NULL;
}

int trpt_result_code_from_name(const char *name)
{
    const result_type_info *t = find_result_type(name);
    return t ? t->code : TLSRPT_RESULT_OTHER;
}

int trpt_result_code_from_text(const char *s, size_t len)
{
    const result_type_info *t = find_result_type_text(s, len);
    return t ? t->code : TLSRPT_RESULT_OTHER;
}

const char *trpt_result_code_to_name(int code)
{
    if (code < 1 || (size_t)code > RESULT_TYPE_COUNT)
        return NULL;
    return result_types[code - 1].name;
}

TLSRPT_API const char *tlsrpt_result_type_description(const char *result_type)
{
    const result_type_info *t = find_result_type(result_type);
    return t ? t->description : NULL;
}

int trpt_policy_type_from_name(const char *name)
{
    return name ? trpt_policy_type_from_text(name, strlen(name)) : TLSRPT_POLICY_OTHER;
}

int trpt_policy_type_from_text(const char *s, size_t len)
{
    if (len == 3 && memcmp(s, "sts", 3) == 0)
        return TLSRPT_POLICY_STS;
    if (len == 4 && memcmp(s, "tlsa", 4) == 0)
        return TLSRPT_POLICY_TLSA;
    if (len == 15 && memcmp(s, "no-policy-found", 15) == 0)
        return TLSRPT_POLICY_NO_POLICY_FOUND;
    return TLSRPT_POLICY_OTHER;
}

const char *trpt_policy_type_to_name(int type)
{
    switch (type) {
    case TLSRPT_POLICY_STS:
        return "sts";
    case TLSRPT_POLICY_TLSA:
        return "tlsa";
    case TLSRPT_POLICY_NO_POLICY_FOUND:
        return "no-policy-found";
    default:
        return NULL;
    }
}
