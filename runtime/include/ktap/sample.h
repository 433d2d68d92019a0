/* Sampling probes (timer.profile, perf.sw.cpu_clock.sample(N)) in the state arena: written by
 * the controller (compiler/run/runner.cpp), read and counted by the agent
 * (runtime/agent/agent_sample.c). See docs/profiling.md.
 *
 * Every thread of the target gets one CPU-time timer per period (a POSIX timer on the thread's
 * CPU clock, signalling that thread); the signal's handler runs the probes of that period on the
 * thread, with the interrupted registers. Fixed-width fields at 8-byte multiples: i386 and
 * x86_64 agree on every offset.
 */
#ifndef KTAP_SAMPLE_H
#define KTAP_SAMPLE_H

#include <stdint.h>

#define KT_SAMPLE_MAX_PERIODS 4
#define KT_SAMPLE_MAX_PROBES 32
#define KT_SAMPLE_MAX_INSIDE 64

struct kt_sample_probe {
    uint64_t handler; /* JIT'd body: void ktap_probe_N(kt_ctx *) at its target address */
    int32_t probe;    /* script probe index (kt_ctx.probe) */
    int32_t period;   /* index in kt_sample_area.period_ns */
    int64_t hits;     /* handler runs (the agent counts) */
};

/* At kt_arena_header.sample_off. */
struct kt_sample_area {
    uint64_t period_ns[KT_SAMPLE_MAX_PERIODS]; /* thread CPU time between samples */
    uint32_t nperiods;
    uint32_t nprobes;
    int32_t signo;  /* the agent's choice: a real-time signal nobody handles */
    int32_t active; /* 1 while timers run */
    /* Counters (the agent's atomics): */
    int64_t samples;       /* signals taken */
    int64_t in_ktap;       /* samples that landed in ktap's own code (engine, handlers, stubs):
                              not run, counted */
    int64_t in_trampoline; /* samples in a trampoline's relocated instructions: run, with the
                              probed function's address */
    int64_t threads;       /* threads that got timers */
    int64_t timer_errors;  /* timer_create/settime failures (RLIMIT_SIGPENDING, ...) */
    int32_t taken_over;    /* the program installed its own action for signo: sampling stopped */
    int32_t pad_;
    struct kt_sample_probe probes[KT_SAMPLE_MAX_PROBES];
    /* Samples that landed in a handler of a function probe (part of in_ktap): per probed
     * function's address, the first KT_SAMPLE_MAX_INSIDE functions (CAS on site). */
    struct {
        uint64_t site;
        int64_t count;
    } inside[KT_SAMPLE_MAX_INSIDE];
};

#endif
