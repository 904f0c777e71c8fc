#include "truth/kernel_execve.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace enoexec::truth {
namespace {

constexpr int WAIT_ROUNDS = 500;  // x 10 ms: 5 s at most, then SIGKILL

std::string errno_name(int error) {
  switch (error) {
    case ENOEXEC:
      return "ENOEXEC";
    case ENOENT:
      return "ENOENT";
    case EACCES:
      return "EACCES";
    case EIO:
      return "EIO";
    case ELIBBAD:
      return "ELIBBAD";
    case ELOOP:
      return "ELOOP";
    case ENOTDIR:
      return "ENOTDIR";
    case ETXTBSY:
      return "ETXTBSY";
    case E2BIG:
      return "E2BIG";
    case EPERM:
      return "EPERM";
    case EINVAL:
      return "EINVAL";
    case ENOMEM:
      return "ENOMEM";
    default:
      return "errno " + std::to_string(error);
  }
}

std::string signal_name(int sig) {
  switch (sig) {
    case SIGSEGV:
      return "SIGSEGV";
    case SIGKILL:
      return "SIGKILL";
    case SIGILL:
      return "SIGILL";
    case SIGBUS:
      return "SIGBUS";
    default:
      return "signal " + std::to_string(sig);
  }
}

[[noreturn]] void child(const std::string& path, int report_fd) {
  // Everything here runs in the forked child; only async-signal-safe calls.
  if (::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr) != 0) {
    const int error = errno;
    (void)!::write(report_fd, &error, sizeof error);
    ::_exit(126);
  }
  char* const argv[] = {const_cast<char*>(path.c_str()), nullptr};
  char* const envp[] = {nullptr};
  ::execve(path.c_str(), argv, envp);
  // Only reached when execve failed: report errno. On success the pipe's write end is closed by
  // O_CLOEXEC and the kernel stops us with SIGTRAP before the program's first instruction.
  const int error = errno;
  (void)!::write(report_fd, &error, sizeof error);
  ::_exit(127);
}

// Waits for the child's first state change, SIGKILLing it if it takes too long.
bool wait_bounded(pid_t pid, int& status) {
  for (int round = 0; round < WAIT_ROUNDS; ++round) {
    const pid_t got = ::waitpid(pid, &status, WNOHANG);
    if (got == pid) return true;
    if (got < 0 && errno != EINTR) return false;
    const struct timespec ten_ms { 0, 10'000'000 };
    ::nanosleep(&ten_ms, nullptr);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  return false;
}

// Kills a (stopped or still running) child and reaps it.
void kill_and_reap(pid_t pid) {
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

}  // namespace

std::string kernel_execve(const std::string& path) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return std::string("error: pipe2: ") + std::strerror(errno);
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return std::string("error: fork: ") + std::strerror(errno);
  }
  if (pid == 0) {
    ::close(fds[0]);
    child(path, fds[1]);
  }
  ::close(fds[1]);
  int status = 0;
  const bool changed = wait_bounded(pid, status);
  int error = 0;
  const ssize_t got = ::read(fds[0], &error, sizeof error);
  ::close(fds[0]);
  if (!changed) return "error: no answer from the child within 5 s";
  if (WIFSTOPPED(status)) {
    // Stopped by the kernel right after a successful execve, before the first instruction.
    kill_and_reap(pid);
    return WSTOPSIG(status) == SIGTRAP ? "ok"
                                       : "error: stopped by " + signal_name(WSTOPSIG(status));
  }
  if (WIFSIGNALED(status)) return signal_name(WTERMSIG(status));
  if (got == static_cast<ssize_t>(sizeof error)) return errno_name(error);
  return "error: child exited without an answer";
}

}  // namespace enoexec::truth
