#include "metrics_writer.h"

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "sema/elaborate.h"

namespace ktap {

namespace {

// Auto: numbers are gauges; statistics histograms when the script gives them a shape.
bool resolve_kind(MetricSpec &spec, const GlobalDecl &g, std::string &error) {
    bool stats = g.type == Type::Stats;
    if (g.type != Type::Long && !stats) {
        error = "'" + g.name + "' holds strings: metrics are numbers and statistics";
        return false;
    }
    if (spec.kind == MetricKind::Auto)
        spec.kind = !stats        ? MetricKind::Gauge
                    : g.hist_kind ? MetricKind::Histogram
                                  : MetricKind::Summary;
    bool number_kind = spec.kind == MetricKind::Counter || spec.kind == MetricKind::Gauge;
    if (stats == number_kind) {
        error = "'" + g.name + "' holds " + (stats ? "statistics" : "numbers") + ", not a " +
                metric_kind_name(spec.kind) +
                (stats ? " (histogram or summary)" : " (counter or gauge)");
        return false;
    }
    if (spec.kind == MetricKind::Histogram && !g.hist_kind) {
        error = "'" + g.name + "' has no @hist_log or @hist_linear in the script: use summary";
        return false;
    }
    if (g.arity >= 0 && spec.labels.size() > static_cast<size_t>(std::max(g.arity, 0))) {
        error = "'" + g.name + "' has " + std::to_string(std::max(g.arity, 0)) + " keys, not " +
                std::to_string(spec.labels.size()) + " labels";
        return false;
    }
    return true;
}

} // namespace

bool MetricsWriter::resolve(const ElaboratedProgram &program, Diagnostics &diag) {
    auto user_global = [](const GlobalDecl *g) { return !g->from_tapset; };
    if (options_.specs.empty()) {
        for (const GlobalDecl *g : program.globals)
            if (user_global(g) && g->is_written &&
                (g->type == Type::Long || g->type == Type::Stats)) {
                MetricSpec spec;
                spec.global = g->name;
                std::string error;
                if (resolve_kind(spec, *g, error))
                    metrics_.emplace_back(spec, g);
            }
        last_.resize(metrics_.size());
        return true;
    }
    bool ok = true;
    for (MetricSpec spec : options_.specs) {
        const GlobalDecl *found = nullptr;
        for (const GlobalDecl *g : program.globals)
            if (user_global(g) && g->name == spec.global)
                found = g;
        std::string error;
        if (!found) {
            diag.error("--metric " + spec.global + ": the script has no global '" + spec.global +
                       "' (or never uses it)");
            ok = false;
        } else if (!resolve_kind(spec, *found, error)) {
            diag.error("--metric " + spec.global + ": " + error);
            ok = false;
        } else {
            metrics_.emplace_back(spec, found);
        }
    }
    last_.resize(metrics_.size());
    return ok;
}

void MetricsWriter::write(bool locked) {
    std::vector<std::pair<MetricSpec, GlobalValue>> values;
    for (size_t i = 0; i < metrics_.size(); ++i) {
        GlobalValue v;
        if (reader_->read(*metrics_[i].second, v, locked))
            last_[i] = v;
        else
            ++busy_skips_;
        if (last_[i].name.empty())
            last_[i].name = metrics_[i].second->name;
        values.emplace_back(metrics_[i].first, last_[i]);
    }
    std::string error;
    if (!write_file_atomically(options_.path, render_metrics(values, options_.format), error)) {
        ++failed_writes_;
        last_error_ = error;
    }
}

void MetricsWriter::start(GlobalReader reader) {
    reader_.emplace(std::move(reader));
    write(true);
    thread_ = std::thread([this] {
        auto period = std::chrono::duration<double>(options_.interval);
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
            lock.unlock();
            write(true);
            lock.lock();
        }
    });
}

void MetricsWriter::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable())
        thread_.join();
}

void MetricsWriter::finish() {
    stop();
    if (reader_)
        write(false);
}

} // namespace ktap
