#include "sema/layout.h"

#include "kt_lang.h"

#include <cstring>

namespace ktap {

namespace {

// Each global starts on its own cache line: locks and per-thread slots are written by
// different threads.
uint64_t align8(uint64_t v) { return (v + 63) & ~uint64_t{63}; }

// Statistics fields shared by kt_map_params (arrays of statistics) and kt_stat_params.
template <class Params> void stat_fields(Params &p, const GlobalDecl &g, const Limits &l) {
    p.nslots = static_cast<uint32_t>(l.slots);
    p.hist_kind = static_cast<uint32_t>(g.hist_kind);
    p.hist_lo = g.hist_lo;
    p.hist_hi = g.hist_hi;
    p.hist_width = g.hist_width;
    p.var_shift = g.var_shift;
}

kt_map_params map_params(const GlobalDecl &g, const Limits &l, uint32_t capacity) {
    kt_map_params p{};
    p.nkeys = static_cast<uint32_t>(g.arity);
    for (size_t i = 0; i < g.key_types.size(); ++i)
        if (g.key_types[i] == Type::String)
            p.key_kinds |= 1u << i;
    p.value_kind = g.type == Type::String ? KT_STRING : g.type == Type::Stats ? KT_STATS : KT_LONG;
    p.capacity = capacity;
    p.wrap = g.wrap ? 1 : 0;
    p.maxstringlen = l.maxstringlen;
    stat_fields(p, g, l);
    return p;
}

kt_stat_params stat_params(const GlobalDecl &g, const Limits &l) {
    kt_stat_params p{};
    stat_fields(p, g, l);
    return p;
}

} // namespace

bool read_limits(const Options &opts, Limits &l, Diagnostics &diag) {
    for (const auto &[name, value] : opts.defines) {
        char *end = nullptr;
        long long v = std::strtoll(value.c_str(), &end, 0);
        bool numeric = !value.empty() && end && *end == '\0';
        auto want = [&](long long lo, long long hi) {
            if (!numeric || v < lo || v > hi) {
                diag.error("-D " + name + "=" + value + ": expected a number from " +
                           std::to_string(lo) + " to " + std::to_string(hi));
                return false;
            }
            return true;
        };
        if (name == "MAXSTRINGLEN") {
            if (want(16, 65536))
                l.maxstringlen = static_cast<uint32_t>(v);
        } else if (name == "MAXMAPENTRIES") {
            if (want(1, 1 << 22))
                l.maxmapentries = static_cast<uint32_t>(v);
        } else if (name == "MAXACTION") {
            if (want(1, INT32_MAX))
                l.maxaction = v;
        } else if (name == "MAXACTION_INTERRUPTIBLE") {
            if (want(1, INT32_MAX))
                l.maxaction_begin_end = v;
        } else if (name == "MAXNESTING") {
            if (want(1, 100000))
                l.maxnesting = static_cast<int32_t>(v);
        } else if (name == "MAXERRORS") {
            if (want(0, INT32_MAX))
                l.maxerrors = static_cast<int32_t>(v);
        } else if (name == "MAXSKIPPED") {
            if (want(0, INT32_MAX))
                l.maxskipped = static_cast<int32_t>(v);
        } else if (name == "HIST_WIDTH") {
            if (want(1, 1000))
                l.hist_width = static_cast<uint64_t>(v);
        } else if (name == "HIST_ELISION") {
            if (want(-1, 1000))
                l.hist_elision = static_cast<int32_t>(v);
        } else if (name == "KTAP_SLOTS") {
            if (want(1, 4096))
                l.slots = static_cast<int32_t>(v);
        } else if (name == "KTAP_RING_BYTES") {
            if (want(4096, 1 << 26) && (v & (v - 1)) == 0)
                l.ring_bytes = static_cast<uint64_t>(v);
            else if (numeric)
                diag.error("-D KTAP_RING_BYTES must be a power of two");
        } else if (name == "MAXTRYLOCK") {
            if (want(1, INT32_MAX))
                l.maxtrylock = static_cast<uint64_t>(v);
        } else if (name == "MAXBACKTRACE") {
            if (want(1, 512))
                l.maxbacktrace = static_cast<int32_t>(v);
        } else if (name == "STP_NO_OVERLOAD" || name == "KRETACTIVE") {
            // Accepted for compatibility with stap scripts and command lines.
        } else {
            diag.warning(SourceLoc{}, "-D " + name + ": unknown limit, ignored");
        }
    }
    return diag.errors() == 0;
}

Layout compute_layout(const ElaboratedProgram &program, const Limits &limits) {
    Layout layout;
    layout.limits = limits;
    uint64_t off = align8(kt_arena_prefix_bytes(limits.slots, limits.ring_bytes));
    for (const GlobalDecl *g : program.globals) {
        GlobalSlot s;
        s.decl = g;
        s.lock_off = off;
        off = align8(off + kt_lock_bytes());
        s.value_off = off;
        if (g->arity > 0) {
            s.capacity = g->max_entries > 0 ? static_cast<uint32_t>(g->max_entries)
                                            : limits.maxmapentries;
            kt_map_params p = map_params(*g, limits, s.capacity);
            off = align8(off + kt_map_bytes(&p));
        } else if (g->type == Type::Stats) {
            kt_stat_params p = stat_params(*g, limits);
            off = align8(off + kt_stat_bytes(&p));
        } else if (g->type == Type::String) {
            off = align8(off + limits.maxstringlen);
        } else {
            off = align8(off + 8);
        }
        layout.globals[g] = s;
    }
    layout.total_bytes = off;
    return layout;
}

void init_arena(void *arena, const Layout &layout) {
    const Limits &l = layout.limits;
    kt_arena_init(arena, layout.total_bytes, l.slots, l.ring_bytes, l.maxstringlen,
                  l.maxmapentries, l.maxaction, l.maxnesting);
    if (l.maxtrylock)
        static_cast<kt_arena_header *>(arena)->maxtrylock = l.maxtrylock;
    static_cast<kt_arena_header *>(arena)->hist_width = l.hist_width;
    auto *base = static_cast<uint8_t *>(arena);
    for (const auto &[g, s] : layout.globals) {
        kt_lock_init(base + s.lock_off);
        if (g->arity > 0) {
            kt_map_params p = map_params(*g, l, s.capacity);
            kt_map_init(base + s.value_off, &p);
        } else if (g->type == Type::Stats) {
            kt_stat_params p = stat_params(*g, l);
            kt_stat_init(base + s.value_off, &p);
        } else if (g->type == Type::String) {
            char *dst = reinterpret_cast<char *>(base + s.value_off);
            std::memset(dst, 0, l.maxstringlen);
            if (g->init && g->init->is_string)
                std::strncpy(dst, g->init->text.c_str(), l.maxstringlen - 1);
        } else {
            int64_t v = g->init && !g->init->is_string ? g->init->number : 0;
            std::memcpy(base + s.value_off, &v, sizeof v);
        }
    }
}

} // namespace ktap
