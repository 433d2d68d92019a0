#include "seccomp.h"

#include "proc.h"

#include <cerrno>
#include <cstring>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/ptrace.h>

namespace ktap {

namespace {

// struct seccomp_data as a filter reads it: nr, arch, instruction_pointer, args[6].
struct Data {
    int32_t nr;
    uint32_t arch;
    uint64_t ip;
    uint64_t args[6];
};

// Classic BPF as seccomp accepts it (the kernel's seccomp_check_filter list).
uint32_t run_filter(const std::vector<sock_filter> &prog, const Data &d) {
    uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = {};
    const auto *bytes = reinterpret_cast<const uint8_t *>(&d);
    for (size_t pc = 0; pc < prog.size(); ++pc) {
        const sock_filter &f = prog[pc];
        uint32_t k = f.k;
        switch (f.code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (k > sizeof d - 4 || k % 4)
                return SECCOMP_RET_KILL_PROCESS; // the kernel rejects such filters
            memcpy(&A, bytes + k, 4);
            break;
        case BPF_LD | BPF_W | BPF_LEN: A = sizeof d; break;
        case BPF_LDX | BPF_W | BPF_LEN: X = sizeof d; break;
        case BPF_LD | BPF_IMM: A = k; break;
        case BPF_LDX | BPF_IMM: X = k; break;
        case BPF_LD | BPF_MEM: A = M[k % BPF_MEMWORDS]; break;
        case BPF_LDX | BPF_MEM: X = M[k % BPF_MEMWORDS]; break;
        case BPF_ST: M[k % BPF_MEMWORDS] = A; break;
        case BPF_STX: M[k % BPF_MEMWORDS] = X; break;
        case BPF_MISC | BPF_TAX: X = A; break;
        case BPF_MISC | BPF_TXA: A = X; break;
        case BPF_RET | BPF_K: return k;
        case BPF_RET | BPF_A: return A;
        case BPF_JMP | BPF_JA: pc += k; break;
        default:
            if (BPF_CLASS(f.code) == BPF_JMP) {
                uint32_t v = BPF_SRC(f.code) == BPF_X ? X : k;
                bool t = false;
                switch (BPF_OP(f.code)) {
                case BPF_JEQ: t = A == v; break;
                case BPF_JGT: t = A > v; break;
                case BPF_JGE: t = A >= v; break;
                case BPF_JSET: t = (A & v) != 0; break;
                default: return SECCOMP_RET_KILL_PROCESS;
                }
                pc += t ? f.jt : f.jf;
            } else if (BPF_CLASS(f.code) == BPF_ALU) {
                uint32_t v = BPF_SRC(f.code) == BPF_X ? X : k;
                switch (BPF_OP(f.code)) {
                case BPF_ADD: A += v; break;
                case BPF_SUB: A -= v; break;
                case BPF_MUL: A *= v; break;
                case BPF_DIV: A = v ? A / v : 0; break;
                case BPF_MOD: A = v ? A % v : 0; break;
                case BPF_AND: A &= v; break;
                case BPF_OR: A |= v; break;
                case BPF_XOR: A ^= v; break;
                case BPF_LSH: A = v < 32 ? A << v : 0; break;
                case BPF_RSH: A = v < 32 ? A >> v : 0; break;
                case BPF_NEG: A = -A; break;
                default: return SECCOMP_RET_KILL_PROCESS;
                }
            } else {
                return SECCOMP_RET_KILL_PROCESS;
            }
        }
    }
    return SECCOMP_RET_KILL_PROCESS; // fell off the end: the kernel never loads such a filter
}

// The kernel's precedence: the lowest action, compared as a signed number, wins.
int32_t rank(uint32_t ret) { return static_cast<int32_t>(ret & SECCOMP_RET_ACTION_FULL); }

} // namespace

bool SeccompFilters::read(pid_t pid, pid_t tid, std::string &error) {
    filters_.clear();
    std::string mode = status_field(pid, "Seccomp");
    if (mode.empty() || mode == "0")
        return true;
    if (mode == "1") {
        error = "process " + std::to_string(pid) + " runs in seccomp strict mode (only read, write, "
                "exit and sigreturn are allowed): ktap cannot load anything into it";
        return false;
    }
    for (unsigned long index = 0;; ++index) {
        long n = ptrace(static_cast<__ptrace_request>(PTRACE_SECCOMP_GET_FILTER), tid,
                        reinterpret_cast<void *>(index), nullptr);
        if (n < 0 && errno == ENOENT && index > 0)
            return true; // past the last filter
        if (n <= 0) {
            error = "process " + std::to_string(pid) +
                    " runs under a seccomp filter that ktap cannot read (" + strerror(errno) +
                    "; it needs CAP_SYS_ADMIN and a kernel with CONFIG_CHECKPOINT_RESTORE): "
                    "a system call of ktap's could trip it, so the process is not traced";
            return false;
        }
        std::vector<sock_filter> prog(static_cast<size_t>(n));
        if (ptrace(static_cast<__ptrace_request>(PTRACE_SECCOMP_GET_FILTER), tid,
                   reinterpret_cast<void *>(index), prog.data()) != n) {
            error = "cannot read seccomp filter " + std::to_string(index) + " of process " +
                    std::to_string(pid) + ": " + strerror(errno);
            return false;
        }
        filters_.push_back(std::move(prog));
    }
}

uint32_t SeccompFilters::evaluate(int bits, int nr, const uint64_t args[6]) const {
    Data d{};
    d.nr = nr;
    d.arch = bits == 32 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
    for (int i = 0; i < 6; ++i)
        d.args[i] = bits == 32 ? (args[i] & 0xffffffffu) : args[i];
    uint32_t best = SECCOMP_RET_ALLOW;
    for (const auto &f : filters_) {
        uint32_t r = run_filter(f, d);
        if (rank(r) < rank(best))
            best = r;
    }
    return best;
}

std::string seccomp_action_text(uint32_t ret) {
    switch (ret & SECCOMP_RET_ACTION_FULL) {
    case SECCOMP_RET_KILL_PROCESS: return "kill the process";
    case SECCOMP_RET_KILL_THREAD: return "kill the calling thread";
    case SECCOMP_RET_TRAP: return "raise SIGSYS";
    case SECCOMP_RET_ERRNO:
        return std::string("fail with ") + strerrorname_np(static_cast<int>(ret & SECCOMP_RET_DATA));
    case SECCOMP_RET_USER_NOTIF: return "wait for a user-space supervisor's answer";
    case SECCOMP_RET_TRACE: return "stop for a seccomp tracer (fail with ENOSYS under ktap)";
    case SECCOMP_RET_LOG:
    case SECCOMP_RET_ALLOW: return "allow it";
    }
    return "do something unknown";
}

namespace {

// One system call ktap makes: its numbers, the arguments a filter may look at, and whether a
// failure (ERRNO) is survivable (ktap then does without it).
struct KtapCall {
    const char *name;
    int nr64, nr32;
    uint64_t args[6];
    bool may_fail;
    const char *who;
    int load = -1; // only for this AgentLoad (-1: both)
};

} // namespace

bool seccomp_allows_ktap(const SeccompFilters &filters, int bits, std::string &why,
                         AgentLoad load) {
    if (filters.empty())
        return true;
    const uint64_t rx = PROT_READ | PROT_EXEC, rw = PROT_READ | PROT_WRITE;
    const uint64_t rwx = rw | PROT_EXEC, shared = MAP_SHARED, priv = MAP_PRIVATE | MAP_ANONYMOUS;
    const uint64_t fixed = MAP_PRIVATE | MAP_FIXED;
    const int dl = static_cast<int>(AgentLoad::Dlopen), own = static_cast<int>(AgentLoad::Loader);
    // i386: mmap2, fstat64 & co.; the numbers are the kernel's (arch/x86/entry/syscalls).
    static const KtapCall calls[] = {
        {"memfd_create", 319, 356, {0, 0, 0, 0, 0, 0}, false, "ktap's injection"},
        {"pipe2", 293, 331, {0, 0, 0, 0, 0, 0}, false, "ktap's injection"},
        {"close", 3, 6, {0, 0, 0, 0, 0, 0}, false, "ktap's injection"},
        {"openat", 257, 295, {0, 0, 0, 0, 0, 0}, false, "dlopen of ktap's agent", dl},
        {"read", 0, 3, {0, 0, 0, 0, 0, 0}, false, "dlopen of ktap's agent", dl},
        {"mmap", 9, 192, {0, 0, rx, MAP_PRIVATE, 0, 0}, false, "dlopen of ktap's agent", dl},
        // glibc's fstat: dlopen's, and the agent's of its arenas (i386: statx first).
        {"newfstatat", 262, 383, {0, 0, 0, 0, 0, 0}, false, "dlopen of ktap's agent", dl},
        // ktap's own loader: a reservation, then each segment over it; the agent's fstat.
        {"mmap", 9, 192, {0, 0, PROT_NONE, priv, 0, 0}, false, "ktap's loading of its agent", own},
        {"mmap", 9, 192, {0, 0, PROT_READ, fixed, 0, 0}, false, "ktap's loading of its agent", own},
        {"mmap", 9, 192, {0, 0, rx, fixed, 0, 0}, false, "ktap's loading of its agent", own},
        {"mmap", 9, 192, {0, 0, rw, fixed, 0, 0}, false, "ktap's loading of its agent", own},
        {"mmap",
         9,
         192,
         {0, 0, rw, fixed | MAP_ANONYMOUS, 0, 0},
         false,
         "ktap's loading of its agent",
         own},
        {"statx", 332, 383, {0, 0, 0, 0, 0, 0}, false, "the agent's arenas", own},
        {"mmap", 9, 192, {0, 0, rw, shared, 0, 0}, false, "the agent's state arena"},
        {"mmap", 9, 192, {0, 0, rx, shared, 0, 0}, false, "the agent's code arena"},
        {"mmap", 9, 192, {0, 0, rx, priv, 0, 0}, false, "the engine's trampolines"},
        // Refused with an error (systemd's MemoryDenyWriteExecute=): the engine then writes
        // code through /proc/self/mem, which needs pwrite64 (checked below).
        {"mprotect", 10, 125, {0, 0, rwx, 0, 0, 0}, true, "the engine's code patches"},
        {"mprotect", 10, 125, {0, 0, rx, 0, 0, 0}, true, "the engine's code patches"},
        {"munmap", 11, 91, {0, 0, 0, 0, 0, 0}, false, "the agent"},
        {"clone", 56, 120, {0, 0, 0, 0, 0, 0}, false, "the agent's watchdog thread"},
        {"rt_sigprocmask", 14, 175, {0, 0, 0, 0, 0, 0}, false, "the agent"},
        {"rt_sigaction", 13, 174, {0, 0, 0, 0, 0, 0}, false, "the agent's fault-safe reads"},
        {"poll", 7, 168, {0, 0, 0, 0, 0, 0}, false, "the agent's watchdog"},
        {"futex", 202, 240, {0, 0, 0, 0, 0, 0}, false, "the agent"},
        {"sched_yield", 24, 158, {0, 0, 0, 0, 0, 0}, false, "the agent"},
        {"prctl", 157, 172, {0, 0, 0, 0, 0, 0}, true, "the agent (thread name)"},
        {"gettid", 186, 224, {0, 0, 0, 0, 0, 0}, false, "probe handlers"},
        {"getpid", 39, 20, {0, 0, 0, 0, 0, 0}, false, "probe handlers"},
        {"process_vm_readv", 310, 347, {0, 0, 0, 0, 0, 0}, true, "probe handlers' memory reads"},
        {"tgkill", 234, 270, {0, 0, 0, 0, 0, 0}, false, "ktap's remote calls (their return)"},
        {"rt_tgsigqueueinfo", 297, 335, {0, 0, 0, 0, 0, 0}, true, "the agent's signal forwarding"},
        {"membarrier", 324, 375, {0, 0, 0, 0, 0, 0}, true, "the engine's code patches"},
        {"getrandom", 318, 355, {0, 0, 0, 0, 0, 0}, true, "the agent"},
        {"exit", 60, 1, {0, 0, 0, 0, 0, 0}, false, "the agent's watchdog thread"},
        // glibc's pthread_create tries clone3 first and falls back to clone on ENOSYS; a new
        // thread registers its robust list and rseq area, and its stack is released with
        // madvise at its exit: failures there are survivable, a kill is not.
        {"clone3", 435, 435, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog thread"},
        {"set_robust_list", 273, 311, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog thread"},
        {"rseq", 334, 386, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog thread"},
        {"madvise", 28, 219, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog thread"},
        {"mmap", 9, 192, {0, 0, rw, priv, 0, 0}, false, "the agent's memory"},
        // The target's /proc/PID/mem descriptor reaches it over a socket pair; the engine
        // writes code through it under MDWE (a failure only matters there).
        {"socketpair", 53, 360, {0, 0, 0, 0, 0, 0}, true, "passing the agent a descriptor"},
        {"recvmsg", 47, 372, {0, 0, 0, 0, 0, 0}, true, "passing the agent a descriptor"},
        {"pwrite64", 18, 181, {0, 0, 0, 0, 0, 0}, true, "the engine's code writes under MDWE"},
        // On the probe path or in handlers now and then: a failure is handled, a kill is not.
        {"sigaltstack", 131, 186, {0, 0, 0, 0, 0, 0}, true, "the engine's return probes"},
        {"arch_prctl", 158, 384, {0, 0, 0, 0, 0, 0}, true, "the engine's shadow-stack check"},
        {"getppid", 110, 64, {0, 0, 0, 0, 0, 0}, true, "probe handlers (ppid())"},
        {"getcpu", 309, 318, {0, 0, 0, 0, 0, 0}, true, "probe handlers (cpu())"},
        {"open", 2, 5, {0, 0, 0, 0, 0, 0}, true, "probe handlers (the parent's name)"},
        {"write", 1, 4, {0, 0, 0, 0, 0, 0}, true, "the engine's diagnostics"},
        {"kill", 62, 37, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog"},
        // The watchdog restoring code after ktap died: its pauses, and the threads' signal
        // masks read from /proc/self/task (a failure means the slower safe way).
        {"nanosleep", 35, 162, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog"},
        // A remote call's return: the notification signal, then the frame's restore.
        {"rt_sigreturn", 15, 173, {0, 0, 0, 0, 0, 0}, false, "ktap's remote calls"},
        {"getdents64", 217, 220, {0, 0, 0, 0, 0, 0}, true, "the agent's watchdog"},
        {"clock_gettime", 228, 265, {0, 0, 0, 0, 0, 0}, true, "probe handlers (time)"},
    };
    // Code writes without mprotect need pwrite64 on /proc/self/mem.
    static const KtapCall mem_write = {"pwrite64", 18, 181, {0, 0, 0, 0, 0, 0}, false,
                                       "the engine's code writes through /proc/self/mem (its "
                                       "mprotect with PROT_EXEC is refused)"};
    auto answer = [&](const KtapCall &c) {
        return filters.evaluate(bits, bits == 32 ? c.nr32 : c.nr64, c.args);
    };
    // True (and WHY set) when answer R to call C would harm the target or ktap's work.
    auto refuses = [&](const KtapCall &c, uint32_t r) {
        uint32_t action = r & SECCOMP_RET_ACTION_FULL;
        if (action == SECCOMP_RET_ALLOW || action == SECCOMP_RET_LOG)
            return false;
        if (action == SECCOMP_RET_ERRNO && c.may_fail)
            return false;
        std::string detail;
        if (!strcmp(c.name, "mmap") || !strcmp(c.name, "mprotect")) {
            uint64_t prot = c.args[2];
            detail = std::string(" with PROT_READ") + (prot & PROT_WRITE ? "|PROT_WRITE" : "") +
                     (prot & PROT_EXEC ? "|PROT_EXEC" : "");
            if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
                detail += " (a MemoryDenyWriteExecute-style filter)";
        }
        why = std::string("its seccomp filter would ") + seccomp_action_text(r) + " on " + c.name +
              detail + ", which " + c.who + " needs";
        return true;
    };
    bool exec_gain_refused = false;
    for (const KtapCall &c : calls) {
        if (c.load >= 0 && c.load != static_cast<int>(load))
            continue;
        uint32_t r = answer(c);
        if (!strcmp(c.name, "mprotect") && (r & SECCOMP_RET_ACTION_FULL) != SECCOMP_RET_ALLOW)
            exec_gain_refused = true;
        if (refuses(c, r))
            return false;
    }
    if (exec_gain_refused && refuses(mem_write, answer(mem_write)))
        return false;
    return true;
}

} // namespace ktap
