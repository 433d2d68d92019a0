/* Small system helpers: diagnostics without stdio, code writes, fault-free reads. */
#define _GNU_SOURCE
#include "kt_internal.h"

#include <errno.h>
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

/* Write code bytes: make the pages writable, write, restore read+execute. Callers guarantee that
 * no thread executes the bytes concurrently (tests: safe points; attach: all threads stopped). */
int kt_write_code(uintptr_t addr, const void *bytes, size_t len) {
    long page = sysconf(_SC_PAGESIZE);
    uintptr_t lo = addr & ~(uintptr_t)(page - 1);
    uintptr_t hi = (addr + len + page - 1) & ~(uintptr_t)(page - 1);
    if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
        return KT_EPATCH;
    volatile uint8_t *dst = (volatile uint8_t *)addr;
    const uint8_t *src = bytes;
    if (len <= 8 && (addr & 7) + len <= 8) {
        /* The bytes lie in one aligned 8-byte word (a 5-byte patch on a function aligned to 4 or
         * more): replace the word with one locked cmpxchg, so that a thread executing the site
         * concurrently (the agent's watchdog disarms with threads running) sees either the old
         * or the new bytes, never a mix. */
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
        /* Write the tail first and the first byte last, so a racing executor sees either the
         * old first instruction or the complete jmp. */
        for (size_t i = len; i-- > 1;)
            dst[i] = src[i];
        dst[0] = src[0];
    }
    __builtin___clear_cache((char *)addr, (char *)addr + len);
    mprotect((void *)lo, hi - lo, PROT_READ | PROT_EXEC);
    return KT_OK;
}

/* Read memory that may have been unmapped (dlclose): process_vm_readv fails instead of faulting. */
int kt_read_safe(uintptr_t addr, void *buf, size_t len) {
    struct iovec local = {buf, len};
    struct iovec remote = {(void *)addr, len};
    ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
    return n == (ssize_t)len ? KT_OK : KT_EGONE;
}
