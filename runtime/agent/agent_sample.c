/* Sampling probes (timer.profile, perf.sw.cpu_clock.sample(N); docs/profiling.md): every thread
 * of the target gets a POSIX timer on its own CPU clock per sampling period, which signals that
 * very thread (SIGEV_THREAD_ID); the handler runs the period's probes there with the interrupted
 * registers. The signal is a real-time one that nobody handles (the highest free one), so it
 * cannot collide with the program's SIGPROF, setitimer or timer_create; SA_RESTART restarts the
 * system calls a sample interrupts.
 *
 * Threads: the watchdog lists /proc/self/task every 10 ms while sampling runs and gives new
 * threads timers (and deletes those of threads that are gone); start lists them at once.
 * Everything here uses raw system calls: libc's may be probed. */
#define _GNU_SOURCE
#include "agent_int.h"
#include "agent_signal.h"
#include "ktap/sample.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define MAX_TIMED 8192
#define KT_SI_TIMER (-2)
#define KT_SIGEV_THREAD_ID 4
#define KT_SA_RESTART 0x10000000ul

struct timed {
    int32_t tid;
    int32_t seen;
    int32_t ids[KT_SAMPLE_MAX_PERIODS];
};

static struct timed *timed; /* [MAX_TIMED], mmap'd at the first start */
static uint32_t ntimed;
static int32_t sampling;  /* the handler runs probes only while 1 */
static int32_t inflight;  /* handlers running now (session end waits for them) */
static int32_t own_signo; /* the signal ktap's handler is installed for, 0: none */

/* The agent's own code (engine, shims, language runtime): a sample there is ktap's time. */
extern const char __ehdr_start[] __attribute__((visibility("hidden")));
extern const char etext[] __attribute__((visibility("hidden")));

static struct kt_sample_area *area(void) {
    if (!kt_agent.hdr || !kt_agent.hdr->sample_off)
        return NULL;
    return (struct kt_sample_area *)(kt_agent.arena + kt_agent.hdr->sample_off);
}

static int in_ktap(uintptr_t pc) {
    if (pc >= (uintptr_t)__ehdr_start && pc < (uintptr_t)etext)
        return 1;
    if (kt_agent.code && pc >= (uintptr_t)kt_agent.code &&
        pc < (uintptr_t)kt_agent.code + kt_agent.code_bytes)
        return 1; /* JIT'd handlers */
    return kt_unwind_stub_hi && pc >= kt_unwind_stub_lo && pc < kt_unwind_stub_hi;
}

static void regs_of(const ucontext_t *uc, struct kt_regs *r) {
    const greg_t *g = uc->uc_mcontext.gregs;
#if defined(__x86_64__)
    r->r15 = (uint64_t)g[REG_R15];
    r->r14 = (uint64_t)g[REG_R14];
    r->r13 = (uint64_t)g[REG_R13];
    r->r12 = (uint64_t)g[REG_R12];
    r->r11 = (uint64_t)g[REG_R11];
    r->r10 = (uint64_t)g[REG_R10];
    r->r9 = (uint64_t)g[REG_R9];
    r->r8 = (uint64_t)g[REG_R8];
    r->rdi = (uint64_t)g[REG_RDI];
    r->rsi = (uint64_t)g[REG_RSI];
    r->rbp = (uint64_t)g[REG_RBP];
    r->rbx = (uint64_t)g[REG_RBX];
    r->rdx = (uint64_t)g[REG_RDX];
    r->rcx = (uint64_t)g[REG_RCX];
    r->rax = (uint64_t)g[REG_RAX];
    r->flags = (uint64_t)g[REG_EFL];
    r->sp = (uint64_t)g[REG_RSP];
    r->ip = (uint64_t)g[REG_RIP];
#else
    r->edi = (uint32_t)g[REG_EDI];
    r->esi = (uint32_t)g[REG_ESI];
    r->ebp = (uint32_t)g[REG_EBP];
    r->ebx = (uint32_t)g[REG_EBX];
    r->edx = (uint32_t)g[REG_EDX];
    r->ecx = (uint32_t)g[REG_ECX];
    r->eax = (uint32_t)g[REG_EAX];
    r->flags = (uint32_t)g[REG_EFL];
    r->sp = (uint32_t)g[REG_ESP];
    r->ip = (uint32_t)g[REG_EIP];
#endif
    r->st_count = 0;
}

/* One more sample in a handler of the function probe at SITE (a slot per function, claimed
 * with a CAS; none left: only in_ktap counts it). */
static void count_inside(struct kt_sample_area *a, uintptr_t site) {
    for (uint32_t i = 0; site && i < KT_SAMPLE_MAX_INSIDE; i++) {
        /* A word-sized CAS on the field's low half (i386: no 8-byte atomics without libatomic;
         * the high half stays 0, little-endian) */
        uintptr_t *slot = (uintptr_t *)&a->inside[i].site;
        uintptr_t cur = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (cur == 0) {
            uintptr_t zero = 0;
            if (__atomic_compare_exchange_n(slot, &zero, site, 0, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE))
                cur = site;
            else
                cur = zero;
        }
        if (cur == site) {
            kt_add64(&a->inside[i].count, 1);
            return;
        }
    }
}

static void take_sample(siginfo_t *si, void *ucv);

static void on_sample(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    __atomic_add_fetch(&inflight, 1, __ATOMIC_ACQ_REL);
    if (__atomic_load_n(&sampling, __ATOMIC_ACQUIRE))
        take_sample(si, ucv);
    __atomic_sub_fetch(&inflight, 1, __ATOMIC_ACQ_REL);
}

static void take_sample(siginfo_t *si, void *ucv) {
    struct kt_sample_area *a = area();
    if (!a || !__atomic_load_n(&sampling, __ATOMIC_ACQUIRE) || si->si_code != KT_SI_TIMER)
        return;
    int32_t period = si->si_value.sival_int;
    if (period < 0 || period >= (int32_t)a->nperiods)
        return;
    kt_add64(&a->samples, 1);
    struct kt_regs r;
    kt_memset(&r, 0, sizeof r);
    regs_of((const ucontext_t *)ucv, &r);
    /* Inside ktap (the engine or a handler on this thread, its code, a return stub): a handler
     * cannot run here (its locks and slot may be held by the interrupted one). */
    struct kt_thread *t = kt_self();
    if (t && __atomic_load_n(&t->guard_sp, __ATOMIC_ACQUIRE) != 0) {
        /* In the engine: during a handler, the probed function's time (reported per function) */
        if (t->busy_stage != KT_BUSY_NONE && t->busy_probe < kt_rt.max_probes)
            count_inside(a, kt_rt.probes[t->busy_probe].site);
        kt_add64(&a->in_ktap, 1);
        return;
    }
    if (in_ktap((uintptr_t)r.ip)) {
        kt_add64(&a->in_ktap, 1);
        return;
    }
    /* In a trampoline: the probed function's own instructions, relocated. */
    uintptr_t site = kt_tramp_site_at((uintptr_t)r.ip);
    if (site) {
        r.ip = site;
        kt_add64(&a->in_trampoline, 1);
    }
    if (!__atomic_load_n(&kt_agent.hdr->probes_enabled, __ATOMIC_ACQUIRE))
        return;
    for (uint32_t i = 0; i < a->nprobes && i < KT_SAMPLE_MAX_PROBES; i++)
        if (a->probes[i].period == period && a->probes[i].handler)
            kt_agent_run_sample(a->probes[i].probe, a->probes[i].handler, &r, &a->probes[i].hits);
}

/* The highest real-time signal whose action is the default (or ktap's own, from an earlier
 * session): nobody sends or handles it. glibc keeps the lowest two for itself. */
static int pick_signal(void) {
    for (int sig = 64; sig >= 40; sig--) {
        struct kt_ksigaction cur;
        if (kt_ksigaction(sig, NULL, &cur) != 0)
            continue;
        if (cur.handler == (uintptr_t)on_sample || cur.handler == KT_SIG_DFL)
            return sig;
    }
    return -1;
}

static int install_handler(int sig) {
    struct kt_ksigaction act;
    act.handler = (uintptr_t)on_sample;
    act.flags = KT_SA_SIGINFO | KT_SA_RESTORER | KT_SA_RESTART;
    act.restorer = (uintptr_t)kt_fault_restorer;
    /* Everything blocked while it runs but the faults ktap's fault-safe reads take (and the
     * synchronous ones: blocking those would kill the thread). */
    act.mask = ~(KT_SIGBIT(SIGSEGV) | KT_SIGBIT(SIGBUS) | KT_SIGBIT(SIGILL) | KT_SIGBIT(SIGTRAP) |
                 KT_SIGBIT(SIGFPE));
    return kt_ksigaction(sig, &act, NULL) == 0 ? 0 : -1;
}

/* The kernel's CPU clock of thread TID (MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED)). */
static int thread_clock(int32_t tid) {
    return (int)(((uint32_t) ~(uint32_t)tid << 3) | 6u);
}

struct kt_itimerspec {
    long interval_sec, interval_nsec, value_sec, value_nsec;
};

static void start_timers(struct kt_sample_area *a, struct timed *e) {
    for (uint32_t p = 0; p < a->nperiods; p++) {
        struct sigevent sev;
        kt_memset(&sev, 0, sizeof sev);
        sev.sigev_value.sival_int = (int)p;
        sev.sigev_signo = own_signo;
        sev.sigev_notify = KT_SIGEV_THREAD_ID;
        sev._sigev_un._tid = e->tid; /* sigev_notify_thread_id */
        int id = -1;
        if (kt_agent_sys(SYS_timer_create, thread_clock(e->tid), (long)&sev, (long)&id) != 0) {
            kt_add64(&a->timer_errors, 1);
            continue;
        }
        uint64_t ns = a->period_ns[p];
        struct kt_itimerspec its = {(long)(ns / 1000000000u), (long)(ns % 1000000000u),
                                    (long)(ns / 1000000000u), (long)(ns % 1000000000u)};
        if (kt_agent_sys4(SYS_timer_settime, id, 0, (long)&its, 0) != 0) {
            kt_agent_sys(SYS_timer_delete, id, 0, 0);
            kt_add64(&a->timer_errors, 1);
            continue;
        }
        e->ids[p] = id;
    }
}

static void stop_timers(struct timed *e) {
    for (int p = 0; p < KT_SAMPLE_MAX_PERIODS; p++)
        if (e->ids[p] >= 0) {
            kt_agent_sys(SYS_timer_delete, e->ids[p], 0, 0);
            e->ids[p] = -1;
        }
}

static struct timed *find_timed(int32_t tid) {
    for (uint32_t i = 0; i < ntimed; i++)
        if (timed[i].tid == tid)
            return &timed[i];
    return NULL;
}

/* A new entry for thread TID, with its timers; NULL when the table is full. */
static struct timed *add_timed(struct kt_sample_area *a, int32_t tid) {
    if (ntimed >= MAX_TIMED)
        return NULL;
    struct timed *e = &timed[ntimed++];
    e->tid = tid;
    e->seen = 1;
    for (int p = 0; p < KT_SAMPLE_MAX_PERIODS; p++)
        e->ids[p] = -1;
    start_timers(a, e);
    kt_add64(&a->threads, 1);
    return e;
}

struct kt_dirent64 {
    uint64_t ino;
    int64_t off;
    uint16_t reclen;
    uint8_t type;
    char name[];
};

/* Gives every thread but the watchdog (SELF) timers, and drops the timers of threads that are
 * gone. Runs on one thread at a time: a control call (the target stopped, the watchdog too) or
 * the watchdog. */
static void scan_threads(struct kt_sample_area *a, int32_t self) {
    long fd = kt_agent_sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/task",
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (fd < 0)
        return;
    for (uint32_t i = 0; i < ntimed; i++)
        timed[i].seen = 0;
    char buf[4096] __attribute__((aligned(8)));
    for (;;) {
        long n = kt_agent_sys(SYS_getdents64, fd, (long)buf, sizeof buf);
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            struct kt_dirent64 *d = (struct kt_dirent64 *)(buf + off);
            off += d->reclen;
            int32_t tid = 0;
            const char *c = d->name;
            if (*c < '0' || *c > '9')
                continue;
            while (*c >= '0' && *c <= '9')
                tid = tid * 10 + (*c++ - '0');
            if (tid == self)
                continue;
            struct timed *e = find_timed(tid);
            if (!e)
                e = add_timed(a, tid);
            if (e)
                e->seen = 1;
        }
    }
    kt_agent_sys(SYS_close, fd, 0, 0);
    for (uint32_t i = 0; i < ntimed;) {
        if (timed[i].seen) {
            i++;
            continue;
        }
        stop_timers(&timed[i]);
        timed[i] = timed[--ntimed];
    }
}

/* ---- new threads: started in the agent, which gives them their timers first ---------------- */

/* A thread's real start routine and argument, while pthread_create makes it. A record whose
 * pthread_create failed is never freed (the pool is bounded: then threads are found by the
 * watchdog's polling again). */
struct thread_start {
    void *(*start)(void *);
    void *arg;
    struct thread_start *next;
};
#define MAX_STARTS 4096
static struct thread_start *starts; /* [MAX_STARTS], mmap'd */
static struct thread_start *free_starts;
static uint32_t starts_used;
static int32_t starts_lock;

static struct thread_start *alloc_start(void) {
    while (__atomic_exchange_n(&starts_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    struct thread_start *ts = free_starts;
    if (ts)
        free_starts = ts->next;
    else if (starts && starts_used < MAX_STARTS)
        ts = &starts[starts_used++];
    __atomic_store_n(&starts_lock, 0, __ATOMIC_RELEASE);
    return ts;
}

static void free_start(struct thread_start *ts) {
    while (__atomic_exchange_n(&starts_lock, 1, __ATOMIC_ACQUIRE))
        __asm__ volatile("pause");
    ts->next = free_starts;
    free_starts = ts;
    __atomic_store_n(&starts_lock, 0, __ATOMIC_RELEASE);
}

/* A new thread's first code: its timers, then its own start routine. */
static void *thread_start(void *p) {
    struct thread_start *ts = p;
    void *(*start)(void *) = ts->start;
    void *arg = ts->arg;
    free_start(ts);
    struct kt_sample_area *a = area();
    if (a && __atomic_load_n(&sampling, __ATOMIC_ACQUIRE) && kt_agent_trylock()) {
        if (__atomic_load_n(&sampling, __ATOMIC_ACQUIRE)) {
            int32_t tid = (int32_t)kt_agent_sys(SYS_gettid, 0, 0, 0);
            /* An entry with this tid: the watchdog listed this thread before it got here, or
             * it is an exited thread's not dropped yet (tids are reused), whose timers died
             * with it. Fresh timers serve both (not counted as another thread). */
            struct timed *e = find_timed(tid);
            if (e) {
                stop_timers(e);
                start_timers(a, e);
            } else {
                add_timed(a, tid);
            }
        }
        kt_agent_unlock();
    }
    return start(arg);
}

/* ktap's entry probe on pthread_create (a JIT handler's signature): the thread starts in
 * thread_start with a record of its real start routine and argument (the third and fourth
 * arguments: rdx and rcx on x86_64, the stack on i386). */
void ktap_agent_thread_create(kt_ctx *ctx) {
    struct kt_regs *r = (struct kt_regs *)ctx->regs;
    if (!r || !__atomic_load_n(&sampling, __ATOMIC_ACQUIRE))
        return;
    struct thread_start *ts = alloc_start();
    if (!ts)
        return;
#if defined(__x86_64__)
    ts->start = (void *(*)(void *))(uintptr_t)r->rdx;
    ts->arg = (void *)(uintptr_t)r->rcx;
    r->rdx = (uint64_t)(uintptr_t)thread_start;
    r->rcx = (uint64_t)(uintptr_t)ts;
#else
    uint32_t *args = (uint32_t *)(uintptr_t)(r->sp + 4); /* thread, attr, start, arg */
    ts->start = (void *(*)(void *))(uintptr_t)args[2];
    ts->arg = (void *)(uintptr_t)args[3];
    args[2] = (uint32_t)(uintptr_t)thread_start;
    args[3] = (uint32_t)(uintptr_t)ts;
#endif
}

int32_t kt_sample_start(void) {
    struct kt_sample_area *a = area();
    if (!a || !a->nprobes || a->nperiods == 0 || a->nperiods > KT_SAMPLE_MAX_PERIODS)
        return 0;
    if (!timed) {
        void *m = mmap(NULL, sizeof(struct timed) * MAX_TIMED, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return -1;
        timed = m;
    }
    if (!starts) {
        void *m = mmap(NULL, sizeof(struct thread_start) * MAX_STARTS, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED)
            starts = m;
    }
    if (!own_signo) {
        int sig = pick_signal();
        if (sig < 0 || install_handler(sig) != 0)
            return -2;
        own_signo = sig;
    }
    a->signo = own_signo;
    __atomic_store_n(&sampling, 1, __ATOMIC_RELEASE);
    scan_threads(a, __atomic_load_n(&kt_agent.watchdog_tid, __ATOMIC_ACQUIRE));
    __atomic_store_n(&a->active, 1, __ATOMIC_RELEASE);
    return 0;
}

void kt_sample_poll(void) {
    struct kt_sample_area *a = area();
    if (!a || !__atomic_load_n(&sampling, __ATOMIC_ACQUIRE))
        return;
    /* The program installed its own action for ktap's signal: it must not get ktap's timer
     * signals. Sampling stops (within 10 ms of the change), and the report says why. */
    struct kt_ksigaction cur;
    if (kt_ksigaction(own_signo, NULL, &cur) == 0 && cur.handler != (uintptr_t)on_sample) {
        kt_sample_stop(0);
        own_signo = 0;
        __atomic_store_n(&a->taken_over, 1, __ATOMIC_RELEASE);
        return;
    }
    scan_threads(a, __atomic_load_n(&kt_agent.watchdog_tid, __ATOMIC_ACQUIRE));
}

int kt_sample_running(void) {
    return __atomic_load_n(&sampling, __ATOMIC_ACQUIRE);
}

/* Timers deleted; the handler stays installed (a signal already queued must not meet the
 * default action, which would end the process) and ignores what still arrives. */
void kt_sample_stop(int wait) {
    __atomic_store_n(&sampling, 0, __ATOMIC_SEQ_CST);
    for (uint32_t i = 0; i < ntimed; i++)
        stop_timers(&timed[i]);
    ntimed = 0;
    struct kt_sample_area *a = area();
    if (a)
        __atomic_store_n(&a->active, 0, __ATOMIC_RELEASE);
    /* Before the arena goes (session end, threads running): handlers already past the switch
     * finish first. Not from a control call: a thread stopped in one would never finish. */
    for (int i = 0; wait && i < 1000 && __atomic_load_n(&inflight, __ATOMIC_ACQUIRE); i++) {
        struct {
            long sec, nsec;
        } ms = {0, 1000000};
        kt_agent_sys(SYS_nanosleep, (long)&ms, 0, 0);
    }
}
