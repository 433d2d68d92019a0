/* i386 side of the arch_* interface (runtime/arch/x86_64/arch.h has the same names). */
#ifndef KT_ARCH_H
#define KT_ARCH_H

#define KT_ARCH_BITS 32
#define KT_ARCH_WORD 4
#define KT_DW_SP 4 /* DWARF register number of esp */
/* 1: the stub leaves through jmp *[rec[j].real_ret] (no red zone on i386, and ret would
 * desynchronise the return-stack predictor), so a returned record stays on the stack, marked
 * completed, until the thread is provably past the jump */
#define KT_ARCH_COMPLETED_RECORDS 1
#define KT_DW_RA 8 /* DWARF return-address column (eip) */

#define KT_TRAMP_SLOT_SIZE 128
#define KT_ENTRY_HEAD_LEN 14
#define KT_TRAMP_DATA_OFF 112
/* The slot's bytes that differ between registrations at the same site: push $probe's imm32 and
 * call entry_common's rel32 (both in the slot's first aligned 8-byte word or the next; the two
 * entry_common variants are one function on i386, so only the probe word ever changes). */
#define KT_TRAMP_PROBE_OFF 1
#define KT_TRAMP_COMMON_OFF 6
#define KT_TRAMP_FIELD_LEN 4

#define KT_REGS_EDI 0
#define KT_REGS_ESI 4
#define KT_REGS_EBP 8
#define KT_REGS_EBX 12
#define KT_REGS_EDX 16
#define KT_REGS_ECX 20
#define KT_REGS_EAX 24
#define KT_REGS_FLAGS 28
#define KT_REGS_SP 32
#define KT_REGS_IP 36
#define KT_REGS_XMM 40
#define KT_REGS_ST 168
#define KT_REGS_STCNT 200
#define KT_REGS_SIZE 216

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

struct kt_probe;
struct kt_thread;
struct kt_regs;

struct kt_stub_cfa_event {
    uint8_t offset;
    uint8_t cfa_offset;
};
#define KT_STUB_CFA_EVENTS 3
extern const struct kt_stub_cfa_event kt_arch_stub_cfa[KT_STUB_CFA_EVENTS]
    __attribute__((visibility("hidden")));

void kt_arch_write_entry_head(uint8_t *slot_buf, uintptr_t slot, struct kt_probe *p,
                              void (*common)(void)) __attribute__((visibility("hidden")));
void kt_arch_write_stub(uint8_t *buf, uintptr_t stub_addr, struct kt_thread *t, uint32_t j,
                        uint32_t tag) __attribute__((visibility("hidden")));
int kt_arch_encode_jmp(uint8_t out[5], uintptr_t from, uintptr_t to)
    __attribute__((visibility("hidden")));
int kt_arch_reachable(uintptr_t site, uintptr_t tramp) __attribute__((visibility("hidden")));

/* The thread pointer (the TCB's address: its first word at %gs:0 points to itself), for the
 * agent of programs without TLS for it (rt_thread_fs.c). 0 while %gs holds a null selector (a
 * static program before its libc set TLS up), where %gs:0 would fault. */
static inline uintptr_t kt_arch_thread_pointer(int fsgsbase) {
    unsigned sel;
    uintptr_t tp;
    (void)fsgsbase;
    __asm__ __volatile__("mov %%gs, %0" : "=r"(sel));
    if ((sel & 0xffff) < 4)
        return 0;
    __asm__ __volatile__("mov %%gs:0, %0" : "=r"(tp));
    return tp;
}

/* Raw system call for the probe path: libc's syscall() could itself be probed. */
static inline long kt_arch_syscall3(long nr, long a, long b, long c)
{
    long ret;
    __asm__ __volatile__("int $0x80" : "=a"(ret) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
    return ret;
}

static inline long kt_arch_syscall4(long nr, long a, long b, long c, long d)
{
    long ret;
    __asm__ __volatile__("int $0x80"
                         : "=a"(ret)
                         : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
                         : "memory");
    return ret;
}

/* pwrite64 for code writes under MDWE (rt_sys.c): the offset is two words. */
static inline long kt_arch_syscall5(long nr, long a, long b, long c, long d, long e)
{
    long ret;
    __asm__ __volatile__("int $0x80"
                         : "=a"(ret)
                         : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e)
                         : "memory");
    return ret;
}

void kt_arch_entry_common(void) __attribute__((visibility("hidden")));
void kt_arch_entry_common_novec(void) __attribute__((visibility("hidden")));
void kt_arch_return_common(void) __attribute__((visibility("hidden")));
/* Calls fn(a, b) saving the vector (and on the return side x87) state a C handler may clobber. */
int kt_arch_call_full(void *fn, void *a, void *b, struct kt_regs *regs, int return_side)
    __attribute__((visibility("hidden")));
#endif

#endif
