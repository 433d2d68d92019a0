// Where ktap's run output goes: standard output or `-o FILE`, with SystemTap's `-S SIZE[,N]`
// rotation (FILE.0, FILE.1, ...; at most N kept, the oldest removed). Writes go straight to the
// descriptor (no stdio buffer), so everything written survives ktap being killed; a reader
// that does not keep up blocks only ktap's drain thread, never the target (its rings drop and
// count records meanwhile).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ktap {

struct Rotation {
    uint64_t max_bytes = 0; // 0: no rotation
    unsigned max_files = 0; // 0: keep every file
};

// Parses -S's "SIZE[,N]" (SIZE in MiB, as stap). False with a message on bad input.
bool parse_rotation(const std::string &text, Rotation &rotation, std::string &error);

class OutputFile {
  public:
    OutputFile() = default;
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;
    ~OutputFile();

    // path empty: standard output. With rotation, the files are path.0, path.1, ...
    bool open(const std::string &path, Rotation rotation, std::string &error);
    // Writes every byte (retrying short writes); with rotation, switches files only between
    // lines, before a line that would take the file past its size. Write errors are counted.
    void write(std::string_view bytes);
    // switch_file(): the next numbered file starts here (with rotation; else nothing).
    void switch_file();
    // Bytes that could not be written (a closed pipe, a full disk) and the first reason.
    uint64_t lost_bytes() const { return lost_bytes_; }
    const std::string &lost_reason() const { return lost_reason_; }
    // The file being written (path.N with rotation), for messages.
    std::string current_name() const;

  private:
    bool open_index(unsigned index, std::string &error);
    void write_all(std::string_view bytes);
    std::string path_;
    Rotation rotation_;
    int fd_ = 1;
    bool owns_fd_ = false;
    unsigned index_ = 0;
    uint64_t written_ = 0; // bytes in the current file
    uint64_t lost_bytes_ = 0;
    std::string lost_reason_;
};

} // namespace ktap
