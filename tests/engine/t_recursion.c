/* Recursion (T3): fib, mutual recursion, recursion deeper than the per-thread return stack;
 * tail calls (T4): chains of probed functions sharing one return slot. Pairing is checked by a
 * handler-side shadow stack: every return must match the most recent unmatched entry. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <string.h>

volatile int kth_sink;
static long calls;

KTH_NOINLINE long fib(int n) {
    calls++;
    if (n < 2)
        return n;
    long r = fib(n - 1) + fib(n - 2);
    kth_sink = (int)r;
    return r;
}

KTH_NOINLINE int is_odd(int n);
KTH_NOINLINE int is_even(int n) {
    calls++;
    if (n == 0)
        return 1;
    int r = is_odd(n - 1);
    kth_sink = r;
    return r;
}
KTH_NOINLINE int is_odd(int n) {
    calls++;
    if (n == 0)
        return 0;
    int r = is_even(n - 1);
    kth_sink = r;
    return r;
}

KTH_NOINLINE int deep(int n) {
    calls++;
    if (n == 0)
        return 0;
    int r = deep(n - 1);
    kth_sink = r;
    return r + 1;
}

/* Shadow stack of (probe tag, argument) pushed by entry handlers, popped by return handlers. */
static struct {
    int tag;
    uintptr_t arg;
} shadow[8192];
static int shadow_top, pairing_errors, returns_seen;

static int push_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    int tag = (int)(uintptr_t)ri->rp->kp.user;
    uintptr_t arg = kth_arg(r, 0);
    memcpy(ri->data, &arg, sizeof arg);
    if (shadow_top < 8192) {
        shadow[shadow_top].tag = tag;
        shadow[shadow_top].arg = arg;
    }
    shadow_top++;
    return 0;
}

static int pop_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    int tag = (int)(uintptr_t)ri->rp->kp.user;
    uintptr_t arg;
    memcpy(&arg, ri->data, sizeof arg);
    returns_seen++;
    /* Entries missed for depth are not in flight: pop until the matching record. */
    while (shadow_top > 0 &&
           !(shadow[shadow_top - 1].tag == tag && shadow[shadow_top - 1].arg == arg)) {
        shadow_top--;
        pairing_errors += shadow_top < 1024; /* only entries beyond the stack cap may be skipped */
    }
    if (shadow_top == 0)
        pairing_errors++;
    else
        shadow_top--;
    return 0;
}

static void reset(void) {
    shadow_top = pairing_errors = returns_seen = 0;
    calls = 0;
}

static void test_fib(void) {
    reset();
    long expect = fib(22);
    long expect_calls = calls;
    struct kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)fib, pop_return, push_entry, sizeof(uintptr_t), 0))
        return;
    rp.kp.user = (void *)1;
    calls = 0;
    CHECK_EQ(fib(22), expect);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, expect_calls);
    CHECK_EQ(s.returns_handled, expect_calls);
    CHECK_EQ(pairing_errors, 0);
    CHECK_EQ(shadow_top, 0);
    CHECK_EQ(kt_thread_depth(), 0);
    kth_check_balanced(&rp, "fib");
    kt_unregister_kretprobe(&rp);
}

static void test_mutual(void) {
    reset();
    struct kt_kretprobe even, odd;
    if (!kth_kretprobe(&even, (void *)is_even, pop_return, push_entry, sizeof(uintptr_t), 0) ||
        !kth_kretprobe(&odd, (void *)is_odd, pop_return, push_entry, sizeof(uintptr_t), 0))
        return;
    even.kp.user = (void *)2;
    odd.kp.user = (void *)3;
    CHECK_EQ(is_even(501), 0);
    CHECK_EQ(is_even(500), 1);
    struct kt_stats se = kth_stats(&even), so = kth_stats(&odd);
    CHECK_EQ(se.entries + so.entries, calls);
    CHECK_EQ(se.returns_handled + so.returns_handled, calls);
    CHECK_EQ(pairing_errors, 0);
    kth_check_balanced(&even, "even");
    kth_check_balanced(&odd, "odd");
    kt_unregister_kretprobe(&even);
    kt_unregister_kretprobe(&odd);
}

static void test_deeper_than_stack(void) {
    reset();
    struct kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)deep, pop_return, push_entry, sizeof(uintptr_t), 0))
        return;
    rp.kp.user = (void *)4;
    const int depth = 5000, cap = 1024; /* KTAP_RT_DEPTH default */
    CHECK_EQ(deep(depth - 1), depth - 1);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, depth);
    CHECK_EQ(s.returns_handled, cap);
    CHECK_EQ(s.missed_depth, depth - cap);
    CHECK_EQ(pairing_errors, 0);
    kth_check_balanced(&rp, "deep");
    /* Afterwards the stack is empty again and a normal recursion is fully seen. */
    CHECK_EQ(deep(100), 100);
    s = kth_stats(&rp);
    CHECK_EQ(s.returns_handled, cap + 101);
    kth_check_balanced(&rp, "deep again");
    kt_unregister_kretprobe(&rp);
}

/* Tail calls: kth_tc_a -> jmp kth_tc_b -> jmp kth_tc_c; kth_tc_x -> jmp kth_tc_y -> jmp kth_tc_c.
 */
static int order[16], norder;
static uintptr_t tail_ret_seen[16], tail_ret_addr[16], tail_ip[16];
static int log_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    if (norder < 16) {
        tail_ret_seen[norder] = kth_ret0(r);
        tail_ret_addr[norder] = ri->ret_addr;
        tail_ip[norder] = (uintptr_t)r->ip;
        order[norder++] = (int)(uintptr_t)ri->rp->kp.user;
    }
    return 0;
}

static void test_tail_calls(void) {
    struct kt_kretprobe a, b, c, x;
    if (!kth_kretprobe(&a, (void *)kth_tc_a, log_return, NULL, 0, 0) ||
        !kth_kretprobe(&b, (void *)kth_tc_b, log_return, NULL, 0, 0) ||
        !kth_kretprobe(&c, (void *)kth_tc_c, log_return, NULL, 0, 0) ||
        !kth_kretprobe(&x, (void *)kth_tc_x, log_return, NULL, 0, 0))
        return;
    a.kp.user = (void *)'a';
    b.kp.user = (void *)'b';
    c.kp.user = (void *)'c';
    x.kp.user = (void *)'x';
    norder = 0;
    CHECK_EQ(kth_tc_a(), 7);
    CHECK_EQ(norder, 3);
    CHECK(order[0] == 'c' && order[1] == 'b' && order[2] == 'a',
          "chain returns innermost first: %c %c %c", order[0], order[1], order[2]);
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(tail_ret_seen[i], 7);
        /* every record of the chain reports the real return address into this function */
        CHECK(!kt_is_return_stub(tail_ret_addr[i]) && tail_ret_addr[i] == tail_ret_addr[2],
              "chain member %d: ret_addr %p", i, (void *)tail_ret_addr[i]);
        CHECK(tail_ip[i] == tail_ret_addr[i], "chain member %d: regs->ip is the real return", i);
    }
    norder = 0;
    CHECK_EQ(kth_tc_x(), 9); /* x -> y (unprobed) -> c */
    CHECK_EQ(norder, 2);
    CHECK(order[0] == 'c' && order[1] == 'x', "mixed chain: %c %c", order[0], order[1]);
    for (int i = 0; i < 1000; i++) {
        norder = 0;
        CHECK_EQ(kth_tc_a(), 7);
    }
    CHECK_EQ(kt_thread_depth(), 0);
    struct kt_stats s = kth_stats(&c);
    CHECK_EQ(s.returns_handled, 1002);
    kth_check_balanced(&a, "tail a");
    kth_check_balanced(&b, "tail b");
    kth_check_balanced(&c, "tail c");
    kth_check_balanced(&x, "tail x");
    kt_unregister_kretprobe(&a);
    kt_unregister_kretprobe(&b);
    kt_unregister_kretprobe(&c);
    kt_unregister_kretprobe(&x);
}

int main(void) {
    test_fib();
    test_mutual();
    test_deeper_than_stack();
    test_tail_calls();
    return kth_finish("t_recursion");
}
