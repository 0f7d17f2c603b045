#include "jq/compiler.hpp"

#include <algorithm>
#include <cstdio>

#include "jq/interp.hpp"
#include "jq/lexer.hpp"
#include "jq/parser.hpp"

namespace sp::jq {

extern const std::string_view kPreludeText;

namespace {

struct ScopeEntry {
  Env::Kind kind;
  std::string name;
  int arity = 0;
};

struct ResolveError {
  int pos;
  std::string message;
};

class Resolver {
 public:
  Resolver(const Library* lib, const std::vector<std::string>& globals) : lib_(lib), globals_(globals) {}

  void Resolve(Node* n) {
    if (!n) return;
    switch (n->kind) {
      case NodeKind::VAR: ResolveVar(n); return;
      case NodeKind::CALL:
        ResolveCall(n);
        for (auto& kid : n->kids) Resolve(kid.get());
        return;
      case NodeKind::FUNCDEFS: ResolveDefs(n); return;
      case NodeKind::AS:
        Resolve(n->kids[0].get());
        BindPatterns(n);
        Resolve(n->kids[1].get());
        Pop(n->pattern_vars.size());
        return;
      case NodeKind::REDUCE:
        Resolve(n->kids[0].get());
        Resolve(n->kids[1].get());
        BindPatterns(n);
        Resolve(n->kids[2].get());
        Pop(n->pattern_vars.size());
        return;
      case NodeKind::FOREACH:
        Resolve(n->kids[0].get());
        Resolve(n->kids[1].get());
        BindPatterns(n);
        Resolve(n->kids[2].get());
        Resolve(n->kids[3].get());
        Pop(n->pattern_vars.size());
        return;
      case NodeKind::LABEL:
        scope_.push_back({Env::Kind::LABEL, n->name, 0});
        Resolve(n->kids[0].get());
        Pop(1);
        return;
      case NodeKind::BREAK: {
        int hops = Find(Env::Kind::LABEL, n->name, 0);
        if (hops < 0) throw ResolveError{n->pos, "$*label-" + n->name + " is not defined"};
        n->hops = hops;
        return;
      }
      case NodeKind::NEG:
        Resolve(n->kids[0].get());
        if (n->kids[0]->kind == NodeKind::LITERAL && n->kids[0]->value.IsNumber()) {
          n->kind = NodeKind::LITERAL;
          n->value = json::Value::Number(-n->kids[0]->value.AsNumber());
          n->kids.clear();
        }
        return;
      case NodeKind::OBJECT:
        for (auto& e : n->entries) {
          Resolve(e.key.get());
          Resolve(e.value.get());
        }
        return;
      default:
        for (auto& kid : n->kids) Resolve(kid.get());
        return;
    }
  }

  void ResolveGlobalDef(FuncDef* def) {
    def->global = true;
    user_globals_.push_back(def);
    ResolveBody(def);
  }

 private:
  int Find(Env::Kind kind, const std::string& name, int arity) const {
    for (size_t i = scope_.size(); i-- > 0;) {
      const auto& e = scope_[i];
      bool match = false;
      if (kind == Env::Kind::FUNC) {
        match = (e.kind == Env::Kind::FUNC && e.name == name && e.arity == arity) ||
                (e.kind == Env::Kind::CLOSURE && arity == 0 && e.name == name);
      } else {
        match = e.kind == kind && e.name == name;
      }
      if (match) return static_cast<int>(scope_.size() - 1 - i);
    }
    return -1;
  }

  void Pop(size_t n) { scope_.resize(scope_.size() - n); }

  void ResolveVar(Node* n) {
    int hops = Find(Env::Kind::VAR, n->name, 0);
    if (hops >= 0) {
      n->bind = BindKind::LOCAL;
      n->hops = hops;
      return;
    }
    for (size_t i = globals_.size(); i-- > 0;) {
      if (globals_[i] == n->name) {
        n->bind = BindKind::GLOBAL_VAR;
        n->index = static_cast<int>(i);
        return;
      }
    }
    throw ResolveError{n->pos, "$" + n->name + " is not defined"};
  }

  void ResolveCall(Node* n) {
    const int arity = static_cast<int>(n->kids.size());
    int hops = Find(Env::Kind::FUNC, n->name, arity);
    if (hops >= 0) {
      const auto& e = scope_[scope_.size() - 1 - static_cast<size_t>(hops)];
      n->bind = e.kind == Env::Kind::CLOSURE ? BindKind::PARAM : BindKind::LOCAL;
      n->hops = hops;
      return;
    }
    for (size_t i = user_globals_.size(); i-- > 0;) {
      const FuncDef* d = user_globals_[i];
      if (d->name == n->name && static_cast<int>(d->params.size()) == arity) {
        n->bind = BindKind::GLOBAL_FUNC;
        n->target = d;
        return;
      }
    }
    const std::string key = n->name + "/" + std::to_string(arity);
    if (lib_) {
      if (auto it = lib_->by_name.find(key); it != lib_->by_name.end()) {
        n->bind = BindKind::GLOBAL_FUNC;
        n->target = it->second;
        return;
      }
    }
    if (int id = FindIntrinsic(n->name, arity); id >= 0) {
      n->bind = BindKind::INTRINSIC;
      n->intrinsic = id;
      return;
    }
    const Library* natives = lib_ ? lib_ : building_;
    if (natives) {
      if (auto it = natives->natives.find(key); it != natives->natives.end()) {
        n->bind = BindKind::NATIVE;
        n->native = it->second;
        return;
      }
    }
    throw ResolveError{n->pos, key + " is not defined"};
  }

  void ResolveBody(FuncDef* def) {
    for (const auto& p : def->params) {
      scope_.push_back({Env::Kind::CLOSURE, p[0] == '$' ? p.substr(1) : p, 0});
    }
    size_t pushed = def->params.size();
    for (const auto& p : def->params) {
      if (p[0] == '$') {
        scope_.push_back({Env::Kind::VAR, p.substr(1), 0});
        ++pushed;
      }
    }
    Resolve(def->body.get());
    Pop(pushed);
  }

  void ResolveDefs(Node* n) {
    if (scope_.empty()) {
      // No local binding is visible: the definitions need no captured env (called like builtins).
      const size_t before = user_globals_.size();
      for (auto& def : n->defs) {
        def->global = true;
        user_globals_.push_back(def.get());
        std::vector<ScopeEntry> saved;
        saved.swap(scope_);
        ResolveBody(def.get());
        saved.swap(scope_);
      }
      Resolve(n->kids[0].get());
      user_globals_.resize(before);
      return;
    }
    for (auto& def : n->defs) {
      scope_.push_back({Env::Kind::FUNC, def->name, static_cast<int>(def->params.size())});
      // The body sees the definition itself (recursion) and the earlier ones, plus its parameters.
      ResolveBody(def.get());
    }
    Resolve(n->kids[0].get());
    Pop(n->defs.size());
  }

  void CollectVars(Pattern& p, std::vector<std::string>& vars) {
    auto index_of = [&](const std::string& name) {
      auto it = std::find(vars.begin(), vars.end(), name);
      if (it != vars.end()) return static_cast<int>(it - vars.begin());
      vars.push_back(name);
      return static_cast<int>(vars.size() - 1);
    };
    switch (p.kind) {
      case Pattern::Kind::VAR: p.var_index = index_of(p.name); break;
      case Pattern::Kind::ARRAY:
        for (auto& item : p.items) CollectVars(*item, vars);
        break;
      case Pattern::Kind::OBJECT:
        p.entry_var_index.clear();
        for (auto& e : p.entries) {
          p.entry_var_index.push_back(e.var.empty() ? -1 : index_of(e.var));
          if (e.key) Resolve(e.key.get());
          if (e.value) CollectVars(*e.value, vars);
        }
        break;
    }
  }

  void BindPatterns(Node* n) {
    n->pattern_vars.clear();
    for (auto& p : n->patterns) CollectVars(*p, n->pattern_vars);
    for (const auto& v : n->pattern_vars) scope_.push_back({Env::Kind::VAR, v, 0});
  }

 public:
  const Library* building_ = nullptr;  // natives available while the prelude itself is resolved

 private:
  const Library* lib_;
  const std::vector<std::string>& globals_;
  std::vector<ScopeEntry> scope_;
  std::vector<const FuncDef*> user_globals_;
};

}  // namespace

std::span<const NativeBuiltin> AllNatives();

const Library& BuiltinLibrary() {
  static const Library* lib = [] {
    auto* l = new Library();
    for (const auto& nb : AllNatives()) l->natives[std::string(nb.name) + "/" + std::to_string(nb.arity)] = &nb;
    auto parsed = ParseDefinitions(kPreludeText);
    if (!parsed.ok()) std::fprintf(stderr, "jq prelude: %s\n", parsed.error().message.c_str());
    SP_ASSERT(parsed.ok(), "the builtin prelude does not parse");
    l->defs = std::move(parsed).value();
    static const std::vector<std::string> kGlobals = {"ENV"};
    Resolver r(nullptr, kGlobals);
    r.building_ = l;
    for (auto& def : l->defs) {
      try {
        r.ResolveGlobalDef(def.get());
      } catch (const ResolveError& e) {
        std::fprintf(stderr, "jq prelude: %s\n", FormatCompileError(kPreludeText, e.pos, e.message).c_str());
        SP_ASSERT(false, "the builtin prelude does not resolve");
      }
      l->by_name[def->name + "/" + std::to_string(def->params.size())] = def.get();
    }
    return l;
  }();
  return *lib;
}

Status Resolve(Node* root, std::string_view source, const Library* lib, const std::vector<std::string>& globals) {
  try {
    Resolver r(lib, globals);
    r.Resolve(root);
    return {};
  } catch (const ResolveError& e) {
    return Error(ErrorCode::PARSE, FormatCompileError(source, e.pos, e.message));
  }
}

}  // namespace sp::jq
