// Shared by the backtrace test programs (bt_main.c, bt_lib.c, bt_cxx.cpp).
#ifndef BT_COMMON_H
#define BT_COMMON_H

// Every named function of a chain: never inlined, never cloned (no .constprop/.isra names),
// kept even when unused. Callers store the callee's result in a volatile after the call, so
// no call is a tail call at -O2 (a sibling call would drop the caller's frame).
#define BT_FN __attribute__((noinline, noclone, used))

#ifdef __cplusplus
extern "C" {
#endif
// The probe function every scenario ends in. At -O2 without frame pointers it is frameless.
int bt_leaf(int x);
// In libbtlib-<variant>.so: lib_outer -> lib_inner -> cb(x).
int lib_outer(int (*cb)(int), int x);
int lib_inner(int (*cb)(int), int x);
#ifdef __cplusplus
}
#endif

#endif
