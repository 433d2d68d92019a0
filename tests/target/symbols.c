/* symbols: hands addresses of known functions and data to take(), for usymname()/usymdata()
 * and backtraces:  symbols  ->  prints each address it passed as "NAME=0x...". */
#include "probed.h"
#include <dlfcn.h>
#include <stdio.h>

int global_table[16] = {1, 2, 3}; /* a global data symbol (64 bytes) */
static int local_counter = 5;     /* a local one (.symtab only) */
volatile int sink;

PROBED void take(const void *p) {
    sink += p != NULL;
}

/* Inlined into via_two at every optimisation level: a DWARF inline frame. */
static inline __attribute__((always_inline)) void inlined_step(const void *p) {
    take(p);
    sink++;
}

PROBED void via_two(const void *p) {
    inlined_step(p);
    sink++;
}

PROBED void via_one(const void *p) {
    via_two(p);
    sink++;
}

int main(void) {
    const void *addrs[] = {&global_table[3],     &local_counter,
                           (const void *)take,   (const void *)((const char *)take + 1),
                           (const void *)stdout, dlsym(RTLD_DEFAULT, "puts")};
    const char *names[] = {"table3", "counter", "take", "take1", "stdout", "puts"};
    for (int i = 0; i < 6; i++) {
        via_one(addrs[i]);
        printf("%s=%p\n", names[i], addrs[i]);
    }
    return 0;
}
