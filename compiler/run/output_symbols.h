// Symbolic output of backtraces and usym*() (docs/backtraces.md): handlers leave markers,
// "\x01" KIND ADDRESSES ["!" STOP] "\x02" (runtime/lang/kt_unwind.c), in what they print or
// keep in strings; ktap replaces each with SystemTap's text when the output is written.
#pragma once

#include "symbolizer.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace ktap {

class OutputSymbols {
  public:
    OutputSymbols(Symbolizer &symbols, uint32_t maxstringlen)
        : symbols_(symbols), maxstringlen_(maxstringlen) {}

    // True when TEXT may hold a marker (cheap: one memchr).
    static bool has_marker(std::string_view text);
    // TEXT with every well-formed marker replaced, and printf widths of strings holding markers
    // applied to the names ("\x03[-]WIDTH\x04...\x05", kt_format.c); other bytes unchanged.
    std::string expand(std::string_view text);

  private:
    size_t expand_padded(std::string_view text, size_t at, std::string &out);
    std::string render(char kind, std::string_view payload);
    std::string frame(char kind, uint64_t addr, bool caller, bool sigtramp);

    Symbolizer &symbols_;
    uint32_t maxstringlen_;
};

} // namespace ktap
