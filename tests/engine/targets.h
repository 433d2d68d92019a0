/* Shared declarations for the engine tests: the asm targets and helpers. */
#ifndef KTAP_ENGINE_TARGETS_H
#define KTAP_ENGINE_TARGETS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Register dump written by kth_regcheck (layout matches asm_<arch>.S). */
struct kth_regdump {
    uintptr_t gpr[16]; /* x86_64: rax rbx rcx rdx rsi rdi rbp r8..r15; i386: eax ebx ecx edx esi
                          edi ebp */
    uintptr_t flags;
#if defined(__i386__)
    uint32_t pad;
#endif
    uint8_t xmm[16][16];
};

int kth_asm_leaf(void);
int kth_asm_leaf2(void);
void kth_regcheck(void *fn, struct kth_regdump *out);
int kth_short(void);
int kth_short_nopad(void);
int kth_after_short(void);
int kth_loophead(void);
int kth_callfirst(void);
uintptr_t kth_callfirst_ra(void);
uintptr_t kth_subcall_ra(void);
uintptr_t kth_ra_leaf(void);
int kth_callshort(int (*fn)(void));
void kth_noreturn_fn(void);
int kth_tc_a(void);
int kth_tc_b(void);
int kth_tc_c(void);
int kth_tc_x(void);
int kth_tc_y(void);

#define KTH_NOINLINE __attribute__((noinline, noclone, used))

/* Makes small test functions big enough to patch and keeps the compiler from folding them. */
extern volatile int kth_sink;

#ifdef __cplusplus
}
#endif
#endif
