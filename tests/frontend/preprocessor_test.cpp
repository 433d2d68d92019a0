// The preprocessor through the whole front end: what survives into the parse tree.
#include "test_support.h"

#include <gtest/gtest.h>

namespace ktap::test {
namespace {

std::string p1(const std::string &text, const std::vector<std::string> &args = {}) {
    FrontendResult r = run_frontend_text(text, 1, args);
    EXPECT_TRUE(r.parsed) << r.diagnostics;
    return r.p1;
}

TEST(Preprocessor, ConditionalPicksBranchByArch) {
    EXPECT_EQ(p1("probe begin { x = %( arch == \"x86_64\" %? 1 %: 2 %) }"),
              "probe begin {\n  x = 1;\n}\n");
    EXPECT_EQ(p1("probe begin { x = %( arch != \"x86_*\" %? 1 %: 2 %) }"),
              "probe begin {\n  x = 2;\n}\n");
}

TEST(Preprocessor, RuntimeIsKtapAndVersionsCompare) {
    EXPECT_EQ(p1("probe begin { x = %( runtime == \"ktap\" && systemtap_v >= \"4.0\" %? 1 %: 2 %) }"),
              "probe begin {\n  x = 1;\n}\n");
    EXPECT_EQ(p1("probe begin { x = %( systemtap_v < \"1.0\" || 1 == 2 %? 1 %: 2 %) }"),
              "probe begin {\n  x = 2;\n}\n");
}

TEST(Preprocessor, AndBindsTighterThanOr) {
    // 1 || (0 && 0) is true; (1 || 0) && 0 would be false.
    EXPECT_EQ(p1("probe begin { x = %( 1 == 1 || 1 == 0 && 1 == 0 %? 1 %: 2 %) }"),
              "probe begin {\n  x = 1;\n}\n");
}

TEST(Preprocessor, NestedConditionals) {
    EXPECT_EQ(p1("probe begin { x = %( 1 == 1 %? %( 2 == 3 %? 10 %: 20 %) %: 30 %) }"),
              "probe begin {\n  x = 20;\n}\n");
}

TEST(Preprocessor, ScriptArgumentsAsTokensAndStrings) {
    EXPECT_EQ(p1("probe begin { x = $1 + $#; s = @2 . @# }", {"40", "a b"}),
              "probe begin {\n  x = 40 + 2;\n  s = \"a b\" . \"2\";\n}\n");
    EXPECT_EQ(p1("probe process(@1).function(\"main\") { }", {"/bin/true"}),
              "probe process(\"/bin/true\").function(\"main\") {\n}\n");
}

TEST(Preprocessor, ArgumentCountInConditions) {
    EXPECT_EQ(p1("probe begin { x = %( $# > 1 %? 1 %: 2 %) }", {"a"}),
              "probe begin {\n  x = 2;\n}\n");
}

TEST(Preprocessor, MacrosWithParametersExpand) {
    EXPECT_EQ(p1("@define larger(a, b) %( ((@a) > (@b) ? (@a) : (@b)) %)\n"
                 "probe begin { x = @larger(1, y + 2) }"),
              "probe begin {\n  x = (1 > (y + 2)) ? 1 : (y + 2);\n}\n");
}

TEST(Preprocessor, MacrosExpandInsideMacros) {
    EXPECT_EQ(p1("@define one %( 1 %)\n@define two %( @one + @one %)\nprobe begin { x = @two }"),
              "probe begin {\n  x = 1 + 1;\n}\n");
}

TEST(Preprocessor, LibraryMacrosFromStpm) {
    // tapsets/ ships @choose_defined in a .stpm library.
    FrontendResult r = run_frontend_text(
        "probe process.function(\"f\") { x = @choose_defined($a, 5) }", 1);
    EXPECT_TRUE(r.parsed) << r.diagnostics;
}

TEST(Preprocessor, Errors) {
    struct Case {
        std::string text;
        std::string message;
    } cases[] = {
        {"probe begin { x = $2 }", "command line argument index 2 out of range [1-1]"},
        {"probe begin { x = @nosuch }", "unknown macro or @-operator '@nosuch'"},
        {"probe begin { %( 1 == 1 %? x = 1 }", "missing '%)'"},
        {"probe begin { %( bogus == 1 %? x = 1 %) }", "unknown preprocessor condition"},
        {"probe begin { x = 1 %) }", "outside a '%( ... %)' conditional"},
        {"@define f(a) %( @a %)\nprobe begin { x = @f(1, 2) }", "takes 1 argument(s) but 2"},
        {"@define r %( @r %)\nprobe begin { x = @r }", "nested too deeply"},
        {"@define entry %( 1 %)\nprobe begin { }", "built-in operator"},
    };
    for (const auto &c : cases) {
        FrontendResult r = run_frontend_text(c.text, 1, {"only"});
        EXPECT_FALSE(r.parsed) << c.text;
        EXPECT_NE(r.diagnostics.find(c.message), std::string::npos)
            << c.text << "\n" << r.diagnostics;
    }
}

} // namespace
} // namespace ktap::test
