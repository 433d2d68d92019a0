// Runs the front end in-process on a file or text, capturing diagnostics and outputs.
#pragma once

#include <string>
#include <vector>

namespace ktap::test {

struct FrontendResult {
    bool parsed = false;
    bool elaborated = false;
    std::string p1;           // -p1 output when parsed
    std::string p2;           // -p2 output when elaborated
    std::string diagnostics;  // everything written to stderr
};

// pass: 1 = parse only, 2 = parse and elaborate.
FrontendResult run_frontend_file(const std::string &path, int pass,
                                 const std::vector<std::string> &args = {},
                                 const std::vector<std::string> &extra_options = {});
FrontendResult run_frontend_text(const std::string &text, int pass,
                                 const std::vector<std::string> &args = {});

std::string read_file(const std::string &path);
std::vector<std::string> files_in(const std::string &dir, const std::string &ext);

// "// expect-error: L:C: text" and "// args: a b" annotations on a corpus file.
struct Expectation {
    int line = 0, col = 0;
    std::string text;
    std::vector<std::string> args;
    std::vector<std::string> options;
};
Expectation read_expectation(const std::string &path);

// The first "FILE:L:C: error: MESSAGE" line of the diagnostics.
bool first_error(const std::string &diagnostics, int &line, int &col, std::string &message);

} // namespace ktap::test
