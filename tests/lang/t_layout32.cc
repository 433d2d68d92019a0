// Arch-neutral arena layout: an arena built and filled by the i386 library (lang_arena32_writer,
// -m32) must be byte-for-byte the arena the x86_64 library builds from the same operations, and
// the x86_64 library must read every value back from it.
#include "lang_test.h"
#include "layout_common.h"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <vector>

namespace {

struct Arena32 {
    std::vector<uint8_t> bytes;
    uint8_t *mem = nullptr;
    layout L;
    int32_t slot1 = -1, slot2 = -1;
    std::string offsets;

    Arena32() {
        // One file per test process: ctest runs these tests in parallel.
        std::string path = ::testing::TempDir() + "kt_arena32." + std::to_string(getpid()) + ".bin";
        std::string cmd = std::string(KT_ARENA32_WRITER) + " " + path;
        FILE *p = popen(cmd.c_str(), "r");
        EXPECT_NE(p, nullptr);
        char line[512] = {0};
        if (!fgets(line, sizeof line, p))
            line[0] = 0;
        EXPECT_EQ(pclose(p), 0) << cmd;
        offsets = line;
        std::ifstream f(path, std::ios::binary);
        bytes.assign(std::istreambuf_iterator<char>(f), {});
        unlink(path.c_str());
        // 64-byte alignment for the 64-bit reader, as an mmap would give.
        mem = (uint8_t *)aligned_alloc(4096, bytes.size() + 4096);
        std::copy(bytes.begin(), bytes.end(), mem);
        L = l_build(nullptr);
        unsigned long long v[7];
        EXPECT_EQ(sscanf(line, "%llu %llu %llu %llu %llu %llu %llu %d %d", &v[0], &v[1], &v[2],
                         &v[3], &v[4], &v[5], &v[6], &slot1, &slot2),
                  9);
    }
    ~Arena32() { free(mem); }
};

} // namespace

TEST(Layout32, OffsetsAndSizesAgree) {
    Arena32 a;
    layout L = l_build(nullptr);
    char expect[512];
    snprintf(expect, sizeof expect, "%llu %llu %llu %llu %llu %llu %llu",
             (unsigned long long)L.total, (unsigned long long)L.lock, (unsigned long long)L.counts,
             (unsigned long long)L.names, (unsigned long long)L.lat, (unsigned long long)L.bystr,
             (unsigned long long)L.scalar);
    EXPECT_EQ(a.offsets.substr(0, strlen(expect)), expect);
    EXPECT_EQ(a.bytes.size(), L.total);
}

TEST(Layout32, BytesIdenticalToX86_64) {
    Arena32 a;
    layout L = l_build(nullptr);
    std::vector<uint8_t> mine(L.total + 4096);
    uint8_t *m = (uint8_t *)(((uintptr_t)mine.data() + 4095) & ~(uintptr_t)4095);
    l_build(m);
    int32_t s1, s2;
    ASSERT_EQ(l_fill(m, &L, &s1, &s2), 0);
    EXPECT_EQ(s1, a.slot1);
    EXPECT_EQ(s2, a.slot2);
    ASSERT_EQ(a.bytes.size(), L.total);
    size_t first_diff = L.total;
    for (size_t i = 0; i < L.total; i++)
        if (a.bytes[i] != m[i]) {
            first_diff = i;
            break;
        }
    EXPECT_EQ(first_diff, L.total) << "first differing byte at arena offset " << first_diff;
}

TEST(Layout32, X86_64ReadsEveryValue) {
    Arena32 a;
    const layout &L = a.L;
    kt_arena_header *h = (kt_arena_header *)a.mem;
    EXPECT_EQ(h->magic, KT_ARENA_MAGIC);
    EXPECT_EQ(h->nslots, L_NSLOTS);
    EXPECT_EQ(h->maxstringlen, (uint32_t)L_MSL);
    EXPECT_EQ(h->errors, 1);
    kt_ctx c;
    kt_ctx_init(&c, a.mem, 0);
    ASSERT_GE(kt_slot_claim(&c, 777), 0);
    EXPECT_NE(c.slot, a.slot1);
    // The i386 side left one reader in the lock (in its slot's lane): writers wait, other
    // readers share; releasing it on behalf of that slot frees the lock.
    EXPECT_FALSE(kt_lock_write(&c, L.lock));
    EXPECT_TRUE(kt_lock_read(&c, L.lock));
    kt_unlock_read(&c, L.lock);
    kt_ctx owner;
    kt_ctx_init(&owner, a.mem, 0);
    owner.slot = a.slot1;
    kt_unlock_read(&owner, L.lock);
    EXPECT_TRUE(kt_lock_write(&c, L.lock));

    // counts[long, string] = long
    static const char *nm[] = {"alpha", "beta", "gamma", "delta", "epsilon"};
    EXPECT_EQ(kt_map_count(&c, L.counts), 5);
    for (int i = 0; i < 5; i++) {
        kt_key k = {};
        k.n[0] = -i;
        k.s[1] = nm[i];
        int32_t e = kt_map_find(&c, L.counts, &k);
        ASSERT_GE(e, 0) << i;
        EXPECT_EQ(*kt_map_long(&c, L.counts, e),
                  (kt_long)i * 1000000000000LL + (kt_long)strlen(nm[i]));
        EXPECT_STREQ(kt_map_key_str(&c, L.counts, e, 1), nm[i]);
    }
    std::vector<int32_t> out(64);
    int32_t n = kt_map_sorted(&c, L.counts, 2, 1, 0, -1, nullptr, 0, out.data());
    ASSERT_EQ(n, 5);
    std::string order;
    for (int32_t i = 0; i < n; i++)
        order += std::string(kt_map_key_str(&c, L.counts, out[i], 1)) + " ";
    EXPECT_EQ(order, "alpha beta delta epsilon gamma ");

    // names wrapped: 3, 4, 5 in insertion order, and inserting continues to wrap here.
    n = kt_map_sorted(&c, L.names, -1, 1, 0, -1, nullptr, 0, out.data());
    ASSERT_EQ(n, 3);
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ(kt_map_key_long(&c, L.names, out[i], 0), i + 3);
        EXPECT_STREQ(kt_map_str(&c, L.names, out[i]), nm[i + 2]);
    }
    kt_key k6 = K(6);
    ASSERT_GE(kt_map_insert(&c, L.names, &k6), 0);
    kt_key k3 = K(3);
    EXPECT_EQ(kt_map_find(&c, L.names, &k3), -1);

    // lat: slot one 1..5, slot two -3e9 .. 300e9 step 3e9; variance shift 1.
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_COUNT, 0), 5 + 102);
    kt_long sum = 15;
    for (kt_long v = -3; v <= 300; v += 3)
        sum += v * 1000000000LL;
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_SUM, 0), sum);
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_MIN, 0), -3000000000LL);
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_MAX, 0), 300000000000LL);
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_AVG, 0), sum / 107);
    EXPECT_EQ(kt_hist_bucket(&c, L.lat, 64 + 1), 1);  // value 1
    EXPECT_EQ(kt_hist_bucket(&c, L.lat, 64 + 2), 2);  // 2, 3
    EXPECT_EQ(kt_hist_bucket(&c, L.lat, 64 - 32), 1); // -3e9: 2^31 <= 3e9 < 2^32
    EXPECT_EQ(c.error, KT_OK);
    // bystr: 40 samples over three keys, linear histogram 0..100/10.
    kt_long total = 0;
    for (int i = 0; i < 3; i++) {
        kt_key k = {};
        k.s[0] = nm[i];
        int32_t e = kt_map_find(&c, L.bystr, &k);
        ASSERT_GE(e, 0);
        total += kt_stat_get(&c, kt_map_stat(&c, L.bystr, e), KT_AGG_COUNT, 0);
    }
    EXPECT_EQ(total, 40);
    kt_key alpha = {};
    alpha.s[0] = "alpha";
    uint64_t st = kt_map_stat(&c, L.bystr, kt_map_find(&c, L.bystr, &alpha));
    // alpha: i = 0, 3, .., 39 -> values -5, 4, 13, .. 112 (14 samples); one below 0, two >= 110
    EXPECT_EQ(kt_stat_get(&c, st, KT_AGG_COUNT, 0), 14);
    EXPECT_EQ(kt_hist_bucket(&c, st, 0), 1);
    EXPECT_EQ(kt_hist_bucket(&c, st, 12), 1); // 112; 103 is in the 100 bucket

    // scalars
    EXPECT_EQ(*(kt_long *)(a.mem + L.scalar), -1234567890123LL);
    EXPECT_STREQ((char *)(a.mem + L.scalar + 8), "scalar string");

    // output written by two i386 threads, drained here: each slot in order.
    std::string buf(1 << 16, '\0');
    buf.resize(kt_drain(a.mem, buf.data(), buf.size()));
    std::string hist(8192, '\0');
    c.error = 0;
    hist.resize(kt_hist_render(&c, L.lat, 2, hist.data(), (uint32_t)hist.size()));
    EXPECT_NE(buf.find("from slot one\n"), std::string::npos);
    EXPECT_NE(buf.find("-42 i386 0xffffffffffffffd6\n"), std::string::npos);
    EXPECT_NE(buf.find("value |-------------------------------------------------- count\n"),
              std::string::npos);
    EXPECT_EQ(buf.size(),
              strlen("from slot one\n") + strlen("-42 i386 0xffffffffffffffd6\n") + hist.size());
    EXPECT_NE(buf.find(hist), std::string::npos);

    // stats adds from this process land in their own slot and merge with i386's.
    kt_stat_add(&c, L.lat, 7);
    EXPECT_EQ(kt_stat_get(&c, L.lat, KT_AGG_COUNT, 0), 108);
}
