// Prints an AST back as script text (-p1). The output parses back to an identical tree:
// nested operators are parenthesised, literals are re-escaped.
#pragma once

#include "frontend/ast.h"

#include <ostream>

namespace ktap {

void print_program(std::ostream &out, const Program &p);
void print_probe_point(std::ostream &out, const ProbePoint &pp);
void print_stmt(std::ostream &out, const Stmt &s, int indent);
std::string expr_to_string(const Expr &e);

} // namespace ktap
