/* Registration, arming and statistics (never on the probe path; serialised by a mutex). */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <pthread.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

pthread_mutex_t kt_reg_lock = PTHREAD_MUTEX_INITIALIZER;

/* What a trampoline slot's probe word points at once its record was reused for another site:
 * a straggler that took the old site's jump before it was disarmed finds a dead probe. */
static struct kt_probe retired_probe = {.state = KT_P_DEAD};

static void reap_dead_pools(void);
static kt_ctr sum_counter(struct kt_probe *p, kt_ctr *total, size_t field_off);
#define SUM(p, field) sum_counter((p), &(p)->field, offsetof(struct kt_pstat, field))

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

/* A live probe at SITE owns the slot kept for the site (a slot is only retired while its
 * record is not live): one hash lookup instead of a scan of every record. */
static struct kt_probe *find_live_site(uintptr_t site) {
    struct kt_slot_meta *m = kt_tramp_site_meta(site);
    struct kt_probe *p = m && m->owner ? &kt_rt.probes[m->owner - 1] : NULL;
    return p && p->state == KT_P_REGISTERED && p->site == site ? p : NULL;
}

/* Dead return probes whose pool is still mapped (instances outstanding): reap_dead_pools only
 * looks at the records when there are some. */
static uint32_t pools_to_reap;

static void mark_dead(struct kt_probe *p) {
    __atomic_store_n(&p->state, KT_P_DEAD, __ATOMIC_SEQ_CST);
    if (p->pool.base)
        pools_to_reap++;
}

/* The last access to a dead probe's pool: none of its instances is outstanding. */
static void free_pool(struct kt_probe *p) {
    munmap(p->pool.base, (size_t)p->pool.count * p->pool.stride);
    p->pool.base = NULL;
    pools_to_reap--;
}

static int check_patch(uintptr_t addr, const struct kt_patch *patch) {
    if (!patch || patch->site != (uint64_t)addr || patch->reloc_len > KT_RELOC_MAX ||
        patch->displaced_len < 1)
        return KT_EINVAL;
    /* Fewer displaced bytes than the jump's: the jump's last bytes must be the original ones
     * (a punned jump; the instructions there stay where they are). */
    if (patch->displaced_len < KT_PATCH_LEN &&
        memcmp(patch->jmp + patch->displaced_len, patch->orig + patch->displaced_len,
               KT_PATCH_LEN - patch->displaced_len) != 0)
        return KT_EINVAL;
    if (!kt_tramp_meta((uintptr_t)patch->tramp))
        return KT_EINVAL;
    if (KT_ENTRY_HEAD_LEN + patch->reloc_len > KT_TRAMP_DATA_OFF)
        return KT_EINVAL;
    if (patch->hop && !kt_tramp_hop_ok((uintptr_t)patch->hop, (uintptr_t)patch->tramp))
        return KT_EINVAL;
    uint8_t jmp[KT_PATCH_LEN];
    if (!kt_arch_encode_jmp(jmp, addr, (uintptr_t)(patch->hop ? patch->hop : patch->tramp)) ||
        memcmp(jmp, patch->jmp, KT_PATCH_LEN) != 0)
        return KT_EINVAL;
    uint8_t cur[KT_PATCH_LEN];
    if (kt_read_safe(addr, cur, sizeof cur) != KT_OK)
        return KT_EGONE;
    if (memcmp(cur, patch->orig, KT_PATCH_LEN) != 0)
        return KT_EPATCH;
    return KT_OK;
}

static void slot_image(uint8_t *slot, struct kt_probe *p, const struct kt_patch *patch) {
    memset(slot, 0xcc, KT_TRAMP_SLOT_SIZE);
    void (*common)(void) =
        p->kp->flags & KT_NO_VECTOR_REGS ? kt_arch_entry_common_novec : kt_arch_entry_common;
#if defined(__x86_64__)
    if (kt_go_mode) /* the handler on a stack of the engine's own (rt_stacks.c) */
        common = kt_arch_entry_common_switch;
#endif
    kt_arch_write_entry_head(slot, (uintptr_t)patch->tramp, p, common);
    memcpy(slot + KT_ENTRY_HEAD_LEN, patch->reloc, patch->reloc_len);
}

static int in_field(size_t i, size_t off) {
    return i >= off && i < off + KT_TRAMP_FIELD_LEN;
}

/* Writes the slot. A slot written before (an earlier session at this site) may still be run by a
 * thread: its code must be the same, and only the probe and handler words are rewritten, each
 * with one atomic store. Different code means the site's bytes changed under the slot: the slot
 * is retired (the next reservation gets a fresh one) and the registration fails with EPATCH. */
static int install_trampoline(struct kt_probe *p, const struct kt_patch *patch,
                              struct kt_slot_meta *m) {
    uintptr_t at = (uintptr_t)patch->tramp;
    uint8_t want[KT_TRAMP_SLOT_SIZE];
    slot_image(want, p, patch);
    if (!m->installed) {
        int err = kt_write_code(at, want, sizeof want);
        if (err)
            return err;
        m->installed = 1;
        memcpy(m->orig, patch->orig, KT_PATCH_LEN);
        return KT_OK;
    }
    uint8_t cur[KT_TRAMP_SLOT_SIZE];
    if (kt_read_safe(at, cur, sizeof cur) != KT_OK)
        return KT_EINVAL;
    for (size_t i = 0; i < sizeof cur; i++) {
        if (cur[i] != want[i] && !in_field(i, KT_TRAMP_PROBE_OFF) &&
            !in_field(i, KT_TRAMP_COMMON_OFF)) {
            kt_tramp_retire(m);
            return KT_EPATCH;
        }
    }
    static const size_t fields[2] = {KT_TRAMP_PROBE_OFF, KT_TRAMP_COMMON_OFF};
    for (int f = 0; f < 2; f++) {
        size_t off = fields[f];
        if (memcmp(cur + off, want + off, KT_TRAMP_FIELD_LEN) == 0)
            continue;
        int err = kt_write_code(at + off, want + off, KT_TRAMP_FIELD_LEN);
        if (err)
            return err;
    }
    return KT_OK;
}

/* Points a slot's probe word at the retired probe (its record is about to serve another site).
 * The word holds the record's address on both arches (x86_64: a data word; i386: push's imm32). */
static int retire_probe_word(uintptr_t slot, struct kt_slot_meta *m) {
    uintptr_t v = (uintptr_t)&retired_probe;
    _Static_assert(sizeof v == KT_TRAMP_FIELD_LEN, "the probe word is one pointer");
    int err = kt_write_code(slot + KT_TRAMP_PROBE_OFF, &v, KT_TRAMP_FIELD_LEN);
    if (!err)
        m->owner = 0;
    return err;
}

/* A dead record may serve a new registration once nothing can reach it any more: no instance
 * of it is outstanding (they name it by id), and its per-thread caches were drained at
 * unregister. A thread that took its site's jump before the disarm and has not yet entered the
 * runtime still holds the pointer: harmless when the record is reused for the same site (it is
 * an entry of that function), and covered by the retired probe word otherwise. */
static int reusable(const struct kt_probe *q) {
    /* reap_dead_pools ran first: a dead return probe's pool is gone exactly when none of its
     * instances is outstanding (SUM(held) == 0). */
    return q->state == KT_P_DEAD && (q->kind != KT_KIND_KRETPROBE || !q->pool.base);
}

/* The record for a registration at ADDR through slot meta M: the slot's previous record when it
 * can be reused, else a new id, else (table full) any reusable record. NULL: none. Called after
 * reap_dead_pools. */
static struct kt_probe *choose_record(uintptr_t addr, struct kt_slot_meta *m) {
    if (m->owner) {
        struct kt_probe *q = &kt_rt.probes[m->owner - 1];
        if (q->site == addr && reusable(q))
            return q;
    }
    if (kt_rt.nprobes < kt_rt.max_probes && kt_pstat_cover(kt_rt.nprobes) == KT_OK) {
        struct kt_probe *p = &kt_rt.probes[kt_rt.nprobes];
        memset(p, 0, sizeof *p);
        p->id = kt_rt.nprobes;
        __atomic_store_n(&kt_rt.nprobes, kt_rt.nprobes + 1, __ATOMIC_RELEASE);
        return p;
    }
    for (uint32_t i = 0; i < kt_rt.nprobes; i++) {
        struct kt_probe *q = &kt_rt.probes[i];
        if (!reusable(q))
            continue;
        struct kt_slot_meta *qm = q->tramp ? kt_tramp_meta(q->tramp) : NULL;
        if (qm && qm->owner == q->id + 1 && retire_probe_word(q->tramp, qm) != KT_OK)
            continue;
        q->tramp = 0;
        return q;
    }
    return NULL;
}

/* Makes a dead record fresh for a new registration: its pool goes (a new one is made for the
 * new maxactive and data size), shared counters restart, and the per-thread entries and handled
 * counters, which only the owning threads write, are counted from their current sums. */
static void recycle_record(struct kt_probe *p) {
    if (p->pool.base)
        free_pool(p);
    uint32_t id = p->id;
    kt_ctr held = p->held;
    memset(p, 0, sizeof *p);
    p->id = id;
    p->held = held; /* sums with the per-thread held counters to zero */
    p->base_entries = SUM(p, entries);
    p->base_handled = SUM(p, handled);
}

static int register_probe(struct kt_kprobe *kp, struct kt_kretprobe *rp,
                          const struct kt_patch *patch) {
    int err = kt_init(NULL);
    if (err)
        return err;
    if (!kp || !kp->addr)
        return KT_EINVAL;
    pthread_mutex_lock(&kt_reg_lock);
    err = check_patch(kp->addr, patch);
    if (!err && find_live_site(kp->addr))
        err = KT_EBUSY;
    reap_dead_pools();
    struct kt_slot_meta *m = err ? NULL : kt_tramp_meta((uintptr_t)patch->tramp);
    struct kt_probe *p = m ? choose_record(kp->addr, m) : NULL;
    if (!err && !p)
        err = KT_ETOOMANY;
    if (err) {
        pthread_mutex_unlock(&kt_reg_lock);
        return err;
    }
    if (p->state == KT_P_DEAD)
        recycle_record(p);
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
        err = kt_pool_init(&p->pool, (uint32_t)n, rp->data_size, p->id);
        rp->nmissed = 0;
    }
    if (!err)
        err = install_trampoline(p, patch, m);
    if (err) {
        /* The record stays dead (reusable once its pool is reaped); the slot keeps whatever
         * probe word it had. */
        p->kp = NULL;
        mark_dead(p);
        pthread_mutex_unlock(&kt_reg_lock);
        return err;
    }
    m->owner = p->id + 1;
    kp->priv_ = p;
    __atomic_store_n(&p->state, KT_P_REGISTERED, __ATOMIC_RELEASE);
    pthread_mutex_unlock(&kt_reg_lock);
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
    if (kt_go_mode)
        return KT_EGO;
    return register_probe(&rp->kp, rp, patch);
}

/* The record of a registered probe; NULL for a stale kp whose record now serves another. */
static struct kt_probe *probe_of(struct kt_kprobe *kp) {
    struct kt_probe *p = kp ? (struct kt_probe *)kp->priv_ : NULL;
    return p && p->kp == kp ? p : NULL;
}

int kt_arm(struct kt_kprobe *kp) {
    struct kt_probe *p = probe_of(kp);
    if (!p || p->state != KT_P_REGISTERED)
        return KT_EINVAL;
    pthread_mutex_lock(&kt_reg_lock);
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
    pthread_mutex_unlock(&kt_reg_lock);
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
    pthread_mutex_lock(&kt_reg_lock);
    int err = disarm_locked(p);
    pthread_mutex_unlock(&kt_reg_lock);
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

static void reap_dead_pools(void) {
    for (uint32_t i = 0; i < kt_rt.nprobes && pools_to_reap; i++) {
        struct kt_probe *p = &kt_rt.probes[i];
        if (p->state == KT_P_DEAD && p->pool.base && SUM(p, held) == 0)
            free_pool(p);
    }
}

/* After the grace period no thread puts an instance into its cache for P any more: take the
 * cached ones back into the pool, so that no thread holds a pointer into it when the pool is
 * freed and the record reused (an exiting thread folding its block races for the same pointer
 * with an exchange too). */
static void drain_caches(struct kt_probe *p) {
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        struct kt_thread *t = kt_block(i);
        if (!__atomic_load_n(&t->ready, __ATOMIC_ACQUIRE))
            continue;
        struct kt_instance *c = __atomic_exchange_n(&t->pstat[p->id].cache, NULL, __ATOMIC_ACQ_REL);
        if (c)
            kt_pool_put(&p->pool, c);
    }
}

static void unregister(struct kt_kprobe *kp) {
    struct kt_probe *p = probe_of(kp);
    if (!p || p->state != KT_P_REGISTERED)
        return;
    pthread_mutex_lock(&kt_reg_lock);
    disarm_locked(p);
    mark_dead(p);
    /* After this, no handler of this probe is running or will run. Instances in flight return
     * through their stubs and are counted as discarded_unregister. */
    kt_grace_period();
    drain_caches(p);
    if (p->rp)
        p->rp->nmissed = KT_LOAD(p->missed_budget);
    reap_dead_pools();
    pthread_mutex_unlock(&kt_reg_lock);
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
    s->entries = SUM(p, entries) - p->base_entries;
    s->returns_handled = SUM(p, handled) - p->base_handled;
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
