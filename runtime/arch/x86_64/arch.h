/* x86_64 side of the arch_* interface (runtime/arch/i386/arch.h has the same names). */
#ifndef KT_ARCH_H
#define KT_ARCH_H

#define KT_ARCH_BITS 64
#define KT_ARCH_WORD 8
#define KT_DW_SP 7 /* DWARF register number of rsp */
/* 0: the stub leaves through jmp *-8(%rsp) (red zone), so a returned record is popped at once */
#define KT_ARCH_COMPLETED_RECORDS 0
#define KT_DW_RA 16 /* DWARF return-address column */

/* Trampoline slot: [entry head][relocated instructions + jmp back][data words]. */
#define KT_TRAMP_SLOT_SIZE 128
#define KT_ENTRY_HEAD_LEN 17
#define KT_TRAMP_DATA_OFF 112 /* probe pointer at +112, entry_common at +120 */
/* The slot's bytes that differ between registrations at the same site (rt_probe.c rewrites each
 * with one atomic store of an aligned word): the probe pointer and the entry_common pointer. */
#define KT_TRAMP_PROBE_OFF 112
#define KT_TRAMP_COMMON_OFF 120
#define KT_TRAMP_FIELD_LEN 8

/* Offsets of struct kt_regs fields used by trampoline.S. */
#define KT_REGS_R15 0
#define KT_REGS_R14 8
#define KT_REGS_R13 16
#define KT_REGS_R12 24
#define KT_REGS_R11 32
#define KT_REGS_R10 40
#define KT_REGS_R9 48
#define KT_REGS_R8 56
#define KT_REGS_RDI 64
#define KT_REGS_RSI 72
#define KT_REGS_RBP 80
#define KT_REGS_RBX 88
#define KT_REGS_RDX 96
#define KT_REGS_RCX 104
#define KT_REGS_RAX 112
#define KT_REGS_FLAGS 120
#define KT_REGS_SP 128
#define KT_REGS_IP 136
#define KT_REGS_XMM 144
#define KT_REGS_ST 400
#define KT_REGS_STCNT 432
#define KT_REGS_SIZE 448

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct kt_probe;
struct kt_thread;
struct kt_regs;

/* CFA changes inside one return stub, relative to the stub's first byte (see kt_arch_write_stub).
 * The first event is where the real return address has been pushed (RA moves to [CFA-word]). */
struct kt_stub_cfa_event {
    uint8_t offset;
    uint8_t cfa_offset;
};
#define KT_STUB_CFA_EVENTS 3
extern const struct kt_stub_cfa_event kt_arch_stub_cfa[KT_STUB_CFA_EVENTS]
    __attribute__((visibility("hidden")));

/* Write the entry head of a trampoline slot (push probe; call entry_common; drop probe). */
void kt_arch_write_entry_head(uint8_t *slot_buf, uintptr_t slot, struct kt_probe *p,
                              void (*common)(void)) __attribute__((visibility("hidden")));
/* Write return stub j of thread block t (at most KT_STUB_STRIDE - 1 bytes, at stub_addr). */
void kt_arch_write_stub(uint8_t *buf, uintptr_t stub_addr, struct kt_thread *t, uint32_t j,
                        uint32_t tag) __attribute__((visibility("hidden")));
/* 5-byte jmp rel32 from `from` to `to`; returns 0 if out of range. */
int kt_arch_encode_jmp(uint8_t out[5], uintptr_t from, uintptr_t to)
    __attribute__((visibility("hidden")));
/* Whether a trampoline at `tramp` can be reached by a jmp rel32 placed at `site`. */
int kt_arch_reachable(uintptr_t site, uintptr_t tramp) __attribute__((visibility("hidden")));

/* The thread pointer (the address of the thread's TCB, which the psABI makes the first word
 * at %fs:0), for the agent of programs without TLS for it (rt_thread_fs.c). 0: the thread has
 * none yet (a static program before its libc set it up). With FSGSBASE, rdfsbase reads the base
 * without touching memory (also right for runtimes whose %fs:0 is not a self-pointer: Go);
 * without it, a thread whose base is 0 would fault on %fs:0. */
static inline uintptr_t kt_arch_thread_pointer(int fsgsbase) {
    uintptr_t tp;
    if (fsgsbase) {
        __asm__ __volatile__(".byte 0xf3, 0x48, 0x0f, 0xae, 0xc0" /* rdfsbase %rax */ : "=a"(tp));
        return tp;
    }
    __asm__ __volatile__("mov %%fs:0, %0" : "=r"(tp));
    return tp;
}

/* Raw system call for the probe path: libc's syscall() could itself be probed. */
static inline long kt_arch_syscall3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c)
                         : "rcx", "r11", "memory");
    return ret;
}

static inline long kt_arch_syscall4(long nr, long a, long b, long c, long d)
{
    long ret;
    register long r10 __asm__("r10") = d;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10)
                         : "rcx", "r11", "memory");
    return ret;
}

/* mmap and pwrite64 for code writes under MDWE (rt_sys.c). */
static inline long kt_arch_syscall6(long nr, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ __volatile__("syscall"
                         : "=a"(ret)
                         : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                         : "rcx", "r11", "memory");
    return ret;
}

void kt_arch_entry_common(void) __attribute__((visibility("hidden")));
void kt_arch_entry_common_novec(void) __attribute__((visibility("hidden")));
/* Go programs: the handler runs on a stack of the engine's own (rt_stacks.c). */
void kt_arch_entry_common_switch(void) __attribute__((visibility("hidden")));
void kt_arch_return_common(void) __attribute__((visibility("hidden")));
/* Calls fn(a, b) saving the vector (and on the return side x87) state a C handler may clobber. */
int kt_arch_call_full(void *fn, void *a, void *b, struct kt_regs *regs, int return_side)
    __attribute__((visibility("hidden")));
#endif

#endif
