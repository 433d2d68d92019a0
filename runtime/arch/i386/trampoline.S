/* i386 trampolines shared by all probes (see runtime/arch/x86_64/trampoline.S for the design).
 *
 * kt_arch_entry_common:  [esp] = return into the head, [esp+4] = probe, [esp+8] = caller's
 *                        return address (the slot a return probe hijacks).
 * kt_arch_return_common: [esp] = return into the stub, [esp+4] = tag, [esp+8] = real return.
 * Saves all general registers, flags, xmm0-7 (libc string functions called by handlers use SSE),
 * and on the return side live x87 registers (float/double/long double returns are in st0).
 */
#include "arch.h"

    .text

.macro SAVE_GPRS
    mov %eax, KT_REGS_EAX(%esp)
    pushfl
    pop %eax
    mov %eax, KT_REGS_FLAGS(%esp)
    mov %ebx, KT_REGS_EBX(%esp)
    mov %ecx, KT_REGS_ECX(%esp)
    mov %edx, KT_REGS_EDX(%esp)
    mov %esi, KT_REGS_ESI(%esp)
    mov %edi, KT_REGS_EDI(%esp)
    mov %ebp, KT_REGS_EBP(%esp)
    movdqu %xmm0, KT_REGS_XMM+0*16(%esp)
    movdqu %xmm1, KT_REGS_XMM+1*16(%esp)
    movdqu %xmm2, KT_REGS_XMM+2*16(%esp)
    movdqu %xmm3, KT_REGS_XMM+3*16(%esp)
    movdqu %xmm4, KT_REGS_XMM+4*16(%esp)
    movdqu %xmm5, KT_REGS_XMM+5*16(%esp)
    movdqu %xmm6, KT_REGS_XMM+6*16(%esp)
    movdqu %xmm7, KT_REGS_XMM+7*16(%esp)
.endm

.macro RESTORE_GPRS
    movdqu KT_REGS_XMM+0*16(%esp), %xmm0
    movdqu KT_REGS_XMM+1*16(%esp), %xmm1
    movdqu KT_REGS_XMM+2*16(%esp), %xmm2
    movdqu KT_REGS_XMM+3*16(%esp), %xmm3
    movdqu KT_REGS_XMM+4*16(%esp), %xmm4
    movdqu KT_REGS_XMM+5*16(%esp), %xmm5
    movdqu KT_REGS_XMM+6*16(%esp), %xmm6
    movdqu KT_REGS_XMM+7*16(%esp), %xmm7
    mov KT_REGS_EDI(%esp), %edi
    mov KT_REGS_ESI(%esp), %esi
    mov KT_REGS_EBP(%esp), %ebp
    mov KT_REGS_EDX(%esp), %edx
    mov KT_REGS_ECX(%esp), %ecx
    mov KT_REGS_FLAGS(%esp), %eax
    push %eax
    popfl
    mov KT_REGS_EAX(%esp), %eax
.endm

    .globl kt_arch_entry_common
    .hidden kt_arch_entry_common
    .type kt_arch_entry_common, @function
    .p2align 4
kt_arch_entry_common:
    .cfi_startproc
    lea -KT_REGS_SIZE(%esp), %esp
    .cfi_adjust_cfa_offset KT_REGS_SIZE
    SAVE_GPRS
    .cfi_rel_offset %ebx, KT_REGS_EBX
    .cfi_rel_offset %ebp, KT_REGS_EBP
    lea KT_REGS_SIZE+8(%esp), %eax
    mov %eax, KT_REGS_SP(%esp)
    cld
    mov KT_REGS_SIZE+4(%esp), %eax
    mov %esp, %ebx
    .cfi_def_cfa_register %ebx
    and $-16, %esp
    sub $8, %esp
    push %ebx
    push %eax
    call kt_on_entry
    mov %ebx, %esp
    .cfi_def_cfa_register %esp
    mov KT_REGS_EBX(%esp), %ebx
    RESTORE_GPRS
    lea KT_REGS_SIZE(%esp), %esp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_entry_common, .-kt_arch_entry_common

    .globl kt_arch_return_common
    .hidden kt_arch_return_common
    .type kt_arch_return_common, @function
    .p2align 4
kt_arch_return_common:
    .cfi_startproc
    lea -KT_REGS_SIZE(%esp), %esp
    .cfi_adjust_cfa_offset KT_REGS_SIZE
    SAVE_GPRS
    .cfi_rel_offset %ebx, KT_REGS_EBX
    .cfi_rel_offset %ebp, KT_REGS_EBP
    lea KT_REGS_SIZE+12(%esp), %eax
    mov %eax, KT_REGS_SP(%esp)
    movl $0, KT_REGS_STCNT(%esp)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST(%esp)
    movl $1, KT_REGS_STCNT(%esp)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST+16(%esp)
    movl $2, KT_REGS_STCNT(%esp)
1:
    cld
    mov KT_REGS_SIZE+4(%esp), %eax
    mov %esp, %ebx
    .cfi_def_cfa_register %ebx
    and $-16, %esp
    sub $8, %esp
    push %ebx
    push %eax
    call kt_on_return
    mov %ebx, %esp
    .cfi_def_cfa_register %esp
    mov KT_REGS_EBX(%esp), %ebx
    cmpl $1, KT_REGS_STCNT(%esp)
    jb 3f
    je 2f
    fldt KT_REGS_ST+16(%esp)
2:
    fldt KT_REGS_ST(%esp)
3:
    RESTORE_GPRS
    lea KT_REGS_SIZE(%esp), %esp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_return_common, .-kt_arch_return_common

    .section .note.GNU-stack,"",@progbits
