/* Shared library for tests/symbols. The executable never takes lib_add's address, so the
 * address printed here is the real one (not a canonical PLT entry of a non-PIE executable). */
#include <stdio.h>

__attribute__((noinline)) int lib_add(int a, int b) { return a + b; }
__attribute__((noinline)) static int lib_static(int a) { return a * 2 + 1; }

void lib_report(void) {
    printf("lib_add=%p\n", (void *)&lib_add);
    printf("lib_static=%p\n", (void *)&lib_static);
    printf("lib_static_result=%d\n", lib_static(3));
}
