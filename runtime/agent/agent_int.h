/* Internals of libktap-agent.so (docs/agent.md): the engine (runtime/, kt_internal.h), the
 * control interface (ktap/agent.h) and the language runtime (runtime/lang) in one library.
 *
 * Headers: rt.h and kt_lang.h share KT_OK (0, guarded by KT_OK_DEFINED). KT_API /
 * KT_STATIC_ASSERT / KT_LIKELY / KT_UNLIKELY are defined by both the engine and the language
 * runtime's internal header (KT_STATIC_ASSERT in another form): the language runtime's
 * definitions win. */
#ifndef KTAP_AGENT_INT_H
#define KTAP_AGENT_INT_H

#include "kt_internal.h"
#include "ktap/agent.h"
#undef KT_API
#undef KT_STATIC_ASSERT
#undef KT_LIKELY
#undef KT_UNLIKELY

#include "kt_lang_int.h"

#include <stdint.h>

#define KT_AGENT_HIDDEN __attribute__((visibility("hidden")))

/* Private per-site state (the agent's own record of what it did to a site; the site table in
 * the arena is shared with the controller and only reports). */
enum {
    KT_AS_RESERVED = 1,
    KT_AS_REGISTERED = 2,
    KT_AS_ARMED = 4,
    KT_AS_RETURN = 8,      /* registered as a kretprobe */
    KT_AS_EVER = 16,       /* registered once: its statistics can be collected */
};

/* Per engine thread block: what the host functions cache per thread. Written only by the
 * thread owning the block; `tid` tags the entry (a block reused by another thread refreshes). */
struct kt_agent_thread {
    int32_t comm_tid;     /* thread the cached name belongs to, 0: none */
    int32_t rng_tid;      /* thread the PRNG state belongs to */
    int64_t comm_stamp;   /* CLOCK_MONOTONIC ns of the last PR_GET_NAME */
    uint64_t rng;         /* splitmix64 state */
    char comm[16];
    /* agent_fault.c: whether SIGSEGV / SIGBUS are unblocked, for one handler run */
    int32_t mask_tid;     /* thread the entry belongs to, 0: none */
    uint32_t mask_exits;  /* the engine block's exit count of that run */
    uint32_t mask_epoch;  /* the watchdog's epoch then */
    int32_t mask_ok;
};

struct kt_agent {
    int32_t initialized;  /* 1 after a successful ktap_agent_init */
    uint8_t *arena;       /* state arena, read-write */
    kt_arena_header *hdr;
    uint64_t arena_bytes;
    uint8_t *code;        /* code arena, read-execute */
    uint64_t code_bytes;
    int64_t controller_pid;
    int32_t alive_fd; /* liveness pipe's read end, -1 when the pidfd of controller_pid is watched */
    int64_t target_pid;   /* setup->target_pid: target() when the arena header has none */
    int32_t pid;          /* cached getpid(); 0 after fork until refreshed */
    int32_t own_pid;      /* getpid() of the attached process (target_pid is its pid for ktap) */
    int32_t stop;         /* ktap_agent_detach: the watchdog leaves */
    int32_t watchdog_running;
    int32_t watchdog_tid;    /* the watchdog thread (never sampled) */
    int32_t controller_gone; /* the watchdog cleaned up */
    uint8_t *site_state;  /* KT_AS_* per site (mmap'd) */
    uint32_t site_cap;
    struct kt_agent_thread *threads; /* [kt_rt.max_threads] */
    uint32_t nthreads;
    uint64_t rng_seed;
};

extern struct kt_agent kt_agent KT_AGENT_HIDDEN;

/* kt_target.c (language runtime): forget the cached pid in a fork child. */
void kt_target_fork_child(void) KT_AGENT_HIDDEN;

/* agent_shims.c */
int kt_agent_pre(struct kt_kprobe *kp, struct kt_regs *regs) KT_AGENT_HIDDEN;
int kt_agent_entry(struct kt_kretprobe_instance *ri, struct kt_regs *regs) KT_AGENT_HIDDEN;
int kt_agent_return(struct kt_kretprobe_instance *ri, struct kt_regs *regs) KT_AGENT_HIDDEN;
int32_t kt_agent_tid(void) KT_AGENT_HIDDEN;
void kt_agent_err_record(kt_ctx *ctx, const char *prefix, const char *msg, const char *where)
    KT_AGENT_HIDDEN;

/* agent_host.c */
int64_t kt_agent_clock_ns(int clk) KT_AGENT_HIDDEN;
void kt_agent_host_init(void) KT_AGENT_HIDDEN;
void kt_agent_host_fork_child(void) KT_AGENT_HIDDEN;

/* agent_fault.c: fault-safe reads without a system call (docs/agent.md "Fault-safe reads"). */
extern int32_t kt_fast_reads KT_AGENT_HIDDEN; /* ktap's SIGSEGV/SIGBUS handler is installed */
void kt_fault_install(void) KT_AGENT_HIDDEN;  /* init: save the actions, install ktap's */
void kt_fault_check(void) KT_AGENT_HIDDEN;    /* watchdog: off when the application replaced it */
void kt_fault_restore(void) KT_AGENT_HIDDEN;  /* session end: the saved actions back */
void kt_fault_fork_child(void) KT_AGENT_HIDDEN;
int32_t kt_fault_read(void *dst, uint64_t addr, uint32_t n) KT_AGENT_HIDDEN;
/* agent_livepatch.c: code writes with the threads running (the watchdog's disarm after the
 * controller died): begin sets the engine's live writer (and ktap's SIGTRAP handler when every
 * thread takes SIGTRAP), end removes them. */
void kt_livepatch_begin(void) KT_AGENT_HIDDEN;
void kt_livepatch_end(void) KT_AGENT_HIDDEN;
/* kt_target.c (language runtime): the agent's fast read, NULL in the controller. */
extern int32_t (*kt_fast_read_hook)(void *dst, uint64_t addr, uint32_t n) KT_AGENT_HIDDEN;
/* kt_unwind.c (language runtime): return-stub addresses to real return addresses, and the
 * mapping holding a stack pointer (agent_stack.c). */
extern uintptr_t (*kt_unwind_pc_hook)(uintptr_t pc) KT_AGENT_HIDDEN;
extern uintptr_t kt_unwind_stub_lo, kt_unwind_stub_hi KT_AGENT_HIDDEN;
extern int32_t (*kt_stack_bounds_hook)(uint64_t sp, uint64_t *lo, uint64_t *hi) KT_AGENT_HIDDEN;
int32_t kt_agent_stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi) KT_AGENT_HIDDEN;

/* agent.c: the agent lock of control calls (the watchdog and new threads try it too). */
int kt_agent_trylock(void) KT_AGENT_HIDDEN;
void kt_agent_unlock(void) KT_AGENT_HIDDEN;
/* agent_shims.c: runs one sampling probe's handler with the interrupted registers. */
void kt_agent_run_sample(int32_t probe, uint64_t fn, struct kt_regs *regs,
                         int64_t *hits) KT_AGENT_HIDDEN;
/* agent_sample.c (docs/profiling.md): start timers on every thread (0, or < 0), poll for new
 * and exited threads (the watchdog, every 10 ms while running), stop (WAIT: for handlers in
 * progress, when the threads run). */
int32_t kt_sample_start(void) KT_AGENT_HIDDEN;
void kt_sample_poll(void) KT_AGENT_HIDDEN;
int kt_sample_running(void) KT_AGENT_HIDDEN;
void kt_sample_stop(int wait) KT_AGENT_HIDDEN;

/* agent_vdso.c: address of a vDSO function, or NULL. */
void *kt_agent_vdso_sym(const char *name) KT_AGENT_HIDDEN;

static inline kt_site *kt_agent_sites(void) {
    return (kt_site *)(kt_agent.arena + kt_agent.hdr->sites_off);
}

/* Raw system calls (the engine's; libc wrappers may be probed). */
static inline long kt_agent_sys(long nr, long a, long b, long c) {
    return kt_arch_syscall3(nr, a, b, c);
}
static inline long kt_agent_sys4(long nr, long a, long b, long c, long d) {
    return kt_arch_syscall4(nr, a, b, c, d);
}

#ifdef KT_FREESTANDING
/* nolibc.c: the target's vDSO base (getauxval there) */
extern uintptr_t kt_nolibc_vdso_base KT_AGENT_HIDDEN;
#endif

#endif
