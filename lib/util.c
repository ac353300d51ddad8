/* libtlsrpt — byte buffers and small string helpers. SPDX-License-Identifier: MIT */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void trpt_buf_init(trpt_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->failed = 0;
}

void trpt_buf_free(trpt_buf *b)
{
    free(b->data);
    trpt_buf_init(b);
}

/* Makes room for `extra` more bytes plus the terminating NUL. */
static int buf_reserve(trpt_buf *b, size_t extra)
{
    if (b->failed)
        return 0;
    if (extra > SIZE_MAX - b->len - 1) {
        b->failed = 1;
        return 0;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 1;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void trpt_buf_append(trpt_buf *b, const void *data, size_t len)
{
    if (!buf_reserve(b, len))
        return;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void trpt_buf_puts(trpt_buf *b, const char *s)
{
    trpt_buf_append(b, s, strlen(s));
}

void trpt_buf_putc(trpt_buf *b, char c)
{
    trpt_buf_append(b, &c, 1);
}

void trpt_buf_printf(trpt_buf *b, const char *fmt, ...)
{
    va_list ap;
    char small[256];

    if (b->failed)
        return;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        trpt_buf_append(b, small, (size_t)n);
        return;
    }
    if (!buf_reserve(b, (size_t)n))
        return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

int trpt_buf_finish(trpt_buf *b, char **out, size_t *out_len)
{
    if (!b->failed && !b->data)
        buf_reserve(b, 0);
    if (b->failed) {
        trpt_buf_free(b);
        *out = NULL;
        if (out_len)
            *out_len = 0;
        return TLSRPT_ENOMEM;
    }
    b->data[b->len] = '\0';
    *out = b->data;
    if (out_len)
        *out_len = b->len;
    trpt_buf_init(b);
    return TLSRPT_OK;
}

void trpt_buf_put_quoted(trpt_buf *b, const char *text, size_t len, size_t max)
{
    size_t n = len > max ? max : len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c >= 0x20 && c < 0x7f && c != '\\')
            trpt_buf_putc(b, (char)c);
        else if (c == '\\')
            trpt_buf_puts(b, "\\\\");
        else
            trpt_buf_printf(b, "\\x%02X", c);
    }
    if (len > max)
        trpt_buf_puts(b, "...");
}

char *trpt_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *trpt_strdup(const char *s)
{
    return trpt_strndup(s, strlen(s));
}

int trpt_ascii_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

int trpt_ascii_strncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int ca = trpt_ascii_lower((unsigned char)a[i]);
        int cb = trpt_ascii_lower((unsigned char)b[i]);
        if (ca != cb)
            return ca - cb;
        if (ca == 0)
            return 0;
    }
    return 0;
}

int trpt_ascii_strcasecmp(const char *a, const char *b)
{
    return trpt_ascii_strncasecmp(a, b, SIZE_MAX);
}

static char empty_quote[1];

char *trpt_quoted(const char *text, size_t len, size_t max)
{
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_put_quoted(&b, text, len, max);
    char *out;
    if (trpt_buf_finish(&b, &out, NULL) != TLSRPT_OK)
        return empty_quote;
    return out;
}

void trpt_quoted_free(char *q)
{
    if (q != empty_quote)
        free(q);
}
