// -p2: the elaborated program, as stap prints it: globals with inferred types, the functions
// that are used, and every probe after alias expansion with its locals.
#include "frontend/ast_printer.h"
#include "sema/elaborate.h"

#include <ostream>

namespace ktap {

namespace {

void print_locals(std::ostream &out, const std::vector<Param> &locals) {
    if (locals.empty())
        return;
    out << "# locals\n";
    for (const auto &l : locals)
        out << l.name << ':' << type_name(l.type) << '\n';
}

} // namespace

void print_elaborated(std::ostream &out, const ElaboratedProgram &p) {
    if (!p.globals.empty())
        out << "# globals\n";
    for (const GlobalDecl *g : p.globals) {
        out << g->name << ':' << type_name(g->type);
        if (g->arity > 0) {
            out << " [";
            for (size_t i = 0; i < g->key_types.size(); ++i)
                out << (i ? ", " : "") << type_name(g->key_types[i]);
            out << ']';
            if (g->max_entries > 0)
                out << " size=" << g->max_entries;
            if (g->wrap)
                out << " wrap";
        }
        if (g->init) {
            out << " = ";
            if (g->init->is_string)
                out << '"' << g->init->text << '"';
            else
                out << g->init->number;
        }
        out << '\n';
    }
    if (!p.functions.empty())
        out << "# functions\n";
    for (const FunctionDecl *f : p.functions) {
        out << f->name << ':' << type_name(f->ret) << " (";
        for (size_t i = 0; i < f->params.size(); ++i)
            out << (i ? ", " : "") << f->params[i].name << ':' << type_name(f->params[i].type);
        out << ')';
        if (f->priority != 0)
            out << " :" << f->priority;
        out << '\n';
        print_locals(out, f->locals);
        print_stmt(out, *f->body, 0);
        out << '\n';
    }
    out << "# probes\n";
    for (const auto &rp : p.probes) {
        print_probe_point(out, rp->point);
        out << " /* <- " << rp->written << " */";
        if (rp->condition)
            out << " if (" << expr_to_string(*rp->condition) << ')';
        out << '\n';
        print_locals(out, rp->locals);
        print_stmt(out, *rp->body, 0);
        out << '\n';
    }
}

} // namespace ktap
