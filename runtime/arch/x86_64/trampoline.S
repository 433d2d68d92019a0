/* x86_64 trampolines shared by all probes.
 *
 * kt_arch_entry_common: reached from a probe's entry head with
 *     [rsp] = return into the head, [rsp+8] = struct kt_probe *, [rsp+16] = caller's return
 *     address (the slot a return probe hijacks).
 * kt_arch_return_common: reached from return stub j with
 *     [rsp] = return into the stub, [rsp+8] = tag, [rsp+16] = real return address.
 *
 * Both save every general register (callers built with -fipa-ra keep values in call-clobbered
 * registers across calls, so "caller-saved" is not enough), the arithmetic flags (lahf/seto:
 * popfq costs ~5 ns), and the vector registers a handler may read (entry: xmm0-7 arguments;
 * return: xmm0-1 return values). The runtime's own C code uses no vector registers; handlers
 * that may are called through kt_arch_call_full, which also saves xmm2-15 and live x87 values.
 * CFI describes the frames so that unwinding from inside a return handler reaches the caller.
 */
#include "arch.h"

#define KT_REGS_AH (KT_REGS_STCNT + 4)
#define KT_REGS_OF (KT_REGS_STCNT + 5)

    .text

/* rax and rcx are free after this (both saved). */
.macro SAVE_GPRS
    mov %rax, KT_REGS_RAX(%rsp)
    mov %rcx, KT_REGS_RCX(%rsp)
    seto %al
    lahf
    mov %ah, KT_REGS_AH(%rsp)
    mov %al, KT_REGS_OF(%rsp)
    movzbl %ah, %ecx
    movzbl %al, %eax
    shl $11, %eax
    or %ecx, %eax
    or $0x202, %eax
    mov %rax, KT_REGS_FLAGS(%rsp)
    mov %rbx, KT_REGS_RBX(%rsp)
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
.endm

/* Everything but rbx and rax; then the flags (add sets OF, sahf the rest); then rax. */
.macro RESTORE_GPRS
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
    movzbl KT_REGS_OF(%rsp), %eax
    add $0x7f, %al
    mov KT_REGS_AH(%rsp), %ah
    sahf
    mov KT_REGS_RAX(%rsp), %rax
.endm

.macro SAVE_XMM from, to
.irp i,0,1,2,3,4,5,6,7
.if \i >= \from && \i <= \to
    movdqu %xmm\i, KT_REGS_XMM+\i*16(%rsp)
.endif
.endr
.endm

.macro RESTORE_XMM from, to
.irp i,0,1,2,3,4,5,6,7
.if \i >= \from && \i <= \to
    movdqu KT_REGS_XMM+\i*16(%rsp), %xmm\i
.endif
.endr
.endm

/* The frame of the entry paths without vector registers: kt_regs on the program's stack, rbx
 * pointing at it (the CFA is described through rbx), rsp 16-aligned below it. */
.macro ENTRY_FRAME_OPEN
    lea -KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset KT_REGS_SIZE
    SAVE_GPRS
    .cfi_rel_offset %rbx, KT_REGS_RBX
    .cfi_rel_offset %rbp, KT_REGS_RBP
    lea KT_REGS_SIZE+16(%rsp), %rax
    mov %rax, KT_REGS_SP(%rsp)
    cld
    mov %rsp, %rbx
    .cfi_def_cfa_register %rbx
    and $-16, %rsp
.endm

.macro ENTRY_FRAME_CLOSE
    mov %rbx, %rsp
    .cfi_def_cfa_register %rsp
    mov KT_REGS_RBX(%rsp), %rbx
    RESTORE_GPRS
    lea KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
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
    SAVE_XMM 0, 7
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
    RESTORE_XMM 0, 7
    RESTORE_GPRS
    lea KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_entry_common, .-kt_arch_entry_common

/* The same for probes whose handlers read no vector registers (KT_NO_VECTOR_REGS): xmm0-7 are
 * neither captured nor restored (the runtime's C code does not touch them). */
    .globl kt_arch_entry_common_novec
    .hidden kt_arch_entry_common_novec
    .type kt_arch_entry_common_novec, @function
    .p2align 4
kt_arch_entry_common_novec:
    .cfi_startproc
    ENTRY_FRAME_OPEN
    mov KT_REGS_SIZE+8(%rbx), %rdi
    mov %rbx, %rsi
    call kt_on_entry
    ENTRY_FRAME_CLOSE
    .cfi_endproc
    .size kt_arch_entry_common_novec, .-kt_arch_entry_common_novec

/* Go programs (kt_go_mode): as _novec, but only the registers (and the claim and release calls)
 * use the program's stack (a goroutine's has only the room Go's stack checks leave,
 * rt_stacks.c); kt_on_entry runs on a handler stack of the engine's own, claimed before and
 * released after, from the program's stack. rbx holds the frame throughout (the CFA is
 * described through it). No stack free: the hit is counted as missed. */
    .globl kt_arch_entry_common_switch
    .hidden kt_arch_entry_common_switch
    .type kt_arch_entry_common_switch, @function
    .p2align 4
kt_arch_entry_common_switch:
    .cfi_startproc
    ENTRY_FRAME_OPEN
    call kt_stack_claim
    test %rax, %rax
    jz 1f
    mov %rax, %rsp
    push %rax
    push %rax
    mov KT_REGS_SIZE+8(%rbx), %rdi
    mov %rbx, %rsi
    call kt_on_entry
    /* Off the handler stack before it is released: the release's own return address would be
     * on it, and another thread may claim it the instant it is free. */
    mov (%rsp), %rdi
    mov %rbx, %rsp
    and $-16, %rsp
    call kt_stack_release
    jmp 2f
1:  mov KT_REGS_SIZE+8(%rbx), %rdi
    call kt_on_entry_nostack
2:  ENTRY_FRAME_CLOSE
    .cfi_endproc
    .size kt_arch_entry_common_switch, .-kt_arch_entry_common_switch

/* The return side. [CFA-8] is the real return address pushed by the stub (unwinders see the
 * caller), then the tag, then our own return into the stub. This frame is described as a normal
 * frame returning into the stub; the stub's FDE continues to the real caller. */
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
    SAVE_XMM 0, 1
    lea KT_REGS_SIZE+24(%rsp), %rax
    mov %rax, KT_REGS_SP(%rsp)
    movl $0, KT_REGS_STCNT(%rsp)
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
    RESTORE_XMM 0, 1
    RESTORE_GPRS
    lea KT_REGS_SIZE(%rsp), %rsp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_return_common, .-kt_arch_return_common

/* int kt_arch_call_full(int (*fn)(void *, void *), void *a, void *b, struct kt_regs *regs,
 *                       int return_side)
 * Calls a handler that may use any register: saves xmm2-15 (the trampolines keep xmm0-7 or
 * xmm0-1 in regs) and, on the return side, the live x87 registers (st0/st1 hold long double
 * and, on i386, float returns), which are also handed to the handler in regs->st. */
    .globl kt_arch_call_full
    .hidden kt_arch_call_full
    .type kt_arch_call_full, @function
    .p2align 4
kt_arch_call_full:
    .cfi_startproc
    push %rbp
    .cfi_adjust_cfa_offset 8
    .cfi_rel_offset %rbp, 0
    mov %rsp, %rbp
    .cfi_def_cfa_register %rbp
    push %rbx
    push %r12
    push %r13
    .cfi_offset %rbx, -24
    .cfi_offset %r12, -32
    .cfi_offset %r13, -40
    sub $232, %rsp
.irp i,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu %xmm\i, (\i-2)*16(%rsp)
.endr
    mov %rdi, %rbx
    mov %rcx, %r12
    mov %r8d, %r13d
    test %r13d, %r13d
    jz 1f
    movl $0, KT_REGS_STCNT(%r12)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST(%r12)
    movl $1, KT_REGS_STCNT(%r12)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST+16(%r12)
    movl $2, KT_REGS_STCNT(%r12)
1:
    mov %rsi, %rdi
    mov %rdx, %rsi
    call *%rbx
    mov %eax, %ebx
    test %r13d, %r13d
    jz 3f
    cmpl $1, KT_REGS_STCNT(%r12)
    jb 3f
    je 2f
    fldt KT_REGS_ST+16(%r12)
2:
    fldt KT_REGS_ST(%r12)
3:
.irp i,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu (\i-2)*16(%rsp), %xmm\i
.endr
    mov %ebx, %eax
    lea -24(%rbp), %rsp
    pop %r13
    pop %r12
    pop %rbx
    pop %rbp
    .cfi_def_cfa %rsp, 8
    ret
    .cfi_endproc
    .size kt_arch_call_full, .-kt_arch_call_full

    .section .note.GNU-stack,"",@progbits
