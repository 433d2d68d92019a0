// Reads script globals out of the state arena into GlobalValue (compiler/output/global_value.h):
// for stap's display of unread globals at exit, its JSON form, and metrics files written while
// the session runs (then under the global's read lock, as a handler reading it would hold).
#pragma once

#include "output/global_value.h"
#include "sema/layout.h"

#include <functional>
#include <string>

namespace ktap {

struct GlobalDecl;

class GlobalReader {
  public:
    // symbolic: expands symbol markers in strings (backtraces, usym* results kept in globals).
    GlobalReader(void *arena, const Layout &layout,
                 std::function<std::string(std::string_view)> symbolic)
        : arena_(arena), layout_(layout), symbolic_(std::move(symbolic)) {}
    // Entries in stap's display order (by value, ascending for numbers, as kt_map_sorted).
    // locked: take the global's read lock first (handlers may be running); false if it could
    // not be taken within MAXTRYLOCK spins (the caller skips the global this time).
    bool read(const GlobalDecl &g, GlobalValue &value, bool locked);

  private:
    void *arena_;
    const Layout &layout_;
    std::function<std::string(std::string_view)> symbolic_;
};

} // namespace ktap
