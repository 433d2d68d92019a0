/* blocker [ROUNDS]: two threads meet at a barrier, then both call slow() (which sleeps 50 ms)
 * at the same moment, ROUNDS times (default 5), meeting at the barrier again after each call.
 * In every round both threads are inside slow() together, so a return probe with
 * .maxactive(1) on slow misses exactly one instance per round. Prints
 * "rounds=R slow_calls=2R" and the sum of slow's return values. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "probed.h"

volatile int sink;
static pthread_barrier_t barrier;
static int rounds;
static long sums[2];

PROBED int slow(int id)
{
    sink = id;
    struct timespec ts = {0, 50 * 1000 * 1000};
    nanosleep(&ts, NULL);
    return id + 10;
}

static void *thread(void *arg)
{
    int id = (int)(long)arg;
    for (int r = 0; r < rounds; r++) {
        pthread_barrier_wait(&barrier);
        sums[id] += slow(id);
        pthread_barrier_wait(&barrier);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    rounds = argc > 1 ? atoi(argv[1]) : 5;
    pthread_barrier_init(&barrier, NULL, 2);
    pthread_t t[2];
    for (long i = 0; i < 2; i++)
        pthread_create(&t[i], NULL, thread, (void *)i);
    for (int i = 0; i < 2; i++)
        pthread_join(t[i], NULL);
    printf("rounds=%d slow_calls=%d\n", rounds, 2 * rounds);
    printf("slow_sum=%ld\n", sums[0] + sums[1]);
    return 0;
}
