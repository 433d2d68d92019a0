// The signal frame that the kernel's rt_sigreturn reads, built by the controller for a thread
// it runs a remote call on: if the controller dies during the call, the return stub
// (Tracee::ensure_return_stub) executes rt_sigreturn over this frame and the thread resumes
// exactly where it was stopped — registers, x87/SSE/AVX state and signal mask — instead of
// returning to address 0 and killing the process (docs/attach.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <sys/user.h>

namespace ktap {

struct SigframeInput {
    int bits = 64;               // 64: struct rt_sigframe; 32: struct rt_sigframe_ia32
    user_regs_struct regs{};     // the thread's registers (PTRACE_GETREGS layout, both arches)
    const uint8_t *fp = nullptr; // its XSAVE image (NT_X86_XSTATE) or FXSAVE area (512 bytes)
    size_t fp_len = 0;
    uint64_t sigmask = 0;        // its blocked signals
    uint64_t return_address = 0; // the word at the frame's start (the call's return address)
};

struct Sigframe {
    std::vector<uint8_t> bytes; // to write at the frame's base (the return-address slot)
    size_t args_at = 0;   // where stack arguments of the call may go (i386: inside the frame's
    size_t args_room = 0; // sig/pinfo/puc/info words, which rt_sigreturn does not read)
};

// The frame for a return slot at BASE (x86_64: BASE + 8 is 16-byte aligned; i386: BASE + 4 is).
// A thread stopped inside an interrupted system call restarts it (the kernel would, after the
// controller's own register restore; rt_sigreturn does not).
Sigframe build_sigreturn_frame(const SigframeInput &in, uint64_t base);

} // namespace ktap
