/* tlsrpt report — the parallel pipeline: --jobs worker threads read and parse the items (and write their flat rows),
 * the main thread takes the results strictly in item order, so the output does not depend on the number of threads.
 * At most WINDOW_PER_JOB items per thread are parsed ahead of the main thread, which bounds the memory; workers
 * take CHUNK items at a time and the main thread wakes them once per CHUNK, so that hand-offs stay rare. A worker
 * frees the results it made once the main thread has consumed them: each thread frees into its own malloc arena (a
 * free from the main thread into a worker's arena takes that arena's lock against the worker's mallocs, which cost
 * the 2-thread run a fifth of its speed; bench/README.md). A progress
 * line goes to standard error when it is a terminal and the run takes longer than a second.
 * SPDX-License-Identifier: MIT */
#include "cmd_report.h"

#include "cli.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define WINDOW_PER_JOB 256 /* items parsed ahead of the output, per thread */
#define CHUNK 16           /* items a worker takes at once: hand-offs are rare, each may wait a scheduler tick */
#define PROGRESS_DELAY 1.0    /* seconds before the first progress line */
#define PROGRESS_INTERVAL 0.25 /* seconds between two */

struct item_result {
    struct bulk_result *subs;
    size_t n_subs;
    int lib_rc; /* TLSRPT_OK, or the library's ENOMEM/EINVAL: the run stops */
    int done;
};

struct pipeline {
    const struct report_items *items;
    const struct bulk_options *opt;
    struct item_result *results;
    pthread_mutex_t mu;
    pthread_cond_t done_cv, space_cv;
    size_t next, consumed, window;
    int stop;
    size_t *rings;   /* per worker, the first items of the chunks it made and has not freed yet */
    size_t ring_cap; /* entries per worker: window / CHUNK + 2 (a worker holds at most window / CHUNK + 1) */
};

struct worker_arg {
    struct pipeline *p;
    unsigned index;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct bulk_result *add_sub(struct item_result *out)
{
    struct bulk_result *grown = realloc(out->subs, (out->n_subs + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    out->subs = grown;
    struct bulk_result *b = &out->subs[out->n_subs++];
    memset(b, 0, sizeof *b);
    return b;
}

/* Parses one message or report into b, and writes its rows when asked. */
static int parse_one(struct bulk_result *b, const unsigned char *data, size_t len, const struct bulk_options *opt)
{
    int rc = report_parse_data(&b->res, data, len, opt->flags);
    if (rc == TLSRPT_OK && opt->rows_format && b->res.status == EXIT_OK)
        rc = tlsrpt_report_rows(b->res.report, opt->rows_format, opt->domain, &b->rows, &b->rows_len);
    return rc;
}

/* A mailbox found by a worker (in a directory walk): every message, "NAME#N" (NAME when there is one). */
static int parse_mailbox(struct item_result *out, const char *name, const unsigned char *data, size_t len,
                         const struct bulk_options *opt)
{
    size_t total = report_mbox_count(data, len), pos = 0, off, mlen, k = 0;
    while (tlsrpt_mbox_next(data, len, &pos, &off, &mlen) == 1) {
        struct bulk_result *b = add_sub(out);
        if (!b)
            return TLSRPT_ENOMEM;
        k++;
        size_t size = strlen(name) + 24;
        if (!(b->name = malloc(size)))
            return TLSRPT_ENOMEM;
        if (total == 1)
            snprintf(b->name, size, "%s", name);
        else
            snprintf(b->name, size, "%s#%zu", name, k);
        b->res.file = b->name;
        int rc = parse_one(b, data + off, mlen, opt);
        if (rc != TLSRPT_OK)
            return rc;
    }
    return TLSRPT_OK;
}

/* A result for an item that could not be read. */
static void unreadable(struct item_result *out, const struct report_item *it, int err)
{
    struct bulk_result *b = add_sub(out);
    if (!b) {
        out->lib_rc = TLSRPT_ENOMEM;
        return;
    }
    b->res.file = it->name;
    b->res.read_errno = err;
    b->res.status = EXIT_USAGE;
}

static void process_item(const struct report_item *it, const struct bulk_options *opt, struct item_result *out)
{
    out->lib_rc = TLSRPT_OK;
    if (it->read_errno) {
        unreadable(out, it, it->read_errno);
        return;
    }
    if (!it->path) {
        struct bulk_result *b = add_sub(out);
        if (!b) {
            out->lib_rc = TLSRPT_ENOMEM;
            return;
        }
        b->res.file = it->name;
        out->lib_rc = parse_one(b, it->data, it->len, opt);
        return;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    if (report_read_file(it->path, &data, &len) != 0) {
        unreadable(out, it, errno);
        return;
    }
    if (tlsrpt_content_type(data, len) == TLSRPT_CONTENT_MBOX && strcmp(it->path, "-") != 0) {
        /* A mailbox inside a walked directory: map it whole (it may be larger than one item may be). */
        struct mapped_file m;
        free(data);
        if (report_map_file(it->path, &m) != 0) {
            unreadable(out, it, errno);
            return;
        }
        out->lib_rc = parse_mailbox(out, it->name, m.data, m.len, opt);
        report_unmap(&m);
        return;
    }
    struct bulk_result *b = add_sub(out);
    if (!b) {
        free(data);
        out->lib_rc = TLSRPT_ENOMEM;
        return;
    }
    b->res.file = it->name;
    out->lib_rc = parse_one(b, data, len, opt);
    free(data);
}

static void free_item_result(struct item_result *r)
{
    for (size_t i = 0; i < r->n_subs; i++) {
        tlsrpt_report_free(r->subs[i].res.report);
        tlsrpt_diag_free(r->subs[i].res.diag);
        tlsrpt_free(r->subs[i].rows);
        free(r->subs[i].name);
    }
    free(r->subs);
    memset(r, 0, sizeof *r);
}

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    struct pipeline *p = wa->p;
    size_t *ring = p->rings + (size_t)wa->index * p->ring_cap, head = 0, count = 0;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->stop && p->next < p->items->n && p->next >= p->consumed + p->window)
            pthread_cond_wait(&p->space_cv, &p->mu);
        size_t consumed = p->consumed;
        if (p->stop || p->next >= p->items->n) {
            pthread_mutex_unlock(&p->mu);
            return NULL; /* the main thread frees what is left after the join */
        }
        size_t first = p->next, end = first + CHUNK < p->items->n ? first + CHUNK : p->items->n;
        p->next = end;
        pthread_mutex_unlock(&p->mu);

        /* The main thread is done with every item below `consumed` and no longer touches it. */
        while (count > 0 && ring[head] + CHUNK <= consumed) {
            for (size_t i = ring[head]; i < ring[head] + CHUNK; i++)
                free_item_result(&p->results[i]);
            head = (head + 1) % p->ring_cap;
            count--;
        }
        if (count < p->ring_cap) /* always (see ring_cap); a chunk not recorded is freed after the join */
            ring[(head + count++) % p->ring_cap] = first;

        struct item_result r[CHUNK];
        memset(r, 0, sizeof r);
        for (size_t i = first; i < end; i++)
            process_item(&p->items->items[i], p->opt, &r[i - first]);

        pthread_mutex_lock(&p->mu);
        for (size_t i = first; i < end; i++) {
            p->results[i] = r[i - first];
            p->results[i].done = 1;
        }
        pthread_cond_broadcast(&p->done_cv);
        pthread_mutex_unlock(&p->mu);
    }
}

struct progress {
    int on;
    double start, last;
    int shown;
};

static void show_progress(struct progress *pr, size_t done, size_t total, size_t failed, int final)
{
    if (!pr->on)
        return;
    double t = now_seconds();
    if (final) {
        if (pr->shown)
            fputs("\r\033[K", stderr);
        return;
    }
    if (t - pr->start < PROGRESS_DELAY || t - pr->last < PROGRESS_INTERVAL)
        return;
    pr->last = t;
    pr->shown = 1;
    fprintf(stderr, "\r%s report: %zu of %zu items, %.0f/s, %zu failed\033[K", PROGRAM, done, total,
            (double)done / (t - pr->start), failed);
}

int report_bulk_run(const struct report_items *items, const struct bulk_options *opt, bulk_consume_fn consume,
                    void *ctx)
{
    struct pipeline p;
    memset(&p, 0, sizeof p);
    p.items = items;
    p.opt = opt;
    unsigned jobs = opt->jobs ? opt->jobs : 1;
    if (jobs > items->n)
        jobs = items->n ? (unsigned)items->n : 1;
    p.window = (size_t)jobs * WINDOW_PER_JOB;
    struct progress pr = {.on = opt->progress && isatty(STDERR_FILENO), .start = now_seconds()};
    int status = EXIT_OK;
    size_t failed = 0;

    pthread_t *threads = NULL;
    struct worker_arg *args = NULL;
    unsigned started = 0;
    if (jobs > 1) {
        p.ring_cap = p.window / CHUNK + 2;
        p.results = calloc(items->n, sizeof *p.results);
        threads = calloc(jobs, sizeof *threads);
        args = calloc(jobs, sizeof *args);
        p.rings = calloc((size_t)jobs * p.ring_cap, sizeof *p.rings);
        if (!p.results || !threads || !args || !p.rings) {
            free(p.results);
            free(threads);
            free(args);
            free(p.rings);
            return fail_library("report", "starting the threads", TLSRPT_ENOMEM);
        }
        pthread_mutex_init(&p.mu, NULL);
        pthread_cond_init(&p.done_cv, NULL);
        pthread_cond_init(&p.space_cv, NULL);
        for (; started < jobs; started++) {
            args[started] = (struct worker_arg){&p, started};
            if (pthread_create(&threads[started], NULL, worker, &args[started]) != 0)
                break;
        }
        if (started == 0)
            jobs = 1; /* no thread could start: the main thread does the work */
    }

    for (size_t i = 0; i < items->n; i++) {
        struct item_result r;
        if (jobs > 1) {
            pthread_mutex_lock(&p.mu);
            while (!p.results[i].done)
                pthread_cond_wait(&p.done_cv, &p.mu);
            r = p.results[i]; /* stays there: its worker frees it (consume() may take parts, see free_item_result) */
            pthread_mutex_unlock(&p.mu);
        } else {
            memset(&r, 0, sizeof r);
            process_item(&items->items[i], opt, &r);
        }
        int stop = 0;
        if (r.lib_rc != TLSRPT_OK) {
            status = fail_library("report", "parsing", r.lib_rc);
            stop = 1;
        }
        for (size_t k = 0; k < r.n_subs && !stop; k++) {
            if (r.subs[k].res.status != EXIT_OK)
                failed++;
            int rc = consume(ctx, &r.subs[k]);
            if (rc >= 0) {
                status = rc;
                stop = 1;
            }
            if (r.subs[k].res.status > status)
                status = r.subs[k].res.status;
        }
        if (jobs == 1)
            free_item_result(&r);
        show_progress(&pr, i + 1, items->n, failed, 0);
        if (jobs > 1 && (stop || (i + 1) % CHUNK == 0 || i + 1 == items->n)) {
            pthread_mutex_lock(&p.mu);
            p.consumed = i + 1;
            if (stop)
                p.stop = 1;
            pthread_cond_broadcast(&p.space_cv);
            pthread_mutex_unlock(&p.mu);
        }
        if (stop)
            break;
    }
    show_progress(&pr, 0, 0, 0, 1);

    if (threads) {
        for (unsigned t = 0; t < started; t++)
            pthread_join(threads[t], NULL);
        for (size_t i = 0; i < items->n; i++)
            free_item_result(&p.results[i]);
        pthread_mutex_destroy(&p.mu);
        pthread_cond_destroy(&p.done_cv);
        pthread_cond_destroy(&p.space_cv);
        free(p.results);
        free(threads);
        free(args);
        free(p.rings);
    }
    return status;
}
