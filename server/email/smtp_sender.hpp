#pragma once
// SMTP through libcurl (Debian's libcurl4-openssl-dev): MIME built by curl_mime (text and
// HTML alternatives, an optional PDF), STARTTLS when the server offers it (required with
// CP_SMTP_TLS=required; smtps:// is TLS from the start), AUTH when a user is configured.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cp::server::email {

struct SmtpConfig {
    std::string url;             // CP_SMTP_URL, e.g. smtp://127.0.0.1:2525
    std::string from;            // CP_SMTP_FROM, the envelope and header sender address
    std::string username;        // CP_SMTP_USERNAME (AUTH only when set)
    std::string password;        // CP_SMTP_PASSWORD
    bool require_tls = false;    // CP_SMTP_TLS=required: refuse to send without STARTTLS
    long timeout_seconds = 60;
    // Both CP_SMTP_URL and CP_SMTP_FROM set, else nullopt (email not configured).
    static std::optional<SmtpConfig> from_env();
};

struct Mail {
    std::string message_id;  // "<…>"
    std::string from_name;
    std::optional<std::string> reply_to;
    std::vector<std::string> to;
    std::string subject, text, html;
    std::optional<std::string> attachment_name, attachment_bytes;
    std::int64_t date = 0;  // unix seconds, for the Date header
};

enum class SendOutcome { accepted, temporary, permanent };

struct SendResult {
    SendOutcome outcome = SendOutcome::temporary;
    std::string detail;  // the server's code and curl's error text when not accepted
};

class MailTransport {
public:
    virtual ~MailTransport() = default;
    virtual SendResult send(const Mail& mail) = 0;
};

class SmtpTransport : public MailTransport {
public:
    explicit SmtpTransport(SmtpConfig config);
    SendResult send(const Mail& mail) override;
    const SmtpConfig& config() const { return config_; }

private:
    SmtpConfig config_;
};

// RFC 2047 encoded-word for a header value with non-ASCII (UTF-8) bytes; ASCII unchanged.
std::string encode_header_value(const std::string& value);

}  // namespace cp::server::email
