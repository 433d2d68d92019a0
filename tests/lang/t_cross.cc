// Differential test: the i386 library (lang_cross32) and the x86_64 library must format,
// convert, aggregate and render identically (cross_cases.h).
#include "cross_cases.h"
#include "lang_test.h"

#include <cstdio>
#include <vector>

namespace {
void Collect(const char *name, const char *bytes, uint32_t len, void *user) {
    std::string line = std::string(name) + "\t";
    char hex[3];
    for (uint32_t i = 0; i < len; i++) {
        snprintf(hex, sizeof hex, "%02x", (unsigned char)bytes[i]);
        line += hex;
    }
    static_cast<std::vector<std::string> *>(user)->push_back(line);
}
} // namespace

TEST(Cross, I386AndX86_64Agree) {
    std::vector<std::string> mine, theirs;
    cross_run(Collect, &mine);
    FILE *p = popen(KT_CROSS32, "r");
    ASSERT_NE(p, nullptr);
    std::string cur;
    char buf[65536];
    while (fgets(buf, sizeof buf, p)) {
        cur += buf;
        if (!cur.empty() && cur.back() == '\n') {
            cur.pop_back();
            theirs.push_back(cur);
            cur.clear();
        }
    }
    ASSERT_EQ(pclose(p), 0);
    ASSERT_EQ(theirs.size(), mine.size());
    EXPECT_GT(mine.size(), 300u);
    for (size_t i = 0; i < mine.size(); i++)
        EXPECT_EQ(theirs[i], mine[i]) << "case " << i;
}
