/* libtlsrpt — domain names: validation, IDNA2008 A-labels (libidn2), organizational domains (libpsl).
 * SPDX-License-Identifier: MIT */
#include "domain.h"
#include "internal.h"

#include <idn2.h>
#include <libpsl.h>
#include <stdlib.h>
#include <string.h>

static int is_ldh(unsigned char c, int allow_underscore)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           (allow_underscore && c == '_');
}

int trpt_domain_is_valid_alabel(const char *name, size_t len, int allow_underscore)
{
    if (len == 0 || len > TRPT_DOMAIN_MAX_LENGTH)
        return 0;
    size_t label_start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            size_t label_len = i - label_start;
            if (label_len == 0 || label_len > TRPT_LABEL_MAX_LENGTH)
                return 0;
            if (name[label_start] == '-' || name[i - 1] == '-')
                return 0;
            label_start = i + 1;
            continue;
        }
        if (!is_ldh((unsigned char)name[i], allow_underscore))
            return 0;
    }
    return 1;
}

static int has_non_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return 1;
    return 0;
}

/* 1 if some label starts with "xn--" (any case): such a label must be a valid A-label, which libidn2 checks. */
static int has_alabel_prefix(const char *s)
{
    const char *p = s;
    while (p) {
        if (trpt_ascii_strncasecmp(p, "xn--", 4) == 0)
            return 1;
        p = strchr(p, '.');
        if (p)
            p++;
    }
    return 0;
}

int trpt_domain_to_alabel(const char *name, int allow_underscore, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!name)
        return TLSRPT_EINVAL;
    size_t len = strlen(name);
    /* One trailing dot names the root; "." alone or ".." are not host names. */
    if (len > 1 && name[len - 1] == '.')
        len--;
    /* Bound the work before handing anything to libidn2: a U-label name is never more than 4 bytes per A-label
     * octet, so anything longer cannot convert to a valid name. */
    if (len == 0 || len > 4 * TRPT_DOMAIN_MAX_LENGTH)
        return TLSRPT_EINVAL;
    char *copy = trpt_strndup(name, len);
    if (!copy)
        return TLSRPT_ENOMEM;

    char *ascii = NULL;
    if (has_non_ascii(copy) || has_alabel_prefix(copy)) {
        /* libidn2 rejects '_'; service labels are ASCII, so they never reach this branch in practice. */
        char *converted = NULL;
        int rc = idn2_to_ascii_8z(copy, &converted, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
        free(copy);
        if (rc == IDN2_MALLOC)
            return TLSRPT_ENOMEM;
        if (rc != IDN2_OK) {
            idn2_free(converted);
            return TLSRPT_EINVAL;
        }
        ascii = trpt_strdup(converted);
        idn2_free(converted);
        if (!ascii)
            return TLSRPT_ENOMEM;
    } else {
        ascii = copy;
    }
    for (char *p = ascii; *p; p++)
        *p = (char)trpt_ascii_lower((unsigned char)*p);
    if (!trpt_domain_is_valid_alabel(ascii, strlen(ascii), allow_underscore)) {
        free(ascii);
        return TLSRPT_EINVAL;
    }
    *out = ascii;
    return TLSRPT_OK;
}

int trpt_org_domain(const char *alabel_name, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!alabel_name || !*alabel_name)
        return TLSRPT_EINVAL;
    /* The built-in list is immutable data inside libpsl; when libpsl was built without one, load the system's list
     * for this call (no global state is kept). */
    const psl_ctx_t *psl = psl_builtin();
    psl_ctx_t *loaded = NULL;
    if (!psl) {
        loaded = psl_latest(NULL);
        psl = loaded;
    }
    const char *reg = psl ? psl_registrable_domain(psl, alabel_name) : NULL;
    *out = trpt_strdup(reg ? reg : alabel_name);
    psl_free(loaded);
    return *out ? TLSRPT_OK : TLSRPT_ENOMEM;
}

int trpt_same_org_domain(const char *a, const char *b)
{
    char *oa = NULL, *ob = NULL;
    int rc = trpt_org_domain(a, &oa);
    if (rc == TLSRPT_OK)
        rc = trpt_org_domain(b, &ob);
    if (rc == TLSRPT_OK)
        rc = trpt_ascii_strcasecmp(oa, ob) == 0 ? 1 : 0;
    free(oa);
    free(ob);
    return rc;
}
