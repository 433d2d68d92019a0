#include "list_probes.h"

#include "../symbols/symbols.h"
#include "site_plan.h"

#include <set>
#include <sstream>

namespace ktap {

namespace {

// The first word of a -c command: the program whose functions -l lists.
std::string command_program(const std::string &command) {
    std::istringstream in(command);
    std::string word;
    in >> word;
    return word;
}

// Suffixes after function("..."): .call, .return, .maxactive(N).
std::string suffixes(const ProbePoint &point) {
    std::string text;
    bool after = false;
    for (const auto &c : point.components) {
        if (c.name == "function") {
            after = true;
            continue;
        }
        if (!after)
            continue;
        text += "." + c.name;
        if (c.param)
            text += "(" + (c.param->is_string ? "\"" + c.param->text + "\""
                                              : std::to_string(c.param->number)) + ")";
    }
    return text;
}

} // namespace

int list_probe_points(const ElaboratedProgram &program, const Options &opts, Diagnostics &diag,
                      std::ostream &out) {
    std::set<std::string> lines;
    for (const auto &p : program.probes) {
        if (!p->info.runs_in_target()) {
            lines.insert(p->point.str());
            continue;
        }
        ModuleMap modules;
        std::string error;
        int64_t pid = p->info.process_pid ? p->info.process_pid : opts.target_pid;
        bool ok;
        if (pid && p->info.process.empty())
            ok = read_module_map(static_cast<int>(pid), modules, error);
        else if (!p->info.process.empty())
            ok = file_module_map(p->info.process, modules, error);
        else if (!opts.target_command.empty())
            ok = file_module_map(command_program(opts.target_command), modules, error);
        else {
            error = "listing function(\"...\") needs a process: -x PID, -c CMD or "
                    "process(\"PATH\")";
            ok = false;
        }
        if (!ok) {
            diag.error(p->point.loc, error);
            return 1;
        }
        std::vector<FunctionSite> sites;
        std::vector<std::string> warnings;
        if (!resolve_functions(modules, function_query(p->info), sites, error, &warnings)) {
            diag.error(p->point.loc, error);
            return 1;
        }
        std::string tail = suffixes(p->point);
        for (const auto &line : list_probe_points(sites))
            lines.insert(line + tail);
    }
    for (const auto &line : lines)
        out << line << '\n';
    return 0;
}

} // namespace ktap
