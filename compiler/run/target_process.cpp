#include "target_process.h"

#include "site_prep.h"

#include "../attach/image_loader.h"
#include "../attach/proc.h"
#include "../attach/remote_syscall.h"
#include "../attach/seccomp.h"
#include "../attach/signal_frames.h"
#include "../attach/tracee.h"
#include "kt_lang.h"
#include "ktap/agent.h"
#include "ktap/prep.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <linux/magic.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U // Linux 6.3; older kernels reject it and we retry without
#endif

namespace ktap {

namespace {

std::string self_dir() {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return ".";
    self[n] = '\0';
    std::string dir = self;
    dir.resize(dir.rfind('/'));
    return dir;
}

// The target's auxiliary vector entry TYPE (0 when absent).
uint64_t auxv_value(pid_t pid, int bits, uint64_t type) {
    uint64_t value = 0;
    return read_auxv_entry(pid, bits, type, value) ? value : 0;
}

} // namespace

std::string agent_library(const std::string &arch, bool nolibc) {
    return self_dir() + (arch == "i386" ? "/lib32/" : "/lib/") +
           (nolibc ? "libktap-agent-nolibc.so" : "libktap-agent.so");
}

TargetProcess::TargetProcess()
    : tracee_(std::make_unique<Tracee>()), sys_(std::make_unique<RemoteSyscalls>(*tracee_)) {}

TargetProcess::~TargetProcess() {
    // A -c command that never got released (an error before its probes were placed) is
    // killed, as stap does; an attached process is let go unchanged (Tracee's destructor).
    if (spawned_ && tracee_->attached() && !gone_) {
        kill(pid_, SIGKILL);
        tracee_->detach();
        // Reap every task ptrace reports to us: the leader is reaped only after them.
        for (pid_t r; (r = waitpid(-1, nullptr, __WALL)) > 0 && r != pid_;)
            ;
    }
    if (pidfd_ >= 0)
        close(pidfd_);
    if (alive_fd_ >= 0)
        close(alive_fd_);
}

bool TargetProcess::attach(pid_t pid, std::string &error) {
    if (!tracee_->attach(pid, error))
        return false;
    pid_ = pid;
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    return true;
}

bool TargetProcess::watch(pid_t pid, std::string &error) {
    if (kill(pid, 0) != 0 && errno == ESRCH) {
        error = "no process " + std::to_string(pid);
        return false;
    }
    pid_ = pid;
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
    return true;
}

bool TargetProcess::spawn(const std::string &command, std::string &error) {
    if (!tracee_->spawn(command, error))
        return false;
    pid_ = tracee_->pid();
    spawned_ = true;
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    return true;
}

int TargetProcess::bits() const { return tracee_->bits(); }

std::string TargetProcess::arch() const { return bits() == 32 ? "i386" : "x86_64"; }

bool TargetProcess::agent_call(const char *fn, const std::vector<uint64_t> &args,
                               int64_t &result, std::string &error, bool retry_busy) {
    auto it = agent_fns_.find(fn);
    if (it == agent_fns_.end()) {
        error = std::string("the agent does not export ") + fn;
        return false;
    }
    // The agent's own thread may hold the agent's lock while ptrace stops it: the call then
    // answers KT_AGENT_BUSY at once, and the target runs a moment before the next try.
    for (int attempt = 0;; ++attempt) {
        uint64_t r = 0;
        if (!tracee_->call(it->second, args, r, error)) {
            error = std::string(fn) + ": " + error;
            return false;
        }
        // The agent returns int32_t: sign-extend from the low 32 bits on both arches.
        result = static_cast<int32_t>(static_cast<uint32_t>(r));
        if (result != KT_AGENT_BUSY || !retry_busy)
            return true;
        if (attempt == 150) {
            error = std::string(fn) + ": the agent stayed busy for 3 s";
            return false;
        }
        if (!let_run_briefly(error))
            return false;
    }
}

bool TargetProcess::let_run_briefly(std::string &error) {
    tracee_->resume_all();
    usleep(2 * 1000);
    tracee_->service_events();
    return tracee_->stop_all(error);
}

std::string TargetProcess::refusal(const char *what, int64_t negative_errno) const {
    std::string why = std::string(what) + " in process " + std::to_string(pid_) + " failed: " +
                      strerror(static_cast<int>(-negative_errno));
    if (status_field(pid_, "Seccomp") == "2")
        why += " (the process runs under a seccomp filter, which may forbid " +
               std::string(what) + ")";
    return why;
}

bool TargetProcess::check_injectable(std::string &error) {
    const std::string who = "cannot trace process " + std::to_string(pid_) + ": ";
    // Go (x86_64): handlers run on the engine's own stacks (a goroutine's has no room for
    // them) and return probes are refused (Go's runtime walks goroutine stacks by return
    // address); without a libc, Go's threads are told apart by rdfsbase (FSGSBASE).
    go_ = is_go_program(pid_);
    if (go_ && bits() == 32) {
        error = who + "it is a 32-bit Go program, which ktap cannot trace (its handlers need a "
                      "stack switch that exists for x86_64 only; nothing was changed in the "
                      "process)";
        return false;
    }
    if (go_ && without_loader() &&
        !(auxv_value(pid_, bits(), 26 /* AT_HWCAP2 */) & 2 /* FSGSBASE */)) {
        error = who + "it is a Go program and this kernel or CPU does not enable FSGSBASE, "
                      "without which ktap cannot tell Go's threads apart (nothing was changed in "
                      "the process)";
        return false;
    }
    // The agent: the target's dlopen loads it through its /proc/self/fd; without a dynamic
    // loader, without procfs in the target's mount namespace, or under a seccomp filter that
    // refuses what dlopen does, ktap loads the freestanding agent itself.
    nolibc_ = without_loader() || !target_has_procfs();
    // Seccomp filters are per thread; the agent's calls run on every thread.
    auto filters_allow = [&](AgentLoad load, std::string &why) {
        for (pid_t tid : tracee_->threads()) {
            SeccompFilters filters;
            if (!filters.read(pid_, tid, why) || !seccomp_allows_ktap(filters, bits(), why, load))
                return false;
        }
        return true;
    };
    std::string why, why_loader;
    if (!filters_allow(nolibc_ ? AgentLoad::Loader : AgentLoad::Dlopen, why)) {
        if (nolibc_ || !filters_allow(AgentLoad::Loader, why_loader)) {
            error = who + why + " (nothing was changed in the process)";
            return false;
        }
        nolibc_ = true;
    }
    // MDWE (prctl PR_SET_MDWE) needs nothing here: the engine notices it and writes code
    // through /proc/self/mem (runtime/rt_sys.c).
    return !go_ || use_call_stack(error);
}

// A Go program's threads run on goroutine stacks, which have only the room Go's own stack checks
// leave below the stack pointer: ktap's remote calls (their frames, the signal frame that makes
// them survive ktap's death, the agent's own stack use) get a stack of their own, 256 KiB mapped
// by the program once (with one lean call: a few words below its stack pointer) and found again
// by later sessions by the marker at its bottom.
bool TargetProcess::use_call_stack(std::string &error) {
    constexpr uint64_t kBytes = 256 * 1024;
    static const char kMarker[] = "ktap-call-stack";
    std::vector<Mapping> maps;
    if (read_maps(pid_, maps, error))
        for (const Mapping &m : maps) {
            char have[sizeof kMarker] = {};
            if (m.perms == "rw-p" && m.path.empty() && m.end - m.start == kBytes &&
                tracee_->read(m.start, have, sizeof have) && !memcmp(have, kMarker, sizeof have)) {
                tracee_->set_call_stack(m.end);
                return true;
            }
        }
    int64_t at = 0;
    const uint64_t none = bits() == 32 ? 0xffffffffu : ~uint64_t{0};
    tracee_->set_lean_calls(true);
    bool called = sys_->call(
        RemoteSys::Mmap,
        {0, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, none, 0},
        at, error);
    tracee_->set_lean_calls(false);
    if (!called || (at < 0 && at > -4096)) {
        error = "cannot trace process " + std::to_string(pid_) +
                ": a stack for ktap's calls: " + (called ? strerror(static_cast<int>(-at)) : error);
        return false;
    }
    uint64_t base = static_cast<uint64_t>(at) & none;
    if (!tracee_->write(base, kMarker, sizeof kMarker)) {
        error = "cannot trace process " + std::to_string(pid_) + ": cannot write its call stack";
        return false;
    }
    tracee_->set_call_stack(base + kBytes);
    return true;
}

int TargetProcess::target_memfd(const char *name, unsigned flags, int &target_fd,
                                std::string &error) {
    uint64_t name_at = 0;
    int64_t fd = -1;
    if (!tracee_->push_string(name, name_at, error) ||
        !sys_->call(RemoteSys::MemfdCreate, {name_at, flags}, fd, error))
        return -1;
    // MFD_EXEC (Linux 6.3) is unknown to older kernels: without it memfds are executable.
    if (fd == -EINVAL && (flags & MFD_EXEC)) {
        if (!tracee_->push_string(name, name_at, error) ||
            !sys_->call(RemoteSys::MemfdCreate, {name_at, flags & ~MFD_EXEC}, fd, error))
            return -1;
    }
    if (fd < 0) {
        error = refusal("memfd_create", fd);
        return -1;
    }
    target_fd = static_cast<int>(fd);
    int local = take_target_fd(pid_, pidfd_, target_fd, O_RDWR, error);
    if (local < 0)
        close_in_target(target_fd);
    return local;
}

void TargetProcess::close_in_target(int &target_fd) {
    if (target_fd < 0)
        return;
    int64_t rc = 0;
    std::string ignored;
    sys_->call(RemoteSys::Close, {static_cast<uint64_t>(target_fd)}, rc, ignored);
    target_fd = -1;
}

int TargetProcess::create_shared(Shared which, uint64_t bytes, std::string &error) {
    SharedFd &s = shared_[static_cast<int>(which)];
    const bool code = which == Shared::Code;
    close_in_target(s.target_fd);
    int local = target_memfd(code ? "ktap-code" : "ktap-state", MFD_CLOEXEC | (code ? MFD_EXEC : 0),
                             s.target_fd, error);
    if (local < 0)
        return -1;
    if (ftruncate(local, static_cast<off_t>(bytes)) != 0) {
        error = std::string("cannot size the shared memory: ") + strerror(errno);
        close(local);
        close_in_target(s.target_fd);
        return -1;
    }
    s.bytes = bytes;
    return local;
}

namespace {

// The file's first MAX bytes (all of it by default).
bool read_whole(const std::string &path, std::string &out, size_t max = SIZE_MAX) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    out.clear();
    char buf[1 << 16];
    for (ssize_t n; out.size() < max &&
                    (n = read(fd, buf, std::min(sizeof buf, max - out.size()))) > 0;)
        out.append(buf, static_cast<size_t>(n));
    close(fd);
    return true;
}

bool write_whole(int fd, const std::string &data) {
    for (size_t done = 0; done < data.size();) {
        ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n <= 0)
            return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

// The agent's memfd is named after its build: "libktap-agent-<64-bit FNV-1a of the file>.so".
// The library is never unloaded (-z nodelete), so a process traced by another build of ktap
// (rebuilt, upgraded, or a second installation) keeps that build's agent; this build loads its
// own beside it (its own runtime, thread blocks and TLS; the older one is idle: its session
// ended and restored every site) and finds it again by name in later sessions.
uint64_t agent_build_hash(const std::string &image) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : image)
        h = (h ^ c) * 0x100000001b3ull;
    return h;
}

std::string agent_memfd_name(uint64_t build) {
    char hex[17];
    snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(build));
    return std::string("libktap-agent-") + hex + ".so";
}

// The name the target's dlopen gets for the agent's memfd (descriptor FD there). glibc returns
// an already loaded object whose name is the same string, and descriptor numbers are reused:
// "/proc/self/fd/./N" for every build would hand a later build the earlier one's agent. The path
// spells 16 bits of the build's hash as "/." and "//." components, so another build's name
// differs (and a program's own "/proc/self/fd/N" never matches).
std::string agent_load_path(uint64_t h, int fd) {
    std::string path = "/proc/self/fd";
    for (int bit = 0; bit < 16; ++bit)
        path += (h >> bit) & 1 ? "/." : "//."; // one slash or two before each dot: decodable
    return path + "/" + std::to_string(fd);
}

} // namespace

bool TargetProcess::find_loaded_agent(const std::string &image, uint64_t build,
                                      std::string &mapped, std::string &error) {
    std::vector<Mapping> maps;
    if (!read_maps(pid_, maps, error))
        return false;
    // Agents of other builds (other names, or loaded by a path by an older ktap) are left alone.
    const std::string ours = "/memfd:" + agent_memfd_name(build);
    for (const Mapping &m : maps) {
        if (m.path.rfind(ours, 0) != 0 || m.offset != 0)
            continue;
        // The first mapping (ELF headers, symbols, the build-id note; never relocated) is
        // compared with the file's start, read from target memory (map_files needs
        // CAP_SYS_ADMIN): the name is a hash, the bytes are the proof.
        std::vector<char> theirs(m.end - m.start);
        if (image.size() < theirs.size() || !tracee_->read(m.start, theirs.data(), theirs.size()) ||
            image.compare(0, theirs.size(), theirs.data(), theirs.size()) != 0) {
            error = "process " + std::to_string(pid_) + " has a library named like this ktap's "
                    "agent (" + m.path + ") whose code differs from it";
            return false;
        }
        mapped = m.path;
        return true;
    }
    mapped.clear();
    return true;
}

bool TargetProcess::target_has_procfs() const {
    struct statfs sfs;
    std::string at = "/proc/" + std::to_string(pid_) + "/root/proc";
    // Not readable (non-root ktap, another user's process: refused later anyway): as before.
    return statfs(at.c_str(), &sfs) != 0 || sfs.f_type == PROC_SUPER_MAGIC;
}

bool TargetProcess::without_loader() {
    if (without_loader_ < 0) {
        std::vector<Mapping> maps;
        std::string ignored;
        without_loader_ = 0;
        if (read_maps(pid_, maps, ignored)) {
            without_loader_ = 1;
            for (const Mapping &m : maps) {
                std::string base = m.path.substr(m.path.rfind('/') + 1);
                if (base.rfind("ld-linux", 0) == 0 || base.rfind("ld-musl", 0) == 0 ||
                    base.rfind("ld.so", 0) == 0 || base.rfind("libc.so", 0) == 0)
                    without_loader_ = 0;
            }
        }
    }
    return without_loader_ == 1;
}

void TargetProcess::fill_nolibc_setup(kt_agent_setup &setup) {
    setup.vdso_base = auxv_value(pid_, bits(), 33 /* AT_SYSINFO_EHDR */);
    if (bits() == 64 && (auxv_value(pid_, bits(), 26 /* AT_HWCAP2 */) & 2 /* FSGSBASE */))
        setup.flags |= KT_SETUP_FSGSBASE;
    // The program's own unwinder (libgcc_eh linked in) learns of the return stubs, so that an
    // exception or a thread's cancellation through a return-probed frame finds its way.
    // __register_frame takes the unwinder's lock and mallocs: at init only once the program's
    // libc has set up the calling thread, else (the entry point of -c) at ktap's hook on main.
    std::string ignored;
    uint64_t reg = 0, find = 0;
    // A static program's own libgcc_eh, else a dynamic one's libgcc_s when it is loaded.
    std::string unwinder = "";
    if (!find_symbol_in_target(pid_, unwinder, "__register_frame", reg, ignored) &&
        !without_loader())
        unwinder = "libgcc_s.so.1";
    if (find_symbol_in_target(pid_, unwinder, "__register_frame", reg, ignored)) {
        setup.register_frame = reg;
        if (find_symbol_in_target(pid_, unwinder, "_Unwind_Find_FDE", find, ignored))
            setup.find_fde = find;
        if (!tracee_->thread_pointer_set(tracee_->call_thread())) {
            setup.flags |= KT_SETUP_UNWIND_AT_MAIN;
            unwind_at_main_ = true;
        }
    }
}

std::string TargetProcess::unwind_warning() {
    std::string ignored;
    uint64_t addr = 0;
    if (!find_symbol_in_target(pid_, "", "__cxa_throw", addr, ignored))
        return "";
    return "process " + std::to_string(pid_) +
           " is statically linked and ktap could not tell its unwinder about the return stubs "
           "(no main() to do it from after its libc has started): an exception thrown through "
           "a function that has a return probe will terminate it";
}

bool TargetProcess::load_agent_from_memory(const std::string &image, uint64_t build,
                                           std::string &mapped, std::string &error) {
    const std::string name = agent_memfd_name(build);
    int target_fd = -1;
    int local = target_memfd(name.c_str(), MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC, target_fd,
                             error);
    if (local < 0) {
        error = "cannot load the agent into process " + std::to_string(pid_) + ": " + error;
        return false;
    }
    // Sealed before the target maps it: nobody (not this process either) changes the code.
    bool filled = write_whole(local, image) &&
                  fcntl(local, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE |
                                                F_SEAL_SEAL) == 0;
    close(local);
    if (!filled) {
        error = std::string("cannot fill the agent's memfd: ") + strerror(errno);
        close_in_target(target_fd);
        return false;
    }
    uint64_t handle = 0;
    // The freestanding agent is mapped and relocated by ktap itself.
    const bool nolibc = nolibc_;
    bool loaded = nolibc
                      ? load_image_into_target(*tracee_, *sys_, image, target_fd, handle, error)
                      : remote_dlopen(*tracee_, agent_load_path(build, target_fd), handle, error);
    close_in_target(target_fd); // the loader keeps its mappings, not the descriptor
    if (!loaded && nolibc)
        return false;
    if (!loaded) {
        error += " (ktap loads its agent through the target's /proc/self/fd: is /proc mounted "
                 "in its namespace?)";
        return false;
    }
    mapped = "/memfd:" + name + " (deleted)";
    return true;
}

bool TargetProcess::inject_agent(std::map<std::string, uint64_t> &symbols, uint64_t &code_base,
                                 std::string &error) {
    std::string file = agent_library(arch(), nolibc_);
    if (access(file.c_str(), R_OK) != 0) {
        error = "the agent library " + file + " is missing (build the ktap-agent targets)";
        return false;
    }
    SharedFd &state = shared_[static_cast<int>(Shared::State)];
    SharedFd &code = shared_[static_cast<int>(Shared::Code)];
    if (state.target_fd < 0 || code.target_fd < 0) {
        error = "internal: the arenas were not created in the target";
        return false;
    }
    std::string image, mapped;
    if (!read_whole(file, image) || image.size() < 64) {
        error = "cannot read the agent library " + file;
        return false;
    }
    uint64_t build = agent_build_hash(image); // names the memfd: computed once
    if (!find_loaded_agent(image, build, mapped, error) ||
        (mapped.empty() && !load_agent_from_memory(image, build, mapped, error)))
        return false;
    // The mapped agent holds the bytes of FILE (loaded from it, or compared above).
    if (!mapped_library_exports(*tracee_, mapped, symbols, error, file))
        return false;
    for (const auto &[name, addr] : symbols)
        if (name.rfind("ktap_agent_", 0) == 0)
            agent_fns_[name] = addr;
    // The freestanding agent makes ktap's system calls from here on (also in later sessions,
    // which find it loaded): no stub of ktap's stays in the program's own code.
    if (auto it = agent_fns_.find("ktap_agent_syscall"); it != agent_fns_.end())
        sys_->use_function(it->second);
    // libgcc's 64-bit division helpers, which i386 code calls, under the agent's names.
    if (bits() == 32)
        for (const char *fn : {"divdi3", "moddi3", "udivdi3", "umoddi3"}) {
            auto it = symbols.find(std::string("ktap_") + fn);
            if (it != symbols.end())
                symbols[std::string("__") + fn] = it->second;
        }

    // The liveness pipe: the target keeps the read end (the agent's watchdog polls it), only
    // this process holds the write end; its hang-up is the controller's death in any PID
    // namespace (a pid of this process may mean nothing there).
    uint64_t fds_at = 0;
    int64_t rc = 0;
    if (!tracee_->scratch(8, fds_at, error) ||
        !sys_->call(RemoteSys::Pipe2, {fds_at, O_CLOEXEC}, rc, error))
        return false;
    if (rc < 0) {
        error = refusal("pipe2", rc);
        return false;
    }
    int32_t fds[2] = {-1, -1};
    if (!tracee_->read(fds_at, fds, sizeof fds)) {
        error = "cannot read the pipe's descriptors from process " + std::to_string(pid_);
        return false;
    }
    int alive_read = fds[0], alive_write = fds[1];
    if (alive_fd_ >= 0)
        close(alive_fd_);
    alive_fd_ = take_target_fd(pid_, pidfd_, alive_write, O_WRONLY, error);
    close_in_target(alive_write);
    if (alive_fd_ < 0) {
        close_in_target(alive_read);
        return false;
    }

    // The target's own /proc/PID/mem, opened here: the engine writes code through it where
    // memory may not become writable and executable (MDWE), and a non-dumpable process of
    // another user than root may not open its own (its /proc files then belong to root). Given
    // to every target: one that can open its own now may not later (a -c daemon drops its
    // privileges and sets MDWE in main). The agent closes it when the session ends.
    int mem_target_fd = -1;
    {
        std::string mem_path = "/proc/" + std::to_string(pid_) + "/mem";
        int mem = open(mem_path.c_str(), O_RDWR | O_CLOEXEC);
        std::string why;
        if (mem < 0 || !give_fd_to_target(*tracee_, *sys_, pidfd_, mem, mem_target_fd, why))
            mem_target_fd = -1; // only MDWE targets need it: their sites then say why
        if (mem >= 0)
            close(mem);
    }

    kt_agent_setup setup{};
    setup.mem_fd = mem_target_fd;
    setup.state_fd = state.target_fd;
    setup.code_fd = code.target_fd;
    setup.alive_fd = alive_read;
    setup.state_bytes = state.bytes;
    setup.code_bytes = code.bytes;
    setup.controller_pid = getpid();
    setup.target_pid = pid_;
    if (nolibc_)
        fill_nolibc_setup(setup);
    if (go_)
        setup.flags |= KT_SETUP_GO;
    uint64_t at = 0;
    if (!tracee_->scratch(sizeof setup, at, error) || !tracee_->write(at, &setup, sizeof setup)) {
        error = "cannot pass the agent its setup: " + error;
        close_in_target(alive_read);
        close_in_target(mem_target_fd);
        return false;
    }
    // A previous session's agent ends on its own thread, which needs the target running:
    // on EAGAIN let the target run a moment and ask again (up to 3 s).
    for (int attempt = 0;; ++attempt) {
        if (!tracee_->write(at, &setup, sizeof setup) ||
            !agent_call("ktap_agent_init", {at}, rc, error, false))
            return false;
        kt_agent_setup back{};
        if (!tracee_->read(at, &back, sizeof back)) {
            error = "cannot read the agent's setup back";
            return false;
        }
        // Busy or not yet free: the scratch area is gone once the threads ran, so the setup is
        // written again for the next try.
        bool again = rc == KT_AGENT_BUSY || (rc != 0 && back.error == -EAGAIN);
        if (!again || attempt == 60) {
            setup = back;
            break;
        }
        if (!let_run_briefly(error) || !tracee_->scratch(sizeof setup, at, error))
            return false;
    }
    // The agent mapped the arenas (or failed): the target's descriptors are not needed.
    close_in_target(state.target_fd);
    close_in_target(code.target_fd);
    if (rc != 0) {
        close_in_target(alive_read); // the watchdog owns it only after a successful init
        close_in_target(mem_target_fd);
        error = "the agent could not start in process " + std::to_string(pid_) + ": " +
                (setup.error ? strerror(-setup.error) : "error " + std::to_string(rc));
        return false;
    }
    code_base = setup.code_base;
    return true;
}

// A thread stopped inside a signal handler resumes at the IP saved in its signal frame when
// the handler returns: one saved inside the bytes a jump replaces is moved to the relocated copy
// of its instruction, as a stopped thread's own IP is (signal_frames finds the frames).
void TargetProcess::move_interrupted_ips(const kt_site *sites, uint32_t first, uint32_t end) {
    std::vector<Mapping> maps;
    std::string error;
    if (!read_maps(pid_, maps, error))
        return;
    const size_t word = bits() == 64 ? 8 : 4;
    for (pid_t tid : tracee_->threads()) {
        for (const SavedIp &f : signal_frames(*tracee_, tid, maps)) {
            for (uint32_t i = first; i < end; ++i) {
                const kt_site &s = sites[i];
                if (s.chain_head != static_cast<int32_t>(i) || s.status < 0 || f.ip <= s.addr ||
                    f.ip >= s.addr + s.patch.displaced_len)
                    continue;
                uint64_t to = preparer_->relocated_ip(s, i, f.ip);
                if (to && tracee_->write(f.slot, &to, word))
                    ++frames_moved_;
            }
        }
    }
}

uint32_t TargetProcess::place(kt_site *sites, uint32_t first, uint32_t n,
                              const std::vector<std::string> &names,
                              const std::vector<std::string> &labels,
                              const NeighborFunctions &neighbors, Diagnostics &diag) {
    uint32_t end = first + n;
    auto warn = [&](uint32_t i, const std::string &why) {
        diag.warning(SourceLoc{}, "cannot probe " + labels[i] + ": " + why);
    };
    std::string error;
    int64_t rc = 0;
    if (!agent_call("ktap_agent_reserve", {first, n}, rc, error)) {
        diag.error(error);
        return 0;
    }
    // Preparation runs here (Zydis, 64-bit), on bytes read from the target; sites whose jump
    // must keep its last bytes get a slot in the window that requires (a second reserve).
    if (!preparer_) {
        preparer_ = std::make_unique<SitePreparer>(*tracee_, bits());
        preparer_->set_go_program(go_);
    }
    if (preparer_->prepare(sites, first, end, names, neighbors, warn)) {
        if (!agent_call("ktap_agent_reserve", {first, n}, rc, error)) {
            diag.error(error);
            return 0;
        }
        preparer_->prepare_punned(sites, first, end, names, labels, neighbors, warn);
    }
    auto head = [&](uint32_t i) { return sites[i].chain_head == static_cast<int32_t>(i); };
    if (!agent_call("ktap_agent_register", {first, n}, rc, error)) {
        diag.error(error);
        return 0;
    }
    // A thread stopped inside the bytes the jump replaces would resume in the middle of the
    // jump. It is at the start of one of the displaced instructions: it is moved to that
    // instruction's relocated copy, which jumps back into the function (how kprobes' optimizer
    // and uprobes' XOL treat such a thread). Only an address that is not an instruction start
    // (nothing stops there) makes the target run a moment and look again.
    move_interrupted_ips(sites, first, end);
    for (int attempt = 0;; ++attempt) {
        bool busy = false;
        for (pid_t tid : tracee_->threads()) {
            uint64_t ip = 0;
            if (!tracee_->thread_ip(tid, ip))
                continue;
            for (uint32_t i = first; i < end; ++i) {
                const kt_site &s = sites[i];
                if (!head(i) || s.status < 0 || ip <= s.addr || ip >= s.addr + s.patch.displaced_len)
                    continue;
                uint64_t to = preparer_->relocated_ip(s, i, ip);
                if (to && tracee_->set_thread_ip(tid, to)) {
                    ++threads_moved_;
                    continue;
                }
                busy = true;
                if (attempt == 50) {
                    sites[i].status = kThreadInside;
                    warn(i, "a thread was stopped in the middle of an instruction of its first "
                            "bytes at every one of 50 stops; try again");
                }
            }
        }
        if (!busy || attempt == 50)
            break;
        if (!let_run_briefly(error)) {
            diag.error(error);
            return 0;
        }
    }
    if (!agent_call("ktap_agent_arm", {first, n}, rc, error)) {
        diag.error(error);
        return 0;
    }
    uint32_t armed = 0;
    for (uint32_t i = first; i < end; ++i) {
        if (sites[i].status == KT_SITE_ARMED)
            ++armed;
        else if (head(i) && sites[i].status < 0 && sites[i].status != kRefusedByPreparer &&
                 sites[i].status != kThreadInside)
            warn(i, engine_error(sites[i].status));
    }
    return armed;
}

uint32_t TargetProcess::add_sites(kt_site *sites, uint32_t first, uint32_t n,
                                  const std::vector<std::string> &names,
                                  const std::vector<std::string> &labels,
                                  const NeighborFunctions &neighbors, Diagnostics &diag) {
    std::string error;
    if (exited())
        return 0;
    if (!tracee_->attach(pid_, error)) {
        if (!exited())
            diag.warning(SourceLoc{}, "cannot stop process " + std::to_string(pid_) +
                                          " to probe a library it loaded: " + error);
        return 0;
    }
    uint32_t armed = place(sites, first, n, names, labels, neighbors, diag);
    tracee_->detach();
    return armed;
}

bool TargetProcess::release(std::string &error) {
    (void)error;
    tracee_->detach();
    return true;
}

bool TargetProcess::exited() {
    if (gone_)
        return true;
    if (tracee_->exited()) {  // it exited while ptrace held it (and the tracee reaped it)
        wait_status_ = tracee_->exit_status();
        gone_ = true;
        return true;
    }
    // A thread that ptrace still reports to us (one created during a remote call) must be
    // reaped by us when it exits, or the process stays a zombie whose exit we never see.
    if (!tracee_->attached()) {
        int st = 0;
        pid_t r;
        while ((r = waitpid(-1, &st, WNOHANG | __WALL)) > 0)
            if (r == pid_ && (WIFEXITED(st) || WIFSIGNALED(st))) {
                wait_status_ = st;
                gone_ = true;
            }
        if (gone_)
            return true;
    }
    if (spawned_) {
        int status = 0;
        pid_t r = waitpid(pid_, &status, WNOHANG | __WALL);
        if (r == pid_ && (WIFEXITED(status) || WIFSIGNALED(status))) {
            wait_status_ = status;
            gone_ = true;
        } else if (r < 0 && errno == ECHILD) {
            gone_ = true;
        }
        return gone_;
    }
    if (pidfd_ >= 0) {
        pollfd p{pidfd_, POLLIN, 0};
        if (poll(&p, 1, 0) == 1)
            gone_ = true;
    } else if (kill(pid_, 0) != 0 && errno == ESRCH) {
        gone_ = true;
    }
    return gone_;
}

bool TargetProcess::start_sampling(int64_t &rc, std::string &error) {
    if (!agent_call("ktap_agent_sample_start", {}, rc, error))
        return false;
    sampling_ = rc == 0;
    return true;
}

bool TargetProcess::remove_probes(kt_site *sites, uint32_t n,
                                  const std::function<void()> &stopped,
                                  std::vector<kt_site> &counters, std::string &error) {
    if (exited()) {
        stopped();
        return true;
    }
    if (!tracee_->attach(pid_, error)) {
        // Exiting right now: ptrace refuses a process in exit before waitpid can see it.
        stopped();
        for (int i = 0; i < 200; ++i) {
            if (exited())
                return true;
            usleep(5000);
        }
        return false;
    }
    stopped();
    int64_t rc = 0;
    if (sampling_) {
        // Timers off before the probes go (no sample starts on a thread after this). Should
        // the call fail, the probes still go: the watchdog stops the timers at the session's
        // end (ktap_agent_detach below), and the switch is already off.
        std::string sample_error;
        agent_call("ktap_agent_sample_stop", {}, rc, sample_error);
        sampling_ = false;
    }
    bool ok = agent_call("ktap_agent_disarm", {0, n}, rc, error);
    // The original bytes must be back: compare with what the preparer read.
    for (uint32_t i = 0; ok && i < n; ++i) {
        // Negative: never armed, or its library is gone (KT_EGONE: nothing to restore).
        if (sites[i].status < 0 || sites[i].status == KT_SITE_UNUSED ||
            sites[i].chain_head != static_cast<int32_t>(i))
            continue;
        uint8_t now[KT_PATCH_LEN];
        if (tracee_->read(sites[i].addr, now, sizeof now) &&
            memcmp(now, sites[i].patch.orig, sizeof now) != 0) {
            error = "the original code of a probed function was not restored at " +
                    std::to_string(sites[i].addr);
            ok = false;
        }
    }
    // Handlers a thread was running when it was stopped finish now (no new one can start:
    // the switch is off and the code disarmed), so the counters match the handlers' effects.
    // Entry probes show a running handler as an entry not yet handled, return probes as an
    // instance in flight (which may also be a function still running: those are waited for at
    // most 100 ms, and their handlers do not run once they return).
    auto handler_may_run = [&] {
        for (uint32_t i = 0; i < n; ++i) {
            const kt_stats &c = sites[i].stats;
            if (sites[i].chain_head != static_cast<int32_t>(i) || sites[i].status < 0)
                continue;
            if (sites[i].group_kind == KT_SITE_ENTRY
                    ? c.entries > c.returns_handled + c.missed_reentrant + c.missed_nothread
                    : c.in_flight > 0)
                return true;
        }
        return false;
    };
    for (int attempt = 0; ok && attempt < 50; ++attempt) {
        ok = let_run_briefly(error) && agent_call("ktap_agent_collect", {0, n}, rc, error);
        if (ok && !handler_may_run())
            break;
    }
    if (ok)
        for (uint32_t i = 0; i < n; ++i)
            counters.push_back(sites[i]);
    std::string detach_error;
    agent_call("ktap_agent_detach", {}, rc, detach_error);
    tracee_->detach();
    // The watchdog ends the session on the detach call or on the pipe's hang-up, whichever it
    // sees first: both do the same.
    if (alive_fd_ >= 0)
        close(alive_fd_);
    alive_fd_ = -1;
    return ok;
}

} // namespace ktap
