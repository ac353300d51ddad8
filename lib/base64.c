/* libtlsrpt — base64 (base64.h). SPDX-License-Identifier: MIT */
#include "base64.h"

#include <stdint.h>

void trpt_base64_put_lines(trpt_buf *b, const unsigned char *data, size_t len)
{
    static const char alphabet[] = TRPT_BASE64_ALPHABET;
    char line[78];
    size_t n = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16;
        size_t k = len - i;
        if (k > 1)
            v |= (uint32_t)data[i + 1] << 8;
        if (k > 2)
            v |= data[i + 2];
        line[n++] = alphabet[(v >> 18) & 63];
        line[n++] = alphabet[(v >> 12) & 63];
        line[n++] = k > 1 ? alphabet[(v >> 6) & 63] : '=';
        line[n++] = k > 2 ? alphabet[v & 63] : '=';
        if (n == 76) {
            line[n++] = '\r';
            line[n++] = '\n';
            trpt_buf_append(b, line, n);
            n = 0;
        }
    }
    if (n > 0) {
        line[n++] = '\r';
        line[n++] = '\n';
        trpt_buf_append(b, line, n);
    }
}
