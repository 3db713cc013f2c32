#pragma once
// Records the deepest bracket nesting any fuzz input reached and prints it when the fuzzer
// exits ("fuzz: deepest input nesting N"), so a run shows that it explored past the JSON
// reader's depth limit (scripts/fuzz checks for depth > 10,000).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace cp::fuzz {

inline long& deepest() {
    static long value = 0;
    return value;
}

inline void note_depth(const std::uint8_t* data, std::size_t size, bool /*accepted*/) {
    static bool registered = false;
    if (!registered) {
        registered = true;
        std::atexit([] { std::fprintf(stderr, "fuzz: deepest input nesting %ld\n", deepest()); });
    }
    long depth = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (data[i] == '[' || data[i] == '{') {
            if (++depth > deepest()) deepest() = depth;
        } else if (data[i] == ']' || data[i] == '}') {
            --depth;
        }
    }
}

}  // namespace cp::fuzz
