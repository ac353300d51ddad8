/* tlsrpt — MTA-STS objects as the sts commands show them (see sts_view.h).
 * SPDX-License-Identifier: MIT */
#include "sts_view.h"

const char *sts_mode_name(int mode)
{
    switch (mode) {
    case TLSRPT_STS_MODE_TESTING: return "testing";
    case TLSRPT_STS_MODE_ENFORCE: return "enforce";
    default: return "none";
    }
}

void print_sts_policy_summary(FILE *f, const tlsrpt_sts_policy *p)
{
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(p); i++) {
        fputs("policy: ", f);
        put_escaped_string(f, tlsrpt_sts_policy_string(p, i));
        fputc('\n', f);
    }
}

static void json_extension(struct json_writer *w, const char *name, const char *value)
{
    json_begin_object(w);
    json_member_string(w, "name", name);
    json_member_string(w, "value", value);
    json_end_object(w);
}

void json_sts_policy_fields(struct json_writer *w, const tlsrpt_sts_policy *p)
{
    json_member_string(w, "mode", sts_mode_name(tlsrpt_sts_policy_mode(p)));
    json_member_uint64(w, "max_age", tlsrpt_sts_policy_max_age(p));
    json_key(w, "mx");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_mx_count(p); i++)
        json_cstring(w, tlsrpt_sts_policy_mx(p, i));
    json_end_array(w);
    json_key(w, "extensions");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_extension_count(p); i++)
        json_extension(w, tlsrpt_sts_policy_extension_name(p, i), tlsrpt_sts_policy_extension_value(p, i));
    json_end_array(w);
    json_key(w, "policy_strings");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_policy_string_count(p); i++)
        json_cstring(w, tlsrpt_sts_policy_string(p, i));
    json_end_array(w);
}

void json_sts_record(struct json_writer *w, const tlsrpt_sts_record *r)
{
    if (r == NULL) {
        json_null(w);
        return;
    }
    json_begin_object(w);
    json_member_string(w, "id", tlsrpt_sts_record_id(r));
    json_key(w, "extensions");
    json_begin_array(w);
    for (size_t i = 0; i < tlsrpt_sts_record_extension_count(r); i++)
        json_extension(w, tlsrpt_sts_record_extension_name(r, i), tlsrpt_sts_record_extension_value(r, i));
    json_end_array(w);
    json_end_object(w);
}
