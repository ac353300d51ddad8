/* libtlsrpt — the checks the record and policy parsers share (tagrecord.h). SPDX-License-Identifier: MIT */
#include "tagrecord.h"

#include <string.h>

#include "charclass.h"
#include "internal.h"

int trpt_tag_record_is_candidate(const char *text, size_t len, const char *version)
{
    size_t vlen = strlen(version);
    if (!text || len < vlen || memcmp(text, version, vlen) != 0)
        return 0;
    size_t i = vlen;
    while (i < len && trpt_is_wsp((unsigned char)text[i]))
        i++;
    return i < len && text[i] == ';';
}

int trpt_text_input_check(const char *text, size_t len, size_t max, const char *what, const char *too_long_id,
                          const char *nul_id, tlsrpt_diag *diag)
{
    if (len > max)
        return trpt_diag_fail(diag, TLSRPT_ELIMIT, too_long_id, max, "The %s is %zu bytes long; the limit is %zu.",
                              what, len, max);
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, nul_id, (size_t)(nul - text),
                              "The %s contains a NUL byte at offset %zu.", what, (size_t)(nul - text));
    return TLSRPT_OK;
}
