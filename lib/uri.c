/* libtlsrpt — report destination URIs: RFC 3986 syntax with RFC 8460's encoding rules, RFC 6068 mailto:,
 * https: with a host. SPDX-License-Identifier: MIT */
#include "charclass.h"
#include "domain.h"
#include "ip.h"
#include "uri_internal.h"

#include <stdlib.h>
#include <string.h>

struct tlsrpt_uri {
    int scheme;     /* TLSRPT_URI_* */
    char *text;     /* as it appears in a record */
    char *mailbox;  /* mailto: decoded "local@domain", else NULL */
    char *host;     /* lower-case host or NULL */
    size_t rest;    /* index in text where the part after "scheme:" and the authority starts */
};

/* ---- small helpers ------------------------------------------------------------------------------------------ */

/* RFC 3986 sub-delims without ',' '!' ';', which RFC 8460 requires to be percent-encoded inside a destination. */
static int is_subdelim_allowed(unsigned char c)
{
    return c != 0 && strchr("$&'()*+=", c) != NULL;
}

static int is_scheme_char(unsigned char c)
{
    return trpt_is_alpha(c) || trpt_is_digit(c) || c == '+' || c == '-' || c == '.';
}

/* Character classes for span(). */
#define CL_UNRESERVED 0x01u
#define CL_SUBDELIM 0x02u
#define CL_COLON 0x04u
#define CL_AT 0x08u
#define CL_SLASH 0x10u
#define CL_QMARK 0x20u
#define CL_PCHAR (CL_UNRESERVED | CL_SUBDELIM | CL_COLON | CL_AT)

static int in_class(unsigned char c, unsigned cls)
{
    return ((cls & CL_UNRESERVED) && trpt_is_unreserved(c)) || ((cls & CL_SUBDELIM) && is_subdelim_allowed(c)) ||
           ((cls & CL_COLON) && c == ':') || ((cls & CL_AT) && c == '@') || ((cls & CL_SLASH) && c == '/') ||
           ((cls & CL_QMARK) && c == '?');
}

typedef struct uri_ctx {
    const char *s;
    size_t len;
    size_t base;
    tlsrpt_diag *diag;
} uri_ctx;

/* Reports the byte at index i as one that may not appear there; the id says what kind of byte it is. */
static int bad_byte(const uri_ctx *c, size_t i, const char *where)
{
    unsigned char b = (unsigned char)c->s[i];
    char *q = trpt_quoted(c->s, c->len, 100);
    int rc;
    if (b <= 0x20 || b >= 0x7f)
        rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "uri-invalid-char", c->base + i,
                            "Byte 0x%02X (whitespace, control or non-ASCII) is not allowed in the URI \"%s\".", b, q);
    else if (b == ',' || b == '!' || b == ';')
        rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "uri-unencoded-delimiter", c->base + i,
                            "'%c' must be percent-encoded as %%%02X in a TLSRPT destination: \"%s\".", b, b, q);
    else if (b == '%')
        rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "uri-bad-percent", c->base + i,
                            "'%%' must be followed by two hexadecimal digits in the URI \"%s\".", q);
    else
        rc = trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "uri-syntax", c->base + i,
                            "Unexpected '%c' in the %s of the URI \"%s\".", b, where, q);
    trpt_quoted_free(q);
    return rc;
}

/* Consumes bytes of class `cls` and valid percent-encoded triples from *i; stops at the first other byte.
 * A '%' not followed by two hex digits is an error. */
static int span(const uri_ctx *c, size_t *i, size_t end, unsigned cls, const char *where)
{
    while (*i < end) {
        unsigned char b = (unsigned char)c->s[*i];
        if (b == '%') {
            if (end - *i < 3 || !trpt_is_hexdig((unsigned char)c->s[*i + 1]) ||
                !trpt_is_hexdig((unsigned char)c->s[*i + 2]))
                return bad_byte(c, *i, where);
            *i += 3;
            continue;
        }
        if (!in_class(b, cls))
            break;
        (*i)++;
    }
    return TLSRPT_OK;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]" (RFC 3986 §3.2.2); s..e is the text between the brackets. */
static int ip_literal_ok(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] == 'v' || s[0] == 'V') {
        size_t i = 1;
        while (i < n && trpt_is_hexdig((unsigned char)s[i]))
            i++;
        if (i == 1 || i >= n || s[i] != '.')
            return 0;
        i++;
        if (i == n)
            return 0;
        for (; i < n; i++) {
            unsigned char b = (unsigned char)s[i];
            if (!trpt_is_unreserved(b) && !is_subdelim_allowed(b) && b != ':')
                return 0;
        }
        return 1;
    }
    if (n >= 64)
        return 0;
    /* trpt_ip_parse also accepts the dotted-quad tail (::ffff:192.0.2.1), as RFC 3986's IPv6address does. */
    return trpt_ip_parse(s, n, NULL) == 6;
}

int trpt_uri_has_scheme(const char *text, size_t len)
{
    if (!text || len == 0 || !trpt_is_alpha((unsigned char)text[0]))
        return 0;
    size_t i = 1;
    while (i < len && is_scheme_char((unsigned char)text[i]))
        i++;
    return i < len && text[i] == ':';
}

static void lower_in_place(char *s)
{
    for (; *s; s++)
        *s = (char)trpt_ascii_lower((unsigned char)*s);
}

/* Number of bytes text[from..to) (validated percent-encoding) decodes to. */
static size_t decoded_length(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; n++)
        i += text[i] == '%' ? 3 : 1;
    return n;
}

/* Percent-decodes text[from..to) (already validated) into a new string; `map`, if not NULL, receives for each
 * decoded byte the index in text of its first source byte, plus one entry for the end. */
static char *pct_decode(const char *text, size_t from, size_t to, size_t **map)
{
    char *d = malloc(to - from + 1);
    size_t *m = map ? malloc((to - from + 1) * sizeof *m) : NULL;
    if (!d || (map && !m)) {
        free(d);
        free(m);
        return NULL;
    }
    size_t n = 0;
    for (size_t i = from; i < to;) {
        if (m)
            m[n] = i;
        if (text[i] == '%' && to - i >= 3) {
            d[n++] = (char)(trpt_hex_value((unsigned char)text[i + 1]) * 16 +
                            trpt_hex_value((unsigned char)text[i + 2]));
            i += 3;
        } else {
            d[n++] = text[i++];
        }
    }
    if (m)
        m[n] = to;
    d[n] = '\0';
    if (map)
        *map = m;
    return d;
}

/* ---- addr-spec (RFC 5322 §3.4.1 without obsolete forms, as RFC 6068 uses it) --------------------------------- */

static int is_qtext(unsigned char c)
{
    return c == 33 || (c >= 35 && c <= 91) || (c >= 93 && c <= 126);
}

typedef struct addr_ctx {
    const char *d;    /* the decoded address */
    size_t n;
    const size_t *map; /* decoded index -> index in the source text; NULL: identity */
    size_t base;
    tlsrpt_diag *diag;
} addr_ctx;

static size_t addr_offset(const addr_ctx *a, size_t i)
{
    return a->base + (a->map ? a->map[i] : i);
}

static int addr_fail(const addr_ctx *a, const char *id, size_t i, const char *what)
{
    char *q = trpt_quoted(a->d, a->n, 100);
    int rc;
    if (i < a->n && a->d[i] == ',')
        rc = trpt_diag_fail(a->diag, TLSRPT_ESYNTAX, "mailto-multiple-addresses", addr_offset(a, i),
                            "A TLSRPT mailto: destination holds exactly one address; \"%s\" has several.", q);
    else if (i < a->n)
        rc = trpt_diag_fail(a->diag, TLSRPT_ESYNTAX, id, addr_offset(a, i), "%s in the address \"%s\" (byte 0x%02X).",
                            what, q, (unsigned char)a->d[i]);
    else
        rc = trpt_diag_fail(a->diag, TLSRPT_ESYNTAX, id, addr_offset(a, i), "%s at the end of the address \"%s\".",
                            what, q);
    trpt_quoted_free(q);
    return rc;
}

/* Parses d[0..n) as exactly one addr-spec. On success *host is the domain in lower-case A-labels (new). */
static int parse_addr_spec(const addr_ctx *a, char **host)
{
    const unsigned char *d = (const unsigned char *)a->d;
    size_t n = a->n, i = 0;
    *host = NULL;
    if (n == 0)
        return trpt_diag_fail(a->diag, TLSRPT_ESYNTAX, "mailto-no-address", addr_offset(a, 0),
                              "The mailto: destination has no address.");
    if (d[0] == '"') {
        i = 1;
        for (;;) {
            if (i >= n)
                return addr_fail(a, "mailto-bad-address", i, "Unterminated quoted local part");
            if (d[i] == '"')
                break;
            if (d[i] == '\\') {
                if (i + 1 >= n || !((d[i + 1] >= 0x21 && d[i + 1] <= 0x7e) || d[i + 1] == ' ' || d[i + 1] == '\t'))
                    return addr_fail(a, "mailto-bad-address", i + 1, "Invalid quoted-pair");
                i += 2;
            } else if (is_qtext(d[i]) || d[i] == ' ' || d[i] == '\t') {
                i++;
            } else {
                return addr_fail(a, "mailto-bad-address", i, "Invalid character in the quoted local part");
            }
        }
        if (i == 1)
            return addr_fail(a, "mailto-bad-address", i, "Empty local part");
        i++;
    } else {
        /* dot-atom-text = 1*atext *("." 1*atext) */
        size_t atom = 0;
        while (i < n && d[i] != '@') {
            if (d[i] == '.') {
                if (atom == 0)
                    return addr_fail(a, "mailto-bad-address", i, "Misplaced '.'");
                atom = 0;
            } else if (trpt_is_atext(d[i])) {
                atom++;
            } else {
                return addr_fail(a, "mailto-bad-address", i, "Invalid character in the local part");
            }
            i++;
        }
        if (i == 0)
            return addr_fail(a, "mailto-bad-address", i, "Empty local part");
        if (atom == 0)
            return addr_fail(a, "mailto-bad-address", i - 1, "Misplaced '.'");
    }
    if (i >= n || d[i] != '@')
        return addr_fail(a, "mailto-bad-address", i, "Expected '@' after the local part");
    i++;
    size_t dom = i;
    if (i < n && d[i] == '[')
        return addr_fail(a, "mailto-bad-domain", i, "Address literals are not supported as report destinations");
    /* dot-atom-text; bytes >= 0x80 are admitted here as a UTF-8 U-label domain, which IDNA checks below. */
    while (i < n && (d[i] == '.' || trpt_is_atext(d[i]) || d[i] >= 0x80))
        i++;
    if (i < n)
        return addr_fail(a, "mailto-bad-domain", i, "Invalid character in the domain");
    if (i == dom)
        return addr_fail(a, "mailto-bad-domain", i, "Empty domain");
    char *domain = trpt_strndup(a->d + dom, n - dom);
    if (!domain)
        return TLSRPT_ENOMEM;
    int rc = trpt_domain_to_alabel(domain, 0, host);
    free(domain);
    if (rc == TLSRPT_EINVAL)
        return addr_fail(a, "mailto-bad-domain", dom, "The domain is not a valid host name");
    return rc;
}

/* ---- construction ------------------------------------------------------------------------------------------- */

static void uri_release(tlsrpt_uri *u)
{
    free(u->text);
    free(u->mailbox);
    free(u->host);
    free(u);
}

TLSRPT_API void tlsrpt_uri_free(tlsrpt_uri *u)
{
    if (u)
        uri_release(u);
}

/* The host of an authority: IP literals lower-cased with their brackets, names percent-decoded and converted to
 * A-labels when they are DNS names, anything else lower-cased as written. */
static int authority_host(const char *s, size_t from, size_t to, char **out)
{
    *out = NULL;
    if (from == to)
        return TLSRPT_OK;
    if (s[from] != '[') {
        char *decoded = pct_decode(s, from, to, NULL);
        if (!decoded)
            return TLSRPT_ENOMEM;
        int rc = TLSRPT_EINVAL;
        /* A %00 would cut the name short: such a host is kept as written. */
        if (strlen(decoded) == decoded_length(s, from, to))
            rc = trpt_domain_to_alabel(decoded, 1, out);
        free(decoded);
        if (rc != TLSRPT_EINVAL)
            return rc;
    }
    *out = trpt_strndup(s + from, to - from);
    if (!*out)
        return TLSRPT_ENOMEM;
    lower_in_place(*out);
    return TLSRPT_OK;
}

/* mailtoURI = "mailto:" [ to ] [ hfields ] (RFC 6068 §2), with exactly one addr-spec in `to`. */
static int parse_mailto(const uri_ctx *c, size_t to_from, size_t query, size_t fragment, tlsrpt_uri *u)
{
    size_t to_end = query != SIZE_MAX ? query : fragment != SIZE_MAX ? fragment : c->len;
    if (fragment != SIZE_MAX)
        return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "mailto-fragment", c->base + fragment,
                              "A mailto: URI has no fragment ('#').");
    /* RFC 6068 §2: '/', '&' and '=' (like '%', '?', '#', '[', ']') must be percent-encoded in an address. */
    for (size_t i = to_from; i < to_end; i++) {
        char b = c->s[i];
        if (b == '/' || b == '&' || b == '=')
            return trpt_diag_fail(c->diag, TLSRPT_ESYNTAX, "mailto-char-not-encoded", c->base + i,
                                  "'%c' must be percent-encoded as %%%02X in a mailto: address.", b,
                                  (unsigned char)b);
    }
    size_t *map = NULL;
    char *decoded = pct_decode(c->s, to_from, to_end, &map);
    if (!decoded)
        return TLSRPT_ENOMEM;
    /* The decoded text may hold NULs (%00): use the decoded length, not strlen. */
    addr_ctx a = {decoded, decoded_length(c->s, to_from, to_end), map, c->base, c->diag};
    int rc = parse_addr_spec(&a, &u->host);
    if (rc == TLSRPT_OK) {
        u->mailbox = trpt_strndup(decoded, a.n);
        if (!u->mailbox)
            rc = TLSRPT_ENOMEM;
    }
    free(decoded);
    free(map);
    if (rc == TLSRPT_OK && query != SIZE_MAX)
        rc = trpt_diag_add(c->diag, TLSRPT_SEVERITY_INFO, "mailto-hfields-ignored", c->base + query, NULL,
                           "The header fields after '?' in a mailto: destination are ignored by reporters.");
    return rc;
}

int trpt_uri_parse_at(tlsrpt_uri **out, const char *text, size_t len, size_t base, tlsrpt_diag *diag)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!text && len > 0)
        return TLSRPT_EINVAL;
    uri_ctx c = {text, len, base, diag};
    if (len == 0)
        return trpt_diag_fail(diag, TLSRPT_ESYNTAX, "uri-empty", base, "The destination URI is empty.");
    if (len > TLSRPT_MAX_URI_LENGTH)
        return trpt_diag_fail(diag, TLSRPT_ELIMIT, "uri-too-long", base + TLSRPT_MAX_URI_LENGTH,
                              "The URI is longer than %u bytes.", TLSRPT_MAX_URI_LENGTH);

    /* scheme ":" */
    size_t i = 0;
    if (!trpt_uri_has_scheme(text, len)) {
        size_t colon = 0;
        while (colon < len && text[colon] != ':' && text[colon] != '/' && text[colon] != '?' && text[colon] != '#')
            colon++;
        if (colon < len && text[colon] == ':') {
            /* There is a ':' but what precedes it is not a scheme: show the first byte that breaks it. */
            size_t j = 0;
            if (trpt_is_alpha((unsigned char)text[0]))
                while (is_scheme_char((unsigned char)text[j]))
                    j++;
            return bad_byte(&c, j, "scheme");
        }
        char *q = trpt_quoted(text, len, 100);
        int rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "uri-no-scheme", base,
                                "\"%s\" is not a URI (no scheme such as mailto: or https:).", q);
        trpt_quoted_free(q);
        return rc;
    }
    while (text[i] != ':')
        i++;
    size_t scheme_len = i;
    i++;

    int rc;
    size_t host_from = 0, host_to = 0, rest;
    int has_authority = 0;
    if (len - i >= 2 && text[i] == '/' && text[i + 1] == '/') {
        has_authority = 1;
        size_t a0 = i + 2, ae = a0;
        while (ae < len && text[ae] != '/' && text[ae] != '?' && text[ae] != '#')
            ae++;
        size_t at = SIZE_MAX;
        for (size_t k = a0; k < ae; k++)
            if (text[k] == '@') {
                at = k;
                break;
            }
        size_t p = a0;
        if (at != SIZE_MAX) {
            if ((rc = span(&c, &p, at, CL_UNRESERVED | CL_SUBDELIM | CL_COLON, "userinfo")) != TLSRPT_OK)
                return rc;
            if (p != at)
                return bad_byte(&c, p, "userinfo");
            p = at + 1;
        }
        host_from = p;
        if (p < ae && text[p] == '[') {
            size_t close = p + 1;
            while (close < ae && text[close] != ']')
                close++;
            if (close == ae || !ip_literal_ok(text + p + 1, close - p - 1)) {
                char *q = trpt_quoted(text + p, (close < ae ? close + 1 : ae) - p, 100);
                rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "uri-bad-ip-literal", base + p,
                                    "\"%s\" is not a valid IP literal (RFC 3986 §3.2.2).", q);
                trpt_quoted_free(q);
                return rc;
            }
            p = close + 1;
        } else if ((rc = span(&c, &p, ae, CL_UNRESERVED | CL_SUBDELIM, "host")) != TLSRPT_OK) {
            return rc;
        }
        host_to = p;
        if (p < ae && text[p] == ':') {
            p++;
            while (p < ae && trpt_is_digit((unsigned char)text[p]))
                p++;
            if (p < ae)
                return bad_byte(&c, p, "port");
        } else if (p < ae) {
            return bad_byte(&c, p, "host");
        }
        i = ae;
        rest = ae;
    } else {
        rest = i;
    }
    /* path-abempty / path-absolute / path-rootless / path-empty: *( pchar / "/" ) here, as "//" was taken above */
    if ((rc = span(&c, &i, len, CL_PCHAR | CL_SLASH, "path")) != TLSRPT_OK)
        return rc;
    size_t query = SIZE_MAX, fragment = SIZE_MAX;
    if (i < len && text[i] == '?') {
        query = i++;
        if ((rc = span(&c, &i, len, CL_PCHAR | CL_SLASH | CL_QMARK, "query")) != TLSRPT_OK)
            return rc;
    }
    if (i < len && text[i] == '#') {
        fragment = i++;
        if ((rc = span(&c, &i, len, CL_PCHAR | CL_SLASH | CL_QMARK, "fragment")) != TLSRPT_OK)
            return rc;
    }
    if (i < len)
        return bad_byte(&c, i, query != SIZE_MAX ? (fragment != SIZE_MAX ? "fragment" : "query") : "path");

    tlsrpt_uri *u = calloc(1, sizeof *u);
    if (!u)
        return TLSRPT_ENOMEM;
    u->rest = rest;
    u->text = trpt_strndup(text, len);
    if (!u->text) {
        uri_release(u);
        return TLSRPT_ENOMEM;
    }
    if (scheme_len == 6 && trpt_ascii_strncasecmp(text, "mailto", 6) == 0) {
        u->scheme = TLSRPT_URI_MAILTO;
        rc = parse_mailto(&c, scheme_len + 1, query, fragment, u);
    } else if (scheme_len == 5 && trpt_ascii_strncasecmp(text, "https", 5) == 0) {
        u->scheme = TLSRPT_URI_HTTPS;
        if (!has_authority || host_from == host_to)
            rc = trpt_diag_fail(diag, TLSRPT_ESYNTAX, "https-no-host", base + (has_authority ? host_from : scheme_len + 1),
                                "An https: destination needs a host (https://host/path).");
        else
            rc = authority_host(text, host_from, host_to, &u->host);
    } else {
        u->scheme = TLSRPT_URI_OTHER;
        rc = has_authority ? authority_host(text, host_from, host_to, &u->host) : TLSRPT_OK;
    }
    if (rc != TLSRPT_OK) {
        uri_release(u);
        return rc;
    }
    *out = u;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_uri_parse(tlsrpt_uri **out, const char *text, size_t len, tlsrpt_diag *diag)
{
    return trpt_uri_parse_at(out, text, len, 0, diag);
}

/* Bytes that stay raw in a mailto: address built from an addr-spec: unreserved and the sub-delims RFC 6068 and
 * RFC 8460 leave alone ('$' '\'' '(' ')' '*' '+') and ':'. Everything else is percent-encoded. */
static int mailto_raw_ok(unsigned char c)
{
    return trpt_is_unreserved(c) || (c != 0 && strchr("$'()*+:", c) != NULL);
}

int trpt_uri_from_address(tlsrpt_uri **out, const char *address, size_t len, tlsrpt_diag *diag)
{
    *out = NULL;
    addr_ctx a = {address, len, NULL, 0, diag};
    char *host = NULL;
    int rc = parse_addr_spec(&a, &host);
    if (rc != TLSRPT_OK)
        return rc;
    /* The separating '@' is the last one: a quoted local part may hold '@', a domain never does. */
    size_t at = len;
    while (at > 0 && address[at - 1] != '@')
        at--;
    at--;
    trpt_buf b;
    trpt_buf_init(&b);
    trpt_buf_puts(&b, "mailto:");
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)address[i];
        if (i == at || mailto_raw_ok(ch))
            trpt_buf_putc(&b, (char)ch);
        else
            trpt_buf_printf(&b, "%%%02X", ch);
    }
    tlsrpt_uri *u = calloc(1, sizeof *u);
    if (!u || (rc = trpt_buf_finish(&b, &u->text, NULL)) != TLSRPT_OK) {
        trpt_buf_free(&b);
        free(host);
        free(u);
        return TLSRPT_ENOMEM;
    }
    u->scheme = TLSRPT_URI_MAILTO;
    u->host = host;
    u->rest = 7;
    u->mailbox = trpt_strndup(address, len);
    if (!u->mailbox) {
        uri_release(u);
        return TLSRPT_ENOMEM;
    }
    *out = u;
    return TLSRPT_OK;
}

TLSRPT_API int tlsrpt_uri_new_mailto(tlsrpt_uri **out, const char *address)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!address)
        return TLSRPT_EINVAL;
    int rc = trpt_uri_from_address(out, address, strlen(address), NULL);
    return rc == TLSRPT_ESYNTAX ? TLSRPT_EINVAL : rc;
}

TLSRPT_API int tlsrpt_uri_scheme(const tlsrpt_uri *u)
{
    return u ? u->scheme : TLSRPT_URI_OTHER;
}

TLSRPT_API const char *tlsrpt_uri_string(const tlsrpt_uri *u)
{
    return u ? u->text : NULL;
}

TLSRPT_API const char *tlsrpt_uri_mailbox(const tlsrpt_uri *u)
{
    return u ? u->mailbox : NULL;
}

TLSRPT_API const char *tlsrpt_uri_host(const tlsrpt_uri *u)
{
    return u ? u->host : NULL;
}

static int dup_field(char **dst, const char *src)
{
    if (!src) {
        *dst = NULL;
        return 1;
    }
    *dst = trpt_strdup(src);
    return *dst != NULL;
}

TLSRPT_API int tlsrpt_uri_dup(tlsrpt_uri **out, const tlsrpt_uri *u)
{
    if (!out)
        return TLSRPT_EINVAL;
    *out = NULL;
    if (!u)
        return TLSRPT_EINVAL;
    tlsrpt_uri *c = calloc(1, sizeof *c);
    if (!c)
        return TLSRPT_ENOMEM;
    c->scheme = u->scheme;
    c->rest = u->rest;
    if (!dup_field(&c->text, u->text) || !dup_field(&c->mailbox, u->mailbox) || !dup_field(&c->host, u->host)) {
        uri_release(c);
        return TLSRPT_ENOMEM;
    }
    *out = c;
    return TLSRPT_OK;
}

char *trpt_uri_identity_key(const tlsrpt_uri *u)
{
    trpt_buf b;
    trpt_buf_init(&b);
    if (u->scheme == TLSRPT_URI_MAILTO) {
        /* The local part is compared exactly (RFC 5321 §2.4), the domain in A-labels. */
        const char *at = strrchr(u->mailbox, '@');
        trpt_buf_puts(&b, "mailto:");
        trpt_buf_append(&b, u->mailbox, (size_t)(at - u->mailbox));
        trpt_buf_putc(&b, '@');
        trpt_buf_puts(&b, u->host);
    } else {
        for (size_t i = 0; i < u->rest; i++)
            trpt_buf_putc(&b, (char)trpt_ascii_lower((unsigned char)u->text[i]));
        trpt_buf_puts(&b, u->text + u->rest);
    }
    char *out;
    return trpt_buf_finish(&b, &out, NULL) == TLSRPT_OK ? out : NULL;
}
