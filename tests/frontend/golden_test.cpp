// Golden outputs: for golden/NAME.stp, NAME.p1 is the exact -p1 output, NAME.p2 the exact -p2
// output and NAME.err the exact diagnostics. Regenerate with tests/frontend/regen-golden.sh
// after an intended change, and review the diff.
#include "test_support.h"

#include <filesystem>
#include <gtest/gtest.h>

namespace ktap::test {
namespace {

std::string strip_dir(std::string text, const std::string &dir) {
    std::string prefix = dir + "/";
    for (size_t at; (at = text.find(prefix)) != std::string::npos;)
        text.erase(at, prefix.size());
    return text;
}

TEST(Golden, OutputsMatch) {
    std::string dir = std::string(KTAP_TEST_DIR) + "/golden";
    auto files = files_in(dir, ".stp");
    EXPECT_GE(files.size(), 20u);
    for (const auto &path : files) {
        SCOPED_TRACE(path);
        std::string base = path.substr(0, path.size() - 4);
        Expectation ex = read_expectation(path);
        FrontendResult r = run_frontend_file(path, 2, ex.args, ex.options);
        bool checked = false;
        if (std::filesystem::exists(base + ".p1")) {
            checked = true;
            EXPECT_EQ("# parse tree dump\n" + r.p1, read_file(base + ".p1"));
        }
        if (std::filesystem::exists(base + ".p2")) {
            checked = true;
            EXPECT_EQ(r.p2, read_file(base + ".p2"));
        }
        if (std::filesystem::exists(base + ".err")) {
            checked = true;
            EXPECT_EQ(strip_dir(r.diagnostics, dir), read_file(base + ".err"));
        }
        EXPECT_TRUE(checked) << path << " has no .p1, .p2 or .err file";
    }
}

} // namespace
} // namespace ktap::test
