// Helpers of the attach tests: child processes with pipes, /proc queries, stdout capture.
#pragma once

#include <string>
#include <sys/types.h>
#include <vector>

namespace attach_test {

// A target started with its stdin and stdout on pipes (stderr inherited).
struct Child {
    pid_t pid = -1;
    int in = -1;  // write end of its stdin
    int out = -1; // read end of its stdout
    Child() = default;
    Child(const Child &) = delete;
    Child &operator=(const Child &) = delete;
    ~Child();   // kills and reaps it if still there
    int wait(); // closes stdin, waits for the exit; the wait status, or -1 if reaped elsewhere
};

bool start_child(const std::vector<std::string> &argv, Child &c);
std::string read_line(int fd, int timeout_ms = 5000);
std::string read_all(int fd, int timeout_ms = 10000);
void write_str(int fd, const std::string &s);

// The thread of PID whose name (/proc/PID/task/TID/comm) is NAME; 0 when none.
pid_t find_thread(pid_t pid, const std::string &name);
// Waits until the thread's state letter is STATE.
bool wait_state(pid_t pid, pid_t tid, char state, int timeout_ms = 3000);
char state_of(pid_t pid, pid_t tid);
std::string exe_of(pid_t pid);

// What target.c prints when nothing went wrong.
std::string expected_output(int usr1, int usr2, bool churn);

// Starts TARGET, waits for "ready" and for its workers to block, as the attach tests need.
bool start_target(const std::string &target, Child &c, bool churn = false);

// Lets a target of start_target finish: "go U1 U2", then its whole output. Its wait status goes
// to STATUS when given; otherwise a non-zero exit fails the test.
std::string finish(Child &c, int usr1, int usr2, int *status = nullptr);

// Redirects this process's fd 1 (or 2) into a temporary file until restore().
class Capture {
  public:
    explicit Capture(int fd = 1);
    ~Capture();
    void restore();
    std::string contents() const;

  private:
    int fd_, saved_ = -1, file_ = -1;
    std::string path_;
};

} // namespace attach_test
