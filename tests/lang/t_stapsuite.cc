// Replays SystemTap testsuite scripts through the runtime the way generated code would, and
// compares with the .exp output verbatim (golden/foreach_limit2.txt:
// testsuite/systemtap.maps/foreach_limit2): arrays of statistics sorted by their default
// aggregate (@count), by key, with limits, and every extractor including @variance.
#include "lang_test.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace {

std::string Golden(const std::string &name)
{
    std::ifstream f(std::string(KT_GOLDEN_DIR) + "/" + name);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void Printf(TestArena &a, const char *fmt, std::vector<kt_fmt_arg> args)
{
    kt_out_format(&a.ctx, fmt, args.data(), (int32_t)args.size());
}

// foreach (key in agg_array<dir> limit n) / foreach (key+ in agg_array limit n)
int Loop(TestArena &a, uint64_t m, int32_t by, int32_t dir, kt_long limit)
{
    std::vector<int32_t> out(64);
    int32_t n = kt_map_sorted(&a.ctx, m, by, dir, KT_AGG_COUNT, limit, nullptr, 0, out.data());
    for (int32_t i = 0; i < n; i++) {
        uint64_t st = kt_map_stat(&a.ctx, m, out[i]);
        kt_long key = kt_map_key_long(&a.ctx, m, out[i], 0);
        auto get = [&](int32_t agg) { return kt_fmt_arg{kt_stat_get(&a.ctx, st, agg, 0), nullptr}; };
        Printf(a,
               "agg_array[%d]: count:%d  sum:%d  avg:%d  min:%d  max:%d  variance:%d\n",
               {kt_fmt_arg{key, nullptr}, get(KT_AGG_COUNT), get(KT_AGG_SUM), get(KT_AGG_AVG),
                get(KT_AGG_MIN), get(KT_AGG_MAX), get(KT_AGG_VARIANCE)});
    }
    return n;
}

} // namespace

TEST(StapSuite, ForeachLimit2)
{
    TestArena a;
    uint64_t m = a.map(1, 0, KT_STATS, 2048);
    static const kt_long data[][2] = {
        {9, 18},     {1, 40},     {8, 16},     {2, 4},      {7, 14},     {3, 36},    {6, 12},
        {5, 10},     {4, 8},      {10, 20},    {9, 18 / 2}, {1, 40 / 2}, {8, 16 / 2}, {2, 4 / 2},
        {7, 14 / 2}, {3, 36 / 2}, {6, 12 / 2}, {5, 10 / 2}, {4, 8},      {9, 18 * 3}, {1, 40 * 3},
        {8, 16 * 3}, {2, 4 * 3},  {7, 14 * 3}, {3, 36},     {6, 12},     {5, 10},    {9, 1},
        {1, 2},      {8, 3},      {2, 4},      {7, 14 * 3}, {3, 36 * 3}, {6, 12},    {9, 2},
        {1, 3},      {8, 16},     {2, 4},      {7, 14},     {3, 36},     {9, 18},    {1, 40},
        {8, 16},     {2, 4},      {7, 14},     {9, 18},     {1, 40},     {8, 16},    {2, 4},
        {9, 18},     {1, 40},     {8, 16},     {9, 18},     {1, 40},     {9, 18}};
    for (auto &d : data) {
        kt_key k = K(d[0]);
        kt_stat_add(&a.ctx, kt_map_stat(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)), d[1]);
    }
    ASSERT_EQ(a.ctx.error, KT_OK);
    auto iterations = [&](int n) { Printf(a, "loop had %d iterations\n", {kt_fmt_arg{n, nullptr}}); };
    Printf(a, "Arrays of aggregates:\n", {});
    Printf(a, "sorted (by values, decreasing):\n", {});
    Loop(a, m, 0, -1, -1);
    Printf(a, "\nsorted (by values), increasing:\n", {});
    Loop(a, m, 0, 1, -1);
    Printf(a, "\nsorted (by values, decreasing) limit 5:\n", {});
    iterations(Loop(a, m, 0, -1, 5));
    Printf(a, "\nsorted (by values, increasing) limit 5:\n", {});
    iterations(Loop(a, m, 0, 1, 5));
    Printf(a, "\nsorted (by keys) limit 5:\n", {});
    iterations(Loop(a, m, 1, 1, 5));
    kt_long x = 3;
    Printf(a, "\nsorted (by values) limit x (%d):\n", {kt_fmt_arg{x, nullptr}});
    iterations(Loop(a, m, 0, 1, x));
    Printf(a, "\nsorted (by values) limit x * 2 (%d):\n", {kt_fmt_arg{x * 2, nullptr}});
    iterations(Loop(a, m, 0, 1, x * 2));
    Printf(a, "\nsorted (by values) limit ++x:\n", {});
    iterations(Loop(a, m, 0, 1, ++x));
    Printf(a, "x ended up as %d\n", {kt_fmt_arg{x, nullptr}});
    Printf(a, "\nsorted (by values) limit x++:\n", {});
    iterations(Loop(a, m, 0, 1, x++));
    Printf(a, "x ended up as %d\n", {kt_fmt_arg{x, nullptr}});
    Printf(a, "\nDone.\n", {});
    EXPECT_EQ(a.drain(), Golden("foreach_limit2.txt"));
}
