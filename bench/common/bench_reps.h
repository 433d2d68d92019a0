/* bench_reps.h: the timed repetitions of the benchmark targets (bench/attach/bench_target.c,
 * bench/backtrace/bt_target.c), and their answer line, which the drivers' measure()
 * (bench/common/driver.sh) reads.
 *
 * bench_timed_reps(NAME, REPS, CALLS, RUN, K, WANT, TOTAL) times REPS calls of RUN(K, CALLS),
 * each by the thread's CPU clock (CLOCK_THREAD_CPUTIME_ID: time the thread spends preempted by
 * other work on a shared machine does not count; kernel time spent on the thread's behalf, e.g.
 * in a uprobe, does) and by the wall clock (CLOCK_MONOTONIC), adds REPS * CALLS to *TOTAL,
 * checks each RUN's result against WANT and prints one line (stdout must be line-buffered):
 *
 *   r NAME med=NS min=NS max=NS calls=TOTAL sum=ok|BAD reps=NS,NS,... wmed=NS wreps=NS,NS,...
 *
 * ns per call; med/min/max and reps by the CPU clock, wmed and wreps by the wall clock.
 * It is a real (noinline) function: bench/backtrace counts it as one frame of the stack. */
#ifndef BENCH_REPS_H
#define BENCH_REPS_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_MAX_REPS 1000

/* What a timed loop of n calls must return: the sum the probed functions compute,
   (3i + 1) ^ 0x5a over i < n, computed here without calls. */
static unsigned expected_sum(uint64_t n)
{
    unsigned acc = 0;
    for (uint64_t i = 0; i < n; i++)
        acc += (3u * (unsigned)i + 1u) ^ 0x5au;
    return acc;
}

static double bench_now_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int bench_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double bench_median(const double *v, int n, double *min, double *max)
{
    double sorted[BENCH_MAX_REPS];
    memcpy(sorted, v, n * sizeof(double));
    qsort(sorted, n, sizeof(double), bench_cmp_double);
    if (min)
        *min = sorted[0];
    if (max)
        *max = sorted[n - 1];
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

__attribute__((noipa)) static void bench_timed_reps(const char *name, int reps, uint64_t calls,
                                                    unsigned (*run)(int k, uint64_t n), int k,
                                                    unsigned want, uint64_t *total)
{
    static double t[BENCH_MAX_REPS], w[BENCH_MAX_REPS];
    int sum_ok = 1;
    for (int r = 0; r < reps; r++) {
        double w0 = bench_now_ns(CLOCK_MONOTONIC), t0 = bench_now_ns(CLOCK_THREAD_CPUTIME_ID);
        unsigned s = run(k, calls);
        double t1 = bench_now_ns(CLOCK_THREAD_CPUTIME_ID), w1 = bench_now_ns(CLOCK_MONOTONIC);
        t[r] = (t1 - t0) / (double)calls;
        w[r] = (w1 - w0) / (double)calls;
        *total += calls;
        sum_ok &= s == want;
    }
    double min, max, med = bench_median(t, reps, &min, &max);
    double wmed = bench_median(w, reps, 0, 0);
    printf("r %s med=%.3f min=%.3f max=%.3f calls=%" PRIu64 " sum=%s reps=", name, med, min, max,
           *total, sum_ok ? "ok" : "BAD");
    for (int r = 0; r < reps; r++)
        printf("%s%.3f", r ? "," : "", t[r]);
    printf(" wmed=%.3f wreps=", wmed);
    for (int r = 0; r < reps; r++)
        printf("%s%.3f", r ? "," : "", w[r]);
    printf("\n");
}

#endif
