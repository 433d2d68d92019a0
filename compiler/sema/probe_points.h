// The built-in probe points ktap understands, after alias expansion: what a concrete probe
// point means, or why it cannot be used.
#pragma once

#include "frontend/ast.h"

#include <string>
#include <vector>

namespace ktap {

enum class ProbeKind { Begin, End, Error, Never, Timer, Function, Sample };

// timer.profile's period: the kernel's HZ on Debian (CONFIG_HZ=250), in thread CPU time.
constexpr int64_t kProfilePeriodNs = 4000000;

struct ProbeInfo {
    ProbeKind kind = ProbeKind::Never;
    int64_t sequence = 0;  // begin(N) / end(N) / error(N)
    // Timer
    int64_t period_ns = 0;
    int64_t hz = 0;
    int64_t randomize_ns = 0;
    // Function probes
    std::string process;   // "" = the -x/-c target
    int64_t process_pid = 0;
    std::string library;   // "" = main executable and every loaded library
    std::string function;  // glob pattern, possibly with @file
    bool is_return = false;
    int64_t maxactive = 0;  // 0 = engine default
    // Sample: timer.profile, perf.sw.{cpu,task}_clock.sample(N): every period_ns of each
    // thread's CPU time, the handler runs on that thread with its interrupted registers.

    bool runs_in_target() const { return kind == ProbeKind::Function || kind == ProbeKind::Sample; }
    // A probed function: target variables, $$parms, probefunc() of the site.
    bool has_site() const { return kind == ProbeKind::Function; }
};

// True when the point's first component names a kernel facility (kernel, module, syscall...).
bool is_kernel_probe_point(const ProbePoint &pp);

// Classifies a concrete probe point. Returns false and sets `error` (with `error_loc`, the
// component at fault) when it is not a valid built-in probe point.
bool classify_probe_point(const ProbePoint &pp, ProbeInfo &info, std::string &error,
                          SourceLoc &error_loc);

// Every built-in probe point form, as stap --dump-probe-types prints them: "(number)" and
// "(string)" where a parameter goes ("timer.ms(number)", "process(string).function(string)").
std::vector<std::string> builtin_probe_types();

} // namespace ktap
