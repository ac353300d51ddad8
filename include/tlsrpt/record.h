/* libtlsrpt — the _smtp._tls TXT record (RFC 8460 §3): parse, build, serialize, zone output, lint.
 * SPDX-License-Identifier: MIT */
#ifndef TLSRPT_RECORD_H
#define TLSRPT_RECORD_H

#include <tlsrpt/common.h>
#include <tlsrpt/uri.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tlsrpt_record tlsrpt_record;

/**
 * tlsrpt_record_parse - parse the text of a TLSRPT TXT record (character-strings already joined).
 * @out:  receives the new record (free with tlsrpt_record_free); NULL on failure.
 * @text, @len: the record bytes, no NUL needed; embedded NULs are a syntax error.
 * @diag: findings are appended here; may be NULL.
 * Implements the RFC 8460 ABNF exactly. Grammar violations and a missing rua are TLSRPT_ESYNTAX with the byte
 * offset. A record whose destinations all use unsupported schemes is TLSRPT_ESEMANTIC ("rua-none-usable").
 * Accepted with a WARNING: whitespace before the first ';' (erratum 6285), whitespace after the last field,
 * repeated rua= fields (merged in order), a second v= field (kept as an extension named "v"), destinations with
 * unsupported schemes next to a usable one (kept as TLSRPT_URI_OTHER). Unknown extensions are kept in order
 * (INFO). URI diagnostics carry offsets in @text. The parse stops at the first error.
 * Also: TLSRPT_ELIMIT (over TLSRPT_MAX_RECORD_LENGTH — the text, or since 1.1 its canonical text, so that every
 * record is written back within the limit — or too many destinations/extensions), TLSRPT_EINVAL,
 * TLSRPT_ENOMEM. Warnings and notes do not fail the parse. Since: 1.0
 */
TLSRPT_API int tlsrpt_record_parse(tlsrpt_record **out, const char *text, size_t len, tlsrpt_diag *diag);

/**
 * tlsrpt_record_is_candidate - 1 if the text starts with "v=TLSRPTv1" *WSP ";" (the test that selects TLSRPT
 * records among a name's TXT records), else 0. Since: 1.0
 */
TLSRPT_API int tlsrpt_record_is_candidate(const char *text, size_t len);

/** tlsrpt_record_new - an empty builder: v=TLSRPTv1 and no destination yet. Since: 1.0 */
TLSRPT_API int tlsrpt_record_new(tlsrpt_record **out);

/**
 * tlsrpt_record_add_rua - append a destination. @uri is a mailto: or https: URI as text (percent-encoded as in a
 * record) or a bare e-mail address, which is taken as mailto:.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL argument), TLSRPT_ESYNTAX (with diagnostics), TLSRPT_EUNSUPPORTED (a
 * scheme other than mailto: or https:; ERROR "rua-scheme-unsupported"), TLSRPT_ELIMIT (TLSRPT_MAX_RUA_COUNT
 * reached, "rua-too-many", or the serialized record would exceed TLSRPT_MAX_RECORD_LENGTH, "record-too-long") or
 * TLSRPT_ENOMEM. Offsets are byte indexes in @uri. On failure the record is unchanged. Since: 1.0
 */
TLSRPT_API int tlsrpt_record_add_rua(tlsrpt_record *r, const char *uri, tlsrpt_diag *diag);

/**
 * tlsrpt_record_add_extension - append an extension field name=value. The name must match
 * (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".") and must not be "v" or "rua"; the value 1*(%x21-3A / %x3C /
 * %x3E-7E). Returns TLSRPT_OK, TLSRPT_EINVAL (NULL or a value outside the grammar), TLSRPT_ELIMIT
 * (TLSRPT_MAX_EXTENSION_COUNT reached, or the serialized record would exceed TLSRPT_MAX_RECORD_LENGTH),
 * TLSRPT_ENOMEM. On failure the record is unchanged.
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_record_add_extension(tlsrpt_record *r, const char *name, const char *value);

/** tlsrpt_record_rua_count - number of destinations (0 for NULL). Since: 1.0 */
TLSRPT_API size_t tlsrpt_record_rua_count(const tlsrpt_record *r);

/** tlsrpt_record_rua - destination i (borrowed), in record order; NULL when out of range. Since: 1.0 */
TLSRPT_API const tlsrpt_uri *tlsrpt_record_rua(const tlsrpt_record *r, size_t i);

/** tlsrpt_record_extension_count - number of extension fields (0 for NULL). Since: 1.0 */
TLSRPT_API size_t tlsrpt_record_extension_count(const tlsrpt_record *r);

/** tlsrpt_record_extension_name - name of extension i (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const char *tlsrpt_record_extension_name(const tlsrpt_record *r, size_t i);

/** tlsrpt_record_extension_value - value of extension i (borrowed); NULL when out of range. Since: 1.0 */
TLSRPT_API const char *tlsrpt_record_extension_value(const tlsrpt_record *r, size_t i);

/**
 * tlsrpt_record_serialize - the canonical text "v=TLSRPTv1; rua=URI,URI[; name=value]...".
 * @out: receives a new NUL-terminated string (free with tlsrpt_free); @out_len its length, may be NULL.
 * Returns TLSRPT_OK, TLSRPT_EINVAL, TLSRPT_ESEMANTIC (no destination yet) or TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_record_serialize(const tlsrpt_record *r, char **out, size_t *out_len);

/**
 * tlsrpt_record_to_zone - one RFC 1035 master-file line:
 *   _smtp._tls.<domain>. <ttl> IN TXT "..." "..."
 * '"' and '\' escaped, other bytes outside 0x20-0x7E as \DDD, character-strings of at most 255 bytes (counted
 * unescaped), never split inside an escape. @domain may be a U-label name (converted to A-labels) and may end in
 * '.'; ttl 0 omits the TTL. @out receives a new NUL-terminated string without a trailing newline (free with
 * tlsrpt_free); @out_len its length, may be NULL.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL, or not a domain name), TLSRPT_ESEMANTIC (no destination) or
 * TLSRPT_ENOMEM. Since: 1.0
 */
TLSRPT_API int tlsrpt_record_to_zone(const tlsrpt_record *r, const char *domain, uint32_t ttl, char **out,
                                     size_t *out_len);

/**
 * tlsrpt_txt_split - cut a TXT record value into the DNS character-strings that carry it: consecutive pieces of
 * at most 255 bytes (RFC 1035 §3.3), the first ones exactly 255, so that joined without separators they give the
 * text again (RFC 8460 §3, RFC 7208 §3.3). An empty text gives one empty string. Works for any TXT value (a TLSRPT
 * or MTA-STS record, an authorization record).
 * @out: receives a new NULL-terminated array of *@out_count NUL-terminated strings, allocated as one block: free
 * it with one tlsrpt_free(*out). NULL on failure.
 * @text, @len: the value; it must not contain a NUL byte (TLSRPT_EINVAL), and is at most TLSRPT_MAX_RECORD_LENGTH
 * bytes (TLSRPT_ELIMIT).
 * Returns TLSRPT_OK, TLSRPT_EINVAL, TLSRPT_ELIMIT or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_txt_split(char ***out, size_t *out_count, const char *text, size_t len);

/**
 * tlsrpt_record_to_strings - the canonical text of @r (tlsrpt_record_serialize) cut into character-strings of at
 * most 255 bytes, as tlsrpt_txt_split() does: what a DNS provider's form or API wants as the TXT value.
 * @out, @out_count: as for tlsrpt_txt_split() (free with one tlsrpt_free(*out)).
 * Returns TLSRPT_OK, TLSRPT_EINVAL, TLSRPT_ESEMANTIC (no destination yet) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_record_to_strings(const tlsrpt_record *r, char ***out, size_t *out_count);

/**
 * tlsrpt_owner_name - a DNS name as it is written in the zone of @zone_apex: relative to the apex ("_smtp._tls",
 * "_smtp._tls.mail", "@" for the apex itself), or, when @zone_apex is NULL, absolute with its final dot
 * ("_smtp._tls.example.com."). Both names may be U-labels (converted to A-labels), any case (the result is lower
 * case), with or without a final dot; labels may hold '_'.
 * @out: receives a new string (free with tlsrpt_free); NULL on failure.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL out or name, not a domain name, or @name not at or under @zone_apex) or
 * TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_owner_name(char **out, const char *name, const char *zone_apex);

/**
 * tlsrpt_record_owner_name - the owner name of the TLSRPT record of @domain, "_smtp._tls.<domain>", written as
 * tlsrpt_owner_name() writes it: relative to @zone_apex, or absolute when @zone_apex is NULL.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (as tlsrpt_owner_name) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_record_owner_name(char **out, const char *domain, const char *zone_apex);

/**
 * tlsrpt_record_to_json - the record as a JSON object (doc/json-output.md, "Record"): "value" (the canonical
 * text), "strings" (its character-strings), "rua" (per destination "uri", "scheme", "mailbox", "host",
 * "external", "authorization_name") and "extensions" (per extension "name", "value").
 * @policy_domain: the domain publishing the record, or NULL; with it, "external" says whether a destination's host
 * is outside its organizational domain and "authorization_name" names the record that authorizes it
 * (tlsrpt_authorization_name, with a final dot); without it both are null.
 * @flags: 0 or TLSRPT_JSON_PRETTY. @out: a new string (free with tlsrpt_free), NULL on failure; @out_len may be
 * NULL. Strings that hold bytes which are not UTF-8 (a percent-decoded mailbox) have each such byte written as
 * U+FFFD.
 * Returns TLSRPT_OK, TLSRPT_EINVAL (NULL r or out, unknown flag, policy_domain not a domain name),
 * TLSRPT_ESEMANTIC (no destination yet) or TLSRPT_ENOMEM. Since: 1.1
 */
TLSRPT_API int tlsrpt_record_to_json(const tlsrpt_record *r, const char *policy_domain, unsigned int flags,
                                     char **out, size_t *out_len);

/**
 * tlsrpt_record_lint - what a careful checker says about a valid record, appended to @diag (not NULL):
 * lint-rua-duplicate and lint-rua-scheme-unsupported (WARNING); lint-rua-many (more than 2 destinations; RFC 8460
 * §3 lets a reporter deliver to only one of them),
 * lint-no-mailto, lint-rua-external (destination host outside @policy_domain's organizational domain under the
 * Public Suffix List; the message names the TXT record <policy-domain>._report._tls.<host> "v=TLSRPTv1") and
 * lint-record-long (serialized form over 255 bytes) (INFO). Findings have no offset.
 * @policy_domain: the domain publishing the record (U-labels allowed), or NULL (then lint-rua-external is skipped).
 * Returns TLSRPT_OK (findings are in diag, none of them fails the record), TLSRPT_EINVAL (NULL record or diag,
 * policy_domain not a domain name; nothing is appended then) or TLSRPT_ENOMEM.
 * Since: 1.0
 */
TLSRPT_API int tlsrpt_record_lint(const tlsrpt_record *r, const char *policy_domain, tlsrpt_diag *diag);

/** tlsrpt_record_dup - deep copy. Returns TLSRPT_OK, TLSRPT_EINVAL or TLSRPT_ENOMEM. Since: 1.0 */
TLSRPT_API int tlsrpt_record_dup(tlsrpt_record **out, const tlsrpt_record *r);

/** tlsrpt_record_free - free a record and everything it owns. NULL is a no-op. Since: 1.0 */
TLSRPT_API void tlsrpt_record_free(tlsrpt_record *r);

#ifdef __cplusplus
}
#endif

#endif
