/* Fault-safe reads without a system call (runtime/agent/agent_fault.c, docs/agent.md
 * "Fault-safe reads"), x86_64 and i386: the test dlopens libktap-agent.so, plays the controller
 * (a memfd arena, a paused child as the controller process) and calls the exported
 * kt_user_read / kt_user_string as handlers do.
 *
 *   agent_fault_<arch> read        bad addresses give -1 through the handler (fixups counted),
 *                                  SIGBUS past a file's end, page ends, a thread blocking
 *                                  SIGSEGV takes the system call, 5 sessions in a row each
 *                                  restore SIG_DFL and install again
 *   agent_fault_<arch> crash       a NULL write of the program still kills it with SIGSEGV
 *                                  (same wait status as the same program without the agent),
 *                                  and so does kill(SIGSEGV) (forwarded to SIG_DFL)
 *   agent_fault_<arch> before      the program's own handlers installed before the agent still
 *                                  get the program's faults (siginfo, sigsetjmp/siglongjmp,
 *                                  SA_RESETHAND without SA_SIGINFO); ktap's reads still -1;
 *                                  restored at the end
 *   agent_fault_<arch> after       a handler installed after init: the watchdog turns the
 *                                  fast path off within ~100 ms, reads stay fault-safe through
 *                                  the system call, the handler is left in place at the end and
 *                                  later sessions do not install again */
#define _GNU_SOURCE
#include "ktap/agent.h"
#include "kt_lang.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int failures;
static const char *mode = "";

static void fail(int line, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "t_fault.c:%d [%s]: ", line, mode);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    failures++;
}
#define CHECK(c) ((c) ? (void)0 : fail(__LINE__, "CHECK(%s)", #c))
#define CHECK_EQ(a, b)                                                                          \
    do {                                                                                        \
        long long a_ = (long long)(a), b_ = (long long)(b);                                     \
        if (a_ != b_)                                                                           \
            fail(__LINE__, "%s == %lld, expected %s == %lld", #a, a_, #b, b_);                  \
    } while (0)
#define REQUIRE(c)                                                                              \
    do {                                                                                        \
        if (!(c)) {                                                                             \
            fail(__LINE__, "REQUIRE(%s)", #c);                                                  \
            exit(1);                                                                            \
        }                                                                                       \
    } while (0)

/* ---- the agent ------------------------------------------------------------------------------ */

static struct {
    void (*arena_init)(void *, uint64_t, int32_t, uint64_t, uint32_t, uint32_t, int64_t, int32_t);
    uint64_t (*prefix_bytes)(int32_t, uint64_t);
    int32_t (*init)(kt_agent_setup *);
    int32_t (*detach)(void);
    int32_t (*fast_reads)(uint32_t *);
    int32_t (*user_read)(void *, uint64_t, uint32_t);
    void (*user_string)(kt_ctx *, char *, kt_long, kt_long, const char *, int32_t, uint32_t);
    void (*ctx_init)(kt_ctx *, void *, int32_t);
} ag;

static void *sym(void *h, const char *name) {
    void *p = dlsym(h, name);
    if (!p) {
        fail(__LINE__, "the agent does not export %s", name);
        exit(1);
    }
    return p;
}
#define SYM(field, name) *(void **)&(ag.field) = sym(h, name)

static void load_agent(void) {
    void *h = dlopen(KTAP_AGENT_SO, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fail(__LINE__, "dlopen %s: %s", KTAP_AGENT_SO, dlerror());
        exit(1);
    }
    SYM(arena_init, "kt_arena_init");
    SYM(prefix_bytes, "kt_arena_prefix_bytes");
    SYM(init, "ktap_agent_init");
    SYM(detach, "ktap_agent_detach");
    SYM(fast_reads, "ktap_agent_fast_reads");
    SYM(user_read, "kt_user_read");
    SYM(user_string, "kt_user_string");
    SYM(ctx_init, "kt_ctx_init");
}

static pid_t controller;
static int state_fd, code_fd;
static uint64_t state_bytes;
static uint8_t *arena;

static int make_memfd(const char *name, uint64_t bytes) {
    int fd = (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, (off_t)bytes) == 0);
    return fd;
}

static void setup_controller(void) {
    controller = fork();
    REQUIRE(controller >= 0);
    if (controller == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        for (;;)
            pause();
    }
    uint64_t prefix = ag.prefix_bytes(2, 1 << 16);
    state_bytes = (prefix + 4096 + 4095) & ~(uint64_t)4095;
    state_fd = make_memfd("ktap-fault-state", state_bytes);
    code_fd = make_memfd("ktap-fault-code", 4096);
    arena = mmap(NULL, state_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, state_fd, 0);
    REQUIRE(arena != MAP_FAILED);
    ag.arena_init(arena, state_bytes, 2, 1 << 16, 512, 2048, 1000, 10);
    ((kt_arena_header *)arena)->target_pid = getpid();
}

static int64_t now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void session_start(void) {
    kt_agent_setup setup;
    memset(&setup, 0, sizeof setup);
    setup.state_fd = state_fd;
    setup.code_fd = code_fd;
    setup.alive_fd = -1; /* the controller's death is watched through a pidfd of it */
    setup.mem_fd = -1;
    setup.controller_pid = controller;
    setup.target_pid = getpid();
    setup.state_bytes = state_bytes;
    setup.code_bytes = 4096;
    int64_t end = now_ms() + 2000;
    int32_t r;
    while ((r = ag.init(&setup)) != 0 && setup.error == -EAGAIN && now_ms() < end)
        usleep(5000); /* the previous session is still ending */
    REQUIRE(r == 0);
}

/* ktap_agent_detach, then wait until the agent can be initialised again (the watchdog ended the
 * session: probes gone, actions restored). */
static void session_end(void) {
    CHECK_EQ(ag.detach(), 0);
    int64_t end = now_ms() + 2000;
    while (ag.detach() == 0 && now_ms() < end) /* 0 while the session is still initialised */
        usleep(5000);
    usleep(50 * 1000); /* end_session finishes after `initialized` drops: give it time */
}

static uint32_t fixups(void) {
    uint32_t n = 0;
    ag.fast_reads(&n);
    return n;
}

static uintptr_t handler_of(int sig) {
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return (uintptr_t)sa.sa_sigaction;
}

/* An unreadable page (PROT_NONE: an unmapped one could be reused by the next mmap; the NULL
 * page is the unmapped case) and a page past a file's end (SIGBUS). */
static uint8_t *unmapped_page(void) {
    uint8_t *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(p != MAP_FAILED);
    return p;
}
static uint8_t *past_eof_page(void) {
    int fd = make_memfd("ktap-fault-bus", 4096);
    uint8_t *p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, 0);
    REQUIRE(p != MAP_FAILED);
    close(fd);
    return p + 4096; /* in the mapping, past the end of the 4 KiB file */
}

/* ---- read ------------------------------------------------------------------------------------ */

static uint8_t *bad_page;

static void *blocked_thread(void *arg) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, (int)(intptr_t)arg);
    pthread_sigmask(SIG_BLOCK, &s, NULL);
    uint32_t before = fixups();
    uint64_t v = 0;
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1);
    CHECK_EQ(fixups(), before); /* the system call, not a fault: the fault would kill us */
    uint64_t good = 0x1122334455667788ull;
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)&good, 8), 0);
    CHECK_EQ(v, good);
    return NULL;
}

static void reads_once(void) {
    CHECK_EQ(ag.fast_reads(NULL), 1);
    CHECK(handler_of(SIGSEGV) != (uintptr_t)SIG_DFL);
    CHECK(handler_of(SIGBUS) != (uintptr_t)SIG_DFL);
    uint64_t v = 0, good = 0x0102030405060708ull;
    uint32_t f0 = fixups();
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)&good, 8), 0);
    CHECK_EQ(v, good);
    CHECK_EQ(fixups(), f0);
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1);
    CHECK_EQ(fixups(), f0 + 1);
    CHECK_EQ(ag.user_read(&v, 0, 4), -1);       /* NULL */
    CHECK_EQ(ag.user_read(&v, 16, 1), -1);      /* NULL page */
    CHECK_EQ(fixups(), f0 + 3);
    uint8_t *bus = past_eof_page();              /* SIGBUS */
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bus, 8), -1);
    CHECK_EQ(fixups(), f0 + 4);
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bus - 4, 4), 0); /* the file's last bytes */
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bus - 4, 8), -1); /* crossing into it */
    munmap(bus - 4096, 8192);
#if defined(__x86_64__)
    CHECK_EQ(ag.user_read(&v, 0x8000000000000000ull, 8), -1); /* non-canonical: SI_KERNEL */
#else
    CHECK_EQ(ag.user_read(&v, 0x100000000ull, 8), -1); /* beyond 32 bits: refused, no fault */
#endif

    /* strings: one ending just before an unmapped page, one running into it, and a default */
    uint8_t *two = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    REQUIRE(two != MAP_FAILED);
    mprotect(two + 4096, 4096, PROT_NONE); /* unreadable (munmap'd, it could be reused) */
    memset(two, 'x', 4096);
    two[4095] = 0;
    kt_ctx ctx;
    ag.ctx_init(&ctx, arena, 0);
    char s[512];
    ag.user_string(&ctx, s, (kt_long)(uintptr_t)(two + 4090), -1, NULL, 0, sizeof s);
    CHECK_EQ(ctx.error, 0);
    CHECK(strcmp(s, "xxxxx") == 0);
    two[4095] = 'x';
    f0 = fixups();
    ag.user_string(&ctx, s, (kt_long)(uintptr_t)(two + 4090), -1, "dflt", 0, sizeof s);
    CHECK(strcmp(s, "dflt") == 0);
    CHECK_EQ(fixups(), f0 + 1);
    ag.user_string(&ctx, s, (kt_long)(uintptr_t)(two + 4090), 6, NULL, 0, sizeof s);
    CHECK_EQ(ctx.error, 0); /* maxlen 6 ends in the mapped page */
    CHECK(strcmp(s, "xxxxxx") == 0);
    ag.user_string(&ctx, s, (kt_long)(uintptr_t)bad_page, -1, NULL, 0, sizeof s);
    CHECK_EQ(ctx.error, KT_ERR_FAULT);
    CHECK(strstr(ctx.errmsg, "user string copy fault -14") != NULL);
    munmap(two, 8192);

    /* threads blocking SIGSEGV / SIGBUS read through the system call */
    pthread_t th;
    REQUIRE(pthread_create(&th, NULL, blocked_thread, (void *)(intptr_t)SIGSEGV) == 0);
    pthread_join(th, NULL);
    REQUIRE(pthread_create(&th, NULL, blocked_thread, (void *)(intptr_t)SIGBUS) == 0);
    pthread_join(th, NULL);
    CHECK_EQ(ag.fast_reads(NULL), 1);
}

static int mode_read(void) {
    bad_page = unmapped_page();
    for (int session = 0; session < 5; session++) {
        CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)SIG_DFL);
        CHECK_EQ(handler_of(SIGBUS), (uintptr_t)SIG_DFL);
        session_start();
        reads_once();
        session_end();
        CHECK_EQ(ag.fast_reads(NULL), 0);
        CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)SIG_DFL); /* the saved action, not ktap's */
        CHECK_EQ(handler_of(SIGBUS), (uintptr_t)SIG_DFL);
        uint64_t v;
        CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1); /* system call */
    }
    return 0;
}

/* ---- crash ----------------------------------------------------------------------------------- */

static int run_self(const char *m, const char *arg) {
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        char exe[512];
        ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
        if (n <= 0)
            _exit(126);
        exe[n] = 0;
        execl(exe, exe, m, arg, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    REQUIRE(waitpid(pid, &st, 0) == pid);
    return st;
}

/* child modes: crash-agent / crash-plain (NULL write), kill-agent / kill-plain (kill SIGSEGV) */
static volatile uintptr_t crash_addr = 8;

static int mode_crash_child(int agent, int by_kill) {
    struct rlimit rl = {0, 0};
    setrlimit(RLIMIT_CORE, &rl); /* no core files in the build tree: the status is compared */
    if (agent) {
        session_start();
        if (ag.fast_reads(NULL) != 1)
            return 3;
        uint64_t v;
        if (ag.user_read(&v, 0, 8) != -1) /* the fast path works before the real crash */
            return 4;
    }
    if (by_kill)
        kill(getpid(), SIGSEGV);
    else
        *(volatile int *)(uintptr_t)crash_addr = 1;
    return 5; /* survived */
}

static int mode_crash(void) {
    int plain = run_self("crash-plain", NULL), with = run_self("crash-agent", NULL);
    CHECK(WIFSIGNALED(plain) && WTERMSIG(plain) == SIGSEGV);
    CHECK_EQ(with, plain);
    if (with != plain)
        fprintf(stderr, "crash: status 0x%x with the agent, 0x%x without\n", with, plain);
    plain = run_self("kill-plain", NULL);
    with = run_self("kill-agent", NULL);
    CHECK(WIFSIGNALED(plain) && WTERMSIG(plain) == SIGSEGV);
    CHECK_EQ(with, plain);
    if (with != plain)
        fprintf(stderr, "kill: status 0x%x with the agent, 0x%x without\n", with, plain);
    return 0;
}

/* ---- the program's own handlers --------------------------------------------------------------- */

static sigjmp_buf own_jmp;
static volatile int own_segv, own_bus;
static volatile uintptr_t own_addr;

static void own_segv_handler(int sig, siginfo_t *si, void *uc) {
    (void)uc;
    own_segv++;
    own_addr = (uintptr_t)si->si_addr;
    if (sig == SIGSEGV)
        siglongjmp(own_jmp, 1);
}
static void own_bus_handler(int sig) { /* no SA_SIGINFO, SA_RESETHAND */
    own_bus++;
    siglongjmp(own_jmp, sig);
}

static void install_own(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = own_segv_handler;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR1);
    REQUIRE(sigaction(SIGSEGV, &sa, NULL) == 0);
}

/* The program's own fault: caught by its handler, which continues after siglongjmp. */
static int own_fault(uintptr_t addr) {
    int before = own_segv;
    if (sigsetjmp(own_jmp, 1) == 0) {
        (void)*(volatile int *)addr;
        return 0; /* not reached */
    }
    return own_segv == before + 1 && own_addr == addr;
}

static int mode_before(void) {
    bad_page = unmapped_page();
    install_own();
    struct sigaction sb;
    memset(&sb, 0, sizeof sb);
    sb.sa_handler = own_bus_handler;
    sb.sa_flags = SA_RESETHAND;
    sigemptyset(&sb.sa_mask);
    REQUIRE(sigaction(SIGBUS, &sb, NULL) == 0);

    for (int session = 0; session < 2; session++) {
        session_start();
        CHECK_EQ(ag.fast_reads(NULL), 1);
        CHECK(handler_of(SIGSEGV) != (uintptr_t)own_segv_handler);
        for (int i = 0; i < 3; i++) {
            CHECK(own_fault((uintptr_t)bad_page + 8 * i));
            uint32_t f0 = fixups();
            int seen = own_segv;
            uint64_t v;
            CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1);
            CHECK_EQ(fixups(), f0 + 1);
            CHECK_EQ(own_segv, seen); /* ktap's fault never reaches the program */
        }
        CHECK_EQ(ag.fast_reads(NULL), 1);
        session_end();
        CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)own_segv_handler);
        CHECK_EQ(handler_of(SIGBUS), (uintptr_t)own_bus_handler);
        CHECK(own_fault((uintptr_t)bad_page));
    }

    /* SA_RESETHAND without SA_SIGINFO: the program's SIGBUS handler runs once, then SIGBUS is
       SIG_DFL, as without ktap; the fast path goes off (the action is not ktap's any more) */
    session_start();
    CHECK_EQ(ag.fast_reads(NULL), 1);
    uint8_t *bus = past_eof_page();
    int r = sigsetjmp(own_jmp, 1);
    if (r == 0)
        (void)*(volatile uint8_t *)bus;
    CHECK_EQ(r, SIGBUS);
    CHECK_EQ(own_bus, 1);
    CHECK_EQ(handler_of(SIGBUS), (uintptr_t)SIG_DFL);
    CHECK_EQ(ag.fast_reads(NULL), 0);
    uint64_t v;
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bus, 8), -1); /* the system call */
    CHECK(own_fault((uintptr_t)bad_page));
    session_end();
    CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)own_segv_handler);
    CHECK_EQ(handler_of(SIGBUS), (uintptr_t)SIG_DFL);
    return 0;
}

static int mode_after(void) {
    bad_page = unmapped_page();
    session_start();
    CHECK_EQ(ag.fast_reads(NULL), 1);
    install_own();
    int64_t t0 = now_ms();
    while (ag.fast_reads(NULL) && now_ms() - t0 < 2000)
        usleep(1000);
    int64_t took = now_ms() - t0;
    CHECK_EQ(ag.fast_reads(NULL), 0);
    CHECK(took <= 250); /* the watchdog checks every 100 ms */
    printf("after: fast path off %lld ms after the program's sigaction\n", (long long)took);
    uint32_t f0 = fixups();
    uint64_t v;
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1);
    CHECK_EQ(fixups(), f0); /* the system call */
    CHECK(own_fault((uintptr_t)bad_page));
    session_end();
    CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)own_segv_handler); /* left in place */
    /* a later session keeps off (the program's handler may chain to ktap's saved action) */
    session_start();
    CHECK_EQ(ag.fast_reads(NULL), 0);
    CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)own_segv_handler);
    CHECK_EQ(ag.user_read(&v, (uint64_t)(uintptr_t)bad_page, 8), -1);
    CHECK(own_fault((uintptr_t)bad_page));
    session_end();
    CHECK_EQ(handler_of(SIGSEGV), (uintptr_t)own_segv_handler);
    return 0;
}

int main(int argc, char **argv) {
    mode = argc > 1 ? argv[1] : "read";
    load_agent();
    if (!strcmp(mode, "crash-plain") || !strcmp(mode, "kill-plain"))
        return mode_crash_child(0, mode[0] == 'k');
    setup_controller();
    if (!strcmp(mode, "crash-agent") || !strcmp(mode, "kill-agent"))
        return mode_crash_child(1, mode[0] == 'k');
    if (!strcmp(mode, "read"))
        mode_read();
    else if (!strcmp(mode, "crash"))
        mode_crash();
    else if (!strcmp(mode, "before"))
        mode_before();
    else if (!strcmp(mode, "after"))
        mode_after();
    else
        fail(__LINE__, "unknown mode");
    kill(controller, SIGKILL);
    if (failures) {
        fprintf(stderr, "agent_fault %s: %d check(s) FAILED\n", mode, failures);
        return 1;
    }
    printf("agent_fault %s (%s): all checks passed\n", mode,
           sizeof(void *) == 8 ? "x86_64" : "i386");
    return 0;
}
