// The builtin set is exactly jq 1.7.1's: every 1.7.1 builtin is defined or listed as skipped (with a reason) in
// docs/jq.md, and builtins added by later releases (or removed by 1.7) do not exist.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "jq/program.hpp"
#include "json/value.hpp"

namespace sp::jq {
namespace {

// jq 1.7.1's builtins (name/arity), from its manual.
constexpr const char* kJq171Builtins[] = {"IN/1",
                                          "IN/2",
                                          "INDEX/1",
                                          "INDEX/2",
                                          "JOIN/2",
                                          "JOIN/3",
                                          "JOIN/4",
                                          "abs/0",
                                          "acos/0",
                                          "acosh/0",
                                          "add/0",
                                          "all/0",
                                          "all/1",
                                          "all/2",
                                          "any/0",
                                          "any/1",
                                          "any/2",
                                          "arrays/0",
                                          "ascii/0",
                                          "ascii_downcase/0",
                                          "ascii_upcase/0",
                                          "asin/0",
                                          "asinh/0",
                                          "atan/0",
                                          "atan2/2",
                                          "atanh/0",
                                          "booleans/0",
                                          "bsearch/1",
                                          "builtins/0",
                                          "capture/1",
                                          "capture/2",
                                          "cbrt/0",
                                          "ceil/0",
                                          "combinations/0",
                                          "combinations/1",
                                          "contains/1",
                                          "copysign/2",
                                          "cos/0",
                                          "cosh/0",
                                          "date/0",
                                          "dateadd/2",
                                          "datesub/2",
                                          "debug/0",
                                          "debug/1",
                                          "del/1",
                                          "delpaths/1",
                                          "drem/2",
                                          "empty/0",
                                          "endswith/1",
                                          "env/0",
                                          "erf/0",
                                          "erfc/0",
                                          "error/0",
                                          "error/1",
                                          "exp/0",
                                          "exp10/0",
                                          "exp2/0",
                                          "explode/0",
                                          "expm1/0",
                                          "fabs/0",
                                          "fdim/2",
                                          "finites/0",
                                          "first/0",
                                          "first/1",
                                          "flatten/0",
                                          "flatten/1",
                                          "floor/0",
                                          "fma/3",
                                          "fmax/2",
                                          "fmin/2",
                                          "fmod/2",
                                          "format/1",
                                          "frexp/0",
                                          "from_entries/0",
                                          "fromdate/0",
                                          "fromdateiso8601/0",
                                          "fromjson/0",
                                          "fromstream/1",
                                          "gamma/0",
                                          "get_jq_origin/0",
                                          "get_prog_origin/0",
                                          "get_search_list/0",
                                          "getpath/1",
                                          "gmtime/0",
                                          "group_by/1",
                                          "gsub/2",
                                          "gsub/3",
                                          "halt/0",
                                          "halt_error/0",
                                          "halt_error/1",
                                          "has/1",
                                          "have_literal_numbers/0",
                                          "hypot/2",
                                          "implode/0",
                                          "in/1",
                                          "index/1",
                                          "indices/1",
                                          "infinite/0",
                                          "input/0",
                                          "input_filename/0",
                                          "input_line_number/0",
                                          "inputs/0",
                                          "inside/1",
                                          "isempty/1",
                                          "isinfinite/0",
                                          "isnan/0",
                                          "isnormal/0",
                                          "isvalid/1",
                                          "iterables/0",
                                          "j0/0",
                                          "j1/0",
                                          "jn/2",
                                          "join/1",
                                          "keys/0",
                                          "keys_unsorted/0",
                                          "last/0",
                                          "last/1",
                                          "ldexp/2",
                                          "length/0",
                                          "lgamma/0",
                                          "lgamma_r/0",
                                          "limit/2",
                                          "localtime/0",
                                          "log/0",
                                          "log10/0",
                                          "log1p/0",
                                          "log2/0",
                                          "logb/0",
                                          "ltrimstr/1",
                                          "map/1",
                                          "map_values/1",
                                          "match/1",
                                          "match/2",
                                          "max/0",
                                          "max_by/1",
                                          "min/0",
                                          "min_by/1",
                                          "mktime/0",
                                          "modf/0",
                                          "modulemeta/0",
                                          "nan/0",
                                          "nearbyint/0",
                                          "nextafter/2",
                                          "nexttoward/2",
                                          "normals/0",
                                          "not/0",
                                          "now/0",
                                          "nth/1",
                                          "nth/2",
                                          "nulls/0",
                                          "numbers/0",
                                          "objects/0",
                                          "path/1",
                                          "paths/0",
                                          "paths/1",
                                          "pick/1",
                                          "pow/2",
                                          "pow10/0",
                                          "range/1",
                                          "range/2",
                                          "range/3",
                                          "recurse/0",
                                          "recurse/1",
                                          "recurse/2",
                                          "remainder/2",
                                          "repeat/1",
                                          "reverse/0",
                                          "rindex/1",
                                          "rint/0",
                                          "round/0",
                                          "rtrimstr/1",
                                          "scalars/0",
                                          "scalb/2",
                                          "scalbln/2",
                                          "scan/1",
                                          "scan/2",
                                          "select/1",
                                          "setpath/2",
                                          "significand/0",
                                          "sin/0",
                                          "sinh/0",
                                          "sort/0",
                                          "sort_by/1",
                                          "split/1",
                                          "split/2",
                                          "splits/1",
                                          "splits/2",
                                          "sqrt/0",
                                          "startswith/1",
                                          "stderr/0",
                                          "strflocaltime/1",
                                          "strftime/1",
                                          "strings/0",
                                          "strptime/1",
                                          "sub/2",
                                          "sub/3",
                                          "tan/0",
                                          "tanh/0",
                                          "test/1",
                                          "test/2",
                                          "tgamma/0",
                                          "to_entries/0",
                                          "todate/0",
                                          "todateiso8601/0",
                                          "tojson/0",
                                          "tonumber/0",
                                          "tostream/0",
                                          "tostring/0",
                                          "transpose/0",
                                          "trunc/0",
                                          "truncate_stream/1",
                                          "type/0",
                                          "unique/0",
                                          "unique_by/1",
                                          "until/2",
                                          "utf8bytelength/0",
                                          "values/0",
                                          "walk/1",
                                          "while/2",
                                          "with_entries/1",
                                          "y0/0",
                                          "y1/0",
                                          "yn/2"};

// Added after 1.7.1 or removed by 1.7: a mapping using them fails on Port, so they must fail here too.
constexpr const char* kNotIn171[] = {"trim/0",       "ltrim/0",        "rtrim/0",   "toarray/0", "have_decnum/0",
                                     "leaf_paths/0", "recurse_down/0", "getpath/2", "add/1",     "splits/0"};

std::vector<std::string> DefinedBuiltins() {
  auto p = Program::Compile("builtins");
  EXPECT_TRUE(p.ok());
  auto out = p->First(json::Value());
  EXPECT_TRUE(out.ok());
  std::vector<std::string> names;
  for (const auto& v : out.value().Items()) names.emplace_back(v.AsString());
  return names;
}

std::string ReadDoc() {
  const char* dir = std::getenv("SP_SOURCE_DIR");
  std::ifstream in(std::string(dir ? dir : ".") + "/docs/jq.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(JqRegistry, EveryJq171BuiltinIsDefinedOrDocumentedAsSkipped) {
  const auto defined = DefinedBuiltins();
  const std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "docs/jq.md not found";
  for (const char* name : kJq171Builtins) {
    bool is_defined = std::find(defined.begin(), defined.end(), name) != defined.end();
    bool is_skipped = doc.find("`" + std::string(name) + "`") != std::string::npos;
    EXPECT_TRUE(is_defined || is_skipped) << name << " is neither defined nor listed as skipped in docs/jq.md";
    EXPECT_FALSE(is_defined && is_skipped && doc.find("skip: `" + std::string(name) + "`") != std::string::npos)
        << name;
  }
}

TEST(JqRegistry, NoBuiltinFromOtherReleases) {
  const auto defined = DefinedBuiltins();
  for (const char* name : kNotIn171) {
    EXPECT_EQ(std::find(defined.begin(), defined.end(), name), defined.end()) << name;
  }
  for (const auto& name : defined) EXPECT_NE(name[0], '_') << name;
}

TEST(JqRegistry, EveryDefinedBuiltinIsAJq171Builtin) {
  for (const auto& name : DefinedBuiltins()) {
    bool known = false;
    for (const char* b : kJq171Builtins) known = known || name == b;
    EXPECT_TRUE(known) << name << " is not a jq 1.7.1 builtin";
  }
}

}  // namespace
}  // namespace sp::jq
