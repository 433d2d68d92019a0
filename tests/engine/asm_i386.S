/* Hand-written targets for the engine tests (i386); same names as asm_x86_64.S. */
    .text

.macro FUNC name
    .globl \name
    .type \name, @function
    .p2align 4
\name:
.endm
.macro END name
    .size \name, .-\name
.endm

FUNC kth_asm_leaf
    mov $42, %eax
    ret
END kth_asm_leaf

FUNC kth_asm_leaf2
    mov $43, %eax
    ret
END kth_asm_leaf2

/* void kth_regcheck(void *fn, struct kth_regdump *out) */
FUNC kth_regcheck
    push %ebx
    push %ebp
    push %esi
    push %edi
    sub $12, %esp
    mov 32(%esp), %eax
    mov %eax, 0(%esp)
    mov 36(%esp), %eax
    mov %eax, 4(%esp)
.irp i,0,1,2,3,4,5,6,7
    mov $(0x40404040 + \i * 0x01010101), %eax
    movd %eax, %xmm\i
    pshufd $0, %xmm\i, %xmm\i
.endr
    mov $0x11111111, %ebx
    mov $0x22222222, %ecx
    mov $0x33333333, %edx
    mov $0x44444444, %esi
    mov $0x55555555, %edi
    mov $0x66666666, %ebp
    stc
    call *0(%esp)
    pushfl
    push %eax
    mov 12(%esp), %eax /* out */
    mov %ebx, 4(%eax)
    mov %ecx, 8(%eax)
    mov %edx, 12(%eax)
    mov %esi, 16(%eax)
    mov %edi, 20(%eax)
    mov %ebp, 24(%eax)
.irp i,0,1,2,3,4,5,6,7
    movdqu %xmm\i, 72+\i*16(%eax)
.endr
    pop %ecx
    mov %ecx, 0(%eax)
    pop %ecx
    mov %ecx, 64(%eax)
    add $12, %esp
    pop %edi
    pop %esi
    pop %ebp
    pop %ebx
    ret
END kth_regcheck

FUNC kth_short
    xor %eax, %eax
    ret
END kth_short
    nop; nop; nop; nop; nop; nop; nop; nop

FUNC kth_short_nopad
    xor %eax, %eax
    ret
END kth_short_nopad
    .globl kth_after_short
    .type kth_after_short, @function
kth_after_short:
    mov $7, %eax
    ret
END kth_after_short

FUNC kth_loophead
    xor %eax, %eax
1:  add $1, %eax
    cmp $10, %eax
    jne 1b
    ret
END kth_loophead

FUNC kth_callfirst
    call kth_asm_leaf
    ret
END kth_callfirst

FUNC kth_ra_leaf
    mov (%esp), %eax
    ret
END kth_ra_leaf

FUNC kth_callfirst_ra
    call kth_ra_leaf
    ret
END kth_callfirst_ra

FUNC kth_subcall_ra
    sub $8, %esp
    call kth_ra_leaf
    add $8, %esp
    ret
END kth_subcall_ra

FUNC kth_callshort
    mov 4(%esp), %eax
    call *%eax
    nop
    nop
    nop
    ret
END kth_callshort

FUNC kth_noreturn_fn
    push $0
    nop
    nop
    nop
    call abort@PLT
END kth_noreturn_fn

FUNC kth_tc_a
    mov $1, %eax
    jmp kth_tc_b
END kth_tc_a
FUNC kth_tc_b
    mov $2, %eax
    jmp kth_tc_c
END kth_tc_b
FUNC kth_tc_c
    add $5, %eax
    nop
    nop
    ret
END kth_tc_c
FUNC kth_tc_x
    mov $3, %eax
    jmp kth_tc_y
END kth_tc_x
FUNC kth_tc_y
    mov $4, %eax
    jmp kth_tc_c
END kth_tc_y

    .section .note.GNU-stack,"",@progbits
