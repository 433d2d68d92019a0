/* foreach order: insertion order, or sorted by the value, a key, or a statistics aggregate.
 *
 * stap sorts its map list with a stable merge sort; no scratch memory is allowed here, so an
 * in-place heap sort orders by (sort key, insertion sequence), which is the same total order. */
#include "kt_lang_int.h"

typedef struct kt_sorter {
    kt_map_hdr *m;
    int32_t by;  /* 0 value, 1..9 key */
    int32_t dir; /* +1 / -1 */
    int32_t agg;
    int32_t is_str;
} kt_sorter;

static int64_t kt_stat_sort_value(const kt_sorter *s, kt_entry *e) {
    kt_stat_agg a;
    kt_stat_merge((kt_stat_hdr *)((uint8_t *)e + s->m->value_off), &a, 0);
    return kt_agg_value(&a, s->agg);
}

/* < 0 when entry a comes before entry b. */
static int kt_cmp(const kt_sorter *s, int32_t ia, int32_t ib) {
    kt_entry *a = kt_entry_at(s->m, (uint32_t)ia), *b = kt_entry_at(s->m, (uint32_t)ib);
    uint32_t off = s->by ? s->m->key_off[s->by - 1] : s->m->value_off;
    int c;
    if (s->is_str) {
        c = kt_strcmp((const char *)a + off, (const char *)b + off);
    } else {
        int64_t x, y;
        if (!s->by && s->m->value_kind == KT_STATS) {
            x = kt_stat_sort_value(s, a);
            y = kt_stat_sort_value(s, b);
        } else {
            x = *(const int64_t *)((const uint8_t *)a + off);
            y = *(const int64_t *)((const uint8_t *)b + off);
        }
        c = x < y ? -1 : x > y;
    }
    c *= s->dir;
    if (c)
        return c;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static void kt_sift(const kt_sorter *s, int32_t *v, int32_t root, int32_t n) {
    for (;;) {
        int32_t child = 2 * root + 1, t;
        if (child >= n)
            return;
        if (child + 1 < n && kt_cmp(s, v[child], v[child + 1]) < 0)
            child++;
        if (kt_cmp(s, v[root], v[child]) >= 0)
            return;
        t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

KT_API int32_t kt_map_sorted(kt_ctx *ctx, uint64_t map_off, int32_t sort_by, int32_t dir,
                             int32_t agg, kt_long limit, const kt_key *slice, uint32_t wildcards,
                             int32_t *out) {
    kt_map_hdr *m = kt_map_at(ctx, map_off);
    kt_sorter s;
    int32_t n = 0;
    /* Readers may run while `<<<` inserts under a read lock: bound by capacity. */
    for (uint32_t i = kt_ld32(&m->oldest); i && n < (int32_t)m->capacity;
         i = kt_ld32(&kt_entry_at(m, i - 1)->newer)) {
        kt_entry *e = kt_entry_at(m, i - 1);
        if (slice) {
            int ok = 1;
            for (uint32_t k = 0; k < m->nkeys && ok; k++) {
                const uint8_t *p = (const uint8_t *)e + m->key_off[k];
                if (wildcards >> k & 1)
                    continue;
                if (m->key_kinds >> k & 1)
                    ok = kt_str_eq_trunc((const char *)p, slice->s[k] ? slice->s[k] : "",
                                         m->maxstringlen);
                else
                    ok = *(const int64_t *)p == slice->n[k];
            }
            if (!ok)
                continue;
        }
        out[n++] = (int32_t)(i - 1);
    }
    if (sort_by >= 0 && n > 1) {
        s.m = m;
        s.by = sort_by > (int32_t)m->nkeys ? (int32_t)m->nkeys : sort_by;
        s.dir = dir < 0 ? -1 : 1;
        s.agg = agg;
        s.is_str = s.by ? (int32_t)(m->key_kinds >> (s.by - 1) & 1) : m->value_kind == KT_STRING;
        for (int32_t r = n / 2 - 1; r >= 0; r--)
            kt_sift(&s, out, r, n);
        for (int32_t end = n - 1; end > 0; end--) {
            int32_t t = out[0];
            out[0] = out[end];
            out[end] = t;
            kt_sift(&s, out, 0, end);
        }
    }
    if (limit >= 0 && limit < n)
        n = (int32_t)limit;
    return n;
}
