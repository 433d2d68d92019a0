#include "test_util.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace attach_test {

Child::~Child() {
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (pid > 0) {
        kill(pid, SIGKILL);
        int st;
        waitpid(pid, &st, __WALL);
    }
}

int Child::wait() {
    if (in >= 0)
        close(in);
    in = -1;
    int st = 0;
    pid_t r;
    do
        r = waitpid(pid, &st, 0);
    while (r < 0 && errno == EINTR);
    pid = -1;
    return r < 0 ? -1 : st;
}

bool start_child(const std::vector<std::string> &argv, Child &c) {
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
        return false;
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0)
        return false;
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execv(args[0], args.data());
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    c.pid = pid;
    c.in = in[1];
    c.out = out[0];
    return true;
}

std::string read_line(int fd, int timeout_ms) {
    std::string line;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        char ch;
        ssize_t n = read(fd, &ch, 1);
        if (n <= 0)
            break;
        if (ch == '\n')
            return line;
        line.push_back(ch);
    }
    return line;
}

std::string read_all(int fd, int timeout_ms) {
    std::string text;
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0)
            break;
        text.append(buf, static_cast<size_t>(n));
    }
    return text;
}

void write_str(int fd, const std::string &s) {
    ssize_t n = write(fd, s.data(), s.size());
    (void)n;
}

static std::string slurp(const std::string &path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

pid_t find_thread(pid_t pid, const std::string &name) {
    std::string dir = "/proc/" + std::to_string(pid) + "/task/";
    DIR *d = opendir(dir.c_str());
    if (!d)
        return 0;
    pid_t found = 0;
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        std::string comm = slurp(dir + e->d_name + "/comm");
        if (!comm.empty() && comm.back() == '\n')
            comm.pop_back();
        if (comm == name) {
            found = static_cast<pid_t>(atoi(e->d_name));
            break;
        }
    }
    closedir(d);
    return found;
}

char state_of(pid_t pid, pid_t tid) {
    std::string stat =
        slurp("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat");
    size_t p = stat.rfind(')');
    return p == std::string::npos || p + 2 >= stat.size() ? 0 : stat[p + 2];
}

bool wait_state(pid_t pid, pid_t tid, char state, int timeout_ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < until) {
        if (state_of(pid, tid) == state)
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return false;
}

std::string exe_of(pid_t pid) {
    char buf[4096];
    ssize_t n = readlink(("/proc/" + std::to_string(pid) + "/exe").c_str(), buf, sizeof buf - 1);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

std::string expected_output(int usr1, int usr2, bool churn) {
    return "weighted 91\n"
           "sleeper errors 0 short 0\n"
           "longsleep ok 1\n"
           "busy mismatches 0 rounds>0 1\n"
           "reader got token\n"
           "churn " +
           std::string(churn ? "ok" : "off") + "\n" + "usr1 " + std::to_string(usr1) + " usr2 " +
           std::to_string(usr2) + "\ndone\n";
}

bool start_target(const std::string &target, Child &c, bool churn) {
    std::vector<std::string> argv = {target};
    if (churn)
        argv.push_back("churn");
    if (!start_child(argv, c) || read_line(c.out) != "ready")
        return false;
    // The workers that block must be blocked when the test attaches.
    for (const char *name : {"reader", "longsleep"}) {
        pid_t tid = find_thread(c.pid, name);
        if (!tid || !wait_state(c.pid, tid, 'S'))
            return false;
    }
    return true;
}

Capture::Capture(int fd) : fd_(fd) {
    char tmpl[] = "/tmp/ktap-attach-capture-XXXXXX";
    file_ = mkstemp(tmpl);
    path_ = tmpl;
    fflush(stdout);
    fflush(stderr);
    saved_ = dup(fd_);
    dup2(file_, fd_);
}

Capture::~Capture() {
    restore();
    if (file_ >= 0)
        close(file_);
    unlink(path_.c_str());
}

void Capture::restore() {
    if (saved_ >= 0) {
        fflush(stdout);
        fflush(stderr);
        dup2(saved_, fd_);
        close(saved_);
        saved_ = -1;
    }
}

std::string Capture::contents() const {
    return slurp(path_);
}

std::string finish(Child &c, int usr1, int usr2, int *status) {
    write_str(c.in, "go " + std::to_string(usr1) + " " + std::to_string(usr2) + "\n");
    std::string out = read_all(c.out);
    int st = c.wait();
    if (status)
        *status = st;
    else
        EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "wait status " << st;
    return out;
}

} // namespace attach_test
