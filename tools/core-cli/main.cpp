// core_cli: the JSON-lines front of the domain core. Reads one JSON object per line from
// stdin, writes one JSON object per line to stdout (flushed per line, so it can be driven
// interactively), and carries on after bad lines. All logic is in
// shared/protocol/core_ops.cpp; this file only does the I/O the core may not do: reading
// stdin, and the system zoneinfo through server/util/zoneinfo.cpp (compiled in). Built
// natively and with Emscripten (under node with NODERAWFS, so /usr/share/zoneinfo is the
// same files in both).
#include <cstdio>
#include <iostream>
#include <string>

#include "server/util/zoneinfo.hpp"
#include "shared/protocol/core_ops.hpp"

int main() {
    std::ios::sync_with_stdio(false);
    cp::time::ZoneCache zones(cp::server::read_zone_file);
    std::string line;
    while (std::getline(std::cin, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::string out = cp::protocol::handle_core_line(line, zones);
        out.push_back('\n');
        std::fwrite(out.data(), 1, out.size(), stdout);
        std::fflush(stdout);
    }
    return 0;
}
