#include "sema/format.h"

#include <cctype>
#include <cstring>

namespace ktap {

// Output is bounded by the output buffers anyway; larger numbers are mistakes (and would
// overflow the parse).
constexpr int kMaxFieldWidth = 100000;

bool parse_format(const std::string &fmt, FormatSpec &spec, std::string &error,
                  size_t &error_offset) {
    spec = {};
    std::string literal;
    for (size_t i = 0; i < fmt.size(); ++i) {
        if (fmt[i] != '%') {
            literal += fmt[i];
            continue;
        }
        size_t start = i++;
        if (i < fmt.size() && fmt[i] == '%') {
            literal += '%';
            continue;
        }
        if (!literal.empty()) {
            spec.pieces.push_back({true, literal});
            literal.clear();
        }
        FormatPiece p;
        p.is_literal = false;
        while (i < fmt.size() && std::strchr("-+ #0", fmt[i]))
            p.flags += fmt[i++];
        if (i < fmt.size() && fmt[i] == '*') {
            p.width = -2;
            spec.arg_kinds.push_back('l');
            ++i;
        } else if (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) {
            p.width = 0;
            while (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) {
                p.width = p.width * 10 + (fmt[i++] - '0');
                if (p.width > kMaxFieldWidth) {
                    error = "field width too large in format string";
                    error_offset = start;
                    return false;
                }
            }
        }
        if (i < fmt.size() && fmt[i] == '.') {
            ++i;
            if (i < fmt.size() && fmt[i] == '*') {
                p.precision = -2;
                spec.arg_kinds.push_back('l');
                ++i;
            } else {
                p.precision = 0;
                while (i < fmt.size() && isdigit(static_cast<unsigned char>(fmt[i]))) {
                    p.precision = p.precision * 10 + (fmt[i++] - '0');
                    if (p.precision > kMaxFieldWidth) {
                        error = "precision too large in format string";
                        error_offset = start;
                        return false;
                    }
                }
            }
        }
        while (i < fmt.size() && (fmt[i] == 'l' || fmt[i] == 'h' || fmt[i] == 'L'))
            ++i;  // length modifiers are accepted and ignored, as in stap
        if (i >= fmt.size()) {
            error = "incomplete conversion at the end of the format string";
            error_offset = start;
            return false;
        }
        char c = fmt[i];
        if (!std::strchr("diuoxXpscbmM", c)) {
            error = std::string("invalid conversion '%") + c + "' in format string";
            error_offset = start;
            return false;
        }
        p.conversion = c;
        if (c == 'b' && p.width > 0) {
            if (p.width != 1 && p.width != 2 && p.width != 4 && p.width != 8) {
                error = "%b width must be 1, 2, 4 or 8";
                error_offset = start;
                return false;
            }
            p.binary_width = p.width;
        }
        p.text = fmt.substr(start, i - start + 1);
        spec.arg_kinds.push_back(c == 's' ? 's' : 'l');
        spec.pieces.push_back(std::move(p));
    }
    if (!literal.empty())
        spec.pieces.push_back({true, literal});
    spec.args_needed = static_cast<int>(spec.arg_kinds.size());
    return true;
}

} // namespace ktap
