/* libtlsrpt — the record as an RFC 1035 master-file line. SPDX-License-Identifier: MIT */
#include "domain.h"
#include "uri_internal.h"

#include <stdlib.h>
#include <string.h>

/* RFC 1035 §3.3: a <character-string> holds at most 255 octets (counted after unescaping). */
#define ZONE_STRING_MAX 255u

TLSRPT_API int tlsrpt_record_to_zone(const tlsrpt_record *r, const char *domain, uint32_t ttl, char **out,
                                     size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r || !domain)
        return TLSRPT_EINVAL;
    char *alabel = NULL;
    int rc = trpt_domain_to_alabel(domain, 1, &alabel);
    if (rc != TLSRPT_OK)
        return rc;
    char *text = NULL;
    size_t len = 0;
    rc = tlsrpt_record_serialize(r, &text, &len);
    if (rc != TLSRPT_OK) {
        free(alabel);
        return rc;
    }
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_printf(&b, "_smtp._tls.%s.", alabel);
    if (ttl)
        trpt_buf_printf(&b, " %lu", (unsigned long)ttl);
    trpt_buf_puts(&b, " IN TXT");
    /* Split on unescaped bytes, so an escape is never cut in two. */
    for (size_t i = 0; i < len; i++) {
        if (i % ZONE_STRING_MAX == 0)
            trpt_buf_puts(&b, i ? "\" \"" : " \"");
        unsigned char c = (unsigned char)text[i];
        if (c == '"' || c == '\\')
            trpt_buf_printf(&b, "\\%c", c);
        else if (c < 0x20 || c > 0x7e)
            trpt_buf_printf(&b, "\\%03u", c);
        else
            trpt_buf_putc(&b, (char)c);
    }
    trpt_buf_putc(&b, '"');
    free(alabel);
    free(text);
    return trpt_buf_finish(&b, out, out_len);
}

/* ---- character-strings and owner names (what a DNS provider's form asks for) ----------------------------------- */

TLSRPT_API int tlsrpt_txt_split(char ***out, size_t *out_count, const char *text, size_t len)
{
    if (out_count)
        *out_count = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!out_count || (!text && len > 0) || (len > 0 && memchr(text, '\0', len)))
        return TLSRPT_EINVAL;
    if (len > TLSRPT_MAX_RECORD_LENGTH)
        return TLSRPT_ELIMIT;
    size_t n = len ? (len + ZONE_STRING_MAX - 1) / ZONE_STRING_MAX : 1;
    /* One block: n + 1 pointers, then each string and its NUL, so that one tlsrpt_free() releases everything. */
    char **block = malloc((n + 1) * sizeof *block + len + n);
    if (!block)
        return TLSRPT_ENOMEM;
    char *p = (char *)(block + n + 1);
    for (size_t i = 0; i < n; i++) {
        size_t off = i * ZONE_STRING_MAX, k = len - off < ZONE_STRING_MAX ? len - off : ZONE_STRING_MAX;
        block[i] = p;
        if (k)
            memcpy(p, text + off, k);
        p[k] = '\0';
        p += k + 1;
    }
    block[n] = NULL;
    *out = block;
    *out_count = n;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_record_to_strings(const tlsrpt_record *r, char ***out, size_t *out_count)
{
    if (out_count)
        *out_count = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r || !out_count)
        return TLSRPT_EINVAL;
    char *text = NULL;
    size_t len = 0;
    int rc = tlsrpt_record_serialize(r, &text, &len);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_txt_split(out, out_count, text, len);
    free(text);
    return rc;
}

TLSRPT_API int tlsrpt_owner_name(char **out, const char *name, const char *zone_apex)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!name)
        return TLSRPT_EINVAL;
    char *full = NULL, *apex = NULL;
    int rc = trpt_domain_to_alabel(name, 1, &full);
    if (rc == TLSRPT_OK && zone_apex)
        rc = trpt_domain_to_alabel(zone_apex, 1, &apex);
    if (rc != TLSRPT_OK) {
        free(full);
        return rc;
    }
    trpt_buf b;
    trpt_buf_init(&b);
    if (!apex) {
        trpt_buf_printf(&b, "%s.", full);
    } else {
        size_t n = strlen(full), a = strlen(apex);
        if (n == a && strcmp(full, apex) == 0)
            trpt_buf_putc(&b, '@');
        else if (n > a + 1 && full[n - a - 1] == '.' && strcmp(full + n - a, apex) == 0)
            trpt_buf_append(&b, full, n - a - 1);
        else
            rc = TLSRPT_EINVAL; /* not in this zone */
    }
    free(full);
    free(apex);
    if (rc != TLSRPT_OK) {
        trpt_buf_free(&b);
        return rc;
    }
    return trpt_buf_finish(&b, out, NULL);
}

TLSRPT_API int tlsrpt_record_owner_name(char **out, const char *domain, const char *zone_apex)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!domain)
        return TLSRPT_EINVAL;
    /* The domain alone must be a domain name (U-labels allowed); the prefix is ours. */
    char *alabel = NULL;
    int rc = trpt_domain_to_alabel(domain, 1, &alabel);
    if (rc != TLSRPT_OK)
        return rc;
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_printf(&b, "_smtp._tls.%s", alabel);
    free(alabel);
    char *name = NULL;
    if ((rc = trpt_buf_finish(&b, &name, NULL)) != TLSRPT_OK)
        return rc;
    rc = tlsrpt_owner_name(out, name, zone_apex);
    free(name);
    return rc;
}
