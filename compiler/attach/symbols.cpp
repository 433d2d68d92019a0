// Symbols of modules mapped by a live process: libelf on the mapped file, load bias from
// /proc/PID/maps.
#include "proc.h"
#include "symbols_internal.h"
#include "tracee.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

namespace ktap {

namespace {

std::string hex(uint64_t v) {
    char b[32];
    snprintf(b, sizeof b, "%llx", static_cast<unsigned long long>(v));
    return b;
}

std::string base_name(const std::string &path) {
    size_t slash = path.rfind('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool special_path(const std::string &path) {
    return path.empty() || path[0] == '[' || path.rfind("anon_inode:", 0) == 0 ||
           path.rfind("/memfd:", 0) == 0;
}

} // namespace

ElfModule::~ElfModule() {
    if (elf)
        elf_end(elf);
    if (fd >= 0)
        close(fd);
}

bool open_target_module(pid_t pid, const std::string &module, ElfModule &out, std::string &error,
                        const std::string &same_file) {
    std::vector<Mapping> maps;
    if (!read_maps(pid, maps, error))
        return false;
    std::string path;
    if (module.empty()) {
        char buf[4096];
        ssize_t n =
            readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), buf, sizeof buf - 1);
        if (n <= 0) {
            error = "cannot find the executable of process " + std::to_string(pid) + ": " +
                    strerror(errno);
            return false;
        }
        path.assign(buf, static_cast<size_t>(n));
    } else if (module[0] == '/') {
        for (const Mapping &m : maps)
            if (m.path == module) {
                path = m.path;
                break;
            }
    } else {
        for (const Mapping &m : maps)
            if (!special_path(m.path) && base_name(m.path) == module) {
                path = m.path;
                break;
            }
        if (path.empty())
            for (const Mapping &m : maps)
                if (!special_path(m.path) && m.path.find(module) != std::string::npos) {
                    path = m.path;
                    break;
                }
    }
    const Mapping *first = nullptr;
    out.module.low = out.module.high = 0;
    for (const Mapping &m : maps) {
        if (m.path != path || path.empty())
            continue;
        if (!first)
            first = &m;
        if (!out.module.low || m.start < out.module.low)
            out.module.low = m.start;
        out.module.high = std::max(out.module.high, m.end);
    }
    if (!first) {
        error =
            module.empty()
                ? "the executable of process " + std::to_string(pid) + " is not mapped"
                : "no module matching '" + module + "' is mapped in process " + std::to_string(pid);
        return false;
    }
    out.module.path = path;
    // The file as the process maps it (also when deleted or in another mount namespace), else
    // the path through the process's root, else the path.
    std::vector<std::string> candidates = {"/proc/" + std::to_string(pid) + "/map_files/" +
                                               hex(first->start) + "-" + hex(first->end),
                                           "/proc/" + std::to_string(pid) + "/root" + path, path};
    if (!same_file.empty())
        candidates.insert(candidates.begin() + 1, same_file);
    int err = 0;
    for (const std::string &c : candidates) {
        out.fd = open(c.c_str(), O_RDONLY | O_CLOEXEC);
        if (out.fd >= 0)
            break;
        if (!err)
            err = errno;
    }
    if (out.fd < 0) {
        error = "cannot open " + path + " (mapped in process " + std::to_string(pid) +
                "): " + strerror(err);
        return false;
    }
    elf_version(EV_CURRENT);
    out.elf = elf_begin(out.fd, ELF_C_READ_MMAP, nullptr);
    if (!out.elf || elf_kind(out.elf) != ELF_K_ELF) {
        error = "cannot read " + path + " as ELF: " + elf_errmsg(-1);
        return false;
    }
    // Bias: the lowest mapping maps the first PT_LOAD whose page-aligned file offset matches.
    size_t nph = 0;
    if (elf_getphdrnum(out.elf, &nph) != 0) {
        error = "cannot read the program headers of " + path + ": " + elf_errmsg(-1);
        return false;
    }
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const Mapping *lowest = nullptr;
    for (const Mapping &m : maps)
        if (m.path == path && (!lowest || m.start < lowest->start))
            lowest = &m;
    bool found = false;
    for (size_t i = 0; i < nph && !found; ++i) {
        GElf_Phdr ph;
        if (!gelf_getphdr(out.elf, static_cast<int>(i), &ph) || ph.p_type != PT_LOAD)
            continue;
        if ((ph.p_offset & ~(page - 1)) == lowest->offset) {
            out.module.bias = lowest->start - (ph.p_vaddr & ~(page - 1));
            found = true;
        }
    }
    if (!found) {
        error = "cannot find the load address of " + path + " in process " + std::to_string(pid) +
                ": no PT_LOAD matches its mappings";
        return false;
    }
    return true;
}

bool lookup_symbol(ElfModule &m, const std::string &name, GElf_Sym &best, std::string &error) {
    int best_rank = -1;
    for (int pass = 0; pass < 2 && best_rank < 0; ++pass) {
        Elf64_Word want = pass == 0 ? SHT_DYNSYM : SHT_SYMTAB;
        Elf_Scn *scn = nullptr;
        // .gnu.version of .dynsym: bit 15 marks a hidden (non-default) version.
        Elf_Data *versym = nullptr;
        if (want == SHT_DYNSYM) {
            while ((scn = elf_nextscn(m.elf, scn)) != nullptr) {
                GElf_Shdr sh;
                if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_GNU_versym)
                    versym = elf_getdata(scn, nullptr);
            }
            scn = nullptr;
        }
        while ((scn = elf_nextscn(m.elf, scn)) != nullptr) {
            GElf_Shdr sh;
            if (!gelf_getshdr(scn, &sh) || sh.sh_type != want || sh.sh_entsize == 0)
                continue;
            Elf_Data *data = elf_getdata(scn, nullptr);
            if (!data)
                continue;
            size_t count = sh.sh_size / sh.sh_entsize;
            for (size_t i = 1; i < count; ++i) {
                GElf_Sym sym;
                if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF ||
                    sym.st_name == 0)
                    continue;
                const char *s = elf_strptr(m.elf, sh.sh_link, sym.st_name);
                if (!s)
                    continue;
                size_t len = name.size();
                // "name", or in .symtab "name@@VERSION" (the default version).
                if (strncmp(s, name.c_str(), len) != 0 ||
                    (s[len] != 0 && strncmp(s + len, "@@", 2) != 0))
                    continue;
                int bind = GELF_ST_BIND(sym.st_info);
                bool hidden = false;
                if (versym) {
                    GElf_Versym v;
                    if (gelf_getversym(versym, static_cast<int>(i), &v))
                        hidden = (v & 0x8000) != 0;
                }
                int rank = (bind == STB_GLOBAL || bind == STB_WEAK ? 2 : 0) + (hidden ? 0 : 1);
                if (rank > best_rank) {
                    best_rank = rank;
                    best = sym;
                }
            }
        }
    }
    if (best_rank < 0) {
        error = "symbol '" + name + "' not found in " + m.module.path;
        return false;
    }
    if (GELF_ST_TYPE(best.st_info) == STT_TLS) {
        error = "symbol '" + name + "' in " + m.module.path + " is a thread-local variable";
        return false;
    }
    return true;
}

bool find_module_in_target(pid_t pid, const std::string &module, TargetModule &out,
                           std::string &error) {
    ElfModule m;
    if (!open_target_module(pid, module, m, error))
        return false;
    out = m.module;
    return true;
}

bool is_go_program(pid_t pid) {
    ElfModule m;
    std::string error;
    size_t shstrndx = 0;
    if (!open_target_module(pid, "", m, error) || elf_getshdrstrndx(m.elf, &shstrndx) != 0)
        return false;
    for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(m.elf, scn));) {
        GElf_Shdr sh;
        const char *name =
            gelf_getshdr(scn, &sh) ? elf_strptr(m.elf, shstrndx, sh.sh_name) : nullptr;
        if (name && (!strcmp(name, ".gopclntab") || !strcmp(name, ".go.buildinfo") ||
                     !strcmp(name, ".data.rel.ro.gopclntab")))
            return true;
    }
    return false;
}

bool find_target_symbol(pid_t pid, const std::string &module, const std::string &name,
                        uint64_t &addr, bool &ifunc, std::string &error) {
    ElfModule m;
    if (!open_target_module(pid, module, m, error))
        return false;
    GElf_Sym sym;
    if (!lookup_symbol(m, name, sym, error)) {
        error += " (process " + std::to_string(pid) + ")";
        return false;
    }
    addr = m.module.bias + sym.st_value;
    ifunc = GELF_ST_TYPE(sym.st_info) == STT_GNU_IFUNC;
    return true;
}

bool find_symbol_in_target(pid_t pid, const std::string &module, const std::string &name,
                           uint64_t &addr, std::string &error) {
    bool ifunc = false;
    if (!find_target_symbol(pid, module, name, addr, ifunc, error))
        return false;
    if (ifunc) {
        error = "'" + name + "' is an IFUNC (its symbol is the resolver): use resolve_function";
        return false;
    }
    return true;
}

} // namespace ktap
