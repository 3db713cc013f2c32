#include "server/storage/bulk_insert.hpp"

#include <algorithm>
#include <stdexcept>

namespace cp::storage {

namespace {
constexpr std::size_t kMaxParamsPerStatement = 30'000;
}

BulkInsert::BulkInsert(Transaction& tx, std::string table, std::vector<std::string> columns, std::string suffix,
                       std::size_t rows_per_statement)
    : tx_(tx), suffix_(std::move(suffix)), columns_(columns.size()) {
    if (columns.empty()) throw std::logic_error("BulkInsert needs columns");
    head_ = "INSERT INTO " + table + " (";
    row_placeholders_ = "(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        head_ += (i ? ", " : "") + columns[i];
        row_placeholders_ += i ? ", ?" : "?";
    }
    head_ += ") VALUES ";
    row_placeholders_ += ")";
    rows_per_statement_ = std::max<std::size_t>(1, std::min(rows_per_statement, kMaxParamsPerStatement / columns_));
    pending_.reserve(rows_per_statement_ * columns_);
}

void BulkInsert::add(Params row) {
    if (row.size() != columns_) {
        throw std::logic_error("BulkInsert row has " + std::to_string(row.size()) + " values for " +
                               std::to_string(columns_) + " columns");
    }
    for (auto& p : row) pending_.push_back(std::move(p));
    if (++pending_rows_ == rows_per_statement_) flush();
}

void BulkInsert::flush() {
    if (pending_rows_ == 0) return;
    std::string sql = head_;
    sql.reserve(head_.size() + pending_rows_ * (row_placeholders_.size() + 2) + suffix_.size() + 1);
    for (std::size_t r = 0; r < pending_rows_; ++r) {
        if (r) sql += ", ";
        sql += row_placeholders_;
    }
    if (!suffix_.empty()) sql += " " + suffix_;
    tx_.exec(sql, pending_);
    written_ += pending_rows_;
    pending_.clear();
    pending_rows_ = 0;
}

}  // namespace cp::storage
