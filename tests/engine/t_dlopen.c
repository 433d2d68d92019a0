/* dlopen/dlclose of a probed library (T15): load, probe, call nested, unregister, unload, many
 * times; and unload while armed: unregister must notice the code is gone and write nothing (the
 * reloaded library keeps its original bytes). */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <dlfcn.h>
#include <string.h>

volatile int kth_sink;

static volatile int handled;
static int count_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    handled++;
    return 0;
}

typedef int (*fn_t)(int);

static void test_cycles(void) {
    for (int cycle = 0; cycle < 200; cycle++) {
        void *h = dlopen(KTH_DL_LIB, RTLD_NOW | RTLD_LOCAL);
        CHECK(h != NULL, "dlopen: %s", dlerror());
        if (!h)
            return;
        fn_t outer = (fn_t)dlsym(h, "dl_outer"), inner = (fn_t)dlsym(h, "dl_fn");
        unsigned char orig[8];
        memcpy(orig, (void *)inner, sizeof orig);
        struct kt_kretprobe ro, ri;
        if (!kth_kretprobe(&ro, (void *)outer, count_ret, NULL, 0, 0) ||
            !kth_kretprobe(&ri, (void *)inner, count_ret, NULL, 0, 0))
            return;
        handled = 0;
        CHECK_EQ(outer(cycle), cycle * 7 + 1);
        CHECK_EQ(handled, 2);
        kth_check_balanced(&ro, "dl outer");
        kth_check_balanced(&ri, "dl inner");
        kt_unregister_kretprobe(&ro);
        kt_unregister_kretprobe(&ri);
        CHECK(memcmp(orig, (void *)inner, sizeof orig) == 0, "unregister restored the library");
        CHECK_EQ(dlclose(h), 0);
    }
}

static void test_unload_while_armed(void) {
    void *h = dlopen(KTH_DL_LIB, RTLD_NOW | RTLD_LOCAL);
    CHECK(h != NULL, "dlopen: %s", dlerror());
    if (!h)
        return;
    fn_t inner = (fn_t)dlsym(h, "dl_fn");
    unsigned char orig[8];
    memcpy(orig, (void *)inner, sizeof orig);
    struct kt_kretprobe ri;
    if (!kth_kretprobe(&ri, (void *)inner, count_ret, NULL, 0, 0))
        return;
    CHECK_EQ(inner(3), 21);
    dlclose(h); /* the armed text goes away */
    CHECK_EQ(kt_disarm(&ri.kp), KT_EGONE);
    kt_unregister_kretprobe(&ri);
    kth_check_balanced(&ri, "unloaded");
    h = dlopen(KTH_DL_LIB, RTLD_NOW | RTLD_LOCAL);
    CHECK(h != NULL, "reload: %s", dlerror());
    if (!h)
        return;
    inner = (fn_t)dlsym(h, "dl_fn");
    CHECK(memcmp(orig, (void *)inner, sizeof orig) == 0, "reloaded library has its own bytes");
    handled = 0;
    CHECK_EQ(inner(4), 28);
    CHECK_EQ(handled, 0);
    dlclose(h);
}

int main(void) {
    test_cycles();
    test_unload_while_armed();
    return kth_finish("t_dlopen");
}
