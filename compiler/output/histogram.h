// Histograms as data (ktap -f json and metrics): the buckets of @hist_log and @hist_linear with
// the values each holds, and the structured form the runtime prints under -f json
// (KT_OUTPUT_STRUCTURED in runtime/lang/kt_lang.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace ktap {

struct HistBucket {
    std::optional<int64_t> min, max; // inclusive; none: unbounded (linear under/overflow)
    int64_t count = 0;
};

struct Histogram {
    bool log = true; // @hist_log, else @hist_linear
    int64_t lo = 0, width = 0;
    int32_t nbuckets = 0;
    int64_t count = 0, sum = 0, min = 0, max = 0;
    std::vector<std::pair<int32_t, int64_t>> used; // (bucket index, count), ascending, count > 0
    // The values bucket `index` holds.
    HistBucket bucket(int32_t index) const;
};

// Parses one marker "\x06H...\x07" at the start of text; returns its length, 0 if there is none.
size_t parse_hist_marker(std::string_view text, Histogram &hist);

} // namespace ktap
