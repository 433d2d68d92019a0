/* Output rings: one single-producer/single-consumer ring per thread slot.
 *
 * The producing thread owns ring_head, the draining controller owns ring_tail; both are byte
 * counters (positions modulo ring_bytes). A record is a 4-byte length and its payload, padded
 * to 4 bytes, and is always contiguous: when it would cross the end of the ring a filler record
 * (KT_REC_PAD | bytes) covers the rest. The head is published with a release store only once the
 * record is complete, so a reader never sees a torn record. A full ring drops the record and
 * counts it; the producer never waits.
 */
#include "kt_lang_int.h"

static kt_slot *kt_slot_of(kt_arena_header *h, int32_t i) {
    return (kt_slot *)((uint8_t *)h + h->slots_off) + i;
}

static uint8_t *kt_ring_of(kt_arena_header *h, int32_t i) {
    return (uint8_t *)h + h->rings_off + (uint64_t)i * h->ring_bytes;
}

static uint64_t kt_rec_bytes(uint32_t len) {
    return kt_align(4ull + len, 4);
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
        /* Filler up to the end; published together with the record at commit. */
        *(uint32_t *)(ring + pos) = KT_REC_PAD | (uint32_t)to_end;
        head += to_end;
        kt_st64(&s->ring_head, head);
        pos = 0;
    }
    return (char *)ring + pos + 4;
}

void kt_out_commit(kt_ctx *ctx, uint32_t len) {
    kt_arena_header *h = kt_hdr(ctx);
    kt_slot *s = kt_slot_of(h, ctx->slot);
    uint8_t *ring = kt_ring_of(h, ctx->slot);
    uint64_t head = s->ring_head;
    *(uint32_t *)(ring + (head & (h->ring_bytes - 1))) = len;
    kt_st64(&s->ring_head, head + kt_rec_bytes(len));
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

KT_API void kt_out_str(kt_ctx *ctx, const char *s) {
    kt_out(ctx, s, kt_strlen(s));
}

KT_API void kt_out_long(kt_ctx *ctx, kt_long v) {
    char tmp[24];
    kt_buf b = {tmp, sizeof(tmp), 0};
    kt_buf_long(&b, v, 0);
    kt_out(ctx, tmp, b.len);
}

KT_API uint64_t kt_drain(void *arena, char *dst, uint64_t cap) {
    kt_arena_header *h = arena;
    uint64_t out = 0, size = h->ring_bytes;
    for (int32_t i = 0; i < h->nslots; i++) {
        kt_slot *s = kt_slot_of(h, i);
        uint8_t *ring = kt_ring_of(h, i);
        uint64_t tail = s->ring_tail; /* ours */
        uint64_t head = kt_ld64(&s->ring_head);
        while (tail != head) {
            uint64_t pos = tail & (size - 1);
            uint32_t word = *(volatile uint32_t *)(ring + pos);
            if (word & KT_REC_PAD) {
                tail += word & ~KT_REC_PAD;
                continue;
            }
            if (out + word > cap) {
                if (out || !cap) {
                    kt_st64(&s->ring_tail, tail);
                    return out;
                }
                /* A record larger than the whole buffer: deliver what fits, never stall. */
                kt_drop(h, (uint32_t)(word - cap));
                word = (uint32_t)cap;
                kt_memcpy(dst, ring + pos + 4, word);
                out = word;
                tail += kt_rec_bytes(*(volatile uint32_t *)(ring + pos));
                continue;
            }
            kt_memcpy(dst + out, ring + pos + 4, word);
            out += word;
            tail += kt_rec_bytes(word);
        }
        kt_st64(&s->ring_tail, tail);
    }
    return out;
}
