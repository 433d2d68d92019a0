#include "session.h"

#include "frontend/deep_stack.h"
#include "frontend/parser.h"

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>

namespace ktap {

namespace fs = std::filesystem;

Session::Session(const Options &opts, std::ostream &err) : opts_(opts), diag_(err) {
    diag_.suppress_warnings = opts.suppress_warnings;
    diag_.warnings_as_errors = opts.warnings_as_errors;
    pp_config_.args = opts.args;
}

namespace {

// Every file with the extension under dir, sorted so that the order never depends on the
// file system.
std::vector<std::string> files_under(const std::string &dir, const std::string &ext) {
    std::vector<std::string> out;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        return out;
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
        if (it->is_regular_file(ec) && it->path().extension() == ext)
            out.push_back(it->path().string());
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace

bool Session::load_tapsets(Preprocessor &pp) {
    std::vector<std::string> dirs;
    if (!opts_.tapset_dir.empty())
        dirs.push_back(opts_.tapset_dir);
    dirs.insert(dirs.end(), opts_.include_dirs.begin(), opts_.include_dirs.end());
    for (const auto &d : opts_.include_dirs)
        if (!fs::is_directory(d))
            diag_.error("-I " + d + ": not a directory");
    // Macro libraries first: their @defines are visible to every file.
    for (const auto &dir : dirs)
        for (const auto &path : files_under(dir, ".stpm")) {
            std::string err;
            const SourceFile *f = sources_.load(path, true, err);
            if (!f) {
                diag_.error(err);
                continue;
            }
            pp.load_library(lex(*f, diag_));
        }
    for (const auto &dir : dirs)
        for (const auto &path : files_under(dir, ".stp")) {
            std::string err;
            const SourceFile *f = sources_.load(path, true, err);
            if (!f) {
                diag_.error(err);
                continue;
            }
            if (auto prog = parse_file(*f, pp, diag_))
                tapsets_.push_back(std::move(prog));
        }
    return diag_.errors() == 0;
}

bool Session::parse() {
    bool ok = false;
    run_on_large_stack([&] { ok = parse_here(); });
    return ok;
}

bool Session::parse_here() {
    try {
        // Tapsets see no script arguments.
        PreprocessorConfig tapset_config = pp_config_;
        tapset_config.args.clear();
        Preprocessor tapset_pp(tapset_config, diag_, sources_);
        if (!load_tapsets(tapset_pp))
            return false;
        const SourceFile *file = nullptr;
        if (opts_.from_text) {
            file = sources_.add("<input>", opts_.script_text, false);
        } else if (opts_.script_file == "-") {
            std::string text(std::istreambuf_iterator<char>(std::cin), {});
            file = sources_.add("<stdin>", text, false);
        } else {
            std::string err;
            file = sources_.load(opts_.script_file, false, err);
            if (!file) {
                diag_.error(err);
                return false;
            }
        }
        Preprocessor user_pp(pp_config_, diag_, sources_);
        user_pp.share_library(tapset_pp);
        user_ = parse_file(*file, user_pp, diag_);
        return user_ != nullptr && diag_.errors() == 0;
    } catch (CompileAbort &) {
        return false;
    }
}

bool Session::elaborate() {
    elab_ = std::make_unique<ElaboratedProgram>();
    bool ok = false;
    run_on_large_stack([&] {
        try {
            ok = ktap::elaborate(*user_, tapsets_, opts_, diag_, *elab_);
        } catch (CompileAbort &) {
            ok = false;
        }
    });
    return ok;
}

size_t Session::tapset_files_used() const {
    return elab_ ? elab_->files.size() - 1 : 0;
}

} // namespace ktap
