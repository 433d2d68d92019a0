// Diagnostics in the compiler's one format: "file:line:col: error: message", the source
// line, a caret under the culprit, then optional notes and hints.
#pragma once

#include "frontend/source.h"

#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <vector>

namespace ktap {

struct DiagNote {
    SourceLoc loc;  // may be invalid: then the note has no position
    std::string message;
};

// Thrown to abandon a pass after errors were reported; carries no text of its own.
struct CompileAbort : std::runtime_error {
    CompileAbort() : std::runtime_error("compilation aborted") {}
};

// One diagnostic as data, for output formats other than text (ktap -f json).
struct DiagRecord {
    const char *kind; // "error" or "warning"
    SourceLoc loc;    // may be invalid
    const std::string &message;
    const std::vector<DiagNote> &notes;
    const std::string &hint;
};

class Diagnostics {
  public:
    explicit Diagnostics(std::ostream &out) : out_(out) {}

    void error(const SourceLoc &loc, const std::string &message,
               const std::vector<DiagNote> &notes = {}, const std::string &hint = {});
    void warning(const SourceLoc &loc, const std::string &message,
                 const std::vector<DiagNote> &notes = {});
    // An error with no source position (bad option, missing file).
    void error(const std::string &message);

    int errors() const { return errors_; }
    int warnings() const { return warnings_; }
    // Throws CompileAbort when errors were reported since construction.
    void check() const;

    bool suppress_warnings = false;  // -w
    bool warnings_as_errors = false; // -W
    int max_errors = 20;             // stop reporting after this many
    // When set, each diagnostic goes here instead of being printed as text.
    std::function<void(const DiagRecord &)> structured;

  private:
    void emit(const char *kind, const SourceLoc &loc, const std::string &message,
              const std::vector<DiagNote> &notes, const std::string &hint);
    void show_line(const SourceLoc &loc);
    std::ostream &out_;
    int errors_ = 0;
    int warnings_ = 0;
};

} // namespace ktap
