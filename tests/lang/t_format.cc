// printf conversions of reference §1.11: a table checked against C's printf where stap agrees
// with it, and explicit expectations where stap's runtime/vsprintf.c differs.
#include "lang_test.h"

#include <cstdio>
#include <vector>

namespace {

kt_fmt_arg N(kt_long n) {
    return kt_fmt_arg{n, nullptr};
}
kt_fmt_arg S(const char *s) {
    return kt_fmt_arg{0, s};
}

std::string Fmt(const char *fmt, std::vector<kt_fmt_arg> args, uint32_t cap = 4096) {
    TestArena a(1, 1 << 12, 1 << 16);
    std::string buf(cap, '\x7f');
    uint32_t n = kt_format(&a.ctx, buf.data(), cap, fmt, args.data(), (int32_t)args.size());
    EXPECT_EQ(buf[n], '\0');
    buf.resize(n);
    return buf;
}

std::string C1(const char *fmt, long long v) {
    char b[512];
    snprintf(b, sizeof b, fmt, v);
    return b;
}

} // namespace

// Integer conversions where stap and C agree (C given the same value as long long).
TEST(Format, IntegersAgreeWithC) {
    struct {
        const char *stap, *c;
    } fmts[] = {
        {"%d", "%lld"},           {"%i", "%lli"},           {"%5d", "%5lld"},
        {"%-5d|", "%-5lld|"},     {"%05d", "%05lld"},       {"%+d", "%+lld"},
        {"% d", "% lld"},         {"%u", "%llu"},           {"%x", "%llx"},
        {"%X", "%llX"},           {"%o", "%llo"},           {"%.3d", "%.3lld"},
        {"%8.3d", "%8.3lld"},     {"%-8.3d|", "%-8.3lld|"}, {"%+05d", "%+05lld"},
        {"%ld", "%lld"},          {"%lld", "%lld"},         {"%#10x", "%#10llx"},
        {"%#-10X|", "%#-10llX|"}, {"%#o", "%#llo"},         {"%-+6d|", "%-+6lld|"},
        {"%hd", "%lld"},
    };
    kt_long values[] = {0, 1, -1, 42, -42, 255, 123456789, INT64_MAX, INT64_MIN, 0x1234abcd};
    for (auto &f : fmts)
        for (kt_long v : values) {
            // C differs from stap for %#x/%#o of 0 (see below); skip those pairs here.
            if (v == 0 && (f.stap[1] == '#'))
                continue;
            EXPECT_EQ(Fmt(f.stap, {N(v)}), C1(f.c, v)) << f.stap << " " << v;
        }
}

TEST(Format, StapDifferencesFromC) {
    EXPECT_EQ(Fmt("%#x", {N(0)}), "0x0");         // C: "0"
    EXPECT_EQ(Fmt("%#o", {N(0)}), "00");          // C: "0"
    EXPECT_EQ(Fmt("%.0d", {N(0)}), "0");          // C: ""
    EXPECT_EQ(Fmt("%08.3d", {N(7)}), "00000007"); // the 0 flag survives a precision
    EXPECT_EQ(Fmt("%x", {N(-1)}), "ffffffffffffffff");
    EXPECT_EQ(Fmt("%.*d", {N(-3), N(5)}), "5"); // negative precision clamps to 0
}

TEST(Format, PointerIsHashX) {
    EXPECT_EQ(Fmt("%p", {N(0x1234abcd)}), "0x1234abcd");
    EXPECT_EQ(Fmt("%p", {N(0)}), "0x0");
    EXPECT_EQ(Fmt("%20p|", {N(0x1234abcd)}), "          0x1234abcd|");
    EXPECT_EQ(Fmt("%-12p|", {N(255)}), "0xff        |");
}

TEST(Format, StarWidthAndPrecision) {
    EXPECT_EQ(Fmt("%*d|", {N(6), N(42)}), "    42|");
    EXPECT_EQ(Fmt("%*d|", {N(-6), N(42)}), "42    |"); // negative width: left-justify
    EXPECT_EQ(Fmt("%.*s|", {N(3), S("abcdef")}), "abc|");
    EXPECT_EQ(Fmt("%*.*d|", {N(7), N(4), N(42)}), "   0042|");
    EXPECT_EQ(Fmt("%-*s|%d", {N(5), S("ab"), N(9)}), "ab   |9");
}

TEST(Format, Strings) {
    struct {
        const char *fmt;
    } fmts[] = {{"%s"}, {"%10s|"}, {"%-10s|"}, {"%.2s|"}, {"%8.3s|"}, {"%-8.3s|"}, {"%.0s|"}};
    for (auto &f : fmts)
        for (const char *s : {"", "x", "hello world"}) {
            char c[256];
            snprintf(c, sizeof c, f.fmt, s);
            EXPECT_EQ(Fmt(f.fmt, {S(s)}), c) << f.fmt << " '" << s << "'";
        }
    EXPECT_EQ(Fmt("a%sb%sc", {S("1"), S("22")}), "a1b22c");
}

TEST(Format, Characters) {
    EXPECT_EQ(Fmt("%c", {N('A')}), "A");
    EXPECT_EQ(Fmt("%3c|%-3c|", {N('x'), N('y')}), "  x|y  |");
    EXPECT_EQ(Fmt("%c", {N(0x141)}), "A"); // the low byte
    EXPECT_EQ(Fmt("%#c", {N('\t')}), "\\t");
    EXPECT_EQ(Fmt("%#c", {N('\n')}), "\\n");
    EXPECT_EQ(Fmt("%#c", {N('\\')}), "\\\\");
    EXPECT_EQ(Fmt("%#c", {N('\'')}), "\\'");
    EXPECT_EQ(Fmt("%#c", {N(0)}).size(), 4u);
    EXPECT_EQ(Fmt("%#c", {N(1)}), "\\001");
    EXPECT_EQ(Fmt("%#c", {N(0xff)}), "\\377");
    EXPECT_EQ(Fmt("%#c", {N('q')}), "q");
    EXPECT_EQ(Fmt("%#6c|", {N('\t')}), "    \\t|");
}

TEST(Format, BinaryWidths) {
    kt_long v = 0x0102030405060708;
    EXPECT_EQ(Fmt("%b", {N(v)}), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
    EXPECT_EQ(Fmt("%1b", {N(v)}), std::string("\x08", 1));
    EXPECT_EQ(Fmt("%2b", {N(v)}), std::string("\x08\x07", 2));
    EXPECT_EQ(Fmt("%4b", {N(v)}), std::string("\x08\x07\x06\x05", 4));
    EXPECT_EQ(Fmt("%8b", {N(v)}), std::string("\x08\x07\x06\x05\x04\x03\x02\x01", 8));
    EXPECT_EQ(Fmt("%.2b", {N(v)}), std::string("\x08\x07", 2));
    // width larger than the precision: NUL padding before (or after with '-')
    EXPECT_EQ(Fmt("%4.2b", {N(v)}), std::string("\0\0\x08\x07", 4));
    EXPECT_EQ(Fmt("%-4.2b", {N(v)}), std::string("\x08\x07\0\0", 4));
    // An odd width is no valid size: 8 bytes, right-aligned in it (here: no room to pad).
    EXPECT_EQ(Fmt("%3b", {N(0x41)}), std::string("A") + std::string(7, '\0'));
    EXPECT_EQ(Fmt("%10b", {N(0x41)}), std::string(2, '\0') + "A" + std::string(7, '\0'));
    EXPECT_EQ(Fmt("a%1bz", {N('B')}), "aBz");
}

TEST(Format, MemoryDumps) {
    const char mem[] = "\x01\xab"
                       "Hello";
    kt_long addr = (kt_long)(uintptr_t)mem;
    EXPECT_EQ(Fmt("%m", {N(addr + 2)}), "H");
    EXPECT_EQ(Fmt("%.5m", {N(addr + 2)}), "Hello");
    EXPECT_EQ(Fmt("%.2M", {N(addr)}), "01ab");
    EXPECT_EQ(Fmt("%M", {N(addr)}), "01");
    EXPECT_EQ(Fmt("%8.2M|", {N(addr)}), "    01ab|");
    EXPECT_EQ(Fmt("%-8.2M|", {N(addr)}), "01ab    |");
    EXPECT_EQ(Fmt("%#.3m", {N(addr + 2)}), "Hel");
}

TEST(Format, PercentAndOddities) {
    EXPECT_EQ(Fmt("100%%", {}), "100%");
    EXPECT_EQ(Fmt("%d%%%d", {N(1), N(2)}), "1%2");
    EXPECT_EQ(Fmt("%q", {}), "%q");         // unknown conversion is printed as is
    EXPECT_EQ(Fmt("end%", {}), "end%");     // a trailing %
    EXPECT_EQ(Fmt("%d %d", {N(1)}), "1 0"); // missing arguments read as 0 / ""
    EXPECT_EQ(Fmt("no conversions", {}), "no conversions");
}

TEST(Format, TruncatesToCap) {
    EXPECT_EQ(Fmt("%s", {S("abcdefgh")}, 5), "abcd");
    EXPECT_EQ(Fmt("%d", {N(123456)}, 4), "123");
    EXPECT_EQ(Fmt("%100d", {N(1)}, 8), "       "); // width clamps to the buffer, output cut
}

TEST(Format, OutFormatWritesOneRecord) {
    TestArena a;
    kt_fmt_arg args[] = {N(42), S("str")};
    kt_out_format(&a.ctx, "n=%d s=%s\n", args, 2);
    kt_out_long(&a.ctx, -7);
    kt_out_str(&a.ctx, "\n");
    EXPECT_EQ(a.drain(), "n=42 s=str\n-7\n");
    std::string big(20000, 'z');
    kt_fmt_arg bigarg[] = {S(big.c_str())};
    kt_out_format(&a.ctx, "%s", bigarg, 1);
    EXPECT_EQ(a.drain().size(), (size_t)KT_PRINTF_MAX);
}
