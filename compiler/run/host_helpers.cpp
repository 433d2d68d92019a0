#include "host_helpers.h"

#include "kt_lang.h"

#include <atomic>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <random>
#include <sched.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace ktap {

HostContext &host_context() {
    static HostContext ctx;
    return ctx;
}

namespace {

kt_arena_header *header(kt_ctx *ctx) { return reinterpret_cast<kt_arena_header *>(ctx->arena); }

int64_t clock_ns(clockid_t id) {
    timespec ts{};
    clock_gettime(id, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void copy_out(char *dst, const std::string &s, int32_t cap) {
    if (cap <= 0)
        return;
    size_t n = std::min(s.size(), static_cast<size_t>(cap - 1));
    std::memcpy(dst, s.data(), n);
    dst[n] = '\0';
}

std::string process_name(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/comm", static_cast<int>(pid));
    FILE *f = fopen(path, "r");
    if (!f)
        return "";
    char buf[64] = {};
    if (!fgets(buf, sizeof buf, f))
        buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

} // namespace

extern "C" {

void ktap_host_exit(kt_ctx *ctx) {
    __atomic_store_n(&header(ctx)->exit_requested, 1, __ATOMIC_RELEASE);
}

void ktap_host_warn(kt_ctx *, const char *msg) {
    fprintf(stderr, "WARNING: %s\n", msg);
}

void ktap_host_log(kt_ctx *ctx, const char *msg) {
    kt_out_str(ctx, msg);
    kt_out_str(ctx, "\n");
}

const char *ktap_error_message(kt_ctx *ctx) { return ctx->errmsg; }

void ktap_skipped(kt_ctx *ctx) { __atomic_add_fetch(&header(ctx)->skipped, 1, __ATOMIC_RELAXED); }

int64_t ktap_host_gettimeofday_ns(kt_ctx *) { return clock_ns(CLOCK_REALTIME); }
int64_t ktap_host_gettimeofday_us(kt_ctx *) { return clock_ns(CLOCK_REALTIME) / 1000; }
int64_t ktap_host_gettimeofday_ms(kt_ctx *) { return clock_ns(CLOCK_REALTIME) / 1000000; }
int64_t ktap_host_gettimeofday_s(kt_ctx *) { return clock_ns(CLOCK_REALTIME) / 1000000000; }
int64_t ktap_host_local_clock_ns(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC); }
int64_t ktap_host_local_clock_us(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC) / 1000; }
int64_t ktap_host_local_clock_ms(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC) / 1000000; }
int64_t ktap_host_local_clock_s(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC) / 1000000000; }
int64_t ktap_host_cpu_clock_ns(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC); }
int64_t ktap_host_cpu_clock_us(kt_ctx *) { return clock_ns(CLOCK_MONOTONIC) / 1000; }

int64_t ktap_host_pid(kt_ctx *) { return getpid(); }
int64_t ktap_host_tid(kt_ctx *) { return static_cast<int64_t>(syscall(SYS_gettid)); }
int64_t ktap_host_gettid(kt_ctx *) { return static_cast<int64_t>(syscall(SYS_gettid)); }
int64_t ktap_host_ppid(kt_ctx *) { return getppid(); }
int64_t ktap_host_uid(kt_ctx *) { return getuid(); }
int64_t ktap_host_gid(kt_ctx *) { return getgid(); }
int64_t ktap_host_euid(kt_ctx *) { return geteuid(); }
int64_t ktap_host_egid(kt_ctx *) { return getegid(); }
int64_t ktap_host_cpu(kt_ctx *) { return sched_getcpu(); }
int64_t ktap_host_target(kt_ctx *) { return host_context().target_pid; }

void ktap_host_execname(kt_ctx *, char *dst, int32_t cap) {
    copy_out(dst, process_name(getpid()), cap);
}
void ktap_host_pexecname(kt_ctx *, char *dst, int32_t cap) {
    copy_out(dst, process_name(getppid()), cap);
}
void ktap_host_pp(kt_ctx *ctx, char *dst, int32_t cap) {
    const auto &names = host_context().probe_names;
    size_t i = static_cast<size_t>(ctx->probe);
    copy_out(dst, i < names.size() ? names[i] : std::string(), cap);
}

int64_t ktap_host_randint(kt_ctx *ctx, int64_t n) {
    if (n <= 0 || n > (int64_t{1} << 32)) {
        kt_error(ctx, KT_ERR_USER, "invalid range for randint()");
        return 0;
    }
    thread_local std::mt19937_64 rng{std::random_device{}()};
    return static_cast<int64_t>(rng() % static_cast<uint64_t>(n));
}

// stap's ctime(): "Wed Jan  1 00:00:00 2020", UTC.
void ktap_host_ctime(kt_ctx *, int64_t t, char *dst, int32_t cap) {
    time_t tt = static_cast<time_t>(t);
    struct tm tm {};
    if (!gmtime_r(&tt, &tm)) {
        copy_out(dst, "<invalid time>", cap);
        return;
    }
    char buf[64];
    strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    copy_out(dst, buf, cap);
}

void ktap_host_str_lower(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = static_cast<char>(tolower(static_cast<unsigned char>(src[i])));
    dst[i] = '\0';
}

void ktap_host_str_upper(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = static_cast<char>(toupper(static_cast<unsigned char>(src[i])));
    dst[i] = '\0';
}

} // extern "C"

std::map<std::string, uint64_t> host_symbols() {
    std::map<std::string, uint64_t> s;
#define KTAP_SYM(name) s[#name] = reinterpret_cast<uint64_t>(&name)
    // Language runtime (runtime/lang).
    KTAP_SYM(kt_error);
    KTAP_SYM(kt_lock_read);
    KTAP_SYM(kt_lock_write);
    KTAP_SYM(kt_unlock_read);
    KTAP_SYM(kt_unlock_write);
    KTAP_SYM(kt_strlen);
    KTAP_SYM(kt_strcpy);
    KTAP_SYM(kt_strcat);
    KTAP_SYM(kt_strcmp);
    KTAP_SYM(kt_long_to_str);
    KTAP_SYM(kt_substr);
    KTAP_SYM(kt_stringat);
    KTAP_SYM(kt_strpos);
    KTAP_SYM(kt_str_replace);
    KTAP_SYM(kt_strtol);
    KTAP_SYM(kt_text_str);
    KTAP_SYM(kt_text_strn);
    KTAP_SYM(kt_string_quoted);
    KTAP_SYM(kt_map_find);
    KTAP_SYM(kt_map_insert);
    KTAP_SYM(kt_map_long);
    KTAP_SYM(kt_map_str);
    KTAP_SYM(kt_map_stat);
    KTAP_SYM(kt_map_key_long);
    KTAP_SYM(kt_map_key_str);
    KTAP_SYM(kt_map_delete);
    KTAP_SYM(kt_map_delete_matching);
    KTAP_SYM(kt_map_any);
    KTAP_SYM(kt_map_clear);
    KTAP_SYM(kt_map_count);
    KTAP_SYM(kt_map_sorted);
    KTAP_SYM(kt_stat_add);
    KTAP_SYM(kt_stat_get);
    KTAP_SYM(kt_stat_clear);
    KTAP_SYM(kt_hist_buckets);
    KTAP_SYM(kt_hist_bucket);
    KTAP_SYM(kt_hist_render);
    KTAP_SYM(kt_format);
    KTAP_SYM(kt_out);
    KTAP_SYM(kt_out_str);
    KTAP_SYM(kt_out_long);
    // Controller-side helpers (this file).
    KTAP_SYM(ktap_host_exit);
    KTAP_SYM(ktap_host_warn);
    KTAP_SYM(ktap_host_log);
    KTAP_SYM(ktap_error_message);
    KTAP_SYM(ktap_skipped);
    KTAP_SYM(ktap_host_gettimeofday_ns);
    KTAP_SYM(ktap_host_gettimeofday_us);
    KTAP_SYM(ktap_host_gettimeofday_ms);
    KTAP_SYM(ktap_host_gettimeofday_s);
    KTAP_SYM(ktap_host_local_clock_ns);
    KTAP_SYM(ktap_host_local_clock_us);
    KTAP_SYM(ktap_host_local_clock_ms);
    KTAP_SYM(ktap_host_local_clock_s);
    KTAP_SYM(ktap_host_cpu_clock_ns);
    KTAP_SYM(ktap_host_cpu_clock_us);
    KTAP_SYM(ktap_host_pid);
    KTAP_SYM(ktap_host_tid);
    KTAP_SYM(ktap_host_gettid);
    KTAP_SYM(ktap_host_ppid);
    KTAP_SYM(ktap_host_uid);
    KTAP_SYM(ktap_host_gid);
    KTAP_SYM(ktap_host_euid);
    KTAP_SYM(ktap_host_egid);
    KTAP_SYM(ktap_host_cpu);
    KTAP_SYM(ktap_host_target);
    KTAP_SYM(ktap_host_execname);
    KTAP_SYM(ktap_host_pexecname);
    KTAP_SYM(ktap_host_pp);
    KTAP_SYM(ktap_host_randint);
    KTAP_SYM(ktap_host_ctime);
    KTAP_SYM(ktap_host_str_lower);
    KTAP_SYM(ktap_host_str_upper);
#undef KTAP_SYM
    return s;
}

} // namespace ktap
