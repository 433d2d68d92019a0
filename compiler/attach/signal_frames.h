// Signal frames on a stopped thread's stack. A thread stopped inside a signal handler resumes,
// when the handler returns, at the IP the kernel saved in the frame (rt_sigreturn). That IP is
// not the thread's current one: placing a probe must look at it too, or a thread interrupted
// inside the bytes a jump replaces resumes in the middle of the jump (docs/engine.md).
#pragma once

#include "attach/proc.h"

#include <cstdint>
#include <sys/types.h>
#include <vector>

namespace ktap {

class Tracee;

struct SavedIp {
    uint64_t slot = 0; // address of the saved-IP word in the frame (8 bytes x86_64, 4 i386)
    uint64_t ip = 0;   // the IP the thread resumes at when its handler returns
};

// The signal frames on TID's stack, innermost first: scans the mapping that holds its stack
// pointer (its stack, or its alternate signal stack), up to 256 KiB above it, for words that
// point at a sigreturn trampoline (x86_64 __restore_rt; i386 rt and old-style sigreturn,
// glibc's or the vDSO's) in an executable mapping of MAPS: each is a handler's return
// address, at the start of its frame.
std::vector<SavedIp> signal_frames(Tracee &tracee, pid_t tid, const std::vector<Mapping> &maps);

} // namespace ktap
