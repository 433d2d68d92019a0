// Where every piece of script state lives in the state arena (DESIGN.md decision 2): one lock
// and one value per global, at fixed offsets computed here from the typed program and the -D
// limits. Both the controller and the executor reach state as arena base + offset.
#pragma once

#include "sema/elaborate.h"
#include "options.h"

#include <cstdint>
#include <map>
#include <string>

namespace ktap {

struct Limits {
    uint32_t maxstringlen = 512;
    uint32_t maxmapentries = 2048;
    int64_t maxaction = 1000;          // function/timer probes
    int64_t maxaction_begin_end = 10000;  // MAXACTION_INTERRUPTIBLE
    int32_t maxnesting = 64;
    int32_t maxerrors = 0;
    int32_t maxskipped = 100;
    int32_t hist_elision = 2;
    uint64_t hist_width = 50;
    int32_t slots = 64;                // threads that can run handlers at once
    uint64_t ring_bytes = 1 << 20;     // output ring per thread slot (virtual until used)
    // Lock spins before a handler is skipped. User-space lock holders can be preempted (stap's
    // kernel handlers cannot), so the budget is larger than stap's MAXTRYLOCK.
    uint64_t maxtrylock = 65536;
    int32_t maxbacktrace = 20;         // frames a user backtrace holds (stap's MAXBACKTRACE)
};

// Reads -D overrides; reports unknown names and bad values.
bool read_limits(const Options &opts, Limits &limits, Diagnostics &diag);

struct GlobalSlot {
    const GlobalDecl *decl = nullptr;
    uint64_t lock_off = 0;
    uint64_t value_off = 0;  // long, string buffer, statistics, or map
    uint32_t capacity = 0;   // arrays
};

struct Layout {
    Limits limits;
    uint64_t total_bytes = 0;
    std::map<const GlobalDecl *, GlobalSlot> globals;

    const GlobalSlot &slot(const GlobalDecl *g) const { return globals.at(g); }
};

Layout compute_layout(const ElaboratedProgram &program, const Limits &limits);

// Formats the arena and stores the globals' initial values. `arena` has total_bytes bytes.
void init_arena(void *arena, const Layout &layout);

} // namespace ktap
