// ktap -l PP / -L PP: the probe points PP matches, one per line, as stap prints them.
#pragma once

#include "../options.h"
#include "frontend/diagnostics.h"
#include "output/output_sink.h"
#include "sema/elaborate.h"

namespace ktap {

// Function probe points are resolved in the -x process, in the -c command's program and its
// libraries, or in process("PATH"); other probe points are printed as they are. In JSON, a
// "probe_point" event each (with its variables for -L). Returns the exit status.
int list_probe_points(const ElaboratedProgram &program, const Options &opts, Diagnostics &diag,
                      OutputSink &out);

} // namespace ktap
