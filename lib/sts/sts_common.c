/* libtlsrpt — helpers shared by the MTA-STS record and policy: extension lists, mx pattern syntax, byte names.
 * SPDX-License-Identifier: MIT */
#include "sts_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int trpt_sts_exts_push(trpt_sts_exts *e, const char *name, size_t name_len, const char *sep, const char *value,
                       size_t value_len)
{
    if (e->count == e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 4;
        trpt_sts_ext *v = realloc(e->v, cap * sizeof *v);
        if (!v)
            return TLSRPT_ENOMEM;
        e->v = v;
        e->cap = cap;
    }
    size_t sep_len = strlen(sep);
    size_t line_len = name_len + sep_len + value_len;
    char *line = malloc(line_len + 1 + name_len + 1);
    if (!line)
        return TLSRPT_ENOMEM;
    memcpy(line, name, name_len);
    memcpy(line + name_len, sep, sep_len);
    memcpy(line + name_len + sep_len, value, value_len);
    line[line_len] = '\0';
    char *name_copy = line + line_len + 1;
    memcpy(name_copy, name, name_len);
    name_copy[name_len] = '\0';
    e->v[e->count].line = line;
    e->v[e->count].name = name_copy;
    e->v[e->count].value = line + name_len + sep_len;
    e->count++;
    return TLSRPT_OK;
}

void trpt_sts_exts_free(trpt_sts_exts *e)
{
    for (size_t i = 0; i < e->count; i++)
        free(e->v[i].line);
    free(e->v);
    e->v = NULL;
    e->count = e->cap = 0;
}

int trpt_sts_ext_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > STS_EXT_NAME_MAX || !trpt_is_alnum((unsigned char)name[0]))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!sts_is_ext_name_char((unsigned char)name[i]))
            return 0;
    return 1;
}

void trpt_sts_describe_byte(const char *s, size_t len, size_t i, char buf[16])
{
    if (i >= len)
        strcpy(buf, "end of text");
    else if ((unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f)
        snprintf(buf, 16, "'%c'", s[i]);
    else
        snprintf(buf, 16, "byte 0x%02X", (unsigned char)s[i]);
}

const char *trpt_sts_mx_pattern_problem(const char *s, size_t len, size_t *bad)
{
    size_t i = 0;
    *bad = 0;
    if (len >= 2 && s[0] == '*' && s[1] == '.')
        i = 2;
    if (len > TRPT_DOMAIN_MAX_LENGTH) {
        *bad = TRPT_DOMAIN_MAX_LENGTH;
        return "is longer than 253 characters";
    }
    for (;;) {
        size_t label = i;
        if (i >= len) {
            *bad = i;
            return i == 0 ? "is empty" : "ends with '.' (patterns have no trailing dot)";
        }
        while (i < len && s[i] != '.') {
            unsigned char c = (unsigned char)s[i];
            if (c == '*') {
                *bad = i;
                return "has a '*' that is not the whole left-most label followed by '.'";
            }
            if (c >= 0x80) {
                *bad = i;
                return "has a non-ASCII byte (internationalized names must be written as A-labels, xn--...)";
            }
            if (!trpt_is_alnum(c) && c != '-') {
                *bad = i;
                return "has a character other than a letter, digit, '-' or '.'";
            }
            if (i - label == TRPT_LABEL_MAX_LENGTH) {
                *bad = i;
                return "has a label longer than 63 characters";
            }
            i++;
        }
        if (i == label) {
            *bad = i;
            return "has an empty label";
        }
        if (s[label] == '-') {
            *bad = label;
            return "has a label that starts with '-'";
        }
        if (s[i - 1] == '-') {
            *bad = i - 1;
            return "has a label that ends with '-'";
        }
        if (i == len)
            return NULL;
        i++; /* the '.' */
    }
}

int trpt_sts_mx_has_alabel(const char *s, size_t len)
{
    for (size_t i = 0; i + 4 <= len; i++)
        if ((i == 0 || s[i - 1] == '.') && trpt_ascii_strncasecmp(s + i, "xn--", 4) == 0)
            return 1;
    return 0;
}

const char *trpt_sts_mode_name(int mode)
{
    switch (mode) {
    case TLSRPT_STS_MODE_NONE:
        return "none";
    case TLSRPT_STS_MODE_TESTING:
        return "testing";
    case TLSRPT_STS_MODE_ENFORCE:
        return "enforce";
    default:
        return NULL;
    }
}
