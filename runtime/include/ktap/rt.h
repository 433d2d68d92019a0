/* ktap runtime: in-process entry probes (kprobes) and return probes (kretprobes).
 *
 * Adapted from the Linux kretprobes API (see docs/engine.md). The runtime is injected into
 * arbitrary processes, so everything reachable from a trampoline is async-signal-safe: no malloc,
 * no locks, no syscalls on the common path.
 *
 * Life cycle of a probe:
 *   1. kt_tramp_reserve(site)          -> a trampoline slot near the site (the same slot for
 *                                         the same site every time, unless its bytes changed)
 *   2. prepare (64-bit, Zydis; see ktap/prep.h) -> struct kt_patch (relocated bytes + 5-byte jmp)
 *   3. kt_register_kprobe / kt_register_kretprobe(probe, patch) -> pool allocated, trampoline
 *      written, NOT armed
 *   4. kt_arm(&kp) writes the jmp; kt_disarm(&kp) restores the original bytes exactly
 *   5. kt_unregister_*: disarm, wait until no handler of this probe runs, instances still in flight
 *      return normally without running the handler. The record is reused by a later
 *      registration (the same site's first) once none of those instances is outstanding.
 */
#ifndef KTAP_RT_H
#define KTAP_RT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_API __attribute__((visibility("default")))

/* Saved registers, as seen by handlers. Layout is fixed (the trampolines fill it). */
#if defined(__x86_64__)
struct kt_regs {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rdi, rsi, rbp, rbx, rdx, rcx, rax;
    uint64_t flags;
    uint64_t sp; /* at entry: address of the return-address slot; at return: sp after the ret */
    uint64_t ip; /* at entry: the probed function; at return: the real return address */
    uint8_t xmm[16][16]; /* captured: xmm0-7 at entry (not with KT_NO_VECTOR_REGS), xmm0-1 at
                            return; the other entries are not filled */
    uint8_t st[2][16];   /* x87 st0, st1 (80-bit values) saved at return when live */
    uint32_t st_count;   /* how many of st[] were live (return path, non-lean handlers only) */
    uint8_t saved_ah_, saved_of_; /* runtime-private: how the trampoline restores flags */
    uint16_t pad_;
    uint64_t pad2_;
};
#elif defined(__i386__)
struct kt_regs {
    uint32_t edi, esi, ebp, ebx, edx, ecx, eax;
    uint32_t flags;
    uint32_t sp; /* at entry: address of the return-address slot; at return: sp after the ret */
    uint32_t ip; /* at entry: the probed function; at return: the real return address */
    uint8_t xmm[8][16]; /* not captured on i386 (no arguments or results in xmm by the ABI) */
    uint8_t st[2][16];
    uint32_t st_count;
    uint8_t saved_ah_, saved_of_;
    uint16_t pad_;
    uint32_t pad2_[2];
};
#else
#error "ktap runtime: unsupported architecture"
#endif

/* Bytes that a preparer produced for one site (layout identical on both arches). */
#define KT_PATCH_LEN 5
#define KT_RELOC_MAX 80
struct kt_patch {
    uint64_t site;               /* function entry */
    uint64_t tramp;              /* trampoline slot (from kt_tramp_reserve) */
    uint64_t hop;                /* 0, or where the jump lands: a jump on to tramp (a punned
                                    jump that keeps 4 bytes reaches one address only) */
    uint8_t orig[KT_PATCH_LEN];  /* bytes at site before arming */
    uint8_t jmp[KT_PATCH_LEN];   /* jmp rel32 site -> tramp */
    uint8_t displaced_len;       /* whole instructions moved: >= 5, or fewer when the jump's
                                    last bytes equal the original ones (punned) */
    uint8_t reloc_len;           /* bytes of reloc[] used */
    uint8_t reloc[KT_RELOC_MAX]; /* relocated instructions + jump back, for tramp+head */
};

/* A trampoline slot: the runtime writes its head, the preparer fills reloc_addr. */
struct kt_tramp_info {
    uint64_t slot;
    uint64_t hop; /* 0, or the address the site's jump must land at, which jumps on to slot */
    uint64_t reloc_addr;
    uint32_t reloc_cap;
    uint32_t bits; /* 32 or 64 */
};

struct kt_regs;
struct kt_kprobe;
struct kt_kretprobe;

typedef int (*kt_pre_handler_t)(struct kt_kprobe *, struct kt_regs *);

/* Handlers use no vector or x87 registers (built with -mgeneral-regs-only, like JIT'd
 * handlers): the runtime then skips saving xmm2-15 / x87 around them (faster), and st[] is not
 * captured. Without it, handlers may be any C code. */
#define KT_HANDLER_LEAN 1u
/* Handlers do not read regs->xmm at entry (no floating-point arguments wanted): xmm0-7 are not
 * captured (x86_64; i386 never captures them at entry). */
#define KT_NO_VECTOR_REGS 2u

/* Saved registers: handlers may read them all. Changes to general registers (and xmm0-7 at
 * entry, xmm0-1 at return) are written back; flags, sp and ip are read-only. The direction flag
 * is always clear (the ABI requires it at calls and returns). */

struct kt_kprobe {
    uintptr_t addr;               /* function entry */
    kt_pre_handler_t pre_handler; /* entry probe handler; unused for kretprobe.kp */
    void *user;                   /* free for the caller */
    unsigned flags;               /* KT_HANDLER_LEAN, KT_NO_VECTOR_REGS */
    void *priv_;                  /* runtime-owned */
};

struct kt_kretprobe_instance {
    struct kt_kretprobe *rp; /* the probe (valid while the handler runs) */
    uintptr_t ret_addr;      /* real return address */
    uintptr_t stack_addr;    /* address of the return-address slot */
    uint32_t thread_index;   /* the runtime's per-thread block this instance belongs to */
    uint32_t depth;          /* position in that thread's return stack */
    unsigned char data[] __attribute__((aligned(16))); /* data_size bytes for the entry handler */
};

typedef int (*kt_kretprobe_handler_t)(struct kt_kretprobe_instance *, struct kt_regs *);

#define KT_MAXACTIVE_DEFAULT 4096 /* used when maxactive <= 0; see docs/engine.md */

struct kt_kretprobe {
    struct kt_kprobe kp;
    kt_kretprobe_handler_t handler;       /* after the function returned */
    kt_kretprobe_handler_t entry_handler; /* optional; non-zero return = skip this instance */
    size_t data_size;                     /* bytes of instance data for the entry handler */
    int maxactive;                        /* <= 0: KT_MAXACTIVE_DEFAULT */
    unsigned long nmissed;                /* refreshed by kt_kretprobe_stats() */
};

/* Every counter of one probe. The "nothing lost" invariant (kt_stats_lost() == 0):
 * entries = returns_handled + skipped + missed_* + discarded_* + in_flight
 * For entry probes: entries = handled (pre-handler ran) + missed_reentrant + missed_nothread. */
struct kt_stats {
    uint64_t entries;
    uint64_t returns_handled;   /* kretprobe: return handler ran; kprobe: pre-handler ran */
    uint64_t skipped;           /* entry handler returned non-zero */
    uint64_t missed_budget;     /* no free instance (maxactive): the kretprobe nmissed */
    uint64_t missed_depth;      /* the thread's return stack is full */
    uint64_t missed_reentrant;  /* hit while this thread was inside the runtime/handlers */
    uint64_t missed_nothread;   /* no per-thread block available (pool exhausted, exiting thread) */
    uint64_t discarded_unwound; /* frame left by longjmp / exception / forced unwind */
    uint64_t discarded_thread_exit; /* thread exited with the instance outstanding */
    uint64_t discarded_fork_child;  /* instance of another thread, dropped in a fork child */
    uint64_t discarded_unregister;  /* returned after unregister: handler not run */
    uint64_t in_flight;             /* instances outstanding now */
};

struct kt_config {
    uint32_t max_threads; /* per-thread blocks preallocated; default 256 (env KTAP_RT_THREADS) */
    uint32_t max_depth;   /* return stack per thread; default 1024 (env KTAP_RT_DEPTH) */
    uint32_t max_probes;  /* probe records (live, or dead with instances outstanding); default
                             4096 (env KTAP_RT_PROBES) */
};

enum {
#ifndef KT_OK_DEFINED /* the language runtime's kt_lang.h defines KT_OK = 0 too */
#define KT_OK_DEFINED
    KT_OK = 0,
#endif
    KT_EINVAL = -1,
    KT_ENOMEM = -2,
    KT_EBUSY = -3,       /* site already probed / probe already registered */
    KT_EPATCH = -4,      /* bytes at the site are not what the patch expects */
    KT_ENOSPC = -5,      /* no trampoline memory near the site / too many probes */
    KT_EUNWIND = -6,     /* could not register unwind info (libgcc_s missing) */
    KT_EGONE = -7,       /* the site's code is no longer mapped (dlclose) */
    KT_ESHSTK = -8,      /* return probes refused: a CET shadow stack is active (x86_64) */
    KT_ETOOMANY = -9,    /* every probe record is live or has return instances outstanding */
    KT_ECODEWRITE = -10, /* code may not be made writable (MDWE) and /proc/self/mem refused */
    KT_EGO = -11,        /* return probes refused: a Go program (its runtime walks stacks) */
};

KT_API int kt_init(const struct kt_config *cfg); /* optional; called by the first register */
KT_API const char *kt_strerror(int err);

KT_API int kt_tramp_reserve(uintptr_t site, struct kt_tramp_info *out);
/* A slot for SITE that starts in [lo, hi] (a punned jump: kt_prep_pun_window), in a page of its
 * own mapped there when needed; the site keeps it as its slot. A window of one address (lo ==
 * hi: the jump keeps 4 bytes) gets a hop there to the site's ordinary slot instead (out->hop).
 * KT_ENOSPC: none could be had. */
KT_API int kt_tramp_reserve_in(uintptr_t site, uintptr_t lo, uintptr_t hi,
                               struct kt_tramp_info *out);

KT_API int kt_register_kprobe(struct kt_kprobe *kp, const struct kt_patch *patch);
KT_API void kt_unregister_kprobe(struct kt_kprobe *kp);
KT_API int kt_register_kretprobe(struct kt_kretprobe *rp, const struct kt_patch *patch);
KT_API void kt_unregister_kretprobe(struct kt_kretprobe *rp);

KT_API int kt_arm(struct kt_kprobe *kp);    /* writes the 5-byte jmp */
KT_API int kt_disarm(struct kt_kprobe *kp); /* restores the original bytes */

KT_API int kt_kprobe_stats(struct kt_kprobe *kp, struct kt_stats *out);
KT_API int kt_kretprobe_stats(struct kt_kretprobe *rp, struct kt_stats *out);
KT_API int64_t kt_stats_lost(const struct kt_stats *s); /* 0 when nothing is lost */

/* Return stubs and unwinding: a hijacked return address points at a per-thread, per-depth stub
 * that has DWARF unwind info, so C++ exceptions and backtrace() work; in backtraces the stub shows
 * up as an extra frame. kt_translate_pc maps a stub address to the real return address. */
KT_API int kt_is_return_stub(uintptr_t pc);
KT_API uintptr_t kt_translate_pc(uintptr_t pc);

/* Runtime-wide counters for tests and diagnostics. */
struct kt_global_stats {
    uint32_t threads_in_use;
    uint32_t threads_max;
    uint64_t threads_attached; /* per-thread blocks claimed since start */
    uint64_t threads_released;
    uint64_t grace_timeouts;    /* unregister gave up waiting for a thread (stale guard) */
    uint32_t unwind_registered; /* 1 when stub unwind info is registered with libgcc */
};
KT_API void kt_global_stats(struct kt_global_stats *out);

/* The calling thread's return-stack depth (tests). */
KT_API uint32_t kt_thread_depth(void);

#ifdef __cplusplus
}
#endif
#endif
