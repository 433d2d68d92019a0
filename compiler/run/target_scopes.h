// DWARF scopes for the handlers of probes that use target variables ($var, @cast, @var,
// @defined): one scope per function a probe is placed on, so that each function gets a handler
// compiled with its own variable locations and types (backend/target_scope.h).
#pragma once

#include "../backend/target_scope.h"
#include "sema/elaborate.h"
#include "site_plan.h"

#include <list>
#include <vector>

namespace ktap {

// Sets PlannedSite::variant for the sites of probes that use target variables and fills
// `scopes` (per probe, per variant). `modules` are all module maps of the target so far (for
// @cast/@var with a module argument). Problems (no DWARF, a missing variable) are reported when
// the handlers are compiled, where the script's expressions are.
void build_target_scopes(const ElaboratedProgram &program, std::vector<PlannedSite> &sites,
                         const std::list<ModuleMap> &modules, TargetScopes &scopes);

// The handler variant for sites in libraries loaded after the start (0 for probes without
// target variables).
size_t late_variant(const TargetScopes &scopes, size_t probe);

// The variables stap -L lists after a probe point (`$name:type` each).
struct ListedVariable {
    std::string name; // "$x", "$return"
    std::string type; // "int", "struct node*"
};
std::vector<ListedVariable> listed_variable_list(const FunctionSite &site, bool is_return);

} // namespace ktap
