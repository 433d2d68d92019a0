#include "runner.h"

#include "../backend/backend.h"
#include "executor.h"
#include "global_reader.h"
#include "host_helpers.h"
#include "kt_lang.h"
#include "ktap/agent.h"
#include "ktap/prep.h"
#include "ktap/sample.h"
#include "metrics_writer.h"
#include "output_symbols.h"
#include "sema/layout.h"
#include "site_plan.h"
#include "target_process.h"
#include "target_scopes.h"
#include "unwind_tables.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstring>
#include <array>
#include <list>
#include <optional>
#include <map>
#include <random>
#include <set>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
    static size_t rounded(size_t bytes) { return (bytes + 4095) & ~size_t{4095}; }
    // A memfd of this process (no target, or the target does not run probes).
    bool create(size_t bytes, std::string &error) {
        size = rounded(bytes);
        fd = memfd_create("ktap-state", MFD_CLOEXEC);
        if (fd < 0 || ftruncate(fd, static_cast<off_t>(size)) != 0) {
            error = std::string("cannot create the state arena: ") + strerror(errno);
            return false;
        }
        return map(error);
    }
    // A memfd the target created (TargetProcess::create_shared), already SIZE long.
    bool adopt(int memfd, size_t bytes, std::string &error) {
        fd = memfd;
        size = bytes;
        return map(error);
    }
    bool map(std::string &error) {
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
    bool end_reported() const { return end_reported_; }

  private:
    kt_arena_header *header() const { return static_cast<kt_arena_header *>(arena_.base); }
    void call(size_t probe);
    void drain();
    void drain_loop();
    void timer_loop(size_t probe);
    bool stopping() const {
        return header()->exit_requested || header()->error_exit || g_signal.load() != 0 ||
               timed_out_.load() || target_gone_;
    }
    void print_unread_globals();
    OutputSink &sink() const { return *run_.sink; }
    std::unique_ptr<MetricsWriter> metrics_;
    bool end_reported_ = false; // the run's last event (JSON "end") was written
    GlobalReader global_reader() {
        return GlobalReader(arena_.base, layout_,
                            [this](std::string_view text) { return symbolic(text); });
    }
    // Target probes (-x / -c): see target_process.h for the steps.
    bool open_target();
    bool start_target_probes();
    void stop_target_probes();
    kt_site *site_table() const {
        return reinterpret_cast<kt_site *>(static_cast<uint8_t *>(arena_.base) +
                                           header()->sites_off);
    }
    void report_timing();
    uint64_t site_hits(size_t k) const;
    int64_t target_missed() const;
    void report_target_exit();

    const ElaboratedProgram &program_;
    const Options &opts_;
    const RunOptions &run_;
    Diagnostics &diag_;
    Layout layout_;
    StateArena arena_;
    std::unique_ptr<CodeArena> code_;
    std::unique_ptr<Executor> executor_;
    Backend backend_;
    std::unique_ptr<TargetProcess> target_;
    std::list<ModuleMap> module_maps_;    // the sites point into these
    std::set<std::pair<uint64_t, uint64_t>> known_modules_;  // (dev, inode) already resolved
    SiteTableSpace site_space_;
    std::vector<std::vector<ProbeCode>> probe_code_;   // target addresses of the handlers, per probe
    std::chrono::steady_clock::time_point next_module_poll_;
    void probe_new_modules();
    bool add_hook(size_t probe, const char *function, bool is_return, bool in_executable = false);
    void add_dlopen_hook();
    void add_thread_hook();
    void add_exit_hook();
    bool has_sample_probes() const;
    kt_sample_area *sample_area() const;
    bool plan_sampling(uint64_t off);
    bool start_sampling(const std::vector<std::vector<ProbeCode>> &code);
    void report_sampling(size_t i) const;
    bool sampling_ = false; // the agent's sampling timers run
    void site_names(std::vector<std::string> &names, std::vector<std::string> &labels) const;
    bool dlopen_hook_site_ = false;  // sites_ has the hook
    bool dlopen_hooked_ = false;     // ... and it is armed: libraries are probed as they load
    HookCode hook_code_;             // the agent's handlers of ktap's own sites
    size_t take_new_modules();
    UnwindTables unwind_;
    VdsoImage vdso_;  // the target's vDSO (unwind tables and symbols), read at attach
    Symbolizer symbolizer_;
    std::unique_ptr<OutputSymbols> out_symbols_;  // set when the script prints symbols
    // Markers (backtraces, usym*) in text replaced by their symbolic form.
    std::string symbolic(std::string_view text) {
        return out_symbols_ && OutputSymbols::has_marker(text) ? out_symbols_->expand(text)
                                                                : std::string(text);
    }
    std::set<std::array<uint64_t, 3>> unwind_modules_;  // (dev, inode, load address), last map
    std::optional<ModuleMap> unwind_pending_;  // a map to publish once the dlopen hook goes on
    void publish_unwind_tables(const ModuleMap &map);
    void flush_unwind_pending() {
        if (!unwind_pending_)
            return;
        if (unwind_.attached())
            publish_unwind_tables(*unwind_pending_);
        if (program_.symbolizes)
            symbolizer_.add(*unwind_pending_, &vdso_);
        unwind_pending_.reset();
    }
    // Functions of a site's module within 4 KiB of it: {start, size} in the target.
    std::vector<std::array<uint64_t, 2>> neighbor_functions(uint32_t site);
    std::map<const Module *, std::vector<std::array<uint64_t, 2>>> module_functions_;
    std::vector<PlannedSite> sites_;
    Backend target_backend_;
    TargetScopes scopes_;  // per probe: the functions its handlers were compiled for
    std::unique_ptr<CodeArena> target_code_;
    bool wants_target_probes_ = false;  // the script has function/return probes
    bool probes_placed_ = false;        // the agent is in the target with the handlers linked
    std::vector<bool> site_armed_;
    std::vector<std::string> late_libraries_;  // loaded during the session, probed after
    std::vector<kt_site> final_counters_;  // per site, taken at detach (empty: target gone)
    const kt_site &site_final(size_t k) const {
        return k < final_counters_.size() ? final_counters_[k] : site_table()[k];
    }
    const kt_stats &site_counters(size_t k) const { return site_final(k).stats; }
    // How armed sites in [first, end) whose probe passes KEEP were patched, e.g. "2 by a jump,
    // 1 by a jump with a relocated call, 0 by a jump over alignment padding" (-v, -t).
    template <typename Keep> std::string path_summary(size_t first, size_t end, Keep keep) const;
    void print_site_paths(size_t first, size_t end, const std::vector<std::string> &labels) const;
    bool target_gone_ = false;
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
    sink().runtime_error(message, result.where);
    int64_t errors = __atomic_add_fetch(&header()->errors, 1, __ATOMIC_RELAXED);
    if (errors > layout_.limits.maxerrors)
        __atomic_store_n(&header()->error_exit, 1, __ATOMIC_RELEASE);
}

void Session::drain() {
    static std::vector<char> buf(1 << 20);
    for (;;) {
        int32_t stream = KT_STREAM_OUT;
        uint64_t n = kt_drain_stream(arena_.base, buf.data(), buf.size(), &stream);
        if (n == 0)
            break;
        std::string_view text(buf.data(), n);
        std::string expanded;
        if (out_symbols_ && OutputSymbols::has_marker(text)) {
            expanded = out_symbols_->expand(text);
            text = expanded;
        }
        if (stream == KT_STREAM_ERR)
            sink().script_errors(text);
        else
            sink().script_output(text);
    }
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

// stap prints every global the script writes but never reads when the session ends.
void Session::print_unread_globals() {
    if (opts_.no_global_var_display)
        return;
    GlobalReader reader = global_reader();
    for (const GlobalDecl *g : program_.globals) {
        if (g->from_tapset || g->is_read || !g->is_written)
            continue;
        GlobalValue value;
        reader.read(*g, value, false);
        sink().text_or_event(false, stap_global_text(value), global_event(value));
    }
}

// -x PID / -c CMD: attach or start the target (threads stopped) and resolve its probe sites.
bool Session::open_target() {
    bool wants = false;
    int64_t probe_pid = 0;
    for (const auto &p : program_.probes)
        if (p->info.runs_in_target()) {
            wants = true;
            if (p->info.process_pid)
                probe_pid = p->info.process_pid;
        }
    int64_t pid = opts_.target_pid ? opts_.target_pid : probe_pid;
    std::string error;
    wants_target_probes_ = wants;
    if (!wants && opts_.target_command.empty()) {
        if (!pid)
            return true;
        // -x without function probes: target() is set and the session ends with the process.
        target_ = std::make_unique<TargetProcess>();
        if (!target_->watch(static_cast<pid_t>(pid), error)) {
            diag_.error(error);
            target_.reset();
            return false;
        }
        // usym*() in begin/end/timer probes name the process's addresses.
        ModuleMap modules;
        if (program_.symbolizes && read_module_map(static_cast<int>(pid), modules, error)) {
            vdso_ = read_vdso(static_cast<int>(pid));
            symbolizer_.add(modules, &vdso_);
        }
        return true;
    }
    if (!pid && opts_.target_command.empty()) {
        diag_.error("function probes run inside a process: give one with -x PID or -c CMD");
        return false;
    }
    target_ = std::make_unique<TargetProcess>();
    bool ok = opts_.target_command.empty() ? target_->attach(static_cast<pid_t>(pid), error)
                                           : target_->spawn(opts_.target_command, error);
    if (!ok) {
        diag_.error(error);
        target_.reset();
        return false;
    }
    if (!wants)
        return true;
    ModuleMap modules;
    if (!read_module_map(target_->pid(), modules, error)) {
        diag_.error(error);
        return false;
    }
    if (!plan_sites(program_, modules, sites_, diag_))
        return false;
    // The sites keep pointers into the module map.
    for (const Module &m : modules.modules)
        known_modules_.insert({m.dev, m.inode});
    // The vDSO, for unwind tables and symbols: read once, it does not change.
    if (program_.unwinds || program_.symbolizes)
        vdso_ = read_vdso(target_->pid());
    if (program_.symbolizes)
        symbolizer_.add(modules, &vdso_);
    module_maps_.push_back(std::move(modules));
    return true;
}

// Compiles the handlers for the target, injects the agent, links the code into the target's
// code arena and places every site, all while the target's threads are stopped.
bool Session::start_target_probes() {
    if (!target_ || !wants_target_probes_)
        return true;
    auto t0 = std::chrono::steady_clock::now();
    BackendOptions bo;
    bo.arch = target_->arch();
    bo.general_regs_only = true;
    build_target_scopes(program_, sites_, module_maps_, scopes_);
    auto t_scopes = std::chrono::steady_clock::now();
    bo.scopes = &scopes_;
    bo.skip_badvars = opts_.skip_badvars;
    if (!target_backend_.generate(program_, layout_, bo, diag_))
        return false;
    auto t_generated = std::chrono::steady_clock::now();
    std::string error;
    constexpr size_t kTargetCodeBytes = 16 << 20;
    int code_fd = target_->create_shared(TargetProcess::Shared::Code, kTargetCodeBytes, error);
    if (code_fd >= 0)
        target_code_.reset(CodeArena::adopt(code_fd, kTargetCodeBytes, error));
    if (!target_code_) {
        diag_.error(error);
        return false;
    }
    std::map<std::string, uint64_t> symbols;
    uint64_t code_base = 0;
    if (!target_->inject_agent(symbols, code_base, error)) {
        diag_.error(error);
        return false;
    }

    target_code_->set_executor_base(code_base);
    auto t_injected = std::chrono::steady_clock::now();
    if (!target_backend_.link(*target_code_, symbols, error)) {
        diag_.error("linking the handlers for process " + std::to_string(target_->pid()) +
                    ": " + error);
        return false;
    }
    std::vector<std::vector<ProbeCode>> code(program_.probes.size());
    for (size_t i = 0; i < program_.probes.size(); ++i) {
        if (!program_.probes[i]->info.runs_in_target())
            continue;
        code[i].resize(std::max<size_t>(scopes_[i].size(), 1));
        for (size_t v = 0; v < code[i].size(); ++v) {
            ProbeCode &c = code[i][v];
            c.handler = target_backend_.address_of(probe_symbol(i, v), error);
            c.entry_bytes = target_backend_.entry_data_bytes(i);
            if (c.entry_bytes)
                c.entry_handler = target_backend_.address_of(entry_symbol(i, v), error);
            if (!c.handler || (c.entry_bytes && !c.entry_handler)) {
                diag_.error("linking the handlers: " + error);
                return false;
            }
        }
    }
    if (opts_.verbose) {
        size_t handlers = 0;
        for (size_t i = 0; i < program_.probes.size(); ++i)
            if (program_.probes[i]->info.runs_in_target())
                handlers += std::max<size_t>(scopes_[i].size(), 1);
        auto ms = [](auto a, auto b) {
            return std::chrono::duration<double, std::milli>(b - a).count();
        };
        fprintf(stderr,
                "Pass 5: %zu target handlers: DWARF scopes %.1f ms, IR %.1f ms, inject %.1f ms, "
                "compile and link %.1f ms.\n",
                handlers, ms(t0, t_scopes), ms(t_scopes, t_generated), ms(t_generated, t_injected),
                ms(t_injected, std::chrono::steady_clock::now()));
    }
    // Libraries the injection itself loaded (the engine's libgcc_s for unwinding) are part of
    // the process as ktap found it: their sites are placed with the others.
    take_new_modules();
    add_dlopen_hook();
    auto agent_symbol = [&](const char *name) {
        return symbols.count(name) ? symbols.at(name) : uint64_t{0};
    };
    hook_code_.dlopen = agent_symbol("ktap_agent_dlopen_return");
    hook_code_.thread = agent_symbol("ktap_agent_thread_create");
    hook_code_.exit = agent_symbol("ktap_agent_exit_hook");
    hook_code_.main = agent_symbol("ktap_agent_main_hook");
    if (target_->nolibc_agent() && hook_code_.exit)
        add_exit_hook();
    if (target_->unwind_at_main() &&
        !(hook_code_.main && add_hook(kMainHookProbe, "main", false, true))) {
        std::string w = target_->unwind_warning();
        if (!w.empty())
            diag_.warning(SourceLoc{}, w);
    }
    if (has_sample_probes() && hook_code_.thread)
        add_thread_hook();
    write_site_handlers(arena_.base, sites_, 0, code, hook_code_);
    probe_code_ = code;
    std::vector<std::string> names, labels;
    site_names(names, labels);
    uint32_t n = static_cast<uint32_t>(sites_.size());
    target_->place(site_table(), 0, n, names, labels,
                   [this](uint32_t k) { return neighbor_functions(k); }, diag_);
    uint32_t armed = 0;
    for (uint32_t k = 0; k < n; ++k) {
        bool ok = site_table()[k].status == KT_SITE_ARMED;
        site_armed_.push_back(ok);
        if (sites_[k].probe == kDlopenHookProbe)
            dlopen_hooked_ = ok;
        else if (!is_ktap_hook(sites_[k].probe))
            armed += ok;
    }
    for (const PlannedSite &site : sites_)
        n -= is_ktap_hook(site.probe); // ktap's own sites, not the script's
    probes_placed_ = true;
    if (opts_.verbose) {
        auto script_site = [this](size_t k) { return !is_ktap_hook(sites_[k].probe); };
        fprintf(stderr,
                "Pass 5: armed %u of %u probe sites in process %d in %.1f ms (%s; %u threads "
                "moved out of patched bytes).\n",
                armed, n, static_cast<int>(target_->pid()),
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count(),
                path_summary(0, sites_.size(), script_site).c_str(), target_->threads_moved());
        if (opts_.verbose > 1)
            print_site_paths(0, sites_.size(), labels);
    }
    start_sampling(code); // a failure is a warning: the function probes still run
    if (armed == 0 && (n > 0 || has_sample_probes()) && !sampling_) {
        diag_.error("no probe could be placed in process " + std::to_string(target_->pid()));
        std::string err;
        std::vector<kt_site> unused;
        target_->remove_probes(site_table(), static_cast<uint32_t>(sites_.size()), [] {}, unused,
                               err);
        return false;
    }
    return true;
}

bool Session::has_sample_probes() const {
    for (const auto &p : program_.probes)
        if (p->info.kind == ProbeKind::Sample)
            return true;
    return false;
}

kt_sample_area *Session::sample_area() const {
    if (!header() || !header()->sample_off)
        return nullptr;
    return reinterpret_cast<kt_sample_area *>(static_cast<uint8_t *>(arena_.base) +
                                              header()->sample_off);
}

// The sampling probes' periods and probe indexes (their handlers come with the target's code).
bool Session::plan_sampling(uint64_t off) {
    header()->sample_off = off;
    kt_sample_area *a = sample_area();
    memset(a, 0, sizeof *a);
    for (size_t i = 0; i < program_.probes.size(); ++i) {
        const ResolvedProbe &p = *program_.probes[i];
        if (p.info.kind != ProbeKind::Sample)
            continue;
        uint32_t k = 0;
        while (k < a->nperiods && a->period_ns[k] != static_cast<uint64_t>(p.info.period_ns))
            ++k;
        if (k == a->nperiods) {
            if (k == KT_SAMPLE_MAX_PERIODS) {
                diag_.error(p.loc, "at most " + std::to_string(KT_SAMPLE_MAX_PERIODS) +
                                       " different sampling periods in one script");
                return false;
            }
            a->period_ns[a->nperiods++] = static_cast<uint64_t>(p.info.period_ns);
        }
        if (a->nprobes == KT_SAMPLE_MAX_PROBES) {
            diag_.error(p.loc, "at most " + std::to_string(KT_SAMPLE_MAX_PROBES) +
                                   " sampling probes in one script");
            return false;
        }
        kt_sample_probe &sp = a->probes[a->nprobes++];
        sp.probe = static_cast<int32_t>(i);
        sp.period = static_cast<int32_t>(k);
    }
    return true;
}

// With the target stopped after placement: the handlers' addresses, then timers on every thread.
bool Session::start_sampling(const std::vector<std::vector<ProbeCode>> &code) {
    kt_sample_area *a = sample_area();
    if (!a || !a->nprobes)
        return true;
    for (uint32_t k = 0; k < a->nprobes; ++k)
        a->probes[k].handler = code.at(a->probes[k].probe).at(0).handler;
    std::string error;
    int64_t rc = 0;
    if (!target_->start_sampling(rc, error)) {
        diag_.warning(SourceLoc{}, "starting the sampling timers in process " +
                                       std::to_string(target_->pid()) + ": " + error);
        return false;
    }
    if (rc != 0) {
        diag_.warning(SourceLoc{},
                      "cannot sample process " + std::to_string(target_->pid()) + ": " +
                          (rc == -2
                               ? std::string("no free real-time signal (every one from 40 to 64 "
                                             "has a handler)")
                               : "the agent is not ready (" + std::to_string(rc) + ")"));
        return false;
    }
    sampling_ = true;
    if (opts_.verbose)
        fprintf(stderr, "Pass 5: sampling %lld threads of process %d (signal %d).\n",
                static_cast<long long>(a->threads), static_cast<int>(target_->pid()), a->signo);
    return true;
}

// Libraries the target loaded since the probes were placed (dlopen) get their sites: the module
// map is read every 100 ms; sites in new modules are written to the table and placed with the
// target stopped again. Libraries it unloads keep their sites registered (the engine finds
// their code gone at detach: KT_EGONE, nothing to restore).
// Backtraces: a new module map of the target when its modules changed.
void Session::publish_unwind_tables(const ModuleMap &map) {
    // By file and load address: a library reloaded elsewhere needs the map published again.
    std::set<std::array<uint64_t, 3>> ids;
    for (const Module &m : map.modules)
        ids.insert({m.dev, m.inode, m.low});
    if (ids == unwind_modules_)
        return;
    unwind_modules_ = std::move(ids);
    std::vector<std::string> warnings;
    unwind_.publish(map, vdso_, warnings);
    for (const auto &w : warnings)
        diag_.warning(SourceLoc{}, w);
    if (opts_.verbose)
        fprintf(stderr, "Pass 5: unwind tables: %s.\n", unwind_.summary().c_str());
}

// Appends the sites of modules mapped since the module map was last read to sites_ and the
// site table. Returns the index of the first new site (sites_.size() when none).
size_t Session::take_new_modules() {
    size_t first = sites_.size();
    ModuleMap now;
    std::string error;
    if (!read_module_map(target_->pid(), now, error))
        return first;
    // Unwind tables and symbols of the new map: after the sites are placed and the thread
    // waiting in ktap's dlopen hook goes on (see the main loop), so that their work (CFI of a
    // new library, opening its files) does not hold that thread.
    if (program_.unwinds || program_.symbolizes)
        unwind_pending_ = now;
    ModuleMap fresh;
    fresh.pid = now.pid;
    for (Module &m : now.modules)
        if (!m.is_ktap && known_modules_.insert({m.dev, m.inode}).second)
            fresh.modules.push_back(std::move(m));
    if (fresh.modules.empty())
        return first;
    module_maps_.push_back(std::move(fresh));
    plan_new_module_sites(program_, module_maps_.back(), sites_);
    // Handlers that read target variables were compiled per function at the start: sites in a
    // library loaded later get the probe's generic variant (target_scopes.h).
    for (size_t k = first; k < sites_.size(); ++k)
        if (!is_ktap_hook(sites_[k].probe))
            sites_[k].variant = late_variant(scopes_, sites_[k].probe);
    if (sites_.size() == first)
        return first;
    if (!write_site_table(arena_.base, site_space_, sites_, first,
                          KT_HANDLER_LEAN | KT_NO_VECTOR_REGS)) {
        diag_.warning(SourceLoc{}, "no room left in the site table for " +
                                       std::to_string(sites_.size() - first) + " sites in " +
                                       module_maps_.back().modules[0].path);
        sites_.resize(first);
    }
    return first;
}

void Session::probe_new_modules() {
    next_module_poll_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
    size_t first = take_new_modules();
    if (first == sites_.size())
        return;
    write_site_handlers(arena_.base, sites_, first, probe_code_, hook_code_);
    std::vector<std::string> names, labels;
    site_names(names, labels);
    uint32_t n = static_cast<uint32_t>(sites_.size() - first);
    uint32_t armed = target_->add_sites(site_table(), static_cast<uint32_t>(first), n, names,
                                        labels,
                                        [this](uint32_t k) { return neighbor_functions(k); },
                                        diag_);
    for (size_t k = first; k < sites_.size(); ++k)
        site_armed_.push_back(site_table()[k].status == KT_SITE_ARMED);
    if (!dlopen_hooked_)
        late_libraries_.push_back(module_maps_.back().modules[0].path);
    if (opts_.verbose) {
        fprintf(stderr, "Pass 5: armed %u of %u probe sites in %s, loaded by process %d (%s).\n",
                armed, n, module_maps_.back().modules[0].path.c_str(),
                static_cast<int>(target_->pid()),
                path_summary(first, sites_.size(), [](size_t) { return true; }).c_str());
        if (opts_.verbose > 1)
            print_site_paths(first, sites_.size(), labels);
    }
}

std::vector<std::array<uint64_t, 2>> Session::neighbor_functions(uint32_t site) {
    const Module *m = sites_.at(site).function.module;
    auto it = module_functions_.find(m);
    if (it == module_functions_.end()) {
        std::vector<std::array<uint64_t, 2>> all;
        for (const ModuleMap &map : module_maps_) {
            if (m < map.modules.data() || m >= map.modules.data() + map.modules.size())
                continue;
            FunctionQuery q;
            q.process = m->path;
            q.function = "*";
            q.source_positions = false;
            std::vector<FunctionSite> found;
            std::string error;
            if (resolve_functions(map, q, found, error))
                for (const auto &f : found)
                    all.push_back({f.address, f.size});
        }
        std::sort(all.begin(), all.end());
        it = module_functions_.emplace(m, std::move(all)).first;
    }
    uint64_t addr = sites_[site].function.address;
    const auto &all = it->second;
    auto lo = std::lower_bound(all.begin(), all.end(),
                               std::array<uint64_t, 2>{addr > 4096 ? addr - 4096 : 0, 0});
    std::vector<std::array<uint64_t, 2>> near;
    for (auto i = lo; i != all.end() && (*i)[0] <= addr + 4096; ++i)
        near.push_back(*i);
    return near;
}

// Per site: the symbol the preparer checks its refusal lists against, and the label of its
// warnings. The dlopen hook's name must not be refused like a script's return probe on dlopen:
// ktap places it after its own dlopen calls.
void Session::site_names(std::vector<std::string> &names, std::vector<std::string> &labels) const {
    for (const auto &s : sites_) {
        names.push_back(s.probe == kDlopenHookProbe   ? "ktap_dlopen_hook"
                        : s.probe == kThreadHookProbe ? "ktap_thread_hook"
                        : s.probe == kExitHookProbe   ? "ktap_exit_hook"
                        : s.probe == kMainHookProbe   ? "ktap_main_hook"
                                                      : s.function.symbol);
        labels.push_back(site_label(s));
    }
    // A chain the hook joined is checked as the hook: ktap return-probes dlopen itself.
    const kt_site *t = site_table();
    for (size_t i = 0; i < sites_.size(); ++i)
        if (sites_[i].probe == kDlopenHookProbe)
            names[static_cast<size_t>(t[i].chain_head)] = "ktap_dlopen_hook";
}

// Sites of one address are one engine probe: a hook (site HOOK, written after the script's
// sites) joins the chain of the script's probes at its function, if any, as its last site; for
// the dlopen hook the chain becomes a return chain (the hook's maxactive is the default).
void chain_after_script_sites(kt_site *table, size_t hook) {
    int64_t last = -1;
    for (size_t i = 0; i < hook; ++i)
        if (table[i].addr == table[hook].addr && table[i].chain_next < 0)
            last = static_cast<int64_t>(i);
    if (last < 0)
        return;
    kt_site &head = table[table[last].chain_head];
    table[last].chain_next = static_cast<int32_t>(hook);
    table[hook].chain_head = table[last].chain_head;
    if (table[hook].kind == KT_SITE_RETURN) {
        head.group_maxactive = 0;
        head.group_kind = KT_SITE_RETURN;
    }
}

// A site of ktap's own (PROBE: a hook) on libc's FUNCTION, written after the script's sites and
// joining the chain of the script's probes there, if any. False when libc has no such function
// (static program, old glibc) or the site table is full.
bool Session::add_hook(size_t probe, const char *function, bool is_return, bool in_executable) {
    FunctionQuery q;
    q.library = in_executable ? "" : "libc.so.6";
    q.function = function;
    q.source_positions = false;
    std::vector<FunctionSite> found;
    std::string error;
    if (!resolve_functions(module_maps_.front(), q, found, error))
        return false;
    if (in_executable)
        found.erase(std::remove_if(found.begin(), found.end(),
                                   [](const FunctionSite &f) { return !f.module->is_main; }),
                    found.end());
    if (found.empty())
        return false;
    size_t first = sites_.size();
    PlannedSite hook;
    hook.probe = probe;
    hook.function = found[0];
    hook.pp = std::string("ktap's ") + function + " hook";
    hook.is_return = is_return;
    sites_.push_back(std::move(hook));
    if (!write_site_table(arena_.base, site_space_, sites_, first,
                          KT_HANDLER_LEAN | KT_NO_VECTOR_REGS)) {
        sites_.resize(first);
        return false;
    }
    chain_after_script_sites(site_table(), first);
    return true;
}

// ktap's own return probe on the target's dlopen (agent.h: ktap_agent_dlopen_return): the
// thread that loaded a library waits until its probes are placed. Without it, libraries are
// found by polling.
void Session::add_dlopen_hook() {
    dlopen_hook_site_ = add_hook(kDlopenHookProbe, "dlopen", true);
}

// While sampling: ktap's entry probe on pthread_create (agent.h: ktap_agent_thread_create) makes
// a new thread start in the agent, which gives it its sampling timers before its own start
// routine runs. Without it new threads get theirs from the watchdog within 10 ms.
void Session::add_thread_hook() {
    add_hook(kThreadHookProbe, "pthread_create", false);
}

// With the freestanding agent: ktap's entry probe on exit() (the program's own, or libc's;
// agent.h: ktap_agent_exit_hook) stands for the atexit handler the dynamic agent registers.
void Session::add_exit_hook() {
    add_hook(kExitHookProbe, "exit", false, target_->without_loader());
}

// Clears the switch (no handler starts after this), then takes the probes out of the target.
void Session::stop_target_probes() {
    if (!target_)
        return;
    if (!probes_placed_) {
        __atomic_store_n(&header()->probes_enabled, 0, __ATOMIC_RELEASE);
        return;
    }
    // The switch goes off with every thread stopped, right before the disarm: a hit between
    // the two would be counted by the engine without its handler running. (A thread stopped
    // while it holds a script lock is no problem: a waiter's lock budget does not run down
    // while it is stopped too.)
    std::string error;
    auto switch_off = [this] { __atomic_store_n(&header()->probes_enabled, 0, __ATOMIC_RELEASE); };
    if (!target_->remove_probes(site_table(), static_cast<uint32_t>(sites_.size()), switch_off,
                                final_counters_, error))
        diag_.error("detaching from process " + std::to_string(target_->pid()) + ": " + error);
}

// Probes the engine could not run: no free instance (maxactive), return stack full, hit
// inside the runtime, no thread block. stap counts its missed kretprobes as skipped probes.
int64_t Session::target_missed() const {
    if (sites_.empty() || !probes_placed_)
        return 0;
    int64_t missed = 0;
    const kt_site *t = site_table();
    for (size_t i = 0; i < sites_.size(); ++i)
        if (site_armed_[i] && t[i].chain_head == static_cast<int32_t>(i) &&
            !is_ktap_hook(sites_[i].probe)) { // once per engine probe
            const kt_stats &c = site_counters(i);
            missed += c.missed_budget + c.missed_depth + c.missed_reentrant + c.missed_nothread;
        }
    return missed;
}

// How often a site's handler ran. The engine counts per engine probe (one per function:
// a chain of sites); hits it counted while the switch was off are the agent's disabled_hits.
uint64_t Session::site_hits(size_t k) const {
    const kt_site *t = site_table();
    const kt_stats &c = site_counters(k);
    bool return_chain = t[t[k].chain_head].group_kind == KT_SITE_RETURN;
    if (sites_[k].is_return || !return_chain)
        return c.returns_handled - site_final(k).disabled_hits;
    // An entry probe on a function that also has a return probe: its handler runs when the
    // engine takes an instance and the switch is on (a skip at the switch is not a hit).
    uint64_t not_run = c.missed_budget + c.missed_depth + c.missed_reentrant + c.missed_nothread +
                       c.skipped;
    return c.entries > not_run ? c.entries - not_run : 0;
}

static const char *path_name(int path) {
    switch (path) {
    case KT_PREP_PATH_JUMP: return "a jump";
    case KT_PREP_PATH_RELOCATED_CALL: return "a jump with a relocated call";
    case KT_PREP_PATH_PADDING: return "a jump over alignment padding";
    case KT_PREP_PATH_PUN: return "a jump ending in the original bytes";
    case KT_PREP_PATH_HOP:
        return "a jump ending in the original bytes, through a hop";
    default: return "?";
    }
}

template <typename Keep>
std::string Session::path_summary(size_t first, size_t end, Keep keep) const {
    constexpr int kPaths = 5;
    size_t count[kPaths] = {0, 0, 0, 0, 0};
    const kt_site *t = site_table();
    for (size_t k = first; k < end; ++k) {
        if (!site_armed_[k] || !keep(k))
            continue;
        int path = target_->site_path(static_cast<uint32_t>(t[k].chain_head));
        if (path >= 0 && path < kPaths)
            ++count[path];
    }
    std::string out;
    for (int path = 0; path < kPaths; ++path)
        out += (path ? ", " : "") + std::to_string(count[path]) + " by " + path_name(path);
    return out;
}

// -vv: one line per site: where it is and how it was patched, or that it was not.
void Session::print_site_paths(size_t first, size_t end,
                               const std::vector<std::string> &labels) const {
    const kt_site *t = site_table();
    for (size_t k = first; k < end && k < labels.size(); ++k) {
        if (is_ktap_hook(sites_[k].probe))
            continue;
        uint32_t head = static_cast<uint32_t>(t[k].chain_head);
        int path = target_->site_path(head);
        bool loop = site_armed_[k] && target_->site_loop_head(head);
        fprintf(stderr, "Pass 5: site %s at 0x%llx: %s%s.\n", labels[k].c_str(),
                static_cast<unsigned long long>(t[k].addr),
                site_armed_[k] ? path_name(path) : "not placed",
                loop ? " (a loop head: the function jumps back to its entry, so the probe runs "
                       "on every pass)"
                     : "");
    }
}

// -t: hits per probe (stap's "probe hit report") and every engine counter per probe.
// -t for a sampling probe: its hits, and the sampling counters (shared by all such probes).
void Session::report_sampling(size_t i) const {
    const ResolvedProbe &p = *program_.probes[i];
    const kt_sample_area *a = sample_area();
    auto u = [](int64_t v) { return static_cast<long long>(v); };
    int64_t hits = 0;
    for (uint32_t k = 0; a && k < a->nprobes; ++k)
        if (a->probes[k].probe == static_cast<int32_t>(i))
            hits = a->probes[k].hits;
    // The probe point may be long: its line is built, not formatted into a buffer.
    std::string text = p.point.str() + " (" + p.point.loc.str() +
                       "), hits: " + std::to_string(hits) + ", every " +
                       std::to_string(p.info.period_ns) +
                       " ns of thread CPU time, index: " + std::to_string(i) + "\n";
    char line[512];
    nlohmann::ordered_json e = {
        {"type", "probe_hits"}, {"probe", p.point.str()}, {"location", p.point.loc.str()},
        {"index", i},           {"hits", hits},           {"period_ns", p.info.period_ns}};
    if (!a) {
        sink().text_or_event(true, text, e);
        return;
    }
    snprintf(line, sizeof line,
             "  samples %lld (in ktap's code, not run: %lld; in trampolines: %lld), threads "
             "%lld, timer errors %lld\n",
             u(a->samples), u(a->in_ktap), u(a->in_trampoline), u(a->threads), u(a->timer_errors));
    text += line;
    e["sampling"] = {{"samples", a->samples},
                     {"in_ktap", a->in_ktap},
                     {"in_trampoline", a->in_trampoline},
                     {"threads", a->threads},
                     {"timer_errors", a->timer_errors}};
    nlohmann::ordered_json inside = nlohmann::ordered_json::array();
    // Samples in a function probe's handler: that function's time, spent in ktap.
    for (uint32_t k = 0; k < KT_SAMPLE_MAX_INSIDE && a->inside[k].site; ++k) {
        char addr[32];
        snprintf(addr, sizeof addr, "0x%llx", static_cast<unsigned long long>(a->inside[k].site));
        std::string what = std::string("the function at ") + addr;
        for (const PlannedSite &s : sites_)
            if (!is_ktap_hook(s.probe) && s.function.address == a->inside[k].site) {
                what = site_label(s);
                break;
            }
        text += "  in ktap's handlers while probing " + what + ": " +
                std::to_string(a->inside[k].count) + "\n";
        inside.push_back({{"function", what}, {"samples", a->inside[k].count}});
    }
    e["sampling"]["in_handlers"] = inside;
    sink().text_or_event(true, text, e);
}

void Session::report_timing() {
    if (!sink().is_json())
        fprintf(stderr, "----- probe hit report:\n");
    const kt_site *t = sites_.empty() ? nullptr : site_table();
    for (size_t i = 0; i < program_.probes.size(); ++i) {
        const ResolvedProbe &p = *program_.probes[i];
        if (!p.info.runs_in_target())
            continue;
        if (p.info.kind == ProbeKind::Sample) {
            report_sampling(i);
            continue;
        }
        kt_stats sum{};
        size_t nsites = 0, armed = 0;
        for (size_t k = 0; t && k < sites_.size(); ++k) {
            if (sites_[k].probe != i)
                continue;
            ++nsites;
            if (!site_armed_[k])
                continue;
            ++armed;
            const kt_stats &s = site_counters(k);
            sum.entries += s.entries;
            sum.returns_handled += s.returns_handled;
            sum.skipped += s.skipped;
            sum.missed_budget += s.missed_budget;
            sum.missed_depth += s.missed_depth;
            sum.missed_reentrant += s.missed_reentrant;
            sum.missed_nothread += s.missed_nothread;
            sum.discarded_unwound += s.discarded_unwound;
            sum.discarded_thread_exit += s.discarded_thread_exit;
            sum.discarded_fork_child += s.discarded_fork_child;
            sum.discarded_unregister += s.discarded_unregister;
            sum.in_flight += s.in_flight;
        }
        // The counters are read with the threads stopped; a thread stopped inside an entry
        // probe's handler has counted its entry but not yet its return from the handler: it is
        // in flight like a return-probe instance.
        uint64_t accounted = sum.returns_handled + sum.skipped + sum.missed_budget +
                             sum.missed_depth + sum.missed_reentrant + sum.missed_nothread +
                             sum.discarded_unwound + sum.discarded_thread_exit +
                             sum.discarded_fork_child + sum.discarded_unregister + sum.in_flight;
        uint64_t running = sum.entries > accounted ? sum.entries - accounted : 0;
        sum.in_flight += running;
        auto u = [](uint64_t v) { return static_cast<unsigned long long>(v); };
        uint64_t hits = 0;
        for (size_t k = 0; t && k < sites_.size(); ++k)
            if (sites_[k].probe == i && site_armed_[k])
                hits += site_hits(k);
        std::string paths =
            t ? path_summary(0, sites_.size(), [&](size_t k) { return sites_[k].probe == i; })
              : std::string();
        std::string text =
            p.point.str() + " (" + p.point.loc.str() + "), hits: " + std::to_string(hits) +
            ", sites: " + std::to_string(armed) + " armed of " + std::to_string(nsites) + " (" +
            paths + "), index: " + std::to_string(i) + "\n";
        char line[1024];
        snprintf(line, sizeof line,
                 "  entries %llu, handled %llu, skipped %llu, missed: maxactive %llu, depth %llu, "
                 "reentrant %llu, no thread %llu; discarded: unwound %llu, thread exit %llu, "
                 "fork child %llu, unregister %llu; in flight %llu\n",
                 u(sum.entries), u(sum.returns_handled), u(sum.skipped), u(sum.missed_budget),
                 u(sum.missed_depth), u(sum.missed_reentrant), u(sum.missed_nothread),
                 u(sum.discarded_unwound), u(sum.discarded_thread_exit),
                 u(sum.discarded_fork_child), u(sum.discarded_unregister), u(sum.in_flight));
        text += line;
        if (sum.missed_budget)
            text += "Skipped due to missed kretprobe/1 on '" + p.point.str() +
                    "': " + std::to_string(sum.missed_budget) + "\n";
        nlohmann::ordered_json e = {
            {"type", "probe_hits"},
            {"probe", p.point.str()},
            {"location", p.point.loc.str()},
            {"index", i},
            {"hits", hits},
            {"sites", {{"armed", armed}, {"total", nsites}, {"paths", paths}}},
            {"entries", sum.entries},
            {"handled", sum.returns_handled},
            {"skipped", sum.skipped},
            {"missed",
             {{"maxactive", sum.missed_budget},
              {"depth", sum.missed_depth},
              {"reentrant", sum.missed_reentrant},
              {"no_thread", sum.missed_nothread}}},
            {"discarded",
             {{"unwound", sum.discarded_unwound},
              {"thread_exit", sum.discarded_thread_exit},
              {"fork_child", sum.discarded_fork_child},
              {"unregister", sum.discarded_unregister}}},
            {"in_flight", sum.in_flight}};
        sink().text_or_event(true, text, e);
    }
}

int Session::run() {
    // Ctrl-C, SIGTERM and SIGHUP only raise a flag, from the first instant: while ktap holds
    // the target (ptrace stops, remote calls, injection, arming) dying would leave a thread
    // returning from a remote call to address 0. The session then starts and ends at once,
    // through the ordinary clean end (disarm, detach).
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    if (!read_limits(opts_, layout_.limits, diag_))
        return 1;
    Limits limits = layout_.limits;
    layout_ = compute_layout(program_, limits);
    std::string error;
    // Bad --metric options fail before the target is touched.
    if (!run_.metrics.path.empty()) {
        metrics_ = std::make_unique<MetricsWriter>(run_.metrics);
        if (!metrics_->resolve(program_, diag_))
            return 1;
    }
    if (!open_target())
        return 1;
    // The site table follows the script's state in the same arena.
    // Room for 1,024 more sites in libraries the target may load later.
    uint64_t sites_off = (layout_.total_bytes + 63) & ~uint64_t{63};
    site_space_ = site_table_space(sites_off, sites_, 1024);
    uint64_t arena_bytes = wants_target_probes_ ? site_space_.end : layout_.total_bytes;
    // Backtraces: the unwind tables follow the site table (docs/backtraces.md).
    uint64_t unwind_off = 0, unwind_bytes = 0;
    // usymname()/umodname() use the tables too: they key an address by its function/module.
    if (wants_target_probes_ && (program_.unwinds || program_.symbolizes) && target_) {
        unwind_off = (arena_bytes + 4095) & ~uint64_t{4095};
        unwind_bytes = unwind_.plan(module_maps_.front(), layout_.limits.slots);
        arena_bytes = unwind_off + unwind_bytes;
    }
    // Sampling probes: their area follows (ktap/sample.h, docs/profiling.md).
    uint64_t sample_off = 0;
    if (wants_target_probes_ && target_ && has_sample_probes()) {
        sample_off = (arena_bytes + 63) & ~uint64_t{63};
        arena_bytes = sample_off + sizeof(kt_sample_area);
    }
    // With probes in the target, the target creates the arena's memory (ktap takes a
    // duplicate): it never opens anything of ktap's, whatever its user or namespaces.
    bool arena_ok = false;
    if (wants_target_probes_) {
        size_t bytes = StateArena::rounded(arena_bytes);
        int fd = -1;
        if (target_->check_injectable(error))
            fd = target_->create_shared(TargetProcess::Shared::State, bytes, error);
        arena_ok = fd >= 0 && arena_.adopt(fd, bytes, error);
    } else {
        arena_ok = arena_.create(arena_bytes, error);
    }
    if (!arena_ok) {
        diag_.error(error);
        return 1;
    }
    init_arena(arena_.base, layout_);
    if (sink().is_json())
        header()->output_flags |= KT_OUTPUT_STRUCTURED;
    if (program_.symbolizes)
        out_symbols_ = std::make_unique<OutputSymbols>(symbolizer_, layout_.limits.maxstringlen);
    header()->size = arena_bytes;  // the whole arena, site table included
    if (target_)
        header()->target_pid = target_->pid();
    else
        header()->target_pid = opts_.target_pid;
    if (wants_target_probes_)
        write_site_table(arena_.base, site_space_, sites_, 0, KT_HANDLER_LEAN | KT_NO_VECTOR_REGS);
    if (unwind_bytes) {
        unwind_.attach(static_cast<uint8_t *>(arena_.base), unwind_off, unwind_bytes);
        publish_unwind_tables(module_maps_.front());
    }
    if (sample_off && !plan_sampling(sample_off))
        return 1;

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
    ktap_host_set_target(header()->target_pid);
    if (!start_target_probes())
        return 1;
    flush_unwind_pending();  // libraries the injection loaded

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
    // Every target probe starts at this one instant, then the target runs (stap: begin
    // probes run before the -c command is released).
    if (target_) {
        if (probes_placed_)
            __atomic_store_n(&header()->probes_enabled, 1, __ATOMIC_RELEASE);
        std::string err;
        target_->release(err);
    }
    if (metrics_)
        metrics_->start(global_reader());
    std::vector<std::thread> timers;
    if (!stopping())
        for (size_t i = 0; i < program_.probes.size(); ++i)
            if (program_.probes[i]->info.kind == ProbeKind::Timer)
                timers.emplace_back([this, i] { timer_loop(i); });
    auto start = std::chrono::steady_clock::now();
    while (!stopping()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        if (target_ && target_->exited())
            target_gone_ = true;
        else if (probes_placed_ && (__atomic_load_n(&header()->dlopen_pending, __ATOMIC_ACQUIRE) ||
                                    std::chrono::steady_clock::now() >= next_module_poll_)) {
            probe_new_modules();
            if (__atomic_exchange_n(&header()->dlopen_pending, 0, __ATOMIC_ACQ_REL))
                syscall(SYS_futex, &header()->dlopen_pending, 1 /* FUTEX_WAKE */, INT32_MAX,
                        nullptr, nullptr, 0);  // the agent's dlopen hook goes on
            flush_unwind_pending();
        }
        // Errors in target handlers are counted there; MAXERRORS ends the session here.
        if (header()->errors > layout_.limits.maxerrors)
            __atomic_store_n(&header()->error_exit, 1, __ATOMIC_RELEASE);
        if (run_.timeout_seconds > 0 &&
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() >=
                run_.timeout_seconds)
            timed_out_.store(true);
    }
    timers_stop_.store(true);
    for (auto &t : timers)
        t.join();
    stop_target_probes();
    unwind_.stop();
    for (const auto &w : unwind_.take_warnings())
        diag_.warning(SourceLoc{}, w);
    if (uint32_t n = unwind_.frames_without_table())
        diag_.warning(SourceLoc{}, std::to_string(n) +
                                       " backtrace frames were in code no unwind table covers "
                                       "(generated code, or a library whose table was still "
                                       "being compiled): a frame-pointer step was tried there");
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
    sink().finish();
    if (metrics_) {
        metrics_->finish();
        if (metrics_->failed_writes())
            sink().warning(std::to_string(metrics_->failed_writes()) +
                           " metrics files could not be written: " + metrics_->last_error());
        if (metrics_->busy_skips())
            sink().warning(std::to_string(metrics_->busy_skips()) +
                           " times a metric kept its previous values: its global's lock stayed "
                           "busy");
    }
    if (opts_.timing)
        report_timing();
    int64_t errors = header()->errors, skipped = header()->skipped + target_missed();
    // Samples that landed in ktap's own code were not run: skipped, like stap's missed probes.
    if (const kt_sample_area *a = sample_area()) {
        skipped += a->in_ktap;
        if (a->taken_over)
            sink().warning("the program installed its own handler for signal " +
                           std::to_string(a->signo) +
                           ", which sampling used: sampling stopped then");
        if (a->timer_errors)
            sink().warning(std::to_string(a->timer_errors) +
                               " sampling timers could not be created or set (the process's "
                               "RLIMIT_SIGPENDING?): those threads were not sampled",
                           {{"timer_errors", a->timer_errors}});
    }
    if (header()->dropped_records > 0)
        sink().warning(std::to_string(header()->dropped_records) + " output records (" +
                           std::to_string(header()->dropped_bytes) +
                           " bytes) were dropped: output rings were full",
                       {{"dropped_records", header()->dropped_records},
                        {"dropped_bytes", header()->dropped_bytes}});
    // Not through the sink: it is the output that failed.
    if (uint64_t lost = sink().file().lost_bytes())
        fprintf(stderr, "WARNING: %llu bytes of output could not be written to %s: %s\n",
                static_cast<unsigned long long>(lost), sink().file().current_name().c_str(),
                sink().file().lost_reason().c_str());
    // Libraries are found by polling: calls made before their sites were placed were not seen.
    for (const auto &lib : late_libraries_)
        sink().warning(lib + " was loaded while tracing; its probes were placed up to 100 ms "
                             "later, calls before that were not seen",
                       {{"library", lib}});
    if (errors || skipped)
        sink().warning("Number of errors: " + std::to_string(errors) +
                           ", skipped probes: " + std::to_string(skipped),
                       {{"errors", errors}, {"skipped", skipped}});
    bool child_failed = false;
    nlohmann::ordered_json end_event = {{"type", "end"},
                                        {"errors", errors},
                                        {"skipped", skipped},
                                        {"dropped_records", header()->dropped_records}};
    if (target_ && target_->spawned() && target_gone_) {
        int st = target_->wait_status();
        if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
            sink().warning("Child process exited with status " + std::to_string(WEXITSTATUS(st)),
                           {{"exit_status", WEXITSTATUS(st)}});
            child_failed = true;
        } else if (WIFSIGNALED(st)) {
            sink().warning("Child process exited with signal " + std::to_string(WTERMSIG(st)) +
                               " (" + strsignal(WTERMSIG(st)) + ")",
                           {{"signal", WTERMSIG(st)}});
            child_failed = true;
        }
        if (WIFEXITED(st))
            end_event["child_exit_status"] = WEXITSTATUS(st);
        else if (WIFSIGNALED(st))
            end_event["child_signal"] = WTERMSIG(st);
    }
    bool run_failed = failed || errors > 0 || child_failed;
    // Any runtime error fails the run, even when MAXERRORS let the session go on.
    end_event["status"] = run_failed ? 1 : 0;
    sink().text_or_event(true, run_failed ? "Pass 5: run failed.\n" : "", end_event);
    end_reported_ = true;
    return run_failed ? 1 : 0;
}

} // namespace

int run_session(const ElaboratedProgram &program, const Options &opts, const RunOptions &run,
                Diagnostics &diag) {
    Session s(program, opts, run, diag);
    int status = s.run();
    // A run that failed before it started (its errors were reported) still ends its JSON.
    if (!s.end_reported() && run.sink->is_json())
        run.sink->event({{"type", "end"},
                         {"status", status},
                         {"errors", 0},
                         {"skipped", 0},
                         {"dropped_records", 0}});
    return status;
}

} // namespace ktap
