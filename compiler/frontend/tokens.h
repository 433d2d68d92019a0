// The token stream between the lexer and the parser. The preprocessor (macros, conditionals,
// script arguments) rewrites it; every token keeps the location it came from.
#pragma once

#include "frontend/diagnostics.h"
#include "frontend/source.h"

#include <string>
#include <vector>

namespace ktap {

struct Token {
    int type = 0;  // StapLexer token type
    std::string text;
    SourceLoc loc;
    size_t start = 0, stop = 0;  // character offsets in loc.file, for adjacency checks
};

// Lexes a whole file. Lexical errors (stray characters, unterminated strings or comments,
// embedded C) are reported; the returned stream never contains those tokens.
std::vector<Token> lex(const SourceFile &file, Diagnostics &diag);

// Lexes a fragment (a `$1` argument) as if it stood at `at`.
std::vector<Token> lex_fragment(const std::string &text, const SourceLoc &at, Diagnostics &diag,
                                SourceManager &sources);

// Human-readable name of a token type for messages: "'probe'", "identifier", "end of input".
std::string token_type_name(int type);
bool is_token(const Token &t, int type);

} // namespace ktap
