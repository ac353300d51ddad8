/* libtlsrpt — from a TLS library's verdict to an RFC 8460 §4.3 result type and a failure-reason-code.
 * SPDX-License-Identifier: MIT
 *
 * Every MTA otherwise writes the same table by hand. These functions take the numbers OpenSSL and GnuTLS hand out
 * (their values are those libraries' stable ABI, so libtlsrpt knows them as numbers and links neither library),
 * TLS alert numbers (RFC 8446 §6, the IANA "TLS Alerts" registry) and the reply to STARTTLS, and give:
 *   - the result type: a static string for tlsrpt_failure_new(), one of the RFC 8460 §4.3 names;
 *   - a reason code: a static string for tlsrpt_failure_set_reason_code() ("X509_V_ERR_CERT_HAS_EXPIRED",
 *     "GNUTLS_CERT_SIGNER_NOT_FOUND", "tls-alert-received-handshake-failure", "starttls-refused-454").
 * RFC 8460 leaves "failure-reason-code" free text ("a TLS-related error code or error message") and names
 * X509_V_ERR_* as an example (§4.3.3); the tls-alert-* and starttls-* codes are this library's spelling, listed in
 * tlsrpt_tls(3). Pure functions: no state, any thread.
 *
 * The functions take the input first and their two outputs last (they make nothing new: both strings are static).
 */
#ifndef TLSRPT_TLS_H
#define TLSRPT_TLS_H

#include <tlsrpt/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Direction of a TLS alert for tlsrpt_result_type_from_tls_alert(). Since: 1.1 */
#define TLSRPT_TLS_ALERT_RECEIVED 0 /* the receiving MX sent it: it refused the handshake */
#define TLSRPT_TLS_ALERT_SENT 1     /* the sending MTA (the caller) sent it: it refused the MX */

/**
 * tlsrpt_result_type_from_openssl - result type and reason code for an OpenSSL certificate verification error.
 * @x509_verify_result: what SSL_get_verify_result() or X509_STORE_CTX_get_error() returned (an X509_V_ERR_* value;
 *                      OpenSSL declares it long).
 * @result_type:        receives the result type (static); NULL on failure.
 * @reason_code:        receives the X509_V_ERR_* macro name (static), or NULL for a value this library does not
 *                      know (a newer OpenSSL's): then write X509_verify_cert_error_string()'s text yourself. May be
 *                      NULL when the caller does not want it.
 * X509_V_ERR_CERT_HAS_EXPIRED gives "certificate-expired"; HOSTNAME_MISMATCH and IP_ADDRESS_MISMATCH
 * "certificate-host-mismatch"; the chain and trust errors (unknown or untrusted issuer, self-signed, chain too
 * long, path length, name constraints, invalid CA, rejected or untrusted certificate) "certificate-not-trusted";
 * DANE_NO_MATCH "tlsa-invalid"; every other value "validation-failure" (RFC 8460 §4.3.3). tlsrpt_tls(3) has the
 * table.
 * Returns TLSRPT_OK, or TLSRPT_EINVAL (result_type NULL, or X509_V_OK (0): verification succeeded, nothing to
 * report). Since: 1.1
 */
TLSRPT_API int tlsrpt_result_type_from_openssl(long x509_verify_result, const char **result_type,
                                               const char **reason_code);

/**
 * tlsrpt_result_type_from_gnutls - result type and reason code for GnuTLS certificate status bits.
 * @cert_status: the gnutls_certificate_status_t bits from gnutls_certificate_verify_peers3() (or _peers2).
 * @result_type: receives the result type (static); NULL on failure.
 * @reason_code: receives the GNUTLS_CERT_* name of the bit that decided (static), or NULL when only bits unknown
 *               to this library are set. May be NULL.
 * GnuTLS sets several bits at once; the first bit of this order decides, which follows the order in which
 * OpenSSL checks a chain: SIGNER_NOT_FOUND, SIGNER_NOT_CA, SIGNER_CONSTRAINTS_FAILURE ("certificate-not-trusted");
 * UNEXPECTED_OWNER ("certificate-host-mismatch"); PURPOSE_MISMATCH, UNKNOWN_CRIT_EXTENSIONS, REVOKED,
 * REVOCATION_DATA_SUPERSEDED, REVOCATION_DATA_ISSUED_IN_FUTURE, MISSING_OCSP_STATUS, INVALID_OCSP_STATUS,
 * SIGNATURE_FAILURE, INSECURE_ALGORITHM ("validation-failure"); EXPIRED ("certificate-expired"); NOT_ACTIVATED,
 * MISMATCH, INVALID ("validation-failure"); only unknown bits: "validation-failure" without a reason code.
 * Returns TLSRPT_OK, or TLSRPT_EINVAL (result_type NULL, or cert_status 0: the certificate verified). Since: 1.1
 */
TLSRPT_API int tlsrpt_result_type_from_gnutls(unsigned int cert_status, const char **result_type,
                                              const char **reason_code);

/**
 * tlsrpt_result_type_from_tls_alert - result type and reason code for a handshake that ended with a TLS alert.
 * @alert:       the AlertDescription number, 0..255 (OpenSSL: SSL_AD_*, the low byte of the SSL_CB_ALERT value;
 *               GnuTLS: gnutls_alert_get() / GNUTLS_A_*).
 * @direction:   TLSRPT_TLS_ALERT_RECEIVED (the MX refused us) or TLSRPT_TLS_ALERT_SENT (we refused the MX).
 * @result_type: receives the result type (static); NULL on failure.
 * @reason_code: receives "tls-alert-received-<name>" or "tls-alert-sent-<name>" (static), <name> the registry's
 *               name in lower case with '-' for '_' ("handshake-failure", "unknown-ca"); NULL for a number not in
 *               the registry. May be NULL.
 * An alert we sent about the MX's certificate maps as the certificate error would: bad_certificate,
 * unsupported_certificate, certificate_unknown, unknown_ca "certificate-not-trusted", certificate_expired
 * "certificate-expired". Every other alert, and every received one, is "validation-failure". When the TLS library
 * gives a verification result too, prefer tlsrpt_result_type_from_openssl() or _from_gnutls(): it is more precise.
 * Returns TLSRPT_OK, or TLSRPT_EINVAL (result_type NULL, alert outside 0..255, unknown direction). Since: 1.1
 */
TLSRPT_API int tlsrpt_result_type_from_tls_alert(int alert, int direction, const char **result_type,
                                                 const char **reason_code);

/**
 * tlsrpt_result_type_from_starttls - result type and reason code when STARTTLS could not even start.
 * @smtp_reply_code: 0 when the MX's EHLO response did not offer STARTTLS; otherwise the MX's reply code to the
 *                   STARTTLS command, 400..599 (RFC 3207: 454 "TLS not available due to temporary reason", 501,
 *                   502, ...).
 * @result_type:     receives "starttls-not-supported" (static); NULL on failure.
 * @reason_code:     receives "starttls-not-offered" or "starttls-refused-<code>" ("starttls-refused-454"),
 *                   static. May be NULL.
 * RFC 8460 §4.3.4 lets a reporter leave transient failures out; whether a 4xx refusal is one is the MTA's call.
 * Returns TLSRPT_OK, or TLSRPT_EINVAL (result_type NULL, a code other than 0 or 400..599). Since: 1.1
 */
TLSRPT_API int tlsrpt_result_type_from_starttls(int smtp_reply_code, const char **result_type,
                                                const char **reason_code);

#ifdef __cplusplus
}
#endif

#endif
