// Where handlers run. The controller itself (LocalExecutor) for begin/end/error/timer probes,
// or a separate executor process (ProcessExecutor: runtime for x86_64 or i386) that maps the
// same state and code arenas — the model of the traced process, without attaching.
#pragma once

#include "../backend/code_arena.h"

#include <cstdint>
#include <map>
#include <memory>
#include <string>

namespace ktap {

struct HandlerResult {
    int32_t error = 0;
    std::string message;  // the runtime error's text
    std::string where;    // "operator '/' at file:line:col"
};

class Executor {
  public:
    virtual ~Executor() = default;
    // Maps the code arena executable for this executor and reports the addresses of the
    // runtime functions that generated code calls.
    virtual bool start(int state_fd, size_t state_bytes, CodeArena &code,
                       std::map<std::string, uint64_t> &symbols, std::string &error) = 0;
    virtual void set_probe_name(size_t probe, const std::string &name) = 0;
    // Runs one handler to completion. May be called from several threads.
    virtual void run(size_t probe, uint64_t address, void *state, HandlerResult &result) = 0;
};

std::unique_ptr<Executor> make_local_executor();
// `program` is the executor binary (ktap-exec or ktap-exec32).
std::unique_ptr<Executor> make_process_executor(const std::string &program);

// The executor binary for an architecture, next to the ktap binary (libexec/).
std::string executor_program(const std::string &arch);

} // namespace ktap
