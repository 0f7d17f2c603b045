#include "app/summary.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <vector>

#include "app/progress.hpp"

namespace sp::app {
namespace {

std::string Pad(std::string s, size_t w) {
  if (s.size() > w) s.resize(w);
  return s + std::string(w - s.size(), ' ');
}

std::string LPad(const std::string& s, size_t w) {
  return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

// "issue", or "issue #2" when the same kind is configured more than once (resources[1]).
std::string KindLabel(const sync::SyncReport& report, const sync::KindReport& k) {
  size_t same = static_cast<size_t>(std::count_if(report.kinds.begin(), report.kinds.end(),
                                                  [&](const sync::KindReport& o) { return o.kind == k.kind; }));
  return same > 1 ? k.kind + " #" + std::to_string(k.resource_index) : k.kind;
}

// Skipped deletions grouped per blueprint and reason: whole-blueprint entries as they are, per-entity entries
// (relation targets) counted with a few example identifiers.
std::vector<std::string> SkippedLines(const sync::ReconcilePlan& plan) {
  std::vector<std::string> lines;
  std::vector<std::pair<std::string, std::string>> order;  // (blueprint, reason) of per-entity entries
  std::map<std::pair<std::string, std::string>, std::vector<std::string>> ids;
  for (const auto& s : plan.skipped) {
    if (s.identifier.empty()) {
      lines.push_back("deletion skipped: " + s.blueprint + ": " + s.reason);
      continue;
    }
    auto key = std::make_pair(s.blueprint, s.reason);
    auto& list = ids[key];
    if (list.empty()) order.push_back(key);
    list.push_back(s.identifier);
  }
  for (const auto& key : order) {
    const auto& list = ids[key];
    std::string examples;
    for (size_t i = 0; i < list.size() && i < 3; ++i) examples += (i == 0 ? "" : ", ") + list[i];
    if (list.size() > 3) examples += ", ...";
    std::string what = list.size() == 1 ? list[0] : "(" + std::to_string(list.size()) + " entities: " + examples + ")";
    lines.push_back("deletion skipped: " + key.first + " " + what + ": " + key.second);
  }
  return lines;
}

// Writes "  " + `text`, wrapped at spaces to 79 columns; continuation lines are indented by 4. A word longer
// than a line (a URL) is cut.
void PrintWrapped(std::ostream& out, const std::string& text) {
  constexpr size_t kWidth = 79;
  std::string line = "  ";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find(' ', pos);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(pos, end - pos);
    pos = end + 1;
    bool fresh = line.find_first_not_of(' ') == std::string::npos;
    bool huge = word.size() > kWidth - 4;  // fits on no line: cut it where it starts
    if (!fresh && !huge && line.size() + 1 + word.size() > kWidth) {
      out << line << "\n";
      line = "    ";
      fresh = true;
    }
    if (!fresh) line += ' ';
    while (line.size() + word.size() > kWidth) {
      size_t room = kWidth - line.size();
      out << line << word.substr(0, room) << "\n";
      word.erase(0, room);
      line = "    ";
    }
    line += word;
  }
  out << line << "\n";
}

void PrintCapped(std::ostream& out, const std::vector<std::string>& lines, size_t total, const std::string& what) {
  for (size_t i = 0; i < lines.size() && i < kTextListCap; ++i) PrintWrapped(out, lines[i]);
  size_t shown = std::min(lines.size(), kTextListCap);
  if (total > shown) out << "  ... and " << (total - shown) << " more " << what << "\n";
}

void PrintKindTable(const SummaryFacts& facts, std::ostream& out) {
  const auto& report = *facts.report;
  // 14 + 65 = 79 columns; every number keeps a space before it below 10^6.
  static const char* const kCols[] = {"raw",     "filtered",  "invalid", "created",
                                      "updated", "unchanged", "failed",  "deleted"};
  static const size_t kWidths[] = {7, 9, 8, 8, 8, 10, 7, 8};
  out << Pad("kind", 14);
  for (size_t i = 0; i < std::size(kCols); ++i) out << LPad(kCols[i], kWidths[i]);
  out << "\n";
  sync::KindReport total;
  bool any_failed_kind = false;
  auto row = [&out](const std::string& name, const sync::KindReport& k) {
    uint64_t values[] = {k.counters.raw,
                         k.counters.filtered_out,
                         k.counters.invalid + k.counters.selector_errors,
                         k.created,
                         k.updated,
                         k.unchanged,
                         k.failed,
                         k.deleted};
    out << Pad(name, 14);
    for (size_t i = 0; i < std::size(values); ++i) out << LPad(std::to_string(values[i]), kWidths[i]);
    out << "\n";
  };
  for (const auto& k : report.kinds) {
    bool failed_kind = k.kind_failed || !k.fetch_error.empty();
    any_failed_kind = any_failed_kind || failed_kind;
    row(Pad(KindLabel(report, k), 11) + (failed_kind ? " !" : ""), k);
    total.counters += k.counters;
    total.created += k.created;
    total.updated += k.updated;
    total.unchanged += k.unchanged;
    total.failed += k.failed;
    total.deleted += k.deleted;
  }
  if (report.kinds.size() > 1) row("total", total);
  if (any_failed_kind) out << "  ! not read or mapped completely: none of its stale entities were deleted\n";
  if (facts.dry_run) out << "  (dry run: created, updated and deleted are what a real resync would do)\n";
}

void PrintDeletions(const SummaryFacts& facts, std::ostream& out) {
  const auto& plan = facts.report->plan;
  if (plan.per_blueprint.empty()) return;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.1f%%", plan.rate * 100.0);
  out << "Deletions (stale rate " << rate << (plan.threshold_exceeded ? ", above entityDeletionThreshold" : "")
      << "):\n";
  out << "  " << Pad("blueprint", 30) << LPad("owned", 10) << LPad("stale", 10)
      << LPad(facts.dry_run ? "would del" : "deleting", 10) << LPad("kept", 10) << "\n";
  for (const auto& [bp, s] : plan.per_blueprint) {
    out << "  " << Pad(bp, 30) << LPad(std::to_string(s.owned), 10) << LPad(std::to_string(s.stale), 10)
        << LPad(std::to_string(s.to_delete), 10) << LPad(std::to_string(s.skipped), 10) << "\n";
  }
}

void PrintProblems(const SummaryFacts& facts, std::ostream& out) {
  const auto& report = *facts.report;
  for (const auto& k : report.kinds) {
    std::string label = KindLabel(report, k);
    if (!k.fetch_error.empty()) PrintWrapped(out, label + ": " + k.fetch_error);
    std::vector<std::string> scopes;
    for (const auto& s : k.failed_scopes) {
      scopes.push_back(label + ": " + s.scope + " " + model::ScopeStateName(s.state) + ": " + s.reason);
    }
    PrintCapped(out, scopes, scopes.size(), "unread scopes of " + label);
    std::vector<std::string> diagnostics;
    for (const auto& d : k.diagnostics) diagnostics.push_back(label + ": " + d.ToString());
    PrintCapped(out, diagnostics, diagnostics.size(), "mapping messages of " + label);
    std::vector<std::string> writes;
    for (const auto& e : k.upsert_errors) writes.push_back(label + ": write failed: " + e);
    PrintCapped(out, writes, std::max<uint64_t>(k.failed, writes.size()), "failed writes of " + label);
  }
  auto skipped = SkippedLines(report.plan);
  PrintCapped(out, skipped, skipped.size(), "skipped deletions");
  std::vector<std::string> deletes;
  for (const auto& e : report.delete_errors) deletes.push_back("delete failed: " + e);
  PrintCapped(out, deletes, deletes.size(), "failed deletions");
  if (!report.fatal.empty()) PrintWrapped(out, "stopped: " + report.fatal);
}

}  // namespace

long PeakRssKb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

const char* ResyncStatus(const sync::SyncReport& report) {
  if (report.aborted) return "aborted";
  return report.Complete() ? "complete" : "incomplete";
}

void PrintSummaryTable(const SummaryFacts& facts, std::ostream& out) {
  const auto& report = *facts.report;
  std::string status = ResyncStatus(report);
  if (status != "complete") {
    for (char& c : status) c = static_cast<char>(c - 'a' + 'A');
  }
  out << (facts.dry_run ? "Dry run" : "Resync") << " into "
      << (facts.target_type == "port" ? "Port " : "local catalog ") << facts.target << ": " << status << "\n";
  PrintKindTable(facts, out);
  PrintDeletions(facts, out);
  PrintProblems(facts, out);
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.2f s", static_cast<double>(report.duration.count()) / 1000.0);
  out << "API calls: Sentry " << facts.sentry_calls << ", Port " << facts.port_calls
      << (facts.target_type == "port" ? "" : " (local target)") << "\nDuration " << duration << "; peak memory "
      << (facts.peak_rss_kb + 512) / 1024 << " MiB\n";
  if (facts.dry_run) {
    for (const auto& p : report.planned) {
      const char* a = p.action == sync::PlannedChange::Action::CREATE   ? "create"
                      : p.action == sync::PlannedChange::Action::UPDATE ? "update"
                                                                        : "delete";
      out << a << " " << p.blueprint << " " << p.identifier << (p.detail.empty() ? "" : " (" + p.detail + ")") << "\n";
    }
    uint64_t changes = report.plan.TotalToDelete();
    for (const auto& k : report.kinds) changes += k.created + k.updated;
    if (report.planned.size() < changes) {
      out << "  (the list is capped; the counts above are complete)\n";
    }
  }
}

}  // namespace sp::app
