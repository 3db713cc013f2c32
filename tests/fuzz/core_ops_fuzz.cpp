// libFuzzer target: the core CLI's line protocol (shared/protocol/core_ops), the one entry
// point that takes untrusted text in both the native and the Wasm build. Any crash,
// sanitizer report or answer that is not a JSON object is a finding. Run by scripts/fuzz.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/util/zoneinfo.hpp"
#include "shared/protocol/core_ops.hpp"
#include "tests/fuzz/depth_stats.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static cp::time::ZoneCache zones(cp::server::read_zone_file);
    cp::fuzz::note_depth(data, size, true);
    const std::string out =
        cp::protocol::handle_core_line(std::string_view(reinterpret_cast<const char*>(data), size), zones);
    const auto answer = nlohmann::json::parse(out, nullptr, false);
    if (!answer.is_object()) __builtin_trap();
    return 0;
}
