// Inspecting a large binary must touch only the pages that hold its headers and tables: the
// mapping is read lazily, so the count of page faults, not the file size, is the cost.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "enoexec/inspect.hpp"

namespace enoexec {
namespace {

long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

TEST(LargeFile, Inspecting100MegabytesTouchesFewPages) {
  const auto dir = std::filesystem::temp_directory_path() / "enoexec-large-file-test";
  std::filesystem::create_directories(dir);
  const auto blob = dir / "blob", big = dir / "big";
  {
    std::ofstream out(blob, std::ios::binary);
    std::string chunk(1 << 20, '\x5a');
    for (int i = 0; i < 100; ++i) out.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  }
  // A real ELF grown by a 100 MB section: its section table now lies past the blob.
  const std::string command = "objcopy --add-section .blob=" + blob.string() +
                              " /bin/true " +
                              big.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  ASSERT_GT(std::filesystem::file_size(big), 100u << 20);

  const long before = minor_faults();
  const FileReport report = inspect_file(big.string());
  const long faults = minor_faults() - before;
  std::filesystem::remove_all(dir);

  EXPECT_FALSE(report.error.has_value()) << *report.error;
  EXPECT_EQ(report.format, Format::elf);
  // Reading the whole file would fault at least 100 MiB / (4 KiB x 16-page fault-around) = 1600 times.
  EXPECT_LT(faults, 300) << "page faults while inspecting a 100 MB file";
}

}  // namespace
}  // namespace enoexec
