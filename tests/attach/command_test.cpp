// How -c commands are run: directly, or through /bin/sh with `exec` before the program.
#include "attach/command.h"

#include <gtest/gtest.h>

using ktap::CommandPlan;
using ktap::plan_command;

namespace {

CommandPlan plan(const std::string &command) {
    CommandPlan p;
    std::string error;
    EXPECT_TRUE(plan_command(command, p, error)) << command << ": " << error;
    return p;
}

TEST(Command, NeedsShell) {
    EXPECT_FALSE(ktap::command_needs_shell("/bin/echo hi there"));
    EXPECT_FALSE(ktap::command_needs_shell("prog -v --x 1,2"));
    for (const char *c : {"a|b", "a&", "a;b", "a<f", "a>f", "(a)", "$X", "`a`", "a\\ b", "\"a\"",
                          "'a'", "*.c", "a?", "[ab]", "# c", "~/x", "X=1 a", "%1", "a\nb"})
        EXPECT_TRUE(ktap::command_needs_shell(c)) << c;
}

TEST(Command, Direct) {
    CommandPlan p = plan("  /bin/echo   hi  there ");
    EXPECT_FALSE(p.shell);
    EXPECT_EQ(p.path, "/bin/echo");
    EXPECT_EQ(p.argv, (std::vector<std::string>{"/bin/echo", "hi", "there"}));
    EXPECT_EQ(p.execs, 1);
    p = plan("true");
    EXPECT_EQ(p.argv[0], "true");
    EXPECT_NE(p.path.find("/true"), std::string::npos);
}

// One simple command: `exec` goes before the program word, after assignments and
// redirections, so that the shell becomes the program.
TEST(Command, SimpleCommandThroughTheShell) {
    struct {
        const char *in, *script;
    } cases[] = {
        {"prog 'a b'", "exec prog 'a b'"},
        {"X=1 Y='2 3' prog", "X=1 Y='2 3' exec prog"},
        {"prog > out.txt", "exec prog > out.txt"},
        {">out prog", ">out exec prog"},
        {"2> err prog x", "2> err exec prog x"},
        {"prog 2>&1", "exec prog 2>&1"},
        {"prog $(cat args) \"$HOME\"", "exec prog $(cat args) \"$HOME\""},
        {"prog ${X:-a;b}", "exec prog ${X:-a;b}"},
        {"prog `echo a|b`", "exec prog `echo a|b`"},
        {"prog a\\;b", "exec prog a\\;b"},
        {"prog --opt=1", "exec prog --opt=1"},
        {"exec prog x=1", "exec prog x=1"},
    };
    for (const auto &c : cases) {
        CommandPlan p = plan(c.in);
        EXPECT_TRUE(p.shell) << c.in;
        EXPECT_EQ(p.path, "/bin/sh");
        EXPECT_EQ(p.script, c.script) << c.in;
        EXPECT_EQ(p.argv, (std::vector<std::string>{"sh", "-c", c.script}));
        EXPECT_EQ(p.execs, 2) << c.in;
    }
}

// Anything else: the shell runs it and is the traced process.
TEST(Command, CompoundCommandsKeepTheShell) {
    for (const char *c :
         {"echo a | cat", "a; b", "a && b", "a &", "(a)", "a\nb", "X=1", "cd /tmp && prog",
          "if true; then a; fi", "{ a; }", "exit 3 # x", "# comment", "'unbalanced", "X=1 cd /"}) {
        CommandPlan p = plan(c);
        EXPECT_TRUE(p.shell) << c;
        EXPECT_EQ(p.script, c) << c;
        EXPECT_EQ(p.execs, 1) << c;
    }
}

TEST(Command, Errors) {
    CommandPlan p;
    std::string error;
    EXPECT_FALSE(plan_command("   ", p, error));
    EXPECT_EQ(error, "empty command");
    EXPECT_FALSE(plan_command("ktap_no_such_command_xyz", p, error));
    EXPECT_EQ(error, "cannot run 'ktap_no_such_command_xyz': command not found");
    EXPECT_FALSE(plan_command("/tmp", p, error));
    EXPECT_EQ(error, "cannot run '/tmp': Is a directory");
}

} // namespace
