// Runtime helpers for handlers that run in the controller (begin/end/error/timer probes):
// clocks, process identity, messages, exit(). They are C functions given to the JIT linker as
// absolute symbols (see symbols()). The target's runtime provides its own versions.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ktap {

struct HostContext {
    std::vector<std::string> probe_names;  // pp() of each probe index
    int64_t target_pid = 0;
};

// The controller's state shared with the helpers (one session per process).
HostContext &host_context();

// Every helper and language-runtime function, by name, at its address in this process.
std::map<std::string, uint64_t> host_symbols();

} // namespace ktap
