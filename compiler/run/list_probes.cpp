#include "list_probes.h"

#include "../symbols/symbols.h"
#include "site_plan.h"
#include "target_scopes.h"

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

} // namespace

int list_probe_points(const ElaboratedProgram &program, const Options &opts, Diagnostics &diag,
                      std::ostream &out) {
    std::set<std::string> lines;
    for (const auto &p : program.probes) {
        if (!p->info.has_site()) {
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
        std::string tail = function_suffixes(p->point);
        if (!opts.list_variables) {
            for (const auto &line : list_probe_points(sites))
                lines.insert(line + tail);
            continue;
        }
        // -L: each probe point with the `$name:type` of its variables, as stap -L.
        for (const auto &site : sites)
            for (const auto &line : list_probe_points({site}))
                lines.insert(line + tail + listed_variables(site, p->info.is_return));
    }
    for (const auto &line : lines)
        out << line << '\n';
    return 0;
}

} // namespace ktap
