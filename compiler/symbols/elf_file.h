// Internal to ktap-symbols: one ELF file's headers and function symbols, parsed once and cached
// by file identity (device, inode, mtime, size).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ktap::symbols_detail {

struct FunctionName {
    std::string symbol;     // ELF name without @VERSION (mangled for C++)
    std::string demangled;  // C++: full demangled name; "" for other names
    std::string bare;       // C++: demangled without the parameter list; "" for other names
    std::string listed;     // the name listings and pp() use (see FunctionSite::name)
    uint8_t bind = 0;       // STB_GLOBAL / STB_WEAK / STB_LOCAL
};

struct FunctionEntry {
    uint64_t value = 0;  // st_value: link-time address
    uint64_t size = 0;   // largest st_size among the aliases
    std::vector<FunctionName> names;  // aliases at this address, best listing name first
};

struct FunctionTable {
    std::string source;  // ".symtab", ".dynsym" or "<debug file> .symtab"
    std::string error;   // set when the symbols could not be read
    std::vector<FunctionEntry> entries;  // sorted by value
    // Every name form (symbol, demangled, bare) -> index in entries, for patterns without globs.
    std::unordered_multimap<std::string_view, uint32_t> exact;
};

struct LoadSegment {
    uint64_t vaddr = 0, memsz = 0, offset = 0;
};

struct ElfFile {
    std::string path;  // the path it was opened by
    uint64_t dev = 0, inode = 0, size = 0;
    int64_t mtime_ns = 0;
    int word_size = 64;
    uint16_t machine = 0, type = 0;
    std::string soname, interp, build_id;  // build_id in lowercase hex
    std::vector<std::string> needed, rpath, runpath;
    std::vector<LoadSegment> loads;

    const FunctionTable &functions() const;  // parsed on first use

  private:
    mutable std::once_flag once_;
    mutable FunctionTable table_;
};

// Opens PATH (headers only; symbols on first use). Returns the cached object when the same file
// (device, inode, mtime, size) was opened before. nullptr + error when PATH is not a readable
// ELF file; `not_elf` is set when it is readable but not ELF.
std::shared_ptr<const ElfFile> open_elf(const std::string &path, std::string &error,
                                        bool *not_elf = nullptr);

// Drops every cached file (tests time cold loads with it).
void clear_elf_cache();

// C++ names. demangle() returns "" for names that are not mangled C++ (or fail to demangle).
std::string demangle(const std::string &symbol);
// "ns::C::m(int) const" -> "ns::C::m"; "int ns::f<int>(int)" -> "ns::f<int>";
// "f(int) [clone .constprop.0]" -> "f.constprop.0"; thunks keep their "... thunk to " prefix.
std::string strip_parameters(const std::string &demangled);

bool has_glob(std::string_view s);

// stap's program lookup: absolute; containing '/' relative to the cwd; else searched in $PATH.
// Returns the realpath.
bool find_program(const std::string &arg, std::string &path, std::string &error);

} // namespace ktap::symbols_detail
