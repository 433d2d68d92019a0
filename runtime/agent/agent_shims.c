/* The handler shims: what the engine calls on a hit, and what calls the JIT-compiled handler.
 * Probe path (DESIGN.md decision 4): no libc, no allocation, no blocking lock, no system call
 * in the common path. The thread id comes from the engine's per-thread block (set once when the
 * thread first hit a probe), the context lives on the stack. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <sys/syscall.h>

int32_t kt_agent_tid(void) {
    struct kt_thread *t = kt_thread_self();
    if (KT_LIKELY(t && t->tid > 0))
        return t->tid;
    return (int32_t)kt_agent_sys(SYS_gettid, 0, 0, 0); /* not reached from a handler */
}

static inline int enabled(void) {
    return __atomic_load_n(&kt_agent.hdr->probes_enabled, __ATOMIC_ACQUIRE) != 0;
}

/* One stderr record "<prefix><msg without one trailing newline>[ near <where>]\n". */
void kt_agent_err_record(kt_ctx *ctx, const char *prefix, const char *msg, const char *where) {
    uint32_t lp = kt_strlen(prefix), lm = kt_strnlen(msg, 65536), lw = 0, len;
    if (lm && msg[lm - 1] == '\n')
        lm--; /* stap does not double a trailing newline */
    if (where && !where[0])
        where = 0; /* no position: no " near " */
    if (where)
        lw = 6 + kt_strnlen(where, 4096);
    len = lp + lm + lw + 1;
    if (ctx->slot < 0)
        return;
    char *p = kt_out_reserve(ctx, len);
    if (!p)
        return;
    kt_memcpy(p, prefix, lp);
    kt_memcpy(p + lp, msg, lm);
    if (where) {
        kt_memcpy(p + lp + lm, " near ", 6);
        kt_memcpy(p + lp + lm + 6, where, lw - 6);
    }
    p[len - 1] = '\n';
    kt_out_commit_stream(ctx, len, KT_STREAM_ERR);
}

/* The controller prints its own probes' errors the same way (compiler/run/runner.cpp). */
static __attribute__((noinline)) void report_error(kt_ctx *ctx) {
    kt_agent_err_record(ctx, "ERROR: ", ctx->errmsg, ctx->where);
    kt_add64(&kt_agent.hdr->errors, 1);
}

/* Runs one JIT handler; 0 when it ran without error. */
static inline int run(kt_site *site, uint64_t fn, struct kt_regs *regs, uint8_t *data,
                      int32_t is_return) {
    kt_ctx ctx;
    kt_ctx_init(&ctx, kt_agent.arena, site->probe);
    ctx.regs = regs;
    ctx.entry_data = data;
    ctx.site = (int32_t)(site - kt_agent_sites());
    ctx.is_return = is_return;
    int32_t tid = kt_agent_tid();
    if (KT_UNLIKELY(tid <= 0 || kt_agent.hdr->nslots <= 0)) {
        kt_add64(&kt_agent.hdr->skipped, 1);
        return -1;
    }
    if (KT_UNLIKELY(kt_slot_claim(&ctx, tid) < 0))
        return -1; /* no free slot: kt_slot_claim counted the skip */
    ((void (*)(kt_ctx *))(uintptr_t)fn)(&ctx);
    if (KT_UNLIKELY(ctx.error != KT_OK)) {
        if (ctx.error != KT_ERR_ABORT)
            report_error(&ctx);
        return -1;
    }
    return 0;
}

void kt_agent_run_sample(int32_t probe, uint64_t fn, struct kt_regs *regs, int64_t *hits) {
    kt_ctx ctx;
    kt_ctx_init(&ctx, kt_agent.arena, probe);
    ctx.regs = regs;
    ctx.sample = 1;
    int32_t tid = kt_agent_tid();
    if (KT_UNLIKELY(tid <= 0 || kt_agent.hdr->nslots <= 0)) {
        kt_add64(&kt_agent.hdr->skipped, 1);
        return;
    }
    if (KT_UNLIKELY(kt_slot_claim(&ctx, tid) < 0))
        return; /* no free slot: kt_slot_claim counted the skip */
    kt_add64(hits, 1);
    ((void (*)(kt_ctx *))(uintptr_t)fn)(&ctx);
    if (KT_UNLIKELY(ctx.error != KT_OK) && ctx.error != KT_ERR_ABORT)
        report_error(&ctx);
}

static inline kt_site *next_in_chain(kt_site *site) {
    return site->chain_next >= 0 ? kt_agent_sites() + site->chain_next : 0;
}

/* Entry probes only: the handlers of every site of the chain (all entry probes). */
/* A hit while the switch is off (a thread stopped by ptrace between the jump and this check
 * when ktap turned it off): counted, so that -t's hits are the handlers that ran. */
static __attribute__((noinline)) void count_disabled(kt_site *site) {
    kt_add64((int64_t *)&site->disabled_hits, 1); /* no libatomic on i386 */
}

int kt_agent_pre(struct kt_kprobe *kp, struct kt_regs *regs) {
    if (KT_UNLIKELY(!enabled())) {
        count_disabled((kt_site *)kp->user);
        return 0;
    }
    for (kt_site *site = (kt_site *)kp->user; site; site = next_in_chain(site))
        if (site->handler)
            run(site, site->handler, regs, 0, 0);
    return 0;
}

/* Return probe, at entry (entry registers): the chain's entry-probe handlers and the @entry
 * parts of its return probes. A non-zero result skips the instance. */
int kt_agent_entry(struct kt_kretprobe_instance *ri, struct kt_regs *regs) {
    if (KT_UNLIKELY(!enabled()))
        return 1;
    int wanted = 0, failed = 0;
    for (kt_site *site = (kt_site *)ri->rp->kp.user; site; site = next_in_chain(site)) {
        if (site->kind == KT_SITE_ENTRY) {
            if (site->handler)
                run(site, site->handler, regs, 0, 0);
            continue;
        }
        wanted = 1;
        if (site->entry_handler &&
            run(site, site->entry_handler, regs, ri->data + site->data_off, 0) != 0)
            failed = 1;
    }
    /* No return handler to run, or @entry values incomplete: the instance is not needed. */
    return !wanted || failed;
}

/* Return probe, after the function returned (return registers). */
int kt_agent_return(struct kt_kretprobe_instance *ri, struct kt_regs *regs) {
    if (KT_UNLIKELY(!enabled())) {
        for (kt_site *site = (kt_site *)ri->rp->kp.user; site; site = next_in_chain(site))
            if (site->kind == KT_SITE_RETURN)
                count_disabled(site);
        return 0;
    }
    for (kt_site *site = (kt_site *)ri->rp->kp.user; site; site = next_in_chain(site))
        if (site->kind == KT_SITE_RETURN && site->handler)
            run(site, site->handler, regs, ri->data + site->data_off, 1);
    return 0;
}
