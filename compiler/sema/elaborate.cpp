// Pass 2, first half: which files take part (tapsets pulled in on demand, §2.1 of the
// reference), what every probe point expands to (aliases), and which functions exist.
#include "sema/elaborate_internal.h"

#include <algorithm>
#include <fnmatch.h>

namespace ktap {

namespace {

constexpr int kMaxAliasDepth = 32;

bool same_literal(const std::optional<Literal> &a, const std::optional<Literal> &b) {
    if (!a || !b)
        return !a && !b;
    return a->is_string == b->is_string && a->number == b->number && a->text == b->text;
}

bool glob_match(const std::string &pattern, const std::string &name) {
    return fnmatch(pattern.c_str(), name.c_str(), 0) == 0;
}

} // namespace

GlobalDecl *Elaborator::find_global(const std::string &name, const SourceFile *from) {
    if (auto it = private_globals_.find({from, name}); it != private_globals_.end())
        return it->second;
    if (auto it = public_globals_.find(name); it != public_globals_.end())
        return it->second;
    if (pull_tapset_defining('g', name))
        return find_global(name, from);
    return nullptr;
}

std::vector<FunctionDecl *> Elaborator::find_functions(const std::string &name,
                                                       const SourceFile *from) {
    std::vector<FunctionDecl *> out;
    if (auto it = private_functions_.find({from, name}); it != private_functions_.end())
        out = it->second;
    if (auto it = public_functions_.find(name); it != public_functions_.end())
        out.insert(out.end(), it->second.begin(), it->second.end());
    if (out.empty() && pull_tapset_defining('f', name))
        return find_functions(name, from);
    // `next` walks overloads by priority (script 0, tapset 1 unless given), then by order.
    std::stable_sort(out.begin(), out.end(), [&](FunctionDecl *a, FunctionDecl *b) {
        if (a->priority != b->priority)
            return a->priority < b->priority;
        return function_order_[a] < function_order_[b];
    });
    return out;
}

void Elaborator::use_function(FunctionDecl *f) {
    if (used_set_.insert(f).second) {
        f->used = true;
        used_functions_.push_back(f);
    }
}

bool Elaborator::pull_tapset_defining(char kind, const std::string &name) {
    for (Program *t : tapset_pool_) {
        if (pulled_set_.count(t))
            continue;
        bool defines = false;
        if (kind == 'g') {
            for (const auto &g : t->globals)
                defines |= !g->is_private && g->name == name;
        } else if (kind == 'f') {
            for (const auto &f : t->functions)
                defines |= !f->is_private && f->name == name;
        } else {
            for (const auto &a : t->aliases)
                for (const auto &n : a->names)
                    defines |= !n.components.empty() &&
                               glob_match(name, n.components[0].name);
        }
        if (defines) {
            pull(*t, true);
            return true;
        }
    }
    return false;
}

void Elaborator::pull(Program &p, bool is_tapset) {
    if (!pulled_set_.insert(&p).second)
        return;
    pulled_.push_back(&p);
    out_.files.push_back(&p);
    for (auto &g : p.globals) {
        g->from_tapset = is_tapset;
        GlobalDecl *prev = nullptr;
        if (g->is_private) {
            auto &slot = private_globals_[{p.file, g->name}];
            prev = slot;
            if (!slot)
                slot = g.get();
        } else {
            auto &slot = public_globals_[g->name];
            prev = slot;
            if (!slot)
                slot = g.get();
        }
        if (prev) {
            // Point at the script's own declaration: that is the one the user can rename.
            bool prev_is_script = !prev->from_tapset;
            const GlobalDecl &here = prev_is_script && is_tapset ? *prev : *g;
            const GlobalDecl &other = prev_is_script && is_tapset ? *g : *prev;
            diag_.error(here.loc, "global '" + g->name + "' is already declared" +
                                      (is_tapset ? " by a tapset" : ""),
                        {{other.loc, "the other declaration"}});
        }
    }
    for (auto &f : p.functions) {
        f->from_tapset = is_tapset;
        if (is_tapset && !f->priority_given)
            f->priority = 1;
        function_file_[f.get()] = p.file;
        function_order_[f.get()] = function_order_.size();
        if (f->is_private)
            private_functions_[{p.file, f->name}].push_back(f.get());
        else
            public_functions_[f->name].push_back(f.get());
    }
    for (auto &a : p.aliases)
        aliases_.push_back(a.get());
}

// How many components of `point` the alias name matches from the start (the rest is a suffix
// such as `.return`), or -1. `*` globs within one component; a component containing `**`
// matches a run of one or more components (`foo.**`).
static int match_components(const std::vector<PPComponent> &point, size_t i,
                            const std::vector<PPComponent> &name, size_t j) {
    if (j == name.size())
        return static_cast<int>(i);
    if (i == point.size())
        return -1;
    const auto &want = point[i];
    if (want.name.find("**") != std::string::npos) {
        std::string joined;
        for (size_t k = j; k < name.size(); ++k) {
            if (name[k].param)
                break;
            joined += (k > j ? "." : "") + name[k].name;
            if (glob_match(want.name, joined) && !want.param) {
                int rest = match_components(point, i + 1, name, k + 1);
                if (rest >= 0)
                    return rest;
            }
        }
        return -1;
    }
    const auto &have = name[j];
    if (!glob_match(want.name, have.name) || !same_literal(want.param, have.param))
        return -1;
    return match_components(point, i + 1, name, j + 1);
}

int Elaborator::alias_matches(const ProbePoint &name, const ProbePoint &point) const {
    return match_components(point.components, 0, name.components, 0);
}

void Elaborator::resolve_point(const ProbePoint &point, const std::string &written, StmtPtr body,
                               std::vector<const Expr *> conditions, const ProbeDecl &decl,
                               int depth, int &produced) {
    if (depth > kMaxAliasDepth) {
        diag_.error(point.loc, "probe alias expansion of '" + written +
                                   "' nests too deeply (a recursive alias?)");
        return;
    }
    if (point.condition)
        conditions.push_back(point.condition.get());

    // Aliases first: any alias whose name is a prefix of the point (the rest is a suffix such
    // as `.return` that is appended to every expansion).
    if (!point.components.empty() && !is_kernel_probe_point(point))
        while (pull_tapset_defining('a', point.components[0].name)) {
        }
    bool matched_alias = false;
    // aliases_ may grow while expanding (tapsets pulled by nested aliases): index, not iterate.
    for (size_t ai = 0; ai < aliases_.size(); ++ai) {
        const AliasDecl *alias = aliases_[ai];
        for (const auto &name : alias->names) {
            int consumed = alias_matches(name, point);
            if (consumed < 0)
                continue;
            matched_alias = true;
            for (const auto &target : alias->targets) {
                ProbePoint expanded = clone(target);
                expanded.optional = expanded.optional || point.optional;
                for (size_t i = consumed; i < point.components.size(); ++i)
                    expanded.components.push_back(point.components[i]);
                auto block = std::make_unique<Stmt>(StmtKind::Block, body->loc);
                if (alias->prologue)
                    block->body.push_back(clone(*alias->prologue));
                block->body.push_back(clone(*body));
                if (alias->epilogue)
                    block->body.push_back(clone(*alias->epilogue));
                resolve_point(expanded, written, std::move(block), conditions, decl, depth + 1,
                              produced);
            }
        }
    }
    if (matched_alias)
        return;

    ProbeInfo info;
    std::string error;
    SourceLoc error_loc;
    if (!classify_probe_point(point, info, error, error_loc)) {
        if (!point.optional)
            diag_.error(error_loc.valid() ? error_loc : point.loc, error, {},
                        depth > 0 ? "while expanding probe point '" + written + "'"
                                  : std::string());
        return;
    }
    auto rp = std::make_unique<ResolvedProbe>();
    rp->point = clone(point);
    rp->point.condition.reset();
    rp->written = written;
    rp->info = info;
    rp->body = std::move(body);
    rp->file = decl.loc.file;
    rp->loc = decl.loc;
    for (const Expr *c : conditions) {
        ExprPtr cond = clone(*c);
        if (!rp->condition) {
            rp->condition = std::move(cond);
        } else {
            auto both = std::make_unique<Expr>(ExprKind::Binary, c->loc);
            both->op = "&&";
            both->args.push_back(std::move(rp->condition));
            both->args.push_back(std::move(cond));
            rp->condition = std::move(both);
        }
    }
    out_.probes.push_back(std::move(rp));
    ++produced;
}

void Elaborator::expand_probes(Program &p) {
    for (auto &decl : p.probes) {
        for (const auto &point : decl->points) {
            int produced = 0;
            resolve_point(point, point.str(), clone(*decl->body), {}, *decl, 0, produced);
            // `!` (sufficient): once it resolves, the remaining alternatives are not tried.
            if (point.sufficient && produced > 0)
                break;
        }
    }
}

void Elaborator::apply_global_sets() {
    for (const auto &[name, value] : opts_.global_sets) {
        auto it = public_globals_.find(name);
        GlobalDecl *g = it == public_globals_.end() ? nullptr : it->second;
        if (!g || g->from_tapset) {
            diag_.error("-G " + name + "=" + value + ": the script has no global named '" +
                        name + "'");
            continue;
        }
        Literal lit;
        char *end = nullptr;
        long long n = std::strtoll(value.c_str(), &end, 0);
        if (!value.empty() && end && *end == '\0') {
            lit.number = n;
        } else {
            lit.is_string = true;
            lit.text = value;
        }
        if (g->init && g->init->is_string != lit.is_string) {
            diag_.error("-G " + name + "=" + value + ": global '" + name + "' is a " +
                        (g->init->is_string ? "string" : "number"));
            continue;
        }
        g->init = lit;
    }
}

bool Elaborator::run(Program &user, std::vector<std::unique_ptr<Program>> &tapsets) {
    for (auto &t : tapsets)
        tapset_pool_.push_back(t.get());
    pull(user, false);
    apply_global_sets();
    // Pulled tapsets may hold probes too; pulled_ grows while this loop runs.
    for (size_t i = 0; i < pulled_.size(); ++i)
        expand_probes(*pulled_[i]);
    if (out_.probes.empty() && diag_.errors() == 0)
        diag_.error(SourceLoc{user.file, 1, 1, 1}, "the script has no probes", {},
                    "a script needs at least one 'probe POINT { ... }'");
    if (diag_.errors())
        return false;
    // -u keeps (and so checks) script functions nothing calls.
    if (opts_.unoptimized)
        for (auto &f : user.functions)
            use_function(f.get());
    if (!typecheck(*this, out_, opts_, diag_, used_functions_, function_file_))
        return false;
    finish();
    return diag_.errors() == 0;
}

void Elaborator::finish() {
    // Globals of every pulled file that the program uses, in declaration order; unused script
    // globals are elided with a warning unless -u, as stap does.
    for (const Program *p : pulled_) {
        for (const auto &g : p->globals) {
            bool used = g->is_read || g->is_written;
            if (!used && !opts_.unoptimized) {
                if (!g->from_tapset)
                    diag_.warning(g->loc, "eliding unused variable '" + g->name + "'");
                continue;
            }
            if (!used && g->from_tapset)
                continue;
            out_.globals.push_back(g.get());
        }
    }
    for (const Program *p : pulled_) {
        for (const auto &f : p->functions) {
            if (f->used)
                out_.functions.push_back(f.get());
            else if (!f->from_tapset)
                diag_.warning(f->loc, "eliding unused function '" + f->name + "'");
        }
    }
}

bool elaborate(Program &user, std::vector<std::unique_ptr<Program>> &tapsets,
               const Options &opts, Diagnostics &diag, ElaboratedProgram &out) {
    Elaborator e(opts, diag, out);
    return e.run(user, tapsets);
}

} // namespace ktap
