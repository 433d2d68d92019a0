/* Test program for tests/symbols: prints the runtime addresses of its functions (and of one
 * library function and malloc), then "ready", then sleeps until killed. */
#include <dlfcn.h>
#include <stdio.h>
#include <unistd.h>

#define NOINLINE __attribute__((noinline, used))

extern int lib_add(int, int);
extern void lib_report(void);

NOINLINE int foo(int x) { return x * 3 + 1; }
NOINLINE int fao(int x) { return x * 5 + 2; }
NOINLINE int bar(int x) { return x ^ 0x55; }
NOINLINE int baz(int x) { return x - 7; }
NOINLINE static int local_helper(int x) { return x * x + 3; }

/* Three names, one function. */
NOINLINE int alias_target(int x) { return x + 42; }
int alias_one(int) __attribute__((alias("alias_target")));
int __alias_two(int) __attribute__((weak, alias("alias_target")));

/* An ifunc: the symbol `chosen` is its resolver; chosen_impl is what runs. */
NOINLINE static int chosen_impl(int x) { return x + 1000; }
static void *choose(void) { return (void *)chosen_impl; }
int chosen(int) __attribute__((ifunc("choose")));

int main(void) {
    volatile int sink = foo(1) + fao(2) + bar(3) + baz(4) + local_helper(5) + alias_target(6) +
                        alias_one(7) + lib_add(1, 2) + chosen(1);
    (void)sink;
    printf("foo=%p\n", (void *)&foo);
    printf("fao=%p\n", (void *)&fao);
    printf("bar=%p\n", (void *)&bar);
    printf("baz=%p\n", (void *)&baz);
    printf("local_helper=%p\n", (void *)&local_helper);
    printf("alias_target=%p\n", (void *)&alias_target);
    printf("chosen_impl=%p\n", (void *)&chosen_impl);
    printf("malloc=%p\n", dlsym(RTLD_DEFAULT, "malloc"));
    lib_report();
    printf("ready\n");
    fflush(stdout);
    for (;;)
        pause();
}
