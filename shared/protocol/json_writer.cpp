#include "shared/protocol/json_writer.hpp"

namespace cp::protocol {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            default:
                if (u < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[u >> 4]);
                    out.push_back(kHex[u & 0xF]);
                } else {
                    out.push_back(c);
                }
        }
    }
    out.push_back('"');
}

std::string error_line(const Error& e) {
    std::string out = "{\"error\":{\"code\":";
    append_json_string(out, e.code);
    out += ",\"field\":";
    append_json_string(out, e.field);
    out += ",\"message\":";
    append_json_string(out, e.message);
    out += "}}";
    return out;
}

void ObjectWriter::key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    append_json_string(out_, k);
    out_.push_back(':');
}

ObjectWriter& ObjectWriter::string(std::string_view k, std::string_view value) {
    key(k);
    append_json_string(out_, value);
    return *this;
}

ObjectWriter& ObjectWriter::raw(std::string_view k, std::string_view json) {
    key(k);
    out_ += json;
    return *this;
}

ObjectWriter& ObjectWriter::integer(std::string_view k, int64_t value) {
    key(k);
    out_ += std::to_string(value);
    return *this;
}

ObjectWriter& ObjectWriter::boolean(std::string_view k, bool value) {
    key(k);
    out_ += value ? "true" : "false";
    return *this;
}

std::string ObjectWriter::finish() {
    out_.push_back('}');
    return std::move(out_);
}

}  // namespace cp::protocol
