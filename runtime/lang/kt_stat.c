/* Statistics: per-thread slots written without locks, merged on read exactly as stap's
 * _stp_stat_get (stat.c) merges per-CPU data, including its integer Welford variance. */
#include "kt_lang_int.h"

static uint32_t kt_nbuckets(uint32_t kind, int64_t lo, int64_t hi, int64_t width) {
    if (kind == KT_HIST_LOG)
        return KT_HIST_LOG_BUCKETS;
    if (kind == KT_HIST_LINEAR && width > 0) {
        /* _stp_stat_calc_buckets: (hi - lo) / width + 3, between 3 and 128 (hi == lo is one
           bucket plus under/overflow); the compiler rejects the rest. */
        int64_t n = (hi - lo) / width + 3;
        if (n < 3)
            return 0;
        return n > KT_HIST_MAX_BUCKETS ? KT_HIST_MAX_BUCKETS : (uint32_t)n;
    }
    return 0;
}

static uint64_t kt_slot_stride(uint32_t nbuckets) {
    return kt_align(sizeof(kt_stat_slot) + 8ull * nbuckets, 64);
}

uint64_t kt_stat_bytes_of(uint32_t nslots, uint32_t hist_kind, int64_t lo, int64_t hi,
                          int64_t width) {
    uint32_t nb = kt_nbuckets(hist_kind, lo, hi, width);
    return sizeof(kt_stat_hdr) + (uint64_t)(nslots ? nslots : 1) * kt_slot_stride(nb);
}

KT_API uint64_t kt_stat_bytes(const kt_stat_params *p) {
    return kt_stat_bytes_of(p->nslots, p->hist_kind, p->hist_lo, p->hist_hi, p->hist_width);
}

void kt_stat_hdr_init(kt_stat_hdr *h, const kt_stat_params *p) {
    kt_memset(h, 0, sizeof(*h));
    h->nslots = p->nslots ? p->nslots : 1;
    h->nbuckets = kt_nbuckets(p->hist_kind, p->hist_lo, p->hist_hi, p->hist_width);
    h->hist_kind = h->nbuckets ? p->hist_kind : KT_HIST_NONE;
    h->var_shift = p->var_shift < 0 ? -1 : p->var_shift > 62 ? 62 : p->var_shift;
    h->hist_lo = p->hist_lo;
    h->hist_hi = p->hist_hi;
    h->hist_width = p->hist_width;
    h->slot_stride = kt_slot_stride(h->nbuckets);
}

KT_API void kt_stat_init(void *at, const kt_stat_params *p) {
    kt_stat_hdr_init(at, p);
}

/* _stp_val_to_bucket: 0 -> 64, positive v -> 64 + (index of its top bit, 1-based), negative
   mirrored below 64; INT64_MIN lands in bucket 0. */
int32_t kt_hist_log_bucket(int64_t v) {
    uint64_t u;
    int32_t msb = 0;
    if (v == 0)
        return KT_HIST_LOG_BUCKET0;
    u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (u >> 32) {
        msb += 32;
        u >>= 32;
    }
    if (u >> 16) {
        msb += 16;
        u >>= 16;
    }
    if (u >> 8) {
        msb += 8;
        u >>= 8;
    }
    if (u >> 4) {
        msb += 4;
        u >>= 4;
    }
    if (u >> 2) {
        msb += 2;
        u >>= 2;
    }
    if (u >> 1) {
        msb += 1;
        u >>= 1;
    }
    msb += (int32_t)u; /* 1-based */
    return v < 0 ? KT_HIST_LOG_BUCKET0 - msb : KT_HIST_LOG_BUCKET0 + msb;
}

/* _stp_bucket_to_val */
int64_t kt_hist_log_value(int32_t b) {
    if (b == KT_HIST_LOG_BUCKET0)
        return 0;
    if (b < KT_HIST_LOG_BUCKET0)
        return INT64_MIN >> b; /* arithmetic: -2^63 .. -1 */
    return (int64_t)(1ull << (b - KT_HIST_LOG_BUCKET0 - 1));
}

static void kt_stat_add_hdr(kt_stat_hdr *h, uint32_t slot, int64_t val) {
    kt_stat_slot *sd;
    int32_t shift = h->var_shift < 0 ? 0 : h->var_shift;
    uint32_t bit, *word;
    if (KT_UNLIKELY(slot >= h->nslots))
        slot %= h->nslots;
    sd = kt_stat_slot_at(h, slot);
    bit = 1u << (slot & 31);
    word = &h->used[(slot >> 5) & 3];
    if (KT_UNLIKELY(!(__atomic_load_n(word, __ATOMIC_RELAXED) & bit)))
        __atomic_fetch_or(word, bit, __ATOMIC_RELEASE);
    if (sd->count == 0) {
        sd->count = 1;
        sd->sum = sd->min = sd->max = val;
        sd->avg_s = (int64_t)((uint64_t)val << shift);
        sd->m2 = 0;
    } else {
        sd->count++;
        sd->sum += val;
        if (val > sd->max)
            sd->max = val;
        if (val < sd->min)
            sd->min = val;
        if (h->var_shift >= 0) {
            /* Welford on shifted values, stap's integer arithmetic (stat-common.c). */
            int64_t vs = (int64_t)((uint64_t)val << shift);
            int64_t delta = vs - sd->avg_s;
            sd->avg_s += kt_div(delta, sd->count);
            sd->m2 += delta * (vs - sd->avg_s);
        }
    }
    if (h->hist_kind == KT_HIST_LOG) {
        sd->hist[kt_hist_log_bucket(val)]++;
    } else if (h->hist_kind == KT_HIST_LINEAR) {
        int64_t b = val - h->hist_lo;
        if (b < 0)
            b = 0;
        else
            b = (int64_t)((uint64_t)b / (uint64_t)h->hist_width) + 1;
        if (b >= (int64_t)h->nbuckets - 1)
            b = h->nbuckets - 1;
        sd->hist[b]++;
    }
}

KT_API void kt_stat_add(kt_ctx *ctx, uint64_t stat_off, kt_long value) {
    if (KT_UNLIKELY(ctx->slot < 0)) {
        kt_add64(&kt_hdr(ctx)->skipped, 1); /* no slot: the prologue should have skipped */
        return;
    }
    kt_stat_add_hdr((kt_stat_hdr *)(ctx->arena + stat_off), (uint32_t)ctx->slot, value);
}

/* A slot's own Welford variance (stap keeps it updated on every add as M2 / (count - 1)). */
static int64_t kt_slot_var_s(const kt_stat_slot *sd) {
    return sd->count < 2 ? 0 : kt_div(sd->m2, sd->count - 1);
}

/* Arrays of statistics (map.c _new_map_copy_stat): the first slot with data is copied as is
   (its running Welford mean and variance, no correction against the overall mean), each further
   slot is merged pairwise into the running aggregate in slot order. */
static int64_t kt_variance_pairwise(kt_stat_hdr *h, int32_t shift) {
    int64_t count = 0, sum = 0, avg_s = 0, var_s = 0;
    for (uint32_t i = 0; i < h->nslots; i++) {
        kt_stat_slot *sd;
        int64_t n1, a1, avg_new, s11, s12, s21, s22;
        if (!kt_stat_slot_used(h, i))
            continue;
        sd = kt_stat_slot_at(h, i);
        if (!sd->count)
            continue;
        if (!count) {
            count = sd->count;
            sum = sd->sum;
            avg_s = sd->avg_s;
            var_s = kt_slot_var_s(sd);
            continue;
        }
        n1 = count;
        a1 = avg_s;
        count += sd->count;
        sum += sd->sum;
        avg_new = kt_div((int64_t)((uint64_t)sum << shift), count);
        s11 = n1 * (a1 - avg_new) * (a1 - avg_new);
        s12 = (n1 - 1) * var_s;
        s21 = sd->count * (sd->avg_s - avg_new) * (sd->avg_s - avg_new);
        s22 = (sd->count - 1) * kt_slot_var_s(sd);
        var_s = kt_div(s11 + s12 + s21 + s22, count - 1);
        avg_s = avg_new;
    }
    return var_s >> (2 * shift);
}

void kt_stat_merge(kt_stat_hdr *h, kt_stat_agg *agg, int with_hist) {
    int32_t shift = h->var_shift < 0 ? 0 : h->var_shift;
    int64_t avg_s, s1 = 0, s2 = 0;
    agg->count = agg->sum = agg->min = agg->max = agg->avg = agg->variance = 0;
    if (with_hist)
        for (uint32_t j = 0; j < h->nbuckets; j++)
            agg->hist[j] = 0;
    for (uint32_t i = 0; i < h->nslots; i++) {
        kt_stat_slot *sd;
        int64_t n;
        if (!kt_stat_slot_used(h, i))
            continue;
        sd = kt_stat_slot_at(h, i);
        n = sd->count;
        if (!n)
            continue;
        if (agg->count == 0) {
            agg->min = sd->min;
            agg->max = sd->max;
        }
        agg->count += n;
        agg->sum += sd->sum;
        if (sd->max > agg->max)
            agg->max = sd->max;
        if (sd->min < agg->min)
            agg->min = sd->min;
        if (with_hist)
            for (uint32_t j = 0; j < h->nbuckets; j++)
                agg->hist[j] += sd->hist[j];
    }
    if (!agg->count)
        return;
    agg->avg = kt_div(agg->sum, agg->count);
    if (h->var_shift < 0)
        return;
    if (h->flags & KT_STAT_F_MAP) {
        agg->variance = kt_variance_pairwise(h, shift);
        return;
    }
    /* Scalar statistics (stat.c _stp_stat_get): the total variance over all slots at once,
       S1 from the slot means against the overall mean, S2 from the slot variances. */
    avg_s = kt_div((int64_t)((uint64_t)agg->sum << shift), agg->count);
    for (uint32_t i = 0; i < h->nslots; i++) {
        kt_stat_slot *sd;
        int64_t n;
        if (!kt_stat_slot_used(h, i))
            continue;
        sd = kt_stat_slot_at(h, i);
        n = sd->count;
        if (!n)
            continue;
        s1 += n * (sd->avg_s - avg_s) * (sd->avg_s - avg_s);
        s2 += (n - 1) * kt_slot_var_s(sd);
    }
    agg->variance = kt_div(s1 + s2, agg->count - 1) >> (2 * shift);
}

int64_t kt_agg_value(const kt_stat_agg *a, int32_t agg) {
    switch (agg) {
    case KT_AGG_COUNT:
        return a->count;
    case KT_AGG_SUM:
        return a->sum;
    case KT_AGG_MIN:
        return a->min;
    case KT_AGG_MAX:
        return a->max;
    case KT_AGG_AVG:
        return a->avg;
    case KT_AGG_VARIANCE:
        return a->variance;
    default:
        return 0;
    }
}

KT_API kt_long kt_stat_get(kt_ctx *ctx, uint64_t stat_off, int32_t agg, int32_t shift) {
    kt_stat_agg a;
    (void)shift;
    kt_stat_merge((kt_stat_hdr *)(ctx->arena + stat_off), &a, 0);
    if (a.count == 0 && agg != KT_AGG_COUNT && agg != KT_AGG_SUM) {
        kt_error(ctx, KT_ERR_EMPTY_AGG, 0);
        return 0;
    }
    return kt_agg_value(&a, agg);
}

/* Zeroes the slots that were written (under the write lock: no concurrent adders). */
void kt_stat_zero(kt_stat_hdr *h) {
    for (uint32_t i = 0; i < h->nslots; i++)
        if (kt_stat_slot_used(h, i)) {
            kt_stat_slot *sd = kt_stat_slot_at(h, i);
            if (sd->count)
                kt_memset(sd, 0, h->slot_stride);
        }
    for (int w = 0; w < 4; w++)
        h->used[w] = 0;
}

KT_API void kt_stat_clear(kt_ctx *ctx, uint64_t stat_off) {
    kt_stat_zero((kt_stat_hdr *)(ctx->arena + stat_off));
}

KT_API int32_t kt_hist_buckets(kt_ctx *ctx, uint64_t stat_off) {
    return (int32_t)((kt_stat_hdr *)(ctx->arena + stat_off))->nbuckets;
}

KT_API kt_long kt_hist_bucket(kt_ctx *ctx, uint64_t stat_off, kt_long index) {
    kt_stat_hdr *h = (kt_stat_hdr *)(ctx->arena + stat_off);
    int64_t n = 0, total = 0;
    for (uint32_t i = 0; i < h->nslots; i++)
        if (kt_stat_slot_used(h, i))
            total += kt_stat_slot_at(h, i)->count;
    if (!total) {
        kt_error(ctx, KT_ERR_EMPTY_AGG, 0);
        return 0;
    }
    if (index < 0 || index >= (kt_long)h->nbuckets) {
        kt_error(ctx, KT_ERR_HIST_INDEX, 0);
        return 0;
    }
    for (uint32_t i = 0; i < h->nslots; i++)
        if (kt_stat_slot_used(h, i) && kt_stat_slot_at(h, i)->count)
            n += kt_stat_slot_at(h, i)->hist[index];
    return n;
}
