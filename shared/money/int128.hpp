#pragma once
// One spelling of the 128-bit integer for both compilers. `__extension__` keeps
// -Wpedantic quiet; g++ and clang (em++) both support the type on every target we build.
namespace cp {
__extension__ typedef __int128 int128;
}
