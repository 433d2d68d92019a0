// UTF-8 as the controller checks it: scripts before ANTLR reads them (frontend/tokens.cpp) and
// output bytes before they go into JSON strings (output/output_sink.cpp).
#pragma once

#include <cstddef>
#include <string_view>

namespace ktap {

// Bytes of the UTF-8 sequence starting at s[i], or 0 when none starts there: no overlong forms,
// no surrogates, nothing above U+10FFFF.
inline size_t utf8_sequence_length(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    auto cont = [&](size_t k, unsigned lo = 0x80, unsigned hi = 0xbf) {
        return k < s.size() && byte(k) >= lo && byte(k) <= hi;
    };
    unsigned c = byte(i);
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf && cont(i + 1))
        return 2;
    if (c >= 0xe0 && c <= 0xef && cont(i + 1, c == 0xe0 ? 0xa0 : 0x80, c == 0xed ? 0x9f : 0xbf) &&
        cont(i + 2))
        return 3;
    if (c >= 0xf0 && c <= 0xf4 && cont(i + 1, c == 0xf0 ? 0x90 : 0x80, c == 0xf4 ? 0x8f : 0xbf) &&
        cont(i + 2) && cont(i + 3))
        return 4;
    return 0;
}

} // namespace ktap
