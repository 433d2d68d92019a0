#include "frontend/ast.h"

namespace ktap {

const char *type_name(Type t) {
    switch (t) {
    case Type::Long: return "long";
    case Type::String: return "string";
    case Type::Stats: return "stats";
    case Type::Void: return "void";
    default: return "unknown";
    }
}

std::string ProbePoint::str() const {
    std::string out;
    for (const auto &c : components) {
        if (!out.empty())
            out += '.';
        out += c.name;
        if (c.param) {
            out += '(';
            if (c.param->is_string) {
                out += '"';
                out += c.param->text;
                out += '"';
            } else {
                out += std::to_string(c.param->number);
            }
            out += ')';
        }
    }
    return out;
}

ExprPtr clone(const Expr &e) {
    auto c = std::make_unique<Expr>(e.kind, e.loc);
    c->type = e.type;
    c->number = e.number;
    c->text = e.text;
    c->op = e.op;
    c->prefix = e.prefix;
    for (const auto &a : e.args)
        c->args.push_back(a ? clone(*a) : nullptr);
    for (const auto &s : e.chain) {
        TargetStep t;
        t.is_index = s.is_index;
        t.field = s.field;
        t.loc = s.loc;
        if (s.index)
            t.index = clone(*s.index);
        c->chain.push_back(std::move(t));
    }
    c->pretty = e.pretty;
    if (e.hist_index)
        c->hist_index = clone(*e.hist_index);
    return c;
}

StmtPtr clone(const Stmt &s) {
    auto c = std::make_unique<Stmt>(s.kind, s.loc);
    for (const auto &b : s.body)
        c->body.push_back(b ? clone(*b) : nullptr);
    if (s.expr)
        c->expr = clone(*s.expr);
    if (s.init)
        c->init = clone(*s.init);
    if (s.step)
        c->step = clone(*s.step);
    c->value_var = s.value_var;
    c->value_loc = s.value_loc;
    c->value_sort = s.value_sort;
    c->keys = s.keys;
    c->keys_bracketed = s.keys_bracketed;
    if (s.source)
        c->source = clone(*s.source);
    c->sort_aggregate = s.sort_aggregate;
    c->array_sort = s.array_sort;
    if (s.limit)
        c->limit = clone(*s.limit);
    c->catch_var = s.catch_var;
    c->catch_loc = s.catch_loc;
    return c;
}

ProbePoint clone(const ProbePoint &p) {
    ProbePoint c;
    c.components = p.components;
    c.optional = p.optional;
    c.sufficient = p.sufficient;
    c.loc = p.loc;
    if (p.condition)
        c.condition = clone(*p.condition);
    return c;
}

} // namespace ktap
