/* libtlsrpt — what an input is (JSON, gzip, an e-mail, a mailbox) and the parse that reads it
 * (tlsrpt_aggregate(3)).
 * SPDX-License-Identifier: MIT */
#include <string.h>

#include <tlsrpt/tlsrpt.h>

int tlsrpt_content_type(const void *data, size_t len)
{
    const unsigned char *p = data;
    if (p == NULL || len == 0)
        return TLSRPT_CONTENT_JSON;
    if (len >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return TLSRPT_CONTENT_GZIP;
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    if (i < len && p[i] == '{')
        return TLSRPT_CONTENT_JSON;
    if (len >= 5 && memcmp(p, "From ", 5) == 0)
        return TLSRPT_CONTENT_MBOX;
    /* RFC 5322 field-name: printable ASCII except ':' (33..126), then ':'. */
    for (i = 0; i < len && p[i] > 32 && p[i] < 127 && p[i] != ':'; i++)
        ;
    return i > 0 && i < len && p[i] == ':' ? TLSRPT_CONTENT_MESSAGE : TLSRPT_CONTENT_JSON;
}

int tlsrpt_report_parse_any(tlsrpt_report **out, const void *data, size_t len, unsigned int flags,
                            tlsrpt_diag *diag)
{
    int type = tlsrpt_content_type(data, len);
    if (type == TLSRPT_CONTENT_MESSAGE || type == TLSRPT_CONTENT_MBOX)
        return tlsrpt_report_parse_message(out, data, len, flags, diag);
    return tlsrpt_report_parse(out, data, len, flags, diag);
}
