/* tlsrpt — TXT records as DNS providers want them (see providers.h).
 * SPDX-License-Identifier: MIT
 *
 * Where each format comes from (doc/tlsrpt.1 and doc/json-output.md say the same):
 * - Route 53: the ChangeResourceRecordSets API (ChangeBatch: Changes[], Action UPSERT, ResourceRecordSet Name / Type /
 *   TTL / ResourceRecords[].Value); a TXT Value is one or more double-quoted strings of at most 255 characters, '"'
 *   and '\' escaped with '\' (Route 53 Developer Guide, "Supported DNS record types", TXT).
 * - Cloudflare: the body of POST /zones/{zone_id}/dns_records (type, name, content, ttl, comment); ttl 1 means
 *   automatic; TXT content "must consist of quoted character strings (RFC 1035), each with a length of up to 255
 *   bytes" (API reference).
 * - nsupdate: BIND's nsupdate(1), RFC 2136: "zone", "update delete NAME TXT", "update add NAME TTL IN TXT DATA",
 *   "send"; ';' starts a comment line.
 * The character-strings come from the library (tlsrpt_txt_split), so every format splits the same way. */
#include "providers.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

#include <tlsrpt/tlsrpt.h>

enum provider provider_by_name(const char *name)
{
    if (strcmp(name, "cloudflare") == 0)
        return PROVIDER_CLOUDFLARE;
    if (strcmp(name, "route53") == 0)
        return PROVIDER_ROUTE53;
    if (strcmp(name, "registro.br") == 0)
        return PROVIDER_REGISTRO_BR;
    if (strcmp(name, "generic") == 0)
        return PROVIDER_GENERIC;
    return PROVIDER_NONE;
}

char *quoted_strings(const char *value)
{
    char **strings = NULL;
    size_t n = 0;
    if (tlsrpt_txt_split(&strings, &n, value, strlen(value)) != TLSRPT_OK)
        return NULL;
    /* At most 4 bytes per input byte (\DDD) plus quotes and a space per string. */
    char *out = malloc(strlen(value) * 4 + n * 3 + 1), *p = out;
    if (out != NULL) {
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                *p++ = ' ';
            *p++ = '"';
            for (const unsigned char *s = (const unsigned char *)strings[i]; *s; s++) {
                if (*s == '"' || *s == '\\') {
                    *p++ = '\\';
                    *p++ = (char)*s;
                } else if (*s < 0x20 || *s > 0x7e) {
                    p += sprintf(p, "\\%03u", *s);
                } else {
                    *p++ = (char)*s;
                }
            }
            *p++ = '"';
        }
        *p = '\0';
    }
    tlsrpt_free(strings);
    return out;
}

/* The owner name without its final dot (Cloudflare's API and the forms that take a full name). */
static void put_name_without_dot(struct json_writer *w, const char *owner)
{
    size_t n = strlen(owner);
    json_string(w, owner, n > 0 && owner[n - 1] == '.' ? n - 1 : n);
}

int print_route53_batch(FILE *f, const struct txt_record *records, size_t n, const char *comment, uint32_t ttl)
{
    char **values = calloc(n ? n : 1, sizeof *values);
    int rc = values ? 0 : -1;
    for (size_t i = 0; i < n && rc == 0; i++)
        if ((values[i] = quoted_strings(records[i].value)) == NULL)
            rc = -1;
    if (rc == 0) {
        struct json_writer json, *w = &json;
        json_start(w, f);
        json_begin_object(w);
        json_member_string(w, "Comment", comment);
        json_key(w, "Changes");
        json_begin_array(w);
        for (size_t i = 0; i < n; i++) {
            json_begin_object(w);
            json_member_string(w, "Action", "UPSERT");
            json_key(w, "ResourceRecordSet");
            json_begin_object(w);
            json_member_string(w, "Name", records[i].owner);
            json_member_string(w, "Type", "TXT");
            json_member_uint64(w, "TTL", ttl);
            json_key(w, "ResourceRecords");
            json_begin_array(w);
            json_begin_object(w);
            json_member_string(w, "Value", values[i]);
            json_end_object(w);
            json_end_array(w);
            json_end_object(w);
            json_end_object(w);
        }
        json_end_array(w);
        json_end_object(w);
        json_finish(w);
    }
    for (size_t i = 0; values && i < n; i++)
        free(values[i]);
    free(values);
    return rc;
}

int print_cloudflare_record(FILE *f, const struct txt_record *r, uint32_t ttl)
{
    char *content = quoted_strings(r->value);
    if (content == NULL)
        return -1;
    struct json_writer json, *w = &json;
    json_start(w, f);
    json_begin_object(w);
    json_member_string(w, "type", "TXT");
    json_key(w, "name");
    put_name_without_dot(w, r->owner);
    json_member_string(w, "content", content);
    json_member_uint64(w, "ttl", ttl);
    json_member_string(w, "comment", r->what);
    json_end_object(w);
    json_finish(w);
    free(content);
    return 0;
}

int print_nsupdate_script(FILE *f, const struct txt_record *own, size_t n_own, const struct txt_record *others,
                          size_t n_others, const char *zone, uint32_t ttl)
{
    fputs("; nsupdate script (RFC 2136) written by tlsrpt generate; run: nsupdate [-k KEYFILE] FILE\n", f);
    if (zone != NULL)
        fprintf(f, "zone %s.\n", zone);
    for (size_t i = 0; i < n_own; i++) {
        char *data = quoted_strings(own[i].value);
        if (data == NULL)
            return -1;
        fprintf(f, "; %s: replaces every TXT record at the name\n", own[i].what);
        fprintf(f, "update delete %s TXT\n", own[i].owner);
        fprintf(f, "update add %s %lu IN TXT %s\n", own[i].owner, (unsigned long)ttl, data);
        fputs("send\n", f);
        free(data);
    }
    for (size_t i = 0; i < n_others; i++) {
        char *data = quoted_strings(others[i].value);
        if (data == NULL)
            return -1;
        fprintf(f, "; %s, in that party's zone (not this script's):\n", others[i].what);
        fprintf(f, "; update add %s %lu IN TXT %s\n", others[i].owner, (unsigned long)ttl, data);
        free(data);
    }
    return 0;
}

/* The owner name relative to the record's zone ("_smtp._tls"), "@" at the apex, or NULL without a zone. */
static char *relative_name(const struct txt_record *r)
{
    char *rel = NULL;
    if (r->zone == NULL || tlsrpt_owner_name(&rel, r->owner, r->zone) != TLSRPT_OK)
        return NULL;
    return rel;
}

/* "NAME_LABEL: relative (the form adds .ZONE)" or, without a zone, the full name. */
static void put_form_name(FILE *f, const char *label, const struct txt_record *r, const char *rel, int form_adds_zone)
{
    fprintf(f, "  %-14s", label);
    if (rel != NULL && form_adds_zone) {
        put_escaped_string(f, rel);
        fputs("   (the form adds .", f);
        put_escaped_string(f, r->zone);
        fputs(")\n", f);
    } else {
        size_t n = strlen(r->owner);
        put_escaped(f, r->owner, n > 0 && r->owner[n - 1] == '.' ? n - 1 : n, 0);
        if (r->zone == NULL)
            fputs("   (in the zone that holds this name; if the form adds the zone's name, leave that part out)", f);
        fputc('\n', f);
    }
}

int print_provider_form(FILE *f, enum provider p, const struct txt_record *r, uint32_t ttl, int ttl_given)
{
    char *quoted = quoted_strings(r->value);
    char *rel = relative_name(r);
    if (quoted == NULL || (r->zone != NULL && rel == NULL)) {
        free(quoted);
        tlsrpt_free(rel);
        return -1;
    }
    int one_string = strlen(r->value) <= 255;
    fputs(r->what, f);
    fputs(":\n", f);
    switch (p) {
    case PROVIDER_CLOUDFLARE:
        /* Dashboard: DNS > Records > Add record. Name: relative or full (Cloudflare appends the zone unless the name
         * already ends with it); Content: quoted character-strings, as in the API. */
        fputs("  Cloudflare: DNS > Records > Add record\n", f);
        fputs("  Type:         TXT\n", f);
        put_form_name(f, "Name:", r, rel, 1);
        if (ttl_given && ttl != CLOUDFLARE_TTL_AUTO)
            fprintf(f, "  TTL:          %lu\n", (unsigned long)ttl);
        else
            fputs("  TTL:          Auto\n", f);
        fputs("  Content:      ", f);
        put_escaped_string(f, quoted);
        fputc('\n', f);
        break;
    case PROVIDER_ROUTE53:
        /* Console: Hosted zones > ZONE > Create record. "Record name" is the part before the zone name, "Value" one
         * record per line, each as quoted strings. */
        fputs("  Amazon Route 53: Hosted zones > (the zone) > Create record\n", f);
        put_form_name(f, "Record name:", r, rel, 1);
        fputs("  Record type:  TXT\n", f);
        fputs("  Value:        ", f);
        put_escaped_string(f, quoted);
        fputc('\n', f);
        fprintf(f, "  TTL (seconds): %lu\n", (unsigned long)ttl);
        break;
    case PROVIDER_REGISTRO_BR:
        /* Registro.br's own DNS: "Editar zona" > "Modo avançado" > "Nova entrada". The name is entered without the
         * domain. The value as plain text, as in the public guides to this form. */
        fputs("  Registro.br: Editar zona > Modo avan\xc3\xa7" "ado > Nova entrada\n", f);
        put_form_name(f, "Entrada:", r, rel, 1);
        fputs("  Tipo:         TXT\n", f);
        fputs("  Texto:        ", f);
        put_escaped_string(f, one_string ? r->value : quoted);
        fputc('\n', f);
        break;
    default:
        fputs("  Any provider's form (Host or Name, Type, TTL, Value):\n", f);
        put_form_name(f, "Host/Name:", r, rel, 1);
        fputs("  Type:         TXT\n", f);
        fprintf(f, "  TTL:          %lu\n", (unsigned long)ttl);
        fputs("  Value:        ", f);
        put_escaped_string(f, r->value);
        fputc('\n', f);
        if (!one_string) {
            fputs("  (longer than 255 characters: a form that takes one string per field wants it split as\n"
                  "   ",
                  f);
            put_escaped_string(f, quoted);
            fputs(")\n", f);
        }
        fputs("  (type the value without quotes unless the form asks for them; some forms want the full name\n"
              "   ",
              f);
        size_t n = strlen(r->owner);
        put_escaped(f, r->owner, n > 0 && r->owner[n - 1] == '.' ? n - 1 : n, 0);
        fputs(" as Host)\n", f);
        break;
    }
    free(quoted);
    tlsrpt_free(rel);
    return 0;
}
