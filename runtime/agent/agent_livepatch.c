/* Code writes while the target's threads run (docs/agent.md "Restoring code with threads
 * running"). Only the watchdog needs them: after the controller died it puts every armed site's
 * original bytes back with no thread stopped. A 5-byte write that one locked store cannot make
 * (the bytes cross an aligned 8-byte word: every unaligned function, all -O0 code) must never
 * be seen half done by a thread executing the site: the old jump's first byte with new
 * displacement bytes jumps into garbage. The kernel's answer (text_poke_bp) is followed:
 *
 *   1. the first byte becomes int3 (one byte: always one store), every core serialised;
 *   2. the other bytes are written (no thread executes them: a thread at the site stops at the
 *      int3), every core serialised;
 *   3. the first byte is written, every core serialised.
 *
 * A thread that meets the int3 takes SIGTRAP; ktap's handler waits until the write is complete
 * and resumes the thread at the site, now the original instruction. Any other SIGTRAP goes where
 * it would have gone without ktap (agent_signal.h).
 *
 * The int3 needs every thread to take SIGTRAP: a thread blocking it that executes an int3 is
 * killed by the kernel (many services block every signal in their workers). When a thread
 * blocks it (or /proc/self/task cannot be read to know), the guard is a jump to itself (eb fe,
 * two bytes written with one locked store when they lie in one aligned word): a thread at the
 * site spins there until step 3. When even that cannot be done (the site is the last byte of
 * a word), the write is the old one: tail first, first byte last. */
#define _GNU_SOURCE
#include "agent_signal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/membarrier.h>

#define KT_INT3 0xcc
#define KT_SI_KERNEL 0x80 /* si_code of an int3 trap */
#define KT_LP_MAX 16      /* longest write passed here (a 5-byte patch) */

static struct kt_ksigaction lp_old; /* the SIGTRAP action ktap's replaced */
static int32_t lp_installed;        /* ktap's SIGTRAP handler is the installed one */
static int32_t lp_pid;              /* getpid() when the handler was installed */
static uintptr_t lp_addr;           /* the site whose first byte is a guard now, 0: none */
static uint32_t lp_done;            /* bumped when a write completes (futex word) */
static uint8_t lp_bytes[KT_LP_MAX]; /* what is being written at lp_addr */
static uint32_t lp_len;
static long lp_sync_cmd; /* membarrier command that serialises every core running a thread */
static int32_t lp_sync_known;
static uint32_t lp_guard_hits; /* threads resumed by the handler (tests) */
/* Every site written here (a ring as long as the engine has probe records): a thread whose
 * handler runs late, after its site's write completed, is recognised by its address. */
static uintptr_t lp_written[KT_MAX_PROBES];
static uint32_t lp_nwritten, lp_next;

static int was_written(uintptr_t at) {
    uint32_t n = __atomic_load_n(&lp_nwritten, __ATOMIC_ACQUIRE);
    for (uint32_t i = 0; i < n; i++)
        if (__atomic_load_n(&lp_written[i], __ATOMIC_RELAXED) == at)
            return 1;
    return 0;
}

/* ---- serialising every core ---------------------------------------------------------------- */

/* After it returns, no thread of the process still executes instructions fetched before the
 * call. membarrier's SYNC_CORE command says so; the plain expedited one interrupts every core
 * running a thread of the process (an interrupt return serialises on x86); without membarrier,
 * a millisecond's sleep is the best there is. */
static void lp_sync(void) {
    if (!lp_sync_known) {
        if (kt_agent_sys(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0,
                         0) == 0)
            lp_sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE;
        else if (kt_agent_sys(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
            lp_sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED;
        lp_sync_known = 1;
    }
    if (lp_sync_cmd && kt_agent_sys(SYS_membarrier, lp_sync_cmd, 0, 0) == 0)
        return;
    long ts[2] = {0, 1000 * 1000}; /* the kernel's timespec of this ABI */
    kt_agent_sys(SYS_nanosleep, (long)&ts, 0, 0);
}

/* ---- the SIGTRAP handler --------------------------------------------------------------------- */

/* A fork child made while a guard was in place: its copy of the code keeps the guard and nobody
 * completes the write there, so the thread that met it does (the same bytes as the parent's;
 * harmless too in a vfork child, which shares the parent's memory). */
static void finish_in_child(uintptr_t at) {
    uint32_t n = __atomic_load_n(&lp_len, __ATOMIC_ACQUIRE);
    if (n > 1)
        kt_write_code_now(at + 1, lp_bytes + 1, n - 1);
    kt_write_code_now(at, lp_bytes, 1);
}

static void trap_handler(int sig, siginfo_t *info, void *ucv) {
    ucontext_t *uc = (ucontext_t *)ucv;
    uintptr_t at = (uintptr_t)KT_UC_IP(uc) - 1;
    if (info && info->si_code == KT_SI_KERNEL) {
        if (__atomic_load_n(&lp_addr, __ATOMIC_ACQUIRE) == at) {
            if (kt_agent_sys(SYS_getpid, 0, 0, 0) != lp_pid) {
                finish_in_child(at);
            } else {
                for (;;) {
                    uint32_t done = __atomic_load_n(&lp_done, __ATOMIC_ACQUIRE);
                    if (__atomic_load_n(&lp_addr, __ATOMIC_ACQUIRE) != at)
                        break;
                    long ts[2] = {0, 1000 * 1000};
                    kt_agent_sys4(SYS_futex, (long)&lp_done, FUTEX_WAIT_PRIVATE, done, (long)&ts);
                }
            }
        }
        /* The int3 the thread met was ktap's guard, and it is gone now (a program's own int3
         * stays): run the instruction now there. */
        if (*(volatile const uint8_t *)at != KT_INT3 && was_written(at)) {
            KT_UC_IP(uc) = (greg_t)at;
            __atomic_add_fetch(&lp_guard_hits, 1, __ATOMIC_RELAXED);
            return;
        }
    }
    kt_signal_forward(sig, &lp_old, info, ucv, 0, 0);
}

/* ---- whether every thread takes SIGTRAP ---------------------------------------------------- */

static int parse_hex64(const char *p, uint64_t *out) {
    uint64_t v = 0;
    int n = 0;
    for (; n < 16; n++, p++) {
        int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10 : -1;
        if (d < 0)
            break;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return n == 16;
}

/* In /proc/self/task/TID/status: whether FIELD ("SigBlk:", "SigPnd:", "ShdPnd:") has BIT.
 * 1 yes, 0 no, -1 cannot tell; a thread that is gone counts as no. */
static int status_has(const char *tid, const char *field, uint64_t bit) {
    char path[64] = "/proc/self/task/";
    size_t n = 16;
    for (const char *p = tid; *p && n < sizeof path - 8; p++)
        path[n++] = *p;
    const char *tail = "/status";
    while (*tail)
        path[n++] = *tail++;
    path[n] = 0;
    long fd = kt_agent_sys4(SYS_openat, AT_FDCWD, (long)path, O_RDONLY | O_CLOEXEC, 0);
    if (fd == -ENOENT || fd == -ESRCH)
        return 0;
    if (fd < 0)
        return -1;
    char buf[4096];
    long got = 0, r;
    while (got < (long)sizeof buf - 1 &&
           (r = kt_agent_sys(SYS_read, fd, (long)(buf + got), (long)(sizeof buf - 1 - got))) > 0)
        got += r;
    kt_agent_sys(SYS_close, fd, 0, 0);
    buf[got] = 0;
    size_t flen = 0;
    while (field[flen])
        flen++;
    for (char *line = buf; *line;) {
        size_t i = 0;
        while (i < flen && line[i] == field[i])
            i++;
        if (i == flen) {
            char *v = line + flen;
            while (*v == '\t' || *v == ' ')
                v++;
            uint64_t mask;
            return parse_hex64(v, &mask) ? (mask & bit) != 0 : -1;
        }
        while (*line && *line != '\n')
            line++;
        if (*line)
            line++;
    }
    return got > 0 ? -1 : 0; /* an empty read: the thread exited meanwhile */
}

/* Whether some thread other than the caller has BIT in FIELD: 1 yes, 0 no, -1 cannot tell. */
static int any_thread_has(const char *field, uint64_t bit) {
    long dfd = kt_agent_sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/task",
                             O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    if (dfd < 0)
        return -1;
    long self = kt_agent_sys(SYS_gettid, 0, 0, 0);
    int answer = 0;
    char buf[2048];
    for (;;) {
        long n = kt_agent_sys(SYS_getdents64, dfd, (long)buf, sizeof buf);
        if (n <= 0) {
            if (n < 0)
                answer = -1;
            break;
        }
        for (long off = 0; off < n;) {
            /* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
            unsigned short reclen;
            __builtin_memcpy(&reclen, buf + off + 16, sizeof reclen);
            const char *name = buf + off + 19;
            off += reclen;
            if (name[0] < '0' || name[0] > '9')
                continue;
            long tid = 0;
            for (const char *p = name; *p >= '0' && *p <= '9'; p++)
                tid = tid * 10 + (*p - '0');
            if (tid == self)
                continue;
            int has = status_has(name, field, bit);
            if (has != 0) {
                answer = has;
                break;
            }
        }
        if (answer)
            break;
    }
    kt_agent_sys(SYS_close, dfd, 0, 0);
    return answer;
}

/* ---- the write ----------------------------------------------------------------------------- */

static void lp_publish_done(void) {
    __atomic_store_n(&lp_addr, 0, __ATOMIC_RELEASE);
    __atomic_add_fetch(&lp_done, 1, __ATOMIC_RELEASE);
    kt_agent_sys4(SYS_futex, (long)&lp_done, FUTEX_WAKE_PRIVATE, 0x7fffffff, 0);
}

static int live_write(uintptr_t addr, const void *bytes, size_t len) {
    const uint8_t *src = bytes;
    uint8_t guard[2] = {KT_INT3, 0}, before[2];
    size_t g = 1;
    if (!__atomic_load_n(&lp_installed, __ATOMIC_ACQUIRE)) {
        if ((addr & 7) == 7) /* the two guard bytes would cross a word: no safe order */
            return kt_write_code_now(addr, bytes, len);
        guard[0] = 0xeb; /* jmp . */
        guard[1] = 0xfe;
        g = 2;
    }
    if (len <= g || len > KT_LP_MAX)
        return kt_write_code_now(addr, bytes, len);
    /* one writer (the watchdog): a plain ring */
    __atomic_store_n(&lp_written[lp_next], addr, __ATOMIC_RELEASE);
    lp_next = (lp_next + 1) % KT_MAX_PROBES;
    if (lp_nwritten < KT_MAX_PROBES)
        __atomic_store_n(&lp_nwritten, lp_nwritten + 1, __ATOMIC_RELEASE);
    __builtin_memcpy(before, (const void *)addr, g);
    __builtin_memcpy(lp_bytes, src, len);
    __atomic_store_n(&lp_len, (uint32_t)len, __ATOMIC_RELEASE);
    __atomic_store_n(&lp_addr, addr, __ATOMIC_RELEASE);
    int err = kt_write_code_now(addr, guard, g);
    if (err) {
        lp_publish_done();
        return err;
    }
    lp_sync();
    err = kt_write_code_now(addr + g, src + g, len - g);
    lp_sync();
    /* On failure the tail is as it was: the first bytes go back too. */
    int err2 = kt_write_code_now(addr, err ? before : src, g);
    lp_sync();
    lp_publish_done();
    return err ? err : err2;
}

/* ---- begin / end (the watchdog, under the agent's lock) ------------------------------------ */

static int is_ours(const struct kt_ksigaction *a) {
    return a->handler == (uintptr_t)trap_handler;
}

void kt_livepatch_begin(void) {
    if (!__atomic_load_n(&lp_installed, __ATOMIC_ACQUIRE) &&
        any_thread_has("SigBlk:", KT_SIGBIT(SIGTRAP)) == 0) {
        struct kt_ksigaction cur, prev;
        if (kt_ksigaction(SIGTRAP, 0, &cur) == 0) {
            struct kt_ksigaction act = kt_signal_action(trap_handler, &cur);
            lp_pid = (int32_t)kt_agent_sys(SYS_getpid, 0, 0, 0);
            if (kt_ksigaction(SIGTRAP, &act, &prev) == 0) {
                if (!is_ours(&prev))
                    lp_old = prev; /* what was really replaced */
                __atomic_store_n(&lp_installed, 1, __ATOMIC_RELEASE);
            }
        }
    }
    __atomic_store_n(&kt_code_live_writer, live_write, __ATOMIC_RELEASE);
}

/* The application's SIGTRAP action back, once no thread still has a SIGTRAP of a guard pending
 * (it would meet the application's action instead of ktap's). When that cannot be known within
 * 100 ms, ktap's handler stays: it forwards every other SIGTRAP where it would have gone. */
void kt_livepatch_end(void) {
    __atomic_store_n(&kt_code_live_writer, NULL, __ATOMIC_RELEASE);
    if (!__atomic_load_n(&lp_installed, __ATOMIC_ACQUIRE))
        return;
    int pending = 1;
    for (int i = 0; i < 100 && pending; i++) {
        pending = any_thread_has("SigPnd:", KT_SIGBIT(SIGTRAP)) != 0 ||
                  any_thread_has("ShdPnd:", KT_SIGBIT(SIGTRAP)) != 0;
        if (pending) {
            long ts[2] = {0, 1000 * 1000};
            kt_agent_sys(SYS_nanosleep, (long)&ts, 0, 0);
        }
    }
    if (pending)
        return;
    struct kt_ksigaction cur, prev;
    if (kt_ksigaction(SIGTRAP, 0, &cur) != 0)
        return;
    if (is_ours(&cur) && kt_ksigaction(SIGTRAP, &lp_old, &prev) == 0 && !is_ours(&prev))
        kt_ksigaction(SIGTRAP, &prev, 0); /* the application installed its own just now */
    __atomic_store_n(&lp_installed, 0, __ATOMIC_RELEASE);
}

/* For the tests: threads the SIGTRAP handler resumed, and whether it is installed. */
KT_AGENT_API int32_t ktap_agent_livepatch_stats(uint32_t *guard_hits) {
    if (guard_hits)
        *guard_hits = __atomic_load_n(&lp_guard_hits, __ATOMIC_RELAXED);
    return __atomic_load_n(&lp_installed, __ATOMIC_ACQUIRE);
}
