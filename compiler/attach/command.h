// How `ktap -c CMD` starts CMD: directly (argv split at blanks, program found in $PATH) or,
// when CMD uses shell syntax, through /bin/sh. Internal to ktap-attach (used by Tracee::spawn).
#pragma once

#include <string>
#include <vector>

namespace ktap {

struct CommandPlan {
    std::string path;              // the file to execve
    std::vector<std::string> argv; // argv[0] first
    // execve events to follow before the final program: 1 when run directly or when the
    // shell itself is the target (compound commands), 2 for /bin/sh -c "... exec PROG ...".
    int execs = 1;
    bool shell = false;
    std::string script; // the script given to /bin/sh -c
};

// True when CMD contains a character that only a shell interprets:
// | & ; < > ( ) $ ` \ " ' * ? [ ] # ~ = % or a newline.
bool command_needs_shell(const std::string &command);

// Builds the plan for CMD. A command that needs a shell and is one simple command (optional
// VAR=value assignments and redirections, a program and its arguments) runs as
// /bin/sh -c "VAR=value ... exec PROG ARGS", so that the traced process ends up being PROG.
// Anything else (pipelines, lists, compound commands, builtins) runs as /bin/sh -c "CMD": the
// shell is then the traced process. Errors: empty command, program not found or not executable.
bool plan_command(const std::string &command, CommandPlan &plan, std::string &error);

} // namespace ktap
