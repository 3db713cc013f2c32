#include "client/app/package_run_actions.hpp"

#include "client/api/api_client.hpp"
#include "client/app/actions.hpp"
#include "client/app/json_text.hpp"
#include "client/app/staff_actions.hpp"
#include "shared/validation/package_run_validation.hpp"

namespace cp::portal {
namespace {

nlohmann::json body_of(const PackageRunForm& f, bool dry_run) {
    nlohmann::json body = nlohmann::json::object();
    if (f.date[0] != '\0') body["date"] = f.date.data();
    if (dry_run) body["dry_run"] = true;
    return body;
}

void send(AppState& state, bool dry_run) {
    auto& f = state.package_run;
    f.touched = true;
    judge_package_run(state);
    if (f.in_flight || !f.core_errors.empty()) return;
    f.in_flight = true;
    f.server_errors.clear();
    if (!dry_run) f.result = nullptr;
    const std::string date = str(f.date);
    api_request("POST", "/api/v1/billing/package-run", body_of(f, dry_run).dump(), state.session.token,
                [dry_run, date](AppState& s, const ApiResult& r) {
                    auto& form = s.package_run;
                    form.in_flight = false;
                    auto j = parse_answer(r.body);
                    if (r.status != 200 || !j.is_object()) {
                        form.server_errors = errors_of(r);
                        return;
                    }
                    if (dry_run) {
                        form.preview = j;
                        form.previewed_date = date;
                        return;
                    }
                    form.result = j;
                    form.preview = nullptr;  // spent: a second run needs a fresh look
                    form.previewed_date.clear();
                    load_invoices(s);  // the new invoices appear in the table below
                });
}

}  // namespace

void judge_package_run(AppState& state) {
    state.package_run.core_errors = validation::validate_package_run(body_of(state.package_run, true));
}

void preview_package_run(AppState& state) { send(state, true); }

void start_package_run(AppState& state) {
    // Only the date just previewed: what the person saw is what is created.
    if (!state.package_run.preview.is_object() || state.package_run.previewed_date != str(state.package_run.date)) return;
    send(state, false);
}

}  // namespace cp::portal
