/* Fault-safe reads without a system call (docs/agent.md "Fault-safe reads"), the way the
 * kernel's exception tables work: handlers copy target memory with kt_fault_copy, an assembly
 * routine with known bounds; the agent's SIGSEGV / SIGBUS handler moves a thread that faulted
 * inside it to its fixup label, which returns -1. Any other signal goes on exactly where it
 * would have gone without ktap (the action saved when the handler was installed).
 *
 * Rules (the traced process must never be harmed):
 *  - installed and removed with raw rt_sigaction (kernel struct, own SA_RESTORER trampoline):
 *    libc's sigaction may be probed by the script;
 *  - used only while ktap's handler is the installed one (kt_fast_reads; the watchdog checks
 *    every 100 ms and turns it off when the application installed its own; each handler run
 *    that reads checks it too, see mask_query);
 *  - used only on a thread where SIGSEGV and SIGBUS are not blocked: a synchronous fault on a
 *    thread blocking it is not delivered to any handler, the kernel resets the action to
 *    SIG_DFL and the process dies. Mask and actions are asked once per handler run
 *    (rt_sigprocmask + 2 rt_sigaction, cached in the thread's agent block under the engine's
 *    exit count), not per read;
 *  - a signal that is not a fault of kt_fault_copy (another instruction, or sent by kill /
 *    tgkill / sigqueue even while the thread is in kt_fault_copy) is forwarded. */
#define _GNU_SOURCE
#include "agent_signal.h"

/* ---- the copy routine and the signal return trampoline ------------------------------------ */

/* int32_t kt_fault_copy(void *dst, const void *src, uint32_t n): 0, or -1 when an access
 * faulted (the handler resumes the thread at kt_fault_copy_fixup). Only the instruction between
 * kt_fault_copy_start and kt_fault_copy_end may fault. Direction flag: clear by the ABI. */
int32_t kt_fault_copy(void *dst, const void *src, uint32_t n) KT_AGENT_HIDDEN;
extern const char kt_fault_copy_start[] KT_AGENT_HIDDEN;
extern const char kt_fault_copy_end[] KT_AGENT_HIDDEN;
extern const char kt_fault_copy_fixup[] KT_AGENT_HIDDEN;

#if defined(__x86_64__)
__asm__(".text\n"
        ".p2align 4\n"
        ".globl kt_fault_copy\n.hidden kt_fault_copy\n.type kt_fault_copy, @function\n"
        ".globl kt_fault_copy_start\n.hidden kt_fault_copy_start\n"
        ".globl kt_fault_copy_end\n.hidden kt_fault_copy_end\n"
        ".globl kt_fault_copy_fixup\n.hidden kt_fault_copy_fixup\n"
        "kt_fault_copy:\n"
        "  .cfi_startproc\n"
        "  movl %edx, %ecx\n" /* n (zero-extended) */
        "kt_fault_copy_start:\n"
        "  rep movsb\n"       /* rdi = dst, rsi = src */
        "kt_fault_copy_end:\n"
        "  xorl %eax, %eax\n"
        "  ret\n"
        "kt_fault_copy_fixup:\n"
        "  movl $-1, %eax\n"
        "  ret\n"
        "  .cfi_endproc\n"
        ".size kt_fault_copy, .-kt_fault_copy\n"
        /* rt_sigreturn, byte for byte glibc's __restore_rt (48 c7 c0 0f 00 00 00 0f 05): the
           pattern libgcc's and gdb's unwinders recognise as a signal frame */
        ".p2align 4\n"
        ".globl kt_fault_restorer\n.hidden kt_fault_restorer\n"
        ".type kt_fault_restorer, @function\n"
        "  nop\n"
        "kt_fault_restorer:\n"
        "  movq $15, %rax\n"
        "  syscall\n"
        "  hlt\n"
        ".size kt_fault_restorer, .-kt_fault_restorer\n");
#elif defined(__i386__)
/* cdecl: esi / edi are callee-saved; the fixup pops them as the normal exit does (esp is the
 * same at the faulting instruction). */
__asm__(".text\n"
        ".p2align 4\n"
        ".globl kt_fault_copy\n.hidden kt_fault_copy\n.type kt_fault_copy, @function\n"
        ".globl kt_fault_copy_start\n.hidden kt_fault_copy_start\n"
        ".globl kt_fault_copy_end\n.hidden kt_fault_copy_end\n"
        ".globl kt_fault_copy_fixup\n.hidden kt_fault_copy_fixup\n"
        "kt_fault_copy:\n"
        "  .cfi_startproc\n"
        "  pushl %esi\n"
        "  .cfi_adjust_cfa_offset 4\n  .cfi_rel_offset %esi, 0\n"
        "  pushl %edi\n"
        "  .cfi_adjust_cfa_offset 4\n  .cfi_rel_offset %edi, 0\n"
        "  movl 12(%esp), %edi\n"
        "  movl 16(%esp), %esi\n"
        "  movl 20(%esp), %ecx\n"
        "kt_fault_copy_start:\n"
        "  rep movsb\n"
        "kt_fault_copy_end:\n"
        "  xorl %eax, %eax\n"
        "  jmp 1f\n"
        "kt_fault_copy_fixup:\n"
        "  movl $-1, %eax\n"
        "1:\n"
        "  popl %edi\n"
        "  .cfi_adjust_cfa_offset -4\n  .cfi_restore %edi\n"
        "  popl %esi\n"
        "  .cfi_adjust_cfa_offset -4\n  .cfi_restore %esi\n"
        "  ret\n"
        "  .cfi_endproc\n"
        ".size kt_fault_copy, .-kt_fault_copy\n"
        /* rt_sigreturn, glibc's __restore_rt bytes (b8 ad 00 00 00 cd 80) */
        ".p2align 4\n"
        ".globl kt_fault_restorer\n.hidden kt_fault_restorer\n"
        ".type kt_fault_restorer, @function\n"
        "  nop\n"
        "kt_fault_restorer:\n"
        "  movl $173, %eax\n"
        "  int $0x80\n"
        "  hlt\n"
        ".size kt_fault_restorer, .-kt_fault_restorer\n");
#else
#error "agent_fault.c: unsupported architecture"
#endif

/* ---- forwarding (agent_signal.h) ------------------------------------------------------------ */

#define KT_BUS_MCEERR_AO 5 /* SIGBUS si_code: memory error, action optional (asynchronous) */

struct kt_ksigaction kt_signal_action(void (*handler)(int, siginfo_t *, void *),
                                      const struct kt_ksigaction *cur) {
    struct kt_ksigaction act = {(uintptr_t)handler, KT_SA_SIGINFO | KT_SA_RESTORER | KT_SA_ONSTACK,
                                (uintptr_t)kt_fault_restorer, 0};
    if (cur->handler != KT_SIG_DFL && cur->handler != KT_SIG_IGN) {
        act.flags = KT_SA_SIGINFO | KT_SA_RESTORER | (cur->flags & (KT_SA_ONSTACK | KT_SA_NODEFER));
        act.mask = cur->mask;
    }
    return act;
}

void kt_signal_forward(int sig, const struct kt_ksigaction *oldp, siginfo_t *info, void *ucv,
                       int reexecutes, void (*before_reset)(int sig)) {
    struct kt_ksigaction old = *oldp;
    int again = reexecutes && info && info->si_code > 0;
    if (old.handler == KT_SIG_DFL || old.handler == KT_SIG_IGN) {
        if (old.handler == KT_SIG_IGN && !again)
            return; /* ignored, as it would have been */
        /* The default action (or a fault with SIG_IGN, which the kernel turns into the default
           action): put the old action back, then let the kernel apply it, with the same
           registers and the same siginfo (core dump included). */
        if (before_reset)
            before_reset(sig);
        kt_ksigaction(sig, &old, 0);
        if (!again) { /* re-queue the same siginfo: delivered when this handler returns */
            long pid = kt_agent_sys(SYS_getpid, 0, 0, 0), tid = kt_agent_sys(SYS_gettid, 0, 0, 0);
            if (!info || kt_agent_sys4(SYS_rt_tgsigqueueinfo, pid, tid, sig, (long)info) != 0)
                kt_agent_sys(SYS_tgkill, pid, tid, sig);
        }
        return; /* a fault: the instruction runs again and faults under the old action */
    }
    if (old.flags & KT_SA_RESETHAND) {
        /* the kernel would have reset the action on delivery */
        struct kt_ksigaction dfl = {KT_SIG_DFL, 0, 0, 0};
        if (before_reset)
            before_reset(sig);
        kt_ksigaction(sig, &dfl, 0);
    }
    if (old.flags & KT_SA_SIGINFO)
        ((void (*)(int, siginfo_t *, void *))old.handler)(sig, info, ucv);
    else
        ((void (*)(int))old.handler)(sig);
}

/* ---- state ------------------------------------------------------------------------------------ */

int32_t kt_fast_reads; /* 1 while ktap's handler is the installed one for both signals */
static uint32_t fault_epoch;   /* bumped by the watchdog every 100 ms (see mask_ok) */
static uint32_t fault_fixups;  /* faults of kt_fault_copy turned into -1 (for the tests) */

enum { KT_FS_SEGV, KT_FS_BUS, KT_FS_N };
static const int fault_sigs[KT_FS_N] = {SIGSEGV, SIGBUS};
struct fault_slot {
    struct kt_ksigaction old; /* the action before ktap's: where other signals go. Kept after
                                 the session: code that saved ktap's handler may still call it */
    int32_t have_old;
    int32_t replaced;         /* the application once replaced ktap's handler: never again */
};
static struct fault_slot fault_slots[KT_FS_N];

static void fault_handler(int sig, siginfo_t *info, void *ucv);

static struct fault_slot *slot_of(int sig) {
    return sig == SIGSEGV ? &fault_slots[KT_FS_SEGV] : sig == SIGBUS ? &fault_slots[KT_FS_BUS] : 0;
}

static int is_ours(const struct kt_ksigaction *a) {
    return a->handler == (uintptr_t)fault_handler;
}

/* ---- the handler ------------------------------------------------------------------------------ */

/* ktap's handler is about to be replaced by the application's old action: no fast reads. */
static void fault_gone(int sig) {
    __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST);
    slot_of(sig)->replaced = 1;
}

/* The application's own action for sig, as if ktap were not there. A signal sent by a process
 * (kill, tgkill, sigqueue: si_code <= 0) or an asynchronous memory error does not come back by
 * re-executing the instruction. */
static void forward(int sig, siginfo_t *info, void *ucv) {
    int reexecutes = !(sig == SIGBUS && info && info->si_code == KT_BUS_MCEERR_AO);
    kt_signal_forward(sig, &slot_of(sig)->old, info, ucv, reexecutes, fault_gone);
}

static void fault_handler(int sig, siginfo_t *info, void *ucv) {
    ucontext_t *uc = (ucontext_t *)ucv;
    uintptr_t ip = (uintptr_t)KT_UC_IP(uc);
    if (info && info->si_code > 0 && ip >= (uintptr_t)kt_fault_copy_start &&
        ip < (uintptr_t)kt_fault_copy_end) {
        KT_UC_IP(uc) = (greg_t)(uintptr_t)kt_fault_copy_fixup;
        __atomic_add_fetch(&fault_fixups, 1, __ATOMIC_RELAXED);
        return;
    }
    forward(sig, info, ucv);
}

/* ---- install / check / restore (agent.c, under the agent's lock) ------------------------- */

/* At init: ktap's handler for SIGSEGV and SIGBUS, keeping the current actions for forwarding.
 * Our action carries the old one's mask and SA_ONSTACK / SA_NODEFER, so that a forwarded
 * handler runs on the stack and with the mask it would have had. */
void kt_fault_install(void) {
    int ok = 1;
    __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST);
    for (int i = 0; i < KT_FS_N; i++)
        if (fault_slots[i].replaced)
            return; /* its handler may chain to ktap's old one: leave everything as it is */
    for (int i = 0; i < KT_FS_N; i++) {
        struct fault_slot *fs = &fault_slots[i];
        struct kt_ksigaction cur, prev;
        if (kt_ksigaction(fault_sigs[i], 0, &cur) != 0) {
            ok = 0;
            continue;
        }
        if (is_ours(&cur)) { /* still ours (a previous session could not restore): keep old */
            ok &= fs->have_old;
            continue;
        }
        struct kt_ksigaction act = kt_signal_action(fault_handler, &cur);
        if (kt_ksigaction(fault_sigs[i], &act, &prev) != 0) {
            ok = 0;
            continue;
        }
        fs->old = prev; /* what was really replaced */
        fs->have_old = 1;
    }
    __atomic_store_n(&kt_fast_reads, ok, __ATOMIC_SEQ_CST);
}

/* Every 100 ms from the watchdog: the fast path stays on only while both actions are ktap's. */
void kt_fault_check(void) {
    __atomic_add_fetch(&fault_epoch, 1, __ATOMIC_RELEASE);
    if (!__atomic_load_n(&kt_fast_reads, __ATOMIC_ACQUIRE))
        return;
    for (int i = 0; i < KT_FS_N; i++) {
        struct kt_ksigaction cur = {(uintptr_t)fault_handler, 0, 0, 0};
        long err = kt_ksigaction(fault_sigs[i], 0, &cur);
        if (err != 0 || !is_ours(&cur)) {
            __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST);
            if (err == 0)
                fault_slots[i].replaced = 1;
        }
    }
}

/* At the end of a session: the old actions back where ktap's handler is still installed (an
 * application's own handler stays). */
void kt_fault_restore(void) {
    __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST);
    for (int i = 0; i < KT_FS_N; i++) {
        struct fault_slot *fs = &fault_slots[i];
        struct kt_ksigaction cur, prev;
        if (!fs->have_old || kt_ksigaction(fault_sigs[i], 0, &cur) != 0)
            continue;
        if (!is_ours(&cur)) {
            fs->replaced = 1;
            continue;
        }
        if (kt_ksigaction(fault_sigs[i], &fs->old, &prev) != 0)
            continue;
        if (!is_ours(&prev)) /* the application installed its own just now: put it back */
            kt_ksigaction(fault_sigs[i], &prev, 0);
    }
}

/* A fork child has no watchdog to notice a handler change: no fast reads there. */
void kt_fault_fork_child(void) {
    __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST);
}

/* ---- the read hook (kt_target.c) ---------------------------------------------------------- */


/* One handler run's check: SIGSEGV and SIGBUS unblocked on this thread, and ktap's handler
 * still installed for both (the watchdog's 100 ms check alone leaves a window in which an
 * application that just installed its own handler would get ktap's fault: with -c ktap attaches
 * before main, so a program installing its handler in main then calling a probed function that
 * reads a bad pointer hits that window at once). */
static int mask_query(void) {
    uint64_t cur = ~(uint64_t)0;
    if (kt_agent_sys4(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)&cur, 8) != 0)
        return 0;
    if (cur & (KT_SIGBIT(SIGSEGV) | KT_SIGBIT(SIGBUS)))
        return 0;
    for (int i = 0; i < KT_FS_N; i++) {
        struct kt_ksigaction act = {0, 0, 0, 0};
        if (kt_ksigaction(fault_sigs[i], 0, &act) != 0)
            return 0;
        if (!is_ours(&act)) {
            __atomic_store_n(&kt_fast_reads, 0, __ATOMIC_SEQ_CST); /* as the watchdog would */
            return 0;
        }
    }
    return 1;
}

/* Whether this thread may take a fault now. The mask does not change during a handler run
 * (the engine does not run a handler nested in another on the same thread), so it is asked
 * once per run: the cache is keyed by the thread id, the engine block's exit count (bumped each
 * time the thread leaves the runtime) and the watchdog's epoch (so that a wrapped exit count
 * cannot match: 2^32 runs do not fit in 100 ms). */
static int mask_ok(void) {
    struct kt_thread *t = kt_thread_self();
    if (!t || t->tid <= 0 || !kt_agent.threads || t->index >= kt_agent.nthreads)
        return mask_query();
    struct kt_agent_thread *at = &kt_agent.threads[t->index];
    uint32_t epoch = __atomic_load_n(&fault_epoch, __ATOMIC_ACQUIRE);
    uint32_t exits = __atomic_load_n(&t->exits, __ATOMIC_RELAXED);
    if (at->mask_tid == t->tid && at->mask_exits == exits && at->mask_epoch == epoch)
        return at->mask_ok;
    int ok = mask_query();
    at->mask_ok = ok;
    at->mask_exits = exits;
    at->mask_epoch = epoch;
    at->mask_tid = t->tid;
    return ok;
}

int32_t kt_fault_read(void *dst, uint64_t addr, uint32_t n) {
    if (!__atomic_load_n(&kt_fast_reads, __ATOMIC_ACQUIRE) || !mask_ok())
        return 1;
    return kt_fault_copy(dst, (const void *)(uintptr_t)addr, n);
}

/* For the tests: whether the fast path is on, and how many faults it turned into -1. */
KT_AGENT_API int32_t ktap_agent_fast_reads(uint32_t *fixups) {
    if (fixups)
        *fixups = __atomic_load_n(&fault_fixups, __ATOMIC_RELAXED);
    return __atomic_load_n(&kt_fast_reads, __ATOMIC_ACQUIRE);
}
