// From source text to AST: lex, preprocess, parse with the ANTLR grammar, build the AST.
#pragma once

#include "frontend/ast.h"
#include "frontend/preprocessor.h"

#include <memory>

namespace ktap {

// Parses one file. Reports errors to `diag` and returns nullptr when the file has any.
std::unique_ptr<Program> parse_file(const SourceFile &file, Preprocessor &pp, Diagnostics &diag);

// Number and string literal helpers shared with the printer.
bool parse_number_literal(const std::string &text, int64_t &value, std::string &error);
std::string decode_string_literal(const std::string &quoted);
std::string escape_string(const std::string &value);  // adds the quotes

} // namespace ktap
