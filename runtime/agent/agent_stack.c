/* The readable mapping that holds a thread's stack pointer (/proc/self/maps with raw system
 * calls), for the unwinder (runtime/lang/kt_unwind.c): stack words inside it are read with
 * plain loads, without the per-run signal-mask check of the fault-safe copy (three system
 * calls). Asked once per thread (the unwinder caches the answer in the thread's slot) and again
 * only when the stack pointer is outside the cached mapping (a signal stack, a coroutine).
 * A thread's own stack is not unmapped while the thread runs on it. */
#define _GNU_SOURCE
#include "agent_int.h"

#include <fcntl.h>
#include <sys/syscall.h>

static int hexval(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

int32_t kt_agent_stack_bounds(uint64_t sp, uint64_t *lo, uint64_t *hi) {
    long fd = kt_agent_sys4(SYS_openat, AT_FDCWD, (long)"/proc/self/maps", O_RDONLY | O_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* Per line: start '-' end ' ' perms; the rest is skipped up to the newline. */
    enum { START, END, PERM, SKIP } state = START;
    uint64_t start = 0, end = 0;
    int found = -1;
    char buf[1024];
    long n;
    while (found < 0 && (n = kt_agent_sys(SYS_read, fd, (long)buf, sizeof buf)) > 0) {
        for (long i = 0; i < n && found < 0; i++) {
            char c = buf[i];
            int v;
            switch (state) {
            case START:
                if ((v = hexval(c)) >= 0)
                    start = start << 4 | (uint64_t)v;
                else
                    state = c == '-' ? END : SKIP;
                break;
            case END:
                if ((v = hexval(c)) >= 0)
                    end = end << 4 | (uint64_t)v;
                else
                    state = c == ' ' ? PERM : SKIP;
                break;
            case PERM:
                if (sp >= start && sp < end) {
                    found = c == 'r';
                    if (found) {
                        *lo = start;
                        *hi = end;
                    }
                }
                state = SKIP;
                break;
            case SKIP:
                break;
            }
            if (c == '\n') {
                state = START;
                start = end = 0;
            }
        }
    }
    kt_agent_sys(SYS_close, fd, 0, 0);
    return found > 0 ? 0 : -1;
}
