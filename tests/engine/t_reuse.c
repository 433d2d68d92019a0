/* Lifetime (issue 12): probe records and trampoline slots are reused, so one process can be
 * probed by any number of sessions. The table is made small (8 records) so that every path of
 * the reuse is taken many times: the same site again (its record and slot come back), another
 * site when the table is full (a dead record of another site is taken, its old slot's probe
 * word retired), and a record that must not be reused while an instance of it is outstanding. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <pthread.h>
#include <sched.h>
#include <string.h>

volatile int kth_sink;

#define TABLE 8

#define FN(n)                                                                                      \
    KTH_NOINLINE int fn##n(int x) {                                                                \
        kth_sink += n;                                                                             \
        return x * (n + 2) + n;                                                                    \
    }
FN(0) FN(1) FN(2) FN(3) FN(4) FN(5) FN(6) FN(7) FN(8) FN(9) FN(10) FN(11)
typedef int (*fn_t)(int);
static const fn_t fns[12] = {fn0, fn1, fn2, fn3, fn4, fn5, fn6, fn7, fn8, fn9, fn10, fn11};

static volatile int entries_seen, returns_seen;
static int on_pre(struct kt_kprobe *kp, struct kt_regs *r) {
    entries_seen++;
    return 0;
}
static int on_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    memset(ri->data, 0x5a, ri->rp->data_size); /* an earlier session's data must not leak */
    entries_seen++;
    return 0;
}
static int on_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    for (size_t i = 0; i < ri->rp->data_size; i++)
        if (ri->data[i] != 0x5a)
            return 0;
    returns_seen++;
    return 0;
}

/* One session at fns[k]: a return probe (maxactive and data size varying) or an entry probe,
 * calls made, every counter exact, unregistered. */
static int session(int k, int cycle) {
    fn_t f = fns[k];
    int calls = cycle % 5 + 1;
    entries_seen = returns_seen = 0;
    if (cycle % 3 == 2) {
        struct kt_kprobe kp;
        if (!kth_kprobe(&kp, (void *)f, on_pre))
            return 0;
        for (int i = 0; i < calls; i++)
            CHECK_EQ(f(i), i * (k + 2) + k);
        CHECK_EQ(entries_seen, calls);
        struct kt_stats s;
        CHECK_EQ(kt_kprobe_stats(&kp, &s), KT_OK);
        CHECK_EQ(s.entries, calls);
        kth_check_kprobe_balanced(&kp, "reuse kprobe");
        kt_unregister_kprobe(&kp);
    } else {
        struct kt_kretprobe rp;
        if (!kth_kretprobe(&rp, (void *)f, on_return, on_entry, (size_t)(cycle % 4) * 24,
                           cycle % 2 ? 0 : 300 + cycle % 7))
            return 0;
        for (int i = 0; i < calls; i++)
            CHECK_EQ(f(i), i * (k + 2) + k);
        CHECK_EQ(entries_seen, calls);
        CHECK_EQ(returns_seen, calls);
        struct kt_stats s = kth_stats(&rp);
        CHECK_EQ(s.entries, calls);
        CHECK_EQ(s.returns_handled, calls);
        kth_check_balanced(&rp, "reuse kretprobe");
        kt_unregister_kretprobe(&rp);
    }
    return 1;
}

/* The same site 3,000 times: 375 times the table's size. */
static void test_same_site(void) {
    struct kt_tramp_info a, b;
    CHECK_EQ(kt_tramp_reserve((uintptr_t)fn0, &a), KT_OK);
    CHECK_EQ(kt_tramp_reserve((uintptr_t)fn0, &b), KT_OK);
    CHECK(a.slot == b.slot, "one slot per site: %#llx then %#llx", (unsigned long long)a.slot,
          (unsigned long long)b.slot);
    for (int cycle = 0; cycle < 3000 && !kth_failures; cycle++)
        if (!session(0, cycle))
            break;
}

/* Twelve sites in turn, 100 rounds: the table holds 8 records, so most registrations take a
 * dead record of another site. */
static void test_many_sites(void) {
    for (int round = 0; round < 100 && !kth_failures; round++)
        for (int k = 0; k < 12 && !kth_failures; k++)
            if (!session(k, round * 12 + k))
                return;
}

/* A thread parked inside a return-probed function keeps its instance outstanding: that record
 * is not reused (another is taken), its instance comes back later as discarded_unregister, and
 * the sessions after it count only their own calls. With every record held that way the table
 * is full: KT_ETOOMANY, until the threads return. */
static volatile int release;
static volatile int parked;
KTH_NOINLINE int park(int x) {
    __atomic_fetch_add(&parked, 1, __ATOMIC_SEQ_CST);
    while (!release)
        sched_yield();
    return x + 1;
}
static void *parker(void *arg) {
    (void)arg;
    return (void *)(intptr_t)park(1);
}

static void test_outstanding(void) {
    struct kt_kretprobe held[TABLE];
    pthread_t th[TABLE];
    release = 0;
    parked = 0;
    int n = 0;
    for (; n < TABLE; n++) {
        if (!kth_kretprobe(&held[n], (void *)park, on_return, NULL, 0, 0))
            break;
        pthread_create(&th[n], NULL, parker, NULL);
        while (parked < n + 1)
            sched_yield();
        kt_unregister_kretprobe(&held[n]);
        struct kt_stats s;
        CHECK_EQ(kt_kretprobe_stats(&held[n], &s), KT_OK);
        CHECK_EQ(s.entries, 1);
        CHECK_EQ(s.in_flight, 1);
    }
    CHECK_EQ(n, TABLE);
    /* Every record has an outstanding instance: nothing can be registered. */
    struct kt_patch patch;
    char why[256];
    struct kt_kretprobe rp;
    memset(&rp, 0, sizeof rp);
    rp.kp.addr = (uintptr_t)fn3;
    rp.handler = on_return;
    CHECK(kth_prepare((void *)fn3, 1, &patch, why, sizeof why), "prepare: %s", why);
    CHECK_EQ(kt_register_kretprobe(&rp, &patch), KT_ETOOMANY);
    release = 1;
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < n; i++) {
        struct kt_stats s;
        CHECK_EQ(kt_kretprobe_stats(&held[i], &s), KT_OK);
        CHECK_EQ(s.discarded_unregister, 1);
        CHECK_EQ(s.in_flight, 0);
        CHECK_EQ(kt_stats_lost(&s), 0);
    }
    /* Back to normal: every record is reusable again. */
    for (int cycle = 0; cycle < 40 && !kth_failures; cycle++)
        if (!session(cycle % 12, cycle))
            break;
}

int main(void) {
    struct kt_config cfg = {0};
    cfg.max_probes = TABLE;
    CHECK_EQ(kt_init(&cfg), KT_OK);
    test_same_site();
    test_many_sites();
    test_outstanding();
    test_same_site();
    return kth_finish("reuse");
}
