// Invoice drafts: create, edit, delete. Lines and totals are the core's (the same reader
// and arithmetic as the preview); by default a draft bills the client's current engagement,
// and anything else is an audited override needing a reason and the override capability.
// Once issued, an invoice is immutable: PATCH and DELETE answer 409 INVOICE_IMMUTABLE.
#include "server/api/entry_links.hpp"
#include "server/api/handlers.hpp"
#include "server/api/invoice_records.hpp"
#include "shared/validation/invoice_draft_validation.hpp"

namespace cp::api {
namespace {

using validation::Mode;

std::string id_text(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

std::optional<std::string> current_engagement_of(Ctx& ctx, const std::string& client_id) {
    auto e = ctx.tx().query_one(
        "SELECT id FROM engagements WHERE firm_id = ? AND client_id = ? AND status = 'current' "
        "ORDER BY start_date DESC, id DESC LIMIT 1",
        {ctx.principal.firm_id, client_id});
    return e ? std::optional<std::string>(e->str("id")) : std::nullopt;
}

// The fields a request may not set on a draft: dates come from issuing, credit notes from
// /credit-notes, entries from the hourly generator.
Errors draft_only_rules(const json& body) {
    Errors errors;
    for (const char* f : {"issue_date", "due_date"}) {
        if (body.contains(f)) errors.push_back({"NOT_UPDATABLE", f, "is set when the invoice is issued"});
    }
    if (body.contains("document_type") && body["document_type"] != "invoice") {
        errors.push_back({"INVALID_VALUE", "document_type",
                          "credit notes are created with POST /invoices/{id}/credit-notes"});
    }
    return errors;
}

struct EngagementChoice {
    std::optional<std::string> id;
    std::optional<std::string> currency;
    bool override_ = false;
};

// Resolves the engagement a draft bills: the body's (null = none) or else `fallback`; an
// override is anything but the client's current engagement. nullopt + `error` on failure.
std::optional<EngagementChoice> choose_engagement(Ctx& ctx, const json& body, const std::string& client_id,
                                                  const std::optional<std::string>& fallback,
                                                  Response& error) {
    EngagementChoice c;
    c.id = fallback;
    if (body.contains("engagement_id")) {
        c.id = body["engagement_id"].is_null() ? std::nullopt : std::optional(id_text(body["engagement_id"]));
    }
    if (c.id) {
        auto e =
            ctx.tx().query_one("SELECT client_id, currency FROM engagements WHERE id = ? AND firm_id = ?",
                               {*c.id, ctx.principal.firm_id});
        if (!e) {
            error = not_found();
            return std::nullopt;
        }
        if (e->str("client_id") != client_id) {
            error = validation_failed({{"ENGAGEMENT_CLIENT_MISMATCH", "engagement_id",
                                        "the engagement belongs to another client"}});
            return std::nullopt;
        }
        c.currency = e->str("currency");
    }
    c.override_ = c.id != current_engagement_of(ctx, client_id);
    const bool changed = body.contains("engagement_id") && c.id != fallback;
    // Only a change asks for a reason and the capability; an untouched draft keeps its own.
    if (c.override_ && changed) {
        const bool has_reason = body.contains("engagement_override_reason");
        if (!has_reason) {
            error = validation_failed(
                {{"VALIDATION_REQUIRED", "engagement_override_reason",
                  "billing another engagement than the client's current one needs a reason"}});
            return std::nullopt;
        }
        if (!ctx.principal.can(server::Capability::invoices_override)) {
            error = forbidden("FORBIDDEN", "Only an owner or admin may bill another engagement.");
            return std::nullopt;
        }
    }
    return c;
}

void audit_override(Ctx& ctx, const storage::Row& invoice, const std::optional<std::string>& before) {
    json meta{{"before", {{"engagement_id", opt_string(before)}}},
              {"after", {{"engagement_id", json(invoice_summary(invoice)["engagement_id"])}}}};
    audit_invoice(ctx, "invoice.engagement_override", invoice, meta, "WARNING",
                  invoice.str("engagement_override_reason"));
}

}  // namespace

Response create_invoice(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    const FirmBilling firm = firm_billing(ctx);
    json merged = *body;
    for (auto [key, value] :
         {std::pair{"currency", firm.currency}, {"tax_mode", firm.tax_mode}, {"rounding", firm.rounding}}) {
        if (!merged.contains(key) || merged[key].is_null()) merged[key] = value;
    }
    auto errors = validation::validate_invoice_draft(merged, Mode::create);
    for (auto& e : draft_only_rules(*body)) errors.push_back(e);
    if (errors.empty()) {
        for (auto& e : check_linked_lines(ctx, "", merged["lines"], merged["rounding"].get<std::string>()))
            errors.push_back(e);
    }
    if (!errors.empty()) return validation_failed(errors);
    const std::string client_id = id_text(merged["client_id"]);
    if (!ctx.tx().query_one("SELECT id FROM clients WHERE id = ? AND firm_id = ?",
                            {client_id, ctx.principal.firm_id}))
        return not_found();
    auto choice = choose_engagement(ctx, *body, client_id, current_engagement_of(ctx, client_id), err);
    if (!choice) return err;
    if (choice->currency && !body->contains("currency")) merged["currency"] = *choice->currency;
    if (choice->currency && merged["currency"] != *choice->currency) {
        return validation_failed({{"CURRENCY_MISMATCH", "currency", "must be the engagement's currency"}});
    }
    merged["document_type"] = "invoice";
    auto totals = core_totals(merged, errors);
    if (!totals) return validation_failed(errors);

    DraftHeader h{
        client_id,
        choice->id,
        choice->override_ ? std::optional(str_or(merged, "engagement_override_reason")) : std::nullopt,
        merged.contains("notes") && merged["notes"].is_string()
            ? std::optional(merged["notes"].get<std::string>())
            : std::nullopt,
        merged["currency"],
        merged["tax_mode"],
        merged["rounding"]};
    const std::string id = insert_draft(ctx, h, merged["lines"], *totals);
    auto row = find_invoice(ctx, id);
    audit_invoice(ctx, "invoice.create", *row, {{"after", invoice_summary(*row)}});
    if (choice->override_) audit_override(ctx, *row, current_engagement_of(ctx, client_id));
    return json_response(201, invoice_view(ctx, *row, true));
}

Response update_invoice(Ctx& ctx) {
    Response err;
    auto body = parse_object(ctx, err);
    if (!body) return err;
    // Immutability comes before validation: nothing about an issued invoice is editable.
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    if (inv->str("status") != "draft") return invoice_immutable();
    auto errors = validation::validate_invoice_draft(*body, Mode::update);
    for (auto& e : draft_only_rules(*body)) errors.push_back(e);
    if (!errors.empty()) return validation_failed(errors);
    if (body->contains("client_id") && id_text((*body)["client_id"]) != inv->str("client_id")) {
        return validation_failed({{"NOT_UPDATABLE", "client_id", "a draft cannot move to another client"}});
    }
    json merged{{"currency", inv->str("currency")},
                {"tax_mode", inv->str("tax_mode")},
                {"rounding", inv->str("rounding")},
                {"document_type", "invoice"}};
    json stored_lines = invoice_view(ctx, *inv, true)["lines"];
    for (auto& l : stored_lines) l.erase("amount");
    merged["lines"] = stored_lines;
    for (const char* k : {"currency", "tax_mode", "rounding", "lines"}) {
        if (body->contains(k)) merged[k] = (*body)[k];
    }
    if (body->contains("lines")) {
        errors =
            check_linked_lines(ctx, inv->str("id"), merged["lines"], merged["rounding"].get<std::string>());
        if (!errors.empty()) return validation_failed(errors);
    }
    const auto stored_engagement = inv->opt("engagement_id");
    auto choice = choose_engagement(ctx, *body, inv->str("client_id"), stored_engagement, err);
    if (!choice) return err;
    if (choice->currency && merged["currency"] != *choice->currency) {
        return validation_failed({{"CURRENCY_MISMATCH", "currency", "must be the engagement's currency"}});
    }
    auto totals = core_totals(merged, errors);
    if (!totals) return validation_failed(errors);

    json before = invoice_summary(*inv);
    storage::Param reason = nullptr;
    if (choice->override_) {
        reason =
            body->contains("engagement_override_reason") && (*body)["engagement_override_reason"].is_string()
                ? storage::Param((*body)["engagement_override_reason"].get<std::string>())
                : storage::nullable(inv->opt("engagement_override_reason"));
    }
    storage::Param notes = storage::nullable(inv->opt("notes"));
    if (body->contains("notes"))
        notes = (*body)["notes"].is_string() ? storage::Param((*body)["notes"].get<std::string>()) : nullptr;
    ctx.tx().exec(
        "UPDATE invoices SET engagement_id = ?, engagement_override_reason = ?, currency = ?, tax_mode = ?, "
        "rounding = ?, notes = ?, subtotal = ?, tax = ?, total = ?, balance_due = ?, updated_at = ? "
        "WHERE id = ? AND firm_id = ? AND status = 'draft'",
        {storage::nullable(choice->id), reason, merged["currency"].get<std::string>(),
         merged["tax_mode"].get<std::string>(), merged["rounding"].get<std::string>(), notes,
         totals->subtotal, totals->tax, totals->total, totals->balance_due, ctx.now, inv->str("id"),
         ctx.principal.firm_id});
    write_lines(ctx, inv->str("id"), merged["lines"], *totals);
    relink_entries(ctx, inv->str("id"), merged["lines"]);
    auto after = find_invoice(ctx, inv->str("id"));
    audit_invoice(ctx, "invoice.update", *after, {{"before", before}, {"after", invoice_summary(*after)}});
    if (choice->id != stored_engagement && choice->override_) audit_override(ctx, *after, stored_engagement);
    return json_response(200, invoice_view(ctx, *after, true));
}

Response delete_invoice(Ctx& ctx) {
    auto inv = find_invoice(ctx, ctx.param("id"));
    if (!inv) return not_found();
    if (inv->str("status") != "draft") return invoice_immutable();
    release_entries(ctx, inv->str("id"));
    ctx.tx().exec("DELETE FROM invoice_lines WHERE invoice_id = ? AND firm_id = ?",
                  {inv->str("id"), ctx.principal.firm_id});
    ctx.tx().exec("DELETE FROM invoices WHERE id = ? AND firm_id = ? AND status = 'draft'",
                  {inv->str("id"), ctx.principal.firm_id});
    audit_invoice(ctx, "invoice.delete", *inv, {{"before", invoice_summary(*inv)}});
    Response r;
    r.status = 204;
    return r;
}

}  // namespace cp::api
