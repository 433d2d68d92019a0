/* Hand-written targets for the engine tests (x86_64). Every function has .type/.size so that
 * dladdr1 reports its extent (the preparer scans the whole function). */
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

/* A leaf that touches nothing but eax: mov $42,%eax (5 bytes); ret */
FUNC kth_asm_leaf
    mov $42, %eax
    ret
END kth_asm_leaf

FUNC kth_asm_leaf2
    mov $43, %eax
    ret
END kth_asm_leaf2

/* void kth_regcheck(void *fn, struct kth_regdump *out): load patterns into every register, set
 * CF, call fn, dump every register to out. */
FUNC kth_regcheck
    push %rbx
    push %rbp
    push %r12
    push %r13
    push %r14
    push %r15
    sub $24, %rsp
    mov %rdi, 0(%rsp)
    mov %rsi, 8(%rsp)
.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    mov $(0x40404040 + \i * 0x01010101), %eax
    movd %eax, %xmm\i
    pshufd $0, %xmm\i, %xmm\i
.endr
    movabs $0x1111111111111111, %rbx
    movabs $0x2222222222222222, %rcx
    movabs $0x3333333333333333, %rdx
    movabs $0x4444444444444444, %rsi
    movabs $0x5555555555555555, %rdi
    movabs $0x6666666666666666, %rbp
    movabs $0x7777777777777777, %r8
    movabs $0x8888888888888888, %r9
    movabs $0x9999999999999999, %r10
    movabs $0xaaaaaaaaaaaaaaaa, %r11
    movabs $0xbbbbbbbbbbbbbbbb, %r12
    movabs $0xcccccccccccccccc, %r13
    movabs $0xdddddddddddddddd, %r14
    movabs $0xeeeeeeeeeeeeeeee, %r15
    stc
    call *0(%rsp)
    pushfq
    push %rax
    mov 24(%rsp), %rax /* out */
    mov %rbx, 8(%rax)
    mov %rcx, 16(%rax)
    mov %rdx, 24(%rax)
    mov %rsi, 32(%rax)
    mov %rdi, 40(%rax)
    mov %rbp, 48(%rax)
    mov %r8, 56(%rax)
    mov %r9, 64(%rax)
    mov %r10, 72(%rax)
    mov %r11, 80(%rax)
    mov %r12, 88(%rax)
    mov %r13, 96(%rax)
    mov %r14, 104(%rax)
    mov %r15, 112(%rax)
.irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    movdqu %xmm\i, 136+\i*16(%rax)
.endr
    pop %rcx
    mov %rcx, 0(%rax)
    pop %rcx
    mov %rcx, 128(%rax)
    add $24, %rsp
    pop %r15
    pop %r14
    pop %r13
    pop %r12
    pop %rbp
    pop %rbx
    ret
END kth_regcheck

/* Too short (ends after 3 bytes), but followed by alignment padding the jump may cover. */
FUNC kth_short
    xor %eax, %eax
    ret
END kth_short
    nop; nop; nop; nop; nop; nop; nop; nop

/* Too short, and the next function follows at once: refused. */
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

/* A loop head at +2, inside the 5 patched bytes. */
FUNC kth_loophead
    xor %eax, %eax
1:  add $1, %eax
    cmp $10, %eax
    jne 1b
    ret
END kth_loophead

/* A call inside the first 5 bytes (relocated: the copy pushes the original return address). */
FUNC kth_callfirst
    call kth_asm_leaf
    ret
END kth_callfirst

/* Returns its own return address. */
FUNC kth_ra_leaf
    mov (%rsp), %rax
    ret
END kth_ra_leaf

/* The return address kth_ra_leaf saw when called first thing: kth_callfirst_ra + 5. */
FUNC kth_callfirst_ra
    call kth_ra_leaf
    ret
END kth_callfirst_ra

/* The -O2 shape: sub $8,%rsp; call; the callee's return address must be kth_subcall_ra + 9. */
FUNC kth_subcall_ra
    sub $8, %rsp
    call kth_ra_leaf
    add $8, %rsp
    ret
END kth_subcall_ra

/* A call through a register that ends before the 5th byte: its callee would return into the
 * patched bytes. kth_callshort(fn) calls fn. */
FUNC kth_callshort
    call *%rdi
    nop
    nop
    nop
    ret
END kth_callshort

/* Never returns: no ret, no jmp. */
FUNC kth_noreturn_fn
    xor %edi, %edi
    nop
    nop
    nop
    call _exit@PLT
END kth_noreturn_fn

/* Tail calls: kth_tc_a jmp kth_tc_b jmp kth_tc_c (leaf). kth_tc_x jmp kth_tc_y (unprobed)
 * jmp kth_tc_c. The pads make each function at least 5 bytes before its jmp. */
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
