// Loading ktap's agent into a program that has no dynamic loader (statically linked C/C++,
// glibc or musl): ktap is the loader. docs/attach.md, "Programs without a dynamic loader".
#pragma once

#include <cstdint>
#include <string>

namespace ktap {

class RemoteSyscalls;
class Tracee;

// Maps IMAGE, a self-contained shared object (no needed libraries, no interpreter, no TLS, no
// initialisers, relative relocations only: libktap-agent-nolibc.so), into the target from
// TARGET_FD, the target's descriptor of a file holding the same bytes (a sealed memfd): the
// target's own mmap (remote system calls) maps each segment, ktap zeroes the bss and applies the
// relocations through /proc/PID/mem. BIAS: the address of the image's virtual address 0. The
// threads must be stopped. On failure nothing stays mapped.
bool load_image_into_target(Tracee &t, RemoteSyscalls &sys, const std::string &image, int target_fd,
                            uint64_t &bias, std::string &error);

} // namespace ktap
