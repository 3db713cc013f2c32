#pragma once
// The portal's own work per frame (ImGui::NewFrame to ImGui::Render: input, layout, the
// screens, the accessibility mirror; not the GL submission nor the browser's compositing),
// in a ring of the last frames, for cp_debug_state and bench/portal-frame-time.
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace cp::portal {

struct FrameWork {
    static constexpr std::size_t kFrames = 600;
    std::array<float, kFrames> ms{};
    std::uint32_t recorded = 0;  // frames measured since start; ms[(recorded - 1) % kFrames] is the newest

    void record(double frame_ms) {
        ms[recorded % kFrames] = static_cast<float>(frame_ms);
        ++recorded;
    }
    // {"recorded": N, "ms": [oldest .. newest]}: a reader that polls knows which it has seen.
    nlohmann::json to_json() const {
        nlohmann::json out = {{"recorded", recorded}, {"ms", nlohmann::json::array()}};
        const std::uint32_t n = recorded < kFrames ? recorded : static_cast<std::uint32_t>(kFrames);
        for (std::uint32_t k = recorded - n; k < recorded; ++k) out["ms"].push_back(ms[k % kFrames]);
        return out;
    }
};

}  // namespace cp::portal
