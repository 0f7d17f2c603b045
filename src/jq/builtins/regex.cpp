// Regular expressions (jq 1.7.1 manual, "Regular expressions"), on Oniguruma as jq uses it: Perl_NG syntax,
// UTF-8, ONIG_OPTION_CAPTURE_GROUP (plain groups capture next to named ones), flags g i x n s m p l.
//
// Offsets and lengths in match objects are code points. A global search goes on after an empty match one
// code point further, and also tries the position right after a non-empty match, so
// `"abc" | [match("";"g")]` gives offsets 0,1,2,3 and `gsub("^\\s*|\\s*$";"")` trims and terminates.
// Compiled patterns are cached per thread (no shared mutable state); Oniguruma's global initialisation runs
// once under std::call_once.
//
// jq-level definitions built on these natives live in families.jq; the natives are:
//   _match_impl($re; $flags; $test)  test: boolean; otherwise the array of match objects
//   _capture_object                  a match object -> {name: string} for its named captures
//   _regex_split($re; $flags)        the pieces of the input between the matches of a global search
//   _sub_splice($edits)              sub/gsub's assembly: $edits = [[offset, length, [replacement...]], ...]
//                                    -> the array of result strings ([] when there was no match)

#include <oniguruma.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "jq/builtins/detail/text.hpp"
#include "jq/builtins/native.hpp"

namespace sp::jq {
namespace {

using json::Value;

struct RegexDeleter {
  void operator()(regex_t* reg) const { onig_free(reg); }
};
using RegexPtr = std::unique_ptr<regex_t, RegexDeleter>;

struct MatchParamDeleter {
  void operator()(OnigMatchParam* param) const { onig_free_match_param(param); }
};
using MatchParamPtr = std::unique_ptr<OnigMatchParam, MatchParamDeleter>;

// Backtracking budget of one search (all start positions together): a pathological pattern ends with
// Oniguruma's "retry-limit-in-search over" error instead of running for minutes.
constexpr unsigned long kRetryLimitInSearch = 20'000'000;

struct RegionDeleter {
  void operator()(OnigRegion* region) const { onig_region_free(region, 1); }
};
using RegionPtr = std::unique_ptr<OnigRegion, RegionDeleter>;

struct Compiled {
  RegexPtr reg;
  std::vector<Value> group_names;  // index = group number; null for unnamed groups
};

struct Flags {
  OnigOptionType options = ONIG_OPTION_CAPTURE_GROUP;
  bool global = false;
};

void InitOnigOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
}

Result<Flags> ParseFlags(const Value& flags) {
  Flags out;
  if (flags.IsNull()) return out;
  if (!flags.IsString()) return detail::TypeError(flags, "is not a string");
  for (char c : flags.AsString()) {
    switch (c) {
      case 'g': out.global = true; break;
      case 'i': out.options |= ONIG_OPTION_IGNORECASE; break;
      case 'x': out.options |= ONIG_OPTION_EXTEND; break;
      case 'n': out.options |= ONIG_OPTION_FIND_NOT_EMPTY; break;
      case 's': out.options |= ONIG_OPTION_SINGLELINE; break;
      case 'm': out.options |= ONIG_OPTION_MULTILINE; break;
      case 'p': out.options |= ONIG_OPTION_MULTILINE | ONIG_OPTION_SINGLELINE; break;
      case 'l': out.options |= ONIG_OPTION_FIND_LONGEST; break;
      default: return detail::RuntimeError(std::string(flags.AsString()) + " is not a valid modifier string");
    }
  }
  return out;
}

int CollectName(const OnigUChar* name, const OnigUChar* name_end, int group_count, int* groups, regex_t*, void* arg) {
  auto* names = static_cast<std::vector<Value>*>(arg);
  const Value name_value =
      Value::String(std::string_view(reinterpret_cast<const char*>(name), static_cast<size_t>(name_end - name)));
  for (int i = 0; i < group_count; ++i) {
    if (groups[i] >= 0 && static_cast<size_t>(groups[i]) < names->size()) (*names)[groups[i]] = name_value;
  }
  return 0;
}

std::string OnigMessage(int code, OnigErrorInfo* info) {
  OnigUChar buf[ONIG_MAX_ERROR_MESSAGE_LEN];
  if (info != nullptr) {
    onig_error_code_to_str(buf, code, info);
  } else {
    onig_error_code_to_str(buf, code);
  }
  return std::string(reinterpret_cast<const char*>(buf));
}

// Per-thread cache of compiled patterns, keyed by options and pattern text. Bounded: cleared when full, which
// keeps the common case (a mapping reusing a handful of patterns) allocation-free.
Result<const Compiled*> Compile(std::string_view pattern, OnigOptionType options) {
  constexpr size_t kMaxCached = 128;
  thread_local std::unordered_map<std::string, Compiled> cache;
  thread_local std::string key;  // reused so that a cache hit allocates nothing
  key.assign(reinterpret_cast<const char*>(&options), sizeof(options));
  key.append(pattern);
  if (auto it = cache.find(key); it != cache.end()) return &it->second;
  InitOnigOnce();
  regex_t* raw = nullptr;
  OnigErrorInfo info{};
  const auto* begin = reinterpret_cast<const OnigUChar*>(pattern.data());
  const int rc = onig_new(&raw, begin, begin + pattern.size(), options, ONIG_ENCODING_UTF8, ONIG_SYNTAX_PERL_NG, &info);
  if (rc != ONIG_NORMAL) {
    if (raw != nullptr) onig_free(raw);
    return detail::RuntimeError(std::string(pattern) +
                                " (at offset 0) is not a valid regex: " + OnigMessage(rc, &info));
  }
  Compiled compiled{RegexPtr(raw), {}};
  compiled.group_names.assign(static_cast<size_t>(onig_number_of_captures(raw)) + 1, Value());
  onig_foreach_name(raw, CollectName, &compiled.group_names);
  if (cache.size() >= kMaxCached) cache.clear();
  return &cache.emplace(key, std::move(compiled)).first->second;
}

// One match in byte offsets; groups[0] is the whole match, -1 marks a group that did not take part.
struct RawMatch {
  std::vector<std::pair<long, long>> groups;
};

// Runs the search loop; `on_match` returns false to stop early.
template <typename OnMatch>
Status Search(const Compiled& re, std::string_view s, bool global, OnMatch&& on_match) {
  // Per-thread scratch: a search never runs inside another one (on_match does not call back into regex).
  thread_local RegionPtr region(onig_region_new());
  thread_local MatchParamPtr param = [] {
    MatchParamPtr p(onig_new_match_param());
    onig_initialize_match_param(p.get());
    onig_set_retry_limit_in_search_of_match_param(p.get(), kRetryLimitInSearch);
    return p;
  }();
  const auto* str = reinterpret_cast<const OnigUChar*>(s.data());
  const OnigUChar* end = str + s.size();
  size_t start = 0;
  RawMatch m;
  do {
    const int rc =
        onig_search_with_param(re.reg.get(), str, end, str + start, end, region.get(), ONIG_OPTION_NONE, param.get());
    if (rc == ONIG_MISMATCH) break;
    if (rc < 0) return detail::RuntimeError(OnigMessage(rc, nullptr));
    m.groups.clear();
    for (int i = 0; i < region->num_regs; ++i) m.groups.emplace_back(region->beg[i], region->end[i]);
    if (!on_match(m)) break;
    const auto match_end = static_cast<size_t>(region->end[0]);
    if (region->end[0] == region->beg[0]) {
      // Empty match: step over one code point (jq steps one byte, which splits multi-byte characters).
      if (match_end >= s.size()) break;
      size_t next = match_end;
      detail::NextCodepoint(s, next);
      start = next;
    } else {
      start = match_end;
    }
  } while (global && start <= s.size());
  return {};
}

// Byte offset -> code point offset, remembering its position so that a left-to-right scan stays linear.
class CodepointCursor {
 public:
  explicit CodepointCursor(std::string_view s) : s_(s) {}
  double At(size_t byte) {
    if (byte < byte_) byte_ = cp_ = 0;
    while (byte_ < byte) {
      detail::NextCodepoint(s_, byte_);
      ++cp_;
    }
    return static_cast<double>(cp_);
  }

 private:
  std::string_view s_;
  size_t byte_ = 0;
  size_t cp_ = 0;
};

double CodepointCount(std::string_view s) {
  size_t pos = 0;
  size_t n = 0;
  while (pos < s.size()) {
    detail::NextCodepoint(s, pos);
    ++n;
  }
  return static_cast<double>(n);
}

Value MatchObject(const Compiled& re, std::string_view s, const RawMatch& m, CodepointCursor& cursor) {
  const auto [beg, end] = m.groups[0];
  const std::string_view text = s.substr(static_cast<size_t>(beg), static_cast<size_t>(end - beg));
  const double offset = cursor.At(static_cast<size_t>(beg));
  Value captures = Value::Array();
  for (size_t g = 1; g < m.groups.size(); ++g) {
    const Value& name = g < re.group_names.size() ? re.group_names[g] : Value();
    if (beg == end) {
      // jq 1.7.1 reports every group of an empty match as an empty string at the match offset, in this key
      // order, whether or not the group took part.
      captures.Append(Value::Object({{Value::String("offset"), Value::Number(offset)},
                                     {Value::String("string"), Value::String("")},
                                     {Value::String("length"), Value::Number(0)},
                                     {Value::String("name"), name}}));
      continue;
    }
    const auto [gbeg, gend] = m.groups[g];
    if (gbeg < 0) {
      captures.Append(Value::Object({{Value::String("offset"), Value::Number(-1)},
                                     {Value::String("length"), Value::Number(0)},
                                     {Value::String("string"), Value()},
                                     {Value::String("name"), name}}));
      continue;
    }
    const std::string_view gtext = s.substr(static_cast<size_t>(gbeg), static_cast<size_t>(gend - gbeg));
    captures.Append(Value::Object({{Value::String("offset"), Value::Number(cursor.At(static_cast<size_t>(gbeg)))},
                                   {Value::String("length"), Value::Number(CodepointCount(gtext))},
                                   {Value::String("string"), Value::String(gtext)},
                                   {Value::String("name"), name}}));
  }
  return Value::Object({{Value::String("offset"), Value::Number(offset)},
                        {Value::String("length"), Value::Number(CodepointCount(text))},
                        {Value::String("string"), Value::String(text)},
                        {Value::String("captures"), std::move(captures)}});
}

struct Prepared {
  const Compiled* re;
  Flags flags;
};

Result<Prepared> Prepare(const Value& input, const Value& regex, const Value& flags_value) {
  if (!input.IsString()) return detail::TypeError(input, "cannot be matched, as it is not a string");
  if (!regex.IsString()) return detail::TypeError(regex, "is not a string");
  auto flags = ParseFlags(flags_value);
  if (!flags) return flags.error();
  auto re = Compile(regex.AsString(), flags->options);
  if (!re) return re.error();
  return Prepared{*re, *flags};
}

Result<Value> MatchImpl(const Value& input, std::span<const Value> args, const NativeContext&) {
  auto prepared = Prepare(input, args[0], args[1]);
  if (!prepared) return prepared.error();
  const std::string_view s = input.AsString();
  const bool test = args[2].kind() == json::Kind::TRUE_VALUE;
  if (test) {
    bool found = false;
    auto st = Search(*prepared->re, s, false, [&](const RawMatch&) {
      found = true;
      return false;
    });
    if (!st) return st.error();
    return Value::Bool(found);
  }
  Value out = Value::Array();
  CodepointCursor cursor(s);
  auto st = Search(*prepared->re, s, prepared->flags.global, [&](const RawMatch& m) {
    out.Append(MatchObject(*prepared->re, s, m, cursor));
    return true;
  });
  if (!st) return st.error();
  return out;
}

Result<Value> CaptureObject(const Value& input, std::span<const Value>, const NativeContext&) {
  const Value* captures = input.IsObject() ? input.Find("captures") : nullptr;
  if (captures == nullptr || !captures->IsArray()) return detail::TypeError(input, "is not a match object");
  Value out = Value::Object();
  for (const Value& capture : captures->Items()) {
    const Value* name = capture.IsObject() ? capture.Find("name") : nullptr;
    if (name == nullptr || !name->IsString()) continue;
    const Value* text = capture.Find("string");
    out.Set(*name, text != nullptr ? *text : Value());
  }
  return out;
}

// split/2: the pieces between the matches of a global search (jq's definition slices between match
// boundaries, so leading, trailing and adjacent matches give empty pieces).
Result<Value> RegexSplit(const Value& input, std::span<const Value> args, const NativeContext&) {
  auto prepared = Prepare(input, args[0], args[1]);
  if (!prepared) return prepared.error();
  const std::string_view s = input.AsString();
  Value out = Value::Array();
  size_t previous = 0;
  auto st = Search(*prepared->re, s, true, [&](const RawMatch& m) {
    const auto beg = static_cast<size_t>(m.groups[0].first);
    // A match that starts before the previous boundary (possible after an empty match) gives an empty piece.
    out.Append(Value::String(beg >= previous ? s.substr(previous, beg - previous) : std::string_view()));
    previous = static_cast<size_t>(m.groups[0].second);
    return true;
  });
  if (!st) return st.error();
  out.Append(Value::String(s.substr(std::min(previous, s.size()))));
  return out;
}

// Code point offset -> byte offset, clamped to the string (jq's string slices clamp too).
size_t ByteOffset(std::string_view s, double cp_offset, size_t from_byte = 0, double from_cp = 0) {
  size_t pos = from_byte;
  double cp = from_cp;
  while (pos < s.size() && cp < cp_offset) {
    detail::NextCodepoint(s, pos);
    cp += 1;
  }
  return pos;
}

Error CannotAdd(std::string_view gap, const Value& insert) {
  return detail::RuntimeError(CannotBinop(Value::String(gap), insert, "added"));
}

// sub/gsub's assembly, written from the manual's description and jq 1.7.1's observable results: the k-th
// output of the replacement filter is used for every match of the k-th result (`[gsub("(?<a>.)";
// "\(.a|ascii_upcase)", "\(.a|ascii_downcase)")]` on "aB" gives ["AB","ab"]). A null replacement counts as
// "", other non-strings are jq's "cannot be added" error.
Result<Value> SubSplice(const Value& input, std::span<const Value> args, const NativeContext&) {
  if (!input.IsString()) return detail::TypeError(input, "cannot be matched, as it is not a string");
  const Value& edits = args[0];
  if (!edits.IsArray()) return detail::TypeError(edits, "is not an array of edits");
  const std::string_view s = input.AsString();
  std::vector<std::optional<std::string>> results;
  size_t previous = 0;  // bytes
  double previous_cp = 0;
  for (const Value& edit : edits.Items()) {
    if (!edit.IsArray() || edit.Size() != 3 || !edit[0].IsNumber() || !edit[1].IsNumber() || !edit[2].IsArray()) {
      return detail::TypeError(edit, "is not a valid edit");
    }
    const double offset = edit[0].AsNumber();
    // Edits come in increasing order, so converting from the previous boundary keeps this linear.
    const size_t beg = offset >= previous_cp ? ByteOffset(s, offset, previous, previous_cp) : ByteOffset(s, offset);
    const std::string_view gap = beg >= previous ? s.substr(previous, beg - previous) : std::string_view();
    const std::span<const Value> inserts = edit[2].Items();
    if (results.size() < inserts.size()) results.resize(inserts.size());
    for (size_t k = 0; k < inserts.size(); ++k) {
      const Value& insert = inserts[k];
      if (!insert.IsNull() && !insert.IsString()) return CannotAdd(gap, insert);
      std::string& acc = results[k] ? *results[k] : results[k].emplace();
      acc.append(gap);
      if (insert.IsString()) acc.append(insert.AsString());
    }
    const double end_cp = offset + edit[1].AsNumber();
    previous = ByteOffset(s, end_cp, beg, offset);
    previous_cp = end_cp;
  }
  Value out = Value::Array();
  const std::string_view tail = s.substr(std::min(previous, s.size()));
  for (auto& r : results) {
    std::string text = r ? std::move(*r) : std::string();
    text.append(tail);
    out.Append(Value::String(std::move(text)));
  }
  return out;
}

constexpr NativeBuiltin kRegexBuiltins[] = {
    {"_match_impl", 3, MatchImpl},
    {"_capture_object", 0, CaptureObject},
    {"_regex_split", 2, RegexSplit},
    {"_sub_splice", 1, SubSplice},
};

}  // namespace

std::span<const NativeBuiltin> RegexBuiltins() {
  return kRegexBuiltins;
}

}  // namespace sp::jq
