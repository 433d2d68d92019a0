/* Engine benchmark (not a test): ns per call of a leaf function, uninstrumented and with
 *   entry   - an entry probe with an empty pre-handler
 *   return  - a return probe with an empty handler
 *   latency - a return probe whose entry handler stores rdtsc in the instance data and whose
 *             return handler reads it (the @entry timestamp pattern)
 * for 1 and 2 threads (both threads call the same probed function). Each configuration runs
 * REPS times; medians are reported, with the overhead over the bare call of the same run.
 * Usage: engine_bench [calls_per_rep] [reps] */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <x86intrin.h>

volatile int kth_sink;

static long calls = 2000000;
static int reps = 9;
static int (*volatile target)(void) = kth_asm_leaf;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static pthread_barrier_t start_line;
static void *loop(void *arg)
{
    double *ns = arg;
    int (*fn)(void) = target;
    int sum = 0;
    for (int i = 0; i < 10000; i++) /* warm up: claim the thread's block, fault in pages */
        sum += fn();
    pthread_barrier_wait(&start_line);
    uint64_t t0 = now_ns();
    for (long i = 0; i < calls; i++)
        sum += fn();
    uint64_t t1 = now_ns();
    kth_sink = sum;
    *ns = (double)(t1 - t0) / (double)calls;
    return NULL;
}

static double run_once(int nthreads)
{
    pthread_t th[2];
    double ns[2];
    pthread_barrier_init(&start_line, NULL, (unsigned)nthreads);
    for (int i = 0; i < nthreads; i++)
        pthread_create(&th[i], NULL, loop, &ns[i]);
    for (int i = 0; i < nthreads; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&start_line);
    double total = 0;
    for (int i = 0; i < nthreads; i++)
        total += ns[i];
    return total / nthreads; /* per-thread cost of one call */
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(int nthreads)
{
    double v[64];
    for (int r = 0; r < reps; r++)
        v[r] = run_once(nthreads);
    qsort(v, (size_t)reps, sizeof v[0], cmp);
    return v[reps / 2];
}

static int empty_pre(struct kt_kprobe *kp, struct kt_regs *r) { return 0; }
static int empty_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) { return 0; }
static int stamp_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r)
{
    *(uint64_t *)ri->data = __rdtsc();
    return 0;
}
static __thread uint64_t lat_sum;
static int stamp_return(struct kt_kretprobe_instance *ri, struct kt_regs *r)
{
    lat_sum += __rdtsc() - *(uint64_t *)ri->data;
    return 0;
}

enum { BARE, ENTRY, RETURN, LATENCY, NCONF };
static const char *const conf_name[NCONF] = {"uninstrumented", "entry probe (empty)",
                                             "return probe (empty)", "return probe + entry tsc"};
static unsigned probe_flags; /* 0: handlers are plain C; KT_HANDLER_LEAN: as JIT'd handlers */

/* Register with flags: the harness helpers register immediately, so re-register by hand. */
static int with_flags_kprobe(struct kt_kprobe *kp, void *fn, kt_pre_handler_t pre)
{
    struct kt_patch patch;
    char why[256];
    if (!kth_prepare(fn, 0, &patch, why, sizeof why))
        return 0;
    memset(kp, 0, sizeof *kp);
    kp->addr = (uintptr_t)fn;
    kp->pre_handler = pre;
    kp->flags = probe_flags;
    return kt_register_kprobe(kp, &patch) == 0 && kt_arm(kp) == 0;
}
static int with_flags_kretprobe(struct kt_kretprobe *rp, void *fn, kt_kretprobe_handler_t h,
                                kt_kretprobe_handler_t eh, size_t data)
{
    struct kt_patch patch;
    char why[256];
    if (!kth_prepare(fn, 1, &patch, why, sizeof why))
        return 0;
    memset(rp, 0, sizeof *rp);
    rp->kp.addr = (uintptr_t)fn;
    rp->kp.flags = probe_flags;
    rp->handler = h;
    rp->entry_handler = eh;
    rp->data_size = data;
    return kt_register_kretprobe(rp, &patch) == 0 && kt_arm(&rp->kp) == 0;
}

static double measure(int conf, int nthreads)
{
    struct kt_kprobe kp;
    struct kt_kretprobe rp;
    int ok = 1;
    if (conf == ENTRY)
        ok = with_flags_kprobe(&kp, (void *)kth_asm_leaf, empty_pre);
    else if (conf == RETURN)
        ok = with_flags_kretprobe(&rp, (void *)kth_asm_leaf, empty_ret, NULL, 0);
    else if (conf == LATENCY)
        ok = with_flags_kretprobe(&rp, (void *)kth_asm_leaf, stamp_return, stamp_entry, 8);
    if (!ok)
        exit(kth_finish("engine_bench"));
    double ns = median(nthreads);
    if (conf == ENTRY) {
        kth_check_kprobe_balanced(&kp, conf_name[conf]);
        kt_unregister_kprobe(&kp);
    } else if (conf != BARE) {
        struct kt_stats s = kth_stats(&rp);
        CHECK(s.returns_handled > (uint64_t)calls, "%s: returns handled", conf_name[conf]);
        kth_check_balanced(&rp, conf_name[conf]);
        kt_unregister_kretprobe(&rp);
    }
    return ns;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        calls = atol(argv[1]);
    if (argc > 2)
        reps = atoi(argv[2]);
    if (reps < 1 || reps > 64)
        reps = 9;
    printf("engine_bench %s: %ld calls x %d reps per configuration, medians\n",
           sizeof(void *) == 8 ? "x86_64" : "i386", calls, reps);
    printf("%-36s %8s %8s %8s %8s %8s %8s\n", "", "1T ns", "1T +ns", "1T x", "2T ns",
           "2T +ns", "2T x");
    double base[3] = {0};
    for (int mode = 0; mode < 2; mode++) {
        probe_flags = mode ? KT_HANDLER_LEAN : 0;
        for (int conf = mode ? ENTRY : BARE; conf < NCONF; conf++) {
            double ns1 = measure(conf, 1), ns2 = measure(conf, 2);
            if (conf == BARE) {
                base[1] = ns1;
                base[2] = ns2;
            }
            char label[64];
            snprintf(label, sizeof label, "%s%s", conf_name[conf],
                     conf != BARE ? (mode ? ", lean" : ", C handler") : "");
            printf("%-36s %8.2f %8.2f %7.1fx %8.2f %8.2f %7.1fx\n", label, ns1, ns1 - base[1],
                   ns1 / base[1], ns2, ns2 - base[2], ns2 / base[2]);
        }
    }
    return kth_finish("engine_bench");
}
