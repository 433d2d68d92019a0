/* Runtime helpers for handlers that run outside the target: in the controller (begin, end,
 * error and timer probes) or in a test executor process (runtime/exec). Clocks, process
 * identity, messages, exit(). C, so that the 32-bit executor compiles the same file. */
#ifndef KTAP_HOST_HELPERS_H
#define KTAP_HOST_HELPERS_H

#include "kt_lang.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Session facts the helpers report: pp() names per probe index, target() pid. */
void ktap_host_set_probe_name(int32_t probe, const char *name);
void ktap_host_set_target(int64_t pid);

void ktap_host_exit(kt_ctx *ctx);
void ktap_host_warn(kt_ctx *ctx, const char *msg);
void ktap_host_log(kt_ctx *ctx, const char *msg);
const char *ktap_error_message(kt_ctx *ctx);
void ktap_skipped(kt_ctx *ctx);
int64_t ktap_host_gettimeofday_ns(kt_ctx *ctx);
int64_t ktap_host_gettimeofday_us(kt_ctx *ctx);
int64_t ktap_host_gettimeofday_ms(kt_ctx *ctx);
int64_t ktap_host_gettimeofday_s(kt_ctx *ctx);
int64_t ktap_host_local_clock_ns(kt_ctx *ctx);
int64_t ktap_host_local_clock_us(kt_ctx *ctx);
int64_t ktap_host_local_clock_ms(kt_ctx *ctx);
int64_t ktap_host_local_clock_s(kt_ctx *ctx);
int64_t ktap_host_cpu_clock_ns(kt_ctx *ctx);
int64_t ktap_host_cpu_clock_us(kt_ctx *ctx);
int64_t ktap_host_pid(kt_ctx *ctx);
int64_t ktap_host_tid(kt_ctx *ctx);
int64_t ktap_host_gettid(kt_ctx *ctx);
int64_t ktap_host_ppid(kt_ctx *ctx);
int64_t ktap_host_uid(kt_ctx *ctx);
int64_t ktap_host_gid(kt_ctx *ctx);
int64_t ktap_host_euid(kt_ctx *ctx);
int64_t ktap_host_egid(kt_ctx *ctx);
int64_t ktap_host_cpu(kt_ctx *ctx);
int64_t ktap_host_target(kt_ctx *ctx);
void ktap_host_execname(kt_ctx *ctx, char *dst, int32_t cap);
void ktap_host_pexecname(kt_ctx *ctx, char *dst, int32_t cap);
void ktap_host_pp(kt_ctx *ctx, char *dst, int32_t cap);
int64_t ktap_host_randint(kt_ctx *ctx, int64_t n);
void ktap_host_ctime(kt_ctx *ctx, int64_t t, char *dst, int32_t cap);
void ktap_host_str_lower(char *dst, const char *src, int32_t cap);
void ktap_host_str_upper(char *dst, const char *src, int32_t cap);

#ifdef __cplusplus
}
#endif

#endif
