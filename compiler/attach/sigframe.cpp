// Kernel signal-frame layouts (arch/x86/include/asm/sigframe.h, uapi/asm/sigcontext.h and
// ucontext.h), written byte by byte: glibc's ucontext_t is not the kernel's.
#include "sigframe.h"

#include <cstring>

namespace ktap {

namespace {

constexpr uint32_t kFpXstateMagic1 = 0x46505853; // in the FXSAVE area's software bytes
constexpr uint32_t kFpXstateMagic2 = 0x46505845; // right after the XSAVE image
constexpr size_t kSwBytes = 464;                 // struct _fpx_sw_bytes in the FXSAVE area
constexpr uint64_t kUcFpXstate = 0x1, kUcSigcontextSs = 0x2, kUcStrictRestoreSs = 0x4;
// uc_stack.ss_flags that sigaltstack refuses (EINVAL, which rt_sigreturn ignores): the thread's
// alternate signal stack, which ptrace cannot read, stays as it is.
constexpr uint32_t kKeepAltstack = 3;

template <typename T> void put(std::vector<uint8_t> &b, size_t off, T v) {
    memcpy(b.data() + off, &v, sizeof v);
}

uint64_t align_up(uint64_t v, uint64_t a) {
    return (v + a - 1) & ~(a - 1);
}

// rt_sigreturn sets orig_ax to -1: a system call the thread was stopped in would return its
// -ERESTART* code to the program. Restart it as the kernel does for a signal with SA_RESTART.
void restart_interrupted_syscall(user_regs_struct &r) {
    int64_t ret = static_cast<int64_t>(r.rax), nr = static_cast<int64_t>(r.orig_rax);
    if (nr < 0)
        return;
    if (ret == -512 /* ERESTARTSYS */ || ret == -513 /* ERESTARTNOINTR */ ||
        ret == -514 /* ERESTARTNOHAND */ || ret == -516 /* ERESTART_RESTARTBLOCK */) {
        r.rax = r.orig_rax; // the same call again (a restart block would be lost)
        r.rip -= 2;         // syscall, sysenter's int $0x80 landing: 2 bytes
    }
}

// The FP image, with the second magic after an XSAVE image so that the kernel restores every
// extended component (without it, only x87 and SSE). Returns the image's length.
size_t put_fp(std::vector<uint8_t> &b, size_t off, const SigframeInput &in) {
    size_t n = in.fp_len;
    memcpy(b.data() + off, in.fp, n);
    uint32_t magic1 = 0, xstate_size = 0;
    if (n >= 512) {
        memcpy(&magic1, in.fp + kSwBytes, 4);
        memcpy(&xstate_size, in.fp + kSwBytes + 16, 4);
    }
    if (magic1 == kFpXstateMagic1 && xstate_size >= 512 && xstate_size <= n)
        put(b, off + xstate_size, kFpXstateMagic2);
    else if (n >= 512)
        memset(b.data() + off + kSwBytes, 0, 48); // plain FXSAVE: no software bytes
    return n;
}

Sigframe frame64(SigframeInput in, uint64_t base) {
    restart_interrupted_syscall(in.regs);
    const user_regs_struct &r = in.regs;
    // pretcode 8 | ucontext 304 (flags, link, stack 24, sigcontext 256, sigmask 8) | siginfo 128
    const size_t uc = 8, mc = uc + 40, mask = mc + 256, info = mask + 8;
    size_t fp = static_cast<size_t>(align_up(base + info + 128, 64) - base);
    Sigframe f;
    f.bytes.assign(fp + in.fp_len + 4, 0);
    auto &b = f.bytes;
    put<uint64_t>(b, 0, in.return_address);
    put<uint64_t>(b, uc,
                  kUcSigcontextSs | kUcStrictRestoreSs | (in.fp_len > 512 ? kUcFpXstate : 0));
    put<uint32_t>(b, uc + 24, kKeepAltstack);
    const uint64_t gprs[18] = {r.r8,  r.r9,  r.r10, r.r11, r.r12, r.r13, r.r14, r.r15, r.rdi,
                               r.rsi, r.rbp, r.rbx, r.rdx, r.rax, r.rcx, r.rsp, r.rip, r.eflags};
    for (size_t i = 0; i < 18; ++i)
        put<uint64_t>(b, mc + 8 * i, gprs[i]);
    put<uint16_t>(b, mc + 144, static_cast<uint16_t>(r.cs));
    put<uint16_t>(b, mc + 146, static_cast<uint16_t>(r.gs));
    put<uint16_t>(b, mc + 148, static_cast<uint16_t>(r.fs));
    put<uint16_t>(b, mc + 150, static_cast<uint16_t>(r.ss));
    if (in.fp && in.fp_len) {
        put_fp(b, fp, in);
        put<uint64_t>(b, mc + 184, base + fp);
    }
    put<uint64_t>(b, mask, in.sigmask);
    return f;
}

// The x87 environment in FSAVE form (the kernel folds it over the FXSAVE image it restores for
// a 32-bit frame). Tags: only empty (11) versus not matters for the round trip back to FXSAVE.
void put_fsave_env(std::vector<uint8_t> &b, size_t off, const uint8_t *fx,
                   const user_regs_struct &r) {
    uint16_t fcw, fsw, fop;
    uint8_t ftw;
    uint32_t fip, foo;
    memcpy(&fcw, fx + 0, 2);
    memcpy(&fsw, fx + 2, 2);
    ftw = fx[4];
    memcpy(&fop, fx + 6, 2);
    memcpy(&fip, fx + 8, 4);
    memcpy(&foo, fx + 16, 4);
    uint32_t twd = 0;
    for (int p = 0; p < 8; ++p)
        if (!(ftw & (1 << p)))
            twd |= 3u << (2 * p);
    put<uint32_t>(b, off + 0, 0xffff0000u | fcw);
    put<uint32_t>(b, off + 4, 0xffff0000u | fsw);
    put<uint32_t>(b, off + 8, 0xffff0000u | twd);
    put<uint32_t>(b, off + 12, fip);
    put<uint32_t>(b, off + 16, static_cast<uint32_t>(r.cs & 0xffff) | uint32_t{fop} << 16);
    put<uint32_t>(b, off + 20, foo);
    put<uint32_t>(b, off + 24, 0xffff0000u | static_cast<uint32_t>(r.ds & 0xffff));
    for (int i = 0; i < 8; ++i) // ST(i): 10 of the 16 bytes of each FXSAVE slot
        memcpy(b.data() + off + 28 + 10 * i, fx + 32 + 16 * i, 10);
    put<uint16_t>(b, off + 110, 0); // magic 0: FXSR data follows
}

Sigframe frame32(SigframeInput in, uint64_t base) {
    restart_interrupted_syscall(in.regs);
    const user_regs_struct &r = in.regs;
    // pretcode, sig, pinfo, puc | siginfo 128 | ucontext_ia32 (flags, link, stack 12,
    // sigcontext_32 88, sigmask 8) | retcode 8 | fpstate: FSAVE env 112, then the FXSAVE/XSAVE
    // image (64-byte aligned)
    const size_t uc = 16 + 128, mc = uc + 20, mask = mc + 88, retcode = mask + 8;
    size_t fp = static_cast<size_t>(align_up(base + retcode + 8 + 112, 64) - 112 - base);
    Sigframe f;
    f.bytes.assign(fp + 112 + in.fp_len + 4, 0);
    f.args_at = 4;
    f.args_room = uc - 4;
    auto &b = f.bytes;
    auto lo = [](unsigned long long v) { return static_cast<uint32_t>(v); };
    put<uint32_t>(b, 0, lo(in.return_address));
    put<uint32_t>(b, uc + 12, kKeepAltstack);
    put<uint32_t>(b, mc + 0, lo(r.gs) & 0xffff);
    put<uint32_t>(b, mc + 4, lo(r.fs) & 0xffff);
    put<uint32_t>(b, mc + 8, lo(r.es) & 0xffff);
    put<uint32_t>(b, mc + 12, lo(r.ds) & 0xffff);
    const uint32_t gprs[8] = {lo(r.rdi), lo(r.rsi), lo(r.rbp), lo(r.rsp),
                              lo(r.rbx), lo(r.rdx), lo(r.rcx), lo(r.rax)};
    for (size_t i = 0; i < 8; ++i)
        put<uint32_t>(b, mc + 16 + 4 * i, gprs[i]);
    put<uint32_t>(b, mc + 56, lo(r.rip));
    put<uint32_t>(b, mc + 60, lo(r.cs) & 0xffff);
    put<uint32_t>(b, mc + 64, lo(r.eflags));
    put<uint32_t>(b, mc + 68, lo(r.rsp));
    put<uint32_t>(b, mc + 72, lo(r.ss) & 0xffff);
    if (in.fp && in.fp_len >= 512) {
        put_fsave_env(b, fp, in.fp, r);
        put_fp(b, fp + 112, in);
        put<uint32_t>(b, mc + 76, lo(base + fp));
    }
    put<uint64_t>(b, mask, in.sigmask);
    return f;
}

} // namespace

Sigframe build_sigreturn_frame(const SigframeInput &in, uint64_t base) {
    return in.bits == 32 ? frame32(in, base) : frame64(in, base);
}

} // namespace ktap
