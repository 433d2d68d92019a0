/* sigpark [N]: a signal handler that interrupted park_fn inside its first 5 bytes is still
 * running when ktap places a probe on park_fn. The main thread calls park_fn in a loop; a helper
 * thread sends it SIGUSR1 until the handler finds the interrupted IP strictly inside park_fn's
 * first 5 bytes. The handler then waits ("parked +K pid=P") until park_fn's first byte becomes
 * a jump (a probe was placed; at most 20 s), and returns: the thread resumes at the IP saved in
 * its signal frame, with the jump in place. Then N more calls. Prints "bad=B after=N parked=+K
 * probed=0|1"; B counts wrong results (park_fn(x) = x + 3). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

unsigned park_fn(unsigned x);
#if defined(__x86_64__)
__asm__(".text\n.globl park_fn\n.type park_fn,@function\n.p2align 4\npark_fn:\n"
        "  mov %edi, %eax\n  nop\n  nop\n  nop\n" /* 89 f8 90 90 90: starts at 0, 2, 3, 4 */
        "  add $3, %eax\n  ret\n.size park_fn, .-park_fn\n");
#define SAVED_IP(uc) ((uintptr_t)(uc)->uc_mcontext.gregs[REG_RIP])
#else
__asm__(".text\n.globl park_fn\n.type park_fn,@function\n.p2align 4\npark_fn:\n"
        "  nop\n  nop\n  nop\n  mov 4(%esp), %eax\n" /* starts at 0, 1, 2, 3 */
        "  add $3, %eax\n  ret\n.size park_fn, .-park_fn\n");
#define SAVED_IP(uc) ((uintptr_t)(uc)->uc_mcontext.gregs[REG_EIP])
#endif

static volatile int parked, released, done_parking;
static volatile uintptr_t parked_off;

static void on_usr1(int sig, siginfo_t *si, void *ucv) {
    (void)sig;
    (void)si;
    uintptr_t ip = SAVED_IP((ucontext_t *)ucv), f = (uintptr_t)park_fn;
    if (done_parking || ip <= f || ip >= f + 5)
        return;
    parked_off = ip - f;
    parked = 1;
    while (!released)
        __asm__ volatile("pause");
    done_parking = 1;
}

static pthread_t main_thread;
static int probed;

static void *helper(void *arg) {
    (void)arg;
    while (!parked) {
        pthread_kill(main_thread, SIGUSR1);
        usleep(200);
    }
    printf("parked +%u pid=%d\n", (unsigned)parked_off, (int)getpid());
    fflush(stdout);
    for (int ms = 0; ms < 20000; ms++) {
        if (*(volatile unsigned char *)(uintptr_t)park_fn == 0xe9) {
            probed = 1;
            break;
        }
        usleep(1000);
    }
    released = 1;
    return NULL;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGUSR1, &sa, NULL);
    main_thread = pthread_self();
    pthread_t h;
    pthread_create(&h, NULL, helper, NULL);
    long bad = 0, after = 0;
    for (unsigned i = 0;; i++) {
        if (park_fn(i) != i + 3)
            bad++;
        if (done_parking && ++after >= n)
            break;
    }
    pthread_join(h, NULL);
    printf("bad=%ld after=%ld parked=+%u probed=%d\n", bad, after, (unsigned)parked_off, probed);
    return bad != 0;
}
