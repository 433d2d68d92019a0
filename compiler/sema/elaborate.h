// Pass 2: from parsed files to one checked program. Pulls in tapset files on demand, expands
// probe aliases, resolves functions (overloads by arity, priorities for `next`), infers types,
// and runs the semantic checks of reference systemtap.md §1.
#pragma once

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "options.h"
#include "sema/probe_points.h"

#include <memory>
#include <vector>

namespace ktap {

struct ResolvedProbe {
    ProbePoint point;     // the concrete built-in probe point
    std::string written;  // the probe point as written in the script (before alias expansion)
    ProbeInfo info;
    StmtPtr body;         // alias prologue + script body + alias epilogue
    ExprPtr condition;    // all `if (...)` conditions joined with &&, or null
    std::vector<Param> locals;
    const SourceFile *file = nullptr;
    SourceLoc loc;
};

struct ElaboratedProgram {
    std::vector<GlobalDecl *> globals;
    std::vector<FunctionDecl *> functions;
    std::vector<std::unique_ptr<ResolvedProbe>> probes;
    std::vector<const Program *> files;  // user script first, then the tapsets pulled in
    bool unwinds = false;  // a probe calls a backtrace function: the target needs unwind tables
    bool symbolizes = false;  // backtrace or usym*() output: ktap symbolizes what is printed
};

// Returns false when errors were reported.
bool elaborate(Program &user, std::vector<std::unique_ptr<Program>> &tapsets,
               const Options &opts, Diagnostics &diag, ElaboratedProgram &out);

// -p2 output.
void print_elaborated(std::ostream &out, const ElaboratedProgram &p);

} // namespace ktap
