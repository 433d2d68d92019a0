// Tracee::spawn: a command started stopped at its ELF entry point (nothing of the program has
// run), directly or through /bin/sh, then injected into and let go.
#include "attach/tracee.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <climits>
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace attach_test;
using ktap::Tracee;

namespace {

std::string real(const std::string &path) {
    char buf[PATH_MAX];
    return realpath(path.c_str(), buf) ? buf : path;
}

// Spawns COMMAND with stdout in a file: nothing may be printed before spawn() returns.
// Returns the output after detach and the exit.
struct Spawned {
    Tracee t;
    Capture out{1};
    bool ok = false;
    std::string error;
    explicit Spawned(const std::string &command) {
        ok = t.spawn(command, error);
        out.restore();
    }
    std::string before() const { return out.contents(); }
    std::string finish(int &status) {
        t.detach();
        status = t.wait_exit();
        return out.contents();
    }
};

TEST(Spawn, EchoRunsAfterDetach) {
    Spawned s("/bin/echo hi");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_GT(s.t.pid(), 0);
    EXPECT_EQ(s.t.bits(), 64);
    EXPECT_TRUE(s.t.stopped());
    EXPECT_EQ(s.before(), "");
    int status = -1;
    EXPECT_EQ(s.finish(status), "hi\n");
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
}

TEST(Spawn, ProgramFoundInPath) {
    Spawned s("echo found in path");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.before(), "");
    int status = -1;
    EXPECT_EQ(s.finish(status), "found in path\n");
    EXPECT_EQ(status, 0);
}

TEST(Spawn, ShellPipeline) {
    Spawned s("echo a | cat");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(real(exe_of(s.t.pid())), real("/bin/sh")); // the shell is the target
    EXPECT_EQ(s.before(), "");
    int status = -1;
    EXPECT_EQ(s.finish(status), "a\n");
    EXPECT_EQ(status, 0);
}

// One simple command with shell syntax: the traced process is the program itself.
TEST(Spawn, ShellSimpleCommandExecsTheProgram) {
    Spawned s("KTAP_TEST_VAR='x  y' " + std::string(HELLO64) + " 0 2>/dev/null");
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(exe_of(s.t.pid()), real(HELLO64));
    EXPECT_EQ(s.before(), "");
    int status = -1;
    EXPECT_EQ(s.finish(status), "ctor\nmain\nlib absent\nvar x  y\n");
    EXPECT_EQ(status, 0);
}

TEST(Spawn, ExitStatus) {
    Spawned s(std::string(HELLO32) + " 3");
    ASSERT_TRUE(s.ok) << s.error;
    int status = -1;
    s.finish(status);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 3) << status;
}

class SpawnArch : public ::testing::TestWithParam<int> {};

// Stopped at the entry point: not even the program's constructors ran; a library injected
// there is loaded before main.
TEST_P(SpawnArch, StoppedAtEntryThenInjected) {
    int bits = GetParam();
    const char *prog = bits == 32 ? HELLO32 : HELLO64;
    const char *lib = bits == 32 ? TESTLIB32 : TESTLIB64;
    Spawned s(prog);
    ASSERT_TRUE(s.ok) << s.error;
    EXPECT_EQ(s.t.bits(), bits);
    EXPECT_EQ(s.before(), "");
    // The ip is the ELF entry point of the program (the main executable's mapping).
    ktap::TargetModule exe;
    std::string error;
    ASSERT_TRUE(ktap::find_module_in_target(s.t.pid(), "", exe, error)) << error;
    std::vector<uint64_t> ips = s.t.thread_ips();
    ASSERT_EQ(ips.size(), 1u);
    EXPECT_GE(ips[0], exe.low);
    EXPECT_LT(ips[0], exe.high);
    uint64_t start = 0;
    ASSERT_TRUE(ktap::find_symbol_in_target(s.t.pid(), "", "_start", start, error)) << error;
    EXPECT_EQ(ips[0], start);

    uint64_t base = 0;
    ASSERT_TRUE(ktap::inject_library(s.t, lib, base, error)) << error;
    uint64_t value = 0, r = 0;
    ASSERT_TRUE(ktap::find_symbol_in_target(s.t.pid(), lib, "ktap_testlib_value", value, error))
        << error;
    ASSERT_TRUE(s.t.call(value, {1}, r, error)) << error;
    EXPECT_EQ(r, 7u + 1234u);
    EXPECT_EQ(s.before(), "");
    int status = -1;
    EXPECT_EQ(s.finish(status), "ctor\nmain\nlib loaded\nmarker 1234\nvar -\n");
    EXPECT_EQ(status, 0);
}

INSTANTIATE_TEST_SUITE_P(, SpawnArch, ::testing::Values(64, 32),
                         [](const ::testing::TestParamInfo<int> &i) {
                             return i.param == 32 ? std::string("i386") : std::string("x86_64");
                         });

// The controller is killed right after spawn(): the program runs normally (the entry-point
// breakpoint is gone and the child is no longer killed with its tracer).
TEST(Spawn, ControllerKilledAfterSpawn) {
    char out[] = "/tmp/ktap-attach-out-XXXXXX";
    int fd = mkstemp(out);
    ASSERT_GE(fd, 0);
    fflush(stdout);
    pid_t controller = fork();
    ASSERT_GE(controller, 0);
    if (controller == 0) {
        dup2(fd, 1);
        Tracee t;
        std::string error;
        if (!t.spawn(HELLO64, error))
            _exit(1);
        raise(SIGKILL);
        _exit(2);
    }
    close(fd);
    int st = 0;
    ASSERT_EQ(waitpid(controller, &st, 0), controller);
    EXPECT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << st;
    std::string text;
    for (int i = 0; i < 500 && text.find("var -\n") == std::string::npos; ++i) {
        usleep(10 * 1000);
        std::ifstream f(out);
        std::stringstream ss;
        ss << f.rdbuf();
        text = ss.str();
    }
    EXPECT_EQ(text, "ctor\nmain\nlib absent\nvar -\n");
    unlink(out);
}

TEST(Spawn, Errors) {
    Tracee t;
    std::string error;
    EXPECT_FALSE(t.spawn("", error));
    EXPECT_EQ(error, "empty command");
    EXPECT_FALSE(t.spawn("ktap_no_such_command_xyz arg", error));
    EXPECT_EQ(error, "cannot run 'ktap_no_such_command_xyz': command not found");
    EXPECT_FALSE(t.spawn("/nonexistent/prog", error));
    EXPECT_EQ(error, "cannot run '/nonexistent/prog': No such file or directory");
    // Not executable (also for root: no x bit), and executable but not a program.
    char plain[] = "/tmp/ktap-attach-plain-XXXXXX";
    int fd = mkstemp(plain);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(write(fd, "garbage\n", 8), 8);
    close(fd);
    chmod(plain, 0644);
    EXPECT_FALSE(t.spawn(plain, error));
    EXPECT_EQ(error, std::string("cannot run '") + plain + "': Permission denied");
    chmod(plain, 0755);
    EXPECT_FALSE(t.spawn(plain, error));
    EXPECT_EQ(error, std::string("cannot run '") + plain + "': Exec format error");
    unlink(plain);
    {
        Capture err(2); // the shell complains on stderr
        EXPECT_FALSE(t.spawn("/nonexistent/prog > /dev/null", error));
    }
    EXPECT_NE(error.find("exited with status 127 before its program started"), std::string::npos)
        << error;
    EXPECT_FALSE(t.attached());
    // A Tracee is reusable after a failed spawn.
    Spawned s("/bin/true");
    ASSERT_TRUE(s.ok) << s.error;
    int status = -1;
    s.finish(status);
    EXPECT_EQ(status, 0);
}

} // namespace
