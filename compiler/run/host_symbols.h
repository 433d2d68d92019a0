// The executor addresses of every runtime function, for the JIT linker.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace ktap {

// This process's own functions (the controller as executor).
std::map<std::string, uint64_t> host_symbols();

} // namespace ktap
