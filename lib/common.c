/* libtlsrpt — status strings, memory release, run-time version. SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdlib.h>

TLSRPT_API const char *tlsrpt_status_string(int code)
{
    switch (code) {
    case TLSRPT_OK:
        return "Success.";
    case TLSRPT_ENOMEM:
        return "Memory allocation failed.";
    case TLSRPT_EINVAL:
        return "Invalid argument.";
    case TLSRPT_ESYNTAX:
        return "The input does not follow its grammar.";
    case TLSRPT_ESEMANTIC:
        return "The input is well-formed but not valid.";
    case TLSRPT_ELIMIT:
        return "The input is over a size, depth or count limit.";
    case TLSRPT_ENOTFOUND:
        return "No TLSRPT record was found.";
    case TLSRPT_EMULTIPLE:
        return "More than one TLSRPT record was found, so the domain has no usable TLSRPT policy.";
    case TLSRPT_ETEMPFAIL:
        return "Temporary DNS failure; try again later.";
    case TLSRPT_EUNSUPPORTED:
        return "The feature, scheme or format is not supported.";
    default:
        return "Unknown status code.";
    }
}

TLSRPT_API const char *tlsrpt_status_name(int code)
{
    /* Indexed by -code: the names of the TLSRPT_* macros of common.h, for bindings that map codes to their own
     * error values by name. */
    static const char *const names[] = {
        "TLSRPT_OK",        "TLSRPT_ENOMEM",   "TLSRPT_EINVAL",    "TLSRPT_ESYNTAX",    "TLSRPT_ESEMANTIC",
        "TLSRPT_ELIMIT",    "TLSRPT_ENOTFOUND", "TLSRPT_EMULTIPLE", "TLSRPT_ETEMPFAIL", "TLSRPT_EUNSUPPORTED",
    };
    if (code > 0 || code < -(int)(sizeof names / sizeof names[0] - 1))
        return NULL;
    return names[-code];
}

TLSRPT_API void tlsrpt_free(void *p)
{
    free(p);
}

TLSRPT_API int tlsrpt_version_number(void)
{
    return TLSRPT_VERSION_NUMBER;
}

TLSRPT_API const char *tlsrpt_version_string(void)
{
    return TLSRPT_VERSION_STRING;
}
