// Associative arrays: insert/find/delete, wildcards, capacity and wrap-around, key kinds and
// every foreach order (value, key, aggregate; ascending/descending; limit; slices).
#include "lang_test.h"

#include <algorithm>
#include <map>
#include <random>
#include <vector>

#include <sys/stat.h>

namespace {

std::vector<int32_t> Order(TestArena &a, uint64_t m, int32_t by, int32_t dir, int32_t agg = 0,
                           kt_long limit = -1, const kt_key *slice = nullptr, uint32_t wild = 0) {
    std::vector<int32_t> out(4096);
    int32_t n = kt_map_sorted(&a.ctx, m, by, dir, agg, limit, slice, wild, out.data());
    out.resize(n);
    return out;
}

std::vector<kt_long> Keys(TestArena &a, uint64_t m, const std::vector<int32_t> &ents,
                          uint32_t k = 0) {
    std::vector<kt_long> r;
    for (int32_t e : ents)
        r.push_back(kt_map_key_long(&a.ctx, m, e, k));
    return r;
}

} // namespace

TEST(Map, InsertFindUpdate) {
    TestArena a;
    uint64_t m = a.map(1, 0, KT_LONG);
    kt_key k = K(42);
    EXPECT_EQ(kt_map_find(&a.ctx, m, &k), -1);
    int32_t e = kt_map_insert(&a.ctx, m, &k);
    ASSERT_GE(e, 0);
    EXPECT_EQ(*kt_map_long(&a.ctx, m, e), 0); // a new entry starts at 0
    *kt_map_long(&a.ctx, m, e) = 7;
    EXPECT_EQ(kt_map_find(&a.ctx, m, &k), e);
    EXPECT_EQ(kt_map_insert(&a.ctx, m, &k), e); // insert of an existing key finds it
    EXPECT_EQ(*kt_map_long(&a.ctx, m, kt_map_find(&a.ctx, m, &k)), 7);
    EXPECT_EQ(kt_map_key_long(&a.ctx, m, e, 0), 42);
    EXPECT_EQ(kt_map_count(&a.ctx, m), 1);
    kt_key other = K(-42);
    EXPECT_EQ(kt_map_find(&a.ctx, m, &other), -1);
}

TEST(Map, DeleteAndReuse) {
    TestArena a;
    uint64_t m = a.map(2, 0, KT_LONG, 8);
    for (int i = 0; i < 8; i++) {
        kt_key k = K(i, i * 10);
        *kt_map_long(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)) = i + 100;
    }
    kt_key k3 = K(3, 30), missing = K(3, 31);
    kt_map_delete(&a.ctx, m, &missing); // deleting a missing key is fine
    EXPECT_EQ(kt_map_count(&a.ctx, m), 8);
    kt_map_delete(&a.ctx, m, &k3);
    EXPECT_EQ(kt_map_count(&a.ctx, m), 7);
    EXPECT_EQ(kt_map_find(&a.ctx, m, &k3), -1);
    // The freed entry is reused, and comes back zeroed.
    kt_key k9 = K(9, 90);
    int32_t e = kt_map_insert(&a.ctx, m, &k9);
    ASSERT_GE(e, 0);
    EXPECT_EQ(a.ctx.error, KT_OK);
    EXPECT_EQ(*kt_map_long(&a.ctx, m, e), 0);
    // Insertion order: 0,1,2,4,5,6,7,9
    EXPECT_EQ(Keys(a, m, Order(a, m, -1, 1)), (std::vector<kt_long>{0, 1, 2, 4, 5, 6, 7, 9}));
    for (int i = 0; i < 8; i++) {
        kt_key k = K(i, i * 10);
        int32_t f = kt_map_find(&a.ctx, m, &k);
        if (i == 3) {
            EXPECT_EQ(f, -1);
        } else {
            EXPECT_EQ(*kt_map_long(&a.ctx, m, f), i + 100);
        }
    }
    kt_map_clear(&a.ctx, m);
    EXPECT_EQ(kt_map_count(&a.ctx, m), 0);
    EXPECT_TRUE(Order(a, m, -1, 1).empty());
    kt_key k0 = K(0, 0);
    EXPECT_EQ(kt_map_find(&a.ctx, m, &k0), -1);
    for (int i = 0; i < 8; i++) { // full capacity again after clear
        kt_key k = K(i + 50, 0);
        EXPECT_GE(kt_map_insert(&a.ctx, m, &k), 0);
    }
}

TEST(Map, OverflowRaisesError) {
    TestArena a;
    uint64_t m = a.map(1, 0, KT_LONG, 4);
    for (int i = 0; i < 4; i++) {
        kt_key k = K(i);
        ASSERT_GE(kt_map_insert(&a.ctx, m, &k), 0);
    }
    kt_key k = K(99);
    EXPECT_EQ(kt_map_insert(&a.ctx, m, &k), -1);
    EXPECT_EQ(a.ctx.error, KT_ERR_OVERFLOW);
    // A capacity other than MAXMAPENTRIES is a declared size, which stap names.
    EXPECT_STREQ(a.ctx.errmsg, "Array overflow, check size limit (4)");
    // Updating existing keys still works when full.
    a.ctx.error = 0;
    kt_key k2 = K(2);
    EXPECT_GE(kt_map_insert(&a.ctx, m, &k2), 0);
    EXPECT_EQ(a.ctx.error, KT_OK);
}

TEST(Map, WrapDropsOldest) {
    TestArena a;
    uint64_t m = a.map(1, 0, KT_LONG, 3, /*wrap*/ 1);
    for (int i = 1; i <= 5; i++) {
        kt_key k = K(i);
        int32_t e = kt_map_insert(&a.ctx, m, &k);
        ASSERT_GE(e, 0);
        EXPECT_EQ(*kt_map_long(&a.ctx, m, e), 0);
        *kt_map_long(&a.ctx, m, e) = i * 11;
    }
    EXPECT_EQ(a.ctx.error, KT_OK);
    EXPECT_EQ(kt_map_count(&a.ctx, m), 3);
    EXPECT_EQ(Keys(a, m, Order(a, m, -1, 1)), (std::vector<kt_long>{3, 4, 5}));
    kt_key k1 = K(1), k5 = K(5);
    EXPECT_EQ(kt_map_find(&a.ctx, m, &k1), -1);
    EXPECT_EQ(*kt_map_long(&a.ctx, m, kt_map_find(&a.ctx, m, &k5)), 55);
}

TEST(Map, NineMixedKeys) {
    TestArena a;
    const uint32_t kinds = 0b101010101; // keys 0,2,4,6,8 strings
    uint64_t m = a.map(9, kinds, KT_STRING, 64);
    auto make = [](int v, std::vector<std::string> &store) {
        kt_key k = {};
        for (int i = 0; i < 9; i++) {
            if (kinds >> i & 1) {
                store.push_back("s" + std::to_string(v * 10 + i));
                k.s[i] = store.back().c_str();
            } else {
                k.n[i] = v * 100 + i;
            }
        }
        return k;
    };
    std::vector<std::string> store;
    store.reserve(1000);
    for (int v = 0; v < 20; v++) {
        kt_key k = make(v, store);
        int32_t e = kt_map_insert(&a.ctx, m, &k);
        ASSERT_GE(e, 0);
        kt_strcpy(kt_map_str(&a.ctx, m, e), ("value" + std::to_string(v)).c_str(), 512);
    }
    for (int v = 0; v < 20; v++) {
        kt_key k = make(v, store);
        int32_t e = kt_map_find(&a.ctx, m, &k);
        ASSERT_GE(e, 0);
        EXPECT_STREQ(kt_map_str(&a.ctx, m, e), ("value" + std::to_string(v)).c_str());
        EXPECT_STREQ(kt_map_key_str(&a.ctx, m, e, 8), ("s" + std::to_string(v * 10 + 8)).c_str());
        EXPECT_EQ(kt_map_key_long(&a.ctx, m, e, 7), v * 100 + 7);
        k.n[7]++; // one key differs: no match
        EXPECT_EQ(kt_map_find(&a.ctx, m, &k), -1);
    }
}

TEST(Map, StringKeysTruncateAtMaxStringLen) {
    TestArena a(2, 1 << 16, 16 << 20, 16);
    uint64_t m = a.map(1, 1, KT_LONG, 16, 0, 16);
    std::string full(15, 'x');          // exactly maxstringlen-1 characters
    std::string longer = full + "tail"; // truncates to the same key
    std::string shorter(14, 'x');
    kt_key k = KS(full.c_str());
    int32_t e = kt_map_insert(&a.ctx, m, &k);
    ASSERT_GE(e, 0);
    EXPECT_STREQ(kt_map_key_str(&a.ctx, m, e, 0), full.c_str());
    kt_key kl = KS(longer.c_str());
    EXPECT_EQ(kt_map_find(&a.ctx, m, &kl), e);
    kt_key ks = KS(shorter.c_str());
    EXPECT_EQ(kt_map_find(&a.ctx, m, &ks), -1);
    int32_t e2 = kt_map_insert(&a.ctx, m, &kl);
    EXPECT_EQ(e2, e);
    kt_key empty = KS("");
    int32_t e3 = kt_map_insert(&a.ctx, m, &empty);
    EXPECT_NE(e3, e);
    EXPECT_STREQ(kt_map_key_str(&a.ctx, m, e3, 0), "");
}

TEST(Map, WildcardsDeleteAndMembership) {
    TestArena a;
    uint64_t m = a.map(2, 0b01, KT_LONG); // [string, long]
    const char *names[] = {"a", "b", "c"};
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 4; j++) {
            kt_key k = KS(names[i], j);
            *kt_map_long(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)) = i * 10 + j;
        }
    kt_key q = KS("b", 7);
    EXPECT_TRUE(kt_map_any(&a.ctx, m, &q, 0b10));  // ["b", *] in m
    EXPECT_FALSE(kt_map_any(&a.ctx, m, &q, 0b00)); // ["b", 7] in m
    kt_key q2 = KS("zz", 2);
    EXPECT_TRUE(kt_map_any(&a.ctx, m, &q2, 0b01));  // [*, 2] in m
    EXPECT_FALSE(kt_map_any(&a.ctx, m, &q2, 0b10)); // ["zz", *] in m
    kt_key q3 = KS("c", 3);
    EXPECT_TRUE(kt_map_any(&a.ctx, m, &q3, 0b00));

    kt_map_delete_matching(&a.ctx, m, &q2, 0b01); // delete m[*, 2]
    EXPECT_EQ(kt_map_count(&a.ctx, m), 9);
    EXPECT_FALSE(kt_map_any(&a.ctx, m, &q2, 0b01));
    kt_key b = KS("b", 0);
    kt_map_delete_matching(&a.ctx, m, &b, 0b10); // delete m["b", *]
    EXPECT_EQ(kt_map_count(&a.ctx, m), 6);
    kt_key anyk = KS("", 0);
    kt_map_delete_matching(&a.ctx, m, &anyk, 0b11); // delete m[*, *]
    EXPECT_EQ(kt_map_count(&a.ctx, m), 0);
}

TEST(Map, RandomOpsMatchStdMap) {
    TestArena a;
    uint64_t m = a.map(2, 0, KT_LONG, 512);
    std::map<std::pair<kt_long, kt_long>, kt_long> ref;
    std::mt19937_64 rng(7);
    for (int step = 0; step < 20000; step++) {
        kt_long x = (kt_long)(rng() % 40) - 20, y = (kt_long)(rng() % 20) * 1000003;
        kt_key k = K(x, y);
        switch (rng() % 4) {
        case 0:
        case 1: {
            if (ref.size() >= 512 && !ref.count({x, y}))
                break;
            int32_t e = kt_map_insert(&a.ctx, m, &k);
            ASSERT_GE(e, 0);
            *kt_map_long(&a.ctx, m, e) += 3;
            ref[{x, y}] += 3;
            break;
        }
        case 2:
            kt_map_delete(&a.ctx, m, &k);
            ref.erase({x, y});
            break;
        case 3: {
            int32_t e = kt_map_find(&a.ctx, m, &k);
            auto it = ref.find({x, y});
            ASSERT_EQ(e >= 0, it != ref.end());
            if (e >= 0) {
                ASSERT_EQ(*kt_map_long(&a.ctx, m, e), it->second);
            }
        }
        }
        ASSERT_EQ(kt_map_count(&a.ctx, m), (int32_t)ref.size());
    }
    // Sorted by key 1 then (stable) insertion: compare the key sequence with the reference.
    auto ord = Order(a, m, 1, 1);
    ASSERT_EQ(ord.size(), ref.size());
    for (size_t i = 1; i < ord.size(); i++)
        EXPECT_LE(kt_map_key_long(&a.ctx, m, ord[i - 1], 0), kt_map_key_long(&a.ctx, m, ord[i], 0));
}

TEST(Map, SortByValueKeyAndDirection) {
    TestArena a;
    uint64_t m = a.map(2, 0b10, KT_LONG); // [long, string]
    struct Row {
        kt_long k;
        const char *s;
        kt_long v;
    } rows[] = {{5, "e", 30}, {1, "z", 10}, {3, "a", 30}, {4, "m", -5}, {2, "b", 10}};
    for (auto &r : rows) {
        kt_key k = K(r.k);
        k.s[1] = r.s;
        *kt_map_long(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)) = r.v;
    }
    auto vals = [&](const std::vector<int32_t> &o) {
        std::vector<kt_long> r;
        for (int32_t e : o)
            r.push_back(*kt_map_long(&a.ctx, m, e));
        return r;
    };
    // Unsorted: insertion order.
    EXPECT_EQ(Keys(a, m, Order(a, m, -1, 1)), (std::vector<kt_long>{5, 1, 3, 4, 2}));
    // By value; ties keep insertion order in both directions (stap's stable sort).
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, 1)), (std::vector<kt_long>{4, 1, 2, 5, 3}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1)), (std::vector<kt_long>{5, 3, 1, 2, 4}));
    EXPECT_EQ(vals(Order(a, m, 0, -1)), (std::vector<kt_long>{30, 30, 10, 10, -5}));
    // By long key 1, by string key 2.
    EXPECT_EQ(Keys(a, m, Order(a, m, 1, 1)), (std::vector<kt_long>{1, 2, 3, 4, 5}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 1, -1)), (std::vector<kt_long>{5, 4, 3, 2, 1}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 2, 1)), (std::vector<kt_long>{3, 2, 5, 4, 1})); // a b e m z
    EXPECT_EQ(Keys(a, m, Order(a, m, 2, -1)), (std::vector<kt_long>{1, 4, 5, 2, 3}));
    // limit
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1, 0, 2)), (std::vector<kt_long>{5, 3}));
    EXPECT_TRUE(Order(a, m, 0, -1, 0, 0).empty());
    EXPECT_EQ(Order(a, m, 0, -1, 0, 100).size(), 5u);
    EXPECT_EQ(Keys(a, m, Order(a, m, -1, 1, 0, 3)), (std::vector<kt_long>{5, 1, 3}));
}

TEST(Map, SortStringValuesAndSlices) {
    TestArena a;
    uint64_t m = a.map(2, 0, KT_STRING);
    const char *v[] = {"pear", "apple", "fig", "apple", "kiwi", "date"};
    for (int i = 0; i < 6; i++) {
        kt_key k = K(i % 2, i);
        kt_strcpy(kt_map_str(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)), v[i], 512);
    }
    auto ord = Order(a, m, 0, 1);
    std::vector<std::string> got;
    for (int32_t e : ord)
        got.push_back(kt_map_str(&a.ctx, m, e));
    EXPECT_EQ(got, (std::vector<std::string>{"apple", "apple", "date", "fig", "kiwi", "pear"}));
    EXPECT_EQ(Keys(a, m, ord, 1), (std::vector<kt_long>{1, 3, 5, 2, 4, 0}));
    // Slice a[1, *] sorted by key 2 descending, limit 2.
    kt_key slice = K(1, 0);
    EXPECT_EQ(Keys(a, m, Order(a, m, 2, -1, 0, -1, &slice, 0b10), 1),
              (std::vector<kt_long>{5, 3, 1}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 2, -1, 0, 2, &slice, 0b10), 1), (std::vector<kt_long>{5, 3}));
    // Slice a[*, 4]
    kt_key s2 = K(0, 4);
    EXPECT_EQ(Keys(a, m, Order(a, m, -1, 1, 0, -1, &s2, 0b01), 1), (std::vector<kt_long>{4}));
    // A slice with no wildcard is an exact key.
    kt_key s3 = K(1, 4);
    EXPECT_TRUE(Order(a, m, -1, 1, 0, -1, &s3, 0).empty());
}

TEST(Map, SortStatsByEveryAggregate) {
    TestArena a;
    uint64_t m = a.map(1, 0, KT_STATS, 16);
    // key: samples
    std::vector<std::vector<kt_long>> samples = {
        {5, 5, 5, 5},  // k0: count 4 sum 20 min 5 max 5 avg 5 var 0
        {1, 100},      // k1: count 2 sum 101 min 1 max 100 avg 50 var 4900
        {-50, 60, 70}, // k2: count 3 sum 80 min -50 max 70 avg 26
        {9},           // k3: count 1 sum 9 min 9 max 9 avg 9
    };
    for (size_t i = 0; i < samples.size(); i++) {
        kt_key k = K((kt_long)i);
        int32_t e = kt_map_insert(&a.ctx, m, &k);
        for (kt_long v : samples[i])
            kt_stat_add(&a.ctx, kt_map_stat(&a.ctx, m, e), v);
    }
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1, KT_AGG_COUNT)), (std::vector<kt_long>{0, 2, 1, 3}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, 1, KT_AGG_SUM)), (std::vector<kt_long>{3, 0, 2, 1}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, 1, KT_AGG_MIN)), (std::vector<kt_long>{2, 1, 0, 3}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1, KT_AGG_MAX)), (std::vector<kt_long>{1, 2, 3, 0}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1, KT_AGG_AVG)), (std::vector<kt_long>{1, 2, 3, 0}));
    EXPECT_EQ(Keys(a, m, Order(a, m, 0, -1, KT_AGG_VARIANCE)), (std::vector<kt_long>{1, 2, 0, 3}));
    EXPECT_EQ(kt_stat_get(&a.ctx, kt_map_stat(&a.ctx, m, 1), KT_AGG_VARIANCE, 0), 4950);
    // Deleting a stats entry empties its statistic for the next key that reuses it.
    kt_key k1 = K(1);
    kt_map_delete(&a.ctx, m, &k1);
    kt_key k7 = K(7);
    int32_t e = kt_map_insert(&a.ctx, m, &k7);
    EXPECT_EQ(kt_stat_get(&a.ctx, kt_map_stat(&a.ctx, m, e), KT_AGG_COUNT, 0), 0);
    EXPECT_EQ(a.ctx.error, KT_OK);
}

TEST(Map, LargeCapacityStaysCheapUntilUsed) {
    // 2048 entries with log histograms in 8 slots: sized up front, committed lazily.
    TestArena a(8, 1 << 16, 512 << 20);
    kt_map_params p = {};
    p.nkeys = 1;
    p.value_kind = KT_STATS;
    p.capacity = 2048;
    p.maxstringlen = 512;
    p.nslots = 8;
    p.hist_kind = KT_HIST_LOG;
    uint64_t bytes = kt_map_bytes(&p);
    EXPECT_GT(bytes, 2048ull * 8 * 1024);
    EXPECT_EQ(bytes % 64, 0u);
    uint64_t m = a.alloc(bytes);
    kt_map_init(a.mem + m, &p);
    for (int i = 0; i < 2048; i++) {
        kt_key k = K(i);
        int32_t e = kt_map_insert(&a.ctx, m, &k);
        ASSERT_GE(e, 0);
        kt_stat_add(&a.ctx, kt_map_stat(&a.ctx, m, e), i);
    }
    kt_key k = K(2048);
    EXPECT_EQ(kt_map_insert(&a.ctx, m, &k), -1);
    EXPECT_EQ(a.ctx.error, KT_ERR_OVERFLOW);
    kt_key k100 = K(100);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, kt_map_stat(&a.ctx, m, kt_map_find(&a.ctx, m, &k100)), 71), 1);
}

TEST(Map, ReadingStatsDoesNotCommitUntouchedSlots) {
    // 64 thread slots of log histograms per entry: ~140 MB of address space. Writing from one
    // slot and then reading every aggregate must only commit the pages actually written.
    const int32_t nslots = 64;
    uint64_t ring = 4096;
    kt_map_params p = {};
    p.nkeys = 1;
    p.value_kind = KT_STATS;
    p.capacity = 2048;
    p.maxstringlen = 512;
    p.nslots = nslots;
    p.hist_kind = KT_HIST_LOG;
    uint64_t prefix = kt_arena_prefix_bytes(nslots, ring), bytes = kt_map_bytes(&p);
    uint64_t size = prefix + bytes;
    ASSERT_GT(bytes, 128ull << 20);
    int fd = memfd_create("kt-lang-commit", 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, (off_t)size), 0);
    uint8_t *mem = (uint8_t *)mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    ASSERT_NE(mem, MAP_FAILED);
    kt_arena_init(mem, size, nslots, ring, 512, 2048, 1000, 10);
    kt_map_init(mem + prefix, &p);
    kt_ctx c;
    kt_ctx_init(&c, mem, 0);
    ASSERT_GE(kt_slot_claim(&c, 99), 0);
    for (int i = 0; i < 2048; i++) {
        kt_key k = K(i);
        kt_stat_add(&c, kt_map_stat(&c, prefix, kt_map_insert(&c, prefix, &k)), i);
    }
    std::vector<int32_t> out(2048);
    ASSERT_EQ(kt_map_sorted(&c, prefix, 0, -1, KT_AGG_AVG, -1, nullptr, 0, out.data()), 2048);
    EXPECT_EQ(kt_map_key_long(&c, prefix, out[0], 0), 2047);
    kt_long total = 0;
    for (int i = 0; i < 2048; i++) {
        uint64_t st = kt_map_stat(&c, prefix, out[i]);
        total += kt_stat_get(&c, st, KT_AGG_COUNT, 0);
        char buf[8192];
        EXPECT_GT(kt_hist_render(&c, st, 2, buf, sizeof buf), 0u);
    }
    EXPECT_EQ(total, 2048);
    struct stat stbuf;
    ASSERT_EQ(fstat(fd, &stbuf), 0);
    EXPECT_LT((uint64_t)stbuf.st_blocks * 512, 32ull << 20) << "committed bytes";
    kt_map_clear(&c, prefix);
    munmap(mem, size);
    close(fd);
}
