/* Attach test target (built x86_64 and i386, PIE and non-PIE, -O2). Threads:
 *   sleeper    nanosleep(20 ms) in a loop, each must return 0 after >= 20 ms
 *   longsleep  one nanosleep(250 ms) started before "ready": 0 after >= 250 ms
 *   busy       floating-point rounds that must all give the first round's result
 *   reader     blocked in read() on a pipe until main writes "token"
 *   churn      (argument "churn") creates and joins short-lived threads
 * Main prints "ready", blocks in read() on stdin for "go U1 U2" (SIGUSR1 / SIGUSR2 counts to
 * expect), then stops the threads and prints a report that must not depend on being traced. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t usr1, usr2;
static atomic_int stop_flag, started;
static int pipe_fds[2];
static volatile double seed = 1.0;

static int sleeper_errors, sleeper_short, longsleep_ok, busy_mismatches, busy_rounds;
static char reader_got[32];
static long churned;

__attribute__((noinline, noclone, used)) long weighted6(long a, long b, long c, long d, long e,
                                                        long f) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f;
}

/* Sends SIGUSR2 to its own process (from inside a remote call). */
__attribute__((noinline, noclone, used)) long raise_usr2(void) {
    kill(getpid(), SIGUSR2);
    return 42;
}

/* Changes the SSE and x87 control words and vector registers: the controller must restore the
 * interrupted thread's state after a call. */
__attribute__((noinline, noclone, used)) long clobber_fp(long x) {
    unsigned int mxcsr = 0x7f80 | 0x6000; /* exceptions masked, round toward zero */
    unsigned short cw = 0x037f | 0x0c00;  /* x87: round toward zero */
    __asm__ volatile("ldmxcsr %0" ::"m"(mxcsr));
    __asm__ volatile("fldcw %0" ::"m"(cw));
    __asm__ volatile("pcmpeqd %xmm0, %xmm0\n\tpcmpeqd %xmm1, %xmm1\n\t"
                     "pcmpeqd %xmm2, %xmm2\n\tpcmpeqd %xmm3, %xmm3\n\t"
                     "pcmpeqd %xmm4, %xmm4\n\tpcmpeqd %xmm5, %xmm5\n\t"
                     "pcmpeqd %xmm6, %xmm6\n\tpcmpeqd %xmm7, %xmm7\n\t"
                     "fldpi\n\tfldpi\n\t");
    return x + 1;
}

/* Sleeps MS milliseconds, then returns MS + 1 (a remote call long enough to kill the
 * controller during it). */
__attribute__((noinline, noclone, used)) long sleep_then(long ms) {
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    return ms + 1;
}

/* Eight arguments: on x86_64 the last two are passed on the stack. */
__attribute__((noinline, noclone, used)) long weighted8(long a, long b, long c, long d, long e,
                                                        long f, long g, long h) {
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

/* Starts a thread and waits until it runs (a remote call that needs its new thread to run,
 * like an agent starting a watchdog). The thread lives until the program stops. */
static atomic_int helper_running;
static void *helper(void *arg) {
    pthread_setname_np(pthread_self(), "helper");
    atomic_store(&helper_running, 1);
    while (!atomic_load(&stop_flag)) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return arg;
}
__attribute__((noinline, noclone, used)) long start_helper(void) {
    pthread_t t;
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    int rc = pthread_create(&t, NULL, helper, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0)
        return -1;
    pthread_detach(t);
    while (!atomic_load(&helper_running)) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return 1;
}

/* Never returns (for the call timeout test). */
__attribute__((noinline, noclone, used)) long wait_forever(void) {
    for (;;)
        pause();
}

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void named(const char *name) {
    pthread_setname_np(pthread_self(), name);
    atomic_fetch_add(&started, 1);
}

static void *sleeper(void *arg) {
    named("sleeper");
    while (!atomic_load(&stop_flag)) {
        struct timespec req = {0, 20 * 1000 * 1000};
        double t0 = now_ms();
        int r = nanosleep(&req, NULL);
        double t1 = now_ms();
        if (r != 0)
            ++sleeper_errors;
        else if (t1 - t0 < 19.9)
            ++sleeper_short;
    }
    return arg;
}

static void *longsleep(void *arg) {
    named("longsleep");
    struct timespec req = {0, 250 * 1000 * 1000};
    double t0 = now_ms();
    int r = nanosleep(&req, NULL);
    longsleep_ok = r == 0 && now_ms() - t0 >= 249.9;
    return arg;
}

static double busy_round(void) {
    double x = seed, y = 0.5;
    for (int i = 0; i < 100000; ++i) {
        x = x * 1.0000001 + y / 3.0;
        y = y * 0.999999 + x * 1e-7;
    }
    return x + y;
}

static void *busy(void *arg) {
    named("busy");
    /* volatile: compare rounded doubles (i386 x87 keeps 80-bit intermediates). */
    volatile double first = busy_round();
    do {
        volatile double r = busy_round();
        if (r != first)
            ++busy_mismatches;
        ++busy_rounds;
    } while (!atomic_load(&stop_flag));
    return arg;
}

static void *reader(void *arg) {
    named("reader");
    char buf[32] = {0};
    ssize_t n;
    do
        n = read(pipe_fds[0], buf, sizeof buf - 1);
    while (n < 0 && errno == EINTR);
    if (n > 0)
        memcpy(reader_got, buf, (size_t)n);
    else
        snprintf(reader_got, sizeof reader_got, "error %d", n < 0 ? errno : 0);
    return arg;
}

static void *noop(void *arg) { return arg; }

static void *churn(void *arg) {
    named("churn");
    while (!atomic_load(&stop_flag)) {
        pthread_t t;
        if (pthread_create(&t, NULL, noop, NULL) == 0) {
            pthread_join(t, NULL);
            ++churned;
        }
    }
    return arg;
}

static void on_usr1(int sig) { (void)sig; ++usr1; }
static void on_usr2(int sig) { (void)sig; ++usr2; }

int main(int argc, char **argv) {
    int with_churn = argc > 1 && strcmp(argv[1], "churn") == 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_usr2;
    sigaction(SIGUSR2, &sa, NULL);
    if (pipe(pipe_fds) != 0)
        return 2;
    /* Only main takes SIGUSR1/2 (a handler would cut a worker's nanosleep short). */
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    pthread_t th[5];
    int n = 0;
    pthread_create(&th[n++], NULL, sleeper, NULL);
    pthread_create(&th[n++], NULL, longsleep, NULL);
    pthread_create(&th[n++], NULL, busy, NULL);
    pthread_create(&th[n++], NULL, reader, NULL);
    if (with_churn)
        pthread_create(&th[n++], NULL, churn, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    while (atomic_load(&started) < n) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    printf("ready\n");
    fflush(stdout);

    char line[64] = {0};
    size_t len = 0;
    while (len < sizeof line - 1 && !strchr(line, '\n')) {
        ssize_t r = read(0, line + len, sizeof line - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    int want1 = 0, want2 = 0;
    if (sscanf(line, "go %d %d", &want1, &want2) != 2)
        return 3;
    double until = now_ms() + 3000;
    while ((usr1 < want1 || usr2 < want2) && now_ms() < until) {
        struct timespec ts = {0, 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    atomic_store(&stop_flag, 1);
    ssize_t w = write(pipe_fds[1], "token", 5);
    (void)w;
    for (int i = 0; i < n; ++i)
        pthread_join(th[i], NULL);
    volatile long a = 1, b = 2, c = 3, d = 4, e = 5, f = 6;
    printf("weighted %ld\n", weighted6(a, b, c, d, e, f));
    printf("sleeper errors %d short %d\n", sleeper_errors, sleeper_short);
    printf("longsleep ok %d\n", longsleep_ok);
    printf("busy mismatches %d rounds>0 %d\n", busy_mismatches, busy_rounds > 0);
    printf("reader got %s\n", reader_got);
    printf("churn %s\n", with_churn ? (churned > 0 ? "ok" : "none") : "off");
    printf("usr1 %d usr2 %d\n", (int)usr1, (int)usr2);
    printf("done\n");
    return 0;
}
