/* Internal structures of the ktap runtime, shared by the generic engine and runtime/arch/. */
#ifndef KT_INTERNAL_H
#define KT_INTERNAL_H

#include "ktap/rt.h"

#include <pthread.h>

#define KT_HIDDEN __attribute__((visibility("hidden")))
#define KT_LIKELY(x) __builtin_expect(!!(x), 1)
#define KT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define KT_BARRIER() __asm__ __volatile__("" ::: "memory")

/* Default size of the probe table (env KTAP_RT_PROBES): enough for every function of a large C++
 * program and its libraries, entry and return. Per-thread counters are reserved for all of them
 * and made accessible a chunk of ids at a time (KT_PSTAT_CHUNK), as ids are handed out. */
#if defined(__x86_64__)
#define KT_MAX_PROBES 32768 /* 1 MiB of reserved address space per thread block */
#else
#define KT_MAX_PROBES 16384 /* i386: 16 B per id and thread of reserved address space */
#endif
#define KT_PSTAT_CHUNK 4096
#define KT_STUB_STRIDE 32 /* bytes per return stub; stub j starts at 32*j + 1 */

/* Counters: unsigned long so that i386 needs no 64-bit atomics (they wrap at 2^32 there). */
typedef unsigned long kt_ctr;
#define KT_INC(c) __atomic_fetch_add(&(c), 1, __ATOMIC_RELAXED)
#define KT_ADD(c, n) __atomic_fetch_add(&(c), (n), __ATOMIC_RELAXED)
#define KT_LOAD(c) __atomic_load_n(&(c), __ATOMIC_RELAXED)

enum kt_probe_state { KT_P_FREE = 0, KT_P_REGISTERED = 1, KT_P_DEAD = 2 };
enum kt_probe_kind { KT_KIND_KPROBE = 1, KT_KIND_KRETPROBE = 2 };

struct kt_instance;

/* A lock-free LIFO of instances (tagged index, ABA-safe); the kretprobe pool. */
struct kt_pool {
    uint64_t head __attribute__((aligned(64))); /* tag << 32 | (index + 1); 0 index = empty */
    uint32_t fresh; /* instances [fresh, count) were never handed out (their pages untouched) */
    char *base;
    uint32_t count;
    uint32_t stride;
    uint32_t probe_id; /* written into each instance when first handed out */
};

/* Runtime-owned probe ("holder" in kernel terms): immortal, so instances and trampolines
 * that outlive unregister never touch freed memory. */
struct kt_probe {
    uint32_t id;
    uint32_t kind;
    uint32_t state; /* enum kt_probe_state, read by the probe path */
    uint32_t armed;
    struct kt_kprobe *kp; /* user structs, valid while REGISTERED */
    struct kt_kretprobe *rp;
    kt_pre_handler_t pre_handler;
    kt_kretprobe_handler_t handler;
    kt_kretprobe_handler_t entry_handler;
    uintptr_t site;
    uintptr_t tramp;
    uint8_t orig[KT_PATCH_LEN];
    uint8_t jmp[KT_PATCH_LEN];
    uint8_t gone;
    uint8_t cache_ok; /* maxactive large enough for per-thread instance caches */
    uint8_t lean;     /* KT_HANDLER_LEAN: handlers need no vector/x87 state saved */
    struct kt_pool pool;
    /* Counters (see struct kt_stats). entries, handled and held are counted per thread
     * (struct kt_pstat) on the hot path; these hold what exited threads contributed. */
    kt_ctr entries __attribute__((aligned(64)));
    kt_ctr handled;
    kt_ctr held; /* instances taken minus instances given back (signed in effect) */
    kt_ctr skipped, missed_budget, missed_depth, missed_reentrant, missed_nothread;
    kt_ctr discarded_unwound, discarded_thread_exit, discarded_fork_child, discarded_unregister;
    /* A record is reused by later registrations (see rt_probe.c): entries and handled are then
     * counted from these values (what the per-thread counters held when it was reused). */
    kt_ctr base_entries, base_handled;
};

struct kt_instance {
    uint32_t next; /* pool link (index + 1) */
    uint32_t probe_id;
    uint32_t pad_[2];
    struct kt_kretprobe_instance pub; /* must be last: data[] follows */
};

/* One record of a thread's return stack. rec[j] belongs to return stub j. */
struct kt_rec {
    struct kt_instance *inst;
    uintptr_t real_ret; /* read by the stub's push and by its DWARF unwind rule */
    uintptr_t slot;     /* address of the hijacked return-address slot */
    uintptr_t pad_;
};

enum kt_thread_state { KT_T_FREE = 0, KT_T_USED = 1 };
enum kt_busy_stage { KT_BUSY_NONE = 0, KT_BUSY_PRE, KT_BUSY_ENTRY, KT_BUSY_RETURN };

/* Per thread and per probe: the hot-path counters and a one-instance cache, written only by the
 * owning thread (with its guard held), so the probe path needs no atomic read-modify-write. */
struct kt_pstat {
    kt_ctr entries;
    kt_ctr handled;
    kt_ctr held; /* instances this thread took and has not given back */
    struct kt_instance *cache;
};

/* Per-thread block. Records are indexed by depth; stub j of this block returns through rec[j]. */
struct kt_thread {
    uint32_t index;
    uint32_t state;         /* atomic: enum kt_thread_state */
    uint32_t depth;         /* records in use; only the owning thread writes it */
    uint32_t exits;         /* bumped each time the thread leaves the runtime (grace periods) */
    uintptr_t guard_sp;     /* non-zero while this thread is inside the runtime (sp at entry) */
    void *return_common;    /* read by the x86_64 stubs: call *[rip+d] */
    uintptr_t stubs;        /* address of stub 0 of this block */
    struct kt_pstat *pstat; /* [kt_rt.max_probes] */
    /* The handler being run, so that a handler leaving with siglongjmp can be accounted when
     * the stale guard is found (busy_stage: 0 none, enum kt_busy_stage). */
    struct kt_instance *busy_inst;
    uint32_t busy_probe;
    uint32_t busy_stage;
    int tid;
    uint32_t ready;    /* stubs and unwind info written (on first claim) */
    uint32_t pstat_on; /* its pstat chunks are made accessible as ids are handed out */
    struct kt_rec rec[] __attribute__((aligned(64)));
};

struct kt_runtime {
    int initialized;
    uint32_t max_threads;
    uint32_t max_depth;
    uintptr_t blocks; /* RW: max_threads * block_stride */
    uintptr_t block_stride;
    uintptr_t stubs; /* RX: max_threads * stubs_stride */
    uintptr_t stubs_stride;
    uintptr_t stubs_end;
    uintptr_t pstats; /* max_threads * pstat_stride, reserved; chunks made RW as needed */
    uintptr_t pstat_stride;
    uintptr_t pstat_chunk_bytes; /* KT_PSTAT_CHUNK ids' counters of one thread */
    uint32_t pstat_chunks;       /* chunks accessible (in every block with pstat_on) */
    unsigned char *eh_frame;
    int unwind_registered;
    int membarrier_ok;
    uint32_t max_probes;     /* size of the probe table */
    uint32_t nprobes;        /* ids handed out so far (records are reused after that) */
    struct kt_probe *probes; /* [max_probes], immortal */
    kt_ctr threads_in_use, threads_attached, threads_released, grace_timeouts;
};

extern struct kt_runtime kt_rt KT_HIDDEN;

/* Thread-local entry point to the per-thread block (initial-exec: no lazy allocation). */
struct kt_tls {
    struct kt_thread *t;
    uint32_t attaching; /* inside kt_thread_attach (a signal handler hit must not re-enter) */
    uint32_t dead;      /* the thread's block was flushed at exit: later hits are not probed */
};
#ifdef KT_FREESTANDING
/* The agent for programs without a dynamic loader has no TLS of its own (it is not loaded by a
 * loader that could give it any): the entry is found by the thread pointer (rt_thread_fs.c).
 * NULL: the thread has no thread pointer yet, or the table is full. */
KT_HIDDEN struct kt_tls *kt_tls_cur(void);  /* makes the thread's entry on its first call */
KT_HIDDEN struct kt_tls *kt_tls_find(void); /* NULL when the thread has none yet */
/* The watchdog's periodic pass: blocks of threads that exited are flushed and freed. */
KT_HIDDEN void kt_thread_reap(int tgid);
/* Set by the agent before kt_init: the thread pointer is read with rdfsbase (x86_64). */
extern int kt_tp_fsgsbase KT_HIDDEN;
/* Run in a fork child at its first hit (no pthread_atfork without a libc). */
extern void (*kt_fork_child_hook)(void) KT_HIDDEN;
#else
extern __thread struct kt_tls kt_tls_self __attribute__((tls_model("initial-exec"))) KT_HIDDEN;
static inline struct kt_tls *kt_tls_cur(void) {
    return &kt_tls_self;
}
static inline struct kt_tls *kt_tls_find(void) {
    return &kt_tls_self;
}
#endif
/* This thread's block, or NULL (not attached yet). */
static inline struct kt_thread *kt_self(void) {
    struct kt_tls *tls = kt_tls_find();
    return tls ? tls->t : NULL;
}

static inline struct kt_thread *kt_block(uint32_t index) {
    return (struct kt_thread *)(kt_rt.blocks + (uintptr_t)index * kt_rt.block_stride);
}
static inline uintptr_t kt_stub_addr(const struct kt_thread *t, uint32_t j) {
    return t->stubs + (uintptr_t)j * KT_STUB_STRIDE + 1;
}

/* Generic engine (hot paths called from the arch trampolines). */
KT_HIDDEN void kt_on_entry(struct kt_probe *p, struct kt_regs *regs);
KT_HIDDEN void kt_on_return(uint32_t tag, struct kt_regs *regs);

/* Threads (rt_thread.c). */
KT_HIDDEN struct kt_thread *kt_thread_self(void);
KT_HIDDEN struct kt_thread *kt_thread_attach(void);
KT_HIDDEN int kt_thread_init_global(void);
KT_HIDDEN void kt_thread_drop_records(struct kt_thread *t, uint32_t from, int reason);
KT_HIDDEN void kt_grace_period(void);
KT_HIDDEN void kt_thread_fold_stats(struct kt_thread *t);
/* A block's thread has exited: the exit hook, then its records dropped; and the block freed. */
KT_HIDDEN void kt_thread_exited(struct kt_thread *t);
KT_HIDDEN void kt_thread_release_block(struct kt_thread *t);
#ifdef KT_FREESTANDING
KT_HIDDEN int kt_thread_fs_init(void);
#endif
/* Called by an exiting thread (pthread key destructor) with its block, before the block is
 * flushed and released (t->tid is still the thread's id). The agent (runtime/agent) releases
 * the thread's state-arena slot there. Set before any probe is registered; NULL: nothing. */
extern void (*kt_thread_exit_hook)(struct kt_thread *t) KT_HIDDEN;

/* Go programs (rt_stacks.c): set before kt_init by the agent. Handlers then run on stacks of
 * the engine's own (a goroutine's stack has only the room Go's stack checks leave), and return
 * probes are refused (Go's runtime walks goroutine stacks by return address). */
extern int kt_go_mode KT_HIDDEN;
/* The pool, mapped at kt_init in Go mode (not on a goroutine's stack at the first hit). */
KT_HIDDEN int kt_stacks_init(void);
/* The top of a free handler stack (16-aligned), or 0 when all are in use; and its release. */
KT_HIDDEN uintptr_t kt_stack_claim(void);
KT_HIDDEN void kt_stack_release(uintptr_t top);
/* A hit when no handler stack was free: counted, not handled. */
KT_HIDDEN void kt_on_entry_nostack(struct kt_probe *p);

/* Pools (rt_pool.c). */
KT_HIDDEN int kt_pool_init(struct kt_pool *pool, uint32_t count, size_t data_size,
                           uint32_t probe_id);
KT_HIDDEN struct kt_instance *kt_pool_get(struct kt_pool *pool);
KT_HIDDEN void kt_pool_put(struct kt_pool *pool, struct kt_instance *inst);

/* Registration, reservation and arming are serialised by one lock (rt_probe.c). */
extern pthread_mutex_t kt_reg_lock KT_HIDDEN;

/* Trampoline slots (rt_tramp.c), all under kt_reg_lock. A slot is kept for its site: the next
 * reservation for the same site gets it back. */
struct kt_slot_meta {
    uintptr_t site;              /* 0: retired (its site's code changed) */
    uint32_t next;               /* hash chain of slots by site: global slot number + 1 */
    uint32_t owner;              /* id + 1 of the record whose probe word the slot holds, or 0 */
    uint8_t installed;           /* written at least once */
    uint8_t orig[KT_PATCH_LEN];  /* the site's bytes its relocated code was made from */
};
KT_HIDDEN struct kt_slot_meta *kt_tramp_meta(uintptr_t slot); /* NULL: not a slot start */
KT_HIDDEN struct kt_slot_meta *kt_tramp_site_meta(uintptr_t site); /* the site's slot, or NULL */
KT_HIDDEN void kt_tramp_retire(struct kt_slot_meta *m);
KT_HIDDEN int kt_tramp_hop_ok(uintptr_t at, uintptr_t slot); /* a hop at AT jumps to SLOT */
/* The site whose trampoline slot (or hop) holds PC, else 0 (async-signal-safe: profiling). */
KT_HIDDEN uintptr_t kt_tramp_site_at(uintptr_t pc);

/* Unwind info for the stubs (rt_unwind.c). */
KT_HIDDEN int kt_unwind_register(void);
#ifdef KT_FREESTANDING
/* The program's own __register_frame and _Unwind_Find_FDE (0: none), set before kt_init. */
extern uintptr_t kt_unwind_register_frame_fn KT_HIDDEN, kt_unwind_find_fde_fn KT_HIDDEN;
/* Set: kt_init builds the stubs' unwind info but registers it only at kt_unwind_register_late
 * (from ktap's hook on main, once the program's libc has started). */
extern int kt_unwind_deferred KT_HIDDEN;
KT_HIDDEN void kt_unwind_register_late(void);
#endif
KT_HIDDEN void kt_unwind_fill(struct kt_thread *t);
KT_HIDDEN int kt_block_prepare(struct kt_thread *t);
/* Makes the per-thread counters of probe ID accessible in every block (registration path). */
KT_HIDDEN int kt_pstat_cover(uint32_t id);

/* Raw syscalls / diagnostics (rt_sys.c). */
KT_HIDDEN void kt_diag(const char *msg);
KT_HIDDEN __attribute__((noreturn)) void kt_fatal(const char *msg);
KT_HIDDEN int kt_write_code(uintptr_t addr, const void *bytes, size_t len);
/* One write with no care for a thread executing the bytes meanwhile beyond a single locked store
 * where the bytes fit one aligned word; kt_write_code passes a write that does not to
 * kt_code_live_writer when one is set (the agent's watchdog, threads running). */
KT_HIDDEN int kt_write_code_now(uintptr_t addr, const void *bytes, size_t len);
extern int (*kt_code_live_writer)(uintptr_t addr, const void *bytes, size_t len) KT_HIDDEN;
/* Where no mapping may become writable+executable or executable again (MDWE: prctl
 * PR_SET_MDWE, or a MemoryDenyWriteExecute-style seccomp filter), code is written through
 * /proc/self/mem into read-execute mappings, as a debugger writes (rt_sys.c). Decided at
 * kt_init by a probe, and switched on later when an mprotect is refused. */
extern int kt_code_via_mem KT_HIDDEN;
KT_HIDDEN void kt_code_probe_exec_gain(void);
/* A descriptor of this process's /proc/PID/mem opened by someone allowed to (the controller,
 * passed in by the agent), or -1: a non-dumpable process of another user than root may not
 * open its own. */
extern int kt_code_mem_fd KT_HIDDEN;
/* Writes LEN bytes at ADDR through /proc/self/mem (raw system calls: probe path). */
KT_HIDDEN int kt_mem_write(uintptr_t addr, const void *bytes, size_t len);
/* A fresh read-execute anonymous mapping over [addr, addr + len) (raw mmap, MAP_FIXED). */
KT_HIDDEN int kt_map_rx_fixed(uintptr_t addr, size_t len);
KT_HIDDEN int kt_read_safe(uintptr_t addr, void *buf, size_t len);

/* Reasons for kt_thread_drop_records. */
enum { KT_DROP_UNWOUND, KT_DROP_THREAD_EXIT, KT_DROP_FORK_CHILD };
KT_HIDDEN void kt_drop_instance(struct kt_thread *t, struct kt_instance *inst, int reason);

#include "arch.h"

#endif
