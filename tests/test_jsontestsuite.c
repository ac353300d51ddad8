/* JSONTestSuite conformance (https://github.com/nst/JSONTestSuite, test_parsing/): every y_ file must be accepted
 * and every n_ file rejected, in strict and in lenient mode; i_ files (implementation-defined) must only run
 * without crash or leak, and their outcome is printed. Run with the folder as the only argument (meson option
 * `jsontestsuite`). SPDX-License-Identifier: MIT */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "json_reader.h"

/* Reads the whole document; returns TRPT_JSON_END or the error status. Also walks the string and number
 * accessors on every token so that they run over every case too. */
static int read_all(const char *data, size_t len, unsigned flags, tlsrpt_diag *d)
{
    trpt_json_reader *r;
    int rc = trpt_json_reader_new(&r, data, len, flags, TLSRPT_MAX_REPORT_SIZE, d);
    if (rc != TLSRPT_OK)
        return rc;
    int t;
    do {
        t = trpt_json_next(r);
        size_t n;
        uint64_t v;
        if (t == TRPT_JSON_NAME || t == TRPT_JSON_STRING) {
            if (!trpt_json_string(r, &n) && n != 0)
                t = -100;
        } else if (t == TRPT_JSON_NUMBER) {
            if (!trpt_json_number_text(r, &n) || n == 0)
                t = -100;
            (void)trpt_json_number_to_uint64(trpt_json_number_text(r, &n), n, &v);
        }
        if (t > 0 && !trpt_json_path(r))
            t = TLSRPT_ENOMEM;
    } while (t > 0 && t != TRPT_JSON_END);
    trpt_json_reader_free(r);
    return t;
}

/* y_ files that are valid RFC 8259 but break I-JSON (RFC 7493), and the finding they must produce. */
static const char *not_ijson(const char *name)
{
    static const struct {
        const char *file, *id;
    } list[] = {
        {"y_object_duplicated_key.json", "json-duplicate-name"},
        {"y_object_duplicated_key_and_value.json", "json-duplicate-name"},
    };
    for (size_t i = 0; i < sizeof list / sizeof list[0]; i++)
        if (strcmp(name, list[i].file) == 0)
            return list[i].id;
    return NULL;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s JSONTestSuite/test_parsing\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (!dir) {
        perror(argv[1]);
        return 1;
    }
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) {
        size_t l = strlen(de->d_name);
        if (l < 7 || strcmp(de->d_name + l - 5, ".json") != 0 || de->d_name[1] != '_')
            continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 512;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                return 1;
        }
        names[count++] = trpt_strdup(de->d_name);
    }
    closedir(dir);
    qsort(names, count, sizeof *names, by_name);

    unsigned y = 0, y_not_ijson = 0, n = 0, i = 0, failures = 0, i_accept_strict = 0, i_accept_lenient = 0;
    for (size_t k = 0; k < count; k++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[k]);
        FILE *f = fopen(path, "rb");
        if (!f) {
            perror(path);
            return 1;
        }
        char *data = NULL;
        size_t len = 0, dcap = 0, got;
        char chunk[65536];
        while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
            if (len + got > dcap) {
                dcap = (len + got) * 2;
                data = realloc(data, dcap);
                if (!data)
                    return 1;
            }
            memcpy(data + len, chunk, got);
            len += got;
        }
        fclose(f);
        /* An exact-size copy so that a read past the end is caught by valgrind/ASan. */
        char *exact = malloc(len ? len : 1);
        if (!exact)
            return 1;
        if (len)
            memcpy(exact, data, len);
        free(data);

        tlsrpt_diag *ds, *dl;
        if (tlsrpt_diag_new(&ds) != TLSRPT_OK || tlsrpt_diag_new(&dl) != TLSRPT_OK)
            return 1;
        int strict = read_all(exact, len, TRPT_JSON_STRICT, ds);
        int lenient = read_all(exact, len, 0, dl);
        int s_ok = strict == TRPT_JSON_END, l_ok = lenient == TRPT_JSON_END;
        /* A rejection must come with an ERROR diagnostic, an acceptance without one. */
        if ((s_ok != 0) != (trpt_diag_errors_since(ds, 0) == 0) || (l_ok != 0) != (trpt_diag_errors_since(dl, 0) == 0)) {
            printf("FAIL %s: status and ERROR diagnostics disagree\n", names[k]);
            failures++;
        }
        switch (names[k][0]) {
        case 'y':
            y++;
            if (not_ijson(names[k])) {
                /* Valid RFC 8259 but not I-JSON: strict mode must reject it for exactly that reason, lenient mode
                 * must accept it with the same finding as a warning. */
                const char *id = not_ijson(names[k]);
                y_not_ijson++;
                if (s_ok || tlsrpt_diag_count(ds) != 1 || strcmp(tlsrpt_diag_id(ds, 0), id) != 0 || !l_ok ||
                    tlsrpt_diag_count(dl) != 1 || strcmp(tlsrpt_diag_id(dl, 0), id) != 0 ||
                    tlsrpt_diag_severity(dl, 0) != TLSRPT_SEVERITY_WARNING) {
                    printf("FAIL %s: expected strict ERROR / lenient WARNING %s\n", names[k], id);
                    failures++;
                }
                break;
            }
            if (!s_ok || !l_ok || tlsrpt_diag_count(ds) || tlsrpt_diag_count(dl)) {
                printf("FAIL %s: valid JSON rejected (strict %d, lenient %d)\n", names[k], strict, lenient);
                failures++;
            }
            break;
        case 'n':
            n++;
            if (s_ok || l_ok) {
                printf("FAIL %s: invalid JSON accepted (strict %d, lenient %d)\n", names[k], strict, lenient);
                failures++;
            }
            break;
        default:
            i++;
            i_accept_strict += (unsigned)s_ok;
            i_accept_lenient += (unsigned)l_ok;
            printf("i %-50s strict %-8s lenient %-8s %s\n", names[k], s_ok ? "accept" : "reject",
                   l_ok ? "accept" : "reject",
                   tlsrpt_diag_count(dl) ? tlsrpt_diag_id(dl, 0) : (tlsrpt_diag_count(ds) ? tlsrpt_diag_id(ds, 0) : ""));
            break;
        }
        tlsrpt_diag_free(ds);
        tlsrpt_diag_free(dl);
        free(exact);
        free(names[k]);
    }
    free(names);
    printf("JSONTestSuite: %u y_ (all accepted; %u of them not I-JSON: rejected strict, warned lenient), %u n_ (all "
           "rejected, strict and lenient), %u i_ (%u accepted strict, %u lenient); %u failures\n",
           y, y_not_ijson, n, i, i_accept_strict, i_accept_lenient, failures);
    if (y + n == 0) {
        printf("FAIL: no test files found in %s\n", argv[1]);
        return 1;
    }
    return failures ? 1 : 0;
}
