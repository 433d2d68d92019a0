// The script corpus: every file under corpus/parse-ok must parse and round-trip through -p1,
// every file under corpus/parse-fail must fail to parse at the annotated line and column with
// the annotated text, and likewise for elaboration (elab-ok, elab-fail).
#include "test_support.h"

#include <gtest/gtest.h>

namespace ktap::test {
namespace {

std::string corpus(const std::string &kind) {
    return std::string(KTAP_TEST_DIR) + "/corpus/" + kind;
}

// Checks the annotated first error of a failing file.
void expect_error_matches(const std::string &path, const FrontendResult &r) {
    Expectation want = read_expectation(path);
    ASSERT_GT(want.line, 0) << path << ": missing '// expect-error: L:C: text' annotation";
    int line = 0, col = 0;
    std::string message;
    ASSERT_TRUE(first_error(r.diagnostics, line, col, message))
        << path << ": no 'file:line:col: error:' line in:\n" << r.diagnostics;
    EXPECT_EQ(line, want.line) << path << "\n" << r.diagnostics;
    EXPECT_EQ(col, want.col) << path << "\n" << r.diagnostics;
    EXPECT_NE(message.find(want.text), std::string::npos)
        << path << ": expected the message to contain '" << want.text << "'\n"
        << r.diagnostics;
    // Every error shows the source line and a caret under it.
    EXPECT_NE(r.diagnostics.find("^"), std::string::npos) << path << "\n" << r.diagnostics;
}

TEST(Corpus, ParseOkScriptsParseAndRoundTrip) {
    auto files = files_in(corpus("parse-ok"), ".stp");
    EXPECT_GE(files.size(), 150u);
    for (const auto &path : files) {
        SCOPED_TRACE(path);
        Expectation ex = read_expectation(path);
        FrontendResult first = run_frontend_file(path, 1, ex.args, ex.options);
        EXPECT_TRUE(first.parsed) << path << "\n" << first.diagnostics;
        if (!first.parsed)
            continue;  // report every failing file, not just the first
        // -p1 output parses back to the same tree: printing it again gives the same text.
        FrontendResult second = run_frontend_text(first.p1, 1, ex.args);
        EXPECT_TRUE(second.parsed) << path << ": -p1 output does not parse:\n"
                                   << second.diagnostics << "\n" << first.p1;
        if (second.parsed)
            EXPECT_EQ(first.p1, second.p1) << path << ": -p1 round trip changed the tree";
    }
}

TEST(Corpus, ParseFailScriptsFailWhereAnnotated) {
    auto files = files_in(corpus("parse-fail"), ".stp");
    EXPECT_GE(files.size(), 150u);
    for (const auto &path : files) {
        SCOPED_TRACE(path);
        Expectation ex = read_expectation(path);
        FrontendResult r = run_frontend_file(path, 1, ex.args, ex.options);
        EXPECT_FALSE(r.parsed) << path << ": parsed but should not";
        if (!r.parsed)
            expect_error_matches(path, r);
    }
}

TEST(Corpus, ElabOkScriptsElaborate) {
    auto files = files_in(corpus("elab-ok"), ".stp");
    EXPECT_GE(files.size(), 100u);
    for (const auto &path : files) {
        SCOPED_TRACE(path);
        Expectation ex = read_expectation(path);
        FrontendResult r = run_frontend_file(path, 2, ex.args, ex.options);
        EXPECT_TRUE(r.elaborated) << path << "\n" << r.diagnostics;
    }
}

TEST(Corpus, ElabFailScriptsFailWhereAnnotated) {
    auto files = files_in(corpus("elab-fail"), ".stp");
    EXPECT_GE(files.size(), 100u);
    for (const auto &path : files) {
        SCOPED_TRACE(path);
        Expectation ex = read_expectation(path);
        FrontendResult r = run_frontend_file(path, 2, ex.args, ex.options);
        EXPECT_TRUE(r.parsed) << path << ": should parse, then fail elaboration\n"
                              << r.diagnostics;
        EXPECT_FALSE(r.elaborated) << path << ": elaborated but should not";
        if (r.parsed && !r.elaborated)
            expect_error_matches(path, r);
    }
}

} // namespace
} // namespace ktap::test
