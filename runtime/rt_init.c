/* Runtime initialisation: per-thread blocks, return stubs, unwind info, probe table. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

struct kt_runtime kt_rt;

static uintptr_t round_up(uintptr_t v, uintptr_t a) {
    return (v + a - 1) & ~(a - 1);
}

static uint32_t env_u32(const char *name, uint32_t dflt, uint32_t lo, uint32_t hi) {
    const char *s = getenv(name);
    if (!s || !*s)
        return dflt;
    unsigned long v = strtoul(s, NULL, 10);
    return v < lo ? lo : v > hi ? hi : (uint32_t)v;
}

static int init_blocks(void) {
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    kt_rt.block_stride = round_up(
        sizeof(struct kt_thread) + (uintptr_t)kt_rt.max_depth * sizeof(struct kt_rec), page);
    kt_rt.stubs_stride = round_up((uintptr_t)kt_rt.max_depth * KT_STUB_STRIDE, page);
    kt_rt.pstat_chunk_bytes = round_up(sizeof(struct kt_pstat) * KT_PSTAT_CHUNK, page);
    uintptr_t chunks = (kt_rt.max_probes + KT_PSTAT_CHUNK - 1) / KT_PSTAT_CHUNK;
    kt_rt.pstat_stride = chunks * kt_rt.pstat_chunk_bytes;
    /* Per-thread probe counters: reserved without access (no commit charge), made read-write a
     * chunk of ids at a time (kt_pstat_cover); only pages a thread touches get memory. */
    void *ps = mmap(NULL, kt_rt.pstat_stride * kt_rt.max_threads, PROT_NONE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (ps == MAP_FAILED)
        return KT_ENOMEM;
    kt_rt.pstats = (uintptr_t)ps;
    uintptr_t rw = kt_rt.block_stride * kt_rt.max_threads;
    uintptr_t rx = kt_rt.stubs_stride * kt_rt.max_threads;
    /* One mapping, so that x86_64 stubs reach their records with rip-relative operands. */
    void *mem = mmap(NULL, rw + rx, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return KT_ENOMEM;
    kt_rt.blocks = (uintptr_t)mem;
    kt_rt.stubs = kt_rt.blocks + rw;
    kt_rt.stubs_end = kt_rt.stubs + rx;
    /* Blocks are set up when first claimed (kt_block_prepare); stub pages stay inaccessible
     * until then. Under MDWE they are read-execute from the start (they could not become
     * executable later) and written through /proc/self/mem. */
    if (kt_code_via_mem ? kt_map_rx_fixed(kt_rt.stubs, rx) != KT_OK
                        : mprotect((void *)kt_rt.stubs, rx, PROT_NONE) != 0)
        return KT_ENOMEM;
    return KT_OK;
}

/* The bytes of block i's stubs in [off, off + n) of its stub pages, into BUF (int3 between the
 * stubs). OFF and N are multiples of KT_STUB_STRIDE, or N reaches the end of the pages. */
static void stub_bytes(struct kt_thread *t, uint32_t i, uintptr_t off, uintptr_t n, uint8_t *buf) {
    for (uintptr_t k = 0; k < n; k++)
        buf[k] = 0xcc;
    for (uint32_t j = (uint32_t)(off / KT_STUB_STRIDE);
         j < kt_rt.max_depth && (uintptr_t)j * KT_STUB_STRIDE < off + n; j++) {
        uintptr_t s = kt_stub_addr(t, j);
        kt_arch_write_stub(buf + (s - t->stubs - off), s, t, j, (i << 16) | j);
    }
}

/* Block i's stubs, written through /proc/self/mem in pieces of a few stubs (the probe path:
 * a small buffer on the thread's stack). */
static int write_stubs_via_mem(struct kt_thread *t, uint32_t i) {
    uint8_t buf[16 * KT_STUB_STRIDE];
    for (uintptr_t off = 0; off < kt_rt.stubs_stride; off += sizeof buf) {
        uintptr_t n = kt_rt.stubs_stride - off < sizeof buf ? kt_rt.stubs_stride - off : sizeof buf;
        stub_bytes(t, i, off, n, buf);
        if (kt_mem_write(t->stubs + off, buf, n) != KT_OK)
            return KT_ECODEWRITE;
    }
    return KT_OK;
}

/* First claim of a block: header, return stubs (written while the pages are not executable,
 * then made read+execute) and the CFI body of its FDE. Runs on the claiming thread's probe path
 * (two mprotect calls, once per block for the life of the process). */
int kt_block_prepare(struct kt_thread *t) {
    uint32_t i = (uint32_t)(((uintptr_t)t - kt_rt.blocks) / kt_rt.block_stride);
    t->index = i;
    t->return_common = (void *)&kt_arch_return_common;
    t->stubs = kt_rt.stubs + (uintptr_t)i * kt_rt.stubs_stride;
    t->pstat = (struct kt_pstat *)(kt_rt.pstats + (uintptr_t)i * kt_rt.pstat_stride);
    /* The chunks handed out so far; later ones are opened by kt_pstat_cover, which sees
     * pstat_on (both sides store, then load, sequentially consistent: one of them opens). */
    __atomic_store_n(&t->pstat_on, 1, __ATOMIC_SEQ_CST);
    uint32_t open_chunks = __atomic_load_n(&kt_rt.pstat_chunks, __ATOMIC_SEQ_CST);
    if (open_chunks &&
        kt_arch_syscall3(SYS_mprotect, (long)t->pstat, (long)(open_chunks * kt_rt.pstat_chunk_bytes),
                         PROT_READ | PROT_WRITE) != 0)
        return KT_ENOMEM;
    int written = 0;
    if (!__atomic_load_n(&kt_code_via_mem, __ATOMIC_RELAXED)) {
        /* raw mprotect: this runs on the probe path, where libc functions may be probed */
        if (kt_arch_syscall3(SYS_mprotect, (long)t->stubs, (long)kt_rt.stubs_stride,
                             PROT_READ | PROT_WRITE) != 0)
            return KT_ENOMEM;
        stub_bytes(t, i, 0, kt_rt.stubs_stride, (uint8_t *)t->stubs);
        __builtin___clear_cache((char *)t->stubs, (char *)(t->stubs + kt_rt.stubs_stride));
        long r = kt_arch_syscall3(SYS_mprotect, (long)t->stubs, (long)kt_rt.stubs_stride,
                                  PROT_READ | PROT_EXEC);
        if (r != 0 && r != -EACCES && r != -EPERM)
            return KT_ENOMEM;
        written = r == 0;
        if (r != 0) /* MDWE set since kt_init: the pages cannot become executable again */
            __atomic_store_n(&kt_code_via_mem, 1, __ATOMIC_RELAXED);
    }
    if (!written) {
        /* A fresh read-execute mapping of the block's stub pages (they may be PROT_NONE or
         * written above, from before the switch), written through /proc/self/mem. */
        if (kt_map_rx_fixed(t->stubs, kt_rt.stubs_stride) != KT_OK)
            return KT_ENOMEM;
        int err = write_stubs_via_mem(t, i);
        if (err)
            return err;
    }
    if (kt_rt.eh_frame)
        kt_unwind_fill(t);
    __atomic_store_n(&t->ready, 1, __ATOMIC_RELEASE);
    return KT_OK;
}

int kt_pstat_cover(uint32_t id) {
    static uint32_t covered; /* chunks open in every block (registration lock held) */
    uint32_t chunk = id / KT_PSTAT_CHUNK;
    if (chunk < covered)
        return KT_OK;
    __atomic_store_n(&kt_rt.pstat_chunks, chunk + 1, __ATOMIC_SEQ_CST); /* ids come in order */
    for (uint32_t i = 0; i < kt_rt.max_threads; i++) {
        struct kt_thread *t = kt_block(i);
        if (!__atomic_load_n(&t->pstat_on, __ATOMIC_SEQ_CST))
            continue;
        uintptr_t at = kt_rt.pstats + (uintptr_t)i * kt_rt.pstat_stride +
                       (uintptr_t)chunk * kt_rt.pstat_chunk_bytes;
        if (mprotect((void *)at, kt_rt.pstat_chunk_bytes, PROT_READ | PROT_WRITE) != 0)
            return KT_ENOMEM; /* tried again by the next registration */
    }
    covered = chunk + 1;
    return KT_OK;
}

int kt_init(const struct kt_config *cfg) {
    if (kt_rt.initialized)
        return KT_OK;
    kt_rt.max_threads =
        cfg && cfg->max_threads ? cfg->max_threads : env_u32("KTAP_RT_THREADS", 256, 1, 32767);
    kt_rt.max_depth =
        cfg && cfg->max_depth ? cfg->max_depth : env_u32("KTAP_RT_DEPTH", 1024, 1, 65535);
    kt_rt.max_probes = cfg && cfg->max_probes
                           ? cfg->max_probes
                           : env_u32("KTAP_RT_PROBES", KT_MAX_PROBES, 1, 65536);
    if (kt_rt.max_threads > 32767 || kt_rt.max_depth > 65535 || kt_rt.max_probes > 65536)
        return KT_EINVAL;
    kt_rt.probes = mmap(NULL, sizeof(struct kt_probe) * kt_rt.max_probes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (kt_rt.probes == MAP_FAILED)
        return KT_ENOMEM;
    kt_code_probe_exec_gain(); /* before the stub pages are mapped */
    int err = init_blocks();
    if (err)
        return err;
    err = kt_thread_init_global();
    if (err)
        return err;
    if (kt_go_mode && !kt_stacks_init())
        return KT_ENOMEM;
    err = kt_unwind_register();
#ifndef KT_FREESTANDING /* there the controller says it, not the program's stderr */
    if (err)
        kt_diag("unwind info for return stubs not registered: exceptions through return-probed "
                "frames will terminate");
#endif
    __atomic_store_n(&kt_rt.initialized, 1, __ATOMIC_RELEASE);
    return KT_OK;
}

const char *kt_strerror(int err) {
    switch (err) {
    case KT_OK:
        return "ok";
    case KT_EINVAL:
        return "invalid argument";
    case KT_ENOMEM:
        return "out of memory";
    case KT_EBUSY:
        return "site or probe already in use";
    case KT_EPATCH:
        return "bytes at the site differ from the prepared patch";
    case KT_ENOSPC:
        return "no trampoline memory within reach";
    case KT_ETOOMANY:
        return "all probe records of this process are in use (a record is reused once none of "
               "its return instances is outstanding)";
    case KT_EUNWIND:
        return "libgcc unwinder not available";
    case KT_EGONE:
        return "code at the site is no longer mapped";
    case KT_ESHSTK:
        return "return probes refused: a CET shadow stack is active (the hijacked return would "
               "fault)";
    case KT_ECODEWRITE:
        return "code may not be made writable here (memory-deny-write-execute) and "
               "/proc/self/mem could not be written";
    default:
        return "unknown error";
    }
}

int kt_is_return_stub(uintptr_t pc) {
    return kt_rt.initialized && pc >= kt_rt.stubs && pc < kt_rt.stubs_end;
}

uintptr_t kt_translate_pc(uintptr_t pc) {
    while (kt_is_return_stub(pc)) {
        uintptr_t off = pc - kt_rt.stubs;
        uint32_t block = (uint32_t)(off / kt_rt.stubs_stride);
        uint32_t j = (uint32_t)((off % kt_rt.stubs_stride) / KT_STUB_STRIDE);
        pc = kt_block(block)->rec[j].real_ret;
    }
    return pc;
}

void kt_global_stats(struct kt_global_stats *out) {
    memset(out, 0, sizeof *out);
    out->threads_in_use = (uint32_t)KT_LOAD(kt_rt.threads_in_use);
    out->threads_max = kt_rt.max_threads;
    out->threads_attached = KT_LOAD(kt_rt.threads_attached);
    out->threads_released = KT_LOAD(kt_rt.threads_released);
    out->grace_timeouts = KT_LOAD(kt_rt.grace_timeouts);
    out->unwind_registered = (uint32_t)kt_rt.unwind_registered;
}

uint32_t kt_thread_depth(void) {
    struct kt_thread *t = kt_self();
    uint32_t n = 0;
    for (uint32_t d = 0; t && d < t->depth; d++)
        n += t->rec[d].inst != NULL; /* completed records (i386) do not count */
    return n;
}
