/* Registration, arming and statistics (never on the probe path; serialised by a mutex). */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;

static void reap_dead_pools(void);

/* A hijacked return address does not match a CET shadow stack: the ret would fault (#CP). The
 * kernel reports user shadow stacks through arch_prctl(ARCH_SHSTK_STATUS). */
static int shadow_stack_active(void) {
#if defined(__x86_64__)
    unsigned long features = 0;
    if (syscall(SYS_arch_prctl, 0x5005 /* ARCH_SHSTK_STATUS */, &features) != 0)
        return 0;
    return (features & 1 /* ARCH_SHSTK_SHSTK */) != 0;
#else
    return 0; /* Linux has no user shadow stacks for 32-bit processes */
#endif
}

static struct kt_probe *find_live_site(uintptr_t site) {
    for (uint32_t i = 0; i < kt_rt.nprobes; i++)
        if (kt_rt.probes[i].state == KT_P_REGISTERED && kt_rt.probes[i].site == site)
            return &kt_rt.probes[i];
    return NULL;
}

static int check_patch(uintptr_t addr, const struct kt_patch *patch) {
    if (!patch || patch->site != (uint64_t)addr || patch->reloc_len > KT_RELOC_MAX ||
        patch->displaced_len < KT_PATCH_LEN)
        return KT_EINVAL;
    if (!kt_tramp_is_slot((uintptr_t)patch->tramp))
        return KT_EINVAL;
    if (KT_ENTRY_HEAD_LEN + patch->reloc_len > KT_TRAMP_DATA_OFF)
        return KT_EINVAL;
    uint8_t jmp[KT_PATCH_LEN];
    if (!kt_arch_encode_jmp(jmp, addr, (uintptr_t)patch->tramp) ||
        memcmp(jmp, patch->jmp, KT_PATCH_LEN) != 0)
        return KT_EINVAL;
    uint8_t cur[KT_PATCH_LEN];
    if (kt_read_safe(addr, cur, sizeof cur) != KT_OK)
        return KT_EGONE;
    if (memcmp(cur, patch->orig, KT_PATCH_LEN) != 0)
        return KT_EPATCH;
    return KT_OK;
}

static int install_trampoline(struct kt_probe *p, const struct kt_patch *patch) {
    uint8_t slot[KT_TRAMP_SLOT_SIZE];
    memset(slot, 0xcc, sizeof slot);
    kt_arch_write_entry_head(slot, (uintptr_t)patch->tramp, p,
                             p->kp->flags & KT_NO_VECTOR_REGS ? kt_arch_entry_common_novec
                                                              : kt_arch_entry_common);
    memcpy(slot + KT_ENTRY_HEAD_LEN, patch->reloc, patch->reloc_len);
    return kt_write_code((uintptr_t)patch->tramp, slot, sizeof slot);
}

static int register_probe(struct kt_kprobe *kp, struct kt_kretprobe *rp,
                          const struct kt_patch *patch) {
    int err = kt_init(NULL);
    if (err)
        return err;
    if (!kp || !kp->addr)
        return KT_EINVAL;
    pthread_mutex_lock(&reg_lock);
    err = check_patch(kp->addr, patch);
    if (!err && find_live_site(kp->addr))
        err = KT_EBUSY;
    reap_dead_pools();
    if (!err && kt_rt.nprobes >= KT_MAX_PROBES)
        err = KT_ETOOMANY;
    if (err) {
        pthread_mutex_unlock(&reg_lock);
        return err;
    }
    struct kt_probe *p = &kt_rt.probes[kt_rt.nprobes];
    memset(p, 0, sizeof *p);
    p->id = kt_rt.nprobes;
    p->kind = rp ? KT_KIND_KRETPROBE : KT_KIND_KPROBE;
    p->kp = kp;
    p->rp = rp;
    p->pre_handler = kp->pre_handler;
    p->lean = (kp->flags & KT_HANDLER_LEAN) != 0;
    p->site = kp->addr;
    p->tramp = (uintptr_t)patch->tramp;
    memcpy(p->orig, patch->orig, KT_PATCH_LEN);
    memcpy(p->jmp, patch->jmp, KT_PATCH_LEN);
    if (rp) {
        p->handler = rp->handler;
        p->entry_handler = rp->entry_handler;
        int n = rp->maxactive > 0 ? rp->maxactive : KT_MAXACTIVE_DEFAULT;
        /* A thread may keep one idle instance per probe; only allowed when that cannot starve
         * the pool, so that small explicit maxactive values keep exact kernel semantics. */
        p->cache_ok = (uint32_t)n >= 4 * kt_rt.max_threads;
        err = kt_pool_init(&p->pool, (uint32_t)n, rp->data_size);
        if (!err) {
            for (int i = 0; i < n; i++) {
                struct kt_instance *inst =
                    (struct kt_instance *)(p->pool.base + (size_t)i * p->pool.stride);
                inst->probe_id = p->id;
            }
        }
        rp->nmissed = 0;
    }
    if (!err)
        err = install_trampoline(p, patch);
    if (err) {
        pthread_mutex_unlock(&reg_lock);
        return err;
    }
    kt_rt.nprobes++;
    kp->priv_ = p;
    __atomic_store_n(&p->state, KT_P_REGISTERED, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&reg_lock);
    return KT_OK;
}

int kt_register_kprobe(struct kt_kprobe *kp, const struct kt_patch *patch) {
    return register_probe(kp, NULL, patch);
}

int kt_register_kretprobe(struct kt_kretprobe *rp, const struct kt_patch *patch) {
    if (!rp)
        return KT_EINVAL;
    if (shadow_stack_active())
        return KT_ESHSTK;
    return register_probe(&rp->kp, rp, patch);
}

static struct kt_probe *probe_of(struct kt_kprobe *kp) {
    return kp ? (struct kt_probe *)kp->priv_ : NULL;
}

int kt_arm(struct kt_kprobe *kp) {
    struct kt_probe *p = probe_of(kp);
    if (!p || p->state != KT_P_REGISTERED)
        return KT_EINVAL;
    pthread_mutex_lock(&reg_lock);
    int err = KT_OK;
    if (!p->armed) {
        uint8_t cur[KT_PATCH_LEN];
        err = kt_read_safe(p->site, cur, sizeof cur);
        if (!err && memcmp(cur, p->orig, KT_PATCH_LEN) != 0)
            err = KT_EPATCH;
        if (!err)
            err = kt_write_code(p->site, p->jmp, KT_PATCH_LEN);
        if (!err)
            p->armed = 1;
    }
    pthread_mutex_unlock(&reg_lock);
    return err;
}

/* Restore the original bytes, but only if our jmp is still there: after dlclose the address may
 * be unmapped or hold another library. */
static int disarm_locked(struct kt_probe *p) {
    if (!p->armed)
        return KT_OK;
    p->armed = 0;
    uint8_t cur[KT_PATCH_LEN];
    if (kt_read_safe(p->site, cur, sizeof cur) != KT_OK || memcmp(cur, p->jmp, KT_PATCH_LEN)) {
        p->gone = 1;
        return KT_EGONE;
    }
    return kt_write_code(p->site, p->orig, KT_PATCH_LEN);
}

int kt_disarm(struct kt_kprobe *kp) {
    struct kt_probe *p = probe_of(kp);
    if (!p)
        return KT_EINVAL;
    pthread_mutex_lock(&reg_lock);
    int err = disarm_locked(p);
    pthread_mutex_unlock(&reg_lock);
    return err;
}

/* Free the pools of unregistered probes once all their instances are back (instances still in
 * flight at unregister return later through their stubs; the last kt_pool_put is the last
 * access to the pool memory). */
/* Shared totals plus what every live thread counted; pointers name the per-thread field. */
static kt_ctr sum_counter(struct kt_probe *p, kt_ctr *total, size_t field_off) {
    kt_ctr v = __atomic_load_n(total, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        struct kt_thread *t = kt_block(i);
        if (__atomic_load_n(&t->state, __ATOMIC_ACQUIRE) != KT_T_USED ||
            !__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE))
            continue;
        v += __atomic_load_n((kt_ctr *)((char *)&t->pstat[p->id] + field_off), __ATOMIC_ACQUIRE);
    }
    return v;
}
#define SUM(p, field) sum_counter((p), &(p)->field, offsetof(struct kt_pstat, field))

static void reap_dead_pools(void) {
    for (uint32_t i = 0; i < kt_rt.nprobes; i++) {
        struct kt_probe *p = &kt_rt.probes[i];
        if (p->state != KT_P_DEAD || !p->pool.base || SUM(p, held) != 0)
            continue;
        munmap(p->pool.base, (size_t)p->pool.count * p->pool.stride);
        p->pool.base = NULL;
    }
}

static void unregister(struct kt_kprobe *kp) {
    struct kt_probe *p = probe_of(kp);
    if (!p || p->state != KT_P_REGISTERED)
        return;
    pthread_mutex_lock(&reg_lock);
    disarm_locked(p);
    __atomic_store_n(&p->state, KT_P_DEAD, __ATOMIC_SEQ_CST);
    /* After this, no handler of this probe is running or will run. Instances in flight return
     * through their stubs and are counted as discarded_unregister. */
    kt_grace_period();
    if (p->rp)
        p->rp->nmissed = KT_LOAD(p->missed_budget);
    reap_dead_pools();
    pthread_mutex_unlock(&reg_lock);
}

void kt_unregister_kprobe(struct kt_kprobe *kp) {
    unregister(kp);
}
void kt_unregister_kretprobe(struct kt_kretprobe *rp) {
    if (rp)
        unregister(&rp->kp);
}

static void fill_stats(struct kt_probe *p, struct kt_stats *s) {
    memset(s, 0, sizeof *s);
    s->entries = SUM(p, entries);
    s->returns_handled = SUM(p, handled);
    s->skipped = KT_LOAD(p->skipped);
    s->missed_budget = KT_LOAD(p->missed_budget);
    s->missed_depth = KT_LOAD(p->missed_depth);
    s->missed_reentrant = KT_LOAD(p->missed_reentrant);
    s->missed_nothread = KT_LOAD(p->missed_nothread);
    s->discarded_unwound = KT_LOAD(p->discarded_unwound);
    s->discarded_thread_exit = KT_LOAD(p->discarded_thread_exit);
    s->discarded_fork_child = KT_LOAD(p->discarded_fork_child);
    s->discarded_unregister = KT_LOAD(p->discarded_unregister);
    s->in_flight = p->kind == KT_KIND_KRETPROBE ? SUM(p, held) : 0;
}

int kt_kprobe_stats(struct kt_kprobe *kp, struct kt_stats *out) {
    struct kt_probe *p = probe_of(kp);
    if (!p || !out)
        return KT_EINVAL;
    fill_stats(p, out);
    return KT_OK;
}

int kt_kretprobe_stats(struct kt_kretprobe *rp, struct kt_stats *out) {
    if (!rp)
        return KT_EINVAL;
    int err = kt_kprobe_stats(&rp->kp, out);
    if (!err)
        rp->nmissed = (unsigned long)out->missed_budget;
    return err;
}

int64_t kt_stats_lost(const struct kt_stats *s) {
    uint64_t accounted = s->returns_handled + s->skipped + s->missed_budget + s->missed_depth +
                         s->missed_reentrant + s->missed_nothread + s->discarded_unwound +
                         s->discarded_thread_exit + s->discarded_fork_child +
                         s->discarded_unregister + s->in_flight;
    return (int64_t)(s->entries - accounted);
}
