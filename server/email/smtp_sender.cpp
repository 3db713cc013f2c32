#include "server/email/smtp_sender.hpp"

#include <curl/curl.h>
#include <sodium.h>

#include <cstdlib>
#include <ctime>
#include <memory>
#include <mutex>

namespace cp::server::email {

namespace {

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? std::string(v) : std::string();
}

std::string base64(const std::string& bytes) {
    std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                      sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);
    return out;
}

std::string rfc5322_date(std::int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

// Header values come from stored data: no line break may start a header of its own.
std::string one_line(std::string s) {
    for (char& c : s) {
        if (c == '\r' || c == '\n') c = ' ';
    }
    return s;
}

struct CurlDeleter {
    void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct MimeDeleter {
    void operator()(curl_mime* m) const { curl_mime_free(m); }
};

void append(std::unique_ptr<curl_slist, SlistDeleter>& list, const std::string& line) {
    curl_slist* next = curl_slist_append(list.get(), line.c_str());
    if (!next) throw std::bad_alloc();
    list.release();
    list.reset(next);
}

}  // namespace

std::optional<SmtpConfig> SmtpConfig::from_env() {
    SmtpConfig c;
    c.url = env("CP_SMTP_URL");
    c.from = env("CP_SMTP_FROM");
    if (c.url.empty() || c.from.empty()) return std::nullopt;
    c.username = env("CP_SMTP_USERNAME");
    c.password = env("CP_SMTP_PASSWORD");
    c.require_tls = env("CP_SMTP_TLS") == "required";
    return c;
}

std::string encode_header_value(const std::string& value) {
    bool ascii = true;
    for (unsigned char c : value) {
        if (c >= 0x80) ascii = false;
    }
    if (ascii) return value;
    return "=?UTF-8?B?" + base64(value) + "?=";
}

SmtpTransport::SmtpTransport(SmtpConfig config) : config_(std::move(config)) {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

SendResult SmtpTransport::send(const Mail& mail) {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return {SendOutcome::temporary, "curl_easy_init failed"};
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, config_.url.c_str());
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, ("<" + config_.from + ">").c_str());
    curl_easy_setopt(c, CURLOPT_USE_SSL, static_cast<long>(config_.require_tls ? CURLUSESSL_ALL : CURLUSESSL_TRY));
    if (!config_.username.empty()) {
        curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
        curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
    }
    curl_easy_setopt(c, CURLOPT_TIMEOUT, config_.timeout_seconds);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 15L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);

    std::unique_ptr<curl_slist, SlistDeleter> rcpt;
    std::string to_header;
    for (const auto& a : mail.to) {
        append(rcpt, "<" + a + ">");
        to_header += (to_header.empty() ? "" : ", ") + one_line(a);
    }
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt.get());

    std::unique_ptr<curl_slist, SlistDeleter> headers;
    append(headers, "Date: " + rfc5322_date(mail.date));
    append(headers, "From: \"" + encode_header_value(one_line(mail.from_name)) + "\" <" + config_.from + ">");
    append(headers, "To: " + to_header);
    if (mail.reply_to) append(headers, "Reply-To: " + one_line(*mail.reply_to));
    append(headers, "Subject: " + encode_header_value(one_line(mail.subject)));
    append(headers, "Message-ID: " + one_line(mail.message_id));
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());

    // multipart/mixed { multipart/alternative { text, html }, PDF }
    std::unique_ptr<curl_mime, MimeDeleter> mime(curl_mime_init(c));
    curl_mime* alt = curl_mime_init(c);
    curl_mimepart* part = curl_mime_addpart(alt);
    curl_mime_data(part, mail.text.data(), mail.text.size());
    curl_mime_type(part, "text/plain; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(alt);
    curl_mime_data(part, mail.html.data(), mail.html.size());
    curl_mime_type(part, "text/html; charset=utf-8");
    curl_mime_encoder(part, "quoted-printable");
    part = curl_mime_addpart(mime.get());
    curl_mime_subparts(part, alt);  // the outer part owns `alt` from here
    curl_mime_type(part, "multipart/alternative");
    std::unique_ptr<curl_slist, SlistDeleter> inline_headers;
    append(inline_headers, "Content-Disposition: inline");
    curl_mime_headers(part, inline_headers.release(), 1);
    if (mail.attachment_name && mail.attachment_bytes) {
        part = curl_mime_addpart(mime.get());
        curl_mime_data(part, mail.attachment_bytes->data(), mail.attachment_bytes->size());
        curl_mime_type(part, "application/pdf");
        curl_mime_filename(part, mail.attachment_name->c_str());
        curl_mime_encoder(part, "base64");
    }
    curl_easy_setopt(c, CURLOPT_MIMEPOST, mime.get());

    char error[CURL_ERROR_SIZE] = {0};
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK) return {SendOutcome::accepted, ""};
    long code = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
    std::string detail = (code ? std::to_string(code) + " " : std::string()) +
                         (error[0] ? std::string(error) : std::string(curl_easy_strerror(rc)));
    // 5xx is the server's final word (bad address, refused sender, AUTH refused); anything
    // else (4xx, no connection, a timeout) may pass, so it is retried.
    if (code >= 500 && code < 600) return {SendOutcome::permanent, detail};
    return {SendOutcome::temporary, detail};
}

}  // namespace cp::server::email
