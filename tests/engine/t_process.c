/* Process lifecycle: fork from inside probed frames of a multi-threaded process (T12), vfork and
 * posix_spawn from probed frames (T13), exec from probed frames incl. a failing exec (T14), exit()
 * from depth 5 (T16: the records stay in flight, nothing hangs). Children report through their
 * exit status. */
#define _GNU_SOURCE
#include "harness.h"
#include "targets.h"

#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
volatile int kth_sink;

static struct kt_kretprobe rp_a, rp_b, rp_c, rp_park;
static volatile int handled;
static int count_ret(struct kt_kretprobe_instance *ri, struct kt_regs *r) {
    handled++;
    return 0;
}

typedef int (*action_fn)(int);

KTH_NOINLINE int pc_c(action_fn act, int x) {
    kth_sink++;
    int r = act(x);
    kth_sink = r;
    return r + 1;
}
KTH_NOINLINE int pc_b(action_fn act, int x) {
    kth_sink++;
    int r = pc_c(act, x);
    kth_sink = r;
    return r + 1;
}
KTH_NOINLINE int pc_a(action_fn act, int x) {
    kth_sink++;
    int r = pc_b(act, x);
    kth_sink = r;
    return r + 1;
}

static int nothing(int x) {
    return x;
}

static int wait_status(pid_t pid) {
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int balanced_all(void) {
    struct kt_kretprobe *all[4] = {&rp_a, &rp_b, &rp_c, &rp_park};
    int ok = 1;
    for (int i = 0; i < 4; i++) {
        struct kt_stats s;
        kt_kretprobe_stats(all[i], &s);
        if (kt_stats_lost(&s) != 0) {
            kth_print_stats("child", &s);
            ok = 0;
        }
    }
    return ok;
}

/* fork at depth 3 (pc_a -> pc_b -> pc_c -> fork_action): the child returns through the three
 * inherited stubs; the other thread's instance is dropped in the child (discarded_fork_child). */
static int fork_level, child_ok;
static int fork_action(int x) {
    pid_t pid = fork();
    if (pid == 0) {
        fork_level++;
        struct kt_stats park_s, c_s;
        kt_kretprobe_stats(&rp_park, &park_s);
        kt_kretprobe_stats(&rp_c, &c_s);
        child_ok = park_s.discarded_fork_child == 1 && park_s.in_flight == 0 && c_s.in_flight == 1;
        return x;
    }
    return pid < 0 ? -1000 : -wait_status(pid);
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int parked, release;
KTH_NOINLINE int park(int x) {
    kth_sink++;
    pthread_mutex_lock(&mu);
    parked = 1;
    pthread_cond_broadcast(&cv);
    while (!release)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    return x;
}
static void *park_thread(void *arg) {
    return (void *)(intptr_t)park(1);
}

static void test_fork(void) {
    pthread_t th;
    pthread_create(&th, NULL, park_thread, NULL);
    pthread_mutex_lock(&mu);
    while (!parked)
        pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);

    int my_level = fork_level;
    for (;;) {
        handled = 0;
        child_ok = 0;
        int r = pc_a(fork_action, 10);
        if (fork_level == my_level) { /* the forking side: r = 3 - child's exit status */
            if (my_level == 0) {
                CHECK_EQ(r, 3);
                break;
            }
            _exit(r == 3 ? 0 : 1);
        }
        /* a new child, back from the inherited stubs with the right value */
        my_level = fork_level;
        int ok = child_ok && r == 13 && handled == 3 && balanced_all();
        if (!ok)
            _exit(1);
        if (my_level >= 3)
            _exit(0); /* the third generation stops */
    }

    pthread_mutex_lock(&mu);
    release = 1;
    pthread_cond_broadcast(&cv);
    pthread_mutex_unlock(&mu);
    pthread_join(th, NULL);
    kth_check_balanced(&rp_park, "park");
}

static int vfork_action(int x) {
    pid_t pid = vfork();
    if (pid == 0) {
        /* child: borrows our stack and TLS; probed calls must not disturb the parent */
        if (pc_c(nothing, 1) != 2)
            _exit(1);
        _exit(0);
    }
    return wait_status(pid) == 0 ? x : -1;
}

static int spawn_action(int x) {
    pid_t pid;
    char *argv[] = {"true", NULL};
    if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0)
        return -1;
    return wait_status(pid) == 0 ? x : -2;
}

static void test_vfork_spawn(void) {
    for (int i = 0; i < 20; i++) {
        CHECK_EQ(pc_a(vfork_action, 5), 8);
        CHECK_EQ(pc_a(spawn_action, 6), 9);
    }
    CHECK_EQ(kt_thread_depth(), 0);
    handled = 0;
    CHECK_EQ(pc_a(nothing, 1), 4);
    CHECK_EQ(handled, 3);
    kth_check_balanced(&rp_a, "vfork a");
    kth_check_balanced(&rp_b, "vfork b");
    kth_check_balanced(&rp_c, "vfork c");
}

static int exec_action(int x) {
    char *argv[] = {"true", NULL};
    if (x == 1)
        execv("/nonexistent/ktap-test", argv); /* fails: returns normally */
    else
        execv("/bin/true", argv);
    return x;
}

static void test_exec(void) {
    handled = 0;
    CHECK_EQ(pc_b(exec_action, 1), 3); /* failed exec from depth 2 */
    CHECK_EQ(handled, 2);
    pid_t pid = fork();
    if (pid == 0) {
        pc_b(exec_action, 2);
        _exit(9);
    }
    CHECK_EQ(wait_status(pid), 0);
}

static void check_in_flight_at_exit(void) {
    /* exit() from depth 5: pc_a, pc_b and three pc_c frames are outstanding */
    struct kt_stats a, c;
    kt_kretprobe_stats(&rp_a, &a);
    kt_kretprobe_stats(&rp_c, &c);
    _exit(a.in_flight == 1 && c.in_flight == 3 && balanced_all() ? 0 : 4);
}
static int nested_exit(int x) {
    if (x > 0)
        return pc_c(nested_exit, x - 1);
    atexit(check_in_flight_at_exit);
    exit(3);
}

static void test_exit_from_depth(void) {
    pid_t pid = fork();
    if (pid == 0) {
        pc_a(nested_exit, 2);
        _exit(8); /* not reached */
    }
    CHECK_EQ(wait_status(pid), 0);
}

/* abort() from depth 3: the process dies of SIGABRT and the runtime says nothing. */
static int do_abort(int x) {
    abort();
    return x;
}

static void test_abort_from_depth(void) {
    int err[2];
    if (pipe(err) != 0)
        return;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(err[1], 2);
        close(err[0]);
        pc_a(do_abort, 1);
        _exit(8);
    }
    close(err[1]);
    char buf[256];
    ssize_t n = read(err[0], buf, sizeof buf);
    close(err[0]);
    CHECK_EQ(wait_status(pid), 128 + SIGABRT);
    CHECK(n <= 0, "no diagnostics on stderr (%zd bytes)", n);
}

int main(void) {
    if (!kth_kretprobe(&rp_a, (void *)pc_a, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&rp_b, (void *)pc_b, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&rp_c, (void *)pc_c, count_ret, NULL, 0, 0) ||
        !kth_kretprobe(&rp_park, (void *)park, count_ret, NULL, 0, 0))
        return kth_finish("t_process");
    test_fork();
    test_vfork_spawn();
    test_exec();
    test_exit_from_depth();
    test_abort_from_depth();
    return kth_finish("t_process");
}
