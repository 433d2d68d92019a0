// The preprocessor of reference systemtap.md §1.14, on the token stream: script arguments
// ($1 @1 $# @#), `@define` macros (file-local, or global from .stpm libraries), and
// `%( cond %? then %: else %)` conditionals.
#pragma once

#include "frontend/tokens.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ktap {

struct Macro {
    std::string name;
    std::vector<std::string> params;
    std::vector<Token> body;
    SourceLoc loc;
};

using MacroTable = std::map<std::string, Macro>;

struct PreprocessorConfig {
    std::vector<std::string> args;  // script arguments $1..$N
    std::string arch = "x86_64";
    std::string runtime = "ktap";
    std::string systemtap_v = "5.0";  // language level ktap follows
};

class Preprocessor {
  public:
    Preprocessor(const PreprocessorConfig &config, Diagnostics &diag, SourceManager &sources)
        : config_(config), diag_(diag), sources_(sources) {}

    // Collects the `@define`s of a .stpm macro library into the global table.
    void load_library(const std::vector<Token> &tokens);
    // Expands one file's tokens. Macros it defines are local to it.
    std::vector<Token> run(const std::vector<Token> &tokens);

    // The user script sees the macro libraries loaded for the tapsets.
    void share_library(const Preprocessor &other) { library_ = other.library_; }

    // Names of the built-in @-operators, which are not macros.
    static bool is_builtin_at(const std::string &name);

  private:
    std::vector<Token> substitute_args(const std::vector<Token> &in);
    std::vector<Token> expand_macros(const std::vector<Token> &in, MacroTable &local, int depth);
    std::vector<Token> conditionals(const std::vector<Token> &in);
    bool parse_define(const std::vector<Token> &in, size_t &i, MacroTable &into);
    void missing_argument(const Token &t);
    bool scan_condition(const std::vector<Token> &in, size_t &j, std::vector<Token> &cond);
    bool evaluate(const std::vector<Token> &cond);

    const PreprocessorConfig &config_;
    Diagnostics &diag_;
    SourceManager &sources_;
    MacroTable library_;
    size_t expanded_tokens_ = 0;
    std::set<size_t> used_args_;  // $N / @N the script mentions
    SourceLoc outermost_use_;
};

} // namespace ktap
