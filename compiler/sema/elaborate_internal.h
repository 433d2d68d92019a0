// Shared state of pass 2, split over elaborate.cpp (symbols, tapsets, aliases) and
// typecheck.cpp (types and semantic checks). Not for use outside pass 2.
#pragma once

#include "sema/builtins.h"
#include "sema/elaborate.h"

#include <map>
#include <set>
#include <string>

namespace ktap {

struct LocalVar {
    std::string name;
    Type type = Type::Unknown;
    SourceLoc first_use;
    SourceLoc type_loc;
    bool is_param = false;
    bool read = false, written = false;
};

struct Scope {
    std::map<std::string, LocalVar> vars;
    std::vector<std::string> order;  // first-use order, for printing
};

class Elaborator {
  public:
    Elaborator(const Options &opts, Diagnostics &diag, ElaboratedProgram &out)
        : opts_(opts), diag_(diag), out_(out) {}

    bool run(Program &user, std::vector<std::unique_ptr<Program>> &tapsets);

    // --- symbols (elaborate.cpp)
    GlobalDecl *find_global(const std::string &name, const SourceFile *from);
    std::vector<FunctionDecl *> find_functions(const std::string &name, const SourceFile *from);
    void use_function(FunctionDecl *f);

  private:
    friend class TypeChecker;

    void pull(Program &p, bool is_tapset);
    bool pull_tapset_defining(char kind, const std::string &name);
    void expand_probes(Program &p);
    void resolve_point(const ProbePoint &point, const std::string &written, StmtPtr body,
                       std::vector<const Expr *> conditions, const ProbeDecl &decl, int depth,
                       int &produced);
    int alias_matches(const ProbePoint &name, const ProbePoint &point) const;
    void apply_global_sets();
    void finish();

    const Options &opts_;
    Diagnostics &diag_;
    ElaboratedProgram &out_;

    std::vector<Program *> pulled_;
    std::set<const Program *> pulled_set_;
    std::vector<Program *> tapset_pool_;
    std::vector<const AliasDecl *> aliases_;

    std::map<std::string, GlobalDecl *> public_globals_;
    std::map<std::pair<const SourceFile *, std::string>, GlobalDecl *> private_globals_;
    std::map<std::string, std::vector<FunctionDecl *>> public_functions_;
    std::map<std::pair<const SourceFile *, std::string>, std::vector<FunctionDecl *>>
        private_functions_;
    std::map<const FunctionDecl *, const SourceFile *> function_file_;
    std::map<const FunctionDecl *, size_t> function_order_;
    std::vector<FunctionDecl *> used_functions_;
    std::set<const FunctionDecl *> used_set_;
};

// Type inference and semantic checks over the expanded probes and the reachable functions.
bool typecheck(Elaborator &elab, ElaboratedProgram &out, const Options &opts, Diagnostics &diag,
               std::vector<FunctionDecl *> &used_functions,
               const std::map<const FunctionDecl *, const SourceFile *> &function_file);

} // namespace ktap
