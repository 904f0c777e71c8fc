#include "host/host_files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "support/mapped_file.hpp"

namespace enoexec::host {
namespace {

bool absent(int err) { return err == ENOENT || err == ENOTDIR || err == ELOOP; }

}  // namespace

// A root of only slashes (or none) is this machine.
HostFiles::HostFiles(std::string root)
    : root_(std::move(root)),
      files_(std::make_shared<const DirectoryRoot>(root_.empty() ? std::string("/") : root_)),
      live_(root_.find_first_not_of('/') == std::string::npos) {}

HostFiles::HostFiles(std::shared_ptr<const RootFileSystem> files, std::string root)
    : root_(std::move(root)), files_(std::move(files)) {}

// Every link — in the middle of the path too (/lib -> usr/lib) — is followed relative to the
// root, with the kernel's hop limit. On the running system this gives what realpath() gives: one
// name per file, so aliases (/lib/ld-linux.so.2 -> /lib32/ld-linux.so.2) can be recognised.
std::optional<std::string> HostFiles::resolve(std::string_view host_path) const {
  const auto resolved = files_->resolve(host_path);
  if (!resolved) return std::nullopt;
  return resolved->absolute();
}

std::optional<Result<FileContents>> HostFiles::contents(std::string_view host_path) const {
  const auto resolved = files_->resolve(host_path);
  if (!resolved) return std::nullopt;
  return files_->contents_of(*resolved);
}

std::optional<std::vector<std::uint8_t>> HostFiles::head(std::string_view host_path, std::size_t max) const {
  auto bytes = files_->read_head(host_path, max);
  if (!bytes) return std::nullopt;
  return std::move(*bytes);
}

std::optional<std::string> HostFiles::read(std::string_view host_path, std::size_t cap) {
  const auto resolved = files_->resolve(host_path);
  if (!resolved) return std::nullopt;
  auto text = files_->text_of(*resolved, cap);
  if (!text) {
    const int err = text.error();
    const auto status = files_->status_of(*resolved);
    if (err == EINVAL && status) {
      warn(fmt::format("{}: not a regular file ({})", host_path, describe_file_type(status->mode)));
    } else if (!absent(err)) {
      warn(fmt::format("{}: cannot open: {}", host_path, std::strerror(err)));
    }
    return std::nullopt;
  }
  if (text->truncated) warn(fmt::format("{}: longer than {} bytes; read only those", host_path, cap));
  return std::move(text->bytes);
}

std::vector<std::string> HostFiles::list(std::string_view host_path) {
  bool truncated = false;
  auto names = files_->list(host_path, DIRECTORY_CAP, truncated).value_or(std::vector<std::string>{});
  if (truncated)
    warn(fmt::format("{}: more than {} entries; listed only those", host_path, DIRECTORY_CAP));
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace enoexec::host
