// Source files and positions. Every AST node carries a SourceLoc so that any pass can
// point a diagnostic at the exact line and column of the script or tapset.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ktap {

struct SourceFile {
    std::string path;        // as shown in diagnostics
    std::string text;
    bool is_tapset = false;  // library file: its globals are never auto-printed
    std::vector<size_t> line_starts;

    SourceFile(std::string path, std::string text, bool is_tapset);
    std::string_view line_text(int line) const;  // 1-based, without the newline
};

struct SourceLoc {
    const SourceFile *file = nullptr;
    int line = 0;  // 1-based
    int col = 0;   // 1-based
    int length = 1;

    bool valid() const { return file != nullptr && line > 0; }
    std::string str() const;  // "file:line:col"
};

// Owns every source file read during one compilation, so SourceLoc pointers stay valid.
class SourceManager {
  public:
    const SourceFile *add(std::string path, std::string text, bool is_tapset);
    // Reads a file; returns nullptr and sets `error` when it cannot be read.
    const SourceFile *load(const std::string &path, bool is_tapset, std::string &error);

  private:
    std::vector<std::unique_ptr<SourceFile>> files_;
};

} // namespace ktap
