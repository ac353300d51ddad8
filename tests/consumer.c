/* A downstream program built only with `pkg-config --cflags --libs tlsrpt`. SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include <tlsrpt/tlsrpt.h>

int main(void)
{
    if (tlsrpt_version_number() != TLSRPT_VERSION_NUMBER) {
        fprintf(stderr, "header/library version mismatch: %d vs %d\n", TLSRPT_VERSION_NUMBER,
                tlsrpt_version_number());
        return 1;
    }
    tlsrpt_diag *d = NULL;
    if (tlsrpt_diag_new(&d) != TLSRPT_OK)
        return 1;
    tlsrpt_record *r = NULL;
    const char text[] = "v=TLSRPTv1; rua=mailto:tlsrpt@example.com";
    if (tlsrpt_record_parse(&r, text, sizeof text - 1, d) != TLSRPT_OK)
        return 1;
    char *s = NULL;
    if (tlsrpt_record_serialize(r, &s, NULL) != TLSRPT_OK || strcmp(s, text) != 0)
        return 1;
    printf("%s\n", s);
    tlsrpt_free(s);
    tlsrpt_record_free(r);
    tlsrpt_diag_free(d);
    printf("libtlsrpt %s\n", tlsrpt_version_string());
    return 0;
}
