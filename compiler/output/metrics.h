// Metrics files for existing collectors (ktap --metrics FILE): chosen globals rendered as
// OpenMetrics text (the default) or as the Prometheus text format that node_exporter's textfile
// collector reads, rewritten atomically (a temporary file renamed over FILE).
#pragma once

#include "global_value.h"

#include <string>
#include <vector>

namespace ktap {

enum class MetricKind { Auto, Counter, Gauge, Histogram, Summary };

// --metric GLOBAL[:KIND][:LABEL,LABEL...]: KIND counter, gauge, histogram or summary (Auto:
// numbers are gauges, statistics histograms when the script gives them a @hist_* shape, else
// summaries); LABEL names an array's keys in order (key1, key2... by default).
struct MetricSpec {
    std::string global;
    MetricKind kind = MetricKind::Auto;
    std::vector<std::string> labels;
};

bool parse_metric_spec(const std::string &text, MetricSpec &spec, std::string &error);
const char *metric_kind_name(MetricKind kind);

enum class MetricsFormat { OpenMetrics, Prometheus };
bool parse_metrics_format(const std::string &name, MetricsFormat &format);

// One family per global; `spec.kind` must already be resolved (not Auto) and fit the value.
std::string render_metrics(const std::vector<std::pair<MetricSpec, GlobalValue>> &metrics,
                           MetricsFormat format);

// Writes text to path.tmp-PID beside path and renames it over path.
bool write_file_atomically(const std::string &path, const std::string &text, std::string &error);

} // namespace ktap
