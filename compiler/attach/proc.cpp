#include "proc.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <fstream>
#include <signal.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace ktap {

namespace {

bool read_file(const std::string &path, std::string &out) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    out.clear();
    char buf[8192];
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return n == 0;
        }
        out.append(buf, static_cast<size_t>(n));
    }
}

} // namespace

bool read_maps(pid_t pid, std::vector<Mapping> &maps, std::string &error) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/maps", text)) {
        error = "cannot read /proc/" + std::to_string(pid) + "/maps: " + strerror(errno);
        return false;
    }
    maps.clear();
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        // start-end perms offset dev inode [path]
        Mapping m;
        char perms[8] = {};
        unsigned long long start, end, offset, inode;
        unsigned dmaj, dmin;
        int consumed = 0;
        if (sscanf(line.c_str(), "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &offset,
                   &dmaj, &dmin, &inode, &consumed) < 7)
            continue;
        m.start = start;
        m.end = end;
        m.offset = offset;
        m.perms = perms;
        m.inode = inode;
        if (consumed > 0 && static_cast<size_t>(consumed) <= line.size())
            m.path = line.substr(static_cast<size_t>(consumed));
        while (!m.path.empty() && (m.path.back() == ' ' || m.path.back() == '\n'))
            m.path.pop_back();
        maps.push_back(std::move(m));
    }
    return true;
}

std::vector<pid_t> list_tasks(pid_t pid) {
    std::vector<pid_t> tids;
    std::string dir = "/proc/" + std::to_string(pid) + "/task";
    DIR *d = opendir(dir.c_str());
    if (!d)
        return tids;
    while (dirent *e = readdir(d)) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9')
            continue;
        tids.push_back(static_cast<pid_t>(atoi(e->d_name)));
    }
    closedir(d);
    std::sort(tids.begin(), tids.end());
    return tids;
}

char task_state(pid_t pid, pid_t tid) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(tid) + "/stat", text))
        return 0;
    // pid (comm) S ...: comm may contain spaces and parentheses; the state follows the last ')'.
    size_t p = text.rfind(')');
    if (p == std::string::npos || p + 2 >= text.size())
        return 0;
    return text[p + 2];
}

bool is_kernel_thread(pid_t pid) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/stat", text))
        return false;
    size_t p = text.rfind(')');
    if (p == std::string::npos)
        return false;
    // After "pid (comm)": state ppid pgrp session tty_nr tpgid flags
    std::istringstream in(text.substr(p + 1));
    std::string state;
    long ppid, pgrp, session, tty, tpgid;
    unsigned long flags = 0;
    if (!(in >> state >> ppid >> pgrp >> session >> tty >> tpgid >> flags))
        return false;
    return (flags & 0x00200000) != 0; // PF_KTHREAD
}

std::string status_field(pid_t pid, const std::string &field) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/status", text))
        return "";
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.size() > field.size() && line.compare(0, field.size(), field) == 0 &&
            line[field.size()] == ':') {
            size_t v = line.find_first_not_of(" \t", field.size() + 1);
            return v == std::string::npos ? "" : line.substr(v);
        }
    }
    return "";
}

int elf_class_of_file(const std::string &path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char ident[EI_NIDENT];
    ssize_t n = pread(fd, ident, sizeof ident, 0);
    close(fd);
    if (n != static_cast<ssize_t>(sizeof ident) || memcmp(ident, ELFMAG, SELFMAG) != 0)
        return 0;
    if (ident[EI_CLASS] == ELFCLASS64)
        return 64;
    if (ident[EI_CLASS] == ELFCLASS32)
        return 32;
    return 0;
}

int elf_machine_of_file(const std::string &path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    unsigned char head[20];
    ssize_t n = pread(fd, head, sizeof head, 0);
    close(fd);
    if (n != static_cast<ssize_t>(sizeof head) || memcmp(head, ELFMAG, SELFMAG) != 0)
        return 0;
    uint16_t machine;
    memcpy(&machine, head + 18, sizeof machine); // e_machine: same offset in both classes
    return machine;
}

bool read_auxv_entry(pid_t pid, int bits, uint64_t type, uint64_t &value) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/auxv", text))
        return false;
    size_t word = bits == 32 ? 4 : 8;
    for (size_t at = 0; at + 2 * word <= text.size(); at += 2 * word) {
        uint64_t t = 0, v = 0;
        memcpy(&t, text.data() + at, word);
        memcpy(&v, text.data() + at + word, word);
        if (t == AT_NULL)
            break;
        if (t == type) {
            value = v;
            return true;
        }
    }
    return false;
}

std::string signal_name(int sig) {
    const char *abbrev = sigabbrev_np(sig);
    if (abbrev)
        return std::string("SIG") + abbrev;
    return "signal " + std::to_string(sig);
}

std::string describe_wait_status(int status) {
    if (WIFEXITED(status))
        return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
               signal_name(WTERMSIG(status)) + ")" + (WCOREDUMP(status) ? ", core dumped" : "");
    if (WIFSTOPPED(status))
        return "stopped by " + signal_name(WSTOPSIG(status));
    return "changed state (wait status " + std::to_string(status) + ")";
}

std::string process_name(pid_t pid) {
    std::string text;
    if (!read_file("/proc/" + std::to_string(pid) + "/comm", text))
        return "";
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text;
}

} // namespace ktap
