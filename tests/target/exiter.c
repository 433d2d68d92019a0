/* exiter SECONDS STATUS [abort]: prints "ready pid=PID", calls tick() about every millisecond for
 * SECONDS (a decimal number), prints "ticks=N" and exits with STATUS, or with abort() (SIGABRT)
 * when the third argument is "abort". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "probed.h"

volatile long sink;

PROBED long tick(long n)
{
    sink = n;
    return n + 1;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? atof(argv[1]) : 1.0;
    int status = argc > 2 ? atoi(argv[2]) : 0;
    int by_abort = argc > 3 && strcmp(argv[3], "abort") == 0;
    printf("ready pid=%d\n", (int)getpid());
    fflush(stdout);
    long n = 0;
    double end = now() + secs;
    while (now() < end) {
        n = tick(n);
        usleep(1000);
    }
    printf("ticks=%ld\n", n);
    fflush(stdout);
    if (by_abort)
        abort();
    return status;
}
