/* check-record: parse a TLSRPT record (RFC 8460 §3) and print every finding and destination. */
#include <stdio.h>
#include <string.h>
#include <tlsrpt/tlsrpt.h>

int main(int argc, char **argv)
{
    const char *text = argc > 1 ? argv[1] : "v=TLSRPTv1; rua=mailto:tlsrpt@example.com";
    tlsrpt_diag *diag = NULL;   /* collects every error, warning and note, each with an id and a byte offset */
    tlsrpt_record *rec = NULL;
    if (tlsrpt_diag_new(&diag) != TLSRPT_OK)
        return 2;
    /* Text is (pointer, length); on failure rc is a negative TLSRPT_E* code and rec stays NULL. */
    int rc = tlsrpt_record_parse(&rec, text, strlen(text), diag);
    for (size_t i = 0; i < tlsrpt_diag_count(diag); i++)
        printf("[%s] offset %zu: %s\n", tlsrpt_diag_id(diag, i), tlsrpt_diag_offset(diag, i),
               tlsrpt_diag_message(diag, i));
    /* Getters return borrowed pointers, valid until rec is freed. */
    for (size_t i = 0; rc == TLSRPT_OK && i < tlsrpt_record_rua_count(rec); i++)
        printf("destination: %s\n", tlsrpt_uri_string(tlsrpt_record_rua(rec, i)));
    printf("%s\n", tlsrpt_status_string(rc));
    tlsrpt_record_free(rec);    /* every *_free(NULL) is a no-op */
    tlsrpt_diag_free(diag);
    return rc == TLSRPT_OK ? 0 : 1;
}
