/* libtlsrpt — UTF-8 (utf8.h). SPDX-License-Identifier: MIT */
#include "utf8.h"

size_t trpt_utf8_valid_prefix(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        size_t bad;
        size_t n = trpt_utf8_sequence(p + i, len - i, &bad);
        if (n == 0)
            return i; /* an ill-formed or truncated sequence ends the prefix */
        i += n;
    }
    return len;
}
