#include "unwind_tables.h"

#include "kt_lang.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <utility>

namespace ktap {

namespace {

constexpr uint64_t kRowBytes = 4 + sizeof(kt_uw_rule);
// Room for libraries loaded later. The memory is a memfd: untouched pages cost nothing.
constexpr uint64_t kHeadroom = 48ull << 20;

uint64_t align_up(uint64_t v, uint64_t a) {
    return (v + a - 1) & ~(a - 1);
}

} // namespace

const dwarf::CfiTable *UnwindTables::compiled(const Key &key, const std::string &path,
                                              int word_size, const std::vector<char> *image,
                                              std::string &error) {
    auto it = tables_.find(key);
    if (it != tables_.end())
        return &it->second;
    dwarf::CfiTable t;
    bool ok = image ? dwarf::compile_cfi_image(image->data(), image->size(), word_size, t, error)
                    : dwarf::compile_cfi(path, word_size, t, error);
    if (!ok)
        return nullptr;
    return &tables_.emplace(key, std::move(t)).first->second;
}

uint64_t UnwindTables::plan(const ModuleMap &map, int32_t nslots) const {
    // About 5 bytes of CFI a row; a row takes 12 bytes and its share of the block index about
    // as much again.
    uint64_t rows = 0;
    for (const Module &m : map.modules)
        if (!m.is_ktap)
            rows += dwarf::cfi_bytes(module_file(m)) / 4 + 1;
    // Functions (FDE ranges, 8 bytes each) are fewer than rows.
    return align_up(sizeof(kt_uw_area), 64) + rows * (kRowBytes * 2 + 8) + 64 * 1024 + kHeadroom +
           uint64_t(nslots) * (KT_UW_CACHE * sizeof(kt_uw_cached) + KT_UW_SCRATCH) + 8192;
}

void UnwindTables::attach(uint8_t *arena, uint64_t off, uint64_t bytes) {
    arena_ = arena;
    off_ = off;
    bytes_ = bytes;
    auto *area = reinterpret_cast<kt_uw_area *>(arena + off);
    area->bytes = bytes;
    area->used = align_up(sizeof(kt_uw_area), 64);
    auto *h = reinterpret_cast<kt_arena_header *>(arena);
    // Each thread slot's rule cache (4 KiB a slot) and backtrace scratch (4.5 KiB).
    area->cache_off = take(uint64_t(h->nslots) * KT_UW_CACHE * sizeof(kt_uw_cached), 4096);
    area->scratch_off = take(uint64_t(h->nslots) * KT_UW_SCRATCH, 4096);
    h->unwind_off = off;
}

uint64_t UnwindTables::take(uint64_t bytes, uint64_t align) {
    auto *area = reinterpret_cast<kt_uw_area *>(arena_ + off_);
    uint64_t at = align_up(area->used, align);
    if (at + bytes > bytes_)
        return 0;
    area->used = at + bytes;
    return off_ + at;
}

UnwindTables::Placed UnwindTables::place(const Key &key, const dwarf::CfiTable &t) {
    auto it = placed_.find(key);
    if (it != placed_.end())
        return it->second;
    Placed p;
    if (t.pcs.empty() || t.end - t.pcs.front() > UINT32_MAX)
        return p;
    // The rows plus the INVALID row at the end of the last FDE, and the block index: all of
    // it or nothing (a failed placement must not eat the area, publish after publish).
    uint32_t n = uint32_t(t.pcs.size() + 1);
    uint64_t nblocks = ((t.end - t.pcs.front()) >> KT_UW_BLOCK_SHIFT) + 1;
    auto *area = reinterpret_cast<kt_uw_area *>(arena_ + off_);
    // Functions as [start, end) offsets from the first row (those that fit 32 bits).
    std::vector<uint32_t> funcs;
    for (const auto &f : t.funcs)
        if (f.first >= t.pcs.front() && f.second - t.pcs.front() <= UINT32_MAX) {
            funcs.push_back(uint32_t(f.first - t.pcs.front()));
            funcs.push_back(uint32_t(f.second - t.pcs.front()));
        }
    if (off_ + align_up(area->used, 64) + uint64_t(n) * 12 + nblocks * 4 + funcs.size() * 4 +
            4 * 64 >
        off_ + bytes_)
        return p; // not remembered: a later publish may still find room after nothing else
    uint64_t pcs_off = take(uint64_t(n) * 4, 64), rules_off = take(uint64_t(n) * 8, 64);
    auto *pcs = reinterpret_cast<uint32_t *>(arena_ + pcs_off);
    auto *rules = reinterpret_cast<kt_uw_rule *>(arena_ + rules_off);
    for (size_t i = 0; i < t.pcs.size(); ++i) {
        pcs[i] = uint32_t(t.pcs[i] - t.pcs.front());
        rules[i] = t.rules[i];
    }
    pcs[n - 1] = uint32_t(t.end - t.pcs.front());
    rules[n - 1] = kt_uw_rule{};
    // The block index: for each 256 bytes of code, the last row starting at or before it.
    uint64_t index_off = take(nblocks * 4, 64);
    if (index_off) {
        auto *index = reinterpret_cast<uint32_t *>(arena_ + index_off);
        uint32_t row = 0;
        for (uint64_t b = 0; b < nblocks; ++b) {
            uint64_t start = b << KT_UW_BLOCK_SHIFT;
            while (row + 1 < n && pcs[row + 1] <= start)
                ++row;
            index[b] = row;
        }
        p.index_off = index_off;
    }
    if (!funcs.empty() && (p.funcs_off = take(funcs.size() * 4, 64)) != 0) {
        std::copy(funcs.begin(), funcs.end(), reinterpret_cast<uint32_t *>(arena_ + p.funcs_off));
        p.nfuncs = uint32_t(funcs.size() / 2);
    }
    p.first = t.pcs.front();
    p.end = t.end;
    p.pcs_off = pcs_off;
    p.rules_off = rules_off;
    p.nrows = n;
    p.ok = true;
    placed_[key] = p;
    return p;
}

UnwindTables::~UnwindTables() {
    stop();
}

void UnwindTables::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    if (worker_.joinable())
        worker_.join();
}

uint32_t UnwindTables::frames_without_table() const {
    if (!arena_)
        return 0;
    const auto *area = reinterpret_cast<const kt_uw_area *>(arena_ + off_);
    return __atomic_load_n(&area->missing, __ATOMIC_RELAXED);
}

std::vector<std::string> UnwindTables::take_warnings() {
    std::lock_guard<std::mutex> lock(mutex_);
    return std::exchange(background_warnings_, {});
}

void UnwindTables::background() {
    std::unique_lock<std::mutex> lock(mutex_);
    for (;;) {
        wake_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
        if (stopping_)
            return;
        Job job = std::move(jobs_.front());
        jobs_.pop_front();
        lock.unlock();
        dwarf::CfiTable t;
        std::string error;
        bool ok = dwarf::compile_cfi(job.path, job.word_size, t, error);
        lock.lock();
        if (!ok) {
            background_warnings_.push_back("no unwind table for " + job.path + ": " + error);
            warned_[job.key] = true;
            t = dwarf::CfiTable{}; // remembered as empty: not tried again
        }
        tables_.emplace(job.key, std::move(t));
        if (!stopping_)
            publish_locked(background_warnings_);
    }
}

void UnwindTables::publish(const ModuleMap &map, const VdsoImage &vdso,
                           std::vector<std::string> &warnings) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!arena_)
        return;
    last_map_ = map;
    if (vdso.lo)
        vdso_ = vdso;
    publish_locked(warnings);
}

void UnwindTables::publish_locked(std::vector<std::string> &warnings) {
    // Modules with more CFI than this are compiled by the background thread (0.1 ms per KiB:
    // libc's 150 KiB take 10 ms; libLLVM's 6 MB, 0.6 s).
    constexpr uint64_t kSyncCfiBytes = 512 * 1024;
    std::vector<kt_uw_module> mods;
    auto add = [&](const Key &key, const std::string &what, const dwarf::CfiTable *t, uint64_t bias,
                   uint32_t flags) {
        if (!t || t->pcs.empty())
            return; // no CFI: frame pointers there
        Placed p = place(key, *t);
        if (!p.ok) {
            if (!warned_[key])
                warnings.push_back("no room left for the unwind table of " + what +
                                   "; backtraces stop there");
            warned_[key] = true;
            return;
        }
        kt_uw_module m{};
        m.lo = p.first + bias;
        m.hi = p.end + bias;
        m.pcs_off = p.pcs_off;
        m.rules_off = p.rules_off;
        m.index_off = p.index_off;
        m.funcs_off = p.funcs_off;
        m.nfuncs = p.nfuncs;
        m.nrows = p.nrows;
        m.flags = flags;
        mods.push_back(m);
    };
    int word = 64;
    size_t deferred = 0;
    for (const Module &m : last_map_.modules) {
        if (m.is_ktap)
            continue;
        word = m.word_size;
        Key key{m.dev, m.inode, m.path};
        if (!tables_.count(key) && dwarf::cfi_bytes(module_file(m)) > kSyncCfiBytes) {
            if (!queued_[key]) {
                queued_[key] = true;
                jobs_.push_back({key, module_file(m), m.word_size});
                if (!worker_.joinable())
                    worker_ = std::thread([this] { background(); });
                wake_.notify_one();
            }
            ++deferred;
            continue;
        }
        std::string error;
        const dwarf::CfiTable *t = compiled(key, module_file(m), m.word_size, nullptr, error);
        if (!t && !warned_[key]) {
            warnings.push_back("no unwind table for " + m.path + ": " + error);
            warned_[key] = true;
        }
        add(key, m.path, t, m.bias, 0);
    }
    if (vdso_.lo) {
        Key key{0, vdso_.lo, "[vdso]"}; // one vDSO per process, which keeps its address
        std::string error;
        add(key, "[vdso]", compiled(key, "[vdso]", word, &vdso_.image, error), vdso_.lo,
            KT_UW_MOD_VDSO);
    }
    std::sort(mods.begin(), mods.end(),
              [](const kt_uw_module &a, const kt_uw_module &b) { return a.lo < b.lo; });
    std::vector<kt_uw_module> kept;
    for (const kt_uw_module &m : mods)
        if (kept.empty() || m.lo >= kept.back().hi)
            kept.push_back(m);
    uint64_t map_off = take(sizeof(kt_uw_map) + kept.size() * sizeof(kt_uw_module), 64);
    if (!map_off) {
        warnings.push_back("no room left in the unwind area for the module map");
        return;
    }
    auto *m = reinterpret_cast<kt_uw_map *>(arena_ + map_off);
    m->count = uint32_t(kept.size());
    m->generation = ++generation_;
    std::copy(kept.begin(), kept.end(), m->mods);
    auto *area = reinterpret_cast<kt_uw_area *>(arena_ + off_);
    __atomic_store_n(&area->map_off, map_off, __ATOMIC_RELEASE);
    published_modules_ = kept.size();
    published_rows_ = 0;
    for (const kt_uw_module &k : kept)
        published_rows_ += k.nrows;
    deferred_ = deferred;
}

std::string UnwindTables::summary() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::ostringstream s;
    s << published_modules_ << " modules, " << published_rows_ << " rows";
    if (deferred_)
        s << " (" << deferred_ << " more being compiled)";
    if (arena_)
        s << ", " << reinterpret_cast<const kt_uw_area *>(arena_ + off_)->used / 1024
          << " KiB of the unwind area";
    return s.str();
}

} // namespace ktap
