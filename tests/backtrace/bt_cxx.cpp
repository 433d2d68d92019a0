// bt_cxx SCENARIO [ROUNDS]: the C++ scenarios of the backtrace tests; like bt_main, every one
// ends in bt_leaf() (extern "C"), ROUNDS (default 1) repeats it, nothing is printed, exit
// status 0 (2 on a bad argument). Function names as gdb and ktap print them (demangled, no
// parameter list), newest first:
//   catch     bt_leaf cxx_in_catch catcher main
//             (bt_leaf is called inside catcher's catch block, after __cxa_begin_catch: the
//             return address is in the landing pad code; gcc 12 keeps it in catcher's hot
//             part, only run_thread, call_via_function and main get a .cold part)
//   thread    bt_leaf cxx_thread_fn [-O0: std::__invoke_impl<...> std::__invoke<...>
//             std::thread::_Invoker<...>::_M_invoke<...> ...::operator()
//             std::thread::_State_impl<...>::_M_run] execute_native_thread_routine
//             start_thread clone3 (i386: clone). At -O2 _M_run's call is a tail call: no frame.
//             libstdc++'s execute_native_thread_routine is a local symbol: "??" without
//             libstdc++ debug symbols; so are start_thread and clone in i386 libc.
//   function  bt_leaf Widget::run fn_target [-O0: std::__invoke_impl<...> std::__invoke_r<...>
//             std::_Function_handler<int (Shape*, int), int (*)(Shape*, int)>::_M_invoke
//             std::function<int (Shape*, int)>::operator()] call_via_function main
//             (Widget::run is a virtual call; at -O2 _M_invoke tail-calls fn_target and
//             operator() is inlined: no frame for either)
//   all       each of the above once per round, in this order
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>

#include "bt_common.h"

volatile int bt_sink;

extern "C" BT_FN int bt_leaf(int x) {
    bt_sink = bt_sink + x;
    return x;
}

// g) a catch in progress
struct BtError {
    int v;
};
BT_FN void thrower(int x) {
    bt_sink = x;
    throw BtError{x + 1};
}
BT_FN int cxx_in_catch(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int catcher(int x) {
    try {
        thrower(x + 1);
    } catch (const BtError &e) {
        int r = cxx_in_catch(e.v);
        bt_sink = r;
        return r;
    }
    return -1;
}

// h) a std::thread
BT_FN void cxx_thread_fn(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
}
BT_FN int run_thread(int x) {
    std::thread t(cxx_thread_fn, x + 1);
    t.join();
    return x;
}

// i) a std::function holding fn_target, which makes a virtual call to Widget::run
struct Shape {
    virtual ~Shape() = default;
    virtual int run(int x) = 0;
};
struct Widget : Shape {
    int run(int x) override;
};
BT_FN int Widget::run(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int fn_target(Shape *s, int x) {
    int r = s->run(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int call_via_function(int x) {
    static Widget w;
    std::function<int(Shape *, int)> f = fn_target;
    int r = f(&w, x + 1);
    bt_sink = r;
    return r;
}

enum { S_CATCH = 1, S_THREAD = 2, S_FUNCTION = 4 };

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int mask;
    } scenarios[] = {{"catch", S_CATCH}, {"thread", S_THREAD}, {"function", S_FUNCTION}, {"all", 7}};
    int mask = 0;
    long rounds = argc > 2 ? atol(argv[2]) : 1;
    for (unsigned i = 0; argc > 1 && i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            mask = scenarios[i].mask;
    if (!mask || rounds < 0 || argc > 3)
        return 2;
    for (long i = 0; i < rounds; i++) {
        int x = static_cast<int>(i & 0xff);
        if (mask & S_CATCH)
            catcher(x);
        if (mask & S_THREAD)
            run_thread(x);
        if (mask & S_FUNCTION)
            call_via_function(x);
    }
    return 0;
}
