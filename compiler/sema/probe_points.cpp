#include "sema/probe_points.h"

#include <algorithm>
#include <set>

namespace ktap {

bool is_kernel_probe_point(const ProbePoint &pp) {
    static const std::set<std::string> kernel = {
        "kernel", "module", "syscall", "nd_syscall", "kprobe", "tracepoint", "netfilter",
        "perf", "procfs", "hrtimer", "java", "python2", "python3", "scsi", "ioblock",
        "vfs", "signal", "socket", "tcp", "udp", "nfs", "sunrpc", "scheduler", "vm", "irq",
        "workqueue", "softirq", "netdev", "memory", "kprocess", "debuginfod", "input"};
    return !pp.components.empty() && kernel.count(pp.components[0].name) != 0;
}

namespace {

struct Cursor {
    const ProbePoint &pp;
    size_t i = 0;
    std::string &error;
    SourceLoc &error_loc;

    bool done() const { return i >= pp.components.size(); }
    const PPComponent &cur() const { return pp.components[i]; }
    bool fail(const PPComponent &c, const std::string &msg) {
        error = msg;
        error_loc = c.loc;
        return false;
    }
    bool no_param(const PPComponent &c) {
        if (c.param)
            return fail(c, "'" + c.name + "' takes no parameter");
        return true;
    }
    bool number_param(const PPComponent &c, bool required, int64_t &out) {
        if (!c.param) {
            if (required)
                return fail(c, "'" + c.name + "' needs a number parameter, as in " + c.name +
                                   "(10)");
            return true;
        }
        if (c.param->is_string)
            return fail(c, "'" + c.name + "' takes a number, not a string");
        out = c.param->number;
        return true;
    }
    bool string_param(const PPComponent &c, std::string &out) {
        if (!c.param || !c.param->is_string)
            return fail(c, "'" + c.name + "' needs a string parameter, as in " + c.name +
                               "(\"name\")");
        out = c.param->text;
        return true;
    }
};

bool timer(Cursor &c, ProbeInfo &info) {
    info.kind = ProbeKind::Timer;
    if (c.done())
        return c.fail(c.pp.components[0], "'timer' needs a unit: timer.s(N), timer.ms(N), "
                                          "timer.us(N), timer.ns(N) or timer.hz(N)");
    const PPComponent &unit = c.cur();
    if (unit.name == "profile") {
        // SystemTap's profile timer fires on every kernel tick of a running thread; here,
        // every kProfilePeriodNs of each thread's CPU time (.tick: the same).
        info.kind = ProbeKind::Sample;
        info.period_ns = kProfilePeriodNs;
        if (!c.no_param(unit))
            return false;
        ++c.i;
        if (!c.done() && c.cur().name == "tick" && c.no_param(c.cur()))
            ++c.i;
        if (!c.done())
            return c.fail(c.cur(), "unexpected '." + c.cur().name + "' after timer.profile");
        return true;
    }
    static const std::set<std::string> kernel_only = {"jiffies"};
    if (kernel_only.count(unit.name))
        return c.fail(unit, "'timer." + unit.name + "' is a kernel timer; ktap traces user "
                            "space and offers timer.s/ms/us/ns/hz");
    int64_t n = 0;
    if (!c.number_param(unit, true, n))
        return false;
    if (n <= 0)
        return c.fail(unit, "the timer period must be positive");
    int64_t scale = 0;
    const std::string &u = unit.name;
    if (u == "s" || u == "sec")
        scale = 1000000000;
    else if (u == "ms" || u == "msec")
        scale = 1000000;
    else if (u == "us" || u == "usec")
        scale = 1000;
    else if (u == "ns" || u == "nsec")
        scale = 1;
    else if (u == "hz")
        info.hz = n;
    else
        return c.fail(unit, "unknown timer unit '" + u + "': expected s, sec, ms, msec, us, "
                            "usec, ns, nsec or hz");
    if (scale) {
        if (n > INT64_MAX / scale)
            return c.fail(unit, "the timer period is too long");
        info.period_ns = n * scale;
    }
    ++c.i;
    if (!c.done() && c.cur().name == "randomize") {
        if (info.hz)
            return c.fail(c.cur(), "timer.hz cannot be randomized");
        int64_t r = 0;
        if (!c.number_param(c.cur(), true, r))
            return false;
        if (r < 0)
            return c.fail(c.cur(), "randomize needs a non-negative number");
        info.randomize_ns = r * scale;
        ++c.i;
    }
    if (!c.done())
        return c.fail(c.cur(), "unexpected '." + c.cur().name + "' after a timer probe");
    return true;
}

// perf.sw.cpu_clock.sample(N), perf.sw.task_clock.sample(N), also perf.type(1).config(0|1)
// .sample(N), each with an optional .process or .process("PATH") (SystemTap's user-space
// counters): every N ns of each thread's CPU time. Both clocks count the thread's CPU time.
bool perf(Cursor &c, ProbeInfo &info) {
    info.kind = ProbeKind::Sample;
    const PPComponent &first = c.cur();
    ++c.i;
    bool clock = false;
    if (!c.done() && c.cur().name == "sw") {
        if (!c.no_param(c.cur()))
            return false;
        ++c.i;
        if (c.done() || (c.cur().name != "cpu_clock" && c.cur().name != "task_clock"))
            return c.fail(c.done() ? first : c.cur(),
                          "ktap samples the thread's CPU time: perf.sw.cpu_clock.sample(N) or "
                          "perf.sw.task_clock.sample(N)");
        if (!c.no_param(c.cur()))
            return false;
        ++c.i;
        clock = true;
    } else if (!c.done() && c.cur().name == "type") {
        int64_t type = -1, config = -1;
        if (!c.number_param(c.cur(), true, type))
            return false;
        ++c.i;
        if (c.done() || c.cur().name != "config")
            return c.fail(c.pp.components[c.i - 1], "perf.type(N) needs .config(M) after it");
        if (!c.number_param(c.cur(), true, config))
            return false;
        if (type != 1 || (config != 0 && config != 1))
            return c.fail(c.cur(), "ktap samples the thread's CPU time: perf.type(1).config(0) "
                                   "(cpu_clock) or .config(1) (task_clock); hardware counters "
                                   "need the kernel");
        ++c.i;
        clock = true;
    }
    if (!clock)
        return c.fail(first, "ktap samples the thread's CPU time: perf.sw.cpu_clock.sample(N) "
                             "or perf.sw.task_clock.sample(N)");
    bool sampled = false, process = false;
    while (!c.done()) {
        const PPComponent &s = c.cur();
        if (s.name == "sample" && !sampled) {
            if (!c.number_param(s, true, info.period_ns))
                return false;
            if (info.period_ns < 10000)
                return c.fail(s, "the sample period is in ns of CPU time; at least 10000 (10 us)");
            sampled = true;
        } else if (s.name == "process" && !process) {
            if (s.param && s.param->is_string)
                info.process = s.param->text;
            else if (s.param)
                return c.fail(s, "'.process' takes a path string, as in .process(\"/bin/ls\")");
            process = true;
        } else {
            return c.fail(s, "unexpected '." + s.name +
                                 "' in a perf probe: expected "
                                 ".sample(N) and .process[(\"PATH\")]");
        }
        ++c.i;
    }
    if (!sampled)
        return c.fail(first, "a perf probe needs .sample(N): the CPU time in ns between samples");
    return true;
}

bool function_suffixes(Cursor &c, ProbeInfo &info) {
    bool call = false;
    while (!c.done()) {
        const PPComponent &s = c.cur();
        if (s.name == "call") {
            if (!c.no_param(s))
                return false;
            if (call || info.is_return)
                return c.fail(s, info.is_return ? "'.call' and '.return' cannot be combined"
                                                : "'.call' given twice");
            call = true;
        } else if (s.name == "return") {
            if (!c.no_param(s))
                return false;
            if (call || info.is_return)
                return c.fail(s, info.is_return ? "'.return' given twice"
                                                : "'.call' and '.return' cannot be combined");
            info.is_return = true;
        } else if (s.name == "maxactive") {
            if (!info.is_return)
                return c.fail(s, "'.maxactive(N)' applies only to '.return' probes");
            if (!c.number_param(s, true, info.maxactive))
                return false;
            if (info.maxactive <= 0)
                return c.fail(s, "maxactive must be positive");
        } else if (s.name == "inline") {
            return c.fail(s, "'.inline' probes are not supported: ktap probes functions that "
                             "exist as code (inlined copies are reported by -l)");
        } else if (s.name == "label" || s.name == "callee" || s.name == "callees" ||
                   s.name == "exported") {
            return c.fail(s, "'." + s.name + "' is not supported by ktap yet");
        } else {
            return c.fail(s, "unexpected '." + s.name + "' after a function probe: expected "
                             ".call, .return or .maxactive(N)");
        }
        ++c.i;
    }
    return true;
}

bool process(Cursor &c, ProbeInfo &info) {
    const PPComponent &p = c.cur();
    if (p.param) {
        if (p.param->is_string)
            info.process = p.param->text;
        else if (p.param->number <= 0)
            return c.fail(p, "process(PID) needs a positive PID");
        else
            info.process_pid = p.param->number;
    }
    ++c.i;
    if (c.done())
        return c.fail(p, "'process' needs a probe after it, such as process.function(\"f\")");
    if (c.cur().name == "library") {
        if (!c.string_param(c.cur(), info.library))
            return false;
        ++c.i;
        if (c.done())
            return c.fail(c.pp.components[c.i - 1], "'library' needs a function after it");
    }
    const PPComponent &what = c.cur();
    if (what.name == "function") {
        info.kind = ProbeKind::Function;
        if (!c.string_param(what, info.function))
            return false;
        ++c.i;
        return function_suffixes(c, info);
    }
    static const std::set<std::string> later = {"statement", "mark", "provider", "plt",
                                                "begin", "end", "thread", "syscall", "data",
                                                "insn"};
    if (later.count(what.name))
        return c.fail(what, "'process." + what.name + "' probes are not supported by ktap yet");
    return c.fail(what, "unknown process probe '" + what.name + "': expected function(\"PAT\")");
}

} // namespace

bool classify_probe_point(const ProbePoint &pp, ProbeInfo &info, std::string &error,
                          SourceLoc &error_loc) {
    info = {};
    Cursor c{pp, 0, error, error_loc};
    if (pp.components.empty())
        return false;
    const PPComponent &first = pp.components[0];
    if (first.name.find('*') != std::string::npos)
        return c.fail(first, "no probe point matches '" + first.name + "'");
    if (first.name == "perf" && !first.param)
        return perf(c, info);
    if (is_kernel_probe_point(pp))
        return c.fail(first, "'" + pp.str() + "' is a kernel probe point; ktap traces user "
                             "space (use process.function(\"...\") or function(\"...\"))");
    const std::string &n = first.name;
    if (n == "begin" || n == "end" || n == "error") {
        info.kind = n == "begin" ? ProbeKind::Begin : n == "end" ? ProbeKind::End
                                                                : ProbeKind::Error;
        if (!c.number_param(first, false, info.sequence))
            return false;
        if (pp.components.size() > 1)
            return c.fail(pp.components[1], "unexpected '." + pp.components[1].name +
                                                "' after '" + n + "'");
        return true;
    }
    if (n == "never") {
        info.kind = ProbeKind::Never;
        if (!c.no_param(first))
            return false;
        if (pp.components.size() > 1)
            return c.fail(pp.components[1], "unexpected '." + pp.components[1].name +
                                                "' after 'never'");
        return true;
    }
    if (n == "timer") {
        if (!c.no_param(first))
            return false;
        c.i = 1;
        return timer(c, info);
    }
    if (n == "function") {
        info.kind = ProbeKind::Function;
        if (!c.string_param(first, info.function))
            return false;
        c.i = 1;
        return function_suffixes(c, info);
    }
    if (n == "process")
        return process(c, info);
    if (n == "oneshot")
        return c.fail(first, "'oneshot' is a tapset alias; it was not found on the tapset path");
    return c.fail(first, "unknown probe point '" + pp.str() + "': no alias or built-in probe "
                         "point by that name");
}

std::vector<std::string> builtin_probe_types() {
    std::vector<std::string> out;
    for (const char *n : {"begin", "end", "error"}) {
        out.push_back(n);
        out.push_back(std::string(n) + "(number)");
    }
    out.push_back("never");
    for (const char *u : {"hz", "ms", "msec", "ns", "nsec", "s", "sec", "us", "usec"}) {
        std::string t = std::string("timer.") + u + "(number)";
        out.push_back(t);
        if (std::string(u) != "hz")
            out.push_back(t + ".randomize(number)");
    }
    out.push_back("timer.profile");
    out.push_back("timer.profile.tick");
    for (const char *clock :
         {"perf.sw.cpu_clock", "perf.sw.task_clock", "perf.type(number).config(number)"}) {
        std::string t = std::string(clock) + ".sample(number)";
        out.push_back(t);
        out.push_back(t + ".process");
        out.push_back(t + ".process(string)");
    }
    auto function_forms = [&](const std::string &head) {
        std::string f = head + "function(string)";
        out.push_back(f);
        out.push_back(f + ".call");
        out.push_back(f + ".return");
        out.push_back(f + ".return.maxactive(number)");
    };
    function_forms("");
    for (const char *process : {"process", "process(number)", "process(string)"}) {
        function_forms(std::string(process) + ".");
        function_forms(std::string(process) + ".library(string).");
    }
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace ktap
