// libdwfl does the lookups: dwfl_module_addrinfo for the nearest symbol (function or data,
// from whichever symbol table the module or its debuginfo has), dwfl_module_getsrc for lines.
// Separate debuginfo is found by build-id under /usr/lib/debug or by .gnu_debuglink, not by
// dwfl_standard_find_debuginfo: that callback
// would ask debuginfod servers (Debian sets DEBUGINFOD_URLS), and printing must not wait on
// the network.
#include "symbolizer.h"

#include "elf_file.h"

#include <cstdio>
#include <cstring>
#include <dwarf.h>
#include <elfutils/libdwfl.h>
#include <fcntl.h>
#include <map>
#include <mutex>
#include <string_view>
#include <sys/mman.h>
#include <tuple>
#include <unistd.h>
#include <vector>

namespace ktap {

namespace {

int open_debug(const std::string &path, char **debuginfo_file) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && debuginfo_file)
        *debuginfo_file = strdup(path.c_str());
    return fd;
}

// Separate debuginfo: by build-id under /usr/lib/debug, else by .gnu_debuglink where gdb looks
// (beside the file, in its .debug folder, under /usr/lib/debug with the file's folder).
int find_debuginfo_local(Dwfl_Module *mod, void **, const char *, Dwarf_Addr, const char *file_name,
                         const char *debuglink, GElf_Word, char **debuginfo_file) {
    const unsigned char *bits = nullptr;
    GElf_Addr vaddr = 0;
    int n = dwfl_module_build_id(mod, &bits, &vaddr);
    if (n < 2)
        n = 0;
    static const char hexd[] = "0123456789abcdef";
    std::string hex;
    for (int i = 0; i < n; ++i) {
        hex += hexd[bits[i] >> 4];
        hex += hexd[bits[i] & 15];
    }
    if (n) {
        int fd = open_debug("/usr/lib/debug/.build-id/" + hex.substr(0, 2) + "/" + hex.substr(2) +
                                ".debug",
                            debuginfo_file);
        if (fd >= 0)
            return fd;
    }
    if (!debuglink || !*debuglink || !file_name || !*file_name)
        return -1;
    std::string file = file_name, dir = file.substr(0, file.rfind('/') + 1);
    for (const std::string &candidate :
         {dir + debuglink, dir + ".debug/" + debuglink, "/usr/lib/debug" + dir + debuglink}) {
        if (candidate == file)
            continue;
        int fd = open_debug(candidate, debuginfo_file);
        if (fd >= 0)
            return fd;
    }
    return -1;
}

const Dwfl_Callbacks kCallbacks = {
    nullptr, // find_elf: every module is reported with its file
    find_debuginfo_local,
    nullptr, // section_address: not used for ET_EXEC/ET_DYN
    nullptr,
};

std::string display_name(const char *sym) {
    std::string s = sym;
    size_t at = s.find('@');
    if (at != std::string::npos && at > 0)
        s.resize(at);
    std::string d = symbols_detail::demangle(s);
    if (d.empty())
        return s;
    std::string bare = symbols_detail::strip_parameters(d);
    return bare.empty() ? d : bare;
}

std::string die_name(Dwarf_Die *die) {
    Dwarf_Attribute attr;
    const char *n = nullptr;
    if (dwarf_attr_integrate(die, DW_AT_linkage_name, &attr) ||
        dwarf_attr_integrate(die, DW_AT_MIPS_linkage_name, &attr))
        n = dwarf_formstring(&attr);
    if (n) {
        std::string d = display_name(n);
        if (!d.empty())
            return d;
    }
    if (dwarf_attr_integrate(die, DW_AT_name, &attr))
        n = dwarf_formstring(&attr);
    return n ? n : "??";
}

// The inlined subroutines covering ADDR (module address), innermost first.
void inline_chain(Dwfl_Module *mod, uint64_t addr, std::vector<SymbolInfo::Inline> &out) {
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = dwfl_module_addrdie(mod, addr, &bias);
    if (!cu)
        return;
    Dwarf_Die *scopes = nullptr;
    int n = dwarf_getscopes(cu, addr - bias, &scopes);
    Dwarf_Files *files = nullptr;
    size_t nfiles = 0;
    dwarf_getsrcfiles(cu, &files, &nfiles);
    for (int i = 0; i < n; ++i) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_inlined_subroutine)
            continue;
        SymbolInfo::Inline in;
        in.name = die_name(&scopes[i]);
        Dwarf_Attribute attr;
        Dwarf_Word file = 0, line = 0;
        if (dwarf_attr(&scopes[i], DW_AT_call_file, &attr) && dwarf_formudata(&attr, &file) == 0 &&
            files && file < nfiles)
            if (const char *f = dwarf_filesrc(files, file, nullptr, nullptr))
                in.call_file = f;
        if (dwarf_attr(&scopes[i], DW_AT_call_line, &attr) && dwarf_formudata(&attr, &line) == 0)
            in.call_line = int(line);
        out.push_back(std::move(in));
    }
    free(scopes);
}

// Of the aliases at one address (malloc, __libc_malloc, __malloc), the name ktap's probe
// listings use too: no leading underscore, then global before weak before local, then the
// shorter (symbols/elf_file.cpp better_name).
std::string best_alias(Dwfl_Module *mod, uint64_t start, const char *found) {
    auto rank = [](const char *n, int bind) {
        int b = bind == STB_GLOBAL ? 0 : bind == STB_WEAK ? 1 : 2;
        return std::make_tuple(n[0] == '_', b, strlen(n), std::string_view(n));
    };
    const char *best = found;
    int best_bind = STB_LOCAL;
    int n = dwfl_module_getsymtab(mod);
    for (int i = 1; i < n; ++i) {
        GElf_Sym sym;
        GElf_Addr addr = 0;
        const char *name = dwfl_module_getsym_info(mod, i, &sym, &addr, nullptr, nullptr, nullptr);
        if (!name || !*name || addr != start)
            continue;
        if (!strcmp(name, found))
            best_bind = std::min(best_bind, int(GELF_ST_BIND(sym.st_info)));
        else if (rank(name, GELF_ST_BIND(sym.st_info)) < rank(best, best_bind)) {
            best = name;
            best_bind = GELF_ST_BIND(sym.st_info);
        }
    }
    return best;
}

} // namespace

struct Symbolizer::Impl {
    std::mutex mutex; // the drain thread looks up while the main loop adds libraries
    std::map<std::pair<Dwfl_Module *, uint64_t>, std::string> names; // best alias per symbol
    Dwfl *dwfl = nullptr;
    std::set<std::string> reported; // "path@bias"
    std::set<uint64_t> vdsos;       // load addresses of vDSOs reported
};

Symbolizer::Symbolizer() : impl_(std::make_unique<Impl>()) {
    impl_->dwfl = dwfl_begin(&kCallbacks);
}

Symbolizer::~Symbolizer() {
    if (impl_->dwfl)
        dwfl_end(impl_->dwfl);
}

void Symbolizer::add(const ModuleMap &map, const VdsoImage *vdso) {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Dwfl *d = impl_->dwfl;
    if (!d)
        return;
    dwfl_report_begin_add(d);
    for (const Module &m : map.modules) {
        std::string key = m.path + "@" + std::to_string(m.bias);
        if (!impl_->reported.insert(key).second)
            continue;
        dwfl_report_elf(d, m.path.c_str(), module_file(m).c_str(), -1, m.bias, true);
    }
    if (vdso && vdso->lo && !impl_->vdsos.count(vdso->lo)) {
        int fd = memfd_create("ktap-vdso", MFD_CLOEXEC);
        if (fd >= 0 &&
            write(fd, vdso->image.data(), vdso->image.size()) == ssize_t(vdso->image.size())) {
            // The names the kernel's vDSOs have (ldd shows them).
            const char *name = map.modules.empty() || map.modules[0].word_size == 64
                                   ? "linux-vdso.so.1"
                                   : "linux-gate.so.1";
            if (dwfl_report_elf(d, name, name, fd, vdso->lo, false))
                impl_->vdsos.insert(vdso->lo);
            fd = -1; // libdwfl owns it now
        }
        if (fd >= 0)
            close(fd);
    }
    dwfl_report_end(d, nullptr, nullptr);
}

SymbolInfo Symbolizer::lookup(uint64_t addr, bool want_line) {
    SymbolInfo info;
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Dwfl *d = impl_->dwfl;
    Dwfl_Module *mod = d ? dwfl_addrmodule(d, addr) : nullptr;
    if (!mod)
        return info;
    info.in_module = true;
    Dwarf_Addr start = 0;
    const char *name =
        dwfl_module_info(mod, nullptr, &start, nullptr, nullptr, nullptr, nullptr, nullptr);
    info.module = name ? name : "";
    info.module_offset = addr - start;
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *s = dwfl_module_addrinfo(mod, addr, &off, &sym, nullptr, nullptr, nullptr);
    if (s && *s) {
        info.has_symbol = true;
        auto key = std::make_pair(mod, uint64_t(addr - off));
        auto it = impl_->names.find(key);
        if (it == impl_->names.end())
            it = impl_->names.emplace(key, display_name(best_alias(mod, addr - off, s).c_str()))
                     .first;
        info.name = it->second;
        info.offset = off;
        info.size = sym.st_size;
    }
    if (want_line) {
        if (Dwfl_Line *l = dwfl_module_getsrc(mod, addr)) {
            int line = 0;
            const char *file = dwfl_lineinfo(l, nullptr, &line, nullptr, nullptr, nullptr);
            if (file) {
                info.file = file;
                info.line = line;
            }
        }
        inline_chain(mod, addr, info.inlines);
    }
    return info;
}

} // namespace ktap
