// How ktap's run output is written: SystemTap's text (the default, byte for byte) or JSON lines
// (`-f json`, one object per event, docs/output.md has the schema). Every output event of a
// session goes through here: the script's output, errors and warnings of the target and of
// ktap, the display of unread globals, `-t` counters, and diagnostics.
#pragma once

#include "frontend/diagnostics.h"
#include "output_file.h"

#include <nlohmann/json.hpp>

#include <mutex>
#include <string>
#include <string_view>

namespace ktap {

enum class OutputFormat { Text, Json };

bool parse_output_format(const std::string &name, OutputFormat &format);

// Puts bytes into event[key] as a JSON string. Bytes that are not UTF-8 become U+FFFD there,
// and the exact bytes are added as key + "_base64".
void set_bytes(nlohmann::ordered_json &event, const std::string &key, std::string_view bytes);

class OutputSink {
  public:
    OutputSink(OutputFormat format, OutputFile &file) : format_(format), file_(file) {}

    bool is_json() const { return format_ == OutputFormat::Json; }
    OutputFile &file() { return file_; }

    // The script's output (print, printf...): text as is; JSON: an "output" event per line
    // (a histogram printed under -f json arrives as a marker and becomes a "hist" event).
    void script_output(std::string_view text);
    // The target's error stream: "WARNING: ..." and "ERROR: ..." lines of its handlers.
    void script_errors(std::string_view text);
    // A runtime error in a handler ktap ran ("ERROR: MESSAGE near WHERE").
    void runtime_error(const std::string &message, const std::string &where);
    // ktap's own warnings ("WARNING: MESSAGE"); JSON events get `fields` added.
    void warning(const std::string &message,
                 const nlohmann::ordered_json &fields = nlohmann::ordered_json::object());
    // A line of text for people (to stderr or the output) or, in JSON, the event instead.
    void text_or_event(bool to_stderr, const std::string &text,
                       const nlohmann::ordered_json &event);
    // JSON only: one event, one line.
    void event(const nlohmann::ordered_json &event);
    void diagnostic(const DiagRecord &record);
    // Ends a partial line of script output (JSON); text mode has nothing pending.
    void finish();

  private:
    void emit_line(const nlohmann::ordered_json &event);
    void flush_pending_output();
    OutputFormat format_;
    OutputFile &file_;
    std::string pending_;     // JSON: script output up to its next newline
    std::string pending_err_; // JSON: the target's error stream up to its next newline
    std::recursive_mutex mutex_;
};

} // namespace ktap
