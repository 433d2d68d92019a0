// Function and return probes placed on concrete functions: every probe point of the script that
// runs in the target is resolved against the target's modules (compiler/symbols) into sites,
// and the sites are written into the state arena's site table (runtime/include/ktap/agent.h)
// that the agent reads.
#pragma once

#include "frontend/diagnostics.h"
#include "sema/elaborate.h"
#include "../symbols/return_type.h"
#include "../symbols/symbols.h"

#include <cstdint>
#include <cstddef>
#include <string>
#include <vector>

namespace ktap {

// PlannedSite::probe of ktap's own return probe on the target's dlopen (agent.h).
constexpr size_t kDlopenHookProbe = SIZE_MAX;
// ktap's entry probe on pthread_create while sampling: new threads get their timers first thing.
constexpr size_t kThreadHookProbe = SIZE_MAX - 1;
// In a program without a dynamic loader (no atexit for the agent): ktap's entry probe on its
// exit() writes the engine's counters as the process ends (agent.h: ktap_agent_exit_hook).
constexpr size_t kExitHookProbe = SIZE_MAX - 2;
// -c of such a program: ktap's entry probe on its main() registers the return stubs' unwind
// info with the program's unwinder once its libc has started (agent.h: ktap_agent_main_hook).
constexpr size_t kMainHookProbe = SIZE_MAX - 3;
// A site of ktap's own (a hook), not of a script probe.
inline bool is_ktap_hook(size_t probe) {
    return probe >= kMainHookProbe;
}

struct PlannedSite {
    size_t probe = 0; // index in ElaboratedProgram::probes, or a hook (is_ktap_hook)
    FunctionSite function;
    std::string pp;        // pp() of this site
    bool is_return = false;
    int64_t maxactive = 0;
    ReturnType ret;        // for $return (return probes)
    size_t variant = 0;    // which of the probe's handlers (one per function when the probe
                           // uses target variables: target_scopes.h)
};

// The components a probe point has after function("..."): ".call", ".return",
// ".maxactive(N)", as written (pp() and -l lines end with them).
std::string function_suffixes(const ProbePoint &point);

// The query for a function probe point: process, library and function pattern.
FunctionQuery function_query(const ProbeInfo &info);

// Resolves every target probe. A probe point that matches no function is an error unless it is
// optional (`?`); unreadable modules are warnings. False when errors were reported.
bool plan_sites(const ElaboratedProgram &program, const ModuleMap &modules,
                std::vector<PlannedSite> &sites, Diagnostics &diag);
// For modules the target loaded later (dlopen): appends the sites found in them; no match is
// not an error there.
void plan_new_module_sites(const ElaboratedProgram &program, const ModuleMap &new_modules,
                           std::vector<PlannedSite> &sites);

// The site table in the arena: `capacity` kt_site entries, then their strings. Sites found
// later (libraries the target loads with dlopen) are appended while there is room.
struct SiteTableSpace {
    uint64_t off = 0;         // arena offset of kt_site[capacity]
    size_t capacity = 0;
    uint64_t strings = 0;     // next free byte for strings
    uint64_t end = 0;         // end of the region
};

// Room for `sites` plus `spare` more sites (with 256 bytes of strings each) at arena offset off.
SiteTableSpace site_table_space(uint64_t off, const std::vector<PlannedSite> &sites,
                                size_t spare);

// Writes sites[first..] into the table (chaining sites of one address, agent.h) and sets the
// arena header's table fields. Handler addresses are filled by write_site_handlers, once the
// code is linked in the target. False when the table is full.
bool write_site_table(void *arena, SiteTableSpace &space, const std::vector<PlannedSite> &sites,
                      size_t first, unsigned engine_flags);

// Target addresses of the probe bodies and @entry parts, and the @entry data size, per probe.
struct ProbeCode {
    uint64_t handler = 0;
    uint64_t entry_handler = 0;
    uint32_t entry_bytes = 0;
};
// The agent's handlers of ktap's own sites: ktap_agent_dlopen_return (kDlopenHookProbe) and
// ktap_agent_thread_create (kThreadHookProbe).
struct HookCode {
    uint64_t dlopen = 0, thread = 0, exit = 0, main = 0;
};
// code[probe][variant].
void write_site_handlers(void *arena, const std::vector<PlannedSite> &sites, size_t first,
                         const std::vector<std::vector<ProbeCode>> &code, const HookCode &hooks);

// "function `name' in /path/lib.so" for messages.
std::string site_label(const PlannedSite &site);

} // namespace ktap
