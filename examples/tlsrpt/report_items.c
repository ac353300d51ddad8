/* tlsrpt report — the inputs of a run as a list of items: files, directories (walked recursively, in name order),
 * Maildir folders (cur/ and new/, and Maildir++ sub-folders), mbox files (mapped and split into their messages with
 * tlsrpt_mbox_next) and standard input (one report, or an mbox stream).
 * SPDX-License-Identifier: MIT */
#define _DEFAULT_SOURCE /* struct dirent's d_type (glibc, musl, the BSDs): no stat() per entry of a large Maildir */
#include "cmd_report.h"

#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Directory levels walked at most below an argument (symbolic links to directories are not followed inside a walk,
 * so this only bounds honest but deep trees). */
#define MAX_WALK_DEPTH 32
/* Standard input is read whole: a mailbox of at most this much (a larger one is an error: pass it as a file, it is
 * mapped, not read); a report is cut at report_item_limit() as a report file is read. */
#define MAX_STDIN_SIZE ((size_t)1 << 30)

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

static struct report_item *new_item(struct report_items *list, const char *name)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 64;
        struct report_item *grown = realloc(list->items, cap * sizeof *grown);
        if (!grown)
            return NULL;
        list->items = grown;
        list->cap = cap;
    }
    struct report_item *it = &list->items[list->n];
    memset(it, 0, sizeof *it);
    if (!(it->name = dup_string(name)))
        return NULL;
    list->n++;
    return it;
}

static int add_block(struct report_items *list, struct mapped_file m)
{
    if (list->n_blocks == list->cap_blocks) {
        size_t cap = list->cap_blocks ? list->cap_blocks * 2 : 8;
        struct mapped_file *grown = realloc(list->blocks, cap * sizeof *grown);
        if (!grown)
            return -1;
        list->blocks = grown;
        list->cap_blocks = cap;
    }
    list->blocks[list->n_blocks++] = m;
    return 0;
}

int report_map_file(const char *path, struct mapped_file *m)
{
    memset(m, 0, sizeof *m);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        return -1;
    }
    if (st.st_size > 0) {
        void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (p == MAP_FAILED) {
            int e = errno;
            close(fd);
            errno = e;
            return -1;
        }
        m->data = p;
        m->len = (size_t)st.st_size;
        m->is_mapped = 1;
    }
    close(fd);
    return 0;
}

void report_unmap(struct mapped_file *m)
{
    if (m->is_mapped)
        munmap(m->data, m->len);
    else
        free(m->data);
    memset(m, 0, sizeof *m);
}

size_t report_mbox_count(const unsigned char *data, size_t len)
{
    size_t pos = 0, off, mlen, n = 0;
    while (tlsrpt_mbox_next(data, len, &pos, &off, &mlen) == 1)
        n++;
    return n;
}

/* The messages of a mailbox in memory as items "NAME#1", "NAME#2", ... (just NAME when there is one). */
static int add_mailbox(struct report_items *list, const char *name, const unsigned char *data, size_t len)
{
    size_t total = report_mbox_count(data, len), pos = 0, off, mlen, k = 0;
    size_t size = strlen(name) + 24;
    char *label = malloc(size);
    if (!label)
        return -1;
    while (tlsrpt_mbox_next(data, len, &pos, &off, &mlen) == 1) {
        k++;
        if (total == 1)
            snprintf(label, size, "%s", name);
        else
            snprintf(label, size, "%s#%zu", name, k);
        struct report_item *it = new_item(list, label);
        if (!it) {
            free(label);
            return -1;
        }
        it->data = data + off;
        it->len = mlen;
    }
    free(label);
    return 0;
}

/* An item for an input that could not be read or listed. */
static int add_failed(struct report_items *list, const char *name, int err)
{
    struct report_item *it = new_item(list, name);
    if (!it)
        return -1;
    it->read_errno = err;
    return 0;
}

static int add_stdin(struct report_items *list)
{
    unsigned char *buf = NULL, *rest = NULL;
    size_t len = 0, more = 0;
    /* As much as one report may be; only a mailbox is read on, to its end. */
    if (report_read_stream(stdin, report_item_limit(), &buf, &len) != 0)
        return add_failed(list, "-", errno);
    if (len == report_item_limit() && tlsrpt_content_type(buf, len) == TLSRPT_CONTENT_MBOX) {
        if (report_read_stream(stdin, MAX_STDIN_SIZE + 1 - len, &rest, &more) != 0) {
            free(buf);
            return add_failed(list, "-", errno);
        }
        unsigned char *all = realloc(buf, len + more + 1);
        if (!all) {
            free(buf);
            free(rest);
            return -1;
        }
        if (more)
            memcpy(all + len, rest, more);
        free(rest);
        buf = all;
        len += more;
    }
    if (add_block(list, (struct mapped_file){.data = buf, .len = len}) != 0) {
        free(buf);
        return -1;
    }
    if (tlsrpt_content_type(buf, len) == TLSRPT_CONTENT_MBOX) {
        if (len > MAX_STDIN_SIZE)
            return add_failed(list, "-", EFBIG); /* pass a larger mailbox as a file */
        return add_mailbox(list, "-", buf, len);
    }
    struct report_item *it = new_item(list, "-");
    if (!it)
        return -1;
    it->data = buf;
    it->len = len;
    return 0;
}

static char *join_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t at = a;
    if (a == 0 || dir[a - 1] != '/')
        p[at++] = '/';
    memcpy(p + at, name, b + 1);
    return p;
}

/* A directory entry: its name, and what readdir() said it is — ENTRY_OTHER when the file system did not say
 * (DT_UNKNOWN) or it is anything else, a symbolic link included (resolve_entry() then asks lstat/stat). */
enum entry_type { ENTRY_OTHER, ENTRY_FILE, ENTRY_DIR };
struct dir_entry {
    char *name;
    enum entry_type type;
};

static int compare_entries(const void *x, const void *y)
{
    return strcmp(((const struct dir_entry *)x)->name, ((const struct dir_entry *)y)->name);
}

static enum entry_type entry_type_of(const struct dirent *e)
{
#ifdef _DIRENT_HAVE_D_TYPE
    if (e->d_type == DT_REG)
        return ENTRY_FILE;
    if (e->d_type == DT_DIR)
        return ENTRY_DIR;
#else
    (void)e;
#endif
    return ENTRY_OTHER;
}

static void free_entries(struct dir_entry *entries, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(entries[i].name);
    free(entries);
}

/* The entries of a directory but "." and "..", sorted by name; NULL with errno on failure. */
static struct dir_entry *list_directory(const char *path, size_t *count)
{
    DIR *d = opendir(path);
    if (!d)
        return NULL;
    struct dir_entry *entries = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            struct dir_entry *grown = realloc(entries, cap * sizeof *grown);
            if (!grown)
                goto fail;
            entries = grown;
        }
        if (!(entries[n].name = dup_string(e->d_name)))
            goto fail;
        entries[n].type = entry_type_of(e);
        n++;
    }
    if (errno != 0)
        goto fail;
    closedir(d);
    if (n > 0)
        qsort(entries, n, sizeof *entries, compare_entries);
    *count = n;
    if (!entries)
        entries = malloc(sizeof *entries); /* an empty list, not a failure */
    return entries;
fail:;
    int err = errno ? errno : ENOMEM;
    free_entries(entries, n);
    closedir(d);
    errno = err;
    return NULL;
}

/* What entry e of a walked directory is, at path: ENTRY_DIR a directory (not a symbolic link to one: those are not
 * followed), ENTRY_FILE a regular file or a symbolic link to one, ENTRY_OTHER anything else. readdir() said it
 * without a system call for most entries; lstat(), and stat() for a link, only where it did not. */
static enum entry_type resolve_entry(const struct dir_entry *e, const char *path)
{
    if (e->type != ENTRY_OTHER)
        return e->type;
    struct stat st;
    if (lstat(path, &st) != 0)
        return ENTRY_OTHER;
    if (S_ISDIR(st.st_mode))
        return ENTRY_DIR;
    if (S_ISLNK(st.st_mode) && stat(path, &st) != 0)
        return ENTRY_OTHER;
    return S_ISREG(st.st_mode) ? ENTRY_FILE : ENTRY_OTHER;
}

/* 1 if path is a directory or a symbolic link to one. */
static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* 1 if path is a Maildir: it has the sub-directories cur and new. */
static int is_maildir(const char *path)
{
    char *cur = join_path(path, "cur"), *new_dir = join_path(path, "new");
    int yes = cur && new_dir && is_directory(cur) && is_directory(new_dir);
    free(cur);
    free(new_dir);
    return yes;
}

static int walk(struct report_items *list, const char *path, int depth);

/* A regular file as an item for a worker to read. Returns 0 or -1 (out of memory). */
static int add_file(struct report_items *list, const char *path)
{
    struct report_item *it = new_item(list, path);
    return it && (it->path = dup_string(path)) ? 0 : -1;
}

/* Every regular file of dir (not walked further: a Maildir's cur/ and new/ hold messages only). */
static int add_files_of(struct report_items *list, const char *dir)
{
    size_t n = 0;
    struct dir_entry *entries = list_directory(dir, &n);
    if (!entries)
        return errno == ENOENT ? 0 : add_failed(list, dir, errno);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct dir_entry *e = &entries[i];
        if (e->name[0] == '.' || e->type == ENTRY_DIR)
            continue;
        char *p = join_path(dir, e->name);
        if (!p)
            rc = -1;
        else if (resolve_entry(e, p) == ENTRY_FILE)
            rc = add_file(list, p);
        free(p);
    }
    free_entries(entries, n);
    return rc;
}

/* A Maildir: cur/ then new/ (tmp/ holds deliveries in progress), then its Maildir++ folders (".Name"). */
static int walk_maildir(struct report_items *list, const char *path, int depth)
{
    char *cur = join_path(path, "cur"), *new_dir = join_path(path, "new");
    int rc = cur && new_dir ? 0 : -1;
    if (rc == 0)
        rc = add_files_of(list, cur);
    if (rc == 0)
        rc = add_files_of(list, new_dir);
    free(cur);
    free(new_dir);
    size_t n = 0;
    struct dir_entry *entries = rc == 0 ? list_directory(path, &n) : NULL;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct dir_entry *e = &entries[i];
        if (e->name[0] != '.' || e->type == ENTRY_FILE)
            continue;
        char *p = join_path(path, e->name);
        if (!p)
            rc = -1;
        else if (resolve_entry(e, p) == ENTRY_DIR && is_maildir(p))
            rc = walk(list, p, depth + 1);
        free(p);
    }
    free_entries(entries, n);
    return rc;
}

/* A directory: a Maildir, or a tree whose regular files are items (names starting with '.' skipped, symbolic links
 * to directories not followed). */
static int walk(struct report_items *list, const char *path, int depth)
{
    if (depth > MAX_WALK_DEPTH)
        return add_failed(list, path, ELOOP);
    if (is_maildir(path))
        return walk_maildir(list, path, depth);
    size_t n = 0;
    struct dir_entry *entries = list_directory(path, &n);
    if (!entries)
        return add_failed(list, path, errno);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct dir_entry *e = &entries[i];
        if (e->name[0] == '.')
            continue;
        char *p = join_path(path, e->name);
        if (!p) {
            rc = -1;
            break;
        }
        enum entry_type type = resolve_entry(e, p);
        if (type == ENTRY_DIR)
            rc = walk(list, p, depth + 1);
        else if (type == ENTRY_FILE)
            rc = add_file(list, p);
        free(p);
    }
    free_entries(entries, n);
    return rc;
}

/* 1 if the file starts with "From " (a mailbox); 0 otherwise or when it cannot be read (the worker then says
 * why). */
static int starts_as_mailbox(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    char head[5];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    return n == 5 && memcmp(head, "From ", 5) == 0;
}

int report_items_add(struct report_items *list, const char *arg)
{
    if (strcmp(arg, "-") == 0)
        return add_stdin(list);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode))
        return walk(list, arg, 0);
    if (stat(arg, &st) == 0 && S_ISREG(st.st_mode) && starts_as_mailbox(arg)) {
        struct mapped_file m;
        if (report_map_file(arg, &m) == 0) {
            if (add_block(list, m) != 0) {
                report_unmap(&m);
                return -1;
            }
            return add_mailbox(list, arg, m.data, m.len);
        }
    }
    /* A report file, an e-mail, or something that cannot be read: the worker reads it (and says why not). */
    return add_file(list, arg);
}

void report_items_free(struct report_items *list)
{
    for (size_t i = 0; i < list->n; i++) {
        free(list->items[i].name);
        free(list->items[i].path);
    }
    free(list->items);
    for (size_t i = 0; i < list->n_blocks; i++)
        report_unmap(&list->blocks[i]);
    free(list->blocks);
    memset(list, 0, sizeof *list);
}
