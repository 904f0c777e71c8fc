// JSON's null for facts that are not known: every printer uses these, so "unknown" reads the
// same in every object.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace enoexec::json_null {

template <class T>
nlohmann::ordered_json or_null(const std::optional<T>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json();
}

// An empty string is an unknown name.
inline nlohmann::ordered_json or_null(const std::string& value) {
  return value.empty() ? nlohmann::ordered_json() : nlohmann::ordered_json(value);
}

}  // namespace enoexec::json_null
