/* Threads (T6): churn of threads that exit with instances outstanding (pthread_exit from depth 3
 * through hijacked frames, deferred and asynchronous cancellation, plain returns). The per-thread
 * flush must account every instance (discarded_thread_exit), give the pool back and release the
 * per-thread blocks. Also: two threads hitting the same probes concurrently. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <pthread.h>
#include <string.h>
#include <unistd.h>

volatile int kth_sink;

KTH_NOINLINE int th_leaf(int how) {
    kth_sink++;
    if (how == 1)
        pthread_exit((void *)7);
    if (how == 2)
        for (;;)
            pause(); /* cancellation point */
    if (how == 3) {
        pthread_setcanceltype(PTHREAD_CANCEL_ASYNCHRONOUS, NULL);
        pthread_testcancel(); /* a cancel that arrived before the switch acts here */
        for (;;)
            kth_sink++;
    }
    return how + 1;
}
KTH_NOINLINE int th_mid(int how) {
    kth_sink++;
    int r = th_leaf(how);
    kth_sink = r;
    return r + 1;
}
KTH_NOINLINE int th_top(int how) {
    kth_sink++;
    int r = th_mid(how);
    kth_sink = r;
    return r + 1;
}

static volatile int started;
static void *worker(void *arg) {
    int how = (int)(intptr_t)arg;
    __atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
    return (void *)(intptr_t)th_top(how);
}

static struct kt_kretprobe rp_top, rp_mid, rp_leaf;
static volatile int handled;
static int count_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    __atomic_fetch_add(&handled, 1, __ATOMIC_RELAXED);
    return 0;
}

static void check_all(const char *what) {
    kth_check_balanced(&rp_top, what);
    kth_check_balanced(&rp_mid, what);
    kth_check_balanced(&rp_leaf, what);
}

static void test_churn(void) {
    struct kt_global_stats g0, g1;
    kt_global_stats(&g0);
    const int rounds = 250, batch = 8; /* 2000 threads */
    int exited = 0, returned = 0;
    for (int r = 0; r < rounds; r++) {
        pthread_t th[8];
        int how[8];
        for (int i = 0; i < batch; i++) {
            how[i] = (r + i) % 2; /* 0: returns normally, 1: pthread_exit at depth 3 */
            pthread_create(&th[i], NULL, worker, (void *)(intptr_t)how[i]);
        }
        for (int i = 0; i < batch; i++) {
            void *ret;
            pthread_join(th[i], &ret);
            if (how[i] == 1) {
                CHECK_EQ((intptr_t)ret, 7);
                exited++;
            } else {
                CHECK_EQ((intptr_t)ret, 3);
                returned++;
            }
        }
    }
    struct kt_stats s = kth_stats(&rp_leaf);
    CHECK_EQ(s.entries, rounds * batch);
    CHECK_EQ(s.returns_handled, returned);
    CHECK_EQ(s.discarded_thread_exit, exited);
    CHECK_EQ(s.in_flight, 0);
    s = kth_stats(&rp_top);
    CHECK_EQ(s.discarded_thread_exit, exited);
    check_all("churn");
    kt_global_stats(&g1);
    CHECK_EQ(g1.threads_in_use, g0.threads_in_use);
    CHECK(g1.threads_attached - g0.threads_attached >= (uint64_t)(rounds * batch),
          "every thread claimed a block");
}

static void test_cancel(int how, const char *what) {
    struct kt_stats before = kth_stats(&rp_leaf);
    pthread_t th[4];
    started = 0;
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, worker, (void *)(intptr_t)how);
    while (started < 4)
        usleep(1000);
    /* Let them reach the loop inside th_leaf (depth 3). */
    for (int spins = 0; spins < 2000; spins++) {
        struct kt_stats s = kth_stats(&rp_leaf);
        if (s.entries - before.entries == 4)
            break;
        usleep(1000);
    }
    usleep(20000);
    for (int i = 0; i < 4; i++)
        pthread_cancel(th[i]);
    for (int i = 0; i < 4; i++) {
        void *ret;
        pthread_join(th[i], &ret);
        CHECK(ret == PTHREAD_CANCELED, "%s: thread %d cancelled", what, i);
    }
    struct kt_stats s = kth_stats(&rp_leaf);
    CHECK_EQ(s.discarded_thread_exit - before.discarded_thread_exit, 4);
    CHECK_EQ(s.in_flight, 0);
    check_all(what);
}

static volatile int stop;
static void *hammer(void *arg) {
    long n = 0;
    while (!stop) {
        if (th_top(0) != 3)
            kth_fail(__FILE__, __LINE__, "th_top(0) == 3", "wrong result");
        n++;
    }
    return (void *)n;
}

static void test_concurrent(void) {
    struct kt_stats before = kth_stats(&rp_leaf);
    pthread_t a, b;
    stop = 0;
    pthread_create(&a, NULL, hammer, NULL);
    pthread_create(&b, NULL, hammer, NULL);
    usleep(200000);
    stop = 1;
    void *na, *nb;
    pthread_join(a, &na);
    pthread_join(b, &nb);
    struct kt_stats s = kth_stats(&rp_leaf);
    CHECK_EQ(s.returns_handled - before.returns_handled, (intptr_t)na + (intptr_t)nb);
    CHECK_EQ(s.in_flight, 0);
    check_all("concurrent");
}

int main(void) {
    if (!kth_kretprobe(&rp_top, (void *)th_top, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&rp_mid, (void *)th_mid, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&rp_leaf, (void *)th_leaf, count_ret, NULL, 0, 0))
        return kth_finish("t_threads");
    test_churn();
    test_cancel(2, "deferred cancel");
    test_cancel(3, "async cancel");
    test_concurrent();
    kt_unregister_kretprobe(&rp_top);
    kt_unregister_kretprobe(&rp_mid);
    kt_unregister_kretprobe(&rp_leaf);
    return kth_finish("t_threads");
}
