// Drives the ANTLR parser over the preprocessed token stream and turns its parse tree into
// the AST. This file and tokens.cpp are the only code that sees ANTLR types.
#include "frontend/parser.h"

#include "StapLexer.h"
#include "StapParser.h"
#include "antlr4-runtime.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>

namespace ktap {

using grammar::StapLexer;
using grammar::StapParser;
using antlr4::ParserRuleContext;
using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;

// ---------------------------------------------------------------------------------------------
// Literals

bool parse_number_literal(const std::string &text, int64_t &value, std::string &error) {
    uint64_t v = 0;
    int base = 10;
    size_t i = 0;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
        base = 16;
        i = 2;
    } else if (text.size() > 1 && text[0] == '0') {
        base = 8;
        i = 1;
    }
    for (; i < text.size(); ++i) {
        char c = text[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                               : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
        if (d >= base) {
            error = "invalid digit '" + std::string(1, c) + "' in " +
                    (base == 8 ? "octal" : base == 16 ? "hexadecimal" : "decimal") + " number";
            return false;
        }
        if (v > (UINT64_MAX - d) / base) {
            error = "number '" + text + "' does not fit in 64 bits";
            return false;
        }
        v = v * base + d;
    }
    value = static_cast<int64_t>(v);  // 2^63..2^64-1 wrap, as in stap
    return true;
}

std::string decode_string_literal(const std::string &q) {
    std::string out;
    for (size_t i = 1; i + 1 < q.size(); ++i) {
        char c = q[i];
        if (c != '\\') {
            out += c;
            continue;
        }
        char e = q[++i];
        switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'a': out += '\a'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'v': out += '\v'; break;
        case 'x': {
            int v = 0, n = 0;
            while (n < 2 && i + 1 + 1 < q.size() && isxdigit(static_cast<unsigned char>(q[i + 1]))) {
                char h = q[++i];
                v = v * 16 + (isdigit(static_cast<unsigned char>(h)) ? h - '0' : (tolower(h) - 'a' + 10));
                ++n;
            }
            out += static_cast<char>(v);
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                int v = e - '0', n = 1;
                while (n < 3 && i + 1 + 1 < q.size() && q[i + 1] >= '0' && q[i + 1] <= '7') {
                    v = v * 8 + (q[++i] - '0');
                    ++n;
                }
                out += static_cast<char>(v);
            } else {
                out += e;  // \\ \" \' \? and unknown escapes stand for themselves
            }
        }
    }
    return out;
}

std::string escape_string(const std::string &v) {
    std::string out = "\"";
    for (unsigned char c : v) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                snprintf(buf, sizeof buf, "\\%03o", c);
                out += buf;
            } else {
                out += static_cast<char>(c);
            }
        }
    }
    return out + "\"";
}

namespace {

// ---------------------------------------------------------------------------------------------
// Syntax errors: ANTLR's wording rewritten into language terms; only the first is reported.

class SyntaxErrorListener : public antlr4::BaseErrorListener {
  public:
    SyntaxErrorListener(const std::vector<SourceLoc> &locs, Diagnostics &diag)
        : locs_(locs), diag_(diag) {}

    void syntaxError(antlr4::Recognizer *recognizer, antlr4::Token *offending, size_t, size_t,
                     const std::string &, std::exception_ptr) override {
        if (reported_)
            return;
        reported_ = true;
        SourceLoc loc = offending && offending->getTokenIndex() < locs_.size()
                            ? locs_[offending->getTokenIndex()]
                            : (locs_.empty() ? SourceLoc{} : locs_.back());
        std::string what;
        if (!offending || offending->getType() == antlr4::Token::EOF)
            what = "unexpected end of input";
        else if (offending->getType() == StapLexer::IDENT)
            what = "unexpected identifier '" + offending->getText() + "'";
        else if (offending->getType() == StapLexer::NUMBER)
            what = "unexpected number " + offending->getText();
        else if (offending->getType() == StapLexer::STRING)
            what = "unexpected string " + offending->getText();
        else
            what = "unexpected '" + offending->getText() + "'";
        std::string hint = expected(dynamic_cast<antlr4::Parser *>(recognizer), offending);
        diag_.error(loc, "syntax error: " + what + hint);
    }

    bool reported() const { return reported_; }

  private:
    static std::string list(const std::vector<int> &types) {
        std::string out = ", expected ";
        for (size_t i = 0; i < types.size(); ++i) {
            if (i > 0)
                out += i + 1 == types.size() ? " or " : ", ";
            out += token_type_name(types[i]);
        }
        return out;
    }

    // The hint after "unexpected X": what the parser wanted, named in language terms.
    static std::string expected(antlr4::Parser *parser, antlr4::Token *offending) {
        if (!parser)
            return {};
        antlr4::misc::IntervalSet set;
        try {
            set = parser->getExpectedTokens();
        } catch (...) {
            return {};
        }
        std::set<int> types;
        for (auto t : set.toList())
            types.insert(static_cast<int>(t));
        // Tokens the user can never write are not worth naming.
        for (int hidden : {StapLexer::EMBEDDED_C, StapLexer::UNTERMINATED_EMBEDDED_C,
                           StapLexer::UNTERMINATED_STRING, StapLexer::UNTERMINATED_COMMENT,
                           StapLexer::STRAY, StapLexer::BAD_NUMBER, StapLexer::DOLLAR_ARG,
                           StapLexer::AT_ARG, StapLexer::PP_OPEN, StapLexer::PP_THEN,
                           StapLexer::PP_ELSE, StapLexer::PP_CLOSE})
            types.erase(hidden);
        antlr4::Token *prev = parser->getTokenStream()->index() > 0
                                  ? parser->getTokenStream()->LT(-1)
                                  : nullptr;
        int prev_type = prev ? static_cast<int>(prev->getType()) : -1;
        bool after_operand = prev_type == StapLexer::IDENT || prev_type == StapLexer::NUMBER ||
                             prev_type == StapLexer::STRING || prev_type == StapLexer::RPAREN ||
                             prev_type == StapLexer::RBRACK;
        std::vector<std::string> rules = parser->getRuleInvocationStack();
        std::string rule = rules.empty() ? std::string() : rules.front();
        static const std::set<std::string> pp_rules = {"ppName",      "ppNamePart",
                                                       "keyword",     "ppComponent",
                                                       "probePoints", "probePoint",
                                                       "probePointSeq", "probeDecl"};
        bool in_header = false;
        for (const auto &r : rules)
            in_header |= r == "probeDecl";
        bool in_expression = false;
        for (const auto &r : rules)
            in_expression |= r == "expr" || r == "block";
        if (std::getenv("KTAP_DEBUG_PARSE")) {
            std::cerr << "debug: rule stack:";
            for (const auto &r : rules)
                std::cerr << ' ' << r;
            std::cerr << "; prev " << (prev ? prev->getText() : "-") << "; expected:";
            for (int t : types)
                std::cerr << ' ' << token_type_name(t);
            std::cerr << '\n';
        }
        if (prev_type == StapLexer::PRIVATE)
            return ", expected 'global', 'function' or a variable name after 'private'";
        if (types.size() == 1)
            return list({*types.begin()});
        bool in_brace_list = types.count(StapLexer::RBRACE) && !types.count(StapLexer::LBRACE);
        for (const auto &r : rules)
            in_brace_list |= r == "probePointSeq";
        if (pp_rules.count(rule) && !in_expression && in_brace_list &&
            prev_type != StapLexer::COMMA && prev_type != StapLexer::DOT &&
            prev_type != StapLexer::LBRACE)
            return ", expected ',' or '}' to continue or close the list of probe points";
        if (pp_rules.count(rule) && !in_expression) {
            if (prev_type == StapLexer::PROBE || prev_type == StapLexer::DOT ||
                prev_type == StapLexer::COMMA || prev_type == StapLexer::ASSIGN ||
                prev_type == StapLexer::ADD_ASSIGN || prev_type == StapLexer::LBRACE)
                return ", expected a probe point (such as begin, timer.s(1) or "
                       "process.function(\"name\"))";
            return ", expected '{'";
        }
        if (in_header && rule == "block" && types.count(StapLexer::LBRACE) &&
            !types.count(StapLexer::RBRACE))
            return ", expected '{'";
        if (rule == "functionDecl" && types.count(StapLexer::LBRACE))
            return ", expected '{'";  // (a `:priority` could come first, but rarely does)
        if (rule == "ppParam" || rule == "ppLiteral")
            return types.count(StapLexer::RPAREN) ? ", expected ')'" : ", expected a number or a string";
        if (rule == "typeName")
            return ", expected a type: long or string";
        if (rule == "foreachKeys" || rule == "foreachKey")
            return ", expected a key variable or '[key, ...]'";
        if (types.size() == 1 && *types.begin() == static_cast<int>(antlr4::Token::EOF))
            return ", expected 'probe', 'global', 'function' or the end of the script";
        bool expr = types.count(StapLexer::NUMBER) && types.count(StapLexer::IDENT) &&
                    types.count(StapLexer::STRING);
        // After a complete operand, a missing closer or separator is the likely mistake.
        std::vector<int> closers;
        for (int t : {StapLexer::COMMA, StapLexer::RPAREN, StapLexer::RBRACK, StapLexer::COLON,
                      StapLexer::IN})
            if (types.count(t))
                closers.push_back(t);
        if (expr && after_operand && !closers.empty() &&
            offending && offending->getType() != StapLexer::SEMI)
            return list(closers);
        if (expr && types.count(StapLexer::IF) && types.count(StapLexer::FOREACH))
            return ", expected a statement" +
                   std::string(types.count(StapLexer::RBRACE) ? " or '}'" : "");
        if (expr)
            return ", expected an expression";
        if (types.count(StapLexer::PROBE) && types.count(StapLexer::GLOBAL))
            return ", expected 'probe', 'global' or 'function'";
        if (types.empty() || types.size() > 6)
            return {};
        return list(std::vector<int>(types.begin(), types.end()));
    }

    const std::vector<SourceLoc> &locs_;
    Diagnostics &diag_;
    bool reported_ = false;
};

// Reports the first error and stops: ktap shows one precise syntax error rather than a cascade,
// and ANTLR's token-insertion recovery cannot work on our pre-built token list anyway.
class FirstErrorStrategy : public antlr4::DefaultErrorStrategy {
  public:
    void recover(antlr4::Parser *, std::exception_ptr) override {
        throw antlr4::ParseCancellationException();
    }
    antlr4::Token *recoverInline(antlr4::Parser *recognizer) override {
        antlr4::InputMismatchException e(recognizer);
        reportError(recognizer, e);
        throw antlr4::ParseCancellationException();
    }
};

// ---------------------------------------------------------------------------------------------
// AST builder

class Builder {
  public:
    Builder(const std::vector<SourceLoc> &locs, Diagnostics &diag) : locs_(locs), diag_(diag) {}

    std::unique_ptr<Program> script(StapParser::ScriptContext *ctx, const SourceFile &file);

  private:
    SourceLoc loc(antlr4::Token *t) const {
        if (!t || t->getTokenIndex() >= locs_.size())
            return locs_.empty() ? SourceLoc{} : locs_.back();
        return locs_[t->getTokenIndex()];
    }
    SourceLoc loc(ParserRuleContext *c) const { return loc(c->getStart()); }
    SourceLoc loc(TerminalNode *n) const { return loc(n->getSymbol()); }

    void global_decl(StapParser::GlobalDeclContext *c, Program &p);
    void function_decl(StapParser::FunctionDeclContext *c, Program &p);
    void probe_decl(StapParser::ProbeDeclContext *c, Program &p);
    std::vector<ProbePoint> probe_points(StapParser::ProbePointsContext *c);
    std::vector<std::vector<PPComponent>> component(StapParser::PpComponentContext *c);
    std::vector<std::vector<PPComponent>> sequence(
        const std::vector<StapParser::PpComponentContext *> &parts);
    template <class Context> Literal literal_of(Context *c);
    Literal literal(StapParser::LiteralContext *c);
    Literal pp_literal(StapParser::PpLiteralContext *c);
    int64_t number(antlr4::Token *t, bool negate);
    Type type_of(StapParser::TypeNameContext *c);

    StmtPtr block(StapParser::BlockContext *c);
    StmtPtr statement(StapParser::StatementContext *c);
    StmtPtr foreach_stmt(StapParser::ForeachStmtContext *c);

    ExprPtr expr(StapParser::ExprContext *c) { return assignment(c->assignment()); }
    ExprPtr assignment(StapParser::AssignmentContext *c);
    ExprPtr ternary(StapParser::TernaryContext *c);
    ExprPtr binary_chain(ParserRuleContext *c);
    ExprPtr operand(ParseTree *t);
    ExprPtr array_in(StapParser::ArrayInContext *c);
    ExprPtr unary(StapParser::UnaryContext *c);
    ExprPtr postfix(StapParser::PostfixContext *c);
    ExprPtr primary(StapParser::PrimaryContext *c);
    ExprPtr ident_expr(StapParser::IdentExprContext *c);
    ExprPtr at_call(StapParser::AtCallExprContext *c);
    ExprPtr histogram(StapParser::HistogramOpContext *c);
    ExprPtr key(StapParser::ExprContext *e, antlr4::Token *star, SourceLoc at);
    void target_chain(const std::vector<StapParser::TargetSuffixContext *> &sfx, Expr &e);

    const std::vector<SourceLoc> &locs_;
    Diagnostics &diag_;
};

std::unique_ptr<Program> Builder::script(StapParser::ScriptContext *ctx, const SourceFile &file) {
    auto p = std::make_unique<Program>();
    p->file = &file;
    for (auto *item : ctx->topItem()) {
        if (auto *g = item->globalDecl())
            global_decl(g, *p);
        else if (auto *f = item->functionDecl())
            function_decl(f, *p);
        else if (auto *pr = item->probeDecl())
            probe_decl(pr, *p);
    }
    return p;
}

int64_t Builder::number(antlr4::Token *t, bool negate) {
    int64_t v = 0;
    std::string err;
    if (!parse_number_literal(t->getText(), v, err))
        diag_.error(loc(t), err);
    else if (negate && static_cast<uint64_t>(v) > (uint64_t{1} << 63))
        diag_.error(loc(t), "number '-" + t->getText() + "' does not fit in 64 bits");
    return negate ? static_cast<int64_t>(0ULL - static_cast<uint64_t>(v)) : v;
}

// `literal` (global initialisers) and `ppLiteral` (probe-point parameters) have the same shape:
// an optionally negative number, or adjacent strings glued together.
template <class Context> Literal Builder::literal_of(Context *c) {
    Literal l;
    if (c->NUMBER()) {
        l.number = number(c->NUMBER()->getSymbol(), c->MINUS() != nullptr);
    } else {
        l.is_string = true;
        for (auto *s : c->STRING())
            l.text += decode_string_literal(s->getText());
    }
    return l;
}

Literal Builder::literal(StapParser::LiteralContext *c) { return literal_of(c); }
Literal Builder::pp_literal(StapParser::PpLiteralContext *c) { return literal_of(c); }

Type Builder::type_of(StapParser::TypeNameContext *c) {
    return c->LONG() ? Type::Long : Type::String;
}

void Builder::global_decl(StapParser::GlobalDeclContext *c, Program &p) {
    for (auto *v : c->globalVar()) {
        auto g = std::make_unique<GlobalDecl>();
        g->name = v->IDENT()->getText();
        g->loc = loc(v->IDENT());
        g->loc.length = static_cast<int>(g->name.size());
        if (g->name[0] == '$')
            diag_.error(g->loc, "global name '" + g->name + "' cannot start with '$': that "
                                "names a target variable");
        g->is_private = c->PRIVATE() != nullptr;
        if (v->wrap1 || v->wrap2) {
            g->wrap = true;
            g->declared_array = true;
        }
        if (v->size) {
            g->declared_array = true;
            g->max_entries = number(v->size, false);
            if (g->max_entries <= 0)
                diag_.error(loc(v->size), "array size must be positive");
        }
        if (v->literal()) {
            g->init = literal(v->literal());
            if (g->declared_array)
                diag_.error(loc(v->literal()), "an array cannot have an initial value");
        }
        if (v->wrap1 && v->wrap2)
            diag_.error(loc(v->wrap2), "'%' given twice");
        p.order.emplace_back('g', p.globals.size());
        p.globals.push_back(std::move(g));
    }
}

void Builder::function_decl(StapParser::FunctionDeclContext *c, Program &p) {
    auto f = std::make_unique<FunctionDecl>();
    f->name = c->name->getText();
    f->loc = loc(c->name);
    f->is_private = c->PRIVATE() != nullptr;
    if (c->typeName()) {
        f->ret = type_of(c->typeName());
        f->ret_declared = true;
        f->ret_loc = loc(c->typeName());
    }
    for (auto *pc : c->param()) {
        Param prm;
        prm.name = pc->IDENT()->getText();
        prm.loc = loc(pc->IDENT());
        if (prm.name[0] == '$')
            diag_.error(prm.loc, "parameter '" + prm.name +
                                     "' cannot be named like a target variable");
        if (pc->typeName()) {
            prm.type = type_of(pc->typeName());
            prm.type_loc = loc(pc->typeName());
        }
        for (const auto &other : f->params)
            if (other.name == prm.name)
                diag_.error(prm.loc, "duplicate parameter '" + prm.name + "'",
                            {{other.loc, "first declared here"}});
        f->params.push_back(std::move(prm));
    }
    if (c->priority) {
        f->priority_given = true;
        f->priority = number(c->priority->NUMBER()->getSymbol(), c->priority->MINUS() != nullptr);
    }
    if (f->name[0] == '$')
        diag_.error(f->loc, "function name '" + f->name + "' cannot start with '$'");
    f->body = block(c->block());
    p.order.emplace_back('f', p.functions.size());
    p.functions.push_back(std::move(f));
}

std::vector<std::vector<PPComponent>> Builder::component(StapParser::PpComponentContext *c) {
    std::vector<std::vector<PPComponent>> alts;
    if (auto *name = c->ppName()) {
        PPComponent base;
        base.name = name->getText();
        base.loc = loc(name);
        base.loc.length = static_cast<int>(base.name.size());
        auto *param = c->ppParam();
        if (!param) {
            alts.push_back({base});
        } else {
            for (auto *l : param->ppLiteral()) {
                PPComponent comp = base;
                comp.param = pp_literal(l);
                alts.push_back({comp});
            }
        }
        return alts;
    }
    for (auto *seq : c->probePointSeq())
        for (auto &s : sequence(seq->ppComponent()))
            alts.push_back(std::move(s));
    return alts;
}

// The cartesian product of each component's alternatives, in order.
std::vector<std::vector<PPComponent>> Builder::sequence(
    const std::vector<StapParser::PpComponentContext *> &parts) {
    std::vector<std::vector<PPComponent>> result{{}};
    for (auto *part : parts) {
        auto alts = component(part);
        std::vector<std::vector<PPComponent>> next;
        for (const auto &prefix : result)
            for (const auto &alt : alts) {
                auto combined = prefix;
                combined.insert(combined.end(), alt.begin(), alt.end());
                next.push_back(std::move(combined));
            }
        result = std::move(next);
        if (result.size() > 10000) {
            diag_.error(loc(part), "brace expansion yields too many probe points");
            return {};
        }
    }
    return result;
}

std::vector<ProbePoint> Builder::probe_points(StapParser::ProbePointsContext *c) {
    std::vector<ProbePoint> out;
    for (auto *ppc : c->probePoint()) {
        bool optional = false, sufficient = false;
        for (auto *flag : ppc->ppFlag()) {
            if (flag->QUESTION())
                optional = true;
            else
                sufficient = optional = true;
        }
        for (auto &comps : sequence(ppc->ppComponent())) {
            ProbePoint pp;
            pp.components = std::move(comps);
            pp.optional = optional;
            pp.sufficient = sufficient;
            pp.loc = loc(ppc);
            if (ppc->expr())
                pp.condition = expr(ppc->expr());
            out.push_back(std::move(pp));
        }
    }
    return out;
}

void Builder::probe_decl(StapParser::ProbeDeclContext *c, Program &p) {
    auto blocks = c->block();
    auto lists = c->probePoints();
    auto ops = c->aliasOp();
    if (!ops.empty()) {
        auto alias = std::make_unique<AliasDecl>();
        alias->loc = loc(c);
        // Every list but the last names the alias; each name is a single probe point.
        for (size_t i = 0; i + 1 < lists.size(); ++i) {
            if (lists[i]->probePoint().size() > 1)
                diag_.error(loc(ops[i]), "unexpected '" + ops[i]->getText() +
                                             "' after a list of probe points",
                            {}, "to give an alias several names write: probe a1 = a2 = POINT");
            for (auto &n : probe_points(lists[i]))
                alias->names.push_back(std::move(n));
        }
        alias->targets = probe_points(lists.back());
        alias->is_epilogue = ops[0]->ADD_ASSIGN() != nullptr;
        for (auto *op : ops)
            if ((op->ADD_ASSIGN() != nullptr) != alias->is_epilogue)
                diag_.error(loc(op), "an alias is defined with '=' or with '+=', not both");
        if (alias->is_epilogue) {
            alias->epilogue = block(blocks[0]);
            if (blocks.size() > 1)
                diag_.error(loc(blocks[1]), "a '+=' alias has only an epilogue block");
        } else {
            alias->prologue = block(blocks[0]);
            if (blocks.size() > 1)
                alias->epilogue = block(blocks[1]);
        }
        for (const auto &n : alias->names) {
            if (n.condition)
                diag_.error(n.condition->loc, "an alias name cannot have a condition");
            if (n.optional)
                diag_.error(n.loc, "an alias name cannot be optional ('?' or '!')");
            for (const auto &comp : n.components)
                if (comp.name.find('*') != std::string::npos)
                    diag_.error(comp.loc, "an alias name cannot contain wildcards");
        }
        p.order.emplace_back('a', p.aliases.size());
        p.aliases.push_back(std::move(alias));
        return;
    }
    if (blocks.size() > 1)
        diag_.error(loc(blocks[1]), "only a probe alias ('=') may have a second block");
    auto probe = std::make_unique<ProbeDecl>();
    probe->loc = loc(c);
    probe->points = probe_points(lists[0]);
    probe->body = block(blocks[0]);
    p.order.emplace_back('p', p.probes.size());
    p.probes.push_back(std::move(probe));
}

StmtPtr Builder::block(StapParser::BlockContext *c) {
    auto b = std::make_unique<Stmt>(StmtKind::Block, loc(c));
    for (auto *s : c->statement())
        b->body.push_back(statement(s));
    return b;
}

StmtPtr Builder::statement(StapParser::StatementContext *c) {
    SourceLoc at = loc(c);
    if (auto *s = dynamic_cast<StapParser::BlockStmtContext *>(c))
        return block(s->block());
    if (dynamic_cast<StapParser::NullStmtContext *>(c))
        return std::make_unique<Stmt>(StmtKind::Null, at);
    if (auto *s = dynamic_cast<StapParser::ExprStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::Expr, at);
        st->expr = expr(s->expr());
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::IfStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::If, at);
        st->expr = expr(s->expr());
        for (auto *b : s->statement())
            st->body.push_back(statement(b));
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::WhileStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::While, at);
        st->expr = expr(s->expr());
        st->body.push_back(statement(s->statement()));
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::ForStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::For, at);
        if (s->init)
            st->init = expr(s->init);
        if (s->cond)
            st->expr = expr(s->cond);
        if (s->step)
            st->step = expr(s->step);
        st->body.push_back(statement(s->statement()));
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::ForeachStmtContext *>(c))
        return foreach_stmt(s);
    if (dynamic_cast<StapParser::BreakStmtContext *>(c))
        return std::make_unique<Stmt>(StmtKind::Break, at);
    if (dynamic_cast<StapParser::ContinueStmtContext *>(c))
        return std::make_unique<Stmt>(StmtKind::Continue, at);
    if (dynamic_cast<StapParser::NextStmtContext *>(c))
        return std::make_unique<Stmt>(StmtKind::Next, at);
    if (auto *s = dynamic_cast<StapParser::ReturnStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::Return, at);
        if (s->expr())
            st->expr = expr(s->expr());
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::DeleteStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::Delete, at);
        st->expr = expr(s->expr());
        return st;
    }
    if (auto *s = dynamic_cast<StapParser::TryStmtContext *>(c)) {
        auto st = std::make_unique<Stmt>(StmtKind::Try, at);
        st->body.push_back(block(s->block(0)));
        st->body.push_back(block(s->block(1)));
        if (s->IDENT()) {
            st->catch_var = s->IDENT()->getText();
            st->catch_loc = loc(s->IDENT());
        }
        return st;
    }
    // Embedded C was already rejected by the lexer.
    return std::make_unique<Stmt>(StmtKind::Null, at);
}

StmtPtr Builder::foreach_stmt(StapParser::ForeachStmtContext *c) {
    auto st = std::make_unique<Stmt>(StmtKind::Foreach, loc(c));
    auto *h = c->foreachHead();
    int sorts = 0;
    SourceLoc second_sort;
    auto note_sort = [&](int s, SourceLoc at) {
        if (s != 0 && ++sorts == 2)
            second_sort = at;
    };
    auto sort_of = [](StapParser::SortMarkContext *m) {
        return !m ? 0 : m->PLUS() ? 1 : -1;
    };
    if (h->value) {
        st->value_var = h->value->getText();
        st->value_loc = loc(h->value);
        st->value_sort = sort_of(h->valueSort);
        if (h->valueSort)
            note_sort(st->value_sort, loc(h->valueSort));
    }
    auto *keys = h->foreachKeys();
    st->keys_bracketed = keys->LBRACK() != nullptr;
    for (auto *k : keys->foreachKey()) {
        ForeachKey fk;
        fk.name = k->IDENT()->getText();
        fk.loc = loc(k->IDENT());
        fk.sort = sort_of(k->sortMark());
        if (k->sortMark())
            note_sort(fk.sort, loc(k->sortMark()));
        st->keys.push_back(fk);
    }
    auto *src = h->foreachSource();
    if (auto *hist = src->histogramOp()) {
        st->source = histogram(hist);
    } else if (!src->sliceKey().empty()) {
        auto idx = std::make_unique<Expr>(ExprKind::Index, loc(src->IDENT()));
        idx->text = src->IDENT()->getText();
        for (auto *sk : src->sliceKey())
            idx->args.push_back(key(sk->expr(), sk->STAR() ? sk->STAR()->getSymbol() : nullptr,
                                    loc(sk)));
        st->source = std::move(idx);
    } else {
        auto var = std::make_unique<Expr>(ExprKind::Var, loc(src->IDENT()));
        var->text = src->IDENT()->getText();
        st->source = std::move(var);
    }
    if (h->aggSort) {
        st->sort_aggregate = h->aggSort->getText();
        if (!h->arraySort)
            diag_.error(locs_[std::min(h->aggSort->getTokenIndex() + 1, locs_.size() - 1)],
                        "sorting by " + st->sort_aggregate +
                                             " needs a direction: " + st->sort_aggregate +
                                             "+ or " + st->sort_aggregate + "-");
        static const std::set<std::string> aggs = {"@count", "@sum", "@min", "@max", "@avg"};
        if (!aggs.count(st->sort_aggregate))
            diag_.error(loc(h->aggSort), "cannot sort by '" + st->sort_aggregate +
                                             "': expected @count, @sum, @min, @max or @avg");
    }
    st->array_sort = sort_of(h->arraySort);
    if (h->arraySort)
        note_sort(st->array_sort, loc(h->arraySort));
    if (sorts > 1)
        diag_.error(second_sort, "foreach may sort on only one key or value");
    if (h->limitExpr)
        st->limit = expr(h->limitExpr);
    st->body.push_back(statement(c->statement()));
    return st;
}

ExprPtr Builder::assignment(StapParser::AssignmentContext *c) {
    if (!c->op)
        return ternary(c->ternary());
    auto e = std::make_unique<Expr>(ExprKind::Assign, loc(c->op));
    e->op = c->op->getText();
    e->loc.length = static_cast<int>(e->op.size());
    e->args.push_back(ternary(c->ternary()));
    e->args.push_back(assignment(c->assignment()));
    return e;
}

ExprPtr Builder::ternary(StapParser::TernaryContext *c) {
    ExprPtr cond = binary_chain(c->logicalOr());
    if (!c->QUESTION())
        return cond;
    auto e = std::make_unique<Expr>(ExprKind::Ternary, loc(c->QUESTION()));
    e->args.push_back(std::move(cond));
    e->args.push_back(expr(c->expr(0)));
    e->args.push_back(expr(c->expr(1)));
    return e;
}

// Left-associative chains: operand (op operand)*. Operands are rule contexts, operators are
// terminal nodes, in the order they appear.
ExprPtr Builder::binary_chain(ParserRuleContext *c) {
    ExprPtr lhs;
    std::string op;
    SourceLoc op_loc;
    for (auto *child : c->children) {
        if (auto *term = dynamic_cast<TerminalNode *>(child)) {
            op = term->getText();
            op_loc = loc(term);
            op_loc.length = static_cast<int>(op.size());
            continue;
        }
        ExprPtr rhs = operand(child);
        if (!lhs) {
            lhs = std::move(rhs);
            continue;
        }
        auto e = std::make_unique<Expr>(ExprKind::Binary, op_loc);
        e->op = op;
        e->args.push_back(std::move(lhs));
        e->args.push_back(std::move(rhs));
        lhs = std::move(e);
    }
    return lhs;
}

ExprPtr Builder::operand(ParseTree *t) {
    if (auto *c = dynamic_cast<StapParser::ArrayInContext *>(t))
        return array_in(c);
    if (auto *c = dynamic_cast<StapParser::UnaryContext *>(t))
        return unary(c);
    return binary_chain(dynamic_cast<ParserRuleContext *>(t));
}

ExprPtr Builder::key(StapParser::ExprContext *e, antlr4::Token *star, SourceLoc at) {
    if (star)
        return std::make_unique<Expr>(ExprKind::Wildcard, loc(star));
    if (e)
        return expr(e);
    return std::make_unique<Expr>(ExprKind::Wildcard, at);
}

ExprPtr Builder::array_in(StapParser::ArrayInContext *c) {
    if (!c->IN())
        return binary_chain(c->comparison());
    auto e = std::make_unique<Expr>(ExprKind::In, loc(c->IN()));
    e->loc.length = 2;
    e->text = c->IDENT()->getText();
    if (c->comparison()) {
        e->args.push_back(binary_chain(c->comparison()));
    } else {
        for (auto *k : c->inKey())
            e->args.push_back(key(k->expr(), k->STAR() ? k->STAR()->getSymbol() : nullptr, loc(k)));
    }
    return e;
}

ExprPtr Builder::unary(StapParser::UnaryContext *c) {
    if (c->postfix())
        return postfix(c->postfix());
    std::string op = c->op->getText();
    if (op == "++" || op == "--") {
        auto e = std::make_unique<Expr>(ExprKind::IncDec, loc(c->op));
        e->op = op;
        e->prefix = true;
        e->args.push_back(unary(c->unary()));
        return e;
    }
    ExprPtr operand = unary(c->unary());
    // Fold a negative literal so that -9223372036854775808 stays representable.
    if (op == "-" && operand->kind == ExprKind::Number && operand->text.empty() &&
        c->unary()->postfix() && dynamic_cast<StapParser::NumberExprContext *>(
                                     c->unary()->postfix()->primary()) &&
        !c->unary()->postfix()->op) {
        if (static_cast<uint64_t>(operand->number) > (uint64_t{1} << 63))
            diag_.error(operand->loc, "number '-" + std::to_string(static_cast<uint64_t>(
                                                        operand->number)) +
                                          "' does not fit in 64 bits");
        operand->number = static_cast<int64_t>(0ULL - static_cast<uint64_t>(operand->number));
        operand->loc = loc(c->op);
        operand->op = "-";  // remembers the sign was written, for printing
        return operand;
    }
    auto e = std::make_unique<Expr>(ExprKind::Unary, loc(c->op));
    e->op = op;
    e->args.push_back(std::move(operand));
    return e;
}

ExprPtr Builder::postfix(StapParser::PostfixContext *c) {
    ExprPtr e = primary(c->primary());
    if (!c->op)
        return e;
    auto inc = std::make_unique<Expr>(ExprKind::IncDec, loc(c->op));
    inc->op = c->op->getText();
    inc->args.push_back(std::move(e));
    return inc;
}

ExprPtr Builder::primary(StapParser::PrimaryContext *c) {
    if (auto *n = dynamic_cast<StapParser::NumberExprContext *>(c)) {
        auto e = std::make_unique<Expr>(ExprKind::Number, loc(n));
        e->loc.length = static_cast<int>(n->getText().size());
        e->number = number(n->NUMBER()->getSymbol(), false);
        return e;
    }
    if (auto *s = dynamic_cast<StapParser::StringExprContext *>(c)) {
        auto e = std::make_unique<Expr>(ExprKind::String, loc(s));
        for (auto *t : s->STRING())
            e->text += decode_string_literal(t->getText());
        return e;
    }
    if (auto *p = dynamic_cast<StapParser::ParenExprContext *>(c))
        return expr(p->expr());
    if (auto *call = dynamic_cast<StapParser::CallExprContext *>(c)) {
        auto e = std::make_unique<Expr>(ExprKind::Call, loc(call));
        e->text = call->IDENT()->getText();
        e->loc.length = static_cast<int>(e->text.size());
        if (e->text[0] == '$')
            diag_.error(e->loc, "target variable '" + e->text + "' cannot be called");
        for (auto *a : call->expr())
            e->args.push_back(expr(a));
        return e;
    }
    if (auto *id = dynamic_cast<StapParser::IdentExprContext *>(c))
        return ident_expr(id);
    if (auto *h = dynamic_cast<StapParser::HistogramExprContext *>(c)) {
        ExprPtr e = histogram(h->histogramOp());
        if (h->expr())
            e->hist_index = expr(h->expr());
        return e;
    }
    return at_call(dynamic_cast<StapParser::AtCallExprContext *>(c));
}

// Splits "$var$$" into the target name and its pretty-printing suffix.
static std::string split_pretty(std::string &name) {
    size_t lead = 0;
    while (lead < name.size() && name[lead] == '$')
        ++lead;
    size_t end = name.size();
    while (end > lead && name[end - 1] == '$')
        --end;
    std::string pretty = name.substr(end);
    name.resize(end);
    return pretty;
}

void Builder::target_chain(const std::vector<StapParser::TargetSuffixContext *> &sfx, Expr &e) {
    for (auto *s : sfx) {
        TargetStep step;
        step.loc = loc(s);
        if (s->ARROW()) {
            step.field = s->memberName()->getText();
            if (!e.pretty.empty())
                diag_.error(step.loc, "nothing may follow a pretty-printing '$' suffix");
            e.pretty = split_pretty(step.field);
            if (step.field.empty() || step.field[0] == '$')
                diag_.error(step.loc, "expected a member name after '->'");
        } else {
            step.is_index = true;
            step.index = expr(s->expr());
            if (!e.pretty.empty())
                diag_.error(step.loc, "nothing may follow a pretty-printing '$' suffix");
        }
        e.chain.push_back(std::move(step));
    }
}

ExprPtr Builder::ident_expr(StapParser::IdentExprContext *c) {
    std::string name = c->IDENT()->getText();
    SourceLoc at = loc(c->IDENT());
    at.length = static_cast<int>(name.size());
    if (name[0] == '$') {
        auto e = std::make_unique<Expr>(ExprKind::Target, at);
        e->pretty = split_pretty(name);
        e->text = name;
        if (e->text.size() < 2)
            diag_.error(at, "expected a target variable name after '$'");
        if (c->LBRACK()) {
            auto keys = c->indexKey();
            if (keys.size() != 1)
                diag_.error(at, "a target array takes exactly one index");
            for (auto *k : keys) {
                TargetStep step;
                step.is_index = true;
                step.loc = loc(k);
                step.index = key(k->expr(), k->STAR() ? k->STAR()->getSymbol() : nullptr, loc(k));
                e->chain.push_back(std::move(step));
            }
        }
        target_chain(c->targetSuffix(), *e);
        return e;
    }
    if (!c->targetSuffix().empty())
        diag_.error(loc(c->targetSuffix(0)),
                    "'->' and '[...]' after '" + name + (c->LBRACK() ? "[...]" : "") +
                        "' are only allowed on target variables ($name)");
    if (!c->LBRACK()) {
        auto e = std::make_unique<Expr>(ExprKind::Var, at);
        e->text = name;
        return e;
    }
    auto e = std::make_unique<Expr>(ExprKind::Index, at);
    e->text = name;
    for (auto *k : c->indexKey())
        e->args.push_back(key(k->expr(), k->STAR() ? k->STAR()->getSymbol() : nullptr, loc(k)));
    return e;
}

ExprPtr Builder::histogram(StapParser::HistogramOpContext *c) {
    auto e = std::make_unique<Expr>(ExprKind::Histogram, loc(c));
    e->text = c->hist->getText();
    e->loc.length = static_cast<int>(e->text.size());
    for (auto *a : c->expr())
        e->args.push_back(expr(a));
    size_t want = e->text == "@hist_log" ? 1 : 4;
    if (e->args.size() != want)
        diag_.error(e->loc, e->text + " takes " + std::to_string(want) + " argument" +
                                (want > 1 ? "s" : "") + ", not " +
                                std::to_string(e->args.size()));
    return e;
}

ExprPtr Builder::at_call(StapParser::AtCallExprContext *c) {
    auto e = std::make_unique<Expr>(ExprKind::AtOp, loc(c));
    e->text = c->AT_IDENT()->getText();
    e->loc.length = static_cast<int>(e->text.size());
    for (auto *a : c->expr())
        e->args.push_back(expr(a));
    const std::string &n = e->text;
    size_t lo = 1, hi = 1;
    if (n == "@cast")
        lo = 2, hi = 3;
    else if (n == "@var")
        lo = 1, hi = 2;
    else if (n == "@variance")
        lo = 1, hi = 2;
    if (e->args.size() < lo || e->args.size() > hi)
        diag_.error(e->loc, n + " takes " +
                                (lo == hi ? std::to_string(lo)
                                          : std::to_string(lo) + " to " + std::to_string(hi)) +
                                " argument" + (hi > 1 ? "s" : "") + ", not " +
                                std::to_string(e->args.size()));
    bool chains = n == "@cast" || n == "@var";
    if (!c->targetSuffix().empty() && !chains)
        diag_.error(loc(c->targetSuffix(0)),
                    "'->' and '[...]' may follow only @cast, @var and target variables");
    target_chain(c->targetSuffix(), *e);
    return e;
}

// Keeps the tokens alive for the parser: a TokenSource over our preprocessed vector.
std::vector<std::unique_ptr<antlr4::Token>> to_antlr(const std::vector<Token> &toks,
                                                     const SourceFile &file,
                                                     std::vector<SourceLoc> &locs) {
    std::vector<std::unique_ptr<antlr4::Token>> out;
    out.reserve(toks.size() + 1);
    for (const Token &t : toks) {
        auto ct = std::make_unique<antlr4::CommonToken>(t.type, t.text);
        ct->setLine(t.loc.line);
        ct->setCharPositionInLine(t.loc.col - 1);
        ct->setStartIndex(t.start);
        ct->setStopIndex(t.stop);
        out.push_back(std::move(ct));
        locs.push_back(t.loc);
    }
    // EOF at the end of the file's last line.
    SourceLoc eof;
    eof.file = &file;
    eof.line = static_cast<int>(file.line_starts.size());
    eof.col = static_cast<int>(file.line_text(eof.line).size()) + 1;
    if (eof.line > 1 && file.line_text(eof.line).empty()) {
        eof.line -= 1;
        eof.col = static_cast<int>(file.line_text(eof.line).size()) + 1;
    }
    auto e = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF, "<EOF>");
    e->setLine(eof.line);
    e->setCharPositionInLine(eof.col - 1);
    e->setStartIndex(file.text.size());
    e->setStopIndex(file.text.size() - 1);
    out.push_back(std::move(e));
    locs.push_back(eof);
    return out;
}

// Bounds the recursion of every later pass: brackets and runs of prefix operators.
bool check_nesting(const std::vector<Token> &toks, Diagnostics &diag) {
    constexpr int kMaxNesting = 1000;
    int depth = 0, unary_run = 0;
    for (const Token &t : toks) {
        switch (t.type) {
        case StapLexer::LPAREN:
        case StapLexer::LBRACK:
        case StapLexer::LBRACE:
            ++depth;
            break;
        case StapLexer::RPAREN:
        case StapLexer::RBRACK:
        case StapLexer::RBRACE:
            --depth;
            break;
        default:
            break;
        }
        bool prefix_like = t.type == StapLexer::MINUS || t.type == StapLexer::PLUS ||
                           t.type == StapLexer::BANG || t.type == StapLexer::TILDE ||
                           t.type == StapLexer::AMP || t.type == StapLexer::INC ||
                           t.type == StapLexer::DEC || t.type == StapLexer::IF ||
                           t.type == StapLexer::ELSE || t.type == StapLexer::WHILE ||
                           t.type == StapLexer::QUESTION || t.type == StapLexer::ASSIGN;
        unary_run = prefix_like ? unary_run + 1 : (t.type == StapLexer::RPAREN ? unary_run : 0);
        if (depth > kMaxNesting || unary_run > kMaxNesting) {
            diag.error(t.loc, "the script nests too deeply here (more than " +
                                  std::to_string(kMaxNesting) + " levels)");
            return false;
        }
    }
    return true;
}

} // namespace

std::unique_ptr<Program> parse_file(const SourceFile &file, Preprocessor &pp, Diagnostics &diag) {
    int errors_before = diag.errors();
    std::vector<Token> raw = lex(file, diag);
    if (diag.errors() != errors_before)
        return nullptr;
    std::vector<Token> toks = pp.run(raw);
    if (diag.errors() != errors_before)
        return nullptr;
    if (!check_nesting(toks, diag))
        return nullptr;

    std::vector<SourceLoc> locs;
    antlr4::ListTokenSource source(to_antlr(toks, file, locs));
    antlr4::CommonTokenStream stream(&source);
    StapParser parser(&stream);
    SyntaxErrorListener listener(locs, diag);
    parser.removeErrorListeners();
    parser.addErrorListener(&listener);
    // SLL prediction: exact for this grammar (the corpus checks it) and linear; full-LL
    // prediction took seconds to report an early error before a long expression.
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::SLL);
    parser.setErrorHandler(std::make_shared<FirstErrorStrategy>());
    StapParser::ScriptContext *tree = nullptr;
    try {
        tree = parser.script();
    } catch (antlr4::ParseCancellationException &) {
        tree = nullptr;
    }
    if (!tree && !listener.reported()) {
        diag.error(locs.back(), "syntax error");
        return nullptr;
    }
    if (listener.reported() || diag.errors() != errors_before)
        return nullptr;
    Builder builder(locs, diag);
    auto program = builder.script(tree, file);
    if (diag.errors() != errors_before)
        return nullptr;
    return program;
}

} // namespace ktap
