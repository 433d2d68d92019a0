// What one probed function offers the handlers compiled for it: its variables at the entry
// address, its return value, the module's load bias, and lookups of types and globals for
// @cast and @var. The controller builds one scope per (probe, function) pair from DWARF
// (compiler/run/target_scopes.cpp); the code generator compiles one handler per scope.
#pragma once

#include "../dwarf/debuginfo.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ktap {

struct TargetScope {
    std::string function;     // source name, for messages
    std::string module_path;  // the module holding the function
    std::string decl;         // "file.c:12" when DWARF knows it
    uint64_t pc = 0;          // link-time entry address (messages, as stap's "near pc")
    uint64_t bias = 0;        // runtime address = link-time address + bias
    std::shared_ptr<dwarf::DebugInfo> info;  // nullptr: the module has no DWARF
    std::string no_dwarf;     // why there is none (for messages)
    std::vector<dwarf::Variable> parameters, locals;  // at the entry address
    bool has_return = false;  // return probes: `ret` is set (type nullptr for void)
    // The handler for functions in libraries loaded after the start (compiled before they
    // existed): no DWARF view; $return is the register, other target variables raise an error
    // when the handler runs.
    bool late = false;
    dwarf::Variable ret;
    // @cast(p, "type", "MODULE") / @var("name", "MODULE"): the debug info and load bias of
    // another module of the target, named as the script names it. False (with a message) when
    // the target has no such module or it has no DWARF.
    std::function<bool(const std::string &module, std::shared_ptr<dwarf::DebugInfo> &info,
                       uint64_t &bias, std::string &error)>
        other_module;
};

// Per probe (ElaboratedProgram::probes order): the functions it is compiled for. An empty list
// means one handler that needs no DWARF (the probe uses no target variables).
using TargetScopes = std::vector<std::vector<TargetScope>>;

} // namespace ktap
