/* profile [MODE] [SECONDS] [THREADS]: THREADS threads (1) spend SECONDS (1.0) of CPU time each in
 * rounds of work_a, work_b and work_c, which do 6, 3 and 1 units of the same computation: 60,
 * 30 and 10 % of their time. MODE "own": each function runs its units itself; "shared": each
 * calls the shared helper spin() for them (attribution needs the caller). Prints
 * "rounds=R threads=T". */
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

__attribute__((noinline)) unsigned work_a(unsigned seed) {
    if (shared_mode) {
        seed = spin(seed, 6); /* no tail call: the caller's frame stays */
        __asm__ volatile("" : "+r"(seed));
        return seed + 1;
    }
    UNITS(6);
    return seed;
}

__attribute__((noinline)) unsigned work_b(unsigned seed) {
    if (shared_mode) {
        seed = spin(seed, 3); /* no tail call: the caller's frame stays */
        __asm__ volatile("" : "+r"(seed));
        return seed + 1;
    }
    UNITS(3);
    return seed;
}

__attribute__((noinline)) unsigned work_c(unsigned seed) {
    if (shared_mode) {
        seed = spin(seed, 1); /* no tail call: the caller's frame stays */
        __asm__ volatile("" : "+r"(seed));
        return seed + 1;
    }
    UNITS(1);
    return seed;
}

static double cpu_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long total_rounds;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker(void *arg) {
    unsigned seed = (unsigned)(unsigned long)arg;
    long rounds = 0;
    double end = cpu_now() + seconds;
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
