#include "issue_text.hpp"

#include <array>

namespace sp::sentry_sim {

namespace {

struct ErrorTemplate {
  const char* type;
  const char* value;
  const char* filename;
  const char* function;
};

constexpr std::array<ErrorTemplate, 16> ERRORS = {{
    {"TypeError", "Cannot read properties of undefined (reading 'id')", "app/services/cart.ts", "applyCoupon"},
    {"ValueError", "invalid literal for int() with base 10: 'abc'", "billing/views.py", "charge"},
    {"KeyError", "'customer_id'", "orders/tasks.py", "sync_order"},
    {"NullPointerException", "Cannot invoke \"String.length()\" because \"name\" is null",
     "com/acme/user/UserService.java", "rename"},
    {"ConnectionError", "Max retries exceeded with url: /v1/charges", "payments/client.py", "post"},
    {"RangeError", "Maximum call stack size exceeded", "src/components/Tree.jsx", "renderNode"},
    {"ActiveRecord::RecordNotFound", "Couldn't find User with 'id'=42", "app/controllers/users_controller.rb", "show"},
    {"TimeoutError", "Operation timed out after 30000 ms", "src/lib/http.ts", "request"},
    {"OperationalError", "could not connect to server: Connection refused", "db/pool.py", "acquire"},
    {"IndexOutOfBoundsException", "Index 3 out of bounds for length 3", "com/acme/cart/CartMapper.kt", "map"},
    {"panic", "runtime error: invalid memory address or nil pointer dereference", "internal/queue/worker.go",
     "process"},
    {"Error", "Ошибка: café – timeout ⏱", "src/i18n/loader.ts", "load"},
    {"ValidationError", "Ungültige Eingabe: „Straße“ fehlt", "checkout/forms.py", "clean"},
    {"Error", "ユーザーが見つかりません", "src/api/users.ts", "getUser"},
    {"PaymentError", "💥 payment failed for order №1234", "payments/service.py", "capture"},
    {"SyntaxError", "Unexpected token '<' in JSON at position 0", "src/api/fetch.ts", "parseJson"},
}};

constexpr std::array MESSAGES = {"Payment webhook retried 3 times",  "Slow checkout detected",
                                 "Cache miss ratio above threshold", "Deprecated API v1 called",
                                 "Job queue backlog growing",        "Zahlung fehlgeschlagen – Kunde benachrichtigt"};
constexpr std::array TRANSACTIONS = {"/api/orders/", "/api/cart/{id}/", "/checkout", "/api/search/", "/dashboard"};
constexpr std::array<std::array<const char*, 2>, 4> PERF = {
    {{"performance_n_plus_one_db_queries", "N+1 Query"},
     {"performance_slow_db_query", "Slow DB Query"},
     {"performance_render_blocking_asset_span", "Large Render Blocking Asset"},
     {"performance_consecutive_http", "Consecutive HTTP"}}};

// Non-ASCII templates are 11..14 and one message; keep them reachable with the stated frequency by mapping the
// variant so that about one error in eight uses them.
size_t ErrorIndex(uint32_t variant) {
  if (variant % 8 == 0) return 11 + (variant / 8) % 4;
  size_t ascii[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15};
  return ascii[(variant / 8) % 12];
}

}  // namespace

IssueText RenderIssueText(const Dataset& data, uint32_t index) {
  const Issue& is = data.issues[index];
  IssueText t;
  uint32_t v = is.text_variant;
  switch (is.kind) {
    case IssueKind::ERROR: {
      const auto& e = ERRORS[ErrorIndex(v)];
      t.meta_type = e.type;
      t.meta_value = e.value;
      t.meta_filename = e.filename;
      t.meta_function = e.function;
      t.title = std::string(e.type) + ": " + e.value;
      t.culprit = std::string(e.filename) + " in " + e.function;
      break;
    }
    case IssueKind::DEFAULT:
      t.type = "default";
      t.issue_type = "error";
      t.issue_category = "error";
      t.title = MESSAGES[v % MESSAGES.size()];
      t.meta_value = t.title;
      t.culprit = TRANSACTIONS[(v / 7) % TRANSACTIONS.size()];
      break;
    case IssueKind::PERFORMANCE: {
      const auto& p = PERF[v % PERF.size()];
      t.type = "transaction";
      t.issue_type = p[0];
      t.issue_category = "performance";
      t.title = p[1];
      t.culprit = TRANSACTIONS[(v / 5) % TRANSACTIONS.size()];
      t.meta_value = std::string("db - SELECT * FROM orders WHERE id = %s");
      break;
    }
    case IssueKind::FEEDBACK:
      t.type = "generic";
      t.issue_type = "feedback";
      t.issue_category = "feedback";
      t.title = "User Feedback";
      t.meta_value = (v % 3 == 0) ? "La page de paiement ne répond plus 😞" : "Checkout button does nothing";
      t.culprit = "user feedback";
      break;
  }
  auto it = data.title_override.find(index);
  if (it != data.title_override.end()) {
    t.title = it->second;
    if (is.kind == IssueKind::ERROR) {
      auto colon = it->second.find(": ");
      if (colon != std::string::npos) {
        t.meta_type = it->second.substr(0, colon);
        t.meta_value = it->second.substr(colon + 2);
      } else {
        t.meta_value = it->second;
      }
    }
  }
  return t;
}

}  // namespace sp::sentry_sim
