/* hotloop [THREADS]: THREADS worker threads (default 2) call step(i) in a tight loop, in rounds
 * of K calls (work_round), and check every round's sum of step results against its closed
 * form; every 16th call also goes through mix(i), checked against i ^ 0x5a5a.
 *
 * Prints "ready pid=PID" once running. Runs until its standard input reaches end-of-file (or
 * SIGINT/SIGTERM), then prints "rounds=N ok" (or "MISMATCH rounds=N bad=M") and the text check.
 * On SIGUSR1 it prints "text intact" if the first 16 bytes of step, mix, work_round and idle_fn
 * equal the copy it took at startup, else "text modified" (with the function names that
 * differ). All output comes from the main thread and is flushed per line. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "probed.h"

#define K 1000u
#define MAX_THREADS 32

volatile unsigned sink;
static volatile sig_atomic_t stop, check_text;
static volatile int quit;   /* for the workers */

PROBED unsigned step(unsigned i)
{
    sink = i;
    return 3 * i + 1;
}

PROBED unsigned mix(unsigned i)
{
    sink = i;
    return i ^ 0x5a5a;
}

PROBED void idle_fn(void)
{
    sink = 0;
}

/* One round: 0 if all results were right, else 1. */
PROBED int work_round(void)
{
    unsigned sum = 0;
    int bad = 0;
    for (unsigned i = 0; i < K; i++) {
        sum += step(i);
        if ((i & 15) == 0 && mix(i) != (i ^ 0x5a5a))
            bad = 1;
    }
    if (sum != 3 * K * (K - 1) / 2 + K)
        bad = 1;
    return bad;
}

struct counts { unsigned long rounds, bad; } __attribute__((aligned(64)));
static struct counts counts[MAX_THREADS];

static void *worker(void *arg)
{
    struct counts *c = arg;
    while (!quit) {
        c->bad += work_round();
        c->rounds++;
    }
    return NULL;
}

static struct { const char *name; const void *fn; unsigned char bytes[16]; } text[] = {
    {"step", (const void *)step, {0}},
    {"mix", (const void *)mix, {0}},
    {"work_round", (const void *)work_round, {0}},
    {"idle_fn", (const void *)idle_fn, {0}},
};
#define NTEXT (sizeof text / sizeof text[0])

static void report_text(void)
{
    char bad[256] = "";
    for (unsigned i = 0; i < NTEXT; i++)
        if (memcmp(text[i].fn, text[i].bytes, 16) != 0) {
            strcat(bad, " ");
            strcat(bad, text[i].name);
        }
    if (bad[0])
        printf("text modified:%s\n", bad);
    else
        printf("text intact\n");
    fflush(stdout);
}

static void on_stop(int sig) { (void)sig; stop = 1; }
static void on_usr1(int sig) { (void)sig; check_text = 1; }

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 2;
    if (nthreads < 1 || nthreads > MAX_THREADS) {
        fprintf(stderr, "usage: hotloop [THREADS<=%d]\n", MAX_THREADS);
        return 2;
    }
    for (unsigned i = 0; i < NTEXT; i++)
        memcpy(text[i].bytes, text[i].fn, 16);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);

    pthread_t th[MAX_THREADS];
    for (int i = 0; i < nthreads; i++)
        pthread_create(&th[i], NULL, worker, &counts[i]);
    idle_fn();
    printf("ready pid=%d\n", (int)getpid());
    fflush(stdout);

    int eof = 0;
    while (!stop && !eof) {
        struct pollfd p = {.fd = 0, .events = POLLIN};
        int r = poll(&p, 1, 100);
        if (r < 0 && errno != EINTR)
            break;
        if (r > 0) {
            char buf[256];
            ssize_t n = read(0, buf, sizeof buf);
            if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
                eof = 1;
        }
        if (check_text) {
            check_text = 0;
            report_text();
        }
    }
    quit = 1;
    unsigned long rounds = 0, bad = 0;
    for (int i = 0; i < nthreads; i++) {
        pthread_join(th[i], NULL);
        rounds += counts[i].rounds;
        bad += counts[i].bad;
    }
    if (bad)
        printf("MISMATCH rounds=%lu bad=%lu\n", rounds, bad);
    else
        printf("rounds=%lu ok\n", rounds);
    report_text();
    return bad ? 1 : 0;
}
