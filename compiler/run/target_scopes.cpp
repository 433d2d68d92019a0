#include "target_scopes.h"

#include <map>
#include <set>

namespace ktap {

namespace {

// What a probe reads of its function: the $names, and whole lists ($$parms...).
struct UsedVariables {
    std::set<std::string> names;
    bool parameters = false, locals = false, ret = false;
    bool any = false;  // any target expression, @cast, @var or @defined
};

void collect_used(const Expr &e, UsedVariables &u) {
    if (e.kind == ExprKind::AtOp &&
        (e.text == "@cast" || e.text == "@var" || e.text == "@defined"))
        u.any = true;
    if (e.kind == ExprKind::Target) {
        u.any = true;
        const std::string &t = e.text;
        if (t == "$$parms" || t == "$$vars")
            u.parameters = true;
        if (t == "$$locals" || t == "$$vars")
            u.locals = true;
        if (t == "$$return" || t == "$return")
            u.ret = true;
        if (t.rfind("$$", 0) != 0 && t != "$return")
            u.names.insert(t.substr(1));
    }
    for (const auto &a : e.args)
        if (a)
            collect_used(*a, u);
    for (const auto &step : e.chain)
        if (step.index)
            collect_used(*step.index, u);
    if (e.hist_index)
        collect_used(*e.hist_index, u);
}

void collect_used(const Stmt &s, UsedVariables &u) {
    for (const ExprPtr *e : {&s.expr, &s.init, &s.step, &s.source, &s.limit})
        if (*e)
            collect_used(**e, u);
    for (const auto &b : s.body)
        if (b)
            collect_used(*b, u);
}

std::string basename_of(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

struct ModuleRef {
    std::string path, soname;
    uint64_t bias = 0;
    std::string file; // module_file(): what ktap reads
};

// The scope of one function: its variables at entry and, for return probes, its return value.
TargetScope make_scope(const FunctionSite &site, bool is_return,
                       const std::vector<ModuleRef> &modules) {
    TargetScope s;
    s.function = site.name;
    s.module_path = site.module->path;
    s.bias = site.module->bias;
    s.pc = site.address - site.module->bias;
    s.has_return = is_return;
    s.other_module = [modules](const std::string &name,
                               std::shared_ptr<dwarf::DebugInfo> &info, uint64_t &bias,
                               std::string &error) {
        for (const auto &m : modules)
            if (m.path == name || basename_of(m.path) == name ||
                (!m.soname.empty() && m.soname == name)) {
                info = dwarf::DebugInfo::open(m.file, error);
                bias = m.bias;
                if (!info)
                    error = m.path + " has no DWARF: " + error;
                return info != nullptr;
            }
        error = "the target has no module '" + name + "'";
        return false;
    };
    std::string error;
    std::shared_ptr<dwarf::DebugInfo> info = dwarf::DebugInfo::open(module_file(*site.module), error);
    if (!info) {
        s.no_dwarf = error;
        return s;
    }
    const dwarf::Function *f = info->function_at(s.pc);
    if (!f) {
        s.no_dwarf = "DWARF describes no function at its entry";
        return s;
    }
    s.decl = f->decl_file + ":" + std::to_string(f->decl_line);
    if (!info->variables_at_entry(*f, s.parameters, s.locals, error)) {
        s.no_dwarf = error;
        return s;
    }
    if (is_return && !info->return_value(*f, s.ret, error)) {
        s.no_dwarf = error;
        return s;
    }
    s.info = info;
    return s;
}

// Everything of a scope the generated code for a probe depends on: the variables the probe
// reads (found or not), the return value, the module (for @cast/@var); not the names that
// only messages use.
std::string shape_of(const TargetScope &s, const UsedVariables &used) {
    std::string out;
    auto add = [&](uint64_t v) { out.append(reinterpret_cast<const char *>(&v), sizeof v); };
    auto var = [&](const dwarf::Variable &v) {
        out += v.name + '\0';
        add(reinterpret_cast<uintptr_t>(v.type));
        out += v.location.unavailable + '\0';
        add(v.location.pieces.size());
        for (const auto &p : v.location.pieces) {
            add(static_cast<uint64_t>(p.kind));
            add(p.bytes);
            add(static_cast<uint64_t>(p.reg));
            add(p.ops.size());
            for (const auto &op : p.ops) {
                add(static_cast<uint64_t>(op.op));
                add(static_cast<uint64_t>(op.reg));
                add(static_cast<uint64_t>(op.value));
                add(op.size);
            }
            out.append(p.data.begin(), p.data.end());
            out += '\0';
        }
    };
    add(reinterpret_cast<uintptr_t>(s.info.get()));
    add(s.bias);
    out += s.no_dwarf + '\0';
    if (used.parameters) {
        add(s.parameters.size());
        for (const auto &v : s.parameters)
            var(v);
    }
    if (used.locals) {
        add(s.locals.size());
        for (const auto &v : s.locals)
            var(v);
    }
    for (const std::string &name : used.names) {
        const dwarf::Variable *found = nullptr;
        for (const auto *list : {&s.parameters, &s.locals})
            for (const auto &v : *list)
                if (!found && v.name == name)
                    found = &v;
        out += found ? "+" : "-";
        if (found)
            var(*found);
    }
    add(s.has_return);
    if (s.has_return && used.ret)
        var(s.ret);
    return out;
}

UsedVariables used_by(const ResolvedProbe &probe) {
    UsedVariables u;
    if (probe.body)
        collect_used(*probe.body, u);
    if (probe.condition)
        collect_used(*probe.condition, u);
    return u;
}

} // namespace

void build_target_scopes(const ElaboratedProgram &program, std::vector<PlannedSite> &sites,
                         const std::list<ModuleMap> &maps, TargetScopes &scopes) {
    std::vector<ModuleRef> modules;
    for (const ModuleMap &map : maps)
        for (const Module &m : map.modules)
            modules.push_back({m.path, m.soname, m.bias, module_file(m)});
    scopes.assign(program.probes.size(), {});
    std::vector<UsedVariables> used;
    for (const auto &p : program.probes)
        used.push_back(used_by(*p));
    // Functions whose variables (those the probe reads) sit in the same places with the same
    // types compile to the same handler: one variant serves them all. Functions without DWARF
    // all have one shape per module.
    std::vector<std::map<std::string, size_t>> by_shape(program.probes.size());
    for (PlannedSite &site : sites) {
        if (is_ktap_hook(site.probe) || !used[site.probe].any)
            continue;
        TargetScope scope = make_scope(site.function, site.is_return, modules);
        auto [same, first] = by_shape[site.probe].insert(
            {shape_of(scope, used[site.probe]), scopes[site.probe].size()});
        if (first)
            scopes[site.probe].push_back(std::move(scope));
        site.variant = same->second;
    }
    // The last variant of each such probe serves libraries loaded later (late_variant).
    for (size_t i = 0; i < program.probes.size(); ++i) {
        if (!program.probes[i]->info.has_site() || !used[i].any)
            continue;
        TargetScope late;
        late.late = true;
        late.has_return = program.probes[i]->info.is_return;
        late.function = "a function";
        late.module_path = "a library loaded after the start";
        late.no_dwarf = "ktap read the DWARF of the modules present at the start only";
        scopes[i].push_back(std::move(late));
    }
}

size_t late_variant(const TargetScopes &scopes, size_t probe) {
    return probe < scopes.size() && !scopes[probe].empty() ? scopes[probe].size() - 1 : 0;
}

std::vector<ListedVariable> listed_variable_list(const FunctionSite &site, bool is_return) {
    std::vector<ListedVariable> out;
    std::string error;
    auto info = dwarf::DebugInfo::open(module_file(*site.module), error);
    if (!info)
        return out;
    const dwarf::Function *f = info->function_at(site.address - site.module->bias);
    if (!f)
        return out;
    std::vector<dwarf::Variable> params, locals;
    if (is_return) {
        dwarf::Variable ret;
        if (info->return_value(*f, ret, error) && ret.type)
            out.push_back({"$return", ret.type->name});
    }
    if (!info->variables_at_entry(*f, params, locals, error))
        return out;
    for (const auto *list : {&params, &locals})
        for (const auto &v : *list)
            if (!v.name.empty() && v.type)
                out.push_back({"$" + v.name, v.type->name});
    return out;
}

} // namespace ktap
