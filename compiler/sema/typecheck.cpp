// Pass 2, second half: type inference to a fixed point over long / string / statistics and
// arrays, then one final walk that reports every semantic error (types, arity, misuse of
// statistics, @entry outside .return, `return` outside functions, foreach modification...).
#include "sema/elaborate_internal.h"
#include "sema/format.h"

#include "kt_lang.h"

namespace ktap {

namespace {

constexpr int kMaxIterations = 64;
constexpr int kMaxArrayKeys = 9;

struct Ctx {
    Scope *scope = nullptr;
    ResolvedProbe *probe = nullptr;  // null inside functions
    FunctionDecl *fn = nullptr;      // null inside probes
    const SourceFile *file = nullptr;
    int loops = 0;
    std::vector<std::pair<GlobalDecl *, SourceLoc>> foreach_arrays;
    bool in_condition = false;
    bool in_entry = false;  // inside @entry(...)
};

std::string quoted(const std::string &s) { return "'" + s + "'"; }

} // namespace

class TypeChecker {
  public:
    TypeChecker(Elaborator &elab, ElaboratedProgram &out, const Options &opts, Diagnostics &diag,
                std::vector<FunctionDecl *> &used,
                const std::map<const FunctionDecl *, const SourceFile *> &function_file)
        : elab_(elab), out_(out), opts_(opts), diag_(diag), used_(used),
          function_file_(function_file) {}

    bool run();

  private:
    void walk_all();
    void walk_probe(ResolvedProbe &p);
    void walk_function(FunctionDecl &f);
    void stmt(Stmt &s, Ctx &c);
    void foreach_stmt(Stmt &s, Ctx &c);
    Type walk(Expr &e, Ctx &c, Type want = Type::Unknown);
    Type compute(Expr &e, Ctx &c);
    void push(Expr &e, Ctx &c, Type t);
    Type lvalue(Expr &e, Ctx &c);
    void mark_read(Expr &e, Ctx &c);
    Type call(Expr &e, Ctx &c);
    Type builtin_call(Expr &e, Ctx &c, const Builtin &b);
    Type print_arg(Expr &e, Ctx &c, bool histograms_ok);
    Type at_op(Expr &e, Ctx &c);
    Type histogram(Expr &e, Ctx &c);
    Type target(Expr &e, Ctx &c);
    Type index_keys(GlobalDecl &g, Expr &e, Ctx &c, bool wildcards_ok);
    Type binary(Expr &e, Ctx &c);
    GlobalDecl *global_array(Expr &e, Ctx &c, const std::string &name, SourceLoc at, size_t n);

    LocalVar *local(const std::string &name, Ctx &c, SourceLoc at, bool create);
    void set_type(Type &slot, SourceLoc &slot_loc, Type t, SourceLoc at, const std::string &what);
    void set_arity(GlobalDecl &g, int n, SourceLoc at);
    void check_write(GlobalDecl &g, SourceLoc at, Ctx &c);
    void mismatch(const Expr &e, Ctx &c, Type want, Type found);
    std::vector<DiagNote> symbol_note(const Expr &e, Ctx &c);
    // Two sides that must agree (assignment, ternary branches): infers the unknown one from the
    // known one, or reports a mismatch at `b` with a note on where `a` got its type.
    Type agree(Expr &a, Type at, Expr &b, Type bt, Ctx &c);

    void error(const SourceLoc &at, const std::string &msg, const std::vector<DiagNote> &notes = {},
               const std::string &hint = {}) {
        if (final_)
            diag_.error(at, msg, notes, hint);
    }
    void warning(const SourceLoc &at, const std::string &msg) {
        if (final_)
            diag_.warning(at, msg);
    }
    void compute_write_closure();
    void report_unresolved();

    Elaborator &elab_;
    ElaboratedProgram &out_;
    const Options &opts_;
    Diagnostics &diag_;
    std::vector<FunctionDecl *> &used_;
    const std::map<const FunctionDecl *, const SourceFile *> &function_file_;

    bool final_ = false;
    bool changed_ = false;
    std::map<const FunctionDecl *, Scope> fn_scopes_;
    std::map<const ResolvedProbe *, Scope> probe_scopes_;
    std::map<const FunctionDecl *, std::set<GlobalDecl *>> writes_, closure_;
    std::map<const FunctionDecl *, std::set<FunctionDecl *>> calls_;
    std::map<const FunctionDecl *, bool> returns_value_;
    // The first target expression each function uses, directly or through its callees.
    std::map<const FunctionDecl *, const Expr *> fn_targets_, target_closure_;
    std::map<const GlobalDecl *, std::vector<SourceLoc>> key_locs_;
    std::map<const GlobalDecl *, std::pair<std::string, const Expr *>> histograms_;
};

// ---------------------------------------------------------------------------------------------
// Symbols

LocalVar *TypeChecker::local(const std::string &name, Ctx &c, SourceLoc at, bool create) {
    auto it = c.scope->vars.find(name);
    if (it != c.scope->vars.end())
        return &it->second;
    if (!create)
        return nullptr;
    LocalVar v;
    v.name = name;
    v.first_use = at;
    c.scope->order.push_back(name);
    changed_ = true;
    return &c.scope->vars.emplace(name, v).first->second;
}

void TypeChecker::set_type(Type &slot, SourceLoc &slot_loc, Type t, SourceLoc at,
                           const std::string &what) {
    if (t == Type::Unknown || t == Type::Void)
        return;
    if (slot == Type::Unknown) {
        slot = t;
        slot_loc = at;
        changed_ = true;
    } else if (slot != t) {
        error(at, "type mismatch for " + what + ": expected " + type_name(slot) + ", found " +
                      type_name(t),
              {{slot_loc, what + " was inferred to be " + type_name(slot) + " here"}});
    }
}

void TypeChecker::set_arity(GlobalDecl &g, int n, SourceLoc at) {
    if (n > kMaxArrayKeys) {
        error(at, "array '" + g.name + "' is used with " + std::to_string(n) +
                      " keys; at most 9 are supported");
        return;
    }
    if (g.arity == -1 && g.declared_array && n == 0) {
        error(at, "'" + g.name + "' is declared as an array but used as a scalar",
              {{g.loc, "declared here"}}, "index it: " + g.name + "[key]");
        return;
    }
    if (g.arity == -1) {
        if (g.init && n > 0) {
            error(at, "'" + g.name + "' has an initial value, so it is a scalar, not an array",
                  {{g.loc, "declared here"}});
            return;
        }
        g.arity = n;
        g.arity_loc = at;
        g.key_types.assign(n, Type::Unknown);
        key_locs_[&g].assign(n, SourceLoc{});
        changed_ = true;
        return;
    }
    if (g.arity == n)
        return;
    if (g.arity == 0)
        error(at, "'" + g.name + "' is a scalar but is used here as an array",
              {{g.arity_loc, "used as a scalar here"}});
    else if (n == 0)
        error(at, "'" + g.name + "' is an array but is used here as a scalar",
              {{g.arity_loc, "used as an array here"}}, "index it: " + g.name + "[key]");
    else
        error(at, "inconsistent arity for array '" + g.name + "': " + std::to_string(n) +
                      " key(s) here, " + std::to_string(g.arity) + " before",
              {{g.arity_loc, "first used with " + std::to_string(g.arity) + " key(s) here"}});
}

void TypeChecker::check_write(GlobalDecl &g, SourceLoc at, Ctx &c) {
    g.is_written = true;
    if (c.fn)
        writes_[c.fn].insert(&g);
    for (const auto &[arr, loc] : c.foreach_arrays)
        if (arr == &g)
            error(at, "variable '" + g.name + "' modified during 'foreach' iteration",
                  {{loc, "the foreach over '" + g.name + "' is here"}});
}

std::vector<DiagNote> TypeChecker::symbol_note(const Expr &e, Ctx &c) {
    std::vector<DiagNote> notes;
    if (e.kind == ExprKind::Var || e.kind == ExprKind::Index) {
        if (LocalVar *l = e.kind == ExprKind::Var ? local(e.text, c, e.loc, false) : nullptr) {
            if (l->type_loc.valid())
                notes.push_back({l->type_loc, "'" + e.text + "' was inferred to be " +
                                                  type_name(l->type) + " here"});
        } else if (GlobalDecl *g = elab_.find_global(e.text, c.file)) {
            if (g->type_loc.valid())
                notes.push_back({g->type_loc, "'" + e.text + "' was inferred to be " +
                                                  type_name(g->type) + " here"});
        }
    } else if (e.kind == ExprKind::Call) {
        for (FunctionDecl *f : elab_.find_functions(e.text, c.file))
            if (f->params.size() == e.args.size() && f->ret_loc.valid()) {
                notes.push_back({f->ret_loc, "the return type of '" + f->name +
                                                 "' was inferred to be " + type_name(f->ret) +
                                                 " here"});
                break;
            }
    }
    return notes;
}

void TypeChecker::mismatch(const Expr &e, Ctx &c, Type want, Type found) {
    if (found == Type::Void) {
        error(e.loc, quoted(e.text) + " returns no value, but a " + type_name(want) +
                         " is needed here");
        return;
    }
    if (found == Type::Stats) {
        error(e.loc, "statistics " + quoted(e.text) + " cannot be used as a value",
              {}, "read it with @count, @sum, @min, @max, @avg, @variance, @hist_log or "
                  "@hist_linear");
        return;
    }
    if (want == Type::Stats) {
        error(e.loc, "expected statistics (a global that receives values with '<<<'), found " +
                         std::string(type_name(found)));
        return;
    }
    std::vector<DiagNote> notes = symbol_note(e, c);
    error(e.loc, std::string("type mismatch: expected ") + type_name(want) + ", found " +
                     type_name(found),
          notes);
}

// ---------------------------------------------------------------------------------------------
// Expressions

Type TypeChecker::walk(Expr &e, Ctx &c, Type want) {
    Type t = compute(e, c);
    if (want != Type::Unknown) {
        if (t == Type::Unknown) {
            push(e, c, want);
            t = want;
        } else if (t != want) {
            mismatch(e, c, want, t);
        }
    }
    e.type = t;
    return t;
}

// Propagates a type expected by the context into the symbols an expression reads.
void TypeChecker::push(Expr &e, Ctx &c, Type t) {
    switch (e.kind) {
    case ExprKind::Var:
        if (LocalVar *l = local(e.text, c, e.loc, false))
            set_type(l->type, l->type_loc, t, e.loc, quoted(e.text));
        else if (GlobalDecl *g = elab_.find_global(e.text, c.file))
            set_type(g->type, g->type_loc, t, e.loc, quoted(g->name));
        break;
    case ExprKind::Index:
        if (GlobalDecl *g = elab_.find_global(e.text, c.file))
            set_type(g->type, g->type_loc, t, e.loc, quoted(g->name));
        break;
    case ExprKind::Call:
        if (!find_builtin(e.text))
            for (FunctionDecl *f : elab_.find_functions(e.text, c.file))
                if (f->params.size() == e.args.size() && !f->ret_declared)
                    set_type(f->ret, f->ret_loc, t, e.loc,
                             "the return value of " + quoted(f->name));
        break;
    case ExprKind::Ternary:
        push(*e.args[1], c, t);
        push(*e.args[2], c, t);
        break;
    case ExprKind::Assign:
        if (e.op == "=") {
            push(*e.args[0], c, t);
            push(*e.args[1], c, t);
        }
        break;
    case ExprKind::AtOp:
        if (e.text == "@entry" && !e.args.empty())
            push(*e.args[0], c, t);
        break;
    default:
        break;
    }
}

GlobalDecl *TypeChecker::global_array(Expr &e, Ctx &c, const std::string &name, SourceLoc at,
                                      size_t n) {
    if (local(name, c, at, false) || !elab_.find_global(name, c.file)) {
        error(at, "unresolved arity-" + std::to_string(n) + " global array '" + name +
                      "', missing global declaration?",
              {}, "arrays and statistics must be declared: global " + name);
        return nullptr;
    }
    (void)e;
    return elab_.find_global(name, c.file);
}

Type TypeChecker::index_keys(GlobalDecl &g, Expr &e, Ctx &c, bool wildcards_ok) {
    set_arity(g, static_cast<int>(e.args.size()), e.loc);
    if (g.arity != static_cast<int>(e.args.size()))
        return g.type;
    auto &locs = key_locs_[&g];
    for (size_t i = 0; i < e.args.size(); ++i) {
        Expr &k = *e.args[i];
        if (k.kind == ExprKind::Wildcard) {
            if (!wildcards_ok)
                error(k.loc, "'*' as an array key is only allowed in delete, 'in' and foreach "
                             "slices");
            continue;
        }
        Type kt = walk(k, c);
        if (kt == Type::Stats)
            error(k.loc, "statistics cannot be array keys");
        else if (kt == Type::Void)
            mismatch(k, c, Type::Long, kt);
        else if (kt == Type::Unknown && g.key_types[i] != Type::Unknown)
            push(k, c, g.key_types[i]);
        else
            set_type(g.key_types[i], locs[i], kt, k.loc,
                     "key " + std::to_string(i + 1) + " of '" + g.name + "'");
    }
    return g.type;
}

void TypeChecker::mark_read(Expr &e, Ctx &c) {
    if (e.kind != ExprKind::Var && e.kind != ExprKind::Index)
        return;
    if (LocalVar *l = e.kind == ExprKind::Var ? local(e.text, c, e.loc, false) : nullptr)
        l->read = true;
    else if (GlobalDecl *g = elab_.find_global(e.text, c.file))
        g->is_read = true;
}

Type TypeChecker::lvalue(Expr &e, Ctx &c) {
    switch (e.kind) {
    case ExprKind::Var: {
        if (c.in_condition) {
            error(e.loc, "probe conditions cannot assign variables");
            return Type::Unknown;
        }
        if (LocalVar *l = local(e.text, c, e.loc, false)) {
            l->written = true;
            return l->type;
        }
        if (GlobalDecl *g = elab_.find_global(e.text, c.file)) {
            set_arity(*g, 0, e.loc);
            check_write(*g, e.loc, c);
            return g->type;
        }
        LocalVar *l = local(e.text, c, e.loc, true);
        l->written = true;
        return l->type;
    }
    case ExprKind::Index: {
        GlobalDecl *g = global_array(e, c, e.text, e.loc, e.args.size());
        if (!g)
            return Type::Unknown;
        check_write(*g, e.loc, c);
        return index_keys(*g, e, c, false);
    }
    case ExprKind::Target:
    case ExprKind::AtOp:
        error(e.loc, "target variables are read-only in ktap (there is no guru mode)");
        return Type::Unknown;
    default:
        error(e.loc, "cannot assign to this expression: expected a variable or array element");
        return Type::Unknown;
    }
}

Type TypeChecker::compute(Expr &e, Ctx &c) {
    switch (e.kind) {
    case ExprKind::Number:
        return Type::Long;
    case ExprKind::String:
        return Type::String;
    case ExprKind::Wildcard:
        error(e.loc, "'*' is only allowed as an array key in delete, 'in' and foreach slices");
        return Type::Unknown;
    case ExprKind::Var: {
        if (LocalVar *l = local(e.text, c, e.loc, false)) {
            l->read = true;
            if (c.in_condition && !l->is_param)
                error(e.loc, "probe conditions may only use global variables; '" + e.text +
                                 "' is not a global");
            return l->type;
        }
        if (GlobalDecl *g = elab_.find_global(e.text, c.file)) {
            set_arity(*g, 0, e.loc);
            g->is_read = true;
            return g->type;
        }
        if (c.in_condition) {
            error(e.loc, "probe conditions may only use global variables; '" + e.text +
                             "' is not a global");
            return Type::Unknown;
        }
        LocalVar *l = local(e.text, c, e.loc, true);
        l->read = true;
        return l->type;
    }
    case ExprKind::Index: {
        GlobalDecl *g = global_array(e, c, e.text, e.loc, e.args.size());
        if (!g)
            return Type::Unknown;
        g->is_read = true;
        return index_keys(*g, e, c, false);
    }
    case ExprKind::Call:
        return call(e, c);
    case ExprKind::Unary:
        if (e.op == "&") {
            Expr &a = *e.args[0];
            bool ok = a.kind == ExprKind::Target ||
                      (a.kind == ExprKind::AtOp && (a.text == "@cast" || a.text == "@var"));
            if (!ok)
                error(e.loc, "'&' applies only to target expressions ($var, @cast, @var)");
            else
                walk(a, c);
            return Type::Long;
        }
        walk(*e.args[0], c, Type::Long);
        return Type::Long;
    case ExprKind::Binary:
        return binary(e, c);
    case ExprKind::Ternary: {
        walk(*e.args[0], c, Type::Long);
        Type a = walk(*e.args[1], c);
        Type b = walk(*e.args[2], c);
        for (auto [arm, t] : {std::pair{e.args[1].get(), a}, std::pair{e.args[2].get(), b}})
            if (t == Type::Stats || t == Type::Void) {
                mismatch(*arm, c, Type::Long, t);
                return Type::Unknown;
            }
        return agree(*e.args[1], a, *e.args[2], b, c);
    }
    case ExprKind::Assign: {
        Expr &lhs = *e.args[0];
        Expr &rhs = *e.args[1];
        if (e.op == "<<<") {
            bool global_target = (lhs.kind == ExprKind::Var || lhs.kind == ExprKind::Index) &&
                                 !local(lhs.text, c, lhs.loc, false) &&
                                 elab_.find_global(lhs.text, c.file);
            if (!global_target) {
                error(lhs.loc, "'<<<' needs a global variable: statistics are global only",
                      {}, lhs.kind == ExprKind::Var || lhs.kind == ExprKind::Index
                              ? "declare it: global " + lhs.text
                              : std::string());
                walk(rhs, c, Type::Long);
                return Type::Long;
            }
            Type lt = lvalue(lhs, c);
            if (lt == Type::Unknown)
                push(lhs, c, Type::Stats);
            else if (lt != Type::Stats)
                error(lhs.loc, "'<<<' needs statistics, but '" + lhs.text + "' is " +
                                   type_name(lt));
            walk(rhs, c, Type::Long);
            return Type::Long;
        }
        Type lt = lvalue(lhs, c);
        if (lt == Type::Stats) {
            error(e.loc, "cannot assign to statistics '" + lhs.text + "'; add values with '<<<'");
            walk(rhs, c);
            return Type::Unknown;
        }
        if (e.op == "=") {
            Type rt = walk(rhs, c);
            if (rt == Type::Stats || rt == Type::Void) {
                mismatch(rhs, c, Type::Long, rt);
                return Type::Unknown;
            }
            Type t = agree(lhs, lt, rhs, rt, c);
            lhs.type = t;
            return t;
        }
        Type want = e.op == ".=" ? Type::String : Type::Long;
        mark_read(lhs, c);  // x += y reads x too
        if (lt == Type::Unknown)
            push(lhs, c, want);
        else if (lt != want)
            mismatch(lhs, c, want, lt);
        walk(rhs, c, want);
        return want;
    }
    case ExprKind::IncDec: {
        Type t = lvalue(*e.args[0], c);
        mark_read(*e.args[0], c);  // x++ reads x too
        if (t == Type::Unknown)
            push(*e.args[0], c, Type::Long);
        else if (t != Type::Long)
            mismatch(*e.args[0], c, Type::Long, t);
        return Type::Long;
    }
    case ExprKind::In: {
        GlobalDecl *g = global_array(e, c, e.text, e.loc, e.args.size());
        if (g) {
            g->is_read = true;
            index_keys(*g, e, c, true);
        }
        return Type::Long;
    }
    case ExprKind::Target:
        return target(e, c);
    case ExprKind::AtOp:
        return at_op(e, c);
    case ExprKind::Histogram:
        return histogram(e, c);
    }
    return Type::Unknown;
}

Type TypeChecker::agree(Expr &a, Type at, Expr &b, Type bt, Ctx &c) {
    if (at == Type::Unknown && bt != Type::Unknown) {
        push(a, c, bt);
        return bt;
    }
    if (bt == Type::Unknown && at != Type::Unknown) {
        push(b, c, at);
        return at;
    }
    if (at != bt) {
        std::vector<DiagNote> notes = symbol_note(a, c);
        if (notes.empty())
            notes.push_back({a.loc, "this is " + std::string(type_name(at))});
        error(b.loc, std::string("type mismatch: expected ") + type_name(at) + ", found " +
                         type_name(bt),
              notes);
    }
    return at;
}

Type TypeChecker::binary(Expr &e, Ctx &c) {
    const std::string &op = e.op;
    Expr &l = *e.args[0];
    Expr &r = *e.args[1];
    if (op == ".") {
        walk(l, c, Type::String);
        walk(r, c, Type::String);
        return Type::String;
    }
    if (op == "=~" || op == "!~") {
        walk(l, c, Type::String);
        if (r.kind != ExprKind::String) {
            error(r.loc, "the right side of '" + op + "' must be a string literal (a regular "
                                                      "expression)");
            walk(r, c);
            return Type::Long;
        }
        r.type = Type::String;
        // The runtime's own compiler validates: what passes here is what runs.
        char message[256];
        if (kt_regex_compile(r.text.c_str(), nullptr, 0, message, sizeof message) == 0)
            error(r.loc, "invalid regular expression: " + std::string(message));
        return Type::Long;
    }
    static const std::set<std::string> comparisons = {"<", ">", "<=", ">=", "==", "!="};
    if (comparisons.count(op)) {
        Type lt = walk(l, c);
        Type rt = walk(r, c, lt == Type::Stats ? Type::Unknown : lt);
        if (lt == Type::Unknown && rt != Type::Unknown && rt != Type::Stats)
            lt = walk(l, c, rt);
        if (lt == Type::Stats)
            mismatch(l, c, Type::Long, lt);
        else if (rt == Type::Stats)
            mismatch(r, c, Type::Long, rt);
        else if (lt == Type::Void || rt == Type::Void)
            mismatch(lt == Type::Void ? l : r, c, Type::Long, Type::Void);
        return Type::Long;
    }
    walk(l, c, Type::Long);
    walk(r, c, Type::Long);
    return Type::Long;
}

Type TypeChecker::target(Expr &e, Ctx &c) {
    for (auto &step : e.chain)
        if (step.is_index && step.index)
            walk(*step.index, c, Type::Long);
    if (c.fn && !fn_targets_.count(c.fn))
        fn_targets_[c.fn] = &e;
    if (c.probe && !c.probe->info.has_site()) {
        error(e.loc, "target variable '" + e.text + "' is not available in '" +
                         c.probe->point.str() + "' probes: there is no probed function there",
              {}, "guard it with @defined(" + e.text + ") in code shared with other probes");
        return Type::Long;
    }
    if (c.in_condition) {
        error(e.loc, "probe conditions may only use global variables");
        return Type::Long;
    }
    bool is_return_var = e.text == "$return" || e.text == "$$return";
    if (is_return_var && c.probe && !c.probe->info.is_return)
        error(e.loc, "'" + e.text + "' is only available in .return probes");
    // In a return probe a parameter is its value at entry; stap warns unless @entry says so.
    if (!is_return_var && c.probe && c.probe->info.is_return && !c.in_entry)
        warning(e.loc, "confusing usage, consider @entry(" + e.text + ") in .return probe");
    bool whole = e.text.rfind("$$", 0) == 0;
    if (whole && !e.chain.empty())
        error(e.chain[0].loc, "'" + e.text + "' is a string; '->' and '[...]' do not apply");
    if (whole || !e.pretty.empty())
        return Type::String;
    return Type::Long;
}

Type TypeChecker::at_op(Expr &e, Ctx &c) {
    const std::string &n = e.text;
    if (n == "@entry") {
        if (!c.probe || !c.probe->info.is_return)
            error(e.loc, "@entry is only valid in .return probes");
        if (e.args.empty())
            return Type::Unknown;
        bool was = c.in_entry;
        c.in_entry = true;
        Type t = walk(*e.args[0], c);
        c.in_entry = was;
        return t;
    }
    if (n == "@defined") {
        if (!e.args.empty()) {
            Expr &a = *e.args[0];
            bool ok = a.kind == ExprKind::Target ||
                      (a.kind == ExprKind::AtOp && (a.text == "@cast" || a.text == "@var"));
            if (!ok)
                error(a.loc, "@defined needs a target expression ($var, @cast or @var)");
        }
        return Type::Long;
    }
    if (n == "@cast") {
        if (e.args.size() >= 2) {
            walk(*e.args[0], c, Type::Long);
            for (size_t i = 1; i < e.args.size(); ++i)
                if (e.args[i]->kind != ExprKind::String)
                    error(e.args[i]->loc, "@cast needs a type name (and module) as string "
                                          "literals");
        }
        for (auto &step : e.chain)
            if (step.is_index && step.index)
                walk(*step.index, c, Type::Long);
        return e.pretty.empty() ? Type::Long : Type::String;
    }
    if (n == "@var") {
        for (auto &a : e.args)
            if (a->kind != ExprKind::String)
                error(a->loc, "@var needs the variable name (and module) as string literals");
        for (auto &step : e.chain)
            if (step.is_index && step.index)
                walk(*step.index, c, Type::Long);
        return e.pretty.empty() ? Type::Long : Type::String;
    }
    if (n == "@probewrite") {
        if (!e.args.empty() && e.args[0]->kind != ExprKind::Var)
            error(e.args[0]->loc, "@probewrite needs a variable name");
        return Type::Long;
    }
    static const std::set<std::string> stat_ops = {"@count", "@sum", "@min", "@max", "@avg",
                                                   "@variance"};
    if (stat_ops.count(n)) {
        if (e.args.empty())
            return Type::Long;
        Expr &a = *e.args[0];
        if (a.kind != ExprKind::Var && a.kind != ExprKind::Index) {
            error(a.loc, n + " needs a statistics variable or array element");
            walk(a, c);
            return Type::Long;
        }
        if (a.kind == ExprKind::Var && local(a.text, c, a.loc, false)) {
            error(a.loc, n + " needs a global statistics variable; '" + a.text + "' is local");
            return Type::Long;
        }
        walk(a, c, Type::Stats);
        if (n == "@variance") {
            int shift_value = 0;
            if (e.args.size() > 1) {
                Expr &shift = *e.args[1];
                if (shift.kind != ExprKind::Number || shift.number < 0 || shift.number > 62)
                    error(shift.loc, "the @variance shift must be a literal number from 0 to 62");
                else
                    shift_value = static_cast<int>(shift.number);
                shift.type = Type::Long;
            }
            // The shift is applied on every `<<<`, so one statistic has one shift.
            if (GlobalDecl *g = elab_.find_global(a.text, c.file)) {
                if (g->var_shift < 0) {
                    g->var_shift = shift_value;
                    g->var_shift_loc = e.loc;
                } else if (g->var_shift != shift_value) {
                    error(e.loc, "conflicting @variance shifts on '" + g->name + "'",
                          {{g->var_shift_loc, "first used with shift " +
                                                  std::to_string(g->var_shift) + " here"}});
                }
            }
        }
        return Type::Long;
    }
    error(e.loc, n + " is not supported by ktap");
    return Type::Long;
}

Type TypeChecker::histogram(Expr &e, Ctx &c) {
    if (e.args.empty())
        return Type::Unknown;
    Expr &s = *e.args[0];
    if (s.kind != ExprKind::Var && s.kind != ExprKind::Index) {
        error(s.loc, e.text + " needs a statistics variable or array element");
    } else if (s.kind == ExprKind::Var && local(s.text, c, s.loc, false)) {
        error(s.loc, e.text + " needs a global statistics variable; '" + s.text + "' is local");
    } else {
        walk(s, c, Type::Stats);
        if (GlobalDecl *g = elab_.find_global(s.text, c.file)) {
            std::string sig = e.text;
            for (size_t i = 1; i < e.args.size(); ++i)
                sig += "," + std::to_string(e.args[i]->number);
            auto it = histograms_.find(g);
            if (it == histograms_.end()) {
                histograms_[g] = {sig, &e};
                g->hist_kind = e.text == "@hist_log" ? 1 : 2;
                if (g->hist_kind == 2 && e.args.size() == 4) {
                    g->hist_lo = e.args[1]->number;
                    g->hist_hi = e.args[2]->number;
                    g->hist_width = e.args[3]->number;
                }
            }
            else if (it->second.first != sig)
                error(e.loc, "multiple histogram types declared on '" + g->name + "'",
                      {{it->second.second->loc, "first histogram of '" + g->name + "' here"}});
        }
    }
    if (e.text == "@hist_linear" && e.args.size() == 4) {
        for (size_t i = 1; i < 4; ++i) {
            if (e.args[i]->kind != ExprKind::Number)
                error(e.args[i]->loc, "@hist_linear bounds and width must be literal numbers");
            e.args[i]->type = Type::Long;
        }
        int64_t lo = e.args[1]->number, hi = e.args[2]->number, width = e.args[3]->number;
        if (width <= 0)
            error(e.args[3]->loc, "@hist_linear width must be positive");
        else if (hi <= lo)
            error(e.args[2]->loc, "@hist_linear upper bound must be greater than the lower");
        else if ((hi - lo) / width + 3 > 258)
            error(e.loc, "@hist_linear has too many buckets ((hi - lo) / width must be at most "
                         "255)");
    }
    if (e.hist_index) {
        walk(*e.hist_index, c, Type::Long);
        return Type::Long;
    }
    error(e.loc, "a histogram can only be printed (print, println, sprint, sprintln), iterated "
                 "with foreach, or indexed with [bucket]");
    return Type::String;
}

Type TypeChecker::print_arg(Expr &a, Ctx &c, bool histograms_ok) {
    if (a.kind == ExprKind::Histogram && !a.hist_index && histograms_ok) {
        // Checked as an indexed histogram would be, without the "only printed" error; its
        // value here is the rendering, a string.
        a.hist_index = std::make_unique<Expr>(ExprKind::Number, a.loc);
        histogram(a, c);
        a.hist_index.reset();
        a.type = Type::String;
        return Type::String;
    }
    Type t = walk(a, c);
    if (t == Type::Void)
        mismatch(a, c, Type::Long, t);
    else if (t == Type::Stats)
        mismatch(a, c, Type::Long, t);
    return t;
}

Type TypeChecker::builtin_call(Expr &e, Ctx &c, const Builtin &b) {
    if (c.probe && b.context == ProbeContext::Function && !c.probe->info.runs_in_target())
        error(e.loc, "'" + b.name + "' needs a function or return probe; it is not available "
                                    "in '" + c.probe->point.str() + "' probes");
    if (c.probe && b.context == ProbeContext::Return && !c.probe->info.is_return)
        error(e.loc, "'" + b.name + "' is only available in .return probes");
    if (b.unwinds)
        out_.unwinds = true;
    // In a sampling probe the probe context is the sampled address: markers, named by ktap.
    if (c.probe && c.probe->info.kind == ProbeKind::Sample &&
        (b.name == "probefunc" || b.name == "ppfunc" || b.name == "probemod"))
        out_.symbolizes = true;
    if (b.symbolizes)
        out_.symbolizes = true;
    size_t n = e.args.size();
    switch (b.kind) {
    case BuiltinKind::Print: {
        bool hist_ok = true;
        for (auto &a : e.args)
            print_arg(*a, c, hist_ok);
        if (n == 0 && (b.name == "print" || b.name == "sprint"))
            error(e.loc, "'" + b.name + "' needs at least one argument");
        return b.ret;
    }
    case BuiltinKind::PrintDelim: {
        if (n < 2) {
            error(e.loc, "'" + b.name + "' needs a delimiter and at least one value");
        } else if (e.args[0]->kind != ExprKind::String) {
            error(e.args[0]->loc, "the delimiter of '" + b.name + "' must be a string literal");
        } else {
            e.args[0]->type = Type::String;
        }
        for (size_t i = 1; i < n; ++i)
            print_arg(*e.args[i], c, false);
        return b.ret;
    }
    case BuiltinKind::Printf: {
        if (n == 0) {
            error(e.loc, "'" + b.name + "' needs a format string");
            return b.ret;
        }
        Expr &fmt = *e.args[0];
        if (fmt.kind != ExprKind::String) {
            error(fmt.loc, "the format of '" + b.name + "' must be a string literal");
            for (size_t i = 1; i < n; ++i)
                print_arg(*e.args[i], c, false);
            return b.ret;
        }
        fmt.type = Type::String;
        FormatSpec spec;
        std::string err;
        size_t off = 0;
        if (!parse_format(fmt.text, spec, err, off)) {
            error(fmt.loc, err);
            return b.ret;
        }
        if (static_cast<size_t>(spec.args_needed) != n - 1)
            error(e.loc, "format string expects " + std::to_string(spec.args_needed) +
                             " argument(s) but " + std::to_string(n - 1) + " were given",
                  {{fmt.loc, "format string here"}});
        for (size_t i = 1; i < n; ++i) {
            Type want = Type::Unknown;
            if (i - 1 < spec.arg_kinds.size())
                want = spec.arg_kinds[i - 1] == 's' ? Type::String : Type::Long;
            Type t = walk(*e.args[i], c, want);
            if (want == Type::Unknown && (t == Type::Void || t == Type::Stats))
                mismatch(*e.args[i], c, Type::Long, t);
        }
        return b.ret;
    }
    case BuiltinKind::Plain:
        break;
    }
    size_t max = b.params.size(), min = max - b.optional;
    if (n < min || n > max) {
        std::string want = min == max ? std::to_string(max)
                                      : std::to_string(min) + " to " + std::to_string(max);
        error(e.loc, "'" + b.name + "' takes " + want + " argument" + (max == 1 ? "" : "s") +
                         ", not " + std::to_string(n));
    }
    for (size_t i = 0; i < n; ++i)
        walk(*e.args[i], c, i < max ? b.params[i] : Type::Unknown);
    return b.ret;
}

Type TypeChecker::call(Expr &e, Ctx &c) {
    auto candidates = elab_.find_functions(e.text, c.file);
    if (candidates.empty()) {
        if (const Builtin *b = find_builtin(e.text))
            return builtin_call(e, c, *b);
        error(e.loc, "unresolved function '" + e.text + "'", {},
              "no script, tapset or built-in function has that name");
        for (auto &a : e.args)
            walk(*a, c);
        return Type::Unknown;
    }
    std::vector<FunctionDecl *> arity_ok;
    for (FunctionDecl *f : candidates)
        if (f->params.size() == e.args.size())
            arity_ok.push_back(f);
    if (arity_ok.empty()) {
        std::vector<DiagNote> notes;
        for (FunctionDecl *f : candidates)
            notes.push_back({f->loc, "'" + f->name + "' with " +
                                         std::to_string(f->params.size()) +
                                         " parameter(s) is declared here"});
        error(e.loc, "no function '" + e.text + "' takes " + std::to_string(e.args.size()) +
                         " argument(s)",
              notes);
        for (auto &a : e.args)
            walk(*a, c);
        return Type::Unknown;
    }
    Type ret = Type::Unknown;
    for (FunctionDecl *f : arity_ok) {
        elab_.use_function(f);
        if (final_ && c.probe && !c.probe->info.has_site())
            if (auto it = target_closure_.find(f); it != target_closure_.end())
                error(it->second->loc,
                      "target variable '" + it->second->text + "' is not available in '" +
                          c.probe->point.str() + "' probes: there is no probed function there",
                      {{e.loc, "'" + f->name + "' is called from a '" + c.probe->point.str() +
                                   "' probe here"}});
        if (c.fn)
            calls_[c.fn].insert(f);
        if (final_)
            for (GlobalDecl *g : closure_[f])
                for (const auto &[arr, loc] : c.foreach_arrays)
                    if (arr == g)
                        error(e.loc, "variable '" + g->name + "' modified during 'foreach' "
                                     "iteration (by function '" + f->name + "')",
                              {{loc, "the foreach over '" + g->name + "' is here"}});
        for (size_t i = 0; i < e.args.size(); ++i) {
            Param &p = f->params[i];
            Type at = walk(*e.args[i], c);
            if (at == Type::Stats || at == Type::Void)
                mismatch(*e.args[i], c, Type::Long, at);
            else if (at == Type::Unknown && p.type != Type::Unknown)
                push(*e.args[i], c, p.type);
            else
                set_type(p.type, p.type_loc, at, e.args[i]->loc,
                         "parameter '" + p.name + "' of '" + f->name + "'");
        }
        if (f->ret != Type::Unknown && ret == Type::Unknown)
            ret = f->ret;
    }
    return ret;
}

// ---------------------------------------------------------------------------------------------
// Statements

void TypeChecker::foreach_stmt(Stmt &s, Ctx &c) {
    Expr &src = *s.source;
    GlobalDecl *g = nullptr;
    Type value_type = Type::Unknown;
    std::vector<Type> key_types;
    if (src.kind == ExprKind::Histogram) {
        if (s.keys.size() != 1)
            error(src.loc, "foreach over a histogram binds exactly one key (the bucket)");
        src.hist_index = std::make_unique<Expr>(ExprKind::Number, src.loc);
        histogram(src, c);
        src.hist_index.reset();
        key_types.assign(s.keys.size(), Type::Long);
        value_type = Type::Long;
    } else {
        g = global_array(src, c, src.text, src.loc, s.keys.size());
        if (g) {
            g->is_read = true;
            set_arity(*g, static_cast<int>(s.keys.size()), src.loc);
            if (src.kind == ExprKind::Index) {
                if (src.args.size() != s.keys.size())
                    error(src.loc, "the slice has " + std::to_string(src.args.size()) +
                                       " keys but foreach binds " +
                                       std::to_string(s.keys.size()));
                else
                    index_keys(*g, src, c, true);
            }
            if (g->arity == static_cast<int>(s.keys.size()))
                key_types = g->key_types;
            value_type = g->type;
            if (value_type == Type::Stats) {
                if (!s.value_var.empty())
                    error(s.value_loc, "the value of a statistics array cannot be bound; use "
                                       "@count(" + g->name + "[...]) and friends");
            } else if (!s.sort_aggregate.empty() && value_type != Type::Unknown) {
                error(src.loc, "sorting by " + s.sort_aggregate +
                                   " applies only to statistics arrays");
            }
        }
    }
    key_types.resize(s.keys.size(), Type::Unknown);
    for (size_t i = 0; i < s.keys.size(); ++i) {
        auto &k = s.keys[i];
        LocalVar *l = local(k.name, c, k.loc, true);
        if (!l || elab_.find_global(k.name, c.file)) {
            error(k.loc, "foreach key '" + k.name + "' must be a local variable, not a global");
            continue;
        }
        l->written = true;
        set_type(l->type, l->type_loc, key_types[i], k.loc, quoted(k.name));
        if (g && key_types[i] == Type::Unknown && l->type != Type::Unknown &&
            g->arity == static_cast<int>(s.keys.size()))
            set_type(g->key_types[i], key_locs_[g][i], l->type, k.loc,
                     "key " + std::to_string(i + 1) + " of '" + g->name + "'");
    }
    if (!s.value_var.empty() && value_type != Type::Stats) {
        if (elab_.find_global(s.value_var, c.file)) {
            error(s.value_loc, "foreach value '" + s.value_var + "' must be a local variable");
        } else {
            LocalVar *l = local(s.value_var, c, s.value_loc, true);
            l->written = true;
            set_type(l->type, l->type_loc, value_type, s.value_loc, quoted(s.value_var));
            if (g && value_type == Type::Unknown && l->type != Type::Unknown)
                set_type(g->type, g->type_loc, l->type, s.value_loc, quoted(g->name));
        }
    }
    if (s.value_sort != 0 && s.value_var.empty())
        error(s.loc, "a value sort needs a value variable");
    if (s.limit)
        walk(*s.limit, c, Type::Long);
    if (g)
        c.foreach_arrays.emplace_back(g, s.loc);
    ++c.loops;
    stmt(*s.body[0], c);
    --c.loops;
    if (g)
        c.foreach_arrays.pop_back();
}

void TypeChecker::stmt(Stmt &s, Ctx &c) {
    switch (s.kind) {
    case StmtKind::Block:
        for (auto &b : s.body)
            stmt(*b, c);
        break;
    case StmtKind::Null:
        break;
    case StmtKind::Expr:
        walk(*s.expr, c);
        break;
    case StmtKind::If:
        walk(*s.expr, c, Type::Long);
        for (auto &b : s.body)
            stmt(*b, c);
        break;
    case StmtKind::While:
    case StmtKind::For:
        if (s.init)
            walk(*s.init, c);
        if (s.expr)
            walk(*s.expr, c, Type::Long);
        if (s.step)
            walk(*s.step, c);
        ++c.loops;
        stmt(*s.body[0], c);
        --c.loops;
        break;
    case StmtKind::Foreach:
        foreach_stmt(s, c);
        break;
    case StmtKind::Break:
    case StmtKind::Continue:
        if (c.loops == 0)
            error(s.loc, std::string("'") + (s.kind == StmtKind::Break ? "break" : "continue") +
                             "' is only allowed inside a loop");
        break;
    case StmtKind::Next:
        break;
    case StmtKind::Return:
        if (!c.fn) {
            error(s.loc, "'return' is only allowed inside a function", {},
                  "use 'next' to leave a probe handler early");
            if (s.expr)
                walk(*s.expr, c);
            break;
        }
        if (s.expr) {
            returns_value_[c.fn] = true;
            Type t = walk(*s.expr, c);
            if (t == Type::Stats || t == Type::Void)
                mismatch(*s.expr, c, Type::Long, t);
            else if (t == Type::Unknown && c.fn->ret != Type::Unknown && c.fn->ret != Type::Void)
                push(*s.expr, c, c.fn->ret);
            else
                set_type(c.fn->ret, c.fn->ret_loc, t, s.expr->loc,
                         "the return value of '" + c.fn->name + "'");
        }
        break;
    case StmtKind::Delete: {
        Expr &t = *s.expr;
        if (t.kind == ExprKind::Var) {
            if (LocalVar *l = local(t.text, c, t.loc, false)) {
                l->written = true;
            } else if (GlobalDecl *g = elab_.find_global(t.text, c.file)) {
                check_write(*g, t.loc, c);
            } else {
                error(t.loc, "cannot delete '" + t.text + "': no such variable");
            }
        } else if (t.kind == ExprKind::Index) {
            GlobalDecl *g = global_array(t, c, t.text, t.loc, t.args.size());
            if (g) {
                check_write(*g, t.loc, c);
                index_keys(*g, t, c, true);
            }
        } else {
            error(t.loc, "delete needs a variable, an array or an array element");
        }
        break;
    }
    case StmtKind::Try:
        stmt(*s.body[0], c);
        if (!s.catch_var.empty()) {
            LocalVar *l = local(s.catch_var, c, s.catch_loc, true);
            l->written = true;
            set_type(l->type, l->type_loc, Type::String, s.catch_loc, quoted(s.catch_var));
        }
        stmt(*s.body[1], c);
        break;
    }
}

// ---------------------------------------------------------------------------------------------
// Driver

void TypeChecker::walk_probe(ResolvedProbe &p) {
    Scope &scope = probe_scopes_[&p];
    Ctx c;
    c.scope = &scope;
    c.probe = &p;
    c.file = p.file;
    if (p.condition) {
        Scope empty;
        Ctx cond = c;
        cond.scope = &empty;
        cond.in_condition = true;
        walk(*p.condition, cond, Type::Long);
    }
    stmt(*p.body, c);
}

void TypeChecker::walk_function(FunctionDecl &f) {
    Scope &scope = fn_scopes_[&f];
    if (scope.vars.empty() && !f.params.empty()) {
        for (auto &prm : f.params) {
            LocalVar v;
            v.name = prm.name;
            v.is_param = true;
            v.written = true;
            v.first_use = prm.loc;
            scope.vars[prm.name] = v;
        }
    }
    // Parameters live in FunctionDecl::params; mirror them both ways every walk.
    for (auto &prm : f.params) {
        LocalVar &v = scope.vars[prm.name];
        if (prm.type == Type::Unknown && v.type != Type::Unknown) {
            prm.type = v.type;
            prm.type_loc = v.type_loc;
            changed_ = true;
        }
        v.type = prm.type;
        v.type_loc = prm.type_loc.valid() ? prm.type_loc : prm.loc;
    }
    Ctx c;
    c.scope = &scope;
    c.fn = &f;
    auto it = function_file_.find(&f);
    c.file = it == function_file_.end() ? nullptr : it->second;
    stmt(*f.body, c);
    for (auto &prm : f.params) {
        LocalVar &v = scope.vars[prm.name];
        if (prm.type == Type::Unknown && v.type != Type::Unknown) {
            prm.type = v.type;
            prm.type_loc = v.type_loc;
            changed_ = true;
        }
    }
}

void TypeChecker::walk_all() {
    for (auto &p : out_.probes)
        walk_probe(*p);
    // used_ grows as calls are resolved.
    for (size_t i = 0; i < used_.size(); ++i)
        walk_function(*used_[i]);
}

void TypeChecker::compute_write_closure() {
    target_closure_ = fn_targets_;
    for (bool grew = true; grew;) {
        grew = false;
        for (auto &[f, callees] : calls_)
            for (FunctionDecl *callee : callees)
                if (target_closure_.count(callee) && !target_closure_.count(f)) {
                    target_closure_[f] = target_closure_[callee];
                    grew = true;
                }
    }
    closure_ = writes_;
    bool grew = true;
    while (grew) {
        grew = false;
        for (auto &[f, callees] : calls_)
            for (FunctionDecl *callee : callees)
                for (GlobalDecl *g : closure_[callee])
                    grew |= closure_[f].insert(g).second;
    }
}

void TypeChecker::report_unresolved() {
    auto hint = std::string("give it a value of a known type, e.g. x = 0 or x = \"\"");
    for (auto &p : out_.probes) {
        Scope &s = probe_scopes_[p.get()];
        for (const auto &name : s.order) {
            LocalVar &v = s.vars[name];
            if (v.read && !v.written)
                diag_.warning(v.first_use, "never-assigned local variable '" + name + "'");
            if (v.type == Type::Unknown && v.read)
                diag_.error(v.first_use, "could not infer the type of local '" + name + "'", {},
                            hint);
            p->locals.push_back({name, v.type, v.first_use, v.type_loc});
        }
    }
    for (FunctionDecl *f : used_) {
        Scope &s = fn_scopes_[f];
        for (auto &prm : f->params)
            if (prm.type == Type::Unknown)
                diag_.error(prm.loc, "could not infer the type of parameter '" + prm.name +
                                         "' of function '" + f->name + "'",
                            {}, "declare it: " + prm.name + ":long or " + prm.name + ":string");
        for (const auto &name : s.order) {
            LocalVar &v = s.vars[name];
            if (v.is_param)
                continue;
            if (v.read && !v.written)
                diag_.warning(v.first_use, "never-assigned local variable '" + name + "'");
            if (v.type == Type::Unknown && v.read)
                diag_.error(v.first_use, "could not infer the type of local '" + name + "'", {},
                            hint);
            f->locals.push_back({name, v.type, v.first_use, v.type_loc});
        }
        if (f->ret == Type::Unknown && returns_value_[f])
            diag_.error(f->loc, "could not infer the return type of function '" + f->name + "'",
                        {}, "declare it: function " + f->name + ":long (...)");
    }
    for (const Program *prog : out_.files)
        for (const auto &g : prog->globals) {
            if (!(g->is_read || g->is_written))
                continue;
            if (g->init && g->type == Type::Unknown)
                g->type = g->init->is_string ? Type::String : Type::Long;
            if (g->type == Type::Unknown)
                diag_.error(g->loc, "could not infer the type of global '" + g->name + "'", {},
                            "give it a value of a known type, or an initial value");
            if (g->arity > 0)
                for (size_t i = 0; i < g->key_types.size(); ++i)
                    if (g->key_types[i] == Type::Unknown)
                        diag_.error(g->arity_loc, "could not infer the type of key " +
                                                      std::to_string(i + 1) + " of array '" +
                                                      g->name + "'");
            if (g->is_read && !g->is_written && !g->init && g->type != Type::Stats &&
                !g->from_tapset)
                diag_.warning(g->loc, "never-assigned global variable '" + g->name + "'");
        }
}

bool TypeChecker::run() {
    // Global initialisers fix types up front.
    for (const Program *prog : out_.files)
        for (const auto &g : prog->globals)
            if (g->init) {
                g->type = g->init->is_string ? Type::String : Type::Long;
                g->type_loc = g->loc;
            }
    for (int i = 0; i < kMaxIterations; ++i) {
        changed_ = false;
        size_t used_before = used_.size();
        walk_all();
        if (!changed_ && used_.size() == used_before)
            break;
    }
    // Functions with no `return value` and no declared type return nothing.
    for (FunctionDecl *f : used_)
        if (f->ret == Type::Unknown && !returns_value_[f] && !f->ret_declared)
            f->ret = Type::Void;
    compute_write_closure();
    final_ = true;
    int errors_before = diag_.errors();
    walk_all();
    if (diag_.errors() == errors_before)
        report_unresolved();
    return diag_.errors() == 0;
}

bool typecheck(Elaborator &elab, ElaboratedProgram &out, const Options &opts, Diagnostics &diag,
               std::vector<FunctionDecl *> &used_functions,
               const std::map<const FunctionDecl *, const SourceFile *> &function_file) {
    TypeChecker tc(elab, out, opts, diag, used_functions, function_file);
    return tc.run();
}

} // namespace ktap
