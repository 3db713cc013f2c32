// The delivery guarantee with real processes: `cp_server` sends an outbox message to a real
// SMTP server and is killed with SIGKILL after the server accepted it and before it marked
// it sent (CP_EMAIL_PAUSE_AFTER_ACCEPT_MS holds it in that window). The restarted server
// sends it again: delivered twice at most, both with the same Message-ID (at-least-once;
// receiving mail systems drop the duplicate by Message-ID), then marked sent and never
// sent a third time.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/server/billing_support.hpp"
#include "tests/server/smtp_sink.hpp"

namespace cp::test {
namespace {

std::string server_binary() {
    if (const char* env = std::getenv("CP_SERVER_BINARY"); env && *env) return env;
#ifdef CP_SERVER_BINARY
    return CP_SERVER_BINARY;
#else
    return "cp_server";
#endif
}

pid_t start_server(const std::string& database, const std::string& smtp_url, int pause_ms) {
    const pid_t pid = fork();
    if (pid == 0) {
        setenv("CP_SMTP_URL", smtp_url.c_str(), 1);
        setenv("CP_SMTP_FROM", "billing@consultantpro.test", 1);
        setenv("CP_EMAIL_INTERVAL_MS", "100", 1);
        setenv("CP_EMAIL_PAUSE_AFTER_ACCEPT_MS", std::to_string(pause_ms).c_str(), 1);
        FILE* null = std::fopen("/dev/null", "w");
        if (null) {
            dup2(fileno(null), 1);
            dup2(fileno(null), 2);
        }
        std::vector<std::string> all{server_binary(), "--database", database, "--port", "0", "--no-seed",
                                     "--no-scheduler", "--no-autopay-scheduler", "--web-root", "/nonexistent"};
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

class EmailCrash : public BillingTest {
protected:
    std::string status_of(const std::string& invoice_id) {
        storage::Transaction tx(db(), storage::TxMode::read);
        auto row = tx.query_one("SELECT status FROM email_messages WHERE invoice_id = ?", {invoice_id});
        return row ? row->str("status") : "";
    }
};

TEST_F(EmailCrash, KilledBetweenAcceptAndMarkSentDeliversTwiceWithOneMessageId) {
    SmtpSink sink;
    auto id = draft(json::array({line("1", "500.00")}));
    ASSERT_EQ(issue(id).status, 200);
    ASSERT_EQ(status_of(id), "queued");

    const pid_t first = start_server(database_url(), sink.url(), 60'000);
    auto got = sink.wait_for(1);
    ASSERT_EQ(got.size(), 1u) << "the first server never delivered";
    kill(first, SIGKILL);
    waitpid(first, nullptr, 0);
    EXPECT_EQ(status_of(id), "queued");  // accepted, but the server died before marking it

    const pid_t second = start_server(database_url(), sink.url(), 0);
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (status_of(id) != "sent" && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(status_of(id), "sent");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // five more passes of its sender
    kill(second, SIGTERM);
    waitpid(second, nullptr, 0);

    got = sink.messages();
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0]["message_id"], got[1]["message_id"]);
    EXPECT_EQ(got[0]["subject"], got[1]["subject"]);
    // The same link in both copies: the token was kept until the message was marked sent.
    EXPECT_EQ(got[0]["text"], got[1]["text"]);
}

}  // namespace
}  // namespace cp::test
