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
    std::string listed;     // the name listings and pp() use (see FunctionSite::name); for a
                            // GCC clone, its source function's name ("f" for f.constprop.0)
    // GCC clones (f.constprop.0, f.isra.0, f.part.0, f.isra.0.constprop.0): the forms of the
    // function they were cloned from, which a pattern for that function also matches; "" for
    // names that are not clones.
    std::string origin;            // symbol without the clone suffixes ("f", "_Z1fi")
    std::string origin_demangled;  // C++: "f(int)"
    std::string origin_bare;       // C++: "f"
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

// GCC clone suffixes: "f.constprop.0" -> "f", "_Z1fi.isra.0.constprop.1" -> "_Z1fi", "f.part.3"
// -> "f". Only .constprop, .isra and .part (each with an optional number), in any combination;
// "" when SYMBOL is not such a clone (cold parts "f.cold" are not clones: they are no entries).
std::string clone_origin(const std::string &symbol);

// A function("...") argument: "PAT", "PAT@FILEPAT", "PAT@FILEPAT:N", ":N-M", ":*".
struct FunctionSpec {
    std::string name;       // PAT: a glob over function names
    std::string file;       // FILEPAT: a glob over DWARF decl_file (see source_file_matches)
    bool has_file = false;
    bool has_line = false;  // false: any line
    int line_lo = 0, line_hi = 0;
};
bool parse_function_spec(const std::string &pattern, FunctionSpec &spec, std::string &error);

// FILEPAT against a source path: the whole path, or any trailing part of it after a '/'
// ("prog.c", "src/prog.c", "*/prog.c", "/abs/src/prog.c" all match "/abs/src/prog.c"). fnmatch
// with FNM_PATHNAME: '*' does not cross a '/'.
bool source_file_matches(const std::string &pattern, const std::string &file);

// stap's program lookup: absolute; containing '/' relative to the cwd; else searched in $PATH.
// Returns the realpath.
bool find_program(const std::string &arg, std::string &path, std::string &error);

} // namespace ktap::symbols_detail
