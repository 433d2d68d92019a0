/* sigprog [SECONDS]: a program that uses signals and timers itself, for the profiler's tests.
 * Three threads for about SECONDS (1.0) of CPU time each... in parallel:
 *  - main: CPU work with its own ITIMER_PROF (SIGPROF every 5 ms of process CPU time, counted
 *    by its handler) and its own POSIX timer (CLOCK_PROCESS_CPUTIME_ID, SIGRTMIN + 2);
 *  - a reader blocked in read() on a pipe (SA_RESTART handlers only: EINTR must never show);
 *  - a writer feeding the pipe in small slices, CPU work between them.
 * Prints what it saw; the lines are the same traced or not (counts are checked here against
 * the CPU time actually used, so they are stable), exit 1 when something was off. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static volatile long prof_ticks, rt_ticks;
static volatile int done;
static int pipefd[2];
static long eintr, bytes_read;
static double seconds = 1.0;

static void on_prof(int s) {
    (void)s;
    prof_ticks++;
}
static void on_rt(int s) {
    (void)s;
    rt_ticks++;
}

static double cpu(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned burn(unsigned x, long n) {
    for (long i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        __asm__ volatile("" : "+r"(x));
    }
    return x;
}

static void *reader(void *arg) {
    (void)arg;
    char buf[256];
    for (;;) {
        ssize_t n = read(pipefd[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) {
            eintr++;
            continue;
        }
        if (n <= 0)
            break;
        bytes_read += n;
    }
    return NULL;
}

static void *writer(void *arg) {
    (void)arg;
    unsigned x = 7;
    char buf[64];
    memset(buf, 'x', sizeof buf);
    double end = cpu(CLOCK_THREAD_CPUTIME_ID) + seconds;
    while (cpu(CLOCK_THREAD_CPUTIME_ID) < end) {
        x = burn(x, 200000);
        if (write(pipefd[1], buf, sizeof buf) != (ssize_t)sizeof buf)
            break;
    }
    close(pipefd[1]);
    return (void *)(unsigned long)x;
}

int main(int argc, char **argv) {
    if (argc > 1)
        seconds = atof(argv[1]);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = on_prof;
    sigaction(SIGPROF, &sa, NULL);
    sa.sa_handler = on_rt;
    sigaction(SIGRTMIN + 2, &sa, NULL);
    if (pipe(pipefd) != 0)
        return 2;
    pthread_t r, w;
    pthread_create(&r, NULL, reader, NULL);
    pthread_create(&w, NULL, writer, NULL);

    struct itimerval it = {{0, 5000}, {0, 5000}};
    setitimer(ITIMER_PROF, &it, NULL);
    timer_t tid;
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGRTMIN + 2;
    timer_create(CLOCK_PROCESS_CPUTIME_ID, &sev, &tid);
    struct itimerspec its = {{0, 10000000}, {0, 10000000}};
    timer_settime(tid, 0, &its, NULL);

    double p0 = cpu(CLOCK_PROCESS_CPUTIME_ID);
    unsigned x = 1;
    double end = cpu(CLOCK_THREAD_CPUTIME_ID) + seconds;
    while (cpu(CLOCK_THREAD_CPUTIME_ID) < end)
        x = burn(x, 100000);
    pthread_join(w, NULL);
    pthread_join(r, NULL);
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_PROF, &off, NULL);
    timer_delete(tid);
    double used = cpu(CLOCK_PROCESS_CPUTIME_ID) - p0;
    /* ITIMER_PROF every 5 ms and the POSIX timer every 10 ms of process CPU time: the counts
     * follow the CPU time used (the kernel fires them at its ticks: a wide margin). */
    double want_prof = used / 0.005, want_rt = used / 0.010;
    int prof_ok = prof_ticks > 0.3 * want_prof && prof_ticks < 1.5 * want_prof + 5;
    int rt_ok = rt_ticks > 0.3 * want_rt && rt_ticks < 1.5 * want_rt + 5;
    printf("sigprof_ok=%d rt_timer_ok=%d eintr=%ld pipe_ok=%d\n", prof_ok, rt_ok, eintr,
           bytes_read > 0 && bytes_read % 64 == 0);
    if (getenv("SIGPROG_VERBOSE"))
        fprintf(stderr, "used=%.3f prof=%ld rt=%ld bytes=%ld x=%u\n", used, prof_ticks, rt_ticks,
                bytes_read, x);
    return !(prof_ok && rt_ok && eintr == 0);
}
