// The code arena: a memfd that holds JIT-linked handler code. The controller writes it through a
// read-write mapping; the executor runs it through a read-execute mapping of the same file at
// its own address (DESIGN.md decision 1: never RWX). For begin/end/timer probes the executor is
// the controller itself, so both mappings live in this process.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ktap {

class CodeArena {
  public:
    // Creates the memfd and its local read-write mapping.
    static CodeArena *create(size_t bytes, std::string &error);
    // Takes over MEMFD (already BYTES long, page-aligned: a memfd the target created) and maps
    // it read-write here; closes it on failure.
    static CodeArena *adopt(int memfd, size_t bytes, std::string &error);
    ~CodeArena();

    // Maps the arena read-execute in this process and makes that the executor address.
    bool map_executable_here(std::string &error);
    // Uses an executor mapping made elsewhere (the target process) at `base`.
    void set_executor_base(uint64_t base) { exec_base_ = base; }

    int fd() const { return fd_; }
    size_t size() const { return size_; }
    uint64_t executor_base() const { return exec_base_; }
    char *local_base() const { return local_; }

    // Bump allocation of page-aligned ranges; returns the offset or SIZE_MAX when full.
    size_t allocate(size_t bytes);
    char *local(uint64_t executor_addr) const { return local_ + (executor_addr - exec_base_); }

  private:
    CodeArena() = default;
    int fd_ = -1;
    size_t size_ = 0;
    size_t used_ = 0;
    char *local_ = nullptr;
    char *exec_here_ = nullptr;
    uint64_t exec_base_ = 0;
};

} // namespace ktap
