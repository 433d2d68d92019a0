/* Per-thread blocks: claimed on a thread's first hit, flushed when the thread exits (pthread key
 * destructor) and in a fork child for threads that do not exist there. Blocks are preallocated at
 * init (their return stubs and unwind info must exist before any hit), so claiming is a
 * compare-and-swap over a fixed array. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef KT_FREESTANDING
__thread struct kt_tls kt_tls_self __attribute__((tls_model("initial-exec")));
static pthread_key_t kt_key;
#endif

static uint32_t kt_claim_hint;
void (*kt_thread_exit_hook)(struct kt_thread *t);

/* Move a block's per-thread counters into the probes' shared totals (the block is about to be
 * reused by another thread) and hand cached instances back to live probes' pools. */
void kt_thread_fold_stats(struct kt_thread *t) {
    if (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE))
        return;
    uint32_t n = __atomic_load_n(&kt_rt.nprobes, __ATOMIC_ACQUIRE);
    for (uint32_t id = 0; id < n; id++) {
        struct kt_pstat *ps = &t->pstat[id];
        if (!ps->entries && !ps->handled && !ps->held && !ps->cache)
            continue;
        struct kt_probe *p = &kt_rt.probes[id];
        /* Zeroed before they are added: a sum taken in between (a record being reused) counts
         * too little, never twice. The cache pointer is raced for by unregister's drain. */
        kt_ctr e = ps->entries, h = ps->handled, held = ps->held;
        ps->entries = ps->handled = ps->held = 0;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        KT_ADD(p->entries, e);
        KT_ADD(p->handled, h);
        KT_ADD(p->held, held);
        struct kt_instance *c = __atomic_exchange_n(&ps->cache, NULL, __ATOMIC_ACQ_REL);
        if (c && __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == KT_P_REGISTERED)
            kt_pool_put(&p->pool, c);
    }
}

void kt_thread_release_block(struct kt_thread *t) {
    kt_thread_fold_stats(t);
    t->guard_sp = 0;
    t->exits++;
    t->tid = 0;
    __atomic_store_n(&t->state, KT_T_FREE, __ATOMIC_RELEASE);
    __atomic_fetch_sub(&kt_rt.threads_in_use, 1, __ATOMIC_RELAXED);
    KT_INC(kt_rt.threads_released);
}

void kt_thread_drop_records(struct kt_thread *t, uint32_t from, int reason) {
    while (t->depth > from) {
        uint32_t d = t->depth - 1;
        t->depth = d;
        KT_BARRIER();
        kt_drop_instance(t, t->rec[d].inst, reason);
    }
}

/* The block's thread has exited (or is exiting: its last hit is over): its outstanding
 * instances can never return. */
void kt_thread_exited(struct kt_thread *t) {
    t->guard_sp = (uintptr_t)-1;
    void (*hook)(struct kt_thread *) = __atomic_load_n(&kt_thread_exit_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook(t);
    kt_thread_drop_records(t, 0, KT_DROP_THREAD_EXIT);
}

#ifndef KT_FREESTANDING
/* pthread key destructor: the thread is exiting. */
static void thread_exit(void *arg) {
    struct kt_thread *t = arg;
    kt_tls_self.dead = 1; /* later destructors may call probed functions: bypass them */
    KT_BARRIER();
    kt_thread_exited(t);
    kt_tls_self.t = NULL;
    kt_thread_release_block(t);
}
#endif

struct kt_thread *kt_thread_attach(void) {
    uint32_t n = kt_rt.max_threads;
    if (!kt_rt.initialized)
        return NULL;
    uint32_t start = __atomic_load_n(&kt_claim_hint, __ATOMIC_RELAXED);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t idx = (start + i) % n;
        struct kt_thread *t = kt_block(idx);
        uint32_t expected = KT_T_FREE;
        if (__atomic_load_n(&t->state, __ATOMIC_RELAXED) != KT_T_FREE)
            continue;
        if (!__atomic_compare_exchange_n(&t->state, &expected, KT_T_USED, 0, __ATOMIC_ACQUIRE,
                                         __ATOMIC_RELAXED))
            continue;
        if (!t->ready && kt_block_prepare(t) != KT_OK) {
            __atomic_store_n(&t->state, KT_T_FREE, __ATOMIC_RELEASE);
            return NULL;
        }
        t->depth = 0;
        t->guard_sp = 0;
        t->tid = (int)kt_arch_syscall3(SYS_gettid, 0, 0, 0);
        __atomic_store_n(&kt_claim_hint, idx + 1, __ATOMIC_RELAXED);
        KT_INC(kt_rt.threads_in_use);
        KT_INC(kt_rt.threads_attached);
        struct kt_tls *tls = kt_tls_cur();
        if (tls)
            tls->t = t;
#ifndef KT_FREESTANDING
        /* Registers the exit flush. glibc keeps the first 32 keys' values in the thread
         * descriptor, so this neither allocates nor locks. */
        pthread_setspecific(kt_key, t);
#endif
        return t;
    }
    return NULL;
}

struct kt_thread *kt_thread_self(void) {
    return kt_self();
}

#ifndef KT_FREESTANDING
/* fork child: only the forking thread exists; other threads' instances can never return. */
static void atfork_child(void) {
    struct kt_thread *self = kt_tls_self.t;
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        struct kt_thread *t = kt_block(i);
        if (t == self || __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != KT_T_USED)
            continue;
        kt_thread_drop_records(t, 0, KT_DROP_FORK_CHILD);
        kt_thread_release_block(t);
    }
    if (self)
        self->tid = (int)kt_arch_syscall3(SYS_gettid, 0, 0, 0);
}

int kt_thread_init_global(void) {
    if (pthread_key_create(&kt_key, thread_exit) != 0)
        return KT_ENOMEM;
    pthread_atfork(NULL, NULL, atfork_child);
#else
int kt_thread_init_global(void) {
    /* No exit destructor and no fork handler without a libc to ask: threads are told apart by
     * their thread pointer and the thread id in their TCB (rt_thread_fs.c). */
    if (kt_thread_fs_init() != KT_OK)
        return KT_ENOMEM;
#endif
    kt_rt.membarrier_ok =
        syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
    return KT_OK;
}

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wait until every thread that may have seen a probe as live has left the runtime. The probe
 * path publishes "inside" (guard_sp) with a plain store and then reads the probe state; the
 * membarrier makes those stores visible here without a fence on the hot path. */
void kt_grace_period(void) {
    if (kt_rt.membarrier_ok)
        syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    else
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
    struct kt_thread *self = kt_self();
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        struct kt_thread *t = kt_block(i);
        if (t == self || __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != KT_T_USED)
            continue;
        if (__atomic_load_n(&t->guard_sp, __ATOMIC_ACQUIRE) == 0)
            continue;
        uint32_t e = __atomic_load_n(&t->exits, __ATOMIC_ACQUIRE);
        uint64_t deadline = now_ns() + 2000000000ull;
        while (__atomic_load_n(&t->exits, __ATOMIC_ACQUIRE) == e &&
               __atomic_load_n(&t->guard_sp, __ATOMIC_ACQUIRE) != 0 &&
               __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == KT_T_USED) {
            if (now_ns() > deadline) {
                KT_INC(kt_rt.grace_timeouts); /* stale guard (handler longjmp'd out) */
                break;
            }
            sched_yield();
        }
    }
}
