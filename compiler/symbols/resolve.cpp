// process("PATH").library("LIB").function("PAT") -> function sites, and `-l` listing lines.
#include "../dwarf/debuginfo.h"
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

bool digits(std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

// ":LINE" forms: "N", "N-M", "*". False when TEXT is none of them.
bool parse_line_spec(std::string_view text, FunctionSpec &spec) {
    if (text == "*") {
        spec.has_line = false;
        return true;
    }
    size_t dash = text.find('-');
    std::string_view lo = text.substr(0, dash);
    std::string_view hi = dash == std::string_view::npos ? lo : text.substr(dash + 1);
    if (!digits(lo) || !digits(hi) || lo.size() > 9 || hi.size() > 9)
        return false;
    spec.has_line = true;
    spec.line_lo = std::stoi(std::string(lo));
    spec.line_hi = std::stoi(std::string(hi));
    return spec.line_lo <= spec.line_hi;
}

} // namespace

bool symbols_detail::parse_function_spec(const std::string &pat, FunctionSpec &spec,
                                         std::string &error) {
    spec = FunctionSpec{};
    if (pat.empty()) {
        error = "function(\"\") needs a function name or pattern";
        return false;
    }
    size_t at = pat.find('@');
    if (at == std::string::npos) {
        // "f:12" (but not "ns::f"): a line without a file.
        size_t colon = pat.rfind(':');
        if (colon != std::string::npos && colon + 1 < pat.size() &&
            (colon == 0 || pat[colon - 1] != ':') &&
            pat.find_first_not_of("0123456789*+-,", colon + 1) == std::string::npos) {
            error = "function(" + quoted(pat) +
                    "): a line number needs a source file: function(\"PAT@FILE:LINE\")";
            return false;
        }
        spec.name = pat;
        return true;
    }
    spec.name = pat.substr(0, at);
    std::string rest = pat.substr(at + 1);
    spec.has_file = true;
    size_t colon = rest.rfind(':');
    if (colon != std::string::npos) {
        std::string_view line = std::string_view(rest).substr(colon + 1);
        if (line.find_first_not_of("0123456789*+-,") == std::string_view::npos) {
            if (!parse_line_spec(line, spec)) {
                error = "function(" + quoted(pat) + "): line '" + std::string(line) +
                        "' is not supported: use :N, :N-M or :*";
                return false;
            }
            rest.resize(colon);
        }
    }
    spec.file = rest;
    if (spec.name.empty() || spec.file.empty()) {
        error = "function(" + quoted(pat) + ") needs a function pattern before '@' and a " +
                "source file pattern after it: function(\"PAT@FILE[:LINE]\")";
        return false;
    }
    return true;
}

bool symbols_detail::source_file_matches(const std::string &pattern, const std::string &file) {
    if (file.empty())
        return false;
    if (fnmatch(pattern.c_str(), file.c_str(), FNM_PATHNAME) == 0)
        return true;
    // Any trailing part of the path: "prog.c", "src/prog.c", "*/prog.c".
    for (size_t slash = file.find('/'); slash != std::string::npos;
         slash = file.find('/', slash + 1)) {
        if (slash + 1 < file.size() &&
            fnmatch(pattern.c_str(), file.c_str() + slash + 1, FNM_PATHNAME) == 0)
            return true;
    }
    return false;
}

namespace {

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
    auto m = [pat](const std::string &s) { return !s.empty() && fnmatch(pat, s.c_str(), 0) == 0; };
    return m(n.symbol) || m(n.demangled) || m(n.bare) || m(n.origin) || m(n.origin_demangled) ||
           m(n.origin_bare);
}

bool name_equals(const FunctionName &n, const std::string &pat) {
    return n.symbol == pat || n.demangled == pat || n.bare == pat ||
           (!n.origin.empty() &&
            (n.origin == pat || n.origin_demangled == pat || n.origin_bare == pat));
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

bool line_matches(const FunctionSpec &spec, int line) {
    return !spec.has_line || (line >= spec.line_lo && line <= spec.line_hi);
}

// The module's DWARF (compiler/dwarf), nullptr when it has none.
std::shared_ptr<dwarf::DebugInfo> debug_info(const Module &m) {
    std::string error;
    return dwarf::DebugInfo::open(module_file(m), error);
}

std::string plural(size_t n, const char *word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// Why a pattern without wildcards selects nothing, when DWARF knows the function only as
// inlined copies: "function "f" in /p is only inlined (3 sites, prog.c:12): ...". "" otherwise.
std::string inlined_only_reason(const std::vector<const Module *> &modules,
                                const FunctionSpec &spec) {
    for (const Module *m : modules) {
        if (!m->elf || !m->elf->functions().error.empty())
            continue;
        auto dw = debug_info(*m);
        if (!dw)
            continue;
        for (const dwarf::InlinedOnly &f : dw->inlined_only()) {
            if (f.name != spec.name ||
                (spec.has_file && !source_file_matches(spec.file, f.decl_file)) ||
                !line_matches(spec, f.decl_line))
                continue;
            std::string where = basename_of(f.decl_file);
            if (!where.empty() && f.decl_line > 0)
                where += ":" + std::to_string(f.decl_line);
            return "function " + quoted(spec.name) + " in " + m->path + " is only inlined (" +
                   plural(f.sites, "site") + (where.empty() ? "" : ", " + where) +
                   "): ktap probes out-of-line copies only";
        }
    }
    return {};
}

} // namespace

bool resolve_functions(const ModuleMap &map, const FunctionQuery &query,
                       std::vector<FunctionSite> &sites, std::string &error,
                       std::vector<std::string> *warnings) {
    sites.clear();
    FunctionSpec spec;
    if (!parse_function_spec(query.function, spec, error))
        return false;
    std::vector<const Module *> modules;
    bool explicit_choice = false;
    if (!select_modules(map, query, modules, explicit_choice, error))
        return false;

    const std::string &pat = spec.name;
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
        // Matches by name first: DWARF is opened only for modules with candidates.
        std::vector<std::pair<const FunctionEntry *, const FunctionName *>> found;
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
                        found.emplace_back(&fe, &n);
                        break;
                    }
                }
            }
        } else {
            for (const FunctionEntry &fe : t.entries) {
                for (const FunctionName &n : fe.names) {
                    if (everything || name_matches(n, pat.c_str())) {
                        found.emplace_back(&fe, &n);
                        break;
                    }
                }
            }
        }
        if (found.empty())
            continue;
        // Source positions from DWARF (pp(), -l, @FILE:LINE). Without DWARF, a pattern with
        // @FILE matches nothing in the module (as in stap).
        std::shared_ptr<dwarf::DebugInfo> dw =
            spec.has_file || query.source_positions ? debug_info(*m) : nullptr;
        if (!dw && spec.has_file)
            continue;
        size_t first = sites.size();
        for (auto [fe, n] : found) {
            const dwarf::Function *df = dw ? dw->function_at(fe->value) : nullptr;
            if (spec.has_file && (!df || !source_file_matches(spec.file, df->decl_file) ||
                                  !line_matches(spec, df->decl_line)))
                continue;
            FunctionSite s = make_site(*m, *fe, *n);
            if (df) {
                s.decl_file = df->decl_file;
                s.decl_line = df->decl_line;
            }
            if (seen.insert(s.address).second)
                sites.push_back(std::move(s));
        }
        std::sort(sites.begin() + long(first), sites.end(),
                  [](const FunctionSite &a, const FunctionSite &b) { return a.address < b.address; });
    }
    if (sites.empty() && exact) {
        std::string why = inlined_only_reason(modules, spec);
        if (!why.empty()) {
            error = why;
            return false;
        }
    }
    return true;
}

std::string probe_point_text(const FunctionSite &site) {
    std::string function = site.name;
    if (!site.decl_file.empty()) {
        function += "@" + site.decl_file;
        if (site.decl_line > 0)
            function += ":" + std::to_string(site.decl_line);
    }
    return "process(" + quoted(site.module ? site.module->path : std::string()) +
           ").function(" + quoted(function) + ")";
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
