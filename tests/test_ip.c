/* IP address text (lib/ip.c): the syntax and the RFC 5952 canonical form, and agreement with inet_pton().
 * SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ip.h"
#include "testutil.h"

START_TEST(ip_syntax_and_canonical_form)
{
    static const struct {
        const char *text;
        int family;
        int canonical;
    } cases[] = {
        {"192.0.2.1", 4, 1},
        {"0.0.0.0", 4, 1},
        {"255.255.255.255", 4, 1},
        {"256.1.1.1", 0, 0},
        {"01.2.3.4", 0, 0},
        {"1.2.3", 0, 0},
        {"1.2.3.4.5", 0, 0},
        {"1.2.3.", 0, 0},
        {"1.2.3.4 ", 0, 0},
        {"1234.1.1.1", 0, 0},
        {"", 0, 0},
        {"::", 6, 1},
        {"::1", 6, 1},
        {"1::", 6, 1},
        {"2001:db8::1", 6, 1},
        {"2001:DB8::1", 6, 0},
        {"2001:db8:abcd:0012::1", 6, 0},
        {"2001:db8:abcd:12::1", 6, 1},
        {"2001:db8:0:0:1:0:0:1", 6, 0},
        {"2001:db8::1:0:0:1", 6, 1},
        {"2001:db8:0:1:1:1:1:1", 6, 1},
        {"2001:db8::1:1:1:1:1", 6, 0}, /* "::" for a single zero group */
        {"1:2:3:4:5:6:7:8", 6, 1},
        {"::ffff:192.0.2.1", 6, 1},
        {"::ffff:c000:201", 6, 1},
        {"64:ff9b::192.0.2.33", 6, 0},
        {"64:ff9b::c000:221", 6, 1},
        {"1:2:3:4:5:6:7:8:9", 0, 0},
        {"1:2:3:4:5:6:7", 0, 0},
        {"1::2::3", 0, 0},
        {":1::2", 0, 0},
        {"1::2:", 0, 0},
        {"12345::1", 0, 0},
        {"g::1", 0, 0},
        {"fe80::1%eth0", 0, 0},
        {"[::1]", 0, 0},
        {"::1.2.3.4.5", 0, 0},
        {"1.2.3.4::", 0, 0},
        {"1:2:3:4:5:6:7:1.2.3.4", 0, 0},
        {"1:2:3:4:5:6:1.2.3.4", 6, 0},
        {":", 0, 0},
        {":::", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = strlen(cases[i].text);
        ck_assert_msg(trpt_ip_parse(cases[i].text, n, NULL) == cases[i].family, "family of '%s'", cases[i].text);
        ck_assert_msg(trpt_ip_is_canonical(cases[i].text, n) == cases[i].canonical, "canonical '%s'",
                      cases[i].text);
    }
    unsigned char a[16];
    ck_assert_int_eq(trpt_ip_parse(TEXT("2001:db8::ff00:42:8329"), a), 6);
    static const unsigned char want[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0, 0x42, 0x83, 0x29};
    ck_assert_mem_eq(a, want, 16);
    ck_assert_int_eq(trpt_ip_parse(TEXT("198.51.100.7"), a), 4);
    static const unsigned char want4[4] = {198, 51, 100, 7};
    ck_assert_mem_eq(a, want4, 4);
}
END_TEST

/* trpt_ip_parse replaces inet_pton(AF_INET) and inet_pton(AF_INET6) in the builder, the authorization check and
 * the URI parser, so it must accept exactly what they accept (glibc's: dec-octets without leading zeros, 1-4 hex
 * digits a group, one "::", a dotted quad only as the last 32 bits, no zone id) and give the same bytes. Compared
 * here over generated strings: random text over the characters of addresses, and valid addresses of every shape
 * with one character inserted, deleted or replaced. (Run with 16 million strings against glibc 2.36 when ip.c
 * replaced inet_pton: no difference.) */
static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void assert_same_as_inet_pton(const char *s)
{
    unsigned char want4[4], want6[16], got[16];
    int v4 = inet_pton(AF_INET, s, want4) == 1, v6 = inet_pton(AF_INET6, s, want6) == 1;
    int family = trpt_ip_parse(s, strlen(s), got);
    ck_assert_msg(v4 == (family == 4) && v6 == (family == 6), "'%s': inet_pton %d/%d, trpt_ip_parse %d", s, v4, v6,
                  family);
    if (v4)
        ck_assert_mem_eq(got, want4, 4);
    if (v6)
        ck_assert_mem_eq(got, want6, 16);
}

START_TEST(ip_parse_agrees_with_inet_pton)
{
    static const char *const fixed[] = {
        "", ":", "::", ":::", "::1", "1::", "1:2:3:4:5:6:7::", "::1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8::", "::1.2.3.4",
        "::ffff:1.2.3.4", "1:2:3:4:5:6:1.2.3.4", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3.04", "::1.2.3", "1.2.3.4.",
        "01.2.3.4", "0.0.0.0", "255.255.255.255", "256.1.1.1", "1.2.3.4:", "00000::", "0000::", "::00000", "1::2::3",
        "fe80::1%eth0", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", ":1::", "1::2:", "0x1.2.3.4",
        "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/24", "::1.2.3.4:5", "1.2.3.4::", "::ffff:256.1.1.1", "::ffff:01.1.1.1",
        "[::1]", "1e0.0.0.0", "0:0:0:0:0:0:0:0", "FFFF:ffff::FfFf",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        assert_same_as_inet_pton(fixed[i]);

    static const char alphabet[] = "0123456789abcdefABCDEF:.%g 1";
    static const char edits[] = ":.0a%1fF9 ";
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    char s[64], t[80];
    for (int k = 0; k < 50000; k++) {
        size_t len = (size_t)(xorshift(&seed) % 46);
        for (size_t i = 0; i < len; i++)
            s[i] = alphabet[xorshift(&seed) % (sizeof alphabet - 1)];
        s[len] = '\0';
        assert_same_as_inet_pton(s);
    }
    for (int k = 0; k < 25000; k++) {
        unsigned char a[16];
        for (int i = 0; i < 16; i++)
            a[i] = xorshift(&seed) % 3 == 0 ? 0 : (unsigned char)xorshift(&seed);
        if (xorshift(&seed) % 4 == 0) { /* IPv4-mapped: written with a dotted quad */
            memset(a, 0, 10);
            a[10] = a[11] = 0xff;
        }
        ck_assert_ptr_nonnull(inet_ntop(k % 2 ? AF_INET6 : AF_INET, a, s, sizeof s));
        assert_same_as_inet_pton(s);
        snprintf(t, sizeof t, "%x:%x:%x:%x:%x:%x:%u.%u.%u.%u", a[0] << 8 | a[1], a[2] << 8 | a[3], a[4] << 8 | a[5],
                 a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11], a[12], a[13], a[14], a[15]);
        assert_same_as_inet_pton(t);
        snprintf(t, sizeof t, "%04X:%04x:%x:%x:%x:%x:%x:%x", a[0] << 8 | a[1], a[2] << 8 | a[3], a[4] << 8 | a[5],
                 a[6] << 8 | a[7], a[8] << 8 | a[9], a[10] << 8 | a[11], a[12] << 8 | a[13], a[14] << 8 | a[15]);
        assert_same_as_inet_pton(t);
        snprintf(t, sizeof t, "%03u.%u.%02u.%u", a[0], a[1], a[2], a[3]);
        assert_same_as_inet_pton(t);
        /* One character inserted, deleted or replaced. */
        size_t n = strlen(s), at = (size_t)(xorshift(&seed) % (n + 1));
        char c = edits[xorshift(&seed) % (sizeof edits - 1)];
        memcpy(t, s, n + 1);
        switch (xorshift(&seed) % 3) {
        case 0:
            memmove(t + at + 1, t + at, n - at + 1);
            t[at] = c;
            break;
        case 1:
            if (at < n)
                memmove(t + at, t + at + 1, n - at);
            break;
        default:
            if (at < n)
                t[at] = c;
        }
        assert_same_as_inet_pton(t);
        snprintf(t, sizeof t, "%s%%eth0", s);
        assert_same_as_inet_pton(t);
        snprintf(t, sizeof t, "[%s]", s);
        assert_same_as_inet_pton(t);
    }
}
END_TEST

Suite *make_suite(void)
{
    Suite *s = suite_create("ip");
    TCase *tc = tcase_create("ip");
    tcase_add_test(tc, ip_syntax_and_canonical_form);
    tcase_add_test(tc, ip_parse_agrees_with_inet_pton);
    suite_add_tcase(s, tc);
    return s;
}
