/* The agent's control interface (ktap/agent.h) and its watchdog. The controller calls these
 * with ptrace remote calls while the other target threads are stopped, so they take no lock a
 * stopped thread could hold except the engine's registration lock and the agent's own (both
 * only taken here and by the watchdog), allocate with mmap, never malloc. See docs/agent.md. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434 /* same number on x86_64 and i386 */
#endif

struct kt_agent kt_agent;

/* Serialises the control calls and the watchdog's cleanup. */
/* A flag, not a pthread mutex: the watchdog takes it every 100 ms and libc's mutex functions
 * may be probed by the script (the agent's own activity would show up as hits). */
static int agent_lock_word;

static int agent_trylock(void) {
    int expected = 0;
    return __atomic_compare_exchange_n(&agent_lock_word, &expected, 1, 0, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static void agent_lock(void) {
    while (!agent_trylock())
        kt_agent_sys(SYS_sched_yield, 0, 0, 0);
}

static void agent_unlock(void) {
    __atomic_store_n(&agent_lock_word, 0, __ATOMIC_RELEASE);
}

int kt_agent_trylock(void) {
    return agent_trylock();
}

void kt_agent_unlock(void) {
    agent_unlock();
}

_Static_assert(sizeof(struct kt_kretprobe) <= sizeof(((kt_site *)0)->probe_storage),
               "kt_kretprobe must fit in kt_site.probe_storage");
_Static_assert(sizeof(struct kt_kprobe) <= sizeof(((kt_site *)0)->probe_storage),
               "kt_kprobe must fit in kt_site.probe_storage");
_Static_assert(_Alignof(struct kt_kretprobe) <= 8, "probe_storage is 8-byte aligned");
_Static_assert(sizeof(struct kt_patch) <= sizeof(((kt_site *)0)->patch_space_),
               "kt_patch must fit in kt_site.patch");

/* ---- per-site private state -------------------------------------------------------------- */

/* Grows the private state array to the arena's site count (mmap: no malloc in remote calls). */
static int site_state_fit(uint32_t n) {
    if (n <= kt_agent.site_cap)
        return 0;
    size_t bytes = ((size_t)n + 4095) & ~(size_t)4095;
    uint8_t *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return -1;
    if (kt_agent.site_state) {
        memcpy(p, kt_agent.site_state, kt_agent.site_cap);
        munmap(kt_agent.site_state, ((size_t)kt_agent.site_cap + 4095) & ~(size_t)4095);
    }
    kt_agent.site_state = p;
    kt_agent.site_cap = (uint32_t)bytes;
    return 0;
}

/* Clamps [first, first + count) to the site table; -1 when the agent cannot act, KT_AGENT_BUSY
 * when the watchdog holds the lock (it may be stopped by ptrace right now: waiting would never
 * end; the controller lets the target run a moment and calls again). */
static int32_t begin_step(uint32_t *first, uint32_t *count) {
    if (!__atomic_load_n(&kt_agent.initialized, __ATOMIC_ACQUIRE))
        return -1;
    if (!agent_trylock())
        return KT_AGENT_BUSY;
    uint32_t n = kt_agent.hdr->nsites;
    if (n && (!kt_agent.hdr->sites_off ||
              kt_agent.hdr->sites_off + (uint64_t)n * sizeof(kt_site) > kt_agent.arena_bytes ||
              kt_agent.hdr->sites_off % 8)) {
        agent_unlock();
        return -1;
    }
    if (site_state_fit(n) != 0) {
        agent_unlock();
        return -1;
    }
    if (*first >= n)
        *count = 0;
    else if (*count > n - *first)
        *count = n - *first;
    return 0;
}

static void end_step(void) {
    agent_unlock();
}

static struct kt_kprobe *kprobe_of(kt_site *s) {
    return (struct kt_kprobe *)(void *)s->probe_storage;
}
static struct kt_kretprobe *kretprobe_of(kt_site *s) {
    return (struct kt_kretprobe *)(void *)s->probe_storage;
}

/* A site whose step failed keeps its (negative) status; later cleanup steps do not hide it. */
static void set_status(kt_site *s, int32_t status) {
    if (s->status >= 0 || status < 0)
        s->status = status;
}

/* Sites of one address form a chain (agent.h): steps act on the head only. */
static int is_head(const kt_site *s, uint32_t i) {
    return s->chain_head == (int32_t)i;
}

/* The other sites of a chain show their head's status (and, after collect, its counters). */
static void sync_chain(kt_site *sites, kt_site *head, int with_stats) {
    uint32_t n = kt_agent.hdr->nsites;
    for (int32_t j = head->chain_next; j >= 0 && (uint32_t)j < n; j = sites[j].chain_next) {
        sites[j].status = head->status;
        if (with_stats)
            sites[j].stats = head->stats;
    }
}

/* Records the outcome of a step on a head: its status (the engine error, or ok_status) for the
 * whole chain. Returns 1 when the step failed. */
static int settle(kt_site *sites, kt_site *s, int err, int32_t ok_status) {
    s->status = err ? err : ok_status;
    sync_chain(sites, s, 0);
    return err != 0;
}

/* ---- control calls ------------------------------------------------------------------------- */

/* A slot per head site. A site the controller gave a window (pun_hi set, a second call) gets a
 * slot that starts in [pun_lo, pun_hi] instead of the one the first call gave: its jump must
 * keep its last bytes (kt_prep_pun_window). */
int32_t ktap_agent_reserve(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    int32_t failed = 0;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++) {
        kt_site *s = &sites[i];
        uint8_t *st = &kt_agent.site_state[i];
        if (!is_head(s, i) || s->status < 0 || (*st & KT_AS_REGISTERED))
            continue;
        int err;
        if (s->pun_hi && (*st & KT_AS_RESERVED))
            err = kt_tramp_reserve_in((uintptr_t)s->addr, (uintptr_t)s->pun_lo,
                                      (uintptr_t)s->pun_hi, &s->tramp);
        else if (!(*st & KT_AS_RESERVED))
            err = s->addr ? kt_tramp_reserve((uintptr_t)s->addr, &s->tramp) : KT_EINVAL;
        else
            continue;
        if (settle(sites, s, err, KT_OK)) {
            failed++;
            continue;
        }
        *st |= KT_AS_RESERVED;
    }
    end_step();
    return failed;
}

int32_t ktap_agent_register(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    int32_t failed = 0;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++) {
        kt_site *s = &sites[i];
        uint8_t *st = &kt_agent.site_state[i];
        if (!is_head(s, i) || s->status < 0 || !(*st & KT_AS_RESERVED) ||
            (*st & KT_AS_REGISTERED))
            continue;
        int err;
        memset(s->probe_storage, 0, sizeof s->probe_storage);
        if (s->group_kind == KT_SITE_ENTRY) {
            struct kt_kprobe *kp = kprobe_of(s);
            kp->addr = (uintptr_t)s->addr;
            kp->pre_handler = kt_agent_pre;
            kp->user = s;
            kp->flags = s->flags;
            err = kt_register_kprobe(kp, &s->patch);
        } else if (s->group_kind == KT_SITE_RETURN) {
            struct kt_kretprobe *rp = kretprobe_of(s);
            rp->kp.addr = (uintptr_t)s->addr;
            rp->kp.user = s;
            rp->kp.flags = s->flags;
            rp->handler = kt_agent_return;
            rp->entry_handler = kt_agent_entry; /* also skips instances while disabled */
            rp->data_size = s->group_data_size;
            rp->maxactive = s->group_maxactive;
            err = kt_register_kretprobe(rp, &s->patch);
        } else {
            err = KT_EINVAL;
        }
        if (settle(sites, s, err, KT_SITE_REGISTERED)) {
            failed++;
            continue;
        }
        *st = (uint8_t)((*st & ~KT_AS_RESERVED) | KT_AS_REGISTERED | KT_AS_EVER |
                        (s->group_kind == KT_SITE_RETURN ? KT_AS_RETURN : 0));
    }
    end_step();
    return failed;
}

int32_t ktap_agent_arm(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    int32_t failed = 0;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++) {
        kt_site *s = &sites[i];
        uint8_t *st = &kt_agent.site_state[i];
        if (!is_head(s, i) || s->status < 0 || !(*st & KT_AS_REGISTERED) ||
            (*st & KT_AS_ARMED))
            continue;
        int err = kt_arm(kprobe_of(s));
        if (settle(sites, s, err, KT_SITE_ARMED)) {
            failed++;
            continue;
        }
        *st |= KT_AS_ARMED;
    }
    end_step();
    return failed;
}

static int disarm_site(kt_site *s, uint8_t *st) {
    int err = kt_disarm(kprobe_of(s));
    *st &= (uint8_t)~KT_AS_ARMED;
    set_status(s, err ? err : KT_SITE_REGISTERED);
    sync_chain(kt_agent_sites(), s, 0);
    return err;
}

static void unregister_site(kt_site *s, uint8_t *st) {
    if (*st & KT_AS_RETURN)
        kt_unregister_kretprobe(kretprobe_of(s));
    else
        kt_unregister_kprobe(kprobe_of(s));
    *st &= (uint8_t)~(KT_AS_REGISTERED | KT_AS_ARMED);
    set_status(s, KT_SITE_UNUSED);
    sync_chain(kt_agent_sites(), s, 0);
}

int32_t ktap_agent_disarm(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    int32_t failed = 0;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++)
        if (kt_agent.site_state[i] & KT_AS_ARMED)
            failed += disarm_site(&sites[i], &kt_agent.site_state[i]) != 0;
    end_step();
    return failed;
}

int32_t ktap_agent_unregister(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++)
        if (kt_agent.site_state[i] & KT_AS_REGISTERED)
            unregister_site(&sites[i], &kt_agent.site_state[i]);
    end_step();
    return 0;
}

static int32_t collect_locked(uint32_t first, uint32_t count);

int32_t ktap_agent_collect(uint32_t first, uint32_t count) {
    int32_t busy = begin_step(&first, &count);
    if (busy != 0)
        return busy;
    int32_t failed = collect_locked(first, count);
    end_step();
    return failed;
}

/* The counters are also refreshed by the watchdog every 100 ms and when the process exits
 * normally, so that the controller has them when the target is gone before it could ask. */
static void refresh_counters(void) {
    uint32_t first = 0, count = UINT32_MAX;
    if (begin_step(&first, &count) != 0)
        return;
    collect_locked(first, count);
    end_step();
}

static int32_t collect_locked(uint32_t first, uint32_t count) {
    int32_t failed = 0;
    kt_site *sites = kt_agent_sites();
    for (uint32_t i = first; i < first + count; i++) {
        kt_site *s = &sites[i];
        uint8_t st = kt_agent.site_state[i];
        if (!(st & KT_AS_EVER))
            continue;
        struct kt_stats stats;
        int err = (st & KT_AS_RETURN) ? kt_kretprobe_stats(kretprobe_of(s), &stats)
                                      : kt_kprobe_stats(kprobe_of(s), &stats);
        if (err) {
            set_status(s, err);
            failed++;
            continue;
        }
        s->stats = stats;
        sync_chain(sites, s, 1);
    }
    return failed;
}

/* ---- watchdog -------------------------------------------------------------------------------- */

static int any_in_flight(const kt_site *sites, uint32_t n) {
    for (uint32_t i = 0; i < n; i++)
        if ((kt_agent.site_state[i] & KT_AS_EVER) && sites[i].stats.in_flight != 0)
            return 1;
    return 0;
}

static void thread_exit_hook(struct kt_thread *t);

/* The end of a session, on the watchdog thread with the target's threads running: after the
 * controller detached (it disarmed already) or died. Stops every handler, restores every site,
 * unregisters the probes (the engine waits for running handlers; in-flight return instances
 * then return without calling us), and unmaps the session's arenas so that a later ktap can
 * attach again (an i386 process could not afford to keep each session's mappings). Threads are
 * running: the engine restores a 5-byte patch that lies in one aligned 8-byte word with one
 * atomic store (kt_write_code), so a thread racing through the site sees old or new bytes. */
static void end_session(void) {
    __atomic_store_n(&kt_agent.hdr->probes_enabled, 0, __ATOMIC_SEQ_CST);
    agent_lock();
    kt_sample_stop(1); /* timers gone, handlers under way finished: the arena may go */
    uint32_t n = kt_agent.hdr->nsites;
    if (n > kt_agent.site_cap)
        n = kt_agent.site_cap;
    if (n && kt_agent.hdr->sites_off) {
        kt_site *sites = kt_agent_sites();
        /* Sites still armed: the controller died (it disarms with every thread stopped). The
         * threads run: the original bytes go back the way that is safe then. */
        uint32_t armed = 0;
        for (uint32_t i = 0; i < n; i++)
            armed += (kt_agent.site_state[i] & KT_AS_ARMED) != 0;
        if (armed)
            kt_livepatch_begin();
        for (uint32_t i = 0; i < n; i++)
            if (kt_agent.site_state[i] & KT_AS_ARMED)
                disarm_site(&sites[i], &kt_agent.site_state[i]);
        if (armed)
            kt_livepatch_end();
        for (uint32_t i = 0; i < n; i++)
            if (kt_agent.site_state[i] & KT_AS_REGISTERED)
                unregister_site(&sites[i], &kt_agent.site_state[i]);
        /* Final counters, for a controller that reads them after the target exited or for
         * tests (the probe records outlive unregistration). A return instance still in flight
         * comes back through its stub (counted as discarded_unregister) as soon as its function
         * returns: give such returns up to ~20 ms to land, so that the counters balance. */
        for (int tries = 0;; tries++) {
            collect_locked(0, n);
            if (tries == 20 || !any_in_flight(sites, n))
                break;
            long ms[2] = {0, 1000 * 1000}; /* the kernel's timespec of this ABI */
            kt_agent_sys(SYS_nanosleep, (long)ms, 0, 0);
        }
    }
    /* No handler runs any more (unregistered): the application's SIGSEGV/SIGBUS actions back */
    kt_fault_restore();
    /* Every patch is undone: the controller's /proc/PID/mem descriptor goes (a later session
     * brings its own). */
    int mem_fd = __atomic_exchange_n(&kt_code_mem_fd, -1, __ATOMIC_ACQ_REL);
    if (mem_fd >= 0)
        kt_agent_sys(SYS_close, mem_fd, 0, 0);
    __atomic_store_n(&kt_agent.controller_gone, 1, __ATOMIC_RELEASE);
    /* No handler of this session runs any more; a thread exiting right now may still be in the
     * exit hook (it releases its arena slot): give it time before the arena goes. */
    __atomic_store_n(&kt_thread_exit_hook, NULL, __ATOMIC_RELEASE);
    long pause[2] = {0, 20 * 1000 * 1000}; /* the kernel's timespec of this ABI */
    kt_agent_sys(SYS_nanosleep, (long)pause, 0, 0);
    munmap(kt_agent.threads,
           ((size_t)kt_agent.nthreads * sizeof(struct kt_agent_thread) + 4095) & ~(size_t)4095);
    munmap(kt_agent.code, (size_t)kt_agent.code_bytes);
    munmap(kt_agent.arena, (size_t)kt_agent.arena_bytes);
    kt_agent.threads = NULL;
    kt_agent.code = NULL;
    kt_agent.arena = NULL;
    kt_agent.hdr = NULL;
    if (kt_agent.site_state)
        memset(kt_agent.site_state, 0, kt_agent.site_cap);
    __atomic_store_n(&kt_agent.initialized, 0, __ATOMIC_RELEASE);
    agent_unlock();
}

/* Waits with raw system calls only (a script may probe poll or kill). */
static void *watchdog_main(void *arg) {
    (void)arg;
    kt_agent_sys(SYS_prctl, PR_SET_NAME, (long)"ktap-agent", 0);
    __atomic_store_n(&kt_agent.watchdog_tid, (int32_t)kt_agent_sys(SYS_gettid, 0, 0, 0),
                     __ATOMIC_RELEASE);
    long pid = (long)kt_agent.controller_pid;
    /* The liveness pipe hangs up when the controller's write end closes (its death, in any PID
     * namespace); without one (in-process tests) a pidfd of the controller becomes readable. */
    long pidfd = kt_agent.alive_fd >= 0 ? kt_agent.alive_fd : kt_agent_sys(SYS_pidfd_open, pid, 0, 0);
    for (;;) {
        if (__atomic_load_n(&kt_agent.stop, __ATOMIC_ACQUIRE))
            break;
        long dead = 0;
        if (pidfd >= 0) {
            struct pollfd p = {(int)pidfd, POLLIN, 0};
            /* 10 ms while sampling: new threads get their timers soon */
            long r = kt_agent_sys(SYS_poll, (long)&p, 1, kt_sample_running() ? 10 : 100);
            dead = r > 0 && (p.revents & (POLLIN | POLLHUP | POLLERR));
        } else {
            dead = kt_agent_sys(SYS_kill, pid, 0, 0) == -ESRCH;
            if (!dead)
                kt_agent_sys(SYS_poll, 0, 0, 100); /* sleep 100 ms */
        }
        if (dead || __atomic_load_n(&kt_agent.stop, __ATOMIC_ACQUIRE))
            break;
        kt_fault_check(); /* fast reads only while ktap's SIGSEGV/SIGBUS handler is installed */
        if (kt_sample_running() && agent_trylock()) { /* not while a control call runs */
            kt_sample_poll();
            agent_unlock();
        }
        refresh_counters();
#ifdef KT_FREESTANDING
        kt_thread_reap((int)kt_agent_sys(SYS_getpid, 0, 0, 0)); /* no exit destructors here */
#endif
    }
    if (pidfd >= 0)
        kt_agent_sys(SYS_close, pidfd, 0, 0);
    kt_agent.alive_fd = -1;
    end_session();
    __atomic_store_n(&kt_agent.watchdog_running, 0, __ATOMIC_RELEASE);
    return NULL;
}

static int start_watchdog(void) {
    pthread_attr_t attr;
    pthread_t th;
    sigset_t all, old;
    if (pthread_attr_init(&attr) != 0)
        return -ENOMEM;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old); /* inherited: no signal is delivered to it */
    __atomic_store_n(&kt_agent.watchdog_running, 1, __ATOMIC_RELEASE);
    int err = pthread_create(&th, &attr, watchdog_main, NULL);
    /* Its tid at once (the kernel wrote it at clone; the thread may not have run yet): the
     * sampling timers must leave it out. The CPU clock id encodes it: ~tid << 3 | 6. */
    clockid_t clk;
    if (!err && pthread_getcpuclockid(th, &clk) == 0)
        __atomic_store_n(&kt_agent.watchdog_tid, (int32_t) ~(clk >> 3), __ATOMIC_RELEASE);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
    if (err) {
        __atomic_store_n(&kt_agent.watchdog_running, 0, __ATOMIC_RELEASE);
        return -err;
    }
    return 0;
}

/* Sampling probes (agent_sample.c): timers on every thread, and off again. */
int32_t ktap_agent_sample_start(void) {
    if (!__atomic_load_n(&kt_agent.initialized, __ATOMIC_ACQUIRE))
        return -1;
    if (!agent_trylock())
        return KT_AGENT_BUSY; /* the watchdog is polling threads: run a moment, call again */
    int32_t r = kt_sample_start();
    agent_unlock();
    return r;
}

int32_t ktap_agent_sample_stop(void) {
    if (!__atomic_load_n(&kt_agent.initialized, __ATOMIC_ACQUIRE))
        return -1;
    if (!agent_trylock())
        return KT_AGENT_BUSY;
    kt_sample_stop(0);
    agent_unlock();
    return 0;
}

int32_t ktap_agent_detach(void) {
    if (!__atomic_load_n(&kt_agent.initialized, __ATOMIC_ACQUIRE))
        return -1;
    /* No join: the watchdog may be stopped by ptrace right now; within 100 ms of running again
     * it ends the session (end_session) and the agent can be initialised again. */
    __atomic_store_n(&kt_agent.stop, 1, __ATOMIC_RELEASE);
    return 0;
}

void ktap_agent_main_hook(kt_ctx *ctx) {
    (void)ctx;
#ifdef KT_FREESTANDING
    kt_unwind_register_late();
#endif
}

void ktap_agent_exit_hook(kt_ctx *ctx) {
    (void)ctx;
    /* The watchdog may be refreshing them this instant: wait for its lock a little. */
    for (int i = 0; i < 1000; i++) {
        uint32_t first = 0, count = UINT32_MAX;
        int32_t r = begin_step(&first, &count);
        if (r == 0) {
            collect_locked(first, count);
            end_step();
            return;
        }
        if (r != KT_AGENT_BUSY)
            return;
        kt_agent_sys(SYS_sched_yield, 0, 0, 0);
    }
}

/* ---- dlopen hook ------------------------------------------------------------------------- */

void ktap_agent_dlopen_return(kt_ctx *ctx) {
    kt_arena_header *h = (kt_arena_header *)ctx->arena;
    __atomic_store_n(&h->dlopen_pending, 1, __ATOMIC_SEQ_CST);
    /* Shared futex on the memfd page: the controller wakes it from its own mapping. */
    for (int i = 0; i < 100 && __atomic_load_n(&h->dlopen_pending, __ATOMIC_ACQUIRE); i++) {
        long ts[2] = {0, 10 * 1000 * 1000};
        kt_agent_sys4(SYS_futex, (long)&h->dlopen_pending, 0 /* FUTEX_WAIT */, 1, (long)ts);
    }
}

/* ---- init -------------------------------------------------------------------------------- */

static void thread_exit_hook(struct kt_thread *t) {
    if (t->tid > 0)
        kt_slot_release(kt_agent.arena, t->tid);
}

static void fork_child(void) {
    kt_agent_host_fork_child();
    kt_fault_fork_child(); /* no watchdog here to notice a handler change: no fast reads */
    /* Threads do not survive fork: no watchdog here. The child shares the arena (and keeps the
     * inherited patches) until it execs; see docs/agent.md. */
    __atomic_store_n(&kt_agent.watchdog_running, 0, __ATOMIC_RELAXED);
}

/* Maps a memfd the controller passed by number; the descriptor stays open (the controller
 * closes the target's copy once init has answered). */
static void *map_fd(int fd, int rw, uint64_t *bytes) {
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        errno = fd < 0 ? EBADF : errno;
        return NULL;
    }
    if (!*bytes)
        *bytes = (uint64_t)sb.st_size;
    void *p = MAP_FAILED;
    errno = EINVAL; /* empty, or larger than the file: a touch past its end would be SIGBUS */
    if (*bytes && *bytes <= (uint64_t)sb.st_size && *bytes <= (uint64_t)SIZE_MAX)
        p = mmap(NULL, (size_t)*bytes, rw ? PROT_READ | PROT_WRITE : PROT_READ | PROT_EXEC,
                 MAP_SHARED, fd, 0);
    return p == MAP_FAILED ? NULL : p;
}

static int32_t init_fail(kt_agent_setup *setup, int err) {
    setup->error = err;
    return -1;
}

static int32_t init_locked(kt_agent_setup *setup) {
    /* The previous session's watchdog has not finished (it needs the threads running): the
     * controller lets the target run a moment and asks again. */
    if (__atomic_load_n(&kt_agent.initialized, __ATOMIC_ACQUIRE) ||
        __atomic_load_n(&kt_agent.watchdog_running, __ATOMIC_ACQUIRE))
        return init_fail(setup, -EAGAIN);
    if (setup->alive_fd < 0 && setup->controller_pid <= 0)
        return init_fail(setup, -EINVAL);

    uint64_t state_bytes = setup->state_bytes, code_bytes = setup->code_bytes;
    uint8_t *arena = map_fd(setup->state_fd, 1, &state_bytes);
    if (!arena)
        return init_fail(setup, -(errno ? errno : EINVAL));
    kt_arena_header *hdr = (kt_arena_header *)arena;
    if (state_bytes < sizeof *hdr || kt_ld64(&hdr->magic) != KT_ARENA_MAGIC ||
        hdr->size > state_bytes) {
        munmap(arena, (size_t)state_bytes);
        return init_fail(setup, -EINVAL);
    }
    uint8_t *code = map_fd(setup->code_fd, 0, &code_bytes);
    if (!code) {
        int err = -(errno ? errno : EINVAL);
        munmap(arena, (size_t)state_bytes);
        return init_fail(setup, err);
    }
#ifdef KT_FREESTANDING
    /* What a libc would have told: the vDSO, how to read the thread pointer, the unwinder. */
    kt_nolibc_vdso_base = (uintptr_t)setup->vdso_base;
    kt_tp_fsgsbase = (setup->flags & KT_SETUP_FSGSBASE) != 0;
    kt_unwind_register_frame_fn = (uintptr_t)setup->register_frame;
    kt_unwind_find_fde_fn = (uintptr_t)setup->find_fde;
    kt_unwind_deferred = (setup->flags & KT_SETUP_UNWIND_AT_MAIN) != 0;
    __atomic_store_n(&kt_fork_child_hook, fork_child, __ATOMIC_RELEASE);
#endif
    if (setup->flags & KT_SETUP_GO)
        kt_go_mode = 1; /* a process stays Go: the engine's state outlives sessions */
    if (kt_init(NULL) != KT_OK) {
        munmap(code, (size_t)code_bytes);
        munmap(arena, (size_t)state_bytes);
        return init_fail(setup, -ENOMEM);
    }
    /* Per-thread caches of the host functions, one per engine thread block. */
    size_t tbytes =
        ((size_t)kt_rt.max_threads * sizeof(struct kt_agent_thread) + 4095) & ~(size_t)4095;
    void *threads =
        mmap(NULL, tbytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (threads == MAP_FAILED) {
        munmap(code, (size_t)code_bytes);
        munmap(arena, (size_t)state_bytes);
        return init_fail(setup, -ENOMEM);
    }

    kt_agent.arena = arena;
    kt_agent.hdr = hdr;
    kt_agent.arena_bytes = state_bytes;
    kt_agent.code = code;
    kt_agent.code_bytes = code_bytes;
    kt_agent.controller_pid = setup->controller_pid;
    kt_agent.alive_fd = setup->alive_fd;
    if (setup->mem_fd >= 0)
        __atomic_store_n(&kt_code_mem_fd, setup->mem_fd, __ATOMIC_RELEASE);
    kt_agent.target_pid = setup->target_pid;
    kt_agent.threads = threads;
    kt_agent.nthreads = kt_rt.max_threads;
    kt_agent.stop = 0;
    kt_agent.controller_gone = 0;
    kt_agent.rng_seed = 0;
    if (syscall(SYS_getrandom, &kt_agent.rng_seed, sizeof kt_agent.rng_seed, 0) !=
        (long)sizeof kt_agent.rng_seed)
        kt_agent.rng_seed = (uint64_t)(uintptr_t)&kt_agent ^ (uint64_t)getpid() << 32;
    kt_agent_host_init();

#ifndef KT_FREESTANDING
    static int atfork_done;
    if (!atfork_done) {
        pthread_atfork(NULL, NULL, fork_child);
        atexit(refresh_counters);
        atfork_done = 1;
    }
#endif
    __atomic_store_n(&kt_thread_exit_hook, thread_exit_hook, __ATOMIC_RELEASE);

    /* Fault-safe reads without a system call (agent_fault.c): ktap's SIGSEGV/SIGBUS handler */
    __atomic_store_n(&kt_fast_read_hook, kt_fault_read, __ATOMIC_RELEASE);
    kt_fault_install();
    /* Backtraces under return probes see the real return addresses (kt_unwind.c). */
    kt_unwind_stub_lo = kt_rt.stubs;
    kt_unwind_stub_hi = kt_rt.stubs_end;
    __atomic_store_n(&kt_unwind_pc_hook, kt_translate_pc, __ATOMIC_RELEASE);
    __atomic_store_n(&kt_stack_bounds_hook, kt_agent_stack_bounds, __ATOMIC_RELEASE);

    int err = start_watchdog();
    if (err) {
        kt_fault_restore();
        __atomic_store_n(&kt_thread_exit_hook, NULL, __ATOMIC_RELEASE);
        munmap(threads, tbytes);
        munmap(code, (size_t)code_bytes);
        munmap(arena, (size_t)state_bytes);
        memset(&kt_agent, 0, sizeof kt_agent);
        return init_fail(setup, err);
    }
    setup->state_base = (uint64_t)(uintptr_t)arena;
    setup->code_base = (uint64_t)(uintptr_t)code;
    setup->error = 0;
    __atomic_store_n(&kt_agent.initialized, 1, __ATOMIC_RELEASE);
    return 0;
}

int32_t ktap_agent_init(kt_agent_setup *setup) {
    if (!setup)
        return -1;
    if (!agent_trylock())
        return KT_AGENT_BUSY;
    int32_t r = init_locked(setup);
    agent_unlock();
    return r;
}

/* ---- i386: 64-bit division for generated code ------------------------------------------- */
#if defined(__i386__)
/* The controller links the JIT's calls of libgcc's __divdi3 & co. to these exported wrappers
 * (libgcc's own copies are linked into this library with hidden visibility). */
KT_AGENT_API long long ktap_divdi3(long long a, long long b) { return a / b; }
KT_AGENT_API long long ktap_moddi3(long long a, long long b) { return a % b; }
KT_AGENT_API unsigned long long ktap_udivdi3(unsigned long long a, unsigned long long b) {
    return a / b;
}
KT_AGENT_API unsigned long long ktap_umoddi3(unsigned long long a, unsigned long long b) {
    return a % b;
}
#endif
