#include "global_reader.h"

#include "frontend/ast.h"
#include "kt_lang.h"

#include <cstring>
#include <sys/syscall.h>
#include <unistd.h>

namespace ktap {

namespace {

StatValue read_stat(kt_ctx &ctx, uint64_t off, const GlobalDecl &g) {
    StatValue s;
    s.count = kt_stat_get(&ctx, off, KT_AGG_COUNT, 0);
    s.sum = kt_stat_get(&ctx, off, KT_AGG_SUM, 0);
    if (s.count == 0)
        return s;
    s.min = kt_stat_get(&ctx, off, KT_AGG_MIN, 0);
    s.max = kt_stat_get(&ctx, off, KT_AGG_MAX, 0);
    s.avg = kt_stat_get(&ctx, off, KT_AGG_AVG, 0);
    if (g.hist_kind == KT_HIST_LOG || g.hist_kind == KT_HIST_LINEAR) {
        Histogram h;
        h.log = g.hist_kind == KT_HIST_LOG;
        h.lo = g.hist_lo;
        h.width = g.hist_width;
        h.nbuckets = kt_hist_buckets(&ctx, off);
        h.count = s.count;
        h.sum = s.sum;
        h.min = s.min;
        h.max = s.max;
        // Handlers may add while this reads (`<<<` takes only the read lock): the buckets are
        // read one at a time, so the histogram's count is their sum, not @count read before.
        h.count = 0;
        for (int32_t i = 0; i < h.nbuckets; ++i)
            if (int64_t n = kt_hist_bucket(&ctx, off, i)) {
                h.used.emplace_back(i, n);
                h.count += n;
            }
        s.hist = std::move(h);
    }
    ctx.error = 0; // an empty aggregate's extractors raise errors nobody reads here
    return s;
}

} // namespace

bool GlobalReader::read(const GlobalDecl &g, GlobalValue &out, bool locked) {
    const GlobalSlot &s = layout_.slot(&g);
    kt_ctx ctx;
    kt_ctx_init(&ctx, arena_, -1);
    auto tid = static_cast<int32_t>(syscall(SYS_gettid));
    if (locked) {
        if (kt_slot_claim(&ctx, tid) < 0)
            return false;
        if (!kt_lock_read(&ctx, s.lock_off)) {
            kt_slot_release(arena_, tid);
            return false;
        }
    }
    auto *base = static_cast<uint8_t *>(arena_);
    auto scalar = [&](uint64_t off, int32_t entry) {
        ScalarValue v;
        if (g.type == Type::Stats) {
            v.kind = ScalarValue::Stats;
            v.stats = read_stat(ctx, entry < 0 ? off : kt_map_stat(&ctx, off, entry), g);
        } else if (g.type == Type::String) {
            v.kind = ScalarValue::Text;
            v.text = symbolic_(entry < 0 ? reinterpret_cast<const char *>(base + off)
                                         : kt_map_str(&ctx, off, entry));
        } else if (entry < 0) {
            memcpy(&v.number, base + off, sizeof v.number);
        } else {
            v.number = *kt_map_long(&ctx, off, entry);
        }
        return v;
    };
    out = GlobalValue{};
    out.name = g.name;
    out.is_array = g.arity > 0;
    if (!out.is_array) {
        out.scalar = scalar(s.value_off, -1);
    } else {
        std::vector<int32_t> entries(s.capacity);
        int32_t n =
            kt_map_sorted(&ctx, s.value_off, 0, -1, KT_AGG_COUNT, -1, nullptr, 0, entries.data());
        for (int32_t i = 0; i < n; ++i) {
            std::vector<KeyValue> keys;
            for (int k = 0; k < g.arity; ++k) {
                if (g.key_types[k] == Type::String)
                    keys.emplace_back(symbolic_(kt_map_key_str(&ctx, s.value_off, entries[i], k)));
                else
                    keys.emplace_back(
                        static_cast<int64_t>(kt_map_key_long(&ctx, s.value_off, entries[i], k)));
            }
            out.entries.emplace_back(std::move(keys), scalar(s.value_off, entries[i]));
        }
    }
    if (locked) {
        kt_unlock_read(&ctx, s.lock_off);
        kt_slot_release(arena_, tid);
    }
    return true;
}

} // namespace ktap
