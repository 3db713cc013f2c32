#include "shared/messaging/email_settings.hpp"

#include <algorithm>
#include <set>

#include "shared/validation/field_rules.hpp"
#include "shared/validation/json_reader.hpp"

namespace cp::messaging {

namespace {

const std::set<std::string>& template_names() {
    static const std::set<std::string> names = {"firm", "number", "amount", "due_date", "days"};
    return names;
}

// Empty when `tmpl` uses only known {names} with balanced braces; else why not.
std::string template_problem(const std::string& tmpl) {
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '}') return "has a '}' without its '{'";
        if (tmpl[i] != '{') continue;
        const auto close = tmpl.find('}', i);
        if (close == std::string::npos) return "has a '{' without its '}'";
        const std::string name = tmpl.substr(i + 1, close - i - 1);
        if (!template_names().count(name))
            return "uses {" + name + "}; allowed: {firm}, {number}, {amount}, {due_date}, {days}";
        i = close;
    }
    return "";
}

}  // namespace

nlohmann::json default_email_settings() {
    return {{"reminder_days", {-3, 0, 7, 14}},
            {"reply_to", nullptr},
            {"subjects",
             {{"invoice_issued", "Invoice {number} from {firm}: {amount} due {due_date}"},
              {"payment_receipt", "Receipt: {amount} paid on invoice {number}"},
              {"credit_note", "Credit note {number} from {firm}: {amount}"},
              {"autopay_failed", "Action needed: your card was declined for invoice {number}"},
              {"final_notice", "Final notice: invoice {number} ({amount}) is overdue"},
              {"reminder", "Reminder: invoice {number} from {firm}, {amount} due {due_date}"}}}};
}

Errors validate_email_settings(const nlohmann::json& email, const std::string& path) {
    Errors errors;
    if (!email.is_object()) return {{"INVALID_TYPE", path, "must be an object"}};
    for (const auto& [key, value] : email.items()) {
        const std::string field = path + "." + key;
        if (key == "reminder_days") {
            if (!value.is_array() || value.size() > 10) {
                errors.push_back({"INVALID_VALUE", field, "must be a list of at most 10 day offsets"});
                continue;
            }
            std::set<std::int64_t> seen;
            for (std::size_t i = 0; i < value.size(); ++i) {
                const auto& d = value[i];
                const std::string at = field + "[" + std::to_string(i) + "]";
                if (!d.is_number_integer() || d.get<std::int64_t>() < -60 || d.get<std::int64_t>() > 365) {
                    errors.push_back({"OUT_OF_RANGE", at, "must be a whole number of days from -60 to 365"});
                } else if (!seen.insert(d.get<std::int64_t>()).second) {
                    errors.push_back({"DUPLICATE", at, "repeats an earlier day"});
                }
            }
        } else if (key == "reply_to") {
            if (value.is_null()) continue;
            nlohmann::json probe{{"reply_to", value}};
            validation::JsonReader r(probe, path, errors);
            validation::read_email(r, "reply_to", validation::Presence::optional);
        } else if (key == "subjects") {
            if (!value.is_object()) {
                errors.push_back({"INVALID_TYPE", field, "must be an object of subject templates"});
                continue;
            }
            const auto& kinds = message_kinds();
            for (const auto& [kind, tmpl] : value.items()) {
                const std::string at = field + "." + kind;
                if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
                    errors.push_back({"UNKNOWN_FIELD", at, "is not a message kind"});
                } else if (!tmpl.is_string() || tmpl.get<std::string>().empty() ||
                           tmpl.get<std::string>().size() > 200) {
                    errors.push_back({"INVALID_VALUE", at, "must be a subject of 1 to 200 characters"});
                } else if (const auto problem = template_problem(tmpl.get<std::string>()); !problem.empty()) {
                    errors.push_back({"INVALID_TEMPLATE", at, problem});
                } else if (tmpl.get<std::string>().find_first_of("\r\n") != std::string::npos) {
                    // A line break would end the Subject header and start another one.
                    errors.push_back({"INVALID_VALUE", at, "must be one line"});
                }
            }
        } else {
            errors.push_back({"UNKNOWN_FIELD", field, "is not an email setting"});
        }
    }
    return errors;
}

nlohmann::json effective_email_settings(const nlohmann::json& stored) {
    nlohmann::json out = default_email_settings();
    if (!stored.is_object()) return out;
    if (stored.contains("reminder_days")) out["reminder_days"] = stored["reminder_days"];
    if (stored.contains("reply_to")) out["reply_to"] = stored["reply_to"];
    if (stored.contains("subjects") && stored["subjects"].is_object()) {
        for (const auto& [kind, tmpl] : stored["subjects"].items()) out["subjects"][kind] = tmpl;
    }
    return out;
}

std::string render_subject(const std::string& tmpl, const std::map<std::string, std::string>& vars) {
    std::string out;
    for (std::size_t i = 0; i < tmpl.size(); ++i) {
        if (tmpl[i] == '{') {
            const auto close = tmpl.find('}', i);
            if (close != std::string::npos) {
                auto it = vars.find(tmpl.substr(i + 1, close - i - 1));
                if (it != vars.end()) {
                    out += it->second;
                    i = close;
                    continue;
                }
            }
        }
        out += tmpl[i];
    }
    // Values come from stored data: a line break must not reach the Subject header.
    std::replace(out.begin(), out.end(), '\n', ' ');
    std::replace(out.begin(), out.end(), '\r', ' ');
    return out;
}

std::map<std::string, std::string> sample_subject_vars(const std::string& firm_name) {
    return {{"firm", firm_name}, {"number", "INV-2026-0042"}, {"amount", "USD 1,250.00"},
            {"due_date", "2026-12-14"}, {"days", "7"}};
}

}  // namespace cp::messaging
