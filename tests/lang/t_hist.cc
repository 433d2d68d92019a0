// Histogram rendering against golden files: SystemTap's own testsuite outputs
// (testsuite/systemtap.maps/*.exp), the language reference examples, and hand-derived cases
// (golden/README). Also covers sprint truncation and printing into the output ring.
#include "lang_test.h"

#include <fstream>
#include <sstream>

namespace {

std::string Golden(const std::string &name) {
    std::ifstream f(std::string(KT_GOLDEN_DIR) + "/" + name);
    EXPECT_TRUE(f.good()) << name;
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

std::string Render(TestArena &a, uint64_t s, int32_t elision = 2) {
    std::string buf(1 << 16, '\0');
    uint32_t n = kt_hist_render(&a.ctx, s, elision, buf.data(), (uint32_t)buf.size());
    buf.resize(n);
    return buf;
}

void AddN(TestArena &a, uint64_t s, kt_long v, int n) {
    for (int i = 0; i < n; i++)
        kt_stat_add(&a.ctx, s, v);
}

} // namespace

TEST(Hist, LinearOverAndUnderflowFromStapTestsuite) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 250, 1000, 50);
    for (kt_long key = 0; key < 100; key++)
        for (kt_long m : {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 12, 13, 14, 15})
            kt_stat_add(&a.ctx, s, key * m);
    EXPECT_EQ(Render(a, s), Golden("linear_overunder.txt"));
}

TEST(Hist, LinearUnderflowOnlyFromStapTestsuite) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 1800, 2500, 100);
    for (kt_long key = 0; key < 100; key++)
        kt_stat_add(&a.ctx, s, key);
    EXPECT_EQ(Render(a, s), Golden("linear_under.txt"));
}

TEST(Hist, LinearNegativeValuesFromStapTestsuite) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, -1000000000, 0, 100000000);
    AddN(a, s, 0, 1);
    AddN(a, s, -100000000, 2);
    AddN(a, s, -500000000, 5);
    AddN(a, s, -1000000000, 4);
    AddN(a, s, -10000000000, 1);
    EXPECT_EQ(Render(a, s), Golden("linear_large_neg.txt"));
    EXPECT_EQ(kt_stat_get(&a.ctx, s, KT_AGG_AVG, 0), -1284615384);
}

TEST(Hist, LinearElisionFromStapTestsuite) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 1500, 50);
    kt_stat_add(&a.ctx, s, 444);
    kt_stat_add(&a.ctx, s, 999);
    EXPECT_EQ(Render(a, s), Golden("linear_nearlyempty.txt"));
    EXPECT_EQ(Render(a, s, 0), Golden("nearlyempty_elision0.txt"));
    EXPECT_EQ(Render(a, s, -1), Golden("nearlyempty_noelision.txt"));
}

TEST(Hist, LogExampleFromLanguageReference) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    AddN(a, s, 40, 254);
    AddN(a, s, 64, 3);
    AddN(a, s, 200, 2);
    AddN(a, s, 300, 2);
    AddN(a, s, 1000, 4);
    AddN(a, s, 1500, 16689);
    std::string got = Render(a, s);
    EXPECT_EQ(got, Golden("log_langref.txt"));
    // The langref.tex excerpt (log_langref_doc.txt) pads the count column one space short for a
    // 5-digit maximum; stap's code (cnt_space = digits of the largest count, confirmed by its
    // testsuite outputs and by the 4-digit linear example) gives one more. Everything else is
    // identical: dropping one space before each count gives the excerpt back.
    std::string doc;
    std::istringstream lines(got);
    for (std::string line; std::getline(lines, line);) {
        if (line.find('|') != std::string::npos && line.find("count") == std::string::npos)
            line.erase(line.rfind(' '), 1);
        doc += line + "\n";
    }
    EXPECT_EQ(doc, Golden("log_langref_doc.txt"));
}

TEST(Hist, LinearExampleFromLanguageReference) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 10240, 200);
    AddN(a, s, 17, 1650);
    AddN(a, s, 250, 8);
    AddN(a, s, 1500, 1);
    EXPECT_EQ(Render(a, s), Golden("linear_langref.txt"));
}

TEST(Hist, LogNegativeValues) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    for (kt_long v : {-5, -5, -1, 0, 3})
        kt_stat_add(&a.ctx, s, v);
    EXPECT_EQ(Render(a, s), Golden("log_negative.txt"));
}

TEST(Hist, BigCountsScaleBars) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 10, 1);
    AddN(a, s, 3, 1000);
    AddN(a, s, 5, 1);
    AddN(a, s, 7, 49);
    EXPECT_EQ(Render(a, s), Golden("big_counts.txt"));
}

TEST(Hist, SingleBucket) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    AddN(a, s, 5, 3);
    EXPECT_EQ(Render(a, s), Golden("single_bucket.txt"));
}

TEST(Hist, UnderAndOverflowRowsWithElision) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 100, 10);
    AddN(a, s, -1, 3);
    AddN(a, s, 5, 2);
    AddN(a, s, 150, 1);
    EXPECT_EQ(Render(a, s), Golden("linear_under_over.txt"));
}

TEST(Hist, EmptyIsAnError) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    char buf[256] = "unchanged";
    EXPECT_EQ(kt_hist_render(&a.ctx, s, 2, buf, sizeof buf), 0u);
    EXPECT_EQ(a.ctx.error, KT_ERR_EMPTY_AGG);
    EXPECT_STREQ(a.ctx.errmsg, "empty aggregate");
    a.ctx.error = 0;
    kt_out_hist(&a.ctx, s, 2);
    EXPECT_EQ(a.ctx.error, KT_ERR_EMPTY_AGG);
    EXPECT_EQ(a.drain(), "");
}

TEST(Hist, SprintTruncatesLikeStap)
{
    // stap's sprint renders with snprintf into a MAXSTRINGLEN buffer: the first cap-1 bytes.
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 1500, 50);
    kt_stat_add(&a.ctx, s, 444);
    kt_stat_add(&a.ctx, s, 999);
    std::string full = Golden("linear_nearlyempty.txt");
    char buf[512];
    for (uint32_t cap : {1u, 20u, 64u, 100u, 512u}) {
        uint32_t n = kt_hist_render(&a.ctx, s, 2, buf, cap);
        EXPECT_EQ(std::string(buf, n), full.substr(0, cap - 1)) << cap;
        EXPECT_EQ(buf[n], '\0');
    }
}

TEST(Hist, SprintFromStapTestsuite)
{
    // testsuite/systemtap.maps/hist_in_string: 128 zeros in @hist_linear(l, 0, 0, 1), one
    // bucket plus under/overflow, printed through sprint.
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LINEAR, 0, 0, 1);
    EXPECT_EQ(kt_hist_buckets(&a.ctx, s), 3);
    AddN(a, s, 0, 128);
    char buf[512];
    uint32_t n = kt_hist_render(&a.ctx, s, 2, buf, sizeof buf);
    EXPECT_EQ(std::string(buf, n), Golden("hist_in_string.txt"));
}

TEST(Hist, PrintGoesToTheRingAsOneRecord) {
    TestArena a;
    uint64_t s = a.stat(KT_HIST_LOG);
    for (kt_long v : {-5, -5, -1, 0, 3})
        kt_stat_add(&a.ctx, s, v);
    kt_out_str(&a.ctx, "before\n");
    kt_out_hist(&a.ctx, s, 2);
    kt_out_str(&a.ctx, "after\n");
    EXPECT_EQ(a.drain(), "before\n" + Golden("log_negative.txt") + "after\n");
}
