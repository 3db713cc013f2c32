#include "shared/protocol/json_input.hpp"

#include <set>
#include <string>
#include <vector>

namespace cp::protocol {
namespace {

using json = nlohmann::json;

// At most `n` bytes of valid UTF-8 `s`, never cutting a character in two (the result goes
// into error messages, which must stay valid UTF-8).
std::string clip_utf8(const std::string& s, std::size_t n) {
    if (s.size() <= n) return s;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n) + "…";
}

// Wraps nlohmann's own DOM builder and stops the SAX parse (by returning false) at the first
// container that would be too deep or the first repeated key, before anything recursive runs.
class BoundedDomSax {
public:
    BoundedDomSax(json& result, int max_depth) : dom_(result, false), max_depth_(max_depth) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(json::number_float_t v, const json::string_t& s) { return dom_.number_float(v, s); }
    bool string(json::string_t& v) { return dom_.string(v); }
    bool binary(json::binary_t& v) { return dom_.binary(v); }

    bool start_object(std::size_t n) {
        if (!enter(true)) return false;
        return dom_.start_object(n);
    }
    bool key(json::string_t& k) {
        auto& frame = frames_.back();
        if (!frame.keys.insert(k).second) {
            fail("repeats the key \"" + clip_utf8(k, 64) + "\" within one object", path_with(k));
            return false;
        }
        frame.last_key = k;
        return dom_.key(k);
    }
    bool end_object() {
        frames_.pop_back();
        return dom_.end_object();
    }
    bool start_array(std::size_t n) {
        if (!enter(false)) return false;
        return dom_.start_array(n);
    }
    bool end_array() {
        frames_.pop_back();
        return dom_.end_array();
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        if (error_.code.empty()) fail("is not valid JSON (at byte " + std::to_string(position) + ")", "");
        return dom_.parse_error(position, token, e);
    }

    const Error& error() const { return error_; }

private:
    struct Frame {
        bool is_object;
        std::set<std::string> keys;
        std::string last_key;
    };

    bool enter(bool is_object) {
        if (static_cast<int>(frames_.size()) >= max_depth_) {
            fail("is nested more than " + std::to_string(max_depth_) + " levels deep", path_with(""));
            return false;
        }
        frames_.push_back(Frame{is_object, {}, {}});
        return true;
    }

    // The object keys leading to the value being read ("email", "lines.description"); array
    // positions are left out, the key that holds the array says enough. `key` stands for
    // the innermost object's key when given.
    std::string path_with(const std::string& key) const {
        std::string out;
        for (std::size_t i = 0; i < frames_.size() && out.size() <= 256; ++i) {
            const auto& f = frames_[i];
            if (!f.is_object) continue;
            const std::string& k = i + 1 == frames_.size() && !key.empty() ? key : f.last_key;
            if (k.empty()) continue;
            if (!out.empty()) out.push_back('.');
            out += k;
        }
        return clip_utf8(out, 256);
    }

    void fail(std::string message, std::string field) {
        error_ = Error{"INVALID_JSON", std::move(field), std::move(message)};
    }

    nlohmann::detail::json_sax_dom_parser<json> dom_;
    int max_depth_;
    std::vector<Frame> frames_;
    Error error_;
};

}  // namespace

Result<json> parse_json_input(std::string_view text, int max_depth) {
    if (text.find('\0') != std::string_view::npos) {
        return Error{"INVALID_JSON", "", "is not valid JSON (it contains a NUL byte)"};
    }
    json result;
    BoundedDomSax sax(result, max_depth);
    const bool ok = json::sax_parse(text.begin(), text.end(), &sax, json::input_format_t::json, true, false);
    if (!ok || !sax.error().code.empty()) {
        if (!sax.error().code.empty()) return sax.error();
        return Error{"INVALID_JSON", "", "is not valid JSON"};
    }
    return result;
}

}  // namespace cp::protocol
