#include "frontend/deep_stack.h"

#include <exception>
#include <pthread.h>
#include <stdexcept>

namespace ktap {

namespace {

struct Job {
    const std::function<void()> *work;
    std::exception_ptr error;
};

void *trampoline(void *arg) {
    auto *job = static_cast<Job *>(arg);
    try {
        (*job->work)();
    } catch (...) {
        job->error = std::current_exception();
    }
    return nullptr;
}

} // namespace

void run_on_large_stack(const std::function<void()> &work) {
    constexpr size_t kStackBytes = 512UL << 20;
    Job job{&work, nullptr};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, kStackBytes);
    pthread_t thread;
    int rc = pthread_create(&thread, &attr, trampoline, &job);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        work();  // no thread to be had: run here, with the ordinary stack
        return;
    }
    pthread_join(thread, nullptr);
    if (job.error)
        std::rethrow_exception(job.error);
}

} // namespace ktap
