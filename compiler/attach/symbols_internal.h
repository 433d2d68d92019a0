// libelf helpers shared by symbols.cpp, inject.cpp and tracee.cpp (internal to ktap-attach).
#pragma once

#include "tracee.h"

#include <gelf.h>
#include <string>
#include <sys/types.h>

namespace ktap {

// A module of a live process, its file open with libelf.
struct ElfModule {
    TargetModule module;
    int fd = -1;
    Elf *elf = nullptr;
    ElfModule() = default;
    ElfModule(const ElfModule &) = delete;
    ElfModule &operator=(const ElfModule &) = delete;
    ~ElfModule();
};

// Selects MODULE as find_symbol_in_target documents, opens its file, computes its bias. SAME_FILE,
// when given, is a local file known to hold the mapped file's bytes, read when the mapping
// itself cannot be opened (/proc/PID/map_files needs CAP_SYS_ADMIN; a memfd has no path).
bool open_target_module(pid_t pid, const std::string &module, ElfModule &out, std::string &error,
                        const std::string &same_file = "");

// NAME in .dynsym (default version preferred) or else .symtab; defined symbols only.
bool lookup_symbol(ElfModule &m, const std::string &name, GElf_Sym &sym, std::string &error);

// find_symbol_in_target that also reports whether the symbol is an IFUNC.
bool find_target_symbol(pid_t pid, const std::string &module, const std::string &name,
                        uint64_t &addr, bool &ifunc, std::string &error);

} // namespace ktap
