// Code generation and linking: the typed program becomes LLVM IR for the executor's triple,
// is compiled and JIT-linked into a code arena, and its handlers are looked up by name.
// LLVM types stay behind this interface (only backend/*.cpp include LLVM headers).
#pragma once

#include "sema/elaborate.h"
#include "sema/layout.h"
#include "code_arena.h"
#include "target_scope.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace ktap {

struct BackendOptions {
    std::string arch = "x86_64";  // or "i386"
    bool optimize = true;
    // Code that runs inside the traced process: no vector or x87 registers, so the engine
    // can call handlers without saving that state (KT_HANDLER_LEAN | KT_NO_VECTOR_REGS).
    bool general_regs_only = false;
    // Probes that run in the traced process: one handler per scope of the probe (symbols
    // probe_symbol(i, v)). nullptr: handlers of probes that run in the target are empty (the
    // controller's own copy of the program never runs them).
    const TargetScopes *scopes = nullptr;
    // -p3/-p4 without a process: target variables compile to 0 with a note.
    bool without_target = false;
    bool skip_badvars = false;  // --skip-badvars: unresolvable target variables read as 0
};

// Names of the generated entry points.
std::string probe_symbol(size_t probe_index, size_t variant = 0);
// Return probes that use @entry(...): this function evaluates the @entry expressions when the
// probed function is entered and stores them in the instance's data area (kt_ctx.entry_data).
std::string entry_symbol(size_t probe_index, size_t variant = 0);

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
    // Bytes of @entry data per return-probe instance; 0 when the probe uses no @entry (then
    // entry_symbol(probe) does not exist). Valid after generate().
    uint32_t entry_data_bytes(size_t probe) const;

    struct Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

} // namespace ktap
