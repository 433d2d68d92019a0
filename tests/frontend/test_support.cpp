#include "test_support.h"

#include "frontend/ast_printer.h"
#include "session.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace ktap::test {

namespace {

FrontendResult run(Options opts, int pass) {
    opts.tapset_dir = KTAP_TAPSET_DIR;
    FrontendResult r;
    std::ostringstream err;
    Session s(opts, err);
    r.parsed = s.parse();
    if (r.parsed) {
        std::ostringstream p1;
        print_program(p1, s.user_program());
        r.p1 = p1.str();
        if (pass >= 2) {
            r.elaborated = s.elaborate();
            if (r.elaborated) {
                std::ostringstream p2;
                print_elaborated(p2, s.elaborated());
                r.p2 = p2.str();
            }
        }
    }
    r.diagnostics = err.str();
    return r;
}

void apply_options(Options &o, const std::vector<std::string> &raw) {
    // "-I dir" and "-G x=1" may be written as two words; join them.
    std::vector<std::string> extra;
    for (size_t i = 0; i < raw.size(); ++i) {
        if ((raw[i] == "-I" || raw[i] == "-G") && i + 1 < raw.size()) {
            extra.push_back(raw[i] + raw[i + 1]);
            ++i;
        } else {
            extra.push_back(raw[i]);
        }
    }
    for (const auto &x : extra) {
        if (x == "-u")
            o.unoptimized = true;
        else if (x == "-w")
            o.suppress_warnings = true;
        else if (x == "-W")
            o.warnings_as_errors = true;
        else if (x.rfind("-G", 0) == 0) {
            auto eq = x.find('=');
            o.global_sets.emplace_back(x.substr(2, eq - 2), x.substr(eq + 1));
        } else if (x.rfind("-I", 0) == 0) {
            o.include_dirs.push_back(std::string(KTAP_TEST_DIR) + "/" + x.substr(2));
        }
    }
}

} // namespace

FrontendResult run_frontend_file(const std::string &path, int pass,
                                 const std::vector<std::string> &args,
                                 const std::vector<std::string> &extra_options) {
    Options o;
    o.script_file = path;
    o.args = args;
    apply_options(o, extra_options);
    return run(o, pass);
}

FrontendResult run_frontend_text(const std::string &text, int pass,
                                 const std::vector<std::string> &args) {
    Options o;
    o.from_text = true;
    o.script_text = text;
    o.args = args;
    return run(o, pass);
}

std::string read_file(const std::string &path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<std::string> files_in(const std::string &dir, const std::string &ext) {
    std::vector<std::string> out;
    for (const auto &e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ext)
            out.push_back(e.path().string());
    std::sort(out.begin(), out.end());
    return out;
}

Expectation read_expectation(const std::string &path) {
    Expectation e;
    std::istringstream in(read_file(path));
    std::string line;
    static const std::regex error_re(R"(^//\s*expect-error:\s*(\d+):(\d+):\s*(.*)$)");
    static const std::regex args_re(R"(^//\s*args:\s*(.*)$)");
    static const std::regex opts_re(R"(^//\s*options:\s*(.*)$)");
    while (std::getline(in, line)) {
        std::smatch m;
        if (std::regex_match(line, m, error_re)) {
            e.line = std::stoi(m[1]);
            e.col = std::stoi(m[2]);
            e.text = m[3];
        } else if (std::regex_match(line, m, args_re)) {
            std::istringstream words(m[1].str());
            for (std::string w; words >> w;)
                e.args.push_back(w);
        } else if (std::regex_match(line, m, opts_re)) {
            std::istringstream words(m[1].str());
            for (std::string w; words >> w;)
                e.options.push_back(w);
        }
    }
    return e;
}

bool first_error(const std::string &diagnostics, int &line, int &col, std::string &message) {
    static const std::regex re(R"(^[^\n]*?:(\d+):(\d+): error: ([^\n]*)$)");
    std::istringstream in(diagnostics);
    std::string l;
    while (std::getline(in, l)) {
        std::smatch m;
        if (std::regex_match(l, m, re)) {
            line = std::stoi(m[1]);
            col = std::stoi(m[2]);
            message = m[3];
            return true;
        }
    }
    return false;
}

} // namespace ktap::test
