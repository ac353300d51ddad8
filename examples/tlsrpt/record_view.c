/* tlsrpt — a parsed record as check and lookup show it (see record_view.h).
 * SPDX-License-Identifier: MIT */
#include "record_view.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static const char *scheme_name(int scheme)
{
    switch (scheme) {
    case TLSRPT_URI_MAILTO: return "mailto";
    case TLSRPT_URI_HTTPS: return "https";
    default: return "other";
    }
}

int print_record_summary(FILE *f, const tlsrpt_record *r)
{
    char *canonical = NULL;
    int rc = tlsrpt_record_serialize(r, &canonical, NULL);
    if (rc != TLSRPT_OK)
        return rc;
    fputs("record: ", f);
    put_escaped_string(f, canonical);
    fputc('\n', f);
    tlsrpt_free(canonical);
    for (size_t i = 0; i < tlsrpt_record_rua_count(r); i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        fputs("rua: ", f);
        put_escaped_string(f, tlsrpt_uri_string(u));
        fprintf(f, " (%s", scheme_name(tlsrpt_uri_scheme(u)));
        if (tlsrpt_uri_mailbox(u)) {
            fputs(", mailbox ", f);
            put_escaped_string(f, tlsrpt_uri_mailbox(u));
        }
        if (tlsrpt_uri_host(u)) {
            fputs(", host ", f);
            put_escaped_string(f, tlsrpt_uri_host(u));
        }
        fputs(")\n", f);
    }
    for (size_t i = 0; i < tlsrpt_record_extension_count(r); i++) {
        fputs("extension: ", f);
        put_escaped_string(f, tlsrpt_record_extension_name(r, i));
        fputc('=', f);
        put_escaped_string(f, tlsrpt_record_extension_value(r, i));
        fputc('\n', f);
    }
    return TLSRPT_OK;
}

void json_record_fields(struct json_writer *w, const tlsrpt_record *r, const struct destination_check *checks)
{
    json_key(w, "rua");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_record_rua_count(r); i++) {
        const tlsrpt_uri *u = tlsrpt_record_rua(r, i);
        json_begin_object(w);
        json_member_string(w, "uri", tlsrpt_uri_string(u));
        json_member_string(w, "scheme", scheme_name(tlsrpt_uri_scheme(u)));
        json_member_string(w, "mailbox", tlsrpt_uri_mailbox(u));
        json_member_string(w, "host", tlsrpt_uri_host(u));
        if (checks != NULL) {
            json_key(w, "external");
            if (checks[i].external < 0)
                json_null(w);
            else
                json_bool(w, checks[i].external);
            json_member_string(w, "authorization_name", checks[i].name);
            json_member_string(w, "authorization", checks[i].verdict);
        }
        json_end_object(w);
    }
    json_end_array(w);
    json_key(w, "extensions");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_record_extension_count(r); i++) {
        json_begin_object(w);
        json_member_string(w, "name", tlsrpt_record_extension_name(r, i));
        json_member_string(w, "value", tlsrpt_record_extension_value(r, i));
        json_end_object(w);
    }
    json_end_array(w);
}

void json_record_members(struct json_writer *w, const char *record_json, size_t len)
{
    static const char no_record[] = "{\"strings\":[],\"rua\":[],\"extensions\":[]}";
    if (record_json == NULL) {
        json_key(w, "value");
        json_null(w);
        json_raw_members(w, no_record, sizeof no_record - 1);
    } else {
        json_raw_members(w, record_json, len);
    }
}

char *absolute_authorization_name(char *name)
{
    size_t len = strlen(name);
    char *absolute = malloc(len + 2);
    if (absolute != NULL) {
        memcpy(absolute, name, len);
        memcpy(absolute + len, ".", 2);
    }
    tlsrpt_free(name);
    return absolute;
}

static const char *authorization_verdict_name(int verdict)
{
    switch (verdict) {
    case TLSRPT_AUTH_NOT_REQUIRED: return "not-required";
    case TLSRPT_AUTH_AUTHORIZED: return "authorized";
    default: return "not-authorized";
    }
}

int check_destination(const char *domain, const tlsrpt_record *record, tlsrpt_resolver *res, size_t i,
                      int skip_dns, tlsrpt_diag *diag, struct destination_check *c, int *tempfail)
{
    const tlsrpt_uri *u = tlsrpt_record_rua(record, i);
    c->external = -1;
    if (tlsrpt_uri_scheme(u) == TLSRPT_URI_OTHER || tlsrpt_uri_host(u) == NULL)
        return TLSRPT_OK; /* reporters do not deliver there; no host to authorize */
    char *name = NULL;
    int required = 0;
    int rc = tlsrpt_authorization_name(&name, domain, u, &required);
    if (rc == TLSRPT_OK || rc == TLSRPT_ELIMIT) {
        c->external = required;
    } else if (rc == TLSRPT_EINVAL) {
        c->external = 1; /* a destination of a parsed record with a host that has no name: an IP address */
    } else {
        return rc;
    }
    if (name != NULL && (c->name = absolute_authorization_name(name)) == NULL)
        return TLSRPT_ENOMEM;
    if (!c->external) {
        c->verdict = authorization_verdict_name(TLSRPT_AUTH_NOT_REQUIRED);
        return TLSRPT_OK;
    }
    if (skip_dns) {
        c->verdict = "not-checked";
        return TLSRPT_OK;
    }
    int verdict = TLSRPT_AUTH_NOT_AUTHORIZED;
    rc = tlsrpt_check_authorization(res, domain, u, &verdict, diag);
    if (rc == TLSRPT_ETEMPFAIL) {
        c->verdict = "temporary-failure";
        *tempfail = 1;
        return TLSRPT_OK;
    }
    if (rc == TLSRPT_OK)
        c->verdict = authorization_verdict_name(verdict);
    return rc;
}

void print_authorization_line(FILE *f, const tlsrpt_uri *u, const struct destination_check *c)
{
    fputs("authorization: ", f);
    put_escaped_string(f, tlsrpt_uri_string(u));
    fputs(": ", f);
    if (strcmp(c->verdict, "not-required") == 0)
        fputs("not required (same organization)", f);
    else if (strcmp(c->verdict, "authorized") == 0)
        fputs("authorized by ", f);
    else if (strcmp(c->verdict, "not-authorized") == 0)
        fputs("not authorized", f);
    else if (strcmp(c->verdict, "temporary-failure") == 0)
        fputs("temporary DNS failure, check again later", f);
    else
        fputs("not checked (--no-authorization)", f);
    if (c->name != NULL && strcmp(c->verdict, "authorized") == 0) {
        put_escaped_string(f, c->name);
    } else if (c->name != NULL && strcmp(c->verdict, "not-required") != 0) {
        fputs("; expects ", f);
        put_escaped_string(f, c->name);
        fputs(" TXT \"" AUTHORIZATION_VALUE "\"", f);
    }
    fputc('\n', f);
}
