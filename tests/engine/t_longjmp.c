/* longjmp / siglongjmp out of return-probed frames (T7). Abandoned records must be reaped
 * exactly (discarded_unwound), at the next entry or at the next return through an older stub,
 * and must not eat the per-thread stack (uretprobe_depth-style re-entry afterwards). */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <setjmp.h>
#include <signal.h>
#include <string.h>

volatile int kth_sink;
static jmp_buf env;
static sigjmp_buf senv;

KTH_NOINLINE int lj_victim(int depth) {
    kth_sink++;
    if (depth == 0)
        longjmp(env, 1);
    int r = lj_victim(depth - 1);
    kth_sink = r;
    return r + 1;
}

KTH_NOINLINE int lj_plain(int depth) {
    kth_sink++;
    if (depth == 0)
        return 0;
    int r = lj_plain(depth - 1);
    kth_sink = r;
    return r + 1;
}

static void on_usr1(int sig) {
    siglongjmp(senv, 1);
}

KTH_NOINLINE int sj_victim(int depth) {
    kth_sink++;
    if (depth == 0)
        raise(SIGUSR1);
    int r = sj_victim(depth - 1);
    kth_sink = r;
    return r + 1;
}

/* setjmp inside a probed frame; a nested probed frame jumps back into it; then the outer frame
 * returns normally: its return stub drops the abandoned inner records. */
static jmp_buf inner_env;
KTH_NOINLINE int lj_inner(int depth) {
    kth_sink++;
    if (depth == 0)
        longjmp(inner_env, 1);
    int r = lj_inner(depth - 1);
    kth_sink = r;
    return r;
}
KTH_NOINLINE int lj_outer(int depth) {
    kth_sink++;
    if (setjmp(inner_env) == 0)
        lj_inner(depth);
    return 77;
}

static volatile int returns;
static int count_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    returns++;
    return 0;
}

static void jump_out(int frames, struct kt_kretprobe *rp) {
    struct kt_stats before = kth_stats(rp);
    if (setjmp(env) == 0)
        lj_victim(frames - 1);
    struct kt_stats mid = kth_stats(rp);
    CHECK_EQ(mid.entries - before.entries, frames);
    CHECK_EQ(mid.in_flight, frames); /* abandoned, not yet noticed */
}

static void test_longjmp_depths(void) {
    struct kt_kretprobe rp, plain;
    if (!kth_kretprobe(&rp, (void *)lj_victim, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&plain, (void *)lj_plain, count_ret, NULL, 0, 0))
        return;
    const int depths[3] = {10, 64, 80};
    uint64_t unwound = 0;
    for (int k = 0; k < 3; k++) {
        jump_out(depths[k], &rp);
        unwound += (uint64_t)depths[k];
        /* An entry of another probe on this thread reaps too (records are per thread). */
        returns = 0;
        CHECK_EQ(lj_plain(16), 16);
        CHECK_EQ(returns, 17);
        struct kt_stats s = kth_stats(&rp);
        CHECK_EQ(s.discarded_unwound, unwound);
        CHECK_EQ(s.in_flight, 0);
        CHECK_EQ(kt_thread_depth(), 0);
        kth_check_balanced(&rp, "longjmp victim");
        kth_check_balanced(&plain, "plain");
    }
    /* uretprobe_depth: after many longjmps, deep re-entry is still fully return-probed. */
    for (int i = 0; i < 1000; i++)
        if (setjmp(env) == 0)
            lj_victim(20);
    returns = 0;
    CHECK_EQ(lj_plain(600), 600);
    CHECK_EQ(returns, 601);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.missed_depth, 0);
    CHECK_EQ(s.missed_budget, 0);
    CHECK_EQ(s.discarded_unwound, unwound + 1000 * 21);
    kth_check_balanced(&rp, "longjmp x1000");
    kth_check_balanced(&plain, "plain x1000");
    kt_unregister_kretprobe(&rp);
    kt_unregister_kretprobe(&plain);
}

/* _FORTIFY_SOURCE turns longjmp into __longjmp_chk; call it directly so every build covers it. */
extern void __longjmp_chk(jmp_buf env, int val) __attribute__((noreturn));
KTH_NOINLINE int lj_victim_chk(int depth) {
    kth_sink++;
    if (depth == 0)
        __longjmp_chk(env, 1);
    int r = lj_victim_chk(depth - 1);
    kth_sink = r;
    return r + 1;
}

static void test_longjmp_chk(void) {
    struct kt_kretprobe rp, plain;
    if (!kth_kretprobe(&rp, (void *)lj_victim_chk, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&plain, (void *)lj_plain, count_ret, NULL, 0, 0))
        return;
    for (int i = 0; i < 20; i++)
        if (setjmp(env) == 0)
            lj_victim_chk(9);
    CHECK_EQ(lj_plain(3), 3);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, 200);
    CHECK_EQ(s.discarded_unwound, 200);
    CHECK_EQ(s.in_flight, 0);
    kth_check_balanced(&rp, "__longjmp_chk");
    kth_check_balanced(&plain, "plain after __longjmp_chk");
    kt_unregister_kretprobe(&rp);
    kt_unregister_kretprobe(&plain);
}

static void test_siglongjmp(void) {
    struct kt_kretprobe rp, plain;
    if (!kth_kretprobe(&rp, (void *)sj_victim, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&plain, (void *)lj_plain, count_ret, NULL, 0, 0))
        return;
    signal(SIGUSR1, on_usr1);
    for (int i = 0; i < 50; i++) {
        if (sigsetjmp(senv, 1) == 0)
            sj_victim(7);
    }
    returns = 0;
    CHECK_EQ(lj_plain(5), 5);
    CHECK_EQ(returns, 6);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, 50 * 8);
    CHECK_EQ(s.discarded_unwound, 50 * 8);
    CHECK_EQ(s.returns_handled, 0);
    kth_check_balanced(&rp, "siglongjmp");
    kt_unregister_kretprobe(&rp);
    kt_unregister_kretprobe(&plain);
}

static void test_return_path_reap(void) {
    struct kt_kretprobe outer, inner;
    if (!kth_kretprobe(&outer, (void *)lj_outer, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&inner, (void *)lj_inner, count_ret, NULL, 0, 0))
        return;
    returns = 0;
    CHECK_EQ(lj_outer(4), 77);
    CHECK_EQ(returns, 1); /* only the outer frame returned */
    struct kt_stats si = kth_stats(&inner), so = kth_stats(&outer);
    CHECK_EQ(si.entries, 5);
    CHECK_EQ(si.discarded_unwound, 5);
    CHECK_EQ(si.in_flight, 0);
    CHECK_EQ(so.returns_handled, 1);
    CHECK_EQ(kt_thread_depth(), 0);
    kth_check_balanced(&outer, "outer");
    kth_check_balanced(&inner, "inner");
    kt_unregister_kretprobe(&outer);
    kt_unregister_kretprobe(&inner);
}

/* A handler that leaves with siglongjmp leaves the runtime's guard set; the next hit on this
 * thread (at a higher sp, same stack) must heal it rather than count a reentrant miss. */
static sigjmp_buf handler_env;
static volatile int pre_runs;
static int escaping_pre(struct kt_kprobe *kp, struct kt_regs *r) {
    pre_runs++;
    if (pre_runs <= 3)
        siglongjmp(handler_env, 1);
    return 0;
}

KTH_NOINLINE int escape_target(int x) {
    kth_sink++;
    return x + 1;
}

static void test_handler_escapes(void) {
    struct kt_kprobe kp;
    if (!kth_kprobe(&kp, (void *)escape_target, escaping_pre))
        return;
    for (int i = 0; i < 3; i++)
        if (sigsetjmp(handler_env, 0) == 0)
            escape_target(i);
    CHECK_EQ(pre_runs, 3);
    CHECK_EQ(escape_target(10), 11);
    CHECK_EQ(pre_runs, 4);
    struct kt_stats s;
    kt_kprobe_stats(&kp, &s);
    CHECK_EQ(s.missed_reentrant, 0);
    CHECK_EQ(s.entries, 4);
    /* the three escaped pre-handlers never completed: accounted as unwound */
    CHECK_EQ(s.returns_handled, 1);
    CHECK_EQ(s.discarded_unwound, 3);
    kth_check_kprobe_balanced(&kp, "escaping pre-handler");
    kt_unregister_kprobe(&kp);
}

/* The same with a return probe: the entry handler escapes twice, the return handler once. */
static volatile int entry_runs, return_runs;
static int escaping_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    if (++entry_runs <= 2)
        siglongjmp(handler_env, 1);
    return 0;
}
static int escaping_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    if (++return_runs == 1)
        siglongjmp(handler_env, 1);
    return 0;
}

static void test_kretprobe_handler_escapes(void) {
    struct kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)escape_target, escaping_return, escaping_entry, 0, 0))
        return;
    for (int i = 0; i < 3; i++)
        if (sigsetjmp(handler_env, 0) == 0)
            escape_target(i);
    CHECK_EQ(entry_runs, 3);
    CHECK_EQ(return_runs, 1);
    CHECK_EQ(escape_target(10), 11);
    CHECK_EQ(return_runs, 2);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, 4);
    CHECK_EQ(s.returns_handled, 1);
    CHECK_EQ(s.discarded_unwound, 3);
    CHECK_EQ(s.missed_reentrant, 0);
    CHECK_EQ(s.in_flight, 0);
    kth_check_balanced(&rp, "escaping handlers");
    kt_unregister_kretprobe(&rp);
}

int main(void) {
    test_longjmp_depths();
    test_siglongjmp();
    test_longjmp_chk();
    test_return_path_reap();
    test_handler_escapes();
    test_kretprobe_handler_escapes();
    return kth_finish("t_longjmp");
}
