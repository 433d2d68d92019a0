// ktap: command line. Runs the passes in order and stops after the one -p names.
#include "ast_printer.h"
#include "options.h"
#include "session.h"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>

#ifndef KTAP_TAPSET_DIR
#define KTAP_TAPSET_DIR ""
#endif
#ifndef KTAP_VERSION
#define KTAP_VERSION "0.0.0"
#endif

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Options that later work will implement; accepted by the parser so that the message is clear.
struct Pending {
    std::string pid, command, list, list_vars, timeout;
    bool timing = false;
};

int refuse(const std::string &what, const std::string &why) {
    std::cerr << "ktap: " << what << " is not implemented yet: " << why << '\n';
    return 1;
}

} // namespace

int main(int argc, char **argv) {
    ktap::Options opts;
    Pending pending;
    std::vector<std::string> positional;
    std::vector<std::string> defines, global_sets;
    std::string script_text;
    bool show_version = false;

    CLI::App app{"ktap: SystemTap-style dynamic tracing of user-space processes", "ktap"};
    app.footer("Usage: ktap [OPTIONS] SCRIPT.stp [ARGS...]  or  ktap [OPTIONS] -e SCRIPT [ARGS...]");
    app.add_option("-e", script_text, "Script text given on the command line");
    app.add_option("-p", opts.last_pass, "Stop after pass N: 1 parse, 2 elaborate")
        ->check(CLI::Range(1, 5));
    app.add_flag("-v", opts.verbose, "Verbose: per-pass timing (repeat for more)");
    app.add_option("-I", opts.include_dirs, "Add a tapset directory")->allow_extra_args(false);
    app.add_option("-D", defines, "Set a limit such as MAXMAPENTRIES=4096")
        ->allow_extra_args(false);
    app.add_option("-G", global_sets, "Set a scalar global: name=value")->allow_extra_args(false);
    app.add_option("-o", opts.output_file, "Write output to FILE");
    app.add_flag("-w", opts.suppress_warnings, "Suppress warnings");
    app.add_flag("-W", opts.warnings_as_errors, "Treat warnings as errors");
    app.add_flag("-u", opts.unoptimized, "Unoptimized: keep unused functions and globals");
    app.add_flag("--skip-badvars", opts.skip_badvars, "Unresolvable target variables read as 0");
    app.add_flag("--no-global-var-display", opts.no_global_var_display,
                 "Do not print unread globals at exit");
    app.add_option("-x", pending.pid, "Trace the running process PID");
    app.add_option("-c", pending.command, "Start CMD and trace it until it exits");
    app.add_option("-l", pending.list, "List probe points matching PP");
    app.add_option("-L", pending.list_vars, "List probe points matching PP with variables");
    app.add_option("-T", pending.timeout, "Exit after SECONDS");
    app.add_flag("-t", pending.timing, "Print per-probe hit counts and engine counters");
    app.add_flag("-V,--version", show_version, "Print the version and exit");
    app.add_option("script", positional, "Script file ('-' for standard input), then arguments");
    app.positionals_at_end(false);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e);
    }
    if (show_version) {
        std::cout << "ktap " << KTAP_VERSION
                  << " (SystemTap script language; runtime \"ktap\")\n";
        return 0;
    }

    if (!pending.pid.empty())
        return refuse("-x PID", "attaching to a process arrives with function probes");
    if (!pending.command.empty())
        return refuse("-c CMD", "tracing a command arrives with function probes");
    if (!pending.list.empty() || !pending.list_vars.empty())
        return refuse("-l/-L", "listing probe points arrives with function probes");
    if (!pending.timeout.empty())
        return refuse("-T", "running scripts arrives with code generation");
    if (pending.timing)
        return refuse("-t", "per-probe reports arrive with the probe engine");

    static const std::regex name_value(R"(([A-Za-z_][A-Za-z0-9_]*)=(.*))");
    for (const auto &d : defines) {
        std::smatch m;
        if (std::regex_match(d, m, std::regex(R"([A-Za-z_][A-Za-z0-9_]*)"))) {
            opts.defines[d] = "1";
        } else if (std::regex_match(d, m, name_value)) {
            opts.defines[m[1]] = m[2];
        } else {
            std::cerr << "ktap: -D " << d << ": expected NAME or NAME=VALUE\n";
            return 1;
        }
    }
    for (const auto &g : global_sets) {
        std::smatch m;
        if (!std::regex_match(g, m, name_value)) {
            std::cerr << "ktap: -G " << g << ": expected name=value\n";
            return 1;
        }
        opts.global_sets.emplace_back(m[1], m[2]);
    }

    if (app.count("-e")) {
        opts.from_text = true;
        opts.script_text = script_text;
        opts.args = positional;
    } else if (positional.empty()) {
        std::cerr << "ktap: no script given\n" << "Run 'ktap --help' for usage.\n";
        return 1;
    } else {
        opts.script_file = positional[0];
        opts.args.assign(positional.begin() + 1, positional.end());
    }
    if (const char *dir = std::getenv("KTAP_TAPSET_DIR"))
        opts.tapset_dir = dir;
    else
        opts.tapset_dir = KTAP_TAPSET_DIR;

    std::ofstream file_out;
    std::ostream *out = &std::cout;
    if (!opts.output_file.empty()) {
        file_out.open(opts.output_file);
        if (!file_out) {
            std::cerr << "ktap: cannot write '" << opts.output_file << "'\n";
            return 1;
        }
        out = &file_out;
    }

    ktap::Session session(opts, std::cerr);
    auto t1 = Clock::now();
    bool ok = session.parse();
    if (opts.verbose)
        std::cerr << "Pass 1: parsed user script and " << session.tapset_files()
                  << " library scripts in " << ms_since(t1) << " ms.\n";
    if (!ok) {
        std::cerr << "Pass 1: parse failed.\n";
        return 1;
    }
    if (opts.last_pass == 1) {
        *out << "# parse tree dump\n";
        ktap::print_program(*out, session.user_program());
        return 0;
    }
    auto t2 = Clock::now();
    ok = session.elaborate();
    if (opts.verbose && ok) {
        const auto &e = session.elaborated();
        std::cerr << "Pass 2: analyzed script: " << e.probes.size() << " probes, "
                  << e.functions.size() << " functions, " << e.globals.size() << " globals, "
                  << session.tapset_files_used() << " library scripts used in "
                  << ms_since(t2) << " ms.\n";
    }
    if (!ok) {
        std::cerr << "Pass 2: analysis failed.\n";
        return 1;
    }
    if (opts.last_pass == 2) {
        ktap::print_elaborated(*out, session.elaborated());
        return 0;
    }
    std::cerr << "ktap: pass " << opts.last_pass
              << " is not implemented yet: code generation arrives next; use -p1 or -p2\n";
    return 1;
}
