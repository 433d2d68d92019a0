// Tracee: attach, spawn, stop/resume, memory, remote calls. See docs/attach.md.
#include "tracee.h"

#include "command.h"
#include "proc.h"
#include "sigframe.h"
#include "symbols_internal.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdio>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

namespace ktap {

namespace {

// Options of every thread we trace: threads created while we hold the process are traced
// (and stop) at once; an execve is reported as an event, not as a SIGTRAP.
constexpr long kOptions = PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC;
// How long a thread may take to stop after PTRACE_INTERRUPT.
constexpr int kStopTimeoutMs = 3000;
constexpr uint64_t kScratchLimit = 1 << 20;
constexpr uint64_t kRedZone = 128;
constexpr uint64_t kEflagsTF = 0x100, kEflagsDF = 0x400;

using Clock = std::chrono::steady_clock;

Clock::time_point deadline_after(int ms) {
    return Clock::now() + std::chrono::milliseconds(ms);
}

int remaining_ms(Clock::time_point deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    return left.count() > 0 ? static_cast<int>(std::min<long long>(left.count(), INT_MAX)) : 0;
}

std::string hex(uint64_t v) {
    char b[32];
    snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
    return b;
}

bool is_stop_signal(int sig) {
    return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

// Synchronous fault signals: when raised by the kernel (si_code > 0) during a call they mean the
// call itself crashed.
bool is_fault_signal(int sig) {
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP ||
           sig == SIGSYS;
}

long pt(int request, pid_t tid, uint64_t addr, uint64_t data) {
    return ptrace(static_cast<__ptrace_request>(request), tid, reinterpret_cast<void *>(addr),
                  reinterpret_cast<void *>(data));
}

long pt(int request, pid_t tid, uint64_t addr, void *data) {
    return ptrace(static_cast<__ptrace_request>(request), tid, reinterpret_cast<void *>(addr),
                  data);
}

// PTRACE_GETREGS always uses the tracer's (64-bit) layout, also for an i386 tracee: eax is in
// rax, orig_eax in orig_rax, eip in rip, esp in rsp.
bool get_regs(pid_t tid, user_regs_struct &r) {
    return pt(PTRACE_GETREGS, tid, 0, &r) == 0;
}
bool set_regs(pid_t tid, const user_regs_struct &r) {
    return pt(PTRACE_SETREGS, tid, 0, const_cast<user_regs_struct *>(&r)) == 0;
}

// x87/SSE/AVX/AVX-512 state: the XSAVE area (NT_X86_XSTATE, the same format for i386 and
// x86_64 tracees), or the FXSAVE area where XSAVE is missing.
struct FpState {
    std::vector<uint8_t> xsave;
    bool xstate = false;
    user_fpregs_struct fx{};
};

bool save_fp(pid_t tid, FpState &s) {
    s.xsave.assign(64 * 1024, 0);
    iovec iov{s.xsave.data(), s.xsave.size()};
    if (pt(PTRACE_GETREGSET, tid, NT_X86_XSTATE, &iov) == 0) {
        s.xsave.resize(iov.iov_len);
        s.xstate = true;
        return true;
    }
    s.xsave.clear();
    s.xstate = false;
    return pt(PTRACE_GETFPREGS, tid, 0, &s.fx) == 0;
}

bool restore_fp(pid_t tid, FpState &s) {
    if (s.xstate) {
        iovec iov{s.xsave.data(), s.xsave.size()};
        return pt(PTRACE_SETREGSET, tid, NT_X86_XSTATE, &iov) == 0;
    }
    return pt(PTRACE_SETFPREGS, tid, 0, &s.fx) == 0;
}

int tgkill(pid_t tgid, pid_t tid, int sig) {
    return static_cast<int>(syscall(SYS_tgkill, tgid, tid, sig));
}

// Sleeps a little longer each time: a stop usually comes within microseconds.
void backoff(int &round) {
    if (round < 20) {
        sched_yield();
    } else {
        long us = std::min(1000L, 10L << std::min(round - 20, 7));
        timespec ts{0, us * 1000};
        nanosleep(&ts, nullptr);
    }
    ++round;
}

std::string read_first_line(const std::string &path) {
    FILE *f = fopen(path.c_str(), "re");
    if (!f)
        return "";
    char buf[256] = {};
    if (!fgets(buf, sizeof buf, f))
        buf[0] = 0;
    fclose(f);
    std::string s = buf;
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

// A user-facing reason for a failed PTRACE_SEIZE.
std::string attach_error(pid_t pid, pid_t tid, int err) {
    std::string what = tid == pid
                           ? "process " + std::to_string(pid)
                           : "thread " + std::to_string(tid) + " of process " + std::to_string(pid);
    std::string msg = "cannot attach to " + what + ": " + strerror(err);
    if (err == ESRCH)
        return "cannot attach to " + what + ": no such process";
    if (err != EPERM)
        return msg;
    std::string tracer = status_field(tid, "TracerPid");
    if (!tracer.empty() && tracer != "0") {
        pid_t tp = static_cast<pid_t>(atoi(tracer.c_str()));
        std::string name = process_name(tp);
        return msg + " (it is already traced by process " + tracer +
               (name.empty() ? "" : " '" + name + "'") + ")";
    }
    std::string scope = read_first_line("/proc/sys/kernel/yama/ptrace_scope");
    if (!scope.empty() && scope != "0")
        return msg + " (/proc/sys/kernel/yama/ptrace_scope is " + scope +
               ": run ktap as root, or set it to 0)";
    std::string uids = status_field(tid, "Uid");
    if (geteuid() != 0 && !uids.empty() && static_cast<uid_t>(atol(uids.c_str())) != geteuid())
        return msg + " (it belongs to another user)";
    return msg + " (is it already traced? see /proc/sys/kernel/yama/ptrace_scope)";
}

} // namespace

Tracee::Tracee() = default;

Tracee::~Tracee() {
    if (attached_)
        detach();
    if (mem_fd_ >= 0)
        close(mem_fd_);
}

void Tracee::reset() {
    attached_ = false;
    exited_ = false;
    reaped_ = false;
    exit_status_ = 0;
    bits_ = 0;
    if (mem_fd_ >= 0)
        close(mem_fd_);
    mem_fd_ = -1;
    call_tid_ = 0;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    threads_.clear();
}

std::string Tracee::who() const {
    return "process " + std::to_string(pid_);
}

bool Tracee::stopped() const {
    if (!attached_ || threads_.empty())
        return false;
    for (const auto &[tid, t] : threads_)
        if (t.run != Run::Stopped)
            return false;
    return true;
}

std::vector<pid_t> Tracee::threads() const {
    std::vector<pid_t> out;
    if (threads_.count(pid_))
        out.push_back(pid_);
    for (const auto &[tid, t] : threads_)
        if (tid != pid_)
            out.push_back(tid);
    return out;
}

pid_t Tracee::call_thread() const {
    auto it = threads_.find(pid_);
    if (it != threads_.end() && it->second.run == Run::Stopped)
        return pid_;
    for (const auto &[tid, t] : threads_)
        if (t.run == Run::Stopped)
            return tid;
    return 0;
}

bool Tracee::ensure_usable(std::string &error) const {
    if (exited_) {
        error = who() + " " + describe_wait_status(exit_status_);
        return false;
    }
    if (!attached_) {
        error = "not attached to a process";
        return false;
    }
    return true;
}

// After a ptrace request failed: has the process been killed meanwhile? Collects exit reports
// (for up to 2 s while threads are dying); true (and ERROR describes the exit) when it is gone.
bool Tracee::check_gone(std::string &error) {
    auto until = deadline_after(2000);
    int round = 0;
    while (attached_ && !exited_ && remaining_ms(until) > 0) {
        std::vector<pid_t> tids = threads();
        bool any = false;
        for (pid_t tid : tids) {
            int st = 0;
            pid_t r = waitpid(tid, &st, WNOHANG | __WALL);
            if (r == tid) {
                on_status(tid, st);
                any = true;
            }
            if (exited_)
                break;
        }
        if (!any && !exited_) {
            // Alive if every thread we hold still answers ptrace (a killed thread leaves its
            // ptrace-stop at once, before its exit is reported).
            bool dying = kill(pid_, 0) != 0;
            for (pid_t tid : threads()) {
                user_regs_struct r;
                auto it = threads_.find(tid);
                if (it != threads_.end() && it->second.run == Run::Stopped && !get_regs(tid, r))
                    dying = true;
            }
            if (!dying)
                break;
        }
        backoff(round);
    }
    if (exited_)
        error = who() + " " + describe_wait_status(exit_status_);
    return exited_;
}

bool Tracee::open_mem() {
    if (mem_fd_ >= 0)
        close(mem_fd_);
    mem_fd_ = open(("/proc/" + std::to_string(pid_) + "/mem").c_str(), O_RDWR | O_CLOEXEC);
    return mem_fd_ >= 0;
}

void Tracee::update_bits() {
    bits_ = elf_class_of_file("/proc/" + std::to_string(pid_) + "/exe");
    if (bits_ == 0) {
        // No readable executable: the code segment tells (0x23: 32-bit user code).
        user_regs_struct r;
        bits_ = get_regs(call_thread() ? call_thread() : pid_, r) && r.cs == 0x23 ? 32 : 64;
    }
}

// x86_64 and i386 programs only (not x32: ILP32 code in 64-bit mode).
bool Tracee::supported(std::string &error) const {
    int machine = elf_machine_of_file("/proc/" + std::to_string(pid_) + "/exe");
    if (machine == EM_X86_64 && bits_ == 32) {
        error = who() + " is an x32 program, which ktap does not support";
        return false;
    }
    if (machine != 0 && machine != EM_X86_64 && machine != EM_386) {
        error = who() + " is not an x86_64 or i386 program (ELF machine " +
                std::to_string(machine) + ")";
        return false;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Memory

bool Tracee::read(uint64_t addr, void *buf, size_t n) {
    if (mem_fd_ < 0 || addr > static_cast<uint64_t>(INT64_MAX))
        return false;
    auto *p = static_cast<char *>(buf);
    while (n > 0) {
        ssize_t r = pread(mem_fd_, p, n, static_cast<off_t>(addr));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        addr += static_cast<uint64_t>(r);
        n -= static_cast<size_t>(r);
    }
    return true;
}

bool Tracee::write(uint64_t addr, const void *buf, size_t n) {
    if (mem_fd_ < 0 || addr > static_cast<uint64_t>(INT64_MAX))
        return false;
    auto *p = static_cast<const char *>(buf);
    while (n > 0) {
        ssize_t r = pwrite(mem_fd_, p, n, static_cast<off_t>(addr));
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        p += r;
        addr += static_cast<uint64_t>(r);
        n -= static_cast<size_t>(r);
    }
    return true;
}

bool Tracee::read_string(uint64_t addr, std::string &out, size_t max) {
    out.clear();
    char chunk[256];
    while (out.size() < max) {
        // Read up to the end of the page so a string near an unmapped page still works.
        size_t in_page = 4096 - (addr & 4095);
        size_t n = std::min({sizeof chunk, in_page, max - out.size()});
        if (!read(addr, chunk, n))
            return false;
        for (size_t i = 0; i < n; ++i) {
            if (chunk[i] == 0)
                return true;
            out.push_back(chunk[i]);
        }
        addr += n;
    }
    return true;
}

// ---------------------------------------------------------------------------------------------
// Thread bookkeeping

void Tracee::thread_exited(pid_t tid, int status) {
    if (tid == pid_) {
        // The main thread's exit is reported last: the whole process is gone.
        exited_ = true;
        exit_status_ = status;
        reaped_ = true;
        attached_ = false;
        threads_.clear();
        if (mem_fd_ >= 0)
            close(mem_fd_);
        mem_fd_ = -1;
        return;
    }
    threads_.erase(tid);
    if (threads_.empty() && attached_) {
        // Every thread we held is gone (the main thread had exited before we attached).
        if (list_tasks(pid_).empty()) {
            exited_ = true;
            attached_ = false;
        }
    }
}

void Tracee::on_exec(pid_t tid) {
    // After execve only the thread that called it is left, and it has the process's id.
    unsigned long former = 0;
    pt(PTRACE_GETEVENTMSG, tid, 0, &former);
    Thread kept = threads_[tid];
    for (auto it = threads_.begin(); it != threads_.end();) {
        if (it->first != pid_) {
            int st;
            waitpid(it->first, &st, WNOHANG | __WALL); // reap what is left of it
            it = threads_.erase(it);
        } else {
            ++it;
        }
    }
    threads_[pid_] = kept;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    open_mem();
    update_bits();
}

// Records a wait status of thread TID. A thread marked free is restarted at once (signals
// delivered, job-control stops kept with PTRACE_LISTEN); others stay in their stop.
void Tracee::on_status(pid_t tid, int status) {
    auto it = threads_.find(tid);
    if (it == threads_.end())
        return;
    if (WIFEXITED(status) || WIFSIGNALED(status)) {
        thread_exited(tid, status);
        return;
    }
    if (!WIFSTOPPED(status))
        return;
    int sig = WSTOPSIG(status);
    int event = status >> 16;
    it->second.run = Run::Stopped;
    if (event == PTRACE_EVENT_STOP) {
        it->second.stop = is_stop_signal(sig) ? Stop::Group : Stop::Interrupt;
    } else if (event == PTRACE_EVENT_CLONE) {
        it->second.stop = Stop::Event;
        unsigned long msg = 0;
        if (pt(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && msg > 0) {
            pid_t ntid = static_cast<pid_t>(msg);
            if (!threads_.count(ntid)) {
                Thread n;
                n.run = Run::Awaiting; // it starts with a PTRACE_EVENT_STOP of its own
                n.free = threads_[tid].free || tid == call_tid_;
                threads_[ntid] = n;
            }
        }
    } else if (event == PTRACE_EVENT_EXEC) {
        it->second.stop = Stop::Event;
        on_exec(tid);
        tid = pid_;
    } else if (event != 0) {
        it->second.stop = Stop::Event;
    } else {
        it->second.stop = Stop::Signal;
        siginfo_t si;
        memset(&si, 0, sizeof si);
        if (pt(PTRACE_GETSIGINFO, tid, 0, &si) != 0) {
            si.si_signo = sig;
            si.si_code = SI_USER;
        }
        it->second.pending.push_back(si);
    }
    auto t = threads_.find(tid);
    if (t != threads_.end() && t->second.free)
        restart(tid, t->second.stop == Stop::Group ? PTRACE_LISTEN : PTRACE_CONT);
}

// Restarts a stopped thread with PTRACE_CONT, PTRACE_LISTEN or PTRACE_DETACH, delivering the
// signals kept for it: the first one with the restart (its siginfo put back first), any
// others queued again with tgkill.
bool Tracee::restart(pid_t tid, int request) {
    auto it = threads_.find(tid);
    if (it == threads_.end())
        return false;
    Thread &t = it->second;
    if (request == PTRACE_LISTEN && t.stop != Stop::Group)
        request = PTRACE_CONT;
    uint64_t sig = 0;
    if (!t.pending.empty()) {
        size_t first = 0;
        if (t.stop == Stop::Signal && request != PTRACE_LISTEN) {
            siginfo_t si = t.pending[0];
            pt(PTRACE_SETSIGINFO, tid, 0, &si);
            sig = static_cast<uint64_t>(si.si_signo);
            first = 1;
        }
        for (size_t i = first; i < t.pending.size(); ++i)
            tgkill(pid_, tid, t.pending[i].si_signo);
        t.pending.clear();
    }
    if (pt(request, tid, 0, sig) != 0)
        return false;
    if (request == PTRACE_DETACH) {
        threads_.erase(it);
    } else {
        t.run = Run::Running;
        t.stop = Stop::None;
    }
    return true;
}

// Polls every thread that is not stopped; returns the first wait status found.
bool Tracee::wait_event(int timeout_ms, pid_t &tid, int &status) {
    auto deadline = deadline_after(timeout_ms);
    int round = 0;
    for (;;) {
        // Stopped threads are polled too: they report their death (SIGKILL, exit_group), and
        // the main thread's exit is only reported once every other thread is reaped.
        // Round robin from the thread after the last one reported: with many threads stopping
        // at once, each event is then found at once (not after rescanning them all).
        bool any = false;
        auto it = threads_.upper_bound(scan_from_);
        for (size_t k = 0, n = threads_.size(); k < n; ++k, ++it) {
            if (it == threads_.end())
                it = threads_.begin();
            pid_t t = it->first;
            if (it->second.run != Run::Stopped)
                any = true;
            else if (round % 8 != 0)
                continue; // stopped threads only report their death: poll them less often
            int st = 0;
            pid_t r = waitpid(t, &st, WNOHANG | __WALL);
            if (r == t || (r < 0 && errno == ECHILD)) {
                // (ECHILD: not traced by us any more, it is gone)
                tid = scan_from_ = t;
                status = r == t ? st : 0;
                return true;
            }
        }
        if (!any || remaining_ms(deadline) <= 0)
            return false;
        backoff(round);
    }
}

// Waits until no thread is Awaiting a stop.
bool Tracee::wait_awaiting(int timeout_ms, std::string &error) {
    auto deadline = deadline_after(timeout_ms);
    auto awaiting = [&] {
        for (const auto &[tid, t] : threads_)
            if (t.run == Run::Awaiting && !t.free)
                return true;
        return false;
    };
    while (awaiting()) {
        pid_t tid = 0;
        int status = 0;
        if (!wait_event(remaining_ms(deadline), tid, status)) {
            // Threads that never stop: gone, exiting, zombies.
            std::vector<pid_t> stuck;
            for (const auto &[t, th] : threads_)
                if (th.run == Run::Awaiting && !th.free)
                    stuck.push_back(t);
            for (pid_t t : stuck) {
                char s = task_state(pid_, t);
                if (s == 0 || s == 'Z' || s == 'X') {
                    // Gone, or a main thread that exited while others live (it reports when
                    // the whole process exits).
                    int st = 0;
                    if (waitpid(t, &st, WNOHANG | __WALL) == t)
                        on_status(t, st);
                    threads_.erase(t);
                    continue;
                }
                error = "thread " + std::to_string(t) + " of " + who() + " did not stop within " +
                        std::to_string(timeout_ms) + " ms (state '" + std::string(1, s) + "')";
                return false;
            }
            continue;
        }
        on_status(tid, status);
        if (exited_) {
            error = who() + " " + describe_wait_status(exit_status_);
            return false;
        }
    }
    if (threads_.empty()) {
        error = who() + " has exited";
        return false;
    }
    return true;
}

// Seizes and interrupts every thread in /proc/PID/task that we do not hold yet.
bool Tracee::seize_round(bool &found_new, std::string &error) {
    found_new = false;
    std::vector<pid_t> tids = list_tasks(pid_);
    if (tids.empty()) {
        error = threads_.empty() ? "cannot attach to " + who() + ": no such process"
                                 : who() + " has exited";
        return false;
    }
    for (pid_t tid : tids) {
        if (threads_.count(tid))
            continue;
        char state = task_state(pid_, tid);
        if (state == 0 || state == 'Z' || state == 'X')
            continue; // exiting, or a main thread that called pthread_exit
        long rc = pt(PTRACE_SEIZE, tid, 0, static_cast<uint64_t>(kOptions));
        int err = rc != 0 ? errno : 0;
        // A thread that is exiting refuses with EPERM: retry for a moment, skip it once gone.
        for (int retry = 0; rc != 0 && err == EPERM && retry < 50; ++retry) {
            std::string tracer = status_field(tid, "TracerPid");
            if (!tracer.empty() && tracer != "0")
                break; // traced (by us or someone else): decided below
            char s = task_state(pid_, tid);
            if (s == 0 || s == 'Z' || s == 'X')
                break;
            timespec ts{0, 1000 * 1000};
            nanosleep(&ts, nullptr);
            rc = pt(PTRACE_SEIZE, tid, 0, static_cast<uint64_t>(kOptions));
            err = rc != 0 ? errno : 0;
        }
        if (rc != 0) {
            char s = task_state(pid_, tid);
            if (err == ESRCH || s == 0 || s == 'Z' || s == 'X') {
                // It exited meanwhile. The main thread may have exited alone (pthread_exit):
                // then the others are attached; if the process is exiting, say so.
                if (tid == pid_ && threads_.empty() && list_tasks(pid_).size() <= 1) {
                    error = "cannot attach to " + who() + ": it has exited";
                    return false;
                }
                continue;
            }
            if (err == EPERM && !threads_.empty()) {
                // Already ours? (created by a thread we hold: attached automatically)
                std::string tracer = status_field(tid, "TracerPid");
                pid_t tp = tracer.empty() ? 0 : static_cast<pid_t>(atoi(tracer.c_str()));
                if (tp == gettid() || tp == getpid()) {
                    threads_[tid] = Thread{};
                    int st = 0;
                    if (waitpid(tid, &st, WNOHANG | __WALL) == tid)
                        on_status(tid, st);
                    else
                        pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0});
                    found_new = true;
                    continue;
                }
            }
            error = attach_error(pid_, tid, err);
            return false;
        }
        threads_[tid] = Thread{};
        pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0});
        found_new = true;
    }
    return true;
}

// Threads stopped at a clone or exec event are inside a system call: moved on to an interrupt
// stop (on the way back to user mode) so that calls and detaches see ordinary state.
bool Tracee::settle_event_stops(std::string &error) {
    for (int round = 0; round < 100; ++round) {
        std::vector<pid_t> events;
        for (const auto &[tid, t] : threads_)
            if (t.run == Run::Stopped && t.stop == Stop::Event)
                events.push_back(tid);
        if (events.empty())
            return true;
        for (pid_t tid : events) {
            pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0}); // traps again after this stop
            if (restart(tid, PTRACE_CONT))
                threads_[tid].run = Run::Awaiting;
        }
        if (!wait_awaiting(kStopTimeoutMs, error))
            return false;
    }
    return true;
}

// Interrupts every running thread and waits until all are stopped.
bool Tracee::stop_running(std::string &error) {
    for (auto &[tid, t] : threads_) {
        if (t.run == Run::Running) {
            if (pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0}) == 0 || errno != ESRCH)
                t.run = Run::Awaiting;
        }
        t.free = false;
    }
    return wait_awaiting(kStopTimeoutMs, error) && settle_event_stops(error);
}

// ---------------------------------------------------------------------------------------------
// Attach, stop, resume, detach

bool Tracee::attach(pid_t pid, std::string &error) {
    if (attached_) {
        error = "already attached to " + who();
        return false;
    }
    bool same_child = child_ && pid == pid_;
    reset();
    child_ = same_child;
    pid_ = pid;
    if (pid <= 0) {
        error = "cannot attach to process " + std::to_string(pid) + ": invalid process id";
        return false;
    }
    std::string tgid = status_field(pid, "Tgid");
    if (tgid.empty()) {
        error = "cannot attach to process " + std::to_string(pid) + ": no such process";
        return false;
    }
    pid_ = static_cast<pid_t>(atoi(tgid.c_str())); // a thread id stands for its process
    if (pid_ == getpid()) {
        error = "cannot attach to process " + std::to_string(pid) + ": it is ktap itself";
        return false;
    }
    std::string state = status_field(pid_, "State");
    bool zombie = !state.empty() && state[0] == 'Z';
    if (zombie && list_tasks(pid_).size() <= 1) {
        error = "cannot attach to process " + std::to_string(pid_) + ": it has exited (zombie)";
        return false;
    }
    if (is_kernel_thread(pid_)) {
        error = "cannot attach to process " + std::to_string(pid_) + ": it is a kernel thread";
        return false;
    }
    for (int round = 0;; ++round) {
        bool found_new = false;
        if (!seize_round(found_new, error) || !wait_awaiting(kStopTimeoutMs, error)) {
            attached_ = !threads_.empty() && !exited_;
            detach();
            return false;
        }
        if (!found_new)
            break;
        if (round == 1000) {
            error = "cannot attach to " + who() + ": it keeps creating threads";
            attached_ = true;
            detach();
            return false;
        }
    }
    attached_ = true;
    if (!settle_event_stops(error)) {
        detach();
        return false;
    }
    if (!open_mem()) {
        error = "cannot open /proc/" + std::to_string(pid_) + "/mem: " + strerror(errno);
        check_gone(error);
        detach();
        return false;
    }
    update_bits();
    if (!supported(error)) {
        detach();
        return false;
    }
    return true;
}

bool Tracee::stop_all(std::string &error) {
    if (!ensure_usable(error))
        return false;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    for (int round = 0; round < 1000; ++round) {
        if (!stop_running(error))
            return false;
        bool found_new = false; // threads we have not seen the clone event of
        if (!seize_round(found_new, error))
            return false;
        if (!found_new)
            return true;
    }
    error = who() + " keeps creating threads";
    return false;
}

bool Tracee::resume_all() {
    if (!attached_ || exited_)
        return false;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    bool ok = true;
    std::vector<pid_t> tids = threads();
    for (pid_t tid : tids) {
        Thread &t = threads_[tid];
        t.free = true;
        if (t.run == Run::Stopped)
            ok = restart(tid, t.stop == Stop::Group ? PTRACE_LISTEN : PTRACE_CONT) && ok;
    }
    return ok;
}

bool Tracee::service_events() {
    if (!attached_)
        return false;
    for (;;) {
        pid_t tid = 0;
        int status = 0;
        if (!wait_event(0, tid, status))
            break;
        on_status(tid, status);
        if (!attached_)
            break;
    }
    return attached_;
}

void Tracee::detach() {
    if (!attached_) {
        threads_.clear();
        return;
    }
    std::string error;
    stop_running(error); // threads must be in a ptrace-stop to be detached
    std::vector<pid_t> tids = threads(), dying;
    for (pid_t tid : tids) {
        auto it = threads_.find(tid);
        if (it == threads_.end())
            continue;
        bool ok = it->second.run == Run::Stopped ? restart(tid, PTRACE_DETACH)
                                                 : pt(PTRACE_DETACH, tid, 0, uint64_t{0}) == 0;
        if (!ok)
            dying.push_back(tid);
    }
    // A thread that cannot be detached is dying (killed, exit_group). It reports its death to
    // us, and until we reap it its process cannot be reaped by its parent: collect it now (the
    // main thread last: it reports only after the others).
    std::stable_partition(dying.begin(), dying.end(), [&](pid_t t) { return t != pid_; });
    auto until = deadline_after(1000);
    int round = 0;
    while (!dying.empty() && remaining_ms(until) > 0) {
        pid_t tid = dying.front();
        int st = 0;
        pid_t r = waitpid(tid, &st, WNOHANG | __WALL);
        if (r == tid && WIFSTOPPED(st) && pt(PTRACE_DETACH, tid, 0, uint64_t{0}) != 0)
            r = 0; // stopped once more on its way out: try again
        if (r == tid && (WIFEXITED(st) || WIFSIGNALED(st)) && tid == pid_) {
            exited_ = reaped_ = true;
            exit_status_ = st;
        }
        if (r != 0) {
            dying.erase(dying.begin());
            continue;
        }
        backoff(round);
    }
    threads_.clear();
    attached_ = false;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    if (mem_fd_ >= 0)
        close(mem_fd_);
    mem_fd_ = -1;
}

int Tracee::wait_exit() {
    if (attached_)
        detach();
    if (reaped_)
        return exit_status_;
    if (!child_)
        return -1;
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0) {
        if (errno != EINTR)
            return -1;
    }
    reaped_ = true;
    exited_ = true;
    exit_status_ = status;
    return status;
}

// ---------------------------------------------------------------------------------------------
// Spawn

bool Tracee::spawn(const std::string &command, std::string &error) {
    if (attached_) {
        error = "already attached to " + who();
        return false;
    }
    reset();
    child_ = false;
    CommandPlan plan;
    if (!plan_command(command, plan, error))
        return false;
    std::vector<char *> argv;
    for (std::string &a : plan.argv)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    int go[2], failed[2];
    if (pipe2(go, O_CLOEXEC) != 0) {
        error = std::string("cannot start the command: pipe: ") + strerror(errno);
        return false;
    }
    if (pipe2(failed, O_CLOEXEC) != 0) {
        error = std::string("cannot start the command: pipe: ") + strerror(errno);
        close(go[0]);
        close(go[1]);
        return false;
    }
    pid_t child = fork();
    if (child < 0) {
        error = std::string("cannot start the command: fork: ") + strerror(errno);
        for (int fd : {go[0], go[1], failed[0], failed[1]})
            close(fd);
        return false;
    }
    if (child == 0) {
        // Only async-signal-safe calls here: the controller may have other threads.
        close(go[1]);
        close(failed[0]);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        struct sigaction dfl {};
        dfl.sa_handler = SIG_DFL;
        sigaction(SIGPIPE, &dfl, nullptr);
        sigaction(SIGCHLD, &dfl, nullptr);
        char c = 0;
        ssize_t n;
        do
            n = ::read(go[0], &c, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1 || c != 'g')
            _exit(127); // the controller could not trace us
        execve(plan.path.c_str(), argv.data(), environ);
        int err = errno;
        ssize_t w = ::write(failed[1], &err, sizeof err);
        (void)w;
        _exit(127);
    }
    close(go[0]);
    close(failed[1]);
    auto fail = [&](const std::string &why) {
        error = why;
        if (!exited_) {
            kill(child, SIGKILL);
            int st;
            while (waitpid(child, &st, __WALL) < 0 && errno == EINTR) {
            }
        }
        threads_.clear();
        attached_ = false;
        if (mem_fd_ >= 0)
            close(mem_fd_);
        mem_fd_ = -1;
        if (failed[0] >= 0)
            close(failed[0]);
        failed[0] = -1;
        return false;
    };
    // Traced before its first instruction of its own; killed if we die before spawn returns.
    if (pt(PTRACE_SEIZE, child, 0, static_cast<uint64_t>(kOptions | PTRACE_O_EXITKILL)) != 0) {
        int err = errno;
        close(go[1]);
        return fail(std::string("cannot trace the command: ") + strerror(err));
    }
    pid_ = child;
    child_ = true;
    Thread main;
    main.run = Run::Running;
    threads_[child] = main;
    ssize_t w = ::write(go[1], "g", 1);
    close(go[1]);
    if (w != 1)
        return fail("cannot start the command: " + std::string(strerror(errno)));
    std::string shown = plan.shell ? command : plan.path;
    // Follow the execve events up to the final program; signals go through meanwhile.
    for (int execs = 0; execs < plan.execs;) {
        pid_t tid = 0;
        int status = 0;
        if (!wait_event(INT_MAX, tid, status))
            return fail("lost track of the command '" + shown + "'");
        if (tid == pid_ && (WIFEXITED(status) || WIFSIGNALED(status))) {
            on_status(tid, status);
            int err = 0;
            if (::read(failed[0], &err, sizeof err) == static_cast<ssize_t>(sizeof err))
                return fail("cannot run '" + plan.path + "': " + strerror(err));
            return fail("the command '" + shown + "' " + describe_wait_status(status) +
                        " before its program started");
        }
        bool exec_event = WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_EXEC;
        threads_[tid].free = !exec_event;
        on_status(tid, status); // free: restarted at once, signals delivered
        if (exec_event) {
            ++execs;
            threads_[pid_].free = false;
            if (execs < plan.execs && !restart(pid_, PTRACE_CONT))
                return fail("lost track of the command '" + shown + "'");
        }
    }
    close(failed[0]);
    failed[0] = -1;
    if (!run_to_entry(error))
        return fail(error);
    if (!supported(error))
        return fail(error);
    // From now on the process survives the controller: options without PTRACE_O_EXITKILL.
    for (const auto &[tid, t] : threads_)
        pt(PTRACE_SETOPTIONS, tid, 0, static_cast<uint64_t>(kOptions));
    attached_ = true;
    return true;
}

// The process is at its execve event stop: run it to its ELF entry point (AT_ENTRY) with a
// temporary int3 there, then put the byte back and the ip on the entry point.
bool Tracee::run_to_entry(std::string &error) {
    uint64_t entry = 0;
    if (!read_auxv_entry(pid_, bits_, AT_ENTRY, entry)) {
        error = "cannot read the entry point of " + who() + " from /proc/" + std::to_string(pid_) +
                "/auxv";
        return false;
    }
    uint8_t orig = 0, int3 = 0xcc;
    if (!read(entry, &orig, 1) || !write(entry, &int3, 1)) {
        error = "cannot write a breakpoint at the entry point " + hex(entry) + " of " + who();
        return false;
    }
    call_tid_ = pid_; // threads its libraries' constructors start run freely
    threads_[pid_].free = false;
    if (!restart(pid_, PTRACE_CONT)) {
        call_tid_ = 0;
        error = "cannot resume " + who() + ": " + strerror(errno);
        return false;
    }
    bool reached = false;
    while (!reached) {
        pid_t tid = 0;
        int status = 0;
        if (!wait_event(INT_MAX, tid, status))
            break;
        on_status(tid, status);
        if (exited_) {
            call_tid_ = 0;
            error = "the command " + describe_wait_status(exit_status_) +
                    " before reaching its entry point";
            return false;
        }
        if (tid != pid_ || threads_[pid_].run != Run::Stopped)
            continue;
        Thread &t = threads_[pid_];
        user_regs_struct r;
        if (t.stop == Stop::Signal && !t.pending.empty() && t.pending.back().si_signo == SIGTRAP &&
            get_regs(pid_, r) && r.rip == entry + 1) {
            t.pending.pop_back(); // our int3
            reached = true;
            break;
        }
        restart(pid_, PTRACE_CONT); // anything else goes through (signals delivered)
    }
    call_tid_ = 0;
    // Put the byte back first: if the controller dies now nothing of ours is left.
    bool restored = write(entry, &orig, 1);
    if (!reached || !restored) {
        error = "lost track of " + who() + " before its entry point";
        return false;
    }
    user_regs_struct r;
    if (!get_regs(pid_, r)) {
        error = "cannot read the registers of " + who();
        return false;
    }
    r.rip = entry;
    if (!set_regs(pid_, r)) {
        error = "cannot set the registers of " + who();
        return false;
    }
    return stop_running(error);
}

// ---------------------------------------------------------------------------------------------
// Remote calls

bool Tracee::stopped_regs(pid_t tid, user_regs_struct &r) {
    auto it = threads_.find(tid);
    return it != threads_.end() && it->second.run == Run::Stopped && get_regs(tid, r);
}

bool Tracee::thread_ip(pid_t tid, uint64_t &ip) {
    user_regs_struct r;
    if (!stopped_regs(tid, r))
        return false;
    ip = bits_ == 32 ? (r.rip & 0xffffffffu) : r.rip;
    return true;
}

bool Tracee::thread_pointer_set(pid_t tid) {
    user_regs_struct r;
    if (!threads_.count(tid) || !get_regs(tid, r))
        return false;
    return bits_ == 32 ? (r.gs & 0xffff) >= 4 : r.fs_base != 0;
}

bool Tracee::thread_sp(pid_t tid, uint64_t &sp) {
    user_regs_struct r;
    if (!stopped_regs(tid, r))
        return false;
    sp = bits_ == 32 ? (r.rsp & 0xffffffffu) : r.rsp;
    return true;
}

bool Tracee::set_thread_ip(pid_t tid, uint64_t ip) {
    user_regs_struct r;
    if (!stopped_regs(tid, r))
        return false;
    r.rip = ip;
    return set_regs(tid, r);
}

std::vector<uint64_t> Tracee::thread_ips() {
    std::vector<uint64_t> ips;
    for (pid_t tid : threads()) {
        uint64_t ip = 0;
        if (thread_ip(tid, ip))
            ips.push_back(ip);
    }
    return ips;
}

bool Tracee::reserve_scratch(pid_t tid, size_t n, uint64_t &addr, std::string &error) {
    if (scratch_tid_ != tid || !scratch_low_) {
        user_regs_struct r;
        if (!get_regs(tid, r)) {
            error = "cannot read the registers of thread " + std::to_string(tid) + ": " +
                    strerror(errno);
            check_gone(error);
            return false;
        }
        uint64_t sp = bits_ == 32 ? (r.rsp & 0xffffffffu) : r.rsp;
        scratch_tid_ = tid;
        scratch_low_ = call_stack_top_ ? call_stack_top_ : (sp - kRedZone) & ~uint64_t{15};
    }
    user_regs_struct r;
    uint64_t low = (scratch_low_ - n) & ~uint64_t{15};
    if (!call_stack_top_ && get_regs(tid, r)) {
        uint64_t sp = bits_ == 32 ? (r.rsp & 0xffffffffu) : r.rsp;
        if (sp - low > kScratchLimit) {
            error = "scratch memory for calls is limited to 1 MiB";
            return false;
        }
    }
    uint8_t probe = 0;
    if (n > 0 && !read(low, &probe, 1)) {
        error = "no room for " + std::to_string(n) + " bytes below the stack of thread " +
                std::to_string(tid) + " of " + who();
        check_gone(error);
        return false;
    }
    scratch_low_ = low;
    addr = low;
    return true;
}

bool Tracee::scratch(size_t n, uint64_t &addr, std::string &error) {
    if (!ensure_usable(error))
        return false;
    pid_t tid = call_thread();
    if (!tid) {
        error = "no stopped thread in " + who();
        return false;
    }
    return reserve_scratch(tid, n, addr, error);
}

bool Tracee::push_scratch(const void *data, size_t n, uint64_t &addr, std::string &error) {
    if (!scratch(n, addr, error))
        return false;
    if (!write(addr, data, n)) {
        error = "cannot write scratch memory at " + hex(addr) + " in " + who();
        return false;
    }
    return true;
}

bool Tracee::push_string(const std::string &s, uint64_t &addr, std::string &error) {
    return push_scratch(s.c_str(), s.size() + 1, addr, error);
}

bool Tracee::call(uint64_t fn, const std::vector<uint64_t> &args, uint64_t &result,
                  std::string &error) {
    if (!ensure_usable(error))
        return false;
    pid_t tid = call_thread();
    if (!tid) {
        error = "no stopped thread in " + who() + " to run a call on";
        return false;
    }
    return call_on(tid, fn, args, result, error);
}

// A signal whose action in the process is to be ignored (default action "ignore", no handler),
// for the return stub to send itself: a living controller sees it, a dead one's target ignores
// it. 0 when the process catches all three.
int Tracee::ignored_signal() const {
    uint64_t caught = 0;
    std::string cgt = status_field(pid_, "SigCgt");
    if (cgt.empty())
        return 0;
    caught = std::stoull(cgt, nullptr, 16);
    for (int sig : {SIGURG, SIGWINCH, SIGCHLD})
        if (!(caught & (uint64_t{1} << (sig - 1))))
            return sig;
    // Go's runtime catches all three, and takes a SIGURG at any instant as a possible request to
    // preempt (it ignores one it did not ask for): after ktap's death its handler runs, returns
    // into the stub, and the stub's rt_sigreturn resumes the thread as for an ignored signal.
    if (go_program_ < 0)
        go_program_ = is_go_program(pid_) ? 1 : 0;
    return go_program_ ? SIGURG : 0;
}

namespace {

// The return stub (docs/attach.md "Remote calls that survive ktap's death"): keeps the call's
// result in a register the controller reads at the stop (r12 / edi), sends its own thread SIG
// (tgkill: the stop a living controller takes as the return; ignored by the process otherwise),
// then rt_sigreturn over the signal frame above the return slot. Position independent, no
// stack use. Followed by a marker at kStubMarkerAt so that a later session finds it.
constexpr size_t kStubMarkerAt = 48;
constexpr char kStubMarker[16] = {'k', 't', 'a', 'p', '-', 'c', 'a', 'l',
                                  'l', '-', 'r', 'e', 't', 'u', 'r', 'n'};

std::vector<uint8_t> return_stub_code(int bits, int sig, size_t &sig_at) {
    std::vector<uint8_t> c;
    auto add = [&](std::initializer_list<uint8_t> b) { c.insert(c.end(), b); };
    uint8_t s = static_cast<uint8_t>(sig);
    if (bits == 64) {
        add({0x49, 0x89, 0xc4});                   // mov %rax,%r12
        add({0xb8, 39, 0, 0, 0, 0x0f, 0x05});      // getpid
        add({0x48, 0x89, 0xc7});                   // mov %rax,%rdi
        add({0xb8, 186, 0, 0, 0, 0x0f, 0x05});     // gettid
        add({0x48, 0x89, 0xc6});                   // mov %rax,%rsi
        sig_at = c.size() + 1;
        add({0xba, s, 0, 0, 0});                   // mov $sig,%edx
        add({0xb8, 234, 0, 0, 0, 0x0f, 0x05});     // tgkill
        add({0xb8, 15, 0, 0, 0, 0x0f, 0x05, 0xf4}); // rt_sigreturn; hlt
    } else {
        add({0x89, 0xc7});                         // mov %eax,%edi
        add({0xb8, 20, 0, 0, 0, 0xcd, 0x80});      // getpid
        add({0x89, 0xc3});                         // mov %eax,%ebx
        add({0xb8, 224, 0, 0, 0, 0xcd, 0x80});     // gettid
        add({0x89, 0xc1});                         // mov %eax,%ecx
        sig_at = c.size() + 1;
        add({0xba, s, 0, 0, 0});                   // mov $sig,%edx
        add({0xb8, 0x0e, 0x01, 0, 0, 0xcd, 0x80}); // tgkill (270)
        add({0xb8, 173, 0, 0, 0, 0xcd, 0x80, 0xf4}); // rt_sigreturn; hlt
    }
    c.resize(kStubMarkerAt, 0xcc);
    c.insert(c.end(), kStubMarker, kStubMarker + sizeof kStubMarker);
    return c;
}

} // namespace

// Where the return stub lives: the slack after the end of libc's executable segment, in the
// last page of its read-execute mapping (bytes past the segment that the program never runs or
// reads). Written through /proc/PID/mem (a private copy of that page): no remote call, so no
// call of ktap's ever returns to address 0 while the stub can be had. It stays after detach (a
// call interrupted by ktap's death still needs it); a later session finds it by its marker.
bool Tracee::ensure_return_stub(int sig) {
    size_t sig_at = 0;
    std::vector<uint8_t> want = return_stub_code(bits_, sig, sig_at);
    if (!return_stub_ && !return_stub_tried_) {
        return_stub_tried_ = true;
        uint64_t at = return_stub_slot(want.size());
        std::vector<uint8_t> have(want.size());
        if (at && read(at, have.data(), have.size()) &&
            memcmp(have.data(), want.data(), sig_at) == 0 &&
            memcmp(have.data() + kStubMarkerAt, kStubMarker, sizeof kStubMarker) == 0) {
            return_stub_ = at; // an earlier session's
            return_stub_sig_ = have[sig_at];
        } else if (at && write(at, want.data(), want.size())) {
            return_stub_ = at;
            return_stub_sig_ = sig;
        }
    }
    if (!return_stub_)
        return false;
    if (return_stub_sig_ != sig) {
        uint8_t b = static_cast<uint8_t>(sig);
        if (!write(return_stub_ + sig_at, &b, 1))
            return false;
        return_stub_sig_ = sig;
    }
    return true;
}

namespace {

// The system-call stub: f(block), block = {nr, a1..a6} in target words (docs/attach.md).
constexpr size_t kSyscallStubAt = 64; // after the return stub and its marker
constexpr size_t kSyscallStubRoom = 48;
const std::vector<uint8_t> kSyscallStub64 = {0x48, 0x8b, 0x07,       // mov (%rdi),%rax
                                             0x4c, 0x8b, 0x4f, 0x30, // mov 48(%rdi),%r9
                                             0x4c, 0x8b, 0x47, 0x28, // mov 40(%rdi),%r8
                                             0x4c, 0x8b, 0x57, 0x20, // mov 32(%rdi),%r10
                                             0x48, 0x8b, 0x57, 0x18, // mov 24(%rdi),%rdx
                                             0x48, 0x8b, 0x77, 0x10, // mov 16(%rdi),%rsi
                                             0x48, 0x8b, 0x7f, 0x08, // mov 8(%rdi),%rdi
                                             0x0f, 0x05, 0xc3};      // syscall; ret
const std::vector<uint8_t> kSyscallStub32 = {0x53, 0x56, 0x57, 0x55, // push %ebx, %esi, %edi, %ebp
                                             0x8b, 0x4c, 0x24, 0x14, // mov 20(%esp),%ecx: the block
                                             0x8b, 0x01,             // mov (%ecx),%eax
                                             0x8b, 0x59, 0x04,       // mov 4(%ecx),%ebx
                                             0x8b, 0x51, 0x0c,       // mov 12(%ecx),%edx
                                             0x8b, 0x71, 0x10,       // mov 16(%ecx),%esi
                                             0x8b, 0x79, 0x14,       // mov 20(%ecx),%edi
                                             0x8b, 0x69, 0x18,       // mov 24(%ecx),%ebp
                                             0x8b, 0x49, 0x08,       // mov 8(%ecx),%ecx
                                             0xcd, 0x80,             // int $0x80
                                             0x5d, 0x5f, 0x5e, 0x5b, // pop %ebp, %edi, %esi, %ebx
                                             0xc3};                  // ret

} // namespace

// Where it goes: after the return stub in the slack after the code (libc's, else the
// program's) when both fit; else both go into a page of ktap's (stub_page), so that every call
// stays safe if ktap dies during it.
uint64_t Tracee::syscall_stub(std::string &error) {
    if (syscall_stub_)
        return syscall_stub_;
    const std::vector<uint8_t> &code = bits_ == 32 ? kSyscallStub32 : kSyscallStub64;
    uint64_t slack = 0, room = 0, at = 0;
    stub_slack(slack, room);
    if (room >= kSyscallStubAt + kSyscallStubRoom) {
        at = slack + kSyscallStubAt;
    } else {
        uint64_t page = stub_page(error);
        if (!page)
            return 0;
        at = page + kSyscallStubAt;
    }
    std::vector<uint8_t> have(code.size());
    if (!(read(at, have.data(), have.size()) && have == code) &&
        !write(at, code.data(), code.size())) {
        error = "cannot write ktap's system-call stub into " + who();
        return 0;
    }
    syscall_stub_ = at;
    return at;
}

// A read-execute page of ktap's for the return and system-call stubs, in a program whose code
// leaves no room for them: an earlier session's (found by the return stub's marker), else one the
// program maps now. That mmap is made through the system-call stub written for the time of this
// one call over the program's entry code (_start: it has run already, or, at -c's entry point,
// does not run before ktap puts it back, right after the call). The page is never unmapped.
uint64_t Tracee::stub_page(std::string &error) {
    if (stub_page_)
        return stub_page_;
    std::vector<Mapping> maps;
    if (read_maps(pid_, maps, error))
        for (const Mapping &m : maps) {
            char marker[sizeof kStubMarker];
            if (m.perms == "r-xp" && m.path.empty() && m.end - m.start == 4096 &&
                read(m.start + kStubMarkerAt, marker, sizeof marker) &&
                memcmp(marker, kStubMarker, sizeof marker) == 0)
                return stub_page_ = m.start;
        }
    const std::vector<uint8_t> &code = bits_ == 32 ? kSyscallStub32 : kSyscallStub64;
    uint64_t entry = 0;
    std::vector<uint8_t> orig(code.size());
    if (!read_auxv_entry(pid_, bits_, AT_ENTRY, entry) || !entry ||
        !read(entry, orig.data(), orig.size()) || !write(entry, code.data(), code.size())) {
        error = "no room for ktap's stubs in " + who();
        return 0;
    }
    const uint64_t word = bits_ == 32 ? 4 : 8, none = bits_ == 32 ? 0xffffffffu : ~uint64_t{0};
    const uint64_t args[7] = {static_cast<uint64_t>(bits_ == 32 ? 192 : 9),
                              0,
                              4096,
                              PROT_READ | PROT_EXEC,
                              MAP_PRIVATE | MAP_ANONYMOUS,
                              none,
                              0};
    std::vector<uint8_t> block(7 * word);
    for (size_t i = 0; i < 7; ++i)
        memcpy(block.data() + i * word, &args[i], word);
    uint64_t at = 0, raw = 0;
    bool called = scratch(block.size(), at, error) && write(at, block.data(), block.size()) &&
                  call(entry, {at}, raw, error);
    write(entry, orig.data(), orig.size());
    raw &= none;
    if (!called || raw >= (none & ~uint64_t{4095})) {
        error = "cannot map a page for ktap's stubs in " + who() +
                (called ? std::string(": ") +
                              strerror(static_cast<int>(-static_cast<int64_t>(raw | ~none)))
                        : ": " + error);
        return 0;
    }
    stub_page_ = raw;
    return_stub_tried_ = false; // the return stub goes there at the next call
    return stub_page_;
}

bool Tracee::stub_slack(uint64_t &at, uint64_t &room) const {
    ElfModule m;
    std::string error;
    at = room = 0;
    if (!open_target_module(pid_, "libc.so.6", m, error) && !open_target_module(pid_, "", m, error))
        return false;
    size_t n = 0;
    uint64_t seg_end = 0;
    if (elf_getphdrnum(m.elf, &n) != 0)
        return false;
    for (size_t i = 0; i < n; ++i) {
        GElf_Phdr ph;
        if (gelf_getphdr(m.elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD &&
            (ph.p_flags & PF_X))
            seg_end = m.module.bias + ph.p_vaddr + ph.p_memsz;
    }
    std::vector<Mapping> maps;
    if (!seg_end || !read_maps(pid_, maps, error))
        return false;
    uint64_t start = (seg_end + 15) & ~uint64_t{15};
    for (const Mapping &map : maps)
        if (map.perms == "r-xp" && map.start < seg_end && seg_end <= map.end) {
            at = start;
            room = map.end > start ? map.end - start : 0;
            return true;
        }
    return false;
}

// The 16-aligned address after the end of libc's executable PT_LOAD (or, in a program without
// libc.so.6, the executable's own) when SIZE bytes fit before the end of the read-execute
// mapping holding it, else 0.
uint64_t Tracee::return_stub_slot(size_t size) const {
    if (stub_page_)
        return stub_page_;
    uint64_t at = 0, room = 0;
    // A program without libc.so.6 needs the system-call stub after it: room for both, else
    // both go into a page of ktap's (stub_page).
    if (!stub_slack(at, room) || room < size + (libc_mapped() ? 0 : kSyscallStubRoom))
        return 0;
    return at;
}

bool Tracee::libc_mapped() const {
    std::vector<Mapping> maps;
    std::string error;
    if (!read_maps(pid_, maps, error))
        return true;
    for (const Mapping &m : maps)
        if (m.path.find("/libc.so") != std::string::npos ||
            m.path.find("/ld-musl") != std::string::npos)
            return true;
    return false;
}

bool Tracee::call_on(pid_t tid, uint64_t fn, const std::vector<uint64_t> &args, uint64_t &result,
                     std::string &error) {
    if (!ensure_usable(error))
        return false;
    std::string what = "the call to " + hex(fn) + " in " + who();
    auto it = threads_.find(tid);
    if (it == threads_.end() || it->second.run != Run::Stopped) {
        error = "cannot call " + hex(fn) + ": thread " + std::to_string(tid) + " of " + who() +
                " is not stopped";
        return false;
    }
    if (it->second.stop == Stop::Event && !settle_event_stops(error))
        return false;
    if (!threads_.count(tid)) {
        error = "thread " + std::to_string(tid) + " of " + who() + " has exited";
        return false;
    }
    // The return stub's signal, and the stub (placed on the first call).
    int notify_sig = 0;
    if (!return_stub_tried_ || return_stub_) {
        notify_sig = ignored_signal();
        if (notify_sig && !ensure_return_stub(notify_sig))
            notify_sig = 0;
    }
    const bool was_group_stop = it->second.stop == Stop::Group;
    const bool is32 = bits_ == 32;
    const uint64_t word = is32 ? 4 : 8;
    const uint64_t mask = is32 ? 0xffffffffu : ~uint64_t{0};
    if (is32 && fn > 0xffffffffu) {
        error = "cannot call " + hex(fn) + " in a 32-bit process";
        return false;
    }
    user_regs_struct saved;
    FpState fp;
    if (!get_regs(tid, saved) || !save_fp(tid, fp)) {
        error = "cannot read the registers of thread " + std::to_string(tid) + " of " + who() +
                ": " + strerror(errno);
        check_gone(error);
        return false;
    }
    if (is32) {
        // Keep eax and orig_eax sign-extended, as the kernel's syscall-restart check expects
        // them once the thread has been back in user mode.
        saved.rax = static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(saved.rax)));
        saved.orig_rax =
            static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(saved.orig_rax)));
    }
    uint64_t sigmask = 0;
    bool have_mask = pt(PTRACE_GETSIGMASK, tid, sizeof sigmask, &sigmask) == 0;

    // The frame: [return address][stack arguments], the arguments 16-byte aligned, below
    // the scratch area or the red zone.
    uint64_t top = scratch_tid_ == tid && scratch_low_ ? scratch_low_
                   : call_stack_top_                   ? call_stack_top_
                                                       : ((saved.rsp & mask) - kRedZone);
    std::vector<uint64_t> stack_args;
    if (is32)
        stack_args = args;
    else if (args.size() > 6)
        stack_args.assign(args.begin() + 6, args.end());
    uint64_t area = (stack_args.size() * word + 15) & ~uint64_t{15};
    uint64_t sp = (top & ~uint64_t{15}) - area - word;
    std::vector<uint8_t> frame(word + area, 0);
    size_t args_at = word; // where the stack arguments go in the frame
    // Returning through the stub: the frame is a signal frame that puts the thread back by
    // itself if ktap dies during the call (sigframe.h); the stub reports the return with a
    // signal whose action is to be ignored, unblocked for the call.
    if (!have_mask || (!is32 && !stack_args.empty()) || lean_calls_)
        notify_sig = 0;
    if (notify_sig) {
        SigframeInput in;
        in.bits = bits_;
        in.regs = saved;
        in.fp = fp.xstate ? fp.xsave.data() : reinterpret_cast<const uint8_t *>(&fp.fx);
        in.fp_len = fp.xstate ? fp.xsave.size() : sizeof fp.fx;
        in.sigmask = sigmask;
        in.return_address = return_stub_;
        uint64_t base = ((top - 1024 - in.fp_len) & ~uint64_t{15}) - word;
        Sigframe sf = build_sigreturn_frame(in, base);
        uint64_t unblocked = sigmask & ~(uint64_t{1} << (notify_sig - 1));
        if (sf.args_room >= stack_args.size() * word && base + sf.bytes.size() <= top &&
            (unblocked == sigmask ||
             pt(PTRACE_SETSIGMASK, tid, sizeof unblocked, &unblocked) == 0)) {
            sp = base;
            frame = std::move(sf.bytes);
            args_at = sf.args_at;
        } else {
            notify_sig = 0; // the plain frame
        }
    }
    for (size_t i = 0; i < stack_args.size(); ++i) {
        uint64_t v = stack_args[i] & mask;
        memcpy(frame.data() + args_at + i * word, &v, word);
    }
    if (!write(sp, frame.data(), frame.size())) {
        error = "cannot write the stack frame of " + what + " at " + hex(sp) + " (thread " +
                std::to_string(tid) + ")";
        check_gone(error);
        return false;
    }
    user_regs_struct regs = saved;
    regs.rip = fn;
    regs.rsp = sp;
    regs.rax = 0;                 // x86_64 varargs: no vector registers
    regs.orig_rax = ~uint64_t{0}; // not in a system call: no restart into our code
    regs.eflags &= ~(kEflagsTF | kEflagsDF);
    if (!is32) {
        unsigned long long *slots[6] = {&regs.rdi, &regs.rsi, &regs.rdx,
                                        &regs.rcx, &regs.r8,  &regs.r9};
        for (size_t i = 0; i < args.size() && i < 6; ++i)
            *slots[i] = args[i];
    }
    if (!set_regs(tid, regs)) {
        error =
            "cannot set the registers of thread " + std::to_string(tid) + ": " + strerror(errno);
        check_gone(error);
        return false;
    }
    call_tid_ = tid;
    threads_[tid].free = false;
    if (pt(PTRACE_CONT, tid, 0, uint64_t{0}) != 0) {
        call_tid_ = 0;
        set_regs(tid, saved);
        error = "cannot resume thread " + std::to_string(tid) + ": " + strerror(errno);
        check_gone(error);
        return false;
    }
    threads_[tid].run = Run::Running;
    threads_[tid].stop = Stop::None;

    enum class Outcome {
        Waiting,
        Returned,
        Crashed,
        Gone,
        Exec,
        TimedOut
    } outcome = Outcome::Waiting;
    std::string crash;
    auto deadline = deadline_after(call_timeout_ms_);
    // Is the thread at the end of our call, or did the call crash? (it is in a signal stop)
    auto inspect = [&](Thread &t) {
        const siginfo_t &si = t.pending.back();
        user_regs_struct now;
        if (!get_regs(tid, now))
            return false;
        uint64_t ip = now.rip & mask, rsp = now.rsp & mask;
        if (notify_sig && si.si_signo == notify_sig && si.si_code == SI_TKILL &&
            ip >= return_stub_ && ip < return_stub_ + kStubMarkerAt) {
            result = (is32 ? now.rdi : now.r12) & mask;
            t.pending.pop_back();
            outcome = Outcome::Returned;
            return true;
        }
        if (!notify_sig && si.si_signo == SIGSEGV && ip == 0 && rsp >= sp + word &&
            rsp <= sp + word + area + 64) {
            result = now.rax & mask;
            t.pending.pop_back();
            outcome = Outcome::Returned;
            return true;
        }
        bool self_abort = si.si_signo == SIGABRT && si.si_code <= 0 && si.si_pid == pid_;
        if ((is_fault_signal(si.si_signo) && si.si_code > 0) || self_abort) {
            crash = signal_name(si.si_signo) + " at ip " + hex(ip);
            if (si.si_signo == SIGSEGV || si.si_signo == SIGBUS)
                crash += " (address " + hex(reinterpret_cast<uint64_t>(si.si_addr) & mask) + ")";
            t.pending.pop_back();
            outcome = Outcome::Crashed;
            return true;
        }
        return false; // an asynchronous signal: kept in t.pending for later
    };
    while (outcome == Outcome::Waiting) {
        pid_t etid = 0;
        int status = 0;
        int left = remaining_ms(deadline);
        if (left <= 0 || !wait_event(left, etid, status)) {
            outcome = Outcome::TimedOut;
            break;
        }
        bool exec_event = WIFSTOPPED(status) && (status >> 16) == PTRACE_EVENT_EXEC;
        on_status(etid, status);
        if (exited_ || !threads_.count(tid)) {
            outcome = Outcome::Gone;
            break;
        }
        if (exec_event) {
            outcome = Outcome::Exec;
            break;
        }
        if (etid != tid)
            continue; // a thread the call created (runs freely)
        Thread &t = threads_[tid];
        if (t.run != Run::Stopped)
            continue;
        if (t.stop == Stop::Signal && !t.pending.empty() && inspect(t))
            break;
        // Keep going: the signal (if any) stays in t.pending, event stops are passed.
        if (pt(PTRACE_CONT, tid, 0, uint64_t{0}) == 0) {
            t.run = Run::Running;
            t.stop = Stop::None;
        }
    }
    if (outcome == Outcome::TimedOut && threads_.count(tid)) {
        pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0});
        threads_[tid].run = Run::Awaiting;
        std::string ignored;
        wait_awaiting(kStopTimeoutMs, ignored);
        if (exited_ || !threads_.count(tid)) {
            outcome = Outcome::Gone;
        } else {
            Thread &t = threads_[tid];
            // It may have returned just now.
            if (t.run == Run::Stopped && t.stop == Stop::Signal && !t.pending.empty())
                inspect(t);
        }
    }
    call_tid_ = 0;
    scratch_tid_ = 0;
    scratch_low_ = 0;
    if (outcome == Outcome::Gone) {
        // The whole process is going: collect its exit status if it comes soon.
        auto until = deadline_after(1000);
        while (attached_ && remaining_ms(until) > 0) {
            pid_t etid;
            int status;
            if (!wait_event(remaining_ms(until), etid, status))
                break;
            on_status(etid, status);
        }
        if (exited_)
            error = who() + " " + describe_wait_status(exit_status_) + " during " + what;
        else
            error = "thread " + std::to_string(tid) + " exited during " + what;
        return false;
    }
    if (outcome == Outcome::Exec) {
        error = who() + " called execve during " + what;
        return false;
    }
    auto t = threads_.find(tid);
    bool restored = false;
    if (t != threads_.end() && t->second.run == Run::Stopped) {
        restored = set_regs(tid, saved) && restore_fp(tid, fp);
        // The kernel unblocks a fault signal it forces, and the stub's signal was unblocked
        // for the call: the thread's own mask back.
        if (have_mask && (notify_sig || (sigmask & (uint64_t{1} << (SIGSEGV - 1)))))
            pt(PTRACE_SETSIGMASK, tid, sizeof sigmask, &sigmask);
    }
    // A thread taken out of a job-control stop goes back into it (its restart then comes
    // back as a group stop, which resume_all() keeps with PTRACE_LISTEN). Only without kept
    // signals: those must be delivered from a signal-delivery stop to keep their siginfo.
    if (restored && was_group_stop && threads_[tid].pending.empty()) {
        pt(PTRACE_INTERRUPT, tid, 0, uint64_t{0});
        if (restart(tid, PTRACE_CONT))
            threads_[tid].run = Run::Awaiting;
    }
    // Threads the call created stop now, like every other thread.
    std::string stop_error;
    bool others_stopped = stop_running(stop_error);
    switch (outcome) {
    case Outcome::Returned:
        if (!restored) {
            error = "cannot restore the registers of thread " + std::to_string(tid) + " after " +
                    what + ": " + strerror(errno);
            return false;
        }
        if (!others_stopped) {
            error = stop_error;
            return false;
        }
        return true;
    case Outcome::Crashed:
        error = what + " crashed: " + crash + " (thread " + std::to_string(tid) +
                "; its registers were restored and the signal was not delivered)";
        return false;
    case Outcome::TimedOut:
        error = what + " did not return within " + std::to_string(call_timeout_ms_) +
                " ms (is it waiting for a lock held by a stopped thread?)" +
                (restored ? "; the thread was interrupted and its registers restored, but the "
                            "process may be left inconsistent"
                          : "; the thread could not be stopped");
        return false;
    default:
        error = what + " failed";
        return false;
    }
}

} // namespace ktap
