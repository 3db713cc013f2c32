// POST /api/v1/billing/package-run {date?, dry_run?}: the package fee run for the caller's
// firm, now (owner, admin). The same firm run as the CLI and the scheduler
// (server/billing/), inside this request's transaction: the invoices, their numbers and
// audit events and the run's own audit event commit together. Without `date` the firm's
// local today is used. A dry run writes nothing and answers what it would create.
#include "server/api/handlers.hpp"
#include "server/billing/package_firm_run.hpp"
#include "shared/validation/json_reader.hpp"
#include "shared/validation/package_run_validation.hpp"

namespace cp::api {

Response run_package_billing(Ctx& ctx) {
    Response err;
    auto body = ctx.req.body.empty() ? std::optional<json>(json::object()) : parse_object(ctx, err);
    if (!body) return err;
    // The portal judges its form with the same function before sending.
    if (auto errors = validation::validate_package_run(*body); !errors.empty()) return validation_failed(errors);
    Errors unused;
    validation::JsonReader r(*body, "", unused);
    auto date = r.date("date", validation::Presence::optional);
    auto dry_run = r.boolean("dry_run", validation::Presence::optional);

    server::billing::FirmRunInput in;
    in.firm_id = ctx.principal.firm_id;
    in.firm = server::billing::load_firm_billing(ctx.tx(), in.firm_id);
    const auto today = ctx.app.zones().local_date(in.firm.time_zone, ctx.now);
    // Invoices are issued on the run date: one in the future would be a post-dated invoice.
    if (date && *date > today) {
        return validation_failed({{"DATE_IN_FUTURE", "date", "must not be after today in the firm's time zone"}});
    }
    in.date = date ? *date : today;
    in.dry_run = dry_run.value_or(false);
    in.now = ctx.now;
    in.actor = audit_event(ctx, "BILLING", "billing.package_run");
    server::billing::RunReport report;
    report.date = in.date;
    report.dry_run = in.dry_run;
    server::billing::run_firm(ctx.tx(), in, report);
    return json_response(200, report.to_json());
}

}  // namespace cp::api
