// process("PATH").library("LIB").function("PAT") -> function sites, and `-l` listing lines.
#include "elf_file.h"
#include "symbols.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unordered_set>

namespace ktap {

using namespace symbols_detail;

namespace {

std::string quoted(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string basename_of(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// function("PAT@FILE[:LINE]") and function("PAT:LINE") select by source position: DWARF work.
bool check_function_pattern(const std::string &pat, std::string &error) {
    if (pat.empty()) {
        error = "function(\"\") needs a function name or pattern";
        return false;
    }
    bool position = pat.find('@') != std::string::npos;
    size_t colon = pat.rfind(':');
    if (!position && colon != std::string::npos && colon + 1 < pat.size() &&
        (colon == 0 || pat[colon - 1] != ':'))
        position = pat.find_first_not_of("0123456789*+-,", colon + 1) == std::string::npos;
    if (position) {
        error = "function(" + quoted(pat) +
                "): source file and line qualifiers (@FILE, :LINE) need DWARF debug "
                "information, which ktap does not read yet; use a function name or pattern";
        return false;
    }
    return true;
}

// A path argument without globs, resolved to its file.
struct FileId {
    std::string real;
    struct stat st {};
};

bool same_module_file(const Module &m, const FileId &id) {
    return m.path == id.real ||
           (uint64_t(id.st.st_ino) == m.inode && uint64_t(id.st.st_dev) == m.dev);
}

bool resolve_file(const std::string &arg, bool program_lookup, FileId &id, std::string &error) {
    if (program_lookup) {
        if (!find_program(arg, id.real, error))
            return false;
    } else {
        char buf[PATH_MAX];
        if (!realpath(arg.c_str(), buf)) {
            error = "'" + arg + "': no such file";
            return false;
        }
        id.real = buf;
    }
    if (stat(id.real.c_str(), &id.st) != 0) {
        error = "'" + arg + "': cannot stat";
        return false;
    }
    return true;
}

std::string whose(const ModuleMap &map) {
    if (map.pid)
        return "process " + std::to_string(map.pid);
    const Module *main = map.main();
    return main ? main->path : std::string("the program");
}

bool library_matches(const Module &m, const std::string &lib) {
    return fnmatch(lib.c_str(), m.path.c_str(), FNM_PATHNAME) == 0 ||
           fnmatch(lib.c_str(), basename_of(m.path).c_str(), 0) == 0 ||
           (!m.soname.empty() && fnmatch(lib.c_str(), m.soname.c_str(), 0) == 0);
}

// The modules a query covers, and whether they were named explicitly (then an unreadable one is
// an error, not a warning).
bool select_modules(const ModuleMap &map, const FunctionQuery &q,
                    std::vector<const Module *> &out, bool &explicit_choice, std::string &error) {
    explicit_choice = false;
    if (!q.process.empty()) {
        std::vector<const Module *> procs;
        if (has_glob(q.process)) {
            for (const Module &m : map.modules)
                if (fnmatch(q.process.c_str(), m.path.c_str(), FNM_PATHNAME) == 0)
                    procs.push_back(&m);
        } else {
            FileId id;
            std::string err;
            if (!resolve_file(q.process, true, id, err)) {
                error = "process(" + quoted(q.process) + "): " + err;
                return false;
            }
            for (const Module &m : map.modules)
                if (same_module_file(m, id))
                    procs.push_back(&m);
        }
        if (procs.empty()) {
            error = "process(" + quoted(q.process) + ") is not mapped by " + whose(map);
            return false;
        }
        for (const Module *m : procs) {
            if (m->is_ktap) {
                error = "process(" + quoted(q.process) + "): " + m->path +
                        " is ktap's own runtime and cannot be probed";
                return false;
            }
        }
        if (q.library.empty()) {
            out = procs;
            explicit_choice = !has_glob(q.process);
            return true;
        }
    }
    if (!q.library.empty()) {
        bool path_arg = q.library.find('/') != std::string::npos && !has_glob(q.library);
        FileId id;
        if (path_arg) {
            std::string err;
            if (!resolve_file(q.library, false, id, err)) {
                error = "library(" + quoted(q.library) + "): " + err;
                return false;
            }
        }
        for (const Module &m : map.modules) {
            if (m.is_main || m.is_ktap)
                continue;
            if (path_arg ? same_module_file(m, id) : library_matches(m, q.library))
                out.push_back(&m);
        }
        if (out.empty()) {
            error = "library(" + quoted(q.library) + ") matches no library " +
                    (map.pid ? "mapped by " : "needed by ") + whose(map);
            return false;
        }
        explicit_choice = !has_glob(q.library);
        return true;
    }
    for (const Module &m : map.modules)
        if (!m.is_ktap)
            out.push_back(&m);
    return true;
}

bool name_matches(const FunctionName &n, const char *pat) {
    return fnmatch(pat, n.symbol.c_str(), 0) == 0 ||
           (!n.demangled.empty() && fnmatch(pat, n.demangled.c_str(), 0) == 0) ||
           (!n.bare.empty() && fnmatch(pat, n.bare.c_str(), 0) == 0);
}

bool name_equals(const FunctionName &n, const std::string &pat) {
    return n.symbol == pat || n.demangled == pat || n.bare == pat;
}

FunctionSite make_site(const Module &m, const FunctionEntry &e, const FunctionName &n) {
    FunctionSite s;
    s.module = &m;
    s.name = n.listed;
    s.symbol = n.symbol;
    s.display = n.demangled.empty() ? n.symbol : n.demangled;
    uint64_t mask = m.word_size == 32 ? 0xffffffffull : ~0ull;
    s.address = (e.value + m.bias) & mask;
    s.size = e.size;
    return s;
}

} // namespace

bool resolve_functions(const ModuleMap &map, const FunctionQuery &query,
                       std::vector<FunctionSite> &sites, std::string &error,
                       std::vector<std::string> *warnings) {
    sites.clear();
    if (!check_function_pattern(query.function, error))
        return false;
    std::vector<const Module *> modules;
    bool explicit_choice = false;
    if (!select_modules(map, query, modules, explicit_choice, error))
        return false;

    const std::string &pat = query.function;
    const bool everything = pat == "*";
    const bool exact = !has_glob(pat);
    std::unordered_set<uint64_t> seen;
    for (const Module *m : modules) {
        const FunctionTable &t = m->elf->functions();
        if (!t.error.empty()) {
            if (explicit_choice) {
                error = t.error;
                sites.clear();
                return false;
            }
            if (warnings)
                warnings->push_back(t.error + "; its functions are not probed");
            continue;
        }
        size_t first = sites.size();
        auto add = [&](const FunctionEntry &e, const FunctionName &n) {
            FunctionSite s = make_site(*m, e, n);
            if (seen.insert(s.address).second)
                sites.push_back(std::move(s));
        };
        if (exact) {
            auto [b, e] = t.exact.equal_range(pat);
            std::vector<uint32_t> idx;
            for (auto it = b; it != e; ++it)
                idx.push_back(it->second);
            std::sort(idx.begin(), idx.end());
            idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
            for (uint32_t i : idx) {
                const FunctionEntry &fe = t.entries[i];
                for (const FunctionName &n : fe.names) {
                    if (name_equals(n, pat)) {
                        add(fe, n);
                        break;
                    }
                }
            }
        } else {
            for (const FunctionEntry &fe : t.entries) {
                for (const FunctionName &n : fe.names) {
                    if (everything || name_matches(n, pat.c_str())) {
                        add(fe, n);
                        break;
                    }
                }
            }
        }
        std::sort(sites.begin() + long(first), sites.end(),
                  [](const FunctionSite &a, const FunctionSite &b) { return a.address < b.address; });
    }
    return true;
}

std::string probe_point_text(const FunctionSite &site) {
    return "process(" + quoted(site.module ? site.module->path : std::string()) +
           ").function(" + quoted(site.name) + ")";
}

std::vector<std::string> list_probe_points(const std::vector<FunctionSite> &sites) {
    std::vector<std::string> lines;
    lines.reserve(sites.size());
    for (const FunctionSite &s : sites)
        lines.push_back(probe_point_text(s));
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    return lines;
}

} // namespace ktap
