/* Histogram rendering, byte-for-byte as stap's _stp_stat_print_histogram_buf (stat-common.c). */
#include "kt_lang_int.h"

#define KT_HIST_WIDTH 50

/* needed_space(): characters of a decimal, the sign included. */
static int32_t kt_needed_space(int64_t v) {
    int32_t space = 0;
    uint64_t t;
    if (v == 0)
        return 1;
    if (v < 0)
        space++;
    t = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    while (t) {
        t /= 10;
        space++;
    }
    return space;
}

static int32_t kt_max32(int32_t a, int32_t b) {
    return a > b ? a : b;
}

/* Renders a merged snapshot (merging once keeps a measuring pass and a writing pass equal
   while other threads keep adding). */
static uint32_t kt_render(const kt_stat_hdr *h, const kt_stat_agg *ap, int32_t elision,
                          int64_t width, kt_buf *b) {
    int32_t nb = (int32_t)h->nbuckets, low = -1, high = 0, over = 0, under = 0;
    int32_t val_space, cnt_space, eliding = 0, i;
    int64_t valmax = 0, scale;
    uint32_t start = b->len;

    if (h->hist_kind != KT_HIST_LOG && h->hist_kind != KT_HIST_LINEAR)
        return 0;

    for (i = 0; i < nb; i++) {
        if (ap->hist[i] > 0 && low == -1)
            low = i;
        if (ap->hist[i] > 0)
            high = i;
        if (ap->hist[i] > valmax)
            valmax = ap->hist[i];
    }
    /* Up to two empty rows on either side; log histograms do not go below 0 into the negative
       buckets unless there is negative data. */
    for (i = 0; i < 2; i++) {
        if (h->hist_kind == KT_HIST_LOG) {
            if (low != KT_HIST_LOG_BUCKET0 && low > 0)
                low--;
        } else if (low > 0) {
            low--;
        }
        if (high < nb - 1)
            high++;
    }
    if (h->hist_kind == KT_HIST_LINEAR) {
        /* under/overflow rows only when they hold data */
        if (low == 0 && ap->hist[0] == 0)
            low++;
        if (high == nb - 1 && ap->hist[high] == 0)
            high--;
        if (low == 0)
            under = 1;
        if (high == nb - 1)
            over = 1;
    }

    scale = valmax <= width ? 1 : valmax / width + (valmax % width != 0);
    cnt_space = kt_needed_space(valmax);
    if (h->hist_kind == KT_HIST_LINEAR)
        val_space = kt_max32(kt_needed_space(h->hist_lo) + under,
                             kt_needed_space(h->hist_lo + h->hist_width * high) + over);
    else
        val_space = kt_max32(kt_needed_space(kt_hist_log_value(high)),
                             kt_needed_space(kt_hist_log_value(low)));
    val_space = kt_max32(val_space, 5 /* "value" */);

    kt_buf_rep(b, ' ', val_space - 5);
    kt_buf_puts(b, "value |");
    kt_buf_rep(b, '-', (int32_t)width);
    kt_buf_puts(b, " count\n");

    for (i = low; i <= high; i++) {
        const char *prefix = "";
        int64_t val, v;
        if (elision >= 0) {
            /* Skip a zero row whose neighbours within `elision` rows are zero too. */
            int32_t k, elide = 1, max_elide = elision < nb ? elision : nb;
            int32_t min_b = low, max_b = high;
            if (i - max_elide > min_b)
                min_b = i - max_elide;
            if (i + max_elide < max_b)
                max_b = i + max_elide;
            for (k = min_b; k <= max_b; k++)
                if (ap->hist[k] != 0)
                    elide = 0;
            if (elide) {
                eliding = 1;
                continue;
            }
            if (eliding) {
                kt_buf_rep(b, ' ', val_space);
                kt_buf_puts(b, " ~\n");
                eliding = 0;
            }
        }
        if (h->hist_kind == KT_HIST_LINEAR) {
            if (i == 0) {
                val = h->hist_lo;
                prefix = "<";
            } else if (i == nb - 1) {
                val = h->hist_lo + (int64_t)(i - 2) * h->hist_width;
                prefix = ">";
            } else {
                val = h->hist_lo + (int64_t)(i - 1) * h->hist_width;
            }
        } else {
            val = kt_hist_log_value(i);
        }
        /* "%*s%lld |": the prefix right-aligned in what the number leaves of val_space */
        kt_buf_rep(b, ' ', val_space - kt_needed_space(val) - (int32_t)kt_strlen(prefix));
        kt_buf_puts(b, prefix);
        kt_buf_long(b, val, 0);
        kt_buf_puts(b, " |");
        v = ap->hist[i] / scale;
        kt_buf_rep(b, '@', (int32_t)v);
        /* "%*lld": counts right-aligned so they line up */
        kt_buf_long(b, ap->hist[i], (int32_t)(width - v + 1 + cnt_space));
        kt_buf_putc(b, '\n');
    }
    kt_buf_putc(b, '\n');
    return b->len - start;
}

/* HIST_WIDTH from the arena header (-D HIST_WIDTH=N), 50 by default. */
static int64_t kt_hist_width(const kt_ctx *ctx) {
    uint64_t w = ((const kt_arena_header *)ctx->arena)->hist_width;
    return w ? (int64_t)w : KT_HIST_WIDTH;
}

uint32_t kt_hist_render_buf(kt_ctx *ctx, uint64_t stat_off, int32_t elision, kt_buf *b) {
    kt_stat_hdr *h = (kt_stat_hdr *)(ctx->arena + stat_off);
    kt_stat_agg a;
    kt_stat_merge(h, &a, 1);
    if (a.count == 0) {
        kt_error(ctx, KT_ERR_EMPTY_AGG, 0);
        return 0;
    }
    return kt_render(h, &a, elision, kt_hist_width(ctx), b);
}

KT_API uint32_t kt_hist_render(kt_ctx *ctx, uint64_t stat_off, int32_t elision, char *dst,
                               uint32_t cap) {
    kt_buf b = {dst, cap ? cap - 1 : 0, 0};
    uint32_t n;
    if (!cap)
        return 0;
    /* stap renders with snprintf into the MAXSTRINGLEN buffer: byte truncation, as here. */
    n = kt_hist_render_buf(ctx, stat_off, elision, &b);
    if (n > b.cap)
        n = b.cap;
    dst[n] = 0;
    return n;
}

/* The structured form of a histogram (KT_OUTPUT_STRUCTURED in kt_lang.h). */
static uint32_t kt_hist_marker(const kt_stat_hdr *h, const kt_stat_agg *ap, kt_buf *b) {
    uint32_t start = b->len;
    int32_t i;
    kt_buf_puts(b, h->hist_kind == KT_HIST_LOG ? "\x06HL " : "\x06HN ");
    kt_buf_long(b, h->hist_lo, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, h->hist_width, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, (int64_t)h->nbuckets, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, ap->count, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, ap->sum, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, ap->min, 0);
    kt_buf_putc(b, ' ');
    kt_buf_long(b, ap->max, 0);
    for (i = 0; i < (int32_t)h->nbuckets; i++) {
        if (!ap->hist[i])
            continue;
        kt_buf_putc(b, ' ');
        kt_buf_long(b, i, 0);
        kt_buf_putc(b, ':');
        kt_buf_long(b, ap->hist[i], 0);
    }
    kt_buf_putc(b, '\x07');
    return b->len - start;
}

static int kt_structured_output(const kt_ctx *ctx) {
    return (((const kt_arena_header *)ctx->arena)->output_flags & KT_OUTPUT_STRUCTURED) != 0;
}

KT_API void kt_out_hist(kt_ctx *ctx, uint64_t stat_off, int32_t elision) {
    kt_stat_hdr *h = (kt_stat_hdr *)(ctx->arena + stat_off);
    kt_stat_agg a;
    kt_buf count = {0, 0, 0};
    kt_buf b;
    char *p;
    kt_stat_merge(h, &a, 1);
    if (a.count == 0) {
        kt_error(ctx, KT_ERR_EMPTY_AGG, 0);
        return;
    }
    /* Two passes over one snapshot: measure, then render straight into the ring record. */
    if (kt_structured_output(ctx) && h->hist_kind != KT_HIST_NONE)
        kt_hist_marker(h, &a, &count);
    else
        kt_render(h, &a, elision, kt_hist_width(ctx), &count);
    p = kt_out_reserve(ctx, count.len);
    if (!p)
        return;
    b = (kt_buf){p, count.len, 0};
    if (kt_structured_output(ctx) && h->hist_kind != KT_HIST_NONE)
        kt_hist_marker(h, &a, &b);
    else
        kt_render(h, &a, elision, kt_hist_width(ctx), &b);
    kt_out_commit(ctx, count.len);
}
