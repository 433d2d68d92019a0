/* ktap-exec: a stand-alone executor for JIT-compiled handlers, built for x86_64 and for i386
 * (-m32). The controller starts it with the state arena and the code arena as inherited file
 * descriptors, links the handlers for the executor's architecture at the addresses it reports,
 * and asks it to run them. It proves that the arena layout and the generated code work in a
 * 32-bit process exactly as the target's runtime will use them (issue 3), without attaching.
 *
 * Protocol (text lines on two pipes):
 *   executor -> controller: "base HEX" (code arena address), "sym NAME HEX" per runtime
 *                            function, "end"; then per command "done ERR WHERE_HEX MESSAGE".
 *   controller -> executor: "name I TEXT" (pp() of probe I), "target PID",
 *                            "run I HEX" (run probe I at address HEX), "quit".
 * Usage: ktap-exec STATE_FD STATE_BYTES CODE_FD CODE_BYTES CMD_FD REPLY_FD
 */
#define _GNU_SOURCE
#include "host_helpers.h"
#include "kt_lang.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

typedef void (*handler_fn)(kt_ctx *);

#ifdef __i386__
/* 64-bit division on i386 is a libgcc call; generated code needs these too. */
extern long long __divdi3(long long, long long);
extern long long __moddi3(long long, long long);
extern unsigned long long __udivdi3(unsigned long long, unsigned long long);
extern unsigned long long __umoddi3(unsigned long long, unsigned long long);
#endif

static void report_symbols(FILE *out, void *code) {
    fprintf(out, "base %llx\n", (unsigned long long)(uintptr_t)code);
#define KTAP_SYMBOL(name) fprintf(out, "sym %s %llx\n", #name, (unsigned long long)(uintptr_t)&name);
#include "symbols.def"
#ifdef __i386__
    KTAP_SYMBOL(__divdi3)
    KTAP_SYMBOL(__moddi3)
    KTAP_SYMBOL(__udivdi3)
    KTAP_SYMBOL(__umoddi3)
#endif
#undef KTAP_SYMBOL
    fprintf(out, "end\n");
    fflush(out);
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: ktap-exec STATE_FD STATE_BYTES CODE_FD CODE_BYTES CMD_FD REPLY_FD\n");
        return 2;
    }
    int state_fd = atoi(argv[1]), code_fd = atoi(argv[3]);
    size_t state_bytes = (size_t)strtoull(argv[2], NULL, 0);
    size_t code_bytes = (size_t)strtoull(argv[4], NULL, 0);
    FILE *cmd = fdopen(atoi(argv[5]), "r");
    FILE *reply = fdopen(atoi(argv[6]), "w");
    if (!cmd || !reply)
        return 2;
    void *state = mmap(NULL, state_bytes, PROT_READ | PROT_WRITE, MAP_SHARED, state_fd, 0);
    void *code = mmap(NULL, code_bytes, PROT_READ | PROT_EXEC, MAP_SHARED, code_fd, 0);
    if (state == MAP_FAILED || code == MAP_FAILED) {
        perror("ktap-exec: mmap");
        return 2;
    }
    report_symbols(reply, code);
    int32_t tid = (int32_t)syscall(SYS_gettid);
    char line[4096];
    while (fgets(line, sizeof line, cmd)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "name ", 5) == 0) {
            char *rest = NULL;
            long i = strtol(line + 5, &rest, 10);
            ktap_host_set_probe_name((int32_t)i, rest && *rest ? rest + 1 : "");
        } else if (strncmp(line, "target ", 7) == 0) {
            ktap_host_set_target(strtoll(line + 7, NULL, 10));
        } else if (strncmp(line, "run ", 4) == 0) {
            char *rest = NULL;
            long probe = strtol(line + 4, &rest, 10);
            uintptr_t addr = (uintptr_t)strtoull(rest, NULL, 16);
            kt_ctx ctx;
            kt_ctx_init(&ctx, state, (int32_t)probe);
            if (kt_slot_claim(&ctx, tid) < 0) {
                ktap_skipped(&ctx);
            } else {
                ((handler_fn)addr)(&ctx);
            }
            fprintf(reply, "done %d %llx %s\n", ctx.error,
                    (unsigned long long)(uintptr_t)ctx.where, ctx.error ? ctx.errmsg : "");
            fflush(reply);
        } else if (strcmp(line, "quit") == 0) {
            break;
        }
    }
    return 0;
}
