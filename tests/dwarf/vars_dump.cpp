// vars_dump PROG GLOB [return]: what compiler/dwarf (DebugInfo) says about the functions of PROG
// whose source name matches GLOB, printed as stap -L lines (docs/stap-target-formats.md §2):
//   process("PROG").function("NAME@FILE:LINE")[.return] [$return:TYPE] $PARAM:TYPE... $LOCAL:TYPE...
// sorted as text. dwarf.reader.<variant> compares it with the golden -L files, so the reader's
// names, files, lines and type spellings are checked before ktap -L prints them.
#include "debuginfo.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

using namespace ktap::dwarf;

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: vars_dump PROG GLOB [return]\n");
        return 2;
    }
    std::string prog = argv[1], glob = argv[2];
    bool ret = argc > 3 && std::string(argv[3]) == "return";
    std::string error;
    auto di = DebugInfo::open(prog, error);
    if (!di) {
        std::fprintf(stderr, "vars_dump: %s: %s\n", prog.c_str(), error.c_str());
        return 1;
    }
    std::set<std::string> lines;
    int status = 0;
    for (const Function &f : di->functions()) {
        if (fnmatch(glob.c_str(), f.name.c_str(), 0) != 0)
            continue;
        std::string line = "process(\"" + prog + "\").function(\"" + f.name + "@" + f.decl_file +
                           ":" + std::to_string(f.decl_line) + "\")" + (ret ? ".return" : "");
        std::vector<std::string> args;
        if (ret) {
            Variable rv;
            std::string rerr;
            if (!di->return_value(f, rv, rerr)) {
                std::fprintf(stderr, "vars_dump: %s: return_value: %s\n", f.name.c_str(), rerr.c_str());
                status = 1;
            } else if (rv.type) {
                args.push_back("$return:" + rv.type->name);
            }
        }
        std::vector<Variable> params, locals;
        std::string verr;
        if (!di->variables_at_entry(f, params, locals, verr)) {
            std::fprintf(stderr, "vars_dump: %s: variables_at_entry: %s\n", f.name.c_str(), verr.c_str());
            status = 1;
        }
        for (const auto *list : {&params, &locals})
            for (const Variable &v : *list) {
                if (v.name.empty() || !v.type)
                    continue;
                std::string a = "$" + v.name + ":" + v.type->name;
                if (std::find(args.begin(), args.end(), a) == args.end())
                    args.push_back(a);
            }
        for (const auto &a : args)
            line += " " + a;
        lines.insert(line);
    }
    for (const auto &l : lines)
        std::printf("%s\n", l.c_str());
    return status;
}
