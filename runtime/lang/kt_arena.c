/* Arena header, thread slots, handler contexts, runtime errors and reader/writer locks. */
#include "kt_lang_int.h"

KT_STATIC_ASSERT(sizeof(kt_arena_header) == 168, "kt_arena_header layout");
KT_STATIC_ASSERT(offsetof(kt_arena_header, maxaction) == 24, "kt_arena_header layout");
KT_STATIC_ASSERT(offsetof(kt_arena_header, slots_off) == 40, "kt_arena_header layout");
KT_STATIC_ASSERT(offsetof(kt_arena_header, exit_requested) == 64, "kt_arena_header layout");
KT_STATIC_ASSERT(offsetof(kt_arena_header, errors) == 72, "kt_arena_header layout");
KT_STATIC_ASSERT(offsetof(kt_arena_header, maxtrylock) == 104, "kt_arena_header layout");
KT_STATIC_ASSERT(sizeof(kt_slot) == 64, "kt_slot layout");
KT_STATIC_ASSERT(offsetof(kt_slot, ring_head) == 8, "kt_slot layout");
KT_STATIC_ASSERT(offsetof(kt_slot, ring_tail) == 16, "kt_slot layout");

#define KT_SLOT_TOMBSTONE (-1) /* a released slot: reusable, but lookups continue past it */

/* The output sequence counter gets its own cache line after the header (every record bumps it;
   the header's lines are read by every lock). */
KT_STATIC_ASSERT(KT_SEQ_OFF >= sizeof(kt_arena_header) && KT_SEQ_OFF % 64 == 0, "sequence line");

static uint64_t kt_slots_off(void) {
    return KT_SEQ_OFF + 64;
}

static uint64_t kt_rings_off(int32_t nslots) {
    return kt_align(kt_slots_off() + (uint64_t)nslots * sizeof(kt_slot), 4096);
}

KT_API uint64_t kt_arena_prefix_bytes(int32_t nslots, uint64_t ring_bytes) {
    return kt_align(kt_rings_off(nslots) + (uint64_t)nslots * ring_bytes, 4096);
}

KT_API uint64_t kt_arena_globals_off(int32_t nslots, uint64_t ring_bytes) {
    return kt_arena_prefix_bytes(nslots, ring_bytes);
}

KT_API void kt_arena_init(void *arena, uint64_t total, int32_t nslots, uint64_t ring_bytes,
                          uint32_t maxstringlen, uint32_t maxmapentries, int64_t maxaction,
                          int32_t maxnesting) {
    kt_arena_header *h = arena;
    kt_memset(h, 0, KT_SEQ_OFF + 64);
    kt_memset((uint8_t *)arena + kt_slots_off(), 0, (uint64_t)nslots * sizeof(kt_slot));
    h->size = total;
    h->maxstringlen = maxstringlen;
    h->maxmapentries = maxmapentries;
    h->maxaction = maxaction;
    h->maxnesting = maxnesting;
    h->nslots = nslots;
    h->slots_off = kt_slots_off();
    h->rings_off = kt_rings_off(nslots);
    h->ring_bytes = ring_bytes;
    h->maxtrylock = KT_MAXTRYLOCK;
    kt_st64(&h->magic, KT_ARENA_MAGIC);
}

KT_API void kt_ctx_init(kt_ctx *ctx, void *arena, int32_t probe) {
    ctx->arena = arena;
    ctx->slot = -1;
    ctx->error = KT_OK;
    ctx->actions = 0;
    ctx->depth = 0;
    ctx->probe = probe;
    ctx->where = 0;
    ctx->regs = 0;
    ctx->entry_data = 0;
    ctx->site = -1;
    ctx->is_return = 0;
    ctx->matched_n = 0;
    ctx->sample = 0;
    ctx->match_src[0] = 0;
    ctx->errmsg[0] = 0;
}

static const char *kt_default_msg(int32_t code) {
    switch (code) {
    case KT_ERR_DIVZERO:
        return "division by 0";
    case KT_ERR_OVERFLOW:
        return "Array overflow, check MAXMAPENTRIES";
    case KT_ERR_MAXACTION:
        return "MAXACTION exceeded";
    case KT_ERR_MAXNESTING:
        return "MAXNESTING exceeded";
    case KT_ERR_EMPTY_AGG:
        return "empty aggregate";
    case KT_ERR_STRINGAT:
        return "Position out of bounds"; /* string.stp stringat, PR15044 */
    case KT_ERR_USER:
        return "";
    case KT_ERR_FAULT:
        return "read fault";
    case KT_ERR_HIST_INDEX:
        return "histogram index out of range";
    case KT_ERR_NEXT:
        return "no more overloads for 'next'";
    case KT_ERR_ABORT:
        return "abort";
    default:
        return "runtime error";
    }
}

KT_API void kt_error(kt_ctx *ctx, int32_t code, const char *msg) {
    ctx->error = code;
    kt_strcpy(ctx->errmsg, msg ? msg : kt_default_msg(code), KT_ERRMSG_LEN);
}

/* ---- thread slots: open addressing on tid, tombstones for released slots ---------------- */

static kt_slot *kt_slots(void *arena) {
    kt_arena_header *h = arena;
    return (kt_slot *)((uint8_t *)arena + h->slots_off);
}

static uint32_t kt_tid_hash(int32_t tid, uint32_t n) {
    return (uint32_t)(((uint64_t)(uint32_t)tid * 0x9E3779B1u) >> 7) % n;
}

KT_API int32_t kt_slot_claim(kt_ctx *ctx, int32_t tid) {
    kt_arena_header *h = kt_hdr(ctx);
    kt_slot *s = kt_slots(ctx->arena);
    uint32_t n = (uint32_t)h->nslots, start, i, k;
    int32_t reuse = -1;
    if (!n || tid <= 0)
        return ctx->slot = -1;
    start = kt_tid_hash(tid, n);
    /* Already ours? Stop at a never-used slot: nothing was ever placed past it. */
    for (k = 0, i = start; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
        int32_t t = (int32_t)kt_ld32((uint32_t *)&s[i].tid);
        if (t == tid)
            return ctx->slot = (int32_t)i;
        if (t == KT_SLOT_TOMBSTONE && reuse < 0)
            reuse = (int32_t)i;
        if (t == 0)
            break;
    }
    /* Claim the first reusable slot on the probe sequence. */
    for (k = 0, i = reuse >= 0 ? (uint32_t)reuse : start; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
        uint32_t t = kt_ld32((uint32_t *)&s[i].tid);
        if ((t == 0 || t == (uint32_t)KT_SLOT_TOMBSTONE) &&
            kt_cas32((uint32_t *)&s[i].tid, t, (uint32_t)tid))
            return ctx->slot = (int32_t)i;
    }
    kt_add64(&h->skipped, 1);
    return ctx->slot = -1;
}

KT_API void kt_slot_release(void *arena, int32_t tid) {
    kt_arena_header *h = arena;
    kt_slot *s = kt_slots(arena);
    for (int32_t i = 0; i < h->nslots; i++)
        if (kt_ld32((uint32_t *)&s[i].tid) == (uint32_t)tid) {
            /* The exiting thread's stack mapping is not the next owner's (kt_unwind.c). */
            s[i].stack_tid = 0;
            s[i].stack_lo = s[i].stack_hi = 0;
            if (kt_cas32((uint32_t *)&s[i].tid, (uint32_t)tid, (uint32_t)KT_SLOT_TOMBSTONE))
                return;
        }
}

/* ---- reader/writer locks: bounded spinning, never blocks ----------------------------------*/

KT_API uint64_t kt_lock_bytes(void) {
    return sizeof(kt_rwlock);
}

KT_API void kt_lock_init(void *at) {
    kt_memset(at, 0, sizeof(kt_rwlock));
}

static uint64_t kt_spins(kt_ctx *ctx) {
    uint64_t n = kt_hdr(ctx)->maxtrylock;
    return n ? n : KT_MAXTRYLOCK;
}

static uint32_t *kt_lane(kt_ctx *ctx, kt_rwlock *l) {
    return &l->lane[(uint32_t)(ctx->slot < 0 ? 0 : ctx->slot) % KT_LOCK_LANES].readers;
}

/* Readers and the writer each publish themselves, then look at the other side (seq_cst on both
 * sides, so one of them always sees the other). */
KT_API int kt_lock_read(kt_ctx *ctx, uint64_t lock_off) {
    kt_rwlock *l = (kt_rwlock *)(ctx->arena + lock_off);
    uint32_t *lane = kt_lane(ctx, l);
    for (uint64_t i = 0, n = kt_spins(ctx); i < n; i++) {
        if (!__atomic_load_n(&l->writer, __ATOMIC_RELAXED)) {
            __atomic_fetch_add(lane, 1, __ATOMIC_SEQ_CST);
            if (!__atomic_load_n(&l->writer, __ATOMIC_SEQ_CST))
                return 1;
            __atomic_fetch_sub(lane, 1, __ATOMIC_RELEASE);
        }
        kt_lock_backoff(i);
    }
    kt_add64(&kt_hdr(ctx)->skipped, 1);
    return 0;
}

KT_API int kt_lock_write(kt_ctx *ctx, uint64_t lock_off) {
    kt_rwlock *l = (kt_rwlock *)(ctx->arena + lock_off);
    uint64_t i = 0, n = kt_spins(ctx);
    for (;; i++) {
        uint32_t zero = 0;
        if (i >= n)
            goto fail;
        if (!__atomic_load_n(&l->writer, __ATOMIC_RELAXED) &&
            __atomic_compare_exchange_n(&l->writer, &zero, 1, 0, __ATOMIC_SEQ_CST,
                                        __ATOMIC_RELAXED))
            break;
        kt_lock_backoff(i);
    }
    /* The same spin budget covers waiting for the readers to leave. */
    for (; i < n; i++) {
        uint32_t busy = 0;
        for (int k = 0; k < KT_LOCK_LANES; k++)
            busy |= __atomic_load_n(&l->lane[k].readers, __ATOMIC_SEQ_CST);
        if (!busy)
            return 1;
        kt_lock_backoff(i);
    }
    __atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
fail:
    kt_add64(&kt_hdr(ctx)->skipped, 1);
    return 0;
}

KT_API void kt_unlock_read(kt_ctx *ctx, uint64_t lock_off) {
    kt_rwlock *l = (kt_rwlock *)(ctx->arena + lock_off);
    __atomic_fetch_sub(kt_lane(ctx, l), 1, __ATOMIC_RELEASE);
}

KT_API void kt_unlock_write(kt_ctx *ctx, uint64_t lock_off) {
    kt_rwlock *l = (kt_rwlock *)(ctx->arena + lock_off);
    __atomic_store_n(&l->writer, 0, __ATOMIC_RELEASE);
}
