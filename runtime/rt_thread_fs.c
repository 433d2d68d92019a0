/* Threads of a program that has no dynamic loader (the freestanding agent, KT_FREESTANDING):
 * the agent has no TLS there (nothing loaded it that could give it any) and no pthread key to
 * learn of a thread's exit. A thread is found by its thread pointer (the address of its TCB,
 * kt_arch_thread_pointer) in an open-addressed table; the entry remembers the word of the TCB
 * that holds the thread's id:
 *
 * - glibc: the kernel's clear-child-tid address (prctl PR_GET_TID_ADDRESS), which is the TCB's
 *   tid field: written with the id at clone, zeroed by the kernel at the thread's exit;
 * - musl: that address is a global lock word; the TCB's id is one of its first words (found by
 *   value at the thread's first hit).
 *
 * A new thread whose TCB is a reused one (glibc keeps exited threads' stacks and TCBs) finds its
 * predecessor's entry with another id in that word: the dead thread's block is flushed as its
 * exit would have, and the entry starts over. A fork child finds its own id there too, with
 * another process id: it keeps its block (as the pthread_atfork handler of rt_thread.c) and
 * drops the blocks of threads that do not exist in it. The watchdog frees the blocks of threads
 * that exited without a successor (kt_thread_reap). Where no id word is found (Go's threads)
 * entries are never reaped; the table is sized for that (KT_TP_SLOTS_PER_THREAD). */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <errno.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define KT_PR_GET_TID_ADDRESS 40
#define KT_TP_FREED ((uintptr_t)1) /* an entry that was in use: probe chains pass it */
#define KT_TP_SLOTS_PER_THREAD 4
#define KT_TID_SCAN_BYTES 64 /* where musl's TCB keeps the id: x86_64 at 48, i386 at 24 */

struct kt_tp_slot {
    uintptr_t tp; /* atomic: 0 never used, KT_TP_FREED, else the thread pointer of the entry */
    struct kt_tls tls;
    volatile int32_t *tid_word; /* the TCB's word holding the thread's id, or NULL */
    int32_t tid;                /* the thread the entry is for */
    uint32_t lock;              /* held while the entry is renewed or reaped (never waited for) */
};

int kt_tp_fsgsbase KT_HIDDEN;
void (*kt_fork_child_hook)(void) KT_HIDDEN;
static struct kt_tp_slot *slots;
static uint32_t mask;
static int32_t process_id; /* the process the entries were made in (a fork child differs) */

static inline uint32_t hash_tp(uintptr_t tp) {
    return (uint32_t)(((uint64_t)tp * 0x9e3779b97f4a7c15ull) >> 32);
}

static int32_t sys_gettid(void) {
    return (int32_t)kt_arch_syscall3(SYS_gettid, 0, 0, 0);
}

static int32_t sys_getpid(void) {
    return (int32_t)kt_arch_syscall3(SYS_getpid, 0, 0, 0);
}

static int try_lock(struct kt_tp_slot *s) {
    return __atomic_exchange_n(&s->lock, 1, __ATOMIC_ACQUIRE) == 0;
}

static void unlock(struct kt_tp_slot *s) {
    __atomic_store_n(&s->lock, 0, __ATOMIC_RELEASE);
}

int kt_thread_fs_init(void) {
    uint32_t n = 64;
    while (n < kt_rt.max_threads * KT_TP_SLOTS_PER_THREAD)
        n <<= 1;
    void *mem = mmap(NULL, (size_t)n * sizeof(struct kt_tp_slot), PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return KT_ENOMEM;
    mask = n - 1;
    process_id = sys_getpid();
    __atomic_store_n(&slots, (struct kt_tp_slot *)mem, __ATOMIC_RELEASE);
    return KT_OK;
}

/* The TCB word holding TID, read at the thread's first hit (TP is its live TCB). */
static volatile int32_t *find_tid_word(uintptr_t tp, int32_t tid) {
    uintptr_t addr = 0;
    if (kt_arch_syscall3(SYS_prctl, KT_PR_GET_TID_ADDRESS, (long)&addr, 0) == 0 && addr % 4 == 0 &&
        addr + 4096 > tp && addr < tp + 4096 && *(volatile int32_t *)addr == tid)
        return (volatile int32_t *)addr;
    for (uintptr_t off = sizeof(void *); off < KT_TID_SCAN_BYTES; off += 4)
        if (*(volatile int32_t *)(tp + off) == tid)
            return (volatile int32_t *)(tp + off);
    return NULL;
}

/* First hit of a fork child (its first thread to get here): only this thread exists in it. */
static void fork_child(struct kt_tp_slot *self) {
    process_id = sys_getpid();
    for (uint32_t i = 0; i <= mask; i++) {
        struct kt_tp_slot *s = &slots[i];
        if (s == self || __atomic_load_n(&s->tp, __ATOMIC_ACQUIRE) <= KT_TP_FREED)
            continue;
        if (s->tls.t) {
            kt_thread_drop_records(s->tls.t, 0, KT_DROP_FORK_CHILD);
            kt_thread_release_block(s->tls.t);
        }
        s->tls.t = NULL;
        s->tid = 0;
        s->tid_word = NULL;
        __atomic_store_n(&s->tp, KT_TP_FREED, __ATOMIC_RELEASE);
    }
    void (*hook)(void) = __atomic_load_n(&kt_fork_child_hook, __ATOMIC_ACQUIRE);
    if (hook)
        hook();
}

/* The entry's id word no longer holds its thread's id: the TCB belongs to a new thread (the old
 * one exited), or this is a fork child. NULL (the hit is counted as missed) while the reaper
 * or a handler this signal interrupted holds the entry. */
static __attribute__((noinline)) struct kt_tls *renew(struct kt_tp_slot *s, uintptr_t tp) {
    if (!try_lock(s))
        return NULL;
    if (__atomic_load_n(&s->tp, __ATOMIC_ACQUIRE) != tp) {
        unlock(s);
        return NULL;
    }
    int32_t tid = sys_gettid();
    if (s->tid != tid) {
        if (sys_getpid() != process_id) {
            fork_child(s); /* the forking thread's own block stays: it returns through it */
        } else if (s->tls.t) {
            kt_thread_exited(s->tls.t);
            kt_thread_release_block(s->tls.t);
            s->tls.t = NULL;
        }
        s->tls.dead = 0;
        s->tid = tid;
        if (s->tls.t)
            s->tls.t->tid = tid;
    }
    unlock(s);
    return &s->tls;
}

static __attribute__((noinline)) struct kt_tls *insert(uintptr_t tp) {
    int32_t tid = sys_gettid();
    if (sys_getpid() != process_id)
        fork_child(NULL); /* a fork child whose forking thread had no entry */
    volatile int32_t *word = find_tid_word(tp, tid);
    uint32_t i = hash_tp(tp) & mask;
    for (uint32_t n = 0; n <= mask; n++, i = (i + 1) & mask) {
        struct kt_tp_slot *s = &slots[i];
        uintptr_t k = __atomic_load_n(&s->tp, __ATOMIC_ACQUIRE);
        if (k > KT_TP_FREED || !try_lock(s))
            continue;
        if (__atomic_load_n(&s->tp, __ATOMIC_ACQUIRE) != k) {
            unlock(s);
            continue;
        }
        s->tls.t = NULL;
        s->tls.attaching = 0;
        s->tls.dead = 0;
        s->tid_word = word;
        s->tid = tid;
        __atomic_store_n(&s->tp, tp, __ATOMIC_RELEASE);
        unlock(s);
        return &s->tls;
    }
    return NULL; /* full: the thread's hits are counted as missed (no thread block) */
}

static struct kt_tp_slot *lookup(uintptr_t tp) {
    uint32_t i = hash_tp(tp) & mask;
    for (uint32_t n = 0; n <= mask; n++, i = (i + 1) & mask) {
        uintptr_t k = __atomic_load_n(&slots[i].tp, __ATOMIC_ACQUIRE);
        if (k == tp)
            return &slots[i];
        if (k == 0)
            return NULL;
    }
    return NULL;
}

struct kt_tls *kt_tls_cur(void) {
    uintptr_t tp = kt_arch_thread_pointer(kt_tp_fsgsbase);
    if (KT_UNLIKELY(tp <= KT_TP_FREED || !slots))
        return NULL;
    struct kt_tp_slot *s = lookup(tp);
    if (KT_UNLIKELY(!s))
        return insert(tp);
    if (KT_LIKELY(!s->tid_word || *s->tid_word == s->tid))
        return &s->tls;
    return renew(s, tp);
}

struct kt_tls *kt_tls_find(void) {
    uintptr_t tp = kt_arch_thread_pointer(kt_tp_fsgsbase);
    if (KT_UNLIKELY(tp <= KT_TP_FREED || !slots))
        return NULL;
    struct kt_tp_slot *s = lookup(tp);
    if (!s)
        return NULL;
    if (KT_LIKELY(!s->tid_word || *s->tid_word == s->tid))
        return &s->tls;
    return renew(s, tp);
}

void kt_thread_reap(int tgid) {
    if (!slots)
        return;
    for (uint32_t i = 0; i <= mask; i++) {
        struct kt_tp_slot *s = &slots[i];
        uintptr_t k = __atomic_load_n(&s->tp, __ATOMIC_ACQUIRE);
        /* Without an id word a successor on the same TCB would take the entry over unnoticed:
         * such entries stay (their block with them). */
        if (k <= KT_TP_FREED || !s->tid_word || !try_lock(s))
            continue;
        if (__atomic_load_n(&s->tp, __ATOMIC_ACQUIRE) == k && s->tid > 0 &&
            kt_arch_syscall3(SYS_tgkill, tgid, s->tid, 0) == -ESRCH) {
            if (s->tls.t) {
                kt_thread_exited(s->tls.t);
                kt_thread_release_block(s->tls.t);
            }
            s->tls.t = NULL;
            s->tid_word = NULL;
            s->tid = 0;
            __atomic_store_n(&s->tp, KT_TP_FREED, __ATOMIC_RELEASE);
        }
        unlock(s);
    }
}
