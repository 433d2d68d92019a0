// --metrics FILE: a thread that rewrites FILE with the chosen globals every interval while the
// session runs, and once more at its end (compiler/output/metrics.h renders them).
#pragma once

#include "global_reader.h"
#include "runner.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace ktap {

class Diagnostics;
struct ElaboratedProgram;

class MetricsWriter {
  public:
    explicit MetricsWriter(const MetricsOptions &options) : options_(options) {}
    ~MetricsWriter() { stop(); }
    // Matches the specs with the script's globals and resolves their kinds; errors name the
    // option. Without specs: every number and statistic the script writes.
    bool resolve(const ElaboratedProgram &program, Diagnostics &diag);
    // Writes the first file and starts the thread (the arena exists from here on).
    void start(GlobalReader reader);
    // Stops the thread and writes the final file (handlers are no longer running then).
    void finish();
    // Writes that failed, and globals skipped because their lock stayed busy.
    uint64_t failed_writes() const { return failed_writes_; }
    uint64_t busy_skips() const { return busy_skips_; }
    const std::string &last_error() const { return last_error_; }

  private:
    void stop();
    void write(bool locked);
    const MetricsOptions &options_;
    std::optional<GlobalReader> reader_;
    std::vector<std::pair<MetricSpec, const GlobalDecl *>> metrics_;
    std::vector<GlobalValue> last_; // a global whose lock stayed busy keeps its last values
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::atomic<uint64_t> failed_writes_{0}, busy_skips_{0};
    std::string last_error_;
};

} // namespace ktap
