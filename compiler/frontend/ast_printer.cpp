#include "frontend/ast_printer.h"

#include "frontend/parser.h"

#include <sstream>

namespace ktap {

namespace {

void print_expr(std::ostream &out, const Expr &e, bool top);

void print_args(std::ostream &out, const std::vector<ExprPtr> &args) {
    for (size_t i = 0; i < args.size(); ++i) {
        if (i)
            out << ", ";
        print_expr(out, *args[i], true);
    }
}

void print_chain(std::ostream &out, const Expr &e) {
    for (const auto &step : e.chain) {
        if (step.is_index) {
            out << '[';
            print_expr(out, *step.index, true);
            out << ']';
        } else {
            out << "->" << step.field;
        }
    }
    out << e.pretty;
}

void print_number(std::ostream &out, const Expr &e) {
    if (e.number < 0 && e.op == "-")
        out << '-' << (0ULL - static_cast<uint64_t>(e.number));
    else if (e.number < 0)
        out << "0x" << std::hex << static_cast<uint64_t>(e.number) << std::dec;
    else
        out << e.number;
}

void print_expr(std::ostream &out, const Expr &e, bool top) {
    const char *open = top ? "" : "(";
    const char *close = top ? "" : ")";
    switch (e.kind) {
    case ExprKind::Number:
        print_number(out, e);
        break;
    case ExprKind::String:
        out << escape_string(e.text);
        break;
    case ExprKind::Var:
        out << e.text;
        break;
    case ExprKind::Wildcard:
        out << '*';
        break;
    case ExprKind::Index:
        out << e.text << '[';
        print_args(out, e.args);
        out << ']';
        break;
    case ExprKind::Call:
        out << e.text << '(';
        print_args(out, e.args);
        out << ')';
        break;
    case ExprKind::Unary:
        out << e.op << '(';
        print_expr(out, *e.args[0], true);
        out << ')';
        break;
    case ExprKind::Binary:
    case ExprKind::Assign:
        out << open;
        print_expr(out, *e.args[0], false);
        out << ' ' << e.op << ' ';
        // Assignment binds loosest and groups to the right: its right side needs no parens.
        print_expr(out, *e.args[1], e.kind == ExprKind::Assign);
        out << close;
        break;
    case ExprKind::Ternary:
        out << open;
        print_expr(out, *e.args[0], false);
        out << " ? ";
        print_expr(out, *e.args[1], false);
        out << " : ";
        print_expr(out, *e.args[2], false);
        out << close;
        break;
    case ExprKind::IncDec:
        if (e.prefix)
            out << e.op;
        print_expr(out, *e.args[0], false);
        if (!e.prefix)
            out << e.op;
        break;
    case ExprKind::In:
        out << open << '[';
        print_args(out, e.args);
        out << "] in " << e.text << close;
        break;
    case ExprKind::Target:
        out << e.text;
        print_chain(out, e);
        break;
    case ExprKind::AtOp:
        out << e.text << '(';
        print_args(out, e.args);
        out << ')';
        print_chain(out, e);
        break;
    case ExprKind::Histogram:
        out << e.text << '(';
        print_args(out, e.args);
        out << ')';
        if (e.hist_index) {
            out << '[';
            print_expr(out, *e.hist_index, true);
            out << ']';
        }
        break;
    }
}

void indent_to(std::ostream &out, int n) {
    for (int i = 0; i < n; ++i)
        out << "  ";
}

const char *sort_mark(int s) { return s > 0 ? "+" : s < 0 ? "-" : ""; }

void print_literal(std::ostream &out, const Literal &l) {
    if (l.is_string)
        out << escape_string(l.text);
    else
        out << l.number;
}

} // namespace

std::string expr_to_string(const Expr &e) {
    std::ostringstream s;
    print_expr(s, e, true);
    return s.str();
}

void print_stmt(std::ostream &out, const Stmt &s, int indent) {
    switch (s.kind) {
    case StmtKind::Block:
        out << "{\n";
        for (const auto &b : s.body) {
            indent_to(out, indent + 1);
            print_stmt(out, *b, indent + 1);
            out << '\n';
        }
        indent_to(out, indent);
        out << '}';
        break;
    case StmtKind::Null:
        out << ';';
        break;
    case StmtKind::Expr:
        print_expr(out, *s.expr, true);
        out << ';';
        break;
    case StmtKind::If:
        out << "if (";
        print_expr(out, *s.expr, true);
        out << ") ";
        print_stmt(out, *s.body[0], indent);
        if (s.body.size() > 1) {
            out << " else ";
            print_stmt(out, *s.body[1], indent);
        }
        break;
    case StmtKind::While:
        out << "while (";
        print_expr(out, *s.expr, true);
        out << ") ";
        print_stmt(out, *s.body[0], indent);
        break;
    case StmtKind::For:
        out << "for (";
        if (s.init)
            print_expr(out, *s.init, true);
        out << "; ";
        if (s.expr)
            print_expr(out, *s.expr, true);
        out << "; ";
        if (s.step)
            print_expr(out, *s.step, true);
        out << ") ";
        print_stmt(out, *s.body[0], indent);
        break;
    case StmtKind::Foreach:
        out << "foreach (";
        if (!s.value_var.empty())
            out << s.value_var << sort_mark(s.value_sort) << " = ";
        if (s.keys_bracketed)
            out << '[';
        for (size_t i = 0; i < s.keys.size(); ++i)
            out << (i ? ", " : "") << s.keys[i].name << sort_mark(s.keys[i].sort);
        if (s.keys_bracketed)
            out << ']';
        out << " in ";
        print_expr(out, *s.source, true);
        if (!s.sort_aggregate.empty())
            out << ' ' << s.sort_aggregate;
        out << sort_mark(s.array_sort);
        if (s.limit) {
            out << " limit ";
            print_expr(out, *s.limit, true);
        }
        out << ") ";
        print_stmt(out, *s.body[0], indent);
        break;
    case StmtKind::Break:
        out << "break;";
        break;
    case StmtKind::Continue:
        out << "continue;";
        break;
    case StmtKind::Next:
        out << "next;";
        break;
    case StmtKind::Return:
        out << "return";
        if (s.expr) {
            out << ' ';
            print_expr(out, *s.expr, true);
        }
        out << ';';
        break;
    case StmtKind::Delete:
        out << "delete ";
        print_expr(out, *s.expr, true);
        out << ';';
        break;
    case StmtKind::Try:
        out << "try ";
        print_stmt(out, *s.body[0], indent);
        out << " catch ";
        if (!s.catch_var.empty())
            out << '(' << s.catch_var << ") ";
        print_stmt(out, *s.body[1], indent);
        break;
    }
}

void print_probe_point(std::ostream &out, const ProbePoint &pp) {
    for (size_t i = 0; i < pp.components.size(); ++i) {
        const auto &c = pp.components[i];
        if (i)
            out << '.';
        out << c.name;
        if (c.param) {
            out << '(';
            print_literal(out, *c.param);
            out << ')';
        }
    }
    if (pp.sufficient)
        out << '!';
    else if (pp.optional)
        out << '?';
    if (pp.condition) {
        out << " if (";
        print_expr(out, *pp.condition, true);
        out << ')';
    }
}

static void print_points(std::ostream &out, const std::vector<ProbePoint> &pts) {
    for (size_t i = 0; i < pts.size(); ++i) {
        if (i)
            out << ", ";
        print_probe_point(out, pts[i]);
    }
}

void print_program(std::ostream &out, const Program &p) {
    for (const auto &[kind, index] : p.order) {
        switch (kind) {
        case 'g': {
            const auto &g = *p.globals[index];
            out << (g.is_private ? "private " : "") << "global " << g.name;
            if (g.wrap)
                out << '%';
            if (g.max_entries > 0)
                out << '[' << g.max_entries << ']';
            if (g.init) {
                out << " = ";
                print_literal(out, *g.init);
            }
            out << '\n';
            break;
        }
        case 'f': {
            const auto &f = *p.functions[index];
            out << (f.is_private ? "private " : "") << "function " << f.name;
            if (f.ret_declared)
                out << ':' << type_name(f.ret);
            out << " (";
            for (size_t i = 0; i < f.params.size(); ++i) {
                out << (i ? ", " : "") << f.params[i].name;
                if (f.params[i].type != Type::Unknown)
                    out << ':' << type_name(f.params[i].type);
            }
            out << ')';
            if (f.priority_given)
                out << " :" << f.priority;
            out << ' ';
            print_stmt(out, *f.body, 0);
            out << '\n';
            break;
        }
        case 'p': {
            const auto &pr = *p.probes[index];
            out << "probe ";
            print_points(out, pr.points);
            out << ' ';
            print_stmt(out, *pr.body, 0);
            out << '\n';
            break;
        }
        case 'a': {
            const auto &a = *p.aliases[index];
            out << "probe ";
            for (const auto &n : a.names) {
                print_probe_point(out, n);
                out << (a.is_epilogue ? " += " : " = ");
            }
            print_points(out, a.targets);
            out << ' ';
            if (a.is_epilogue) {
                print_stmt(out, *a.epilogue, 0);
            } else {
                print_stmt(out, *a.prologue, 0);
                if (a.epilogue) {
                    out << ", ";
                    print_stmt(out, *a.epilogue, 0);
                }
            }
            out << '\n';
            break;
        }
        }
    }
}

} // namespace ktap
