/* event-collector: the datagram path of a multi-process MTA (doc/mta-integration.md). Short-lived delivery
 * processes send the outcome of each attempt as one outcome event, a datagram on a unix socket; one collector
 * process applies them to the day's report. A delivery process that crashes loses nothing it sent.
 * SPDX-License-Identifier: MIT
 *
 * usage: event-collector   (binds a socket in a fresh /tmp directory, forks 3 delivery processes, prints the report) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <tlsrpt/tlsrpt.h>
#include <unistd.h>

#define DAY 1719792000 /* 2024-07-01T00:00:00Z: the day being reported */
#define WORKERS 3
#define ATTEMPTS 4 /* per worker, plus one that finishes after midnight */

static const char *const sts[] = {"version: STSv1", "mode: enforce", "mx: mx.example.com", "max_age: 86400"};
static const char *const mx[] = {"mx.example.com"};

/* A delivery process: one datagram per attempt. It keeps no report of its own. */
static void deliver(int worker, const struct sockaddr_un *collector)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    tlsrpt_failure *expired = NULL; /* describe the failure once, as for tlsrpt_policy_add_failures() */
    tlsrpt_failure_new(&expired, "certificate-expired");
    tlsrpt_failure_set_sending_mta_ip(expired, "192.0.2.25");
    tlsrpt_failure_set_receiving_mx_hostname(expired, "mx.example.com");
    for (int i = 0; i <= ATTEMPTS; i++) {
        unsigned char event[TLSRPT_EVENT_MAX_SIZE]; /* always enough: one datagram */
        size_t len = 0;
        int64_t when = i < ATTEMPTS ? DAY + 3600 * (worker * ATTEMPTS + i) : DAY + 86400 + worker;
        const tlsrpt_failure *outcome = i == ATTEMPTS - 1 ? expired : NULL; /* NULL: a successful session */
        if (tlsrpt_event_encode(event, sizeof event, &len, when, TLSRPT_POLICY_STS, "example.com", sts, 4, mx, 1,
                                outcome, 1) == TLSRPT_OK)
            sendto(fd, event, len, 0, (const struct sockaddr *)collector, sizeof *collector);
    }
    tlsrpt_failure_free(expired);
    close(fd);
}

int main(void)
{
    char dir[] = "/tmp/event-collector.XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s/events.sock", dir);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct timeval patience = {.tv_sec = 10}; /* a lost worker must not hang the example */
    if (fd < 0 || bind(fd, (const struct sockaddr *)&addr, sizeof addr) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &patience, sizeof patience) != 0)
        return 2;
    for (int w = 0; w < WORKERS; w++)
        if (fork() == 0) {
            deliver(w, &addr);
            _exit(0);
        }

    /* The collector: one report per day. Each datagram is one event; a bad one changes nothing. */
    tlsrpt_report *day = NULL;
    tlsrpt_report_new(&day, "Example Mail", "tlsrpt@mail.example", "19905.mail.example", DAY, DAY + 86399);
    tlsrpt_diag *diag = NULL;
    tlsrpt_diag_new(&diag);
    int applied = 0, tomorrow = 0;
    for (int received = 0; received < WORKERS * (ATTEMPTS + 1); received++) {
        unsigned char event[TLSRPT_EVENT_MAX_SIZE];
        ssize_t n = recv(fd, event, sizeof event, 0);
        if (n < 0)
            break;
        int rc = tlsrpt_report_apply_event(day, event, (size_t)n, diag);
        if (rc == TLSRPT_OK)
            applied++;
        else if (rc == TLSRPT_ESEMANTIC) /* another day's: tlsrpt_event_peek() gives its time to route it */
            tomorrow++;
        else
            fprintf(stderr, "dropped: %s\n", tlsrpt_diag_message(diag, tlsrpt_diag_count(diag) - 1));
    }
    while (wait(NULL) > 0)
        ;
    close(fd);
    unlink(addr.sun_path);
    rmdir(dir);

    /* After midnight: the day's report, as write-report writes it. */
    char *json = NULL;
    size_t len = 0;
    tlsrpt_report_serialize(day, TLSRPT_JSON_PRETTY, &json, &len);
    printf("%d events applied, %d for the next day\n", applied, tomorrow);
    fwrite(json, 1, len, stdout);
    tlsrpt_free(json);
    tlsrpt_diag_free(diag);
    tlsrpt_report_free(day);
    return 0;
}
