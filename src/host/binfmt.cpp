// binfmt_misc entries as the kernel prints them (fs/binfmt_misc.c bm_entry_show / entry_status):
//   enabled|disabled
//   interpreter <path>
//   flags: <P O C F in that order>
//   offset <n>            \  type M
//   magic <hex>            | (mask only when one was registered)
//   mask <hex>            /
//   extension .<ext>         type E
// and the kernel's matching rule (check_file).
#include <charconv>

#include <fmt/format.h>

#include "host/host_parse.hpp"
#include "platform/text.hpp"

namespace enoexec::host {
namespace {

using platform_text::trim;

// The kernel refuses magic past the first BINPRM_BUF_SIZE (128 before 5.1) bytes.
constexpr std::size_t MAGIC_CAP = 256;

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::vector<std::uint8_t>> from_hex(std::string_view text) {
  if (text.size() % 2 != 0 || text.size() / 2 > MAGIC_CAP) return std::nullopt;
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < text.size(); i += 2) {
    const int high = hex_digit(text[i]);
    const int low = hex_digit(text[i + 1]);
    if (high < 0 || low < 0) return std::nullopt;
    out.push_back(static_cast<std::uint8_t>(high * 16 + low));
  }
  return out;
}

// "key value" -> value when the line starts with key.
std::optional<std::string_view> after(std::string_view line, std::string_view key) {
  if (!line.starts_with(key)) return std::nullopt;
  return line.substr(key.size());
}

void read_line(BinfmtEntry& entry, std::string_view line, std::vector<std::string>& warnings) {
  const auto bad = [&](std::string_view what) {
    warnings.push_back(fmt::format("binfmt_misc/{}: {}: \"{}\"", entry.name, what, line));
  };
  if (auto v = after(line, "interpreter ")) {
    entry.interpreter = std::string(*v);
  } else if (auto flags = after(line, "flags:")) {
    entry.flags = std::string(trim(*flags));
  } else if (auto ext = after(line, "extension ")) {
    entry.by_extension = true;
    entry.extension = std::string(ext->starts_with('.') ? ext->substr(1) : *ext);
  } else if (auto offset = after(line, "offset ")) {
    const auto [end, error] = std::from_chars(offset->data(), offset->data() + offset->size(), entry.offset);
    if (error != std::errc() || end != offset->data() + offset->size()) bad("offset is not a number");
  } else if (auto magic = after(line, "magic ")) {
    if (auto bytes = from_hex(trim(*magic))) entry.magic = std::move(*bytes);
    else bad("magic is not hex");
  } else if (auto mask = after(line, "mask ")) {
    if (auto bytes = from_hex(trim(*mask))) entry.mask = std::move(*bytes);
    else bad("mask is not hex");
  } else if (!trim(line).empty()) {
    bad("unknown line");
  }
}

}  // namespace

std::optional<BinfmtEntry> parse_binfmt_entry(std::string name, std::string_view text,
                                              std::vector<std::string>& warnings) {
  BinfmtEntry entry;
  entry.name = std::move(name);
  const auto lines = platform_text::split(text, '\n');
  const std::string_view status = trim(lines.front());
  if (status != "enabled" && status != "disabled") {
    warnings.push_back(fmt::format("binfmt_misc/{}: not an entry (first line \"{}\")", entry.name, status));
    return std::nullopt;
  }
  entry.enabled = status == "enabled";
  for (std::size_t i = 1; i < lines.size(); ++i) read_line(entry, lines[i], warnings);
  if (!entry.mask.empty() && entry.mask.size() != entry.magic.size()) {
    warnings.push_back(fmt::format("binfmt_misc/{}: mask has {} bytes, magic {}; mask ignored",
                                   entry.name, entry.mask.size(), entry.magic.size()));
    entry.mask.clear();
  }
  return entry;
}

std::optional<bool> parse_binfmt_status(std::string_view text) {
  const std::string_view word = trim(text);
  if (word == "enabled") return true;
  if (word == "disabled") return false;
  return std::nullopt;
}

}  // namespace enoexec::host

namespace enoexec {

// check_file(): extension entries compare the text after the last '.' of the path; magic
// entries compare (byte XOR magic) AND mask over the kernel's zero-padded header buffer.
bool binfmt_matches(const BinfmtEntry& entry, std::span<const std::uint8_t> head,
                    std::string_view file_name) {
  if (!entry.enabled) return false;
  if (entry.by_extension) {
    const auto dot = file_name.rfind('.');
    return dot != std::string_view::npos && file_name.substr(dot + 1) == entry.extension;
  }
  for (std::size_t i = 0; i < entry.magic.size(); ++i) {
    const std::size_t at = entry.offset + i;
    const std::uint8_t byte = at < head.size() ? head[at] : 0;
    const std::uint8_t mask = i < entry.mask.size() ? entry.mask[i] : 0xff;
    if (((byte ^ entry.magic[i]) & mask) != 0) return false;
  }
  return true;
}

std::string_view to_string(Support support) {
  switch (support) {
    case Support::no: return "no";
    case Support::likely: return "likely";
    case Support::yes: return "yes";
    case Support::unknown: break;
  }
  return "unknown";
}

}  // namespace enoexec
