#include "code_arena.h"

#include <cerrno>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U  // Linux 6.3; older kernels reject it and we retry without
#endif

namespace ktap {

CodeArena *CodeArena::create(size_t bytes, std::string &error) {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    bytes = (bytes + page - 1) / page * page;
    int fd = memfd_create("ktap-code", MFD_CLOEXEC | MFD_EXEC);
    if (fd < 0 && errno == EINVAL)
        fd = memfd_create("ktap-code", MFD_CLOEXEC);
    if (fd < 0) {
        error = std::string("memfd_create: ") + strerror(errno);
        return nullptr;
    }
    if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
        error = std::string("ftruncate: ") + strerror(errno);
        close(fd);
        return nullptr;
    }
    return adopt(fd, bytes, error);
}

CodeArena *CodeArena::adopt(int fd, size_t bytes, std::string &error) {
    void *rw = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED) {
        error = std::string("mmap: ") + strerror(errno);
        close(fd);
        return nullptr;
    }
    auto *a = new CodeArena();
    a->fd_ = fd;
    a->size_ = bytes;
    a->local_ = static_cast<char *>(rw);
    return a;
}

CodeArena::~CodeArena() {
    if (local_)
        munmap(local_, size_);
    if (exec_here_)
        munmap(exec_here_, size_);
    if (fd_ >= 0)
        close(fd_);
}

bool CodeArena::map_executable_here(std::string &error) {
    void *rx = mmap(nullptr, size_, PROT_READ | PROT_EXEC, MAP_SHARED, fd_, 0);
    if (rx == MAP_FAILED) {
        error = std::string("mmap (read-execute): ") + strerror(errno);
        return false;
    }
    exec_here_ = static_cast<char *>(rx);
    exec_base_ = reinterpret_cast<uint64_t>(rx);
    return true;
}

size_t CodeArena::allocate(size_t bytes) {
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    bytes = (bytes + page - 1) / page * page;
    if (used_ + bytes > size_)
        return SIZE_MAX;
    size_t off = used_;
    used_ += bytes;
    return off;
}

} // namespace ktap
