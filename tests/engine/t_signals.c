/* Signals (T10): a 5 kHz SIGALRM whose handler calls probed functions while the main code runs
 * probed functions; the same with the handler on a sigaltstack, in a thread whose stack lies
 * below the alternate stack (so the reaper must recognise the other stack instead of discarding
 * the interrupted frames' records). Hits that interrupt the runtime itself are
 * missed_reentrant; nothing may be discarded and every instance must come back. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

volatile int kth_sink;

KTH_NOINLINE int sig_leaf(int x) {
    kth_sink++;
    return x + 1;
}
KTH_NOINLINE int sig_outer(int x) {
    kth_sink++;
    int r = sig_leaf(x);
    kth_sink = r;
    return r + 1;
}
KTH_NOINLINE int work_inner(int x) {
    kth_sink++;
    for (int i = 0; i < 50; i++)
        kth_sink += i;
    return x * 2;
}
KTH_NOINLINE int work_outer(int x) {
    kth_sink++;
    int r = work_inner(x);
    kth_sink = r;
    return r + 1;
}

static volatile long handler_runs, handler_bad;
static void on_alarm(int sig) {
    handler_runs++;
    if (sig_outer(5) != 7)
        handler_bad++;
}

static struct kt_kretprobe rp[4];
static int nop_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    return 0;
}

static void run_for_ms(int ms, long *calls, long *bad) {
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        for (int i = 0; i < 100; i++) {
            if (work_outer(i) != 2 * i + 1)
                (*bad)++;
            (*calls)++;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 > ms)
            break;
    }
}

/* Runs the probed main code for at least min_ms, and longer (up to 10 s) until min_signals
 * signals were handled: under load the signal handler may rarely get the CPU. */
static void run_until_signals(int min_ms, long min_signals, long *calls, long *bad) {
    run_for_ms(min_ms, calls, bad);
    for (int slice = 0; slice < 200 && handler_runs < min_signals; slice++)
        run_for_ms(50, calls, bad);
}

static void start_timer(int usec) {
    struct itimerval it = {{0, usec}, {0, usec}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static void check_run(const char *what, long calls, long bad, struct kt_stats *before) {
    CHECK_EQ(bad, 0);
    CHECK_EQ(handler_bad, 0);
    CHECK(handler_runs > 50, "%s: signals delivered (%ld)", what, handler_runs);
    for (int i = 0; i < 4; i++) {
        struct kt_stats s = kth_stats(&rp[i]);
        CHECK_EQ(s.in_flight, 0);
        CHECK_EQ(s.discarded_unwound, before[i].discarded_unwound);
        CHECK_EQ(s.missed_depth + s.missed_budget + s.missed_nothread, 0);
        kth_check_balanced(&rp[i], what);
    }
    struct kt_stats so = kth_stats(&rp[0]);
    CHECK_EQ(so.entries - before[0].entries, calls);
    struct kt_stats sl = kth_stats(&rp[2]);
    CHECK_EQ(sl.entries - before[2].entries, handler_runs);
}

static void snapshot(struct kt_stats *out) {
    for (int i = 0; i < 4; i++)
        out[i] = kth_stats(&rp[i]);
}

static void test_same_stack(void) {
    struct kt_stats before[4];
    snapshot(before);
    handler_runs = handler_bad = 0;
    signal(SIGALRM, on_alarm);
    long calls = 0, bad = 0;
    start_timer(200);
    run_until_signals(400, 200, &calls, &bad);
    start_timer(0);
    check_run("same stack", calls, bad, before);
}

/* The thread runs on a stack inside .bss (low addresses); the alternate stack is mmap'ed high. */
static char thread_stack[1 << 20] __attribute__((aligned(4096)));
static long t_calls, t_bad;

static void *altstack_thread(void *arg) {
    stack_t ss;
    ss.ss_sp = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ss.ss_size = 1 << 16;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    CHECK((uintptr_t)ss.ss_sp > (uintptr_t)thread_stack, "alternate stack above the thread stack");
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    run_until_signals(400, 200, &t_calls, &t_bad);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    return NULL;
}

static void test_altstack(void) {
    struct kt_stats before[4];
    snapshot(before);
    handler_runs = handler_bad = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_ONSTACK | SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    /* Only the worker thread takes SIGALRM. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, thread_stack, sizeof thread_stack);
    pthread_t th;
    pthread_create(&th, &attr, altstack_thread, NULL);
    start_timer(200);
    pthread_join(th, NULL);
    start_timer(0);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    check_run("sigaltstack", t_calls, t_bad, before);
}

/* On the alternate stack, reaping stale records of the alternate stack must stop at the
 * interrupted stack's records (here below the alternate stack in memory). */
static sigjmp_buf usr2_env;
static volatile int usr2_ok;
KTH_NOINLINE int alt_q2(int x) {
    kth_sink++;
    if (x > 0)
        siglongjmp(usr2_env, 1);
    return x;
}
KTH_NOINLINE int alt_q(int x) {
    kth_sink++;
    int r = alt_q2(x);
    kth_sink = r;
    return r + 1;
}
KTH_NOINLINE int alt_r(int x) {
    kth_sink++;
    return x + 2;
}
static void on_usr2(int sig) {
    if (sigsetjmp(usr2_env, 0) == 0)
        alt_q(1);            /* leaves two stale records on the alternate stack */
    usr2_ok = alt_r(1) == 3; /* reaps them, and must keep the main stack's */
}
KTH_NOINLINE int alt_p(int x) {
    kth_sink++;
    raise(SIGUSR2);
    kth_sink++;
    return x * 2;
}

static volatile int alt_p_result;
static void *altstack_reap_thread(void *arg) {
    stack_t ss;
    ss.ss_sp = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    ss.ss_size = 1 << 16;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
    alt_p_result = alt_p(21);
    return NULL;
}

static void test_altstack_reap(void) {
    struct kt_kretprobe p, q, q2, r;
    if (!kth_kretprobe(&p, (void *)alt_p, nop_ret, NULL, 0, 0) ||
        !kth_kretprobe(&q, (void *)alt_q, nop_ret, NULL, 0, 0) ||
        !kth_kretprobe(&q2, (void *)alt_q2, nop_ret, NULL, 0, 0) ||
        !kth_kretprobe(&r, (void *)alt_r, nop_ret, NULL, 0, 0))
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr2;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &sa, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstack(&attr, thread_stack, sizeof thread_stack);
    pthread_t th;
    pthread_create(&th, &attr, altstack_reap_thread, NULL);
    pthread_join(th, NULL);
    CHECK_EQ(alt_p_result, 42);
    CHECK_EQ(usr2_ok, 1);
    struct kt_stats sp = kth_stats(&p), sq = kth_stats(&q), sq2 = kth_stats(&q2);
    CHECK_EQ(sp.returns_handled, 1);
    CHECK_EQ(sp.discarded_unwound, 0);
    CHECK_EQ(sq.discarded_unwound + sq2.discarded_unwound, 2);
    kth_check_balanced(&p, "altstack p");
    kth_check_balanced(&q, "altstack q");
    kth_check_balanced(&q2, "altstack q2");
    kth_check_balanced(&r, "altstack r");
    kt_unregister_kretprobe(&p);
    kt_unregister_kretprobe(&q);
    kt_unregister_kretprobe(&q2);
    kt_unregister_kretprobe(&r);
}

/* A flood: another thread sends signals back to back, so many land inside the runtime itself
 * (entry/return paths); those hits must be missed_reentrant and nothing may break. */
static volatile int flood_stop;
static volatile pid_t flood_target;
static volatile long flood_sent;
static void *flooder(void *arg) {
    while (!flood_stop) {
        syscall(SYS_tgkill, getpid(), flood_target, SIGPROF);
        flood_sent++;
    }
    return NULL;
}

static void test_flood(void) {
    struct kt_stats before[4];
    snapshot(before);
    handler_runs = handler_bad = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGPROF, &sa, NULL);
    flood_target = (pid_t)syscall(SYS_gettid);
    flood_stop = 0;
    pthread_t th;
    pthread_create(&th, NULL, flooder, NULL);
    long calls = 0, bad = 0;
    /* until enough signals landed (the flooder competes for 2 vCPUs with other tests) */
    for (int slice = 0; slice < 100 && handler_runs < 5000; slice++)
        run_for_ms(50, &calls, &bad);
    flood_stop = 1;
    pthread_join(th, NULL);
    signal(SIGPROF, SIG_IGN);
    check_run("signal flood", calls, bad, before);
    long reentrant = 0;
    for (int i = 0; i < 4; i++)
        reentrant += (long)(kth_stats(&rp[i]).missed_reentrant - before[i].missed_reentrant);
    printf("t_signals: flood: %ld signals handled, %ld probe hits inside the runtime\n",
           handler_runs, reentrant);
}

int main(void) {
    void *fns[4] = {(void *)work_outer, (void *)work_inner, (void *)sig_leaf, (void *)sig_outer};
    for (int i = 0; i < 4; i++)
        if (!kth_kretprobe(&rp[i], fns[i], nop_ret, NULL, 0, 0))
            return kth_finish("t_signals");
    test_same_stack();
    test_altstack();
    test_altstack_reap();
    test_flood();
    for (int i = 0; i < 4; i++)
        kt_unregister_kretprobe(&rp[i]);
    return kth_finish("t_signals");
}
