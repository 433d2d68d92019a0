/* x86_64 trampolines shared by all probes.
 *
 * kt_arch_entry_common: reached from a probe's entry head with
 *     [rsp] = return into the head, [rsp+8] = struct kt_probe *, [rsp+16] = caller's return
 *     address (the slot a return probe hijacks).
 * kt_arch_return_common: reached from return stub j with
 *     [rsp] = return into the stub, [rsp+8] = tag, [rsp+16] = real return address.
 *
 * Both save every general register, flags and xmm0-15 (callers built with -fipa-ra may keep
 * values in call-clobbered registers across a call), align the stack, call the C engine and
 * restore from the (possibly handler-modified) struct kt_regs. The return side also saves live
 * x87 registers (long double returns). CFI describes the frames so that unwinding from inside a
 * return handler reaches the real caller.
 */
#include "arch.h"

    .text

.macro SAVE_GPRS
    mov %rax, KT_REGS_RAX(%rsp)
    pushfq
    pop %rax
    mov %rax, KT_REGS_FLAGS(%rsp)
    mov %rbx, KT_REGS_RBX(%rsp)
    mov %rcx, KT_REGS_RCX(%rsp)
    mov %rdx, KT_REGS_RDX(%rsp)
    mov %rsi, KT_REGS_RSI(%rsp)
    mov %rdi, KT_REGS_RDI(%rsp)
    mov %rbp, KT_REGS_RBP(%rsp)
    mov %r8, KT_REGS_R8(%rsp)
    mov %r9, KT_REGS_R9(%rsp)
    mov %r10, KT_REGS_R10(%rsp)
    mov %r11, KT_REGS_R11(%rsp)
    mov %r12, KT_REGS_R12(%rsp)
    mov %r13, KT_REGS_R13(%rsp)
    mov %r14, KT_REGS_R14(%rsp)
    mov %r15, KT_REGS_R15(%rsp)
    movdqu %xmm0, KT_REGS_XMM+0*16(%rsp)
    movdqu %xmm1, KT_REGS_XMM+1*16(%rsp)
    movdqu %xmm2, KT_REGS_XMM+2*16(%rsp)
    movdqu %xmm3, KT_REGS_XMM+3*16(%rsp)
    movdqu %xmm4, KT_REGS_XMM+4*16(%rsp)
    movdqu %xmm5, KT_REGS_XMM+5*16(%rsp)
    movdqu %xmm6, KT_REGS_XMM+6*16(%rsp)
    movdqu %xmm7, KT_REGS_XMM+7*16(%rsp)
    movdqu %xmm8, KT_REGS_XMM+8*16(%rsp)
    movdqu %xmm9, KT_REGS_XMM+9*16(%rsp)
    movdqu %xmm10, KT_REGS_XMM+10*16(%rsp)
    movdqu %xmm11, KT_REGS_XMM+11*16(%rsp)
    movdqu %xmm12, KT_REGS_XMM+12*16(%rsp)
    movdqu %xmm13, KT_REGS_XMM+13*16(%rsp)
    movdqu %xmm14, KT_REGS_XMM+14*16(%rsp)
    movdqu %xmm15, KT_REGS_XMM+15*16(%rsp)
.endm

.macro RESTORE_GPRS
    movdqu KT_REGS_XMM+0*16(%rsp), %xmm0
    movdqu KT_REGS_XMM+1*16(%rsp), %xmm1
    movdqu KT_REGS_XMM+2*16(%rsp), %xmm2
    movdqu KT_REGS_XMM+3*16(%rsp), %xmm3
    movdqu KT_REGS_XMM+4*16(%rsp), %xmm4
    movdqu KT_REGS_XMM+5*16(%rsp), %xmm5
    movdqu KT_REGS_XMM+6*16(%rsp), %xmm6
    movdqu KT_REGS_XMM+7*16(%rsp), %xmm7
    movdqu KT_REGS_XMM+8*16(%rsp), %xmm8
    movdqu KT_REGS_XMM+9*16(%rsp), %xmm9
    movdqu KT_REGS_XMM+10*16(%rsp), %xmm10
    movdqu KT_REGS_XMM+11*16(%rsp), %xmm11
    movdqu KT_REGS_XMM+12*16(%rsp), %xmm12
    movdqu KT_REGS_XMM+13*16(%rsp), %xmm13
    movdqu KT_REGS_XMM+14*16(%rsp), %xmm14
    movdqu KT_REGS_XMM+15*16(%rsp), %xmm15
    mov KT_REGS_R15(%rsp), %r15
    mov KT_REGS_R14(%rsp), %r14
    mov KT_REGS_R13(%rsp), %r13
    mov KT_REGS_R12(%rsp), %r12
    mov KT_REGS_R11(%rsp), %r11
    mov KT_REGS_R10(%rsp), %r10
    mov KT_REGS_R9(%rsp), %r9
    mov KT_REGS_R8(%rsp), %r8
    mov KT_REGS_RDI(%rsp), %rdi
    mov KT_REGS_RSI(%rsp), %rsi
    mov KT_REGS_RBP(%rsp), %rbp
    mov KT_REGS_RDX(%rsp), %rdx
    mov KT_REGS_RCX(%rsp), %rcx
    mov KT_REGS_FLAGS(%rsp), %rax
    push %rax
    popfq
    mov KT_REGS_RAX(%rsp), %rax
.endm

    .globl kt_arch_entry_common
    .hidden kt_arch_entry_common
    .type kt_arch_entry_common, @function
    .p2align 4
kt_arch_entry_common:
    .cfi_startproc
    lea -KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset KT_REGS_SIZE
    SAVE_GPRS
    .cfi_rel_offset %rbx, KT_REGS_RBX
    .cfi_rel_offset %rbp, KT_REGS_RBP
    lea KT_REGS_SIZE+16(%rsp), %rax
    mov %rax, KT_REGS_SP(%rsp)
    cld
    mov KT_REGS_SIZE+8(%rsp), %rdi
    mov %rsp, %rsi
    mov %rsp, %rbx
    .cfi_def_cfa_register %rbx
    and $-16, %rsp
    call kt_on_entry
    mov %rbx, %rsp
    .cfi_def_cfa_register %rsp
    mov KT_REGS_RBX(%rsp), %rbx
    RESTORE_GPRS
    lea KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_entry_common, .-kt_arch_entry_common

/* The return side. The CFA is the stub's: [CFA-8] is the real return address pushed by the stub
 * (so unwinders see the caller), then the tag, then our own return into the stub. We describe
 * this frame as a normal frame whose return address is the stub (CFA = rsp+8 at entry); the stub's
 * FDE then continues to the real caller. */
    .globl kt_arch_return_common
    .hidden kt_arch_return_common
    .type kt_arch_return_common, @function
    .p2align 4
kt_arch_return_common:
    .cfi_startproc
    lea -KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset KT_REGS_SIZE
    SAVE_GPRS
    .cfi_rel_offset %rbx, KT_REGS_RBX
    .cfi_rel_offset %rbp, KT_REGS_RBP
    lea KT_REGS_SIZE+24(%rsp), %rax
    mov %rax, KT_REGS_SP(%rsp)
    /* x87: save st0/st1 only when live (fxam reports "empty" without faulting). */
    movl $0, KT_REGS_STCNT(%rsp)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST(%rsp)
    movl $1, KT_REGS_STCNT(%rsp)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST+16(%rsp)
    movl $2, KT_REGS_STCNT(%rsp)
1:
    cld
    mov KT_REGS_SIZE+8(%rsp), %edi
    mov %rsp, %rsi
    mov %rsp, %rbx
    .cfi_def_cfa_register %rbx
    and $-16, %rsp
    call kt_on_return
    mov %rbx, %rsp
    .cfi_def_cfa_register %rsp
    mov KT_REGS_RBX(%rsp), %rbx
    cmpl $1, KT_REGS_STCNT(%rsp)
    jb 3f
    je 2f
    fldt KT_REGS_ST+16(%rsp)
2:
    fldt KT_REGS_ST(%rsp)
3:
    RESTORE_GPRS
    lea KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_return_common, .-kt_arch_return_common

    .section .note.GNU-stack,"",@progbits
