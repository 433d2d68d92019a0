// libbtlib-<variant>.so: the "lib" scenario of bt_main passes through two frames of this
// library, then calls back into the main program (lib_outer -> lib_inner -> lib_cb).
#include "bt_common.h"

volatile int bt_lib_sink;

BT_FN int lib_inner(int (*cb)(int), int x) {
    int r = cb(x + 1);
    bt_lib_sink = r;
    return r;
}

BT_FN int lib_outer(int (*cb)(int), int x) {
    int r = lib_inner(cb, x + 1);
    bt_lib_sink = r;
    return r;
}
