/* libtlsrpt — Internet messages (RFC 5322) and MIME (RFC 2045, 2046). Internal, never installed.
 * SPDX-License-Identifier: MIT
 *
 * The room of the message format, apart from what a TLSRPT message says (report_write.c writes the RFC 8460 §5.3
 * message, report_message.c reads one). It holds the writer's helpers now; the reader's header parser and multipart
 * walk (still in report_message.c, which is being rewritten) move here next, for the §5.3 reader and for mailbox
 * (mbox, Maildir) ingest. */
#ifndef TLSRPT_MIME_H
#define TLSRPT_MIME_H

#include <stddef.h>

#include "internal.h"

/* 1 if s is non-empty printable US-ASCII (0x20..0x7e): no CR, LF, NUL or other controls, nothing that could start a
 * new header line or need encoding. */
int trpt_mime_is_printable(const char *s);

/* 1 if s[0..len) is an RFC 5322 §3.2.3 dot-atom-text: 1*atext *("." 1*atext). */
int trpt_mime_is_dot_atom_text(const char *s, size_t len);

/* Appends a header field "name: token token ...", folded (CRLF SP, RFC 5322 §2.2.3) before a token when the line
 * would pass 78 characters, and ends it with CRLF. Every token must be at most 997 octets, so that no line passes
 * 998. */
void trpt_mime_put_folded(trpt_buf *b, const char *const *tokens, size_t n);

#endif
