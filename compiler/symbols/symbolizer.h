// Addresses of a traced process to names: the nearest function or data symbol (ELF .symtab,
// .dynsym, .gnu_debugdata, separate debuginfo by build-id), its offset and size, the module,
// and with DWARF the source file and line. Modules are opened when they are added, so
// addresses stay symbolizable after the process exited. No network (debuginfod) lookups.
// Used to print backtraces and usym*() results (compiler/run/output_symbols.h).
#pragma once

#include "symbols.h"

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace ktap {

struct SymbolInfo {
    bool in_module = false; // some module covers the address
    bool has_symbol = false;
    std::string name;           // C++: demangled without parameters
    uint64_t offset = 0;        // from the symbol's start
    uint64_t size = 0;          // the symbol's st_size
    std::string module;         // the module's path ("[vdso]" for the vDSO)
    uint64_t module_offset = 0; // from the module's load address
    std::string file;           // with DWARF line information; "" otherwise
    int line = 0;
    // DWARF's inlined subroutines at the address, innermost first (want_line only): each with
    // the place it was inlined at (in the next one out, or in the function itself).
    struct Inline {
        std::string name;
        std::string call_file;
        int call_line = 0;
    };
    std::vector<Inline> inlines;
};

class Symbolizer {
  public:
    Symbolizer();
    ~Symbolizer();
    Symbolizer(const Symbolizer &) = delete;
    Symbolizer &operator=(const Symbolizer &) = delete;

    // Reports MAP's modules not reported yet, and the process's vDSO when given.
    void add(const ModuleMap &map, const VdsoImage *vdso);
    SymbolInfo lookup(uint64_t addr, bool want_line);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace ktap
