#include "frontend/preprocessor.h"

#include "StapLexer.h"

#include <cstring>
#include <fnmatch.h>
#include <set>
#include <sys/utsname.h>

namespace ktap {

using grammar::StapLexer;

namespace {

constexpr int kMaxMacroDepth = 64;
constexpr size_t kMaxExpandedTokens = 100000;

Token make_token(int type, std::string text, const Token &at) {
    Token t = at;
    t.type = type;
    t.text = std::move(text);
    return t;
}

std::string quote(const std::string &s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out + "\"";
}

std::string unquote(const std::string &s) {
    if (s.size() >= 2 && s.front() == '"')
        return s.substr(1, s.size() - 2);
    return s;
}

} // namespace

bool Preprocessor::is_builtin_at(const std::string &name) {
    static const std::set<std::string> builtins = {
        "@entry", "@cast",  "@defined", "@var",      "@probewrite", "@count",    "@sum",
        "@min",   "@max",   "@avg",     "@variance", "@hist_log",   "@hist_linear",
        // Recognised so that they get a clear "not supported" message, not "unknown macro".
        "@const", "@kderef", "@uderef", "@kregister", "@uregister", "@perf", "@errno", "@enum",
        "@enumname"};
    return builtins.count(name) != 0;
}

void Preprocessor::load_library(const std::vector<Token> &tokens) {
    std::vector<Token> args_done = substitute_args(tokens);
    for (size_t i = 0; i < args_done.size();) {
        const Token &t = args_done[i];
        if (t.type == StapLexer::AT_IDENT && t.text == "@define") {
            if (!parse_define(args_done, i, library_))
                return;
            continue;
        }
        // A library holds only @defines, possibly inside conditionals; other tokens are ignored
        // as stap does, but say so because they are almost certainly a mistake.
        if (t.type != StapLexer::PP_OPEN && t.type != StapLexer::PP_THEN &&
            t.type != StapLexer::PP_ELSE && t.type != StapLexer::PP_CLOSE) {
            diag_.warning(t.loc, "ignoring '" + t.text + "' in a macro library: only @define "
                                 "is allowed there");
            return;
        }
        ++i;
    }
}

std::vector<Token> Preprocessor::run(const std::vector<Token> &tokens) {
    MacroTable local;
    std::vector<Token> out = conditionals(expand_macros(substitute_args(tokens), local, 0));
    for (const Token &t : out)
        if (t.type == StapLexer::DOLLAR_ARG || t.type == StapLexer::AT_ARG)
            missing_argument(t);
    // As stap (3.1+) does: an argument the script never mentions is probably a mistake.
    for (size_t i = 1; i <= config_.args.size(); ++i)
        if (!used_args_.count(i))
            diag_.warning(SourceLoc{}, "unused command line option $" + std::to_string(i) + "/@" +
                                           std::to_string(i));
    return out;
}

void Preprocessor::missing_argument(const Token &t) {
    size_t index = std::strtoul(t.text.c_str() + 1, nullptr, 10);
    diag_.error(t.loc,
                "command line argument index " + std::to_string(index) + " out of range [1-" +
                    std::to_string(config_.args.size()) + "]",
                {}, "pass script arguments after the script: ktap script.stp ARG1 ARG2");
}

std::vector<Token> Preprocessor::substitute_args(const std::vector<Token> &in) {
    std::vector<Token> out;
    out.reserve(in.size());
    const auto &args = config_.args;
    for (const Token &t : in) {
        if (t.type != StapLexer::DOLLAR_ARG && t.type != StapLexer::AT_ARG) {
            out.push_back(t);
            continue;
        }
        bool as_string = t.type == StapLexer::AT_ARG;
        if (t.text[1] == '#') {
            // A script that looks at the count handles its arguments on purpose.
            for (size_t i = 1; i <= args.size(); ++i)
                used_args_.insert(i);
            std::string n = std::to_string(args.size());
            out.push_back(as_string ? make_token(StapLexer::STRING, quote(n), t)
                                    : make_token(StapLexer::NUMBER, n, t));
            continue;
        }
        size_t index = std::strtoul(t.text.c_str() + 1, nullptr, 10);
        if (index >= 1 && index <= args.size())
            used_args_.insert(index);
        if (index < 1 || index > args.size()) {
            // Reported only if it survives the conditionals: `%( $# > 0 %? $1 %: 10 %)` is the
            // usual guard for an optional argument.
            out.push_back(t);
            continue;
        }
        const std::string &value = args[index - 1];
        if (as_string) {
            out.push_back(make_token(StapLexer::STRING, quote(value), t));
        } else {
            for (Token &piece : lex_fragment(value, t.loc, diag_, sources_))
                out.push_back(std::move(piece));
        }
    }
    return out;
}

bool Preprocessor::parse_define(const std::vector<Token> &in, size_t &i, MacroTable &into) {
    const Token &def = in[i++];
    if (i >= in.size() || in[i].type != StapLexer::IDENT) {
        diag_.error(i < in.size() ? in[i].loc : def.loc, "expected a macro name after @define");
        i = in.size();
        return false;
    }
    Macro m;
    m.name = in[i].text;
    m.loc = in[i].loc;
    ++i;
    if (i < in.size() && in[i].type == StapLexer::LPAREN) {
        ++i;
        while (i < in.size() && in[i].type != StapLexer::RPAREN) {
            if (in[i].type != StapLexer::IDENT) {
                diag_.error(in[i].loc, "expected a macro parameter name");
                i = in.size();
                return false;
            }
            m.params.push_back(in[i++].text);
            if (i < in.size() && in[i].type == StapLexer::COMMA)
                ++i;
        }
        ++i;  // ')'
    }
    if (i >= in.size() || in[i].type != StapLexer::PP_OPEN) {
        diag_.error(i < in.size() ? in[i].loc : m.loc,
                    "expected '%(' to start the body of macro '@" + m.name + "'");
        i = in.size();
        return false;
    }
    SourceLoc open = in[i].loc;
    ++i;
    int depth = 1;
    for (; i < in.size(); ++i) {
        if (in[i].type == StapLexer::PP_OPEN)
            ++depth;
        else if (in[i].type == StapLexer::PP_CLOSE && --depth == 0)
            break;
        m.body.push_back(in[i]);
    }
    if (depth != 0) {
        diag_.error(open, "missing '%)' at the end of macro '@" + m.name + "'");
        return false;
    }
    ++i;  // '%)'
    if (is_builtin_at("@" + m.name)) {
        diag_.error(m.loc, "cannot define macro '@" + m.name + "': it is a built-in operator");
        return false;
    }
    if (auto prev = into.find(m.name); prev != into.end()) {
        diag_.error(m.loc, "attempt to redefine macro '@" + m.name + "'",
                    {{prev->second.loc, "previously defined here"}});
        return false;
    }
    into[m.name] = std::move(m);
    return true;
}

std::vector<Token> Preprocessor::expand_macros(const std::vector<Token> &in, MacroTable &local,
                                               int depth) {
    std::vector<Token> out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size();) {
        const Token &t = in[i];
        if (t.type != StapLexer::AT_IDENT || is_builtin_at(t.text)) {
            out.push_back(t);
            ++i;
            continue;
        }
        if (t.text == "@define") {
            if (depth > 0) {
                diag_.error(t.loc, "@define is not allowed inside a macro body");
                return out;
            }
            if (!parse_define(in, i, local))
                return out;
            continue;
        }
        std::string name = t.text.substr(1);
        const Macro *m = nullptr;
        if (auto it = local.find(name); it != local.end())
            m = &it->second;
        else if (auto lib = library_.find(name); lib != library_.end())
            m = &lib->second;
        if (!m) {
            diag_.error(t.loc, "unknown macro or @-operator '" + t.text + "'");
            ++i;
            continue;
        }
        if (depth >= kMaxMacroDepth) {
            diag_.error(t.loc, "macro expansion nested too deeply (a recursive macro?)");
            return out;
        }
        ++i;
        // Collect arguments: top-level comma-separated token runs inside the parentheses.
        std::vector<std::vector<Token>> args;
        if (!m->params.empty()) {
            if (i >= in.size() || in[i].type != StapLexer::LPAREN) {
                diag_.error(t.loc, "macro '" + t.text + "' needs " +
                                       std::to_string(m->params.size()) + " argument(s)");
                continue;
            }
            ++i;
            int nest = 0;
            args.emplace_back();
            for (; i < in.size(); ++i) {
                int ty = in[i].type;
                if (ty == StapLexer::LPAREN || ty == StapLexer::LBRACK ||
                    ty == StapLexer::LBRACE)
                    ++nest;
                else if (ty == StapLexer::RBRACK || ty == StapLexer::RBRACE)
                    --nest;
                else if (ty == StapLexer::RPAREN && nest-- == 0)
                    break;
                else if (ty == StapLexer::COMMA && nest == 0) {
                    args.emplace_back();
                    continue;
                }
                args.back().push_back(in[i]);
            }
            if (i >= in.size()) {
                diag_.error(t.loc, "missing ')' after the arguments of macro '" + t.text + "'");
                return out;
            }
            ++i;  // ')'
            if (args.size() != m->params.size()) {
                diag_.error(t.loc, "macro '" + t.text + "' takes " +
                                       std::to_string(m->params.size()) + " argument(s) but " +
                                       std::to_string(args.size()) + " were given");
                continue;
            }
        }
        // Bounded work: a recursive macro can double its size at every level.
        expanded_tokens_ += m->body.size();
        for (const auto &a : args)
            expanded_tokens_ += a.size();
        if (depth == 0)
            outermost_use_ = t.loc;
        if (expanded_tokens_ > kMaxExpandedTokens) {
            diag_.error(outermost_use_, "macro expansion is too large (more than " +
                                            std::to_string(kMaxExpandedTokens) + " tokens)",
                        {{t.loc, "while expanding '" + t.text + "' here"}});
            return out;
        }
        std::vector<Token> body;
        for (const Token &bt : m->body) {
            bool replaced = false;
            if (bt.type == StapLexer::AT_IDENT) {
                for (size_t p = 0; p < m->params.size(); ++p) {
                    if (bt.text.compare(1, std::string::npos, m->params[p]) == 0) {
                        body.insert(body.end(), args[p].begin(), args[p].end());
                        replaced = true;
                        break;
                    }
                }
            }
            if (!replaced)
                body.push_back(bt);
        }
        for (Token &e : expand_macros(body, local, depth + 1))
            out.push_back(std::move(e));
    }
    return out;
}

std::vector<Token> Preprocessor::conditionals(const std::vector<Token> &in) {
    std::vector<Token> out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        const Token &t = in[i];
        if (t.type == StapLexer::PP_THEN || t.type == StapLexer::PP_ELSE ||
            t.type == StapLexer::PP_CLOSE) {
            diag_.error(t.loc, "unexpected '" + t.text + "' outside a '%( ... %)' conditional");
            continue;
        }
        if (t.type != StapLexer::PP_OPEN) {
            out.push_back(t);
            continue;
        }
        // %( cond %? then [%: else] %). The condition is scanned by its own grammar so that an
        // error points at the first token that cannot continue it.
        size_t j = i + 1;
        std::vector<Token> cond;
        if (!scan_condition(in, j, cond))
            return out;
        ++j;
        std::vector<Token> then_part, else_part;
        std::vector<Token> *cur = &then_part;
        int depth = 0;
        for (; j < in.size(); ++j) {
            int ty = in[j].type;
            if (ty == StapLexer::PP_OPEN)
                ++depth;
            else if (ty == StapLexer::PP_CLOSE) {
                if (depth == 0)
                    break;
                --depth;
            } else if (ty == StapLexer::PP_ELSE && depth == 0) {
                if (cur == &else_part) {
                    diag_.error(in[j].loc, "a conditional may have only one '%:'");
                    return out;
                }
                cur = &else_part;
                continue;
            }
            cur->push_back(in[j]);
        }
        if (j >= in.size()) {
            diag_.error(t.loc, "missing '%)' for this conditional");
            return out;
        }
        bool value = evaluate(cond);
        for (Token &e : conditionals(value ? then_part : else_part))
            out.push_back(std::move(e));
        i = j;  // at '%)'
    }
    return out;
}

// COND := TERM (('&&' | '||') TERM)*, TERM := OPERAND OP LITERAL: collects the condition's
// tokens starting at in[j] and leaves j at the '%?' that must follow.
bool Preprocessor::scan_condition(const std::vector<Token> &in, size_t &j,
                                  std::vector<Token> &cond) {
    const Token &open = in[j - 1];
    auto at_end = [&] { return j >= in.size(); };
    // A condition cut short by '%?' is reported at its last token.
    auto incomplete = [&]() {
        if (!at_end() && in[j].type == StapLexer::PP_THEN) {
            diag_.error(cond.empty() ? open.loc : cond.back().loc,
                        cond.empty() ? "empty preprocessor condition"
                                     : "incomplete preprocessor condition");
            return true;
        }
        return false;
    };
    auto fail = [&](const std::string &msg) {
        diag_.error(at_end() ? (in.empty() ? SourceLoc{} : in.back().loc) : in[j].loc, msg);
        return false;
    };
    auto literal = [&](bool allow_ident) {
        if (at_end())
            return false;
        if (in[j].type == StapLexer::DOLLAR_ARG || in[j].type == StapLexer::AT_ARG) {
            missing_argument(in[j]);
            j = in.size();
            return false;
        }
        if (allow_ident && in[j].type == StapLexer::IDENT) {
            cond.push_back(in[j++]);
            return true;
        }
        if (in[j].type == StapLexer::MINUS && j + 1 < in.size() &&
            in[j + 1].type == StapLexer::NUMBER) {
            cond.push_back(in[j++]);
            cond.push_back(in[j++]);
            return true;
        }
        if (in[j].type == StapLexer::NUMBER || in[j].type == StapLexer::STRING) {
            cond.push_back(in[j++]);
            return true;
        }
        return false;
    };
    for (;;) {
        if (incomplete())
            return false;
        if (!literal(true))
            return at_end() ? false : fail("expected a name (arch, runtime, systemtap_v, kernel_v...) or a literal "
                        "in preprocessor condition");
        if (at_end())
            return fail("incomplete preprocessor condition");
        int op = in[j].type;
        if (op != StapLexer::EQ && op != StapLexer::NE && op != StapLexer::LT &&
            op != StapLexer::LE && op != StapLexer::GT && op != StapLexer::GE)
            return fail("expected a comparison operator in preprocessor condition");
        cond.push_back(in[j++]);
        if (incomplete())
            return false;
        if (!literal(false))
            return at_end() ? false
                            : fail("expected a number or string in preprocessor condition");
        if (!at_end() && (in[j].type == StapLexer::ANDAND || in[j].type == StapLexer::OROR)) {
            cond.push_back(in[j++]);
            continue;
        }
        if (at_end() || in[j].type != StapLexer::PP_THEN)
            return fail("expected '&&', '||' or '%?' in preprocessor condition");
        return true;
    }
}

// COND := TERM (('&&' | '||') TERM)*, '&&' binding tighter; TERM := OPERAND OP LITERAL.
bool Preprocessor::evaluate(const std::vector<Token> &cond) {
    size_t i = 0;
    bool ok = true;
    auto fail = [&](const Token &at, const std::string &msg) {
        if (ok)
            diag_.error(at.loc, msg);
        ok = false;
        return false;
    };
    auto literal = [&](std::string &s, bool &is_num) -> bool {
        if (i >= cond.size())
            return fail(cond.back(), "incomplete preprocessor condition");
        bool neg = false;
        if (cond[i].type == StapLexer::MINUS) {
            neg = true;
            ++i;
        }
        if (i >= cond.size())
            return fail(cond.back(), "incomplete preprocessor condition");
        if (cond[i].type == StapLexer::NUMBER) {
            is_num = true;
            s = std::to_string((neg ? -1 : 1) * std::strtoll(cond[i].text.c_str(), nullptr, 0));
        } else if (cond[i].type == StapLexer::STRING && !neg) {
            is_num = false;
            s = unquote(cond[i].text);
        } else {
            return fail(cond[i], "expected a number or string in preprocessor condition");
        }
        ++i;
        return true;
    };
    auto term = [&]() -> bool {
        if (i >= cond.size())
            return fail(cond.back(), "incomplete preprocessor condition");
        const Token &lhs_tok = cond[i];
        std::string lhs;
        bool lhs_num = false;
        enum { Glob, Version, Plain } mode = Plain;
        if (lhs_tok.type == StapLexer::IDENT) {
            const std::string &n = lhs_tok.text;
            ++i;
            if (n == "arch") {
                lhs = config_.arch;
                mode = Glob;
            } else if (n == "runtime") {
                lhs = config_.runtime;
                mode = Glob;
            } else if (n == "systemtap_v") {
                lhs = config_.systemtap_v;
                mode = Version;
            } else if (n == "kernel_v" || n == "kernel_vr") {
                struct utsname u {};
                uname(&u);
                lhs = u.release;
                if (n == "kernel_v")
                    lhs = lhs.substr(0, lhs.find('-'));
                mode = Version;
            } else if (n == "systemtap_privilege") {
                lhs = "stapdev";
                mode = Glob;
            } else if (n == "guru_mode") {
                lhs = "0";
                lhs_num = true;
            } else if (n.rfind("CONFIG_", 0) == 0) {
                lhs = "";  // ktap traces user space: no kernel configuration applies
                mode = Glob;
            } else {
                return fail(lhs_tok, "unknown preprocessor condition '" + n +
                                         "': expected arch, runtime, systemtap_v, kernel_v, "
                                         "kernel_vr, guru_mode or a literal");
            }
        } else if (!literal(lhs, lhs_num)) {
            return false;
        }
        if (i >= cond.size())
            return fail(cond.back(), "expected a comparison operator in preprocessor condition");
        int op = cond[i].type;
        const Token &op_tok = cond[i];
        if (op != StapLexer::EQ && op != StapLexer::NE && op != StapLexer::LT &&
            op != StapLexer::LE && op != StapLexer::GT && op != StapLexer::GE)
            return fail(op_tok, "expected a comparison operator in preprocessor condition");
        ++i;
        std::string rhs;
        bool rhs_num = false;
        if (!literal(rhs, rhs_num))
            return false;
        bool equality = op == StapLexer::EQ || op == StapLexer::NE;
        if (mode == Glob && !equality)
            return fail(op_tok, "'" + lhs_tok.text + "' can only be compared with '==' or '!='");
        if (mode == Version && !equality && rhs.find_first_of("*?[") != std::string::npos)
            return fail(op_tok, "a wildcard version can only be compared with '==' or '!='");
        int cmp;
        if (mode == Glob && equality) {
            cmp = fnmatch(rhs.c_str(), lhs.c_str(), 0) == 0 ? 0 : 1;
        } else if (mode == Version && equality && rhs.find_first_of("*?[") != std::string::npos) {
            cmp = fnmatch(rhs.c_str(), lhs.c_str(), 0) == 0 ? 0 : 1;
        } else if (mode == Version) {
            cmp = strverscmp(lhs.c_str(), rhs.c_str());
        } else if (lhs_num && rhs_num) {
            long long a = std::stoll(lhs), b = std::stoll(rhs);
            cmp = a < b ? -1 : a > b ? 1 : 0;
        } else if (lhs_num != rhs_num && mode == Plain) {
            return fail(op_tok, "preprocessor condition compares a number with a string");
        } else {
            cmp = lhs.compare(rhs);
        }
        switch (op) {
        case StapLexer::EQ: return cmp == 0;
        case StapLexer::NE: return cmp != 0;
        case StapLexer::LT: return cmp < 0;
        case StapLexer::LE: return cmp <= 0;
        case StapLexer::GT: return cmp > 0;
        default: return cmp >= 0;
        }
    };
    // OR of ANDs.
    bool result = false;
    bool conj = term();
    while (ok && i < cond.size()) {
        int ty = cond[i].type;
        if (ty == StapLexer::ANDAND) {
            ++i;
            bool t = term();
            conj = conj && t;
        } else if (ty == StapLexer::OROR) {
            ++i;
            result = result || conj;
            conj = term();
        } else {
            fail(cond[i], "expected '&&', '||' or '%?' in preprocessor condition");
        }
    }
    return ok && (result || conj);
}

} // namespace ktap
