/* service [OPTIONS]: a small stand-in for a daemon that ktap traces as it really runs, taking
 * commands on its standard input (one per line):
 *   run N    each of the THREADS workers calls handle(i) for i = 0..N-1; then prints
 *            "calls=C sum=S" (S: the sum of handle's return values)
 *   check    prints "text intact" when the first 16 bytes of handle and idle equal the copy
 *            taken at startup, else "text modified"
 *   quit     (or end of input) exits 0
 * While it waits for a command, the main thread calls idle() every 5 ms (a script's probe on it
 * shows that the probes are armed). Prints "ready pid=PID uid=UID dumpable=D" once set up.
 *
 * Options, applied in the order given, before "ready" (each the way a hardened service sets
 * itself up; --seccomp forbids what the later ones need, so it comes last):
 *   --threads T     worker threads (default 2)
 *   --user UID      drop to UID/GID (setgroups, setresgid, setresuid), as a daemon does after
 *                   start-up; the kernel then makes the process non-dumpable
 *   --nondumpable   prctl(PR_SET_DUMPABLE, 0)
 *   --umask         umask(077)
 *   --no-new-privs  prctl(PR_SET_NO_NEW_PRIVS, 1)
 *   --mdwe          prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN): no memory becomes executable
 *                   that was not (systemd's MemoryDenyWriteExecute does the same with seccomp)
 *   --wx-filter     systemd's MemoryDenyWriteExecute=yes as a seccomp filter: mmap with
 *                   PROT_WRITE|PROT_EXEC and mprotect with PROT_EXEC fail with EPERM
 *   --seccomp       a seccomp filter that allows only the system calls this program and a
 *                   service of its kind make (kills the process on any other)
 *   --no-open       a seccomp filter that fails every open with EPERM (a sandboxed service
 *                   that has opened all it needs: the target's dlopen of ktap's agent cannot) */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "../target/probed.h"

#ifndef PR_SET_MDWE
#define PR_SET_MDWE 65
#define PR_MDWE_REFUSE_EXEC_GAIN 1
#endif

volatile unsigned sink;

PROBED unsigned handle(unsigned i)
{
    sink = i;
    return (i * 7u) % 13u;
}

PROBED void idle(void)
{
    sink = 0;
}

#define MAX_THREADS 16
static int nthreads = 2;
static unsigned calls_each;
static unsigned long long sums[MAX_THREADS];
static pthread_barrier_t start_line, finish_line;

static void *worker(void *arg)
{
    long t = (long)arg;
    for (;;) {
        pthread_barrier_wait(&start_line);
        unsigned long long s = 0;
        for (unsigned i = 0; i < calls_each; i++)
            s += handle(i);
        sums[t] = s;
        pthread_barrier_wait(&finish_line);
    }
    return NULL;
}

static void die(const char *what)
{
    fprintf(stderr, "service: %s: %s\n", what, strerror(errno));
    exit(3);
}

/* The system calls of this program and of a typical service's libc (glibc, x86_64 or i386):
 * start-up, threads, memory, I/O, time, signals. Not memfd_create, not process_vm_readv. */
static void install_seccomp(void)
{
    static const int allowed[] = {
#define A(name) SYS_##name,
        A(read) A(write) A(close) A(mprotect) A(munmap) A(brk) A(rt_sigaction)
        A(rt_sigprocmask) A(rt_sigreturn) A(ioctl) A(pread64) A(readv) A(writev) A(poll)
        A(ppoll) A(nanosleep) A(clock_nanosleep) A(clock_gettime) A(getpid) A(gettid) A(getuid)
        A(geteuid) A(getgid) A(getegid) A(exit) A(exit_group) A(futex) A(clone)
        A(set_robust_list) A(get_robust_list) A(madvise) A(sched_yield) A(openat) A(rseq)
        A(prlimit64) A(getrandom) A(tgkill) A(restart_syscall) A(statx) A(clone3) A(sigaltstack)
        A(prctl) A(sched_getaffinity) A(dup) A(pipe2)
#ifdef __x86_64__
        A(fstat) A(newfstatat) A(lseek) A(mmap) A(fcntl)
#else
        A(fstat64) A(fstatat64) A(_llseek) A(mmap2) A(fcntl64) A(stat64) A(clock_gettime64)
        A(clock_nanosleep_time64) A(futex_time64) A(ppoll_time64) A(set_thread_area)
        A(sigreturn) A(getuid32) A(getgid32) A(geteuid32) A(getegid32)
#endif
#undef A
    };
    enum { N = sizeof allowed / sizeof allowed[0] };
    struct sock_filter prog[2 + 2 * N + 1];
    int k = 0;
    prog[k++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int i = 0; i < N; i++) {
        prog[k++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)allowed[i], 0, 1);
        prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    }
    prog[k++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
    struct sock_fprog fprog = {(unsigned short)k, prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
        die("no_new_privs");
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
        die("seccomp");
}

/* What systemd installs for MemoryDenyWriteExecute=yes where PR_SET_MDWE is not used. */
static void install_wx_filter(void)
{
#ifdef __x86_64__
    const unsigned nr_mmap = SYS_mmap;
#else
    const unsigned nr_mmap = SYS_mmap2;
#endif
    const unsigned prot = offsetof(struct seccomp_data, args[2]); /* low word: little-endian */
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr_mmap, 0, 4),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, prot),
        BPF_STMT(BPF_ALU | BPF_AND | BPF_K, PROT_WRITE | PROT_EXEC),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, PROT_WRITE | PROT_EXEC, 4, 5),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW), /* not reached */
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_mprotect, 0, 3),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, prot),
        BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, PROT_EXEC, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog fprog = {sizeof prog / sizeof prog[0], prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
        die("MemoryDenyWriteExecute filter");
}

/* Every open fails with EPERM. */
static void install_no_open_filter(void) {
#ifdef __x86_64__
    const unsigned nr_open = SYS_open;
#else
    const unsigned nr_open = 5;
#endif
    struct sock_filter prog[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr_open, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog fprog = {sizeof prog / sizeof prog[0], prog};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0)
        die("no-open filter");
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    unsigned char text_handle[16], text_idle[16];
    memcpy(text_handle, (const void *)handle, 16);
    memcpy(text_idle, (const void *)idle, 16);
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--threads") && a + 1 < argc) {
            nthreads = atoi(argv[++a]);
            if (nthreads < 1 || nthreads > MAX_THREADS)
                nthreads = 2;
        } else if (!strcmp(argv[a], "--user") && a + 1 < argc) {
            unsigned id = (unsigned)atoi(argv[++a]);
            if (setgroups(0, NULL) != 0 || setresgid(id, id, id) != 0 || setresuid(id, id, id) != 0)
                die("dropping to the service user");
        } else if (!strcmp(argv[a], "--nondumpable")) {
            if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
                die("PR_SET_DUMPABLE");
        } else if (!strcmp(argv[a], "--umask")) {
            umask(077);
        } else if (!strcmp(argv[a], "--no-new-privs")) {
            if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
                die("PR_SET_NO_NEW_PRIVS");
        } else if (!strcmp(argv[a], "--mdwe")) {
            if (prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0)
                die("PR_SET_MDWE");
        } else if (!strcmp(argv[a], "--wx-filter")) {
            install_wx_filter();
        } else if (!strcmp(argv[a], "--seccomp")) {
            install_seccomp();
        } else if (!strcmp(argv[a], "--no-open")) {
            install_no_open_filter();
        } else {
            fprintf(stderr, "service: unknown option %s\n", argv[a]);
            return 2;
        }
    }
    pthread_barrier_init(&start_line, NULL, (unsigned)nthreads + 1);
    pthread_barrier_init(&finish_line, NULL, (unsigned)nthreads + 1);
    for (long t = 0; t < nthreads; t++) {
        pthread_t th;
        if (pthread_create(&th, NULL, worker, (void *)t) != 0)
            die("pthread_create");
    }
    printf("ready pid=%d uid=%d dumpable=%d\n", (int)getpid(), (int)getuid(),
           prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
    char line[128];
    for (;;) {
        struct pollfd p = {0, POLLIN, 0};
        int r = poll(&p, 1, 5);
        if (r == 0) {
            idle();
            continue;
        }
        if (r < 0 && errno == EINTR)
            continue;
        if (!fgets(line, sizeof line, stdin) || !strncmp(line, "quit", 4))
            break;
        unsigned n;
        if (sscanf(line, "run %u", &n) == 1) {
            calls_each = n;
            pthread_barrier_wait(&start_line);
            pthread_barrier_wait(&finish_line);
            unsigned long long total = 0;
            for (int t = 0; t < nthreads; t++)
                total += sums[t];
            printf("calls=%llu sum=%llu\n", (unsigned long long)nthreads * n, total);
        } else if (!strncmp(line, "check", 5)) {
            int same = !memcmp(text_handle, (const void *)handle, 16) &&
                       !memcmp(text_idle, (const void *)idle, 16);
            printf("text %s\n", same ? "intact" : "modified");
        }
    }
    printf("bye\n");
    return 0;
}
