/* Where the controller's remote calls into the process return (docs/attach.md "Remote calls
 * that survive ktap's death"). The controller runs a call on a stopped thread with a frame on
 * its stack: the return address is ktap_agent_call_return, and above it the signal frame that
 * rt_sigreturn needs to put the thread back exactly as it was (registers, x87/SSE/AVX state,
 * signal mask). The stub:
 *
 *   1. stores the call's result in ktap_agent_call_box and sends its own thread the signal the
 *      controller chose (one whose action is to be ignored: SIGURG, SIGWINCH or SIGCHLD without
 *      a handler). A living controller sees it as a signal-delivery stop, reads the result,
 *      drops the signal and restores the thread itself (the rest never runs);
 *   2. with the controller gone (kill -9 during the call), the signal is ignored and the stub
 *      goes on with rt_sigreturn over the frame: the thread resumes where it was stopped.
 *
 * Before, the return address was 0: a call interrupted by the controller's death ended in
 * SIGSEGV at address 0 and killed the process. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <signal.h>
#include <sys/syscall.h>

/* Layout read and written by the controller (compiler/attach/tracee.cpp, CallBox). */
struct ktap_call_box {
    uint32_t seq;   /* written by the controller before the call */
    uint32_t done;  /* = seq when the call returned */
    int64_t result; /* the call's return value (rax / eax, sign-extended from long) */
    int32_t signal; /* the signal to send, 0: none */
    int32_t pad_;
};
_Static_assert(sizeof(struct ktap_call_box) == 24, "the controller's view");
KT_AGENT_API struct ktap_call_box ktap_agent_call_box;

KT_AGENT_HIDDEN __attribute__((used, noinline, force_align_arg_pointer)) void
kt_call_return_note(long result) {
    struct ktap_call_box *b = &ktap_agent_call_box;
    b->result = result;
    __atomic_store_n(&b->done, b->seq, __ATOMIC_RELEASE);
    int sig = b->signal;
    if (sig > 0) {
        long pid = kt_agent_sys(SYS_getpid, 0, 0, 0), tid = kt_agent_sys(SYS_gettid, 0, 0, 0);
        kt_agent_sys(SYS_tgkill, pid, tid, sig);
    }
}

void ktap_agent_call_return(void) KT_AGENT_API;

#if defined(__x86_64__)
/* Entered by `ret` from the called function: rsp is 16-byte aligned, the frame's first word
 * (the return slot) just below it. rt_sigreturn reads the frame at rsp - 8. */
__asm__(".text\n.p2align 4\n"
        ".globl ktap_agent_call_return\n.type ktap_agent_call_return, @function\n"
        "ktap_agent_call_return:\n"
        "  movq %rax, %rdi\n"
        "  call kt_call_return_note\n"
        "  movl $15, %eax\n" /* rt_sigreturn */
        "  syscall\n"
        "  hlt\n"
        ".size ktap_agent_call_return, .-ktap_agent_call_return\n");
#elif defined(__i386__)
/* esp points just above the return slot; the argument goes into the slot (pretcode, which
 * rt_sigreturn does not read), so esp is back there for the frame at esp - 4. */
__asm__(".text\n.p2align 4\n"
        ".globl ktap_agent_call_return\n.type ktap_agent_call_return, @function\n"
        "ktap_agent_call_return:\n"
        "  pushl %eax\n"
        "  call kt_call_return_note\n"
        "  addl $4, %esp\n"
        "  movl $173, %eax\n" /* rt_sigreturn */
        "  int $0x80\n"
        "  hlt\n"
        ".size ktap_agent_call_return, .-ktap_agent_call_return\n");
#else
#error "agent_callret.c: unsupported architecture"
#endif
