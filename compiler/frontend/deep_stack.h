// The parser, AST builder, printers and checker recurse over the script's nesting. Running
// them on a thread with a large stack turns "deeply nested input" from a crash into a limit
// that the parser reports (see kMaxNesting in parser.cpp).
#pragma once

#include <functional>

namespace ktap {

// Runs `work` to completion on a thread with a 512 MiB stack (reserved, not committed).
// Exceptions thrown by `work` are rethrown here.
void run_on_large_stack(const std::function<void()> &work);

} // namespace ktap
