/* Handler stacks for Go programs (kt_go_mode). A goroutine's stack is sized by Go for its own
 * frames: at a function's entry only the few hundred bytes its stack checks guarantee are free
 * below the stack pointer, and below them may lie another goroutine's stack. The x86_64 entry
 * trampoline for Go (kt_arch_entry_common_switch) saves the registers there (448 bytes) and
 * runs everything else on one of these stacks, claimed per hit: a fixed pool, each stack with
 * a guard page below it. A hit finding none free is counted as missed ("no thread"). */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <sys/mman.h>

#define KT_STACKS ((int)(8 * sizeof(unsigned long))) /* 64 on x86_64 (Go: x86_64 only) */
#define KT_STACK_BYTES (64 * 1024)                   /* with its guard page */

int kt_go_mode;
static uintptr_t stacks_base;
static unsigned long stacks_busy; /* bit i: stack i in use */

int kt_stacks_init(void) {
    if (__atomic_load_n(&stacks_base, __ATOMIC_ACQUIRE))
        return 1;
    void *mem = mmap(NULL, (size_t)KT_STACKS * KT_STACK_BYTES, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return 0;
    for (int i = 0; i < KT_STACKS; i++)
        mprotect((char *)mem + (size_t)i * KT_STACK_BYTES, 4096, PROT_NONE);
    uintptr_t expected = 0;
    if (!__atomic_compare_exchange_n(&stacks_base, &expected, (uintptr_t)mem, 0, __ATOMIC_ACQ_REL,
                                     __ATOMIC_ACQUIRE))
        munmap(mem, (size_t)KT_STACKS * KT_STACK_BYTES); /* another thread's won */
    return 1;
}

uintptr_t kt_stack_claim(void) {
    if (KT_UNLIKELY(!__atomic_load_n(&stacks_base, __ATOMIC_ACQUIRE)) && !kt_stacks_init())
        return 0;
    unsigned long busy = __atomic_load_n(&stacks_busy, __ATOMIC_RELAXED);
    while (~busy) {
        int i = __builtin_ctzl(~busy);
        if (__atomic_compare_exchange_n(&stacks_busy, &busy, busy | (1ul << i), 1, __ATOMIC_ACQUIRE,
                                        __ATOMIC_RELAXED))
            return stacks_base + (uintptr_t)(i + 1) * KT_STACK_BYTES;
    }
    return 0;
}

void kt_stack_release(uintptr_t top) {
    int i = (int)((top - stacks_base) / KT_STACK_BYTES) - 1;
    __atomic_fetch_and(&stacks_busy, ~(1ul << i), __ATOMIC_RELEASE);
}
