#include "remote_syscall.h"

#include "tracee.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/uio.h>
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
    case RemoteSys::Socketpair: return i386 ? 360 : 53;
    case RemoteSys::Recvmsg: return i386 ? 372 : 47;
    case RemoteSys::Mmap:
        return i386 ? 192 : 9;
    case RemoteSys::Munmap:
        return i386 ? 91 : 11;
    case RemoteSys::Mprotect:
        return i386 ? 125 : 10;
    }
    return -1;
}

const char *name(RemoteSys nr) {
    switch (nr) {
    case RemoteSys::Close: return "close";
    case RemoteSys::MemfdCreate: return "memfd_create";
    case RemoteSys::Pipe2: return "pipe2";
    case RemoteSys::Socketpair: return "socketpair";
    case RemoteSys::Recvmsg: return "recvmsg";
    case RemoteSys::Mmap:
        return "mmap";
    case RemoteSys::Munmap:
        return "munmap";
    case RemoteSys::Mprotect:
        return "mprotect";
    }
    return "?";
}

} // namespace

bool RemoteSyscalls::call(RemoteSys nr, const std::vector<uint64_t> &args, int64_t &result,
                          std::string &error) {
    std::vector<uint64_t> full_args = args;
    if (nr == RemoteSys::Mmap && t_.bits() == 32 && full_args.size() == 6)
        full_args[5] /= 4096; // mmap2 counts pages
    // glibc (and musl) export syscall() and __errno_location(); a statically linked target
    // has neither in a symbol table ktap can rely on: ktap's own stub then.
    if (!syscall_fn_ && !stub_) {
        for (const char *lib : {"libc.so.6", "ld-musl", "libc.musl"}) {
            std::string ignored;
            if (resolve_function(t_, lib, "syscall", syscall_fn_, ignored)) {
                libc_ = lib;
                break;
            }
        }
        if (!syscall_fn_ && !(stub_ = t_.syscall_stub(error))) {
            error = std::string("cannot make the system call ") + name(nr) + " in process " +
                    std::to_string(t_.pid()) + ": " + error;
            return false;
        }
    }
    if (stub_) {
        if (call_stub(number(nr, t_.bits()), full_args, result, error))
            return true;
        error = std::string(name(nr)) + " in process " + std::to_string(t_.pid()) + ": " + error;
        return false;
    }
    std::vector<uint64_t> full{static_cast<uint64_t>(number(nr, t_.bits()))};
    full.insert(full.end(), full_args.begin(), full_args.end());
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
        if (!errno_fn_) // looked up only when needed: a failure is rare
            resolve_function(t_, libc_, "__errno_location", errno_fn_, ignored);
        if (errno_fn_ && t_.call(errno_fn_, {}, where, ignored) && where &&
            t_.read(where, &err, sizeof err) && err > 0)
            value = -err;
        else
            value = -EIO;
    }
    result = value;
    return true;
}

void RemoteSyscalls::use_function(uint64_t fn) {
    stub_ = fn;
}

bool RemoteSyscalls::call_stub(long nr, const std::vector<uint64_t> &args, int64_t &result,
                               std::string &error) {
    const bool i386 = t_.bits() == 32;
    const size_t word = i386 ? 4 : 8;
    std::vector<uint8_t> block(7 * word, 0);
    auto put = [&](size_t i, uint64_t v) { memcpy(block.data() + i * word, &v, word); };
    put(0, static_cast<uint64_t>(nr));
    for (size_t i = 0; i < args.size() && i < 6; ++i)
        put(i + 1, args[i]);
    uint64_t at = 0, raw = 0;
    if (!t_.scratch(block.size(), at, error) || !t_.write(at, block.data(), block.size()) ||
        !t_.call(stub_, {at}, raw, error))
        return false;
    result = i386 ? static_cast<int32_t>(static_cast<uint32_t>(raw)) : static_cast<int64_t>(raw);
    return true;
}

bool give_fd_to_target(Tracee &t, RemoteSyscalls &sys, int pidfd, int local_fd, int &target_fd,
                       std::string &error) {
    const pid_t pid = t.pid();
    const bool i386 = t.bits() == 32;
    uint64_t pair_at = 0;
    int64_t rc = 0;
    if (!t.scratch(8, pair_at, error) ||
        !sys.call(RemoteSys::Socketpair, {AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair_at}, rc,
                  error))
        return false;
    int32_t pair[2] = {-1, -1};
    if (rc < 0 || !t.read(pair_at, pair, sizeof pair)) {
        error = "socketpair in process " + std::to_string(pid) + " failed: " +
                strerror(rc < 0 ? static_cast<int>(-rc) : EIO);
        return false;
    }
    auto close_remote = [&](int fd) {
        int64_t ignored_rc = 0;
        std::string ignored;
        sys.call(RemoteSys::Close, {static_cast<uint64_t>(fd)}, ignored_rc, ignored);
    };
    int ours = take_target_fd(pid, pidfd, pair[1], O_RDWR, error);
    close_remote(pair[1]);
    if (ours < 0) {
        close_remote(pair[0]);
        return false;
    }
    // One byte of data with the descriptor: a stream socket delivers the rights with it.
    char byte = 'k';
    iovec iov{&byte, 1};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &local_fd, sizeof(int));
    bool sent = sendmsg(ours, &msg, MSG_NOSIGNAL) == 1;
    close(ours);
    if (!sent) {
        error = std::string("cannot send a descriptor to process ") + std::to_string(pid) + ": " +
                strerror(errno);
        close_remote(pair[0]);
        return false;
    }
    // The target's recvmsg, with its own struct layouts: msghdr, iovec and cmsghdr are made of
    // pointer-sized words (x86_64: 56/16/16 bytes; i386: 28/8/12), the control buffer holds one
    // int after the header, aligned to a word.
    const uint64_t word = i386 ? 4 : 8;
    const uint64_t hdr_len = i386 ? 12 : 16, control_len = hdr_len + 8;
    const uint64_t msg_len = 7 * word, iov_len = 2 * word;
    uint64_t area = 0;
    if (!t.scratch(msg_len + iov_len + control_len + 8, area, error)) {
        close_remote(pair[0]);
        return false;
    }
    uint64_t msg_at = area, iov_at = area + msg_len, control_at = iov_at + iov_len,
             byte_at = control_at + control_len;
    std::vector<uint8_t> mem(msg_len + iov_len + control_len + 8, 0);
    auto put = [&](uint64_t at, uint64_t v) { memcpy(mem.data() + (at - area), &v, word); };
    // msghdr: name, namelen, iov, iovlen, control, controllen, flags
    put(msg_at + 2 * word, iov_at);
    put(msg_at + 3 * word, 1);
    put(msg_at + 4 * word, control_at);
    put(msg_at + 5 * word, control_len);
    put(iov_at, byte_at);
    put(iov_at + word, 1);
    if (!t.write(area, mem.data(), mem.size()) ||
        !sys.call(RemoteSys::Recvmsg, {static_cast<uint64_t>(pair[0]), msg_at, MSG_CMSG_CLOEXEC},
                  rc, error)) {
        close_remote(pair[0]);
        return false;
    }
    // Read the answer before the next remote call: its frame reuses the scratch area.
    std::vector<uint8_t> back(control_len);
    int32_t level = 0, type = 0, fd = -1;
    bool got = rc == 1 && t.read(control_at, back.data(), back.size());
    close_remote(pair[0]);
    if (!got) {
        error = "recvmsg in process " + std::to_string(pid) + " failed: " +
                strerror(rc < 0 ? static_cast<int>(-rc) : EIO);
        return false;
    }
    memcpy(&level, back.data() + word, 4);
    memcpy(&type, back.data() + word + 4, 4);
    memcpy(&fd, back.data() + hdr_len, 4);
    if (level != SOL_SOCKET || type != SCM_RIGHTS || fd < 0) {
        error = "process " + std::to_string(pid) + " received no descriptor";
        return false;
    }
    target_fd = fd;
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
