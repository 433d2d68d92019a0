/* i386 trampolines shared by all probes (see runtime/arch/x86_64/trampoline.S for the design).
 *
 * kt_arch_entry_common:  [esp] = return into the head, [esp+4] = probe, [esp+8] = caller's
 *                        return address (the slot a return probe hijacks).
 * kt_arch_return_common: [esp] = return into the stub, [esp+4] = tag, [esp+8] = real return.
 * Saves all general registers and the arithmetic flags. Arguments are on the stack and results
 * in eax/edx/st0, so no vector register is saved here; handlers that may use SSE or x87 are
 * called through kt_arch_call_full, which saves xmm0-7 and (return side) live x87 registers.
 */
#include "arch.h"

#define KT_REGS_AH (KT_REGS_STCNT + 4)
#define KT_REGS_OF (KT_REGS_STCNT + 5)

    .text

.macro SAVE_GPRS
    mov %eax, KT_REGS_EAX(%esp)
    mov %ecx, KT_REGS_ECX(%esp)
    seto %al
    lahf
    mov %ah, KT_REGS_AH(%esp)
    mov %al, KT_REGS_OF(%esp)
    movzbl %ah, %ecx
    movzbl %al, %eax
    shl $11, %eax
    or %ecx, %eax
    or $0x202, %eax
    mov %eax, KT_REGS_FLAGS(%esp)
    mov %ebx, KT_REGS_EBX(%esp)
    mov %edx, KT_REGS_EDX(%esp)
    mov %esi, KT_REGS_ESI(%esp)
    mov %edi, KT_REGS_EDI(%esp)
    mov %ebp, KT_REGS_EBP(%esp)
.endm

.macro RESTORE_GPRS
    mov KT_REGS_EDI(%esp), %edi
    mov KT_REGS_ESI(%esp), %esi
    mov KT_REGS_EBP(%esp), %ebp
    mov KT_REGS_EDX(%esp), %edx
    mov KT_REGS_ECX(%esp), %ecx
    movzbl KT_REGS_OF(%esp), %eax
    add $0x7f, %al
    mov KT_REGS_AH(%esp), %ah
    sahf
    mov KT_REGS_EAX(%esp), %eax
.endm

    .globl kt_arch_entry_common
    .hidden kt_arch_entry_common
    .type kt_arch_entry_common, @function
    .globl kt_arch_entry_common_novec
    .hidden kt_arch_entry_common_novec
    .type kt_arch_entry_common_novec, @function
    .p2align 4
kt_arch_entry_common_novec: /* i386 captures no vector registers at entry anyway */
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
    RESTORE_GPRS
    lea KT_REGS_SIZE(%esp), %esp
    .cfi_adjust_cfa_offset -KT_REGS_SIZE
    ret
    .cfi_endproc
    .size kt_arch_return_common, .-kt_arch_return_common

/* int kt_arch_call_full(int (*fn)(void *, void *), void *a, void *b, struct kt_regs *regs,
 *                       int return_side): see the x86_64 version. */
    .globl kt_arch_call_full
    .hidden kt_arch_call_full
    .type kt_arch_call_full, @function
    .p2align 4
kt_arch_call_full:
    .cfi_startproc
    push %ebp
    .cfi_adjust_cfa_offset 4
    .cfi_rel_offset %ebp, 0
    mov %esp, %ebp
    .cfi_def_cfa_register %ebp
    push %ebx
    push %esi
    .cfi_offset %ebx, -12
    .cfi_offset %esi, -16
    sub $136, %esp
    and $-16, %esp
.irp i,0,1,2,3,4,5,6,7
    movdqu %xmm\i, \i*16(%esp)
.endr
    mov 20(%ebp), %esi
    cmpl $0, 24(%ebp)
    je 1f
    movl $0, KT_REGS_STCNT(%esi)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST(%esi)
    movl $1, KT_REGS_STCNT(%esi)
    fxam
    fnstsw %ax
    and $0x4500, %ax
    cmp $0x4100, %ax
    je 1f
    fstpt KT_REGS_ST+16(%esi)
    movl $2, KT_REGS_STCNT(%esi)
1:
    sub $8, %esp
    pushl 16(%ebp)
    pushl 12(%ebp)
    call *8(%ebp)
    add $16, %esp
    mov %eax, %ebx
    cmpl $0, 24(%ebp)
    je 3f
    cmpl $1, KT_REGS_STCNT(%esi)
    jb 3f
    je 2f
    fldt KT_REGS_ST+16(%esi)
2:
    fldt KT_REGS_ST(%esi)
3:
.irp i,0,1,2,3,4,5,6,7
    movdqu \i*16(%esp), %xmm\i
.endr
    mov %ebx, %eax
    lea -8(%ebp), %esp
    pop %esi
    pop %ebx
    pop %ebp
    .cfi_def_cfa %esp, 4
    ret
    .cfi_endproc
    .size kt_arch_call_full, .-kt_arch_call_full

    .section .note.GNU-stack,"",@progbits
