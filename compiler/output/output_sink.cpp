#include "output_sink.h"

#include "frontend/utf8.h"
#include "histogram.h"

#include <cstdio>

namespace ktap {

using json = nlohmann::ordered_json;

bool parse_output_format(const std::string &name, OutputFormat &format) {
    if (name == "text")
        format = OutputFormat::Text;
    else if (name == "json")
        format = OutputFormat::Json;
    else
        return false;
    return true;
}

namespace {

std::string base64(std::string_view bytes) {
    static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8 |
                     uint8_t(bytes[i + 2]);
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], digits[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16;
        out += {digits[v >> 18], digits[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        uint32_t v = uint32_t(uint8_t(bytes[i])) << 16 | uint32_t(uint8_t(bytes[i + 1])) << 8;
        out += {digits[v >> 18], digits[(v >> 12) & 63], digits[(v >> 6) & 63], '='};
    }
    return out;
}

json hist_event(const Histogram &h) {
    json buckets = json::array();
    for (auto [index, count] : h.used) {
        HistBucket b = h.bucket(index);
        json one;
        one["min"] = b.min ? json(*b.min) : json(nullptr);
        one["max"] = b.max ? json(*b.max) : json(nullptr);
        one["count"] = count;
        buckets.push_back(one);
    }
    json e = {{"type", "hist"},   {"kind", h.log ? "log" : "linear"},
              {"count", h.count}, {"sum", h.sum},
              {"min", h.min},     {"max", h.max}};
    if (!h.log) {
        e["low"] = h.lo;
        e["width"] = h.width;
    }
    e["buckets"] = buckets;
    return e;
}

json location(const SourceLoc &loc) {
    json j = json::object();
    if (loc.valid()) {
        j["file"] = loc.file->path;
        j["line"] = loc.line;
        j["column"] = loc.col;
    }
    return j;
}

} // namespace

void set_bytes(json &event, const std::string &key, std::string_view bytes) {
    std::string valid;
    bool clean = true;
    for (size_t i = 0; i < bytes.size();) {
        size_t n = utf8_sequence_length(bytes, i);
        if (n == 0) {
            valid += "\xEF\xBF\xBD"; // U+FFFD
            clean = false;
            ++i;
        } else {
            valid.append(bytes.substr(i, n));
            i += n;
        }
    }
    event[key] = valid;
    if (!clean)
        event[key + "_base64"] = base64(bytes);
}

void OutputSink::emit_line(const json &event) {
    std::string line = event.dump(-1, ' ', false, json::error_handler_t::replace);
    line += '\n';
    file_.write(line);
}

void OutputSink::event(const json &event) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    emit_line(event);
}

void OutputSink::flush_pending_output() {
    if (pending_.empty())
        return;
    json e = {{"type", "output"}};
    set_bytes(e, "data", pending_);
    emit_line(e);
    pending_.clear();
}

namespace {

// switch_file() (tapsets/switchfile.stp) prints this marker.
constexpr std::string_view kSwitchFile = "\x06S\x07";

} // namespace

void OutputSink::script_output(std::string_view text) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!is_json()) {
        for (size_t at; (at = text.find(kSwitchFile)) != std::string_view::npos;) {
            file_.write(text.substr(0, at));
            file_.switch_file();
            text.remove_prefix(at + kSwitchFile.size());
        }
        file_.write(text);
        return;
    }
    while (!text.empty()) {
        size_t marker = text.find('\x06');
        std::string_view plain = text.substr(0, marker);
        // Whole lines become events; a partial one waits for the rest of its line.
        for (size_t eol; (eol = plain.find('\n')) != std::string_view::npos;) {
            pending_.append(plain.substr(0, eol + 1));
            plain.remove_prefix(eol + 1);
            flush_pending_output();
        }
        pending_.append(plain);
        if (marker == std::string_view::npos)
            return;
        text.remove_prefix(marker);
        if (text.substr(0, kSwitchFile.size()) == kSwitchFile) {
            flush_pending_output(); // a partial line ends in the file it started in
            file_.switch_file();
            text.remove_prefix(kSwitchFile.size());
            continue;
        }
        Histogram hist;
        size_t used = parse_hist_marker(text, hist);
        if (!used) { // a \x06 the script printed itself
            pending_ += text[0];
            text.remove_prefix(1);
            continue;
        }
        flush_pending_output();
        emit_line(hist_event(hist));
        text.remove_prefix(used);
    }
}

void OutputSink::script_errors(std::string_view text) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!is_json()) {
        fwrite(text.data(), 1, text.size(), stderr);
        fflush(stderr);
        return;
    }
    pending_err_.append(text);
    for (size_t eol; (eol = pending_err_.find('\n')) != std::string::npos;) {
        std::string line = pending_err_.substr(0, eol);
        pending_err_.erase(0, eol + 1);
        json e;
        if (line.rfind("WARNING: ", 0) == 0) {
            e["type"] = "warning";
            set_bytes(e, "message", line.substr(9));
        } else if (line.rfind("ERROR: ", 0) == 0) {
            // "ERROR: MESSAGE near WHERE" from the agent: the position is the last " near ".
            e["type"] = "error";
            std::string message = line.substr(7);
            size_t near = message.rfind(" near ");
            set_bytes(e, "message", message.substr(0, near));
            if (near != std::string::npos)
                set_bytes(e, "where", message.substr(near + 6));
        } else {
            e["type"] = "stderr";
            set_bytes(e, "data", line + "\n");
        }
        emit_line(e);
    }
}

void OutputSink::runtime_error(const std::string &message, const std::string &where) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!is_json()) {
        fprintf(stderr, "ERROR: %s", message.c_str());
        if (!where.empty())
            fprintf(stderr, " near %s", where.c_str());
        fprintf(stderr, "\n");
        return;
    }
    json e = {{"type", "error"}};
    set_bytes(e, "message", message);
    if (!where.empty())
        set_bytes(e, "where", where);
    emit_line(e);
}

void OutputSink::warning(const std::string &message, const json &fields) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!is_json()) {
        fprintf(stderr, "WARNING: %s\n", message.c_str());
        return;
    }
    json e = {{"type", "warning"}};
    set_bytes(e, "message", message);
    for (auto &[k, v] : fields.items())
        e[k] = v;
    emit_line(e);
}

void OutputSink::text_or_event(bool to_stderr, const std::string &text, const json &event) {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (is_json()) {
        emit_line(event);
    } else if (to_stderr) {
        fputs(text.c_str(), stderr);
    } else {
        file_.write(text);
    }
}

void OutputSink::diagnostic(const DiagRecord &r) {
    json e = {{"type", r.kind}};
    set_bytes(e, "message", r.message);
    e.update(location(r.loc));
    if (r.loc.valid())
        set_bytes(e, "source", r.loc.file->line_text(r.loc.line));
    if (!r.notes.empty()) {
        json notes = json::array();
        for (const auto &n : r.notes) {
            json note = location(n.loc);
            set_bytes(note, "message", n.message);
            notes.push_back(note);
        }
        e["notes"] = notes;
    }
    if (!r.hint.empty())
        set_bytes(e, "hint", r.hint);
    event(e);
}

void OutputSink::finish() {
    std::lock_guard<std::recursive_mutex> lock(mutex_);
    if (!is_json())
        return;
    flush_pending_output();
    if (!pending_err_.empty()) {
        json e = {{"type", "stderr"}};
        set_bytes(e, "data", pending_err_);
        pending_err_.clear();
        emit_line(e);
    }
}

} // namespace ktap
