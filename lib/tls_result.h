/* libtlsrpt — the tables behind include/tlsrpt/tls.h (internal, never installed). SPDX-License-Identifier: MIT
 *
 * OpenSSL's and GnuTLS's numbers are written here as numbers (their stable ABI); tests/test_tls_result.c compiles
 * against both libraries' headers and proves every entry equals the library's own constant. */
#ifndef TLSRPT_TLS_RESULT_H
#define TLSRPT_TLS_RESULT_H

#include <stddef.h>

/* An X509_V_ERR_* value, its macro name and the TLSRPT_RESULT_* it maps to. In value order, 1 up. */
typedef struct {
    long value;
    const char *name;
    int result;
} trpt_tls_openssl_code;
extern const trpt_tls_openssl_code trpt_tls_openssl_codes[];
extern const size_t trpt_tls_openssl_code_count;

/* A gnutls_certificate_status_t bit, its enumerator name and the TLSRPT_RESULT_* it maps to, in the order of
 * precedence that tlsrpt_result_type_from_gnutls() applies. */
typedef struct {
    unsigned int bit;
    const char *name;
    int result;
} trpt_tls_gnutls_bit;
extern const trpt_tls_gnutls_bit trpt_tls_gnutls_bits[];
extern const size_t trpt_tls_gnutls_bit_count;

/* A TLS AlertDescription (IANA "TLS Alerts"), its reason codes in both directions, and the TLSRPT_RESULT_* of an
 * alert the sending MTA sent (a received one is always validation-failure). In value order. */
typedef struct {
    int value;
    const char *name; /* registry name, lower case, '-' for '_' */
    const char *received;
    const char *sent;
    int sent_result;
} trpt_tls_alert;
extern const trpt_tls_alert trpt_tls_alerts[];
extern const size_t trpt_tls_alert_count;

#endif
