/* waves ROUNDS THREADS CALLS: ROUNDS times, THREADS threads each call work(i) for i = 0..CALLS-1
 * (work calls leaf once) and are joined before the next round starts, so that later rounds'
 * threads run on the stacks and thread descriptors (TCBs) of earlier ones, as glibc reuses them.
 * Prints the calls it made and the sum of work's results, for comparison with what a ktap
 * script counts. Built statically (tests/static): ktap's agent has no TLS there and tells
 * threads apart by their thread pointer and the thread id their TCB holds. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

volatile int sink;

__attribute__((noipa, used)) int leaf(int i) {
    sink = i;
    return (i * 7) % 13;
}

__attribute__((noipa, used)) int work(int i) {
    sink = i;
    return leaf(i) + i % 5 - 3; /* between -3 and 13: some negative results */
}

static int n_calls;

static void *worker(void *arg) {
    long long s = 0;
    for (int i = 0; i < n_calls; i++)
        s += work(i);
    *(long long *)arg = s;
    return NULL;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: waves ROUNDS THREADS<=64 CALLS\n");
        return 2;
    }
    int rounds = atoi(argv[1]), threads = atoi(argv[2]);
    n_calls = atoi(argv[3]);
    if (threads < 1 || threads > 64)
        return 2;
    long long total = 0, sums[64];
    pthread_t th[64];
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < threads; i++)
            pthread_create(&th[i], NULL, worker, &sums[i]);
        for (int i = 0; i < threads; i++) {
            pthread_join(th[i], NULL);
            total += sums[i];
        }
    }
    printf("threads=%lld\n", (long long)rounds * threads);
    printf("work_calls=%lld\n", (long long)rounds * threads * n_calls);
    printf("work_sum=%lld\n", total);
    return 0;
}
