/* The few libc functions the engine and the agent call, for the freestanding agent
 * (libktap-agent-nolibc.so, KT_FREESTANDING) that ktap loads into programs without a dynamic
 * loader (statically linked C and C++, glibc or musl): raw system calls, no TLS, no locks of
 * anyone else's. Hidden: the agent's own calls bind here (-Bsymbolic), never to the program's.
 * Only what the agent's sources use is here (the link is -nostdlib -z defs: a new use fails to
 * link rather than reaching a missing function at run time). */
#define _GNU_SOURCE
#include "agent_int.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define NOLIBC __attribute__((visibility("hidden")))

/* Not per thread: read only after a failing call of the agent's own, for a diagnostic. */
static int shared_errno;
NOLIBC int *__errno_location(void) {
    return &shared_errno;
}

static long sys6(long nr, long a, long b, long c, long d, long e, long f) {
#if defined(__x86_64__)
    return kt_arch_syscall6(nr, a, b, c, d, e, f);
#else
    long ret;
    /* ebp holds the sixth argument: saved around the call by hand (it may be the frame
     * pointer), and the arguments come from memory so that no operand needs ebp. */
    long args[6] = {a, b, c, d, e, f};
    long *argp = args;
    __asm__ __volatile__("push %%ebp\n\t"
                         "push %%ebx\n\t"
                         "mov 0(%%ecx), %%ebx\n\t"
                         "mov 12(%%ecx), %%esi\n\t"
                         "mov 16(%%ecx), %%edi\n\t"
                         "mov 20(%%ecx), %%ebp\n\t"
                         "mov 8(%%ecx), %%edx\n\t"
                         "mov 4(%%ecx), %%ecx\n\t"
                         "int $0x80\n\t"
                         "pop %%ebx\n\t"
                         "pop %%ebp"
                         : "=a"(ret), "+c"(argp)
                         : "a"(nr)
                         : "edx", "esi", "edi", "memory");
    return ret;
#endif
}

static long check(long r) {
    if (r < 0 && r > -4096) {
        shared_errno = (int)-r;
        return -1;
    }
    return r;
}

NOLIBC long syscall(long nr, ...) {
    va_list ap;
    va_start(ap, nr);
    long a = va_arg(ap, long), b = va_arg(ap, long), c = va_arg(ap, long);
    long d = va_arg(ap, long), e = va_arg(ap, long), f = va_arg(ap, long);
    va_end(ap);
    return check(sys6(nr, a, b, c, d, e, f));
}

/* ---- memory and strings (the compiler also emits calls to the first four) ---- */

NOLIBC void *memcpy(void *dst, const void *src, size_t n) {
    void *d = dst;
    __asm__ __volatile__("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

NOLIBC void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

NOLIBC void *memset(void *dst, int c, size_t n) {
    void *d = dst;
    __asm__ __volatile__("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

NOLIBC int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

NOLIBC size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

NOLIBC int strcmp(const char *a, const char *b) {
    while (*a && *a == *b)
        a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

NOLIBC int strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b)
            return (unsigned char)*a - (unsigned char)*b;
        if (!*a)
            return 0;
    }
    return 0;
}

/* No environment reaches the agent of a program without a loader: the engine's tuning
 * variables (KTAP_RT_*) keep their defaults there. */
NOLIBC char *getenv(const char *name) {
    (void)name;
    return NULL;
}

NOLIBC unsigned long strtoul(const char *s, char **end, int base) {
    unsigned long v = 0;
    (void)base;
    while (*s >= '0' && *s <= '9')
        v = v * 10 + (unsigned long)(*s++ - '0');
    if (end)
        *end = (char *)s;
    return v;
}

NOLIBC long sysconf(int name) {
    return name == _SC_PAGESIZE ? 4096 : -1;
}

/* The vDSO's address, from the controller (it reads the target's auxiliary vector). */
uintptr_t kt_nolibc_vdso_base NOLIBC;
NOLIBC unsigned long getauxval(unsigned long type) {
    return type == 33 /* AT_SYSINFO_EHDR */ ? kt_nolibc_vdso_base : 0;
}

/* ---- files, memory, time ---- */

NOLIBC int open(const char *path, int flags, ...) {
    return (int)check(sys6(SYS_openat, AT_FDCWD, (long)path, flags, 0, 0, 0));
}

NOLIBC ssize_t read(int fd, void *buf, size_t n) {
    return check(sys6(SYS_read, fd, (long)buf, (long)n, 0, 0, 0));
}

NOLIBC int close(int fd) {
    return (int)check(sys6(SYS_close, fd, 0, 0, 0, 0, 0));
}

/* Only st_size is used (the arenas' sizes): statx, whose layout is the same on both arches. */
NOLIBC int fstat(int fd, struct stat *st) {
    struct {
        uint32_t mask, blksize;
        uint64_t attributes;
        uint32_t nlink, uid, gid;
        uint16_t mode, pad0;
        uint64_t ino, size, blocks;
        uint64_t rest[25];
    } sx;
    memset(st, 0, sizeof *st);
    long r =
        check(sys6(SYS_statx, fd, (long)"", AT_EMPTY_PATH, 0x200 /* STATX_SIZE */, (long)&sx, 0));
    if (r == 0)
        st->st_size = (off_t)sx.size;
    return (int)r;
}

NOLIBC void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
#if defined(__x86_64__)
    long r = sys6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
#else
    long r = sys6(192 /* mmap2 */, (long)addr, (long)len, prot, flags, fd, (long)(off >> 12));
#endif
    return check(r) == -1 ? MAP_FAILED : (void *)r;
}

NOLIBC int munmap(void *addr, size_t len) {
    return (int)check(sys6(SYS_munmap, (long)addr, (long)len, 0, 0, 0, 0));
}

NOLIBC int mprotect(void *addr, size_t len, int prot) {
    return (int)check(sys6(SYS_mprotect, (long)addr, (long)len, prot, 0, 0, 0));
}

NOLIBC pid_t getpid(void) {
    return (pid_t)sys6(SYS_getpid, 0, 0, 0, 0, 0, 0);
}

NOLIBC int sched_yield(void) {
    return (int)sys6(SYS_sched_yield, 0, 0, 0, 0, 0, 0);
}

NOLIBC int clock_gettime(clockid_t clk, struct timespec *ts) {
#if defined(__x86_64__)
    return (int)check(sys6(SYS_clock_gettime, clk, (long)ts, 0, 0, 0, 0));
#else
    return (int)check(sys6(265 /* clock_gettime, 32-bit timespec */, clk, (long)ts, 0, 0, 0, 0));
#endif
}

NOLIBC int nanosleep(const struct timespec *req, struct timespec *rem) {
#if defined(__x86_64__)
    return (int)check(sys6(SYS_nanosleep, (long)req, (long)rem, 0, 0, 0, 0));
#else
    return (int)check(sys6(162 /* nanosleep, 32-bit timespec */, (long)req, (long)rem, 0, 0, 0, 0));
#endif
}

NOLIBC ssize_t process_vm_readv(pid_t pid, const struct iovec *local, unsigned long nl,
                                const struct iovec *remote, unsigned long nr, unsigned long flags) {
    return check(sys6(SYS_process_vm_readv, pid, (long)local, (long)nl, (long)remote, (long)nr,
                      (long)flags));
}

/* ---- signals ---- */

NOLIBC int sigfillset(sigset_t *set) {
    memset(set, 0xff, sizeof *set);
    return 0;
}

NOLIBC int pthread_sigmask(int how, const sigset_t *set, sigset_t *old) {
    return (int)-sys6(SYS_rt_sigprocmask, how, (long)set, (long)old, 8, 0, 0);
}

/* ---- locks: the engine's registration lock (a futex word in the pthread_mutex_t) ---- */

NOLIBC int pthread_mutex_lock(pthread_mutex_t *m) {
    uint32_t *w = (uint32_t *)m;
    uint32_t c = 0;
    if (__atomic_compare_exchange_n(w, &c, 1, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return 0;
    if (c != 2)
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    while (c != 0) {
        sys6(SYS_futex, (long)w, FUTEX_WAIT_PRIVATE, 2, 0, 0, 0);
        c = __atomic_exchange_n(w, 2, __ATOMIC_ACQUIRE);
    }
    return 0;
}

NOLIBC int pthread_mutex_unlock(pthread_mutex_t *m) {
    uint32_t *w = (uint32_t *)m;
    if (__atomic_exchange_n(w, 0, __ATOMIC_RELEASE) == 2)
        sys6(SYS_futex, (long)w, FUTEX_WAKE_PRIVATE, 1, 0, 0, 0);
    return 0;
}

/* ---- the watchdog thread: a raw clone on a stack of its own ---- */

/* clone(flags, stack_top, parent_tid, tls) running fn(arg) on the new thread, which leaves with
 * exit(0) (only that thread) when fn returns; the parent gets the thread id or -errno. */
long kt_nolibc_clone(unsigned long flags, void *stack_top, int *ptid, void *tls,
                     void *(*fn)(void *), void *arg) NOLIBC;
#if defined(__x86_64__)
__asm__(".text\n"
        ".type kt_nolibc_clone, @function\n"
        "kt_nolibc_clone:\n"
        "  sub $16, %rsi\n"
        "  mov %r8, 0(%rsi)\n"
        "  mov %r9, 8(%rsi)\n"
        "  mov %rcx, %r8\n"    /* tls */
        "  xor %r10d, %r10d\n" /* child_tid */
        "  mov $56, %eax\n"    /* clone */
        "  syscall\n"
        "  test %rax, %rax\n"
        "  jnz 1f\n"
        "  xor %ebp, %ebp\n"
        "  pop %rax\n"
        "  pop %rdi\n"
        "  and $-16, %rsp\n"
        "  call *%rax\n"
        "  mov $60, %eax\n" /* exit: this thread only */
        "  xor %edi, %edi\n"
        "  syscall\n"
        "  hlt\n"
        "1: ret\n"
        ".size kt_nolibc_clone, .-kt_nolibc_clone\n");
#else
__asm__(".text\n"
        ".type kt_nolibc_clone, @function\n"
        "kt_nolibc_clone:\n"
        "  push %ebx\n"
        "  push %esi\n"
        "  push %edi\n"
        "  push %ebp\n"
        "  mov 20(%esp), %ebx\n" /* flags */
        "  mov 24(%esp), %ecx\n" /* stack */
        "  mov 28(%esp), %edx\n" /* parent_tid */
        "  mov 32(%esp), %esi\n" /* tls: struct user_desc * */
        "  mov 36(%esp), %eax\n"
        "  mov 40(%esp), %ebp\n"
        "  sub $16, %ecx\n"
        "  mov %eax, 0(%ecx)\n"
        "  mov %ebp, 4(%ecx)\n"
        "  xor %edi, %edi\n" /* child_tid */
        "  mov $120, %eax\n" /* clone */
        "  int $0x80\n"
        "  test %eax, %eax\n"
        "  jnz 1f\n"
        "  xor %ebp, %ebp\n"
        "  pop %eax\n"
        "  pop %ecx\n"
        "  and $-16, %esp\n"
        "  sub $12, %esp\n"
        "  push %ecx\n"
        "  call *%eax\n"
        "  mov $1, %eax\n" /* exit: this thread only */
        "  xor %ebx, %ebx\n"
        "  int $0x80\n"
        "  hlt\n"
        "1: pop %ebp\n"
        "  pop %edi\n"
        "  pop %esi\n"
        "  pop %ebx\n"
        "  ret\n"
        ".size kt_nolibc_clone, .-kt_nolibc_clone\n");
#endif

NOLIBC int pthread_attr_init(pthread_attr_t *a) {
    (void)a;
    return 0;
}
NOLIBC int pthread_attr_destroy(pthread_attr_t *a) {
    (void)a;
    return 0;
}
NOLIBC int pthread_attr_setdetachstate(pthread_attr_t *a, int s) {
    (void)a, (void)s;
    return 0;
}
NOLIBC int pthread_attr_setstacksize(pthread_attr_t *a, size_t s) {
    (void)a, (void)s;
    return 0;
}

#define THREAD_STACK (256 * 1024)

/* The thread gets a thread pointer of its own (a TCB of one self-pointing word at the top of its
 * stack): the agent tells threads apart by it (rt_thread_fs.c), and the watchdog must not be
 * taken for the thread that created it. Its stack is never freed (a session's watchdog leaves
 * after the session; one stack of 256 KiB per session in the life of the process). */
NOLIBC int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *),
                          void *arg) {
    (void)attr;
    char *stack =
        mmap(NULL, THREAD_STACK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (stack == MAP_FAILED)
        return EAGAIN;
    uintptr_t *tcb = (uintptr_t *)(stack + THREAD_STACK - 64);
    tcb[0] = (uintptr_t)tcb;
    void *tls = tcb;
    unsigned long flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
                          CLONE_SYSVSEM | CLONE_PARENT_SETTID;
#if defined(__x86_64__)
    flags |= CLONE_SETTLS;
#else
    /* The new thread's TLS descriptor in the GDT slot the current %gs selects (there is none
     * before the program's libc set TLS up: the thread then has none either). */
    struct {
        uint32_t entry, base, limit, bits;
    } desc;
    unsigned sel;
    __asm__ __volatile__("mov %%gs, %0" : "=r"(sel));
    if ((sel & 0xffff) >= 4) {
        desc.entry = (sel & 0xffff) >> 3;
        desc.base = (uint32_t)(uintptr_t)tcb;
        desc.limit = 0xfffff;
        desc.bits = 0x51; /* seg_32bit, limit_in_pages, useable */
        tls = &desc;
        flags |= CLONE_SETTLS;
    }
#endif
    static int tid;
    long r = kt_nolibc_clone(flags, tcb, &tid, tls, fn, arg);
    if (r < 0) {
        munmap(stack, THREAD_STACK);
        return (int)-r;
    }
    *th = (pthread_t)r;
    return 0;
}

/* The thread's CPU-time clock: the kernel's encoding of a thread id (MAKE_THREAD_CPUCLOCK). */
NOLIBC int pthread_getcpuclockid(pthread_t th, clockid_t *clk) {
    *clk = (clockid_t)((~(unsigned)th) << 3 | 6);
    return 0;
}

/* For the controller once the agent is loaded: one system call from a block of words {nr, a1,
 * ..., a6}, answering the kernel's value (-errno on failure); the same contract as ktap's
 * system-call stub (Tracee::syscall_stub), which is then no longer needed in the program. */
__attribute__((visibility("default"))) long ktap_agent_syscall(const long *block) {
    return sys6(block[0], block[1], block[2], block[3], block[4], block[5], block[6]);
}
