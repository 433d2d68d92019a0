// The type of a function's return value from DWARF (libdw): what `$return` needs to be the value
// the program sees (an `int` is the low half of rax, a `long long` on i386 is edx:eax). The first
// piece of the DWARF work (issue 6); ELF-only modules give "unknown".
#pragma once

#include <cstdint>
#include <string>

namespace ktap {

struct ReturnType {
    uint32_t bytes = 0;      // 0: unknown (no DWARF, void, or not an integer/pointer type)
    bool is_signed = false;
};

// `link_address` is the function's entry as in the ELF file (st_value). Files are opened once.
ReturnType function_return_type(const std::string &path, uint64_t link_address);

} // namespace ktap
