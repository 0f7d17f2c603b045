#pragma once
// SearchQuery: Port's rule-tree search (port-api.md §3.5.5, §9.6 rule 22), compiled once and evaluated per
// entity. Combinators `and`/`or` nest (an empty `and` matches everything, an empty `or` nothing). Fields are
// `$identifier`, `$blueprint`, `$datasource`, `$title`, `$icon`, `$team`, `$createdAt`, `$updatedAt` or a
// property (then relation) name. `relatedTo` rules are resolved by the catalog before matching.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "catalog/api_error.hpp"
#include "catalog/entity.hpp"
#include "json/value.hpp"

namespace sp::catalog {

enum class SearchOperator {
  EQ,
  NEQ,
  IN,
  NOT_IN,
  CONTAINS,
  NOT_CONTAINS,
  CONTAINS_ANY,
  BEGINS_WITH,
  ENDS_WITH,
  GT,
  GTE,
  LT,
  LTE,
  BETWEEN,
  NOT_BETWEEN,
  IS_EMPTY,
  IS_NOT_EMPTY,
  RELATED_TO,
};

struct SearchRule {
  bool is_group = false;
  // group
  bool is_and = true;
  std::vector<SearchRule> rules;
  // leaf
  std::string property;
  SearchOperator op = SearchOperator::EQ;
  json::Value value;
  std::optional<int64_t> from_us, to_us;  //!< between/notBetween bounds on timestamps
  // relatedTo
  std::string related_blueprint;
  std::vector<std::string> related_values;
  bool downstream = true;          //!< downstream: entities pointing at the value; upstream: what it points at
  std::set<std::string> resolved;  //!< entity keys (EntityKey()) the catalog found for this rule
};

//! "<blueprint>\x1f<identifier>": the key relatedTo results are stored under.
std::string EntityKey(std::string_view blueprint, std::string_view identifier);

class SearchQuery {
 public:
  //! Compiles the rule tree; a malformed query is 400 `bad_request` naming the rule path ("rules[2].operator").
  static CatalogResult<SearchQuery> Compile(const json::Value& query);

  bool Matches(const EntityRecord& entity) const;
  //! A `$blueprint = X` constraint at the top level of an `and` (lets the catalog narrow the scan).
  const std::optional<std::string>& blueprint_hint() const { return blueprint_hint_; }
  //! Identifiers from a top-level `$identifier =`/`in` constraint, when present.
  const std::optional<std::vector<std::string>>& identifier_hint() const { return identifier_hint_; }
  //! The relatedTo rules, for the catalog to fill `resolved`.
  template <typename Fn>
  void ForEachRelatedTo(Fn&& fn) {
    Visit(root_, fn);
  }

 private:
  template <typename Fn>
  static void Visit(SearchRule& rule, Fn& fn) {
    if (rule.is_group) {
      for (auto& r : rule.rules) Visit(r, fn);
    } else if (rule.op == SearchOperator::RELATED_TO) {
      fn(rule);
    }
  }

  SearchRule root_;
  std::optional<std::string> blueprint_hint_;
  std::optional<std::vector<std::string>> identifier_hint_;
};

}  // namespace sp::catalog
