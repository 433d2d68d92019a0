// Replays SystemTap testsuite scripts through the runtime the way generated code would, and
// compares with the .exp output verbatim (golden/foreach_limit2.txt:
// testsuite/systemtap.maps/foreach_limit2): arrays of statistics sorted by their default
// aggregate (@count), by key, with limits, and every extractor including @variance.
#include "lang_test.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace {

std::string Golden(const std::string &name) {
    std::ifstream f(std::string(KT_GOLDEN_DIR) + "/" + name);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

void Printf(TestArena &a, const char *fmt, std::vector<kt_fmt_arg> args) {
    kt_out_format(&a.ctx, fmt, args.data(), (int32_t)args.size());
}

// foreach (key in agg_array<dir> limit n) / foreach (key+ in agg_array limit n)
int Loop(TestArena &a, uint64_t m, int32_t by, int32_t dir, kt_long limit) {
    std::vector<int32_t> out(64);
    int32_t n = kt_map_sorted(&a.ctx, m, by, dir, KT_AGG_COUNT, limit, nullptr, 0, out.data());
    for (int32_t i = 0; i < n; i++) {
        uint64_t st = kt_map_stat(&a.ctx, m, out[i]);
        kt_long key = kt_map_key_long(&a.ctx, m, out[i], 0);
        auto get = [&](int32_t agg) {
            return kt_fmt_arg{kt_stat_get(&a.ctx, st, agg, 0), nullptr};
        };
        Printf(a, "agg_array[%d]: count:%d  sum:%d  avg:%d  min:%d  max:%d  variance:%d\n",
               {kt_fmt_arg{key, nullptr}, get(KT_AGG_COUNT), get(KT_AGG_SUM), get(KT_AGG_AVG),
                get(KT_AGG_MIN), get(KT_AGG_MAX), get(KT_AGG_VARIANCE)});
    }
    return n;
}

} // namespace

TEST(StapSuite, ForeachLimit2) {
    TestArena a;
    uint64_t m = a.map(1, 0, KT_STATS, 2048);
    static const kt_long data[][2] = {
        {9, 18},     {1, 40},     {8, 16},     {2, 4},      {7, 14},     {3, 36},     {6, 12},
        {5, 10},     {4, 8},      {10, 20},    {9, 18 / 2}, {1, 40 / 2}, {8, 16 / 2}, {2, 4 / 2},
        {7, 14 / 2}, {3, 36 / 2}, {6, 12 / 2}, {5, 10 / 2}, {4, 8},      {9, 18 * 3}, {1, 40 * 3},
        {8, 16 * 3}, {2, 4 * 3},  {7, 14 * 3}, {3, 36},     {6, 12},     {5, 10},     {9, 1},
        {1, 2},      {8, 3},      {2, 4},      {7, 14 * 3}, {3, 36 * 3}, {6, 12},     {9, 2},
        {1, 3},      {8, 16},     {2, 4},      {7, 14},     {3, 36},     {9, 18},     {1, 40},
        {8, 16},     {2, 4},      {7, 14},     {9, 18},     {1, 40},     {8, 16},     {2, 4},
        {9, 18},     {1, 40},     {8, 16},     {9, 18},     {1, 40},     {9, 18}};
    for (auto &d : data) {
        kt_key k = K(d[0]);
        kt_stat_add(&a.ctx, kt_map_stat(&a.ctx, m, kt_map_insert(&a.ctx, m, &k)), d[1]);
    }
    ASSERT_EQ(a.ctx.error, KT_OK);
    auto iterations = [&](int n) {
        Printf(a, "loop had %d iterations\n", {kt_fmt_arg{n, nullptr}});
    };
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

TEST(StapSuite, PrintfInt1) {
    // testsuite/systemtap.printf/int1.stp: five values through every integer conversion.
    TestArena a;
    std::vector<kt_fmt_arg> v = {
        {1, nullptr}, {10, nullptr}, {9000000000000, nullptr}, {-1, nullptr}, {-1024, nullptr}};
    const char *groups[][9] = {
        {"%d", "%2d", "%16d", "%016d", "%ld", "%#d", "%#ld"},
        {"%u", "%2u", "%16u", "%016u", "%lu", "%#u", "%#lu"},
        {"%x", "%2x", "%16x", "%016x", "%16X", "%016X", "%lx", "%#x", "%#lx"},
        {"%o", "%2o", "%16o", "%016o", "%lo", "%#o", "%#lo"},
    };
    for (int g = 0; g < 4; g++) {
        if (g)
            Printf(a, "\n", {});
        for (const char *c : groups[g]) {
            if (!c)
                break;
            std::string fmt = std::string(c) + "," + c + "," + c + "," + c + "," + c + "\n";
            Printf(a, fmt.c_str(), v);
        }
    }
    EXPECT_EQ(a.drain(), Golden("printf_int1.txt"));
}

TEST(StapSuite, PrintfPtr13) {
    // testsuite/systemtap.printf/ptr-1.3.stp: %p is %#x since stap 1.3, widths and precisions.
    TestArena a;
    const kt_long vals[] = {0, 1, 0x12345678, 0x12345678abcdef00, 0x0000000012345678};
    const char *fmts[] = {"%p\n",  "%20pX\n", "%-20pX\n", "%.20pX\n", "%20.8pX\n", "%-20.8pX\n",
                          "%8p\n", "%-8pX\n", "%.8p\n",   "%8.20p\n", "%-8.20pX\n"};
    bool first = true;
    for (const char *f : fmts) {
        if (!first)
            Printf(a, "\n", {});
        first = false;
        for (kt_long v : vals)
            Printf(a, f, {kt_fmt_arg{v, nullptr}});
    }
    EXPECT_EQ(a.drain(), Golden("printf_ptr-1.3.txt"));
}

TEST(StapSuite, PrintfStringsAndChars) {
    // testsuite/systemtap.printf/string1 and char1.
    TestArena a;
    kt_fmt_arg s{0, "Foobar!"}, t{0, "XYZZY"};
    Printf(a, "The string is <%s>\n", {s});
    Printf(a, "%s%s\n", {s, t});
    Printf(a, "%s%s%s%s\n", {t, s, t, s});
    EXPECT_EQ(a.drain(), "The string is <Foobar!>\nFoobar!XYZZY\nXYZZYFoobar!XYZZYFoobar!\n");
    Printf(a, "%c", {kt_fmt_arg{115, nullptr}});
    Printf(a, "%c", {kt_fmt_arg{116, nullptr}});
    Printf(a, "%c%c", {kt_fmt_arg{97, nullptr}, kt_fmt_arg{112, nullptr}});
    Printf(a, "%c%c",
           {kt_fmt_arg{kt_stringat(&a.ctx, "ok", 0), nullptr},
            kt_fmt_arg{kt_stringat(&a.ctx, "ok", 1), nullptr}});
    kt_out_str(&a.ctx, "\n");
    EXPECT_EQ(a.drain(), "stapok\n");
}

TEST(StapSuite, PrintfMemory1) {
    // testsuite/systemtap.printf/memory1.stp: %m/%M against %s of the same bytes.
    TestArena a;
    const char *filename = "/etc/passwd";
    kt_long addr = (kt_long)(uintptr_t)filename, len = (kt_long)strlen(filename);
    auto S = [&](const char *fmt, std::vector<kt_fmt_arg> args) {
        char buf[256];
        uint32_t n = kt_format(&a.ctx, buf, sizeof buf, fmt, args.data(), (int32_t)args.size());
        return std::string(buf, n);
    };
    kt_fmt_arg f{0, filename}, m{addr, nullptr};
    auto N = [](kt_long v) { return kt_fmt_arg{v, nullptr}; };
    EXPECT_EQ(S("%m", {m}), S("%.1s", {f}));
    EXPECT_EQ(S("%.5m", {m}), S("%.5s", {f}));
    EXPECT_EQ(S("%.*m", {N(5), m}), S("%.5s", {f}));
    EXPECT_EQ(S("%.*m", {N(len), m}), filename);
    EXPECT_EQ(S("%5m", {m}), S("    %.1s", {f}));
    EXPECT_EQ(S("%*m", {N(5), m}), S("    %.1s", {f}));
    EXPECT_EQ(S("%4.5m", {m}), S("%.5s", {f}));
    EXPECT_EQ(S("%15.5m", {m}), S("          %.5s", {f}));
    EXPECT_EQ(S("%*.5m", {N(4), m}), S("%.5s", {f}));
    EXPECT_EQ(S("%*.5m", {N(15), m}), S("          %.5s", {f}));
    EXPECT_EQ(S("%4.*m", {N(len), m}), filename);
    EXPECT_EQ(S("%15.*m", {N(len), m}), S("%15s", {f}));
    EXPECT_EQ(S("%*.*m", {N(4), N(len), m}), filename);
    EXPECT_EQ(S("%*.*m", {N(15), N(len), m}), S("%15s", {f}));
    std::vector<kt_fmt_arg> six;
    for (int i = 0; i < 6; i++)
        six.push_back(N(kt_stringat(&a.ctx, filename, i)));
    EXPECT_EQ(S("%*.*M", {N(14), N(6), m}), S("  %02x%02x%02x%02x%02x%02x", six));
}

TEST(StapSuite, PrintfBin6WidthAndPrecision) {
    // testsuite/systemtap.printf/bin6.stp (its .exp is binary): the byte counts and padding.
    TestArena a;
    kt_long v = 0x6465616462656566; // "deadbeef" in big-endian byte order
    auto B = [&](const char *fmt, std::vector<kt_fmt_arg> args) {
        char buf[64];
        uint32_t n = kt_format(&a.ctx, buf, sizeof buf, fmt, args.data(), (int32_t)args.size());
        return std::string(buf, n);
    };
    kt_fmt_arg d{v, nullptr};
    auto N = [](kt_long x) { return kt_fmt_arg{x, nullptr}; };
    std::string le8("feebdaed", 8); // little-endian bytes of v
    EXPECT_EQ(B(":%b:", {d}), ":" + le8 + ":");
    EXPECT_EQ(B(":%1b:", {d}), ":f:");
    EXPECT_EQ(B(":%2b:", {d}), ":fe:");
    EXPECT_EQ(B(":%4b:", {d}), ":feeb:");
    EXPECT_EQ(B(":%*b:", {N(2), d}), ":fe:");
    EXPECT_EQ(B(":%.4b:", {d}), ":feeb:");
    EXPECT_EQ(B(":%.*b:", {N(1), d}), ":f:");
    EXPECT_EQ(B(":%1.8b:", {d}), ":" + le8 + ":");
    EXPECT_EQ(B(":%2.4b:", {d}), ":feeb:");
    EXPECT_EQ(B(":%4.2b:", {d}), ":" + std::string(2, '\0') + "fe:");
    EXPECT_EQ(B(":%8.1b:", {d}), ":" + std::string(7, '\0') + "f:");
    EXPECT_EQ(B(":%*.*b:", {N(8), N(1), d}), ":" + std::string(7, '\0') + "f:");
}
