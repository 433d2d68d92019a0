/* pun [N]: functions a jump can only be placed on if it keeps its last bytes (instruction
 * punning): pun_fn, whose bytes from +3 (x86_64) / +4 (i386) pun_alt jumps into, as glibc's
 * __mempcpy_* jump into __memmove_* + 3; and pun_short, 3 bytes long, followed directly by
 * pun_next (no padding); a loop head at the entry and a 1-byte function (below). Calls each N
 * times and prints the sums of their results. */
#include <stdio.h>
#include <stdlib.h>

int pun_fn(int x);                /* x86_64: 2x + 1; i386: x + 1 */
int pun_alt(int x);               /* x86_64: x + 1;  i386: 2x + 1 (enters pun_fn's body) */
unsigned char pun_short(void);    /* 7 */
unsigned char pun_next(void);     /* 9 */

#if defined(__x86_64__)
__asm__(".text\n"
        ".globl pun_fn\n.type pun_fn,@function\n.p2align 4\n"
        "pun_fn:\n"
        "  lea (%rdi,%rdi,1), %eax\n" /* 8d 04 3f */
        ".Lpun_body:\n"
        "  add $1, %al\n" /* 04 01: the jump's rel32 must end in these bytes */
        "  ret\n"
        ".size pun_fn, .-pun_fn\n"
        ".globl pun_alt\n.type pun_alt,@function\n"
        "pun_alt:\n"
        "  mov %edi, %eax\n"
        "  jmp .Lpun_body\n"
        ".size pun_alt, .-pun_alt\n");
#else
__asm__(".text\n"
        ".globl pun_fn\n.type pun_fn,@function\n.p2align 4\n"
        "pun_fn:\n"
        "  mov 4(%esp), %eax\n" /* 8b 44 24 04 */
        ".Lpun_body:\n"
        "  add $1, %al\n"
        "  ret\n"
        ".size pun_fn, .-pun_fn\n"
        ".globl pun_alt\n.type pun_alt,@function\n"
        "pun_alt:\n"
        "  mov 4(%esp), %eax\n"
        "  add %eax, %eax\n"
        "  jmp .Lpun_body\n"
        ".size pun_alt, .-pun_alt\n");
#endif
/* The same bytes on both arches; pun_next starts right after pun_short's ret. */
__asm__(".text\n"
        ".globl pun_short\n.type pun_short,@function\n.p2align 4\n"
        "pun_short:\n"
        "  mov $7, %al\n" /* b0 07 */
        "  ret\n"
        ".size pun_short, .-pun_short\n"
        ".globl pun_next\n.type pun_next,@function\n"
        "pun_next:\n"
        "  .byte 0x53, 0x5b\n" /* push, pop %ebx (%rbx): kept by pun_short's jump */
        "  mov $9, %al\n"
        "  ret\n"
        ".size pun_next, .-pun_next\n");

/* pun_loop(n) jumps back to its own entry n - 1 times (a loop head at the entry) and returns 3
 * for n = 3; pun_one is 1 byte (ret) with pun_one_next right after it, whose first 4 bytes
 * (b8 07 00 30) a jump on pun_one must keep: it reaches one address, 0x300007b8 past it. */
int pun_loop(int n);
void pun_one(void);
int pun_one_next(void); /* 0x300007 */
#if defined(__x86_64__)
__asm__(".text\n"
        ".globl pun_loop\n.type pun_loop,@function\n.p2align 4\n"
        "pun_loop:\n"
        "  mov %edi, %eax\n" /* 89 f8 */
        "  sub $1, %eax\n"   /* 83 e8 01 */
        "  mov %eax, %edi\n"
        "  jg pun_loop\n"
        "  mov $3, %eax\n"
        "  ret\n"
        ".size pun_loop, .-pun_loop\n");
#else
__asm__(".text\n"
        ".globl pun_loop\n.type pun_loop,@function\n.p2align 4\n"
        "pun_loop:\n"
        "  subl $1, 4(%esp)\n" /* 83 6c 24 04 01 */
        "  jg pun_loop\n"
        "  mov $3, %eax\n"
        "  ret\n"
        ".size pun_loop, .-pun_loop\n");
#endif
__asm__(".text\n"
        ".globl pun_one\n.type pun_one,@function\n.p2align 4\n"
        "pun_one:\n"
        "  ret\n"
        ".size pun_one, .-pun_one\n"
        ".globl pun_one_next\n.type pun_one_next,@function\n"
        "pun_one_next:\n"
        "  mov $0x300007, %eax\n"
        "  ret\n"
        ".size pun_one_next, .-pun_one_next\n");

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 100;
    long f = 0, a = 0, s = 0, x = 0, l = 0, o = 0;
    for (int i = 0; i < n; i++) {
        f += pun_fn(i % 100);
        a += pun_alt(i % 100);
        s += pun_short();
        x += pun_next();
        l += pun_loop(3);
        pun_one();
        o += pun_one_next();
    }
    printf("fn=%ld alt=%ld short=%ld next=%ld loop=%ld one_next=%ld\n", f, a, s, x, l, o);
    return 0;
}
