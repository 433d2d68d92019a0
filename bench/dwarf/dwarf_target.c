/* Target of bench/dwarf/run.sh: calls hot() CALLS times in a loop timed by the thread's CPU
 * clock and prints "ns/call X" (plus the sum, so the work is not optimised away). hot() reads
 * its node and the next one, so at -O2 both stores stay and `$n->next->v` has a value. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

struct node {
    long v;
    struct node *next;
};

__attribute__((noinline)) long hot(struct node *n, long k) {
    return n->v + n->next->v + k;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 1000000;
    struct node b = {2, NULL}, a = {1, &b};
    b.next = &a;
    long sum = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    for (long i = 0; i < calls; i++)
        sum += hot(&a, i);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    double ns = (double)(t1.tv_sec - t0.tv_sec) * 1e9 + (double)(t1.tv_nsec - t0.tv_nsec);
    printf("ns/call %.2f sum %ld\n", ns / (double)calls, sum);
    return 0;
}
