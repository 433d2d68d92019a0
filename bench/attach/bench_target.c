/* bench_target: the process the attach benchmark (bench/attach/run.sh) traces.
 *
 * Four leaf functions with one body and a controlled first instruction, written in assembly so
 * the compiler cannot change them (the kernel picks its uprobe path by the first instruction,
 * see ../shared/reference/peer-costs.md):
 *
 *   leaf_push   push %rbp / push %ebp       kernel: int3, instruction emulated
 *   leaf_nop5   0f 1f 44 00 00 (nopl 0(%rax,%rax,1))
 *                                           kernel 6.18: nop5 rewritten to a call, no trap
 *   leaf_other  lea (x86_64) / mov (i386)   kernel: int3, then single-step out of line (#DB)
 *   leaf_endbr  endbr64 (x86_64 only)       kernel: like leaf_other
 *
 * Each returns (3 * x + 1) ^ 0x5a, so the loop's checksum proves every call ran.
 *
 * At startup it checks the first bytes of each function against what they must be, prints
 * them, then reads commands from standard input, one per line, and answers each with one line
 * on standard output (flushed):
 *
 *   m FUNC REPS CALLS   REPS timed repetitions of CALLS calls of FUNC; answers
 *                       "r FUNC med=NS min=NS max=NS calls=TOTAL sum=CHECK reps=NS,NS,...
 *                        wmed=NS wreps=NS,NS,..."
 *                       ns per call by the thread's CPU clock (time the thread spends preempted
 *                       by other work on a shared machine does not count; kernel time spent on
 *                       the thread's behalf, e.g. in a uprobe, does), then the same by the
 *                       wall clock (CLOCK_MONOTONIC); TOTAL = calls of FUNC made since start
 *                       (timed by bench_timed_reps, ../common/bench_reps.h)
 *   b                   first 8 bytes of each function now: "b leaf_push=55... ..."
 *   c                   calls per function since start: "c leaf_push=N ..."
 *   q                   exit
 *
 * Nothing runs between commands, so a tracer can attach and detach while the target waits,
 * and every timed call happens with the tracer fully armed (or fully absent). */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/bench_reps.h"

#if defined(__x86_64__)
/* body: lea 1(%rdi,%rdi,2),%eax ; xor $0x5a,%eax ; ret  (8 bytes) */
#define BODY "lea 1(%rdi,%rdi,2),%eax\n\txor $0x5a,%eax\n\t"
__asm__(".text\n"
        ".p2align 4\n.globl leaf_push\n.type leaf_push,@function\nleaf_push:\n\t"
        "push %rbp\n\tmov %rsp,%rbp\n\t" BODY "pop %rbp\n\tret\n.size leaf_push,.-leaf_push\n"
        ".p2align 4\n.globl leaf_nop5\n.type leaf_nop5,@function\nleaf_nop5:\n\t"
        ".byte 0x0f,0x1f,0x44,0x00,0x00\n\t" BODY "ret\n.size leaf_nop5,.-leaf_nop5\n"
        ".p2align 4\n.globl leaf_other\n.type leaf_other,@function\nleaf_other:\n\t"
        BODY "ret\n.size leaf_other,.-leaf_other\n"
        ".p2align 4\n.globl leaf_endbr\n.type leaf_endbr,@function\nleaf_endbr:\n\t"
        ".byte 0xf3,0x0f,0x1e,0xfa\n\t" BODY "ret\n.size leaf_endbr,.-leaf_endbr\n");
#define NFUNCS 4
#elif defined(__i386__)
/* body: mov 4(%esp),%eax ; lea 1(%eax,%eax,2),%eax ; xor $0x5a,%eax ; ret */
#define BODY "lea 1(%eax,%eax,2),%eax\n\txor $0x5a,%eax\n\t"
__asm__(".text\n"
        ".p2align 4\n.globl leaf_push\n.type leaf_push,@function\nleaf_push:\n\t"
        "push %ebp\n\tmov %esp,%ebp\n\tmov 8(%esp),%eax\n\t" BODY
        "pop %ebp\n\tret\n.size leaf_push,.-leaf_push\n"
        ".p2align 4\n.globl leaf_nop5\n.type leaf_nop5,@function\nleaf_nop5:\n\t"
        ".byte 0x0f,0x1f,0x44,0x00,0x00\n\tmov 4(%esp),%eax\n\t" BODY
        "ret\n.size leaf_nop5,.-leaf_nop5\n"
        ".p2align 4\n.globl leaf_other\n.type leaf_other,@function\nleaf_other:\n\t"
        "mov 4(%esp),%eax\n\t" BODY "ret\n.size leaf_other,.-leaf_other\n");
#define NFUNCS 3
#else
#error "x86_64 or i386 only"
#endif

unsigned leaf_push(unsigned x);
unsigned leaf_nop5(unsigned x);
unsigned leaf_other(unsigned x);
#if NFUNCS > 3
unsigned leaf_endbr(unsigned x);
#endif

struct fn {
    const char *name;
    unsigned (*f)(unsigned);
    const unsigned char *want; /* expected first bytes */
    size_t nwant;
    const char *what;
    uint64_t calls;
};

static struct fn fns[] = {
    {"leaf_push", leaf_push, (const unsigned char *)"\x55", 1, "push %bp (kernel: emulated)", 0},
    {"leaf_nop5", leaf_nop5, (const unsigned char *)"\x0f\x1f\x44\x00\x00", 5,
     "nop5 (kernel: optimised, no trap)", 0},
#if defined(__x86_64__)
    {"leaf_other", leaf_other, (const unsigned char *)"\x8d\x44\x7f\x01", 4,
     "lea (kernel: single-step out of line)", 0},
    {"leaf_endbr", leaf_endbr, (const unsigned char *)"\xf3\x0f\x1e\xfa", 4,
     "endbr64 (kernel: single-step out of line)", 0},
#else
    {"leaf_other", leaf_other, (const unsigned char *)"\x8b\x44\x24\x04", 4,
     "mov (kernel: single-step out of line)", 0},
#endif
};

/* One timed loop per function, each a direct call (what a normal caller does). */
#define LOOP(FN)                                                                                 \
    static unsigned loop_##FN(uint64_t n)                                                        \
    {                                                                                            \
        unsigned acc = 0;                                                                        \
        for (uint64_t i = 0; i < n; i++)                                                         \
            acc += FN((unsigned)i);                                                              \
        return acc;                                                                              \
    }
LOOP(leaf_push)
LOOP(leaf_nop5)
LOOP(leaf_other)
#if NFUNCS > 3
LOOP(leaf_endbr)
#endif

static unsigned run_loop(int k, uint64_t n)
{
    switch (k) {
    case 0: return loop_leaf_push(n);
    case 1: return loop_leaf_nop5(n);
    case 2: return loop_leaf_other(n);
#if NFUNCS > 3
    case 3: return loop_leaf_endbr(n);
#endif
    }
    return 0;
}

static void print_bytes(const char *tag)
{
    printf("%s", tag);
    for (int k = 0; k < NFUNCS; k++) {
        const unsigned char *p = (const unsigned char *)fns[k].f;
        printf(" %s=", fns[k].name);
        for (int j = 0; j < 8; j++)
            printf("%02x", p[j]);
    }
    printf("\n");
    fflush(stdout);
}

int main(void)
{
    int bad = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("bench_target pid=%d arch=%s\n", (int)getpid(), sizeof(void *) == 8 ? "x86_64" : "i386");
    for (int k = 0; k < NFUNCS; k++) {
        const unsigned char *p = (const unsigned char *)fns[k].f;
        int ok = memcmp(p, fns[k].want, fns[k].nwant) == 0;
        printf("first bytes %-10s:", fns[k].name);
        for (int j = 0; j < 8; j++)
            printf(" %02x", p[j]);
        printf("  %s  %s\n", fns[k].what, ok ? "ok" : "UNEXPECTED");
        bad |= !ok;
        if (fns[k].f(41) != ((3u * 41 + 1) ^ 0x5a)) {
            printf("%s returns a wrong value\n", fns[k].name);
            bad = 1;
        }
    }
    if (bad)
        return 2;
    printf("ready\n");

    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        char name[64];
        int reps;
        unsigned long long calls;
        if (line[0] == 'q')
            break;
        if (line[0] == 'b') {
            print_bytes("b");
            continue;
        }
        if (line[0] == 'c') {
            printf("c");
            for (int k = 0; k < NFUNCS; k++)
                printf(" %s=%" PRIu64, fns[k].name, fns[k].calls);
            printf("\n");
            continue;
        }
        if (sscanf(line, "m %63s %d %llu", name, &reps, &calls) != 3 || reps < 1 ||
            reps > BENCH_MAX_REPS || calls < 1) {
            printf("error: bad command: %s", line);
            continue;
        }
        int k = -1;
        for (int j = 0; j < NFUNCS; j++)
            if (strcmp(fns[j].name, name) == 0)
                k = j;
        if (k < 0) {
            printf("error: no function %s\n", name);
            continue;
        }
        bench_timed_reps(name, reps, calls, run_loop, k, expected_sum(calls), &fns[k].calls);
    }
    return 0;
}
