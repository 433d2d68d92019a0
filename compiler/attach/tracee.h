// The controller's hold on a target process (x86_64 controller; x86_64 and i386 targets):
// ptrace attach/spawn, memory access, remote calls with the target's ABI, library injection.
// See docs/attach.md for how each step works and for the hazards.
//
// Rules for callers:
// - Use one Tracee from one controller thread: Linux ties a ptrace attachment to the thread
//   that made it (calls from another thread fail with ESRCH).
// - Do not reap the target with waitpid(-1, ...) elsewhere in the controller while attached,
//   and do not set SIGCHLD to SIG_IGN (children would be reaped automatically).
// - Hold the target only briefly: attach (or spawn), inject, patch, detach. A traced process
//   stops at every signal it receives until the tracer handles it; after resume_all() the
//   controller must call service_events() regularly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <signal.h>
#include <string>
#include <sys/types.h>
#include <sys/user.h>
#include <vector>

namespace ktap {

class Tracee {
  public:
    Tracee();
    ~Tracee(); // detaches if still attached
    Tracee(const Tracee &) = delete;
    Tracee &operator=(const Tracee &) = delete;

    // Attaches to a running process and all its threads (PTRACE_SEIZE + PTRACE_INTERRUPT per
    // thread of /proc/PID/task, repeated until the set is stable; PTRACE_O_TRACECLONE makes
    // threads created meanwhile ours automatically). On success every thread is stopped.
    // PID may also be a thread id: its process is attached. A Tracee can attach again after
    // detach() (to the same or another process).
    bool attach(pid_t pid, std::string &error);

    // Starts COMMAND stopped at its ELF entry point: the dynamic loader has mapped and
    // initialised its libraries (dlopen is callable) but no instruction of the program's own
    // code has run. COMMAND is split at blanks and run directly, or run through /bin/sh when
    // it uses shell syntax; one simple command then becomes `/bin/sh -c "... exec PROG ..."`
    // so that PROG is the traced process (pipelines and lists: the shell is). The child is
    // killed if the controller dies before spawn() returns (PTRACE_O_EXITKILL, cleared then).
    bool spawn(const std::string &command, std::string &error);

    pid_t pid() const { return pid_; }
    int bits() const { return bits_; }          // 64 or 32
    bool attached() const { return attached_; } // false after detach() or the process's exit
    bool stopped() const;                       // attached and every thread stopped
    std::vector<pid_t> threads() const;         // known live threads, main thread first
    pid_t call_thread() const; // the thread call() uses: the main thread when it can, else
                               // the first stopped thread; 0 when there is none

    // The process exited (or was killed) while attached, or spawn()'s child exited:
    bool exited() const { return exited_; }
    int exit_status() const { return exit_status_; } // wait status, valid when exited()

    // Instruction pointers of every thread, in the order of threads() (stopped threads only).
    std::vector<uint64_t> thread_ips();
    bool thread_ip(pid_t tid, uint64_t &ip);
    bool thread_sp(pid_t tid, uint64_t &sp);
    // Whether thread TID has a thread pointer (x86_64: a non-zero %fs base; i386: a %gs
    // selector): false before a static program's libc set up TLS (at its entry point).
    bool thread_pointer_set(pid_t tid);
    // Moves a stopped thread to IP (its other registers unchanged): a thread stopped inside
    // bytes about to be patched resumes in their relocated copy instead.
    bool set_thread_ip(pid_t tid, uint64_t ip);

    // Target memory through /proc/PID/mem; write() also works on read-only/executable pages
    // (private mappings get their own copy, as with a debugger's breakpoint).
    bool read(uint64_t addr, void *buf, size_t n);
    bool write(uint64_t addr, const void *buf, size_t n);
    bool read_string(uint64_t addr, std::string &out, size_t max = 4096);

    // Scratch memory for the next call(): N bytes below the stack pointer of call_thread()
    // (below the 128-byte red zone, 16-byte aligned; successive requests go further down).
    // scratch() only reserves (write the bytes with write()); push_scratch() copies DATA
    // there. The call's own frame goes below the scratch area. The reservation ends when the
    // call returns (the bytes stay readable until the next scratch()/call() or until the
    // threads resume). Limit: 1 MiB, and the area must be inside the thread's stack mapping.
    bool scratch(size_t n, uint64_t &addr, std::string &error);
    bool push_scratch(const void *data, size_t n, uint64_t &addr, std::string &error);
    bool push_string(const std::string &s, uint64_t &addr, std::string &error);

    // Calls FN(ARGS...) in the target on call_thread() (call_on: on thread TID) with the
    // target's ABI: x86_64 SysV (rdi rsi rdx rcx r8 r9, then the stack), i386 cdecl (all on
    // the stack, esp 16-byte aligned at the call). The return address is ktap's return stub
    // in the target (its notification signal is the return; a signal frame above the return
    // slot lets the thread restore itself if ktap dies during the call), else 0: the return
    // is caught as the SIGSEGV at ip 0, which is not delivered. orig_rax is -1 during the call so
    // that an interrupted system call is not restarted into it; afterwards all registers
    // (general, x87/SSE/AVX state) are restored exactly, so the interrupted system call
    // restarts normally when the thread resumes. Other threads stay stopped; threads the call
    // creates run freely during it and are stopped when it returns. Signals that arrive for
    // the calling thread during the call are kept and delivered when it resumes.
    // RESULT is rax (x86_64) or eax zero-extended (i386). Errors: the call crashed (signal and
    // ip named; registers are restored and the signal is not delivered), the process exited,
    // or no return within the timeout (the thread is interrupted and restored; the target may
    // then hold a lock the call took).
    bool call(uint64_t fn, const std::vector<uint64_t> &args, uint64_t &result, std::string &error);
    bool call_on(pid_t tid, uint64_t fn, const std::vector<uint64_t> &args, uint64_t &result,
                 std::string &error);
    void set_call_timeout_ms(int ms) { call_timeout_ms_ = ms; }
    // The address of the return stub (0 before the first call or without one): for tests.
    uint64_t return_stub() const { return return_stub_; }
    // A function of ktap's in the target that makes one system call: f(block) with BLOCK the
    // address of words {nr, a1, ..., a6} (the target's word size), returning the kernel's value
    // (-errno on failure). For processes without a libc whose syscall() ktap could call
    // (statically linked); written after the return stub, in the same slack. 0 with ERROR when
    // there is no room. Where the slack is too small both stubs go into a page of ktap's.
    uint64_t syscall_stub(std::string &error);
    // Calls (their frames and scratch memory) on a stack of ktap's in the target whose top is
    // TOP, not below the calling thread's stack pointer: in a Go program that is a goroutine's
    // stack, with only the room Go's own checks leave. 0: the thread's stack again.
    void set_call_stack(uint64_t top) {
        call_stack_top_ = top;
        scratch_low_ = 0;
    }
    // Lean calls: no signal frame below the stack pointer (the call returns to address 0 if
    // ktap dies during it): for the one call that maps such a stack.
    void set_lean_calls(bool lean) { lean_calls_ = lean; }

    // Resumes every thread (still attached): signals kept while stopped are delivered, threads
    // in a job-control stop stay stopped (PTRACE_LISTEN). Then call service_events() often.
    bool resume_all();
    // Stops every thread again (PTRACE_INTERRUPT, waiting for each; picks up new threads).
    bool stop_all(std::string &error);
    // While resumed: handles pending ptrace stops without blocking (delivers signals, lets new
    // threads run, keeps job-control stops). False when the process has exited.
    bool service_events();

    // Lets go of every thread; the process keeps running (or stays in its job-control stop).
    // Signals that arrived while it was held are delivered. Nothing of ours stays in the
    // process's registers or code.
    void detach();

    // For spawn(): after detach(), waits for the child to exit and returns its wait status
    // (also when it exited while attached). -1 when the process is not our child.
    int wait_exit();

  private:
    bool stopped_regs(pid_t tid, user_regs_struct &r); // a stopped thread's registers
    enum class Run { Stopped, Running, Awaiting }; // Awaiting: a stop is due (interrupt, new)
    // The kind of ptrace-stop a stopped thread is in. Event: a clone/exec event stop inside a
    // system call (never used for calls: it is first moved to an interrupt stop).
    enum class Stop { None, Interrupt, Group, Signal, Event };
    struct Thread {
        Run run = Run::Awaiting;
        Stop stop = Stop::None;
        bool free = false; // ptrace stops are handled and it is let run (resumed, or created
                           // by a call): signals go through at once
        std::vector<siginfo_t> pending; // dequeued signals to deliver when it resumes
    };

    void reset();
    bool seize_round(bool &found_new, std::string &error);
    bool wait_awaiting(int timeout_ms, std::string &error);
    bool wait_event(int timeout_ms, pid_t &tid, int &status);
    void on_status(pid_t tid, int status);
    void on_exec(pid_t tid);
    void thread_exited(pid_t tid, int status);
    bool restart(pid_t tid, int request);
    bool settle_event_stops(std::string &error);
    bool stop_running(std::string &error);
    bool open_mem();
    void update_bits();
    bool run_to_entry(std::string &error);
    bool ensure_usable(std::string &error) const;
    bool check_gone(std::string &error);
    bool supported(std::string &error) const;
    bool reserve_scratch(pid_t tid, size_t n, uint64_t &addr, std::string &error);
    int ignored_signal() const;
    bool ensure_return_stub(int sig);
    uint64_t return_stub_slot(size_t size) const;
    bool stub_slack(uint64_t &at, uint64_t &room) const; // after libc's (else the program's) code
    bool libc_mapped() const;
    uint64_t stub_page(std::string &error);
    std::string who() const;

    pid_t pid_ = 0;
    bool attached_ = false;
    bool child_ = false; // we forked it (spawn): wait_exit() can reap it
    bool exited_ = false;
    bool reaped_ = false;
    int exit_status_ = 0;
    int bits_ = 0;
    int mem_fd_ = -1;
    int call_timeout_ms_ = 10000;
    pid_t call_tid_ = 0;  // the thread running a call, 0 when none
    pid_t scan_from_ = 0; // wait_event's round robin
    pid_t scratch_tid_ = 0;
    uint64_t scratch_low_ = 0;
    uint64_t syscall_stub_ = 0;
    uint64_t stub_page_ = 0;   // ktap's page for both stubs, where the code's slack is too small
    mutable int go_program_ = -1; // ignored_signal's: -1 not looked at yet
    uint64_t call_stack_top_ = 0;
    bool lean_calls_ = false;
    uint64_t return_stub_ = 0; // the return stub in the target (docs/attach.md)
    int return_stub_sig_ = 0;  // the signal its code sends now
    bool return_stub_tried_ = false;
    std::map<pid_t, Thread> threads_;
};

// Address of symbol NAME in a module mapped by process PID. MODULE selects the module: an
// absolute path must equal the mapped path (as /proc/PID/maps shows it: symlinks resolved);
// otherwise a mapped file whose base name equals it, else the first (in address order) whose
// path contains it; "" selects the main executable. The symbol comes from the file's .dynsym
// (default version preferred: dlopen@@GLIBC_2.34, not a compat dlopen@GLIBC_2.0) or .symtab,
// plus the load bias from /proc/PID/maps (mapping start - page-aligned p_vaddr of the PT_LOAD
// it maps; PIE and non-PIE). 32- and 64-bit ELF. An IFUNC symbol is an error here (its value
// is the resolver): use resolve_function().
bool find_symbol_in_target(pid_t pid, const std::string &module, const std::string &name,
                           uint64_t &addr, std::string &error);

// Whether the main executable of process PID was built by Go's toolchain (it has Go's
// .gopclntab or .go.buildinfo section; also when stripped).
bool is_go_program(pid_t pid);

// A module of a live process as find_symbol_in_target selects it.
struct TargetModule {
    std::string path;           // as in /proc/PID/maps
    uint64_t bias = 0;          // runtime address = st_value + bias
    uint64_t low = 0, high = 0; // range of its mappings
};
bool find_module_in_target(pid_t pid, const std::string &module, TargetModule &out,
                           std::string &error);

// Like find_symbol_in_target, and for an IFUNC symbol calls its resolver in the target to get
// the implementation's address (strlen, memcpy, ... in glibc).
bool resolve_function(Tracee &t, const std::string &module, const std::string &name, uint64_t &addr,
                      std::string &error);

// resolve_function + Tracee::call.
bool call_function(Tracee &t, const std::string &module, const std::string &name,
                   const std::vector<uint64_t> &args, uint64_t &result, std::string &error);

// Loads the shared library PATH into the stopped target: dlopen(PATH, RTLD_NOW) from the
// target's libc (glibc >= 2.34: libc.so.6; older: libdl.so.2), on failure dlerror()'s message.
// PATH is made absolute and must match the target's word size. BASE is the library's load
// bias (its lowest mapping for an ordinary shared object); HANDLE, when given, the dlopen
// handle. If a thread is stopped inside the dynamic loader the threads are resumed briefly
// and stopped again first (up to ~50 ms), so that dlopen does not wait on the loader's lock.
bool inject_library(Tracee &t, const std::string &path, uint64_t &base, std::string &error,
                    uint64_t *handle = nullptr);

// dlopen(PATH, RTLD_NOW) in the stopped target, PATH as the target sees it (no local checks:
// "/proc/self/fd/N" names the target's own descriptor); HANDLE is dlopen's result, and a
// failure carries dlerror()'s message. inject_library's steps 2-4.
bool remote_dlopen(Tracee &t, const std::string &path, uint64_t &handle, std::string &error);

// library_exports of a library by its path exactly as /proc/PID/maps shows it (no realpath:
// "/memfd:NAME (deleted)" for a library loaded from a memfd). SAME_FILE: a local file with the
// same bytes, read when the mapping cannot be opened (no CAP_SYS_ADMIN for map_files).
bool mapped_library_exports(Tracee &t, const std::string &mapped_path,
                            std::map<std::string, uint64_t> &symbols, std::string &error,
                            const std::string &same_file = "");

// Every defined global or weak symbol of .dynsym of the mapped library PATH (matched by
// its real path) at its target address, IFUNCs resolved in the target; for the symbols an
// injected library exports.
bool library_exports(Tracee &t, const std::string &path, std::map<std::string, uint64_t> &symbols,
                     std::string &error);

} // namespace ktap
