/* Internals of the language runtime: arena structures, atomics and freestanding helpers.
 *
 * Everything that lives in the arena is built from fixed-width fields placed at 8-byte
 * multiples, so i386 (which aligns int64 to 4 inside structs) and x86_64 agree on every offset;
 * the static asserts below pin sizes and offsets for both builds.
 */
#ifndef KT_LANG_INT_H
#define KT_LANG_INT_H

#include "kt_lang.h"

#include <stddef.h>

/* The library is linked statically into libktap-rt.so, which is built -fvisibility=hidden:
 * the entry points handlers call must stay visible so the controller can resolve them. */
#define KT_API __attribute__((visibility("default")))
#define KT_LIKELY(x) __builtin_expect(!!(x), 1)
#define KT_UNLIKELY(x) __builtin_expect(!!(x), 0)

#define KT_STATIC_ASSERT(c, m) _Static_assert(c, m)

/* ---- atomics ---------------------------------------------------------------------------
 * 32-bit atomics are native on both targets. 64-bit ones would be libatomic calls on i386
 * (a libc-like dependency in the probe path), so they go through cmpxchg8b there. */
/* The letter of C's escape for c (\a \b \f \n \r \t \v, backslash, or the given quote),
   0 when c has none: shared by printf's %#c and string quoting. */
static inline char kt_escape_letter(int c, char quote) {
    switch (c) {
    case '\a': return 'a';
    case '\b': return 'b';
    case '\f': return 'f';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\t': return 't';
    case '\v': return 'v';
    case '\\': return '\\';
    default: return c == quote ? quote : 0;
    }
}

static inline uint32_t kt_ld32(const uint32_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void kt_st32(uint32_t *p, uint32_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline int kt_cas32(uint32_t *p, uint32_t old, uint32_t nv) {
    return __atomic_compare_exchange_n(p, &old, nv, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

#if defined(__i386__)
static inline uint64_t kt_ld64(const uint64_t *p) {
    /* cmpxchg8b with old == new: an atomic read that never changes the value. */
    return __sync_val_compare_and_swap((uint64_t *)p, 0, 0);
}
static inline void kt_st64(uint64_t *p, uint64_t v) {
    uint64_t cur = *(volatile uint64_t *)p, seen;
    while ((seen = __sync_val_compare_and_swap(p, cur, v)) != cur)
        cur = seen;
}
static inline void kt_add64(int64_t *p, int64_t v) {
    uint64_t cur = *(volatile uint64_t *)p, seen;
    while ((seen = __sync_val_compare_and_swap((uint64_t *)p, cur, cur + (uint64_t)v)) != cur)
        cur = seen;
}
#else
static inline uint64_t kt_ld64(const uint64_t *p) {
    return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}
static inline void kt_st64(uint64_t *p, uint64_t v) {
    __atomic_store_n(p, v, __ATOMIC_RELEASE);
}
static inline void kt_add64(int64_t *p, int64_t v) {
    __atomic_fetch_add(p, v, __ATOMIC_RELAXED);
}
#endif

static inline void kt_cpu_relax(void) {
    __asm__ __volatile__("pause" ::: "memory");
}

/* Waiting for a lock. Spin first; then give the CPU away every 64th round: a raw sched_yield
 * for the first 4,096 rounds, then a 50 us nanosleep (no libc in either). stap's kernel runtime
 * holds its locks with preemption off; in a user process the holder can be preempted for a
 * whole time slice when threads outnumber cores, and pure spinning would time out behind it
 * (seen: a few skipped handlers per second on a loaded 2-core machine). With the default
 * MAXTRYLOCK a waiter gives up after roughly 100 ms. Contended path only. */
static inline void kt_lock_backoff(uint64_t round) {
    if ((round & 63) != 63) {
        kt_cpu_relax();
        return;
    }
    long ret;
    if (round < 4096) {
#if defined(__x86_64__)
        __asm__ __volatile__("syscall" : "=a"(ret) : "0"(24L) : "rcx", "r11", "memory");
#else
        __asm__ __volatile__("int $0x80" : "=a"(ret) : "0"(158L) : "memory");
#endif
    } else {
        long ts[2] = {0, 50000}; /* struct timespec: native longs on both arches */
#if defined(__x86_64__)
        __asm__ __volatile__("syscall" : "=a"(ret) : "0"(35L), "D"(ts), "S"(0L)
                             : "rcx", "r11", "memory");
#else
        __asm__ __volatile__("int $0x80" : "=a"(ret) : "0"(162L), "b"(ts), "c"(0L) : "memory");
#endif
    }
    (void)ret;
}

/* ---- freestanding helpers (kt_mem.c) ---------------------------------------------------- */
void kt_memcpy(void *dst, const void *src, uint64_t n);
void kt_memset(void *dst, int c, uint64_t n);
/* Compares a stored (already truncated) string with a candidate truncated to cap-1 chars. */
int kt_str_eq_trunc(const char *stored, const char *cand, uint32_t cap);
uint32_t kt_strnlen(const char *s, uint32_t max);

static inline uint64_t kt_align(uint64_t v, uint64_t a) {
    return (v + a - 1) & ~(a - 1);
}

static inline kt_arena_header *kt_hdr(const kt_ctx *ctx) {
    return (kt_arena_header *)ctx->arena;
}

/* 64-bit division helpers that never trap (stap's _stp_div64 returns 0 on /0). */
static inline int64_t kt_div(int64_t a, int64_t b) {
    if (b == 0)
        return 0;
    if (b == -1)
        return (int64_t)(0 - (uint64_t)a); /* INT64_MIN / -1 would trap */
    return a / b;
}

/* ---- statistics ------------------------------------------------------------------------- */
#define KT_HIST_LOG_BUCKETS 128
#define KT_HIST_LOG_BUCKET0 64
#define KT_HIST_MAX_BUCKETS 128

typedef struct kt_stat_hdr {
    uint32_t nslots;
    uint16_t hist_kind;
    uint16_t flags;    /* KT_STAT_F_* */
    uint32_t nbuckets; /* 0 without a histogram */
    int32_t var_shift; /* @variance's shift; -1: Welford skipped on add */
    int64_t hist_lo, hist_hi, hist_width;
    uint64_t slot_stride; /* bytes per thread slot, a multiple of 64 (no false sharing) */
    /* Bit (slot % 128) is set before a slot is first written: readers skip the other slots
       without touching them (a read of an untouched memfd page would commit it). */
    uint32_t used[4];
} kt_stat_hdr;
KT_STATIC_ASSERT(sizeof(kt_stat_hdr) == 64, "kt_stat_hdr layout");
KT_STATIC_ASSERT(offsetof(kt_stat_hdr, flags) == 6, "kt_stat_hdr layout");
/* An array's statistic: stap aggregates arrays of statistics (map.c _new_map_copy_stat) with a
   different variance merge than scalar ones (stat.c _stp_stat_get); see kt_stat_merge. */
#define KT_STAT_F_MAP 1
KT_STATIC_ASSERT(offsetof(kt_stat_hdr, hist_lo) == 16, "kt_stat_hdr layout");
KT_STATIC_ASSERT(offsetof(kt_stat_hdr, slot_stride) == 40, "kt_stat_hdr layout");

/* One thread's partial aggregate; histogram buckets follow. Only its thread writes it. */
typedef struct kt_stat_slot {
    int64_t count, sum, min, max;
    int64_t avg_s; /* Welford running mean << shift */
    int64_t m2;    /* Welford sum of squared deviations (shifted) */
    int64_t reserved[2];
    int64_t hist[];
} kt_stat_slot;
KT_STATIC_ASSERT(sizeof(kt_stat_slot) == 64, "kt_stat_slot layout");
KT_STATIC_ASSERT(offsetof(kt_stat_slot, avg_s) == 32, "kt_stat_slot layout");

static inline kt_stat_slot *kt_stat_slot_at(kt_stat_hdr *h, uint32_t i) {
    return (kt_stat_slot *)((uint8_t *)h + sizeof(kt_stat_hdr) + (uint64_t)i * h->slot_stride);
}
/* May slot i hold data? */
static inline int kt_stat_slot_used(const kt_stat_hdr *h, uint32_t i) {
    return (__atomic_load_n(&h->used[(i >> 5) & 3], __ATOMIC_ACQUIRE) >> (i & 31)) & 1;
}

/* Merged view of all slots (on the reader's stack). */
typedef struct kt_stat_agg {
    int64_t count, sum, min, max, avg, variance;
    int64_t hist[KT_HIST_MAX_BUCKETS];
} kt_stat_agg;

/* Merges; with_hist also sums the buckets. */
void kt_stat_merge(kt_stat_hdr *h, kt_stat_agg *agg, int with_hist);
void kt_stat_hdr_init(kt_stat_hdr *h, const kt_stat_params *p);
void kt_stat_zero(kt_stat_hdr *h);
uint64_t kt_stat_bytes_of(uint32_t nslots, uint32_t hist_kind, int64_t lo, int64_t hi,
                          int64_t width);
int64_t kt_agg_value(const kt_stat_agg *a, int32_t agg);
/* Histogram bucket (log or linear) of a value. */
int32_t kt_hist_log_bucket(int64_t v);
int64_t kt_hist_log_value(int32_t bucket);

/* ---- maps --------------------------------------------------------------------------------*/
typedef struct kt_map_hdr {
    uint32_t nkeys, key_kinds, value_kind, capacity;
    uint32_t wrap, maxstringlen, nbuckets, entry_size;
    uint32_t count;          /* live entries */
    uint32_t next_unused;    /* entries never used yet start here (bump allocation) */
    uint32_t free_head;      /* deleted entries, linked through `chain` (index + 1) */
    uint32_t ins_lock;       /* serialises inserts (they may run under a read lock for `<<<`) */
    uint32_t oldest, newest; /* insertion order list (index + 1) */
    uint32_t value_off;      /* value offset inside an entry */
    uint32_t pad0;
    uint64_t seq;         /* insertion counter: stable tie-break for sorting */
    uint64_t buckets_off; /* from the map header: uint32_t[nbuckets], index + 1 */
    uint64_t entries_off; /* from the map header */
    uint32_t key_off[KT_MAX_KEYS];
    uint32_t pad1;
    kt_stat_hdr stat; /* template for statistics values */
} kt_map_hdr;
KT_STATIC_ASSERT(sizeof(kt_map_hdr) == 192, "kt_map_hdr layout");
KT_STATIC_ASSERT(offsetof(kt_map_hdr, seq) == 64, "kt_map_hdr layout");
KT_STATIC_ASSERT(offsetof(kt_map_hdr, key_off) == 88, "kt_map_hdr layout");
KT_STATIC_ASSERT(offsetof(kt_map_hdr, stat) == 128, "kt_map_hdr layout");

typedef struct kt_entry {
    uint32_t chain;        /* next in the hash chain (index + 1) */
    uint32_t older, newer; /* insertion order neighbours (index + 1) */
    uint32_t hash;
    uint64_t seq;
    uint32_t used;
    uint32_t pad;
} kt_entry;
KT_STATIC_ASSERT(sizeof(kt_entry) == 32, "kt_entry layout");

static inline kt_map_hdr *kt_map_at(kt_ctx *ctx, uint64_t off) {
    return (kt_map_hdr *)(ctx->arena + off);
}
static inline kt_entry *kt_entry_at(kt_map_hdr *m, uint32_t i) {
    return (kt_entry *)((uint8_t *)m + m->entries_off + (uint64_t)i * m->entry_size);
}
static inline uint32_t *kt_map_buckets(kt_map_hdr *m) {
    return (uint32_t *)((uint8_t *)m + m->buckets_off);
}

/* ---- locks and rings ------------------------------------------------------------------- */
/* A reader/writer lock with sharded reader counts: a reader increments the lane of its thread
 * slot (slot % KT_LOCK_LANES, one cache line each), so readers on different lanes never write
 * a shared line (`<<<` under read locks scales); a writer sets the writer word, then waits for
 * every lane to drain. */
#define KT_LOCK_LANES 16
typedef struct kt_rwlock {
    uint32_t writer;
    uint32_t pad[15];
    struct {
        uint32_t readers;
        uint32_t pad[15];
    } lane[KT_LOCK_LANES];
} kt_rwlock;
KT_STATIC_ASSERT(sizeof(kt_rwlock) == 64 * (1 + KT_LOCK_LANES), "kt_rwlock layout");

#define KT_REC_PAD 0x80000000u /* ring record header flag: filler up to the ring's end */
#define KT_REC_ERR 0x40000000u /* ring record header flag: a record of the stderr stream */
#define KT_REC_LEN(word) ((word) & ~(KT_REC_PAD | KT_REC_ERR))
#define KT_SEQ_OFF 192         /* arena offset of the uint32_t output sequence counter */
#define KT_DRAIN_ACTIVE 256    /* slots kt_drain merges in one call */

/* Reserves room for one record of len bytes in this thread's ring; NULL when it does not
 * fit (the drop is counted). kt_out_commit publishes it. Records are contiguous in memory. */
char *kt_out_reserve(kt_ctx *ctx, uint32_t len);
void kt_out_commit(kt_ctx *ctx, uint32_t len);
void kt_out_commit_stream(kt_ctx *ctx, uint32_t len, int32_t stream);

/* A bounded output buffer; writes past cap are counted but dropped. */
typedef struct kt_buf {
    char *p;
    uint32_t cap; /* bytes that may be written */
    uint32_t len; /* bytes that would have been written */
} kt_buf;
static inline void kt_buf_putc(kt_buf *b, char c) {
    if (b->len < b->cap)
        b->p[b->len] = c;
    b->len++;
}
void kt_buf_puts(kt_buf *b, const char *s);
void kt_buf_rep(kt_buf *b, char c, int32_t n);
/* Right-aligned decimal in a field of width (no padding when width is too small). */
void kt_buf_long(kt_buf *b, int64_t v, int32_t width);
uint32_t kt_format_buf(kt_ctx *ctx, kt_buf *b, const char *fmt, const kt_fmt_arg *args,
                       int32_t nargs, int32_t clampw);
uint32_t kt_hist_render_buf(kt_ctx *ctx, uint64_t stat_off, int32_t elision, kt_buf *b);

#endif /* KT_LANG_INT_H */
