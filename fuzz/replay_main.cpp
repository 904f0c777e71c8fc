// Runs a fuzz target's entry point once over every file in the directories (or files) named on
// the command line: the regression inputs committed under fuzz/regressions/<target>/ and the
// seeds. Built with any compiler, so ctest replays past findings without libFuzzer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

int replay(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const std::filesystem::path root = argv[i];
    std::error_code ec;
    if (std::filesystem::is_regular_file(root, ec)) {
      replay(root);
      ++count;
      continue;
    }
    for (auto it = std::filesystem::recursive_directory_iterator(root, ec);
         !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) {
        replay(it->path());
        ++count;
      }
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return 0;
}
