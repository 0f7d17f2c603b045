#pragma once
// Issue text derived lazily from the issue's `text_variant`: title, culprit, metadata and the type/category
// triple, consistent with each other as Sentry produces them (sentry-api.md §7.8): errors are
// "ExceptionType: message" with culprit "file in function", default issues carry a message, performance and
// feedback issues carry their issueType slugs. About one issue in eight has non-ASCII text.

#include <string>

#include "model.hpp"

namespace sp::sentry_sim {

struct IssueText {
  std::string title;
  std::string culprit;
  const char* type = "error";            //!< "error", "default", "transaction", "generic"
  const char* issue_type = "error";      //!< issueType
  const char* issue_category = "error";  //!< issueCategory
  // metadata
  std::string meta_type;  //!< exception type ("" when not an error)
  std::string meta_value;
  std::string meta_filename;
  std::string meta_function;
};

//! The text of `issue` (index `index` in `data.issues`); honours titles set through control endpoints.
IssueText RenderIssueText(const Dataset& data, uint32_t index);

}  // namespace sp::sentry_sim
