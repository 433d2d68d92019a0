// Shared fixture for the language runtime tests: an arena in anonymous zeroed memory, with a
// bump allocator for globals and a context holding a claimed thread slot.
#pragma once

#include "kt_lang.h"

#include <gtest/gtest.h>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

struct TestArena {
    uint8_t *mem = nullptr;
    uint64_t size = 0, next = 0;
    kt_ctx ctx;

    explicit TestArena(int32_t nslots = 8, uint64_t ring = 1 << 16, uint64_t globals = 64 << 20,
                       uint32_t msl = 512) {
        uint64_t prefix = kt_arena_prefix_bytes(nslots, ring);
        size = prefix + globals;
        mem = (uint8_t *)mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                              -1, 0);
        EXPECT_NE(mem, MAP_FAILED);
        kt_arena_init(mem, size, nslots, ring, msl, 2048, 1000, 10);
        next = kt_arena_globals_off(nslots, ring);
        EXPECT_EQ(next, prefix);
        kt_ctx_init(&ctx, mem, 0);
        EXPECT_GE(kt_slot_claim(&ctx, (int32_t)gettid()), 0);
    }
    ~TestArena() { munmap(mem, size); }
    kt_arena_header *hdr() { return (kt_arena_header *)mem; }

    uint64_t alloc(uint64_t bytes) {
        uint64_t off = next;
        EXPECT_EQ(bytes % 64, 0u);
        next += (bytes + 63) & ~63ull;
        EXPECT_LE(next, size);
        return off;
    }
    uint64_t map(uint32_t nkeys, uint32_t key_kinds, uint32_t value_kind, uint32_t capacity = 2048,
                 uint32_t wrap = 0, uint32_t msl = 512) {
        kt_map_params p = {};
        p.nkeys = nkeys;
        p.key_kinds = key_kinds;
        p.value_kind = value_kind;
        p.capacity = capacity;
        p.wrap = wrap;
        p.maxstringlen = msl;
        p.nslots = (uint32_t)hdr()->nslots;
        uint64_t off = alloc(kt_map_bytes(&p));
        kt_map_init(mem + off, &p);
        return off;
    }
    uint64_t stat(uint32_t hist = KT_HIST_NONE, int64_t lo = 0, int64_t hi = 0, int64_t w = 0,
                  int32_t shift = 0) {
        kt_stat_params p = {};
        p.nslots = (uint32_t)hdr()->nslots;
        p.hist_kind = hist;
        p.hist_lo = lo;
        p.hist_hi = hi;
        p.hist_width = w;
        p.var_shift = shift;
        uint64_t off = alloc(kt_stat_bytes(&p));
        kt_stat_init(mem + off, &p);
        return off;
    }
    std::string drain(uint64_t cap = 1 << 20) {
        std::string s(cap, '\0');
        s.resize(kt_drain(mem, s.data(), cap));
        return s;
    }
};

inline kt_key K(kt_long a = 0, kt_long b = 0, kt_long c = 0) {
    kt_key k = {};
    k.n[0] = a;
    k.n[1] = b;
    k.n[2] = c;
    return k;
}
inline kt_key KS(const char *a, kt_long b = 0) {
    kt_key k = {};
    k.s[0] = a;
    k.n[1] = b;
    return k;
}
