/* Small system helpers: diagnostics without stdio, code writes, fault-free reads. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static size_t kt_strlen(const char *s) {
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* Raw write(2): usable from the probe path and from signal handlers. */
void kt_diag(const char *msg) {
    static const char prefix[] = "ktap-rt: ";
    kt_arch_syscall3(SYS_write, 2, (long)prefix, sizeof prefix - 1);
    kt_arch_syscall3(SYS_write, 2, (long)msg, (long)kt_strlen(msg));
    kt_arch_syscall3(SYS_write, 2, (long)"\n", 1);
}

void kt_fatal(const char *msg) {
    kt_diag(msg);
    __builtin_trap();
}

/* ---- code writes where memory may not become writable and executable (MDWE) ------------- */

int kt_code_via_mem;
int kt_code_mem_fd = -1;

/* MDWE (PR_SET_MDWE) refuses a mapping that is writable and executable, and one that becomes
 * executable again; systemd's MemoryDenyWriteExecute= seccomp filter refuses mprotect with
 * PROT_EXEC. Either way the mprotect dance below fails: try it once on a scratch page. */
void kt_code_probe_exec_gain(void) {
    long page = sysconf(_SC_PAGESIZE);
    void *p = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return;
    int ok = mprotect(p, (size_t)page, PROT_READ | PROT_EXEC) == 0 &&
             mprotect(p, (size_t)page, PROT_READ | PROT_WRITE | PROT_EXEC) == 0;
    munmap(p, (size_t)page);
    if (!ok)
        __atomic_store_n(&kt_code_via_mem, 1, __ATOMIC_RELAXED);
}

static long mem_pwrite(long fd, const void *buf, size_t len, uintptr_t addr) {
#if KT_ARCH_BITS == 64
    return kt_arch_syscall4(SYS_pwrite64, fd, (long)buf, (long)len, (long)addr);
#else
    return kt_arch_syscall5(SYS_pwrite64, fd, (long)buf, (long)len, (long)addr, 0);
#endif
}

int kt_mem_write(uintptr_t addr, const void *bytes, size_t len) {
    long given = __atomic_load_n(&kt_code_mem_fd, __ATOMIC_ACQUIRE);
    long fd = given >= 0 ? given
                         : kt_arch_syscall3(SYS_openat, AT_FDCWD, (long)"/proc/self/mem",
                                            O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return KT_ECODEWRITE;
    const uint8_t *src = bytes;
    int ok;
    if (len <= 8 && (addr & 7) + len <= 8) {
        /* The whole aligned word in one write, as the cmpxchg below does it in one store
         * (best effort: the kernel's copy is not guaranteed to be one store). */
        uintptr_t w = addr & ~(uintptr_t)7;
        uint64_t word = *(volatile uint64_t *)w;
        for (size_t i = 0; i < len; i++)
            ((uint8_t *)&word)[(addr & 7) + i] = src[i];
        ok = mem_pwrite(fd, &word, 8, w) == 8;
    } else {
        /* The tail first and the first byte last, as below. */
        ok = len <= 1 || mem_pwrite(fd, src + 1, len - 1, addr + 1) == (long)(len - 1);
        ok = ok && mem_pwrite(fd, src, 1, addr) == 1;
    }
    if (fd != given)
        kt_arch_syscall3(SYS_close, fd, 0, 0);
    return ok ? KT_OK : KT_ECODEWRITE;
}

int kt_map_rx_fixed(uintptr_t addr, size_t len) {
#if KT_ARCH_BITS == 64
    long r = kt_arch_syscall6(SYS_mmap, (long)addr, (long)len, PROT_READ | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
#else
    /* i386's old mmap takes its six arguments in memory */
    unsigned long args[6] = {addr, len, PROT_READ | PROT_EXEC,
                             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, (unsigned long)-1, 0};
    long r = kt_arch_syscall3(SYS_mmap, (long)args, 0, 0);
#endif
    return r == (long)addr ? KT_OK : KT_ENOMEM;
}

/* Whether LEN bytes at ADDR lie in one aligned 8-byte word (one locked store writes them). */
static int in_one_word(uintptr_t addr, size_t len) {
    return len <= 8 && (addr & 7) + len <= 8;
}

/* One write of code bytes: make the pages writable, write, restore read+execute (or, under MDWE,
 * write through /proc/self/mem). Raw system calls only: the agent's watchdog writes with the
 * target's threads running, and libc's mprotect may itself be a probed site. */
int kt_write_code_now(uintptr_t addr, const void *bytes, size_t len) {
    const uintptr_t page = 4096; /* x86 */
    uintptr_t lo = addr & ~(page - 1);
    uintptr_t hi = (addr + len + page - 1) & ~(page - 1);
    if (!__atomic_load_n(&kt_code_via_mem, __ATOMIC_RELAXED)) {
        long r = kt_arch_syscall3(SYS_mprotect, (long)lo, (long)(hi - lo),
                                  PROT_READ | PROT_WRITE | PROT_EXEC);
        if (r != 0 && r != -EACCES && r != -EPERM)
            return KT_EPATCH;
        if (r != 0)
            __atomic_store_n(&kt_code_via_mem, 1, __ATOMIC_RELAXED); /* MDWE set since kt_init */
    }
    if (__atomic_load_n(&kt_code_via_mem, __ATOMIC_RELAXED))
        return kt_mem_write(addr, bytes, len);
    volatile uint8_t *dst = (volatile uint8_t *)addr;
    const uint8_t *src = bytes;
    if (in_one_word(addr, len)) {
        /* The bytes lie in one aligned 8-byte word (a 5-byte patch on a function aligned to 4 or
         * more): replace the word with one locked cmpxchg, so that a thread executing the site
         * concurrently sees either the old or the new bytes, never a mix. */
        uint64_t *word = (uint64_t *)(addr & ~(uintptr_t)7);
        unsigned shift = (unsigned)(addr & 7) * 8;
        uint64_t old = *(volatile uint64_t *)word, seen;
        for (;;) {
            uint64_t nv = old;
            for (size_t i = 0; i < len; i++) {
                nv &= ~((uint64_t)0xff << (shift + 8 * i));
                nv |= (uint64_t)src[i] << (shift + 8 * i);
            }
            seen = __sync_val_compare_and_swap(word, old, nv);
            if (seen == old)
                break;
            old = seen;
        }
    } else {
        /* The tail first and the first byte last: right for a jump written over instructions
         * nobody executes; a racing executor of the site can still see a mix (kt_write_code). */
        for (size_t i = len; i-- > 1;)
            dst[i] = src[i];
        dst[0] = src[0];
    }
    __builtin___clear_cache((char *)addr, (char *)addr + len);
    kt_arch_syscall3(SYS_mprotect, (long)lo, (long)(hi - lo), PROT_READ | PROT_EXEC);
    return KT_OK;
}

int (*kt_code_live_writer)(uintptr_t addr, const void *bytes, size_t len);

/* Callers guarantee that no thread executes the bytes concurrently (tests: safe points; attach:
 * all threads stopped), except the agent's watchdog, which restores sites after the controller
 * died with the threads running: a write that one locked store cannot make then goes through
 * the agent's live writer (int3 first, as the kernel's text_poke_bp; agent_livepatch.c). */
int kt_write_code(uintptr_t addr, const void *bytes, size_t len) {
    int (*live)(uintptr_t, const void *, size_t) =
        __atomic_load_n(&kt_code_live_writer, __ATOMIC_ACQUIRE);
    if (live && !in_one_word(addr, len))
        return live(addr, bytes, len);
    return kt_write_code_now(addr, bytes, len);
}

/* Read memory that may have been unmapped (dlclose): process_vm_readv fails instead of faulting. */
int kt_read_safe(uintptr_t addr, void *buf, size_t len) {
    struct iovec local = {buf, len};
    struct iovec remote = {(void *)addr, len};
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return n == (ssize_t)len ? KT_OK : KT_EGONE;
}
