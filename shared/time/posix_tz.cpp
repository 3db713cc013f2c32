#include "shared/time/posix_tz.hpp"

namespace cp::time {

namespace {

class Scanner {
public:
    explicit Scanner(std::string_view s) : s_(s) {}
    bool done() const { return pos_ >= s_.size(); }
    char peek() const { return done() ? '\0' : s_[pos_]; }
    bool eat(char c) {
        if (peek() != c) return false;
        ++pos_;
        return true;
    }

    // "EST" (3+ letters) or "<+0330>" (quoted, may hold digits and signs).
    bool abbreviation(std::string& out) {
        if (eat('<')) {
            const size_t begin = pos_;
            while (!done() && peek() != '>') ++pos_;
            if (!eat('>')) return false;
            out.assign(s_.substr(begin, pos_ - 1 - begin));
            return out.size() >= 1;
        }
        const size_t begin = pos_;
        while (!done() && ((peek() >= 'A' && peek() <= 'Z') || (peek() >= 'a' && peek() <= 'z'))) ++pos_;
        out.assign(s_.substr(begin, pos_ - begin));
        return out.size() >= 3;
    }

    bool number(int32_t& out, int32_t max_digits) {
        int32_t v = 0, n = 0;
        while (!done() && peek() >= '0' && peek() <= '9' && n < max_digits) {
            v = v * 10 + (peek() - '0');
            ++pos_;
            ++n;
        }
        out = v;
        return n > 0;
    }

    // [+-]hh[:mm[:ss]] in seconds; hours up to 167 (RFC 8536 extension for rule times).
    bool hms(int32_t& out) {
        int32_t sign = 1;
        if (eat('-'))
            sign = -1;
        else
            eat('+');
        int32_t h = 0, m = 0, sec = 0;
        if (!number(h, 3) || h > 167) return false;
        if (eat(':')) {
            if (!number(m, 2) || m > 59) return false;
            if (eat(':') && (!number(sec, 2) || sec > 59)) return false;
        }
        out = sign * (h * 3600 + m * 60 + sec);
        return true;
    }

    bool date_rule(PosixDateRule& r) {
        if (eat('M')) {
            r.kind = PosixDateRule::Kind::month_week_day;
            if (!number(r.month, 2) || r.month < 1 || r.month > 12 || !eat('.')) return false;
            if (!number(r.week, 1) || r.week < 1 || r.week > 5 || !eat('.')) return false;
            if (!number(r.weekday, 1) || r.weekday > 6) return false;
        } else if (eat('J')) {
            r.kind = PosixDateRule::Kind::julian_no_leap;
            if (!number(r.day, 3) || r.day < 1 || r.day > 365) return false;
        } else {
            r.kind = PosixDateRule::Kind::zero_based;
            if (!number(r.day, 3) || r.day > 365) return false;
        }
        r.time = 7200;
        if (eat('/')) return hms(r.time);
        return true;
    }

private:
    std::string_view s_;
    size_t pos_ = 0;
};

// Day number (days since epoch) of the rule's date in `year`.
int64_t rule_day(const PosixDateRule& r, int32_t year) {
    const int64_t jan1 = days_from_civil(Date{year, 1, 1});
    switch (r.kind) {
        case PosixDateRule::Kind::julian_no_leap: {
            int64_t d = jan1 + r.day - 1;
            if (is_leap_year(year) && r.day >= 60) ++d;  // Feb 29 is skipped by Jn
            return d;
        }
        case PosixDateRule::Kind::zero_based:
            return jan1 + r.day;
        case PosixDateRule::Kind::month_week_day:
        default: {
            const int64_t first = days_from_civil(Date{year, r.month, 1});
            const int64_t first_weekday = (first % 7 + 7 + 4) % 7;  // 1970-01-01 was a Thursday
            int64_t d = first + (r.weekday - first_weekday + 7) % 7 + 7 * (r.week - 1);
            const int64_t last = first + days_in_month(year, r.month) - 1;
            while (d > last) d -= 7;  // week 5 means "the last such weekday"
            return d;
        }
    }
}

}  // namespace

std::optional<PosixTz> parse_posix_tz(std::string_view text) {
    PosixTz tz;
    Scanner s(text);
    int32_t west = 0;
    if (!s.abbreviation(tz.std_abbr) || !s.hms(west)) return std::nullopt;
    tz.std_offset = -west;
    if (s.done()) return tz;
    if (!s.abbreviation(tz.dst_abbr)) return std::nullopt;
    tz.has_dst = true;
    tz.dst_offset = tz.std_offset + 3600;
    if (s.peek() != ',' && !s.done()) {
        if (!s.hms(west)) return std::nullopt;
        tz.dst_offset = -west;
    }
    if (s.done()) {
        // No rule given: POSIX leaves it implementation-defined; use the US rules like glibc.
        tz.start = PosixDateRule{PosixDateRule::Kind::month_week_day, 0, 3, 2, 0, 7200};
        tz.end = PosixDateRule{PosixDateRule::Kind::month_week_day, 0, 11, 1, 0, 7200};
        return tz;
    }
    if (!s.eat(',') || !s.date_rule(tz.start) || !s.eat(',') || !s.date_rule(tz.end) || !s.done()) {
        return std::nullopt;
    }
    return tz;
}

bool posix_is_dst_at(const PosixTz& tz, Instant t) {
    if (!tz.has_dst) return false;
    const int32_t year = civil_from_days(floor_div(t + tz.std_offset, 86400)).year;
    // "All year DST" zones encode as start Jan 1 00:00 and end Dec 31 24:00 + dst shift.
    const Instant start = rule_day(tz.start, year) * 86400 + tz.start.time - tz.std_offset;
    const Instant end = rule_day(tz.end, year) * 86400 + tz.end.time - tz.dst_offset;
    if (start < end) return t >= start && t < end;
    return !(t >= end && t < start);  // southern hemisphere: DST spans the new year
}

int32_t posix_offset_at(const PosixTz& tz, Instant t) {
    return posix_is_dst_at(tz, t) ? tz.dst_offset : tz.std_offset;
}

}  // namespace cp::time
