/* Fuzz target: MTA-STS discovery's evaluation (tlsrpt_sts_evaluate) of hostile answers: TXT records, the HTTP
 * status, the Content-Type header (parsed for text/plain and its charset) and the body, as a policy host or a DNS
 * server controlled by an attacker would send them.
 *
 * Input: byte 0 selects the DNS status (bits 0-1: OK, ENOTFOUND, ETEMPFAIL, OK) and the response (bits 2-3: none,
 * an HTTP response, an error of kind 2 + byte 1 % 7 with the Content-Type part as its message, an HTTP response); byte 1 (and byte 2 << 8) gives the HTTP status
 * 100 + n % 900; then up to 4 TXT records, then the Content-Type, then the body, separated by "\n--\n" (the last part
 * is the body; fewer parts leave the later ones empty).
 * Invariants: the return value is the result's status; a status other than TLSRPT_OK has an ERROR; TLSRPT_OK has a
 * record, and with a response a policy and no result type; a result type only with a valid record; the fetch stage
 * says how the response ended; the body is kept exactly.
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SEP "\n--\n"

/* The next part of [*p, end): up to the separator or the end. */
static const char *next_part(const char **p, const char *end, size_t *len)
{
    const char *start = *p;
    const char *q = start;
    while (q + 4 <= end && memcmp(q, SEP, 4) != 0)
        q++;
    if (q + 4 > end)
        q = end;
    *len = (size_t)(q - start);
    *p = q < end ? q + 4 : end;
    return start;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    static const int dns[] = {TLSRPT_OK, TLSRPT_ENOTFOUND, TLSRPT_ETEMPFAIL, TLSRPT_OK};
    int dns_status = dns[data[0] & 3];
    int kind = (data[0] >> 2) & 3;
    int status = 100 + (int)((data[1] | (data[2] << 8)) % 900);
    const char *p = (const char *)data + 3, *end = (const char *)data + size;

    tlsrpt_txt_answer *answer = NULL;
    tlsrpt_https_response *resp = NULL;
    if (tlsrpt_txt_answer_new(&answer) != TLSRPT_OK || tlsrpt_https_response_new(&resp) != TLSRPT_OK)
        goto out;
    const char *parts[6];
    size_t lens[6];
    size_t n = 0;
    while (n < 6 && p < end) {
        parts[n] = next_part(&p, end, &lens[n]);
        n++;
    }
    /* The last two parts are the Content-Type and the body; those before are TXT records. */
    size_t n_txt = n >= 2 ? n - 2 : 0;
    for (size_t i = 0; i < n_txt; i++)
        if (tlsrpt_txt_answer_add(answer, &parts[i], &lens[i], 1) != TLSRPT_OK)
            goto out;
    char ctype[256];
    const char *ctype_arg = NULL;
    if (n >= 2) {
        size_t l = lens[n - 2] < sizeof ctype - 1 ? lens[n - 2] : sizeof ctype - 1;
        memcpy(ctype, parts[n - 2], l);
        ctype[l] = '\0';
        ctype_arg = ctype; /* cut at an embedded NUL, as a header value would be */
    }
    const char *body = n >= 1 ? parts[n - 1] : "";
    size_t body_len = n >= 1 ? lens[n - 1] : 0;
    int with_response = kind != 0;
    if (kind == 2) {
        FUZZ_CHECK(tlsrpt_https_response_set_error(resp, 2 + data[1] % 7, ctype_arg) != TLSRPT_EINVAL);
    } else if (with_response) {
        FUZZ_CHECK(tlsrpt_https_response_set_status(resp, status, ctype_arg) == TLSRPT_OK);
        int rc = tlsrpt_https_response_append(resp, body, body_len);
        FUZZ_CHECK(rc == TLSRPT_OK || (rc == TLSRPT_ELIMIT && body_len > TLSRPT_MAX_STS_POLICY_SIZE));
    }

    tlsrpt_sts_lookup_result *r = NULL;
    int rc = tlsrpt_sts_evaluate("example.com", dns_status, answer, with_response ? resp : NULL, &r);
    if (rc == TLSRPT_ENOMEM)
        goto out;
    FUZZ_CHECK(r != NULL);
    FUZZ_CHECK(rc == tlsrpt_sts_lookup_result_status(r));
    const tlsrpt_diag *d = tlsrpt_sts_lookup_result_diag(r);
    if (rc != TLSRPT_OK)
        FUZZ_CHECK(fuzz_has_error(d));
    int txt = tlsrpt_sts_lookup_result_txt_status(r);
    FUZZ_CHECK((txt == TLSRPT_OK) == (tlsrpt_sts_lookup_result_record(r) != NULL));
    if (txt != TLSRPT_OK)
        FUZZ_CHECK(rc == txt && tlsrpt_sts_lookup_result_result_type(r) == NULL);
    if (rc == TLSRPT_OK && with_response) {
        FUZZ_CHECK(tlsrpt_sts_lookup_result_policy(r) != NULL);
        FUZZ_CHECK(tlsrpt_sts_lookup_result_result_type(r) == NULL);
        FUZZ_CHECK(tlsrpt_sts_lookup_result_http_status(r) == 200);
    }
    if (!with_response)
        FUZZ_CHECK(tlsrpt_sts_lookup_result_fetch(r) == TLSRPT_STS_FETCH_NONE);
    if (tlsrpt_sts_lookup_result_fetch(r) == TLSRPT_STS_FETCH_OK && body_len <= TLSRPT_MAX_STS_POLICY_SIZE) {
        FUZZ_CHECK(tlsrpt_sts_lookup_result_body_length(r) == body_len);
        FUZZ_CHECK(body_len == 0 || memcmp(tlsrpt_sts_lookup_result_body(r), body, body_len) == 0);
    }
    for (size_t i = 0; i < tlsrpt_sts_lookup_result_txt_count(r); i++)
        FUZZ_CHECK(tlsrpt_sts_lookup_result_txt_length(r, i) == lens[i]);
    tlsrpt_sts_lookup_result_free(r);
out:
    tlsrpt_txt_answer_free(answer);
    tlsrpt_https_response_free(resp);
    return 0;
}
