/* User backtraces in the target (kt_lang.h "User backtraces", docs/backtraces.md).
 *
 * The unwinder only searches and loads: ktap compiled every module's call-frame information
 * into sorted rule tables in the arena (ktap/unwind.h). Per frame: a lookup in the thread's
 * rule cache, else the module (last one first, then a search) and the row (a block index, then
 * a few search steps); one or two stack loads. Stack loads are plain loads inside the thread's
 * own stack mapping (kt_uw_stack), otherwise fault-safe (kt_user_read: the agent's
 * fault-catching copy, or a system call). No libc, no locks, no allocation.
 *
 * Headers: agent.h (through rt.h struct kt_regs) defines KT_API and KT_STATIC_ASSERT like
 * kt_lang_int.h: they are dropped before the language runtime's own definitions are read. */
#include "../include/ktap/agent.h"
#undef KT_API
#undef KT_STATIC_ASSERT
#include "../include/ktap/unwind.h"

#include "kt_lang_int.h"

KT_STATIC_ASSERT(sizeof(struct kt_uw_rule) == 8, "kt_uw_rule layout");
KT_STATIC_ASSERT(sizeof(struct kt_uw_module) == 64, "kt_uw_module layout");
KT_STATIC_ASSERT(sizeof(struct kt_uw_map) == 16, "kt_uw_map layout");
KT_STATIC_ASSERT(sizeof(struct kt_uw_area) == 48, "kt_uw_area layout");
KT_STATIC_ASSERT(sizeof(struct kt_uw_cached) == 16, "kt_uw_cached layout");

uintptr_t (*kt_unwind_pc_hook)(uintptr_t pc);
uintptr_t kt_unwind_stub_lo, kt_unwind_stub_hi;
int32_t (*kt_stack_bounds_hook)(uint64_t sp, uint64_t *lo, uint64_t *hi);

#if defined(__x86_64__)
typedef uint64_t kt_word;
#define KT_W 8u
#define KT_BP(r) ((r)->rbp)
#else
typedef uint32_t kt_word;
#define KT_W 4u
#define KT_BP(r) ((r)->ebp)
#endif
#define KT_UW_PAGE 4096u
/* Stack-mapping lookups per thread (kt_uw_stack). */
#define KT_UW_STACK_LOOKUPS 4
/* The fault-safe path remembers readable pages this far above the hit's stack pointer. */
#define KT_UW_NEAR (1u << 20)
/* A frame pointer further than this above the stack pointer is not believed. */
#define KT_UW_FP_REACH (64u << 20)

/* Memory known to be readable: the thread's stack mapping [stack_lo, stack_hi) and the pages
   [lo, hi) read so far through the fault-safe path. Pages are remembered only near the stack
   pointer of the hit ([near_lo, near_hi)): another thread cannot unmap the stack this one runs
   on, but it can unmap anything a wrong frame pointer points at. */
typedef struct kt_uw_reader {
    uint64_t stack_lo, stack_hi;
    uint64_t lo, hi;
    uint64_t near_lo, near_hi;
} kt_uw_reader;

static int kt_uw_load(kt_uw_reader *rd, uint64_t addr, uint64_t *out) {
    if (addr & (KT_W - 1))
        return -1; /* aligned words only: never crosses a page */
    if (KT_LIKELY((addr >= rd->stack_lo && addr + KT_W <= rd->stack_hi) ||
                  (addr >= rd->lo && addr + KT_W <= rd->hi))) {
        *out = *(const volatile kt_word *)(uintptr_t)addr;
        return 0;
    }
    kt_word v;
    if (kt_user_read(&v, addr, KT_W) != 0)
        return -1;
    uint64_t page = addr & ~(uint64_t)(KT_UW_PAGE - 1);
    if (page < rd->near_lo || page >= rd->near_hi) {
        *out = v;
        return 0;
    }
    if (page == rd->hi)
        rd->hi += KT_UW_PAGE;
    else if (page + KT_UW_PAGE == rd->lo)
        rd->lo = page;
    else {
        rd->lo = page;
        rd->hi = page + KT_UW_PAGE;
    }
    *out = v;
    return 0;
}

/* The mapping holding this thread's stack pointer, cached in its slot (asked of the agent once
   per thread, and again when sp is elsewhere: a signal stack, a coroutine). */
static void kt_uw_stack(const kt_ctx *ctx, uint64_t sp, kt_uw_reader *rd) {
    const kt_arena_header *h = kt_hdr(ctx);
    int32_t (*hook)(uint64_t, uint64_t *, uint64_t *) =
        __atomic_load_n(&kt_stack_bounds_hook, __ATOMIC_ACQUIRE);
    if (!hook || ctx->slot < 0 || ctx->slot >= h->nslots)
        return;
    kt_slot *s = (kt_slot *)((uint8_t *)ctx->arena + h->slots_off) + ctx->slot;
    uint64_t tid = (uint64_t)(uint32_t)s->tid;
    if (s->stack_tid != tid) {
        s->stack_tid = tid;
        s->stack_lo = s->stack_hi = 0;
        s->stack_lookups = 0;
    }
    if (sp < s->stack_lo || sp >= s->stack_hi) {
        /* Reading /proc/self/maps costs tens of microseconds: a thread that keeps switching
           stacks (coroutines), or whose stack is not one ktap trusts, is asked about a few
           times, then unwinds with fault-safe reads only. */
        if (s->stack_lookups >= KT_UW_STACK_LOOKUPS)
            return;
        s->stack_lookups++;
        uint64_t lo, hi;
        if (hook(sp, &lo, &hi) != 0)
            return;
        s->stack_lo = lo;
        s->stack_hi = hi;
    }
    rd->stack_lo = s->stack_lo;
    rd->stack_hi = s->stack_hi;
}

static inline uint64_t kt_uw_translate(uint64_t pc) {
    if (KT_LIKELY(pc < kt_unwind_stub_lo || pc >= kt_unwind_stub_hi))
        return pc; /* not a return stub: no call */
    uintptr_t (*hook)(uintptr_t) = __atomic_load_n(&kt_unwind_pc_hook, __ATOMIC_ACQUIRE);
    return hook ? hook((uintptr_t)pc) : pc;
}

static const struct kt_uw_map *kt_uw_map_of(const kt_ctx *ctx) {
    const kt_arena_header *h = kt_hdr(ctx);
    if (!h->unwind_off || h->unwind_off + sizeof(struct kt_uw_area) > h->size)
        return 0;
    const struct kt_uw_area *a = (const struct kt_uw_area *)(ctx->arena + h->unwind_off);
    uint64_t off = kt_ld64(&a->map_off);
    if (!off || off + sizeof(struct kt_uw_map) > h->size)
        return 0;
    const struct kt_uw_map *m = (const struct kt_uw_map *)(ctx->arena + off);
    if (off + sizeof *m + (uint64_t)m->count * sizeof(struct kt_uw_module) > h->size)
        return 0;
    return m;
}

static const struct kt_uw_module *kt_uw_module_of(const struct kt_uw_map *m, uint64_t pc,
                                                  const struct kt_uw_module **last) {
    /* Consecutive frames are often in one module. */
    if (*last && pc >= (*last)->lo && pc < (*last)->hi)
        return *last;
    if (!m->count)
        return 0;
    /* The last module with lo <= pc; branch-free halving (conditional moves): the addresses
       of one backtrace are unpredictable for a branch predictor. */
    const struct kt_uw_module *base = m->mods;
    uint32_t len = m->count;
    while (len > 1) {
        uint32_t half = len / 2;
        base = base[half].lo <= pc ? base + half : base;
        len -= half;
    }
    if (pc < base->lo || pc >= base->hi)
        return 0;
    *last = base;
    return base;
}

/* The rule for pc; 0 when no module covers it (rule left INVALID). */
static int kt_uw_rule_at(const kt_ctx *ctx, const struct kt_uw_map *m, uint64_t pc,
                         struct kt_uw_rule *out, const struct kt_uw_module **last) {
    out->cfa_kind = KT_UW_INVALID;
    const struct kt_uw_module *mod = m ? kt_uw_module_of(m, pc, last) : 0;
    if (!mod)
        return 0;
    const kt_arena_header *h = kt_hdr(ctx);
    uint32_t n = mod->nrows;
    if (mod->pcs_off + (uint64_t)n * 4 > h->size || mod->rules_off + (uint64_t)n * 8 > h->size)
        return 1;
    const uint32_t *pcs = (const uint32_t *)(ctx->arena + mod->pcs_off);
    uint64_t off = pc - mod->lo; /* pc >= lo: the module covers it */
    if (!n || off > 0xffffffffu)
        return 1;
    const uint32_t *base = pcs;
    uint32_t len = n, key = (uint32_t)off;
    uint64_t nblocks = ((mod->hi - mod->lo) >> KT_UW_BLOCK_SHIFT) + 1;
    if (mod->index_off && mod->index_off + nblocks * 4 <= h->size) {
        /* The rows of this block: from the one covering its start to the one covering the
           next block's start. */
        const uint32_t *index = (const uint32_t *)(ctx->arena + mod->index_off);
        uint64_t b = off >> KT_UW_BLOCK_SHIFT;
        uint32_t first = index[b], last = b + 1 < nblocks ? index[b + 1] : n - 1;
        if (first < n && last < n && first <= last) {
            base = pcs + first;
            len = last - first + 1;
        }
    }
    /* The last row starting at or before off, branch-free as in kt_uw_module_of. */
    while (len > 1) {
        uint32_t half = len / 2;
        base = base[half] <= key ? base + half : base;
        len -= half;
    }
    if (*base <= key)
        *out = ((const struct kt_uw_rule *)(ctx->arena + mod->rules_off))[base - pcs];
    return 1;
}

/* This thread's rule cache for the current module map, or NULL (cleared when the map changed:
   a library loaded, so an address may now belong to a table it had none in). */
static struct kt_uw_cached *kt_uw_cache_of(const kt_ctx *ctx, const struct kt_uw_map *m) {
    const kt_arena_header *h = kt_hdr(ctx);
    if (!m || ctx->slot < 0 || ctx->slot >= h->nslots)
        return 0;
    const struct kt_uw_area *a = (const struct kt_uw_area *)(ctx->arena + h->unwind_off);
    uint64_t bytes = (uint64_t)KT_UW_CACHE * sizeof(struct kt_uw_cached);
    if (!a->cache_off || a->cache_off + (uint64_t)h->nslots * bytes > h->size)
        return 0;
    struct kt_uw_cached *c =
        (struct kt_uw_cached *)(ctx->arena + a->cache_off + (uint64_t)ctx->slot * bytes);
    kt_slot *s = (kt_slot *)((uint8_t *)ctx->arena + h->slots_off) + ctx->slot;
    uint64_t map_off = (uint64_t)((const uint8_t *)m - ctx->arena);
    if (s->uw_cache_map != map_off) {
        kt_memset(c, 0, bytes);
        s->uw_cache_map = map_off;
    }
    return c;
}

/* kt_uw_rule_at through the thread's cache; returns whether a module covered pc. */
static int kt_uw_lookup(const kt_ctx *ctx, const struct kt_uw_map *m, struct kt_uw_cached *cache,
                        uint64_t pc, struct kt_uw_rule *out, const struct kt_uw_module **last) {
    struct kt_uw_cached *e = 0;
    if (cache) {
        e = &cache[(pc ^ (pc >> 8) ^ (pc >> 16)) & (KT_UW_CACHE - 1)];
        if (KT_LIKELY(e->pc == pc && pc)) {
            *out = e->rule;
            return !(out->cfa_kind == KT_UW_INVALID && out->bp_off == 1);
        }
    }
    int known = kt_uw_rule_at(ctx, m, pc, out, last);
    if (e) {
        e->rule = *out;
        if (out->cfa_kind == KT_UW_INVALID)
            e->rule.bp_off = (int16_t)!known;
        e->pc = pc;
    }
    return known;
}

/* Registers of the interrupted code from a signal frame whose return address was just popped
   (sp: the handler's CFA). */
static int kt_uw_sigframe(kt_uw_reader *rd, const struct kt_uw_rule *rule, uint64_t sp,
                          uint64_t *pc, uint64_t *nsp, uint64_t *bp) {
#if defined(__x86_64__)
    (void)rule;
    uint64_t gregs = sp + 40; /* ucontext: uc_flags, uc_link, uc_stack, then mcontext */
    return kt_uw_load(rd, gregs + 16 * 8, pc) || kt_uw_load(rd, gregs + 15 * 8, nsp) ||
           kt_uw_load(rd, gregs + 10 * 8, bp);
#else
    /* rt: sig, pinfo, puc, siginfo (128), then ucontext (mcontext at +20); non-rt: sig, then
       the sigcontext. Both register sets have the sigcontext layout. */
    uint64_t gregs = rule->bp_kind == KT_UW_SIG_NONRT ? sp + 4 : sp + 12 + 128 + 20;
    return kt_uw_load(rd, gregs + 14 * 4, pc) || kt_uw_load(rd, gregs + 7 * 4, nsp) ||
           kt_uw_load(rd, gregs + 6 * 4, bp);
#endif
}

KT_API uint32_t kt_unwind(kt_ctx *ctx, uint64_t *pcs, uint8_t *flags, uint32_t max, int32_t *stop) {
    const struct kt_regs *r = (const struct kt_regs *)ctx->regs;
    *stop = KT_UW_STOP_NOTABLES;
    if (!r || !max)
        return 0;
    const struct kt_uw_map *map = kt_uw_map_of(ctx);
    uint64_t pc = r->ip, sp = r->sp, bp = KT_BP(r);
    uint32_t n = 0;
    /* The page of the return-address slot is mapped: the call wrote it. */
    uint64_t known = (ctx->is_return ? sp - KT_W : sp) & ~(uint64_t)(KT_UW_PAGE - 1);
    kt_uw_reader rd = {0, 0, known, known + KT_UW_PAGE, known, known + KT_UW_NEAR};
    kt_uw_stack(ctx, sp, &rd);
    int exact = 1; /* look pc itself up (frame 0, after a signal); else pc - 1, in the call */
    const struct kt_uw_module *last = 0;
    struct kt_uw_cached *cache = kt_uw_cache_of(ctx, map);
    if (flags)
        kt_memset(flags, 0, max);
    pcs[n++] = pc;
    if (ctx->sample && flags)
        flags[0] = KT_UW_F_EXACT; /* an interrupted address: looked up as it is */
    if (!ctx->is_return && !ctx->sample) {
        /* At the first instruction: CFA = sp + W, the return address at sp, nothing saved. */
        uint64_t ra;
        if (kt_uw_load(&rd, sp, &ra)) {
            *stop = KT_UW_STOP_READ;
            return n;
        }
        pc = kt_uw_translate(ra);
        sp += KT_W;
        exact = 0;
        if (!pc) {
            *stop = KT_UW_STOP_END;
            return n;
        }
        if (n >= max) {
            *stop = KT_UW_STOP_DEPTH;
            return n;
        }
        pcs[n++] = pc;
    }
    for (;;) {
        struct kt_uw_rule rule;
        uint64_t look = exact ? pc : pc - 1;
        /* A signal trampoline's rows start a byte before it (its FDE does in glibc; ktap's
           tables make sure of it), so pc - 1 finds them too. */
        int known_mod = kt_uw_lookup(ctx, map, cache, look, &rule, &last);
        if (rule.cfa_kind == KT_UW_END) {
            *stop = KT_UW_STOP_END; /* complete, even with exactly max frames */
            return n;
        }
        if (n >= max) {
            *stop = KT_UW_STOP_DEPTH;
            return n;
        }
        uint64_t cfa, ra, nbp = bp;
        switch (rule.cfa_kind) {
        case KT_UW_SIGNAL: {
            uint64_t npc, nsp;
            if (flags)
                flags[n - 1] |= KT_UW_F_SIGTRAMP;
            if (kt_uw_sigframe(&rd, &rule, sp, &npc, &nsp, &nbp)) {
                *stop = KT_UW_STOP_READ;
                return n;
            }
            /* The interrupted code may have run on another stack (sigaltstack): no
               monotonic check across a signal frame. */
            pc = npc;
            sp = nsp;
            bp = nbp;
            exact = 1;
            if (!pc) {
                *stop = KT_UW_STOP_END;
                return n;
            }
            if (flags)
                flags[n] = KT_UW_F_EXACT;
            pcs[n++] = pc;
            rd.lo = rd.hi = 0;
            continue;
        }
        case KT_UW_CFA_SP:
            cfa = sp + (int64_t)rule.cfa_off;
            break;
        case KT_UW_CFA_BP:
            cfa = bp + (int64_t)rule.cfa_off;
            break;
        case KT_UW_CFA_DEREF_BP:
            if (kt_uw_load(&rd, bp + (int64_t)rule.cfa_off, &cfa)) {
                *stop = KT_UW_STOP_READ;
                return n;
            }
            break;
        case KT_UW_CFA_PLT:
            cfa = sp + (int64_t)rule.cfa_off;
            if ((int)(look & 15) >= rule.bp_off)
                cfa += (int64_t)rule.cfa_off;
            break;
        default:
            /* No rule (a gap, or code ktap has no table for): one frame-pointer step when the
               frame pointer looks like one. */
            if (map && !known_mod)
                __atomic_fetch_add(
                    &((struct kt_uw_area *)(ctx->arena + kt_hdr(ctx)->unwind_off))->missing, 1,
                    __ATOMIC_RELAXED);
            if ((bp & (KT_W - 1)) || bp <= sp || bp - sp > KT_UW_FP_REACH) {
                *stop = KT_UW_STOP_NOINFO;
                return n;
            }
            cfa = bp + 2 * KT_W;
            if (kt_uw_load(&rd, bp, &nbp)) {
                *stop = KT_UW_STOP_READ;
                return n;
            }
            rule.bp_kind = KT_UW_BP_SAME;
            break;
        }
        if (cfa <= sp) {
            *stop = KT_UW_STOP_BADCFA;
            return n;
        }
        if (kt_uw_load(&rd, cfa - KT_W, &ra)) {
            *stop = KT_UW_STOP_READ;
            return n;
        }
        switch (rule.bp_kind) {
        case KT_UW_BP_AT_CFA:
            if (kt_uw_load(&rd, cfa + (int64_t)rule.bp_off, &nbp)) {
                *stop = KT_UW_STOP_READ;
                return n;
            }
            break;
        case KT_UW_BP_AT_BP:
            if (kt_uw_load(&rd, bp + (int64_t)rule.bp_off, &nbp)) {
                *stop = KT_UW_STOP_READ;
                return n;
            }
            break;
        case KT_UW_BP_UNDEF:
            nbp = 0;
            break;
        default:
            break;
        }
        pc = kt_uw_translate(ra);
        sp = cfa;
        bp = nbp;
        exact = 0;
        if (!pc) {
            *stop = KT_UW_STOP_END;
            return n;
        }
        pcs[n++] = pc;
    }
}

/* ---- the script functions ------------------------------------------------------------------ */

#define KT_UW_MAXFRAMES KT_UW_SCRATCH_FRAMES /* frames a backtrace holds (-D MAXBACKTRACE) */
#define KT_UW_ON_STACK 32 /* frames without the arena's scratch (on the probed stack) */

/* This thread slot's scratch for one backtrace: KT_UW_MAXFRAMES addresses and flags in the
   unwind area, so that a deep MAXBACKTRACE does not take kilobytes of the probed thread's
   stack (which may be a small signal stack). NULL without an unwind area. */
static uint64_t *kt_uw_scratch(const kt_ctx *ctx, uint8_t **flags) {
    const kt_arena_header *h = kt_hdr(ctx);
    if (!h->unwind_off || ctx->slot < 0 || ctx->slot >= h->nslots)
        return 0;
    const struct kt_uw_area *a = (const struct kt_uw_area *)(ctx->arena + h->unwind_off);
    if (!a->scratch_off || a->scratch_off + (uint64_t)h->nslots * KT_UW_SCRATCH > h->size)
        return 0;
    uint8_t *p = ctx->arena + a->scratch_off + (uint64_t)ctx->slot * KT_UW_SCRATCH;
    *flags = p + KT_UW_SCRATCH_FRAMES * 8;
    return (uint64_t *)(void *)p;
}

/* Unwinds at most maxframes frames into the scratch (or into the caller's small buffers). */
static uint32_t kt_uw_frames(kt_ctx *ctx, int32_t maxframes, uint64_t *small, uint8_t *small_flags,
                             uint64_t **pcs, uint8_t **flags, int32_t *stop) {
    uint32_t max = maxframes < 1 ? 1 : maxframes > KT_UW_MAXFRAMES ? KT_UW_MAXFRAMES : maxframes;
    *pcs = kt_uw_scratch(ctx, flags);
    if (!*pcs) {
        *pcs = small;
        *flags = small_flags;
        if (max > KT_UW_ON_STACK)
            max = KT_UW_ON_STACK;
    }
    return kt_unwind(ctx, *pcs, *flags, max, stop);
}

#define KT_UW_HEX 18 /* "0x" and 16 digits */

/* "0x%016x" at p (KT_UW_HEX bytes, no NUL). The nibbles are spread into the bytes of two
   64-bit words and turned into digits eight at a time (SWAR), then stored: no loop per char. */
#if !defined(__i386__)
static uint64_t kt_uw_hex8(uint32_t v) {
    uint64_t x = v;
    /* nibble i (from the top) to byte i (little endian: byte 0 first in memory) */
    x = ((x & 0xffff0000u) >> 16) | ((x & 0x0000ffffu) << 32);
    x = ((x & 0x0000ff000000ff00ull) >> 8) | ((x & 0x000000ff000000ffull) << 16);
    x = ((x & 0x00f000f000f000f0ull) >> 4) | ((x & 0x000f000f000f000full) << 8);
    /* x: one nibble per byte; digits: '0' + n, plus 39 more for a-f */
    uint64_t letters = ((x + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
    return x + 0x3030303030303030ull + letters * 39;
}

#else
/* The same with 32-bit words (64-bit arithmetic takes register pairs on i386): 4 digits. */
static uint32_t kt_uw_hex4(uint32_t v) {
    uint32_t x = ((v & 0xff00u) >> 8) | ((v & 0x00ffu) << 16);
    x = ((x & 0x00f000f0u) >> 4) | ((x & 0x000f000fu) << 8);
    uint32_t letters = ((x + 0x06060606u) >> 4) & 0x01010101u;
    return x + 0x30303030u + letters * 39;
}
#endif

static char *kt_uw_hex16(char *p, uint64_t v) {
    p[0] = '0';
    p[1] = 'x';
#if defined(__i386__)
    uint32_t hi = (uint32_t)(v >> 32), lo = (uint32_t)v;
    uint32_t d[4] = {kt_uw_hex4(hi >> 16), kt_uw_hex4(hi & 0xffff), kt_uw_hex4(lo >> 16),
                     kt_uw_hex4(lo & 0xffff)};
    __builtin_memcpy(p + 2, d, 16);
#else
    uint64_t hi = kt_uw_hex8((uint32_t)(v >> 32)), lo = kt_uw_hex8((uint32_t)v);
    __builtin_memcpy(p + 2, &hi, 8); /* constant size: two stores, no call */
    __builtin_memcpy(p + 10, &lo, 8);
#endif
    return p + KT_UW_HEX;
}

KT_API void kt_ubacktrace(kt_ctx *ctx, char *dst, int64_t skip, int64_t count, int32_t maxframes,
                          uint32_t cap) {
    uint64_t small[KT_UW_ON_STACK], *pcs;
    uint8_t small_flags[KT_UW_ON_STACK], *flags;
    int32_t stop;
    /* ucallers(n) needs skip + n frames, not the whole stack. */
    int64_t want = count >= 0 && skip + count < maxframes ? skip + count : maxframes;
    uint32_t n =
        kt_uw_frames(ctx, (int32_t)(want < 1 ? 1 : want), small, small_flags, &pcs, &flags, &stop);
    if (!cap)
        return;
    char *p = dst, *end = dst + cap - 1;
    uint32_t written = 0;
    for (uint32_t i = (uint32_t)skip; i < n && (count < 0 || written < count); i++) {
        if (end - p < (written ? 1 : 0) + KT_UW_HEX)
            break; /* whole addresses only */
        if (written)
            *p++ = ' ';
        p = kt_uw_hex16(p, pcs[i]);
        written++;
    }
    *p = 0;
}

/* "\x01" kind, the addresses, ["!" stop] "\x02" into b: as many addresses as fit whole, each
   prefixed with '^' (a signal trampoline) or '=' (an interrupted address) where flags say so. */
static void kt_uw_marker(kt_buf *b, int32_t kind, const uint64_t *pcs, const uint8_t *flags,
                         uint32_t n, int32_t stop) {
    kt_buf_putc(b, '\x01');
    kt_buf_putc(b, (char)kind);
    for (uint32_t i = 0; i < n; i++) {
        /* separator, flag, address; then room for "!N" and the end byte */
        if (b->len + 1 + 1 + KT_UW_HEX + 3 > b->cap)
            break;
        if (i)
            b->p[b->len++] = ' ';
        if (flags && (flags[i] & KT_UW_F_SIGTRAMP))
            b->p[b->len++] = '^';
        else if (flags && (flags[i] & KT_UW_F_EXACT))
            b->p[b->len++] = '=';
        kt_uw_hex16(b->p + b->len, pcs[i]);
        b->len += KT_UW_HEX;
    }
    if (stop != KT_UW_STOP_END) {
        kt_buf_putc(b, '!');
        kt_buf_putc(b, (char)('0' + stop));
    }
    kt_buf_putc(b, '\x02');
}

KT_API void kt_print_ubacktrace(kt_ctx *ctx, int32_t kind, int32_t maxframes) {
    uint64_t small[KT_UW_ON_STACK], *pcs;
    uint8_t small_flags[KT_UW_ON_STACK], *flags;
    int32_t stop;
    uint32_t n = kt_uw_frames(ctx, maxframes, small, small_flags, &pcs, &flags, &stop);
    uint32_t len = 2 + (2 + KT_UW_HEX) * n + 3;
    char *rec = kt_out_reserve(ctx, len);
    if (!rec)
        return; /* dropped and counted */
    kt_buf b = {rec, len, 0};
    kt_uw_marker(&b, kind, pcs, flags, n, stop);
    kt_out_commit(ctx, b.len);
}

KT_API void kt_sprint_ubacktrace(kt_ctx *ctx, char *dst, int32_t maxframes, uint32_t cap) {
    uint64_t small[KT_UW_ON_STACK], *pcs;
    uint8_t small_flags[KT_UW_ON_STACK], *flags;
    int32_t stop;
    uint32_t n = kt_uw_frames(ctx, maxframes, small, small_flags, &pcs, &flags, &stop);
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    kt_uw_marker(&b, 'S', pcs, flags, n, KT_UW_STOP_END);
    if (cap)
        dst[b.len < b.cap ? b.len : b.cap] = 0;
}

/* A ubacktrace()/ucallers() string into a marker: control bytes become spaces; a string cut to
   fit is cut after its last whole address. */
static void kt_uw_wrap(kt_buf *b, const char *addrs, uint32_t alen, int32_t kind) {
    uint32_t room = b->cap > 3 ? b->cap - 3 : 0;
    if (alen > room) {
        alen = room;
        while (alen && addrs[alen] != ' ')
            alen--;
    }
    kt_buf_putc(b, '\x01');
    kt_buf_putc(b, (char)kind);
    for (uint32_t i = 0; i < alen; i++)
        kt_buf_putc(b, addrs[i] == '\x01' || addrs[i] == '\x02' ? ' ' : addrs[i]);
    kt_buf_putc(b, '\x02');
}

KT_API void kt_ustack(kt_ctx *ctx, char *dst, const char *addrs, int32_t kind, int32_t print,
                      uint32_t cap) {
    uint32_t alen = kt_strnlen(addrs, 1u << 16);
    if (print) {
        char *rec = kt_out_reserve(ctx, alen + 3);
        if (!rec)
            return;
        kt_buf b = {rec, alen + 3, 0};
        kt_uw_wrap(&b, addrs, alen, kind);
        kt_out_commit(ctx, b.len);
        return;
    }
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    kt_uw_wrap(&b, addrs, alen, kind);
    if (cap)
        dst[b.len < b.cap ? b.len : b.cap] = 0;
}

KT_API kt_long kt_ustack_frame(kt_ctx *ctx, kt_long n, int32_t maxframes) {
    if (n < 0 || n >= maxframes || n >= KT_UW_MAXFRAMES)
        return 0;
    uint64_t small[KT_UW_ON_STACK], *pcs;
    uint8_t small_flags[KT_UW_ON_STACK], *flags;
    int32_t stop;
    uint32_t got = kt_uw_frames(ctx, (int32_t)n + 1, small, small_flags, &pcs, &flags, &stop);
    return got > (uint64_t)n ? (kt_long)pcs[n] : 0;
}

/* usymname() and umodname() are often map keys (profiles: @c[usymname(uaddr())]): an address
   becomes its function's start (its FDE's) or its module's, so that one function or module is
   one key. Addresses no table covers stay as they are. */
static uint64_t kt_usym_key(const kt_ctx *ctx, uint64_t a, int32_t kind) {
    if ((kind != 'N' && kind != 'M') || !ctx || !ctx->arena)
        return a;
    const struct kt_uw_map *map = kt_uw_map_of(ctx);
    const struct kt_uw_module *last = 0, *m = map ? kt_uw_module_of(map, a, &last) : 0;
    if (!m)
        return a;
    if (kind == 'M')
        return m->lo;
    const kt_arena_header *h = kt_hdr(ctx);
    if (!m->funcs_off || !m->nfuncs || m->funcs_off + (uint64_t)m->nfuncs * 8 > h->size)
        return a;
    const uint32_t *f = (const uint32_t *)(ctx->arena + m->funcs_off);
    uint64_t off = a - m->lo;
    uint32_t lo = 0, hi = m->nfuncs; /* the last function starting at or before off */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f[2 * mid] <= off)
            lo = mid;
        else
            hi = mid;
    }
    if (off < f[2 * lo] || off >= f[2 * lo + 1])
        return a;
    return m->lo + f[2 * lo];
}

KT_API void kt_usym(kt_ctx *ctx, char *dst, int64_t addr, int32_t kind, uint32_t cap) {
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    uint64_t a = kt_usym_key(ctx, (uint64_t)addr, kind);
    kt_uw_marker(&b, kind, &a, 0, 1, KT_UW_STOP_END);
    if (cap)
        dst[b.len < b.cap ? b.len : b.cap] = 0;
}
