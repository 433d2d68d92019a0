#include "frontend/tokens.h"
#include "frontend/utf8.h"

#include "frontend/parser.h"

#include "StapLexer.h"
#include "antlr4-runtime.h"

namespace ktap {

using grammar::StapLexer;

namespace {

// Silences ANTLR's console listener; the lexer has a catch-all STRAY rule, so it never
// reports errors of its own.
class QuietListener : public antlr4::BaseErrorListener {
    void syntaxError(antlr4::Recognizer *, antlr4::Token *, size_t, size_t, const std::string &,
                     std::exception_ptr) override {}
};

// Offset of the first byte that is not valid UTF-8, or npos. ANTLR's input stream throws on
// invalid UTF-8, so scripts are checked first and get a positioned error instead.
size_t invalid_utf8(const std::string &s) {
    for (size_t i = 0; i < s.size();) {
        size_t n = utf8_sequence_length(s, i);
        if (n == 0)
            return i;
        i += n;
    }
    return std::string::npos;
}

std::vector<Token> lex_text(const std::string &text, const SourceFile *file,
                            const SourceLoc *fixed_loc, Diagnostics &diag) {
    if (size_t bad = invalid_utf8(text); bad != std::string::npos) {
        SourceLoc at = fixed_loc ? *fixed_loc : SourceLoc{file, 1, 1, 1};
        if (!fixed_loc && file) {
            for (size_t i = 0; i < bad; ++i) {
                if (text[i] == '\n') {
                    ++at.line;
                    at.col = 1;
                } else if ((static_cast<unsigned char>(text[i]) & 0xc0) != 0x80) {
                    ++at.col;
                }
            }
        }
        char byte[8];
        snprintf(byte, sizeof byte, "0x%02x", static_cast<unsigned char>(text[bad]));
        diag.error(at, std::string("invalid UTF-8 in the script (byte ") + byte + ")");
        return {};
    }
    antlr4::ANTLRInputStream input;
    try {
        input.load(text);
    } catch (const std::exception &) {
        diag.error(fixed_loc ? *fixed_loc : SourceLoc{file, 1, 1, 1},
                   "the script is not valid UTF-8");
        return {};
    }
    StapLexer lexer(&input);
    QuietListener quiet;
    lexer.removeErrorListeners();
    lexer.addErrorListener(&quiet);
    std::vector<Token> out;
    for (auto t = lexer.nextToken(); t->getType() != antlr4::Token::EOF; t = lexer.nextToken()) {
        Token tok;
        tok.type = static_cast<int>(t->getType());
        tok.text = t->getText();
        tok.start = t->getStartIndex();
        tok.stop = t->getStopIndex();
        if (fixed_loc) {
            tok.loc = *fixed_loc;
        } else {
            tok.loc.file = file;
            tok.loc.line = static_cast<int>(t->getLine());
            // ANTLR counts code points from 0; diagnostics count from 1.
            tok.loc.col = static_cast<int>(t->getCharPositionInLine()) + 1;
            size_t nl = tok.text.find('\n');
            tok.loc.length = static_cast<int>(nl == std::string::npos ? tok.text.size() : nl);
        }
        switch (tok.type) {
        case StapLexer::UNTERMINATED_STRING:
            diag.error(tok.loc, "unterminated string literal", {},
                       "string literals end with '\"' on the same line");
            continue;
        case StapLexer::UNTERMINATED_COMMENT:
            tok.loc.length = 2;
            diag.error(tok.loc, "unterminated comment: '/*' without '*/'");
            continue;
        case StapLexer::EMBEDDED_C:
        case StapLexer::UNTERMINATED_EMBEDDED_C:
            tok.loc.length = 2;
            diag.error(tok.loc, "embedded C code ('%{ ... %}') is not supported by ktap", {},
                       "ktap has no guru mode; use the built-in functions instead");
            continue;
        case StapLexer::STRAY: {
            std::string shown = tok.text;
            if (shown.size() == 1 && (static_cast<unsigned char>(shown[0]) < 0x20 ||
                                      shown[0] == 0x7f)) {
                char buf[8];
                snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(shown[0]));
                shown = buf;
            }
            diag.error(tok.loc, "unexpected character '" + shown + "'");
            continue;
        }
        case StapLexer::BAD_NUMBER: {
            int64_t ignored = 0;
            std::string why;
            if (parse_number_literal(tok.text, ignored, why))
                why = "invalid number '" + tok.text + "'";
            diag.error(tok.loc, why, {}, "numbers have no suffixes; hexadecimal is 0x1f");
            continue;
        }
        default:
            break;
        }
        out.push_back(std::move(tok));
    }
    return out;
}

} // namespace

std::vector<Token> lex(const SourceFile &file, Diagnostics &diag) {
    return lex_text(file.text, &file, nullptr, diag);
}

std::vector<Token> lex_fragment(const std::string &text, const SourceLoc &at, Diagnostics &diag,
                                SourceManager &) {
    return lex_text(text, nullptr, &at, diag);
}

std::string token_type_name(int type) {
    if (type == static_cast<int>(antlr4::Token::EOF))
        return "end of input";
    switch (type) {
    case StapLexer::IDENT:
        return "identifier";
    case StapLexer::NUMBER:
        return "number";
    case StapLexer::STRING:
        return "string literal";
    case StapLexer::AT_IDENT:
        return "@-operator";
    case StapLexer::DOLLAR_ARG:
    case StapLexer::AT_ARG:
        return "script argument";
    default:
        break;
    }
    static antlr4::ANTLRInputStream empty("");
    static StapLexer names(&empty);
    const auto &vocab = names.getVocabulary();
    std::string lit = vocab.getLiteralName(type);
    if (!lit.empty())
        return lit;
    return vocab.getSymbolicName(type);
}

bool is_token(const Token &t, int type) { return t.type == type; }

} // namespace ktap
