// Statistics: extractors, stap's integer Welford variance (with shift), empty-aggregate rules,
// histogram bucketing, and merging of per-thread slots.
#include "lang_test.h"

#include <thread>

namespace {
kt_long Get(TestArena &a, uint64_t s, int32_t agg) {
    return kt_stat_get(&a.ctx, s, agg, 0);
}
} // namespace

TEST(Stat, Extractors) {
    TestArena a;
    uint64_t s = a.stat();
    for (kt_long v : {7, -3, 12, 0, 4})
        kt_stat_add(&a.ctx, s, v);
    EXPECT_EQ(Get(a, s, KT_AGG_COUNT), 5);
    EXPECT_EQ(Get(a, s, KT_AGG_SUM), 20);
    EXPECT_EQ(Get(a, s, KT_AGG_MIN), -3);
    EXPECT_EQ(Get(a, s, KT_AGG_MAX), 12);
    EXPECT_EQ(Get(a, s, KT_AGG_AVG), 4);
    EXPECT_EQ(a.ctx.error, KT_OK);
}

TEST(Stat, AvgIsIntegerDivisionTowardZero) {
    TestArena a;
    uint64_t s = a.stat();
    kt_stat_add(&a.ctx, s, -7);
    kt_stat_add(&a.ctx, s, 0);
    EXPECT_EQ(Get(a, s, KT_AGG_AVG), -3);
}

TEST(Stat, VarianceExamplesFromManStap) {
    // man stap: samples 1..5 give @variance 12 with shift 0 and 2 with shift 1.
    for (int shift : {0, 1}) {
        TestArena a;
        uint64_t s = a.stat(KT_HIST_NONE, 0, 0, 0, shift);
        for (kt_long v = 1; v <= 5; v++)
            kt_stat_add(&a.ctx, s, v);
        EXPECT_EQ(kt_stat_get(&a.ctx, s, KT_AGG_VARIANCE, shift), shift == 0 ? 12 : 2);
    }
}

TEST(Stat, VarianceMatchesStapTestsuite) {
    // testsuite/systemtap.maps/linear_overunder and linear_under (begin probe: one slot).
    TestArena a;
    uint64_t s = a.stat();
    for (kt_long key = 0; key < 100; key++)
        for (kt_long m : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15})
            kt_stat_add(&a.ctx, s, key * m);
    EXPECT_EQ(Get(a, s, KT_AGG_COUNT), 1600);
    EXPECT_EQ(Get(a, s, KT_AGG_SUM), 653400);
    EXPECT_EQ(Get(a, s, KT_AGG_MAX), 1485);
    EXPECT_EQ(Get(a, s, KT_AGG_AVG), 408);
    EXPECT_EQ(Get(a, s, KT_AGG_VARIANCE), 450768);

    uint64_t u = a.stat();
    for (kt_long key = 0; key < 100; key++)
        kt_stat_add(&a.ctx, u, key);
    EXPECT_EQ(Get(a, u, KT_AGG_AVG), 49);
    EXPECT_EQ(Get(a, u, KT_AGG_VARIANCE), 5741);
}

TEST(Stat, VarianceOfOneSampleIsZero) {
    TestArena a;
    uint64_t s = a.stat();
    kt_stat_add(&a.ctx, s, 1000);
    EXPECT_EQ(Get(a, s, KT_AGG_VARIANCE), 0);
    EXPECT_EQ(a.ctx.error, KT_OK);
}

TEST(Stat, EmptyAggregateRules) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    EXPECT_EQ(Get(a, s, KT_AGG_COUNT), 0);
    EXPECT_EQ(Get(a, s, KT_AGG_SUM), 0);
    EXPECT_EQ(a.ctx.error, KT_OK);
    for (int32_t agg : {KT_AGG_MIN, KT_AGG_MAX, KT_AGG_AVG, KT_AGG_VARIANCE}) {
        a.ctx.error = 0;
        EXPECT_EQ(Get(a, s, agg), 0);
        EXPECT_EQ(a.ctx.error, KT_ERR_EMPTY_AGG);
        EXPECT_STREQ(a.ctx.errmsg, "empty aggregate");
    }
    a.ctx.error = 0;
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 64), 0);
    EXPECT_EQ(a.ctx.error, KT_ERR_EMPTY_AGG);
}

TEST(Stat, ClearEmpties) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 100, 10);
    kt_stat_add(&a.ctx, s, 5);
    kt_stat_clear(&a.ctx, s);
    EXPECT_EQ(Get(a, s, KT_AGG_COUNT), 0);
    kt_stat_add(&a.ctx, s, -5);
    EXPECT_EQ(Get(a, s, KT_AGG_MIN), -5);
    EXPECT_EQ(Get(a, s, KT_AGG_MAX), -5);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 0), 1);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 1), 0);
}

TEST(Stat, LogBuckets) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    EXPECT_EQ(kt_hist_buckets(&a.ctx, s), 128);
    struct {
        kt_long v;
        kt_long bucket;
    } cases[] = {{0, 64},
                 {1, 65},
                 {2, 66},
                 {3, 66},
                 {4, 67},
                 {1023, 74},
                 {1024, 75},
                 {-1, 63},
                 {-2, 62},
                 {-3, 62},
                 {-4, 61},
                 {INT64_MAX, 127},
                 {INT64_MIN, 0},
                 {INT64_MIN + 1, 1},
                 {(kt_long)1 << 62, 127},
                 {((kt_long)1 << 62) - 1, 126}};
    for (auto &c : cases) {
        kt_stat_clear(&a.ctx, s);
        kt_stat_add(&a.ctx, s, c.v);
        EXPECT_EQ(kt_hist_bucket(&a.ctx, s, c.bucket), 1) << c.v;
    }
    a.ctx.error = 0;
    kt_hist_bucket(&a.ctx, s, 128);
    EXPECT_EQ(a.ctx.error, KT_ERR_HIST_INDEX);
    a.ctx.error = 0;
    kt_hist_bucket(&a.ctx, s, -1);
    EXPECT_EQ(a.ctx.error, KT_ERR_HIST_INDEX);
}

TEST(Stat, LinearBuckets) {
    TestArena a;
    uint64_t s =
        a.stat(KT_HIST_LINEAR, 1, 3, 1); // stap doc: 0 under, 1..2, 3 over (hist_linear(s,1,3,1))
    EXPECT_EQ(kt_hist_buckets(&a.ctx, s), 5);
    for (kt_long v : {-10, 0, 1, 2, 2, 3, 4, 1000})
        kt_stat_add(&a.ctx, s, v);
    // (3-1)/1 + 3 = 5 buckets: <1, 1, 2, 3, >3; values at or past the last bucket overflow.
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 0), 2);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 1), 1);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 2), 2);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 3), 1);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 4), 2);
}

TEST(Stat, SlotsMergeAcrossThreads) {
    TestArena a(8);
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 100, 10);
    auto worker = [&](kt_long base) {
        kt_ctx c;
        kt_ctx_init(&c, a.mem, 1);
        ASSERT_GE(kt_slot_claim(&c, (int32_t)gettid()), 0);
        for (kt_long i = 0; i < 100000; i++)
            kt_stat_add(&c, s, base + i % 10);
    };
    std::thread t1(worker, 0), t2(worker, 50), t3(worker, -20);
    t1.join();
    t2.join();
    t3.join();
    EXPECT_EQ(Get(a, s, KT_AGG_COUNT), 300000);
    EXPECT_EQ(Get(a, s, KT_AGG_SUM), 450000 + 5450000 - 1550000);
    EXPECT_EQ(Get(a, s, KT_AGG_MIN), -20);
    EXPECT_EQ(Get(a, s, KT_AGG_MAX), 59);
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 0), 100000); // all of -20..-11
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 1), 100000); // 0..9
    EXPECT_EQ(kt_hist_bucket(&a.ctx, s, 6), 100000); // 50..59
}

TEST(Stat, VarianceAcrossSlotsUsesTotalVariance) {
    // Two slots: {1,2,3} and {10,20,30}. stap merges slot means and variances (S1 + S2).
    TestArena a(4);
    uint64_t s = a.stat();
    kt_ctx c1, c2;
    kt_ctx_init(&c1, a.mem, 0);
    kt_ctx_init(&c2, a.mem, 0);
    ASSERT_GE(kt_slot_claim(&c1, 1000001), 0);
    ASSERT_GE(kt_slot_claim(&c2, 1000002), 0);
    ASSERT_NE(c1.slot, c2.slot);
    for (kt_long v : {1, 2, 3})
        kt_stat_add(&c1, s, v);
    for (kt_long v : {10, 20, 30})
        kt_stat_add(&c2, s, v);
    // Integer Welford: slot1 ends with avg_s 1 (2/3 truncates), M2 5, var_s 2; slot2 avg_s 20,
    // var_s 100; agg avg_s 66/6 = 11; S1 = 3*100 + 3*81 = 543; S2 = 2*2 + 2*100 = 204;
    // (543 + 204) / 5 = 149.
    EXPECT_EQ(Get(a, s, KT_AGG_VARIANCE), 149);
}
