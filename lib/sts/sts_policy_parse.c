/* libtlsrpt — the MTA-STS policy file parser (RFC 8461 §3.2).
 * SPDX-License-Identifier: MIT
 *
 * The grammar (draft-ietf-uta-mta-sts-21 §3.2 with its typos read as meant; %s = case-sensitive):
 *   sts-policy-record        = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
 *   sts-policy-field         = sts-policy-version / sts-policy-mode / sts-policy-max-age / sts-policy-mx /
 *                              sts-policy-extension
 *   sts-policy-field-delim   = ":" *WSP
 *   sts-policy-version       = %s"version" sts-policy-field-delim %s"STSv1"
 *   sts-policy-mode          = %s"mode" sts-policy-field-delim (%s"testing" / %s"enforce" / %s"none")
 *   sts-policy-mx            = %s"mx" sts-policy-field-delim ["*."] Domain          ; Domain: RFC 5321 §4.1.2
 *   sts-policy-max-age       = %s"max_age" sts-policy-field-delim 1*10(DIGIT)
 *   sts-policy-extension     = sts-policy-ext-name sts-policy-field-delim sts-policy-ext-value
 *   sts-policy-ext-name      = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   sts-policy-term          = LF / CRLF                                             ; erratum 6253
 *   sts-policy-ext-value     = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]
 *   sts-policy-vchar         = %x21-7E / UTF8-2 / UTF8-3 / UTF8-4
 * version, mode and max_age are required once, mx at least once unless the mode is none.
 *
 * Decisions (doc/diagnostics.md, "MTA-STS"):
 *   - Empty lines (or lines of WSP only) are outside the ABNF; they are accepted with a warning
 *     (sts-policy-empty-line), as a blank line (typically at the end of a hand-edited file) does not change what the
 *     policy says. A bare CR is an error.
 *   - A repeated version, mode or max_age is an error (sts-policy-key-duplicate), as issue #12 asks; RFC 8461 §3.2
 *     tells parsers to ignore all entries but the first, so a sender that wants that must not use this parser's
 *     verdict for such a policy. Unknown keys may repeat (extensions, kept in order).
 *   - max_age: 1 to 10 digits as in the ABNF (erratum 7282 proposes 8), value at most 31557600; leading zeros are
 *     accepted and dropped in the canonical lines.
 *   - mx: A-labels only: non-ASCII is an error that says so; xn-- labels must be valid IDNA2008 (libidn2).
 *   - A key that differs from a known key only in case is an extension with a warning, and the known key is still
 *     required.
 * Each line is read once and each mx checked in O(its length): the parse is linear in the input.
 */
#include "sts_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define MAX_AGE_DIGITS 10u

typedef struct pol_ctx {
    const char *s;
    size_t len;
    tlsrpt_diag *diag;
    tlsrpt_sts_policy *p;
    size_t version_at; /* offset of the key, SIZE_MAX while absent */
    size_t mode_at;
    size_t max_age_at;
} pol_ctx;

static int note(const pol_ctx *c, int severity, const char *id, size_t offset, const char *fmt, ...)
    TRPT_PRINTF(5, 6);

static int note(const pol_ctx *c, int severity, const char *id, size_t offset, const char *fmt, ...)
{
    if (!trpt_diag_keeps(c->diag, severity))
        return TLSRPT_OK;
    va_list ap;
    va_start(ap, fmt);
    int rc = trpt_diag_vadd(c->diag, severity, id, offset, NULL, fmt, ap);
    va_end(ap);
    return rc;
}

/* A required key seen a second time: the key's offset in *seen, or an error. */
static int once(pol_ctx *c, size_t *seen, size_t key, const char *name)
{
    if (*seen != SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-key-duplicate", key,
                              "The key \"%s\" at offset %zu was already given at offset %zu; a policy has it once.",
                              name, key, *seen);
    *seen = key;
    return TLSRPT_OK;
}

/* The value [v, ve) must be exactly one of the words; returns its index, or fails with id at the first byte that
 * differs from every word (v when none shares a prefix). */
static int one_of(pol_ctx *c, size_t v, size_t ve, const char *const *words, size_t n, const char *id,
                  const char *what, int *which)
{
    size_t best = 0;
    for (size_t w = 0; w < n; w++) {
        size_t wl = strlen(words[w]), k = 0;
        while (k < wl && v + k < ve && c->s[v + k] == words[w][k])
            k++;
        if (k == wl && v + k == ve) {
            *which = (int)w;
            return TLSRPT_OK;
        }
        if (k > best)
            best = k;
    }
    char *q = trpt_quoted(c->s + v, ve - v, 40);
    int rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, id, v + best, "\"%s\" is not %s (case-sensitive).", q, what);
    trpt_quoted_free(q);
    return rc;
}

static int parse_max_age(pol_ctx *c, size_t v, size_t ve)
{
    uint64_t value = 0;
    size_t k = v;
    for (; k < ve && trpt_is_digit((unsigned char)c->s[k]); k++) {
        if (k - v == MAX_AGE_DIGITS)
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-max-age-invalid", k,
                                  "max_age has more than %u digits.", MAX_AGE_DIGITS);
        value = value * 10 + (uint64_t)(c->s[k] - '0');
    }
    if (k == v || k < ve) {
        char what[16];
        trpt_sts_describe_byte(c->s, ve, k, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-max-age-invalid", k,
                              "max_age must be a number of seconds (digits only); found %s at offset %zu.", what, k);
    }
    if (value > TLSRPT_MAX_STS_MAX_AGE)
        return trpt_diag_fail(c->diag, TLSRPT_ESEMANTIC, "sts-policy-max-age-too-large", v,
                              "max_age %llu is more than the maximum of %u seconds (one year).",
                              (unsigned long long)value, TLSRPT_MAX_STS_MAX_AGE);
    trpt_sts_policy_set_max_age(c->p, (uint32_t)value);
    return TLSRPT_OK;
}

static int parse_mx(pol_ctx *c, size_t key, size_t v, size_t ve)
{
    size_t bad;
    const char *problem = trpt_sts_mx_pattern_problem(c->s + v, ve - v, &bad);
    if (problem) {
        char *q = trpt_quoted(c->s + v, ve - v, 80);
        int rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-mx-invalid", v + bad,
                                "The mx pattern \"%s\" %s (offset %zu).", q, problem, v + bad);
        trpt_quoted_free(q);
        return rc;
    }
    if (trpt_sts_mx_has_alabel(c->s + v, ve - v)) {
        size_t skip = c->s[v] == '*' ? 2 : 0;
        char *name = trpt_strndup(c->s + v + skip, ve - v - skip), *alabel = NULL;
        if (!name)
            return TLSRPT_ENOMEM;
        int rc = trpt_domain_to_alabel(name, 0, &alabel);
        free(name);
        free(alabel);
        if (rc == TLSRPT_ENOMEM)
            return rc;
        if (rc != TLSRPT_OK) {
            char *q = trpt_quoted(c->s + v, ve - v, 80);
            rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-mx-invalid", v,
                                "The mx pattern \"%s\" has an xn-- label that is not a valid IDNA2008 A-label.", q);
            trpt_quoted_free(q);
            return rc;
        }
    }
    if (c->p->mx_count == TLSRPT_MAX_STS_MX_COUNT)
        return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "sts-policy-too-many-mx", key,
                              "The policy has more than %u mx lines.", TLSRPT_MAX_STS_MX_COUNT);
    return trpt_sts_policy_push_mx(c->p, c->s + v, ve - v);
}

/* sts-policy-ext-value = sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar], [v, ve) already without
 * trailing WSP. */
static int parse_extension(pol_ctx *c, size_t key, size_t key_len, size_t v, size_t ve)
{
    char what[16];
    if (v == ve) {
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", v,
                              "The key at offset %zu has an empty value.", key);
    }
    /* One pass for UTF-8 (calling the validator per non-ASCII run would rescan the rest of the value each time: a
     * value alternating ASCII and non-ASCII would cost quadratic time), then the first control byte before the end
     * of the valid prefix, so that the first offending byte is the one reported. */
    size_t valid = v + trpt_utf8_valid_prefix(c->s + v, ve - v);
    for (size_t k = v; k < valid; k++) {
        unsigned char b = (unsigned char)c->s[k];
        if (b < 0x20 || b == 0x7f) {
            trpt_sts_describe_byte(c->s, ve, k, what);
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", k,
                                  "A value may not hold %s (offset %zu); only spaces and visible characters.", what,
                                  k);
        }
    }
    if (valid < ve)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-ext-value-invalid", valid,
                              "The value has a byte at offset %zu that is not UTF-8.", valid);
    if (c->p->ext.count == TLSRPT_MAX_STS_EXTENSION_COUNT)
        return trpt_diag_fail(c->diag, TLSRPT_ELIMIT, "sts-policy-too-many-extensions", key,
                              "The policy has more than %u unknown keys.", TLSRPT_MAX_STS_EXTENSION_COUNT);
    int rc = trpt_sts_exts_push(&c->p->ext, c->s + key, key_len, ": ", c->s + v, ve - v);
    if (rc != TLSRPT_OK)
        return rc;
    static const char *const known[] = {"version", "mode", "max_age", "mx"};
    int wrong_case = 0;
    for (size_t k = 0; k < sizeof known / sizeof *known; k++)
        if (strlen(known[k]) == key_len && trpt_ascii_strncasecmp(c->s + key, known[k], key_len) == 0)
            wrong_case = 1;
    int severity = wrong_case ? TLSRPT_SEVERITY_WARNING : TLSRPT_SEVERITY_INFO;
    if (!trpt_diag_keeps(c->diag, severity))
        return TLSRPT_OK;
    char *q = trpt_quoted(c->s + key, key_len, 40);
    if (wrong_case)
        rc = note(c, severity, DIAG_ID("sts-policy-key-wrong-case"), key,
                  "The key \"%s\" is not a known key (keys are case-sensitive); it is kept as an unknown key.", q);
    else
        rc = note(c, severity, DIAG_ID("sts-policy-extension-unknown"), key,
                  "The unknown key \"%s\" is kept but has no meaning in MTA-STS version 1.", q);
    trpt_quoted_free(q);
    return rc;
}

/* One line [a, e) without its terminator, not empty. */
static int parse_line(pol_ctx *c, size_t a, size_t e)
{
    char what[16];
    size_t k = a;
    if (!trpt_is_alnum((unsigned char)c->s[k])) {
        trpt_sts_describe_byte(c->s, e, k, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-key-invalid", k,
                              "Expected a key (a letter or digit) at offset %zu, found %s.", k, what);
    }
    for (k++; k < e && sts_is_ext_name_char((unsigned char)c->s[k]); k++)
        if (k - a == STS_EXT_NAME_MAX)
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-key-too-long", k,
                                  "The key starting at offset %zu is longer than %u characters.", a, STS_EXT_NAME_MAX);
    if (k == e || c->s[k] != ':') {
        trpt_sts_describe_byte(c->s, e, k, what);
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-colon-expected", k,
                              "Expected ':' right after the key, found %s at offset %zu.", what, k);
    }
    size_t key_len = k - a;
    size_t v = k + 1;
    while (v < e && trpt_is_wsp((unsigned char)c->s[v]))
        v++;
    size_t ve = e;
    while (ve > v && trpt_is_wsp((unsigned char)c->s[ve - 1]))
        ve--;
    const char *key = c->s + a;
    int rc, which;
    if (key_len == 7 && memcmp(key, "version", 7) == 0) {
        static const char *const v1[] = {"STSv1"};
        if ((rc = once(c, &c->version_at, a, "version")) != TLSRPT_OK)
            return rc;
        return one_of(c, v, ve, v1, 1, DIAG_ID("sts-policy-version-invalid"), "\"STSv1\"", &which);
    }
    if (key_len == 4 && memcmp(key, "mode", 4) == 0) {
        static const char *const modes[] = {"enforce", "testing", "none"};
        static const int mode_codes[] = {TLSRPT_STS_MODE_ENFORCE, TLSRPT_STS_MODE_TESTING, TLSRPT_STS_MODE_NONE};
        if ((rc = once(c, &c->mode_at, a, "mode")) != TLSRPT_OK ||
            (rc = one_of(c, v, ve, modes, 3, DIAG_ID("sts-policy-mode-invalid"), "\"enforce\", \"testing\" or \"none\"",
                         &which)) != TLSRPT_OK)
            return rc;
        c->p->mode = mode_codes[which];
        return TLSRPT_OK;
    }
    if (key_len == 7 && memcmp(key, "max_age", 7) == 0) {
        if ((rc = once(c, &c->max_age_at, a, "max_age")) != TLSRPT_OK)
            return rc;
        return parse_max_age(c, v, ve);
    }
    if (key_len == 2 && memcmp(key, "mx", 2) == 0)
        return parse_mx(c, a, v, ve);
    return parse_extension(c, a, key_len, v, ve);
}

static int parse_lines(pol_ctx *c)
{
    int rc;
    size_t p = 0;
    while (p < c->len) {
        size_t a = p, e = p;
        while (e < c->len && c->s[e] != '\n' && c->s[e] != '\r')
            e++;
        size_t next = e;
        if (e < c->len) {
            if (c->s[e] == '\r' && (e + 1 == c->len || c->s[e + 1] != '\n'))
                return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-bare-cr", e,
                                      "A CR at offset %zu is not followed by LF; lines end with LF or CRLF.", e);
            next = e + (c->s[e] == '\r' ? 2 : 1);
        }
        size_t k = a;
        while (k < e && trpt_is_wsp((unsigned char)c->s[k]))
            k++;
        if (k == e) {
            rc = note(c, TLSRPT_SEVERITY_WARNING, DIAG_ID("sts-policy-empty-line"), a,
                      "The empty line at offset %zu is outside the RFC 8461 grammar; it is ignored.", a);
        } else {
            rc = parse_line(c, a, e);
        }
        if (rc != TLSRPT_OK)
            return rc;
        p = next;
    }
    if (c->version_at == SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-version-missing", TLSRPT_NO_OFFSET,
                              "The policy has no \"version: STSv1\" line.");
    if (c->mode_at == SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-mode-missing", TLSRPT_NO_OFFSET,
                              "The policy has no \"mode:\" line.");
    if (c->max_age_at == SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-max-age-missing", TLSRPT_NO_OFFSET,
                              "The policy has no \"max_age:\" line.");
    if (c->p->mx_count == 0 && c->p->mode != TLSRPT_STS_MODE_NONE)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "sts-policy-mx-missing", TLSRPT_NO_OFFSET,
                              "The policy has no \"mx:\" line; one is required unless the mode is none.");
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_sts_policy_parse(tlsrpt_sts_policy **out, const char *text, size_t len, tlsrpt_diag *diag)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!text && len > 0)
        return TLSRPT_EINVAL;
    int checked = trpt_text_input_check(text, len, TLSRPT_MAX_STS_POLICY_SIZE, "policy",
                                        DIAG_ID("sts-policy-too-large"), DIAG_ID("sts-policy-nul"), diag);
    if (checked != TLSRPT_OK)
        return checked;
    pol_ctx c = {text, len, diag, NULL, SIZE_MAX, SIZE_MAX, SIZE_MAX};
    c.p = trpt_sts_policy_alloc();
    if (!c.p)
        return TLSRPT_ENOMEM;
    int rc = parse_lines(&c);
    /* The canonical file ends every line with CRLF where the input may use LF: a policy at the size limit can grow
     * past it, and then its file could not be read back (the builder refuses the same). */
    if (rc == TLSRPT_OK && trpt_sts_policy_serialized_length(c.p) > TLSRPT_MAX_STS_POLICY_SIZE)
        rc = trpt_diag_fail(diag, TLSRPT_ELIMIT, "sts-policy-too-large", TLSRPT_NO_OFFSET,
                            "The policy's canonical file (every line ended by CRLF) would be %zu bytes long; the "
                            "limit is %u.",
                            trpt_sts_policy_serialized_length(c.p), TLSRPT_MAX_STS_POLICY_SIZE);
    if (rc != TLSRPT_OK) {
        tlsrpt_sts_policy_free(c.p);
        return rc;
    }
    *out = c.p;
    return TLSRPT_OK;
}
