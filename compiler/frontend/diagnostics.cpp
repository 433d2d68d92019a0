#include "frontend/diagnostics.h"

#include <ostream>

namespace ktap {

void Diagnostics::show_line(const SourceLoc &loc) {
    if (!loc.valid())
        return;
    std::string_view text = loc.file->line_text(loc.line);
    out_ << "    " << text << "\n    ";
    // Keep tabs so the caret lines up under the same column in a terminal.
    for (int i = 1; i < loc.col && static_cast<size_t>(i - 1) < text.size(); ++i)
        out_ << (text[i - 1] == '\t' ? '\t' : ' ');
    out_ << '^';
    int avail = static_cast<int>(text.size()) - loc.col;
    for (int i = 1; i < loc.length && i <= avail; ++i)
        out_ << '~';
    out_ << '\n';
}

void Diagnostics::emit(const char *kind, const SourceLoc &loc, const std::string &message,
                       const std::vector<DiagNote> &notes, const std::string &hint) {
    if (structured) {
        structured(DiagRecord{kind, loc, message, notes, hint});
        return;
    }
    if (loc.valid())
        out_ << loc.str() << ": ";
    else
        out_ << "ktap: ";
    out_ << kind << ": " << message << '\n';
    show_line(loc);
    for (const auto &n : notes) {
        if (n.loc.valid())
            out_ << n.loc.str() << ": ";
        out_ << "note: " << n.message << '\n';
        show_line(n.loc);
    }
    if (!hint.empty())
        out_ << "hint: " << hint << '\n';
}

void Diagnostics::error(const SourceLoc &loc, const std::string &message,
                        const std::vector<DiagNote> &notes, const std::string &hint) {
    ++errors_;
    if (errors_ <= max_errors)
        emit("error", loc, message, notes, hint);
}

void Diagnostics::error(const std::string &message) { error(SourceLoc{}, message); }

void Diagnostics::warning(const SourceLoc &loc, const std::string &message,
                          const std::vector<DiagNote> &notes) {
    if (warnings_as_errors) {
        error(loc, message, notes);
        return;
    }
    ++warnings_;
    if (!suppress_warnings)
        emit("warning", loc, message, notes, {});
}

void Diagnostics::check() const {
    if (errors_ > 0)
        throw CompileAbort();
}

} // namespace ktap
