// What a target's seccomp filters would do to the system calls ktap makes in it. A filter that
// kills the process on a call ktap's injection or agent makes would kill the target ktap was
// asked to observe: ktap reads the filters (PTRACE_SECCOMP_GET_FILTER, as the tracer) and runs
// them here on each of its calls before it makes any, and refuses with the call and the
// filter's answer when one is not allowed. See docs/attach.md, "Hardened processes".
#pragma once

#include <cstdint>
#include <linux/filter.h>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ktap {

class SeccompFilters {
  public:
    // Reads the filters of thread TID (ptrace-stopped by us). Seccomp mode 0: none; mode 1
    // (strict) and unreadable filters are errors that say why.
    bool read(pid_t pid, pid_t tid, std::string &error);
    bool empty() const { return filters_.empty(); }
    // A filter from elsewhere (tests), as the kernel would run it after those already added.
    void add(std::vector<sock_filter> prog) { filters_.push_back(std::move(prog)); }
    // The combined answer of every filter (the kernel's precedence: the most restrictive
    // action wins) to system call NR of an x86_64 (BITS 64) or i386 (32) thread.
    uint32_t evaluate(int bits, int nr, const uint64_t args[6]) const;

  private:
    std::vector<std::vector<sock_filter>> filters_;
};

// "kill the process", "fail with EPERM", "raise SIGSYS", ... for a filter's answer.
std::string seccomp_action_text(uint32_t ret);

// How the agent gets into the target: the target's dlopen of its memfd (libktap-agent.so), or
// ktap's own loader (libktap-agent-nolibc.so, mapped by the target's mmap; docs/attach.md).
enum class AgentLoad { Dlopen, Loader };

// Checks every system call ktap's injection and agent make (with the arguments that matter to
// filters: memory protections) against FILTERS; false with the first one refused and how.
bool seccomp_allows_ktap(const SeccompFilters &filters, int bits, std::string &why,
                         AgentLoad load = AgentLoad::Dlopen);

} // namespace ktap
