// What the integration drivers share: where the inputs are (ENOEXEC_INPUTS, else the build's
// default), whether they are required, test names from paths, and a test whose whole body is one
// message (a problem with the inputs themselves: unreadable manifest, bad line), reported as a
// failure, or as a skip when the inputs are simply absent.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

namespace enoexec::testing_support {

inline std::filesystem::path inputs_root() {
  const char* env = std::getenv("ENOEXEC_INPUTS");
  return (env != nullptr && *env != '\0') ? std::filesystem::path(env)
                                          : std::filesystem::path(ENOEXEC_DEFAULT_INPUTS);
}

inline bool inputs_required() {
  const char* env = std::getenv("ENOEXEC_REQUIRE_INPUTS");
  return env != nullptr && std::string(env) == "1";
}

// A gtest name from any text: letters and digits kept, everything else '_'.
inline std::string sanitise(const std::string& text) {
  std::string out;
  for (const char c : text) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    out += word ? c : '_';
  }
  return out;
}

class MessageTest : public testing::Test {
 public:
  MessageTest(std::string message, bool skip) : message_(std::move(message)), skip_(skip) {}
  void TestBody() override {
    if (skip_) GTEST_SKIP() << message_;
    FAIL() << message_;
  }

 private:
  std::string message_;
  bool skip_;
};

inline void register_message(const std::string& suite, const std::string& name, std::string message,
                             bool skip) {
  testing::RegisterTest(suite.c_str(), name.c_str(), nullptr, nullptr, __FILE__, __LINE__,
                        [message = std::move(message), skip]() -> testing::Test* {
                          return new MessageTest(message, skip);
                        });
}

}  // namespace enoexec::testing_support
