/* Fuzz target: the two paths of tlsrpt_report_parse() give the same result for every input. The default parse may
 * take the one-pass fast path (lib/report_fast.h); TRPT_PARSE_GENERAL reads with the general path alone (JSON reader
 * + schema walk). Each parse gets its own diag list; the two must agree on the status, on every entry of the lists
 * (severity, id, offset, path, message, hint) and, after a success, on the report: every field of the model
 * (presence flags included) and the bytes of tlsrpt_report_serialize().
 *
 * First input byte: bit 0 strict mode (odd) or lenient (even); bit 1 parse without a diag list (NULL); bit 2 both
 * lists start with 968 + (byte >> 3) warnings (968..999: the list's bound of 1000 entries falls among the parse's own
 * findings, so that both paths must drop the same ones). The rest of the input is the report (JSON, or gzip: it is
 * decompressed before either path reads it).
 * SPDX-License-Identifier: MIT */
#include <stdint.h>
#include <string.h>

#include "fuzz_common.h"
#include "fuzz_report_walk.h"
#include "report_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same_string(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void same_list(int has_a, char *const *a, size_t na, int has_b, char *const *b, size_t nb)
{
    FUZZ_CHECK(!has_a == !has_b);
    FUZZ_CHECK(na == nb);
    for (size_t i = 0; i < na; i++)
        FUZZ_CHECK(same_string(a[i], b[i]));
}

/* The two models field by field (white-box: presence flags and type codes too). */
static void same_report(const tlsrpt_report *a, const tlsrpt_report *b)
{
    FUZZ_CHECK(same_string(a->organization_name, b->organization_name));
    FUZZ_CHECK(same_string(a->contact_info, b->contact_info));
    FUZZ_CHECK(same_string(a->report_id, b->report_id));
    FUZZ_CHECK(!a->has_start_time == !b->has_start_time);
    FUZZ_CHECK(!a->has_end_time == !b->has_end_time);
    FUZZ_CHECK(!a->has_start_time || a->start_time == b->start_time);
    FUZZ_CHECK(!a->has_end_time || a->end_time == b->end_time);
    FUZZ_CHECK(a->n_policies == b->n_policies);
    for (size_t i = 0; i < a->n_policies; i++) {
        const tlsrpt_policy *p = a->policies[i], *q = b->policies[i];
        FUZZ_CHECK(p->type == q->type);
        FUZZ_CHECK(same_string(p->type_name, q->type_name));
        FUZZ_CHECK(same_string(p->domain, q->domain));
        same_list(p->has_strings, p->strings, p->n_strings, q->has_strings, q->strings, q->n_strings);
        same_list(p->has_mx_hosts, p->mx_hosts, p->n_mx_hosts, q->has_mx_hosts, q->mx_hosts, q->n_mx_hosts);
        FUZZ_CHECK(p->successful_sessions == q->successful_sessions);
        FUZZ_CHECK(p->failed_sessions == q->failed_sessions);
        FUZZ_CHECK(!p->has_failures == !q->has_failures);
        FUZZ_CHECK(p->n_failures == q->n_failures);
        for (size_t j = 0; j < p->n_failures; j++) {
            const tlsrpt_failure *f = p->failures[j], *g = q->failures[j];
            FUZZ_CHECK(f->result_code == g->result_code);
            FUZZ_CHECK(same_string(f->result_type, g->result_type));
            FUZZ_CHECK(same_string(f->sending_mta_ip, g->sending_mta_ip));
            FUZZ_CHECK(same_string(f->receiving_mx_hostname, g->receiving_mx_hostname));
            FUZZ_CHECK(same_string(f->receiving_mx_helo, g->receiving_mx_helo));
            FUZZ_CHECK(same_string(f->receiving_ip, g->receiving_ip));
            FUZZ_CHECK(same_string(f->additional_information, g->additional_information));
            FUZZ_CHECK(same_string(f->reason_code, g->reason_code));
            FUZZ_CHECK(f->session_count == g->session_count);
        }
    }
}

/* The same bytes from tlsrpt_report_serialize (or the same failure). */
static void same_serialization(const tlsrpt_report *a, const tlsrpt_report *b)
{
    char *ja = NULL, *jb = NULL;
    size_t la = 0, lb = 0;
    int ra = tlsrpt_report_serialize(a, 0, &ja, &la);
    int rb = tlsrpt_report_serialize(b, 0, &jb, &lb);
    if (ra == TLSRPT_ENOMEM || rb == TLSRPT_ENOMEM) {
        tlsrpt_free(ja);
        tlsrpt_free(jb);
        return;
    }
    FUZZ_CHECK(ra == rb);
    if (ra == TLSRPT_OK) {
        FUZZ_CHECK(la == lb);
        FUZZ_CHECK(memcmp(ja, jb, la) == 0);
    }
    tlsrpt_free(ja);
    tlsrpt_free(jb);
}

static void same_diag(const tlsrpt_diag *a, const tlsrpt_diag *b)
{
    FUZZ_CHECK(tlsrpt_diag_count(a) == tlsrpt_diag_count(b));
    for (size_t i = 0; i < tlsrpt_diag_count(a); i++) {
        FUZZ_CHECK(tlsrpt_diag_severity(a, i) == tlsrpt_diag_severity(b, i));
        FUZZ_CHECK(same_string(tlsrpt_diag_id(a, i), tlsrpt_diag_id(b, i)));
        FUZZ_CHECK(tlsrpt_diag_offset(a, i) == tlsrpt_diag_offset(b, i));
        FUZZ_CHECK(same_string(tlsrpt_diag_path(a, i), tlsrpt_diag_path(b, i)));
        FUZZ_CHECK(same_string(tlsrpt_diag_message(a, i), tlsrpt_diag_message(b, i)));
        FUZZ_CHECK(same_string(tlsrpt_diag_hint(a, i), tlsrpt_diag_hint(b, i)));
    }
}

static void prefill(tlsrpt_diag *d, size_t n)
{
    for (size_t i = 0; i < n; i++)
        (void)trpt_diag_add(d, TLSRPT_SEVERITY_WARNING, "fuzz-prefill", i, NULL, "Entry %zu before the parse.", i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    unsigned flags = (data[0] & 1) ? TLSRPT_PARSE_STRICT : 0;
    int no_diag = (data[0] & 2) != 0;
    size_t fill = (data[0] & 4) ? 968u + (data[0] >> 3) : 0;
    tlsrpt_diag *da = NULL, *db = NULL;
    if (!no_diag) {
        if (tlsrpt_diag_new(&da) != TLSRPT_OK || tlsrpt_diag_new(&db) != TLSRPT_OK) {
            tlsrpt_diag_free(da);
            tlsrpt_diag_free(db);
            return 0;
        }
        prefill(da, fill);
        prefill(db, fill);
        FUZZ_CHECK(tlsrpt_diag_count(da) == tlsrpt_diag_count(db));
    }
    tlsrpt_report *ra = NULL, *rb = NULL;
    trpt_parse_stats sa, sb;
    int rc_a = trpt_report_parse_stats(&ra, data + 1, size - 1, flags, da, &sa);
    int rc_b = trpt_report_parse_stats(&rb, data + 1, size - 1, flags | TRPT_PARSE_GENERAL, db, &sb);
    FUZZ_CHECK(sb.fast_path == 0);
    if (rc_a == TLSRPT_ENOMEM || rc_b == TLSRPT_ENOMEM) /* the one status that depends on the allocator */
        goto out;
    FUZZ_CHECK(rc_a == rc_b);
    same_diag(da, db);
    FUZZ_CHECK((ra != NULL) == (rc_a == TLSRPT_OK));
    FUZZ_CHECK((rb != NULL) == (rc_b == TLSRPT_OK));
    if (sa.fast_path) {
        FUZZ_CHECK(rc_a == TLSRPT_OK);                  /* the fast path takes only what parses */
        FUZZ_CHECK(sa.memory_peak <= sa.memory_limit);   /* within the general path's budget */
        FUZZ_CHECK(sa.memory_limit == sb.memory_limit);
    }
    if (rc_a == TLSRPT_OK) {
        same_report(ra, rb);
        fuzz_walk_report(ra);
        same_serialization(ra, rb);
    }
out:
    tlsrpt_report_free(ra);
    tlsrpt_report_free(rb);
    tlsrpt_diag_free(da);
    tlsrpt_diag_free(db);
    return 0;
}
