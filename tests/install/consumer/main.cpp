// Prints what the installed library makes of each file: "PATH FORMAT PLATFORM".
#include <cstdio>

#include "enoexec/inspect.hpp"
#include "enoexec/platform.hpp"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const enoexec::FileReport report = enoexec::inspect_file(argv[i]);
    const std::string platform = report.platform ? enoexec::to_oci(*report.platform) : "-";
    std::printf("%s %s %s\n", argv[i], std::string(enoexec::to_string(report.format)).c_str(),
                platform.c_str());
  }
  return 0;
}
