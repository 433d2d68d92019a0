// The traced process as a session sees it: attached (-x PID) or started (-c CMD) with every
// thread stopped, libktap-agent.so loaded from memory and given the two arenas (memfds the
// target created), probe sites placed and
// armed while the threads are stopped, and at the end the probes removed (original code back)
// before ktap lets go of it. ptrace details live in compiler/attach; the agent's side of each
// step in runtime/agent (see runtime/include/ktap/agent.h for the sequence).
#pragma once

#include "frontend/diagnostics.h"
#include "site_prep.h"

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

struct kt_site;
struct kt_stats;

namespace ktap {

class Tracee;
class RemoteSyscalls;


class TargetProcess {
  public:
    TargetProcess();
    ~TargetProcess();

    // -x PID: attach; -c CMD: start it, stopped before its first instruction of its own code.
    bool attach(pid_t pid, std::string &error);
    bool spawn(const std::string &command, std::string &error);
    // -x PID without function probes: only notice when the process exits.
    bool watch(pid_t pid, std::string &error);

    pid_t pid() const { return pid_; }
    bool spawned() const { return spawned_; }
    std::string arch() const;  // "x86_64" or "i386"
    int bits() const;

    // Before anything is loaded into the target: refuses a process whose protections would
    // make ktap's injection or agent fail or harm it (a seccomp filter that kills or fails a
    // system call ktap needs, MDWE), naming the protection and the reason.
    bool check_injectable(std::string &error);

    // The memory both processes map: a memfd the target creates (a remote memfd_create) and
    // this process takes a duplicate of, BYTES long. Returns this process's descriptor (the
    // caller owns it), -1 with ERROR. The target's descriptor is handed to the agent at
    // inject_agent and closed there (the mappings keep the memory).
    enum class Shared { State, Code };
    int create_shared(Shared which, uint64_t bytes, std::string &error);

    // Loads the agent for the target's architecture from memory (a memfd of the target, filled
    // here; dlopen("/proc/self/fd/N")) or reuses the one a previous session loaded if it is
    // this build's, has it map the two arenas of create_shared and watch a pipe whose write end
    // only this process holds, and returns the target addresses of every runtime function the
    // handlers call (for the JIT linker).
    bool inject_agent(std::map<std::string, uint64_t> &symbols, uint64_t &code_base,
                      std::string &error);

    // Places the sites of the table (threads stopped): trampolines, patch preparation (here,
    // with the target's bytes), registration, a check that no thread executes the bytes being
    // replaced (a thread
    // stopped there is moved to the relocated copy), arming. A refused site gets a warning naming the function and the reason, and a
    // negative status. `sites` is the table inside the local mapping of the state arena;
    // `names` are the functions' symbols (the preparer refuses some by name), `labels` name
    // each site for messages. Returns how many sites are armed.
    uint32_t place(kt_site *sites, uint32_t first, uint32_t n,
                   const std::vector<std::string> &names, const std::vector<std::string> &labels,
                   const NeighborFunctions &neighbors, Diagnostics &diag);
    // After release(): stops the target again, places sites [first, first + n) (a library it
    // loaded since), and lets it go. Returns how many were armed.
    uint32_t add_sites(kt_site *sites, uint32_t first, uint32_t n,
                       const std::vector<std::string> &names,
                       const std::vector<std::string> &labels, const NeighborFunctions &neighbors,
                       Diagnostics &diag);

    // Threads that place() found stopped inside bytes it patched and moved to their relocated
    // copy (for -v).
    // Threads moved out of patched bytes: stopped there, or resuming there from a signal handler.
    uint32_t threads_moved() const { return threads_moved_ + frames_moved_; }
    // How place()/add_sites() patched site K (enum kt_prep_path; chain members: their head's),
    // or -1 when it was not prepared.
    int site_path(uint32_t k) const { return preparer_ ? preparer_->path(k) : -1; }
    bool site_loop_head(uint32_t k) const { return preparer_ && preparer_->loop_head(k); }
    // Sampling probes (ktap/sample.h): the agent's timers on every thread, with the target
    // stopped; RC is ktap_agent_sample_start's. remove_probes stops them.
    bool start_sampling(int64_t &rc, std::string &error);

    // Lets the target run (probes armed); ptrace lets go of it.
    bool release(std::string &error);

    // Non-blocking: has the target exited? (For -c, reaps it and keeps the wait status.)
    bool exited();
    int wait_status() const { return wait_status_; }

    // Takes the probes out again (the caller has cleared probes_enabled): stops the threads,
    // disarms (original bytes back), collects the engine counters into the table, lets the
    // agent unregister in the background, resumes and detaches. Also checks that the bytes
    // of every site equal those read before arming.
    // `stopped` runs once every thread is stopped (the session clears probes_enabled there, so
    // no handler runs between the switch and the disarm). The counters are copied into
    // `counters` (whole site entries: engine counters and disabled_hits, taken at one instant)
    // while the threads are still stopped (the table is rewritten later by the agent as it ends
    // its session).
    // Whether the target has no dynamic loader (statically linked): the agent is then the
    // freestanding one, and ktap maps it itself (attach/image_loader.h).
    bool without_loader();
    // Whether ktap loads the freestanding agent itself (set by check_injectable): without a
    // dynamic loader, or where the target's dlopen cannot load the agent (no procfs in its mount
    // namespace, a seccomp filter against what dlopen does).
    bool nolibc_agent() const { return nolibc_; }
    // -c of a program without a dynamic loader: the agent registers its return stubs' unwind
    // info at ktap's hook on main (ktap_agent_main_hook); unwind_warning() is what to say when
    // that hook cannot be placed ("" when the program cannot throw).
    bool unwind_at_main() const { return unwind_at_main_; }
    std::string unwind_warning();

    bool remove_probes(kt_site *sites, uint32_t n, const std::function<void()> &stopped,
                       std::vector<kt_site> &counters, std::string &error);

  private:
    void move_interrupted_ips(const kt_site *sites, uint32_t first, uint32_t end);
    bool let_run_briefly(std::string &error);  // resume, 2 ms, stop again
    // This build's agent (IMAGE: the library's bytes) as /proc/PID/maps names it: one loaded
    // by an earlier session of this build (found by its build-named memfd, checked byte for
    // byte) or, when there is none, "" (load it; agents of other builds stay where they are).
    // BUILD: agent_build_hash(IMAGE), which names the agent's memfd.
    bool find_loaded_agent(const std::string &image, uint64_t build, std::string &mapped,
                           std::string &error);
    bool load_agent_from_memory(const std::string &image, uint64_t build, std::string &mapped,
                                std::string &error);

    // What the freestanding agent cannot ask a libc: the vDSO, FSGSBASE, the program's own
    // unwinder (when its libc has set its threads up: the unwinder needs malloc and TLS).
    void fill_nolibc_setup(kt_agent_setup &setup);
    // A memfd of the target: its descriptor there (TARGET_FD) and a duplicate here (returned).
    int target_memfd(const char *name, unsigned flags, int &target_fd, std::string &error);
    void close_in_target(int &target_fd);
    // Why a remote system call failed: errno text, and the seccomp filter when there is one.
    std::string refusal(const char *what, int64_t negative_errno) const;
    // Calls an agent function; while it answers KT_AGENT_BUSY (its thread, stopped by ptrace,
    // holds its lock) lets the target run briefly and calls again, unless !retry_busy.
    bool agent_call(const char *fn, const std::vector<uint64_t> &args, int64_t &result,
                    std::string &error, bool retry_busy = true);

    std::unique_ptr<Tracee> tracee_;
    pid_t pid_ = 0;
    bool spawned_ = false;
    bool gone_ = false;
    int wait_status_ = 0;
    int pidfd_ = -1;
    std::unique_ptr<RemoteSyscalls> sys_;
    struct SharedFd {
        int target_fd = -1;
        uint64_t bytes = 0;
    } shared_[2];       // by Shared
    int alive_fd_ = -1; // write end of the agent's liveness pipe, held for the whole session
    std::map<std::string, uint64_t> agent_fns_;  // ktap_agent_* in the target
    std::unique_ptr<SitePreparer> preparer_;  // created at the first placement
    uint32_t threads_moved_ = 0;
    uint32_t frames_moved_ = 0;
    bool sampling_ = false;
    int without_loader_ = -1; // -1: not looked at yet
    bool unwind_at_main_ = false;
    bool nolibc_ = false;
    bool go_ = false; // a Go program (check_injectable)
    bool target_has_procfs() const;
    bool use_call_stack(std::string &error); // Go: remote calls on a stack of ktap's
};

// The agent library for an architecture, next to the ktap binary (lib/ or lib32/); NOLIBC: the
// freestanding one for programs without a dynamic loader (libktap-agent-nolibc.so).
std::string agent_library(const std::string &arch, bool nolibc = false);

} // namespace ktap
