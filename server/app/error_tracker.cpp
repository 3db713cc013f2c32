#include "server/app/error_tracker.hpp"

// libbacktrace (GCC's, Debian's gcc package) reads the binary's own line tables in
// process: names and lines without addr2line, and correct for PIE executables.
#define BOOST_STACKTRACE_USE_BACKTRACE
#include <boost/core/demangle.hpp>
#include <boost/stacktrace.hpp>
#include <typeinfo>

#ifndef CP_BUILD_VERSION
#define CP_BUILD_VERSION "dev"
#endif

namespace {

thread_local cp::server::ThrowSite t_last_throw;
thread_local bool t_in_hook = false;

}  // namespace

// Every `throw` in code linked with -Wl,--wrap=__cxa_throw comes here first (cmake/native.cmake):
// the only moment the thrower's stack still exists. Collecting raw frames costs a few
// microseconds; symbolizing waits for a capture.
extern "C" {
[[noreturn]] void __real___cxa_throw(void* object, std::type_info* type, void (*destructor)(void*));

[[noreturn]] void __wrap___cxa_throw(void* object, std::type_info* type, void (*destructor)(void*)) {
    if (!t_in_hook) {
        t_in_hook = true;
        try {
            boost::stacktrace::stacktrace here(1, 48);
            t_last_throw.frames.clear();
            for (const auto& f : here.as_vector()) t_last_throw.frames.push_back(const_cast<void*>(f.address()));
            t_last_throw.type = type ? boost::core::demangle(type->name()) : "unknown";
        } catch (...) {
            t_last_throw = {};  // out of memory: the exception itself still goes on
        }
        t_in_hook = false;
    }
    __real___cxa_throw(object, type, destructor);
}
}

namespace cp::server {

ThrowSite last_throw_site() { return t_last_throw; }

const char* build_version() { return CP_BUILD_VERSION; }

ErrorTracker::ErrorTracker(std::size_t keep, std::size_t queue)
    : keep_(keep), queue_limit_(queue), thread_([this] { run(); }) {}

ErrorTracker::~ErrorTracker() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void ErrorTracker::set_sink(std::shared_ptr<ErrorSink> sink) {
    std::lock_guard lock(mutex_);
    sink_ = std::move(sink);
}

void ErrorTracker::capture(CapturedError error) {
    {
        std::lock_guard lock(mutex_);
        if (pending_.size() >= queue_limit_) {
            ++dropped_;
            return;
        }
        pending_.push_back(std::move(error));
    }
    wake_.notify_one();
}

std::vector<CapturedError> ErrorTracker::recent() const {
    std::lock_guard lock(mutex_);
    return {stored_.rbegin(), stored_.rend()};
}

std::size_t ErrorTracker::dropped() const {
    std::lock_guard lock(mutex_);
    return dropped_;
}

void ErrorTracker::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
        if (pending_.empty()) return;  // stopping, and nothing left
        CapturedError e = std::move(pending_.front());
        pending_.pop_front();
        auto sink = sink_;
        lock.unlock();
        for (void* address : e.raw_frames) {
            boost::stacktrace::frame f(address);
            std::string name = f.name();
            const std::string file = f.source_file();
            if (name.empty()) name = "??";
            if (!file.empty()) name += " at " + file + ":" + std::to_string(f.source_line());
            e.frames.push_back(std::move(name));
        }
        if (sink) sink->submit(e);
        lock.lock();
        stored_.push_back(std::move(e));
        while (stored_.size() > keep_) stored_.pop_front();
    }
}

}  // namespace cp::server
