#include "shared/protocol/core_ops.hpp"

#include <nlohmann/json.hpp>

#include "shared/billing/draft_reader.hpp"
#include "shared/billing/invoice_preview.hpp"
#include "shared/money/decimal.hpp"
#include "shared/protocol/json_input.hpp"
#include "shared/protocol/json_writer.hpp"
#include "shared/schedule/billing_period.hpp"
#include "shared/schedule/overdue.hpp"
#include "shared/schedule/package_runs.hpp"
#include "shared/schedule/retry_schedule.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::protocol {

namespace {

using validation::JsonReader;
using validation::Presence;

std::string first_error(const Errors& errors) {
    return error_line(errors.empty() ? Error{"INTERNAL", "", "no result"} : errors.front());
}

std::string invoice_totals(const nlohmann::json& j) {
    billing::DraftReading reading = billing::read_invoice_draft(j);
    if (!reading.errors.empty()) return first_error(reading.errors);
    billing::InvoiceTotals totals;
    Errors errors;
    if (!billing::compute_invoice_totals(reading.input, totals, errors)) return first_error(errors);
    const int32_t digits = reading.input.currency->minor_digits;
    return ObjectWriter()
        .string("subtotal", money::format_fixed(totals.subtotal, digits))
        .string("tax", money::format_fixed(totals.tax, digits))
        .string("total", money::format_fixed(totals.total, digits))
        .finish();
}

// Schedule (default monthly) and engagement dates, shared by billing_period and package_runs.
struct ScheduleArgs {
    schedule::BillingSchedule schedule = schedule::BillingSchedule::monthly;
    schedule::EngagementDates engagement;
};

ScheduleArgs read_schedule_args(JsonReader& r, Presence start_presence) {
    ScheduleArgs a;
    if (const std::string* s =
            r.one_of("schedule", Presence::optional, {"monthly", "quarterly", "annual", "one_time"})) {
        a.schedule = *schedule::billing_schedule_from_string(*s);
    }
    a.engagement.start = r.date("engagement_start", start_presence);
    a.engagement.end = r.date("engagement_end", Presence::optional);
    return a;
}

std::string period_json(const schedule::Period& p) {
    return ObjectWriter()
        .string("start", time::format_iso_date(p.start))
        .string("end", time::format_iso_date(p.end))
        .finish();
}

std::string billing_period(const nlohmann::json& j) {
    Errors errors;
    JsonReader r(j, "", errors);
    ScheduleArgs a = read_schedule_args(r, Presence::optional);
    auto date = r.date("date", Presence::required);
    if (!errors.empty()) return first_error(errors);
    Result<schedule::Period> p =
        schedule::billing_period(a.schedule, date.value_or(time::Date{}), a.engagement);
    if (!p) return error_line(p.error());
    return period_json(*p);
}

std::string package_runs(const nlohmann::json& j) {
    Errors errors;
    JsonReader r(j, "", errors);
    ScheduleArgs a = read_schedule_args(r, Presence::required);
    auto from = r.date("from", Presence::required);
    auto to = r.date("to", Presence::required);
    if (!errors.empty()) return first_error(errors);
    auto periods = schedule::package_run_periods(a.schedule, a.engagement, from.value_or(time::Date{}),
                                                 to.value_or(time::Date{}));
    if (!periods) return error_line(periods.error());
    std::string list = "[";
    for (const schedule::Period& p : *periods) {
        if (list.size() > 1) list.push_back(',');
        list += period_json(p);
    }
    list.push_back(']');
    return ObjectWriter().raw("periods", list).finish();
}

const time::TimeZone* read_zone(JsonReader& r, time::ZoneCache& zones, Errors& errors) {
    const std::string* name = r.string("time_zone", Presence::required);
    if (!name) return nullptr;
    Result<const time::TimeZone*> zone = zones.find(*name);
    if (!zone) {
        errors.push_back(zone.error());
        return nullptr;
    }
    return *zone;
}

std::string retry_schedule(const nlohmann::json& j, time::ZoneCache& zones) {
    Errors errors;
    JsonReader r(j, "", errors);
    auto first = r.instant("first_failure", Presence::required);
    const time::TimeZone* zone = read_zone(r, zones, errors);
    if (!errors.empty()) return first_error(errors);
    auto attempts = schedule::retry_schedule(first.value_or(0), *zone);
    if (!attempts) return error_line(attempts.error());
    std::string list = "[";
    for (time::Instant t : *attempts) {
        if (list.size() > 1) list.push_back(',');
        append_json_string(list, time::format_iso_instant(t));
    }
    list.push_back(']');
    return ObjectWriter().raw("attempts", list).finish();
}

std::string overdue(const nlohmann::json& j, time::ZoneCache& zones) {
    Errors errors;
    JsonReader r(j, "", errors);
    auto due = r.date("due_date", Presence::required);
    auto now = r.instant("now", Presence::required);
    const time::TimeZone* zone = read_zone(r, zones, errors);
    if (!errors.empty()) return first_error(errors);
    const int64_t days = schedule::days_past_due(due.value_or(time::Date{}), now.value_or(0), *zone);
    return ObjectWriter()
        .boolean("overdue", days > 0)
        .integer("days_past_due", days > 0 ? days : 0)
        .string("bucket", schedule::aging_bucket(days))
        .finish();
}

}  // namespace

std::string handle_core_line(std::string_view line, time::ZoneCache& zones) {
    // The shared bounded reader: depth, duplicate keys and NUL bytes are refused as on the server.
    auto parsed = parse_json_input(line);
    if (!parsed) {
        // Depth and duplicate keys are worth naming; a plain syntax error is just that.
        const auto& e = parsed.error();
        const bool structural = e.message.rfind("is not valid JSON", 0) != 0;
        return error_line(
            Error{"INVALID_JSON", e.field, structural ? "the line " + e.message : "the line is not valid JSON"});
    }
    const nlohmann::json& j = *parsed;
    if (!j.is_object()) return error_line(Error{"INVALID_TYPE", "", "each line must be a JSON object"});
    auto op_it = j.find("op");
    if (op_it == j.end() || op_it->is_null()) {
        return error_line(Error{"VALIDATION_REQUIRED", "op", "is required"});
    }
    if (!op_it->is_string()) return error_line(Error{"INVALID_TYPE", "op", "must be a string"});
    const std::string& op = *op_it->get_ptr<const std::string*>();
    if (op == "invoice_totals") return invoice_totals(j);
    if (op == "billing_period") return billing_period(j);
    if (op == "retry_schedule") return retry_schedule(j, zones);
    if (op == "overdue") return overdue(j, zones);
    if (op == "package_runs") return package_runs(j);
    if (op == "invoice_preview") return billing::preview_invoice(j).dump();
    return error_line(Error{"UNKNOWN_OP", "op",
                            "must be one of: invoice_totals, billing_period, retry_schedule, overdue, "
                            "package_runs, invoice_preview"});
}

}  // namespace cp::protocol
