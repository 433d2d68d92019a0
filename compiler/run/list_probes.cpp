#include "list_probes.h"

#include "../symbols/symbols.h"
#include "site_plan.h"
#include "target_scopes.h"

#include <map>
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
                      OutputSink &out) {
    // Sorted by the text stap prints; the JSON events carry the same points in that order.
    std::map<std::string, nlohmann::ordered_json> lines;
    auto add = [&](const std::string &name, const std::vector<ListedVariable> *vars) {
        std::string line = name;
        nlohmann::ordered_json e = {{"type", "probe_point"}, {"name", name}};
        if (vars) {
            nlohmann::ordered_json list = nlohmann::ordered_json::array();
            for (const auto &v : *vars) {
                line += " " + v.name + ":" + v.type;
                list.push_back({{"name", v.name}, {"type", v.type}});
            }
            e["variables"] = list;
        }
        lines.emplace(line, e);
    };
    for (const auto &p : program.probes) {
        if (!p->info.has_site()) {
            add(p->point.str(), nullptr);
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
                add(line + tail, nullptr);
            continue;
        }
        // -L: each probe point with the `$name:type` of its variables, as stap -L.
        for (const auto &site : sites) {
            auto vars = listed_variable_list(site, p->info.is_return);
            for (const auto &line : list_probe_points({site}))
                add(line + tail, &vars);
        }
    }
    for (const auto &[line, event] : lines)
        out.text_or_event(false, line + "\n", event);
    return 0;
}

} // namespace ktap
