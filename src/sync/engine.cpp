#include "sync/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <mutex>
#include <set>
#include <unordered_map>

#include "json/write.hpp"
#include "sync/write_queue.hpp"

namespace sp::sync {
namespace {

constexpr size_t kMaxRecordedErrors = 20;
constexpr size_t kMaxRetainedFailures = 20000;

std::string IdentifierOf(const json::Value& entity) {
  const json::Value* id = entity.Find("identifier");
  if (id == nullptr) return {};
  if (id->IsString()) return std::string(id->AsString());
  return {};  // search-query identifiers resolve server-side
}

std::string BlueprintOf(const json::Value& entity) {
  const json::Value* bp = entity.Find("blueprint");
  return bp != nullptr && bp->IsString() ? std::string(bp->AsString()) : std::string();
}

// The blueprint a resource always writes, when its expression is a constant (`'"sentryIssue"'`): evaluating it
// on null tells, without data. "" for a data-dependent blueprint.
std::string StaticBlueprint(const mapping::ResourceConfig& resource) {
  if (!resource.mappings.blueprint) return {};
  auto v = resource.mappings.blueprint->program.First(json::Value());
  if (v.ok() && v->IsString() && !v->AsString().empty()) return std::string(v->AsString());
  return {};
}

bool SameTeams(const json::Value& a, const json::Value& b) {
  if (!a.IsArray() || !b.IsArray()) return a == b;
  std::vector<json::Value> x(a.Items().begin(), a.Items().end());
  std::vector<json::Value> y(b.Items().begin(), b.Items().end());
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y;
}

const json::Value& FieldOr(const json::Value* obj, std::string_view key, const json::Value& fallback) {
  if (obj == nullptr || !obj->IsObject()) return fallback;
  const json::Value* v = obj->Find(key);
  return v != nullptr ? *v : fallback;
}

}  // namespace

std::vector<std::string> DiffEntity(const json::Value& desired, const json::Value& current) {
  std::vector<std::string> diff;
  static const json::Value kNull;
  for (const char* key : {"title", "icon"}) {
    if (const json::Value* d = desired.Find(key)) {
      if (!(*d == FieldOr(&current, key, kNull))) diff.emplace_back(key);
    }
  }
  if (const json::Value* d = desired.Find("team")) {
    if (!SameTeams(*d, FieldOr(&current, "team", kNull))) diff.emplace_back("team");
  }
  for (const char* group : {"properties", "relations"}) {
    const json::Value* d = desired.Find(group);
    if (d == nullptr || !d->IsObject()) continue;
    const json::Value* c = current.Find(group);
    for (const auto& m : d->Members()) {
      const json::Value& cur = FieldOr(c, m.key.AsString(), kNull);
      bool equal =
          std::string_view(group) == "relations" && m.value.IsArray() ? SameTeams(m.value, cur) : m.value == cur;
      if (!equal) diff.push_back(std::string(group) + "." + std::string(m.key.AsString()));
    }
  }
  return diff;
}

bool SyncReport::Complete() const {
  if (aborted || unauthenticated || !fatal.empty()) return false;
  for (const auto& k : kinds) {
    if (k.kind_failed) return false;
  }
  return true;
}

namespace {

class Run;

// Receives one resource's raw batches from its source, maps and writes them.
class ResourceSink : public model::RawSink {
 public:
  ResourceSink(Run& run, const mapping::KindMapper& mapper, KindReport& report)
      : run_(run), mapper_(mapper), report_(report) {}
  bool OnBatch(std::string_view kind, std::vector<json::Value>&& items) override;
  void OnScope(std::string_view kind, const model::ScopeStatus& status) override;

 private:
  Run& run_;
  const mapping::KindMapper& mapper_;
  KindReport& report_;
};

struct FailedEntity {
  std::string blueprint;
  json::Value entity;  // the full entity: a retry never strips fields (port-api.md §11.1)
  size_t kind_index;
};

class Run {
 public:
  Run(const std::shared_ptr<const mapping::AppConfig>& config, model::EntitySink& sink, const SyncOptions& options,
      SyncReport& report)
      : config_(config),
        sink_(sink),
        options_(options),
        report_(report),
        queue_(options.write_concurrency, options.write_concurrency * 2) {
    write_.merge = config->enable_merge_entity;
    write_.create_missing_related_entities = config->create_missing_related_entities;
  }

  bool Cancelled() const { return options_.cancel != nullptr && options_.cancel->load(); }

  void Write(const mapping::KindMapper& mapper, KindReport& kr, std::vector<json::Value>&& raw);
  //! Waits until every page handed to Write has been written.
  void Drain() { queue_.Drain(); }
  void RetryFailures();
  void Reconcile();

  std::mutex mu;  // guards report_ kinds, produced_, failures_, planned

 private:
  std::string RelationTarget(const std::string& blueprint, std::string_view relation);
  void Record(const std::string& blueprint, const json::Value& entity);
  void WriteBlueprint(KindReport& kr, size_t kind_index, const std::string& blueprint, std::vector<json::Value>& ents);
  void Progress(KindReport& kr);

  std::shared_ptr<const mapping::AppConfig> config_;
  model::EntitySink& sink_;
  const SyncOptions& options_;
  SyncReport& report_;
  model::WriteOptions write_;
  std::vector<ProducedEntity> produced_;
  std::set<std::pair<std::string, std::string>> seen_targets_;  // relation targets already in produced_
  std::vector<FailedEntity> failures_;
  std::mutex bp_mu_;
  std::unordered_map<std::string, json::Value> blueprints_;  // cache of sink.Blueprint()
  WriteQueue queue_;  // last member: its workers stop before anything they use is destroyed

  friend class ResourceSink;
};

bool ResourceSink::OnBatch(std::string_view /*kind*/, std::vector<json::Value>&& items) {
  if (run_.Cancelled()) return false;
  run_.Write(mapper_, report_, std::move(items));
  return !run_.Cancelled();
}

void ResourceSink::OnScope(std::string_view kind, const model::ScopeStatus& status) {
  if (status.state == model::ScopeState::COMPLETE) return;
  spdlog::warn("Could not read {} of kind {}: {} ({})", status.scope, kind, model::ScopeStateName(status.state),
               status.reason);
  std::lock_guard lock(run_.mu);
  report_.failed_scopes.push_back(status);
  report_.kind_failed = true;
}

std::string Run::RelationTarget(const std::string& blueprint, std::string_view relation) {
  std::lock_guard lock(bp_mu_);
  auto it = blueprints_.find(blueprint);
  if (it == blueprints_.end()) {
    auto bp = sink_.Blueprint(blueprint);
    it = blueprints_.emplace(blueprint, bp.ok() ? bp.value() : json::Value()).first;
  }
  const json::Value* rels = it->second.IsObject() ? it->second.Find("relations") : nullptr;
  const json::Value* rel = rels != nullptr && rels->IsObject() ? rels->Find(relation) : nullptr;
  const json::Value* target = rel != nullptr && rel->IsObject() ? rel->Find("target") : nullptr;
  return target != nullptr && target->IsString() ? std::string(target->AsString()) : std::string();
}

// Requires mu.
void Run::Record(const std::string& blueprint, const json::Value& entity) {
  ProducedEntity p;
  p.blueprint = blueprint;
  p.identifier = IdentifierOf(entity);
  if (p.identifier.empty()) return;  // search identifiers cannot be matched against owned entities
  if (const json::Value* rels = entity.Find("relations"); rels != nullptr && rels->IsObject()) {
    for (const auto& m : rels->Members()) {
      std::vector<std::string> ids;
      auto add = [&](const json::Value& v) {
        if (v.IsString()) ids.emplace_back(v.AsString());
      };
      if (m.value.IsArray()) {
        for (const auto& v : m.value.Items()) add(v);
      } else {
        add(m.value);
      }
      if (ids.empty()) continue;
      std::string target = RelationTarget(blueprint, m.key.AsString());
      // Relation-target protection only needs the set of targets: thousands of issues point to the same
      // project, so each target is kept once (memory stays proportional to distinct targets).
      for (auto& id : ids) {
        if (seen_targets_.emplace(target, id).second) p.targets.emplace_back(target, std::move(id));
      }
    }
  }
  produced_.push_back(std::move(p));
}

void Run::WriteBlueprint(KindReport& kr, size_t kind_index, const std::string& blueprint,
                         std::vector<json::Value>& ents) {
  // Skip what the sink already holds unchanged: an unchanged resync writes nothing.
  std::vector<json::Value> to_write;
  std::vector<PlannedChange> planned;
  uint64_t unchanged = 0;
  std::unordered_map<std::string, json::Value> current;
  if (options_.skip_unchanged || options_.dry_run) {
    std::vector<std::string> ids;
    for (const auto& e : ents) {
      std::string id = IdentifierOf(e);
      if (!id.empty()) ids.push_back(std::move(id));
    }
    auto found = sink_.Lookup(blueprint, ids);
    if (found.ok()) {
      for (auto& e : *found) current.emplace(IdentifierOf(e), std::move(e));
    } else {
      spdlog::warn("Could not look up current {} entities ({}); writing the whole batch", blueprint,
                   found.error().ToString());
    }
  }
  for (auto& e : ents) {
    std::string id = IdentifierOf(e);
    auto it = id.empty() ? current.end() : current.find(id);
    if (it == current.end()) {
      if (options_.dry_run) planned.push_back({PlannedChange::Action::CREATE, blueprint, id, ""});
      to_write.push_back(std::move(e));
      continue;
    }
    auto diff = DiffEntity(e, it->second);
    if (diff.empty() && options_.skip_unchanged) {
      ++unchanged;
      continue;
    }
    if (options_.dry_run) {
      std::string detail;
      for (const auto& d : diff) detail += (detail.empty() ? "" : ", ") + d;
      planned.push_back({PlannedChange::Action::UPDATE, blueprint, id, detail});
    }
    to_write.push_back(std::move(e));
  }
  uint64_t created = 0, updated = 0, failed = 0;
  std::vector<std::string> errors;
  std::vector<FailedEntity> retry;
  if (options_.dry_run) {
    for (const auto& p : planned) (p.action == PlannedChange::Action::CREATE ? created : updated)++;
  } else if (!to_write.empty()) {
    auto results = sink_.Upsert(blueprint, to_write, write_);
    if (!results.ok()) {
      failed = to_write.size();
      errors.push_back(blueprint + ": " + results.error().ToString());
    } else {
      for (size_t i = 0; i < results->size(); ++i) {
        const auto& r = (*results)[i];
        if (r.ok) {
          (r.created ? created : updated)++;
          continue;
        }
        ++failed;
        if (errors.size() < kMaxRecordedErrors) {
          errors.push_back(r.identifier + ": " + std::to_string(r.status) + " " + r.error + " " + r.message);
        }
        // A missing relation target may exist once every kind is written (port-api.md §5.2 step 6a).
        if (r.status == 404 && !write_.create_missing_related_entities) {
          retry.push_back({blueprint, to_write[i], kind_index});
        }
      }
    }
  }
  std::lock_guard lock(mu);
  kr.created += created;
  kr.updated += updated;
  kr.unchanged += unchanged;
  kr.failed += failed;
  for (auto& e : errors) {
    if (kr.upsert_errors.size() < kMaxRecordedErrors) kr.upsert_errors.push_back(std::move(e));
  }
  for (auto& f : retry) {
    if (failures_.size() < kMaxRetainedFailures) failures_.push_back(std::move(f));
  }
  for (auto& p : planned) {
    if (report_.planned.size() < options_.max_planned_changes) report_.planned.push_back(std::move(p));
  }
}

void Run::Write(const mapping::KindMapper& mapper, KindReport& kr, std::vector<json::Value>&& raw) {
  uint64_t fetched = raw.size();
  auto batch = mapper.MapBatch(std::span<const json::Value>(raw));
  raw.clear();
  // Group by blueprint, keeping order within each.
  std::vector<std::pair<std::string, std::vector<json::Value>>> groups;
  for (auto& e : batch.entities) {
    std::string bp = BlueprintOf(e);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == bp; });
    if (it == groups.end()) {
      groups.emplace_back(bp, std::vector<json::Value>{});
      it = groups.end() - 1;
    }
    it->second.push_back(std::move(e));
  }
  {
    std::lock_guard lock(mu);
    kr.fetched += fetched;
    kr.counters += batch.report.counters;
    kr.kind_failed = kr.kind_failed || batch.report.kind_failed;
    for (const auto& d : batch.report.diagnostics) {
      auto it = std::find_if(kr.diagnostics.begin(), kr.diagnostics.end(), [&](const mapping::Diagnostic& x) {
        return x.path == d.path && x.severity == d.severity && x.null_value == d.null_value;
      });
      if (it == kr.diagnostics.end()) {
        kr.diagnostics.push_back(d);
      } else {
        it->count += d.count;
      }
    }
    for (const auto& [bp, ents] : groups) {
      if (std::find(kr.blueprints.begin(), kr.blueprints.end(), bp) == kr.blueprints.end()) {
        kr.blueprints.push_back(bp);
      }
      // Every entity that passed the selector counts as produced, written or not (Ocean's rule): a failed
      // upsert must not turn a live entity into a stale one.
      for (const auto& e : ents) Record(bp, e);
    }
  }
  size_t kind_index = kr.resource_index;
  // The fetching thread goes back to Sentry while a writer looks up and upserts this page.
  for (auto& group : groups) {
    queue_.Push([this, &kr, kind_index, bp = std::move(group.first), ents = std::move(group.second)]() mutable {
      if (Cancelled()) return;
      try {
        WriteBlueprint(kr, kind_index, bp, ents);
      } catch (const std::exception& e) {
        std::lock_guard lock(mu);
        kr.failed += ents.size();
        if (kr.upsert_errors.size() < kMaxRecordedErrors) kr.upsert_errors.push_back(bp + ": " + e.what());
      }
      Progress(kr);
    });
  }
  if (groups.empty()) Progress(kr);
}

void Run::Progress(KindReport& kr) {
  if (options_.on_progress) {
    std::lock_guard lock(mu);
    options_.on_progress(kr.kind, kr.fetched, kr.created + kr.updated + kr.unchanged);
  }
  if (options_.on_kind_progress) {
    std::lock_guard lock(mu);
    options_.on_kind_progress(kr);
  }
}

void Run::RetryFailures() {
  if (failures_.empty() || options_.dry_run || Cancelled()) return;
  // Relation targets first: a blueprint that others point to is retried before them.
  std::map<std::string, int> depth;
  for (const auto& f : failures_) depth.emplace(f.blueprint, 0);
  for (int round = 0; round < 8; ++round) {
    for (auto& [bp, d] : depth) {
      for (const auto& [other, od] : depth) {
        if (other == bp) continue;
        auto blueprint = sink_.Blueprint(other);
        const json::Value* rels = blueprint.ok() && blueprint->IsObject() ? blueprint->Find("relations") : nullptr;
        if (rels == nullptr || !rels->IsObject()) continue;
        for (const auto& m : rels->Members()) {
          const json::Value* t = m.value.Find("target");
          if (t != nullptr && t->IsString() && t->AsString() == bp) d = std::max(d, od + 1);
        }
      }
    }
  }
  std::stable_sort(failures_.begin(), failures_.end(), [&](const FailedEntity& a, const FailedEntity& b) {
    return depth[a.blueprint] > depth[b.blueprint];
  });
  spdlog::info("Retrying {} entities whose relation targets were missing", failures_.size());
  for (auto& f : failures_) {
    auto res = sink_.Upsert(f.blueprint, {f.entity}, write_);
    if (res.ok() && !res->empty() && (*res)[0].ok) {
      auto& kr = report_.kinds[f.kind_index];
      --kr.failed;
      ((*res)[0].created ? kr.created : kr.updated)++;
    }
  }
}

void Run::Reconcile() {
  ReconcileInput in;
  in.threshold = config_->entity_deletion_threshold;
  in.protect_relation_targets = config_->create_missing_related_entities;
  in.produced = std::move(produced_);
  if (Cancelled()) {
    report_.aborted = true;
    in.block_all = true;
    in.block_all_reason = "the resync was aborted by a newer one";
  }
  for (size_t i = 0; i < report_.kinds.size(); ++i) {
    auto& kr = report_.kinds[i];
    if (!kr.kind_failed && kr.fetch_error.empty()) continue;
    kr.kind_failed = true;
    std::string why = "kind " + kr.kind + " (resources[" + std::to_string(kr.resource_index) + "]) ";
    if (!kr.fetch_error.empty()) {
      why += "could not be read: " + kr.fetch_error;
    } else if (!kr.failed_scopes.empty()) {
      why += "had " + std::to_string(kr.failed_scopes.size()) +
             " unread scope(s), first: " + kr.failed_scopes[0].scope + " " +
             model::ScopeStateName(kr.failed_scopes[0].state);
    } else {
      why += "had mapping failures (selector errors or entities without identifier/blueprint)";
    }
    std::string fixed = StaticBlueprint(config_->resources[kr.resource_index]);
    if (fixed.empty()) {
      in.block_all = true;
      in.block_all_reason = why + "; its blueprint depends on the data, so no blueprint is safe to clean";
    } else {
      in.blocked[fixed].push_back(why);
    }
  }
  if (!report_.fatal.empty()) {
    in.block_all = true;
    in.block_all_reason = report_.fatal;
  }
  if (!options_.delete_stale) {
    in.block_all = true;
    in.block_all_reason = "deletion is disabled";
  }
  auto owned = sink_.Owned();
  if (!owned.ok()) {
    report_.delete_errors.push_back("could not list owned entities: " + owned.error().ToString());
    return;
  }
  in.owned = std::move(owned).value();
  std::set<std::string> bps;
  for (const auto& o : in.owned) bps.insert(o.blueprint);
  for (const auto& bp : bps) {
    auto blueprint = sink_.Blueprint(bp);
    const json::Value* rels = blueprint.ok() && blueprint->IsObject() ? blueprint->Find("relations") : nullptr;
    if (rels == nullptr || !rels->IsObject()) continue;
    for (const auto& m : rels->Members()) {
      const json::Value* t = m.value.Find("target");
      if (t != nullptr && t->IsString()) in.relation_graph[bp].insert(std::string(t->AsString()));
    }
  }
  report_.plan = PlanDeletions(in);
  for (const auto& s : report_.plan.skipped) {
    spdlog::info("Skipping deletion of {}{}{}: {}", s.blueprint, s.identifier.empty() ? "" : " ", s.identifier,
                 s.reason);
  }
  for (const auto& d : report_.plan.deletions) {
    if (options_.dry_run) {
      for (const auto& id : d.identifiers) {
        if (report_.planned.size() < options_.max_planned_changes) {
          report_.planned.push_back({PlannedChange::Action::DELETE, d.blueprint, id, "no longer in Sentry"});
        }
      }
      report_.deleted += d.identifiers.size();
      continue;
    }
    auto res = sink_.Delete(d.blueprint, d.identifiers, config_->delete_dependent_entities);
    if (!res.ok()) {
      report_.delete_errors.push_back(d.blueprint + ": " + res.error().ToString());
      continue;
    }
    report_.deleted += res->size();
    for (auto& kr : report_.kinds) {
      if (std::find(kr.blueprints.begin(), kr.blueprints.end(), d.blueprint) != kr.blueprints.end() ||
          StaticBlueprint(config_->resources[kr.resource_index]) == d.blueprint) {
        kr.deleted += res->size();
        break;
      }
    }
  }
}

}  // namespace

SyncReport RunResync(const std::shared_ptr<const mapping::AppConfig>& config, const SourceFactory& sources,
                     model::EntitySink& sink, const SyncOptions& options) {
  auto start = std::chrono::steady_clock::now();
  SyncReport report;
  report.kinds.resize(config->resources.size());
  Run run(config, sink, options, report);
  for (size_t i = 0; i < config->resources.size() && !run.Cancelled(); ++i) {
    const auto& resource = config->resources[i];
    KindReport& kr = report.kinds[i];
    kr.resource_index = i;
    kr.kind = resource.kind;
    auto source = sources(resource.kind);
    if (source == nullptr) {
      kr.fetch_error = "kind '" + resource.kind + "' is not supported";
      continue;
    }
    mapping::KindMapper mapper(config, i);
    ResourceSink rs(run, mapper, kr);
    spdlog::info("Resyncing kind {} (resources[{}])", resource.kind, i);
    auto fetched = source->Fetch(resource.selector.fields, rs);
    // Every entity of this kind is written before the next kind starts (relation targets first).
    run.Drain();
    if (!fetched.ok()) {
      kr.fetch_error = fetched.error().ToString();
      if (fetched.error().code == ErrorCode::UNAUTHENTICATED) {
        report.unauthenticated = true;
        report.fatal = fetched.error().ToString();
        break;
      }
      continue;
    }
    if (fetched->aborted || run.Cancelled()) break;
    if (!fetched->Complete()) kr.kind_failed = true;
  }
  for (size_t i = 0; i < report.kinds.size(); ++i) {
    if (report.kinds[i].kind.empty()) {
      report.kinds[i].resource_index = i;
      report.kinds[i].kind = config->resources[i].kind;
    }
  }
  run.Drain();
  run.RetryFailures();
  run.Reconcile();
  report.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  return report;
}

}  // namespace sp::sync
