/* libtlsrpt — what the TLSRPT record (RFC 8460 §3), the `_mta-sts` record (RFC 8461 §3.1) and the MTA-STS policy
 * file (RFC 8461 §3.2) parsers share before their own grammars start (internal, never installed).
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_TAGRECORD_H
#define TLSRPT_TAGRECORD_H

#include <stddef.h>

#include <tlsrpt/common.h>

/* 1 if text starts with the version field `version` (e.g. "v=TLSRPTv1") followed by optional WSP and a ';' — a
 * candidate record in the sense of RFC 8460 §3 and RFC 8461 §3.1 (erratum 6285: WSP before the ';'), else 0. */
int trpt_tag_record_is_candidate(const char *text, size_t len, const char *version);

/* The checks every text parser makes on its whole input first: more than `max` bytes is TLSRPT_ELIMIT (`too_long_id`
 * at offset max: "The <what> is N bytes long; the limit is max."), a NUL byte is TLSRPT_ESYNTAX (`nul_id` at its
 * offset). Returns TLSRPT_OK, TLSRPT_ELIMIT, TLSRPT_ESYNTAX or TLSRPT_ENOMEM (the finding could not be stored). */
int trpt_text_input_check(const char *text, size_t len, size_t max, const char *what, const char *too_long_id,
                          const char *nul_id, tlsrpt_diag *diag);

#endif
