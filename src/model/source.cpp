#include "model/source.hpp"

namespace sp::model {

const char* ScopeStateName(ScopeState state) {
  switch (state) {
    case ScopeState::COMPLETE: return "complete";
    case ScopeState::DENIED: return "denied";
    case ScopeState::FAILED: return "failed";
  }
  return "unknown";
}

bool FetchReport::Complete() const {
  if (aborted) return false;
  for (const auto& s : scopes) {
    if (s.state != ScopeState::COMPLETE) return false;
  }
  return true;
}

}  // namespace sp::model
