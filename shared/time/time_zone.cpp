#include "shared/time/time_zone.hpp"

#include <algorithm>

namespace cp::time {

namespace {

class ByteReader {
public:
    explicit ByteReader(std::string_view b) : b_(b) {}
    bool has(size_t n) const { return n <= b_.size() - pos_; }
    size_t pos() const { return pos_; }
    void skip(size_t n) { pos_ += n; }
    uint8_t u8() { return static_cast<uint8_t>(b_[pos_++]); }
    uint32_t u32() {
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
        return v;
    }
    int64_t i64() {
        uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
        return static_cast<int64_t>(v);
    }
    std::string_view rest() const { return b_.substr(pos_); }

private:
    std::string_view b_;
    size_t pos_ = 0;
};

struct Header {
    char version = 0;
    uint32_t isutcnt = 0, isstdcnt = 0, leapcnt = 0, timecnt = 0, typecnt = 0, charcnt = 0;
};

bool read_header(ByteReader& r, Header& h) {
    if (!r.has(44) || r.rest().substr(0, 4) != "TZif") return false;
    r.skip(4);
    h.version = static_cast<char>(r.u8());
    r.skip(15);
    h.isutcnt = r.u32();
    h.isstdcnt = r.u32();
    h.leapcnt = r.u32();
    h.timecnt = r.u32();
    h.typecnt = r.u32();
    h.charcnt = r.u32();
    // Bounds from RFC 8536 keep every later size computation small and exact.
    return h.typecnt >= 1 && h.typecnt <= 256 && h.charcnt >= 1 && h.charcnt <= 65536 &&
           h.timecnt <= 1'000'000 && h.leapcnt <= 100'000 && (h.isutcnt == 0 || h.isutcnt == h.typecnt) &&
           (h.isstdcnt == 0 || h.isstdcnt == h.typecnt);
}

uint64_t block_size(const Header& h, uint64_t time_size) {
    return h.timecnt * time_size + h.timecnt + h.typecnt * 6ull + h.charcnt + h.leapcnt * (time_size + 4) +
           h.isstdcnt + h.isutcnt;
}

Error bad_data(const char* why) {
    return Error{"TIME_ZONE_DATA", "time_zone", std::string("invalid time zone data: ") + why};
}

}  // namespace

Result<TimeZone> TimeZone::from_tzif(std::string_view bytes) {
    ByteReader r(bytes);
    Header h;
    if (!read_header(r, h)) return bad_data("bad header");
    int time_size = 4;
    if (h.version >= '2') {
        // Skip the 32-bit block: the 64-bit one after the second header is authoritative.
        const uint64_t v1 = block_size(h, 4);
        if (!r.has(v1)) return bad_data("truncated");
        r.skip(v1);
        if (!read_header(r, h)) return bad_data("bad second header");
        time_size = 8;
    }
    if (!r.has(block_size(h, time_size))) return bad_data("truncated");

    TimeZone tz;
    tz.transitions_.reserve(h.timecnt);
    for (uint32_t i = 0; i < h.timecnt; ++i) {
        const Instant t = time_size == 8 ? r.i64() : static_cast<int32_t>(r.u32());
        if (!tz.transitions_.empty() && t <= tz.transitions_.back()) return bad_data("unordered transitions");
        tz.transitions_.push_back(t);
    }
    tz.types_at_.reserve(h.timecnt);
    for (uint32_t i = 0; i < h.timecnt; ++i) {
        const uint8_t idx = r.u8();
        if (idx >= h.typecnt) return bad_data("bad type index");
        tz.types_at_.push_back(idx);
    }
    std::vector<uint8_t> abbr_index;
    for (uint32_t i = 0; i < h.typecnt; ++i) {
        LocalTimeType t;
        t.utc_offset = static_cast<int32_t>(r.u32());
        t.is_dst = r.u8() != 0;
        abbr_index.push_back(r.u8());
        // -2^31 is forbidden by RFC 8536; real offsets are within +-26 h.
        if (t.utc_offset < -93600 || t.utc_offset > 93600) return bad_data("bad offset");
        tz.types_.push_back(std::move(t));
    }
    const std::string_view chars = r.rest().substr(0, h.charcnt);
    for (uint32_t i = 0; i < h.typecnt; ++i) {
        if (abbr_index[i] >= chars.size()) return bad_data("bad abbreviation index");
        std::string_view a = chars.substr(abbr_index[i]);
        tz.types_[i].abbreviation.assign(a.substr(0, a.find('\0')));
    }
    r.skip(h.charcnt);
    // Leap-second records and the std/wall and UT/local indicators only matter for
    // POSIX-TZ-less v1 files built for "right/" zones; civil time ignores them.
    r.skip(h.leapcnt * (time_size + 4) + h.isstdcnt + h.isutcnt);

    if (time_size == 8) {
        std::string_view rest = r.rest();
        if (rest.size() < 2 || rest[0] != '\n') return bad_data("missing footer");
        const size_t end = rest.find('\n', 1);
        if (end == std::string_view::npos) return bad_data("unterminated footer");
        const std::string_view rule = rest.substr(1, end - 1);
        if (!rule.empty()) {
            tz.footer_ = parse_posix_tz(rule);
            if (!tz.footer_) return bad_data("bad footer rule");
        }
    }
    return tz;
}

TimeZone TimeZone::fixed(int32_t offset, std::string abbreviation) {
    TimeZone tz;
    tz.types_.push_back(LocalTimeType{offset, false, std::move(abbreviation)});
    return tz;
}

int32_t TimeZone::offset_at(Instant t) const {
    if (transitions_.empty() || t < transitions_.front()) {
        // Before the first transition (or with no table) the footer rule describes a zone
        // with only slim data; otherwise RFC 8536 says type 0 applies.
        if (transitions_.empty() && footer_) return posix_offset_at(*footer_, t);
        return types_.front().utc_offset;
    }
    if (t >= transitions_.back() && footer_) return posix_offset_at(*footer_, t);
    const auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t);
    const size_t i = static_cast<size_t>(it - transitions_.begin()) - 1;
    return types_[types_at_[i]].utc_offset;
}

Instant TimeZone::to_utc(LocalSeconds local) const {
    // Offsets a day either side bracket any single transition near `local` (transitions
    // are months apart), giving at most two candidate instants.
    const int32_t before = offset_at(local - 86400 - 93600);
    const int32_t after = offset_at(local + 86400 + 93600);
    const Instant a = local - before;
    const Instant b = local - after;
    const bool a_ok = offset_at(a) == before;
    const bool b_ok = offset_at(b) == after;
    if (a_ok && b_ok) return std::min(a, b);  // ambiguous: the earlier instant
    if (a_ok) return a;
    if (b_ok) return b;
    return a;  // in a gap: read with the offset before it, landing after the gap
}

}  // namespace cp::time
