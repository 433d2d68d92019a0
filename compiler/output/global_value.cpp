#include "global_value.h"

namespace ktap {

using json = nlohmann::ordered_json;

namespace {

std::string stap_value(const ScalarValue &v) {
    switch (v.kind) {
    case ScalarValue::Text:
        return "=\"" + v.text + "\"";
    case ScalarValue::Number:
        return "=" + std::to_string(v.number);
    case ScalarValue::Stats:
        break;
    }
    const StatValue &s = v.stats;
    if (s.count == 0)
        return " @count=0x0";
    return " @count=" + std::to_string(s.count) + " @min=" + std::to_string(s.min) +
           " @max=" + std::to_string(s.max) + " @sum=" + std::to_string(s.sum) +
           " @avg=" + std::to_string(s.avg);
}

json value_json(const ScalarValue &v) {
    switch (v.kind) {
    case ScalarValue::Text:
        return v.text;
    case ScalarValue::Number:
        return v.number;
    case ScalarValue::Stats:
        break;
    }
    return stat_json(v.stats);
}

} // namespace

json stat_json(const StatValue &s) {
    json j = {{"count", s.count}, {"sum", s.sum}};
    if (s.count > 0) {
        j["min"] = s.min;
        j["max"] = s.max;
        j["avg"] = s.avg;
    }
    return j;
}

std::string stap_global_text(const GlobalValue &g) {
    if (!g.is_array)
        return g.name + stap_value(g.scalar) + "\n";
    std::string out;
    for (const auto &[keys, value] : g.entries) {
        out += g.name + "[";
        for (size_t k = 0; k < keys.size(); ++k) {
            if (k)
                out += ",";
            if (const auto *s = std::get_if<std::string>(&keys[k]))
                out += "\"" + *s + "\"";
            else
                out += std::to_string(std::get<int64_t>(keys[k]));
        }
        out += "]" + stap_value(value) + "\n";
    }
    return out;
}

json global_event(const GlobalValue &g) {
    json e = {{"type", "global"}, {"name", g.name}};
    if (!g.is_array) {
        e["value"] = value_json(g.scalar);
        return e;
    }
    json entries = json::array();
    for (const auto &[keys, value] : g.entries) {
        json key = json::array();
        for (const auto &k : keys) {
            if (const auto *s = std::get_if<std::string>(&k))
                key.push_back(*s);
            else
                key.push_back(std::get<int64_t>(k));
        }
        entries.push_back({{"key", key}, {"value", value_json(value)}});
    }
    e["entries"] = entries;
    return e;
}

} // namespace ktap
