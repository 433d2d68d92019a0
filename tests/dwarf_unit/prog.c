/* The main test program of tests/dwarf_unit: built -O0 and -O2, x86_64 and i386. Every
 * function the tests inspect is noinline and called from main with values read at run time,
 * so the optimizer keeps it and its parameters. The program is never run by the tests. */
#include "prog.h"

#include <stdlib.h>

int global_counter = 7;
static int file_static = 3;
struct point origin = {1, 2};
__thread int per_thread = 1;

__attribute__((noinline)) int f(int a, long b, struct two_longs s, char c) {
    return a + (int)b + (int)s.a + (int)s.b + c;
}

__attribute__((noinline)) int many(int a1, int a2, int a3, int a4, int a5, int a6, int a7) {
    return a1 + a2 + a3 + a4 + a5 + a6 + a7 * 3;
}

__attribute__((noinline)) int mixed(double d, int i, struct big b, int j) {
    return (int)d + i + (int)b.v[0] + (int)b.v[4] + j;
}

__attribute__((noinline)) struct big sret(int a, int b) {
    struct big r = {{a, b, a + b, a - b, a * b}};
    return r;
}

__attribute__((noinline)) long long ret_ll(long long x) { return x * 3 + 1; }

__attribute__((noinline)) struct point ret_small(int x, int y) {
    struct point p = {x, y};
    return p;
}

__attribute__((noinline)) struct two_longs ret_two(long a, long b) {
    struct two_longs t = {a, b};
    return t;
}

__attribute__((noinline)) double ret_double(double d) { return d * 2.5; }

__attribute__((noinline)) void ret_void(int x) { global_counter += x; }

__attribute__((noinline)) int types_fn(char const *str, struct point *p, unsigned int u,
                                       enum color col, my_t m, struct bits *bf, union num *n,
                                       struct node *list, struct with_anon *w,
                                       struct opaque *o, unsigned long ul, short sh,
                                       unsigned char uc, _Bool flag, struct arrays *arr) {
    return str[0] + p->x + (int)u + col + (int)m + bf->b + n->i + list->value + w->i +
           (o != 0) + (int)ul + sh + uc + flag + arr->four[1] + arr->grid[1][2];
}

/* GCC makes a `.constprop.0` clone of this at -O2 (mode is always 1). */
static __attribute__((noinline)) int clone_me(int mode, int x) {
    int r = 0;
    for (int i = 0; i < x; ++i)
        r += mode == 1 ? i * 3 : i ^ mode;
    return r;
}

/* Inlined everywhere, at -O0 too: only inline copies exist. */
static inline __attribute__((always_inline)) int inline_only(int x) { return x * 2 + 1; }

__attribute__((noinline)) int locals_fn(int n) {
    int sum = 0;
    for (int i = 0; i < n; ++i)
        sum += inline_only(i);
    return sum + inline_only(n);
}

int main(int argc, char **argv) {
    (void)argv;
    struct two_longs s = {argc, argc + 1};
    struct big b = {{argc, 2, 3, 4, 5}};
    struct bits bf = {1, -2, 3, 4};
    union num n = {argc};
    struct node list = {0, argc};
    struct with_anon w = {0};
    struct arrays arr = {{0}};
    struct point p = {argc, 2};
    int r = f(argc, 2L * argc, s, 'c') + many(argc, 2, 3, 4, 5, 6, 7) + mixed(argc, 1, b, 2);
    r += (int)sret(argc, 2).v[2] + (int)ret_ll(argc) + ret_small(argc, 1).y + ret_two(argc, 2).b;
    r += (int)ret_double(argc);
    ret_void(argc);
    file_static += argc;
    r += types_fn("s", &p, 1u, GREEN, 2, &bf, &n, &list, &w, 0, 3ul, 4, 5, 1, &arr);
    r += clone_me(1, argc) + clone_me(1, argc + 5);
    r += locals_fn(argc) + inline_only(argc) + b_unit(0) + file_static + origin.x + per_thread;
    return r > 1000 ? EXIT_FAILURE : EXIT_SUCCESS;
}
