#include "shared/validation/crm_validation.hpp"

#include "shared/crm/proposal_totals.hpp"
#include "shared/money/currency.hpp"
#include "shared/money/money.hpp"
#include "shared/state/crm_status.hpp"
#include "shared/validation/engagement_validation.hpp"
#include "shared/validation/field_rules.hpp"

namespace cp::validation {

Errors validate_lead(const nlohmann::json& body, Mode mode, int32_t firm_minor_digits) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"company", "contact_name", "contact_email", "source", "estimated_value", "currency",
                      "owner_membership_id", "notes", "status"});
    if (mode == Mode::update) r.reject_nulls({"contact_name", "contact_email", "source", "owner_membership_id", "notes"});
    r.string("company", required_on_create(mode), 200);
    r.string("contact_name", Presence::optional, 200);
    read_email(r, "contact_email", Presence::optional);
    r.string("source", Presence::optional, 100);
    const std::string* currency = read_currency(r, "currency", Presence::optional);
    const int32_t digits = currency ? money::find_currency(*currency)->minor_digits : firm_minor_digits;
    if (auto value = r.decimal("estimated_value", Presence::optional, digits)) {
        if (*value < 0)
            r.add("OUT_OF_RANGE", "estimated_value", "must not be negative");
        else if (!money::within_amount_limit(*value))
            r.add("OUT_OF_RANGE", "estimated_value", "amount is too large");
    }
    r.identifier("owner_membership_id", Presence::optional);
    r.string("notes", Presence::optional, 2000, false, Text::multi_line);
    if (const std::string* status = r.string("status", Presence::optional)) {
        if (mode == Mode::create) {
            r.add("NOT_UPDATABLE", "status", "a lead starts as new");
        } else if (auto parsed = state::parse_lead_status(*status); !parsed) {
            errors.push_back(parsed.error());
        }
    }
    return errors;
}

Errors validate_prospect(const nlohmann::json& body, Mode mode) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"stage", "expected_close_date"});
    if (const std::string* stage = r.string("stage", Presence::optional)) {
        auto parsed = state::parse_prospect_stage(*stage);
        if (!parsed) {
            errors.push_back(parsed.error());
        } else if (mode == Mode::create && !state::is_open(*parsed)) {
            r.add("INVALID_VALUE", "stage", "a new prospect starts in an open stage");
        }
    }
    r.date("expected_close_date", required_on_create(mode));
    return errors;
}

Errors validate_proposal(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"prospect_id", "title", "currency", "tax_mode", "expires_on", "billing_email", "pricing_mode", "package_fee", "hourly_rate", "schedule",
                      "start_date", "end_date", "payment_terms_days", "lines", "portal_user"});
    r.identifier("prospect_id", Presence::required);
    r.string("title", Presence::required, 200);
    read_currency(r, "currency", Presence::required);
    r.one_of("tax_mode", Presence::optional, {"per_line", "per_document"});
    r.date("expires_on", Presence::required);
    read_email(r, "billing_email", Presence::optional);
    // Portal access for the new client, opened on acceptance with an invitation.
    if (const nlohmann::json* portal = r.object("portal_user", Presence::optional)) {
        JsonReader p(*portal, "portal_user", errors);
        p.reject_unknown({"email", "name", "can_view_billing", "can_view_projects"});
        read_email(p, "email", Presence::required);
        p.string("name", Presence::required, kMaxNameLength);
        p.boolean("can_view_billing", Presence::optional);
        p.boolean("can_view_projects", Presence::optional);
    }
    // The terms become engagement v1 on acceptance: the engagement's own rules, so an
    // accepted proposal can never fail to open its engagement.
    nlohmann::json terms = nlohmann::json::object();
    terms["client_id"] = "pending";
    if (body.is_object() && body.contains("title")) terms["name"] = body["title"];
    for (const char* key : {"pricing_mode", "package_fee", "hourly_rate", "schedule", "start_date", "end_date",
                            "payment_terms_days", "currency"}) {
        if (body.is_object() && body.contains(key)) terms[key] = body[key];
    }
    for (auto& e : validate_engagement(terms, Mode::create)) {
        if (e.field != "name" && e.field != "currency") errors.push_back(std::move(e));
    }
    // Lines are priced by the invoice arithmetic: the same totals the invoices will show.
    if (r.array("lines", Presence::required) && r.has("currency")) {
        auto preview = crm::proposal_preview(body);
        if (!preview.value("ok", false)) {
            for (const auto& e : preview["errors"]) {
                errors.push_back({e["code"].get<std::string>(), e["field"].get<std::string>(),
                                  e["message"].get<std::string>()});
            }
        }
    }
    return errors;
}

Errors validate_link_acceptance(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"name", "email"});
    r.string("name", Presence::optional, kMaxNameLength);
    read_email(r, "email", Presence::optional);
    return errors;
}

Errors validate_link_decline(const nlohmann::json& body) {
    Errors errors;
    JsonReader r(body, "", errors);
    r.reject_unknown({"reason"});
    r.string("reason", Presence::optional, 2000, false, Text::multi_line);
    return errors;
}

}  // namespace cp::validation
