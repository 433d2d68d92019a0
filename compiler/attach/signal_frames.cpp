#include "attach/signal_frames.h"

#include "attach/tracee.h"

#include <algorithm>
#include <cstring>
#include <map>

namespace ktap {

namespace {

constexpr uint64_t kScanBytes = 256 * 1024;
constexpr uint64_t kPage = 4096;

enum class Trampoline { None, Rt, Old };

// Where the saved IP lies from the frame's start (its return-address word), per layout
// (compiler/attach/sigframe.cpp builds the same frames): x86_64 rt_sigframe: ucontext at 8,
// sigcontext at 48, rip its 17th word; i386 rt_sigframe_ia32: sigcontext_32 at 164, eip at
// +56; i386 sigframe_ia32: sigcontext_32 at 8.
uint64_t ip_offset(int bits, Trampoline t) {
    if (bits == 64)
        return 48 + 16 * 8;
    return t == Trampoline::Rt ? 164 + 56 : 8 + 56;
}

// Whether ADDR is a sigreturn trampoline: the code that returns from a handler.
Trampoline classify(Tracee &tracee, int bits, uint64_t addr) {
    uint8_t code[8];
    if (!tracee.read(addr, code, sizeof code))
        return Trampoline::None;
    // mov $15,%rax; syscall
    static const uint8_t rt64[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f};
    // mov $173,%eax; int $0x80 (glibc's __restore_rt, the vDSO's __kernel_rt_sigreturn)
    static const uint8_t rt32[] = {0xb8, 0xad, 0x00, 0x00, 0x00, 0xcd, 0x80};
    // pop %eax; mov $119,%eax; int $0x80 (__kernel_sigreturn)
    static const uint8_t old32[] = {0x58, 0xb8, 0x77, 0x00, 0x00, 0x00, 0xcd, 0x80};
    if (bits == 64)
        return memcmp(code, rt64, sizeof rt64) == 0 ? Trampoline::Rt : Trampoline::None;
    if (memcmp(code, rt32, sizeof rt32) == 0)
        return Trampoline::Rt;
    if (memcmp(code, old32, sizeof old32) == 0)
        return Trampoline::Old;
    return Trampoline::None;
}

// MAPS is in address order (read_maps).
const Mapping *mapping_of(const std::vector<Mapping> &maps, uint64_t addr) {
    auto it = std::upper_bound(maps.begin(), maps.end(), addr,
                               [](uint64_t a, const Mapping &m) { return a < m.end; });
    return it != maps.end() && addr >= it->start ? &*it : nullptr;
}

} // namespace

std::vector<SavedIp> signal_frames(Tracee &tracee, pid_t tid, const std::vector<Mapping> &maps) {
    std::vector<SavedIp> out;
    uint64_t sp = 0;
    if (!tracee.thread_sp(tid, sp))
        return out;
    const int bits = tracee.bits();
    const uint64_t word = bits == 64 ? 8 : 4;
    sp &= ~(word - 1);
    const Mapping *stack_map = mapping_of(maps, sp);
    if (!stack_map)
        return out;
    uint64_t end = std::min(stack_map->end, sp + kScanBytes);
    std::vector<uint8_t> stack(end - sp);
    if (!tracee.read(sp, stack.data(), stack.size()))
        return out;
    auto executable = [&](uint64_t a) {
        const Mapping *m = mapping_of(maps, a);
        return m && m->perms.size() > 2 && m->perms[2] == 'x';
    };
    std::map<uint64_t, Trampoline> seen;
    for (uint64_t off = 0; off + word <= stack.size(); off += word) {
        uint64_t w = 0;
        memcpy(&w, stack.data() + off, word);
        if (w < kPage)
            continue;
        auto it = seen.find(w);
        if (it == seen.end())
            it =
                seen.emplace(w, executable(w) ? classify(tracee, bits, w) : Trampoline::None).first;
        if (it->second == Trampoline::None)
            continue;
        uint64_t at = off + ip_offset(bits, it->second);
        if (at + word > stack.size())
            continue;
        SavedIp s;
        s.slot = sp + at;
        memcpy(&s.ip, stack.data() + at, word);
        out.push_back(s);
    }
    return out;
}

} // namespace ktap
