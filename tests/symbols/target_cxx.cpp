// C++ test program for tests/symbols: namespaces, overloads, operators, templates, anonymous
// namespaces, constructor aliases (C1/C2). Prints addresses, "ready", then sleeps.
#include <cstdio>
#include <string>
#include <unistd.h>

#define NOINLINE __attribute__((noinline, used))

namespace ns {
struct Widget {
    int v;
    NOINLINE explicit Widget(int x);
    NOINLINE int method(int x);
    NOINLINE int method(double x);
    NOINLINE static int smethod(int x);
    NOINLINE int operator()(int x) const;
};
Widget::Widget(int x) : v(x) {}
int Widget::method(int x) { return v + x; }
int Widget::method(double x) { return v + int(x); }
int Widget::smethod(int x) { return x * 2; }
int Widget::operator()(int x) const { return v * x; }
NOINLINE int free_fn(int x) { return x + 9; }
NOINLINE std::string name_of(int x) { return std::string(size_t(x % 7 + 1), 'x'); }
template <typename T> NOINLINE T twice(T x) { return x + x; }
template int twice<int>(int);
template long twice<long>(long);
} // namespace ns

namespace {
NOINLINE int hidden_fn(int x) { return x * 11; }
}

extern "C" NOINLINE int c_linkage(int x) { return x - 1; }

typedef int (*int_fn)(ns::Widget *, int);
typedef int (*dbl_fn)(ns::Widget *, double);
typedef int (*cop_fn)(const ns::Widget *, int);

int main() {
    ns::Widget w(1);
    volatile int sink = w.method(1) + w.method(2.0) + ns::Widget::smethod(3) + w(4) +
                        ns::free_fn(5) + ns::twice(6) + int(ns::twice(7L)) + hidden_fn(1) +
                        c_linkage(2) + int(ns::name_of(3).size());
    (void)sink;
    int (ns::Widget::*m1)(int) = &ns::Widget::method;
    int (ns::Widget::*m2)(double) = &ns::Widget::method;
    int (ns::Widget::*m3)(int) const = &ns::Widget::operator();
    std::printf("method_int=%p\n", (void *)(int_fn)(w.*m1));
    std::printf("method_double=%p\n", (void *)(dbl_fn)(w.*m2));
    std::printf("call_operator=%p\n", (void *)(cop_fn)(w.*m3));
    std::printf("smethod=%p\n", (void *)&ns::Widget::smethod);
    std::printf("free_fn=%p\n", (void *)&ns::free_fn);
    std::printf("name_of=%p\n", (void *)&ns::name_of);
    std::printf("twice_int=%p\n", (void *)&ns::twice<int>);
    std::printf("twice_long=%p\n", (void *)&ns::twice<long>);
    std::printf("hidden_fn=%p\n", (void *)&hidden_fn);
    std::printf("c_linkage=%p\n", (void *)&c_linkage);
    std::printf("ready\n");
    std::fflush(stdout);
    for (;;)
        pause();
}
