// printf-style format strings (reference systemtap.md §1.11), parsed once for checking here
// and for code generation later.
#pragma once

#include <string>
#include <vector>

namespace ktap {

struct FormatPiece {
    bool is_literal = true;
    std::string text;  // literal text, or the whole conversion as written ("%-08lx")
    // Conversion fields.
    std::string flags;        // any of "-+ #0"
    int width = -1;           // -1 none, -2 '*'
    int precision = -1;       // -1 none, -2 '*'
    char conversion = 0;      // d i u o x X p s c b m M
    int binary_width = 0;     // %1b %2b %4b %8b
};

struct FormatSpec {
    std::vector<FormatPiece> pieces;
    int args_needed = 0;         // including '*' widths and precisions
    std::vector<char> arg_kinds; // 'l' long, 's' string, per argument in order
};

// Parses `fmt`; on error sets `error` (and `error_offset` within fmt) and returns false.
bool parse_format(const std::string &fmt, FormatSpec &spec, std::string &error,
                  size_t &error_offset);

} // namespace ktap
