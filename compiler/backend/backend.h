// Code generation and linking: the typed program becomes LLVM IR for the executor's triple,
// is compiled and JIT-linked into a code arena, and its handlers are looked up by name.
// LLVM types stay behind this interface (only backend/*.cpp include LLVM headers).
#pragma once

#include "../elaborate.h"
#include "../layout.h"
#include "code_arena.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace ktap {

struct BackendOptions {
    std::string arch = "x86_64";  // or "i386"
    bool optimize = true;
};

// Names of the generated entry points.
std::string probe_symbol(size_t probe_index);

class Backend {
  public:
    Backend();
    ~Backend();

    // Builds the IR module. Reports unsupported constructs to `diag`; false on errors.
    bool generate(const ElaboratedProgram &program, const Layout &layout,
                  const BackendOptions &opts, Diagnostics &diag);
    std::string ir_text() const;                       // -p3
    bool emit_object(std::string &object, std::string &error);  // -p4
    // Compiles and links into `arena`; `symbols` gives the executor addresses of the runtime
    // helpers the code calls.
    bool link(CodeArena &arena, const std::map<std::string, uint64_t> &symbols,
              std::string &error);
    uint64_t address_of(const std::string &name, std::string &error);

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace ktap
