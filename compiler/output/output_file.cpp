#include "output_file.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace ktap {

bool parse_rotation(const std::string &text, Rotation &rotation, std::string &error) {
    const char *p = text.c_str();
    char *end = nullptr;
    errno = 0;
    unsigned long long mib = std::strtoull(p, &end, 10);
    if (end == p || errno || mib == 0 || mib > (1ull << 20) || (*end && *end != ',')) {
        error = "-S " + text + ": expected SIZE[,N] with SIZE a number of megabytes (1 or more)";
        return false;
    }
    rotation.max_bytes = mib << 20;
    rotation.max_files = 0;
    if (*end == ',') {
        const char *q = end + 1;
        unsigned long long n = std::strtoull(q, &end, 10);
        if (end == q || *end || errno || n == 0 || n > 1000000) {
            error = "-S " + text + ": expected SIZE[,N] with N a number of files (1 or more)";
            return false;
        }
        rotation.max_files = static_cast<unsigned>(n);
    }
    return true;
}

OutputFile::~OutputFile() {
    if (owns_fd_)
        close(fd_);
}

std::string OutputFile::current_name() const {
    if (path_.empty())
        return "standard output";
    return rotation_.max_bytes ? path_ + "." + std::to_string(index_) : path_;
}

bool OutputFile::open_index(unsigned index, std::string &error) {
    std::string name = rotation_.max_bytes ? path_ + "." + std::to_string(index) : path_;
    int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) {
        error = "cannot write '" + name + "': " + strerror(errno);
        return false;
    }
    if (owns_fd_)
        close(fd_);
    fd_ = fd;
    owns_fd_ = true;
    index_ = index;
    written_ = 0;
    // stap -S SIZE,N: at most N files; the one N before this goes.
    if (rotation_.max_files && index >= rotation_.max_files)
        unlink((path_ + "." + std::to_string(index - rotation_.max_files)).c_str());
    return true;
}

bool OutputFile::open(const std::string &path, Rotation rotation, std::string &error) {
    path_ = path;
    rotation_ = path.empty() ? Rotation{} : rotation;
    if (path.empty()) {
        fd_ = 1;
        owns_fd_ = false;
        return true;
    }
    return open_index(0, error);
}

void OutputFile::write_all(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd_, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (lost_reason_.empty())
                lost_reason_ = n < 0 ? strerror(errno) : "nothing written";
            lost_bytes_ += bytes.size();
            return;
        }
        written_ += static_cast<uint64_t>(n);
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

void OutputFile::write(std::string_view bytes) {
    if (!rotation_.max_bytes) {
        write_all(bytes);
        return;
    }
    while (!bytes.empty()) {
        uint64_t room = written_ < rotation_.max_bytes ? rotation_.max_bytes - written_ : 0;
        if (bytes.size() <= room) {
            write_all(bytes);
            return;
        }
        // The lines that fit go here; the rest starts the next file.
        size_t fit = bytes.substr(0, static_cast<size_t>(room)).rfind('\n');
        size_t take = fit == std::string_view::npos ? 0 : fit + 1;
        if (take == 0 && written_ == 0) {
            // One line longer than a whole file: it goes whole into this one.
            size_t eol = bytes.find('\n');
            take = eol == std::string_view::npos ? bytes.size() : eol + 1;
        }
        write_all(bytes.substr(0, take));
        bytes.remove_prefix(take);
        if (bytes.empty())
            return;
        std::string error;
        if (!open_index(index_ + 1, error)) {
            if (lost_reason_.empty())
                lost_reason_ = error;
            lost_bytes_ += bytes.size();
            return;
        }
    }
}

void OutputFile::switch_file() {
    if (!rotation_.max_bytes)
        return;
    std::string error;
    if (!open_index(index_ + 1, error) && lost_reason_.empty())
        lost_reason_ = error;
}

} // namespace ktap
