/* TLS verdicts to result types (include/tlsrpt/tls.h). Compiled against OpenSSL's and GnuTLS's headers (never
 * linked to either): every number lib/tls_result.c writes as a number is proven equal to the library's constant.
 * SPDX-License-Identifier: MIT */
#include <gnutls/gnutls.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "testutil.h"
#include "tls_result.h"

#include <tlsrpt/tls.h>

typedef struct {
    long value;
    const char *name;
} named;
#define C(x) {(long)(x), #x}

/* Every X509_V_ERR_* of the OpenSSL 3.0 headers, written by name: the compiler gives the values. */
static const named openssl_codes[] = {
    C(X509_V_ERR_UNSPECIFIED),
    C(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT),
    C(X509_V_ERR_UNABLE_TO_GET_CRL),
    C(X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE),
    C(X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE),
    C(X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY),
    C(X509_V_ERR_CERT_SIGNATURE_FAILURE),
    C(X509_V_ERR_CRL_SIGNATURE_FAILURE),
    C(X509_V_ERR_CERT_NOT_YET_VALID),
    C(X509_V_ERR_CERT_HAS_EXPIRED),
    C(X509_V_ERR_CRL_NOT_YET_VALID),
    C(X509_V_ERR_CRL_HAS_EXPIRED),
    C(X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD),
    C(X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD),
    C(X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD),
    C(X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD),
    C(X509_V_ERR_OUT_OF_MEM),
    C(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT),
    C(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN),
    C(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY),
    C(X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE),
    C(X509_V_ERR_CERT_CHAIN_TOO_LONG),
    C(X509_V_ERR_CERT_REVOKED),
    C(X509_V_ERR_NO_ISSUER_PUBLIC_KEY),
    C(X509_V_ERR_PATH_LENGTH_EXCEEDED),
    C(X509_V_ERR_INVALID_PURPOSE),
    C(X509_V_ERR_CERT_UNTRUSTED),
    C(X509_V_ERR_CERT_REJECTED),
    C(X509_V_ERR_SUBJECT_ISSUER_MISMATCH),
    C(X509_V_ERR_AKID_SKID_MISMATCH),
    C(X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH),
    C(X509_V_ERR_KEYUSAGE_NO_CERTSIGN),
    C(X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER),
    C(X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION),
    C(X509_V_ERR_KEYUSAGE_NO_CRL_SIGN),
    C(X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION),
    C(X509_V_ERR_INVALID_NON_CA),
    C(X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED),
    C(X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE),
    C(X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED),
    C(X509_V_ERR_INVALID_EXTENSION),
    C(X509_V_ERR_INVALID_POLICY_EXTENSION),
    C(X509_V_ERR_NO_EXPLICIT_POLICY),
    C(X509_V_ERR_DIFFERENT_CRL_SCOPE),
    C(X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE),
    C(X509_V_ERR_UNNESTED_RESOURCE),
    C(X509_V_ERR_PERMITTED_VIOLATION),
    C(X509_V_ERR_EXCLUDED_VIOLATION),
    C(X509_V_ERR_SUBTREE_MINMAX),
    C(X509_V_ERR_APPLICATION_VERIFICATION),
    C(X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE),
    C(X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX),
    C(X509_V_ERR_UNSUPPORTED_NAME_SYNTAX),
    C(X509_V_ERR_CRL_PATH_VALIDATION_ERROR),
    C(X509_V_ERR_PATH_LOOP),
    C(X509_V_ERR_SUITE_B_INVALID_VERSION),
    C(X509_V_ERR_SUITE_B_INVALID_ALGORITHM),
    C(X509_V_ERR_SUITE_B_INVALID_CURVE),
    C(X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM),
    C(X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED),
    C(X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256),
    C(X509_V_ERR_HOSTNAME_MISMATCH),
    C(X509_V_ERR_EMAIL_MISMATCH),
    C(X509_V_ERR_IP_ADDRESS_MISMATCH),
    C(X509_V_ERR_DANE_NO_MATCH),
    C(X509_V_ERR_EE_KEY_TOO_SMALL),
    C(X509_V_ERR_CA_KEY_TOO_SMALL),
    C(X509_V_ERR_CA_MD_TOO_WEAK),
    C(X509_V_ERR_INVALID_CALL),
    C(X509_V_ERR_STORE_LOOKUP),
    C(X509_V_ERR_NO_VALID_SCTS),
    C(X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION),
    C(X509_V_ERR_OCSP_VERIFY_NEEDED),
    C(X509_V_ERR_OCSP_VERIFY_FAILED),
    C(X509_V_ERR_OCSP_CERT_UNKNOWN),
    C(X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM),
    C(X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH),
    C(X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY),
    C(X509_V_ERR_INVALID_CA),
    C(X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA),
    C(X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN),
    C(X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA),
    C(X509_V_ERR_ISSUER_NAME_EMPTY),
    C(X509_V_ERR_SUBJECT_NAME_EMPTY),
    C(X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER),
    C(X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER),
    C(X509_V_ERR_EMPTY_SUBJECT_ALT_NAME),
    C(X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL),
    C(X509_V_ERR_CA_BCONS_NOT_CRITICAL),
    C(X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL),
    C(X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL),
    C(X509_V_ERR_CA_CERT_MISSING_KEY_USAGE),
    C(X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3),
    C(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS),
};

static const named gnutls_bits[] = {
    C(GNUTLS_CERT_INVALID), C(GNUTLS_CERT_REVOKED), C(GNUTLS_CERT_SIGNER_NOT_FOUND), C(GNUTLS_CERT_SIGNER_NOT_CA),
    C(GNUTLS_CERT_INSECURE_ALGORITHM), C(GNUTLS_CERT_NOT_ACTIVATED), C(GNUTLS_CERT_EXPIRED),
    C(GNUTLS_CERT_SIGNATURE_FAILURE), C(GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED), C(GNUTLS_CERT_UNEXPECTED_OWNER),
    C(GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE), C(GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE),
    C(GNUTLS_CERT_MISMATCH), C(GNUTLS_CERT_PURPOSE_MISMATCH), C(GNUTLS_CERT_MISSING_OCSP_STATUS),
    C(GNUTLS_CERT_INVALID_OCSP_STATUS), C(GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS),
};

/* Each alert of the library's table by its name in both TLS libraries (-1: GnuTLS has no constant for it). */
static const struct {
    const char *name;
    long openssl;
    long gnutls;
} alerts[] = {
    {"close-notify", SSL_AD_CLOSE_NOTIFY, GNUTLS_A_CLOSE_NOTIFY},
    {"unexpected-message", SSL_AD_UNEXPECTED_MESSAGE, GNUTLS_A_UNEXPECTED_MESSAGE},
    {"bad-record-mac", SSL_AD_BAD_RECORD_MAC, GNUTLS_A_BAD_RECORD_MAC},
    {"decryption-failed", SSL_AD_DECRYPTION_FAILED, GNUTLS_A_DECRYPTION_FAILED},
    {"record-overflow", SSL_AD_RECORD_OVERFLOW, GNUTLS_A_RECORD_OVERFLOW},
    {"decompression-failure", SSL_AD_DECOMPRESSION_FAILURE, GNUTLS_A_DECOMPRESSION_FAILURE},
    {"handshake-failure", SSL_AD_HANDSHAKE_FAILURE, GNUTLS_A_HANDSHAKE_FAILURE},
    {"no-certificate", SSL_AD_NO_CERTIFICATE, GNUTLS_A_SSL3_NO_CERTIFICATE},
    {"bad-certificate", SSL_AD_BAD_CERTIFICATE, GNUTLS_A_BAD_CERTIFICATE},
    {"unsupported-certificate", SSL_AD_UNSUPPORTED_CERTIFICATE, GNUTLS_A_UNSUPPORTED_CERTIFICATE},
    {"certificate-revoked", SSL_AD_CERTIFICATE_REVOKED, GNUTLS_A_CERTIFICATE_REVOKED},
    {"certificate-expired", SSL_AD_CERTIFICATE_EXPIRED, GNUTLS_A_CERTIFICATE_EXPIRED},
    {"certificate-unknown", SSL_AD_CERTIFICATE_UNKNOWN, GNUTLS_A_CERTIFICATE_UNKNOWN},
    {"illegal-parameter", SSL_AD_ILLEGAL_PARAMETER, GNUTLS_A_ILLEGAL_PARAMETER},
    {"unknown-ca", SSL_AD_UNKNOWN_CA, GNUTLS_A_UNKNOWN_CA},
    {"access-denied", SSL_AD_ACCESS_DENIED, GNUTLS_A_ACCESS_DENIED},
    {"decode-error", SSL_AD_DECODE_ERROR, GNUTLS_A_DECODE_ERROR},
    {"decrypt-error", SSL_AD_DECRYPT_ERROR, GNUTLS_A_DECRYPT_ERROR},
    {"export-restriction", SSL_AD_EXPORT_RESTRICTION, GNUTLS_A_EXPORT_RESTRICTION},
    {"protocol-version", SSL_AD_PROTOCOL_VERSION, GNUTLS_A_PROTOCOL_VERSION},
    {"insufficient-security", SSL_AD_INSUFFICIENT_SECURITY, GNUTLS_A_INSUFFICIENT_SECURITY},
    {"internal-error", SSL_AD_INTERNAL_ERROR, GNUTLS_A_INTERNAL_ERROR},
    {"inappropriate-fallback", SSL_AD_INAPPROPRIATE_FALLBACK, GNUTLS_A_INAPPROPRIATE_FALLBACK},
    {"user-canceled", SSL_AD_USER_CANCELLED, GNUTLS_A_USER_CANCELED},
    {"no-renegotiation", SSL_AD_NO_RENEGOTIATION, GNUTLS_A_NO_RENEGOTIATION},
    {"missing-extension", SSL_AD_MISSING_EXTENSION, GNUTLS_A_MISSING_EXTENSION},
    {"unsupported-extension", SSL_AD_UNSUPPORTED_EXTENSION, GNUTLS_A_UNSUPPORTED_EXTENSION},
    {"certificate-unobtainable", SSL_AD_CERTIFICATE_UNOBTAINABLE, GNUTLS_A_CERTIFICATE_UNOBTAINABLE},
    {"unrecognized-name", SSL_AD_UNRECOGNIZED_NAME, GNUTLS_A_UNRECOGNIZED_NAME},
    {"bad-certificate-status-response", SSL_AD_BAD_CERTIFICATE_STATUS_RESPONSE, -1},
    {"bad-certificate-hash-value", SSL_AD_BAD_CERTIFICATE_HASH_VALUE, -1},
    {"unknown-psk-identity", SSL_AD_UNKNOWN_PSK_IDENTITY, GNUTLS_A_UNKNOWN_PSK_IDENTITY},
    {"certificate-required", SSL_AD_CERTIFICATE_REQUIRED, GNUTLS_A_CERTIFICATE_REQUIRED},
    {"no-application-protocol", SSL_AD_NO_APPLICATION_PROTOCOL, GNUTLS_A_NO_APPLICATION_PROTOCOL},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

START_TEST(openssl_table_equals_the_headers)
{
    ck_assert_uint_eq(trpt_tls_openssl_code_count, N(openssl_codes));
    for (size_t i = 0; i < trpt_tls_openssl_code_count; i++) {
        const trpt_tls_openssl_code *c = &trpt_tls_openssl_codes[i];
        ck_assert_int_eq(c->value, (long)i + 1); /* the lookup indexes by value */
        size_t j = 0;
        while (j < N(openssl_codes) && strcmp(openssl_codes[j].name, c->name) != 0)
            j++;
        ck_assert_msg(j < N(openssl_codes), "%s is not in OpenSSL's headers", c->name);
        ck_assert_msg(openssl_codes[j].value == c->value, "%s: library says %ld, OpenSSL %ld", c->name, c->value,
                      openssl_codes[j].value);
    }
    ck_assert_int_eq(X509_V_OK, 0);
}
END_TEST

START_TEST(gnutls_table_equals_the_headers)
{
    ck_assert_uint_eq(trpt_tls_gnutls_bit_count, N(gnutls_bits));
    unsigned int seen = 0;
    for (size_t i = 0; i < trpt_tls_gnutls_bit_count; i++) {
        const trpt_tls_gnutls_bit *b = &trpt_tls_gnutls_bits[i];
        size_t j = 0;
        while (j < N(gnutls_bits) && strcmp(gnutls_bits[j].name, b->name) != 0)
            j++;
        ck_assert_msg(j < N(gnutls_bits), "%s is not in GnuTLS's headers", b->name);
        ck_assert_msg((long)b->bit == gnutls_bits[j].value, "%s: library says %u, GnuTLS %ld", b->name, b->bit,
                      gnutls_bits[j].value);
        ck_assert_msg(!(seen & b->bit), "%s twice", b->name);
        seen |= b->bit;
    }
}
END_TEST

START_TEST(alert_table_equals_both_headers)
{
    ck_assert_uint_eq(trpt_tls_alert_count, N(alerts));
    for (size_t i = 0; i < trpt_tls_alert_count; i++) {
        const trpt_tls_alert *a = &trpt_tls_alerts[i];
        ck_assert_str_eq(a->name, alerts[i].name);
        ck_assert_msg(a->value == alerts[i].openssl, "%s: library says %d, OpenSSL %ld", a->name, a->value,
                      alerts[i].openssl);
        ck_assert_msg(alerts[i].gnutls == -1 || a->value == alerts[i].gnutls, "%s: library says %d, GnuTLS %ld",
                      a->name, a->value, alerts[i].gnutls);
        char want[80];
        snprintf(want, sizeof want, "tls-alert-received-%s", a->name);
        ck_assert_str_eq(a->received, want);
        snprintf(want, sizeof want, "tls-alert-sent-%s", a->name);
        ck_assert_str_eq(a->sent, want);
        if (i > 0)
            ck_assert_int_lt(trpt_tls_alerts[i - 1].value, a->value);
    }
}
END_TEST

static void expect_openssl(long code, const char *type, const char *reason)
{
    const char *t = NULL, *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_openssl(code, &t, &r), TLSRPT_OK);
    ck_assert_str_eq(t, type);
    if (reason)
        ck_assert_str_eq(r, reason);
    else
        ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_result_type_from_openssl(code, &t, NULL), TLSRPT_OK);
    ck_assert_str_eq(t, type);
}

START_TEST(openssl_mapping)
{
    expect_openssl(X509_V_ERR_CERT_HAS_EXPIRED, "certificate-expired", "X509_V_ERR_CERT_HAS_EXPIRED");
    expect_openssl(X509_V_ERR_HOSTNAME_MISMATCH, "certificate-host-mismatch", "X509_V_ERR_HOSTNAME_MISMATCH");
    expect_openssl(X509_V_ERR_IP_ADDRESS_MISMATCH, "certificate-host-mismatch", "X509_V_ERR_IP_ADDRESS_MISMATCH");
    expect_openssl(X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT, "certificate-not-trusted",
                   "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT");
    expect_openssl(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, "certificate-not-trusted",
                   "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY");
    expect_openssl(X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, "certificate-not-trusted",
                   "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN");
    expect_openssl(X509_V_ERR_CERT_CHAIN_TOO_LONG, "certificate-not-trusted", "X509_V_ERR_CERT_CHAIN_TOO_LONG");
    expect_openssl(X509_V_ERR_PERMITTED_VIOLATION, "certificate-not-trusted", "X509_V_ERR_PERMITTED_VIOLATION");
    expect_openssl(X509_V_ERR_INVALID_CA, "certificate-not-trusted", "X509_V_ERR_INVALID_CA");
    expect_openssl(X509_V_ERR_DANE_NO_MATCH, "tlsa-invalid", "X509_V_ERR_DANE_NO_MATCH");
    /* RFC 8460 §4.3.3's own example */
    expect_openssl(X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION, "validation-failure",
                   "X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION");
    expect_openssl(X509_V_ERR_CERT_NOT_YET_VALID, "validation-failure", "X509_V_ERR_CERT_NOT_YET_VALID");
    expect_openssl(X509_V_ERR_CERT_REVOKED, "validation-failure", "X509_V_ERR_CERT_REVOKED");
    expect_openssl(X509_V_ERR_EC_KEY_EXPLICIT_PARAMS, "validation-failure", "X509_V_ERR_EC_KEY_EXPLICIT_PARAMS");
    /* a value from a newer OpenSSL, and nonsense: validation-failure without a reason code */
    expect_openssl(95, "validation-failure", NULL);
    expect_openssl(-1, "validation-failure", NULL);
    expect_openssl(0x7fffffffL, "validation-failure", NULL);
    /* every value of the table gives one of the five certificate result types and its own name */
    for (size_t i = 0; i < N(openssl_codes); i++) {
        const char *t = NULL, *r = NULL;
        ck_assert_int_eq(tlsrpt_result_type_from_openssl(openssl_codes[i].value, &t, &r), TLSRPT_OK);
        ck_assert_str_eq(r, openssl_codes[i].name);
        ck_assert_ptr_nonnull(tlsrpt_result_type_description(t));
    }
    const char *t = "unset", *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_openssl(X509_V_OK, &t, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_result_type_from_openssl(X509_V_ERR_CERT_HAS_EXPIRED, NULL, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(r);
}
END_TEST

static void expect_gnutls(unsigned int status, const char *type, const char *reason)
{
    const char *t = NULL, *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_gnutls(status, &t, &r), TLSRPT_OK);
    ck_assert_str_eq(t, type);
    if (reason)
        ck_assert_str_eq(r, reason);
    else
        ck_assert_ptr_null(r);
}

START_TEST(gnutls_mapping)
{
    /* what gnutls_certificate_verify_peers3 sets: INVALID plus the reasons */
    expect_gnutls(GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED, "certificate-expired", "GNUTLS_CERT_EXPIRED");
    expect_gnutls(GNUTLS_CERT_INVALID | GNUTLS_CERT_SIGNER_NOT_FOUND, "certificate-not-trusted",
                  "GNUTLS_CERT_SIGNER_NOT_FOUND");
    expect_gnutls(GNUTLS_CERT_INVALID | GNUTLS_CERT_UNEXPECTED_OWNER, "certificate-host-mismatch",
                  "GNUTLS_CERT_UNEXPECTED_OWNER");
    expect_gnutls(GNUTLS_CERT_INVALID | GNUTLS_CERT_REVOKED, "validation-failure", "GNUTLS_CERT_REVOKED");
    expect_gnutls(GNUTLS_CERT_INVALID, "validation-failure", "GNUTLS_CERT_INVALID");
    /* precedence: trust before the name before the time */
    expect_gnutls(GNUTLS_CERT_INVALID | GNUTLS_CERT_EXPIRED | GNUTLS_CERT_UNEXPECTED_OWNER |
                      GNUTLS_CERT_SIGNER_NOT_CA,
                  "certificate-not-trusted", "GNUTLS_CERT_SIGNER_NOT_CA");
    expect_gnutls(GNUTLS_CERT_EXPIRED | GNUTLS_CERT_UNEXPECTED_OWNER, "certificate-host-mismatch",
                  "GNUTLS_CERT_UNEXPECTED_OWNER");
    expect_gnutls(GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED, "certificate-expired", "GNUTLS_CERT_EXPIRED");
    /* bits GnuTLS 3.7 does not define */
    expect_gnutls(1u << 0, "validation-failure", NULL);
    expect_gnutls(1u << 31, "validation-failure", NULL);
    /* each bit alone names itself */
    for (size_t i = 0; i < N(gnutls_bits); i++) {
        const char *t = NULL, *r = NULL;
        ck_assert_int_eq(tlsrpt_result_type_from_gnutls((unsigned int)gnutls_bits[i].value, &t, &r), TLSRPT_OK);
        ck_assert_str_eq(r, gnutls_bits[i].name);
        ck_assert_ptr_nonnull(tlsrpt_result_type_description(t));
    }
    const char *t = "unset", *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_gnutls(0, &t, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_result_type_from_gnutls(GNUTLS_CERT_EXPIRED, NULL, NULL), TLSRPT_EINVAL);
}
END_TEST

static void expect_alert(int alert, int direction, const char *type, const char *reason)
{
    const char *t = NULL, *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_tls_alert(alert, direction, &t, &r), TLSRPT_OK);
    ck_assert_str_eq(t, type);
    if (reason)
        ck_assert_str_eq(r, reason);
    else
        ck_assert_ptr_null(r);
}

START_TEST(alert_mapping)
{
    expect_alert(SSL_AD_HANDSHAKE_FAILURE, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure",
                 "tls-alert-received-handshake-failure");
    expect_alert(GNUTLS_A_PROTOCOL_VERSION, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure",
                 "tls-alert-received-protocol-version");
    expect_alert(SSL_AD_UNKNOWN_CA, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure", "tls-alert-received-unknown-ca");
    expect_alert(SSL_AD_UNKNOWN_CA, TLSRPT_TLS_ALERT_SENT, "certificate-not-trusted", "tls-alert-sent-unknown-ca");
    expect_alert(SSL_AD_BAD_CERTIFICATE, TLSRPT_TLS_ALERT_SENT, "certificate-not-trusted",
                 "tls-alert-sent-bad-certificate");
    expect_alert(SSL_AD_CERTIFICATE_UNKNOWN, TLSRPT_TLS_ALERT_SENT, "certificate-not-trusted",
                 "tls-alert-sent-certificate-unknown");
    expect_alert(SSL_AD_UNSUPPORTED_CERTIFICATE, TLSRPT_TLS_ALERT_SENT, "certificate-not-trusted",
                 "tls-alert-sent-unsupported-certificate");
    expect_alert(SSL_AD_CERTIFICATE_EXPIRED, TLSRPT_TLS_ALERT_SENT, "certificate-expired",
                 "tls-alert-sent-certificate-expired");
    expect_alert(SSL_AD_CERTIFICATE_EXPIRED, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure",
                 "tls-alert-received-certificate-expired");
    expect_alert(SSL_AD_INTERNAL_ERROR, TLSRPT_TLS_ALERT_SENT, "validation-failure", "tls-alert-sent-internal-error");
    expect_alert(SSL_AD_CLOSE_NOTIFY, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure",
                 "tls-alert-received-close-notify");
    expect_alert(255, TLSRPT_TLS_ALERT_RECEIVED, "validation-failure", NULL); /* unassigned */
    expect_alert(1, TLSRPT_TLS_ALERT_SENT, "validation-failure", NULL);
    const char *t = "unset", *r = "unset";
    ck_assert_int_eq(tlsrpt_result_type_from_tls_alert(256, TLSRPT_TLS_ALERT_RECEIVED, &t, &r), TLSRPT_EINVAL);
    ck_assert_ptr_null(t);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(tlsrpt_result_type_from_tls_alert(-1, TLSRPT_TLS_ALERT_RECEIVED, &t, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_result_type_from_tls_alert(40, 2, &t, &r), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_result_type_from_tls_alert(40, TLSRPT_TLS_ALERT_SENT, NULL, &r), TLSRPT_EINVAL);
}
END_TEST

START_TEST(starttls_mapping)
{
    const char *t = NULL, *r = NULL;
    ck_assert_int_eq(tlsrpt_result_type_from_starttls(0, &t, &r), TLSRPT_OK);
    ck_assert_str_eq(t, "starttls-not-supported");
    ck_assert_str_eq(r, "starttls-not-offered");
    char want[32];
    for (int code = 400; code <= 599; code++) {
        ck_assert_int_eq(tlsrpt_result_type_from_starttls(code, &t, &r), TLSRPT_OK);
        ck_assert_str_eq(t, "starttls-not-supported");
        snprintf(want, sizeof want, "starttls-refused-%d", code);
        ck_assert_str_eq(r, want);
    }
    ck_assert_int_eq(tlsrpt_result_type_from_starttls(454, &t, NULL), TLSRPT_OK);
    ck_assert_str_eq(t, "starttls-not-supported");
    for (int bad = -1; bad < 1000; bad += 1)
        if (bad != 0 && (bad < 400 || bad > 599)) {
            t = r = "unset";
            ck_assert_int_eq(tlsrpt_result_type_from_starttls(bad, &t, &r), TLSRPT_EINVAL);
            ck_assert_ptr_null(t);
            ck_assert_ptr_null(r);
        }
    ck_assert_int_eq(tlsrpt_result_type_from_starttls(220, NULL, NULL), TLSRPT_EINVAL);
    ck_assert_int_eq(tlsrpt_result_type_from_starttls(454, NULL, &r), TLSRPT_EINVAL);
}
END_TEST

/* What an MTA writes: the mapping fed straight into the builder. */
START_TEST(mapping_feeds_the_builder)
{
    const char *t = NULL, *r = NULL;
    ck_assert_int_eq(tlsrpt_result_type_from_openssl(X509_V_ERR_CERT_HAS_EXPIRED, &t, &r), TLSRPT_OK);
    tlsrpt_failure *f = NULL;
    ck_assert_int_eq(tlsrpt_failure_new(&f, t), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_set_reason_code(f, r), TLSRPT_OK);
    ck_assert_int_eq(tlsrpt_failure_result_code(f), TLSRPT_RESULT_CERTIFICATE_EXPIRED);
    ck_assert_str_eq(tlsrpt_failure_reason_code(f), "X509_V_ERR_CERT_HAS_EXPIRED");
    tlsrpt_failure_free(f);
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("tls_result");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, openssl_table_equals_the_headers);
    tcase_add_test(tc, gnutls_table_equals_the_headers);
    tcase_add_test(tc, alert_table_equals_both_headers);
    tcase_add_test(tc, openssl_mapping);
    tcase_add_test(tc, gnutls_mapping);
    tcase_add_test(tc, alert_mapping);
    tcase_add_test(tc, starttls_mapping);
    tcase_add_test(tc, mapping_feeds_the_builder);
    suite_add_tcase(s, tc);
    return s;
}
