// Remote function calls by name, library injection with dlopen, exported symbols.
#include "proc.h"
#include "symbols_internal.h"
#include "tracee.h"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <dlfcn.h>
#include <gelf.h>
#include <time.h>

namespace ktap {

namespace {

std::string pname(const Tracee &t) {
    return "process " + std::to_string(t.pid());
}

bool absolute_path(const std::string &path, std::string &real, std::string &error) {
    char buf[PATH_MAX];
    if (!realpath(path.c_str(), buf)) {
        error = "cannot load " + path + ": " + strerror(errno);
        return false;
    }
    real = buf;
    return true;
}

// A thread stopped inside the dynamic loader may hold its lock, and dlopen would then wait
// for it forever: let the threads run a little and stop them again (up to ~50 times).
void leave_loader(Tracee &t) {
    TargetModule ld;
    std::string error;
    if (!find_module_in_target(t.pid(), "ld-linux", ld, error) &&
        !find_module_in_target(t.pid(), "ld-musl", ld, error))
        return;
    for (int round = 0; round < 50; ++round) {
        bool inside = false;
        for (uint64_t ip : t.thread_ips())
            if (ip >= ld.low && ip < ld.high)
                inside = true;
        if (!inside)
            return;
        if (!t.resume_all())
            return;
        timespec ts{0, 1000 * 1000};
        nanosleep(&ts, nullptr);
        t.service_events();
        if (!t.stop_all(error))
            return;
    }
}

} // namespace

bool resolve_function(Tracee &t, const std::string &module, const std::string &name, uint64_t &addr,
                      std::string &error) {
    bool ifunc = false;
    if (!find_target_symbol(t.pid(), module, name, addr, ifunc, error))
        return false;
    if (!ifunc)
        return true;
    // glibc's x86 IFUNC resolvers take no arguments (they read the loader's CPU features).
    uint64_t impl = 0;
    if (!t.call(addr, {}, impl, error)) {
        error = "cannot resolve the IFUNC '" + name + "': " + error;
        return false;
    }
    if (impl == 0) {
        error = "the IFUNC resolver of '" + name + "' in " + pname(t) + " returned 0";
        return false;
    }
    addr = impl;
    return true;
}

bool call_function(Tracee &t, const std::string &module, const std::string &name,
                   const std::vector<uint64_t> &args, uint64_t &result, std::string &error) {
    uint64_t fn = 0;
    if (!resolve_function(t, module, name, fn, error))
        return false;
    if (!t.call(fn, args, result, error)) {
        error = name + "(): " + error;
        return false;
    }
    return true;
}

bool inject_library(Tracee &t, const std::string &path, uint64_t &base, std::string &error,
                    uint64_t *handle) {
    if (!t.attached() || !t.stopped()) {
        error = t.exited() ? pname(t) + " " + describe_wait_status(t.exit_status())
                           : "cannot load " + path + ": the process is not attached and stopped";
        return false;
    }
    std::string real;
    if (!absolute_path(path, real, error))
        return false;
    int cls = elf_class_of_file(real);
    if (cls == 0) {
        error = "cannot load " + real + ": not an ELF file";
        return false;
    }
    if (cls != t.bits()) {
        error = "cannot load " + real + " into " + pname(t) + ": the library is " +
                std::to_string(cls) + "-bit, the process " + std::to_string(t.bits()) + "-bit";
        return false;
    }
    uint64_t h = 0;
    if (!remote_dlopen(t, real, h, error))
        return false;
    if (handle)
        *handle = h;
    TargetModule mod;
    if (!find_module_in_target(t.pid(), real, mod, error)) {
        error = "dlopen(\"" + real + "\") succeeded but the library is not in /proc/" +
                std::to_string(t.pid()) + "/maps: " + error;
        return false;
    }
    base = mod.bias;
    return true;
}

bool remote_dlopen(Tracee &t, const std::string &real, uint64_t &handle, std::string &error) {
    uint64_t dlopen_fn = 0, dlerror_fn = 0;
    std::string e;
    for (const char *lib : {"libc.so.6", "libdl.so.2", "ld-musl"}) {
        if (find_symbol_in_target(t.pid(), lib, "dlopen", dlopen_fn, e)) {
            find_symbol_in_target(t.pid(), lib, "dlerror", dlerror_fn, e);
            break;
        }
        dlopen_fn = 0;
    }
    if (!dlopen_fn) {
        error = "cannot load " + real + " into " + pname(t) +
                ": it has no dlopen (no libc.so.6 or libdl.so.2 mapped: statically linked?)";
        return false;
    }
    leave_loader(t);
    uint64_t str = 0, h = 0;
    if (!t.push_string(real, str, error))
        return false;
    if (!t.call(dlopen_fn, {str, RTLD_NOW}, h, error)) {
        error = "dlopen(\"" + real + "\") in " + pname(t) + ": " + error;
        return false;
    }
    if (h == 0) {
        std::string msg = "no message from dlerror()";
        uint64_t m = 0;
        std::string ignored;
        if (dlerror_fn && t.call(dlerror_fn, {}, m, ignored) && m) {
            std::string text;
            if (t.read_string(m, text) && !text.empty())
                msg = text;
        }
        error = "cannot load " + real + " into " + pname(t) + ": " + msg;
        return false;
    }
    handle = h;
    return true;
}

bool library_exports(Tracee &t, const std::string &path, std::map<std::string, uint64_t> &symbols,
                     std::string &error) {
    std::string real;
    if (!absolute_path(path, real, error))
        return false;
    return mapped_library_exports(t, real, symbols, error);
}

bool mapped_library_exports(Tracee &t, const std::string &real,
                            std::map<std::string, uint64_t> &symbols, std::string &error,
                            const std::string &same_file) {
    ElfModule m;
    if (!open_target_module(t.pid(), real, m, error, same_file))
        return false;
    Elf_Scn *scn = nullptr;
    Elf_Data *versym = nullptr;
    while ((scn = elf_nextscn(m.elf, scn)) != nullptr) {
        GElf_Shdr sh;
        if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_GNU_versym)
            versym = elf_getdata(scn, nullptr);
    }
    std::vector<std::pair<std::string, uint64_t>> ifuncs;
    scn = nullptr;
    while ((scn = elf_nextscn(m.elf, scn)) != nullptr) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_DYNSYM || sh.sh_entsize == 0)
            continue;
        Elf_Data *data = elf_getdata(scn, nullptr);
        if (!data)
            continue;
        size_t count = sh.sh_size / sh.sh_entsize;
        for (size_t i = 1; i < count; ++i) {
            GElf_Sym sym;
            if (!gelf_getsym(data, static_cast<int>(i), &sym) || sym.st_shndx == SHN_UNDEF ||
                sym.st_shndx == SHN_ABS || sym.st_name == 0)
                continue;
            int bind = GELF_ST_BIND(sym.st_info), type = GELF_ST_TYPE(sym.st_info);
            if ((bind != STB_GLOBAL && bind != STB_WEAK) || type == STT_TLS ||
                type == STT_SECTION || type == STT_FILE)
                continue;
            if (versym) {
                GElf_Versym v;
                if (gelf_getversym(versym, static_cast<int>(i), &v) && (v & 0x8000))
                    continue;
            }
            const char *name = elf_strptr(m.elf, sh.sh_link, sym.st_name);
            if (!name)
                continue;
            uint64_t addr = m.module.bias + sym.st_value;
            if (type == STT_GNU_IFUNC)
                ifuncs.emplace_back(name, addr);
            else
                symbols[name] = addr;
        }
    }
    for (const auto &[name, resolver] : ifuncs) {
        uint64_t impl = 0;
        if (!t.call(resolver, {}, impl, error)) {
            error = "cannot resolve the IFUNC '" + name + "' of " + real + ": " + error;
            return false;
        }
        symbols[name] = impl;
    }
    return true;
}

} // namespace ktap
