#include "command.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sys/stat.h>
#include <unistd.h>

namespace ktap {

namespace {

bool is_executable_file(const std::string &path, int &err) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) {
        err = errno;
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        err = EISDIR;
        return false;
    }
    if (access(path.c_str(), X_OK) != 0) {
        err = errno;
        return false;
    }
    return true;
}

// Finds PROGRAM as execvp would: a name containing '/' is used as is, others are searched in
// $PATH (default /usr/local/bin:/usr/bin:/bin).
bool find_program(const std::string &program, std::string &path, std::string &error) {
    int err = 0;
    if (program.find('/') != std::string::npos) {
        if (!is_executable_file(program, err)) {
            error = "cannot run '" + program + "': " + strerror(err);
            return false;
        }
        path = program;
        return true;
    }
    const char *env = getenv("PATH");
    std::string dirs = env && *env ? env : "/usr/local/bin:/usr/bin:/bin";
    int first_err = 0;
    size_t at = 0;
    for (;;) {
        size_t colon = dirs.find(':', at);
        std::string dir =
            dirs.substr(at, colon == std::string::npos ? std::string::npos : colon - at);
        std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
        if (is_executable_file(candidate, err)) {
            path = candidate;
            return true;
        }
        if (err == EACCES && !first_err)
            first_err = err;
        if (colon == std::string::npos)
            break;
        at = colon + 1;
    }
    if (first_err)
        error = "cannot run '" + program + "': " + strerror(first_err);
    else
        error = "cannot run '" + program + "': command not found";
    return false;
}

// A word of the top level of a shell command: where it starts in the text and its text.
struct Word {
    size_t pos;
    std::string text;
};

// Splits a shell command into top-level words. Returns false when it is not one simple
// command (an operator | & ; ( ) or a newline outside quotes, a comment, unbalanced quotes).
bool simple_command_words(const std::string &s, std::vector<Word> &words) {
    size_t n = s.size(), i = 0;
    bool in_word = false;
    auto begin_word = [&](size_t at) {
        if (!in_word) {
            words.push_back({at, ""});
            in_word = true;
        }
    };
    // Skips a quoted or nested construct starting at i; returns false when unbalanced.
    auto skip_to = [&](char close) {
        size_t j = i + 1;
        while (j < n && s[j] != close) {
            if (s[j] == '\\' && close != '\'')
                ++j;
            ++j;
        }
        if (j >= n)
            return false;
        i = j + 1;
        return true;
    };
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\t') {
            in_word = false;
            ++i;
            continue;
        }
        if (c == '\n' || c == ';' || c == '|' || c == '(' || c == ')')
            return false;
        if (c == '&') {
            // Part of a redirection (2>&1, <&3); otherwise a background or && operator.
            if (!(in_word && i > 0 && (s[i - 1] == '>' || s[i - 1] == '<')))
                return false;
        }
        if (c == '#' && !in_word)
            return false; // a comment: leave it to the shell
        begin_word(i);
        size_t from = i;
        if (c == '\\') {
            if (i + 1 >= n)
                return false;
            i += 2;
        } else if (c == '\'' || c == '"' || c == '`') {
            if (!skip_to(c))
                return false;
        } else if (c == '$' && i + 1 < n && (s[i + 1] == '(' || s[i + 1] == '{')) {
            char open = s[i + 1], close = open == '(' ? ')' : '}';
            int depth = 0;
            size_t j = i + 1;
            for (; j < n; ++j) {
                if (s[j] == '\\') {
                    ++j;
                    continue;
                }
                if (s[j] == '\'' || s[j] == '"' || s[j] == '`') {
                    char q = s[j];
                    for (++j; j < n && s[j] != q; ++j)
                        if (s[j] == '\\' && q != '\'')
                            ++j;
                    if (j >= n)
                        return false;
                    continue;
                }
                if (s[j] == open)
                    ++depth;
                else if (s[j] == close && --depth == 0)
                    break;
            }
            if (j >= n)
                return false;
            i = j + 1;
        } else {
            ++i;
        }
        words.back().text += s.substr(from, i - from);
    }
    return true;
}

bool is_assignment(const std::string &w) {
    size_t eq = w.find('=');
    if (eq == std::string::npos || eq == 0)
        return false;
    if (!(isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_'))
        return false;
    for (size_t i = 1; i < eq; ++i)
        if (!(isalnum(static_cast<unsigned char>(w[i])) || w[i] == '_'))
            return false;
    return true;
}

// 0: not a redirection; 1: a redirection with its target in the same word (2>file, >&2);
// 2: an operator alone (>, 2>>, <&): the next word is its target.
int redirection_kind(const std::string &w) {
    size_t i = 0;
    while (i < w.size() && isdigit(static_cast<unsigned char>(w[i])))
        ++i;
    if (i >= w.size() || (w[i] != '<' && w[i] != '>'))
        return 0;
    size_t j = i + 1;
    while (j < w.size() && (w[j] == '<' || w[j] == '>' || w[j] == '&' || w[j] == '|'))
        ++j;
    return j == w.size() ? 2 : 1;
}

// Words after which `exec` must not be inserted: reserved words and builtins that have no
// program of the same name the shell could exec.
const std::set<std::string> &not_execable() {
    static const std::set<std::string> words = {
        "!",     "{",        "}",      "[[",      "case",    "do",       "done",
        "elif",  "else",     "esac",   "fi",      "for",     "function", "if",
        "in",    "select",   "then",   "until",   "while",   ".",        ":",
        "alias", "bg",       "break",  "cd",      "command", "continue", "eval",
        "exit",  "export",   "fg",     "getopts", "hash",    "jobs",     "local",
        "read",  "readonly", "return", "set",     "shift",   "source",   "times",
        "trap",  "type",     "ulimit", "umask",   "unalias", "unset",    "wait"};
    return words;
}

} // namespace

bool command_needs_shell(const std::string &command) {
    return command.find_first_of("|&;<>()$`\\\"'*?[]#~=%\n") != std::string::npos;
}

bool plan_command(const std::string &command, CommandPlan &plan, std::string &error) {
    plan = CommandPlan{};
    if (command.find_first_not_of(" \t\n") == std::string::npos) {
        error = "empty command";
        return false;
    }
    if (!command_needs_shell(command)) {
        size_t at = 0;
        while (at < command.size()) {
            size_t b = command.find_first_not_of(" \t", at);
            if (b == std::string::npos)
                break;
            size_t e = command.find_first_of(" \t", b);
            plan.argv.push_back(
                command.substr(b, e == std::string::npos ? std::string::npos : e - b));
            at = e == std::string::npos ? command.size() : e;
        }
        if (!find_program(plan.argv[0], plan.path, error))
            return false;
        plan.execs = 1;
        return true;
    }
    plan.shell = true;
    plan.path = "/bin/sh";
    plan.script = command;
    plan.execs = 1;
    std::vector<Word> words;
    if (simple_command_words(command, words)) {
        // The command word: the first word that is neither an assignment nor a redirection.
        const Word *cmd = nullptr;
        for (size_t i = 0; i < words.size(); ++i) {
            int r = redirection_kind(words[i].text);
            if (r == 2) {
                ++i;
                continue;
            }
            if (r == 1 || is_assignment(words[i].text))
                continue;
            cmd = &words[i];
            break;
        }
        if (cmd && cmd->text == "exec") {
            plan.execs = 2;
        } else if (cmd && !not_execable().count(cmd->text)) {
            plan.script = command.substr(0, cmd->pos) + "exec " + command.substr(cmd->pos);
            plan.execs = 2;
        }
    }
    plan.argv = {"sh", "-c", plan.script};
    return true;
}

} // namespace ktap
