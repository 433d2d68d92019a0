// Code generation and language-runtime benchmark (issue 3). Prints, as medians:
//  - compile-to-ready latency (parse, elaborate, lay out, generate IR, JIT-link, look up every
//    handler) for generated scripts of about 5, 100 and 2,000 lines;
//  - ns per `a[k] <<< v` and per `a[k1,k2]++` executed by a JIT-compiled handler, from 1 and
//    2 threads, as the handler's time minus the same loop with an empty body;
//  - the state arena's size for a script with default limits.
// Usage: lang_bench [reps]      (run on demand; nothing here is a test)
#include "backend/backend.h"
#include "sema/layout.h"
#include "run/host_helpers.h"
#include "run/host_symbols.h"
#include "session.h"
#include "kt_lang.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <sys/mman.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace ktap;
using Clock = std::chrono::steady_clock;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

struct Compiled {
    std::unique_ptr<Session> session;
    std::unique_ptr<CodeArena> code;
    std::unique_ptr<Backend> backend;
    Layout layout;
    void *arena = nullptr;
    std::vector<uint64_t> handlers;
    Options opts;
    std::ostringstream diag;
    ~Compiled() {
        if (arena)
            munmap(arena, layout.total_bytes);
    }
};

std::unique_ptr<Compiled> compile(const std::string &text, const Limits &limits) {
    auto c = std::make_unique<Compiled>();
    c->opts.from_text = true;
    c->opts.script_text = text;
    c->opts.tapset_dir = KTAP_TAPSET_DIR;
    c->session = std::make_unique<Session>(c->opts, c->diag);
    if (!c->session->parse() || !c->session->elaborate()) {
        std::cerr << c->diag.str();
        std::exit(1);
    }
    const auto &program = c->session->elaborated();
    c->layout = compute_layout(program, limits);
    c->arena = mmap(nullptr, c->layout.total_bytes, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    init_arena(c->arena, c->layout);
    std::string error;
    c->code.reset(CodeArena::create(16 << 20, error));
    c->code->map_executable_here(error);
    c->backend = std::make_unique<Backend>();
    Diagnostics d(c->diag);
    if (!c->backend->generate(program, c->layout, BackendOptions{}, d) ||
        !c->backend->link(*c->code, host_symbols(), error)) {
        std::cerr << c->diag.str() << error << '\n';
        std::exit(1);
    }
    for (size_t i = 0; i < program.probes.size(); ++i)
        c->handlers.push_back(c->backend->address_of(probe_symbol(i), error));
    return c;
}

std::string generated(int lines) {
    char path[] = "/tmp/ktap-bench-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    std::string cmd = std::string(KTAP_BENCH_DIR) + "/gen-large-script.sh " +
                      std::to_string(lines) + " > " + path;
    if (std::system(cmd.c_str()) != 0)
        std::exit(1);
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    unlink(path);
    return s.str();
}

// Calls handler `probe` `calls` times on this thread; returns ns per call.
double time_calls(Compiled &c, size_t probe, int calls) {
    kt_ctx ctx;
    auto handler = reinterpret_cast<void (*)(kt_ctx *)>(c.handlers[probe]);
    int32_t tid = static_cast<int32_t>(gettid());
    auto start = Clock::now();
    for (int i = 0; i < calls; ++i) {
        kt_ctx_init(&ctx, c.arena, static_cast<int32_t>(probe));
        kt_slot_claim(&ctx, tid);
        handler(&ctx);
        if (ctx.error) {
            std::cerr << "handler error: " << ctx.errmsg << '\n';
            std::exit(1);
        }
    }
    return std::chrono::duration<double, std::nano>(Clock::now() - start).count() / calls;
}

double per_op(Compiled &c, size_t probe, size_t baseline, int threads, int reps, int loop) {
    std::vector<double> samples;
    for (int r = 0; r < reps; ++r) {
        std::vector<double> op(threads), base(threads);
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                op[t] = time_calls(c, probe, 200);
                base[t] = time_calls(c, baseline, 200);
            });
        for (auto &t : ts)
            t.join();
        for (int t = 0; t < threads; ++t)
            samples.push_back((op[t] - base[t]) / loop);
    }
    return median(samples);
}

} // namespace

int main(int argc, char **argv) {
    int reps = argc > 1 ? std::atoi(argv[1]) : 7;
    Limits limits;
    limits.maxaction = 1 << 30;
    limits.maxaction_begin_end = 1 << 30;

    std::printf("compile-to-ready latency (median of %d):\n", reps);
    for (int lines : {5, 100, 2000}) {
        std::string text = lines == 5 ? "global n\nprobe timer.ms(10) {\n  n++\n  if (n > 3) exit()\n}\n"
                                       : generated(lines);
        int actual = static_cast<int>(std::count(text.begin(), text.end(), '\n'));
        std::vector<double> ms;
        for (int r = 0; r < reps; ++r) {
            auto start = Clock::now();
            auto c = compile(text, limits);
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
        }
        std::printf("  %5d lines: %8.1f ms\n", actual, median(ms));
    }

    const int loop = 1000;
    std::string ops = "global a, b\n"
                      "probe timer.s(1000) { for (i = 0; i < 1000; i++) a[i & 63] <<< i }\n"
                      "probe timer.s(1000) { for (i = 0; i < 1000; i++) b[i & 63, i & 7]++ }\n"
                      "probe timer.s(1000) { for (i = 0; i < 1000; i++) { } }\n"
                      "probe end { println(@count(a[1]), b[1, 1]) }\n";
    auto c = compile(ops, limits);
    std::printf("per operation inside a handler (ns, median of %d, loop overhead removed):\n",
                reps);
    for (int threads : {1, 2})
        std::printf("  %d thread%s:  a[k] <<< v  %6.1f   a[k1,k2]++  %6.1f\n", threads,
                    threads > 1 ? "s" : " ", per_op(*c, 0, 2, threads, reps, loop),
                    per_op(*c, 1, 2, threads, reps, loop));

    std::string typical = "global count, total, names[100], lat, by_func\n"
                          "probe timer.s(1) { count++; total += 2; names[\"x\"] = \"y\";\n"
                          "  lat <<< 1; by_func[\"f\"] <<< 2; print(@hist_log(lat)) }\n";
    auto t = compile(typical, Limits{});
    std::printf("state arena with default limits (%u slots, %llu-byte rings, MAXMAPENTRIES %u):\n",
                t->layout.limits.slots, (unsigned long long)t->layout.limits.ring_bytes,
                t->layout.limits.maxmapentries);
    std::printf("  header + slots + rings: %llu bytes\n",
                (unsigned long long)kt_arena_prefix_bytes(t->layout.limits.slots,
                                                          t->layout.limits.ring_bytes));
    for (const auto &[g, s] : t->layout.globals) {
        uint64_t next = t->layout.total_bytes;
        for (const auto &[g2, s2] : t->layout.globals)
            if (s2.lock_off > s.lock_off)
                next = std::min(next, s2.lock_off);
        std::printf("  %-10s %-7s %10llu bytes\n", g->name.c_str(),
                    g->arity > 0 ? "array" : type_name(g->type),
                    (unsigned long long)(next - s.lock_off));
    }
    std::printf("  total: %llu bytes (%.1f MiB; pages are committed only when touched)\n",
                (unsigned long long)t->layout.total_bytes, t->layout.total_bytes / 1048576.0);
    return 0;
}
