/* libtlsrpt — splitting an mbox mailbox (RFC 4155) into its messages, in place (tlsrpt_aggregate(3)).
 * SPDX-License-Identifier: MIT
 *
 * The rule of mboxo/mboxrd, as Python's mailbox module and most MUAs read it: every line that starts with "From "
 * begins a message; the empty line before it (the writer's separator) belongs to neither message. One pass with
 * memchr over the bytes: linear time, nothing allocated. */
#include <string.h>

#include <tlsrpt/tlsrpt.h>

/* The offset of the next line start at or after `from` that begins with "From ", or len. */
static size_t next_from_line(const unsigned char *p, size_t len, size_t from)
{
    size_t i = from;
    while (i < len) {
        if (len - i >= 5 && memcmp(p + i, "From ", 5) == 0 && (i == 0 || p[i - 1] == '\n'))
            return i;
        const unsigned char *nl = memchr(p + i, '\n', len - i);
        if (nl == NULL)
            return len;
        i = (size_t)(nl - p) + 1;
    }
    return len;
}

int tlsrpt_mbox_next(const void *data, size_t len, size_t *pos, size_t *msg_offset, size_t *msg_len)
{
    if (pos == NULL || msg_offset == NULL || msg_len == NULL || (data == NULL && len > 0) || *pos > len)
        return TLSRPT_EINVAL;
    const unsigned char *p = data;
    size_t start = *pos;
    if (start >= len)
        return 0;
    /* A message's own "From " line is not the start of the next one. */
    size_t end = next_from_line(p, len, start + 1);
    size_t stop = end;
    if (end < len) {
        /* Drop the one empty line (LF or CRLF) in front of the next "From " line. */
        if (stop >= start + 2 && p[stop - 1] == '\n' && p[stop - 2] == '\n')
            stop -= 1;
        else if (stop >= start + 4 && memcmp(p + stop - 4, "\r\n\r\n", 4) == 0)
            stop -= 2;
    }
    *msg_offset = start;
    *msg_len = stop - start;
    *pos = end;
    return 1;
}
