#include "host_symbols.h"

#include "host_helpers.h"

namespace ktap {

std::map<std::string, uint64_t> host_symbols() {
    std::map<std::string, uint64_t> s;
#define KTAP_SYMBOL(name) s[#name] = reinterpret_cast<uint64_t>(&name);
#include "symbols.def"
#undef KTAP_SYMBOL
    return s;
}

} // namespace ktap
