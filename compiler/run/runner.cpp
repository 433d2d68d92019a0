#include "runner.h"

#include "../backend/backend.h"
#include "../layout.h"
#include "executor.h"
#include "host_helpers.h"
#include "kt_lang.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <random>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>

namespace ktap {

namespace {

std::atomic<int> g_signal{0};

void on_signal(int sig) { g_signal.store(sig); }

// The state arena: a memfd the target maps too (later), read-write here.
struct StateArena {
    int fd = -1;
    void *base = nullptr;
    size_t size = 0;
    ~StateArena() {
        if (base)
            munmap(base, size);
        if (fd >= 0)
            close(fd);
    }
    bool create(size_t bytes, std::string &error) {
        size = (bytes + 4095) & ~size_t{4095};
        fd = memfd_create("ktap-state", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) {
            error = std::string("cannot create the state arena: ") + strerror(errno);
            return false;
        }
        base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (base == MAP_FAILED) {
            base = nullptr;
            error = std::string("cannot map the state arena: ") + strerror(errno);
            return false;
        }
        return true;
    }
};

class Session {
  public:
    Session(const ElaboratedProgram &p, const Options &o, const RunOptions &r, Diagnostics &d)
        : program_(p), opts_(o), run_(r), diag_(d) {}

    int run();

  private:
    kt_arena_header *header() const { return static_cast<kt_arena_header *>(arena_.base); }
    void call(size_t probe);
    void drain();
    void drain_loop();
    void timer_loop(size_t probe);
    bool stopping() const {
        return header()->exit_requested || header()->error_exit || g_signal.load() != 0 ||
               timed_out_.load();
    }
    void print_unread_globals();
    std::string render_value(const GlobalDecl &g, int32_t entry);

    const ElaboratedProgram &program_;
    const Options &opts_;
    const RunOptions &run_;
    Diagnostics &diag_;
    Layout layout_;
    StateArena arena_;
    std::unique_ptr<CodeArena> code_;
    std::unique_ptr<Executor> executor_;
    Backend backend_;
    std::vector<uint64_t> handlers_;
    std::atomic<bool> timers_stop_{false};
    std::atomic<bool> timed_out_{false};
    std::atomic<bool> drain_stop_{false};
    std::mutex report_mutex_;
};

void Session::call(size_t probe) {
    HandlerResult result;
    executor_->run(probe, handlers_[probe], arena_.base, result);
    if (result.error == KT_OK || result.error == KT_ERR_ABORT)
        return;  // abort() is a shutdown request, not an error
    std::lock_guard<std::mutex> lock(report_mutex_);
    drain();  // output that came before the error, first
    std::string message = result.message;
    if (!message.empty() && message.back() == '\n')
        message.pop_back();  // stap does not double a trailing newline
    fprintf(stderr, "ERROR: %s", message.c_str());
    if (!result.where.empty())
        fprintf(stderr, " near %s", result.where.c_str());
    fprintf(stderr, "\n");
    int64_t errors = __atomic_add_fetch(&header()->errors, 1, __ATOMIC_RELAXED);
    if (errors > layout_.limits.maxerrors)
        __atomic_store_n(&header()->error_exit, 1, __ATOMIC_RELEASE);
}

void Session::drain() {
    static std::vector<char> buf(1 << 20);
    for (;;) {
        uint64_t n = kt_drain(arena_.base, buf.data(), buf.size());
        if (n == 0)
            break;
        fwrite(buf.data(), 1, n, run_.out);
    }
    fflush(run_.out);
}

void Session::drain_loop() {
    while (!drain_stop_.load()) {
        {
            std::lock_guard<std::mutex> lock(report_mutex_);
            drain();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void Session::timer_loop(size_t probe) {
    const ProbeInfo &info = program_.probes[probe]->info;
    std::mt19937_64 rng{std::random_device{}()};
    int64_t period = info.hz ? 1000000000 / info.hz : info.period_ns;
    auto next = std::chrono::steady_clock::now();
    while (!timers_stop_.load()) {
        int64_t jitter = 0;
        if (info.randomize_ns > 0)
            jitter = static_cast<int64_t>(rng() % static_cast<uint64_t>(2 * info.randomize_ns + 1)) -
                     info.randomize_ns;
        next += std::chrono::nanoseconds(std::max<int64_t>(period + jitter, 1));
        // Sleep in short steps so that stopping is prompt even for long periods.
        while (!timers_stop_.load() && std::chrono::steady_clock::now() < next)
            std::this_thread::sleep_for(std::min<std::chrono::nanoseconds>(
                next - std::chrono::steady_clock::now(), std::chrono::milliseconds(10)));
        if (timers_stop_.load() || stopping())
            break;
        call(probe);
    }
}

std::string Session::render_value(const GlobalDecl &g, int32_t entry) {
    const GlobalSlot &s = layout_.slot(&g);
    kt_ctx ctx;
    kt_ctx_init(&ctx, arena_.base, -1);
    auto stat_line = [&](uint64_t stat_off) {
        int64_t count = kt_stat_get(&ctx, stat_off, KT_AGG_COUNT, 0);
        if (count == 0)
            return std::string(" @count=0x0");
        std::string out = " @count=" + std::to_string(count);
        out += " @min=" + std::to_string(kt_stat_get(&ctx, stat_off, KT_AGG_MIN, 0));
        out += " @max=" + std::to_string(kt_stat_get(&ctx, stat_off, KT_AGG_MAX, 0));
        out += " @sum=" + std::to_string(kt_stat_get(&ctx, stat_off, KT_AGG_SUM, 0));
        out += " @avg=" + std::to_string(kt_stat_get(&ctx, stat_off, KT_AGG_AVG, 0));
        return out;
    };
    uint8_t *base = static_cast<uint8_t *>(arena_.base);
    if (entry < 0) {
        if (g.type == Type::Stats)
            return stat_line(s.value_off);
        if (g.type == Type::String)
            return "=\"" + std::string(reinterpret_cast<char *>(base + s.value_off)) + "\"";
        int64_t v;
        memcpy(&v, base + s.value_off, sizeof v);
        return "=" + std::to_string(v);
    }
    if (g.type == Type::Stats)
        return stat_line(kt_map_stat(&ctx, s.value_off, entry));
    if (g.type == Type::String)
        return "=\"" + std::string(kt_map_str(&ctx, s.value_off, entry)) + "\"";
    return "=" + std::to_string(*kt_map_long(&ctx, s.value_off, entry));
}

// stap prints every global the script writes but never reads when the session ends.
void Session::print_unread_globals() {
    if (opts_.no_global_var_display)
        return;
    kt_ctx ctx;
    kt_ctx_init(&ctx, arena_.base, -1);
    for (const GlobalDecl *g : program_.globals) {
        if (g->from_tapset || g->is_read || !g->is_written)
            continue;
        if (g->arity <= 0) {
            std::string line = g->name + render_value(*g, -1) + "\n";
            fputs(line.c_str(), run_.out);
            continue;
        }
        const GlobalSlot &s = layout_.slot(g);
        std::vector<int32_t> entries(s.capacity);
        int32_t n = kt_map_sorted(&ctx, s.value_off, 0, -1, KT_AGG_COUNT, -1, nullptr, 0,
                                  entries.data());
        for (int32_t i = 0; i < n; ++i) {
            std::string line = g->name + "[";
            for (int k = 0; k < g->arity; ++k) {
                if (k)
                    line += ",";
                if (g->key_types[k] == Type::String)
                    line += "\"" + std::string(kt_map_key_str(&ctx, s.value_off, entries[i], k)) +
                            "\"";
                else
                    line += std::to_string(kt_map_key_long(&ctx, s.value_off, entries[i], k));
            }
            line += "]" + render_value(*g, entries[i]) + "\n";
            fputs(line.c_str(), run_.out);
        }
    }
}

int Session::run() {
    if (!read_limits(opts_, layout_.limits, diag_))
        return 1;
    Limits limits = layout_.limits;
    layout_ = compute_layout(program_, limits);
    std::string error;
    if (!arena_.create(layout_.total_bytes, error)) {
        diag_.error(error);
        return 1;
    }
    init_arena(arena_.base, layout_);

    BackendOptions bo;
    bo.arch = opts_.arch.empty() ? "x86_64" : opts_.arch;
    if (!backend_.generate(program_, layout_, bo, diag_))
        return 1;
    code_.reset(CodeArena::create(16 << 20, error));
    if (!code_) {
        diag_.error(error);
        return 1;
    }
    // --arch runs the handlers in a separate executor process of that architecture.
    executor_ = opts_.arch.empty() ? make_local_executor()
                                   : make_process_executor(executor_program(opts_.arch));
    std::map<std::string, uint64_t> symbols;
    if (!executor_->start(arena_.fd, arena_.size, *code_, symbols, error)) {
        diag_.error(error);
        return 1;
    }
    if (!backend_.link(*code_, symbols, error)) {
        diag_.error("linking the handlers: " + error);
        return 1;
    }
    for (size_t i = 0; i < program_.probes.size(); ++i) {
        uint64_t addr = backend_.address_of(probe_symbol(i), error);
        if (!addr) {
            diag_.error("linking the handlers: " + error);
            return 1;
        }
        handlers_.push_back(addr);
        executor_->set_probe_name(i, program_.probes[i]->point.str());
    }

    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);

    std::thread drainer([this] { drain_loop(); });
    auto by_sequence = [&](ProbeKind kind) {
        std::vector<size_t> list;
        for (size_t i = 0; i < program_.probes.size(); ++i)
            if (program_.probes[i]->info.kind == kind)
                list.push_back(i);
        std::stable_sort(list.begin(), list.end(), [&](size_t a, size_t b) {
            return program_.probes[a]->info.sequence < program_.probes[b]->info.sequence;
        });
        return list;
    };

    for (size_t i : by_sequence(ProbeKind::Begin)) {
        if (stopping())
            break;  // exit() in an earlier begin probe: later ones do not run
        call(i);
    }
    std::vector<std::thread> timers;
    if (!stopping())
        for (size_t i = 0; i < program_.probes.size(); ++i)
            if (program_.probes[i]->info.kind == ProbeKind::Timer)
                timers.emplace_back([this, i] { timer_loop(i); });
    auto start = std::chrono::steady_clock::now();
    while (!stopping()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (run_.timeout_seconds > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
                run_.timeout_seconds)
            timed_out_.store(true);
    }
    timers_stop_.store(true);
    for (auto &t : timers)
        t.join();
    // end probes run after a normal shutdown; error probes after one caused by an error.
    bool failed = header()->error_exit != 0;
    if (!failed)
        for (size_t i : by_sequence(ProbeKind::End)) {
            call(i);
            if (header()->error_exit)
                break;  // an error in an end probe: later end probes do not run
        }
    failed = header()->error_exit != 0;
    if (failed)
        for (size_t i : by_sequence(ProbeKind::Error))
            call(i);
    drain_stop_.store(true);
    drainer.join();
    drain();
    // stap's display of unread globals is a synthetic end probe: not after an error shutdown.
    if (!failed)
        print_unread_globals();
    fflush(run_.out);
    int64_t errors = header()->errors, skipped = header()->skipped;
    if (header()->dropped_records > 0)
        fprintf(stderr, "WARNING: %lld output records (%lld bytes) were dropped: output rings "
                        "were full\n",
                static_cast<long long>(header()->dropped_records),
                static_cast<long long>(header()->dropped_bytes));
    if (errors || skipped)
        fprintf(stderr, "WARNING: Number of errors: %lld, skipped probes: %lld\n",
                static_cast<long long>(errors), static_cast<long long>(skipped));
    // Any runtime error fails the run, even when MAXERRORS let the session go on.
    if (failed || errors > 0)
        fprintf(stderr, "Pass 5: run failed.\n");
    return failed || errors > 0 ? 1 : 0;
}

} // namespace

int run_session(const ElaboratedProgram &program, const Options &opts, const RunOptions &run,
                Diagnostics &diag) {
    Session s(program, opts, run, diag);
    return s.run();
}

} // namespace ktap
