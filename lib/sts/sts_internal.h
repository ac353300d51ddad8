/* libtlsrpt — what the MTA-STS files (lib/sts/) share. Never installed.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_STS_INTERNAL_H
#define TLSRPT_STS_INTERNAL_H

#include "charclass.h"
#include "domain.h"
#include "tagrecord.h"
#include "utf8.h"
#include "internal.h"

#include <tlsrpt/sts.h>

/* ---- Character classes of the RFC 8461 grammar (the core rules are lib/charclass.h's) ---------------------------- */

/* sts-ext-name and sts-policy-ext-name after the first character: ALPHA / DIGIT / "_" / "-" / "." */
static inline int sts_is_ext_name_char(unsigned char c)
{
    return trpt_is_alnum(c) || c == '_' || c == '-' || c == '.';
}

/* sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E) (the TXT record's extension values) */
static inline int sts_is_record_ext_value_char(unsigned char c)
{
    return c >= 0x21 && c <= 0x7e && c != ';' && c != '=';
}

/* Longest extension name of both grammars: (ALPHA / DIGIT) *31(...) */
#define STS_EXT_NAME_MAX 32u

/* ---- Extension fields, kept in order ------------------------------------------------------------------------------
 * One allocation per field holds the field as a line ("name=value" in a record, "name: value" in a policy: what the
 * serializer and the report's policy-string need) and the name alone; value points into the line. */
typedef struct trpt_sts_ext {
    char *line;        /* name, separator, value, NUL; then the name again, NUL */
    const char *name;  /* inside line's allocation */
    const char *value; /* inside line */
} trpt_sts_ext;

typedef struct trpt_sts_exts {
    trpt_sts_ext *v;
    size_t count;
    size_t cap;
} trpt_sts_exts;

/* Appends a copy; on failure (TLSRPT_ENOMEM) the list is unchanged. */
int trpt_sts_exts_push(trpt_sts_exts *e, const char *name, size_t name_len, const char *sep, const char *value,
                       size_t value_len);
void trpt_sts_exts_free(trpt_sts_exts *e);

/* 1 if name is (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."). */
int trpt_sts_ext_name_ok(const char *name, size_t len);

/* Describes the byte at offset i of s[0..len) for a message: 'c' for printable ASCII, "byte 0xHH" otherwise, "end
 * of text" past the end. */
void trpt_sts_describe_byte(const char *s, size_t len, size_t i, char buf[16]);

/* ---- mx patterns ---------------------------------------------------------------------------------------------------
 * sts-policy-mx-value = ["*."] Domain, Domain per RFC 5321 §4.1.2 (sub-domain *("." sub-domain), sub-domain =
 * Let-dig [Ldh-str]), in A-labels, at most 63 octets a label and 253 in all. */

/* Checks s[0..len). Returns NULL when it is a pattern, else a static English phrase for the message ("a label
 * starts with '-'") and *bad the offset in s of the offending byte. Does not check what xn-- labels encode. */
const char *trpt_sts_mx_pattern_problem(const char *s, size_t len, size_t *bad);

/* 1 if the pattern (valid as above) has a label beginning "xn--" in any case, which IDNA2008 must then accept. */
int trpt_sts_mx_has_alabel(const char *s, size_t len);

/* The mode's name in a policy ("enforce", ...), or NULL for an unknown mode. */
const char *trpt_sts_mode_name(int mode);

/* ---- The policy object (lib/sts/sts_policy.c builds it, sts_policy_parse.c parses into it) ------------------- */

struct tlsrpt_sts_policy {
    int mode;
    uint32_t max_age;
    char max_age_line[24]; /* "max_age: <seconds>" */
    char **mx_lines;       /* "mx: <pattern>"; the pattern is mx_lines[i] + 4 */
    size_t mx_count;
    size_t mx_cap;
    trpt_sts_exts ext; /* lines "<key>: <value>" */
};

/* Bytes of the policy file tlsrpt_sts_policy_serialize() writes (every line ended by CRLF). */
size_t trpt_sts_policy_serialized_length(const tlsrpt_sts_policy *p);

/* An empty policy: mode none, max_age 0, no mx. Returns NULL when out of memory. */
tlsrpt_sts_policy *trpt_sts_policy_alloc(void);
void trpt_sts_policy_set_max_age(tlsrpt_sts_policy *p, uint32_t max_age);
/* Appends "mx: " + pattern[0..len); on failure (TLSRPT_ENOMEM) the policy is unchanged. */
int trpt_sts_policy_push_mx(tlsrpt_sts_policy *p, const char *pattern, size_t len);

/* 1 if the mx pattern (as stored: ASCII, any case) covers host (lower-case A-labels, no trailing dot). */
int trpt_sts_pattern_matches(const char *pattern, const char *host);

#define STS_MX_PREFIX "mx: "
#define STS_MX_PREFIX_LEN 4u

#endif
