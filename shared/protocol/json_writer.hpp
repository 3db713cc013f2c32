#pragma once
// Hand-built JSON output for the core CLI: the contract fixes key order
// ({"subtotal","tax","total"}), which a sorted nlohmann::json would not keep, and building
// strings directly is also the fastest path for the parity test's 100k+ lines.
#include <string>
#include <string_view>

#include "shared/core/error.hpp"

namespace cp::protocol {

// Appends `s` as a JSON string literal (UTF-8 passed through, control characters escaped).
void append_json_string(std::string& out, std::string_view s);

// {"error":{"code":"…","field":"…","message":"…"}}
std::string error_line(const Error& e);

class ObjectWriter {
public:
    ObjectWriter() { out_.push_back('{'); }
    ObjectWriter& string(std::string_view key, std::string_view value);
    ObjectWriter& raw(std::string_view key, std::string_view json);  // value already JSON
    ObjectWriter& integer(std::string_view key, int64_t value);
    ObjectWriter& boolean(std::string_view key, bool value);
    std::string finish();

private:
    void key(std::string_view k);
    std::string out_;
    bool first_ = true;
};

}  // namespace cp::protocol
