#include "differential.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "jq/program.hpp"
#include "json/parse.hpp"
#include "json/write.hpp"

namespace sp::jq::differential {
namespace {

std::string Wrap(const std::string& program) {
  return "(try [" + program + "] catch {\"__error\": .})";
}

std::string Bundle(const std::vector<std::string>& programs, size_t from, size_t to) {
  std::string text;
  for (size_t i = from; i < to; ++i) text += (i > from ? ",\n" : "") + Wrap(programs[i]);
  return text;
}

std::string CompileErrorLine() {
  return R"({"__compile_error":true})";
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "jqdiff-XXXXXX").string();
    path_ = mkdtemp(pattern.data()) ? pattern : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  std::string File(const std::string& name, const std::string& content) const {
    std::string p = path_ + "/" + name;
    std::ofstream(p, std::ios::binary) << content;
    return p;
  }

 private:
  std::string path_;
};

// Runs the reference on one bundle; returns false when it failed as a whole (e.g. a compile error).
bool RunReference(const std::string& command, const std::string& program_text, const std::string& inputs_file,
                  const TempDir& tmp, std::vector<std::string>& lines) {
  std::string program_file = tmp.File("program.jq", program_text);
  std::string cmd = "timeout 30 " + command + " '" + program_file + "' '" + inputs_file + "' 2>/dev/null";
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string out;
  char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return false;
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return true;
}

// Our engine on one bundle: one line per (input, program) in jq's order. False when the bundle does not compile.
bool RunOurs(const std::string& program_text, const std::vector<std::string>& inputs, std::vector<std::string>& lines) {
  CompileOptions options;
  options.limits.max_steps = 2'000'000;
  auto program = Program::Compile(program_text, options);
  if (!program.ok()) return false;
  // Names what is about to run, so an engine crash can be traced to its program (JQ_DIFFERENTIAL_TRACE=1).
  const bool trace = std::getenv("JQ_DIFFERENTIAL_TRACE") != nullptr;
  for (const std::string& text : inputs) {
    auto input = json::Parse(text);
    if (!input.ok()) return false;
    if (trace) std::fprintf(stderr, "ours: %s\n  on %s\n", program_text.c_str(), text.c_str());
    Status st = program.value().Run(input.value(), [&](const json::Value& v) {
      lines.push_back(json::ToJson(v));
      return true;
    });
    // An error escaping the try wrapper (e.g. a limit) still gives one line per remaining program slot; mark it.
    if (!st.ok()) lines.push_back(R"({"__uncaught":)" + json::ToJson(json::Value::String(st.error().message)) + "}");
  }
  return true;
}

bool ParseLine(const std::string& line, json::Value& out) {
  auto parsed = json::Parse(line);
  if (!parsed.ok()) return false;
  out = std::move(parsed).value();
  return true;
}

bool IsErrorObject(const json::Value& v, std::string_view key) {
  return v.IsObject() && v.Size() == 1 && v.Find(key) != nullptr;
}

std::string ReplaceAll(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

std::string UndoLiterals(const std::string& line) {
  std::string s = ReplaceAll(line, "100000000000000000001", "1e+20");
  s = ReplaceAll(s, "1.50", "1.5");
  s = ReplaceAll(s, "1.000", "1");
  for (const char* end : {"]", ">", "}", ",", "\""})
    s = ReplaceAll(s, std::string("1.0") + end, std::string("1") + end);
  return s;
}

// Names the known difference that explains ours != reference, or "UNEXPLAINED".
std::string Classify(const std::string& program, const std::string& ours_line, const std::string& ref_line) {
  json::Value ours;
  json::Value ref;
  if (!ParseLine(ours_line, ours) || !ParseLine(ref_line, ref)) return "UNEXPLAINED";
  if (IsErrorObject(ours, "__compile_error") || IsErrorObject(ref, "__compile_error")) {
    if (!IsErrorObject(ref, "__compile_error") || IsErrorObject(ours, "__compile_error")) return "UNEXPLAINED";
    return "KD-JQ16-COMPILE";
  }
  // Only the printed literal differs (1.7.1 keeps `1.50` and `100000000000000000001`, 1.6 prints the double):
  // the corpus inputs hold exactly these literals, so undoing them in our text must give the reference's.
  if (UndoLiterals(ours_line) == ref_line) return "KD-NUMBER-LITERAL";
  // jq 1.6 bug (fixed in 1.7): an error raised after a `?` has backtracked is swallowed by that `?`.
  if (program.find('?') != std::string::npos && IsErrorObject(ours, "__error") && !IsErrorObject(ref, "__error")) {
    return "KD-TRY-SCOPE";
  }
  if (IsErrorObject(ours, "__error") && IsErrorObject(ref, "__error")) return "KD-ERROR-TEXT";
  if (program.find("limit(0") != std::string::npos) return "KD-LIMIT-0";
  return "UNEXPLAINED";
}

void Record(Outcome& outcome, const std::string& program, const std::string& input, const std::string& ours,
            const std::string& ref) {
  ++outcome.compared;
  if (ours == ref) {
    ++outcome.equal;
    return;
  }
  outcome.differences.push_back({program, input, ours, ref, Classify(program, ours, ref)});
}

}  // namespace

Outcome Compare(const std::string& reference_command, const std::vector<std::string>& programs,
                const std::vector<std::string>& inputs, size_t bundle) {
  Outcome outcome;
  TempDir tmp;
  std::string inputs_text;
  for (const std::string& in : inputs) inputs_text += in + "\n";
  const std::string inputs_file = tmp.File("inputs.json", inputs_text);
  if (bundle == 0) bundle = 1;
  for (size_t from = 0; from < programs.size(); from += bundle) {
    const size_t to = std::min(programs.size(), from + bundle);
    const size_t k = to - from;
    std::vector<std::string> ref_lines;
    std::vector<std::string> our_lines;
    const std::string text = Bundle(programs, from, to);
    bool ref_ok = RunReference(reference_command, text, inputs_file, tmp, ref_lines);
    bool our_ok = RunOurs(text, inputs, our_lines);
    if (ref_ok && our_ok && ref_lines.size() == k * inputs.size() && our_lines.size() == k * inputs.size()) {
      for (size_t i = 0; i < inputs.size(); ++i) {
        for (size_t p = 0; p < k; ++p) {
          Record(outcome, programs[from + p], inputs[i], our_lines[i * k + p], ref_lines[i * k + p]);
        }
      }
      continue;
    }
    if (k == 1) {
      // One program that failed as a whole on a side: a compile error (or a crash/hang of the reference).
      for (size_t i = 0; i < inputs.size(); ++i) {
        std::string ours = our_ok && our_lines.size() == inputs.size() ? our_lines[i] : CompileErrorLine();
        std::string ref = ref_ok && ref_lines.size() == inputs.size() ? ref_lines[i] : CompileErrorLine();
        Record(outcome, programs[from], inputs[i], ours, ref);
      }
      continue;
    }
    // Split the bundle: one program at a time.
    std::vector<std::string> one(programs.begin() + static_cast<long>(from), programs.begin() + static_cast<long>(to));
    Outcome part = Compare(reference_command, one, inputs, 1);
    outcome.compared += part.compared;
    outcome.equal += part.equal;
    for (Case& c : part.differences) outcome.differences.push_back(std::move(c));
  }
  return outcome;
}

std::set<std::string> KnownIds(const std::string& doc_path) {
  std::set<std::string> ids;
  std::ifstream in(doc_path);
  // A table row whose first cell is a backquoted id: "| `KD-NAME` | ...".
  for (std::string line; std::getline(in, line);) {
    size_t start = line.find_first_not_of(" |");
    if (line.empty() || line[0] != '|' || start == std::string::npos) continue;
    if (line.compare(start, 4, "`KD-") != 0 && line.compare(start, 4, "`KB-") != 0) continue;
    size_t end = line.find('`', start + 1);
    if (end != std::string::npos) ids.insert(line.substr(start + 1, end - start - 1));
  }
  return ids;
}

std::string Summary(const Outcome& outcome, size_t max_lines) {
  std::map<std::string, size_t> per_kind;
  for (const Case& c : outcome.differences) ++per_kind[c.kind];
  std::ostringstream out;
  out << "compared " << outcome.compared << " (program, input) pairs: " << outcome.equal << " equal, "
      << outcome.differences.size() << " different\n";
  for (const auto& [kind, n] : per_kind) out << "  " << kind << ": " << n << "\n";
  size_t shown = 0;
  for (const Case& c : outcome.differences) {
    if (shown++ == max_lines) break;
    out << "[" << c.kind << "] program: " << c.program << "\n    input: " << c.input << "\n    ours:  " << c.ours
        << "\n    ref:   " << c.reference << "\n";
  }
  return out.str();
}

}  // namespace sp::jq::differential
