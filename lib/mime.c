/* libtlsrpt — Internet messages (RFC 5322) and MIME (RFC 2045, 2046): the writer's helpers (mime.h).
 * SPDX-License-Identifier: MIT */
#include "mime.h"

#include <string.h>

#include "charclass.h"

int trpt_mime_is_printable(const char *s)
{
    if (!s || !*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
            return 0;
    return 1;
}

int trpt_mime_is_dot_atom_text(const char *s, size_t len)
{
    if (len == 0 || s[0] == '.' || s[len - 1] == '.')
        return 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            if (s[i - 1] == '.')
                return 0;
        } else if (!trpt_is_atext((unsigned char)s[i])) {
            return 0;
        }
    }
    return 1;
}

void trpt_mime_put_folded(trpt_buf *b, const char *const *tokens, size_t n)
{
    size_t line = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(tokens[i]);
        if (i > 0) {
            if (line + 1 + len > 78) {
                trpt_buf_puts(b, "\r\n ");
                line = 1;
            } else {
                trpt_buf_putc(b, ' ');
                line++;
            }
        }
        trpt_buf_append(b, tokens[i], len);
        line += len;
    }
    trpt_buf_puts(b, "\r\n");
}
