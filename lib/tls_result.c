/* libtlsrpt — TLS library verdicts to RFC 8460 §4.3 result types (include/tlsrpt/tls.h). No OpenSSL or GnuTLS is
 * linked: their constants are written here as the numbers that are their ABI (lib/tls_result.h).
 * SPDX-License-Identifier: MIT */
#include "internal.h"
#include "report_internal.h"
#include "tls_result.h"

#include <tlsrpt/tls.h>

/* OpenSSL 3.0's X509_V_ERR_* (x509_vfy.h), 1..94 without gaps: entry i has value i + 1. */
const trpt_tls_openssl_code trpt_tls_openssl_codes[] = {
    {1, "X509_V_ERR_UNSPECIFIED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {2, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {3, "X509_V_ERR_UNABLE_TO_GET_CRL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {4, "X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {5, "X509_V_ERR_UNABLE_TO_DECRYPT_CRL_SIGNATURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {6, "X509_V_ERR_UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {7, "X509_V_ERR_CERT_SIGNATURE_FAILURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {8, "X509_V_ERR_CRL_SIGNATURE_FAILURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {9, "X509_V_ERR_CERT_NOT_YET_VALID", TLSRPT_RESULT_VALIDATION_FAILURE},
    {10, "X509_V_ERR_CERT_HAS_EXPIRED", TLSRPT_RESULT_CERTIFICATE_EXPIRED},
    {11, "X509_V_ERR_CRL_NOT_YET_VALID", TLSRPT_RESULT_VALIDATION_FAILURE},
    {12, "X509_V_ERR_CRL_HAS_EXPIRED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {13, "X509_V_ERR_ERROR_IN_CERT_NOT_BEFORE_FIELD", TLSRPT_RESULT_VALIDATION_FAILURE},
    {14, "X509_V_ERR_ERROR_IN_CERT_NOT_AFTER_FIELD", TLSRPT_RESULT_VALIDATION_FAILURE},
    {15, "X509_V_ERR_ERROR_IN_CRL_LAST_UPDATE_FIELD", TLSRPT_RESULT_VALIDATION_FAILURE},
    {16, "X509_V_ERR_ERROR_IN_CRL_NEXT_UPDATE_FIELD", TLSRPT_RESULT_VALIDATION_FAILURE},
    {17, "X509_V_ERR_OUT_OF_MEM", TLSRPT_RESULT_VALIDATION_FAILURE},
    {18, "X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {19, "X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {20, "X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {21, "X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {22, "X509_V_ERR_CERT_CHAIN_TOO_LONG", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {23, "X509_V_ERR_CERT_REVOKED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {24, "X509_V_ERR_NO_ISSUER_PUBLIC_KEY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {25, "X509_V_ERR_PATH_LENGTH_EXCEEDED", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {26, "X509_V_ERR_INVALID_PURPOSE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {27, "X509_V_ERR_CERT_UNTRUSTED", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {28, "X509_V_ERR_CERT_REJECTED", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {29, "X509_V_ERR_SUBJECT_ISSUER_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {30, "X509_V_ERR_AKID_SKID_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {31, "X509_V_ERR_AKID_ISSUER_SERIAL_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {32, "X509_V_ERR_KEYUSAGE_NO_CERTSIGN", TLSRPT_RESULT_VALIDATION_FAILURE},
    {33, "X509_V_ERR_UNABLE_TO_GET_CRL_ISSUER", TLSRPT_RESULT_VALIDATION_FAILURE},
    {34, "X509_V_ERR_UNHANDLED_CRITICAL_EXTENSION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {35, "X509_V_ERR_KEYUSAGE_NO_CRL_SIGN", TLSRPT_RESULT_VALIDATION_FAILURE},
    {36, "X509_V_ERR_UNHANDLED_CRITICAL_CRL_EXTENSION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {37, "X509_V_ERR_INVALID_NON_CA", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {38, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {39, "X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {40, "X509_V_ERR_PROXY_CERTIFICATES_NOT_ALLOWED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {41, "X509_V_ERR_INVALID_EXTENSION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {42, "X509_V_ERR_INVALID_POLICY_EXTENSION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {43, "X509_V_ERR_NO_EXPLICIT_POLICY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {44, "X509_V_ERR_DIFFERENT_CRL_SCOPE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {45, "X509_V_ERR_UNSUPPORTED_EXTENSION_FEATURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {46, "X509_V_ERR_UNNESTED_RESOURCE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {47, "X509_V_ERR_PERMITTED_VIOLATION", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {48, "X509_V_ERR_EXCLUDED_VIOLATION", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {49, "X509_V_ERR_SUBTREE_MINMAX", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {50, "X509_V_ERR_APPLICATION_VERIFICATION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {51, "X509_V_ERR_UNSUPPORTED_CONSTRAINT_TYPE", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {52, "X509_V_ERR_UNSUPPORTED_CONSTRAINT_SYNTAX", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {53, "X509_V_ERR_UNSUPPORTED_NAME_SYNTAX", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {54, "X509_V_ERR_CRL_PATH_VALIDATION_ERROR", TLSRPT_RESULT_VALIDATION_FAILURE},
    {55, "X509_V_ERR_PATH_LOOP", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {56, "X509_V_ERR_SUITE_B_INVALID_VERSION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {57, "X509_V_ERR_SUITE_B_INVALID_ALGORITHM", TLSRPT_RESULT_VALIDATION_FAILURE},
    {58, "X509_V_ERR_SUITE_B_INVALID_CURVE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {59, "X509_V_ERR_SUITE_B_INVALID_SIGNATURE_ALGORITHM", TLSRPT_RESULT_VALIDATION_FAILURE},
    {60, "X509_V_ERR_SUITE_B_LOS_NOT_ALLOWED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {61, "X509_V_ERR_SUITE_B_CANNOT_SIGN_P_384_WITH_P_256", TLSRPT_RESULT_VALIDATION_FAILURE},
    {62, "X509_V_ERR_HOSTNAME_MISMATCH", TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH},
    {63, "X509_V_ERR_EMAIL_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {64, "X509_V_ERR_IP_ADDRESS_MISMATCH", TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH},
    {65, "X509_V_ERR_DANE_NO_MATCH", TLSRPT_RESULT_TLSA_INVALID},
    {66, "X509_V_ERR_EE_KEY_TOO_SMALL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {67, "X509_V_ERR_CA_KEY_TOO_SMALL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {68, "X509_V_ERR_CA_MD_TOO_WEAK", TLSRPT_RESULT_VALIDATION_FAILURE},
    {69, "X509_V_ERR_INVALID_CALL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {70, "X509_V_ERR_STORE_LOOKUP", TLSRPT_RESULT_VALIDATION_FAILURE},
    {71, "X509_V_ERR_NO_VALID_SCTS", TLSRPT_RESULT_VALIDATION_FAILURE},
    {72, "X509_V_ERR_PROXY_SUBJECT_NAME_VIOLATION", TLSRPT_RESULT_VALIDATION_FAILURE},
    {73, "X509_V_ERR_OCSP_VERIFY_NEEDED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {74, "X509_V_ERR_OCSP_VERIFY_FAILED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {75, "X509_V_ERR_OCSP_CERT_UNKNOWN", TLSRPT_RESULT_VALIDATION_FAILURE},
    {76, "X509_V_ERR_UNSUPPORTED_SIGNATURE_ALGORITHM", TLSRPT_RESULT_VALIDATION_FAILURE},
    {77, "X509_V_ERR_SIGNATURE_ALGORITHM_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {78, "X509_V_ERR_SIGNATURE_ALGORITHM_INCONSISTENCY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {79, "X509_V_ERR_INVALID_CA", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {80, "X509_V_ERR_PATHLEN_INVALID_FOR_NON_CA", TLSRPT_RESULT_VALIDATION_FAILURE},
    {81, "X509_V_ERR_PATHLEN_WITHOUT_KU_KEY_CERT_SIGN", TLSRPT_RESULT_VALIDATION_FAILURE},
    {82, "X509_V_ERR_KU_KEY_CERT_SIGN_INVALID_FOR_NON_CA", TLSRPT_RESULT_VALIDATION_FAILURE},
    {83, "X509_V_ERR_ISSUER_NAME_EMPTY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {84, "X509_V_ERR_SUBJECT_NAME_EMPTY", TLSRPT_RESULT_VALIDATION_FAILURE},
    {85, "X509_V_ERR_MISSING_AUTHORITY_KEY_IDENTIFIER", TLSRPT_RESULT_VALIDATION_FAILURE},
    {86, "X509_V_ERR_MISSING_SUBJECT_KEY_IDENTIFIER", TLSRPT_RESULT_VALIDATION_FAILURE},
    {87, "X509_V_ERR_EMPTY_SUBJECT_ALT_NAME", TLSRPT_RESULT_VALIDATION_FAILURE},
    {88, "X509_V_ERR_EMPTY_SUBJECT_SAN_NOT_CRITICAL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {89, "X509_V_ERR_CA_BCONS_NOT_CRITICAL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {90, "X509_V_ERR_AUTHORITY_KEY_IDENTIFIER_CRITICAL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {91, "X509_V_ERR_SUBJECT_KEY_IDENTIFIER_CRITICAL", TLSRPT_RESULT_VALIDATION_FAILURE},
    {92, "X509_V_ERR_CA_CERT_MISSING_KEY_USAGE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {93, "X509_V_ERR_EXTENSIONS_REQUIRE_VERSION_3", TLSRPT_RESULT_VALIDATION_FAILURE},
    {94, "X509_V_ERR_EC_KEY_EXPLICIT_PARAMS", TLSRPT_RESULT_VALIDATION_FAILURE},
};
const size_t trpt_tls_openssl_code_count = sizeof trpt_tls_openssl_codes / sizeof trpt_tls_openssl_codes[0];

/* gnutls_certificate_status_t (gnutls.h), in order of precedence (include/tlsrpt/tls.h says why). */
const trpt_tls_gnutls_bit trpt_tls_gnutls_bits[] = {
    {1u << 6, "GNUTLS_CERT_SIGNER_NOT_FOUND", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {1u << 7, "GNUTLS_CERT_SIGNER_NOT_CA", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {1u << 16, "GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE", TLSRPT_RESULT_CERTIFICATE_NOT_TRUSTED},
    {1u << 14, "GNUTLS_CERT_UNEXPECTED_OWNER", TLSRPT_RESULT_CERTIFICATE_HOST_MISMATCH},
    {1u << 18, "GNUTLS_CERT_PURPOSE_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 21, "GNUTLS_CERT_UNKNOWN_CRIT_EXTENSIONS", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 5, "GNUTLS_CERT_REVOKED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 12, "GNUTLS_CERT_REVOCATION_DATA_SUPERSEDED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 15, "GNUTLS_CERT_REVOCATION_DATA_ISSUED_IN_FUTURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 19, "GNUTLS_CERT_MISSING_OCSP_STATUS", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 20, "GNUTLS_CERT_INVALID_OCSP_STATUS", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 11, "GNUTLS_CERT_SIGNATURE_FAILURE", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 8, "GNUTLS_CERT_INSECURE_ALGORITHM", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 10, "GNUTLS_CERT_EXPIRED", TLSRPT_RESULT_CERTIFICATE_EXPIRED},
    {1u << 9, "GNUTLS_CERT_NOT_ACTIVATED", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 17, "GNUTLS_CERT_MISMATCH", TLSRPT_RESULT_VALIDATION_FAILURE},
    {1u << 1, "GNUTLS_CERT_INVALID", TLSRPT_RESULT_VALIDATION_FAILURE},
};
const size_t trpt_tls_gnutls_bit_count = sizeof trpt_tls_gnutls_bits / sizeof trpt_tls_gnutls_bits[0];

/* The IANA "TLS Alerts" registry (RFC 8446 §6 and its predecessors), without the reserved and unassigned numbers. */
#define ALERT(value, name, sent_result)                                                                              \
    { value, name, "tls-alert-received-" name, "tls-alert-sent-" name, TLSRPT_RESULT_##sent_result }
const trpt_tls_alert trpt_tls_alerts[] = {
    ALERT(0, "close-notify", VALIDATION_FAILURE),
    ALERT(10, "unexpected-message", VALIDATION_FAILURE),
    ALERT(20, "bad-record-mac", VALIDATION_FAILURE),
    ALERT(21, "decryption-failed", VALIDATION_FAILURE),
    ALERT(22, "record-overflow", VALIDATION_FAILURE),
    ALERT(30, "decompression-failure", VALIDATION_FAILURE),
    ALERT(40, "handshake-failure", VALIDATION_FAILURE),
    ALERT(41, "no-certificate", VALIDATION_FAILURE),
    ALERT(42, "bad-certificate", CERTIFICATE_NOT_TRUSTED),
    ALERT(43, "unsupported-certificate", CERTIFICATE_NOT_TRUSTED),
    ALERT(44, "certificate-revoked", VALIDATION_FAILURE),
    ALERT(45, "certificate-expired", CERTIFICATE_EXPIRED),
    ALERT(46, "certificate-unknown", CERTIFICATE_NOT_TRUSTED),
    ALERT(47, "illegal-parameter", VALIDATION_FAILURE),
    ALERT(48, "unknown-ca", CERTIFICATE_NOT_TRUSTED),
    ALERT(49, "access-denied", VALIDATION_FAILURE),
    ALERT(50, "decode-error", VALIDATION_FAILURE),
    ALERT(51, "decrypt-error", VALIDATION_FAILURE),
    ALERT(60, "export-restriction", VALIDATION_FAILURE),
    ALERT(70, "protocol-version", VALIDATION_FAILURE),
    ALERT(71, "insufficient-security", VALIDATION_FAILURE),
    ALERT(80, "internal-error", VALIDATION_FAILURE),
    ALERT(86, "inappropriate-fallback", VALIDATION_FAILURE),
    ALERT(90, "user-canceled", VALIDATION_FAILURE),
    ALERT(100, "no-renegotiation", VALIDATION_FAILURE),
    ALERT(109, "missing-extension", VALIDATION_FAILURE),
    ALERT(110, "unsupported-extension", VALIDATION_FAILURE),
    ALERT(111, "certificate-unobtainable", VALIDATION_FAILURE),
    ALERT(112, "unrecognized-name", VALIDATION_FAILURE),
    ALERT(113, "bad-certificate-status-response", VALIDATION_FAILURE),
    ALERT(114, "bad-certificate-hash-value", VALIDATION_FAILURE),
    ALERT(115, "unknown-psk-identity", VALIDATION_FAILURE),
    ALERT(116, "certificate-required", VALIDATION_FAILURE),
    ALERT(120, "no-application-protocol", VALIDATION_FAILURE),
};
#undef ALERT
const size_t trpt_tls_alert_count = sizeof trpt_tls_alerts / sizeof trpt_tls_alerts[0];

/* "starttls-refused-400" .. "starttls-refused-599": static strings for every reply code, made by the preprocessor. */
#define REFUSED_1(h, t, u) "starttls-refused-" #h #t #u
#define REFUSED_10(h, t)                                                                                              \
    REFUSED_1(h, t, 0), REFUSED_1(h, t, 1), REFUSED_1(h, t, 2), REFUSED_1(h, t, 3), REFUSED_1(h, t, 4),               \
        REFUSED_1(h, t, 5), REFUSED_1(h, t, 6), REFUSED_1(h, t, 7), REFUSED_1(h, t, 8), REFUSED_1(h, t, 9)
#define REFUSED_100(h)                                                                                                \
    REFUSED_10(h, 0), REFUSED_10(h, 1), REFUSED_10(h, 2), REFUSED_10(h, 3), REFUSED_10(h, 4), REFUSED_10(h, 5),       \
        REFUSED_10(h, 6), REFUSED_10(h, 7), REFUSED_10(h, 8), REFUSED_10(h, 9)
static const char *const starttls_refused[200] = {REFUSED_100(4), REFUSED_100(5)};

static int answer(int result, const char *reason, const char **result_type, const char **reason_code)
{
    *result_type = trpt_result_code_to_name(result);
    if (reason_code)
        *reason_code = reason;
    return TLSRPT_OK;
}

static int refuse(const char **result_type, const char **reason_code)
{
    if (result_type)
        *result_type = NULL;
    if (reason_code)
        *reason_code = NULL;
    return TLSRPT_EINVAL;
}

TLSRPT_API int tlsrpt_result_type_from_openssl(long x509_verify_result, const char **result_type,
                                               const char **reason_code)
{
    if (!result_type || x509_verify_result == 0)
        return refuse(result_type, reason_code);
    if (x509_verify_result >= 1 && (size_t)x509_verify_result <= trpt_tls_openssl_code_count) {
        const trpt_tls_openssl_code *c = &trpt_tls_openssl_codes[x509_verify_result - 1];
        return answer(c->result, c->name, result_type, reason_code);
    }
    return answer(TLSRPT_RESULT_VALIDATION_FAILURE, NULL, result_type, reason_code);
}

TLSRPT_API int tlsrpt_result_type_from_gnutls(unsigned int cert_status, const char **result_type,
                                              const char **reason_code)
{
    if (!result_type || cert_status == 0)
        return refuse(result_type, reason_code);
    for (size_t i = 0; i < trpt_tls_gnutls_bit_count; i++)
        if (cert_status & trpt_tls_gnutls_bits[i].bit)
            return answer(trpt_tls_gnutls_bits[i].result, trpt_tls_gnutls_bits[i].name, result_type, reason_code);
    return answer(TLSRPT_RESULT_VALIDATION_FAILURE, NULL, result_type, reason_code);
}

TLSRPT_API int tlsrpt_result_type_from_tls_alert(int alert, int direction, const char **result_type,
                                                 const char **reason_code)
{
    if (!result_type || alert < 0 || alert > 255 ||
        (direction != TLSRPT_TLS_ALERT_RECEIVED && direction != TLSRPT_TLS_ALERT_SENT))
        return refuse(result_type, reason_code);
    for (size_t i = 0; i < trpt_tls_alert_count; i++) {
        const trpt_tls_alert *a = &trpt_tls_alerts[i];
        if (a->value != alert)
            continue;
        if (direction == TLSRPT_TLS_ALERT_SENT)
            return answer(a->sent_result, a->sent, result_type, reason_code);
        return answer(TLSRPT_RESULT_VALIDATION_FAILURE, a->received, result_type, reason_code);
    }
    return answer(TLSRPT_RESULT_VALIDATION_FAILURE, NULL, result_type, reason_code);
}

TLSRPT_API int tlsrpt_result_type_from_starttls(int smtp_reply_code, const char **result_type,
                                                const char **reason_code)
{
    if (!result_type || (smtp_reply_code != 0 && (smtp_reply_code < 400 || smtp_reply_code > 599)))
        return refuse(result_type, reason_code);
    return answer(TLSRPT_RESULT_STARTTLS_NOT_SUPPORTED,
                  smtp_reply_code == 0 ? "starttls-not-offered" : starttls_refused[smtp_reply_code - 400],
                  result_type, reason_code);
}
