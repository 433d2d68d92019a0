// /proc helpers for compiler/attach: tasks, maps, auxv, status fields, wait-status text.
// Internal to ktap-attach (tracee.h is the public interface), but usable on their own.
#pragma once

#include <cstdint>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ktap {

// One line of /proc/PID/maps.
struct Mapping {
    uint64_t start = 0, end = 0, offset = 0;
    std::string perms; // "r-xp"
    uint64_t inode = 0;
    std::string path; // "" for anonymous mappings; "[stack]", "[vdso]", ... for special ones
};

// Reads /proc/PID/maps in address order. False (with error) when the process is gone.
bool read_maps(pid_t pid, std::vector<Mapping> &maps, std::string &error);

// Thread ids listed in /proc/PID/task (sorted); empty when the process is gone.
std::vector<pid_t> list_tasks(pid_t pid);

// State letter of a thread ('R', 'S', 'D', 'T', 't', 'Z', 'X', ...) from
// /proc/PID/task/TID/stat, or 0 when it is gone.
char task_state(pid_t pid, pid_t tid);

// True when PID is a kernel thread (PF_KTHREAD in /proc/PID/stat).
bool is_kernel_thread(pid_t pid);

// A field of /proc/PID/status ("Tgid", "TracerPid", "SigIgn", ...) without its label;
// "" when the process or the field does not exist.
std::string status_field(pid_t pid, const std::string &field);

// 64 or 32 from the ELF class of a file; 0 when it is not a readable ELF file.
int elf_class_of_file(const std::string &path);
// e_machine of an ELF file (EM_X86_64, EM_386, ...); 0 when it is not a readable ELF file.
int elf_machine_of_file(const std::string &path);

// An auxiliary-vector entry of a process (AT_ENTRY, AT_BASE, ...). `bits` is the process's word
// size: a 32-bit process has a 32-bit auxv.
bool read_auxv_entry(pid_t pid, int bits, uint64_t type, uint64_t &value);

// "exited with status 3", "was killed by signal 9 (SIGKILL)".
std::string describe_wait_status(int status);

// "SIGSEGV", "SIGUSR1", "signal 40".
std::string signal_name(int sig);

// The command name of a process (/proc/PID/comm), "" when gone.
std::string process_name(pid_t pid);

} // namespace ktap
