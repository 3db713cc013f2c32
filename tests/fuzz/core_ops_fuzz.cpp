// libFuzzer target: the core CLI's line protocol (shared/protocol/core_ops), the one entry
// point that takes untrusted text in both the native and the Wasm build. Any crash,
// sanitizer report or answer that is not a JSON object is a finding. Run by scripts/fuzz.
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "shared/protocol/core_ops.hpp"

namespace {

std::optional<std::string> read_zone(std::string_view name) {
    const std::string path = "/usr/share/zoneinfo/" + std::string(name);
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return std::nullopt;
    std::string bytes;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) bytes.append(buf, n);
    std::fclose(f);
    return bytes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static cp::time::ZoneCache zones(read_zone);
    const std::string out =
        cp::protocol::handle_core_line(std::string_view(reinterpret_cast<const char*>(data), size), zones);
    const auto answer = nlohmann::json::parse(out, nullptr, false);
    if (!answer.is_object()) __builtin_trap();
    return 0;
}
