/* libktap-agent.so in process (x86_64 and i386, -O2): the test plays the controller. It dlopens
 * the agent, formats a memfd state arena, fills a site table for functions of this program,
 * drives init -> reserve -> (prepare) -> register -> arm -> probes_enabled, calls the functions
 * from two threads, drains and checks the output records exactly, then disarm / unregister /
 * collect with the "nothing lost" invariant. Finally the watchdog: a second group of sites is
 * armed, a thread keeps calling them, the fake controller (a child process) is killed, and the
 * agent must restore the original bytes by itself within 1 s.
 *   agent_inproc            the full sequence
 *   agent_inproc detach     init, then ktap_agent_detach: the watchdog thread leaves
 *   agent_inproc live [plain|mdwe|blocked [N]]  N sessions (60) ended by the controller's
 *                           death while threads run through the sites (mdwe: code written
 *                           through /proc/self/mem; blocked: a thread blocks every signal) */
#define _GNU_SOURCE
#include "inproc.h"

#include <dirent.h>
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#if defined(__x86_64__)
#include "ktap/prep.h"
#else
#include "prep_wire.h"
#endif

/* ---- checks ------------------------------------------------------------------------------ */

static int failures;

static void fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "FAIL %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    failures++;
}

#define CHECK(c)                                                                                   \
    do {                                                                                           \
        if (!(c))                                                                                  \
            fail(__FILE__, __LINE__, "%s", #c);                                                    \
    } while (0)
#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long a_ = (long long)(a), b_ = (long long)(b);                                        \
        if (a_ != b_)                                                                              \
            fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_);                   \
    } while (0)
#define CHECK_STR(a, b)                                                                            \
    do {                                                                                           \
        const char *a_ = (a), *b_ = (b);                                                           \
        if (strcmp(a_, b_) != 0)                                                                   \
            fail(__FILE__, __LINE__, "%s == %s:\n  got:  \"%s\"\n  want: \"%s\"", #a, #b, a_, b_); \
    } while (0)
#define REQUIRE(c)                                                                                 \
    do {                                                                                           \
        if (!(c)) {                                                                                \
            fail(__FILE__, __LINE__, "required: %s", #c);                                          \
            exit(1);                                                                               \
        }                                                                                          \
    } while (0)

/* ---- probed functions ------------------------------------------------------------------- */

#define NOINL __attribute__((noinline, noclone, used))
volatile long t_sink;

NOINL long t_add3(long a, long b, long c) {
    t_sink += a;
    return a + b + c;
}
NOINL long t_mul(long long a, int b) {
    t_sink += b;
    return (long)(a * b);
}
NOINL int t_fail(int x) {
    t_sink += x;
    return x + 1;
}
NOINL long t_str(const char *s, const char *bad) {
    t_sink += (long)s;
    return (long)bad;
}
NOINL int t_wd1(int x) {
    t_sink += x;
    return x * 2;
}
NOINL int t_wd2(int x) {
    t_sink += x;
    return x * 3;
}

/* Two functions whose 5-byte patch crosses an aligned 8-byte word, so no single locked store
 * can write it back (the layout of -O0 code, which is not aligned): t_lv1 at 5 mod 16, t_lv2 at
 * 14 mod 16. t_lv1(x) = 2x + 1, t_lv2(x) = 2x + 2. */
#if defined(__x86_64__)
#define LV_ARG "  movl %edi, %eax\n"
#else
#define LV_ARG "  movl 4(%esp), %eax\n"
#endif
__asm__(".text\n.p2align 4\n.skip 5, 0x90\n"
        ".globl t_lv1\n.type t_lv1, @function\nt_lv1:\n" LV_ARG
        "  addl %eax, %eax\n  addl $1, %eax\n  ret\n.size t_lv1, .-t_lv1\n"
        ".p2align 4\n.skip 14, 0x90\n"
        ".globl t_lv2\n.type t_lv2, @function\nt_lv2:\n" LV_ARG
        "  addl %eax, %eax\n  addl $2, %eax\n  ret\n.size t_lv2, .-t_lv2\n");
int t_lv1(int x);
int t_lv2(int x);

/* ---- the agent's exports ------------------------------------------------------------------ */

static struct {
    void (*arena_init)(void *, uint64_t, int32_t, uint64_t, uint32_t, uint32_t, int64_t, int32_t);
    uint64_t (*prefix_bytes)(int32_t, uint64_t);
    uint64_t (*drain_stream)(void *, char *, uint64_t, int32_t *);
    int64_t (*stats_lost)(const struct kt_stats *);
    int32_t (*init)(kt_agent_setup *);
    int32_t (*reserve)(uint32_t, uint32_t);
    int32_t (*reg)(uint32_t, uint32_t);
    int32_t (*arm)(uint32_t, uint32_t);
    int32_t (*disarm)(uint32_t, uint32_t);
    int32_t (*unreg)(uint32_t, uint32_t);
    int32_t (*collect)(uint32_t, uint32_t);
    int32_t (*detach)(void);
    int32_t (*livepatch_stats)(uint32_t *);
} ctl;

static void *sym(void *h, const char *name) {
    void *p = dlsym(h, name);
    if (!p) {
        fail(__FILE__, __LINE__, "the agent does not export %s", name);
        exit(1);
    }
    return p;
}

#define SYM(field, name) *(void **)&(field) = sym(h, name)

static void load_agent(void) {
    void *h = dlopen(KTAP_AGENT_SO, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fail(__FILE__, __LINE__, "dlopen %s: %s", KTAP_AGENT_SO, dlerror());
        exit(1);
    }
    SYM(ctl.arena_init, "kt_arena_init");
    SYM(ctl.prefix_bytes, "kt_arena_prefix_bytes");
    SYM(ctl.drain_stream, "kt_drain_stream");
    SYM(ctl.stats_lost, "kt_stats_lost");
    SYM(ctl.init, "ktap_agent_init");
    SYM(ctl.reserve, "ktap_agent_reserve");
    SYM(ctl.reg, "ktap_agent_register");
    SYM(ctl.arm, "ktap_agent_arm");
    SYM(ctl.disarm, "ktap_agent_disarm");
    SYM(ctl.unreg, "ktap_agent_unregister");
    SYM(ctl.collect, "ktap_agent_collect");
    SYM(ctl.detach, "ktap_agent_detach");
    SYM(ctl.livepatch_stats, "ktap_agent_livepatch_stats");
    SYM(api.out_format, "kt_out_format");
    SYM(api.out_str, "kt_out_str");
    SYM(api.error, "kt_error");
    SYM(api.ctx_arg, "kt_ctx_arg");
    SYM(api.ctx_register, "kt_ctx_register");
    SYM(api.ctx_returnval, "kt_ctx_returnval");
    SYM(api.ctx_uaddr, "kt_ctx_uaddr");
    SYM(api.ctx_ppfunc, "kt_ctx_ppfunc");
    SYM(api.ctx_probemod, "kt_ctx_probemod");
    SYM(api.user_string, "kt_user_string");
    SYM(api.user_int, "kt_user_int");
    SYM(api.tid, "ktap_host_tid");
    SYM(api.pid, "ktap_host_pid");
    SYM(api.ppid, "ktap_host_ppid");
    SYM(api.uid, "ktap_host_uid");
    SYM(api.cpu, "ktap_host_cpu");
    SYM(api.target, "ktap_host_target");
    SYM(api.gettimeofday_ns, "ktap_host_gettimeofday_ns");
    SYM(api.gettimeofday_s, "ktap_host_gettimeofday_s");
    SYM(api.local_clock_ns, "ktap_host_local_clock_ns");
    SYM(api.execname, "ktap_host_execname");
    SYM(api.pexecname, "ktap_host_pexecname");
    SYM(api.pp, "ktap_host_pp");
    SYM(api.warn, "ktap_host_warn");
    SYM(api.log, "ktap_host_log");
    SYM(api.ctime, "ktap_host_ctime");
    SYM(api.randint, "ktap_host_randint");
    SYM(api.str_upper, "ktap_host_str_upper");
    SYM(api.exit_, "ktap_host_exit");
#if defined(__i386__)
    /* what the controller links libgcc's __divdi3 & co. of generated code to */
    long long (*divdi3)(long long, long long), (*moddi3)(long long, long long);
    unsigned long long (*udivdi3)(unsigned long long, unsigned long long);
    unsigned long long (*umoddi3)(unsigned long long, unsigned long long);
    SYM(divdi3, "ktap_divdi3");
    SYM(moddi3, "ktap_moddi3");
    SYM(udivdi3, "ktap_udivdi3");
    SYM(umoddi3, "ktap_umoddi3");
    CHECK_EQ(divdi3(-7000000000000ll, 3), -2333333333333ll);
    CHECK_EQ(moddi3(-7000000000001ll, 3), -2);
    CHECK(udivdi3(0xfffffffffffffff0ull, 16) == 0x0fffffffffffffffull);
    CHECK(umoddi3(0xffffffffffffffffull, 10) == 5);
#endif
}

/* ---- the arena (the controller's view) ---------------------------------------------------- */

#define NSLOTS 8
#define RING (1u << 18)
#define NSITES 7
enum { S_ADD3, S_MUL, S_FAIL, S_STR, S_UNUSED, S_WD1, S_WD2 };

static uint8_t *arena;
static kt_arena_header *hdr;
static kt_site *sites;
static uint64_t strings_off, strings_used;
static char exe_path[512];

static uint64_t add_string(const char *s) {
    uint64_t off = strings_off + strings_used;
    size_t n = strlen(s) + 1;
    REQUIRE(strings_used + n <= 4096);
    memcpy(arena + off, s, n);
    strings_used += n;
    return off;
}

static int make_memfd(const char *name, uint64_t bytes) {
    int fd = (int)syscall(SYS_memfd_create, name, 1u /* MFD_CLOEXEC */);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, (off_t)bytes) == 0);
    return fd;
}

static int state_fd, code_fd;
static uint64_t state_bytes;

/* A fresh arena header and an empty site table (again for every session of `live`). */
static void format_arena(void) {
    uint64_t prefix = ctl.prefix_bytes(NSLOTS, RING);
    uint64_t sites_off = prefix + 4096;
    strings_off = prefix;
    strings_used = 0;
    memset(arena, 0, state_bytes);
    ctl.arena_init(arena, state_bytes, NSLOTS, RING, 512, 2048, 1000, 10);
    hdr = (kt_arena_header *)arena;
    hdr->sites_off = sites_off;
    hdr->nsites = NSITES;
    hdr->target_pid = getpid();
    sites = (kt_site *)(arena + sites_off);
}

static void make_arena(void) {
    uint64_t sites_off = ctl.prefix_bytes(NSLOTS, RING) + 4096;
    state_bytes = sites_off + ((NSITES * sizeof(kt_site) + 4095) & ~(uint64_t)4095);
    state_fd = make_memfd("ktap-test-state", state_bytes);
    code_fd = make_memfd("ktap-test-code", 4096);
    arena = mmap(NULL, state_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, state_fd, 0);
    REQUIRE(arena != MAP_FAILED);
    format_arena();
}

static void fill_site(int i, void *fn, int kind, void (*h)(kt_ctx *), void (*eh)(kt_ctx *),
                      uint32_t data_size) {
    Dl_info info;
    const ElfW(Sym) *es = NULL;
    REQUIRE(dladdr1(fn, &info, (void **)&es, RTLD_DL_SYMENT) && es && info.dli_sname);
    kt_site *s = &sites[i];
    memset(s, 0, sizeof *s);
    char pp[700];
    snprintf(pp, sizeof pp, "process(\"%s\").function(\"%s\")%s", exe_path, info.dli_sname,
             kind == KT_SITE_RETURN ? ".return" : "");
    s->addr = (uint64_t)(uintptr_t)fn;
    s->handler = (uint64_t)(uintptr_t)h;
    s->entry_handler = (uint64_t)(uintptr_t)eh;
    s->name_off = add_string(info.dli_sname);
    s->pp_off = add_string(pp);
    s->module_off = add_string(exe_path);
    s->func_size = es->st_size;
    s->probe = i + 10;
    s->kind = kind;
    s->data_size = data_size;
    s->status = KT_SITE_UNUSED;
    s->flags = KT_HANDLER_LEAN | KT_NO_VECTOR_REGS;
    s->chain_head = i; /* one site per function here */
    s->chain_next = -1;
    s->group_kind = kind;
    s->group_data_size = data_size;
}

/* ---- preparation (the controller's side) ----------------------------------------------------- */

#if defined(__x86_64__)
static int read_self(void *c, uint64_t addr, void *buf, size_t len) {
    (void)c;
    memcpy(buf, (void *)(uintptr_t)addr, len);
    return 0;
}

static void prepare(int i) {
    kt_site *s = &sites[i];
    struct kt_prep_request req;
    struct kt_prep_result res;
    memset(&req, 0, sizeof req);
    req.bits = 64;
    req.return_probe = s->kind == KT_SITE_RETURN;
    req.site = s->addr;
    req.func_size = s->func_size;
    req.name = (const char *)arena + s->name_off;
    req.tramp = s->tramp;
    req.read = read_self;
    if (!kt_prepare(&req, &res)) {
        fail(__FILE__, __LINE__, "prepare %s: %s", req.name, res.reason);
        s->status = -100;
        return;
    }
    s->patch = res.patch;
}
#else
static int tool_in = -1, tool_out = -1;

static int rd(int fd, void *b, size_t n) {
    char *p = b;
    while (n) {
        ssize_t k = read(fd, p, n);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}
static int wr(int fd, const void *b, size_t n) {
    const char *p = b;
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k <= 0)
            return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static void prepare(int i) {
    kt_site *s = &sites[i];
    const char *name = (const char *)arena + s->name_off;
    if (tool_in < 0) {
        int to[2], from[2];
        REQUIRE(pipe(to) == 0 && pipe(from) == 0);
        pid_t pid = fork();
        if (pid == 0) {
            dup2(to[0], 0);
            dup2(from[1], 1);
            close(to[1]); /* else the tool never sees the end of its input */
            close(from[0]);
            execl(KTAP_PREP_TOOL, KTAP_PREP_TOOL, (char *)NULL);
            _exit(127);
        }
        close(to[0]);
        close(from[1]);
        tool_in = to[1];
        tool_out = from[0];
        signal(SIGPIPE, SIG_IGN);
    }
    struct wire_request wq;
    memset(&wq, 0, sizeof wq);
    wq.magic = KT_WIRE_MAGIC;
    wq.bits = 32;
    wq.return_probe = s->kind == KT_SITE_RETURN;
    wq.name_len = (uint32_t)strlen(name);
    wq.site = s->addr;
    wq.func_size = s->func_size;
    memcpy(&wq.tramp, &s->tramp, sizeof wq.tramp);
    REQUIRE(!wr(tool_in, &wq, sizeof wq) && !wr(tool_in, name, wq.name_len));
    for (;;) {
        struct wire_msg m;
        REQUIRE(!rd(tool_out, &m, sizeof m));
        if (m.type == KT_WIRE_READ) {
            struct wire_reply r = {0, m.value};
            REQUIRE(!wr(tool_in, &r, sizeof r) &&
                    !wr(tool_in, (const void *)(uintptr_t)m.addr, m.value));
            continue;
        }
        char why[KT_WIRE_REASON_LEN];
        REQUIRE(!rd(tool_out, why, sizeof why) && !rd(tool_out, &s->patch, KT_WIRE_PATCH_LEN));
        if (!m.value) {
            fail(__FILE__, __LINE__, "prepare %s: %.*s", name, (int)sizeof why, why);
            s->status = -100;
        }
        return;
    }
}
#endif

/* ---- output -------------------------------------------------------------------------------- */

struct text {
    char *p;
    size_t len, cap;
};

static void append(struct text *t, const char *s, size_t n) {
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        REQUIRE(t->p);
    }
    memcpy(t->p + t->len, s, n);
    t->len += n;
    t->p[t->len] = 0;
}

static struct text out_text, err_text;

static void drain(void) {
    static char buf[1 << 20];
    for (;;) {
        int32_t stream = -1;
        uint64_t n = ctl.drain_stream(arena, buf, sizeof buf, &stream);
        if (!n)
            break;
        append(stream == KT_STREAM_ERR ? &err_text : &out_text, buf, n);
    }
}

/* The lines of `t` starting with `prefix`, concatenated. */
static struct text lines_with(const struct text *t, const char *prefix) {
    struct text r = {0, 0, 0};
    append(&r, "", 0);
    const char *p = t->p ? t->p : "";
    size_t n = strlen(prefix);
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p + 1) : strlen(p);
        if (len >= n && memcmp(p, prefix, n) == 0)
            append(&r, p, len);
        p += len;
    }
    return r;
}

static int count_lines(const struct text *t, const char *prefix) {
    struct text r = lines_with(t, prefix);
    int n = 0;
    for (size_t i = 0; i < r.len; i++)
        n += r.p[i] == '\n';
    free(r.p);
    return n;
}

/* ---- helpers ------------------------------------------------------------------------------- */

static int64_t now_ns(clockid_t c) {
    struct timespec ts;
    clock_gettime(c, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static pid_t controller;
static int alive_read = -1; /* the liveness pipe: only the controller child holds its write end */

static pid_t spawn_controller(void) {
    int alive[2];
    REQUIRE(pipe2(alive, O_CLOEXEC) == 0);
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        close(alive[0]);
        for (;;)
            pause();
    }
    close(alive[1]);
    alive_read = alive[0];
    return pid;
}

/* Is a thread named `name` in this process? */
static int have_thread(const char *name) {
    DIR *d = opendir("/proc/self/task");
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d))) {
        char path[300], comm[64] = "";
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
        FILE *f = fopen(path, "r");
        if (f) {
            if (fgets(comm, sizeof comm, f))
                comm[strcspn(comm, "\n")] = 0;
            fclose(f);
        }
        found |= strcmp(comm, name) == 0;
    }
    if (d)
        closedir(d);
    return found;
}

static int wait_until(int (*cond)(void), int64_t ms) {
    int64_t end = now_ns(CLOCK_MONOTONIC) + ms * 1000000;
    while (!cond()) {
        if (now_ns(CLOCK_MONOTONIC) > end)
            return 0;
        usleep(2000);
    }
    return 1;
}

static int watchdog_gone(void) {
    return !have_thread("ktap-agent");
}

static int have_thread_agent(void) {
    return have_thread("ktap-agent");
}

static void init_agent(void) {
    kt_agent_setup setup;
    memset(&setup, 0, sizeof setup);
    /* a control call before init fails */
    CHECK_EQ(ctl.reserve(0, 1), -1);
    /* a failing init leaves the agent uninitialised and can be retried */
    setup.state_fd = 100000;
    setup.code_fd = code_fd;
    setup.alive_fd = alive_read; /* the controller's death is watched through the pipe */
    setup.mem_fd = -1;
    CHECK_EQ(ctl.init(&setup), -1);
    CHECK_EQ(setup.error, -EBADF);
    setup.alive_fd = -1;
    setup.controller_pid = 0; /* neither a pipe nor a pid to watch */
    setup.state_fd = state_fd;
    CHECK_EQ(ctl.init(&setup), -1);
    CHECK_EQ(setup.error, -EINVAL);
    setup.alive_fd = alive_read;
    setup.state_bytes = state_bytes;
    setup.code_bytes = 4096;
    setup.target_pid = getpid();
    REQUIRE(ctl.init(&setup) == 0);
    CHECK_EQ(setup.error, 0);
    CHECK(setup.state_base != 0 && setup.code_base != 0);
    CHECK(setup.state_base != (uint64_t)(uintptr_t)arena); /* its own mapping of the memfd */
    CHECK_EQ(((kt_arena_header *)(uintptr_t)setup.state_base)->magic, KT_ARENA_MAGIC);
    /* a second init fails cleanly */
    kt_agent_setup again = setup;
    CHECK_EQ(ctl.init(&again), -1);
    CHECK_EQ(again.error, -EAGAIN); /* the running session (or its end) comes first */
    CHECK(wait_until(have_thread_agent, 1000));
}

/* ---- phase A: the normal sequence ----------------------------------------------------------- */

#define N 500
struct worker {
    pthread_t th;
    int index;
    pid_t tid;
    char name[16];
};

static void *worker_main(void *arg) {
    struct worker *w = arg;
    w->tid = (pid_t)syscall(SYS_gettid);
    snprintf(w->name, sizeof w->name, "w%d", w->index);
    pthread_setname_np(pthread_self(), w->name);
    for (int i = 0; i < N; i++) {
        t_add3(w->index, i, 7);
        t_mul(((long long)(w->index + 1) << 32) + i, i % 7 - 3);
    }
    return NULL;
}

static uint8_t orig[NSITES][8];

static void save_orig(int first, int count) {
    for (int i = first; i < first + count; i++)
        memcpy(orig[i], (void *)(uintptr_t)sites[i].addr, 8);
}

static int bytes_restored(int first, int count) {
    for (int i = first; i < first + count; i++)
        if (memcmp(orig[i], (void *)(uintptr_t)sites[i].addr, 8) != 0)
            return 0;
    return 1;
}

static void check_stats(int i, uint64_t entries, uint64_t handled, uint64_t skipped) {
    const struct kt_stats *s = &sites[i].stats;
    const char *name = (const char *)arena + sites[i].name_off;
    if (s->entries != entries || s->returns_handled != handled || s->skipped != skipped ||
        ctl.stats_lost(s) != 0 || s->in_flight != 0)
        fail(__FILE__, __LINE__,
             "%s: entries %llu (want %llu) handled %llu (want %llu) skipped %llu (want %llu) "
             "in_flight %llu lost %lld",
             name, (unsigned long long)s->entries, (unsigned long long)entries,
             (unsigned long long)s->returns_handled, (unsigned long long)handled,
             (unsigned long long)s->skipped, (unsigned long long)skipped,
             (unsigned long long)s->in_flight, (long long)ctl.stats_lost(s));
}

static void phase_a(void) {
    fill_site(S_ADD3, (void *)t_add3, KT_SITE_ENTRY, h_add3, NULL, 0);
    fill_site(S_MUL, (void *)t_mul, KT_SITE_RETURN, h_mul_ret, h_mul_entry, 16);
    fill_site(S_FAIL, (void *)t_fail, KT_SITE_ENTRY, h_fail, NULL, 0);
    fill_site(S_STR, (void *)t_str, KT_SITE_ENTRY, h_str, NULL, 0);
    /* S_UNUSED: no function; the controller marked it refused before reserve */
    memset(&sites[S_UNUSED], 0, sizeof sites[S_UNUSED]);
    sites[S_UNUSED].status = -100;
    save_orig(0, 4);

    CHECK_EQ(ctl.reserve(0, 5), 0);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(sites[i].status, KT_OK);
        CHECK(sites[i].tramp.slot != 0);
        CHECK_EQ(sites[i].tramp.bits, 8 * sizeof(void *));
        prepare(i);
    }
    CHECK_EQ(ctl.reg(0, 5), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(sites[i].status, KT_SITE_REGISTERED);
    CHECK_EQ(sites[S_UNUSED].status, -100);
    CHECK_EQ(ctl.arm(0, 5), 0);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(sites[i].status, KT_SITE_ARMED);
        CHECK_EQ(*(uint8_t *)(uintptr_t)sites[i].addr, 0xe9);
    }

    /* armed but not enabled: handlers do not run (the return probe skips its instance) */
    CHECK_EQ(t_add3(1, 2, 3), 6);
    CHECK_EQ(t_mul(6, 7), 42);
    drain();
    CHECK_EQ(out_text.len + err_text.len, 0);

    __atomic_store_n(&hdr->probes_enabled, 1, __ATOMIC_SEQ_CST);
    struct worker w[2];
    for (int k = 0; k < 2; k++) {
        w[k].index = k;
        REQUIRE(pthread_create(&w[k].th, NULL, worker_main, &w[k]) == 0);
    }
    for (int k = 0; k < 2; k++)
        pthread_join(w[k].th, NULL);
    CHECK_EQ(t_fail(41), 42);
    CHECK_EQ(t_str("hello", NULL), 0);
    __atomic_store_n(&hdr->probes_enabled, 0, __ATOMIC_SEQ_CST);

    CHECK_EQ(ctl.disarm(0, 5), 0);
    CHECK(bytes_restored(0, 4));
    for (int i = 0; i < 4; i++)
        CHECK_EQ(sites[i].status, KT_SITE_REGISTERED);
    CHECK_EQ(ctl.unreg(0, 5), 0);
    CHECK_EQ(ctl.collect(0, 5), 0);
    for (int i = 0; i < 4; i++)
        CHECK_EQ(sites[i].status, KT_SITE_UNUSED);
    check_stats(S_ADD3, 2 * N + 1, 2 * N + 1, 0);
    check_stats(S_MUL, 2 * N + 1, 2 * N, 1);
    check_stats(S_FAIL, 1, 1, 0);
    check_stats(S_STR, 1, 1, 0);
    CHECK_EQ(sites[S_UNUSED].status, -100);

    /* the workers' arena slots were released when they exited */
    kt_slot *slots = (kt_slot *)(arena + hdr->slots_off);
    for (int i = 0; i < NSLOTS; i++)
        for (int k = 0; k < 2; k++)
            CHECK(slots[i].tid != w[k].tid);

    drain();
    CHECK_EQ(hdr->dropped_records, 0);
    for (int k = 0; k < 2; k++) {
        char prefix[64];
        struct text want = {0, 0, 0};
        append(&want, "", 0);
        snprintf(prefix, sizeof prefix, "add3 %d ", (int)w[k].tid);
        for (int i = 0; i < N; i++) {
            char line[128];
            int n = snprintf(line, sizeof line, "add3 %d %s %d %d 7\n", (int)w[k].tid, w[k].name,
                             k, i);
            append(&want, line, (size_t)n);
        }
        struct text got = lines_with(&out_text, prefix);
        CHECK_STR(got.p, want.p);
        free(got.p);
        want.len = 0;
        append(&want, "", 0);
        snprintf(prefix, sizeof prefix, "mul %d ", (int)w[k].tid);
        for (int i = 0; i < N; i++) {
            char line[128];
            long long a = ((long long)(k + 1) << 32) + i;
            int b = i % 7 - 3;
            int n = snprintf(line, sizeof line, "mul %d %lld*%d=%ld\n", (int)w[k].tid, a, b,
                             (long)(a * b));
            append(&want, line, (size_t)n);
        }
        got = lines_with(&out_text, prefix);
        CHECK_STR(got.p, want.p);
        free(got.p);
        free(want.p);
    }
    CHECK_EQ(count_lines(&out_text, "add3 "), 2 * N);
    CHECK_EQ(count_lines(&out_text, "mul "), 2 * N);

    /* h_str: context and host functions */
    struct text str = lines_with(&out_text, "str ");
    char *fields[32];
    int nf = 0;
    for (char *p = str.p + 4, *tok; nf < 32 && (tok = strsep(&p, "|"));)
        fields[nf++] = tok;
    REQUIRE(nf == 19);
    fields[18][strcspn(fields[18], "\n")] = 0;
    char comm[17] = "", pp[700], num[64];
    prctl(PR_GET_NAME, comm);
    snprintf(pp, sizeof pp, "process(\"%s\").function(\"t_str\")", exe_path);
    CHECK_STR(fields[0], "hello");
    CHECK_STR(fields[1], "<dflt>");
    CHECK_STR(fields[2], "\"hell\"");
    CHECK_STR(fields[3], comm);
    CHECK_STR(fields[4], pp);
    CHECK_STR(fields[5], "t_str");
    CHECK_STR(fields[6], exe_path);
    snprintf(num, sizeof num, "%d", (int)getpid());
    CHECK_STR(fields[7], num);
    CHECK_STR(fields[8], num);
    snprintf(num, sizeof num, "%lld", (long long)(uintptr_t)t_str);
    CHECK_STR(fields[9], num);
    snprintf(num, sizeof num, "%d", (int)getppid());
    CHECK_STR(fields[10], num);
    snprintf(num, sizeof num, "%d", (int)getuid());
    CHECK_STR(fields[11], num);
    long cpu = atol(fields[12]);
    CHECK(cpu >= 0 && cpu < sysconf(_SC_NPROCESSORS_CONF));
    CHECK(llabs(atoll(fields[13]) - (long long)time(NULL)) <= 5);
    CHECK(llabs(atoll(fields[14]) - now_ns(CLOCK_MONOTONIC)) <= 5000000000ll);
    CHECK_STR(fields[15], "104");
    CHECK_STR(fields[16], "Sun Sep  9 01:46:40 2001");
    CHECK_STR(fields[17], "MIXED");
    snprintf(num, sizeof num, "%u", (unsigned)(uintptr_t)t_str); /* register("eip"), unsigned */
    CHECK_STR(fields[18], num);
    free(str.p);
    struct text rnd = lines_with(&out_text, "rand ");
    CHECK(rnd.p && strlen(rnd.p) == 7 && rnd.p[5] >= '0' && rnd.p[5] <= '9');
    free(rnd.p);
    CHECK_EQ(count_lines(&out_text, "logged\n"), 1);

    /* stderr records: errors with and without a location, warnings once per text */
    CHECK_STR(err_text.p ? err_text.p : "",
              "ERROR: boom near identifier 'error' at t.stp:3:5\n"
              "WARNING: careful\n"
              "WARNING: careful\n"
              "ERROR: user string copy fault -14 at 0x0 [man error::fault]\n");
    CHECK_EQ(hdr->errors, 2);
    CHECK_EQ(hdr->skipped, 0);
    out_text.len = err_text.len = 0;
}

/* ---- phase B: the watchdog ---------------------------------------------------------------- */

static volatile int loop_stop;
static volatile long loop_calls;

static void *loop_main(void *arg) {
    (void)arg;
    while (!loop_stop) {
        t_wd1(1);
        t_wd2(2);
        loop_calls++;
    }
    return NULL;
}

static int wd_restored(void) {
    return bytes_restored(S_WD1, 2) && __atomic_load_n(&hdr->probes_enabled, __ATOMIC_SEQ_CST) == 0;
}

static void phase_b(void) {
    fill_site(S_WD1, (void *)t_wd1, KT_SITE_ENTRY, h_wd1, NULL, 0);
    fill_site(S_WD2, (void *)t_wd2, KT_SITE_RETURN, h_wd2, NULL, 0);
    save_orig(S_WD1, 2);
    CHECK_EQ(ctl.reserve(S_WD1, 2), 0);
    prepare(S_WD1);
    prepare(S_WD2);
    CHECK_EQ(ctl.reg(S_WD1, 100), 0); /* the count is clamped to the table */
    CHECK_EQ(ctl.arm(S_WD1, 2), 0);
    __atomic_store_n(&hdr->probes_enabled, 1, __ATOMIC_SEQ_CST);
    CHECK_EQ(t_wd1(5), 10);
    CHECK_EQ(t_wd2(5), 15);
    drain();
    CHECK_STR(out_text.p ? out_text.p : "", "wd1\nwd2 15\n");
    out_text.len = 0;

    /* a thread keeps running through the sites while the watchdog restores them */
    pthread_t loop;
    REQUIRE(pthread_create(&loop, NULL, loop_main, NULL) == 0);
    while (loop_calls < 1000)
        usleep(100);
    CHECK(have_thread("ktap-agent"));
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    kill(controller, SIGKILL);
    waitpid(controller, NULL, 0);
    controller = -1;
    int restored = wait_until(wd_restored, 1000);
    int64_t took = now_ns(CLOCK_MONOTONIC) - t0;
    CHECK(restored);
    fprintf(stderr, "watchdog: original bytes back %.1f ms after the controller died\n",
            took / 1e6);
    long before = loop_calls;
    while (loop_calls < before + 1000)
        usleep(100);
    loop_stop = 1;
    pthread_join(loop, NULL);
    CHECK(wait_until(watchdog_gone, 1000));
    CHECK_EQ(sites[S_WD1].status, KT_SITE_UNUSED);
    CHECK_EQ(sites[S_WD2].status, KT_SITE_UNUSED);

    drain();
    int wd1 = count_lines(&out_text, "wd1\n"), wd2 = count_lines(&out_text, "wd2 6\n");
    CHECK(wd1 > 0 && wd1 <= loop_calls);
    CHECK(wd2 > 0 && wd2 <= loop_calls);
    CHECK_EQ(count_lines(&out_text, ""), wd1 + wd2);
    out_text.len = 0;
    for (int i = 0; i < 100; i++) {
        t_wd1(1);
        t_wd2(2);
    }
    drain();
    CHECK_EQ(out_text.len + err_text.len, 0);

    /* The session ended with the controller (the agent could be initialised again); the
     * watchdog wrote the final counters into the table. */
    CHECK_EQ(ctl.collect(S_WD1, 2), -1);
    for (int i = S_WD1; i <= S_WD2; i++) {
        const struct kt_stats *s = &sites[i].stats;
        if (ctl.stats_lost(s) != 0 || s->in_flight != 0 || s->entries == 0)
            fail(__FILE__, __LINE__, "site %d: entries %llu lost %lld in_flight %llu", i,
                 (unsigned long long)s->entries, (long long)ctl.stats_lost(s),
                 (unsigned long long)s->in_flight);
    }
}

/* ---- live: the watchdog restores code that threads keep running through ----------------- */

/* Sessions in a row, each ended by the controller's death while three threads call t_lv1
 * (entry probe) and t_lv2 (return probe) as fast as they can: every call must return its
 * result (a thread that meets half-written bytes jumps into garbage and the process dies), and
 * every session must end with the original bytes back. */
static volatile int lv_stop, lv_park;
static int lv_parked[3];
static long lv_calls[3], lv_bad[3];

static int lv_block_all; /* `live blocked`: thread 2 blocks every signal, as service workers do */

static void *lv_main(void *arg) {
    long k = (long)(intptr_t)arg;
    if (k == 2 && lv_block_all) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, NULL);
    }
    for (int i = 0; !lv_stop; i++) {
        if (t_lv1(i) != 2 * i + 1 || t_lv2(i) != 2 * i + 2)
            lv_bad[k]++;
        lv_calls[k]++;
        if (lv_park) { /* arming needs the threads away from the sites, as ktap stops them */
            __atomic_store_n(&lv_parked[k], 1, __ATOMIC_SEQ_CST);
            while (lv_park)
                sched_yield();
            __atomic_store_n(&lv_parked[k], 0, __ATOMIC_SEQ_CST);
        }
    }
    return NULL;
}

static int lv_all_parked(void) {
    return lv_parked[0] && lv_parked[1] && lv_parked[2];
}

static long lv_total(void) {
    return __atomic_load_n(&lv_calls[0], __ATOMIC_RELAXED) +
           __atomic_load_n(&lv_calls[1], __ATOMIC_RELAXED) +
           __atomic_load_n(&lv_calls[2], __ATOMIC_RELAXED);
}

static int lv_ended(void) {
    return bytes_restored(S_WD1, 2) && !have_thread("ktap-agent");
}

static void live(int cycles) {
    pthread_t th[3];
    for (long k = 0; k < 3; k++)
        REQUIRE(pthread_create(&th[k], NULL, lv_main, (void *)(intptr_t)k) == 0);
    int ended = 0;
    for (int c = 0; c < cycles; c++) {
        if (controller <= 0)
            controller = spawn_controller();
        format_arena();
        fill_site(S_WD1, (void *)t_lv1, KT_SITE_ENTRY, h_empty, NULL, 0);
        fill_site(S_WD2, (void *)t_lv2, KT_SITE_RETURN, h_empty, NULL, 0);
        save_orig(S_WD1, 2);
        kt_agent_setup setup;
        memset(&setup, 0, sizeof setup);
        setup.state_fd = state_fd;
        setup.code_fd = code_fd;
        setup.alive_fd = alive_read;
        setup.mem_fd = -1;
        setup.state_bytes = state_bytes;
        setup.code_bytes = 4096;
        setup.target_pid = getpid();
        REQUIRE(ctl.init(&setup) == 0);
        REQUIRE(ctl.reserve(S_WD1, 2) == 0);
        prepare(S_WD1);
        prepare(S_WD2);
        REQUIRE(ctl.reg(S_WD1, 2) == 0);
        lv_park = 1;
        REQUIRE(wait_until(lv_all_parked, 2000));
        REQUIRE(ctl.arm(S_WD1, 2) == 0);
        __atomic_store_n(&hdr->probes_enabled, 1, __ATOMIC_SEQ_CST);
        lv_park = 0;
        long before = lv_total();
        while (lv_total() < before + 3000)
            sched_yield();
        kill(controller, SIGKILL);
        waitpid(controller, NULL, 0);
        controller = -1;
        if (!wait_until(lv_ended, 2000)) {
            fail(__FILE__, __LINE__, "session %d: the original bytes are not back", c);
            break;
        }
        ended++;
    }
    long before = lv_total();
    while (lv_total() < before + 3000)
        sched_yield();
    lv_stop = 1;
    for (int k = 0; k < 3; k++)
        pthread_join(th[k], NULL);
    CHECK_EQ(lv_bad[0] + lv_bad[1] + lv_bad[2], 0);
    CHECK_EQ(ended, cycles);
    /* ktap's SIGTRAP handler is gone again (it is installed only while the watchdog writes, and
     * never when a thread blocks SIGTRAP: the guard is then a jump to itself) */
    uint32_t hits = 0;
    CHECK_EQ(ctl.livepatch_stats(&hits), 0);
    if (lv_block_all)
        CHECK_EQ(hits, 0);
    struct sigaction trap;
    CHECK(sigaction(SIGTRAP, NULL, &trap) == 0 && trap.sa_handler == SIG_DFL);
    fprintf(stderr, "live: %d sessions ended by the controller's death, %ld calls, %u threads "
            "met an int3 guard\n", ended, lv_total(), hits);
}

/* ---- bench (on demand, not a test): ns per call of an empty handler through the shims --- */

static double time_calls(int (*fn)(int), long n) {
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < n; i++)
        fn((int)i);
    return (double)(now_ns(CLOCK_MONOTONIC) - t0) / (double)n;
}

static void bench(void) {
    fill_site(S_WD1, (void *)t_wd1, KT_SITE_ENTRY, h_empty, NULL, 0);
    fill_site(S_WD2, (void *)t_wd2, KT_SITE_RETURN, h_empty, NULL, 0);
    REQUIRE(ctl.reserve(S_WD1, 2) == 0);
    prepare(S_WD1);
    prepare(S_WD2);
    REQUIRE(ctl.reg(S_WD1, 2) == 0);
    long n = 2000000;
    double bare1 = time_calls(t_wd1, n), bare2 = time_calls(t_wd2, n);
    REQUIRE(ctl.arm(S_WD1, 2) == 0);
    double off1 = time_calls(t_wd1, n), off2 = time_calls(t_wd2, n);
    __atomic_store_n(&hdr->probes_enabled, 1, __ATOMIC_SEQ_CST);
    double on1 = time_calls(t_wd1, n), on2 = time_calls(t_wd2, n);
    __atomic_store_n(&hdr->probes_enabled, 0, __ATOMIC_SEQ_CST);
    ctl.disarm(S_WD1, 2);
    printf("%s: bare %.1f / %.1f ns; armed, disabled: entry +%.1f, return +%.1f ns; "
           "enabled, empty handler: entry +%.1f, return +%.1f ns\n",
           sizeof(void *) == 8 ? "x86_64" : "i386", bare1, bare2, off1 - bare1, off2 - bare2,
           on1 - bare1, on2 - bare2);
}

/* ---- detach --------------------------------------------------------------------------------- */

static void detach_only(void) {
    CHECK(have_thread("ktap-agent"));
    CHECK_EQ(ctl.detach(), 0);
    CHECK(wait_until(watchdog_gone, 1000));
    kill(controller, SIGKILL);
    waitpid(controller, NULL, 0);
    controller = -1;
    usleep(200000);
    CHECK_EQ(ctl.detach(), -1); /* the session ended: nothing to detach from */
}

int main(int argc, char **argv) {
    int detach = argc > 1 && strcmp(argv[1], "detach") == 0;
    int live_mode = argc > 1 && strcmp(argv[1], "live") == 0;
    /* live mdwe: code is written through /proc/self/mem (no mapping may gain exec) */
    if (live_mode && argc > 2 && strcmp(argv[2], "mdwe") == 0 &&
        prctl(65 /* PR_SET_MDWE */, 1 /* PR_MDWE_REFUSE_EXEC_GAIN */, 0, 0, 0) != 0) {
        printf("agent_inproc live mdwe: PR_SET_MDWE not supported, skipped\n");
        return 77;
    }
    ssize_t n = readlink("/proc/self/exe", exe_path, sizeof exe_path - 1);
    REQUIRE(n > 0);
    exe_path[n] = 0;
    controller = spawn_controller();
    load_agent();
    make_arena();
    if (!live_mode)
        init_agent();
    if (argc > 1 && strcmp(argv[1], "bench") == 0) {
        bench();
    } else if (live_mode) {
        lv_block_all = argc > 2 && strcmp(argv[2], "blocked") == 0;
        live(argc > 3 ? atoi(argv[3]) : 60);
    } else if (detach) {
        detach_only();
    } else {
        phase_a();
        phase_b();
    }
    if (controller > 0)
        kill(controller, SIGKILL);
    if (failures) {
        fprintf(stderr, "agent_inproc %s: %d check(s) FAILED\n", argc > 1 ? argv[1] : "",
                failures);
        return 1;
    }
    printf("agent_inproc %s (%s): all checks passed\n", argc > 1 ? argv[1] : "",
           sizeof(void *) == 8 ? "x86_64" : "i386");
    return 0;
}
