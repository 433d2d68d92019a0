// Attaching to running multi-threaded targets (x86_64 and i386, PIE and non-PIE): remote
// calls on every kind of stopped thread, injection, signals, job-control stops, crashes,
// timeouts and targets that die while attached. The target's output must be the same as
// without ktap.
#include "attach/tracee.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace attach_test;
using ktap::Tracee;

namespace {

struct Variant {
    const char *name;
    const char *target;
    const char *lib;
    int bits;
};

std::string variant_name(const ::testing::TestParamInfo<Variant> &info) {
    return info.param.name;
}

// The value of a call's result as the target's `long`.
int64_t as_long(uint64_t r, int bits) {
    return bits == 32 ? static_cast<int32_t>(static_cast<uint32_t>(r)) : static_cast<int64_t>(r);
}

uint64_t symbol(pid_t pid, const std::string &module, const std::string &name) {
    uint64_t addr = 0;
    std::string error;
    EXPECT_TRUE(ktap::find_symbol_in_target(pid, module, name, addr, error)) << error;
    return addr;
}

uint64_t call(Tracee &t, uint64_t fn, const std::vector<uint64_t> &args) {
    uint64_t r = 0;
    std::string error;
    EXPECT_TRUE(t.call(fn, args, r, error)) << error;
    return r;
}

uint64_t call_on(Tracee &t, pid_t tid, uint64_t fn, const std::vector<uint64_t> &args) {
    uint64_t r = 0;
    std::string error;
    EXPECT_TRUE(t.call_on(tid, fn, args, r, error)) << error;
    return r;
}

class AttachAll : public ::testing::TestWithParam<Variant> {};
class AttachArch : public ::testing::TestWithParam<Variant> {};

// Everything at once, compared with a run without ktap.
TEST_P(AttachAll, CallsAndInjectionLeaveTheProgramUnchanged) {
    const Variant &v = GetParam();
    std::string baseline;
    {
        Child c;
        ASSERT_TRUE(start_target(v.target, c));
        kill(c.pid, SIGUSR1);
        kill(c.pid, SIGUSR2);
        baseline = finish(c, 1, 1);
    }
    EXPECT_EQ(baseline, expected_output(1, 1, false));

    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    pid_t pid = c.pid;
    pid_t busy = find_thread(pid, "busy"), sleeper = find_thread(pid, "sleeper"),
          reader = find_thread(pid, "reader"), longsleep = find_thread(pid, "longsleep");
    ASSERT_TRUE(busy && sleeper && reader && longsleep);

    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(pid, error)) << error;
    EXPECT_EQ(t.pid(), pid);
    EXPECT_EQ(t.bits(), v.bits);
    EXPECT_TRUE(t.stopped());
    EXPECT_EQ(t.threads().size(), 5u);
    EXPECT_EQ(t.threads()[0], pid);
    EXPECT_EQ(t.call_thread(), pid);
    EXPECT_EQ(t.thread_ips().size(), 5u);
    for (uint64_t ip : t.thread_ips())
        EXPECT_NE(ip, 0u);
    kill(pid, SIGUSR1); // arrives while every thread is stopped

    uint64_t getpid_fn = symbol(pid, "libc.so.6", "getpid");
    EXPECT_EQ(call(t, getpid_fn, {}), static_cast<uint64_t>(pid));

    // A function of the program with six arguments (registers on x86_64, stack on i386).
    uint64_t weighted = symbol(pid, "", "weighted6");
    EXPECT_EQ(as_long(call(t, weighted, {1, 2, 3, 4, 5, 6}), v.bits), 91);
    EXPECT_EQ(as_long(call(t, weighted,
                           {10, static_cast<uint64_t>(-20), 30, static_cast<uint64_t>(-40), 50,
                            static_cast<uint64_t>(-60)}),
                      v.bits),
              -210);

    // Calls on the threads blocked in nanosleep and read, and on the one computing with
    // floating point: their system calls must restart, their FP state must come back.
    uint64_t clobber = symbol(pid, "", "clobber_fp");
    EXPECT_EQ(call_on(t, sleeper, getpid_fn, {}), static_cast<uint64_t>(pid));
    EXPECT_EQ(call_on(t, longsleep, getpid_fn, {}), static_cast<uint64_t>(pid));
    EXPECT_EQ(call_on(t, reader, getpid_fn, {}), static_cast<uint64_t>(pid));
    EXPECT_EQ(call_on(t, busy, clobber, {41}), 42u);
    EXPECT_EQ(call_on(t, longsleep, clobber, {1}), 2u);
    EXPECT_EQ(call(t, clobber, {7}), 8u);

    EXPECT_EQ(call(t, symbol(pid, "", "weighted8"), {1, 2, 3, 4, 5, 6, 7, 8}), 204u);

    // A call whose new thread must run before it returns; the thread is stopped afterwards.
    EXPECT_EQ(call(t, symbol(pid, "", "start_helper"), {}), 1u);
    EXPECT_EQ(t.threads().size(), 6u);
    EXPECT_TRUE(t.stopped());
    EXPECT_EQ(t.thread_ips().size(), 6u);
    pid_t helper = find_thread(pid, "helper");
    EXPECT_NE(helper, 0);
    EXPECT_EQ(call_on(t, helper, getpid_fn, {}), static_cast<uint64_t>(pid));

    // A signal the call raises in its own process is delivered after the call, not lost.
    EXPECT_EQ(call(t, symbol(pid, "", "raise_usr2"), {}), 42u);

    // Scratch memory and an IFUNC (strlen's symbol is its resolver).
    uint64_t strlen_fn = 0, text = 0;
    ASSERT_TRUE(ktap::resolve_function(t, "libc.so.6", "strlen", strlen_fn, error)) << error;
    ASSERT_TRUE(t.push_string("hello, ktap", text, error)) << error;
    EXPECT_EQ(call(t, strlen_fn, {text}), 11u);
    uint64_t result = 0;
    ASSERT_TRUE(ktap::call_function(t, "libc.so.6", "getpid", {}, result, error)) << error;
    EXPECT_EQ(result, static_cast<uint64_t>(pid));

    // Injection.
    uint64_t base = 0, handle = 0;
    ASSERT_TRUE(ktap::inject_library(t, v.lib, base, error, &handle)) << error;
    EXPECT_NE(base, 0u);
    EXPECT_NE(handle, 0u);
    uint64_t value = symbol(pid, v.lib, "ktap_testlib_value");
    EXPECT_EQ(as_long(call(t, value, {5}), v.bits), 5 * 7 + 1234);
    std::map<std::string, uint64_t> exports;
    ASSERT_TRUE(ktap::library_exports(t, v.lib, exports, error)) << error;
    EXPECT_EQ(exports["ktap_testlib_value"], value);
    EXPECT_TRUE(exports.count("ktap_testlib_marker"));
    uint32_t marker = 0;
    ASSERT_TRUE(t.read(exports["ktap_testlib_marker"], &marker, sizeof marker));
    EXPECT_EQ(marker, 1234u);

    // A call that crashes: reported with the signal and ip; the process is unharmed.
    EXPECT_FALSE(t.call(0x10, {}, result, error));
    EXPECT_NE(error.find("SIGSEGV at ip 0x10"), std::string::npos) << error;
    EXPECT_EQ(call(t, getpid_fn, {}), static_cast<uint64_t>(pid));
    EXPECT_TRUE(t.stopped());

    t.detach();
    EXPECT_FALSE(t.attached());
    EXPECT_EQ(finish(c, 1, 1), baseline);
}

// Attach and detach 50 times (with a thread that keeps creating threads).
TEST_P(AttachAll, RepeatedAttachDetach) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c, true));
    uint64_t getpid_fn = symbol(c.pid, "libc.so.6", "getpid");
    uint64_t weighted = symbol(c.pid, "", "weighted6");
    pid_t churn = find_thread(c.pid, "churn"); // often stopped in clone() or pthread_join
    ASSERT_NE(churn, 0);
    Tracee t;
    for (int i = 0; i < 50; ++i) {
        std::string error;
        ASSERT_TRUE(t.attach(c.pid, error)) << "round " << i << ": " << error;
        EXPECT_GE(t.threads().size(), 5u); // longsleep ends after 250 ms
        EXPECT_EQ(call(t, getpid_fn, {}), static_cast<uint64_t>(c.pid));
        EXPECT_EQ(call_on(t, churn, getpid_fn, {}), static_cast<uint64_t>(c.pid));
        if (i % 10 == 0) {
            EXPECT_EQ(as_long(call(t, weighted, {1, 1, 1, 1, 1, 1}), v.bits), 21);
        }
        t.detach();
    }
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, true));
}

// Resumed while attached: signals go through, threads run; stopped again for a call.
TEST_P(AttachAll, ResumeAndStopAgain) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c, true));
    uint64_t getpid_fn = symbol(c.pid, "libc.so.6", "getpid");
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(t.resume_all());
        EXPECT_FALSE(t.stopped());
        if (i == 2)
            kill(c.pid, SIGUSR1);
        for (int k = 0; k < 20; ++k) {
            EXPECT_TRUE(t.service_events());
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        ASSERT_TRUE(t.stop_all(error)) << error;
        EXPECT_TRUE(t.stopped());
        EXPECT_EQ(call(t, getpid_fn, {}), static_cast<uint64_t>(c.pid));
    }
    t.detach();
    EXPECT_EQ(finish(c, 1, 0), expected_output(1, 0, true));
}

// A process stopped by SIGSTOP stays stopped after attach, call and detach.
TEST_P(AttachArch, JobControlStopIsKept) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    kill(c.pid, SIGSTOP);
    ASSERT_TRUE(wait_state(c.pid, c.pid, 'T'));
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    EXPECT_EQ(call(t, symbol(c.pid, "libc.so.6", "getpid"), {}), static_cast<uint64_t>(c.pid));
    // Resumed while attached, the threads stay in the job-control stop (PTRACE_LISTEN).
    ASSERT_TRUE(t.resume_all());
    for (int k = 0; k < 10; ++k) {
        EXPECT_TRUE(t.service_events());
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    // Also the thread that ran the call (it would be back in read(), state 'S').
    EXPECT_EQ(state_of(c.pid, c.pid), 't');
    EXPECT_EQ(state_of(c.pid, find_thread(c.pid, "busy")), 't');
    ASSERT_TRUE(t.stop_all(error)) << error;
    EXPECT_EQ(call(t, symbol(c.pid, "libc.so.6", "getpid"), {}), static_cast<uint64_t>(c.pid));
    t.detach();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(state_of(c.pid, c.pid), 'T');
    EXPECT_EQ(state_of(c.pid, find_thread(c.pid, "busy")), 'T');
    kill(c.pid, SIGCONT);
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, false));
}

// A call that never returns times out; the thread is restored and the program unharmed.
TEST_P(AttachArch, CallTimeout) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    t.set_call_timeout_ms(200);
    uint64_t r = 0;
    EXPECT_FALSE(t.call(symbol(c.pid, "", "wait_forever"), {}, r, error));
    EXPECT_NE(error.find("did not return within 200 ms"), std::string::npos) << error;
    EXPECT_TRUE(t.stopped());
    EXPECT_EQ(call(t, symbol(c.pid, "libc.so.6", "getpid"), {}), static_cast<uint64_t>(c.pid));
    t.detach();
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, false));
}

// The process exits during a call: a clear error, no hang.
TEST_P(AttachArch, ExitDuringCall) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    uint64_t r = 0;
    EXPECT_FALSE(t.call(symbol(c.pid, "libc.so.6", "_exit"), {7}, r, error));
    EXPECT_NE(error.find("exited with status 7"), std::string::npos) << error;
    EXPECT_TRUE(t.exited());
    EXPECT_FALSE(t.attached());
    EXPECT_TRUE(WIFEXITED(t.exit_status()) && WEXITSTATUS(t.exit_status()) == 7);
    EXPECT_FALSE(t.call(0x1234, {}, r, error));
    EXPECT_NE(error.find("exited with status 7"), std::string::npos) << error;
    t.detach();
    c.pid = -1; // reaped by the tracer
}

// The process is killed while attached.
TEST_P(AttachArch, KilledWhileAttached) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    uint64_t getpid_fn = symbol(c.pid, "libc.so.6", "getpid");
    kill(c.pid, SIGKILL);
    uint64_t r = 0;
    EXPECT_FALSE(t.call(getpid_fn, {}, r, error));
    EXPECT_NE(error.find("killed by signal 9 (SIGKILL)"), std::string::npos) << error;
    t.detach();
    std::string e2;
    EXPECT_FALSE(t.stop_all(e2));
    c.pid = -1;
}

// The controller is killed (kill -9) while it holds the process: the kernel detaches, and the
// target goes on with nothing of ours left in it.
TEST_P(AttachArch, ControllerKilledWhileHolding) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    pid_t target = c.pid;
    fflush(stdout);
    pid_t controller = fork();
    ASSERT_GE(controller, 0);
    if (controller == 0) {
        Tracee t;
        std::string error;
        uint64_t r = 0, fn = 0;
        if (!t.attach(target, error) ||
            !ktap::find_symbol_in_target(target, "", "clobber_fp", fn, error) ||
            !t.call(fn, {1}, r, error) || r != 2 || !t.stop_all(error))
            _exit(1);
        raise(SIGKILL);
        _exit(2);
    }
    int st = 0;
    ASSERT_EQ(waitpid(controller, &st, 0), controller);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << st;
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, false));
}

// ktap killed in the middle of a remote call: through the return stub the thread puts itself
// back (rt_sigreturn over the signal frame the controller wrote above the return slot) and the
// program goes on as if nothing happened, every thread's results and interrupted system calls
// intact. With return address 0 the process died of SIGSEGV at address 0. A second session
// finds the stub again.
TEST_P(AttachArch, ControllerKilledDuringCall) {
    const Variant &v = GetParam();
    Child c;
    ASSERT_TRUE(start_target(v.target, c));
    pid_t target = c.pid;
    uint64_t stub = 0;
    {
        Tracee t;
        std::string error;
        uint64_t r = 0, fn = 0;
        ASSERT_TRUE(t.attach(target, error)) << error;
        ASSERT_TRUE(ktap::find_symbol_in_target(target, "", "sleep_then", fn, error)) << error;
        ASSERT_TRUE(t.call(fn, {1}, r, error)) << error;
        EXPECT_EQ(r, 2u);
        stub = t.return_stub();
        EXPECT_NE(stub, 0u);
        t.detach();
    }
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    fflush(stdout);
    pid_t controller = fork();
    ASSERT_GE(controller, 0);
    if (controller == 0) {
        close(ready[0]);
        Tracee t;
        std::string error;
        uint64_t r = 0, fn = 0;
        if (!t.attach(target, error) ||
            !ktap::find_symbol_in_target(target, "", "sleep_then", fn, error))
            _exit(1);
        if (!t.call(fn, {1}, r, error) || r != 2) // a living controller gets the result
            _exit(3);
        if (t.return_stub() != stub) // the first session's stub, found again
            _exit(6);
        if (write(ready[1], "x", 1) != 1)
            _exit(4);
        t.call(fn, {400}, r, error); // killed during this one
        _exit(5);
    }
    close(ready[1]);
    char x = 0;
    ASSERT_EQ(read(ready[0], &x, 1), 1) << "the controller failed before the second call";
    close(ready[0]);
    usleep(100 * 1000);
    kill(controller, SIGKILL);
    int st = 0;
    ASSERT_EQ(waitpid(controller, &st, 0), controller);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << st;
    usleep(400 * 1000); // the call finishes, the stub restores the thread
    int status = 0;
    EXPECT_EQ(finish(c, 0, 0, &status), expected_output(0, 0, false));
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

// Attaching to a process while it exits: attach succeeds or says the process exited, and
// nothing of ours keeps the process from being reaped by its parent (threads that die while
// traced report to the tracer, which must collect them).
TEST_P(AttachArch, ProcessExitingDuringAttach) {
    const Variant &v = GetParam();
    const char *exiter = v.bits == 32 ? EXITER32 : EXITER64;
    int attached = 0;
    for (int i = 0; i < 60; ++i) {
        int delay = 2000 + (i * 97) % 2000; // microseconds until it exits
        Child c;
        ASSERT_TRUE(start_child({exiter, std::to_string(delay)}, c));
        usleep(static_cast<useconds_t>(delay - 500 + (i * 31) % 1000));
        Tracee t;
        std::string error;
        if (t.attach(c.pid, error)) {
            ++attached;
            uint64_t r = 0, fn = 0; // (each step may fail: the process is exiting)
            if (ktap::find_symbol_in_target(c.pid, "libc.so.6", "getpid", fn, error))
                t.call(fn, {}, r, error);
            t.detach();
        } else {
            EXPECT_NE(error.find("exited"), std::string::npos) << error;
        }
        int st = 0;
        pid_t r = 0;
        for (int k = 0; k < 2000 && r == 0; ++k) {
            r = waitpid(c.pid, &st, WNOHANG | __WALL);
            if (r == 0)
                usleep(1000);
        }
        if (r < 0 && t.exited()) // reaped by the Tracee (it exited while attached)
            r = c.pid;
        ASSERT_EQ(r, c.pid) << "round " << i << ": the process cannot be reaped";
        c.pid = -1;
    }
    EXPECT_GT(attached, 0);
}

// Many threads: all are held, calls and detach stay quick.
TEST(AttachCrowd, FiveHundredThreads) {
    Child c;
    ASSERT_TRUE(start_child({CROWD64, "500"}, c));
    ASSERT_EQ(read_line(c.out), "ready");
    Tracee t;
    std::string error;
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    EXPECT_EQ(t.threads().size(), 501u);
    EXPECT_EQ(t.thread_ips().size(), 501u);
    uint64_t getpid_fn = symbol(c.pid, "libc.so.6", "getpid");
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(call(t, getpid_fn, {}), static_cast<uint64_t>(c.pid));
    EXPECT_EQ(call_on(t, t.threads()[250], getpid_fn, {}), static_cast<uint64_t>(c.pid));
    t.detach();
    close(c.in);
    c.in = -1;
    EXPECT_EQ(read_all(c.out), "bye\n");
    int st = c.wait();
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << st;
}

// Attach to a process that is already traced, and other refusals.
TEST(AttachErrors, ClearReasons) {
    Tracee t;
    std::string error;
    EXPECT_FALSE(t.attach(999999999, error));
    EXPECT_EQ(error, "cannot attach to process 999999999: no such process");
    EXPECT_FALSE(t.attach(getpid(), error));
    EXPECT_NE(error.find("it is ktap itself"), std::string::npos) << error;
    EXPECT_FALSE(t.attach(2, error)); // kthreadd
    EXPECT_NE(error.find("kernel thread"), std::string::npos) << error;

    Child c;
    ASSERT_TRUE(start_target(TARGET64, c));
    ASSERT_TRUE(t.attach(c.pid, error)) << error;
    EXPECT_FALSE(t.attach(c.pid, error));
    EXPECT_NE(error.find("already attached"), std::string::npos) << error;
    Tracee other;
    EXPECT_FALSE(other.attach(c.pid, error));
    EXPECT_NE(error.find("Operation not permitted (it is already traced by process"),
              std::string::npos)
        << error;
    EXPECT_FALSE(other.attached());

    uint64_t addr = 0;
    EXPECT_FALSE(ktap::find_symbol_in_target(c.pid, "libnothere.so", "f", addr, error));
    EXPECT_NE(error.find("no module matching 'libnothere.so'"), std::string::npos) << error;
    EXPECT_FALSE(ktap::find_symbol_in_target(c.pid, "libc.so.6", "no_such_fn", addr, error));
    EXPECT_NE(error.find("symbol 'no_such_fn' not found in"), std::string::npos) << error;
    EXPECT_FALSE(ktap::find_symbol_in_target(c.pid, "libc.so.6", "strlen", addr, error));
    EXPECT_NE(error.find("IFUNC"), std::string::npos) << error;

    // Injection refusals: wrong word size, not ELF, dlopen's own error.
    uint64_t base = 0;
    EXPECT_FALSE(ktap::inject_library(t, TESTLIB32, base, error));
    EXPECT_NE(error.find("the library is 32-bit, the process 64-bit"), std::string::npos) << error;
    EXPECT_FALSE(ktap::inject_library(t, "/etc/hostname", base, error));
    EXPECT_NE(error.find("not an ELF file"), std::string::npos) << error;
    EXPECT_FALSE(ktap::inject_library(t, "/nonexistent/lib.so", base, error));
    EXPECT_NE(error.find("No such file"), std::string::npos) << error;
    EXPECT_FALSE(ktap::inject_library(t, TARGET64, base, error)); // a PIE executable
    EXPECT_NE(error.find("cannot dynamically load"), std::string::npos) << error;
    t.detach();
    EXPECT_EQ(finish(c, 0, 0), expected_output(0, 0, false));
}

const Variant kAll[] = {
    {"x86_64_pie", TARGET64, TESTLIB64, 64},
    {"x86_64_nopie", TARGET64_NOPIE, TESTLIB64, 64},
    {"i386_pie", TARGET32, TESTLIB32, 32},
    {"i386_nopie", TARGET32_NOPIE, TESTLIB32, 32},
};
const Variant kArch[] = {
    {"x86_64", TARGET64, TESTLIB64, 64},
    {"i386", TARGET32, TESTLIB32, 32},
};

INSTANTIATE_TEST_SUITE_P(, AttachAll, ::testing::ValuesIn(kAll), variant_name);
INSTANTIATE_TEST_SUITE_P(, AttachArch, ::testing::ValuesIn(kArch), variant_name);

} // namespace
