/* Tiny test harness for the engine tests (C and C++, x86_64 and i386: there is no 32-bit
 * GoogleTest). CHECKs print file:line, the expression and a message, and make the test fail. */
#ifndef KTAP_ENGINE_HARNESS_H
#define KTAP_ENGINE_HARNESS_H

#include <stdint.h>
#include <stdio.h>

#include "ktap/rt.h"

#ifdef __cplusplus
extern "C" {
#endif

extern int kth_failures;
void kth_fail(const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Handlers change variables behind the compiler's back (it can prove a probed function does not
 * touch them): every check starts with a compiler memory barrier so values are re-read. */
#define KTH_SYNC() __asm__ __volatile__("" ::: "memory")

#define CHECK(cond, ...)                                                                           \
    do {                                                                                           \
        KTH_SYNC();                                                                                \
        if (!(cond))                                                                               \
            kth_fail(__FILE__, __LINE__, #cond, __VA_ARGS__);                                      \
    } while (0)
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        KTH_SYNC();                                                                                \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_)                                                                              \
            kth_fail(__FILE__, __LINE__, #a " == " #b, "%lld != %lld", a_, b_);                    \
    } while (0)

/* Prepare (Zydis in-process on x86_64, ktap-rt-prep-tool over a pipe on i386). Returns 1 on
 * success; on refusal returns 0 and copies the reason. */
int kth_prepare(void *fn, int return_probe, struct kt_patch *out, char *reason, size_t len);

/* Prepare + register + arm, CHECKing every step. Return 1 on success. */
int kth_kprobe(struct kt_kprobe *kp, void *fn, kt_pre_handler_t pre);
int kth_kretprobe(struct kt_kretprobe *rp, void *fn, kt_kretprobe_handler_t handler,
                  kt_kretprobe_handler_t entry_handler, size_t data_size, int maxactive);

/* The "nothing lost" invariant; prints every counter when it fails. */
void kth_check_balanced(struct kt_kretprobe *rp, const char *what);
void kth_check_kprobe_balanced(struct kt_kprobe *kp, const char *what);
void kth_print_stats(const char *what, const struct kt_stats *s);
struct kt_stats kth_stats(struct kt_kretprobe *rp);

int kth_finish(const char *name); /* prints the verdict; returns the exit code */

/* Registers of a handler's view, arch-neutral. */
uintptr_t kth_ret0(const struct kt_regs *r);       /* rax / eax */
uintptr_t kth_ret1(const struct kt_regs *r);       /* rdx / edx */
uintptr_t kth_arg(const struct kt_regs *r, int i); /* integer argument i at function entry */

#ifdef __cplusplus
}
#endif
#endif
