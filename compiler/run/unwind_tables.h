// The unwind tables of a traced process (docs/backtraces.md): each module's call-frame
// information compiled once (compiler/dwarf/cfi_table.h), copied into an append-only area of
// the state arena, and a module map published with one release store whenever the process's
// modules change (a library loaded). The target's unwinder (runtime/lang/kt_unwind.c) only reads.
// Big modules (libLLVM: 6 MB of CFI, 0.6 s) are compiled by a thread of ktap's while the
// target runs, not while its threads are stopped; their frames unwind once the map that
// includes them is published (until then the unwinder stops there, "no unwind information").
#pragma once

#include "dwarf/cfi_table.h"
#include "symbols.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

namespace ktap {

class UnwindTables {
  public:
    ~UnwindTables();
    // The bytes the area needs for MAP's modules (estimated from their CFI sizes) and for
    // libraries the process may load later.
    // NSLOTS: the arena's thread slots (each has a rule cache in the area).
    uint64_t plan(const ModuleMap &map, int32_t nslots) const;
    // The area: BYTES at ARENA + OFF (zeroed memory); sets kt_arena_header.unwind_off.
    void attach(uint8_t *arena, uint64_t off, uint64_t bytes);
    bool attached() const { return arena_ != nullptr; }
    // Publishes the tables of MAP's modules and of VDSO (kept for later publishes), compiling small
    // new ones now and handing big ones to the background thread (which publishes again when each
    // is done). Problems (a full area, unreadable files) go to WARNINGS, once per module; the
    // background thread's are kept for take_warnings().
    void publish(const ModuleMap &map, const VdsoImage &vdso, std::vector<std::string> &warnings);
    // Stops the background thread (a compilation under way finishes first).
    void stop();
    std::vector<std::string> take_warnings();
    // Frames the target's unwinder found in no module's table (kt_uw_area.missing).
    uint32_t frames_without_table() const;

    // -v: modules and rows published.
    std::string summary();

  private:
    struct Placed {
        uint64_t first = 0, end = 0; // link-time range of the rows
        uint64_t pcs_off = 0, rules_off = 0, index_off = 0, funcs_off = 0;
        uint32_t nrows = 0, nfuncs = 0;
        bool ok = false;
    };
    using Key = std::tuple<uint64_t, uint64_t, std::string>; // dev, inode, path (vDSO: hash)
    struct Job {
        Key key;
        std::string path;
        int word_size;
    };
    void publish_locked(std::vector<std::string> &warnings);
    void background();
    const dwarf::CfiTable *compiled(const Key &key, const std::string &path, int word_size,
                                    const std::vector<char> *image, std::string &error);
    Placed place(const Key &key, const dwarf::CfiTable &t);
    uint64_t take(uint64_t bytes, uint64_t align);

    std::mutex mutex_; // everything below; the background thread compiles outside it
    ModuleMap last_map_;
    VdsoImage vdso_;
    std::deque<Job> jobs_;
    std::map<Key, bool> queued_;
    std::condition_variable wake_;
    std::thread worker_;
    bool stopping_ = false;
    std::vector<std::string> background_warnings_;
    std::map<Key, dwarf::CfiTable> tables_;
    std::map<Key, Placed> placed_;
    std::map<Key, bool> warned_;
    uint8_t *arena_ = nullptr;
    uint64_t off_ = 0, bytes_ = 0;
    uint32_t generation_ = 0;
    size_t published_modules_ = 0, published_rows_ = 0, deferred_ = 0;
};

} // namespace ktap
