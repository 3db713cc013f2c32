#pragma once
// What firm staff do to an issued invoice from its page: record a payment, refund one, void
// it with a reason, issue a credit note, share it through a signed link. Kept beside the
// detail (AppState::manage) rather than in it, because every action re-reads the detail and
// its notice must survive that.
#include <array>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "client/app/staff_state.hpp"  // TextBuffer
#include "shared/core/error.hpp"

namespace cp::portal {

// Closed choices of the record-payment form (the server's methods a person records by hand;
// cards are charged by the client or autopay).
inline constexpr const char* kRecordedMethods[] = {"bank_transfer", "check", "cash"};
inline constexpr int kRecordedMethodCount = 3;

struct ManageForm {
    bool open = false;
    bool in_flight = false;
    bool touched = false;  // the core's errors show once the person typed or tried to send
    std::vector<Error> core_errors;    // the core's judgement of what is typed
    std::vector<Error> server_errors;  // the server's answer to the last attempt
    std::vector<std::string> shown_errors;
};

struct RecordPaymentForm : ManageForm {
    TextBuffer<32> amount{};
    TextBuffer<255> reference{};
    TextBuffer<10> received_on{};
    int method_index = 0;
    // One key per payment a person means to record: a retry after a lost answer (or a double
    // click) replays instead of recording twice. A new key once the server has answered.
    std::string idempotency_key;
};

struct ReasonForm : ManageForm {  // void
    TextBuffer<500> reason{};
};

struct CreditNoteForm : ManageForm {
    TextBuffer<32> amount{};
    TextBuffer<15> tax_rate{};
    TextBuffer<500> reason{};
    nlohmann::json preview;  // the core's totals of the credit note as typed
};

struct RefundForm : ManageForm {
    std::string payment_id;  // the payment being refunded; empty when closed
    TextBuffer<32> amount{};
    TextBuffer<500> reason{};
};

struct InvoiceManage {
    std::string invoice_id;  // whose payments and links these are
    nlohmann::json payments = nlohmann::json::array();  // GET /payments?invoice_id=
    nlohmann::json links = nlohmann::json::array();     // GET /invoices/{id}/links
    bool payments_loaded = false;
    bool links_loaded = false;
    RecordPaymentForm payment;
    ReasonForm void_form;
    CreditNoteForm credit;
    RefundForm refund;
    bool creating_link = false;
    bool issuing = false;      // issuing or deleting the draft
    std::string new_link_url;  // shown once: the server never returns the token again
    std::string notice;        // what the last action did
    std::vector<Error> errors;  // link and load failures
};

}  // namespace cp::portal
