/* counts T N: T threads each call work(i) for i = 0..N-1; work calls leaf(i) once.
 * Prints the calls it made and the sum of work's return values, for comparison with the
 * counts and the $return sum a ktap script collects. Output is deterministic. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include "probed.h"

volatile int sink;

PROBED int leaf(int i)
{
    sink = i;
    return (i * 7) % 13;
}

PROBED int work(int i)
{
    sink = i;
    int v = leaf(i);
    return v + i % 5 - 3;   /* between -3 and 13: some negative returns */
}

static int n_calls;
static long long sums[64];

static void *worker(void *arg)
{
    long t = (long)arg;
    long long s = 0;
    for (int i = 0; i < n_calls; i++)
        s += work(i);
    sums[t] = s;
    return NULL;
}

int main(int argc, char **argv)
{
    int t = argc > 1 ? atoi(argv[1]) : 4;
    n_calls = argc > 2 ? atoi(argv[2]) : 1000;
    if (t < 1 || t > 64 || n_calls < 0) {
        fprintf(stderr, "usage: counts [THREADS<=64] [CALLS]\n");
        return 2;
    }
    pthread_t th[64];
    for (long i = 0; i < t; i++)
        pthread_create(&th[i], NULL, worker, (void *)i);
    long long total = 0;
    for (int i = 0; i < t; i++) {
        pthread_join(th[i], NULL);
        total += sums[i];
    }
    printf("threads=%d\n", t);
    printf("work_calls=%lld\n", (long long)t * n_calls);
    printf("leaf_calls=%lld\n", (long long)t * n_calls);
    printf("work_sum=%lld\n", total);
    return 0;
}
