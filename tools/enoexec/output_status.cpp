#include "output_status.hpp"

#include <poll.h>
#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include <fmt/format.h>

#include "support/display_text.hpp"

namespace enoexec::cli {
namespace {

std::atomic<int> g_earned{0};

}  // namespace

void earn_status(int status) {
  int seen = g_earned.load();
  while (seen < status && !g_earned.compare_exchange_weak(seen, status)) {
  }
}

int earned_status() { return g_earned.load(); }

bool reader_gone(std::FILE* stream) {
  if (errno == EPIPE) return true;
  // errno may have been overwritten since the failed write: ask the descriptor. The write end
  // of a pipe (or a socket) whose reader closed polls as POLLERR.
  const int fd = fileno(stream);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0 || !(S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) return false;
  pollfd p{fd, POLLOUT, 0};
  return poll(&p, 1, 0) == 1 && (p.revents & POLLERR) != 0;
}

void report_input_error(std::string_view path, std::string_view message) {
  fmt::print(stderr, "enoexec: {}: {}\n", escape_for_display(path), escape_for_display(message));
}

}  // namespace enoexec::cli
