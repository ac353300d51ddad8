/* libtlsrpt — domain names: validation, IDNA2008 A-labels (libidn2), organizational domains (libpsl).
 * SPDX-License-Identifier: MIT */
#include "domain.h"
#include "internal.h"
#include "ip.h"
#include "utf8.h"

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

/* Quoted input for a finding's message. */
#define QUOTE_MAX 80u

/* Returns the EINVAL of a refused name with its one ERROR finding (or ENOMEM when the finding cannot be stored). */
static int refuse(tlsrpt_diag *diag, const char *id, size_t offset, const char *name, const char *why)
{
    char *q = trpt_quoted(name, strlen(name), QUOTE_MAX);
    int rc = trpt_diag_fail(diag, TLSRPT_EINVAL, id, offset, "\"%s\" is not a domain name: %s.", q, why);
    trpt_quoted_free(q);
    return rc;
}

/* 1 if name starts like a URI ("scheme://", or mailto:/https:/http: without the slashes). */
static int looks_like_url(const char *name)
{
    if (strstr(name, "://"))
        return 1;
    return trpt_ascii_strncasecmp(name, "mailto:", 7) == 0 || trpt_ascii_strncasecmp(name, "https:", 6) == 0 ||
           trpt_ascii_strncasecmp(name, "http:", 5) == 0;
}

/* 1 if name is an IPv4 or IPv6 address, bare or in brackets (an address literal). */
static int looks_like_ip(const char *name, size_t len)
{
    if (len >= 2 && name[0] == '[' && name[len - 1] == ']') {
        name++;
        len -= 2;
        if (len > 5 && trpt_ascii_strncasecmp(name, "IPv6:", 5) == 0) {
            name += 5;
            len -= 5;
        }
    }
    return len > 0 && trpt_ip_parse(name, len, NULL) != 0;
}

/* The service-name prefixes of the TXT records a user may paste instead of the domain. */
static size_t record_prefix_len(const char *name)
{
    static const char *const prefixes[] = {"_smtp._tls.", "_mta-sts.", "_report._tls."};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        if (trpt_ascii_strncasecmp(name, prefixes[i], n) == 0)
            return n;
    }
    return 0;
}

/* Offsets of findings about a converted (A-label) name: none, its bytes are not the input's. */
#define NO_BASE SIZE_MAX

/* The label checks of a name in A-label or ASCII form, name[0..len): each failure with the offset of the label or
 * byte in the caller's input (base added), or without one when base is NO_BASE. */
static int check_labels(const char *name, size_t len, int allow_underscore, const char *input, size_t base,
                        tlsrpt_diag *diag)
{
#define AT(i) (base == NO_BASE ? TLSRPT_NO_OFFSET : base + (i))
    size_t label_start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || name[i] == '.') {
            size_t label_len = i - label_start;
            if (label_len == 0)
                return refuse(diag, DIAG_ID("domain-empty-label"), AT(label_start), input,
                              "it has an empty label (two dots in a row, or a dot at the start)");
            if (label_len > TRPT_LABEL_MAX_LENGTH)
                return refuse(diag, DIAG_ID("domain-label-too-long"), AT(label_start), input,
                              "a label is longer than 63 octets");
            if (name[label_start] == '-' || name[i - 1] == '-')
                return refuse(diag, DIAG_ID("domain-label-hyphen"), AT(name[label_start] == '-' ? label_start : i - 1),
                              input, "a label starts or ends with a hyphen");
            label_start = i + 1;
            continue;
        }
        unsigned char c = (unsigned char)name[i];
        if (!is_ldh(c, allow_underscore))
            return refuse(diag, DIAG_ID("domain-bad-character"), AT(i), input,
                          c == ' ' || c == '\t' ? "it contains whitespace"
                          : c == '_'            ? "it contains '_', which a host name cannot hold"
                                                : "it contains a character that a host name cannot hold");
    }
    if (len > TRPT_DOMAIN_MAX_LENGTH)
        return refuse(diag, DIAG_ID("domain-too-long"), TLSRPT_NO_OFFSET, input,
                      "it is longer than 253 octets");
    return TLSRPT_OK;
#undef AT
}

int trpt_domain_check(const char *name, int allow_underscore, tlsrpt_diag *diag, char **out)
{
    if (out)
        *out = NULL;
    if (!name)
        return TLSRPT_EINVAL;
    size_t len = strlen(name);
    if (len == 0)
        return trpt_diag_fail(diag, TLSRPT_EINVAL, "domain-empty", 0, "The domain name is empty.");
    size_t valid = trpt_utf8_valid_prefix(name, len);
    if (valid != len)
        return refuse(diag, DIAG_ID("domain-not-utf8"), valid, name, "it is not UTF-8");
    if (looks_like_url(name))
        return refuse(diag, DIAG_ID("domain-url"), 0, name, "it is a URL; give only its host");
    const char *at = strrchr(name, '@');
    if (at)
        return refuse(diag, DIAG_ID("domain-email-address"), (size_t)(at - name), name,
                      "it is an e-mail address; give only the part after the '@'");
    /* An IPv4 address in dotted-quad form is made of valid LDH labels, and 1.0 accepted it wherever it took a
     * name (mailto: domains, MTA-STS mx patterns): it stays accepted, with a WARNING that says what it is. Every
     * other address form (brackets, IPv6) is refused. */
    int dotted_quad = trpt_ip_parse(name, len, NULL) == 4;
    if (!dotted_quad && looks_like_ip(name, len))
        return refuse(diag, DIAG_ID("domain-ip-address"), 0, name, "it is an IP address");
    if (!allow_underscore && record_prefix_len(name))
        return refuse(diag, DIAG_ID("domain-record-name"), 0, name,
                      "it is the name of a DNS record; give the domain after the service labels");
    /* One trailing dot names the root; "." alone or ".." are not host names. */
    if (len > 1 && name[len - 1] == '.')
        len--;
    /* Bound the work before handing anything to libidn2: a U-label name is never more than 4 bytes per A-label
     * octet, so anything longer cannot convert to a valid name. */
    if (len > 4 * TRPT_DOMAIN_MAX_LENGTH)
        return refuse(diag, DIAG_ID("domain-too-long"), TLSRPT_NO_OFFSET, name, "it is longer than 253 octets");
    char *copy = trpt_strndup(name, len);
    if (!copy)
        return TLSRPT_ENOMEM;

    char *ascii = NULL;
    int converted = has_non_ascii(copy) || has_alabel_prefix(copy);
    if (converted) {
        /* The ASCII labels are checked first, so that a bad one is named with its offset rather than as an IDNA
         * error; the U-labels are libidn2's to judge. libidn2 rejects '_'; service labels are ASCII. */
        int rc = TLSRPT_OK;
        size_t label = 0;
        for (size_t i = 0; rc == TLSRPT_OK && i <= len; i++) {
            if (i < len && copy[i] != '.')
                continue;
            int ascii_label = 1;
            for (size_t k = label; k < i; k++)
                if ((unsigned char)copy[k] >= 0x80)
                    ascii_label = 0;
            if (i == label)
                rc = refuse(diag, DIAG_ID("domain-empty-label"), label, name,
                            "it has an empty label (two dots in a row, or a dot at the start)");
            else if (ascii_label && trpt_ascii_strncasecmp(copy + label, "xn--", 4) != 0)
                rc = check_labels(copy + label, i - label, allow_underscore, name, label, diag);
            label = i + 1;
        }
        if (rc != TLSRPT_OK) {
            free(copy);
            return rc;
        }
        char *idna = NULL;
        rc = idn2_to_ascii_8z(copy, &idna, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
        free(copy);
        if (rc == IDN2_MALLOC)
            return TLSRPT_ENOMEM;
        if (rc != IDN2_OK) {
            idn2_free(idna);
            char *q = trpt_quoted(name, strlen(name), QUOTE_MAX);
            int frc = trpt_diag_fail(diag, TLSRPT_EINVAL, "domain-idna-invalid", TLSRPT_NO_OFFSET,
                                     "\"%s\" is not a domain name: IDNA2008 refuses it (%s).", q, idn2_strerror(rc));
            trpt_quoted_free(q);
            return frc;
        }
        ascii = trpt_strdup(idna);
        idn2_free(idna);
        if (!ascii)
            return TLSRPT_ENOMEM;
    } else {
        ascii = copy;
    }
    for (char *p = ascii; *p; p++)
        *p = (char)trpt_ascii_lower((unsigned char)*p);
    /* The offsets of these findings are those of the input when it was ASCII (the same bytes, lower-cased); a
     * converted name's findings concern its A-label form and have none. */
    int rc = check_labels(ascii, strlen(ascii), allow_underscore, name, converted ? NO_BASE : 0, diag);
    if (rc != TLSRPT_OK) {
        free(ascii);
        return rc;
    }
    if (dotted_quad && trpt_diag_keeps(diag, TLSRPT_SEVERITY_WARNING)) {
        char *q = trpt_quoted(name, strlen(name), QUOTE_MAX);
        rc = trpt_diag_add(diag, TLSRPT_SEVERITY_WARNING, "domain-ip-address", 0, NULL,
                           "\"%s\" is an IPv4 address, not a domain name (accepted as a name of numeric labels).", q);
        trpt_quoted_free(q);
    }
    if (rc != TLSRPT_OK || !out)
        free(ascii);
    else
        *out = ascii;
    return rc;
}

int trpt_domain_to_alabel(const char *name, int allow_underscore, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    return trpt_domain_check(name, allow_underscore, NULL, out);
}

TLSRPT_API int tlsrpt_domain_to_ascii(const char *in, char **out)
{
    return trpt_domain_to_alabel(in, 0, out);
}

TLSRPT_API int tlsrpt_domain_check(const char *in, tlsrpt_diag *diag)
{
    return trpt_domain_check(in, 0, diag, NULL);
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

int trpt_domain_name_under(const char *domain, const char *before, const char *after, char **out)
{
    *out = NULL;
    char *alabel = NULL;
    int rc = trpt_domain_to_alabel(domain, 0, &alabel);
    if (rc != TLSRPT_OK)
        return rc;
    const char *labels = strrchr(before, '/');
    labels = labels ? labels + 1 : before;
    if (strlen(labels) + strlen(alabel) > TRPT_DOMAIN_MAX_LENGTH) {
        free(alabel);
        return TLSRPT_EINVAL;
    }
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, before);
    trpt_buf_puts(&b, alabel);
    trpt_buf_puts(&b, after);
    free(alabel);
    return trpt_buf_finish(&b, out, NULL);
}
