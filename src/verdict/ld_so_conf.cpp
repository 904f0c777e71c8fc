// The library directories /etc/ld.so.conf lists on a target, as ldconfig reads them into
// ld.so.cache: one absolute directory per line, '#' comments, and "include" lines (with a glob)
// that read further files in name order.
#include <algorithm>
#include <set>
#include <utility>
#include <string_view>

#include "verdict/rules.hpp"

namespace enoexec {
namespace {

constexpr int MAX_CONF_INCLUDES = 8;          // bounds ld.so.conf "include" nesting
constexpr std::size_t MAX_CONF_FILES = 256;   // and the files read in all

// What one reading of ld.so.conf has seen: each file is read once. Files that include each
// other (or a directory of files each including the whole directory) would otherwise be read
// once per path to them: ten such files, eight levels deep, are 10^8 reads.
struct ConfRead {
  std::set<std::string> files;
  std::vector<std::string> dirs;
};

// "include" lines of ld.so.conf may name globs; only "dir/*.conf" style (one '*' in the file
// name) is supported, which is what distributions ship.
bool glob_match(std::string_view pattern, std::string_view name) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos) return pattern == name;
  const auto prefix = pattern.substr(0, star), suffix = pattern.substr(star + 1);
  return name.size() >= prefix.size() + suffix.size() && name.starts_with(prefix) &&
         name.ends_with(suffix);
}

void read_ld_so_conf(const JudgeContext& context, const std::string& path, int depth,
                     ConfRead& read) {
  if (depth > MAX_CONF_INCLUDES || read.files.size() >= MAX_CONF_FILES) return;
  if (!read.files.insert(path).second) return;
  const std::vector<std::uint8_t> bytes = context.target_head(path, 64 * 1024);
  std::string text(bytes.begin(), bytes.end());
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    if (line.empty()) continue;
    if (line.starts_with("include")) {
      std::string pattern = line.substr(7);
      pattern.erase(0, pattern.find_first_not_of(" \t"));
      if (!pattern.starts_with('/')) pattern = verdict::directory_of(path) + "/" + pattern;
      // The pattern is absolute by now: its file part follows the last '/' ("" for "/").
      const std::string dir = verdict::directory_of(pattern);
      const std::string file = pattern.substr(pattern.rfind('/') + 1);
      std::vector<std::string> names = context.target_list(dir);
      std::sort(names.begin(), names.end());
      for (const auto& name : names)
        if (glob_match(file, name)) read_ld_so_conf(context, dir + "/" + name, depth + 1, read);
    } else if (line.starts_with('/')) {
      read.dirs.push_back(line);
    }
  }
}

}  // namespace

namespace verdict {

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace verdict

std::vector<std::string> JudgeContext::ld_so_conf_dirs() const {
  ConfRead read;
  read_ld_so_conf(*this, "/etc/ld.so.conf", 0, read);
  return std::move(read.dirs);
}

}  // namespace enoexec
