/* The agent: ktap's code inside the traced process (libktap-agent.so, x86_64 and i386).
 *
 * The controller injects libktap-agent.so with dlopen (ptrace), then drives it with remote calls
 * to the functions below. Everything the two sides exchange after ktap_agent_init lives in the
 * shared state arena (runtime/lang/kt_lang.h): the site table (struct kt_site, fixed-width,
 * identical on both arches), names, and the `probes_enabled` switch in the arena header.
 *
 * Sequence (controller side, all target threads stopped by ptrace during the remote calls):
 *   (controller: the target creates the arenas' memfds and the liveness pipe with remote
 *    system calls; the controller takes duplicates with pidfd_getfd)
 *   ktap_agent_init(setup)        maps the state and code arenas, starts the watchdog
 *   ktap_agent_reserve(0, n)      kt_tramp_reserve per site          -> site.tramp, site.status
 *   (controller: reads the function bytes, runs kt_prepare, writes site.patch; a site refused
 *    because bytes after +k must stay (kt_prep_result.pun_from) gets site.pun_lo/pun_hi)
 *   ktap_agent_reserve(0, n)      again: kt_tramp_reserve_in per site with pun_hi -> site.tramp
 *   (controller: kt_prepare again with keep_from = k)
 *   ktap_agent_register(0, n)     kt_register_kprobe / kretprobe     -> site.status
 *   (controller: checks no thread executes a site's displaced bytes)
 *   ktap_agent_arm(0, n)          kt_arm (sites with status KT_OK)    -> site.status
 *   (controller: header->probes_enabled = 1: every probe starts at one instant)
 *   ... handlers run ...
 *   (controller: header->probes_enabled = 0)
 *   ktap_agent_disarm(0, n)       kt_disarm, threads stopped
 *   (controller: resumes the threads)
 *   ktap_agent_unregister(0, n)   kt_unregister_* (waits for handlers; threads running)
 *   ktap_agent_collect(0, n)      engine counters                    -> site.stats
 *   ktap_agent_sample_start()     timers of the sampling probes on     -> sample area
 *   ktap_agent_sample_stop()      ... and off
 *   ktap_agent_detach()           stops the watchdog
 * If the controller dies, the watchdog (a thread polling the liveness pipe) clears
 * probes_enabled, disarms and unregisters every site.
 */
#ifndef KTAP_AGENT_H
#define KTAP_AGENT_H

#include "rt.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define KT_AGENT_API __attribute__((visibility("default")))
#ifdef __cplusplus
#define KT_STATIC_ASSERT static_assert
#else
#define KT_STATIC_ASSERT _Static_assert
#endif

enum { KT_SITE_ENTRY = 0, KT_SITE_RETURN = 1 };

/* Site status values besides the engine's KT_OK / KT_E* (negative). */
#define KT_SITE_UNUSED 1     /* not (yet) processed */
#define KT_SITE_REGISTERED 2 /* after ktap_agent_register */
#define KT_SITE_ARMED 3      /* after ktap_agent_arm */

/* One probe site: a script probe placed on one function. Written by the controller; `status`,
 * `tramp`, `stats` and `probe_storage` by the agent. 8-byte aligned fields only.
 *
 * Several script probes on one function (an entry and a return probe of `f`, say) are one
 * engine probe: the sites of one address form a chain, in script order, whose first site (the
 * head) is registered for all of them, as a return probe when any of them is one (group_*).
 * The agent acts on heads only and copies the head's status and counters to the others; on a
 * hit it runs the handlers of the whole chain. */
typedef struct kt_site {
    uint64_t addr;          /* function entry in the target */
    uint64_t handler;       /* JIT'd body: void ktap_probe_N(kt_ctx *) at its target address */
    uint64_t entry_handler; /* return probes with @entry: void ktap_entry_N(kt_ctx *), else 0 */
    uint64_t name_off;      /* arena offset of the function's name (ppfunc()), NUL-terminated */
    uint64_t pp_off;        /* arena offset of pp()'s text */
    uint64_t module_off;    /* arena offset of the module path (probemod()) */
    uint64_t func_size;     /* symbol size, for the preparer (0 when unknown) */
    int32_t probe;          /* script probe index (kt_ctx.probe) */
    int32_t kind;           /* KT_SITE_ENTRY or KT_SITE_RETURN */
    int32_t maxactive;      /* return probes: <= 0 means the engine default */
    uint32_t data_size;     /* return probes: bytes of @entry data per instance */
    int32_t status;         /* KT_SITE_* or a negative engine error of the last step */
    uint32_t flags;         /* kt_kprobe.flags to register with (KT_HANDLER_LEAN | ...) */
    int32_t chain_head;     /* index of the first site at this address (itself for a head) */
    int32_t chain_next;     /* the next site at the same address, -1 at the end */
    uint32_t data_off;      /* this site's @entry data within the instance's data area */
    int32_t group_kind;     /* head: KT_SITE_RETURN when any site of the chain is one */
    uint32_t group_data_size; /* head: @entry bytes of the whole chain */
    int32_t group_maxactive;  /* head: maxactive of the chain's return probes (<= 0: default) */
    uint32_t ret_bytes;     /* the function's return type from DWARF: 1, 2, 4, 8; 0 unknown */
    int32_t ret_signed;     /* ... and whether it is signed ($return sign-extends it) */
    uint64_t pun_lo, pun_hi; /* a second ktap_agent_reserve: where the slot must start */
    struct kt_tramp_info tramp;  /* from ktap_agent_reserve */
    union {
        struct kt_patch patch;   /* from the controller's preparer */
        uint64_t patch_space_[15]; /* 120 bytes on both arches (sizeof differs: 120 / 116) */
    };
    struct kt_stats stats;       /* from ktap_agent_collect */
    uint64_t disabled_hits; /* handler not run: the hit came while probes_enabled was 0 (right
                               after the switch went off; -t subtracts them from the hits) */
    uint64_t probe_storage[11];  /* the agent's struct kt_kprobe / kt_kretprobe lives here */
} kt_site;

/* Same bytes on both arches: the x86_64 controller writes what an i386 agent reads. */
KT_STATIC_ASSERT(sizeof(struct kt_tramp_info) == 32, "kt_tramp_info layout");
KT_STATIC_ASSERT(sizeof(struct kt_stats) == 96, "kt_stats layout");
KT_STATIC_ASSERT(sizeof(kt_site) == 80 + 32 + 16 + 32 + 120 + 96 + 96, "kt_site layout");

/* Argument of ktap_agent_init, written by the controller into target memory. */
/* The arenas are memfds the target itself created (the controller holds duplicates), passed as
 * the target's descriptors: nothing of the controller's is opened by a path, which another
 * user, another mount or PID namespace, or a non-dumpable target could not reach. The agent
 * maps them and leaves closing the descriptors to the controller. */
typedef struct kt_agent_setup {
    int32_t state_fd;      /* the state arena memfd (read-write) */
    int32_t code_fd;       /* the code arena memfd (read-execute) */
    int32_t alive_fd;      /* read end of a pipe whose write end only the controller holds: its
                              hang-up means the controller is gone; -1: watch controller_pid */
    int32_t mem_fd;        /* the target's /proc/PID/mem opened by the controller (code writes
                              under MDWE; the agent owns it until the session ends), or -1 */
    uint64_t state_bytes;
    uint64_t code_bytes;
    int64_t controller_pid; /* with alive_fd -1: watched through a pidfd (in-process tests) */
    int64_t target_pid;     /* target() */
    /* out */
    uint64_t state_base;   /* where the agent mapped the state arena (read-write) */
    uint64_t code_base;    /* where it mapped the code arena (read-execute) */
    int32_t error;         /* 0, or -errno of the failing step */
    int32_t pad;
    /* in, for the agent of programs without a dynamic loader (libktap-agent-nolibc.so) */
    uint64_t vdso_base;      /* the target's AT_SYSINFO_EHDR (it has no getauxval to ask) */
    uint64_t register_frame; /* the program's own __register_frame, or 0 (no unwind info) */
    uint64_t find_fde;       /* its _Unwind_Find_FDE, or 0 */
    uint32_t flags;          /* KT_SETUP_* */
    uint32_t pad2;
} kt_agent_setup;
KT_STATIC_ASSERT(sizeof(kt_agent_setup) == 16 + 6 * 8 + 8 + 4 * 8, "kt_agent_setup layout");
/* The thread pointer may be read with rdfsbase (the kernel enabled FSGSBASE: AT_HWCAP2 bit 1). */
#define KT_SETUP_FSGSBASE 1u
/* Register the return stubs' unwind info at ktap's hook on main (ktap_agent_main_hook), not at
 * init: the program's libc has not started yet (-c of a static program). */
#define KT_SETUP_UNWIND_AT_MAIN 2u
/* A Go program (x86_64): handlers on the engine's own stacks, return probes refused (KT_EGO). */
#define KT_SETUP_GO 4u

/* Each returns the number of sites in [first, first + count) whose step failed (status < 0),
 * -1 when the agent is not initialised, or KT_AGENT_BUSY when the agent's own thread holds its
 * lock (it may be stopped by ptrace with it): let the target run briefly and call again. */
#define KT_AGENT_BUSY (-2)
KT_AGENT_API int32_t ktap_agent_init(kt_agent_setup *setup);
KT_AGENT_API int32_t ktap_agent_reserve(uint32_t first, uint32_t count);
KT_AGENT_API int32_t ktap_agent_register(uint32_t first, uint32_t count);
KT_AGENT_API int32_t ktap_agent_arm(uint32_t first, uint32_t count);
KT_AGENT_API int32_t ktap_agent_disarm(uint32_t first, uint32_t count);
KT_AGENT_API int32_t ktap_agent_unregister(uint32_t first, uint32_t count);
KT_AGENT_API int32_t ktap_agent_collect(uint32_t first, uint32_t count);
/* Sampling probes (ktap/sample.h at kt_arena_header.sample_off): per-thread CPU-time timers
 * on, and off. start: 0, -1 no agent, -2 no free real-time signal. */
KT_AGENT_API int32_t ktap_agent_sample_start(void);
KT_AGENT_API int32_t ktap_agent_sample_stop(void);
KT_AGENT_API int32_t ktap_agent_detach(void);

struct kt_ctx; /* runtime/lang/kt_lang.h */

/* Handler of ktap's own return probe on the target's dlopen (site.probe = -1): a library was
 * just loaded. Sets header->dlopen_pending and waits (futex, at most 1 s) until the controller
 * has placed the probes of the new library and cleared it, so calls the program makes into the
 * library once dlopen returned are all seen (calls from its constructors are not). */
KT_AGENT_API void ktap_agent_dlopen_return(struct kt_ctx *ctx);
/* ktap's entry probe on pthread_create while sampling: the new thread starts in the agent, which
 * gives it its sampling timers before it runs its own start routine (docs/profiling.md). */
KT_AGENT_API void ktap_agent_thread_create(struct kt_ctx *ctx);
/* ktap's entry probe on exit() in a program without a dynamic loader, where the agent has no
 * atexit: the engine's counters are written into the site table as the process ends. */
KT_AGENT_API void ktap_agent_exit_hook(struct kt_ctx *ctx);
/* ktap's entry probe on main() of such a program started with -c: its libc has started, the
 * return stubs' unwind info is registered with the program's own unwinder there. */
KT_AGENT_API void ktap_agent_main_hook(struct kt_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif
