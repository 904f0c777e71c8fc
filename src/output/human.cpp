#include "output/human.hpp"

#include <fmt/format.h>

#include <cstdint>
#include <string_view>

#include "output/json.hpp"
#include "support/display_text.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;

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
  // "linux/amd64 glibc >= 2.34", "linux/amd64, no libc": "none" alone would read as no platform.
  if (r.platform->libc == Libc::none) text += ", no libc";
  else if (r.platform->libc != Libc::unknown) text += fmt::format(" {}", to_string(r.platform->libc));
  if (r.glibc_min) text += fmt::format(" >= {}", *r.glibc_min);
  return text;
}

std::string linkage_part(const FileReport& r) {
  std::string text;
  if (r.linkage) text = to_string(*r.linkage);
  if (r.interpreter) text += (text.empty() ? "" : " ") + fmt::format("interpreter {}", printable(*r.interpreter));
  return text;
}

// A Mach-O code signature that no longer matches the file: macOS kills such programs on Apple
// silicon, so the summary says it.
std::string signature_part(const FileReport& r) {
  if (!r.macho || r.macho->code_signature.valid != false) return {};
  return "code signature invalid";
}

// A scalar as nlohmann's dump() writes it; strings unquoted. Integers and booleans are written
// directly rather than through dump(), which allocates a string per value.
void append_scalar(const Json& value, std::string& out) {
  if (value.is_string()) {
    append_escaped(value.get_ref<const std::string&>(), out);
  } else if (value.is_boolean()) {
    out += value.get<bool>() ? "true" : "false";
  } else if (value.is_number_unsigned()) {
    out += fmt::format_int(value.get<std::uint64_t>()).str();
  } else if (value.is_number_integer()) {
    out += fmt::format_int(value.get<std::int64_t>()).str();
  } else {
    append_escaped(value.dump(), out);
  }
}

// Keys of the report object not printed by detail_lines: what the object is, and the path, already
// on the summary line.
bool said_elsewhere(std::string_view key) { return key == "record" || key == "path" || key == "path_bytes"; }

// "key: value" per known fact, two more spaces per level; null and empty values are left out.
// `top`: the report object itself, whose said_elsewhere() keys are not printed.
void unroll(const Json& value, std::size_t indent, std::string& out, bool top = false) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    if (it->is_null() || (it->is_structured() && it->empty())) continue;
    const std::string_view key = value.is_object() ? std::string_view(it.key()) : "-";
    if (top && said_elsewhere(key)) continue;
    out.append(indent, ' ');
    out += key;
    if (it->is_structured()) {
      out += ":\n";
      unroll(*it, indent + 2, out);
    } else {
      out += ": ";
      append_scalar(*it, out);
      out += '\n';
    }
  }
}

}  // namespace

std::string printable(std::string_view text) { return escape_for_display(text); }

std::string summary_line(const FileReport& r) {
  if (r.error && r.format == Format::unknown) return fmt::format("{}: error: {}", r.path, *r.error);
  std::string line = fmt::format("{}: {}", r.path, describe_format(r));
  for (const std::string& part : {platform_part(r), linkage_part(r), signature_part(r)})
    if (!part.empty()) line += ", " + part;
  if (r.script) {
    if (!r.interpreter) line += ", no #! line";
    for (const auto& finding : r.script->findings) line += fmt::format(" [{}]", finding.code);
  }
  if (r.go) line += fmt::format(", Go {}", r.go->version);
  if (!r.slices.empty()) {
    std::vector<std::string> platforms;
    for (const auto& slice : r.slices) {
      const std::string signature = signature_part(slice);
      platforms.push_back(platform_part(slice) + (signature.empty() ? "" : " " + signature));
    }
    line += fmt::format(" [{}]", fmt::join(platforms, ", "));
  }
  if (r.error) line += fmt::format(", error: {}", *r.error);
  else if (!r.warnings.empty()) line += fmt::format(" ({} warning{})", r.warnings.size(), r.warnings.size() == 1 ? "" : "s");
  return line;
}

std::string detail_lines(const FileReport& r) { return detail_lines(to_json(r)); }

std::string detail_lines(const Json& report_json) {
  std::string out;
  unroll(report_json, 2, out, /*top=*/true);
  return out;
}

}  // namespace enoexec
