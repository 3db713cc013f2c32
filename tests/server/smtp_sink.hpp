#pragma once
// A real SMTP server on loopback for the email tests: tests/server/smtp_sink.py under
// Debian's python3 with python3-aiosmtpd, in a temporary directory, stopped (SIGTERM) by
// the destructor. Messages are read back as the JSON the script writes per message.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace cp::test {

class SmtpSink {
public:
    // `fail_first`: the first N messages get 451; `refuse`: every message gets 550.
    explicit SmtpSink(int fail_first = 0, bool refuse = false) {
        dir_ = std::filesystem::temp_directory_path() /
               ("cp-smtp-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        const std::string script = std::string(CP_SOURCE_DIR) + "/tests/server/smtp_sink.py";
        const std::string fail = std::to_string(fail_first);
        pid_ = ::fork();
        if (pid_ == 0) {
            std::vector<const char*> argv = {"/usr/bin/python3", script.c_str(), dir_.c_str(), "--fail-first",
                                             fail.c_str()};
            if (refuse) argv.push_back("--refuse");
            argv.push_back(nullptr);
            ::execv(argv[0], const_cast<char* const*>(argv.data()));
            ::_exit(127);
        }
        for (int i = 0; i < 200 && !std::filesystem::exists(dir_ / "port"); ++i)
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::ifstream in(dir_ / "port");
        if (!(in >> port_)) throw std::runtime_error("the test SMTP server did not start (python3-aiosmtpd?)");
    }
    ~SmtpSink() {
        if (pid_ > 0) {
            ::kill(pid_, SIGTERM);
            ::waitpid(pid_, nullptr, 0);
        }
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

    // Every accepted message so far, in arrival order.
    std::vector<nlohmann::json> messages() const {
        std::vector<std::filesystem::path> files;
        for (const auto& e : std::filesystem::directory_iterator(dir_)) {
            if (e.path().extension() == ".json") files.push_back(e.path());
        }
        std::sort(files.begin(), files.end());
        std::vector<nlohmann::json> out;
        for (const auto& f : files) {
            std::ifstream in(f);
            out.push_back(nlohmann::json::parse(in));
        }
        return out;
    }

    // Waits (real time) until at least `n` messages arrived; returns them.
    std::vector<nlohmann::json> wait_for(std::size_t n, std::chrono::seconds timeout = std::chrono::seconds(30)) const {
        const auto until = std::chrono::steady_clock::now() + timeout;
        auto got = messages();
        while (got.size() < n && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            got = messages();
        }
        return got;
    }

private:
    static int& counter() {
        static int n = 0;
        return n;
    }
    std::filesystem::path dir_;
    pid_t pid_ = -1;
    int port_ = 0;
};

}  // namespace cp::test
