// One compilation: the user script plus the tapsets it pulls in, through parsing (pass 1)
// and elaboration (pass 2).
#pragma once

#include "frontend/ast.h"
#include "frontend/diagnostics.h"
#include "sema/elaborate.h"
#include "options.h"
#include "frontend/preprocessor.h"

#include <memory>
#include <ostream>

namespace ktap {

class Session {
  public:
    Session(const Options &opts, std::ostream &err);

    // Pass 1: parse the user script and every tapset file. False on errors.
    bool parse();
    // Pass 2: resolve, expand, infer types, check. False on errors.
    bool elaborate();

    const Program &user_program() const { return *user_; }
    const ElaboratedProgram &elaborated() const { return *elab_; }
    size_t tapset_files() const { return tapsets_.size(); }
    size_t tapset_files_used() const;
    Diagnostics &diag() { return diag_; }

  private:
    bool parse_here();
    bool load_tapsets(Preprocessor &pp);

    const Options &opts_;
    Diagnostics diag_;
    SourceManager sources_;
    PreprocessorConfig pp_config_;
    std::unique_ptr<Program> user_;
    std::vector<std::unique_ptr<Program>> tapsets_;
    std::unique_ptr<ElaboratedProgram> elab_;
};

} // namespace ktap
