/* The agent's own signal handlers (agent_fault.c: SIGSEGV / SIGBUS of fault-safe reads;
 * agent_livepatch.c: SIGTRAP while code is rewritten with threads running). Both install and
 * remove their actions with raw rt_sigaction (libc's sigaction may be probed by the script)
 * and send every signal that is not theirs where it would have gone without ktap. */
#ifndef KTAP_AGENT_SIGNAL_H
#define KTAP_AGENT_SIGNAL_H
#include "agent_int.h"

#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

/* struct sigaction of rt_sigaction on x86_64 and i386 (not libc's): handler, flags, restorer,
 * then the 64-bit mask (4-byte aligned on i386). */
struct kt_ksigaction {
    uintptr_t handler;
    unsigned long flags;
    uintptr_t restorer;
    uint64_t mask;
} __attribute__((packed, aligned(sizeof(long))));
_Static_assert(sizeof(struct kt_ksigaction) == 3 * sizeof(long) + 8, "kernel sigaction layout");

#define KT_SA_SIGINFO 0x00000004ul
#define KT_SA_RESTORER 0x04000000ul
#define KT_SA_ONSTACK 0x08000000ul
#define KT_SA_NODEFER 0x40000000ul
#define KT_SA_RESETHAND 0x80000000ul
#define KT_SIG_DFL ((uintptr_t)0)
#define KT_SIG_IGN ((uintptr_t)1)
#define KT_SIGBIT(s) ((uint64_t)1 << ((s)-1))

#if defined(__x86_64__)
#define KT_UC_IP(uc) ((uc)->uc_mcontext.gregs[REG_RIP])
#elif defined(__i386__)
#define KT_UC_IP(uc) ((uc)->uc_mcontext.gregs[REG_EIP])
#else
#error "agent_signal.h: unsupported architecture"
#endif

static inline long kt_ksigaction(int sig, const struct kt_ksigaction *act,
                                 struct kt_ksigaction *old) {
    return kt_agent_sys4(SYS_rt_sigaction, sig, (long)act, (long)old, 8);
}

/* rt_sigreturn, byte for byte glibc's __restore_rt (agent_fault.c) */
void kt_fault_restorer(void) KT_AGENT_HIDDEN;

/* ktap's action for a signal whose current action is CUR: HANDLER with SA_SIGINFO and ktap's
 * restorer, carrying CUR's mask, SA_ONSTACK and SA_NODEFER when CUR is a handler (a signal
 * forwarded to it then runs on the stack and with the mask it would have had). */
struct kt_ksigaction kt_signal_action(void (*handler)(int, siginfo_t *, void *),
                                      const struct kt_ksigaction *cur) KT_AGENT_HIDDEN;

/* Delivers SIG as OLD (the action ktap's replaced) would have. REEXECUTES: returning from the
 * handler runs the signalling instruction again (a fault), so that a default action is applied
 * by letting it fault again; otherwise (a trap, a signal sent by a process) the same siginfo is
 * queued again. BEFORE_RESET(sig), when not NULL, runs before the process's action is set to OLD
 * or, for SA_RESETHAND, to SIG_DFL (ktap's handler is gone from then on). */
void kt_signal_forward(int sig, const struct kt_ksigaction *old, siginfo_t *info, void *ucv,
                       int reexecutes, void (*before_reset)(int sig)) KT_AGENT_HIDDEN;

#endif
