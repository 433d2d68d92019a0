/* The mapping that holds a thread's stack pointer (/proc/self/maps with raw system calls), for
 * the unwinder (runtime/lang/kt_unwind.c): stack words inside it are read with plain loads,
 * without the per-run signal-mask check of the fault-safe copy (three system calls). Asked a
 * few times per thread at most (the unwinder caches the answer in the thread's slot).
 *
 * Only a mapping that is a stack is trusted, because plain loads anywhere in it must stay
 * safe for as long as the thread runs on it: the main thread's "[stack]", or a mapping right
 * above an inaccessible guard page (how glibc, and most coroutine libraries, allocate thread
 * stacks). A signal stack in the heap, or a stack without a guard, may share its mapping with
 * memory that is unmapped later (malloc_trim): for those the unwinder uses fault-safe reads. */
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
    /* Per line: start '-' end ' ' perms ' ' ... [path]. */
    enum { START, END, PERM, REST } state = START;
    uint64_t start = 0, end = 0, prev_end = 0;
    int perm_i = 0, readable = 0, noaccess = 0, prev_noaccess = 0;
    int here = 0;    /* this line holds sp */
    int name_i = -1; /* matching "[stack]" in this line's path: chars matched, -1 none */
    static const char stack_name[] = "[stack]";
    int found = -1; /* -1 still looking, 0 sp's mapping is not trusted, 1 trusted */
    char buf[512];
    long n;
    while (found < 0 && (n = kt_agent_sys(SYS_read, fd, (long)buf, sizeof buf)) > 0) {
        for (long i = 0; i < n && found < 0; i++) {
            char c = buf[i];
            int v;
            if (c == '\n') {
                if (here) {
                    int is_stack = name_i == (int)sizeof stack_name - 1;
                    int guarded = prev_end == start && prev_noaccess;
                    found = readable && (is_stack || guarded);
                    if (found) {
                        *lo = start;
                        *hi = end;
                    }
                }
                prev_end = end;
                prev_noaccess = noaccess;
                state = START;
                start = end = 0;
                perm_i = readable = noaccess = here = 0;
                name_i = -1;
                continue;
            }
            switch (state) {
            case START:
                if ((v = hexval(c)) >= 0)
                    start = start << 4 | (uint64_t)v;
                else
                    state = c == '-' ? END : REST;
                break;
            case END:
                if ((v = hexval(c)) >= 0)
                    end = end << 4 | (uint64_t)v;
                else
                    state = c == ' ' ? PERM : REST;
                break;
            case PERM:
                if (perm_i == 0)
                    readable = c == 'r';
                if (perm_i < 3)
                    noaccess = perm_i == 0 ? c == '-' : noaccess && c == '-';
                if (++perm_i == 4) {
                    here = sp >= start && sp < end;
                    state = REST;
                }
                break;
            case REST:
                if (!here)
                    break;
                if (name_i < 0) {
                    if (c == '[')
                        name_i = 1;
                } else if (name_i < (int)sizeof stack_name - 1) {
                    name_i = c == stack_name[name_i] ? name_i + 1 : -2;
                } else {
                    name_i = -2; /* "[stack:..." or longer: not the main stack */
                }
                break;
            }
        }
    }
    kt_agent_sys(SYS_close, fd, 0, 0);
    return found > 0 ? 0 : -1;
}
