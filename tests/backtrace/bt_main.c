// bt_main SCENARIO [ROUNDS]: every scenario ends in bt_leaf(), reached by a known chain of
// named functions; ROUNDS (default 1) repeats it without pause, so a tracer started with -c
// sees ROUNDS hits (4 per round for "threads"). Prints nothing; exit status 0, or 2 on a bad
// argument. The stacks at bt_leaf's first instruction, newest first (threads end in the libc
// thread start instead of main):
//   chain    bt_leaf chain_c chain_b chain_a main
//   lib      bt_leaf lib_cb lib_inner lib_outer via_lib main     (lib_* in libbtlib-VARIANT.so)
//   qsort    bt_leaf cmp_cb [libc: msort_with_tmp qsort_r; i386: ?? qsort_r qsort] do_qsort main
//   signal   bt_leaf on_sigusr1 <signal frame> [libc: __pthread_kill_implementation raise;
//            i386: __kernel_vsyscall (vDSO) ?? raise] sig_raiser main
//   recurse  bt_leaf recurse (x200) main
//   threads  bt_leaf worker_step worker start_thread clone3    (i386: ?? ??; 4 threads a round)
//   all      each of the above once per round, in this order
// (libc names as x86_64 glibc 2.36 has them with libc6-dbg; without its symbols the local
// functions are "??", as they are in i386 libc, whose local symbols are not installed.)
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bt_common.h"

volatile int bt_sink;

BT_FN int bt_leaf(int x) {
    bt_sink = bt_sink + x;
    return x;
}

// a) plain chain
BT_FN int chain_c(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int chain_b(int x) {
    int r = chain_c(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int chain_a(int x) {
    int r = chain_b(x + 1);
    bt_sink = r;
    return r;
}

// b) through libbtlib: via_lib -> lib_outer -> lib_inner -> lib_cb (called back by pointer)
BT_FN int lib_cb(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
    return r;
}
BT_FN int via_lib(int x) {
    int r = lib_outer(lib_cb, x + 1);
    bt_sink = r;
    return r;
}

// c) through libc: qsort of two elements calls the comparator exactly once, from the top level
// of glibc's merge sort (more elements would call it from several recursion depths).
BT_FN int cmp_cb(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    int r = bt_leaf(x);
    bt_sink = r;
    return (x > y) - (x < y);
}
BT_FN int do_qsort(int x) {
    int v[2] = {x + 1, x};
    qsort(v, 2, sizeof v[0], cmp_cb);
    bt_sink = v[0];
    return v[0];
}

// d) a signal handler: raise() delivers SIGUSR1 synchronously, the handler runs on a kernel
// signal frame whose return address is the libc/vDSO sigreturn trampoline.
BT_FN void on_sigusr1(int sig) {
    int r = bt_leaf(sig);
    bt_sink = r;
}
BT_FN int sig_raiser(int x) {
    int r = raise(SIGUSR1);
    bt_sink = r + x;
    return r;
}

// e) 200 frames of recurse: recurse(200) -> recurse(199) -> ... -> recurse(1) -> bt_leaf
enum { RECURSE_DEPTH = 200 };
BT_FN int recurse(int n) {
    int r = n <= 1 ? bt_leaf(n) : recurse(n - 1);
    bt_sink = r;
    return r;
}

// f) 4 threads per round: worker -> worker_step -> bt_leaf. The threads run at once but take
// turns calling worker_step: a probe handler's print_ubacktrace_brief() and println("--") are
// two output records, and another thread's records could come between them.
enum { THREADS = 4 };
static pthread_mutex_t turn = PTHREAD_MUTEX_INITIALIZER;
BT_FN int worker_step(int x) {
    int r = bt_leaf(x + 1);
    bt_sink = r;
    return r;
}
BT_FN void *worker(void *arg) {
    pthread_mutex_lock(&turn);
    int r = worker_step((int)(long)arg);
    pthread_mutex_unlock(&turn);
    bt_sink = r;
    return NULL;
}
BT_FN int spawn_workers(int x) {
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&t[i], NULL, worker, (void *)(long)(x + i)) != 0)
            abort();
    for (int i = 0; i < THREADS; i++)
        pthread_join(t[i], NULL);
    return x;
}

enum { S_CHAIN = 1, S_LIB = 2, S_QSORT = 4, S_SIGNAL = 8, S_RECURSE = 16, S_THREADS = 32 };

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int mask;
    } scenarios[] = {{"chain", S_CHAIN},     {"lib", S_LIB},         {"qsort", S_QSORT},
                     {"signal", S_SIGNAL},   {"recurse", S_RECURSE}, {"threads", S_THREADS},
                     {"all", 63}};
    int mask = 0;
    long rounds = argc > 2 ? atol(argv[2]) : 1;
    for (unsigned i = 0; argc > 1 && i < sizeof scenarios / sizeof scenarios[0]; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            mask = scenarios[i].mask;
    if (!mask || rounds < 0 || argc > 3)
        return 2;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigusr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    for (long i = 0; i < rounds; i++) {
        int x = (int)(i & 0xff);
        if (mask & S_CHAIN)
            chain_a(x);
        if (mask & S_LIB)
            via_lib(x);
        if (mask & S_QSORT)
            do_qsort(x);
        if (mask & S_SIGNAL)
            sig_raiser(x);
        if (mask & S_RECURSE)
            recurse(RECURSE_DEPTH);
        if (mask & S_THREADS)
            spawn_workers(x);
    }
    return 0;
}
