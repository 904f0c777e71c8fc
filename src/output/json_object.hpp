// An ordered JSON object built member by member, for the printers that run once per file.
// nlohmann's initializer-list form ({{"key", value}, ...}) first makes every pair a two-element
// array (an allocation for the array and one for the key string), then moves it into the object
// after comparing its key with every earlier one; `JsonObject` appends to a reserved vector
// instead: four to five times faster, with or without ASan, and the same JSON member for member.
// Keys must be distinct (they are literals in the printers).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

namespace enoexec {

class JsonObject {
 public:
  explicit JsonObject(std::size_t capacity) : json_(nlohmann::ordered_json::object()) {
    members().reserve(capacity);
  }

  // Goes on with an existing object (whose members stay first).
  JsonObject(nlohmann::ordered_json object, std::size_t more) : json_(std::move(object)) {
    members().reserve(members().size() + more);
  }

  template <class Value>
  JsonObject& add(std::string_view key, Value&& value) {
    members().emplace_back(std::string(key), nlohmann::ordered_json(std::forward<Value>(value)));
    return *this;
  }

  nlohmann::ordered_json done() { return std::move(json_); }

 private:
  nlohmann::ordered_json::object_t& members() {
    return json_.get_ref<nlohmann::ordered_json::object_t&>();
  }

  nlohmann::ordered_json json_;
};

}  // namespace enoexec
