/* libtlsrpt — the record as an RFC 1035 master-file line. SPDX-License-Identifier: MIT */
#include "domain.h"
#include "uri_internal.h"

#include <stdlib.h>

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
