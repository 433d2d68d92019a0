#include "frontend/source.h"

#include <fstream>
#include <sstream>

namespace ktap {

SourceFile::SourceFile(std::string p, std::string t, bool tapset)
    : path(std::move(p)), text(std::move(t)), is_tapset(tapset) {
    line_starts.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
        if (text[i] == '\n')
            line_starts.push_back(i + 1);
}

std::string_view SourceFile::line_text(int line) const {
    if (line < 1 || static_cast<size_t>(line) > line_starts.size())
        return {};
    size_t begin = line_starts[line - 1];
    size_t end = text.find('\n', begin);
    if (end == std::string::npos)
        end = text.size();
    if (end > begin && text[end - 1] == '\r')
        --end;
    return std::string_view(text).substr(begin, end - begin);
}

std::string SourceLoc::str() const {
    if (!file)
        return "<unknown>";
    return file->path + ":" + std::to_string(line) + ":" + std::to_string(col);
}

const SourceFile *SourceManager::add(std::string path, std::string text, bool is_tapset) {
    files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text), is_tapset));
    return files_.back().get();
}

const SourceFile *SourceManager::load(const std::string &path, bool is_tapset,
                                      std::string &error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = "cannot open '" + path + "'";
        return nullptr;
    }
    std::ostringstream buf;
    buf << in.rdbuf();
    return add(path, buf.str(), is_tapset);
}

} // namespace ktap
