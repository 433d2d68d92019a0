#include "sema/format.h"

#include <gtest/gtest.h>

namespace ktap {
namespace {

TEST(Format, CountsArgumentsAndKinds) {
    FormatSpec s;
    std::string err;
    size_t off = 0;
    ASSERT_TRUE(parse_format("pid %d name %s at %#x %%", s, err, off));
    EXPECT_EQ(s.args_needed, 3);
    EXPECT_EQ(std::string(s.arg_kinds.begin(), s.arg_kinds.end()), "lsl");
    ASSERT_EQ(s.pieces.size(), 7u);
    EXPECT_EQ(s.pieces[6].text, " %");
}

TEST(Format, StarWidthAndPrecisionConsumeLongs) {
    FormatSpec s;
    std::string err;
    size_t off = 0;
    ASSERT_TRUE(parse_format("%-*.*s|%08lx", s, err, off));
    EXPECT_EQ(std::string(s.arg_kinds.begin(), s.arg_kinds.end()), "llsl");
    EXPECT_EQ(s.pieces[0].flags, "-");
    EXPECT_EQ(s.pieces[0].width, -2);
    EXPECT_EQ(s.pieces[0].precision, -2);
    EXPECT_EQ(s.pieces[2].width, 8);
    EXPECT_EQ(s.pieces[2].flags, "0");
    EXPECT_EQ(s.pieces[2].conversion, 'x');
}

TEST(Format, BinaryWidths) {
    FormatSpec s;
    std::string err;
    size_t off = 0;
    ASSERT_TRUE(parse_format("%4b%b", s, err, off));
    EXPECT_EQ(s.pieces[0].binary_width, 4);
    EXPECT_FALSE(parse_format("%3b", s, err, off));
    EXPECT_NE(err.find("1, 2, 4 or 8"), std::string::npos);
}

TEST(Format, RejectsHugeWidthsAndPrecisions) {
    FormatSpec s;
    std::string err;
    size_t off = 0;
    EXPECT_FALSE(parse_format("%99999999999999999999d", s, err, off));
    EXPECT_NE(err.find("width too large"), std::string::npos);
    EXPECT_FALSE(parse_format("x %.99999999999999999999s", s, err, off));
    EXPECT_EQ(off, 2u);
    EXPECT_TRUE(parse_format("%100000d", s, err, off));
}

TEST(Format, RejectsUnknownAndIncompleteConversions) {
    FormatSpec s;
    std::string err;
    size_t off = 0;
    EXPECT_FALSE(parse_format("abc %f", s, err, off));
    EXPECT_EQ(off, 4u);
    EXPECT_NE(err.find("'%f'"), std::string::npos);
    EXPECT_FALSE(parse_format("trailing %-", s, err, off));
    EXPECT_NE(err.find("incomplete"), std::string::npos);
}

} // namespace
} // namespace ktap
