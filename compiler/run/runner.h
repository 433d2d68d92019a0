// Pass 5 for scripts whose probes run in the controller (begin, end, error, timer): lays out
// and formats the state arena, JIT-links the handlers into a code arena, runs them, drains the
// output rings, and ends the session as stap does (exit(), Ctrl-C, -T, errors).
#pragma once

#include "sema/elaborate.h"
#include "../options.h"

#include <cstdio>

namespace ktap {

struct RunOptions {
    double timeout_seconds = 0;  // -T; 0 = none
    FILE *out = stdout;
};

// Returns the process exit status.
int run_session(const ElaboratedProgram &program, const Options &opts, const RunOptions &run,
                Diagnostics &diag);

} // namespace ktap
