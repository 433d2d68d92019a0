/* Associative arrays: fixed-capacity chained hash tables inside the arena.
 *
 * Entries are allocated by bumping `next_unused`, then recycled through a free list; a free
 * entry is all zero (apart from its free-list link), so fresh memfd pages need no init and a
 * statistics value starts empty. An insertion-order list gives unsorted foreach order and the
 * oldest entry for `%` wrap-around.
 *
 * Concurrency: finds run under the global's read lock; inserts may too (`a[k] <<< v` holds only a
 * read lock), so they serialise on a small per-map spin lock and publish an entry only once it
 * is complete (release stores, acquire loads in find). Deletes need the write lock.
 */
#include "kt_lang_int.h"

static uint32_t kt_slot_bytes_str(uint32_t msl) {
    return (uint32_t)kt_align(msl ? msl : 1, 8);
}

static uint64_t kt_value_bytes(const kt_map_params *p) {
    if (p->value_kind == KT_STRING)
        return kt_slot_bytes_str(p->maxstringlen);
    if (p->value_kind == KT_STATS)
        return kt_stat_bytes_of(p->nslots, p->hist_kind, p->hist_lo, p->hist_hi, p->hist_width);
    return 8;
}

/* Fills the layout fields of a header (no memory touched besides *m). */
static void kt_map_layout(kt_map_hdr *m, const kt_map_params *p) {
    uint32_t off = sizeof(kt_entry), nb = 1;
    m->nkeys = p->nkeys < 1 ? 1 : p->nkeys > KT_MAX_KEYS ? KT_MAX_KEYS : p->nkeys;
    m->key_kinds = p->key_kinds;
    m->value_kind = p->value_kind;
    m->capacity = p->capacity ? p->capacity : 1;
    m->wrap = p->wrap;
    m->maxstringlen = p->maxstringlen ? p->maxstringlen : 1;
    for (uint32_t k = 0; k < m->nkeys; k++) {
        m->key_off[k] = off;
        off += (m->key_kinds >> k & 1) ? kt_slot_bytes_str(m->maxstringlen) : 8;
    }
    if (p->value_kind == KT_STATS)
        off = (uint32_t)kt_align(off, 64); /* thread slots on their own cache lines */
    m->value_off = off;
    m->entry_size = (uint32_t)kt_align(off + kt_value_bytes(p), p->value_kind == KT_STATS ? 64 : 8);
    while (nb < 2 * m->capacity)
        nb <<= 1;
    m->nbuckets = nb;
    m->buckets_off = sizeof(kt_map_hdr);
    m->entries_off = kt_align(m->buckets_off + 4ull * nb, 64);
}

KT_API uint64_t kt_map_bytes(const kt_map_params *p) {
    kt_map_hdr m;
    kt_map_layout(&m, p);
    return kt_align(m.entries_off + (uint64_t)m.capacity * m.entry_size, 64);
}

KT_API void kt_map_init(void *at, const kt_map_params *p) {
    kt_map_hdr *m = at;
    kt_stat_params sp;
    kt_memset(m, 0, sizeof(*m));
    kt_map_layout(m, p);
    sp.nslots = p->nslots;
    sp.hist_kind = p->hist_kind;
    sp.hist_lo = p->hist_lo;
    sp.hist_hi = p->hist_hi;
    sp.hist_width = p->hist_width;
    sp.var_shift = p->var_shift;
    sp.pad = 0;
    kt_stat_hdr_init(&m->stat, &sp);
    m->stat.flags |= KT_STAT_F_MAP;
    kt_memset(kt_map_buckets(m), 0, 4ull * m->nbuckets);
}

/* ---- keys ------------------------------------------------------------------------------- */

static uint64_t kt_mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    return h;
}

static uint32_t kt_key_hash(const kt_map_hdr *m, const kt_key *key) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint32_t k = 0; k < m->nkeys; k++) {
        if (m->key_kinds >> k & 1) {
            const char *s = key->s[k] ? key->s[k] : "";
            uint64_t f = 0xcbf29ce484222325ull;
            for (uint32_t i = 0; i + 1 < m->maxstringlen && s[i]; i++)
                f = (f ^ (uint8_t)s[i]) * 0x100000001b3ull;
            h = kt_mix(h, f);
        } else {
            uint64_t v = (uint64_t)key->n[k] * 0xff51afd7ed558ccdull;
            h = kt_mix(h, v ^ (v >> 29));
        }
    }
    return (uint32_t)(h ^ (h >> 32));
}

static int kt_key_match(const kt_map_hdr *m, kt_entry *e, const kt_key *key, uint32_t wild) {
    for (uint32_t k = 0; k < m->nkeys; k++) {
        const uint8_t *slot = (const uint8_t *)e + m->key_off[k];
        if (wild >> k & 1)
            continue;
        if (m->key_kinds >> k & 1) {
            if (!kt_str_eq_trunc((const char *)slot, key->s[k] ? key->s[k] : "", m->maxstringlen))
                return 0;
        } else if (*(const int64_t *)slot != key->n[k]) {
            return 0;
        }
    }
    return 1;
}

static int32_t kt_find(kt_map_hdr *m, const kt_key *key, uint32_t hash) {
    uint32_t i = kt_ld32(&kt_map_buckets(m)[hash & (m->nbuckets - 1)]);
    while (i) {
        kt_entry *e = kt_entry_at(m, i - 1);
        if (e->hash == hash && kt_key_match(m, e, key, 0))
            return (int32_t)(i - 1);
        i = kt_ld32(&e->chain);
    }
    return -1;
}

KT_API int32_t kt_map_find(kt_ctx *ctx, uint64_t map_off, const kt_key *key) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return kt_find(m, key, kt_key_hash(m, key));
}

/* ---- removal (write lock, or the insert lock for wrap-around) -------------------------- */

static void kt_unlink(kt_map_hdr *m, uint32_t idx) {
    kt_entry *e = kt_entry_at(m, idx);
    uint32_t *p = &kt_map_buckets(m)[e->hash & (m->nbuckets - 1)];
    while (*p && *p != idx + 1)
        p = &kt_entry_at(m, *p - 1)->chain;
    if (*p)
        kt_st32(p, e->chain);
    if (e->older)
        kt_entry_at(m, e->older - 1)->newer = e->newer;
    else
        m->oldest = e->newer;
    if (e->newer)
        kt_entry_at(m, e->newer - 1)->older = e->older;
    else
        m->newest = e->older;
    m->count--;
}

/* Zeroes an unlinked entry (value included) and puts it on the free list. */
static void kt_release(kt_map_hdr *m, uint32_t idx) {
    kt_entry *e = kt_entry_at(m, idx);
    if (m->value_kind == KT_STATS) {
        /* Only slots that were written hold data: keep untouched pages untouched. */
        kt_stat_hdr *h = (kt_stat_hdr *)((uint8_t *)e + m->value_off);
        if (h->nslots)
            kt_stat_zero(h);
        kt_memset(e, 0, m->value_off + sizeof(kt_stat_hdr));
    } else {
        kt_memset(e, 0, m->entry_size);
    }
    e->chain = m->free_head;
    m->free_head = idx + 1;
}

/* ---- insert ----------------------------------------------------------------------------- */

static int kt_ins_lock(kt_ctx *ctx, kt_map_hdr *m) {
    uint64_t n = kt_hdr(ctx)->maxtrylock;
    if (!n)
        n = KT_MAXTRYLOCK;
    for (uint64_t i = 0; i < n; i++) {
        if (__atomic_load_n(&m->ins_lock, __ATOMIC_RELAXED) == 0 && kt_cas32(&m->ins_lock, 0, 1))
            return 1;
        kt_lock_backoff(i);
    }
    return 0;
}

static void kt_ins_unlock(kt_map_hdr *m) {
    kt_st32(&m->ins_lock, 0);
}

/* stap names the declared size when the array has one: "check size limit (N)". */
static void kt_overflow_error(kt_ctx *ctx, uint32_t capacity)
{
    const kt_arena_header *h = (const kt_arena_header *)ctx->arena;
    char msg[64], num[24];
    if (capacity == h->maxmapentries) {
        kt_error(ctx, KT_ERR_OVERFLOW, 0);
        return;
    }
    kt_strcpy(msg, "Array overflow, check size limit (", sizeof msg);
    kt_long_to_str(num, (kt_long)capacity, sizeof num);
    kt_strcat(msg, num, sizeof msg);
    kt_strcat(msg, ")", sizeof msg);
    kt_error(ctx, KT_ERR_OVERFLOW, msg);
}

KT_API int32_t kt_map_insert(kt_ctx *ctx, uint64_t map_off, const kt_key *key) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    uint32_t hash = kt_key_hash(m, key), idx;
    int32_t found = kt_find(m, key, hash);
    kt_entry *e;
    if (found >= 0)
        return found;
    if (!kt_ins_lock(ctx, m)) {
        kt_add64(&kt_hdr(ctx)->skipped, 1); /* -1 without an error: the update is lost */
        return -1;
    }
    found = kt_find(m, key, hash); /* another thread may have inserted it meanwhile */
    if (found >= 0) {
        kt_ins_unlock(m);
        return found;
    }
    if (m->free_head) {
        idx = m->free_head - 1;
        m->free_head = kt_entry_at(m, idx)->chain;
    } else if (m->next_unused < m->capacity) {
        idx = m->next_unused++;
    } else if (m->wrap && m->oldest) {
        idx = m->oldest - 1;
        kt_unlink(m, idx);
        kt_release(m, idx);
        m->free_head = kt_entry_at(m, idx)->chain;
    } else {
        kt_ins_unlock(m);
        kt_overflow_error(ctx, m->capacity);
        return -1;
    }
    e = kt_entry_at(m, idx);
    for (uint32_t k = 0; k < m->nkeys; k++) {
        uint8_t *slot = (uint8_t *)e + m->key_off[k];
        if (m->key_kinds >> k & 1)
            kt_strcpy((char *)slot, key->s[k] ? key->s[k] : "", m->maxstringlen);
        else
            *(int64_t *)slot = key->n[k];
    }
    if (m->value_kind == KT_STATS)
        kt_memcpy((uint8_t *)e + m->value_off, &m->stat, sizeof(kt_stat_hdr));
    e->hash = hash;
    e->seq = m->seq++;
    e->used = 1;
    e->older = m->newest;
    e->newer = 0;
    e->chain = kt_map_buckets(m)[hash & (m->nbuckets - 1)];
    /* Publish: order list first (foreach readers), then the hash chain (find readers). */
    if (m->newest)
        kt_st32(&kt_entry_at(m, m->newest - 1)->newer, idx + 1);
    else
        kt_st32(&m->oldest, idx + 1);
    m->newest = idx + 1;
    m->count++;
    kt_st32(&kt_map_buckets(m)[hash & (m->nbuckets - 1)], idx + 1);
    kt_ins_unlock(m);
    return (int32_t)idx;
}

/* ---- access ------------------------------------------------------------------------------ */

KT_API kt_long *kt_map_long(kt_ctx *ctx, uint64_t map_off, int32_t entry) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return (kt_long *)((uint8_t *)kt_entry_at(m, (uint32_t)entry) + m->value_off);
}

KT_API char *kt_map_str(kt_ctx *ctx, uint64_t map_off, int32_t entry) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return (char *)kt_entry_at(m, (uint32_t)entry) + m->value_off;
}

KT_API uint64_t kt_map_stat(kt_ctx *ctx, uint64_t map_off, int32_t entry) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return map_off + m->entries_off + (uint64_t)(uint32_t)entry * m->entry_size + m->value_off;
}

KT_API kt_long kt_map_key_long(kt_ctx *ctx, uint64_t map_off, int32_t entry, uint32_t k) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return *(kt_long *)((uint8_t *)kt_entry_at(m, (uint32_t)entry) + m->key_off[k]);
}

KT_API const char *kt_map_key_str(kt_ctx *ctx, uint64_t map_off, int32_t entry, uint32_t k) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    return (const char *)kt_entry_at(m, (uint32_t)entry) + m->key_off[k];
}

KT_API int32_t kt_map_count(kt_ctx *ctx, uint64_t map_off) {
    return (int32_t)kt_ld32(&kt_map_at(ctx, map_off)->count);
}

/* ---- deletion (write lock) ------------------------------------------------------------ */

KT_API void kt_map_delete(kt_ctx *ctx, uint64_t map_off, const kt_key *key) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    int32_t i = kt_find(m, key, kt_key_hash(m, key));
    if (i < 0)
        return;
    kt_unlink(m, (uint32_t)i);
    kt_release(m, (uint32_t)i);
}

KT_API void kt_map_delete_matching(kt_ctx *ctx, uint64_t map_off, const kt_key *key,
                                   uint32_t wildcards) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    uint32_t i = m->oldest;
    while (i) {
        kt_entry *e = kt_entry_at(m, i - 1);
        uint32_t next = e->newer;
        if (kt_key_match(m, e, key, wildcards)) {
            kt_unlink(m, i - 1);
            kt_release(m, i - 1);
        }
        i = next;
    }
}

KT_API int kt_map_any(kt_ctx *ctx, uint64_t map_off, const kt_key *key, uint32_t wildcards) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    if ((wildcards & ((1u << m->nkeys) - 1)) == 0)
        return kt_map_find(ctx, map_off, key) >= 0;
    for (uint32_t i = kt_ld32(&m->oldest); i; i = kt_ld32(&kt_entry_at(m, i - 1)->newer))
        if (kt_key_match(m, kt_entry_at(m, i - 1), key, wildcards))
            return 1;
    return 0;
}

KT_API void kt_map_clear(kt_ctx *ctx, uint64_t map_off) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    uint32_t i = m->oldest;
    while (i) {
        uint32_t next = kt_entry_at(m, i - 1)->newer;
        kt_release(m, i - 1);
        i = next;
    }
    kt_memset(kt_map_buckets(m), 0, 4ull * m->nbuckets);
    m->oldest = m->newest = 0;
    m->count = 0;
}
