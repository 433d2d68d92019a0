/* The probe path: entry (kprobe pre-handler or kretprobe hijack) and return (stub -> handler).
 *
 * Rules (docs/engine.md): no allocation, no locks, no syscalls except on rare paths (first hit of
 * a thread, a stale record that may belong to a signal alternate stack), no libc calls.
 * A per-thread guard makes hits inside the runtime or inside handlers count as missed_reentrant.
 */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Handlers are plain C unless the probe says they are lean; then no vector/x87 state is at risk
 * and they are called directly. */
static inline int call_handler(const struct kt_probe *p, void *fn, void *a, struct kt_regs *r,
                               int return_side) {
    if (p->lean)
        return ((int (*)(void *, struct kt_regs *))fn)(a, r);
    return kt_arch_call_full(fn, a, r, r, return_side);
}

static inline int probe_live(const struct kt_probe *p) {
    return __atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == KT_P_REGISTERED;
}

static inline struct kt_probe *probe_of(const struct kt_instance *inst) {
    return &kt_rt.probes[inst->probe_id];
}

void kt_drop_instance(struct kt_thread *t, struct kt_instance *inst, int reason) {
    if (!inst)
        return; /* a completed record: its instance went back when the function returned */
    struct kt_probe *p = probe_of(inst);
    t->pstat[p->id].held--;
    switch (reason) {
    case KT_DROP_UNWOUND:
        KT_INC(p->discarded_unwound);
        break;
    case KT_DROP_THREAD_EXIT:
        KT_INC(p->discarded_thread_exit);
        break;
    default:
        KT_INC(p->discarded_fork_child);
        break;
    }
    kt_pool_put(&p->pool, inst);
}

/* Is this thread running on its signal alternate stack right now? (rare path: one syscall) */
static int on_altstack_now(void) {
    stack_t ss;
    return kt_arch_syscall3(SYS_sigaltstack, 0, (long)&ss, 0) == 0 && (ss.ss_flags & SS_ONSTACK);
}

/* The guard is set while this thread is inside the runtime, to the runtime's own frame address
 * (below the trampoline and the probed frame). A hit below the guard's sp is a
 * nested hit (a signal handler on the same stack); so is any hit on the alternate stack. A hit
 * above it on the normal stack means the guarded frame is gone: a handler left with siglongjmp,
 * and the stale guard is healed. */
static int guard_blocks(struct kt_thread *t, uintptr_t sp) {
    uintptr_t g = t->guard_sp;
    if (KT_LIKELY(g == 0))
        return 0;
    if (sp < g || on_altstack_now())
        return 1;
    return 0;
}

/* The guard was stale: the last handler run on this thread never returned (siglongjmp).
 * Account for what it abandoned. A return handler's record is still on the stack and is reaped
 * like any frame left by longjmp. */
static __attribute__((noinline)) void heal_guard(struct kt_thread *t) {
    struct kt_probe *p = &kt_rt.probes[t->busy_probe];
    if (t->busy_stage == KT_BUSY_PRE) {
        KT_INC(p->discarded_unwound);
    } else if (t->busy_stage == KT_BUSY_ENTRY) {
        t->pstat[p->id].held--;
        kt_pool_put(&p->pool, t->busy_inst);
        KT_INC(p->discarded_unwound);
    }
    t->busy_stage = KT_BUSY_NONE;
    t->guard_sp = 0;
}

static inline void guard_enter(struct kt_thread *t, uintptr_t sp) {
    t->guard_sp = sp;
    KT_BARRIER();
}

static inline void guard_leave(struct kt_thread *t) {
    KT_BARRIER();
    t->guard_sp = 0;
    t->exits++;
}

/* How far below a completed record's slot a new call may be and still prove that the record's
 * stub has finished (see reap). Signal frames are larger than this on x86. */
#define KT_COMPLETED_SLACK 512

/* The signal alternate stack, fetched once per reap (rare path: one syscall). While running on
 * it, records of the interrupted stack are alive whatever their addresses. */
struct altstack {
    int fetched, valid;
    uintptr_t lo, hi;
};

static int on_other_stack(struct altstack *a, uintptr_t rec_slot, uintptr_t sp) {
    if (!a->fetched) {
        stack_t ss;
        a->fetched = 1;
        a->valid = kt_arch_syscall3(SYS_sigaltstack, 0, (long)&ss, 0) == 0 &&
                   !(ss.ss_flags & SS_DISABLE);
        a->lo = (uintptr_t)ss.ss_sp;
        a->hi = a->lo + ss.ss_size;
    }
    if (!a->valid)
        return 0;
    int sp_alt = sp >= a->lo && sp < a->hi;
    int rec_alt = rec_slot >= a->lo && rec_slot < a->hi;
    return sp_alt && !rec_alt;
}

/* Drop records whose frames are gone (longjmp, exceptions). A record is dead when its slot is at
 * or below the new slot on the same stack, unless the new slot still holds that record's stub
 * (a tail call: the new frame reuses the caller's return slot and chains to it). */
static uint32_t reap(struct kt_thread *t, uintptr_t slot, uintptr_t cur) {
    uint32_t d = t->depth;
    struct altstack alt = {0, 0, 0, 0};
    while (d > 0) {
        struct kt_rec *top = &t->rec[d - 1];
#if KT_ARCH_COMPLETED_RECORDS
        if (!top->inst) {
            /* Completed (i386): its stub may still be about to read rec[j].real_ret, but only a
             * signal handler interrupting that stub can run then, and it runs below a signal
             * frame (> 1 KiB). A later call by the caller lands near the slot (a few pushed
             * arguments below it). */
            if (slot + KT_COMPLETED_SLACK < top->slot || on_other_stack(&alt, top->slot, slot))
                break;
            t->depth = --d;
            continue;
        }
#endif
        if (top->slot > slot)
            break;
        if (top->slot == slot && cur == kt_stub_addr(t, d - 1))
            break;
        if (top->slot < slot && on_other_stack(&alt, top->slot, slot))
            break;
        t->depth = d - 1;
        KT_BARRIER();
        kt_drop_instance(t, top->inst, KT_DROP_UNWOUND);
        d--;
    }
    return d;
}

/* Return an instance: to this thread's one-slot cache when the pool is large enough for it (no
 * atomic operation), else to the shared pool. The held decrement is the last access: once every
 * thread's held sum is zero, an unregistered probe's pool can be freed. */
static inline void give_back(struct kt_probe *p, struct kt_pstat *ps, struct kt_instance *inst) {
    if (p->cache_ok && !ps->cache && probe_live(p))
        ps->cache = inst;
    else
        kt_pool_put(&p->pool, inst);
    KT_BARRIER();
    ps->held--;
}

static inline uintptr_t real_target(struct kt_thread *t, uintptr_t ret) {
    /* A tail-call chain stores the outer stub as the "real" return address; follow it. */
    while (ret >= t->stubs && ret < t->stubs + (uintptr_t)kt_rt.max_depth * KT_STUB_STRIDE)
        ret = t->rec[(ret - t->stubs) / KT_STUB_STRIDE].real_ret;
    return ret;
}

static void kretprobe_entry(struct kt_thread *t, struct kt_probe *p, struct kt_regs *r) {
    uintptr_t slot = r->sp;
    uintptr_t cur = *(volatile uintptr_t *)slot;
    uint32_t d = t->depth;
#if KT_ARCH_COMPLETED_RECORDS
    /* The common case on i386: the previous call from the same place left its completed record
     * on top, at this very slot (a fresh call wrote the slot, so this is no tail call). */
    if (d && !t->rec[d - 1].inst && t->rec[d - 1].slot == slot)
        t->depth = --d;
    if (KT_UNLIKELY(d && t->rec[d - 1].slot <= slot + KT_COMPLETED_SLACK))
        d = reap(t, slot, cur);
#else
    if (KT_UNLIKELY(d && t->rec[d - 1].slot <= slot))
        d = reap(t, slot, cur);
#endif
    if (KT_UNLIKELY(d >= kt_rt.max_depth)) {
        KT_INC(p->missed_depth);
        return;
    }
    struct kt_pstat *ps = &t->pstat[p->id];
    struct kt_instance *inst = ps->cache;
    if (KT_LIKELY(inst))
        ps->cache = NULL;
    else if (KT_UNLIKELY(!(inst = kt_pool_get(&p->pool)))) {
        KT_INC(p->missed_budget);
        return;
    }
    ps->held++;
    inst->pub.rp = p->rp;
    inst->pub.ret_addr = real_target(t, cur); /* through a tail-call chain's stubs */
    inst->pub.stack_addr = slot;
    inst->pub.thread_index = t->index;
    inst->pub.depth = d;
    if (p->entry_handler) {
        t->busy_inst = inst;
        t->busy_probe = p->id;
        t->busy_stage = KT_BUSY_ENTRY;
        int skip = call_handler(p, (void *)p->entry_handler, &inst->pub, r, 0);
        t->busy_stage = KT_BUSY_NONE;
        if (skip) {
            KT_INC(p->skipped);
            give_back(p, ps, inst);
            return;
        }
    }
    struct kt_rec *rec = &t->rec[d];
    rec->inst = inst;
    rec->real_ret = cur;
    rec->slot = slot;
    /* Publish the record before the slot points at its stub: a signal handler running in between
     * sees a consistent stack. */
    KT_BARRIER();
    t->depth = d + 1;
    KT_BARRIER();
    *(volatile uintptr_t *)slot = kt_stub_addr(t, d);
}

static __attribute__((noinline)) struct kt_thread *attach_slow(struct kt_probe *p) {
    struct kt_tls *tls = kt_tls_cur();
    struct kt_thread *t = NULL;
    int nested =
        tls && tls->attaching; /* a signal handler hit while this thread claims its block */
    if (tls && !tls->dead && !nested) {
        tls->attaching = 1;
        KT_BARRIER();
        t = kt_thread_attach();
        KT_BARRIER();
        tls->attaching = 0;
    }
    if (!t && probe_live(p)) {
        KT_INC(p->entries); /* no per-thread block: count in the shared totals */
        if (nested)
            KT_INC(p->missed_reentrant);
        else
            KT_INC(p->missed_nothread);
    }
    return t;
}

void kt_on_entry_nostack(struct kt_probe *p) {
    if (probe_live(p)) {
        KT_INC(p->entries);
        KT_INC(p->missed_nothread);
    }
}

void kt_on_entry(struct kt_probe *p, struct kt_regs *r) {
    r->ip = p->site;
    struct kt_thread *t = kt_self();
    if (KT_UNLIKELY(!t)) {
        t = attach_slow(p);
        if (!t)
            return;
    }
    if (KT_UNLIKELY(t->guard_sp != 0)) {
        if (!guard_blocks(t, r->sp)) {
            heal_guard(t);
            goto enter;
        }
        /* We may have interrupted this thread's own update of its per-thread counters: use the
         * shared atomic totals. */
        if (probe_live(p)) {
            KT_INC(p->entries);
            KT_INC(p->missed_reentrant);
        }
        return;
    }
enter:
    guard_enter(t, (uintptr_t)__builtin_frame_address(0));
    if (KT_LIKELY(probe_live(p))) {
        struct kt_pstat *ps = &t->pstat[p->id];
        ps->entries++;
        if (p->kind == KT_KIND_KPROBE) {
            if (p->pre_handler) {
                t->busy_probe = p->id;
                t->busy_stage = KT_BUSY_PRE;
                call_handler(p, (void *)p->pre_handler, p->kp, r, 0);
                t->busy_stage = KT_BUSY_NONE;
            }
            ps->handled++;
        } else {
            kretprobe_entry(t, p, r);
        }
    }
    guard_leave(t);
}

void kt_on_return(uint32_t tag, struct kt_regs *r) {
    struct kt_thread *t = kt_block(tag >> 16);
    uint32_t j = tag & 0xffff;
    /* A return never happens while this thread is legitimately inside the runtime (hits there are
     * not hijacked), so a set guard here is stale. */
    if (KT_UNLIKELY(t->guard_sp != 0))
        heal_guard(t);
    guard_enter(t, (uintptr_t)__builtin_frame_address(0));
    uint32_t d = t->depth;
    if (KT_UNLIKELY(d <= j))
        kt_fatal("return through a stub whose record was discarded (engine bug); aborting");
    /* Records above j belong to frames that were unwound past (longjmp, exceptions). */
    while (d > j + 1) {
        t->depth = d - 1;
        KT_BARRIER();
        kt_drop_instance(t, t->rec[d - 1].inst, KT_DROP_UNWOUND);
        d--;
    }
    struct kt_rec *rec = &t->rec[j];
    struct kt_instance *inst = rec->inst;
    if (KT_UNLIKELY(!inst))
        kt_fatal("return through the stub of a completed record (engine bug); aborting");
    struct kt_probe *p = probe_of(inst);
    r->ip = real_target(t, rec->real_ret);
    struct kt_pstat *ps = &t->pstat[p->id];
    if (KT_LIKELY(probe_live(p))) {
        if (p->handler) {
            t->busy_probe = p->id; /* a sample landing in the handler is this function's */
            t->busy_stage = KT_BUSY_RETURN;
            call_handler(p, (void *)p->handler, &inst->pub, r, 1);
            t->busy_stage = KT_BUSY_NONE;
        }
        ps->handled++;
    } else {
        KT_INC(p->discarded_unregister);
    }
    KT_BARRIER();
#if KT_ARCH_COMPLETED_RECORDS
    rec->inst = NULL; /* completed: the stub still reads rec[j].real_ret after we return */
#else
    t->depth = j;
#endif
    KT_BARRIER();
    give_back(p, ps, inst);
    guard_leave(t);
}
