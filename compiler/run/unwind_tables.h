// The unwind tables of a traced process (docs/backtraces.md): each module's call-frame
// information compiled once (compiler/dwarf/cfi_table.h), copied into an append-only area of
// the state arena, and a module map published with one release store whenever the process's
// modules change (a library loaded). The target's unwinder (runtime/lang/kt_unwind.c) only reads.
#pragma once

#include "dwarf/cfi_table.h"
#include "symbols.h"

#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

namespace ktap {

class UnwindTables {
  public:
    // Compiles the tables of MAP's modules (and PID's vDSO) and returns the bytes the area
    // needs for them and for libraries the process may load later.
    uint64_t plan(const ModuleMap &map, int pid);
    // The area: BYTES at ARENA + OFF (zeroed memory); sets kt_arena_header.unwind_off.
    void attach(uint8_t *arena, uint64_t off, uint64_t bytes);
    // Publishes the tables of MAP's modules and PID's vDSO (compiling new ones). Problems (a
    // full area, unreadable files) go to WARNINGS, once per module.
    void publish(const ModuleMap &map, int pid, std::vector<std::string> &warnings);

    // -v: modules and rows published.
    std::string summary() const;

  private:
    struct Placed {
        uint64_t first = 0, end = 0;  // link-time range of the rows
        uint64_t pcs_off = 0, rules_off = 0, index_off = 0;
        uint32_t nrows = 0;
        bool ok = false;
    };
    using Key = std::tuple<uint64_t, uint64_t, std::string>;  // dev, inode, path (vDSO: hash)
    const dwarf::CfiTable *compiled(const Key &key, const std::string &path, int word_size,
                                    const std::vector<char> *image, std::string &error);
    Placed place(const Key &key, const dwarf::CfiTable &t);
    uint64_t take(uint64_t bytes, uint64_t align);
    bool read_vdso(int pid, uint64_t &lo, std::vector<char> &image) const;

    std::map<Key, dwarf::CfiTable> tables_;
    std::map<Key, Placed> placed_;
    std::map<Key, bool> warned_;
    uint8_t *arena_ = nullptr;
    uint64_t off_ = 0, bytes_ = 0;
    uint32_t generation_ = 0;
    size_t published_modules_ = 0, published_rows_ = 0;
};

} // namespace ktap
