/* bt_target: the process the backtrace benchmark (bench/backtrace/run.sh) traces.
 *
 * The probed function, bt_leaf, is reached through a known chain, so that the stack an entry
 * probe on it sees has a known depth (10 frames by default, newest first):
 *
 *   bt_leaf                    assembly: nop5, (3x+1)^0x5a, ret; frameless, with CFI
 *   bt_loop                    the timed loop: CALLS direct calls of bt_leaf
 *   bt_chain3 .. bt_chain1     the chain (length set by "d"); bt_chain1 allocates PAD bytes
 *                              (alloca, set by "p") to place the stack across a page boundary
 *   bench_timed_reps           the timing (../common/bench_reps.h, shared with bench/attach)
 *   main                       the command loop
 *   __libc_start_call_main, __libc_start_main, _start     (glibc)
 *
 * Built -O2 -fomit-frame-pointer: every C frame is unwound by its CFI, not by a frame
 * pointer (bt_chain1 has one, for its alloca, and its CFI says so). Each chain function stores
 * its callee's result in a volatile after the call, so no call is a tail call; all are noipa.
 *
 * bt_leaf starts with a 5-byte nop (0f 1f 44 00 00), like leaf_nop5 of bench/attach: on
 * x86_64 the kernel (6.18) turns a uprobe there into a call, without a trap, its cheapest
 * path (bpftrace's figures); on i386 it emulates the nop. ktap's cost does not depend on it.
 *
 * At startup it prints its pid, the address of argv[0]'s slot (the top of what an unwinder
 * reads: _start's frame lies just below it) and bt_leaf's first bytes, then reads commands,
 * one per line, and answers each with one line (flushed):
 *
 *   m bt_leaf REPS CALLS  REPS timed repetitions of CALLS calls of bt_leaf through the chain;
 *                         the answer of bench_timed_reps ("r bt_leaf med=NS ... wreps=...")
 *   d LEN                 chain length 1..9 (default 3): "d LEN"
 *   p PAD                 bytes bt_chain1 allocates (0..65536, default 0): "p PAD"
 *   b                     bt_leaf's first 8 bytes now: "b bt_leaf=0f1f440000..."
 *   c                     calls of bt_leaf since start: "c bt_leaf=N"
 *   s                     "s argv=0xADDR len=LEN pad=PAD"
 *   q                     exit
 *
 * Nothing runs between commands: a tracer attaches and detaches while the target waits. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/bench_reps.h"

#if defined(__x86_64__)
__asm__(".text\n"
        ".p2align 4\n.globl bt_leaf\n.type bt_leaf,@function\nbt_leaf:\n\t"
        ".cfi_startproc\n\t"
        ".byte 0x0f,0x1f,0x44,0x00,0x00\n\t"
        "lea 1(%rdi,%rdi,2),%eax\n\txor $0x5a,%eax\n\tret\n\t"
        ".cfi_endproc\n.size bt_leaf,.-bt_leaf\n");
#elif defined(__i386__)
__asm__(".text\n"
        ".p2align 4\n.globl bt_leaf\n.type bt_leaf,@function\nbt_leaf:\n\t"
        ".cfi_startproc\n\t"
        ".byte 0x0f,0x1f,0x44,0x00,0x00\n\t"
        "mov 4(%esp),%eax\n\tlea 1(%eax,%eax,2),%eax\n\txor $0x5a,%eax\n\tret\n\t"
        ".cfi_endproc\n.size bt_leaf,.-bt_leaf\n");
#else
#error "x86_64 or i386 only"
#endif

unsigned bt_leaf(unsigned x);

#define NOIPA __attribute__((noipa))
#define MAX_CHAIN 9

static volatile int chain_len = 3;
static volatile unsigned pad_bytes;
static volatile unsigned sink;
static uint64_t leaf_calls;

NOIPA unsigned bt_loop(uint64_t n)
{
    unsigned acc = 0;
    for (uint64_t i = 0; i < n; i++)
        acc += bt_leaf((unsigned)i);
    return acc;
}

#define CHAIN(I, NEXT)                                                                          \
    NOIPA unsigned bt_chain##I(uint64_t n)                                                      \
    {                                                                                           \
        unsigned r = chain_len > I ? NEXT(n) : bt_loop(n);                                      \
        sink = r;                                                                               \
        return r;                                                                               \
    }
CHAIN(9, bt_loop)
CHAIN(8, bt_chain9)
CHAIN(7, bt_chain8)
CHAIN(6, bt_chain7)
CHAIN(5, bt_chain6)
CHAIN(4, bt_chain5)
CHAIN(3, bt_chain4)
CHAIN(2, bt_chain3)

/* The chain's first function; run() of bench_timed_reps. */
NOIPA unsigned bt_chain1(int k, uint64_t n)
{
    (void)k;
    char *p = __builtin_alloca(pad_bytes);
    __asm__ __volatile__("" : : "r"(p) : "memory");
    unsigned r = chain_len > 1 ? bt_chain2(n) : bt_loop(n);
    sink = r;
    return r;
}

static void print_bytes(const char *tag)
{
    const unsigned char *p = (const unsigned char *)bt_leaf;
    printf("%s bt_leaf=", tag);
    for (int j = 0; j < 8; j++)
        printf("%02x", p[j]);
    printf("\n");
}

int main(int argc, char **argv)
{
    (void)argc;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("bt_target pid=%d arch=%s argv=%#" PRIxPTR "\n", (int)getpid(),
           sizeof(void *) == 8 ? "x86_64" : "i386", (uintptr_t)argv);
    const unsigned char *p = (const unsigned char *)bt_leaf;
    int ok = memcmp(p, "\x0f\x1f\x44\x00\x00", 5) == 0 && bt_leaf(41) == ((3u * 41 + 1) ^ 0x5a);
    printf("first bytes bt_leaf:");
    for (int j = 0; j < 8; j++)
        printf(" %02x", p[j]);
    printf("  nop5  %s\n", ok ? "ok" : "UNEXPECTED");
    if (!ok)
        return 2;
    printf("ready\n");

    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        char name[64];
        int reps, v;
        unsigned long long calls;
        switch (line[0]) {
        case 'q':
            return 0;
        case 'b':
            print_bytes("b");
            continue;
        case 'c':
            printf("c bt_leaf=%" PRIu64 "\n", leaf_calls);
            continue;
        case 's':
            printf("s argv=%#" PRIxPTR " len=%d pad=%u\n", (uintptr_t)argv, chain_len, pad_bytes);
            continue;
        case 'd':
            if (sscanf(line, "d %d", &v) == 1 && v >= 1 && v <= MAX_CHAIN) {
                chain_len = v;
                printf("d %d\n", v);
            } else
                printf("error: bad command: %s", line);
            continue;
        case 'p':
            if (sscanf(line, "p %d", &v) == 1 && v >= 0 && v <= 65536) {
                pad_bytes = (unsigned)v;
                printf("p %d\n", v);
            } else
                printf("error: bad command: %s", line);
            continue;
        }
        if (sscanf(line, "m %63s %d %llu", name, &reps, &calls) != 3 || reps < 1 ||
            reps > BENCH_MAX_REPS || calls < 1) {
            printf("error: bad command: %s", line);
            continue;
        }
        if (strcmp(name, "bt_leaf") != 0) {
            printf("error: no function %s\n", name);
            continue;
        }
        bench_timed_reps(name, reps, calls, bt_chain1, 0, expected_sum(calls), &leaf_calls);
    }
    return 0;
}
