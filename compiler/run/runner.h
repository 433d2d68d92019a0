// Pass 5 for scripts whose probes run in the controller (begin, end, error, timer): lays out
// and formats the state arena, JIT-links the handlers into a code arena, runs them, drains the
// output rings, and ends the session as stap does (exit(), Ctrl-C, -T, errors).
#pragma once

#include "sema/elaborate.h"
#include "../options.h"

#include "output/metrics.h"
#include "output/output_sink.h"

namespace ktap {

struct MetricsOptions {
    std::string path;     // --metrics FILE; empty: none
    double interval = 10; // --metrics-interval SECONDS
    MetricsFormat format = MetricsFormat::OpenMetrics;
    std::vector<MetricSpec> specs; // --metric; empty: every number and statistic the script writes
};

struct RunOptions {
    double timeout_seconds = 0;  // -T; 0 = none
    OutputSink *sink = nullptr;  // every output event of the run
    MetricsOptions metrics;
};

// Returns the process exit status.
int run_session(const ElaboratedProgram &program, const Options &opts, const RunOptions &run,
                Diagnostics &diag);

} // namespace ktap
