#include "metrics.h"

#include "output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace ktap {

namespace {

bool valid_name(const std::string &s) {
    static const std::regex name(R"([a-zA-Z_][a-zA-Z0-9_]*)");
    return std::regex_match(s, name);
}

std::string escape_label(const std::string &v) {
    std::string out;
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// {key1="a",key2="3"} plus an extra label (le) when given.
std::string labels(const MetricSpec &spec, const std::vector<KeyValue> &keys,
                   const std::string &extra = {}) {
    std::vector<std::string> parts;
    for (size_t k = 0; k < keys.size(); ++k) {
        std::string name = k < spec.labels.size() ? spec.labels[k] : "key" + std::to_string(k + 1);
        std::string value = std::holds_alternative<std::string>(keys[k])
                                ? std::get<std::string>(keys[k])
                                : std::to_string(std::get<int64_t>(keys[k]));
        parts.push_back(name + "=\"" + escape_label(value) + "\"");
    }
    if (!extra.empty())
        parts.push_back(extra);
    if (parts.empty())
        return {};
    std::string out = "{";
    for (size_t i = 0; i < parts.size(); ++i)
        out += (i ? "," : "") + parts[i];
    return out + "}";
}

void sample(std::ostringstream &out, const std::string &name, const std::string &labels,
            int64_t value) {
    out << name << labels << ' ' << value << '\n';
}

void stats_samples(std::ostringstream &out, const std::string &name, const MetricSpec &spec,
                   const std::vector<KeyValue> &keys, const StatValue &s) {
    if (spec.kind == MetricKind::Histogram) {
        int64_t cumulative = 0;
        bool negative_bucket = false;
        if (s.hist)
            for (auto [index, count] : s.hist->used) {
                cumulative += count;
                HistBucket b = s.hist->bucket(index);
                if (!b.max)
                    continue; // the overflow bucket: +Inf below
                negative_bucket |= *b.max < 0;
                sample(out, name + "_bucket",
                       labels(spec, keys, "le=\"" + std::to_string(*b.max) + "\""), cumulative);
            }
        int64_t count = s.hist ? s.hist->count : s.count; // the buckets' own total
        sample(out, name + "_bucket", labels(spec, keys, "le=\"+Inf\""), count);
        // OpenMetrics: a histogram with negative buckets has no _sum, and then no _count
        // (the +Inf bucket is the count).
        if (!negative_bucket) {
            sample(out, name + "_count", labels(spec, keys), count);
            sample(out, name + "_sum", labels(spec, keys), s.sum);
        }
        return;
    }
    sample(out, name + "_count", labels(spec, keys), s.count);
    sample(out, name + "_sum", labels(spec, keys), s.sum);
}

} // namespace

const char *metric_kind_name(MetricKind kind) {
    switch (kind) {
    case MetricKind::Counter:
        return "counter";
    case MetricKind::Gauge:
        return "gauge";
    case MetricKind::Histogram:
        return "histogram";
    case MetricKind::Summary:
        return "summary";
    case MetricKind::Auto:
        break;
    }
    return "auto";
}

bool parse_metric_spec(const std::string &text, MetricSpec &spec, std::string &error) {
    spec = MetricSpec{};
    std::vector<std::string> fields;
    std::stringstream in(text);
    for (std::string f; std::getline(in, f, ':');)
        fields.push_back(f);
    if (fields.empty() || fields.size() > 3 || !valid_name(fields[0])) {
        error = "--metric " + text + ": expected GLOBAL[:KIND][:LABEL,...]";
        return false;
    }
    spec.global = fields[0];
    size_t next = 1;
    if (fields.size() > 1) {
        static const std::pair<const char *, MetricKind> kinds[] = {
            {"counter", MetricKind::Counter},
            {"gauge", MetricKind::Gauge},
            {"histogram", MetricKind::Histogram},
            {"summary", MetricKind::Summary}};
        for (auto [name, kind] : kinds)
            if (fields[1] == name) {
                spec.kind = kind;
                next = 2;
            }
        if (next == 1 && fields.size() == 3) {
            error = "--metric " + text + ": '" + fields[1] +
                    "' is not a kind (counter, gauge, histogram or summary)";
            return false;
        }
    }
    if (next < fields.size()) {
        std::stringstream names(fields[next]);
        for (std::string l; std::getline(names, l, ',');) {
            if (!valid_name(l) || l == "le" || l == "quantile") {
                error = "--metric " + text + ": '" + l + "' cannot be a label name";
                return false;
            }
            spec.labels.push_back(l);
        }
    }
    return true;
}

bool parse_metrics_format(const std::string &name, MetricsFormat &format) {
    if (name == "openmetrics")
        format = MetricsFormat::OpenMetrics;
    else if (name == "prometheus")
        format = MetricsFormat::Prometheus;
    else
        return false;
    return true;
}

std::string render_metrics(const std::vector<std::pair<MetricSpec, GlobalValue>> &metrics,
                           MetricsFormat format) {
    std::ostringstream out;
    bool om = format == MetricsFormat::OpenMetrics;
    for (const auto &[spec, value] : metrics) {
        std::string family = spec.global, name = spec.global;
        if (spec.kind == MetricKind::Counter) {
            // OpenMetrics names the family without _total and its sample with it; the
            // Prometheus text format names both with it.
            if (family.size() > 6 && family.compare(family.size() - 6, 6, "_total") == 0)
                family.resize(family.size() - 6);
            name = family + "_total";
            if (!om)
                family = name;
        }
        out << "# TYPE " << family << ' ' << metric_kind_name(spec.kind) << '\n';
        out << "# HELP " << family << " ktap script global " << spec.global << '\n';
        auto one = [&](const std::vector<KeyValue> &keys, const ScalarValue &v) {
            if (v.kind == ScalarValue::Stats)
                stats_samples(out, name, spec, keys, v.stats);
            else
                sample(out, name, labels(spec, keys), v.number);
        };
        if (value.is_array)
            for (const auto &[keys, v] : value.entries)
                one(keys, v);
        else
            one({}, value.scalar);
    }
    if (om)
        out << "# EOF\n";
    return out.str();
}

bool write_file_atomically(const std::string &path, const std::string &text, std::string &error) {
    std::string tmp = path + ".tmp-" + std::to_string(getpid());
    {
        OutputFile file; // the same whole-write loop as ktap's output
        if (!file.open(tmp, {}, error))
            return false;
        file.write(text);
        if (file.lost_bytes()) {
            error = "cannot write '" + tmp + "': " + file.lost_reason();
            unlink(tmp.c_str());
            return false;
        }
    }
    if (rename(tmp.c_str(), path.c_str()) != 0) {
        error = "cannot rename '" + tmp + "' to '" + path + "': " + strerror(errno);
        unlink(tmp.c_str());
        return false;
    }
    return true;
}

} // namespace ktap
