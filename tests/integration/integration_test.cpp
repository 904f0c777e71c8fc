// Integration tests over real binaries (tests/integration/README.md): every line of every
// <inputs>/<recipe>/manifest.jsonl becomes one test, which inspects the file named there and
// compares each expected JSON pointer with the `inspect --json` object. The inputs are made by
// tests/integration/fetch-inputs.sh; their expectations come from how each file was built.
// The inspected files are only read, never executed.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "enoexec/inspect.hpp"
#include "output/json.hpp"
#include "integration_support.hpp"

namespace {

using enoexec::testing_support::inputs_required;
using enoexec::testing_support::inputs_root;
using enoexec::testing_support::register_message;
using enoexec::testing_support::sanitise;

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;

struct Case {
  fs::path file;         // the input, absolute
  std::string made_by;   // how it was made, shown on failure
  Json expect;           // JSON pointer -> expected value
  std::string location;  // manifest path and line, shown on failure
};

class ManifestLineTest : public testing::Test {
 public:
  explicit ManifestLineTest(Case c) : case_(std::move(c)) {}

  void TestBody() override {
    SCOPED_TRACE(case_.location + "\n  made by: " + case_.made_by);
    ASSERT_TRUE(fs::is_regular_file(case_.file)) << "input missing: " << case_.file.string();
    const Json actual = enoexec::to_json(enoexec::inspect_file(case_.file.string()));
    bool any_failure = false;
    for (const auto& [pointer_text, expected] : case_.expect.items()) {
      Json::json_pointer pointer;
      try {
        pointer = Json::json_pointer(pointer_text);
      } catch (const Json::exception& e) {
        ADD_FAILURE() << "bad JSON pointer in manifest: " << pointer_text << " (" << e.what() << ")";
        any_failure = true;
        continue;
      }
      if (!actual.contains(pointer)) {
        ADD_FAILURE() << pointer_text << ": missing; expected " << expected.dump();
        any_failure = true;
      } else if (actual[pointer] != expected) {
        ADD_FAILURE() << pointer_text << ": expected " << expected.dump() << ", got "
                      << actual[pointer].dump();
        any_failure = true;
      }
    }
    if (any_failure) ADD_FAILURE() << "enoexec inspect --json says:\n" << actual.dump(2);
  }

 private:
  Case case_;
};

std::vector<fs::path> find_manifests(const fs::path& root) {
  std::vector<fs::path> manifests;
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path manifest = it->path() / "manifest.jsonl";
    if (it->is_directory(ec) && fs::is_regular_file(manifest, ec)) manifests.push_back(manifest);
  }
  std::sort(manifests.begin(), manifests.end());
  return manifests;
}

// Registers one test per line of `manifest`; test names are unique within the recipe.
void register_manifest(const fs::path& manifest) {
  const fs::path recipe_dir = manifest.parent_path();
  const std::string suite = sanitise(recipe_dir.filename().string());
  std::map<std::string, int> seen;
  std::ifstream in(manifest);
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (line.empty()) continue;
    const std::string location = manifest.string() + ":" + std::to_string(number);
    const Json entry = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    const bool valid = entry.is_object() && entry.contains("file") && entry["file"].is_string() &&
                       entry.contains("expect") && entry["expect"].is_object();
    if (!valid) {
      register_message(suite, "manifest_line_" + std::to_string(number),
                       location + ": not {\"file\", \"made_by\", \"expect\"}: " + line, false);
      continue;
    }
    const std::string file = entry["file"].get<std::string>();
    std::string name = sanitise(file);
    if (const int count = ++seen[name]; count > 1) name += "_" + std::to_string(count);
    Case c{recipe_dir / file,
           entry.contains("made_by") && entry["made_by"].is_string()
               ? entry["made_by"].get<std::string>()
               : std::string("(not stated)"),
           entry["expect"], location};
    testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                          [c = std::move(c)]() -> testing::Test* { return new ManifestLineTest(c); });
  }
}

void register_all() {
  const fs::path root = inputs_root();
  const std::vector<fs::path> manifests = find_manifests(root);
  if (manifests.empty()) {
    register_message("integration", "inputs",
                     "no integration inputs under " + root.string() +
                         "; run tests/integration/fetch-inputs.sh " + root.string(),
                     !inputs_required());
    return;
  }
  for (const auto& manifest : manifests) register_manifest(manifest);
}

}  // namespace

int main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  register_all();
  return RUN_ALL_TESTS();
}
