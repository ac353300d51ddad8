/* libtlsrpt — gzip (RFC 1952): compression and capped decompression, through libdeflate. Internal, never installed.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_GZIP_H
#define TLSRPT_GZIP_H

#include <stddef.h>

#include "internal.h"

/* 1 if data starts with the gzip magic bytes 0x1f 0x8b. */
int trpt_gzip_detect(const void *data, size_t len);

/* Decompresses every member of a gzip file (RFC 1952: a file is a series of members; their outputs are
 * concatenated, as gzip -d does). Never allocates more than max_out bytes for the output (plus nothing else that
 * scales with the input): output over max_out is TLSRPT_ELIMIT ("gzip-too-large"). A corrupt or truncated
 * member, or bytes after the last member that are not another member, is TLSRPT_ESYNTAX ("gzip-invalid",
 * "gzip-trailing-data"), with the byte offset of the member. The ISIZE trailer field is only a hint for the first
 * buffer size. On success *out (free()) holds *out_len bytes (not NUL-terminated; may be 0 bytes with *out
 * non-NULL). Returns TLSRPT_OK, TLSRPT_ESYNTAX, TLSRPT_ELIMIT or TLSRPT_ENOMEM (*out NULL on failure). */
int trpt_gzip_decompress(const void *data, size_t len, size_t max_out, unsigned char **out, size_t *out_len,
                         tlsrpt_diag *diag);

/* gzip of data[0..len) at the library's level (TRPT_GZIP_LEVEL in gzip.c): one member, no name, no time stamp, so
 * the same bytes always give the same file. On success *out (free()) holds *out_len bytes. Returns TLSRPT_OK or
 * TLSRPT_ENOMEM (*out NULL, *out_len 0). */
int trpt_gzip_compress(const void *data, size_t len, unsigned char **out, size_t *out_len);

#endif
