/* Basic engine behaviour: return values (T1), register preservation (T2), entry probe arguments,
 * arm/disarm byte-exactness, patch refusals, maxactive exhaustion and recovery (T5), unregister
 * with instances in flight (T19). Every probe ends with the "nothing lost" check. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <complex.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

volatile int kth_sink;

struct pair {
    long a, b;
};
struct big {
    long v[6];
};

KTH_NOINLINE int rv_int(int x) {
    kth_sink++;
    return x * 3 + 1;
}
KTH_NOINLINE long long rv_ll(long long x) {
    kth_sink++;
    return x * 0x100000001LL;
}
KTH_NOINLINE void *rv_ptr(void *p) {
    kth_sink++;
    return (char *)p + 8;
}
KTH_NOINLINE struct pair rv_pair(long a) {
    kth_sink++;
    struct pair p = {a, a + 1};
    return p;
}
KTH_NOINLINE struct big rv_big(long a) {
    kth_sink++;
    struct big b;
    for (int i = 0; i < 6; i++)
        b.v[i] = a + i;
    return b;
}
KTH_NOINLINE float rv_float(float x) {
    kth_sink++;
    return x * 2.5f;
}
KTH_NOINLINE double rv_double(double x) {
    kth_sink++;
    return x * 1.5;
}
KTH_NOINLINE long double rv_ldouble(long double x) {
    kth_sink++;
    return x / 3.0L;
}
KTH_NOINLINE double _Complex rv_complex(double x) {
    kth_sink++;
    return x + 2.0 * I * x;
}

/* What the return handler saw last. */
static struct kt_regs last_ret;
static int entry_calls, ret_calls;

static int copy_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    last_ret = *r;
    ret_calls++;
    return 0;
}

static long double st0_of(const struct kt_regs *r) {
    long double v = 0;
    memcpy(&v, r->st[0], 10);
    return v;
}

static void test_return_values(void) {
    struct kt_kretprobe rp[9];
    void *fns[9] = {(void *)rv_int,    (void *)rv_ll,      (void *)rv_ptr,
                    (void *)rv_pair,   (void *)rv_big,     (void *)rv_float,
                    (void *)rv_double, (void *)rv_ldouble, (void *)rv_complex};
    for (int i = 0; i < 9; i++)
        if (!kth_kretprobe(&rp[i], fns[i], copy_ret, NULL, 0, 0))
            return;

    CHECK_EQ(rv_int(7), 22);
    CHECK_EQ((int)kth_ret0(&last_ret), 22);
    long long ll = rv_ll(5);
    CHECK_EQ(ll, 5 * 0x100000001LL);
#if defined(__x86_64__)
    CHECK_EQ((long long)last_ret.rax, ll);
#else
    CHECK_EQ((long long)((uint64_t)last_ret.edx << 32 | last_ret.eax), ll);
#endif
    char buf[16];
    CHECK(rv_ptr(buf) == buf + 8, "pointer return intact");
    CHECK(kth_ret0(&last_ret) == (uintptr_t)(buf + 8), "handler sees the pointer");
    struct pair p = rv_pair(40);
    CHECK(p.a == 40 && p.b == 41, "pair intact: %ld %ld", p.a, p.b);
#if defined(__x86_64__)
    CHECK(last_ret.rax == 40 && last_ret.rdx == 41, "rax:rdx = %llu:%llu",
          (unsigned long long)last_ret.rax, (unsigned long long)last_ret.rdx);
#endif
    struct big b = rv_big(100);
    for (int i = 0; i < 6; i++)
        CHECK_EQ(b.v[i], 100 + i);
    float f = rv_float(2.0f);
    CHECK(f == 5.0f, "float intact: %f", (double)f);
    double d = rv_double(3.0);
    CHECK(d == 4.5, "double intact: %f", d);
#if defined(__x86_64__)
    double seen;
    memcpy(&seen, last_ret.xmm[0], 8);
    CHECK(seen == 4.5, "handler sees xmm0 = %f", seen);
#else
    CHECK(last_ret.st_count >= 1 && st0_of(&last_ret) == 4.5L, "handler sees st0 (count %u)",
          last_ret.st_count);
#endif
    long double ld = rv_ldouble(9.0L);
    CHECK(ld == 3.0L, "long double intact");
    CHECK(last_ret.st_count >= 1 && st0_of(&last_ret) == 3.0L, "handler sees st0 = long double");
    double _Complex c = rv_complex(2.0);
    CHECK(creal(c) == 2.0 && cimag(c) == 4.0, "complex intact: %f %f", creal(c), cimag(c));
#if defined(__x86_64__)
    double re, im;
    memcpy(&re, last_ret.xmm[0], 8);
    memcpy(&im, last_ret.xmm[1], 8);
    CHECK(re == 2.0 && im == 4.0, "handler sees xmm0/xmm1 = %f %f", re, im);
#endif
    for (int i = 0; i < 9; i++) {
        struct kt_stats s = kth_stats(&rp[i]);
        CHECK(s.entries == 1 && s.returns_handled == 1, "probe %d: 1 entry, 1 return", i);
        kth_check_balanced(&rp[i], "return values");
        kt_unregister_kretprobe(&rp[i]);
    }
}

/* Entry data: the entry handler stores the argument, the return handler checks the result. */
static int data_mismatch;
static int save_arg(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    *(uintptr_t *)ri->data = kth_arg(r, 0);
    entry_calls++;
    return 0;
}
static int check_result(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    int x = (int)*(uintptr_t *)ri->data;
    if ((int)kth_ret0(r) != x * 3 + 1)
        data_mismatch++;
    ret_calls++;
    return 0;
}
static int skip_odd(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    save_arg(ri, r);
    return (kth_arg(r, 0) & 1) != 0;
}

static void test_entry_data(void) {
    struct kt_kretprobe rp;
    entry_calls = ret_calls = data_mismatch = 0;
    if (!kth_kretprobe(&rp, (void *)rv_int, check_result, save_arg, sizeof(uintptr_t), 0))
        return;
    for (int i = 0; i < 100; i++)
        CHECK_EQ(rv_int(i), i * 3 + 1);
    CHECK_EQ(entry_calls, 100);
    CHECK_EQ(ret_calls, 100);
    CHECK_EQ(data_mismatch, 0);
    kth_check_balanced(&rp, "entry data");
    kt_unregister_kretprobe(&rp);

    /* An entry handler returning non-zero skips the instance (kernel semantics). */
    ret_calls = 0;
    if (!kth_kretprobe(&rp, (void *)rv_int, check_result, skip_odd, sizeof(uintptr_t), 0))
        return;
    for (int i = 0; i < 10; i++)
        rv_int(i);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.skipped, 5);
    CHECK_EQ(s.returns_handled, 5);
    CHECK_EQ(ret_calls, 5);
    kth_check_balanced(&rp, "entry handler skip");
    kt_unregister_kretprobe(&rp);
}

/* Handlers that clobber every class of register they can reach. */
static volatile double clobber_sink;
static void clobber(void) {
    char buf[512];
    memset(buf, 0x5a, sizeof buf);
    clobber_sink = clobber_sink * 1.000001 + (double)buf[100] / 3.0;
}
static int clobber_pre(struct kt_kprobe *kp, struct kt_regs *r) {
    clobber();
    return 0;
}
static int clobber_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    clobber();
    return 0;
}

static void check_dump(const struct kth_regdump *d, int expected_ret, const char *what) {
#if defined(__x86_64__)
    static const uint64_t pat[16] = {0,
                                     0x1111111111111111ull,
                                     0x2222222222222222ull,
                                     0x3333333333333333ull,
                                     0x4444444444444444ull,
                                     0x5555555555555555ull,
                                     0x6666666666666666ull,
                                     0x7777777777777777ull,
                                     0x8888888888888888ull,
                                     0x9999999999999999ull,
                                     0xaaaaaaaaaaaaaaaaull,
                                     0xbbbbbbbbbbbbbbbbull,
                                     0xccccccccccccccccull,
                                     0xddddddddddddddddull,
                                     0xeeeeeeeeeeeeeeeeull,
                                     0};
    const int ngpr = 15, nxmm = 16;
#else
    static const uint32_t pat[16] = {0,          0x11111111, 0x22222222, 0x33333333,
                                     0x44444444, 0x55555555, 0x66666666};
    const int ngpr = 7, nxmm = 8;
#endif
    CHECK_EQ((int)d->gpr[0], expected_ret);
    for (int i = 1; i < ngpr; i++)
        CHECK(d->gpr[i] == pat[i], "%s: gpr %d = %llx, expected %llx", what, i,
              (unsigned long long)d->gpr[i], (unsigned long long)pat[i]);
    for (int i = 0; i < nxmm; i++)
        for (int k = 0; k < 16; k++)
            CHECK(d->xmm[i][k] == 0x40 + i, "%s: xmm%d byte %d = %#x", what, i, k, d->xmm[i][k]);
    CHECK(d->flags & 1, "%s: carry flag preserved", what);
    CHECK(!(d->flags & 0x400), "%s: direction flag clear", what);
}

static void test_registers(void) {
    struct kth_regdump d;
    memset(&d, 0, sizeof d);
    kth_regcheck((void *)kth_asm_leaf, &d);
    check_dump(&d, 42, "unprobed");

    struct kt_kretprobe rp;
    struct kt_kprobe kp;
    if (!kth_kretprobe(&rp, (void *)kth_asm_leaf, clobber_ret, clobber_ret, 0, 0))
        return;
    if (!kth_kprobe(&kp, (void *)kth_asm_leaf2, clobber_pre))
        return;
    memset(&d, 0, sizeof d);
    kth_regcheck((void *)kth_asm_leaf, &d);
    check_dump(&d, 42, "return probe");
    memset(&d, 0, sizeof d);
    kth_regcheck((void *)kth_asm_leaf2, &d);
    check_dump(&d, 43, "entry probe");
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.returns_handled, 1);
    kth_check_balanced(&rp, "registers");
    kth_check_kprobe_balanced(&kp, "registers kprobe");
    kt_unregister_kretprobe(&rp);
    kt_unregister_kprobe(&kp);
}

/* Lean handlers (as the JIT builds them): no vector or x87 code, called without the full save. */
static volatile uintptr_t lean_seen;
static __attribute__((target("general-regs-only"))) int lean_pre(struct kt_kprobe *kp,
                                                                 struct kt_regs *r) {
    lean_seen += r->flags & 1; /* reads the saved carry flag */
    return 0;
}
static __attribute__((target("general-regs-only"))) int lean_ret(struct kt_kretprobe_instance *ri,
                                                                 struct kt_regs *r) {
    lean_seen += kth_ret0(r) == 42;
    return 0;
}

static void test_registers_lean(void) {
    unsigned modes[2] = {KT_HANDLER_LEAN, KT_HANDLER_LEAN | KT_NO_VECTOR_REGS};
    for (int m = 0; m < 2; m++) {
        struct kt_patch pr, pe;
        char why[256];
        if (!kth_prepare((void *)kth_asm_leaf, 1, &pr, why, sizeof why) ||
            !kth_prepare((void *)kth_asm_leaf2, 0, &pe, why, sizeof why)) {
            CHECK(0, "prepare: %s", why);
            return;
        }
        struct kt_kretprobe rp;
        memset(&rp, 0, sizeof rp);
        rp.kp.addr = (uintptr_t)kth_asm_leaf;
        rp.kp.flags = modes[m];
        rp.handler = lean_ret;
        rp.entry_handler = lean_ret;
        struct kt_kprobe kp;
        memset(&kp, 0, sizeof kp);
        kp.addr = (uintptr_t)kth_asm_leaf2;
        kp.flags = modes[m];
        kp.pre_handler = lean_pre;
        CHECK_EQ(kt_register_kretprobe(&rp, &pr), 0);
        CHECK_EQ(kt_register_kprobe(&kp, &pe), 0);
        CHECK_EQ(kt_arm(&rp.kp), 0);
        CHECK_EQ(kt_arm(&kp), 0);
        lean_seen = 0;
        struct kth_regdump d;
        memset(&d, 0, sizeof d);
        kth_regcheck((void *)kth_asm_leaf, &d);
        check_dump(&d, 42, m ? "lean+novec return probe" : "lean return probe");
        memset(&d, 0, sizeof d);
        kth_regcheck((void *)kth_asm_leaf2, &d);
        check_dump(&d, 43, m ? "lean+novec entry probe" : "lean entry probe");
        CHECK_EQ(lean_seen, 2); /* return handler saw 42, pre-handler saw CF set */
        kth_check_balanced(&rp, "lean");
        kth_check_kprobe_balanced(&kp, "lean kprobe");
        kt_unregister_kretprobe(&rp);
        kt_unregister_kprobe(&kp);
    }
}

/* A handler that calls probed functions (its own and another): those hits are skipped by the
 * per-thread guard and counted as missed_reentrant, never recursed into. */
static struct kt_kretprobe reent_rp;
static struct kt_kprobe reent_kp;
static volatile int reent_handler_runs;
static int reentering_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    reent_handler_runs++;
    kth_sink += rv_int(1); /* return-probed by this same probe */
    kth_sink += rv_ll(2);  /* entry-probed */
    return 0;
}

static void test_reentrancy(void) {
    if (!kth_kretprobe(&reent_rp, (void *)rv_int, reentering_ret, reentering_ret, 0, 0) ||
        !kth_kprobe(&reent_kp, (void *)rv_ll, NULL))
        return;
    reent_handler_runs = 0;
    for (int i = 0; i < 10; i++)
        CHECK_EQ(rv_int(i), i * 3 + 1);
    CHECK_EQ(reent_handler_runs, 20); /* entry + return handler, 10 calls, no recursion */
    struct kt_stats s = kth_stats(&reent_rp), k;
    CHECK_EQ(s.entries, 30);
    CHECK_EQ(s.returns_handled, 10);
    CHECK_EQ(s.missed_reentrant, 20);
    kt_kprobe_stats(&reent_kp, &k);
    CHECK_EQ(k.entries, 20);
    CHECK_EQ(k.missed_reentrant, 20);
    kth_check_balanced(&reent_rp, "reentrant");
    kth_check_kprobe_balanced(&reent_kp, "reentrant kprobe");
    kt_unregister_kretprobe(&reent_rp);
    kt_unregister_kprobe(&reent_kp);
}

static uintptr_t seen_arg;
static int record_arg(struct kt_kprobe *kp, struct kt_regs *r) {
    seen_arg = kth_arg(r, 0);
    return 0;
}

static void test_kprobe_and_arming(void) {
    unsigned char orig[16];
    memcpy(orig, (void *)rv_int, sizeof orig);
    struct kt_kprobe kp;
    if (!kth_kprobe(&kp, (void *)rv_int, record_arg))
        return;
    CHECK_EQ(rv_int(1234), 1234 * 3 + 1);
    CHECK_EQ(seen_arg, 1234);
    CHECK_EQ(kt_disarm(&kp), 0);
    CHECK(memcmp(orig, (void *)rv_int, sizeof orig) == 0, "disarm restores the bytes exactly");
    seen_arg = 0;
    rv_int(5);
    CHECK_EQ(seen_arg, 0);
    CHECK_EQ(kt_arm(&kp), 0);
    rv_int(6);
    CHECK_EQ(seen_arg, 6);
    struct kt_stats s;
    kt_kprobe_stats(&kp, &s);
    CHECK_EQ(s.entries, 2);
    CHECK_EQ(s.returns_handled, 2);
    kth_check_kprobe_balanced(&kp, "kprobe");
    /* A second probe on the same site is refused while the first is registered. */
    struct kt_patch patch;
    char why[256];
    CHECK(!kth_prepare((void *)rv_int, 0, &patch, why, sizeof why) ||
              kt_register_kprobe(&(struct kt_kprobe){.addr = (uintptr_t)rv_int}, &patch) != 0,
          "double registration refused");
    kt_unregister_kprobe(&kp);
    CHECK(memcmp(orig, (void *)rv_int, sizeof orig) == 0, "unregister restores the bytes");
}

/* Handlers may change general registers: here the return value. */
static int override_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
#if defined(__x86_64__)
    r->rax = 99;
#else
    r->eax = 99;
#endif
    return 0;
}

static void test_modify_return_value(void) {
    struct kt_kretprobe rp;
    if (!kth_kretprobe(&rp, (void *)rv_int, override_ret, NULL, 0, 0))
        return;
    CHECK_EQ(rv_int(1), 99);
    kt_unregister_kretprobe(&rp);
    CHECK_EQ(rv_int(1), 4);
}

static volatile int any_returns;
static int count_ret_any(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    any_returns++;
    return 0;
}

/* A real library function: libc's atoi, return-probed (its code comes from Debian's libc, not
 * from this test). */
static void test_libc_function(void)
{
    struct kt_kretprobe rp;
    /* through a pointer: with optimisation glibc's header turns atoi() calls into strtol() */
    int (*volatile atoi_fn)(const char *) = atoi;
    ret_calls = 0;
    if (!kth_kretprobe(&rp, (void *)atoi, copy_ret, NULL, 0, 0))
        return;
    CHECK_EQ(atoi_fn("12345"), 12345);
    CHECK_EQ(ret_calls, 1);
    CHECK_EQ((int)kth_ret0(&last_ret), 12345);
    kth_check_balanced(&rp, "atoi");
    kt_unregister_kretprobe(&rp);
    CHECK_EQ(atoi_fn("77"), 77);
    CHECK_EQ(ret_calls, 1);
}

/* More of Debian's libc: return-probe a set of self-contained functions and check their
 * results and the handler counts. A site the preparer refuses is reported and skipped. */
static int cmp_int(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void test_libc_set(void) {
    void *fns[] = {(void *)strtol, (void *)strtoul, (void *)atol,    (void *)qsort,
                   (void *)bsearch, (void *)labs,   (void *)rand_r, (void *)strtod};
    const char *names[] = {"strtol", "strtoul", "atol",   "qsort",
                           "bsearch", "labs",   "rand_r", "strtod"};
    struct kt_kretprobe rps[8];
    int armed[8] = {0}, narmed = 0;
    for (int i = 0; i < 8; i++) {
        struct kt_patch patch;
        char why[256];
        if (!kth_prepare(fns[i], 1, &patch, why, sizeof why)) {
            printf("  libc %s refused: %s\n", names[i], why);
            continue;
        }
        memset(&rps[i], 0, sizeof rps[i]);
        rps[i].kp.addr = (uintptr_t)fns[i];
        rps[i].handler = count_ret_any;
        if (kt_register_kretprobe(&rps[i], &patch) == 0 && kt_arm(&rps[i].kp) == 0)
            armed[i] = 1, narmed++;
    }
    CHECK(narmed >= 5, "most of the libc set can be probed (%d of 8)", narmed);
    any_returns = 0;
    long (*volatile p_strtol)(const char *, char **, int) = strtol;
    unsigned long (*volatile p_strtoul)(const char *, char **, int) = strtoul;
    long (*volatile p_atol)(const char *) = atol;
    void (*volatile p_qsort)(void *, size_t, size_t, int (*)(const void *, const void *)) = qsort;
    void *(*volatile p_bsearch)(const void *, const void *, size_t, size_t,
                                int (*)(const void *, const void *)) = bsearch;
    long (*volatile p_labs)(long) = labs;
    int (*volatile p_rand_r)(unsigned *) = rand_r;
    double (*volatile p_strtod)(const char *, char **) = strtod;
    int expected = 0;
    for (int round = 0; round < 3; round++) {
        CHECK_EQ(p_strtol("-1234", NULL, 10), -1234);
        CHECK_EQ(p_strtoul("ff", NULL, 16), 255);
        CHECK_EQ(p_atol("99999"), 99999);
        int v[6] = {5, 3, 9, 1, 7, 2};
        p_qsort(v, 6, sizeof v[0], cmp_int);
        CHECK(v[0] == 1 && v[5] == 9, "qsort sorted");
        int key = 7;
        int *hit = p_bsearch(&key, v, 6, sizeof v[0], cmp_int);
        CHECK(hit && *hit == 7, "bsearch found 7");
        CHECK_EQ(p_labs(-42), 42);
        unsigned seed = 1, seed2 = 1;
        int r1 = p_rand_r(&seed);
        (void)seed2;
        CHECK(r1 >= 0, "rand_r");
        CHECK(p_strtod("2.5", NULL) == 2.5, "strtod");
        expected += narmed;
    }
    /* at least one return per probed function per round (libc calls some of them internally,
     * e.g. atol -> strtol) */
    CHECK(any_returns >= expected, "%d returns for %d calls", any_returns, expected);
    for (int i = 0; i < 8; i++) {
        if (!armed[i])
            continue;
        struct kt_stats st = kth_stats(&rps[i]);
        CHECK(st.returns_handled >= 3, "%s: %llu returns", names[i],
              (unsigned long long)st.returns_handled);
        kth_check_balanced(&rps[i], names[i]);
        kt_unregister_kretprobe(&rps[i]);
    }
}

static void expect_refusal(void *fn, int return_probe, const char *needle) {
    struct kt_patch patch;
    char why[256] = "";
    int ok = kth_prepare(fn, return_probe, &patch, why, sizeof why);
    CHECK(!ok, "site must be refused (%s)", needle);
    CHECK(strstr(why, needle) != NULL, "reason \"%s\" mentions \"%s\"", why, needle);
}

static void test_refusals(void) {
    expect_refusal((void *)kth_short_nopad, 0, "too short");
    expect_refusal((void *)kth_loophead, 0, "into the patched bytes");
#if defined(__x86_64__)
    expect_refusal((void *)kth_callshort, 0, "a call ending inside the patched bytes");
#endif
    expect_refusal((void *)kth_noreturn_fn, 1, "never returns");
    expect_refusal((void *)_exit, 1, "never returns");
    expect_refusal((void *)swapcontext, 1, "switches stacks");
    expect_refusal((void *)vfork, 1, "switches stacks or returns twice");
}

/* Calls among the displaced instructions: the callee sees the function's own return address
 * (unwinders, __builtin_return_address) and returns straight into the function. Entry and
 * return probes on the callers, a return probe on a callee (kth_asm_leaf; a return probe on
 * kth_ra_leaf would itself replace the address it reports). */
static int call_entries, call_returns, leaf_returns;
static int count_call_entry(struct kt_kprobe *kp, struct kt_regs *r) {
    (void)kp, (void)r;
    call_entries++;
    return 0;
}
static int count_call_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    (void)ri, (void)r;
    call_returns++;
    return 0;
}
static int count_leaf_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    (void)ri, (void)r;
    leaf_returns++;
    return 0;
}

static void test_relocated_calls(void) {
    /* sub $8 is 4 bytes on x86_64 (REX.W), 3 on i386; the call 5 */
    uintptr_t ra_first = (uintptr_t)kth_callfirst_ra + 5,
              ra_sub = (uintptr_t)kth_subcall_ra + (sizeof(void *) == 8 ? 9 : 8);
    CHECK_EQ(kth_callfirst(), 42);
    CHECK_EQ(kth_callfirst_ra(), ra_first);
    CHECK_EQ(kth_subcall_ra(), ra_sub);
    struct kt_kprobe kp;
    struct kt_kretprobe rp_first, rp_sub, rp_leaf;
    if (!kth_kprobe(&kp, (void *)kth_callfirst, count_call_entry) ||
        !kth_kretprobe(&rp_first, (void *)kth_callfirst_ra, count_call_return, 0, 0, 0) ||
        !kth_kretprobe(&rp_sub, (void *)kth_subcall_ra, count_call_return, 0, 0, 0) ||
        !kth_kretprobe(&rp_leaf, (void *)kth_asm_leaf, count_leaf_return, 0, 0, 0))
        return;
    int bad = 0;
    for (int i = 0; i < 100; i++) {
        bad += kth_callfirst() != 42;
        bad += kth_callfirst_ra() != ra_first;
        bad += kth_subcall_ra() != ra_sub;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(call_entries, 100);
    CHECK_EQ(call_returns, 200);
    CHECK_EQ(leaf_returns, 100); /* kth_callfirst's callee */
    kth_check_kprobe_balanced(&kp, "relocated call (entry)");
    kth_check_balanced(&rp_first, "relocated call first (return)");
    kth_check_balanced(&rp_sub, "relocated sub+call (return)");
    kth_check_balanced(&rp_leaf, "callee of relocated calls (return)");
    kt_unregister_kprobe(&kp);
    kt_unregister_kretprobe(&rp_first);
    kt_unregister_kretprobe(&rp_sub);
    kt_unregister_kretprobe(&rp_leaf);
    CHECK_EQ(kth_callfirst_ra(), ra_first);
}

/* A 3-byte function followed by alignment padding: the jump covers both (entry and return). */
static void test_short_over_padding(void) {
    struct kt_kprobe kp;
    struct kt_kretprobe rp;
    call_entries = call_returns = 0;
    if (!kth_kprobe(&kp, (void *)kth_short, count_call_entry))
        return;
    int bad = 0;
    for (int i = 0; i < 50; i++)
        bad += kth_short() != 0;
    kth_check_kprobe_balanced(&kp, "short over padding (entry)");
    kt_unregister_kprobe(&kp);
    if (!kth_kretprobe(&rp, (void *)kth_short, count_call_return, 0, 0, 0))
        return;
    for (int i = 0; i < 50; i++)
        bad += kth_short() != 0;
    kth_check_balanced(&rp, "short over padding (return)");
    kt_unregister_kretprobe(&rp);
    CHECK_EQ(bad, 0);
    CHECK_EQ(call_entries, 50);
    CHECK_EQ(call_returns, 50);
    CHECK_EQ(kth_after_short(), 7);
}

/* T5: threads parked inside a probed function with a small maxactive. */
static pthread_mutex_t park_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cv = PTHREAD_COND_INITIALIZER;
static int parked, release_gen;

KTH_NOINLINE int park_fn(int gen) {
    kth_sink++;
    pthread_mutex_lock(&park_mu);
    parked++;
    pthread_cond_broadcast(&park_cv);
    while (release_gen < gen)
        pthread_cond_wait(&park_cv, &park_mu);
    pthread_mutex_unlock(&park_mu);
    return gen * 10;
}

static int park_bad;
static void *park_thread(void *arg) {
    int gen = (int)(intptr_t)arg;
    if (park_fn(gen) != gen * 10)
        __atomic_fetch_add(&park_bad, 1, __ATOMIC_RELAXED);
    return NULL;
}

static void park_round(int nthreads, int gen, void (*while_parked)(void *), void *ctx) {
    pthread_t th[64];
    parked = 0;
    for (int i = 0; i < nthreads; i++)
        pthread_create(&th[i], NULL, park_thread, (void *)(intptr_t)gen);
    pthread_mutex_lock(&park_mu);
    while (parked < nthreads)
        pthread_cond_wait(&park_cv, &park_mu);
    pthread_mutex_unlock(&park_mu);
    if (while_parked)
        while_parked(ctx);
    pthread_mutex_lock(&park_mu);
    release_gen = gen;
    pthread_cond_broadcast(&park_cv);
    pthread_mutex_unlock(&park_mu);
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
}

static int count_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    __atomic_fetch_add(&ret_calls, 1, __ATOMIC_RELAXED);
    return 0;
}

static void check_exhausted(void *ctx) {
    struct kt_kretprobe *rp = ctx;
    struct kt_stats s = kth_stats(rp);
    CHECK_EQ(s.in_flight, 16);
    CHECK_EQ(s.missed_budget % 48, 0);
    kth_check_balanced(rp, "maxactive while parked");
}

static void test_maxactive(void) {
    struct kt_kretprobe rp;
    ret_calls = 0;
    if (!kth_kretprobe(&rp, (void *)park_fn, count_ret, NULL, 0, 16))
        return;
    park_round(64, 1, check_exhausted, &rp);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, 64);
    CHECK_EQ(s.missed_budget, 48);
    CHECK_EQ(rp.nmissed, 48);
    CHECK_EQ(s.returns_handled, 16);
    CHECK_EQ(s.in_flight, 0);
    /* Recovery: the pool is whole again. */
    park_round(64, 2, check_exhausted, &rp);
    s = kth_stats(&rp);
    CHECK_EQ(s.missed_budget, 96);
    CHECK_EQ(s.returns_handled, 32);
    CHECK_EQ(ret_calls, 32);
    CHECK_EQ(park_bad, 0);
    kth_check_balanced(&rp, "maxactive");
    kt_unregister_kretprobe(&rp);
}

/* T19: unregister while instances are in flight. */
static void unregister_now(void *ctx) {
    struct kt_kretprobe *rp = ctx;
    struct kt_stats s = kth_stats(rp);
    CHECK_EQ(s.in_flight, 16);
    kt_unregister_kretprobe(rp);
}

static void test_unregister_in_flight(void) {
    struct kt_kretprobe rp;
    ret_calls = 0;
    if (!kth_kretprobe(&rp, (void *)park_fn, count_ret, NULL, 0, 0))
        return;
    park_round(16, 3, unregister_now, &rp);
    CHECK_EQ(ret_calls, 0);
    struct kt_stats s = kth_stats(&rp);
    CHECK_EQ(s.entries, 16);
    CHECK_EQ(s.discarded_unregister, 16);
    CHECK_EQ(s.in_flight, 0);
    CHECK_EQ(park_bad, 0);
    kth_check_balanced(&rp, "unregister in flight");
    /* The function is unpatched: further calls are not seen. */
    park_round(4, 4, NULL, NULL);
    CHECK_EQ(kth_stats(&rp).entries, 16);
}

int main(void) {
    test_return_values();
    test_entry_data();
    test_registers();
    test_registers_lean();
    test_reentrancy();
    test_kprobe_and_arming();
    test_refusals();
    test_relocated_calls();
    test_short_over_padding();
    test_libc_function();
    test_libc_set();
    test_modify_return_value();
    test_maxactive();
    test_unregister_in_flight();
    return kth_finish("t_basic");
}
