/* Randomized stress with C++ exceptions (T24, T8): the C stress program (t_stress.c) with
 * throw/try-catch in place of longjmp/setjmp. -finstrument-functions calls the exit hook of
 * frames an exception unwinds; those oracle events are dropped (std::uncaught_exceptions() > 0),
 * since a return probe's handler does not run for an unwound frame. */
#include "harness.h"
#include "targets.h"

#include <exception>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NOINSTR __attribute__((no_instrument_function))
#define NF 8
#define MAXD 14
#define LOG_CAP (1u << 22)

extern "C" {
volatile int kth_sink;
}

struct tlog {
    uint16_t *ev;
    size_t n;
};
static __thread struct tlog probe_log, oracle_log;
static __thread uint32_t rng;
static __thread int try_depth; /* active try regions on this thread */
struct stress_exception {
    int code;
};

typedef int (*ffn)(int);
static ffn table[NF];
static int probed[NF];

static NOINSTR void log_event(struct tlog *l, int exit, int f) {
    if (l->n < LOG_CAP)
        l->ev[l->n] = (uint16_t)(exit << 8 | f);
    l->n++;
}

static NOINSTR int index_of(void *fn) {
    for (int i = 0; i < NF; i++)
        if ((void *)table[i] == fn)
            return i;
    return -1;
}

extern "C" NOINSTR void __cyg_profile_func_enter(void *fn, void *site) {
    int i = index_of(fn);
    if (i >= 0 && probed[i])
        log_event(&oracle_log, 0, i);
}

extern "C" NOINSTR void __cyg_profile_func_exit(void *fn, void *site) {
    int i = index_of(fn);
    if (i >= 0 && probed[i] && std::uncaught_exceptions() == 0)
        log_event(&oracle_log, 1, i);
}

static NOINSTR uint32_t next(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* The body of every stress function (a macro: setjmp prevents inlining a helper). */
#define BODY(self)                                                                                 \
    volatile int acc = self;                                                                       \
    uint32_t r = next();                                                                           \
    if (depth >= MAXD)                                                                             \
        return acc;                                                                                \
    switch (r % 16) {                                                                              \
    case 0:                                                                                        \
    case 1:                                                                                        \
    case 2:                                                                                        \
    case 3:                                                                                        \
    case 4:                                                                                        \
    case 5:                                                                                        \
        acc += table[(r >> 4) % NF](depth + 1);                                                    \
        break;                                                                                     \
    case 6:                                                                                        \
    case 7:                                                                                        \
        acc += table[(r >> 4) % NF](depth + 1);                                                    \
        acc += table[(r >> 8) % NF](depth + 1);                                                    \
        break;                                                                                     \
    case 8:                                                                                        \
        acc += table[self](depth + 1);                                                             \
        break;                                                                                     \
    case 9:                                                                                        \
        if (try_depth > 0)                                                                         \
            throw stress_exception{(int)(r >> 4)};                                                 \
        break;                                                                                     \
    case 10:                                                                                       \
    case 11: {                                                                                     \
        int mine = try_depth++;                                                                    \
        try {                                                                                      \
            acc += table[(r >> 4) % NF](depth + 1);                                                \
        } catch (const stress_exception &e) {                                                      \
            acc += e.code & 7;                                                                     \
        }                                                                                          \
        try_depth = mine;                                                                          \
        break;                                                                                     \
    }                                                                                              \
    default:                                                                                       \
        break;                                                                                     \
    }                                                                                              \
    kth_sink = acc;                                                                                \
    return acc;

#define DEFINE_F(i)                                                                                \
    KTH_NOINLINE int stress_f##i(int depth) {                                                      \
        BODY(i)                                                                                    \
    }
DEFINE_F(0)
DEFINE_F(1) DEFINE_F(2) DEFINE_F(3) DEFINE_F(4) DEFINE_F(5) DEFINE_F(6) DEFINE_F(7)

    static struct kt_kretprobe rps[NF];

static NOINSTR int on_entry(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    log_event(&probe_log, 0, (int)(uintptr_t)ri->rp->kp.user);
    return 0;
}
static NOINSTR int on_return(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    log_event(&probe_log, 1, (int)(uintptr_t)ri->rp->kp.user);
    return 0;
}

struct worker {
    uint32_t seed;
    long iters;
    struct tlog probe, oracle;
};

static NOINSTR void *run(void *arg) {
    struct worker *w = (struct worker *)arg;
    probe_log.ev = (uint16_t *)mmap(NULL, LOG_CAP * 2, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    oracle_log.ev = (uint16_t *)mmap(NULL, LOG_CAP * 2, PROT_READ | PROT_WRITE,
                                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    rng = w->seed ? w->seed : 1;
    for (long i = 0; i < w->iters; i++) {
        try_depth = 1;
        try {
            table[next() % NF](0);
        } catch (const stress_exception &) {
        }
        try_depth = 0;
    }
    w->probe = probe_log;
    w->oracle = oracle_log;
    return NULL;
}

static NOINSTR void compare(struct worker *w, int t) {
    CHECK(w->oracle.n < LOG_CAP && w->probe.n < LOG_CAP, "thread %d: logs fit", t);
    CHECK(w->oracle.n > 1000, "thread %d: the oracle saw events (%zu)", t, w->oracle.n);
    CHECK(w->probe.n == w->oracle.n, "thread %d: %zu probe events vs %zu oracle events", t,
          w->probe.n, w->oracle.n);
    size_t n = w->probe.n < w->oracle.n ? w->probe.n : w->oracle.n;
    for (size_t i = 0; i < n; i++) {
        if (w->probe.ev[i] != w->oracle.ev[i]) {
            kth_fail(__FILE__, __LINE__, "event streams equal",
                     "thread %d: first difference at event %zu: probe %#x oracle %#x", t, i,
                     w->probe.ev[i], w->oracle.ev[i]);
            break;
        }
    }
}

NOINSTR int main(void) {
    ffn fns[NF] = {stress_f0, stress_f1, stress_f2, stress_f3,
                   stress_f4, stress_f5, stress_f6, stress_f7};
    memcpy(table, fns, sizeof fns);
    const char *s = getenv("KTAP_STRESS_SEED");
    uint32_t seed = s ? (uint32_t)strtoul(s, NULL, 0) : 12345u;
    s = getenv("KTAP_STRESS_ITERS");
    long iters = s ? strtol(s, NULL, 0) : 20000;
    printf("t_stress_eh: seed %u, %ld iterations per thread\n", seed, iters);
    uint32_t pick = seed * 2654435761u;
    int nprobed = 0;
    for (int i = 0; i < NF; i++) {
        probed[i] = (pick >> i) & 1 || i == 0;
        if (!probed[i])
            continue;
        if (!kth_kretprobe(&rps[i], (void *)table[i], on_return, on_entry, 0, 0))
            return kth_finish("t_stress_eh");
        rps[i].kp.user = (void *)(uintptr_t)i;
        nprobed++;
    }
    struct worker w[2] = {{seed, iters, {0}, {0}}, {seed * 7 + 3, iters, {0}, {0}}};
    pthread_t th[2];
    for (int t = 0; t < 2; t++)
        pthread_create(&th[t], NULL, run, &w[t]);
    for (int t = 0; t < 2; t++)
        pthread_join(th[t], NULL);
    for (int t = 0; t < 2; t++)
        compare(&w[t], t);
    uint64_t exits = 0, unwound = 0;
    for (int i = 0; i < NF; i++) {
        if (!probed[i])
            continue;
        struct kt_stats st = kth_stats(&rps[i]);
        CHECK_EQ(st.missed_budget + st.missed_depth + st.missed_reentrant + st.missed_nothread, 0);
        CHECK_EQ(st.in_flight, 0);
        exits += st.returns_handled;
        unwound += st.discarded_unwound + st.discarded_thread_exit;
        kth_check_balanced(&rps[i], "stress");
        kt_unregister_kretprobe(&rps[i]);
    }
    printf("t_stress_eh: %d functions probed, %llu returns, %llu frames left by exceptions\n",
           nprobed, (unsigned long long)exits, (unsigned long long)unwound);
    CHECK(unwound > 0, "the run exercised exceptions");
    return kth_finish("t_stress_eh");
}
