#include "output/json.hpp"
#include "output/json_object.hpp"
#include "support/json_null.hpp"

#include <cstdint>
#include <string>
#include <string_view>

#include "support/base64.hpp"
#include "support/display_text.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

// What nlohmann writes for a string, for the strings whose every byte is ASCII: the control
// characters it names (\b \t \n \f \r), the others as \u00xx, '"' and '\\' escaped, DEL and
// the rest as they are. A string with any other byte is written by nlohmann itself (UTF-8
// validation and the U+FFFD replacement are its to decide).
void append_string(std::string_view text, std::string& out) {
  static constexpr char hex[] = "0123456789abcdef";
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      out += Json(std::string(text)).dump(-1, ' ', false, Json::error_handler_t::replace);
      return;
    }
  }
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte != '"' && byte != '\\') continue;
    out.append(text.substr(run, i - run));
    run = i + 1;
    switch (byte) {
      case '\b': out += "\\b"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\f': out += "\\f"; break;
      case '\r': out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default:
        out += "\\u00";
        out += hex[byte >> 4];
        out += hex[byte & 0xf];
    }
  }
  out.append(text.substr(run));
  out += '"';
}

}  // namespace

void append_json_line(const Json& json, std::string& out) {
  switch (json.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : json.get_ref<const Json::object_t&>()) {
        if (!first) out += ',';
        first = false;
        append_string(key, out);
        out += ':';
        append_json_line(value, out);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const Json& value : json.get_ref<const Json::array_t&>()) {
        if (!first) out += ',';
        first = false;
        append_json_line(value, out);
      }
      out += ']';
      return;
    }
    case Json::value_t::string: return append_string(json.get_ref<const std::string&>(), out);
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::boolean: out += json.get<bool>() ? "true" : "false"; return;
    case Json::value_t::number_integer: out += std::to_string(json.get<std::int64_t>()); return;
    case Json::value_t::number_unsigned: out += std::to_string(json.get<std::uint64_t>()); return;
    case Json::value_t::number_float:
    case Json::value_t::binary:
    case Json::value_t::discarded: break;
  }
  out += json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string to_json_line(const Json& json) {
  std::string out;
  out.reserve(4096);
  append_json_line(json, out);
  return out;
}

Json to_json(const Platform& platform) {
  return JsonObject(3)
      .add("os", platform.os == Os::unknown ? Json() : Json(to_string(platform.os)))
      .add("arch", platform.arch == Arch::unknown ? Json() : Json(to_string(platform.arch)))
      .add("variant", or_null(platform.variant))
      .done();
}

namespace {

// The report's keys; `record` first for the file itself, not for its slices.
Json report_json(const FileReport& report, bool record) {
  JsonObject out(34);  // every member below: no regrowth on the way
  if (record) out.add("record", "file");
  add_path(out, report.path);
  out.add("format", to_string(report.format));
  if (!report.kind.empty()) out.add("kind", report.kind);
  out.add("bits", or_null(report.bits));
  out.add("endian", report.endian ? Json(to_string(*report.endian)) : Json());
  out.add("type", or_null(report.type));
  out.add("machine", or_null(report.machine));
  const bool known_arch = report.platform && report.platform->arch != Arch::unknown;
  out.add("platform", known_arch ? Json(to_oci(*report.platform)) : Json());
  out.add("interpreter", or_null(report.interpreter));
  out.add("linkage", report.linkage ? Json(to_string(*report.linkage)) : Json());
  const bool known_libc = report.platform && report.platform->libc != Libc::unknown;
  out.add("libc", known_libc ? Json(to_string(report.platform->libc)) : Json());
  out.add("needed", or_null(report.needed));
  out.add("glibc_min", or_null(report.glibc_min));
  out.add("go", report.go ? to_json(*report.go) : Json());
  out.add("toolchain", report.toolchain ? to_json(*report.toolchain) : Json());
  out.add("cpu_level", report.cpu_level ? to_json(*report.cpu_level) : Json());
  if (!report.evidence.empty()) {
    Json evidence = Json::array();
    for (const auto& e : report.evidence)
      evidence.push_back(
          JsonObject(3).add("fact", e.fact).add("value", e.value).add("source", e.source).done());
    out.add("evidence", std::move(evidence));
  }
  if (!report.warnings.empty()) out.add("warnings", report.warnings);
  if (report.elf) out.add("elf", to_json(*report.elf));
  if (report.macho) out.add("macho", to_json(*report.macho));
  if (report.pe) out.add("pe", to_json(*report.pe));
  if (report.script) out.add("script", to_json(*report.script));
  if (!report.slices.empty()) {
    Json slices = Json::array();
    for (const auto& slice : report.slices) slices.push_back(report_json(slice, false));
    out.add("slices", std::move(slices));
  }
  if (report.error) out.add("error", *report.error);
  return out.done();
}

}  // namespace

void add_path(JsonObject& out, std::string_view path) {
  out.add("path", path);
  if (!is_valid_utf8(path)) out.add("path_bytes", base64_encode(path));
}

Json to_json(const FileReport& report) { return report_json(report, true); }

}  // namespace enoexec
