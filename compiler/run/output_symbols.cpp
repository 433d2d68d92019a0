// SystemTap's formats (runtime/sym.c _stp_snprint_addr): print_ubacktrace and print_ustack use
// its FULL form " 0x%016x : sym+0xoff/0xsize [module]\n", print_ubacktrace_brief "sym+0xoff\n",
// sprint_ubacktrace its SIMPLE form "sym+0xoff [module basename]" one per line, usymdata
// "sym+0xoff/0xsize [module]"; unknown addresses print as "0x%016x".
#include "output_symbols.h"

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <vector>

namespace ktap {

namespace {

std::string hex16(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "0x%016" PRIx64, v);
    return b;
}

std::string hex(uint64_t v) {
    char b[24];
    snprintf(b, sizeof b, "%#" PRIx64, v);
    return v ? std::string(b) : std::string("0x0");
}

std::string basename_of(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

const char *stop_reason(char code) {
    switch (code) {
    case '1':
        return "MAXBACKTRACE reached (raise it with -D MAXBACKTRACE=N)";
    case '2':
        return "no unwind information for the next frame";
    case '3':
        return "a stack read faulted";
    case '4':
        return "the stack pointer did not move towards the caller";
    case '5':
        return "no stack to unwind here";
    default:
        return "unknown reason";
    }
}

bool valid_payload(std::string_view p) {
    for (char c : p)
        if (!(isxdigit(static_cast<unsigned char>(c)) || c == 'x' || c == ' ' || c == '!' ||
              c == '-' || c == '^' || c == '='))
            return false;
    return true;
}

} // namespace

bool OutputSymbols::has_marker(std::string_view text) {
    return memchr(text.data(), '\x01', text.size()) != nullptr;
}

std::string OutputSymbols::frame(char kind, uint64_t addr, bool caller, bool sigtramp) {
    bool lines = kind == 'L' || kind == 'f' || kind == 'l' || kind == 'n';
    // A caller's frame is named by its call instruction (addr - 1), as gdb does: after a call to
    // a noreturn function the return address is already the next function's first byte.
    SymbolInfo s = symbols_.lookup(caller && addr ? addr - 1 : addr, lines);
    if (caller && addr && s.has_symbol) {
        s.offset += 1;
        s.module_offset += 1;
    } else if (caller && addr) {
        // Nothing named at addr - 1: a signal trampoline's return address is its first byte
        // (its FDE starts a byte early, on a nop no symbol covers), or a frame the kernel
        // interrupted; name the address itself.
        s = symbols_.lookup(addr, lines);
    }
    if (sigtramp && !s.has_symbol) {
        // The unwinder went through a signal frame here; name it as gdb does when the
        // trampoline has no symbol (x86_64 glibc's __restore_rt is only in libc's debuginfo).
        const std::string tramp = "<signal handler called>";
        switch (kind) {
        case 'F':
        case 'G':
        case 'L':
            return " " + hex16(addr) + " : " + tramp + " [" + s.module + "]\n";
        case 'B':
            return tramp + "\n";
        case 'S':
            return tramp + " [" + basename_of(s.module) + "]\n";
        case 'C':
            return tramp;
        default:
            break;
        }
    }
    switch (kind) {
    case 'F':
    case 'G':
    case 'L': {
        std::string at, inlined;
        if (kind == 'L' && !s.file.empty())
            at = " at " + s.file + ":" + std::to_string(s.line);
        // Inlined subroutines first (innermost at the line table's place), then the function
        // at the place the outermost one was inlined, as gdb's backtrace shows them.
        for (const SymbolInfo::Inline &in : s.inlines) {
            inlined += " " + hex16(addr) + " : " + in.name + at + " (inlined) [" + s.module + "]\n";
            at = in.call_file.empty() ? ""
                                      : " at " + in.call_file + ":" + std::to_string(in.call_line);
        }
        if (s.has_symbol)
            return inlined + " " + hex16(addr) + " : " + s.name + "+" + hex(s.offset) + "/" +
                   hex(s.size) + at + " [" + s.module + "]\n";
        if (s.in_module)
            return " " + hex16(addr) + " [" + s.module + "+" + hex(s.module_offset) + "]\n";
        return " " + hex16(addr) + "\n";
    }
    case 'B':
        return s.has_symbol ? s.name + "+" + hex(s.offset) + "\n" : hex16(addr) + "\n";
    case 'S':
        if (s.has_symbol)
            return s.name + "+" + hex(s.offset) + " [" + basename_of(s.module) + "]\n";
        if (s.in_module)
            return hex16(addr) + " [" + basename_of(s.module) + "+" + hex(s.module_offset) + "]\n";
        return hex16(addr) + "\n";
    case 'C': // one element of a folded stack
        if (s.has_symbol)
            return s.name;
        return s.in_module ? "[" + basename_of(s.module) + "+" + hex(s.module_offset) + "]"
                           : hex16(addr);
    case 'N':
        return s.has_symbol ? s.name : hex16(addr);
    case 'D':
        if (s.has_symbol)
            return s.name + "+" + hex(s.offset) + "/" + hex(s.size) + " [" + s.module + "]";
        if (s.in_module)
            return hex16(addr) + " [" + s.module + "+" + hex(s.module_offset) + "]";
        return hex16(addr);
    case 'f':
        return s.file.empty() ? hex16(addr) : s.file;
    case 'l':
        return s.file.empty() ? hex16(addr) : s.file + ":" + std::to_string(s.line);
    case 'n':
        return s.file.empty() ? hex16(addr) : std::to_string(s.line);
    case 'M':
        return s.in_module ? s.module : "<unknown>";
    default:
        return "";
    }
}

std::string OutputSymbols::render(char kind, std::string_view payload) {
    char stop = 0;
    size_t bang = payload.find('!');
    if (bang != std::string_view::npos) {
        stop = bang + 1 < payload.size() ? payload[bang + 1] : '?';
        payload = payload.substr(0, bang);
    }
    std::string out;
    std::vector<std::string> folded; // kind C: outermost frame first, joined by ';'
    size_t i = 0, index = 0;
    while (i < payload.size()) {
        while (i < payload.size() && payload[i] == ' ')
            ++i;
        size_t j = i;
        while (j < payload.size() && payload[j] != ' ')
            ++j;
        if (j > i) {
            std::string word(payload.substr(i, j - i));
            // '^': a signal trampoline, '=': an interrupted address (both looked up exactly);
            // otherwise frame 0 is the probed address and the others are return addresses.
            bool sigtramp = word[0] == '^', exact = sigtramp || word[0] == '=';
            if (exact)
                word.erase(0, 1);
            char *end = nullptr;
            uint64_t addr = strtoull(word.c_str(), &end, 0);
            if (!word.empty() && end && *end == '\0') {
                bool caller = index++ > 0 && !exact;
                if (kind == 'C')
                    folded.push_back(frame(kind, addr, caller, sigtramp));
                else
                    out += frame(kind, addr, caller, sigtramp);
            }
        }
        i = j;
    }
    for (auto it = folded.rbegin(); it != folded.rend(); ++it)
        out += (out.empty() ? "" : ";") + *it;
    if (stop && (kind == 'F' || kind == 'B' || kind == 'L'))
        out += std::string(kind == 'B' ? "" : " ") + "(backtrace stopped: " + stop_reason(stop) +
               ")\n";
    if (kind == 'S' || kind == 'G') {
        // A string value: no final newline, at most MAXSTRINGLEN - 1 bytes, as stap's sprint_*.
        if (!out.empty() && out.back() == '\n')
            out.pop_back();
        if (maxstringlen_ && out.size() > maxstringlen_ - 1)
            out.resize(maxstringlen_ - 1);
    }
    return out;
}

// printf's width for a string holding markers: "\x03[-]WIDTH\x04TEXT\x05" (kt_format.c),
// applied to TEXT once its markers are names. Returns where it ends (after \x05), or 0 when
// TEXT at AT is no such wrapper. Wrappers nest (sprintf's result printed with a width again).
size_t OutputSymbols::expand_padded(std::string_view text, size_t at, std::string &out) {
    size_t i = at + 1;
    bool left = i < text.size() && text[i] == '-';
    i += left;
    size_t width = 0, digits = 0;
    while (i < text.size() && isdigit(static_cast<unsigned char>(text[i])) && digits < 6)
        width = width * 10 + size_t(text[i++] - '0'), ++digits;
    if (!digits || i >= text.size() || text[i] != '\x04')
        return 0;
    size_t start = ++i;
    int depth = 1;
    for (; i < text.size(); ++i) {
        if (text[i] == '\x03')
            ++depth;
        else if (text[i] == '\x05' && --depth == 0)
            break;
    }
    if (depth)
        return 0;
    std::string inner = expand(text.substr(start, i - start));
    std::string pad(inner.size() < width ? width - inner.size() : 0, ' ');
    out += left ? inner + pad : pad + inner;
    return i + 1;
}

std::string OutputSymbols::expand(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    size_t i = 0;
    while (i < text.size()) {
        size_t at = text.find_first_of(std::string_view("\x01\x03", 2), i);
        if (at == std::string_view::npos) {
            out.append(text.substr(i));
            break;
        }
        out.append(text.substr(i, at - i));
        if (text[at] == '\x03') {
            size_t next = expand_padded(text, at, out);
            if (next) {
                i = next;
            } else {
                out += text[at];
                i = at + 1;
            }
            continue;
        }
        size_t end = text.find('\x02', at + 2);
        if (at + 1 < text.size() && end != std::string_view::npos &&
            strchr("FGLBSCNDflnM", text[at + 1]) && text[at + 1] != '\0' &&
            valid_payload(text.substr(at + 2, end - at - 2))) {
            out += render(text[at + 1], text.substr(at + 2, end - at - 2));
            i = end + 1;
        } else {
            out += text[at];
            i = at + 1;
        }
    }
    return out;
}

} // namespace ktap
