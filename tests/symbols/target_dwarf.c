/* DWARF test program for tests/symbols (built -g at -O0 and -O2, x86_64 and i386, and once
 * without DWARF): source positions (@FILE:LINE), GCC clones (.constprop, .isra, .part, .cold at
 * -O2) and a function that exists only inlined. Each definition's line carries a "decl:NAME"
 * marker the test looks for. Prints some addresses, "ready", then sleeps until killed. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline))

extern int dw_two(int x);       /* target_dwarf_b.c */
extern int dw_other(int x);     /* target_dwarf_b.c */

volatile int input = 5;
volatile int sink;

NOINLINE int dw_one(int x) { return x * 7 + 1; } /* decl:dw_one */

/* Every caller passes factor 3: -O2 makes scale.constprop.0. */
NOINLINE static int scale(int x, int factor) { /* decl:scale */
    int r = 0;
    for (int i = 0; i < x; ++i)
        r += i * factor + (r >> 3);
    return r;
}

/* Only two fields of a struct passed by pointer: -O2 makes sum_fields.isra.0. */
struct pair_box {
    int a, b;
    int pad[16];
};
NOINLINE static int sum_fields(struct pair_box *p) { /* decl:sum_fields */
    int r = p->a;
    for (int i = 0; i < p->b; ++i)
        r = r * 3 + i;
    return r;
}

/* A cheap test and a big body: -O2 inlines the test into callers and keeps the body as
 * slow_path.part.0. */
static int slow_path(int x) { /* decl:slow_path */
    if (__builtin_expect(x < 1000, 1))
        return x;
    int r = 0;
    for (int i = 0; i < x; ++i) {
        r += i * x ^ (r << 2);
        if (r % 97 == 3)
            printf("slow %d\n", r);
        r ^= i * 31;
        if (r % 89 == 5)
            printf("slower %d\n", r);
    }
    return r;
}

/* The same, exported: -O2 keeps split_me (the test, then a call) next to split_me.part.0. */
int split_me(int x) { /* decl:split_me */
    if (__builtin_expect(x < 1000, 1))
        return x;
    int r = 0;
    for (int i = 0; i < x; ++i) {
        r += i * x ^ (r << 2);
        if (r % 97 == 3)
            printf("split %d\n", r);
        r ^= i * 31;
        if (r % 89 == 5)
            printf("splitter %d\n", r);
    }
    return r;
}

/* A branch that calls a cold function: -O2 moves it to with_cold.cold (no function entry). */
__attribute__((cold, noinline)) void report_negative(int x) { fprintf(stderr, "odd %d\n", x); }
NOINLINE int with_cold(int x) { /* decl:with_cold */
    int r = 0;
    for (int i = 0; i < x; ++i) {
        if (__builtin_expect(i == 1000000 + input, 0)) {
            report_negative(i);
            r += input * 7;
            fprintf(stderr, "input %d\n", r);
        }
        r += i * input;
    }
    return r + 1;
}

/* Only ever inlined: DWARF has no out-of-line copy. */
static inline __attribute__((always_inline)) int tiny_inline(int x) { /* decl:tiny_inline */
    return x * 5 - 2;
}

int main(void) {
    struct pair_box box = {input, input + 1, {0}};
    int acc = dw_one(input) + dw_two(input) + dw_other(input);
    acc += scale(input, 3) + scale(input + 1, 3) + scale(input + 2, 3);
    acc += sum_fields(&box);
    box.a++;
    acc += sum_fields(&box);
    acc += slow_path(input) + slow_path(input * 2) + slow_path(input + 3000);
    acc += split_me(input) + split_me(input + 3000) + split_me(input * 2);
    acc += with_cold(input);
    acc += tiny_inline(input) + tiny_inline(acc) + tiny_inline(input + 1);
    sink = acc;
    printf("dw_one=%p\n", (void *)&dw_one);
    printf("dw_two=%p\n", (void *)&dw_two);
    printf("with_cold=%p\n", (void *)&with_cold);
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
