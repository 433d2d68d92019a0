#include "site_prep.h"

#include "../attach/tracee.h"

#include <algorithm>
#include <cstdio>

namespace ktap {

std::string engine_error(int32_t status) {
    switch (status) {
    case KT_EINVAL: return "invalid request";
    case KT_ENOMEM: return "out of memory in the target";
    case KT_EBUSY: return "the function is already probed";
    case KT_EPATCH: return "its first bytes changed since they were read";
    case KT_ENOSPC: return "no trampoline memory within reach of the function";
    case KT_EUNWIND: return "unwind information could not be registered (libgcc_s missing?)";
    case KT_EGONE: return "its code is no longer mapped";
    case KT_ESHSTK: return "return probes are refused while a CET shadow stack is active";
    case KT_EGO:
        return "return probes are refused in a Go program: Go's runtime walks goroutine stacks "
               "by their return addresses (to grow and move them, and for its garbage "
               "collector), and one replaced by ktap's would be fatal to it";
    case KT_ECODEWRITE:
        return "the process forbids writable executable memory (MDWE) and its /proc/self/mem "
               "could not be written (mounted? proc_mem.force_override?)";
    case KT_ETOOMANY:
        return "all probe records of ktap's engine in this process (32,768 on x86_64, 16,384 "
               "on i386) are in use (live, or dead with return instances still outstanding: "
               "functions that have not returned since an earlier session)";
    default: return "engine error " + std::to_string(status);
    }
}

namespace {

int read_target(void *ctx, uint64_t addr, void *buf, size_t len) {
    return static_cast<Tracee *>(ctx)->read(addr, buf, len) ? 0 : -1;
}

// Sites of one address are one engine probe: only chain heads are prepared, checked and
// reported (agent.h); the agent copies the head's status to the others.
bool is_head(const kt_site *sites, uint32_t i) {
    return sites[i].chain_head == static_cast<int32_t>(i);
}

// Go's runtime (and its internal packages) runs chains of nosplit functions that may leave only
// a few bytes of a goroutine's stack: the trampoline's saved registers (448 bytes) need the room
// Go's stack checks guarantee at the entry of ordinary Go functions (about 800 bytes).
bool go_runtime_function(const std::string &name) {
    for (const char *prefix : {"runtime.", "runtime/", "internal/", "sync/atomic.", "type:", "go:"})
        if (name.rfind(prefix, 0) == 0)
            return true;
    return false;
}

}  // namespace

bool SitePreparer::prepare_one(const kt_site &site, const std::string &name, uint32_t keep_from,
                               const NeighborFunctions &neighbors, uint32_t i,
                               kt_prep_result &res, uint32_t &pun_from) {
    kt_prep_request req{};
    req.bits = static_cast<uint32_t>(bits_);
    req.return_probe = site.group_kind == KT_SITE_RETURN;
    req.site = site.addr;
    req.func_size = site.func_size;
    req.name = name.c_str();
    req.tramp = site.tramp;
    req.read = read_target;
    req.read_ctx = &tracee_;
    req.keep_from = keep_from;
    res = kt_prep_result{};
    pun_from = 0;
    if (!kt_prepare(&req, &res)) {
        pun_from = res.pun_from;
        return false;
    }
    uint64_t target = 0;
    if (!foreign_branches_ok(site.addr, res.patch.displaced_len, neighbors(i), res.reason,
                             sizeof res.reason, target)) {
        pun_from = static_cast<uint32_t>(target - site.addr);
        return false;
    }
    return true;
}

void SitePreparer::accept(kt_site &site, uint32_t i, const kt_prep_result &res) {
    site.patch = res.patch;
    if (paths_.size() <= i)
        paths_.resize(i + 1, -1);
    paths_[i] = static_cast<int8_t>(res.path);
    if (res.loop_head)
        loop_heads_.insert(i);
    else
        loop_heads_.erase(i);
    InsnMap &m = insn_maps_[i];
    m.n = res.ninsns;
    std::copy_n(res.insn_off, res.ninsns, m.insn_off.begin());
    std::copy_n(res.reloc_off, res.ninsns, m.reloc_off.begin());
}

// Sites refused because the bytes from +k on must stay as they are (a branch target, a system
// call that restarts there, the next function after a short one) can take a jump that keeps
// them, when its rel32 ends in those very bytes, i.e. when the trampoline lies in the window
// kt_prep_pun_window computes (E9Patch's instruction punning). They get that window here.
bool SitePreparer::prepare(kt_site *sites, uint32_t first, uint32_t end,
                           const std::vector<std::string> &names,
                           const NeighborFunctions &neighbors, const RefuseSite &refuse) {
    punned_.clear();
    demoted_.clear();
    for (uint32_t i = first; i < end; ++i) {
        kt_site &s = sites[i];
        if (!is_head(sites, i) || s.status < 0 ||
            std::find(demoted_.begin(), demoted_.end(), i) != demoted_.end())
            continue;
        s.pun_lo = s.pun_hi = 0;
        if (go_ && go_runtime_function(names[i])) {
            s.status = kRefusedByPreparer;
            refuse(i, "it belongs to Go's runtime, whose nosplit code may leave no room on a "
                      "goroutine's stack for ktap's trampoline");
            continue;
        }
        // Go: return probes refused here (the engine would too, KT_EGO), so that the entry
        // probes at the same address keep theirs.
        if (go_ && s.group_kind == KT_SITE_RETURN) {
            int64_t h = demote(sites, i, engine_error(KT_EGO), refuse);
            if (h < 0)
                continue;
            if (h > static_cast<int64_t>(i)) {
                demoted_.push_back(static_cast<uint32_t>(h)); // reserved in the next round
                continue;
            }
        }
        kt_prep_result res{};
        uint32_t k = 0;
        if (prepare_one(s, names[i], 0, neighbors, i, res, k)) {
            accept(s, i, res);
            continue;
        }
        if (res.return_only) {
            int64_t h = demote(sites, i, res.reason, refuse);
            if (h == static_cast<int64_t>(i) && prepare_one(s, names[i], 0, neighbors, i, res, k)) {
                accept(s, i, res);
                continue;
            }
            if (h > static_cast<int64_t>(i)) {
                demoted_.push_back(static_cast<uint32_t>(h)); // reserved in the next round
                continue;
            }
            if (h < 0)
                continue; // no entry probe at this address: all refused
        }
        uint8_t orig[KT_PATCH_LEN];
        uint64_t lo = 0, hi = 0;
        if (k >= 1 && k < KT_PATCH_LEN && tracee_.read(s.addr, orig, sizeof orig) &&
            kt_prep_pun_window(static_cast<uint32_t>(bits_), s.addr, orig, k, &lo, &hi)) {
            s.pun_lo = lo;
            s.pun_hi = hi;
            punned_.push_back({i, k, res.reason});
            continue;
        }
        s.status = kRefusedByPreparer;
        refuse(i, res.reason);
    }
    return !punned_.empty() || !demoted_.empty();
}

// A return probe refused on its own (the function never returns, switches stacks, is the
// unwinder's) does not take the entry probes at its address with it: the chain keeps only its
// entry sites, headed by the first of them, and becomes an entry chain; each return site is
// refused. Returns the new head, or -1 (no entry site: every site refused).
int64_t SitePreparer::demote(kt_site *sites, uint32_t head, const std::string &why,
                             const RefuseSite &refuse) {
    std::vector<uint32_t> entries, returns;
    for (int32_t j = static_cast<int32_t>(head); j >= 0; j = sites[j].chain_next)
        (sites[j].kind == KT_SITE_RETURN ? returns : entries).push_back(static_cast<uint32_t>(j));
    for (uint32_t r : returns) {
        sites[r].chain_head = static_cast<int32_t>(r);
        sites[r].chain_next = -1;
        sites[r].status = kRefusedByPreparer;
        refuse(r, why);
    }
    if (entries.empty())
        return -1;
    for (size_t m = 0; m < entries.size(); ++m) {
        kt_site &e = sites[entries[m]];
        e.chain_head = static_cast<int32_t>(entries[0]);
        e.chain_next = m + 1 < entries.size() ? static_cast<int32_t>(entries[m + 1]) : -1;
    }
    kt_site &h = sites[entries[0]];
    h.group_kind = KT_SITE_ENTRY;
    h.group_maxactive = 0;
    h.group_data_size = 0;
    return entries[0];
}

// A punned jump's kept bytes must stay as they are: no other site may write them (a 3-byte
// function's jump keeps the next function's first bytes).
int64_t SitePreparer::overwriter(const kt_site *sites, uint32_t first, uint32_t end,
                                 const Punned &p) const {
    auto written_end = [&](uint32_t j) {
        for (const Punned &q : punned_)
            if (q.site == j)
                return sites[j].addr + q.keep_from;
        return sites[j].addr + KT_PATCH_LEN;
    };
    uint64_t lo = sites[p.site].addr + p.keep_from, hi = sites[p.site].addr + KT_PATCH_LEN;
    for (uint32_t j = first; j < end; ++j)
        if (j != p.site && is_head(sites, j) && sites[j].status >= 0 && sites[j].addr < hi &&
            written_end(j) > lo)
            return j;
    return -1;
}

void SitePreparer::prepare_punned(kt_site *sites, uint32_t first, uint32_t end,
                                  const std::vector<std::string> &names,
                                  const std::vector<std::string> &labels,
                                  const NeighborFunctions &neighbors, const RefuseSite &refuse) {
    // Entry chains whose head was a refused return site: their new head now has its slot (the
    // address's, the same the old head had).
    for (uint32_t d : demoted_) {
        kt_site &s = sites[d];
        kt_prep_result res{};
        uint32_t k = 0;
        if (s.status >= 0 && prepare_one(s, names[d], 0, neighbors, d, res, k)) {
            accept(s, d, res);
            continue;
        }
        std::string why = s.status < 0 ? engine_error(s.status) : std::string(res.reason);
        s.status = kRefusedByPreparer;
        refuse(d, why);
    }
    demoted_.clear();
    for (const Punned &p : punned_) {
        kt_site &s = sites[p.site];
        s.pun_lo = s.pun_hi = 0;
        std::string kept = "a jump that keeps the bytes from +" + std::to_string(p.keep_from);
        kt_prep_result res{};
        uint32_t k = 0;
        int64_t other = s.status < 0 ? -1 : overwriter(sites, first, end, p);
        std::string why;
        if (other >= 0)
            why = kept + " cannot: " + labels[other] + " is probed and starts there";
        else if (s.status < 0)
            why = "no trampoline could be placed for " + kept + ": " + engine_error(s.status);
        else if (!prepare_one(s, names[p.site], p.keep_from, neighbors, p.site, res, k))
            why = kept + ": " + res.reason;
        if (why.empty()) {
            accept(s, p.site, res);
            continue;
        }
        s.status = kRefusedByPreparer;
        refuse(p.site, p.first_reason + " (and " + why + ")");
    }
    punned_.clear();
}

uint64_t SitePreparer::relocated_ip(const kt_site &site, uint32_t k, uint64_t ip) const {
    auto it = insn_maps_.find(k);
    if (it == insn_maps_.end())
        return 0;
    const InsnMap &m = it->second;
    for (uint32_t j = 0; j < m.n; ++j)
        if (m.insn_off[j] == ip - site.addr)
            return site.tramp.reloc_addr + m.reloc_off[j];
    return 0;
}

bool SitePreparer::foreign_branches_ok(uint64_t site, uint32_t displaced_len,
                                       const std::vector<std::array<uint64_t, 2>> &funcs,
                                       char *why, size_t why_cap, uint64_t &first_target) {
    first_target = 0;
    for (const auto &f : funcs) {
        if (f[0] == site || f[1] == 0)
            continue;
        auto it = branch_targets_.find(f[0]);
        if (it == branch_targets_.end()) {
            std::vector<uint64_t> targets;
            size_t len = std::min<uint64_t>(f[1], 1 << 20);
            std::vector<uint8_t> code(len);
            if (tracee_.read(f[0], code.data(), len)) {
                targets.resize(len);  // at most one branch per byte
                targets.resize(kt_prep_branch_targets(static_cast<uint32_t>(bits_), code.data(),
                                                      f[0], len, targets.data(),
                                                      targets.size()));
            }
            it = branch_targets_.emplace(f[0], std::move(targets)).first;
        }
        for (uint64_t t : it->second)
            if (t > site && t < site + displaced_len && (!first_target || t < first_target)) {
                first_target = t;
                snprintf(why, why_cap,
                         "a branch in the function at 0x%llx jumps into the patched bytes (+%llu)",
                         static_cast<unsigned long long>(f[0]),
                         static_cast<unsigned long long>(t - site));
            }
    }
    return first_target == 0;
}

}  // namespace ktap
