/* libtlsrpt — findings, records and lookup results as JSON: the documents of doc/json-output.md (schema version
 * TLSRPT_JSON_SCHEMA_VERSION), for checkers' web back ends, bindings and the tlsrpt program's --json.
 * SPDX-License-Identifier: MIT
 *
 * Everything is written through the library's own writer (json_writer.c) from the public getters, so the documents
 * say exactly what the getters say. Text that may hold bytes which are not UTF-8 (TXT records from DNS, a mailbox
 * decoded from percent-encoding) is written with each maximal ill-formed subsequence replaced by U+FFFD, the same
 * substitution the JSON reader makes in lenient mode, so that every document is valid JSON whatever the input. */
#include "internal.h"
#include "json_writer.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers ----------------------------------------------------------------------------------------------- */

/* A string value, bytes that are not UTF-8 replaced by U+FFFD. NULL is written as null. */
static int put_text(trpt_json_writer *w, const char *s, size_t len)
{
    if (!s)
        return trpt_jw_null(w);
    if (trpt_utf8_valid_prefix(s, len) == len)
        return trpt_jw_string(w, s, len);
    trpt_buf clean;
    trpt_buf_init(&clean);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            trpt_buf_putc(&clean, (char)p[i]);
            i++;
            continue;
        }
        size_t bad = 0, n = trpt_utf8_sequence(p + i, len - i, &bad);
        if (n) {
            trpt_buf_append(&clean, s + i, n);
            i += n;
        } else {
            trpt_buf_append(&clean, "\xEF\xBF\xBD", 3);
            i += bad;
        }
    }
    int rc = clean.failed ? TLSRPT_ENOMEM : trpt_jw_string(w, clean.data ? clean.data : "", clean.len);
    trpt_buf_free(&clean);
    return rc;
}

static int put_member_text(trpt_json_writer *w, const char *name, const char *value)
{
    trpt_jw_name(w, name, strlen(name));
    return put_text(w, value, value ? strlen(value) : 0);
}

static const char *severity_name(int severity)
{
    switch (severity) {
    case TLSRPT_SEVERITY_ERROR: return "error";
    case TLSRPT_SEVERITY_WARNING: return "warning";
    default: return "info";
    }
}

static const char *scheme_name(int scheme)
{
    switch (scheme) {
    case TLSRPT_URI_MAILTO: return "mailto";
    case TLSRPT_URI_HTTPS: return "https";
    default: return "other";
    }
}

/* An empty document in b, written through w: compact, or indented with TLSRPT_JSON_PRETTY. */
static void start(trpt_json_writer *w, trpt_buf *b, unsigned int flags)
{
    trpt_buf_init(b);
    trpt_jw_init(w, b, (flags & TLSRPT_JSON_PRETTY) ? TRPT_JW_PRETTY : 0);
}

/* Ends the document started by start() and hands it to *out (and its length to *out_len). */
static int finish(trpt_json_writer *w, trpt_buf *b, char **out, size_t *out_len)
{
    int rc = trpt_jw_finish(w);
    if (rc == TLSRPT_OK && b->failed)
        rc = TLSRPT_ENOMEM;
    if (rc != TLSRPT_OK) {
        trpt_buf_free(b);
        return rc;
    }
    return trpt_buf_finish(b, out, out_len);
}

static int check_call(char **out, size_t *out_len, unsigned int flags)
{
    if (out_len)
        *out_len = 0;
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    return (flags & ~TLSRPT_JSON_PRETTY) ? TLSRPT_EINVAL : TLSRPT_OK;
}

/* ---- findings ---------------------------------------------------------------------------------------------- */

static int write_findings(trpt_json_writer *w, const tlsrpt_diag *d)
{
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_diag_count(d); i++) {
        trpt_jw_begin_object(w);
        trpt_jw_member_string(w, "severity", severity_name(tlsrpt_diag_severity(d, i)));
        put_member_text(w, "id", tlsrpt_diag_id(d, i));
        put_member_text(w, "message", tlsrpt_diag_message(d, i));
        trpt_jw_name(w, "offset", 6);
        if (tlsrpt_diag_offset(d, i) == TLSRPT_NO_OFFSET)
            trpt_jw_null(w);
        else
            trpt_jw_uint64(w, (uint64_t)tlsrpt_diag_offset(d, i));
        put_member_text(w, "path", tlsrpt_diag_path(d, i));
        put_member_text(w, "hint", tlsrpt_diag_hint(d, i));
        trpt_jw_end_object(w);
    }
    return trpt_jw_end_array(w);
}

TLSRPT_API int tlsrpt_diag_to_json(const tlsrpt_diag *d, unsigned int flags, char **out, size_t *out_len)
{
    int rc = check_call(out, out_len, flags);
    if (rc != TLSRPT_OK)
        return rc;
    trpt_buf b;
    trpt_json_writer w;
    start(&w, &b, flags);
    write_findings(&w, d);
    return finish(&w, &b, out, out_len);
}

/* ---- records ----------------------------------------------------------------------------------------------- */

/* "external" and "authorization_name" of one destination; both null without a policy domain or a host name. */
static int write_authorization(trpt_json_writer *w, const tlsrpt_uri *u, const char *policy_domain)
{
    char *name = NULL;
    int required = 0, rc = TLSRPT_EINVAL;
    if (policy_domain && tlsrpt_uri_scheme(u) != TLSRPT_URI_OTHER)
        rc = tlsrpt_authorization_name(&name, policy_domain, u, &required);
    if (rc == TLSRPT_ENOMEM)
        return rc;
    trpt_jw_name(w, "external", 8);
    if (rc == TLSRPT_OK || rc == TLSRPT_ELIMIT)
        trpt_jw_bool(w, required);
    else
        trpt_jw_null(w); /* no policy domain, an unsupported scheme, or an IP-address host */
    trpt_jw_name(w, "authorization_name", 18);
    if (rc == TLSRPT_OK && required && name) {
        size_t n = strlen(name);
        char *absolute = malloc(n + 2);
        if (!absolute) {
            tlsrpt_free(name);
            return TLSRPT_ENOMEM;
        }
        memcpy(absolute, name, n);
        memcpy(absolute + n, ".", 2);
        trpt_jw_string(w, absolute, n + 1);
        free(absolute);
    } else {
        trpt_jw_null(w);
    }
    tlsrpt_free(name);
    return TLSRPT_OK;
}

static int write_record(trpt_json_writer *w, const tlsrpt_record *r, const char *policy_domain)
{
    char *value = NULL, **strings = NULL;
    size_t value_len = 0, n_strings = 0;
    int rc = tlsrpt_record_serialize(r, &value, &value_len);
    if (rc == TLSRPT_OK)
        rc = tlsrpt_txt_split(&strings, &n_strings, value, value_len);
    if (rc != TLSRPT_OK) {
        tlsrpt_free(value);
        return rc;
    }
    trpt_jw_begin_object(w);
    trpt_jw_name(w, "value", 5);
    trpt_jw_string(w, value, value_len);
    trpt_jw_name(w, "strings", 7);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < n_strings; i++)
        trpt_jw_string(w, strings[i], strlen(strings[i]));
    trpt_jw_end_array(w);
    trpt_jw_name(w, "rua", 3);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_record_rua_count(r) && rc == TLSRPT_OK; i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        trpt_jw_begin_object(w);
        put_member_text(w, "uri", tlsrpt_uri_string(u));
        trpt_jw_member_string(w, "scheme", scheme_name(tlsrpt_uri_scheme(u)));
        put_member_text(w, "mailbox", tlsrpt_uri_mailbox(u));
        put_member_text(w, "host", tlsrpt_uri_host(u));
        rc = write_authorization(w, u, policy_domain);
        trpt_jw_end_object(w);
    }
    trpt_jw_end_array(w);
    trpt_jw_name(w, "extensions", 10);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_record_extension_count(r); i++) {
        trpt_jw_begin_object(w);
        put_member_text(w, "name", tlsrpt_record_extension_name(r, i));
        put_member_text(w, "value", tlsrpt_record_extension_value(r, i));
        trpt_jw_end_object(w);
    }
    trpt_jw_end_array(w);
    trpt_jw_end_object(w);
    tlsrpt_free(value);
    tlsrpt_free(strings);
    return rc;
}

TLSRPT_API int tlsrpt_record_to_json(const tlsrpt_record *r, const char *policy_domain, unsigned int flags,
                                     char **out, size_t *out_len)
{
    int rc = check_call(out, out_len, flags);
    if (rc != TLSRPT_OK)
        return rc;
    if (!r)
        return TLSRPT_EINVAL;
    if (tlsrpt_record_rua_count(r) == 0)
        return TLSRPT_ESEMANTIC;
    if (policy_domain) {
        /* The same test as tlsrpt_record_lint: a policy domain that is not a domain name is the caller's error. */
        char *check = NULL;
        rc = tlsrpt_record_owner_name(&check, policy_domain, NULL);
        tlsrpt_free(check);
        if (rc != TLSRPT_OK)
            return rc;
    }
    trpt_buf b;
    trpt_json_writer w;
    start(&w, &b, flags);
    rc = write_record(&w, r, policy_domain);
    if (rc != TLSRPT_OK) {
        trpt_buf_free(&b);
        return rc;
    }
    return finish(&w, &b, out, out_len);
}

/* ---- lookup results ---------------------------------------------------------------------------------------- */

static const char *lookup_status_name(int status)
{
    switch (status) {
    case TLSRPT_OK: return "valid";
    case TLSRPT_ENOTFOUND: return "not-found";
    case TLSRPT_EMULTIPLE: return "multiple";
    case TLSRPT_ETEMPFAIL: return "temporary-failure";
    case TLSRPT_ESEMANTIC: return "unusable";
    case TLSRPT_ELIMIT: return "over-limit";
    case TLSRPT_EUNSUPPORTED: return "unsupported";
    default: return "syntax-error";
    }
}

static void write_ttl(trpt_json_writer *w, int64_t ttl)
{
    trpt_jw_name(w, "ttl", 3);
    if (ttl == TLSRPT_TTL_UNKNOWN)
        trpt_jw_null(w);
    else
        trpt_jw_int64(w, ttl);
}

/* "answer": the answer section as drill lists it, the CNAME chain from the query name and then the TXT RRs with
 * their TTLs and original character-strings; "server": the name server that answered ({"address", "port"}) or
 * null. The TXT RRs are owned by the last CNAME's target, or by the query name. */
static void write_answer(trpt_json_writer *w, const tlsrpt_lookup_result *l)
{
    size_t n_cnames = tlsrpt_lookup_result_cname_count(l);
    const char *owner = n_cnames ? tlsrpt_lookup_result_cname(l, n_cnames - 1) : tlsrpt_lookup_result_qname(l);
    trpt_jw_name(w, "answer", 6);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < n_cnames; i++) {
        trpt_jw_begin_object(w);
        put_member_text(w, "name", i == 0 ? tlsrpt_lookup_result_qname(l) : tlsrpt_lookup_result_cname(l, i - 1));
        write_ttl(w, tlsrpt_lookup_result_cname_ttl(l, i));
        trpt_jw_member_string(w, "type", "CNAME");
        put_member_text(w, "target", tlsrpt_lookup_result_cname(l, i));
        trpt_jw_end_object(w);
    }
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++) {
        trpt_jw_begin_object(w);
        put_member_text(w, "name", owner);
        write_ttl(w, tlsrpt_lookup_result_txt_ttl(l, i));
        trpt_jw_member_string(w, "type", "TXT");
        trpt_jw_name(w, "strings", 7);
        trpt_jw_begin_array(w);
        for (size_t j = 0; j < tlsrpt_lookup_result_txt_string_count(l, i); j++)
            put_text(w, tlsrpt_lookup_result_txt_string(l, i, j), tlsrpt_lookup_result_txt_string_length(l, i, j));
        trpt_jw_end_array(w);
        trpt_jw_end_object(w);
    }
    trpt_jw_end_array(w);
    trpt_jw_name(w, "server", 6);
    if (tlsrpt_lookup_result_server(l) == NULL) {
        trpt_jw_null(w);
    } else {
        trpt_jw_begin_object(w);
        put_member_text(w, "address", tlsrpt_lookup_result_server(l));
        trpt_jw_member_uint64(w, "port", tlsrpt_lookup_result_server_port(l));
        trpt_jw_end_object(w);
    }
}

TLSRPT_API int tlsrpt_lookup_result_to_json(const tlsrpt_lookup_result *l, unsigned int flags, char **out,
                                            size_t *out_len)
{
    int rc = check_call(out, out_len, flags);
    if (rc != TLSRPT_OK)
        return rc;
    if (!l)
        return TLSRPT_EINVAL;
    trpt_buf b;
    trpt_json_writer w;
    start(&w, &b, flags);
    trpt_jw_begin_object(&w);
    put_member_text(&w, "qname", tlsrpt_lookup_result_qname(l));
    trpt_jw_member_string(&w, "status", lookup_status_name(tlsrpt_lookup_result_status(l)));
    trpt_jw_name(&w, "authenticated", 13);
    trpt_jw_bool(&w, tlsrpt_lookup_result_authenticated(l));
    trpt_jw_name(&w, "txt", 3);
    trpt_jw_begin_array(&w);
    for (size_t i = 0; i < tlsrpt_lookup_result_txt_count(l); i++)
        put_text(&w, tlsrpt_lookup_result_txt(l, i), tlsrpt_lookup_result_txt_length(l, i));
    trpt_jw_end_array(&w);
    write_answer(&w, l);
    trpt_jw_name(&w, "record", 6);
    const tlsrpt_record *r = tlsrpt_lookup_result_record(l);
    rc = r ? write_record(&w, r, NULL) : trpt_jw_null(&w);
    if (rc != TLSRPT_OK) {
        trpt_buf_free(&b);
        return rc;
    }
    trpt_jw_name(&w, "findings", 8);
    write_findings(&w, tlsrpt_lookup_result_diag(l));
    trpt_jw_end_object(&w);
    return finish(&w, &b, out, out_len);
}

/* ---- MTA-STS lookup results (since 1.1) ------------------------------------------------------------------------ */

static void write_extension(trpt_json_writer *w, const char *name, const char *value)
{
    trpt_jw_begin_object(w);
    put_member_text(w, "name", name);
    put_member_text(w, "value", value);
    trpt_jw_end_object(w);
}

static const char *sts_mode_name(int mode)
{
    switch (mode) {
    case TLSRPT_STS_MODE_TESTING: return "testing";
    case TLSRPT_STS_MODE_ENFORCE: return "enforce";
    default: return "none";
    }
}

/* The fetch outcome's word; the library sets no other value (a fetch function's unknown one becomes _PROTOCOL). */
static const char *fetch_name(int fetch)
{
    const char *name = tlsrpt_sts_fetch_name(fetch);
    return name ? name : "protocol";
}

/* The verdict: the TXT stage's when it failed, "fetch-failed" when no response arrived, else the policy's. */
static const char *sts_verdict_name(const tlsrpt_sts_lookup_result *r)
{
    int txt = tlsrpt_sts_lookup_result_txt_status(r), fetch = tlsrpt_sts_lookup_result_fetch(r);
    if (txt != TLSRPT_OK)
        return lookup_status_name(txt);
    if (fetch != TLSRPT_STS_FETCH_OK && fetch != TLSRPT_STS_FETCH_NONE)
        return "fetch-failed";
    return lookup_status_name(tlsrpt_sts_lookup_result_status(r));
}

static void write_sts_policy(trpt_json_writer *w, const tlsrpt_sts_policy *p)
{
    trpt_jw_begin_object(w);
    trpt_jw_member_string(w, "mode", sts_mode_name(tlsrpt_sts_policy_mode(p)));
    trpt_jw_member_uint64(w, "max_age", tlsrpt_sts_policy_max_age(p));
    trpt_jw_name(w, "mx", 2);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_mx_count(p); i++)
        put_text(w, tlsrpt_sts_policy_mx(p, i), strlen(tlsrpt_sts_policy_mx(p, i)));
    trpt_jw_end_array(w);
    trpt_jw_name(w, "extensions", 10);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_extension_count(p); i++)
        write_extension(w, tlsrpt_sts_policy_extension_name(p, i), tlsrpt_sts_policy_extension_value(p, i));
    trpt_jw_end_array(w);
    trpt_jw_name(w, "policy_strings", 14);
    trpt_jw_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(p); i++)
        put_text(w, tlsrpt_sts_policy_string(p, i), strlen(tlsrpt_sts_policy_string(p, i)));
    trpt_jw_end_array(w);
    trpt_jw_end_object(w);
}

TLSRPT_API int tlsrpt_sts_lookup_result_to_json(const tlsrpt_sts_lookup_result *r, unsigned int flags, char **out,
                                                size_t *out_len)
{
    int rc = check_call(out, out_len, flags);
    if (rc != TLSRPT_OK)
        return rc;
    if (!r)
        return TLSRPT_EINVAL;
    trpt_buf b;
    trpt_json_writer w;
    start(&w, &b, flags);
    trpt_jw_begin_object(&w);
    put_member_text(&w, "domain", tlsrpt_sts_lookup_result_domain(r));
    trpt_jw_member_string(&w, "status", sts_verdict_name(r));
    trpt_jw_name(&w, "valid", 5);
    trpt_jw_bool(&w, tlsrpt_sts_lookup_result_status(r) == TLSRPT_OK);
    put_member_text(&w, "result_type", tlsrpt_sts_lookup_result_result_type(r));

    trpt_jw_name(&w, "txt", 3);
    trpt_jw_begin_object(&w);
    put_member_text(&w, "qname", tlsrpt_sts_lookup_result_txt_qname(r));
    trpt_jw_member_string(&w, "status", lookup_status_name(tlsrpt_sts_lookup_result_txt_status(r)));
    trpt_jw_name(&w, "authenticated", 13);
    trpt_jw_bool(&w, tlsrpt_sts_lookup_result_authenticated(r));
    trpt_jw_name(&w, "records", 7);
    trpt_jw_begin_array(&w);
    for (size_t i = 0; i < tlsrpt_sts_lookup_result_txt_count(r); i++)
        put_text(&w, tlsrpt_sts_lookup_result_txt(r, i), tlsrpt_sts_lookup_result_txt_length(r, i));
    trpt_jw_end_array(&w);
    trpt_jw_name(&w, "record", 6);
    const tlsrpt_sts_record *rec = tlsrpt_sts_lookup_result_record(r);
    if (rec) {
        trpt_jw_begin_object(&w);
        put_member_text(&w, "id", tlsrpt_sts_record_id(rec));
        trpt_jw_name(&w, "extensions", 10);
        trpt_jw_begin_array(&w);
        for (size_t i = 0; i < tlsrpt_sts_record_extension_count(rec); i++)
            write_extension(&w, tlsrpt_sts_record_extension_name(rec, i), tlsrpt_sts_record_extension_value(rec, i));
        trpt_jw_end_array(&w);
        trpt_jw_end_object(&w);
    } else {
        trpt_jw_null(&w);
    }
    trpt_jw_end_object(&w);

    int fetch = tlsrpt_sts_lookup_result_fetch(r);
    trpt_jw_name(&w, "fetch", 5);
    trpt_jw_begin_object(&w);
    put_member_text(&w, "url", tlsrpt_sts_lookup_result_url(r));
    trpt_jw_member_string(&w, "outcome", fetch_name(fetch));
    trpt_jw_name(&w, "http_status", 11);
    if (tlsrpt_sts_lookup_result_http_status(r) > 0)
        trpt_jw_int64(&w, tlsrpt_sts_lookup_result_http_status(r));
    else
        trpt_jw_null(&w);
    put_member_text(&w, "content_type", tlsrpt_sts_lookup_result_content_type(r));
    trpt_jw_member_uint64(&w, "bytes", tlsrpt_sts_lookup_result_body_length(r));
    trpt_jw_name(&w, "certificate", 11);
    if (fetch == TLSRPT_STS_FETCH_OK)
        trpt_jw_string(&w, "verified", 8);
    else if (fetch == TLSRPT_STS_FETCH_CERTIFICATE)
        trpt_jw_string(&w, "invalid", 7);
    else
        trpt_jw_null(&w);
    trpt_jw_end_object(&w);

    trpt_jw_name(&w, "policy", 6);
    const tlsrpt_sts_policy *p = tlsrpt_sts_lookup_result_policy(r);
    if (p)
        write_sts_policy(&w, p);
    else
        trpt_jw_null(&w);
    trpt_jw_name(&w, "findings", 8);
    write_findings(&w, tlsrpt_sts_lookup_result_diag(r));
    trpt_jw_end_object(&w);
    return finish(&w, &b, out, out_len);
}
