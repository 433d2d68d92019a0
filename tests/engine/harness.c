#define _GNU_SOURCE
#include "harness.h"

#include <dlfcn.h>
#include <elf.h>
#include <link.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#if defined(__x86_64__)
#include "ktap/prep.h"
#else
#include "prep_wire.h"
#include <signal.h>
#include <sys/wait.h>
#endif

int kth_failures;

void kth_fail(const char *file, int line, const char *expr, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "FAIL %s:%d: %s: ", file, line, expr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    __atomic_fetch_add(&kth_failures, 1, __ATOMIC_RELAXED);
}

int kth_finish(const char *name) {
    if (kth_failures) {
        fprintf(stderr, "%s: %d check(s) FAILED\n", name, kth_failures);
        return 1;
    }
    printf("%s: all checks passed\n", name);
    return 0;
}

static int symbol_of(void *fn, const char **name, uint64_t *size) {
    Dl_info info;
    const ElfW(Sym) *sym = NULL;
    if (!dladdr1(fn, &info, (void **)&sym, RTLD_DL_SYMENT) || !sym || info.dli_saddr != fn)
        return 0;
    *name = info.dli_sname;
    *size = sym->st_size;
    return 1;
}

#if defined(__x86_64__)
static int read_self(void *ctx, uint64_t addr, void *buf, size_t len) {
    (void)ctx;
    memcpy(buf, (void *)(uintptr_t)addr, len);
    return 0;
}

static int prepare_impl(struct kt_prep_request *req, struct kt_patch *out, char *reason,
                        size_t len) {
    struct kt_prep_result res;
    req->read = read_self;
    int ok = kt_prepare(req, &res);
    if (ok)
        *out = res.patch;
    else
        snprintf(reason, len, "%s", res.reason);
    return ok;
}
#else
static int tool_in = -1, tool_out = -1;

static void start_tool(void) {
    int to[2], from[2];
    if (pipe(to) || pipe(from))
        abort();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(to[0], 0);
        dup2(from[1], 1);
        close(to[1]);
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

#endif

#if defined(__x86_64__)
int kth_prepare(void *fn, int return_probe, struct kt_patch *out, char *reason, size_t len) {
    const char *name = NULL;
    uint64_t size = 0;
    if (!symbol_of(fn, &name, &size)) {
        snprintf(reason, len, "no symbol for %p (link with -rdynamic)", fn);
        return 0;
    }
    struct kt_prep_request req;
    memset(&req, 0, sizeof req);
    req.bits = 64;
    req.return_probe = (uint32_t)return_probe;
    req.site = (uintptr_t)fn;
    req.func_size = size;
    req.name = name;
    int err = kt_tramp_reserve((uintptr_t)fn, &req.tramp);
    if (err) {
        snprintf(reason, len, "kt_tramp_reserve: %s", kt_strerror(err));
        return 0;
    }
    return prepare_impl(&req, out, reason, len);
}
#else
int kth_prepare(void *fn, int return_probe, struct kt_patch *out, char *reason, size_t len) {
    const char *name = NULL;
    uint64_t size = 0;
    if (!symbol_of(fn, &name, &size)) {
        snprintf(reason, len, "no symbol for %p (link with -rdynamic)", fn);
        return 0;
    }
    if (tool_in < 0)
        start_tool();
    struct wire_request wq;
    memset(&wq, 0, sizeof wq);
    wq.magic = KT_WIRE_MAGIC;
    wq.bits = 32;
    wq.return_probe = (uint32_t)return_probe;
    wq.name_len = (uint32_t)strlen(name);
    wq.site = (uintptr_t)fn;
    wq.func_size = size;
    struct kt_tramp_info tramp;
    int err = kt_tramp_reserve((uintptr_t)fn, &tramp);
    if (err) {
        snprintf(reason, len, "kt_tramp_reserve: %s", kt_strerror(err));
        return 0;
    }
    memcpy(&wq.tramp, &tramp, sizeof tramp);
    if (wr(tool_in, &wq, sizeof wq) || wr(tool_in, name, wq.name_len))
        goto broken;
    for (;;) {
        struct wire_msg m;
        if (rd(tool_out, &m, sizeof m))
            goto broken;
        if (m.type == KT_WIRE_READ) {
            /* Answer from our own memory; code addresses only. */
            struct wire_reply r = {0, m.value};
            if (wr(tool_in, &r, sizeof r) || wr(tool_in, (const void *)(uintptr_t)m.addr, m.value))
                goto broken;
            continue;
        }
        char why[KT_WIRE_REASON_LEN];
        memset(out, 0, sizeof *out);
        if (rd(tool_out, why, sizeof why) || rd(tool_out, out, KT_WIRE_PATCH_LEN))
            goto broken;
        if (!m.value)
            snprintf(reason, len, "%.*s", (int)sizeof why, why);
        return (int)m.value;
    }
broken:
    snprintf(reason, len, "ktap-rt-prep-tool (%s) failed", KTAP_PREP_TOOL);
    return 0;
}
#endif

static int finish_probe(struct kt_kprobe *kp, void *fn, int err, const char *what) {
    if (err) {
        kth_fail(__FILE__, __LINE__, what, "%s", kt_strerror(err));
        return 0;
    }
    unsigned char before[5];
    memcpy(before, fn, 5);
    err = kt_arm(kp);
    if (err) {
        kth_fail(__FILE__, __LINE__, "kt_arm", "%s", kt_strerror(err));
        return 0;
    }
    CHECK(((unsigned char *)fn)[0] == 0xe9, "armed site must start with jmp rel32");
    return 1;
}

int kth_kprobe(struct kt_kprobe *kp, void *fn, kt_pre_handler_t pre) {
    struct kt_patch patch;
    char why[256];
    if (!kth_prepare(fn, 0, &patch, why, sizeof why)) {
        kth_fail(__FILE__, __LINE__, "kth_prepare", "%s", why);
        return 0;
    }
    memset(kp, 0, sizeof *kp);
    kp->addr = (uintptr_t)fn;
    kp->pre_handler = pre;
    return finish_probe(kp, fn, kt_register_kprobe(kp, &patch), "kt_register_kprobe");
}

int kth_kretprobe(struct kt_kretprobe *rp, void *fn, kt_kretprobe_handler_t handler,
                  kt_kretprobe_handler_t entry_handler, size_t data_size, int maxactive) {
    struct kt_patch patch;
    char why[256];
    if (!kth_prepare(fn, 1, &patch, why, sizeof why)) {
        kth_fail(__FILE__, __LINE__, "kth_prepare", "%s", why);
        return 0;
    }
    memset(rp, 0, sizeof *rp);
    rp->kp.addr = (uintptr_t)fn;
    rp->handler = handler;
    rp->entry_handler = entry_handler;
    rp->data_size = data_size;
    rp->maxactive = maxactive;
    return finish_probe(&rp->kp, fn, kt_register_kretprobe(rp, &patch), "kt_register_kretprobe");
}

void kth_print_stats(const char *what, const struct kt_stats *s) {
    fprintf(stderr,
            "  stats %s: entries=%llu handled=%llu skipped=%llu missed{budget=%llu depth=%llu "
            "reentrant=%llu nothread=%llu} discarded{unwound=%llu thread_exit=%llu fork=%llu "
            "unregister=%llu} in_flight=%llu lost=%lld\n",
            what, (unsigned long long)s->entries, (unsigned long long)s->returns_handled,
            (unsigned long long)s->skipped, (unsigned long long)s->missed_budget,
            (unsigned long long)s->missed_depth, (unsigned long long)s->missed_reentrant,
            (unsigned long long)s->missed_nothread, (unsigned long long)s->discarded_unwound,
            (unsigned long long)s->discarded_thread_exit,
            (unsigned long long)s->discarded_fork_child,
            (unsigned long long)s->discarded_unregister, (unsigned long long)s->in_flight,
            (long long)kt_stats_lost(s));
}

struct kt_stats kth_stats(struct kt_kretprobe *rp) {
    struct kt_stats s;
    memset(&s, 0, sizeof s);
    int err = kt_kretprobe_stats(rp, &s);
    CHECK(err == 0, "kt_kretprobe_stats: %s", kt_strerror(err));
    return s;
}

void kth_check_balanced(struct kt_kretprobe *rp, const char *what) {
    struct kt_stats s = kth_stats(rp);
    if (kt_stats_lost(&s) != 0) {
        kth_fail(__FILE__, __LINE__, "nothing lost", "%s: invariant broken", what);
        kth_print_stats(what, &s);
    }
}

void kth_check_kprobe_balanced(struct kt_kprobe *kp, const char *what) {
    struct kt_stats s;
    memset(&s, 0, sizeof s);
    CHECK(kt_kprobe_stats(kp, &s) == 0, "kt_kprobe_stats");
    if (kt_stats_lost(&s) != 0) {
        kth_fail(__FILE__, __LINE__, "nothing lost", "%s: invariant broken", what);
        kth_print_stats(what, &s);
    }
}

#if defined(__x86_64__)
uintptr_t kth_ret0(const struct kt_regs *r) {
    return r->rax;
}
uintptr_t kth_ret1(const struct kt_regs *r) {
    return r->rdx;
}
uintptr_t kth_arg(const struct kt_regs *r, int i) {
    const uint64_t a[6] = {r->rdi, r->rsi, r->rdx, r->rcx, r->r8, r->r9};
    return (uintptr_t)a[i];
}
#else
uintptr_t kth_ret0(const struct kt_regs *r) {
    return r->eax;
}
uintptr_t kth_ret1(const struct kt_regs *r) {
    return r->edx;
}
uintptr_t kth_arg(const struct kt_regs *r, int i) {
    /* sp is the return-address slot: arguments follow it. */
    return ((const uint32_t *)(uintptr_t)r->sp)[1 + i];
}
#endif
