#define _GNU_SOURCE
#include "host_helpers.h"

#include <ctype.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define KTAP_MAX_PROBE_NAMES 4096
static char *probe_names[KTAP_MAX_PROBE_NAMES];
static int64_t target_pid;

void ktap_host_set_probe_name(int32_t probe, const char *name) {
    if (probe < 0 || probe >= KTAP_MAX_PROBE_NAMES)
        return;
    free(probe_names[probe]);
    probe_names[probe] = strdup(name);
}

void ktap_host_set_target(int64_t pid) { target_pid = pid; }

static kt_arena_header *header(kt_ctx *ctx) { return (kt_arena_header *)ctx->arena; }

static int64_t clock_ns(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void copy_out(char *dst, const char *s, int32_t cap) {
    if (cap <= 0)
        return;
    size_t n = strlen(s);
    if (n > (size_t)(cap - 1))
        n = (size_t)(cap - 1);
    memcpy(dst, s, n);
    dst[n] = '\0';
}

static void process_name(pid_t pid, char *dst, int32_t cap) {
    char path[64], buf[64] = {0};
    snprintf(path, sizeof path, "/proc/%d/comm", (int)pid);
    FILE *f = fopen(path, "r");
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = '\0';
        fclose(f);
    }
    buf[strcspn(buf, "\n")] = '\0';
    copy_out(dst, buf, cap);
}

void ktap_host_exit(kt_ctx *ctx) {
    __atomic_store_n(&header(ctx)->exit_requested, 1, __ATOMIC_RELEASE);
}

/* stap prints each distinct warning once per session: remember the hashes already shown. */
#define KTAP_WARN_SEEN 4096
static uint64_t warn_seen[KTAP_WARN_SEEN];

static int warn_first_time(const char *msg) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)msg; *s; ++s)
        h = (h ^ *s) * 1099511628211ULL;
    h |= 1; /* 0 marks a free cell */
    for (uint32_t i = 0, at = (uint32_t)(h % KTAP_WARN_SEEN); i < KTAP_WARN_SEEN;
         ++i, at = (at + 1) % KTAP_WARN_SEEN) {
        uint64_t cur = __atomic_load_n(&warn_seen[at], __ATOMIC_ACQUIRE);
        if (cur == h)
            return 0;
        if (cur == 0 && __atomic_compare_exchange_n(&warn_seen[at], &cur, h, 0, __ATOMIC_ACQ_REL,
                                                    __ATOMIC_ACQUIRE))
            return 1;
        if (cur == h)
            return 0;
    }
    return 1; /* table full: show it */
}

void ktap_host_warn(kt_ctx *ctx, const char *msg) {
    if (!warn_first_time(msg))
        return;
    size_t n = strlen(msg);
    if (n > 0 && msg[n - 1] == '\n')
        --n;  /* stap does not double a trailing newline */
    /* Into the error stream of the rings, as the agent's warn(): ktap prints it in order with
       the output, in the output format chosen (text on stderr, or a JSON event). */
    char *line = ctx->slot >= 0 ? malloc(n + 11) : NULL;
    if (!line) {
        fprintf(stderr, "WARNING: %.*s\n", (int)n, msg);
        fflush(stderr);
        return;
    }
    memcpy(line, "WARNING: ", 9);
    memcpy(line + 9, msg, n);
    line[n + 9] = '\n';
    kt_out_err(ctx, line, (uint32_t)(n + 10));
    free(line);
}

void ktap_host_log(kt_ctx *ctx, const char *msg) {
    kt_out_str(ctx, msg);
    kt_out_str(ctx, "\n");
}

const char *ktap_error_message(kt_ctx *ctx) { return ctx->errmsg; }

void ktap_skipped(kt_ctx *ctx) { __atomic_add_fetch(&header(ctx)->skipped, 1, __ATOMIC_RELAXED); }

int64_t ktap_host_gettimeofday_ns(kt_ctx *c) { (void)c; return clock_ns(CLOCK_REALTIME); }
int64_t ktap_host_gettimeofday_us(kt_ctx *c) { (void)c; return clock_ns(CLOCK_REALTIME) / 1000; }
int64_t ktap_host_gettimeofday_ms(kt_ctx *c) { (void)c; return clock_ns(CLOCK_REALTIME) / 1000000; }
int64_t ktap_host_gettimeofday_s(kt_ctx *c) { (void)c; return clock_ns(CLOCK_REALTIME) / 1000000000; }
int64_t ktap_host_local_clock_ns(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC); }
int64_t ktap_host_local_clock_us(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC) / 1000; }
int64_t ktap_host_local_clock_ms(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC) / 1000000; }
int64_t ktap_host_local_clock_s(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC) / 1000000000; }
int64_t ktap_host_cpu_clock_ns(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC); }
int64_t ktap_host_cpu_clock_us(kt_ctx *c) { (void)c; return clock_ns(CLOCK_MONOTONIC) / 1000; }

int64_t ktap_host_pid(kt_ctx *c) { (void)c; return getpid(); }
int64_t ktap_host_tid(kt_ctx *c) { (void)c; return (int64_t)syscall(SYS_gettid); }
int64_t ktap_host_gettid(kt_ctx *c) { (void)c; return (int64_t)syscall(SYS_gettid); }
int64_t ktap_host_ppid(kt_ctx *c) { (void)c; return getppid(); }
int64_t ktap_host_uid(kt_ctx *c) { (void)c; return getuid(); }
int64_t ktap_host_gid(kt_ctx *c) { (void)c; return getgid(); }
int64_t ktap_host_euid(kt_ctx *c) { (void)c; return geteuid(); }
int64_t ktap_host_egid(kt_ctx *c) { (void)c; return getegid(); }
int64_t ktap_host_cpu(kt_ctx *c) { (void)c; return sched_getcpu(); }
int64_t ktap_host_target(kt_ctx *c) { (void)c; return target_pid; }

void ktap_host_execname(kt_ctx *c, char *dst, int32_t cap) { (void)c; process_name(getpid(), dst, cap); }
void ktap_host_pexecname(kt_ctx *c, char *dst, int32_t cap) { (void)c; process_name(getppid(), dst, cap); }

void ktap_host_pp(kt_ctx *ctx, char *dst, int32_t cap) {
    int32_t i = ctx->probe;
    copy_out(dst, i >= 0 && i < KTAP_MAX_PROBE_NAMES && probe_names[i] ? probe_names[i] : "", cap);
}

int64_t ktap_host_randint(kt_ctx *ctx, int64_t n) {
    if (n <= 0 || n > ((int64_t)1 << 32)) {
        kt_error(ctx, KT_ERR_USER, "invalid range for randint()");
        return 0;
    }
    uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = (uint64_t)clock_ns(CLOCK_MONOTONIC) * 6364136223846793005ULL;
    return (int64_t)(r % (uint64_t)n);
}

/* stap's ctime(): "Wed Jan  1 00:00:00 2020", UTC. */
void ktap_host_ctime(kt_ctx *c, int64_t t, char *dst, int32_t cap) {
    (void)c;
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[64];
    if ((int64_t)tt != t || !gmtime_r(&tt, &tm)) {
        copy_out(dst, "<invalid time>", cap);
        return;
    }
    strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    copy_out(dst, buf, cap);
}

void ktap_host_str_lower(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = (char)tolower((unsigned char)src[i]);
    dst[i] = '\0';
}

void ktap_host_str_upper(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = (char)toupper((unsigned char)src[i]);
    dst[i] = '\0';
}
