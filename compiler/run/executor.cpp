#include "executor.h"

#include "host_helpers.h"
#include "host_symbols.h"
#include "kt_lang.h"

#include <cerrno>
#include <fcntl.h>
#include <csignal>
#include <cstring>
#include <mutex>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace ktap {

namespace {

class LocalExecutor final : public Executor {
  public:
    bool start(int, size_t, CodeArena &code, std::map<std::string, uint64_t> &symbols,
               std::string &error) override {
        symbols = host_symbols();
        return code.map_executable_here(error);
    }

    void set_probe_name(size_t probe, const std::string &name) override {
        ktap_host_set_probe_name(static_cast<int32_t>(probe), name.c_str());
    }

    void run(size_t probe, uint64_t address, void *state, HandlerResult &result) override {
        kt_ctx ctx;
        kt_ctx_init(&ctx, state, static_cast<int32_t>(probe));
        thread_local int32_t tid = static_cast<int32_t>(gettid());
        if (kt_slot_claim(&ctx, tid) < 0) {
            ktap_skipped(&ctx);
            return;
        }
        reinterpret_cast<void (*)(kt_ctx *)>(address)(&ctx);
        result.error = ctx.error;
        if (ctx.error) {
            result.message = ctx.errmsg;
            result.where = ctx.where ? ctx.where : "";
        }
    }
};

class ProcessExecutor final : public Executor {
  public:
    explicit ProcessExecutor(std::string program) : program_(std::move(program)) {}

    ~ProcessExecutor() override {
        if (cmd_) {
            fputs("quit\n", cmd_);
            fclose(cmd_);
        }
        if (reply_)
            fclose(reply_);
        if (pid_ > 0)
            waitpid(pid_, nullptr, 0);
    }

    bool start(int state_fd, size_t state_bytes, CodeArena &code,
               std::map<std::string, uint64_t> &symbols, std::string &error) override {
        code_ = &code;
        int to_child[2], from_child[2];
        if (pipe2(to_child, O_CLOEXEC) != 0 || pipe2(from_child, O_CLOEXEC) != 0) {
            error = std::string("pipe: ") + strerror(errno);
            return false;
        }
        // The child sees the arenas and pipes at fixed descriptors 3..6.
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, state_fd, 3);
        posix_spawn_file_actions_adddup2(&fa, code.fd(), 4);
        posix_spawn_file_actions_adddup2(&fa, to_child[0], 5);
        posix_spawn_file_actions_adddup2(&fa, from_child[1], 6);
        std::string sb = std::to_string(state_bytes), cb = std::to_string(code.size());
        char *argv[] = {const_cast<char *>(program_.c_str()), const_cast<char *>("3"),
                        sb.data(), const_cast<char *>("4"), cb.data(), const_cast<char *>("5"),
                        const_cast<char *>("6"), nullptr};
        int rc = posix_spawn(&pid_, program_.c_str(), &fa, nullptr, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
        close(to_child[0]);
        close(from_child[1]);
        if (rc != 0) {
            error = "cannot start the executor '" + program_ + "': " + strerror(rc);
            close(to_child[1]);
            close(from_child[0]);
            return false;
        }
        cmd_ = fdopen(to_child[1], "w");
        reply_ = fdopen(from_child[0], "r");
        char line[512];
        while (fgets(line, sizeof line, reply_)) {
            char name[256];
            unsigned long long addr;
            if (sscanf(line, "base %llx", &addr) == 1) {
                code.set_executor_base(addr);
            } else if (sscanf(line, "sym %255s %llx", name, &addr) == 2) {
                symbols[name] = addr;
            } else if (strncmp(line, "end", 3) == 0) {
                return true;
            }
        }
        error = "the executor '" + program_ + "' ended before reporting its symbols";
        return false;
    }

    void set_probe_name(size_t probe, const std::string &name) override {
        std::lock_guard<std::mutex> lock(mutex_);
        fprintf(cmd_, "name %zu %s\n", probe, name.c_str());
    }

    void run(size_t probe, uint64_t address, void *, HandlerResult &result) override {
        std::lock_guard<std::mutex> lock(mutex_);
        fprintf(cmd_, "run %zu %llx\n", probe, static_cast<unsigned long long>(address));
        fflush(cmd_);
        char line[1024];
        if (!fgets(line, sizeof line, reply_)) {
            result.error = KT_ERR_ABORT;
            result.message = "the executor process died";
            return;
        }
        line[strcspn(line, "\n")] = '\0';
        int err = 0;
        unsigned long long where = 0;
        int consumed = 0;
        if (sscanf(line, "done %d %llx %n", &err, &where, &consumed) < 2) {
            result.error = KT_ERR_ABORT;
            result.message = "bad reply from the executor";
            return;
        }
        result.error = err;
        if (err) {
            result.message = line + consumed;
            // `where` points into the code arena's read-only data, in the executor's view.
            if (where >= code_->executor_base() && where < code_->executor_base() + code_->size())
                result.where = code_->local(where);
        }
    }

  private:
    std::string program_;
    CodeArena *code_ = nullptr;
    pid_t pid_ = -1;
    FILE *cmd_ = nullptr;
    FILE *reply_ = nullptr;
    std::mutex mutex_;
};

} // namespace

std::unique_ptr<Executor> make_local_executor() { return std::make_unique<LocalExecutor>(); }

std::unique_ptr<Executor> make_process_executor(const std::string &program) {
    return std::make_unique<ProcessExecutor>(program);
}

std::string executor_program(const std::string &arch) {
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    std::string dir = ".";
    if (n > 0) {
        self[n] = '\0';
        dir = self;
        dir.resize(dir.rfind('/'));
    }
    return dir + "/libexec/" + (arch == "i386" ? "ktap-exec32" : "ktap-exec");
}

} // namespace ktap
