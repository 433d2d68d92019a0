/* Engine benchmark (not a test): ns per call of a leaf function, uninstrumented and with
 *   entry   - an entry probe with an empty pre-handler
 *   return  - a return probe with an empty handler
 *   latency - a return probe whose entry handler stores rdtsc in the instance data and whose
 *             return handler reads it (the @entry timestamp pattern)
 * for 1 and 2 threads (both threads call the same probed function), timed with each thread's
 * CPU clock. Each repetition times the bare call (probe disarmed) and the probed call back to
 * back; reported: median bare ns/call, median probed ns/call, median and minimum overhead.
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

/* Thread CPU time, not wall time: the machine is shared (2 vCPUs), and time a thread spends
 * preempted must not count as probe cost. */
static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static pthread_barrier_t start_line;
static void *loop(void *arg) {
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

static double run_once(int nthreads) {
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

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median_of(double *v, int n) {
    qsort(v, (size_t)n, sizeof v[0], cmp);
    return v[n / 2];
}

/* Each repetition times the bare call (probe disarmed) and the probed call back to back, so that
 * the machine's load drifts out of the difference. */
struct result {
    double bare, probed, overhead, overhead_min;
};

static struct result sample(struct kt_kprobe *kp, int nthreads) {
    double bare[64], probed[64], over[64];
    for (int r = 0; r < reps; r++) {
        if (kp)
            kt_disarm(kp);
        bare[r] = run_once(nthreads);
        if (kp)
            kt_arm(kp);
        probed[r] = run_once(nthreads);
        over[r] = probed[r] - bare[r];
    }
    struct result res;
    res.overhead = median_of(over, reps);
    res.overhead_min = over[0];
    res.bare = median_of(bare, reps);
    res.probed = median_of(probed, reps);
    return res;
}

static int empty_pre(struct kt_kprobe *kp, struct kt_regs *r) {
    return 0;
}
static int empty_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    return 0;
}
static int stamp_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    *(uint64_t *)ri->data = __rdtsc();
    return 0;
}
static __thread uint64_t lat_sum;
static int stamp_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    lat_sum += __rdtsc() - *(uint64_t *)ri->data;
    return 0;
}

enum { BARE, ENTRY, RETURN, LATENCY, NCONF };
static const char *const conf_name[NCONF] = {"uninstrumented", "entry probe (empty)",
                                             "return probe (empty)", "return probe + entry tsc"};
static unsigned probe_flags; /* 0: handlers are plain C; KT_HANDLER_LEAN: as JIT'd handlers */

/* Register with flags: the harness helpers register immediately, so re-register by hand. */
static int with_flags_kprobe(struct kt_kprobe *kp, void *fn, kt_pre_handler_t pre) {
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
                                kt_kretprobe_handler_t eh, size_t data) {
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

static struct result measure(int conf, int nthreads) {
    struct kt_kprobe kp;
    struct kt_kretprobe rp;
    struct kt_kprobe *armed = NULL;
    int ok = 1;
    if (conf == ENTRY) {
        ok = with_flags_kprobe(&kp, (void *)kth_asm_leaf, empty_pre);
        armed = &kp;
    } else if (conf == RETURN) {
        ok = with_flags_kretprobe(&rp, (void *)kth_asm_leaf, empty_ret, NULL, 0);
        armed = &rp.kp;
    } else if (conf == LATENCY) {
        ok = with_flags_kretprobe(&rp, (void *)kth_asm_leaf, stamp_return, stamp_entry, 8);
        armed = &rp.kp;
    }
    if (!ok)
        exit(kth_finish("engine_bench"));
    struct result res = sample(armed, nthreads);
    if (conf == ENTRY) {
        kth_check_kprobe_balanced(&kp, conf_name[conf]);
        kt_unregister_kprobe(&kp);
    } else if (conf != BARE) {
        struct kt_stats s = kth_stats(&rp);
        CHECK(s.returns_handled > (uint64_t)calls, "%s: returns handled", conf_name[conf]);
        kth_check_balanced(&rp, conf_name[conf]);
        kt_unregister_kretprobe(&rp);
    }
    return res;
}

int main(int argc, char **argv) {
    if (argc > 1)
        calls = atol(argv[1]);
    if (argc > 2)
        reps = atoi(argv[2]);
    if (reps < 1 || reps > 64)
        reps = 9;
    printf("engine_bench %s: %ld calls x %d reps per configuration, medians\n",
           sizeof(void *) == 8 ? "x86_64" : "i386", calls, reps);
    printf("%-40s %-29s %-29s\n", "", "1 thread: bare probed +ns (min)",
           "2 threads: bare probed +ns (min)");
    static const char *const mode_name[3] = {", C handler", ", lean", ", lean+novec"};
    for (int mode = 0; mode < 3; mode++) {
        probe_flags = mode == 0   ? 0
                      : mode == 1 ? KT_HANDLER_LEAN
                                  : KT_HANDLER_LEAN | KT_NO_VECTOR_REGS;
        for (int conf = ENTRY; conf < NCONF; conf++) {
            struct result r1 = measure(conf, 1), r2 = measure(conf, 2);
            char label[64];
            snprintf(label, sizeof label, "%s%s", conf_name[conf], mode_name[mode]);
            printf("%-40s %5.2f %6.2f %6.2f (%5.2f)   %5.2f %6.2f %6.2f (%5.2f)   x%.1f x%.1f\n",
                   label, r1.bare, r1.probed, r1.overhead, r1.overhead_min, r2.bare, r2.probed,
                   r2.overhead, r2.overhead_min, r1.probed / r1.bare, r2.probed / r2.bare);
        }
    }
    return kth_finish("engine_bench");
}
