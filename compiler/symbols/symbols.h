// Function probe points resolved to addresses: which ELF files a target maps (the module map)
// and which of their function symbols a process("PATH").library("LIB").function("PAT") probe
// point selects. ELF symbol tables (libelf) name the functions; DWARF (compiler/dwarf) adds their
// source files and lines.
// See docs/symbols.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ktap {

namespace symbols_detail {
struct ElfFile;
}

// One ELF file mapped by the target (or given on the command line).
struct Module {
    std::string path;    // absolute, as the kernel shows it in /proc/PID/maps (symlinks resolved)
    std::string soname;  // DT_SONAME, "" when none
    uint64_t bias = 0;   // runtime address = link-time address (st_value) + bias; 0 for non-PIE
    uint64_t low = 0;    // runtime address range [low, high) of the module's mappings
    uint64_t high = 0;
    int word_size = 64;  // 64 (x86_64) or 32 (i386)
    bool is_main = false;  // the main executable (/proc/PID/exe, or the file given)
    bool is_ktap = false;  // ktap's own injected libraries (libktap-*): never probed
    uint64_t dev = 0;      // file identity (st_dev as makedev(major, minor), inode)
    uint64_t inode = 0;
    std::shared_ptr<const symbols_detail::ElfFile> elf;  // parsed file (shared, cached)
};

// The file ktap reads for module M (symbols, DWARF, separate debuginfo): its mapped file as the
// target sees it (through /proc/PID/root for another mount namespace), not the same path in
// ktap's own namespace, which may be another file or none.
std::string module_file(const Module &m);

struct ModuleMap {
    int pid = 0;                   // 0 when built from a file on disk
    std::vector<Module> modules;   // the main executable first, then libraries in map order
    std::vector<std::string> notes;  // mappings skipped for a reason worth telling the user

    const Module *main() const;  // nullptr when the main executable was skipped
};

// Reads /proc/PID/maps: every mapped ELF file with at least one executable mapping. Skips
// [vdso], anonymous and non-ELF mappings silently; deleted or replaced files and non-x86 ELF
// files with a note. Returns false (and sets error) when the process cannot be read.
bool read_module_map(int pid, ModuleMap &map, std::string &error);

// The process's vDSO: where it is mapped and its ELF image, read from /proc/PID/mem (it has no
// file). Its unwind table and its symbols come from this image.
struct VdsoImage {
    uint64_t lo = 0;          // load address; 0 when the process has no vDSO or it is unreadable
    std::vector<char> image;
};
VdsoImage read_vdso(int pid);

// A map for a program on disk, without a process (`ktap -l 'process("PATH")...'`). PROGRAM is
// resolved as stap does (absolute; containing '/' relative to the current directory; else
// searched in $PATH). With `with_needed`, the libraries it needs (DT_NEEDED, breadth-first,
// plus its PT_INTERP) follow it, found by an approximation of ld.so's search. All biases are 0:
// addresses are link-time addresses.
bool file_module_map(const std::string &program, ModuleMap &map, std::string &error,
                     bool with_needed = true);

// A function probe point: process("PROCESS").library("LIBRARY").function("FUNCTION").
struct FunctionQuery {
    std::string process;   // "" = no process("PATH"): the main executable and every library
    std::string library;   // "" = no .library("LIB")
    std::string function;  // "PAT", "PAT@FILEPAT", "PAT@FILEPAT:N", "PAT@FILEPAT:N-M": a glob
                           // over names (GCC clones f.constprop.0, f.isra.0, f.part.0 answer to
                           // "f"), then DWARF's decl_file and decl_line
    // Give the sites their source positions (decl_file/decl_line: pp(), -l). Reading a module's
    // DWARF for them costs tens of milliseconds for a libc with debuginfo; ktap's own lookups
    // (its dlopen hook, neighbouring functions) do without. A pattern with @FILE reads it anyway.
    bool source_positions = true;
};

// One probe site: a function entry in one module. Aliases at one address are one site.
struct FunctionSite {
    const Module *module = nullptr;  // points into the ModuleMap used to resolve
    std::string name;     // the alias that matched, as listed and shown by pp(): the ELF name
                          // for C, the demangled name without parameters for C++ (the mangled
                          // name when that contains glob characters)
    std::string symbol;   // ELF symbol name of that alias (mangled, without @VERSION)
    std::string display;  // demangled with parameters for C++, else == symbol
    uint64_t address = 0;  // runtime address (link-time for file maps)
    uint64_t size = 0;     // st_size
    std::string decl_file;  // from DWARF: the source file as DWARF names it (joined with the
                            // unit's directory when relative); "" without DWARF
    int decl_line = 0;      // from DWARF: the line of the function's declaration; 0 when unknown
};

// Resolves a function probe point against MAP. Sites come in module order, then by address,
// one per address. No match is not an error (sites is empty) — except when the pattern has no
// wildcards and DWARF knows that function only as inlined copies: then the error says so. An
// invalid or unsupported query, a process/library that matches no module, or an unreadable
// explicitly named module is an error too. Modules with DWARF give their sites decl_file and
// decl_line; a pattern with @FILE never matches in a module without DWARF.
// Modules skipped because their symbols cannot be read are reported in *warnings.
bool resolve_functions(const ModuleMap &map, const FunctionQuery &query,
                       std::vector<FunctionSite> &sites, std::string &error,
                       std::vector<std::string> *warnings = nullptr);

// `process("/abs/module/path").function("name")`, or with DWARF
// `process("/abs/module/path").function("name@/abs/src/file.c:LINE")` as stap prints it (its
// -l lines and pp()) — for libraries too: the library's own path in process("..."), which is a
// valid probe point that selects the same site again.
std::string probe_point_text(const FunctionSite &site);

// `ktap -l` lines for SITES: probe_point_text of each, sorted and unique.
std::vector<std::string> list_probe_points(const std::vector<FunctionSite> &sites);

} // namespace ktap
