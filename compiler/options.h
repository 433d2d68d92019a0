// Command-line options of ktap, parsed once in main.cpp and read by every pass.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ktap {

struct Options {
    std::string script_file;  // "-" for standard input
    std::string script_text;  // -e
    bool from_text = false;
    std::vector<std::string> args;  // script arguments $1..$N
    int last_pass = 5;              // -p
    int verbose = 0;                // -v
    std::vector<std::string> include_dirs;  // -I
    std::map<std::string, std::string> defines;  // -D NAME=VALUE
    std::vector<std::pair<std::string, std::string>> global_sets;  // -G name=value
    std::string output_file;  // -o
    bool suppress_warnings = false;  // -w
    bool warnings_as_errors = false; // -W
    bool unoptimized = false;        // -u
    bool skip_badvars = false;
    bool no_global_var_display = false;
    std::string tapset_dir;
    // The target: -x PID or -c CMD (at most one).
    int64_t target_pid = 0;
    std::string target_command;
    bool timing = false;  // -t: per-probe hits and engine counters
    bool list_variables = false;  // -L: listed probe points show their $variables
    std::string arch;  // --arch: run handlers in an executor process of this architecture  // default tapsets, overridable by KTAP_TAPSET_DIR
};

} // namespace ktap
