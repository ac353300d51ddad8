/* Bulk ingest (issue 15): a receiver's mailbox of N generated report e-mails, read the way `tlsrpt report --summary
 * --ndjson` reads it — T threads parse (tlsrpt_report_parse_any) and write each report's rows (tlsrpt_report_rows),
 * the main thread takes the results in order and adds them to one aggregate (tlsrpt_aggregate_add); each worker
 * frees what it made once the main thread is past it (see free_slot). Prints, per
 * thread count, the wall time, the reports per second, and the CPU seconds the parse threads used (their
 * CLOCK_THREAD_CPUTIME_ID), so that the per-core rate can be read even when other processes share the machine.
 *
 *   bulk_ingest [N [THREADS...]]        default: 10000 reports, threads 1 and 2, best of 3 runs each
 *   bulk_ingest --maildir DIR [N]       writes the same corpus as a Maildir (DIR/cur, new, tmp) for timing the CLI
 *
 * Workers take CHUNK items at a time and may run WINDOW_PER_THREAD items ahead of the main thread: on a machine
 * shared with other processes each hand-off can wait a scheduler tick, so they are made rare.
 * The corpus: N distinct reports (plus every 20th one delivered twice), 1-2 policies over 200 domains, 0-3 failure
 * details each, written by the library's own writer as RFC 8460 §5.3 e-mails (gzip, base64).
 * SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <tlsrpt/tlsrpt.h>

#include "bench_common.h"

#define RUNS 3
#define MAX_THREADS 64
#define WINDOW_PER_THREAD 256
#define CHUNK 16

struct message {
    char *data;
    size_t len;
};

static uint64_t rng_state = 0x8460;

static uint64_t rnd(uint64_t n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (rng_state >> 33) % n;
}

static const char *const RESULT_TYPES[] = {"starttls-not-supported", "certificate-expired",
                                           "certificate-host-mismatch", "validation-failure",
                                           "sts-policy-fetch-error"};

static struct message make_message(size_t k)
{
    char domain[64], id[64], mx[96], ip[32];
    snprintf(domain, sizeof domain, "domain%zu.example", (size_t)rnd(200));
    snprintf(id, sizeof id, "2024-07-01T00:00:00Z_%zu", k);
    tlsrpt_report *r = NULL;
    int64_t start = 1719792000 + (int64_t)rnd(30) * 86400;
    if (tlsrpt_report_new(&r, k % 2 ? "Google Inc." : "Microsoft Corporation", "smtp-tls-reporting@sender.example",
                          id, start, start + 86399) != TLSRPT_OK)
        exit(1);
    size_t policies = 1 + rnd(2);
    for (size_t i = 0; i < policies; i++) {
        char pd[72];
        snprintf(pd, sizeof pd, "%s%s", i ? "sub." : "", domain);
        snprintf(mx, sizeof mx, "mx1.%s", pd);
        const char *strings[] = {"version: STSv1", "mode: enforce", "max_age: 604800"};
        const char *mxs[] = {mx};
        tlsrpt_policy *p = NULL;
        if (tlsrpt_report_add_policy(r, TLSRPT_POLICY_STS, pd, strings, 3, mxs, 1, &p) != TLSRPT_OK ||
            tlsrpt_policy_add_successes(p, rnd(100000)) != TLSRPT_OK)
            exit(1);
        size_t details = rnd(4);
        for (size_t d = 0; d < details; d++) {
            tlsrpt_failure *f = NULL;
            snprintf(ip, sizeof ip, "198.51.100.%u", (unsigned)rnd(250) + 1);
            if (tlsrpt_failure_new(&f, RESULT_TYPES[rnd(5)]) != TLSRPT_OK ||
                tlsrpt_failure_set_receiving_mx_hostname(f, mx) != TLSRPT_OK ||
                tlsrpt_failure_set_receiving_ip(f, ip) != TLSRPT_OK ||
                tlsrpt_failure_set_sending_mta_ip(f, "2001:db8::25") != TLSRPT_OK ||
                tlsrpt_policy_add_failures(p, f, 1 + rnd(50)) != TLSRPT_OK)
                exit(1);
            tlsrpt_failure_free(f);
        }
    }
    struct message m;
    if (tlsrpt_report_to_message(r, "tlsrpt-noreply@sender.example", "tlsrpt@receiver.example", domain,
                                 "sender.example", &m.data, &m.len) != TLSRPT_OK)
        exit(1);
    tlsrpt_report_free(r);
    return m;
}

/* ---- The pipeline (as examples/tlsrpt/report_bulk.c) ---- */

struct slot {
    tlsrpt_report *report;
    char *rows;
    int done;
};

struct run {
    const struct message *msgs;
    size_t n;
    struct slot *slots;
    pthread_mutex_t mu;
    pthread_cond_t done_cv, space_cv;
    size_t next, consumed, window;
    double cpu[MAX_THREADS];
};

/* Frees a slot's report and rows. The worker that made them does it (once the main thread has consumed them), so
 * that each thread frees into its own malloc arena: a free from the main thread into a worker's arena takes that
 * arena's lock against the worker's own mallocs. */
static void free_slot(struct slot *s)
{
    tlsrpt_report_free(s->report);
    tlsrpt_free(s->rows);
    memset(s, 0, sizeof *s);
}

static double thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void parse_one(const struct message *m, struct slot *s)
{
    if (tlsrpt_report_parse_any(&s->report, m->data, m->len, 0, NULL) != TLSRPT_OK ||
        tlsrpt_report_rows(s->report, TLSRPT_ROWS_NDJSON, NULL, &s->rows, NULL) != TLSRPT_OK) {
        fprintf(stderr, "bulk_ingest: a generated report failed to parse\n");
        exit(1);
    }
}

struct worker_arg {
    struct run *run;
    int index;
};

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    struct run *r = wa->run;
    double t0 = thread_cpu();
    size_t *mine = malloc((r->n / CHUNK + 1) * sizeof *mine), n_mine = 0, freed = 0;
    if (!mine)
        exit(1);
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->next < r->n && r->next >= r->consumed + r->window)
            pthread_cond_wait(&r->space_cv, &r->mu);
        size_t consumed = r->consumed;
        if (r->next >= r->n) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        size_t first = r->next, end = first + CHUNK < r->n ? first + CHUNK : r->n;
        r->next = end;
        pthread_mutex_unlock(&r->mu);
        for (; freed < n_mine && mine[freed] + CHUNK <= consumed; freed++)
            for (size_t i = mine[freed]; i < mine[freed] + CHUNK; i++)
                free_slot(&r->slots[i]);
        mine[n_mine++] = first;
        struct slot s[CHUNK];
        memset(s, 0, sizeof s);
        for (size_t i = first; i < end; i++)
            parse_one(&r->msgs[i], &s[i - first]);
        pthread_mutex_lock(&r->mu);
        for (size_t i = first; i < end; i++) {
            r->slots[i] = s[i - first];
            r->slots[i].done = 1;
        }
        pthread_cond_broadcast(&r->done_cv);
        pthread_mutex_unlock(&r->mu);
    }
    free(mine);
    r->cpu[wa->index] = thread_cpu() - t0;
    return NULL;
}

struct result {
    double wall, parse_cpu, main_cpu;
    size_t added, duplicates, rows_bytes;
};

static struct result ingest(const struct message *msgs, size_t n, int threads)
{
    struct run r;
    memset(&r, 0, sizeof r);
    r.msgs = msgs;
    r.n = n;
    r.slots = calloc(n, sizeof *r.slots);
    r.window = (size_t)threads * WINDOW_PER_THREAD;
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.done_cv, NULL);
    pthread_cond_init(&r.space_cv, NULL);
    tlsrpt_aggregate *a = NULL;
    if (!r.slots || tlsrpt_aggregate_new(&a) != TLSRPT_OK)
        exit(1);
    struct result res = {0};
    pthread_t tid[MAX_THREADS];
    struct worker_arg args[MAX_THREADS];
    double t0 = now(), main0 = thread_cpu();
    if (threads > 1)
        for (int t = 0; t < threads; t++) {
            args[t] = (struct worker_arg){&r, t};
            if (pthread_create(&tid[t], NULL, worker, &args[t]) != 0)
                exit(1);
        }
    double inline_parse = 0;
    for (size_t i = 0; i < n; i++) {
        struct slot s;
        if (threads > 1) {
            pthread_mutex_lock(&r.mu);
            while (!r.slots[i].done)
                pthread_cond_wait(&r.done_cv, &r.mu);
            s = r.slots[i];
            pthread_mutex_unlock(&r.mu);
        } else {
            double p0 = thread_cpu();
            memset(&s, 0, sizeof s);
            parse_one(&msgs[i], &s);
            inline_parse += thread_cpu() - p0;
        }
        int verdict = 0;
        if (tlsrpt_aggregate_add(a, s.report, &verdict) != TLSRPT_OK)
            exit(1);
        if (verdict == TLSRPT_AGGREGATE_ADDED)
            res.rows_bytes += strlen(s.rows);
        if (threads == 1)
            free_slot(&s);
        if (threads > 1) {
            if ((i + 1) % CHUNK == 0 || i + 1 == n) { /* wake the workers once per chunk */
                pthread_mutex_lock(&r.mu);
                r.consumed = i + 1;
                pthread_cond_broadcast(&r.space_cv);
                pthread_mutex_unlock(&r.mu);
            }
        }
    }
    if (threads > 1) {
        for (int t = 0; t < threads; t++)
            pthread_join(tid[t], NULL);
        for (size_t i = 0; i < n; i++) /* what the workers had not freed when they ran out of work */
            free_slot(&r.slots[i]);
    }
    res.wall = now() - t0;
    res.main_cpu = thread_cpu() - main0 - inline_parse;
    res.parse_cpu = inline_parse;
    for (int t = 0; t < threads && threads > 1; t++)
        res.parse_cpu += r.cpu[t];
    res.added = tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_ADDED);
    res.duplicates = tlsrpt_aggregate_count(a, TLSRPT_AGGREGATE_DUPLICATE);
    tlsrpt_aggregate_free(a);
    free(r.slots);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.done_cv);
    pthread_cond_destroy(&r.space_cv);
    return res;
}

static struct message *make_corpus(size_t n, size_t *total, size_t *bytes)
{
    size_t count = n + n / 20;
    struct message *msgs = calloc(count, sizeof *msgs);
    if (!msgs)
        exit(1);
    size_t k = 0;
    *bytes = 0;
    for (size_t i = 0; i < n; i++) {
        msgs[k] = make_message(i);
        *bytes += msgs[k++].len;
        if (i % 20 == 19) { /* delivered twice: a copy of the message */
            msgs[k].len = msgs[k - 1].len;
            msgs[k].data = malloc(msgs[k].len);
            if (!msgs[k].data)
                exit(1);
            memcpy(msgs[k].data, msgs[k - 1].data, msgs[k].len);
            *bytes += msgs[k++].len;
        }
    }
    *total = k;
    return msgs;
}

static int write_maildir(const char *dir, const struct message *msgs, size_t n)
{
    char path[4096];
    const char *subs[] = {"", "/cur", "/new", "/tmp"};
    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s%s", dir, subs[i]);
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            perror(path);
            return 1;
        }
    }
    for (size_t i = 0; i < n; i++) {
        snprintf(path, sizeof path, "%s/cur/%010zu.bench:2,S", dir, i);
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(msgs[i].data, 1, msgs[i].len, f) != msgs[i].len || fclose(f) != 0) {
            perror(path);
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "--maildir") == 0) {
        size_t n = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000, total, bytes;
        struct message *msgs = make_corpus(n, &total, &bytes);
        int rc = write_maildir(argv[2], msgs, total);
        printf("%zu messages (%zu distinct reports), %.1f MB, in %s\n", total, n, bytes / 1e6, argv[2]);
        for (size_t i = 0; i < total; i++)
            tlsrpt_free(msgs[i].data);
        free(msgs);
        return rc;
    }
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000, total, bytes;
    int thread_counts[MAX_THREADS], nt = 0;
    for (int i = 2; i < argc && nt < MAX_THREADS; i++) {
        int t = atoi(argv[i]);
        if (t >= 1 && t <= MAX_THREADS)
            thread_counts[nt++] = t;
    }
    if (nt == 0) {
        thread_counts[nt++] = 1;
        thread_counts[nt++] = 2;
    }
    struct message *msgs = make_corpus(n, &total, &bytes);
    printf("corpus: %zu messages (%zu distinct reports, %zu re-deliveries), %.1f MB of e-mail\n", total, n, total - n,
           bytes / 1e6);
    printf("%-8s %10s %12s %14s %14s %12s\n", "threads", "wall s", "msgs/s", "parse CPU s", "per-core msg/s",
           "main CPU s");
    double base = 0;
    for (int k = 0; k < nt; k++) {
        struct result best = {0};
        for (int run = 0; run < RUNS; run++) {
            struct result r = ingest(msgs, total, thread_counts[k]);
            if (r.added != n || r.duplicates != total - n) {
                fprintf(stderr, "bulk_ingest: %zu added, %zu duplicates; expected %zu and %zu\n", r.added,
                        r.duplicates, n, total - n);
                return 1;
            }
            if (run == 0 || r.wall < best.wall)
                best = r;
        }
        double rate = (double)total / best.wall;
        if (k == 0)
            base = rate / thread_counts[0];
        printf("%-8d %10.3f %12.0f %14.3f %14.0f %12.3f   speed-up %.2f x one thread\n", thread_counts[k], best.wall,
               rate, best.parse_cpu, (double)total / best.parse_cpu, best.main_cpu, rate / base);
    }
    for (size_t i = 0; i < total; i++)
        tlsrpt_free(msgs[i].data);
    free(msgs);
    return 0;
}
