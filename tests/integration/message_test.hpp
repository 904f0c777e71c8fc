// A test whose whole body is one message: a problem with the inputs themselves (unreadable
// manifest, bad line), reported as a failure, or as a skip when the inputs are simply absent.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace enoexec::testing_support {

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
