// Name helpers: C++ demangling (libstdc++'s abi::__cxa_demangle), the demangled name without
// its parameter list, glob detection, and stap's program path lookup.
#include "elf_file.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <cxxabi.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ktap::symbols_detail {

std::string demangle(const std::string &symbol) {
    if (symbol.size() < 3 || symbol[0] != '_' || symbol[1] != 'Z')
        return {};
    int status = 0;
    char *d = abi::__cxa_demangle(symbol.c_str(), nullptr, nullptr, &status);
    std::string out;
    if (d && status == 0)
        out = d;
    free(d);
    return out;
}

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ident_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// True when HEAD[0, END) closes every bracket it opens: END is not inside template arguments
// or a parameter list.
bool outside_brackets(const std::string &head, size_t end) {
    int depth = 0;
    for (size_t i = 0; i < end; ++i) {
        char c = head[i];
        if (c == '(' || c == '[' || c == '{' || c == '<')
            ++depth;
        else if (c == ')' || c == ']' || c == '}' || c == '>')
            --depth;
    }
    return depth == 0;
}

// Position of the last "operator" token in HEAD (the function name when the function is an
// operator), or npos. Not one inside template arguments (a lambda's operator() there).
size_t last_operator(const std::string &head) {
    size_t pos = head.rfind("operator");
    while (pos != std::string::npos) {
        size_t end = pos + 8;
        bool starts = pos == 0 || head[pos - 1] == ':' || head[pos - 1] == ' ';
        if (starts && (end == head.size() || !ident_char(head[end])) &&
            outside_brackets(head, pos))
            return pos;
        if (pos == 0)
            break;
        pos = head.rfind("operator", pos - 1);
    }
    return std::string::npos;
}

} // namespace

std::string strip_parameters(const std::string &demangled) {
    // Thunks and clones are different code from the function they name: keep them distinct.
    static const char *const prefixes[] = {"non-virtual thunk to ", "virtual thunk to ",
                                           "covariant return thunk to ",
                                           "transaction clone for "};
    for (const char *p : prefixes) {
        size_t n = strlen(p);
        if (demangled.compare(0, n, p) == 0)
            return p + strip_parameters(demangled.substr(n));
    }

    std::string s = demangled;
    // "f(int) [clone .constprop.0] [clone .isra.0]" -> clones ".constprop.0.isra.0", as the C
    // symbol would spell it.
    std::string clones;
    while (ends_with(s, "]")) {
        size_t p = s.rfind(" [clone ");
        if (p == std::string::npos)
            break;
        clones = s.substr(p + 8, s.size() - 1 - (p + 8)) + clones;
        s.resize(p);
    }
    for (bool again = true; again;) {
        again = false;
        for (const char *q : {" const", " volatile", " &&", " &", " noexcept"}) {
            if (ends_with(s, q)) {
                s.resize(s.size() - strlen(q));
                again = true;
            }
        }
    }
    if (s.empty() || s.back() != ')')
        return s + clones;

    // The parameter list: the '(' matching the final ')'.
    int depth = 0;
    size_t open = std::string::npos;
    for (size_t i = s.size(); i-- > 0;) {
        if (s[i] == ')')
            ++depth;
        else if (s[i] == '(' && --depth == 0) {
            open = i;
            break;
        }
    }
    if (open == std::string::npos || open == 0)
        return s + clones;
    std::string head = s.substr(0, open);

    // Template functions carry their return type first ("int ns::f<int>"): the name starts after
    // the last space outside brackets. Operators contain brackets and spaces of their own
    // ("operator<", "operator new", "operator unsigned long"): scan from "operator" instead.
    size_t scan_end = last_operator(head);
    if (scan_end == std::string::npos)
        scan_end = head.size();
    size_t start = 0;
    depth = 0;
    for (size_t i = scan_end; i-- > 0;) {
        char c = head[i];
        if (c == ')' || c == ']' || c == '}' || c == '>')
            ++depth;
        else if (c == '(' || c == '[' || c == '{' || c == '<')
            --depth;
        else if (c == ' ' && depth == 0) {
            // "...::operator()(int) const::{lambda(long)#1}": a qualifier inside the scope.
            if (head.compare(i + 1, 7, "const::") == 0 || head.compare(i + 1, 10, "volatile::") == 0)
                continue;
            start = i + 1;
            break;
        }
    }
    // ABI tags ("name_of[abi:cxx11]") are not part of the name a user writes.
    std::string name = head.substr(start);
    for (size_t t; (t = name.find("[abi:")) != std::string::npos;) {
        size_t close = name.find(']', t);
        if (close == std::string::npos)
            break;
        name.erase(t, close + 1 - t);
    }
    return name + clones;
}

namespace {

// True when S (starting at a '.') is only clone suffixes: (.constprop|.isra|.part)[.N] ...
bool only_clone_suffixes(std::string_view s) {
    static const std::string_view kinds[] = {"constprop", "isra", "part"};
    size_t i = 0;
    if (s.empty())
        return false;
    while (i < s.size()) {
        if (s[i] != '.')
            return false;
        ++i;
        size_t end = s.find('.', i);
        std::string_view word = s.substr(i, end == std::string_view::npos ? s.npos : end - i);
        if (std::find(std::begin(kinds), std::end(kinds), word) == std::end(kinds))
            return false;
        i += word.size();
        // An optional number: ".N".
        if (i + 1 < s.size() && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
            ++i;
            while (i < s.size() && s[i] >= '0' && s[i] <= '9')
                ++i;
        }
    }
    return true;
}

} // namespace

std::string clone_origin(const std::string &symbol) {
    for (size_t dot = symbol.find('.', 1); dot != std::string::npos;
         dot = symbol.find('.', dot + 1))
        if (only_clone_suffixes(std::string_view(symbol).substr(dot)))
            return symbol.substr(0, dot);
    return {};
}

bool has_glob(std::string_view s) {
    return s.find_first_of("*?[\\") != std::string_view::npos;
}

bool find_program(const std::string &arg, std::string &path, std::string &error) {
    if (arg.empty()) {
        error = "empty program path";
        return false;
    }
    auto accept = [&](const std::string &candidate, bool need_exec) {
        struct stat st;
        if (stat(candidate.c_str(), &st) != 0 || !S_ISREG(st.st_mode))
            return false;
        if (need_exec && access(candidate.c_str(), X_OK) != 0)
            return false;
        char buf[PATH_MAX];
        if (!realpath(candidate.c_str(), buf))
            return false;
        path = buf;
        return true;
    };
    if (arg.find('/') != std::string::npos) {
        if (accept(arg, false))
            return true;
        error = "'" + arg + "': " + strerror(errno ? errno : ENOENT);
        return false;
    }
    const char *env = getenv("PATH");
    std::string dirs = env ? env : "/usr/local/bin:/usr/bin:/bin";
    size_t b = 0;
    while (b <= dirs.size()) {
        size_t e = dirs.find(':', b);
        if (e == std::string::npos)
            e = dirs.size();
        std::string dir = dirs.substr(b, e - b);
        if (dir.empty())
            dir = ".";
        if (accept(dir + "/" + arg, true))
            return true;
        b = e + 1;
    }
    error = "'" + arg + "' not found in $PATH";
    return false;
}

} // namespace ktap::symbols_detail
