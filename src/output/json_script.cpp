#include "output/json.hpp"

namespace enoexec {

nlohmann::ordered_json to_json(const ScriptDetails&) { return nlohmann::ordered_json::object(); }

}  // namespace enoexec
