#include "remote_syscall.h"

#include "tracee.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438 // same number on x86_64 and i386
#endif

namespace ktap {

namespace {

long number(RemoteSys nr, int bits) {
    const bool i386 = bits == 32;
    switch (nr) {
    case RemoteSys::Close: return i386 ? 6 : 3;
    case RemoteSys::MemfdCreate: return i386 ? 356 : 319;
    case RemoteSys::Pipe2: return i386 ? 331 : 293;
    case RemoteSys::Prctl: return i386 ? 172 : 157;
    }
    return -1;
}

const char *name(RemoteSys nr) {
    switch (nr) {
    case RemoteSys::Close: return "close";
    case RemoteSys::MemfdCreate: return "memfd_create";
    case RemoteSys::Pipe2: return "pipe2";
    case RemoteSys::Prctl: return "prctl";
    }
    return "?";
}

} // namespace

bool RemoteSyscalls::call(RemoteSys nr, const std::vector<uint64_t> &args, int64_t &result,
                          std::string &error) {
    // glibc (and musl) export syscall() and __errno_location(); a statically linked target
    // has neither in a symbol table ktap can rely on.
    if (!syscall_fn_) {
        for (const char *lib : {"libc.so.6", "ld-musl", "libc.musl"})
            if (resolve_function(t_, lib, "syscall", syscall_fn_, error)) {
                resolve_function(t_, lib, "__errno_location", errno_fn_, error);
                break;
            }
        if (!syscall_fn_) {
            error = std::string("cannot make the system call ") + name(nr) + " in process " +
                    std::to_string(t_.pid()) + ": no syscall() in its libc (statically linked?)";
            return false;
        }
    }
    std::vector<uint64_t> full{static_cast<uint64_t>(number(nr, t_.bits()))};
    full.insert(full.end(), args.begin(), args.end());
    uint64_t raw = 0;
    if (!t_.call(syscall_fn_, full, raw, error)) {
        error = std::string(name(nr)) + " in process " + std::to_string(t_.pid()) + ": " + error;
        return false;
    }
    // syscall() returns -1 and sets errno on failure.
    int64_t value = t_.bits() == 32 ? static_cast<int32_t>(static_cast<uint32_t>(raw))
                                    : static_cast<int64_t>(raw);
    if (value == -1) {
        uint64_t where = 0;
        int32_t err = 0;
        std::string ignored;
        if (errno_fn_ && t_.call(errno_fn_, {}, where, ignored) && where &&
            t_.read(where, &err, sizeof err) && err > 0)
            value = -err;
        else
            value = -EIO;
    }
    result = value;
    return true;
}

int take_target_fd(pid_t pid, int pidfd, int target_fd, int open_flags, std::string &error) {
    if (pidfd >= 0) {
        long fd = syscall(SYS_pidfd_getfd, pidfd, target_fd, 0);
        if (fd >= 0)
            return static_cast<int>(fd);
        if (errno != ENOSYS) {
            error = "cannot take descriptor " + std::to_string(target_fd) + " of process " +
                    std::to_string(pid) + " (pidfd_getfd): " + strerror(errno);
            return -1;
        }
    }
    std::string path = "/proc/" + std::to_string(pid) + "/fd/" + std::to_string(target_fd);
    int fd = open(path.c_str(), open_flags | O_CLOEXEC);
    if (fd < 0)
        error = "cannot open " + path + ": " + strerror(errno);
    return fd;
}

} // namespace ktap
