#include "output/sarif.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view SCHEMA =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr std::size_t MAX_NOTIFICATIONS = 1000;  // entries not read, listed; the rest counted

struct RuleText {
  std::string_view code;
  std::string_view description;
};

// One line per rule code of docs/rules.md (and W_ARTIFACT_NAME, src/verdict/artifact_name.hpp).
constexpr std::array RULES{
    RuleText{"E_FILE_MISSING", "The file does not exist where it is executed from"},
    RuleText{"E_NOT_REGULAR", "Not a regular file: execve refuses it (EACCES)"},
    RuleText{"E_NOT_EXECUTABLE", "No execute permission (EACCES)"},
    RuleText{"E_NOEXEC_MOUNT", "On a file system mounted noexec (EACCES)"},
    RuleText{"E_BINFMT_INTERP_MISSING", "The binfmt_misc entry that claims the file names a missing interpreter"},
    RuleText{"E_SCRIPT_CRLF", "The #! line ends in a carriage return (CRLF line endings)"},
    RuleText{"W_SCRIPT_CRLF", "CRLF line endings after a working env -S line"},
    RuleText{"E_INTERP_MISSING", "The #! interpreter does not exist on the target"},
    RuleText{"E_INTERP_NOT_REGULAR", "The interpreter is not a regular file"},
    RuleText{"E_INTERP_NOT_EXECUTABLE", "The interpreter has no execute permission"},
    RuleText{"E_INTERP_LOOP", "More than five interpreters in a row (ELOOP)"},
    RuleText{"E_SCRIPT_BOM", "A byte-order mark before #!: the kernel does not see a script"},
    RuleText{"E_SCRIPT_PATH_TRUNCATED", "The #! line is longer than the kernel reads"},
    RuleText{"E_SCRIPT_EMPTY_INTERP", "The #! line names no interpreter"},
    RuleText{"E_SCRIPT_DECLINED", "The kernel declines the #! line"},
    RuleText{"E_NO_SHEBANG", "A script without a #! line: execve fails with ENOEXEC"},
    RuleText{"E_EMPTY_FILE", "The file is empty"},
    RuleText{"E_WINDOWS_PE", "A Windows program on a system that does not run PE files"},
    RuleText{"E_MACHO", "A Mach-O program for Apple systems on a system that does not run them"},
    RuleText{"E_MACHO_UNSIGNED", "Native arm64 code without a code signature: Apple silicon kills it"},
    RuleText{"E_MACHO_SIGNATURE_INVALID", "The code signature does not match the file: macOS kills it"},
    RuleText{"W_MACHO_SIGNATURE_INVALID", "The code signature does not match the file"},
    RuleText{"W_MACHO_SIGNATURE_UNCHECKED", "The code signature could not be checked in full"},
    RuleText{"E_UNKNOWN_FORMAT", "Not a program format the target runs"},
    RuleText{"E_ELF_HEADER", "The ELF header is truncated or invalid"},
    RuleText{"E_ELF_TYPE", "The ELF type is not an executable or shared object"},
    RuleText{"E_WRONG_ARCH", "Built for another CPU architecture than the target's"},
    RuleText{"E_NO_COMPAT32", "A 32-bit program on a kernel without 32-bit support"},
    RuleText{"E_ARM_OABI", "An old-ABI (OABI) ARM binary"},
    RuleText{"E_ELF_PHDRS", "The program header table is invalid"},
    RuleText{"E_ELF_INTERP_BAD", "PT_INTERP is invalid"},
    RuleText{"E_LOADER_MISSING", "The ELF interpreter (dynamic loader) is missing on the target"},
    RuleText{"E_LOADER_SHORT", "The ELF interpreter is shorter than an ELF header"},
    RuleText{"E_LOADER_BAD", "The ELF interpreter is not a usable ELF file"},
    RuleText{"E_PAGE_SIZE", "Segments laid out for smaller pages than the target's"},
    RuleText{"E_FOREIGN_OS", "An ELF program for another operating system"},
    RuleText{"E_LIB_MISSING", "A needed shared library is missing on the target"},
    RuleText{"E_GLIBC_TOO_OLD", "Needs a newer glibc than the target has"},
    RuleText{"E_CPU_LEVEL", "Needs a newer CPU level than the target's"},
    RuleText{"E_ENV_NEEDS_S", "An env #! line with arguments but without -S"},
    RuleText{"E_ENV_NO_COMMAND", "An env #! line without a command"},
    RuleText{"W_ARTIFACT_NAME", "The file or folder name promises another platform than the contents"},
};

std::string dump(const Json& json) { return json.dump(-1, ' ', false, Json::error_handler_t::replace); }

// One scanned root: where its results' URIs are relative to.
struct Root {
  std::string given;   // as the walker prints it: trailing slashes removed ("/" stays)
  std::string base_id;  // "SCANROOT", "SCANROOT2", ...
  std::string base_uri;  // "file:///abs/dir/"
  bool is_file = false;  // a file given as root: its URI is its name, relative to its directory
};

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

std::vector<Root> make_roots(const std::vector<std::string>& given) {
  std::vector<Root> roots;
  for (const std::string& path : given) {
    Root root;
    root.given = without_trailing_slashes(path);
    root.base_id = roots.empty() ? "SCANROOT" : fmt::format("SCANROOT{}", roots.size() + 1);
    struct stat st {};
    root.is_file = ::stat(root.given.c_str(), &st) == 0 && !S_ISDIR(st.st_mode);
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(root.given, ec).lexically_normal();
    if (root.is_file) dir = dir.parent_path();
    std::string text = dir.string();
    if (text.empty() || text.back() != '/') text += '/';
    root.base_uri = "file://" + uri_escape(text);
    roots.push_back(std::move(root));
  }
  return roots;
}

// The root a result path lies under (the longest that matches), and the path relative to it.
std::pair<const Root*, std::string> locate(const std::vector<Root>& roots, const std::string& path) {
  const Root* best = nullptr;
  std::string relative = path;
  for (const Root& root : roots) {
    std::string rest;
    if (path == root.given) {
      rest = root.is_file ? std::filesystem::path(path).filename().string() : "";
    } else if (root.given == "/" && path.starts_with('/')) {
      rest = path.substr(1);
    } else if (path.starts_with(root.given + "/")) {
      rest = path.substr(root.given.size() + 1);
    } else {
      continue;
    }
    if (!best || root.given.size() > best->given.size()) {
      best = &root;
      relative = std::move(rest);
    }
  }
  return {best, relative};
}

Json location(const std::vector<Root>& roots, const std::string& path) {
  const auto [root, relative] = locate(roots, path);
  Json artifact{{"uri", uri_escape(relative)}};
  if (root) artifact["uriBaseId"] = root->base_id;
  return Json::array({Json{{"physicalLocation", Json{{"artifactLocation", artifact}}}}});
}

class SarifScanPrinter final : public ScanPrinter {
 public:
  SarifScanPrinter(std::FILE* out, ScanPrintOptions options, std::vector<std::string> roots,
                   std::string version)
      : out_(out), options_(std::move(options)), roots_(make_roots(roots)), version_(std::move(version)) {}

  // Problems become results; an entry that could not be read becomes a notification.
  void render(ScanResult& result) const override {
    summarize(result);
    result.text.clear();
    result.rule_codes.clear();
    if (result.failed) {
      const std::string what = result.report && result.report->error ? *result.report->error : result.note;
      result.text = dump(Json{{"level", "error"},
                              {"message", Json{{"text", fmt::format("{}: {}", result.path, what)}}},
                              {"locations", location(roots_, result.path)}});
      return;
    }
    if (!result.verdict || !is_shown(result, options_)) return;
    for (const Problem& problem : result.verdict->problems) {
      std::string text = problem.message;
      if (!problem.fix.empty()) text += "\nFix: " + problem.fix;
      Json item{{"ruleId", problem.code},
                {"level", sarif_level(problem.severity)},
                {"message", Json{{"text", text}}},
                {"locations", location(roots_, result.path)},
                {"properties", Json{{"outcome", problem.outcome},
                                    {"verdict", to_string(result.verdict->verdict)},
                                    {"execve", result.verdict->execve},
                                    {"target", result.verdict->target}}}};
      if (!result.text.empty()) result.text += ',';  // not `"," + ...`: GCC 12 -O3 -Wrestrict
      result.text += dump(item);
      result.rule_codes.push_back(problem.code);
    }
  }

  bool write(const ScanResult& result) override {
    tally_.add(result, options_);
    if (!begin()) return false;
    if (result.failed) {
      if (notifications_.size() < MAX_NOTIFICATIONS) notifications_.push_back(result.text);
      return true;
    }
    for (const std::string& code : result.rule_codes)
      if (std::find(rules_.begin(), rules_.end(), code) == rules_.end()) rules_.push_back(code);
    if (result.text.empty()) return true;
    if (results_written_++ > 0) std::fputc(',', out_);
    std::fwrite(result.text.data(), 1, result.text.size(), out_);
    return std::ferror(out_) == 0;
  }

  bool finish(const ScanStats& stats) override {
    if (!begin()) return false;
    std::string tail = "],";
    const std::string run = dump(Json{{"tool", tool()},
                                      {"originalUriBaseIds", base_ids()},
                                      {"invocations", Json::array({invocation(stats)})}});
    tail += run.substr(1);  // the object's members, after the results already written
    tail += "]}\n";
    std::fwrite(tail.data(), 1, tail.size(), out_);
    return std::fflush(out_) == 0 && std::ferror(out_) == 0;
  }

  const ScanTally& tally() const override { return tally_; }
  void add_not_candidates(std::uint64_t count) override { tally_.not_candidates += count; }

 private:
  bool begin() {
    if (begun_) return true;
    begun_ = true;
    const std::string head = fmt::format(R"({{"$schema":"{}","version":"2.1.0","runs":[{{"results":[)", SCHEMA);
    std::fwrite(head.data(), 1, head.size(), out_);
    return std::ferror(out_) == 0;
  }

  Json tool() const {
    Json rules = Json::array();
    for (const std::string& code : rules_) {
      std::string anchor = code;
      std::transform(anchor.begin(), anchor.end(), anchor.begin(),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
      rules.push_back(Json{{"id", code},
                           {"shortDescription", Json{{"text", sarif_rule_description(code)}}},
                           {"helpUri", "docs/rules.md#" + anchor},
                           {"defaultConfiguration",
                            Json{{"level", code.starts_with("W_") ? "warning" : "error"}}}});
    }
    return Json{{"driver", Json{{"name", "enoexec"}, {"version", version_}, {"rules", rules}}}};
  }

  Json base_ids() const {
    Json ids = Json::object();
    for (const Root& root : roots_) ids[root.base_id] = Json{{"uri", root.base_uri}};
    return ids;
  }

  Json invocation(const ScanStats& stats) const {
    Json notes = Json::array();
    for (const std::string& text : notifications_) notes.push_back(Json::parse(text));
    Json invocation{{"executionSuccessful", tally_.errors == 0}};
    if (!notes.empty()) invocation["toolExecutionNotifications"] = notes;
    invocation["properties"] = Json{{"target", options_.target},
                                    {"directories", stats.directories},
                                    {"files", stats.files},
                                    {"candidates", tally_.candidates},
                                    {"runs", tally_.verdicts.runs},
                                    {"emulated", tally_.verdicts.emulated},
                                    {"fails", tally_.verdicts.fails},
                                    {"warnings", tally_.warned},
                                    {"errors", tally_.errors}};
    return invocation;
  }

  std::FILE* out_;
  ScanPrintOptions options_;
  std::vector<Root> roots_;
  std::string version_;
  ScanTally tally_;
  bool begun_ = false;
  std::uint64_t results_written_ = 0;
  std::vector<std::string> rules_;          // rule codes in the order first met
  std::vector<std::string> notifications_;  // rendered notification objects
};

}  // namespace

std::string_view sarif_level(std::string_view severity) {
  if (severity == "error") return "error";
  if (severity == "warning") return "warning";
  return "note";
}

std::string sarif_rule_description(std::string_view code) {
  for (const RuleText& rule : RULES)
    if (rule.code == code) return std::string(rule.description);
  return fmt::format("enoexec rule {} (docs/rules.md)", code);
}

std::string uri_escape(std::string_view path) {
  // ':' is escaped too: in a relative reference's first segment it would read as a scheme.
  constexpr std::string_view keep = "-._~!$&'()*+,;=@/";
  std::string out;
  for (const char c : path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || keep.find(c) != std::string_view::npos) out += c;
    else out += fmt::format("%{:02X}", byte);
  }
  return out;
}

std::unique_ptr<ScanPrinter> make_sarif_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     std::vector<std::string> roots,
                                                     std::string version) {
  return std::make_unique<SarifScanPrinter>(out, std::move(options), std::move(roots), std::move(version));
}

}  // namespace enoexec
