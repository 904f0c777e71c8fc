#include "output/human.hpp"

#include <fmt/format.h>

#include "output/json.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

// Control characters (a CR from a CRLF #! line) must not reach the terminal raw.
std::string printable(std::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) out += fmt::format("\\x{:02x}", byte);
    else out += c;
  }
  return out;
}

std::string describe_format(const FileReport& r) {
  std::string text;
  switch (r.format) {
    case Format::elf: text = "ELF"; break;
    case Format::macho: text = "Mach-O"; break;
    case Format::macho_fat: text = "universal Mach-O"; break;
    case Format::pe: text = "PE"; break;
    case Format::script: text = "script"; break;
    case Format::unknown: text = r.kind.empty() ? "unknown format" : r.kind; break;
  }
  if (r.bits) text += fmt::format(" {}-bit", *r.bits);
  if (r.endian) text += *r.endian == Endian::little ? " LSB" : " MSB";
  if (!r.type.empty() && r.format != Format::script) text += " " + r.type;
  return text;
}

std::string platform_part(const FileReport& r) {
  if (!r.platform || r.platform->arch == Arch::unknown) return {};
  std::string text = to_oci(*r.platform);
  if (r.platform->libc != Libc::unknown) text += fmt::format(" {}", to_string(r.platform->libc));
  if (r.glibc_min) text += fmt::format(" >= {}", *r.glibc_min);
  return text;
}

std::string linkage_part(const FileReport& r) {
  std::string text;
  if (r.linkage) text = to_string(*r.linkage);
  if (r.interpreter) text += (text.empty() ? "" : " ") + fmt::format("interpreter {}", printable(*r.interpreter));
  return text;
}

void unroll(const Json& value, const std::string& indent, std::string& out) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = value.is_object() ? it.key() : "-";
    if (it->is_null() || (it->is_array() && it->empty()) || (it->is_object() && it->empty()))
      continue;
    if (it->is_structured()) {
      out += fmt::format("{}{}:\n", indent, key);
      unroll(*it, indent + "  ", out);
    } else {
      out += fmt::format("{}{}: {}\n", indent, key,
                         printable(it->is_string() ? it->get<std::string>() : it->dump()));
    }
  }
}

}  // namespace

std::string summary_line(const FileReport& r) {
  if (r.error && r.format == Format::unknown) return fmt::format("{}: error: {}", r.path, *r.error);
  std::string line = fmt::format("{}: {}", r.path, describe_format(r));
  for (const std::string& part : {platform_part(r), linkage_part(r)})
    if (!part.empty()) line += ", " + part;
  if (r.script) {
    if (!r.interpreter) line += ", no #! line";
    for (const auto& finding : r.script->findings) line += fmt::format(" [{}]", finding.code);
  }
  if (r.go) line += fmt::format(", Go {}", r.go->version);
  if (!r.slices.empty()) {
    std::vector<std::string> platforms;
    for (const auto& slice : r.slices) platforms.push_back(platform_part(slice));
    line += fmt::format(" [{}]", fmt::join(platforms, ", "));
  }
  if (r.error) line += fmt::format(", error: {}", *r.error);
  else if (!r.warnings.empty()) line += fmt::format(" ({} warning{})", r.warnings.size(), r.warnings.size() == 1 ? "" : "s");
  return line;
}

std::string detail_lines(const FileReport& r) {
  Json json = to_json(r);
  json.erase("path");
  std::string out;
  unroll(json, "  ", out);
  return out;
}

}  // namespace enoexec
