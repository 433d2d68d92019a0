/* Stand-ins for JIT-compiled handlers: built -mgeneral-regs-only like generated code, they call
 * the agent's exported functions through their addresses (struct agent_api). */
#include "inproc.h"

struct agent_api api;

/* entry probe on t_add3(long a, long b, long c) */
void h_add3(kt_ctx *ctx) {
    char comm[16];
    api.execname(ctx, comm, sizeof comm);
    kt_fmt_arg a[5] = {{api.tid(ctx), 0}, {0, comm}, {api.ctx_arg(ctx, 1, KT_ARG_LONG), 0},
                       {api.ctx_arg(ctx, 2, KT_ARG_LONG), 0}, {api.ctx_arg(ctx, 3, KT_ARG_LONG), 0}};
    api.out_format(ctx, "add3 %d %s %d %d %d\n", a, 5);
}

/* return probe on long t_mul(long long a, int b), @entry(a) and @entry(b) in 16 bytes */
void h_mul_entry(kt_ctx *ctx) {
    int64_t *d = (int64_t *)ctx->entry_data;
    d[0] = api.ctx_arg(ctx, 1, KT_ARG_S64);
    d[1] = api.ctx_arg(ctx, MUL_ARG_B, KT_ARG_INT);
}

void h_mul_ret(kt_ctx *ctx) {
    const int64_t *d = (const int64_t *)ctx->entry_data;
    kt_fmt_arg a[4] = {{api.tid(ctx), 0}, {d[0], 0}, {d[1], 0}, {api.ctx_returnval(ctx), 0}};
    api.out_format(ctx, "mul %d %d*%d=%d\n", a, 4);
}

/* entry probe on t_fail(): error("boom\n") at a source location */
void h_fail(kt_ctx *ctx) {
    ctx->where = "identifier 'error' at t.stp:3:5";
    api.error(ctx, KT_ERR_USER, "boom\n");
}

/* entry probe on t_str(const char *s, const char *bad): context and host functions, then a
 * user_string fault (an error with no source location) */
void h_str(kt_ctx *ctx) {
    char s[64], dflt[64], quoted[64], comm[16], pp[256], func[64], mod[256], ct[64], up[16];
    kt_long p1 = api.ctx_arg(ctx, 1, KT_ARG_ULONG), p2 = api.ctx_arg(ctx, 2, KT_ARG_ULONG);
    api.user_string(ctx, s, p1, -1, 0, 0, sizeof s);
    api.user_string(ctx, dflt, p2, -1, "<dflt>", 0, sizeof dflt);
    api.user_string(ctx, quoted, p1, 4, 0, 1, sizeof quoted);
    api.execname(ctx, comm, sizeof comm);
    api.pp(ctx, pp, sizeof pp);
    api.ctx_ppfunc(ctx, func, sizeof func);
    api.ctx_probemod(ctx, mod, sizeof mod);
    api.ctime(ctx, 1000000000, ct, sizeof ct);
    api.str_upper(up, "MiXed", sizeof up);
    kt_fmt_arg a[19] = {{0, s},
                        {0, dflt},
                        {0, quoted},
                        {0, comm},
                        {0, pp},
                        {0, func},
                        {0, mod},
                        {api.pid(ctx), 0},
                        {api.target(ctx), 0},
                        {api.ctx_uaddr(ctx), 0},
                        {api.ppid(ctx), 0},
                        {api.uid(ctx), 0},
                        {api.cpu(ctx), 0},
                        {api.gettimeofday_s(ctx), 0},
                        {api.local_clock_ns(ctx), 0},
                        {api.user_int(ctx, p1, 1, 1), 0},
                        {0, ct},
                        {0, up},
                        {api.ctx_register(ctx, "eip", 1), 0}};
    api.out_format(ctx,
                   "str %s|%s|%s|%s|%s|%s|%s|%d|%d|%d|%d|%d|%d|%d|%d|%d|%s|%s|%d\n", a, 19);
    kt_long r = api.randint(ctx, 10);
    kt_fmt_arg ra = {r, 0};
    api.out_format(ctx, "rand %d\n", &ra, 1);
    api.warn(ctx, "careful");
    api.warn(ctx, "careful\n"); /* another message: stap dedups the text, not the line */
    api.warn(ctx, "careful");
    api.log(ctx, "logged");
    api.user_string(ctx, s, p2, -1, 0, 0, sizeof s); /* NULL: error */
}

/* watchdog phase: entry probe on t_wd1, return probe on t_wd2 */
void h_wd1(kt_ctx *ctx) {
    api.out_str(ctx, "wd1\n");
}

void h_wd2(kt_ctx *ctx) {
    kt_fmt_arg a = {api.ctx_returnval(ctx), 0};
    api.out_format(ctx, "wd2 %d\n", &a, 1);
}

/* benchmark (agent_inproc bench): the cost of the shims around a handler that does nothing */
void h_empty(kt_ctx *ctx) {
    (void)ctx;
}
