/* profile [MODE] [SECONDS] [THREADS]: THREADS threads (1) spend SECONDS (1.0) of CPU time each in
 * rounds of work_a, work_b and work_c, which do 6, 3 and 1 units of the same computation: 60,
 * 30 and 10 % of their time. MODE "own": each function runs its units itself; "shared": each
 * calls the shared helper spin() for them (attribution needs the caller); "short": threads of
 * 20 ms of CPU time each, one after another, SECONDS in all. Prints "rounds=R threads=T". */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define UNIT 20000u

static int shared_mode;
static double seconds = 1.0;
static volatile unsigned sink;

#define UNITS(n)                                                                                   \
    do {                                                                                           \
        unsigned x_ = seed;                                                                        \
        for (unsigned i_ = 0; i_ < (n)*UNIT; i_++) {                                               \
            x_ = x_ * 1103515245u + 12345u;                                                        \
            __asm__ volatile("" : "+r"(x_));                                                       \
        }                                                                                          \
        seed = x_;                                                                                 \
    } while (0)

__attribute__((noinline)) unsigned spin(unsigned seed, unsigned n) {
    UNITS(n);
    return seed;
}

/* work_a, work_b, work_c: N units each, themselves or through spin() (a call, not a tail
 * call: the caller's frame stays on the stack). */
#define WORK(name, n)                                                                              \
    __attribute__((noinline)) unsigned name(unsigned seed) {                                       \
        if (shared_mode) {                                                                         \
            seed = spin(seed, n);                                                                  \
            __asm__ volatile("" : "+r"(seed));                                                     \
            return seed + 1;                                                                       \
        }                                                                                          \
        UNITS(n);                                                                                  \
        return seed;                                                                               \
    }
WORK(work_a, 6)
WORK(work_b, 3)
WORK(work_c, 1)

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long total_rounds;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static double thread_seconds; /* CPU time of each worker: `seconds`, or 20 ms in mode short */

static void *worker(void *arg) {
    unsigned seed = (unsigned)(unsigned long)arg;
    long rounds = 0;
    double end = cpu_now() + thread_seconds;
    while (cpu_now() < end) {
        seed = work_a(seed);
        seed = work_b(seed);
        seed = work_c(seed);
        rounds++;
    }
    sink = seed;
    pthread_mutex_lock(&lock);
    total_rounds += rounds;
    pthread_mutex_unlock(&lock);
    return NULL;
}

int main(int argc, char **argv) {
    shared_mode = argc > 1 && strcmp(argv[1], "shared") == 0;
    if (argc > 2)
        seconds = atof(argv[2]);
    thread_seconds = seconds;
    if (argc > 1 && strcmp(argv[1], "short") == 0) {
        /* Threads of 20 ms of CPU time each, one after the other, for `seconds` in all: each
         * must be sampled from its start to be sampled at all. */
        thread_seconds = 0.02;
        int n = (int)(seconds / thread_seconds + 0.5);
        for (int i = 0; i < n; i++) {
            pthread_t th;
            pthread_create(&th, NULL, worker, (void *)(unsigned long)(i + 1));
            pthread_join(th, NULL);
        }
        printf("rounds=%ld threads=%d\n", total_rounds, n);
        return 0;
    }
    int threads = argc > 3 ? atoi(argv[3]) : 1;
    pthread_t t[64];
    if (threads < 1 || threads > 64)
        threads = 1;
    for (int i = 1; i < threads; i++)
        pthread_create(&t[i], NULL, worker, (void *)(unsigned long)(i + 1));
    worker((void *)1ul);
    for (int i = 1; i < threads; i++)
        pthread_join(t[i], NULL);
    printf("rounds=%ld threads=%d\n", total_rounds, threads);
    return 0;
}
