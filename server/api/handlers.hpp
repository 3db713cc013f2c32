#pragma once
// Every endpoint handler, one group per resource file. The route table (app/routes.cpp)
// is the only place that says which URL, method, access rule and capability each gets.
#include "server/api/common.hpp"

namespace cp::api {

// health.cpp, openapi.cpp
Response health(Ctx&);
Response ready(Ctx&);
Response operator_metrics(Ctx&);
Response operator_errors(Ctx&);
Response openapi_document(Ctx&);
json build_openapi();

// auth.cpp
Response login(Ctx&);
Response logout(Ctx&);
Response me(Ctx&);
Response switch_firm(Ctx&);  // switch_firm.cpp

// firms.cpp
Response signup_firm(Ctx&);
Response list_my_firms(Ctx&);
Response current_firm(Ctx&);
Response get_firm(Ctx&);
Response update_firm_settings(Ctx&);
Response list_settings_snapshots(Ctx&);
Response rollback_settings(Ctx&);

// memberships.cpp
Response list_memberships(Ctx&);
Response create_membership(Ctx&);
Response get_membership(Ctx&);
Response update_membership(Ctx&);

// clients.cpp
Response list_clients(Ctx&);
Response create_client(Ctx&);
Response get_client(Ctx&);
Response update_client(Ctx&);
Response list_portal_users(Ctx&);
Response create_portal_user(Ctx&);

// engagements.cpp
Response list_engagements(Ctx&);
Response create_engagement(Ctx&);
Response get_engagement(Ctx&);
Response update_engagement(Ctx&);
Response renew_engagement(Ctx&);
Response create_hourly_invoice(Ctx&);  // hourly_invoice.cpp
Response run_package_billing(Ctx&);    // package_run.cpp

// invoices.cpp
Response list_invoices(Ctx&);
Response get_invoice(Ctx&);
Response preview_invoice(Ctx&);
// invoice_drafts.cpp
Response create_invoice(Ctx&);
Response update_invoice(Ctx&);
Response delete_invoice(Ctx&);
// invoice_lifecycle.cpp
Response issue_invoice(Ctx&);
Response void_invoice(Ctx&);
Response create_credit_note(Ctx&);

// time_entries.cpp
Response list_time_entries(Ctx&);
Response create_time_entry(Ctx&);
Response get_time_entry(Ctx&);
Response update_time_entry(Ctx&);
Response delete_time_entry(Ctx&);
Response approve_time_entry(Ctx&);
Response unapprove_time_entry(Ctx&);
Response bulk_approve_time_entries(Ctx&);

// expenses.cpp
Response list_expenses(Ctx&);
Response create_expense(Ctx&);
Response get_expense(Ctx&);
Response update_expense(Ctx&);
Response delete_expense(Ctx&);
Response approve_expense(Ctx&);
Response unapprove_expense(Ctx&);
Response bulk_approve_expenses(Ctx&);

// portal.cpp
Response portal_me(Ctx&);
Response portal_list_invoices(Ctx&);
Response portal_get_invoice(Ctx&);
Response portal_list_engagements(Ctx&);
Response portal_get_engagement(Ctx&);

// audit.cpp
Response list_audit(Ctx&);
Response verify_audit(Ctx&);

// break_glass.cpp (firm side and operator side)
Response firm_list_break_glass(Ctx&);
Response firm_revoke_break_glass(Ctx&);
Response open_break_glass(Ctx&);
Response get_break_glass(Ctx&);
Response operator_revoke_break_glass(Ctx&);
Response end_break_glass(Ctx&);
Response review_break_glass(Ctx&);

// payments.cpp (Billing III)
Response create_payment(Ctx&);
Response list_payments(Ctx&);
Response get_payment(Ctx&);
// webhooks.cpp and disputes.cpp (Billing IV)
Response stripe_webhook(Ctx&);
Response operator_list_webhook_events(Ctx&);
Response list_disputes(Ctx&);
// Billing V: documents, client portal payments, signed links, reports
Response get_invoice_pdf(Ctx&);
Response portal_get_invoice_pdf(Ctx&);
Response portal_pay_invoice(Ctx&);
Response portal_list_payments(Ctx&);
Response create_invoice_link(Ctx&);
Response list_invoice_links(Ctx&);
Response revoke_invoice_link(Ctx&);
Response public_get_invoice(Ctx&);
Response public_get_invoice_pdf(Ctx&);
Response public_pay_invoice(Ctx&);
Response public_list_payments(Ctx&);
Response report_ar_aging(Ctx&);
Response report_revenue(Ctx&);
Response report_engagement_mix(Ctx&);
Response report_pipeline(Ctx&);
// firm_exit.cpp
Response create_firm_export(Ctx&);
Response list_firm_exports(Ctx&);
Response get_firm_export(Ctx&);
Response download_firm_export(Ctx&);
Response start_offboarding(Ctx&);
Response get_offboarding(Ctx&);
Response cancel_offboarding(Ctx&);
Response operator_list_offboarding(Ctx&);
Response operator_list_tombstones(Ctx&);
Response get_dispute(Ctx&);
Response create_refund(Ctx&);
Response apply_credit(Ctx&);
Response list_client_credits(Ctx&);
Response grant_client_credit(Ctx&);
Response approve_credit_request(Ctx&);
Response list_payment_failures(Ctx&);
Response list_alerts(Ctx&);
Response ack_alert(Ctx&);

// CRM pipeline: leads.cpp, prospects.cpp, proposals.cpp, proposal_acceptance.cpp
Response list_leads(Ctx&);
Response create_lead(Ctx&);
Response get_lead(Ctx&);
Response update_lead(Ctx&);
Response convert_lead(Ctx&);
Response lead_timeline(Ctx&);
Response list_prospects(Ctx&);
Response get_prospect(Ctx&);
Response update_prospect(Ctx&);
Response list_proposals(Ctx&);
Response create_proposal(Ctx&);
Response get_proposal(Ctx&);
Response update_proposal(Ctx&);
Response send_proposal(Ctx&);
Response decline_proposal(Ctx&);
Response accept_proposal(Ctx&);
Response create_proposal_link(Ctx&);
Response list_proposal_links(Ctx&);
Response revoke_proposal_link(Ctx&);
Response public_get_proposal(Ctx&);
Response public_accept_proposal(Ctx&);
Response public_decline_proposal(Ctx&);
Response public_accept_portal_invitation(Ctx&);

// operators.cpp
Response operator_list_firms(Ctx&);
Response operator_get_firm(Ctx&);
Response operator_set_firm_status(Ctx&);
Response operator_verify_audit(Ctx&);

}  // namespace cp::api
