// Entry points of the later steps (variables, return values, types, globals): not yet
// implemented; they report so instead of guessing.
#include "internal.h"

namespace ktap::dwarf::detail {

bool DebugInfoImpl::variables_at_entry(const Function &, std::vector<Variable> &,
                                       std::vector<Variable> &, std::string &error) {
    error = "DWARF variables are not implemented yet";
    return false;
}

bool DebugInfoImpl::return_value(const Function &, Variable &, std::string &error) {
    error = "DWARF return values are not implemented yet";
    return false;
}

const Type *DebugInfoImpl::find_type(const std::string &) {
    return nullptr;
}

bool DebugInfoImpl::find_global(const std::string &, const std::string &, Variable &) {
    return false;
}

} // namespace ktap::dwarf::detail
