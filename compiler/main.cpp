// ktap: command line. Runs the passes in order and stops after the one -p names.
#include "backend/backend.h"
#include "frontend/ast_printer.h"
#include "options.h"
#include "output/output_file.h"
#include "output/output_sink.h"
#include "run/list_probes.h"
#include "run/runner.h"
#include "sema/layout.h"
#include "sema/probe_points.h"
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

// Options parsed as text first, checked below.
struct Pending {
    std::string pid, command, list, list_vars, timeout;
    bool timing = false;
    std::string format = "text", rotation, metrics_format = "openmetrics";
    std::vector<std::string> metric_specs;
    bool dump_probe_types = false;
};


} // namespace

int main(int argc, char **argv) {
    ktap::Options opts;
    ktap::RunOptions run;
    Pending pending;
    std::vector<std::string> positional;
    std::vector<std::string> defines, global_sets;
    std::string script_text;
    bool show_version = false;

    CLI::App app{"ktap: SystemTap-style dynamic tracing of user-space processes", "ktap"};
    app.footer("Usage: ktap [OPTIONS] SCRIPT.stp [ARGS...]  or  ktap [OPTIONS] -e SCRIPT [ARGS...]");
    app.add_option("-e", script_text, "Script text given on the command line");
    app.add_option("-p", opts.last_pass,
                   "Stop after pass N: 1 parse, 2 elaborate, 3 LLVM IR, 4 object code, 5 run")
        ->check(CLI::Range(1, 5));
    app.add_flag("-v", opts.verbose, "Verbose: per-pass timing (repeat for more)");
    app.add_option("-I", opts.include_dirs, "Add a tapset directory")->allow_extra_args(false);
    app.add_option("-D", defines, "Set a limit such as MAXMAPENTRIES=4096")
        ->allow_extra_args(false);
    app.add_option("-G", global_sets, "Set a scalar global: name=value")->allow_extra_args(false);
    app.add_option("-o", opts.output_file, "Write output to FILE");
    app.add_option("-S", pending.rotation,
                   "With -o: switch to FILE.N+1 before FILE.N passes SIZE MiB; keep N files "
                   "(SIZE[,N])");
    app.add_option("-f,--format", pending.format,
                   "Output format: text (SystemTap's) or json (one object per line)")
        ->check(CLI::IsMember({"text", "json"}));
    app.add_option("--metrics", run.metrics.path,
                   "Rewrite FILE with chosen globals as metrics every --metrics-interval");
    app.add_option("--metrics-interval", run.metrics.interval,
                   "Seconds between metrics files (default 10)")
        ->check(CLI::Range(0.01, 86400.0));
    app.add_option("--metrics-format", pending.metrics_format,
                   "openmetrics (default) or prometheus (node_exporter's textfile collector)")
        ->check(CLI::IsMember({"openmetrics", "prometheus"}));
    app.add_option("--metric", pending.metric_specs,
                   "A global to export: GLOBAL[:counter|gauge|histogram|summary][:LABEL,...] "
                   "(default: every number and statistic the script writes)")
        ->allow_extra_args(false);
    app.add_flag("--dump-probe-types", pending.dump_probe_types,
                 "List the built-in probe point forms and exit");
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
    // stap needs -d MODULE / --ldd to embed unwind and symbol data of other modules; ktap reads
    // every module of the process (and libraries it loads later) anyway: accepted, no effect.
    std::vector<std::string> extra_modules;
    bool ldd = false;
    app.add_option("-d", extra_modules, "Accepted for stap compatibility: ktap reads every module")
        ->allow_extra_args(false);
    app.add_flag("--ldd", ldd, "Accepted for stap compatibility: ktap reads every library");
    app.add_flag("-V,--version", show_version, "Print the version and exit");
    app.add_option("--arch", opts.arch,
                   "Compile begin/end/timer handlers for ARCH and run them in a separate executor "
                   "process (tests the 32-bit path without a target)")
        ->check(CLI::IsMember({"x86_64", "i386"}));
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

    ktap::OutputFormat format = ktap::OutputFormat::Text;
    ktap::parse_output_format(pending.format, format);
    ktap::Rotation rotation;
    {
        std::string error;
        if (!pending.rotation.empty() && !ktap::parse_rotation(pending.rotation, rotation, error)) {
            std::cerr << "ktap: " << error << "\n";
            return 1;
        }
        if (!pending.rotation.empty() && opts.output_file.empty()) {
            std::cerr << "ktap: -S needs -o FILE: it rotates output files\n";
            return 1;
        }
        ktap::parse_metrics_format(pending.metrics_format, run.metrics.format);
        for (const auto &text : pending.metric_specs) {
            ktap::MetricSpec spec;
            if (!ktap::parse_metric_spec(text, spec, error)) {
                std::cerr << "ktap: " << error << "\n";
                return 1;
            }
            run.metrics.specs.push_back(spec);
        }
        if (!run.metrics.specs.empty() && run.metrics.path.empty()) {
            std::cerr << "ktap: --metric needs --metrics FILE\n";
            return 1;
        }
    }
    if (pending.dump_probe_types) {
        ktap::OutputFile stdout_file;
        std::string error;
        stdout_file.open("", {}, error);
        ktap::OutputSink sink(format, stdout_file);
        for (const auto &t : ktap::builtin_probe_types())
            sink.text_or_event(false, t + "\n", {{"type", "probe_type"}, {"name", t}});
        return 0;
    }

    if (!pending.pid.empty()) {
        char *end = nullptr;
        long long pid = std::strtoll(pending.pid.c_str(), &end, 10);
        if (!end || *end || pid <= 0) {
            std::cerr << "ktap: -x " << pending.pid << ": expected a process ID\n";
            return 1;
        }
        opts.target_pid = pid;
    }
    opts.target_command = pending.command;
    if (opts.target_pid && !opts.target_command.empty()) {
        std::cerr << "ktap: -x and -c cannot be used together\n";
        return 1;
    }
    bool listing = !pending.list.empty() || !pending.list_vars.empty();
    if (listing) {
        // stap -l PP: the probe point of an empty probe, elaborated, and its matches listed.
        script_text = "probe " + (pending.list.empty() ? pending.list_vars : pending.list) + " {}";
        positional.insert(positional.begin(), "-e");
    }
    double timeout = 0;
    if (!pending.timeout.empty()) {
        char *end = nullptr;
        timeout = std::strtod(pending.timeout.c_str(), &end);
        if (!end || *end || timeout <= 0) {
            std::cerr << "ktap: -T " << pending.timeout << ": expected a positive number of seconds\n";
            return 1;
        }
    }
    opts.timing = pending.timing;

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

    if (listing) {
        opts.list_variables = !pending.list_vars.empty();
        opts.from_text = true;
        opts.script_text = script_text;
        positional.erase(positional.begin());
        opts.args = positional;
    } else if (app.count("-e")) {
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

    // Runs and listings write through the output sink (text or JSON, -o/-S); the dumps of
    // -p 1..4 are for people and write plain text to -o FILE or standard output.
    ktap::OutputFile output;
    std::unique_ptr<ktap::OutputSink> sink;
    if (opts.last_pass == 5) {
        std::string error;
        if (!output.open(opts.output_file, rotation, error)) {
            std::cerr << "ktap: " << error << "\n";
            return 1;
        }
        sink = std::make_unique<ktap::OutputSink>(format, output);
    } else if (format == ktap::OutputFormat::Json) {
        std::cerr << "ktap: -f json applies to runs and listings, not to -p " << opts.last_pass
                  << "\n";
        return 1;
    }
    std::ofstream file_out;
    std::ostream *out = &std::cout;
    if (!opts.output_file.empty() && !sink) {
        file_out.open(opts.output_file);
        if (!file_out) {
            std::cerr << "ktap: cannot write '" << opts.output_file << "'\n";
            return 1;
        }
        out = &file_out;
    }

    ktap::Session session(opts, std::cerr);
    if (sink && sink->is_json())
        session.diag().structured = [&sink](const ktap::DiagRecord &r) { sink->diagnostic(r); };
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
    const auto &program = session.elaborated();
    if (listing)
        return ktap::list_probe_points(program, opts, session.diag(), *sink);
    if (opts.last_pass == 3 || opts.last_pass == 4) {
        ktap::Limits limits;
        if (!ktap::read_limits(opts, limits, session.diag()))
            return 1;
        ktap::Layout layout = ktap::compute_layout(program, limits);
        ktap::Backend backend;
        ktap::BackendOptions bo;
        if (!opts.arch.empty())
            bo.arch = opts.arch;
        bo.without_target = true;  // no process here: target variables read as 0
        auto t3 = Clock::now();
        if (!backend.generate(program, layout, bo, session.diag())) {
            std::cerr << "Pass 3: translation failed.\n";
            return 1;
        }
        if (opts.verbose)
            std::cerr << "Pass 3: translated to LLVM IR in " << ms_since(t3) << " ms.\n";
        if (opts.last_pass == 3) {
            *out << backend.ir_text();
            return 0;
        }
        std::string object, error;
        auto t4 = Clock::now();
        if (!backend.emit_object(object, error)) {
            std::cerr << "ktap: " << error << "\nPass 4: compilation failed.\n";
            return 1;
        }
        *out << "object code for " << bo.arch << ": " << object.size() << " bytes, "
             << program.probes.size() << " probe handlers, " << program.functions.size()
             << " functions\n";
        if (opts.verbose)
            std::cerr << "Pass 4: compiled to " << object.size() << " bytes in " << ms_since(t4)
                      << " ms.\n";
        return 0;
    }
    run.timeout_seconds = timeout;
    run.sink = sink.get();
    if (opts.verbose)
        std::cerr << "Pass 5: starting run.\n";
    auto t5 = Clock::now();
    int status = ktap::run_session(program, opts, run, session.diag());
    if (opts.verbose)
        std::cerr << "Pass 5: run completed in " << ms_since(t5) << " ms.\n";
    return status;
}
