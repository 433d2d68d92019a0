// Function and return probes placed on concrete functions: every probe point of the script that
// runs in the target is resolved against the target's modules (compiler/symbols) into sites,
// and the sites are written into the state arena's site table (runtime/include/ktap/agent.h)
// that the agent reads.
#pragma once

#include "../diagnostics.h"
#include "../elaborate.h"
#include "../symbols/symbols.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ktap {

struct PlannedSite {
    size_t probe = 0;      // index in ElaboratedProgram::probes
    FunctionSite function;
    std::string pp;        // pp() of this site
    bool is_return = false;
    int64_t maxactive = 0;
};

// The query for a function probe point: process, library and function pattern.
FunctionQuery function_query(const ProbeInfo &info);

// Resolves every target probe. A probe point that matches no function is an error unless it is
// optional (`?`); unreadable modules are warnings. False when errors were reported.
bool plan_sites(const ElaboratedProgram &program, const ModuleMap &modules,
                std::vector<PlannedSite> &sites, Diagnostics &diag);

// Bytes the site table and its strings need in the arena.
uint64_t site_table_bytes(const std::vector<PlannedSite> &sites);

// Writes the table at arena offset `off` and points the arena header at it. Handler addresses
// are filled later (write_site_handlers), once the code is linked in the target.
void write_site_table(void *arena, uint64_t off, const std::vector<PlannedSite> &sites,
                      unsigned engine_flags);

// Target addresses of the probe bodies and @entry parts, and the @entry data size, per probe.
struct ProbeCode {
    uint64_t handler = 0;
    uint64_t entry_handler = 0;
    uint32_t entry_bytes = 0;
};
void write_site_handlers(void *arena, const std::vector<PlannedSite> &sites,
                         const std::vector<ProbeCode> &code);

// "function `name' in /path/lib.so" for messages.
std::string site_label(const PlannedSite &site);

} // namespace ktap
