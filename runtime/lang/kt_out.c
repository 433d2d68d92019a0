/* Output rings: one single-producer/single-consumer ring per thread slot.
 *
 * The producing thread owns ring_head, the draining controller owns ring_tail; both are byte
 * counters (positions modulo ring_bytes). A record is an 8-byte header (payload length, output
 * sequence number) and its payload, padded to 4 bytes, and is always contiguous: when it would
 * cross the end of the ring a filler (KT_REC_PAD | bytes) covers the rest. The head is published
 * with a release store only once the record is complete, so a reader never sees a torn record. A
 * full ring drops the record and counts it; the producer never waits.
 *
 * Sequence numbers come from one counter in the arena (a 32-bit atomic add, native on i386), so
 * the drain can merge the rings back into the order the records were committed in: output of a
 * `begin` probe on one thread comes out before that of a timer on another, whatever their slots.
 */
#include "kt_lang_int.h"

#define KT_REC_HDR 8

static kt_slot *kt_slot_of(kt_arena_header *h, int32_t i) {
    return (kt_slot *)((uint8_t *)h + h->slots_off) + i;
}

static uint8_t *kt_ring_of(kt_arena_header *h, int32_t i) {
    return (uint8_t *)h + h->rings_off + (uint64_t)i * h->ring_bytes;
}

static uint64_t kt_rec_bytes(uint32_t len) {
    return kt_align((uint64_t)KT_REC_HDR + len, 4);
}

static void kt_drop(kt_arena_header *h, uint32_t len) {
    kt_add64(&h->dropped_records, 1);
    kt_add64(&h->dropped_bytes, len);
}

char *kt_out_reserve(kt_ctx *ctx, uint32_t len) {
    kt_arena_header *h = kt_hdr(ctx);
    kt_slot *s;
    uint64_t head, tail, pos, to_end, rec, need, size = h->ring_bytes;
    uint8_t *ring;
    if (KT_UNLIKELY(ctx->slot < 0 || ctx->slot >= h->nslots)) {
        kt_drop(h, len);
        return 0;
    }
    s = kt_slot_of(h, ctx->slot);
    ring = kt_ring_of(h, ctx->slot);
    head = s->ring_head; /* ours */
    tail = kt_ld64(&s->ring_tail);
    rec = kt_rec_bytes(len);
    pos = head & (size - 1);
    to_end = size - pos;
    need = rec > to_end ? to_end + rec : rec;
    if (rec >= size || (head - tail) + need > size) {
        kt_drop(h, len);
        return 0;
    }
    if (rec > to_end) {
        /* Filler up to the end (a complete record of its own: published now). */
        *(uint32_t *)(ring + pos) = KT_REC_PAD | (uint32_t)to_end;
        head += to_end;
        kt_st64(&s->ring_head, head);
        pos = 0;
    }
    return (char *)ring + pos + KT_REC_HDR;
}

void kt_out_commit(kt_ctx *ctx, uint32_t len) {
    kt_out_commit_stream(ctx, len, KT_STREAM_OUT);
}

void kt_out_commit_stream(kt_ctx *ctx, uint32_t len, int32_t stream) {
    kt_arena_header *h = kt_hdr(ctx);
    kt_slot *s = kt_slot_of(h, ctx->slot);
    uint32_t *rec = (uint32_t *)(kt_ring_of(h, ctx->slot) + (s->ring_head & (h->ring_bytes - 1)));
    rec[0] = len | (stream == KT_STREAM_ERR ? KT_REC_ERR : 0);
    /* Stamped at commit, right before publishing: commit order is output order. */
    rec[1] = __atomic_fetch_add((uint32_t *)((uint8_t *)h + KT_SEQ_OFF), 1, __ATOMIC_RELAXED);
    kt_st64(&s->ring_head, s->ring_head + kt_rec_bytes(len));
}

KT_API void kt_out(kt_ctx *ctx, const char *bytes, uint32_t len) {
    char *p;
    if (!len)
        return;
    p = kt_out_reserve(ctx, len);
    if (!p)
        return;
    kt_memcpy(p, bytes, len);
    kt_out_commit(ctx, len);
}

KT_API void kt_out_err(kt_ctx *ctx, const char *bytes, uint32_t len) {
    char *p;
    if (!len)
        return;
    p = kt_out_reserve(ctx, len);
    if (!p)
        return;
    kt_memcpy(p, bytes, len);
    kt_out_commit_stream(ctx, len, KT_STREAM_ERR);
}

KT_API void kt_out_str(kt_ctx *ctx, const char *s) {
    kt_out(ctx, s, kt_strlen(s));
}

KT_API void kt_out_long(kt_ctx *ctx, kt_long v) {
    char tmp[24];
    kt_buf b = {tmp, sizeof(tmp), 0};
    kt_buf_long(&b, v, 0);
    kt_out(ctx, tmp, b.len);
}

/* ---- the controller's drain ---------------------------------------------------------------- */

typedef struct kt_pending {
    int32_t slot;
    uint32_t seq;
    uint64_t tail, head; /* head: snapshot taken when the drain started */
} kt_pending;

/* Skips fillers; returns 1 and the next record's sequence when one is pending. */
static int kt_next_rec(kt_arena_header *h, kt_pending *p) {
    uint8_t *ring = kt_ring_of(h, p->slot);
    while (p->tail != p->head) {
        volatile uint32_t *rec = (volatile uint32_t *)(ring + (p->tail & (h->ring_bytes - 1)));
        if (!(rec[0] & KT_REC_PAD)) {
            p->seq = rec[1];
            return 1;
        }
        p->tail += rec[0] & ~KT_REC_PAD;
    }
    kt_st64(&kt_slot_of(h, p->slot)->ring_tail, p->tail);
    return 0;
}

KT_API uint64_t kt_drain(void *arena, char *dst, uint64_t cap) {
    return kt_drain_stream(arena, dst, cap, 0);
}

/* stream == NULL: both streams together (kt_drain). */
KT_API uint64_t kt_drain_stream(void *arena, char *dst, uint64_t cap, int32_t *stream) {
    kt_arena_header *h = arena;
    int32_t want = -1;
    kt_pending act[KT_DRAIN_ACTIVE];
    int32_t n = 0;
    uint64_t out = 0;
    for (int32_t i = 0; i < h->nslots && n < KT_DRAIN_ACTIVE; i++) {
        kt_slot *s = kt_slot_of(h, i);
        act[n].slot = i;
        act[n].tail = s->ring_tail;
        act[n].head = kt_ld64(&s->ring_head);
        if (kt_next_rec(h, &act[n]))
            n++;
    }
    /* Merge: always the pending record with the smallest sequence (wrap-around safe). */
    while (n > 0) {
        int32_t k = 0;
        kt_pending *p;
        uint8_t *rec;
        uint32_t len;
        for (int32_t j = 1; j < n; j++)
            if ((int32_t)(act[j].seq - act[k].seq) < 0)
                k = j;
        p = &act[k];
        rec = kt_ring_of(h, p->slot) + (p->tail & (h->ring_bytes - 1));
        len = *(volatile uint32_t *)rec;
        if (stream) {
            int32_t kind = (len & KT_REC_ERR) ? KT_STREAM_ERR : KT_STREAM_OUT;
            if (want < 0)
                *stream = want = kind;
            else if (kind != want)
                break;
        }
        len = KT_REC_LEN(len);
        if (out + len > cap) {
            if (out || !cap)
                break;
            /* A record larger than the whole buffer: deliver what fits, never stall. */
            kt_drop(h, (uint32_t)(len - cap));
            kt_memcpy(dst, rec + KT_REC_HDR, cap);
            out = cap;
        } else {
            kt_memcpy(dst + out, rec + KT_REC_HDR, len);
            out += len;
        }
        p->tail += kt_rec_bytes(len);
        kt_st64(&kt_slot_of(h, p->slot)->ring_tail, p->tail);
        if (!kt_next_rec(h, p))
            act[k] = act[--n];
    }
    /* Records left pending keep their tails (already stored after each copy). */
    return out;
}
