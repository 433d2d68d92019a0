// C++ exceptions through and into return-probed frames (T8), backtrace() and
// _Unwind_Backtrace through probed frames (T9). The program's observable behaviour (results,
// caught counts, destructor runs) must be identical with and without probes.
#include "harness.h"
#include "targets.h"

#include <cstring>
#include <execinfo.h>
#include <stdexcept>
#include <unwind.h>

extern "C" {
volatile int kth_sink;
}

static int caught, caught_here, rethrown, guards;

struct Guard {
    ~Guard() { guards++; }
};

extern "C" KTH_NOINLINE int eh_thrower(int x) {
    kth_sink++;
    if (x % 3 == 0)
        throw std::runtime_error("boom");
    return x;
}

extern "C" KTH_NOINLINE int eh_mid(int x) {
    Guard g; // cleanup-only landing pad
    kth_sink++;
    int r = eh_thrower(x);
    kth_sink++;
    return r + 1;
}

extern "C" KTH_NOINLINE int eh_catcher(int x) {
    kth_sink++;
    try {
        return eh_mid(x);
    } catch (const std::exception &) {
        caught++;
        return -1;
    }
}

// Catch inside the probed frame, then return normally through the return stub.
extern "C" KTH_NOINLINE int eh_catch_here(int x) {
    kth_sink++;
    try {
        eh_mid(x);
    } catch (const std::exception &) {
        caught_here++;
    }
    return x * 2;
}

extern "C" KTH_NOINLINE int eh_rethrow(int x) {
    kth_sink++;
    try {
        return eh_mid(x);
    } catch (...) {
        rethrown++;
        throw;
    }
}

struct Outcome {
    long sum;
    int caught, caught_here, rethrown, guards;
    bool operator==(const Outcome &o) const {
        return sum == o.sum && caught == o.caught && caught_here == o.caught_here &&
               rethrown == o.rethrown && guards == o.guards;
    }
};

static Outcome workload(int n) {
    caught = caught_here = rethrown = guards = 0;
    long sum = 0;
    for (int i = 0; i < n; i++) {
        sum += eh_catcher(i);
        sum += eh_catch_here(i);
        try {
            sum += eh_rethrow(i);
        } catch (const std::runtime_error &) {
            sum += 1000;
        }
    }
    return Outcome{sum, caught, caught_here, rethrown, guards};
}

static int noop_ret(kt_kretprobe_instance *, kt_regs *) {
    return 0;
}

static void test_exceptions() {
    const int n = 300;
    Outcome expect = workload(n);
    CHECK(expect.caught == 100 && expect.guards == 900, "baseline sane: caught %d guards %d",
          expect.caught, expect.guards);
    void *fns[] = {(void *)eh_thrower, (void *)eh_mid, (void *)eh_catcher, (void *)eh_catch_here,
                   (void *)eh_rethrow};
    const char *names[] = {"thrower", "mid", "catcher", "catch_here", "rethrow"};
    const int nf = 5;
    // Each function alone, then all together.
    for (int which = 0; which <= nf; which++) {
        kt_kretprobe rp[5];
        int from = which == nf ? 0 : which, to = which == nf ? nf : which + 1;
        bool ok = true;
        for (int i = from; i < to; i++)
            ok = ok && kth_kretprobe(&rp[i], fns[i], noop_ret, nullptr, 0, 0);
        if (!ok)
            return;
        Outcome got = workload(n);
        CHECK(got == expect,
              "%s: behaviour changed: sum %ld/%ld caught %d/%d here %d/%d "
              "rethrown %d/%d guards %d/%d",
              which == nf ? "all" : names[which], got.sum, expect.sum, got.caught, expect.caught,
              got.caught_here, expect.caught_here, got.rethrown, expect.rethrown, got.guards,
              expect.guards);
        eh_catcher(1); // a later entry at the same depth reaps frames left by the last throw
        for (int i = from; i < to; i++) {
            kt_stats s = kth_stats(&rp[i]);
            CHECK(s.entries > 0, "%s probed", names[i]);
            if (i == 0 || i == 1) // thrower and mid: one in three calls ends in an exception
                CHECK(s.discarded_unwound + s.in_flight > 0, "%s: unwound frames accounted",
                      names[i]);
            kth_check_balanced(&rp[i], names[i]);
            kt_unregister_kretprobe(&rp[i]);
        }
        CHECK(kt_thread_depth() == 0, "return stack empty after %s (depth %u)",
              which == nf ? "all" : names[which], kt_thread_depth());
    }
}

// An exception through a tail-call chain (at -O2 tc_outer is `jmp tc_inner`: both frames share
// one return slot and two chained stubs) and through a cleanup frame above it.
extern "C" KTH_NOINLINE int tc_inner(int x) {
    kth_sink++;
    if (x % 2)
        throw std::runtime_error("tc");
    return x;
}
extern "C" KTH_NOINLINE int tc_outer(int x) {
    return tc_inner(x + 1);
}
extern "C" KTH_NOINLINE int tc_guarded(int x) {
    Guard g;
    kth_sink++;
    int r = tc_outer(x);
    kth_sink++;
    return r;
}
extern "C" KTH_NOINLINE int tc_catch(int x) {
    try {
        return tc_guarded(x);
    } catch (const std::exception &) {
        return -1;
    }
}

static long tail_workload() {
    guards = 0;
    long sum = 0;
    for (int i = 0; i < 200; i++)
        sum += tc_catch(i);
    return sum * 1000 + guards;
}

static void test_exception_through_tail_chain() {
    long expect = tail_workload();
    kt_kretprobe rp[3];
    void *fns[] = {(void *)tc_inner, (void *)tc_outer, (void *)tc_guarded};
    for (int set = 0; set < 2; set++) { // chain only, then chain + cleanup frame
        int n = set ? 3 : 2;
        for (int i = 0; i < n; i++)
            if (!kth_kretprobe(&rp[i], fns[i], noop_ret, nullptr, 0, 0))
                return;
        CHECK_EQ(tail_workload(), expect);
        CHECK_EQ(tc_catch(1), 2); // no throw: reaps the frames left by the last throw
        for (int i = 0; i < n; i++) {
            kth_check_balanced(&rp[i], "tail chain");
            kt_unregister_kretprobe(&rp[i]);
        }
        CHECK(kt_thread_depth() == 0, "return stack empty (depth %u)", kt_thread_depth());
    }
}

// T9: stack traces from inside probed frames.
static void *trace[64];
static int trace_len;
static uintptr_t uw_trace[64];
static int uw_len;

static _Unwind_Reason_Code collect(struct _Unwind_Context *ctx, void *) {
    if (uw_len < 64)
        uw_trace[uw_len++] = _Unwind_GetIP(ctx);
    return _URC_NO_REASON;
}

extern "C" KTH_NOINLINE int bt_inner(int x) {
    kth_sink++;
    trace_len = backtrace(trace, 64);
    uw_len = 0;
    _Unwind_Backtrace(collect, nullptr);
    return x + 1;
}
extern "C" KTH_NOINLINE int bt_mid(int x) {
    kth_sink++;
    int r = bt_inner(x);
    kth_sink++;
    return r + 1;
}
extern "C" KTH_NOINLINE int bt_outer(int x) {
    kth_sink++;
    int r = bt_mid(x);
    kth_sink++;
    return r + 1;
}

// One call site for both runs, so that the traces can be compared frame by frame.
extern "C" KTH_NOINLINE int bt_run() {
    int r = bt_outer(1);
    kth_sink++;
    return r;
}

static int strip_stubs(uintptr_t *pcs, int n) {
    int k = 0;
    for (int i = 0; i < n; i++)
        if (!kt_is_return_stub(pcs[i]))
            pcs[k++] = pcs[i];
    return k;
}

static void test_backtraces() {
    bt_run();
    uintptr_t base_bt[64], base_uw[64];
    int base_bt_n = trace_len, base_uw_n = uw_len;
    for (int i = 0; i < trace_len; i++)
        base_bt[i] = (uintptr_t)trace[i];
    memcpy(base_uw, uw_trace, sizeof uw_trace);

    kt_kretprobe rp[3];
    void *fns[] = {(void *)bt_inner, (void *)bt_mid, (void *)bt_outer};
    for (int i = 0; i < 3; i++)
        if (!kth_kretprobe(&rp[i], fns[i], noop_ret, nullptr, 0, 0))
            return;
    CHECK_EQ(bt_run(), 4);
    uintptr_t got[64];
    for (int i = 0; i < trace_len; i++)
        got[i] = (uintptr_t)trace[i];
    int stubs = trace_len;
    int n = strip_stubs(got, trace_len);
    stubs -= n;
    // bt_inner's own frame is not hijacked yet when it calls backtrace (its return slot is),
    // so the trace shows one stub per probed frame on the stack.
    CHECK_EQ(stubs, 3);
    CHECK_EQ(n, base_bt_n);
    // Frames 0-3 are bt_inner, bt_mid, bt_outer, bt_run (frame 4 is this function's call site,
    // which differs between the two runs).
    for (int i = 0; i < 4 && i < n && i < base_bt_n; i++)
        CHECK(got[i] == base_bt[i], "backtrace frame %d: %p vs %p", i, (void *)got[i],
              (void *)base_bt[i]);
    int un = strip_stubs(uw_trace, uw_len);
    CHECK_EQ(un, base_uw_n);
    for (int i = 0; i < 4 && i < un && i < base_uw_n; i++)
        CHECK(uw_trace[i] == base_uw[i], "_Unwind_Backtrace frame %d differs", i);
    for (int i = 0; i < 3; i++) {
        kth_check_balanced(&rp[i], "backtrace");
        kt_unregister_kretprobe(&rp[i]);
    }
}

// A backtrace taken inside a return handler walks out through the return trampoline and the
// stub into the real caller.
static void *handler_trace[64];
static int handler_trace_len;
static int tracing_ret(kt_kretprobe_instance *, kt_regs *) {
    handler_trace_len = backtrace(handler_trace, 64);
    return 0;
}

static void test_backtrace_from_handler() {
    bt_run();
    uintptr_t return_site_in_mid = (uintptr_t)trace[1]; // where bt_inner returns to
    kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)bt_inner, tracing_ret, nullptr, 0, 0))
        return;
    handler_trace_len = 0;
    CHECK_EQ(bt_run(), 4);
    int found = -1;
    for (int i = 0; i < handler_trace_len; i++)
        if ((uintptr_t)handler_trace[i] == return_site_in_mid)
            found = i;
    CHECK(found > 0, "the handler's backtrace (%d frames) reaches bt_mid", handler_trace_len);
    kth_check_balanced(&rp, "handler backtrace");
    kt_unregister_kretprobe(&rp);
}

// An exception crossing a function whose patched bytes hold a call (relocated: the copy pushes
// the original return address, so the unwinder finds eh_callfirst's own frame and CFI).
// eh_callfirst: sub $N,%sp; call eh_thrower_g; add $N,%sp; add $1,%eax; ret.
extern "C" {
int eh_arg;
KTH_NOINLINE int eh_thrower_g() {
    return eh_thrower(eh_arg);
}
int eh_callfirst();
}
#if defined(__x86_64__)
#define EH_SP "%rsp"
#define EH_PAD "8"
#else
#define EH_SP "%esp"
#define EH_PAD "12"
#endif
__asm__(".text\n.p2align 4\n.globl eh_callfirst\n.type eh_callfirst, @function\n"
        "eh_callfirst:\n.cfi_startproc\n"
        "  sub $" EH_PAD ", " EH_SP "\n.cfi_adjust_cfa_offset " EH_PAD "\n"
        "  call eh_thrower_g\n"
        "  add $" EH_PAD ", " EH_SP "\n.cfi_adjust_cfa_offset -" EH_PAD "\n"
        "  add $1, %eax\n  ret\n.cfi_endproc\n.size eh_callfirst, .-eh_callfirst\n");

static int cf_caught;

extern "C" KTH_NOINLINE int eh_cf_catcher(int x) {
    kth_sink++;
    eh_arg = x;
    try {
        return eh_callfirst();
    } catch (const std::exception &) {
        cf_caught++;
        return -2;
    }
}

static long cf_workload(int n) {
    cf_caught = 0;
    long sum = 0;
    for (int i = 0; i < n; i++)
        sum += eh_cf_catcher(i);
    return sum * 1000 + cf_caught;
}

static int cf_entries;
static int cf_pre(kt_kprobe *, kt_regs *) {
    cf_entries++;
    return 0;
}

static void test_exception_through_relocated_call() {
    const int n = 300;
    long expect = cf_workload(n);
    CHECK(cf_caught == 100, "baseline sane: caught %d", cf_caught);
    kt_kprobe kp;
    if (!kth_kprobe(&kp, (void *)eh_callfirst, cf_pre))
        return;
    long got = cf_workload(n);
    CHECK(got == expect, "entry probe on a relocated call: %ld, untraced %ld", got, expect);
    CHECK(cf_entries == n, "entries %d", cf_entries);
    kth_check_kprobe_balanced(&kp, "relocated call (entry)");
    kt_unregister_kprobe(&kp);
    kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)eh_callfirst, noop_ret, nullptr, 0, 0))
        return;
    got = cf_workload(n);
    CHECK(got == expect, "return probe on a relocated call: %ld, untraced %ld", got, expect);
    eh_cf_catcher(1); // a later entry at the same depth reaps frames left by the last throw
    kt_stats st = kth_stats(&rp);
    CHECK(st.discarded_unwound + st.in_flight > 0, "unwound frames accounted");
    kth_check_balanced(&rp, "relocated call (return)");
    kt_unregister_kretprobe(&rp);
}

int main() {
    test_exceptions();
    test_exception_through_relocated_call();
    test_exception_through_tail_chain();
    test_backtraces();
    test_backtrace_from_handler();
    struct kt_global_stats g;
    kt_global_stats(&g);
    CHECK(g.unwind_registered == 1, "stub unwind info registered");
    return kth_finish("t_exceptions");
}
