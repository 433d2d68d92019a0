// System calls made by the target itself, for resources that must belong to the target: the
// memfds it maps (ktap takes duplicates), a pipe whose write end only ktap holds. Nothing of
// ktap's is then opened by the target by a path, which another user, another mount or PID
// namespace, or a non-dumpable process could not reach (docs/attach.md, "Shared resources").
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ktap {

class Tracee;

// The system calls ktap asks of a target; numbers per architecture in remote_syscall.cpp.
// Mmap takes its offset in bytes on both arches (i386: mmap2, in pages, is made of it).
enum class RemoteSys { Close, MemfdCreate, Pipe2, Socketpair, Recvmsg, Mmap, Munmap, Mprotect };

class RemoteSyscalls {
  public:
    explicit RemoteSyscalls(Tracee &t) : t_(t) {}
    // Runs the system call on the target's call thread (threads stopped) through its libc's
    // syscall(), or in a process without one (statically linked) through ktap's system-call
    // stub (Tracee::syscall_stub); RESULT is the call's value, or -errno when it failed.
    bool call(RemoteSys nr, const std::vector<uint64_t> &args, int64_t &result,
              std::string &error);
    // From now on system calls go through FN, a function of the target with the stub's
    // contract (the freestanding agent's ktap_agent_syscall).
    void use_function(uint64_t fn);

  private:
    Tracee &t_;
    bool call_stub(long nr, const std::vector<uint64_t> &args, int64_t &result, std::string &error);
    uint64_t syscall_fn_ = 0;
    uint64_t stub_ = 0;
    uint64_t errno_fn_ = 0;
    const char *libc_ = "libc.so.6";
};

// Gives the target a duplicate of this process's LOCAL_FD (SCM_RIGHTS over a socket pair the
// target creates; close-on-exec there): for what only ktap may open, e.g. the target's own
// /proc/PID/mem, which a non-dumpable process of another user may not. TARGET_FD is its number
// in the target. The threads must be stopped (the receive is a remote call).
bool give_fd_to_target(Tracee &t, RemoteSyscalls &sys, int pidfd, int local_fd, int &target_fd,
                       std::string &error);

// Duplicates the target's descriptor TARGET_FD into this process (close-on-exec):
// pidfd_getfd (Linux 5.6; needs the ptrace access ktap has as the tracer), else an open of
// /proc/PID/fd/N with OPEN_FLAGS. -1 with ERROR.
int take_target_fd(pid_t pid, int pidfd, int target_fd, int open_flags, std::string &error);

} // namespace ktap
