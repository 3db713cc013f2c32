#pragma once
// Re-reads an export archive (export_archive.hpp) and checks it without the database: the
// manifest's own checksum, every file's row count, size and SHA-256, no file missing or
// added, and the firm's audit hash chain (each event's hash and its link to the previous).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace cp::server::exit {

struct ExportCheck {
    std::vector<std::string> problems;
    nlohmann::json summary = nlohmann::json::object();  // firm, files, rows, audit events checked
    bool ok() const { return problems.empty(); }
};

ExportCheck verify_export_file(const std::string& path);

}  // namespace cp::server::exit
