/* Target versions of the host functions generated handlers call by name (compiler/run/
 * symbols.def; host versions: compiler/run/host_helpers.c, same semantics). They run on the
 * probe path: no libc. Clocks go through the vDSO found at init (raw syscall fallback), the
 * process id is cached (refreshed in a fork child), the thread id comes from the engine's
 * per-thread block, thread names and random state are cached per engine thread block. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <time.h>

/* The declarations the controller's helpers use, exported from this library. */
#pragma GCC visibility push(default)
#include "host_helpers.h"
#pragma GCC visibility pop

#ifndef PR_GET_NAME
#define PR_GET_NAME 16
#endif

#if defined(__x86_64__)
#define KT_SYS_GETUID SYS_getuid
#define KT_SYS_GETGID SYS_getgid
#define KT_SYS_GETEUID SYS_geteuid
#define KT_SYS_GETEGID SYS_getegid
#else
#define KT_SYS_GETUID SYS_getuid32
#define KT_SYS_GETGID SYS_getgid32
#define KT_SYS_GETEUID SYS_geteuid32
#define KT_SYS_GETEGID SYS_getegid32
#endif

/* ---- clocks ------------------------------------------------------------------------------ */

struct kt_ts64 {
    int64_t sec, nsec;
};
struct kt_ts32 {
    int32_t sec, nsec;
};

static void *vdso_clock;   /* clock_gettime(clockid_t, struct timespec *) */
#if defined(__i386__)
static int vdso_clock_64;  /* the __vdso_clock_gettime64 variant (64-bit timespec) */
#endif
static void *vdso_getcpu;  /* getcpu(unsigned *cpu, unsigned *node, void *cache) */

int64_t kt_agent_clock_ns(int clk) {
#if defined(__x86_64__)
    struct kt_ts64 ts;
    if (KT_LIKELY(vdso_clock != 0) && ((long (*)(long, struct kt_ts64 *))vdso_clock)(clk, &ts) == 0)
        return ts.sec * 1000000000 + ts.nsec;
    if (kt_agent_sys(SYS_clock_gettime, clk, (long)&ts, 0) == 0)
        return ts.sec * 1000000000 + ts.nsec;
    return 0;
#else
    if (KT_LIKELY(vdso_clock != 0)) {
        if (vdso_clock_64) {
            struct kt_ts64 ts;
            if (((long (*)(long, struct kt_ts64 *))vdso_clock)(clk, &ts) == 0)
                return ts.sec * 1000000000 + ts.nsec;
        } else {
            struct kt_ts32 ts;
            if (((long (*)(long, struct kt_ts32 *))vdso_clock)(clk, &ts) == 0)
                return (int64_t)(uint32_t)ts.sec * 1000000000 + ts.nsec; /* y2038: unsigned */
        }
    }
    struct kt_ts64 ts64;
    if (kt_agent_sys(403 /* clock_gettime64 */, clk, (long)&ts64, 0) == 0)
        return ts64.sec * 1000000000 + ts64.nsec;
    struct kt_ts32 ts32;
    if (kt_agent_sys(SYS_clock_gettime, clk, (long)&ts32, 0) == 0)
        return (int64_t)(uint32_t)ts32.sec * 1000000000 + ts32.nsec;
    return 0;
#endif
}

/* local_clock_*() from the TSC when the kernel itself keeps time with it (clocksource "tsc":
 * constant rate, synchronised across CPUs): rdtsc costs ~10 ns where the vDSO's clock_gettime
 * costs ~23 ns on the machines measured, and a latency histogram reads the clock twice per hit.
 * ns = mono0 + (tsc - tsc0) * mult / 2^32, mult calibrated against CLOCK_MONOTONIC at init over
 * 5 ms (a rate error of about 1e-4: local_clock is for intervals, as in stap, where it is a
 * per-CPU scheduler clock). Without a TSC clocksource, CLOCK_MONOTONIC through the vDSO. */
static uint64_t tsc_mult; /* 0: not used */
static uint64_t tsc0;
static int64_t mono0;

static inline uint64_t kt_rdtsc(void) {
    uint32_t lo, hi;
    __asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static int64_t local_clock_ns(void) {
    if (KT_LIKELY(tsc_mult != 0)) {
        uint64_t d = kt_rdtsc() - tsc0;
        return mono0 + (int64_t)((d >> 32) * tsc_mult + (((d & 0xffffffffu) * tsc_mult) >> 32));
    }
    return kt_agent_clock_ns(CLOCK_MONOTONIC);
}

static void calibrate_tsc(void) {
    char buf[32] = {0};
    int fd = open("/sys/devices/system/clocksource/clocksource0/current_clocksource",
                  O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 3 || strncmp(buf, "tsc", 3) != 0 || (buf[3] != '\n' && buf[3] != 0))
        return;
    int64_t m0 = kt_agent_clock_ns(CLOCK_MONOTONIC);
    uint64_t c0 = kt_rdtsc();
    struct timespec pause = {0, 5 * 1000 * 1000};
    nanosleep(&pause, NULL);
    int64_t m1 = kt_agent_clock_ns(CLOCK_MONOTONIC);
    uint64_t c1 = kt_rdtsc();
    if (m1 <= m0 || c1 <= c0)
        return;
    uint64_t mult = ((uint64_t)(m1 - m0) << 32) / (c1 - c0);
    if (mult == 0 || mult >> 32) /* a TSC slower than 1 GHz: keep the vDSO */
        return;
    tsc0 = c1;
    mono0 = m1;
    tsc_mult = mult;
}

/* Called by ktap_agent_init (libc allowed there). */
void kt_agent_host_init(void) {
#if defined(__x86_64__)
    vdso_clock = kt_agent_vdso_sym("__vdso_clock_gettime");
#else
    vdso_clock = kt_agent_vdso_sym("__vdso_clock_gettime64");
    vdso_clock_64 = vdso_clock != 0;
    if (!vdso_clock)
        vdso_clock = kt_agent_vdso_sym("__vdso_clock_gettime");
#endif
    vdso_getcpu = kt_agent_vdso_sym("__vdso_getcpu");
    kt_agent.pid = (int32_t)kt_agent_sys(SYS_getpid, 0, 0, 0);
    kt_agent.own_pid = kt_agent.pid; /* the process the controller attached, in its namespace */
    if (!tsc_mult)
        calibrate_tsc();
}

void kt_agent_host_fork_child(void) {
    __atomic_store_n(&kt_agent.pid, 0, __ATOMIC_RELAXED);
    kt_target_fork_child();
}

int64_t ktap_host_gettimeofday_ns(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_REALTIME); }
int64_t ktap_host_gettimeofday_us(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_REALTIME) / 1000; }
int64_t ktap_host_gettimeofday_ms(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_REALTIME) / 1000000; }
int64_t ktap_host_gettimeofday_s(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_REALTIME) / 1000000000; }
int64_t ktap_host_local_clock_ns(kt_ctx *c) { (void)c; return local_clock_ns(); }
int64_t ktap_host_local_clock_us(kt_ctx *c) { (void)c; return local_clock_ns() / 1000; }
int64_t ktap_host_local_clock_ms(kt_ctx *c) { (void)c; return local_clock_ns() / 1000000; }
int64_t ktap_host_local_clock_s(kt_ctx *c) { (void)c; return local_clock_ns() / 1000000000; }
int64_t ktap_host_cpu_clock_ns(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_MONOTONIC); }
int64_t ktap_host_cpu_clock_us(kt_ctx *c) { (void)c; return kt_agent_clock_ns(CLOCK_MONOTONIC) / 1000; }

/* ---- process identity ------------------------------------------------------------------- */

/* pid() as ktap (and stap, bpftrace) sees the process: for a process in another PID namespace
 * (a container) its PID in ktap's namespace, which the controller passed as the target's pid,
 * not getpid() there, so that `pid() == target()` holds. A fork child, which the controller
 * does not know, reports its own getpid(). tid() stays the thread's id in its own namespace. */
int64_t ktap_host_pid(kt_ctx *c) {
    (void)c;
    int32_t pid = __atomic_load_n(&kt_agent.pid, __ATOMIC_RELAXED);
    if (KT_UNLIKELY(pid <= 0)) {
        pid = (int32_t)kt_agent_sys(SYS_getpid, 0, 0, 0);
        __atomic_store_n(&kt_agent.pid, pid, __ATOMIC_RELAXED);
    }
    if (pid == kt_agent.own_pid && kt_agent.target_pid > 0)
        return kt_agent.target_pid;
    return pid;
}
int64_t ktap_host_tid(kt_ctx *c) { (void)c; return kt_agent_tid(); }
int64_t ktap_host_gettid(kt_ctx *c) { (void)c; return kt_agent_tid(); }
int64_t ktap_host_ppid(kt_ctx *c) { (void)c; return kt_agent_sys(SYS_getppid, 0, 0, 0); }
int64_t ktap_host_uid(kt_ctx *c) { (void)c; return (uint32_t)kt_agent_sys(KT_SYS_GETUID, 0, 0, 0); }
int64_t ktap_host_gid(kt_ctx *c) { (void)c; return (uint32_t)kt_agent_sys(KT_SYS_GETGID, 0, 0, 0); }
int64_t ktap_host_euid(kt_ctx *c) { (void)c; return (uint32_t)kt_agent_sys(KT_SYS_GETEUID, 0, 0, 0); }
int64_t ktap_host_egid(kt_ctx *c) { (void)c; return (uint32_t)kt_agent_sys(KT_SYS_GETEGID, 0, 0, 0); }

int64_t ktap_host_cpu(kt_ctx *c) {
    (void)c;
    unsigned cpu = 0;
    if (vdso_getcpu && ((long (*)(unsigned *, unsigned *, void *))vdso_getcpu)(&cpu, 0, 0) == 0)
        return cpu;
    if (kt_agent_sys(SYS_getcpu, (long)&cpu, 0, 0) == 0)
        return cpu;
    return 0;
}

int64_t ktap_host_target(kt_ctx *c) {
    int64_t pid = (int64_t)kt_ld64((const uint64_t *)&kt_hdr(c)->target_pid);
    return pid ? pid : kt_agent.target_pid;
}

static void copy_out(char *dst, const char *s, int32_t cap) {
    if (cap <= 0)
        return;
    kt_strcpy(dst, s, (uint32_t)cap);
}

static struct kt_agent_thread *thread_cache(int32_t *tid) {
    struct kt_thread *t = kt_thread_self();
    *tid = kt_agent_tid();
    if (!t || !kt_agent.threads || t->index >= kt_agent.nthreads)
        return 0;
    return &kt_agent.threads[t->index];
}

/* execname(): the thread's name (stap: current->comm, per thread), as PR_GET_NAME reports it.
 * Cached per thread and asked again at most every 100 ms, so a rename (pthread_setname_np,
 * prctl) shows up within 100 ms at the cost of one system call per thread per 100 ms. */
#define KT_COMM_REFRESH_NS 100000000
void ktap_host_execname(kt_ctx *c, char *dst, int32_t cap) {
    (void)c;
    int32_t tid;
    struct kt_agent_thread *at = thread_cache(&tid);
    char name[17];
    if (!at) {
        name[16] = 0;
        if (kt_agent_sys(SYS_prctl, PR_GET_NAME, (long)name, 0) != 0)
            name[0] = 0;
        copy_out(dst, name, cap);
        return;
    }
    int64_t now = kt_agent_clock_ns(CLOCK_MONOTONIC);
    if (at->comm_tid != tid || now - at->comm_stamp > KT_COMM_REFRESH_NS || now < at->comm_stamp) {
        name[16] = 0;
        if (kt_agent_sys(SYS_prctl, PR_GET_NAME, (long)name, 0) != 0)
            name[0] = 0;
        kt_memcpy(at->comm, name, 16);
        at->comm[15] = 0;
        at->comm_stamp = now;
        at->comm_tid = tid;
    }
    copy_out(dst, at->comm, cap);
}

/* Decimal into buf; returns the length. */
static uint32_t put_dec(char *buf, uint64_t v) {
    char tmp[24];
    uint32_t n = 0, k = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n)
        buf[k++] = tmp[--n];
    return k;
}

/* pexecname(): /proc/<ppid>/comm with raw open/read/close (rare: four system calls). */
void ktap_host_pexecname(kt_ctx *c, char *dst, int32_t cap) {
    (void)c;
    char path[48], buf[64];
    long ppid = kt_agent_sys(SYS_getppid, 0, 0, 0);
    uint32_t n = 0;
    kt_memcpy(path, "/proc/", 6);
    n = 6 + put_dec(path + 6, (uint64_t)(ppid > 0 ? ppid : 0));
    kt_memcpy(path + n, "/comm", 6);
    buf[0] = 0;
#if defined(__x86_64__)
    long fd = kt_agent_sys(SYS_open, (long)path, 0 /* O_RDONLY */, 0);
#else
    long fd = kt_agent_sys(SYS_open, (long)path, 0x8000 /* O_RDONLY | O_LARGEFILE */, 0);
#endif
    if (fd >= 0) {
        long r = kt_agent_sys(SYS_read, fd, (long)buf, sizeof buf - 1);
        buf[r > 0 ? r : 0] = 0;
        kt_agent_sys(SYS_close, fd, 0, 0);
    }
    for (uint32_t i = 0; buf[i]; i++)
        if (buf[i] == '\n') {
            buf[i] = 0;
            break;
        }
    copy_out(dst, buf, cap);
}

void ktap_host_pp(kt_ctx *ctx, char *dst, int32_t cap) {
    const kt_arena_header *h = kt_hdr(ctx);
    if (cap <= 0)
        return;
    dst[0] = 0;
    if (ctx->site < 0 || (uint32_t)ctx->site >= h->nsites || !h->sites_off)
        return;
    const kt_site *s = (const kt_site *)(ctx->arena + h->sites_off) + ctx->site;
    if (!s->pp_off || s->pp_off >= h->size)
        return;
    const char *pp = (const char *)ctx->arena + s->pp_off;
    uint64_t room = h->size - s->pp_off;
    int32_t i = 0;
    while (i + 1 < cap && (uint64_t)i < room && pp[i]) {
        dst[i] = pp[i];
        i++;
    }
    dst[i] = 0;
}

/* ---- messages and session state ---------------------------------------------------------- */

void ktap_host_exit(kt_ctx *ctx) {
    __atomic_store_n(&kt_hdr(ctx)->exit_requested, 1, __ATOMIC_RELEASE);
}

/* stap prints each distinct warning once per session: the hashes already shown (lock-free
 * open addressing; per target process, so a warning the controller also printed shows again). */
#define KT_WARN_SEEN 4096
static uint64_t warn_seen[KT_WARN_SEEN];

static int warn_first_time(const char *msg) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *s = (const unsigned char *)msg; *s; ++s)
        h = (h ^ *s) * 1099511628211ULL;
    h |= 1; /* 0 marks a free cell */
    uint32_t at = (uint32_t)(h >> 32) % KT_WARN_SEEN;
    for (uint32_t i = 0; i < KT_WARN_SEEN; ++i, at = (at + 1) % KT_WARN_SEEN) {
        uint64_t cur = kt_ld64(&warn_seen[at]);
        if (cur == h)
            return 0;
        if (cur == 0) {
            uint64_t seen = __sync_val_compare_and_swap(&warn_seen[at], 0, h);
            if (seen == 0)
                return 1;
            if (seen == h)
                return 0;
        }
    }
    return 1; /* table full: show it */
}

void ktap_host_warn(kt_ctx *ctx, const char *msg) {
    if (!warn_first_time(msg))
        return;
    kt_agent_err_record(ctx, "WARNING: ", msg, 0);
}

void ktap_host_log(kt_ctx *ctx, const char *msg) {
    uint32_t n = kt_strlen(msg);
    if (ctx->slot < 0)
        return;
    char *p = kt_out_reserve(ctx, n + 1); /* one record: never split from its newline */
    if (!p)
        return;
    kt_memcpy(p, msg, n);
    p[n] = '\n';
    kt_out_commit(ctx, n + 1);
}

const char *ktap_error_message(kt_ctx *ctx) { return ctx->errmsg; }

void ktap_skipped(kt_ctx *ctx) { kt_add64(&kt_hdr(ctx)->skipped, 1); }

/* ---- randint: splitmix64 per thread (no shared writes, no lock) -------------------------- */

static uint64_t splitmix64(uint64_t *state) {
    uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

int64_t ktap_host_randint(kt_ctx *ctx, int64_t n) {
    if (n <= 0 || n > ((int64_t)1 << 32)) {
        kt_error(ctx, KT_ERR_USER, "invalid range for randint()");
        return 0;
    }
    int32_t tid;
    struct kt_agent_thread *at = thread_cache(&tid);
    uint64_t r;
    if (at) {
        if (at->rng_tid != tid) {
            at->rng = kt_agent.rng_seed ^ ((uint64_t)(uint32_t)tid * 0xd6e8feb86659fd93ULL) ^
                      (uint64_t)kt_agent_clock_ns(CLOCK_MONOTONIC);
            at->rng_tid = tid;
        }
        r = splitmix64(&at->rng);
    } else {
        uint64_t s = (uint64_t)kt_agent_clock_ns(CLOCK_MONOTONIC) ^ kt_agent.rng_seed;
        r = splitmix64(&s);
    }
    /* 64 random bits modulo n <= 2^32: the bias is below 2^-32 */
    return (int64_t)(r % (uint64_t)n);
}

/* ---- ctime: "Wed Jan  1 00:00:00 2020", UTC, without libc -------------------------------- */

/* Days since 1970-01-01 to a civil date (H. Hinnant's algorithm, proleptic Gregorian). */
static void civil_from_days(int64_t z, int64_t *y, int32_t *m, int32_t *d) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int32_t)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int32_t)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void put2(char *p, int32_t v, char pad) {
    p[0] = v >= 10 ? (char)('0' + v / 10) : pad;
    p[1] = (char)('0' + v % 10);
}

void ktap_host_ctime(kt_ctx *c, int64_t t, char *dst, int32_t cap) {
    static const char days[] = "SunMonTueWedThuFriSat";
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    (void)c;
    int64_t day = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        day--;
    }
    int64_t year;
    int32_t mon, mday;
    civil_from_days(day, &year, &mon, &mday);
    /* the host uses gmtime_r, which fails when tm_year (year - 1900) leaves int's range */
    if (year - 1900 > 2147483647LL || year - 1900 < -2147483647LL - 1) {
        copy_out(dst, "<invalid time>", cap);
        return;
    }
    int64_t wd = (day + 4) % 7;
    if (wd < 0)
        wd += 7;
    char buf[48];
    uint32_t n = 0;
    kt_memcpy(buf, days + wd * 3, 3);
    buf[3] = ' ';
    kt_memcpy(buf + 4, months + (mon - 1) * 3, 3);
    buf[7] = ' ';
    put2(buf + 8, mday, ' ');
    buf[10] = ' ';
    put2(buf + 11, (int32_t)(rem / 3600), '0');
    buf[13] = ':';
    put2(buf + 14, (int32_t)(rem / 60 % 60), '0');
    buf[16] = ':';
    put2(buf + 17, (int32_t)(rem % 60), '0');
    buf[19] = ' ';
    n = 20;
    if (year < 0) {
        buf[n++] = '-';
        n += put_dec(buf + n, (uint64_t)(0 - year));
    } else {
        n += put_dec(buf + n, (uint64_t)year);
    }
    buf[n] = 0;
    copy_out(dst, buf, cap);
}

void ktap_host_str_lower(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    if (cap <= 0)
        return;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = src[i] >= 'A' && src[i] <= 'Z' ? (char)(src[i] + 32) : src[i];
    dst[i] = '\0';
}

void ktap_host_str_upper(char *dst, const char *src, int32_t cap) {
    int32_t i = 0;
    if (cap <= 0)
        return;
    for (; src[i] && i < cap - 1; ++i)
        dst[i] = src[i] >= 'a' && src[i] <= 'z' ? (char)(src[i] - 32) : src[i];
    dst[i] = '\0';
}
