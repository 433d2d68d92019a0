// A script global's value as data, read from the state arena by the controller
// (compiler/run/global_reader.cpp) and rendered by output formats: stap's display of unread
// globals, its JSON form, and metrics.
#pragma once

#include "histogram.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace ktap {

struct StatValue {
    int64_t count = 0, sum = 0, min = 0, max = 0, avg = 0; // min/max/avg only when count > 0
    std::optional<Histogram> hist;                         // the global's @hist_* shape
};

struct ScalarValue {
    enum Kind { Number, Text, Stats } kind = Number;
    int64_t number = 0;
    std::string text;
    StatValue stats;
};

using KeyValue = std::variant<int64_t, std::string>;

struct GlobalValue {
    std::string name;
    bool is_array = false;
    ScalarValue scalar;                                                 // !is_array
    std::vector<std::pair<std::vector<KeyValue>, ScalarValue>> entries; // is_array
};

// stap's lines for an unread global at exit: "name=5", "name[\"k\",1]=\"v\"",
// "name @count=3 @min=1 ...".
std::string stap_global_text(const GlobalValue &g);
// The JSON event of the same display (docs/output.md).
nlohmann::ordered_json global_event(const GlobalValue &g);
nlohmann::ordered_json stat_json(const StatValue &s);

} // namespace ktap
