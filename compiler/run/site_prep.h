// Preparing probe sites in the controller: which bytes each site's jump replaces and what its
// trampoline holds (kt_prepare, Zydis, on bytes read from the target), the checks the preparer
// cannot make alone (branches from neighbouring functions into the patched bytes, a punned
// jump's kept bytes written by another site), and where each displaced instruction went (to
// move a thread stopped inside them). TargetProcess::place runs the steps in the target
// around it (reserve, register, arm); docs/engine.md explains the paths.
#pragma once

#include "ktap/agent.h"
#include "ktap/prep.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace ktap {

class Tracee;

// Site statuses the controller sets (the agent skips every negative status).
constexpr int32_t kRefusedByPreparer = -100;
constexpr int32_t kThreadInside = -101;

// Why an engine step failed for a site, for "cannot probe ...: <why>".
std::string engine_error(int32_t status);

// Functions near a site ({start, size} in the target), whose branches into the site's first
// bytes would land inside the patch.
using NeighborFunctions = std::function<std::vector<std::array<uint64_t, 2>>(uint32_t site)>;
// Reports a refused site (its index, why).
using RefuseSite = std::function<void(uint32_t site, const std::string &why)>;

class SitePreparer {
  public:
    SitePreparer(Tracee &tracee, int bits) : tracee_(tracee), bits_(bits) {}
    // A Go program: functions of Go's runtime are refused (see go_runtime_function).
    void set_go_program(bool go) { go_ = go; }

    // Prepares the chain heads of sites [first, end), whose slots are reserved: fills
    // site.patch, or refuses the site (status kRefusedByPreparer, REFUSE), or, when a punned
    // jump could place it, sets site.pun_lo/pun_hi. Returns whether any site waits for a slot
    // in such a window (reserve again, then prepare_punned).
    bool prepare(kt_site *sites, uint32_t first, uint32_t end,
                 const std::vector<std::string> &names, const NeighborFunctions &neighbors,
                 const RefuseSite &refuse);
    // The sites prepare() gave a window, now with a slot there (or an engine error in status),
    // and the new heads of entry chains whose return probe was refused (demote).
    void prepare_punned(kt_site *sites, uint32_t first, uint32_t end,
                        const std::vector<std::string> &names, const std::vector<std::string> &labels,
                        const NeighborFunctions &neighbors, const RefuseSite &refuse);

    // How site K was patched (enum kt_prep_path), or -1 when it was not prepared.
    int path(uint32_t k) const { return k < paths_.size() ? paths_[k] : -1; }
    // Whether site K's function jumps back to its entry (the probe runs on every pass).
    bool loop_head(uint32_t k) const { return loop_heads_.count(k) != 0; }
    // Where a thread at IP, inside site K's displaced bytes, goes in the relocated copy: the
    // copy of the instruction starting at IP; 0 when no instruction starts there.
    uint64_t relocated_ip(const kt_site &site, uint32_t k, uint64_t ip) const;

  private:
    bool go_ = false;
    struct InsnMap {
        uint32_t n = 0;
        std::array<uint8_t, KT_PREP_MAX_INSNS> insn_off{}, reloc_off{};
    };
    struct Punned {
        uint32_t site, keep_from;
        std::string first_reason;
    };
    // One kt_prepare of site I (KEEP_FROM: kt_prep_request.keep_from) with the foreign-branch
    // check. On refusal RES says why and PUN_FROM where a punned jump could help (0: none).
    bool prepare_one(const kt_site &site, const std::string &name, uint32_t keep_from,
                     const NeighborFunctions &neighbors, uint32_t i, kt_prep_result &res,
                     uint32_t &pun_from);
    void accept(kt_site &site, uint32_t i, const kt_prep_result &res);
    // A branch from another function into (site, site + displaced_len): false, WHY, and the
    // lowest such target in FIRST_TARGET. Each neighbour is decoded once per session.
    bool foreign_branches_ok(uint64_t site, uint32_t displaced_len,
                             const std::vector<std::array<uint64_t, 2>> &funcs, char *why,
                             size_t why_cap, uint64_t &first_target);
    int64_t demote(kt_site *sites, uint32_t head, const std::string &why, const RefuseSite &refuse);
    // The head site in [first, end) whose written bytes overlap P's kept bytes, or -1.
    int64_t overwriter(const kt_site *sites, uint32_t first, uint32_t end, const Punned &p) const;

    Tracee &tracee_;
    int bits_;
    std::map<uint64_t, std::vector<uint64_t>> branch_targets_;  // per function start
    std::vector<int8_t> paths_;                                 // per site
    std::set<uint32_t> loop_heads_;                             // prepared heads
    std::map<uint32_t, InsnMap> insn_maps_;                     // per prepared head
    std::vector<Punned> punned_;                                // waiting for their slot
    std::vector<uint32_t> demoted_; // entry chains' new heads, waiting for their slot
};

}  // namespace ktap
