// ktap -l PP / -L PP: the probe points PP matches, one per line, as stap prints them.
#pragma once

#include "frontend/diagnostics.h"
#include "sema/elaborate.h"
#include "../options.h"

#include <ostream>

namespace ktap {

// Function probe points are resolved in the -x process, in the -c command's program and its
// libraries, or in process("PATH"); other probe points are printed as they are. Returns the
// exit status.
int list_probe_points(const ElaboratedProgram &program, const Options &opts, Diagnostics &diag,
                      std::ostream &out);

} // namespace ktap
