/* The in-process agent test (t_inproc.c): the test plays the controller, handlers.c plays the
 * JIT-compiled handlers. Handlers reach the agent only through the addresses of its exported
 * functions (as JIT-linked code does), collected here by dlsym. */
#ifndef KTAP_TESTS_AGENT_INPROC_H
#define KTAP_TESTS_AGENT_INPROC_H

#include "ktap/agent.h"
#include "kt_lang.h"

#include <stdint.h>

struct agent_api {
    /* language runtime */
    void (*out_format)(kt_ctx *, const char *, const kt_fmt_arg *, int32_t);
    void (*out_str)(kt_ctx *, const char *);
    void (*error)(kt_ctx *, int32_t, const char *);
    kt_long (*ctx_arg)(kt_ctx *, kt_long, int32_t);
    kt_long (*ctx_register)(kt_ctx *, const char *, int32_t);
    kt_long (*ctx_returnval)(kt_ctx *);
    kt_long (*ctx_uaddr)(kt_ctx *);
    void (*ctx_ppfunc)(kt_ctx *, char *, uint32_t);
    void (*ctx_probemod)(kt_ctx *, char *, uint32_t);
    void (*user_string)(kt_ctx *, char *, kt_long, kt_long, const char *, int32_t, uint32_t);
    kt_long (*user_int)(kt_ctx *, kt_long, int32_t, int32_t);
    /* host functions */
    int64_t (*tid)(kt_ctx *);
    int64_t (*pid)(kt_ctx *);
    int64_t (*ppid)(kt_ctx *);
    int64_t (*uid)(kt_ctx *);
    int64_t (*cpu)(kt_ctx *);
    int64_t (*target)(kt_ctx *);
    int64_t (*gettimeofday_ns)(kt_ctx *);
    int64_t (*local_clock_ns)(kt_ctx *);
    int64_t (*gettimeofday_s)(kt_ctx *);
    void (*execname)(kt_ctx *, char *, int32_t);
    void (*pexecname)(kt_ctx *, char *, int32_t);
    void (*pp)(kt_ctx *, char *, int32_t);
    void (*warn)(kt_ctx *, const char *);
    void (*log)(kt_ctx *, const char *);
    void (*ctime)(kt_ctx *, int64_t, char *, int32_t);
    int64_t (*randint)(kt_ctx *, int64_t);
    void (*str_upper)(char *, const char *, int32_t);
    void (*exit_)(kt_ctx *);
};
extern struct agent_api api;

/* handlers.c */
void h_add3(kt_ctx *ctx);
void h_mul_entry(kt_ctx *ctx);
void h_mul_ret(kt_ctx *ctx);
void h_fail(kt_ctx *ctx);
void h_str(kt_ctx *ctx);
void h_wd1(kt_ctx *ctx);
void h_wd2(kt_ctx *ctx);
void h_empty(kt_ctx *ctx);

/* On i386 a long long argument takes two stack words. */
#if defined(__x86_64__)
#define MUL_ARG_B 2
#else
#define MUL_ARG_B 3
#endif

#endif
