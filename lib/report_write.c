/* libtlsrpt — writing reports: JSON (RFC 8460 §4.4 member order), gzip, the §5.1 file name, the §5.3 e-mail.
 * SPDX-License-Identifier: MIT
 *
 * Everything here is a pure function of its arguments: no clock, no randomness, no environment. The same report
 * gives the same bytes, which makes the output testable byte for byte and lets an MTA retry a delivery with the very
 * same message (same Message-ID, so the receiver can drop the duplicate). */
#include "base64.h"
#include "charclass.h"
#include "datetime.h"
#include "domain.h"
#include "gzip.h"
#include "json_writer.h"
#include "mime.h"
#include "report_internal.h"
#include "utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A C string literal as (text, length) for trpt_jw_name(). */
#define TEXT_NAME(s) (s), (sizeof(s) - 1)

/* Longest Report-ID msg-id (with its angle brackets) that tlsrpt_report_to_message() puts in the Subject: it gets a
 * folded line of its own, which must stay within RFC 5322's 998 octets with the leading space, with room to spare. */
#define TRPT_SUBJECT_MSGID_MAX 900u

/* Longest From or To value: "From: " + value must fit one 998-octet line. */
#define TRPT_ADDRESS_HEADER_MAX (998u - 6u)

/* ---- JSON ----------------------------------------------------------------------------------------------------------- */

static void member_opt_string(trpt_json_writer *w, const char *name, const char *value)
{
    if (value)
        trpt_jw_member_string(w, name, value);
}

static void write_string_array(trpt_json_writer *w, const char *name, char *const *list, size_t n)
{
    trpt_jw_name(w, name, strlen(name));
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < n; i++)
        trpt_jw_string(w, list[i], strlen(list[i]));
    trpt_jw_end_array(w);
}

static void write_failure(trpt_json_writer *w, const tlsrpt_failure *f)
{
    trpt_jw_begin_object(w);
    trpt_jw_member_string(w, "result-type", f->result_type);
    member_opt_string(w, "sending-mta-ip", f->sending_mta_ip);
    member_opt_string(w, "receiving-mx-hostname", f->receiving_mx_hostname);
    member_opt_string(w, "receiving-mx-helo", f->receiving_mx_helo);
    member_opt_string(w, "receiving-ip", f->receiving_ip);
    trpt_jw_member_uint64(w, "failed-session-count", f->session_count);
    member_opt_string(w, "additional-information", f->additional_information);
    member_opt_string(w, "failure-reason-code", f->reason_code);
    trpt_jw_end_object(w);
}

static void write_policy(trpt_json_writer *w, const tlsrpt_policy *p)
{
    trpt_jw_begin_object(w);
    trpt_jw_name(w, TEXT_NAME("policy"));
    trpt_jw_begin_object(w);
    trpt_jw_member_string(w, "policy-type", p->type_name);
    if (p->has_strings)
        write_string_array(w, "policy-string", p->strings, p->n_strings);
    member_opt_string(w, "policy-domain", p->domain);
    if (p->has_mx_hosts)
        write_string_array(w, "mx-host", p->mx_hosts, p->n_mx_hosts);
    trpt_jw_end_object(w);
    trpt_jw_name(w, TEXT_NAME("summary"));
    trpt_jw_begin_object(w);
    trpt_jw_member_uint64(w, "total-successful-session-count", p->successful_sessions);
    trpt_jw_member_uint64(w, "total-failure-session-count", p->failed_sessions);
    trpt_jw_end_object(w);
    if (p->has_failures) {
        trpt_jw_name(w, TEXT_NAME("failure-details"));
        trpt_jw_begin_array(w);
        for (size_t i = 0; i < p->n_failures; i++)
            write_failure(w, p->failures[i]);
        trpt_jw_end_array(w);
    }
    trpt_jw_end_object(w);
}

/* Appends the report's JSON to b. Returns TLSRPT_OK, TLSRPT_EINVAL (a time that RFC 3339 cannot write, text that
 * is not UTF-8) or TLSRPT_ENOMEM. */
static int write_report(trpt_buf *b, const tlsrpt_report *r, unsigned jw_flags)
{
    char start[21], end[21];
    if ((r->has_start_time && trpt_datetime_format(r->start_time, start) != TLSRPT_OK) ||
        (r->has_end_time && trpt_datetime_format(r->end_time, end) != TLSRPT_OK))
        return TLSRPT_EINVAL;
    trpt_json_writer w;
    trpt_jw_init(&w, b, jw_flags);
    trpt_jw_begin_object(&w);
    member_opt_string(&w, "organization-name", r->organization_name);
    if (r->has_start_time || r->has_end_time) {
        trpt_jw_name(&w, TEXT_NAME("date-range"));
        trpt_jw_begin_object(&w);
        if (r->has_start_time)
            trpt_jw_member_string(&w, "start-datetime", start);
        if (r->has_end_time)
            trpt_jw_member_string(&w, "end-datetime", end);
        trpt_jw_end_object(&w);
    }
    member_opt_string(&w, "contact-info", r->contact_info);
    member_opt_string(&w, "report-id", r->report_id);
    trpt_jw_name(&w, TEXT_NAME("policies"));
    trpt_jw_begin_array(&w);
    for (size_t i = 0; i < r->n_policies; i++)
        write_policy(&w, r->policies[i]);
    trpt_jw_end_array(&w);
    trpt_jw_end_object(&w);
    return trpt_jw_finish(&w);
}

TLSRPT_API int tlsrpt_report_serialize(const tlsrpt_report *r, unsigned flags, char **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r || (flags & ~TLSRPT_JSON_PRETTY))
        return TLSRPT_EINVAL;
    trpt_buf b;
    trpt_buf_init(&b);
    int rc = write_report(&b, r, (flags & TLSRPT_JSON_PRETTY) ? TRPT_JW_PRETTY : 0);
    if (rc != TLSRPT_OK) {
        trpt_buf_free(&b);
        return rc;
    }
    return trpt_buf_finish(&b, out, out_len);
}

/* ---- gzip ------------------------------------------------------------------------------------------------------------ */

TLSRPT_API int tlsrpt_report_serialize_gzip(const tlsrpt_report *r, void **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!out_len)
        return TLSRPT_EINVAL;
    char *json;
    size_t json_len;
    int rc = tlsrpt_report_serialize(r, 0, &json, &json_len);
    if (rc != TLSRPT_OK)
        return rc;
    unsigned char *gz;
    rc = trpt_gzip_compress(json, json_len, &gz, out_len);
    free(json);
    if (rc == TLSRPT_OK)
        *out = gz;
    return rc;
}

/* ---- File name (RFC 8460 §5.1) ------------------------------------------------------------------------------------ */

/* filename = sender "!" policy-domain "!" begin-timestamp "!" end-timestamp [ "!" unique-id ] "." extension */
static int make_filename(const tlsrpt_report *r, const char *sender, const char *policy_domain,
                         const char *unique_id, int gzip, char **out)
{
    *out = NULL;
    if (!r || !sender || !policy_domain || !r->has_start_time || !r->has_end_time || r->start_time < 0 ||
        r->end_time < 0)
        return TLSRPT_EINVAL;
    if (unique_id) {
        if (!*unique_id)
            return TLSRPT_EINVAL;
        for (const char *p = unique_id; *p; p++)
            if (!trpt_is_alnum((unsigned char)*p))
                return TLSRPT_EINVAL;
    }
    char *s = NULL, *d = NULL;
    int rc = trpt_domain_to_alabel(sender, 0, &s);
    if (rc == TLSRPT_OK)
        rc = trpt_domain_to_alabel(policy_domain, 0, &d);
    if (rc != TLSRPT_OK) {
        free(s);
        return rc;
    }
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_printf(&b, "%s!%s!%lld!%lld", s, d, (long long)r->start_time, (long long)r->end_time);
    if (unique_id) {
        trpt_buf_putc(&b, '!');
        trpt_buf_puts(&b, unique_id);
    }
    trpt_buf_puts(&b, gzip ? ".json.gz" : ".json");
    free(s);
    free(d);
    return trpt_buf_finish(&b, out, NULL);
}

TLSRPT_API int tlsrpt_report_filename(const tlsrpt_report *r, const char *sender_domain, const char *policy_domain,
                                      const char *unique_id, int gzip, char **out)
{
    if (!out)
        return TLSRPT_EINVAL;
    return make_filename(r, sender_domain, policy_domain, unique_id, gzip, out);
}

/* ---- E-mail (RFC 8460 §5.3) ------------------------------------------------------------------------------------------ */

/* The Report-ID of the Subject, an RFC 5322 msg-id "<" id-left "@" id-right ">":
 * - a report id that already is id-left "@" id-right (both dot-atom-text) is used as it is;
 * - otherwise id-left is the report id with every byte that is not atext (and '%' itself, and each '.' that would
 *   make the dot-atom invalid: first, last, or after another '.') written as %XX (upper-case hex), and id-right is
 *   the submitter. The mapping is reversible, so distinct report ids give distinct msg-ids. */
static void append_report_msgid(trpt_buf *b, const char *report_id, const char *submitter)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t len = strlen(report_id);
    const char *at = strchr(report_id, '@');
    trpt_buf_putc(b, '<');
    if (at && strchr(at + 1, '@') == NULL && trpt_mime_is_dot_atom_text(report_id, (size_t)(at - report_id)) &&
        trpt_mime_is_dot_atom_text(at + 1, len - (size_t)(at - report_id) - 1)) {
        trpt_buf_append(b, report_id, len);
        trpt_buf_putc(b, '>');
        return;
    }
    int prev_dot = 1; /* a '.' at the start must be encoded */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)report_id[i];
        int keep = (c != '%' && trpt_is_atext(c)) || (c == '.' && !prev_dot && i + 1 < len);
        if (keep) {
            trpt_buf_putc(b, (char)c);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 0xf]};
            trpt_buf_append(b, e, 3);
        }
        prev_dot = keep && c == '.';
    }
    trpt_buf_putc(b, '@');
    trpt_buf_puts(b, submitter);
    trpt_buf_putc(b, '>');
}

/* 128 bits of a non-cryptographic hash over the message's inputs: two FNV-1a streams with different offsets,
 * each length-prefixed field mixed in, finished with the murmur3 finalizer. Only used to make the Message-ID and
 * the MIME boundary unique and reproducible. */
typedef struct msg_hash {
    uint64_t a, b;
} msg_hash;

static void hash_bytes(msg_hash *h, const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t n = (uint64_t)len;
    for (int i = 0; i < 8; i++) {
        unsigned char c = (unsigned char)(n >> (8 * i));
        h->a = (h->a ^ c) * 0x100000001b3ULL;
        h->b = (h->b ^ c) * 0x100000001b3ULL;
    }
    for (size_t i = 0; i < len; i++) {
        h->a = (h->a ^ p[i]) * 0x100000001b3ULL;
        h->b = (h->b ^ (unsigned char)(p[i] + 0x55u)) * 0x100000001b3ULL;
    }
}

/* ---- Addresses: the one IDN rule in From and To ---------------------------------------------------------------
 * A value is an addr-spec "local@domain" or a name-addr "Display Name <local@domain>" (what tlsrpt_uri_mailbox()
 * returns, or what an MTA writes). UTF-8 is accepted: a U-label domain is written in A-labels (the wire needs
 * them; an ASCII domain is written as given, so 1.0 messages keep their bytes), a non-ASCII display name as RFC 2047
 * encoded-words, and a non-ASCII local part as UTF-8 (RFC 6532: only an SMTPUTF8 path can carry it, there is no
 * ASCII form). No control characters anywhere (no header injection). */

typedef struct address {
    char *value;   /* the address as written in the header (new), when no encoded-word is needed */
    char *display; /* the display name's encoded-words, space-separated (new); NULL when it is ASCII or absent */
    char *angle;   /* "<local@domain>" (new) when display is set */
} address;

static void address_free(address *a)
{
    free(a->value);
    free(a->display);
    free(a->angle);
}

static int has_byte_at_least(const char *s, size_t len, unsigned char min)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= min)
            return 1;
    return 0;
}

/* RFC 2047 "B" encoded-words of text[0..len), each at most 75 characters, split at UTF-8 character boundaries. */
static void put_encoded_words(trpt_buf *b, const char *text, size_t len)
{
    static const char alphabet[] = TRPT_BASE64_ALPHABET;
    size_t i = 0;
    while (i < len) {
        size_t n = len - i < 45 ? len - i : 45; /* 45 octets: 60 base64 characters + 12 of "=?UTF-8?B?" "?=" */
        while (i + n < len && ((unsigned char)text[i + n] & 0xc0) == 0x80)
            n--; /* never cut a character: its continuation bytes stay with it */
        if (i > 0)
            trpt_buf_putc(b, ' ');
        trpt_buf_puts(b, "=?UTF-8?B?");
        const unsigned char *d = (const unsigned char *)text + i;
        for (size_t k = 0; k < n; k += 3) {
            uint32_t v = (uint32_t)d[k] << 16 | (k + 1 < n ? (uint32_t)d[k + 1] << 8 : 0) | (k + 2 < n ? d[k + 2] : 0);
            char q[4] = {alphabet[(v >> 18) & 63], alphabet[(v >> 12) & 63], k + 1 < n ? alphabet[(v >> 6) & 63] : '=',
                         k + 2 < n ? alphabet[v & 63] : '='};
            trpt_buf_append(b, q, 4);
        }
        trpt_buf_puts(b, "?=");
        i += n;
    }
}

static int address_prepare(const char *in, address *a)
{
    memset(a, 0, sizeof *a);
    if (!in || !*in)
        return TLSRPT_EINVAL;
    size_t len = strlen(in);
    if (trpt_utf8_valid_prefix(in, len) != len)
        return TLSRPT_EINVAL;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)in[i] < 0x20 || (unsigned char)in[i] == 0x7f)
            return TLSRPT_EINVAL;
    const char *spec = in, *lt = NULL;
    size_t spec_len = len;
    if (in[len - 1] == '>' && (lt = strrchr(in, '<')) != NULL) {
        spec = lt + 1;
        spec_len = (size_t)(in + len - 1 - spec);
    }
    const char *at = NULL;
    for (size_t i = 0; i < spec_len; i++)
        if (spec[i] == '@')
            at = spec + i;
    if (!at) {
        /* 1.0 took any printable ASCII value; anything else needs an address to write. */
        if (has_byte_at_least(in, len, 0x80))
            return TLSRPT_EINVAL;
        a->value = trpt_strdup(in);
        return a->value ? TLSRPT_OK : TLSRPT_ENOMEM;
    }
    size_t dom_len = (size_t)(spec + spec_len - (at + 1));
    char *domain = trpt_strndup(at + 1, dom_len);
    if (!domain)
        return TLSRPT_ENOMEM;
    char *wire_domain = NULL;
    int rc = TLSRPT_OK;
    if (has_byte_at_least(domain, dom_len, 0x80))
        rc = trpt_domain_to_alabel(domain, 0, &wire_domain);
    free(domain);
    if (rc != TLSRPT_OK)
        return rc;
    size_t display_len = lt ? (size_t)(lt - in) : 0;
    while (display_len > 0 && in[display_len - 1] == ' ')
        display_len--;
    int encode = display_len > 0 && has_byte_at_least(in, display_len, 0x80);
    trpt_buf b;
    trpt_buf_init(&b);
    if (!encode) {
        trpt_buf_append(&b, in, (size_t)(at + 1 - in)); /* display name, "<", local part, "@" as written */
    } else {
        trpt_buf_putc(&b, '<');
        trpt_buf_append(&b, spec, (size_t)(at + 1 - spec));
    }
    if (wire_domain)
        trpt_buf_puts(&b, wire_domain);
    else
        trpt_buf_append(&b, at + 1, dom_len);
    if (lt)
        trpt_buf_putc(&b, '>');
    free(wire_domain);
    rc = trpt_buf_finish(&b, encode ? &a->angle : &a->value, NULL);
    if (rc != TLSRPT_OK || !encode)
        return rc;
    const char *name = in;
    if (display_len >= 2 && name[0] == '"' && name[display_len - 1] == '"') {
        name++; /* a quoted display name: its text, not its quotes, is encoded */
        display_len -= 2;
    }
    trpt_buf_init(&b);
    put_encoded_words(&b, name, display_len);
    return trpt_buf_finish(&b, &a->display, NULL);
}

/* The longest "<local@domain>" of an encoded From/To: one folded line of its own after the leading space. */
#define TRPT_ANGLE_ADDR_MAX 997u

static int address_fits(const address *a)
{
    if (a->value)
        return strlen(a->value) <= TRPT_ADDRESS_HEADER_MAX;
    return strlen(a->angle) <= TRPT_ANGLE_ADDR_MAX;
}

/* Writes "Name: " and the addresses, separated by ", ": a single plain address as one line, as 1.0 wrote it;
 * several, or encoded display names, folded between tokens. */
static void put_address_field(trpt_buf *b, const char *name, const address *list, size_t n)
{
    if (n == 1 && list[0].value) {
        trpt_buf_printf(b, "%s: %s\r\n", name, list[0].value);
        return;
    }
    trpt_buf t;
    trpt_buf_init(&t);
    /* Tokens: "Name:", then per address its words (each encoded-word one token) and, but for the last, a ","
     * glued to its final token. The token list is built in t as NUL-separated strings. */
    size_t count = 1;
    trpt_buf_printf(&t, "%s:", name);
    trpt_buf_putc(&t, '\0');
    for (size_t i = 0; i < n; i++) {
        const char *sep = i + 1 < n ? "," : "";
        if (list[i].value) {
            trpt_buf_printf(&t, "%s%s", list[i].value, sep);
            trpt_buf_putc(&t, '\0');
            count++;
            continue;
        }
        for (const char *w = list[i].display; w;) {
            const char *sp = strchr(w, ' ');
            size_t wl = sp ? (size_t)(sp - w) : strlen(w);
            trpt_buf_append(&t, w, wl);
            trpt_buf_putc(&t, '\0');
            count++;
            w = sp ? sp + 1 : NULL;
        }
        trpt_buf_printf(&t, "%s%s", list[i].angle, sep);
        trpt_buf_putc(&t, '\0');
        count++;
    }
    char *tokens_text = NULL;
    const char **tokens = malloc(count * sizeof *tokens);
    if (trpt_buf_finish(&t, &tokens_text, NULL) != TLSRPT_OK || !tokens) {
        free(tokens);
        free(tokens_text);
        b->failed = 1; /* the message then fails with ENOMEM */
        return;
    }
    const char *p = tokens_text;
    for (size_t i = 0; i < count; i++) {
        tokens[i] = p;
        p += strlen(p) + 1;
    }
    trpt_mime_put_folded(b, tokens, count);
    free(tokens);
    free(tokens_text);
}

/* Most recipients of one message (tlsrpt_report_to_message_recipients): a record has at most this many rua. */
#define TRPT_MESSAGE_MAX_RECIPIENTS TLSRPT_MAX_RUA_COUNT

static int build_message(const tlsrpt_report *r, const char *from_in, const char *const *to_in, size_t n_to,
                         const char *policy_domain, const char *submitter, char **out, size_t *out_len)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!r || !to_in || n_to == 0 || n_to > TRPT_MESSAGE_MAX_RECIPIENTS || !policy_domain || !submitter ||
        !r->report_id || !*r->report_id)
        return TLSRPT_EINVAL;
    if (!r->has_start_time || !r->has_end_time || r->start_time < 0 || r->end_time < 0 ||
        r->end_time > TRPT_TIME_MAX)
        return TLSRPT_EINVAL;

    char *domain = NULL, *sender = NULL, *filename = NULL, *msgid = NULL;
    unsigned char *gz = NULL;
    size_t gz_len = 0;
    trpt_buf b, id;
    trpt_buf_init(&b);
    trpt_buf_init(&id);
    address from;
    address *to = calloc(n_to, sizeof *to);
    int rc = address_prepare(from_in, &from);
    if (!to)
        rc = TLSRPT_ENOMEM;
    for (size_t i = 0; rc == TLSRPT_OK && i < n_to; i++) {
        rc = address_prepare(to_in[i], &to[i]);
        if (rc == TLSRPT_OK && !address_fits(&to[i]))
            rc = TLSRPT_EINVAL;
    }
    if (rc == TLSRPT_OK && !address_fits(&from))
        rc = TLSRPT_EINVAL;
    if (rc == TLSRPT_OK)
        rc = trpt_domain_to_alabel(policy_domain, 0, &domain);
    if (rc == TLSRPT_OK)
        rc = trpt_domain_to_alabel(submitter, 0, &sender);
    /* A report says something only about its policies: one without any is refused (since 1.1). */
    if (rc == TLSRPT_OK && r->n_policies == 0)
        rc = TLSRPT_ESEMANTIC;
    if (rc != TLSRPT_OK)
        goto done;

    append_report_msgid(&id, r->report_id, sender);
    if ((rc = trpt_buf_finish(&id, &msgid, NULL)) != TLSRPT_OK)
        goto done;
    if (strlen(msgid) > TRPT_SUBJECT_MSGID_MAX) {
        rc = TLSRPT_ELIMIT;
        goto done;
    }
    void *gz_out;
    if ((rc = tlsrpt_report_serialize_gzip(r, &gz_out, &gz_len)) != TLSRPT_OK)
        goto done;
    gz = gz_out;
    if ((rc = make_filename(r, sender, domain, NULL, 1, &filename)) != TLSRPT_OK)
        goto done;

    /* The inputs as given (1.0 hashed these; an ASCII address is unchanged, so 1.0 messages keep their bytes). */
    msg_hash h = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
    hash_bytes(&h, from_in, strlen(from_in));
    for (size_t i = 0; i < n_to; i++)
        hash_bytes(&h, to_in[i], strlen(to_in[i]));
    hash_bytes(&h, domain, strlen(domain));
    hash_bytes(&h, sender, strlen(sender));
    hash_bytes(&h, gz, gz_len);
    uint64_t h1 = trpt_mix64(h.a), h2 = trpt_mix64(h.b ^ h1);

    char start[21], end[21];
    (void)trpt_datetime_format(r->start_time, start); /* both in range: checked above */
    (void)trpt_datetime_format(r->end_time, end);

    put_address_field(&b, "From", &from, 1);
    put_address_field(&b, "To", to, n_to);
    const char *subject[] = {"Subject:", "Report", "Domain:", domain, "Submitter:", sender, "Report-ID:", msgid};
    trpt_mime_put_folded(&b, subject, sizeof subject / sizeof subject[0]);
    trpt_buf_puts(&b, "Date: ");
    trpt_datetime_put_rfc5322(&b, r->end_time);
    trpt_buf_printf(&b, "\r\nMessage-ID: <tlsrpt.%016llx%016llx@%s>\r\n", (unsigned long long)h1,
                    (unsigned long long)h2, sender);
    trpt_buf_puts(&b, "MIME-Version: 1.0\r\n");
    trpt_buf_printf(&b, "TLS-Report-Domain: %s\r\nTLS-Report-Submitter: %s\r\n", domain, sender);
    trpt_buf_puts(&b, "TLS-Required: No\r\nAuto-Submitted: auto-generated\r\n");
    /* "=_" never occurs in base64 text or in the text part, so the boundary cannot occur in the body. */
    char boundary[64];
    snprintf(boundary, sizeof boundary, "----=_tlsrpt_%016llx", (unsigned long long)h2);
    trpt_buf_printf(&b, "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n boundary=\"%s\"\r\n\r\n",
                    boundary);
    trpt_buf_puts(&b, "This is a MIME-formatted message.\r\n\r\n");
    trpt_buf_printf(&b, "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 7bit\r\n\r\n",
                    boundary);
    trpt_buf_puts(&b, "This is an aggregate report of TLS connection results\r\n"
                      "(SMTP TLS Reporting, RFC 8460).\r\n\r\n");
    trpt_buf_printf(&b, "Policy domain: %s\r\nSubmitter: %s\r\nPeriod: %s to %s\r\nReport-ID: %s\r\n\r\n", domain,
                    sender, start, end, msgid);
    trpt_buf_printf(&b, "--%s\r\nContent-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n"
                        "Content-Disposition: attachment;\r\n filename=\"%s\"\r\n\r\n",
                    boundary, filename);
    trpt_base64_put_lines(&b, gz, gz_len);
    trpt_buf_printf(&b, "--%s--\r\n", boundary);
    rc = trpt_buf_finish(&b, out, out_len);
done:
    trpt_buf_free(&b);
    trpt_buf_free(&id);
    address_free(&from);
    for (size_t i = 0; to && i < n_to; i++)
        address_free(&to[i]);
    free(to);
    free(domain);
    free(sender);
    free(filename);
    free(msgid);
    free(gz);
    return rc;
}

TLSRPT_API int tlsrpt_report_to_message(const tlsrpt_report *r, const char *from, const char *to,
                                        const char *policy_domain, const char *submitter, char **out,
                                        size_t *out_len)
{
    return build_message(r, from, to ? &to : NULL, 1, policy_domain, submitter, out, out_len);
}

TLSRPT_API int tlsrpt_report_to_message_recipients(const tlsrpt_report *r, const char *from,
                                                   const char *const *to, size_t n_to, const char *policy_domain,
                                                   const char *submitter, char **out, size_t *out_len)
{
    if (to)
        for (size_t i = 0; i < n_to; i++)
            if (!to[i]) {
                if (out_len)
                    *out_len = 0;
                if (out)
                    *out = NULL;
                return TLSRPT_EINVAL;
            }
    return build_message(r, from, to, n_to, policy_domain, submitter, out, out_len);
}
