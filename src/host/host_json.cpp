#include "host/host_json.hpp"

#include <array>

#include <fmt/format.h>

#include "platform/lookup.hpp"

#include "support/json_limits.hpp"
#include "support/json_null.hpp"

namespace enoexec {
namespace {

using Json = nlohmann::ordered_json;
using json_null::or_null;

constexpr std::array<Libc, 10> LIBCS = {Libc::unknown, Libc::none,   Libc::glibc,     Libc::musl,   Libc::bionic,
                                        Libc::uclibc,  Libc::newlib, Libc::libsystem, Libc::msvcrt, Libc::ucrt};
constexpr std::array<Support, 4> SUPPORTS = {Support::unknown, Support::no, Support::likely, Support::yes};

Json arch_json(Arch arch) { return arch == Arch::unknown ? Json() : Json(to_string(arch)); }
Json libc_json(Libc libc) { return libc == Libc::unknown ? Json() : Json(to_string(libc)); }
Json endian_json(const std::optional<Endian>& endian) { return endian ? Json(to_string(*endian)) : Json(); }
int hex_value(char digit) {
  if (digit >= '0' && digit <= '9') return digit - '0';
  return (digit | 0x20) - 'a' + 10;  // validated as a hex digit beforehand
}

std::string hex(const std::vector<std::uint8_t>& bytes) {
  std::string out;
  for (std::uint8_t byte : bytes) out += fmt::format("{:02x}", byte);
  return out;
}

Json to_json(const HostKernel& k) {
  return {{"os", k.os},     {"release", k.release},       {"version", k.version},
          {"machine", k.machine}, {"arch", arch_json(k.arch)}, {"bits", k.bits},
          {"endian", endian_json(k.endian)}, {"source", k.source}};
}

Json to_json(const HostElf& e) {
  return {{"path", e.path}, {"machine", e.machine}, {"arch", arch_json(e.arch)}, {"bits", e.bits},
          {"endian", endian_json(e.endian)}, {"flags", e.flags}, {"interpreter", or_null(e.interpreter)}};
}

Json to_json(const HostCpu& c) {
  return {{"vendor", c.vendor},   {"model_name", c.model_name}, {"architecture", c.architecture},
          {"part", c.part},       {"hardware", c.hardware},     {"model", c.model},
          {"processors", c.processors}, {"features", c.features}, {"level", c.level},
          {"variant", c.variant}, {"go_env", c.go_env},         {"fpu", c.fpu},
          {"missing", c.missing}, {"notes", c.notes}};
}

Json to_json(const HostLibc& l) {
  Json loaders = Json::array();
  for (const HostLoader& x : l.loaders)
    loaders.push_back({{"path", x.path}, {"libc", libc_json(x.libc)}, {"arch", arch_json(x.arch)},
                       {"bits", x.bits}, {"arch_source", x.arch_source}});
  Json libraries = Json::array();
  for (const HostLibcFile& x : l.libraries)
    libraries.push_back({{"path", x.path}, {"libc", libc_json(x.libc)}, {"arch", arch_json(x.arch)},
                         {"version", x.version}, {"build", x.build}, {"source", x.source}});
  return {{"flavour", libc_json(l.flavour)}, {"version", l.version}, {"source", l.source},
          {"loaders", loaders}, {"libraries", libraries}};
}

Json to_json(const HostBinfmt& b) {
  Json entries = Json::array();
  for (const BinfmtEntry& e : b.entries) {
    Json entry = {{"name", e.name}, {"enabled", e.enabled}, {"interpreter", e.interpreter},
                  {"interpreter_exists", or_null(e.interpreter_exists)}, {"flags", e.flags},
                  {"fix_binary", e.fix_binary()}};
    if (e.by_extension) {
      entry["extension"] = e.extension;
    } else {
      entry["offset"] = e.offset;
      entry["magic"] = hex(e.magic);
      entry["mask"] = e.mask.empty() ? Json() : Json(hex(e.mask));
    }
    entries.push_back(std::move(entry));
  }
  return {{"mounted", b.mounted}, {"enabled", or_null(b.enabled)}, {"entries", entries}};
}

// The facts only macOS and Windows targets have (recorded Linux hosts predate them): written when
// known, so a Linux host's JSON is unchanged; absent reads back as unknown.
void add_system_facts(const HostInfo& host, Json& out) {
  if (!host.os_version.empty() || !host.os_version_source.empty()) {
    out["os_version"] = host.os_version;
    out["os_version_source"] = host.os_version_source;
  }
  if (host.emulation.empty()) return;
  Json emulation = Json::array();
  for (const HostEmulation& e : host.emulation)
    emulation.push_back({{"guest", to_oci(e.guest)}, {"via", e.via}, {"source", e.source}});
  out["emulation"] = std::move(emulation);
}

// Reads one JSON object; the first type error is kept with its dotted path.
class Reader {
 public:
  Reader(const Json* json, std::string path, std::string& error) : json_(json), path_(std::move(path)), error_(error) {}

  Reader child(std::string_view key) const {
    const Json* value = get(key);
    if (value && !value->is_object()) fail(key, "an object");
    return Reader(value && value->is_object() ? value : nullptr, name(key), error_);
  }
  // Each element of an array of objects.
  template <class F>
  void each(std::string_view key, F read_one) const {
    const Json* value = get(key);
    if (!value) return;
    if (!value->is_array()) return fail(key, "an array");
    for (std::size_t i = 0; i < value->size(); ++i) {
      const Json& item = (*value)[i];
      if (!item.is_object()) return fail(fmt::format("{}[{}]", key, i), "an object");
      read_one(Reader(&item, fmt::format("{}[{}]", name(key), i), error_));
    }
  }

  void read(std::string_view key, std::string& out) const {
    const Json* v = get(key);
    if (v && v->is_string()) out = v->get<std::string>();
    else if (v) fail(key, "a string");
  }
  void read(std::string_view key, std::optional<std::string>& out) const {
    const Json* v = get(key);
    if (v && v->is_string()) out = v->get<std::string>();
    else if (v) fail(key, "a string");
  }
  void read(std::string_view key, bool& out) const {
    const Json* v = get(key);
    if (v && v->is_boolean()) out = v->get<bool>();
    else if (v) fail(key, "true or false");
  }
  void read(std::string_view key, std::optional<bool>& out) const {
    const Json* v = get(key);
    if (v && v->is_boolean()) out = v->get<bool>();
    else if (v) fail(key, "true or false");
  }
  void read(std::string_view key, int& out) const {
    const Json* v = get(key);
    if (v && v->is_number_integer() && v->get<std::int64_t>() >= 0 && v->get<std::int64_t>() <= 1 << 20)
      out = v->get<int>();
    else if (v)
      fail(key, "a small non-negative integer");
  }
  void read(std::string_view key, std::uint32_t& out) const {
    const Json* v = get(key);
    if (v && v->is_number_unsigned() && v->get<std::uint64_t>() <= 0xffffffffu)
      out = v->get<std::uint32_t>();
    else if (v)
      fail(key, "an unsigned 32-bit integer");
  }
  void read(std::string_view key, std::optional<std::uint64_t>& out) const {
    const Json* v = get(key);
    if (v && v->is_number_unsigned()) out = v->get<std::uint64_t>();
    else if (v) fail(key, "an unsigned integer");
  }
  void read(std::string_view key, std::vector<std::string>& out) const {
    const Json* v = get(key);
    if (!v) return;
    if (!v->is_array()) return fail(key, "an array of strings");
    for (const Json& item : *v) {
      if (!item.is_string()) return fail(key, "an array of strings");
      out.push_back(item.get<std::string>());
    }
  }
  void read(std::string_view key, std::vector<std::uint8_t>& out) const {
    std::string text;
    read(key, text);
    if (text.size() % 2 != 0 || text.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      return fail(key, "hex digits");
    for (std::size_t i = 0; i < text.size(); i += 2)
      out.push_back(static_cast<std::uint8_t>(hex_value(text[i]) * 16 + hex_value(text[i + 1])));
  }
  void read(std::string_view key, Arch& out) const {
    std::string text;
    read(key, text);
    if (text.empty()) return;
    const auto match = platform_lookup::find_arch(text, {platform_lookup::Column::name});
    if (match) out = match->arch;
    else fail(key, "an architecture name (\"amd64\", \"arm64\", ...)");
  }
  void read(std::string_view key, std::optional<Endian>& out) const {
    std::string text;
    read(key, text);
    if (text == "little") out = Endian::little;
    else if (text == "big") out = Endian::big;
    else if (!text.empty()) fail(key, "\"little\" or \"big\"");
  }
  void read(std::string_view key, Platform& out) const {
    std::string text;
    read(key, text);
    if (text.empty()) return;
    if (const auto parsed = parse_platform(text)) out = *parsed;
    else fail(key, "a platform (\"darwin/amd64\", \"windows/386\", ...)");
  }
  void read(std::string_view key, Libc& out) const { read_name(key, out, LIBCS, "a C library name (\"glibc\", \"musl\", ...)"); }
  void read(std::string_view key, Support& out) const { read_name(key, out, SUPPORTS, "\"yes\", \"no\", \"likely\" or \"unknown\""); }

 private:
  // The value of `key`; nullptr when absent or null (null = unknown = the default).
  const Json* get(std::string_view key) const {
    if (!json_) return nullptr;
    const auto found = json_->find(key);
    return found == json_->end() || found->is_null() ? nullptr : &*found;
  }
  std::string name(std::string_view key) const { return path_.empty() ? std::string(key) : fmt::format("{}.{}", path_, key); }
  void fail(std::string_view key, std::string_view expected) const {
    if (error_.empty()) error_ = fmt::format("host JSON: {}: expected {}", name(key), expected);
  }
  template <class E, std::size_t N>
  void read_name(std::string_view key, E& out, const std::array<E, N>& values, std::string_view expected) const {
    std::string text;
    read(key, text);
    if (text.empty()) return;
    for (E value : values)
      if (to_string(value) == text) {
        out = value;
        return;
      }
    fail(key, expected);
  }

  const Json* json_;
  std::string path_;
  std::string& error_;
};

void read_kernel(const Reader& r, HostKernel& k) {
  r.read("os", k.os);
  r.read("release", k.release);
  r.read("version", k.version);
  r.read("machine", k.machine);
  r.read("arch", k.arch);
  r.read("bits", k.bits);
  r.read("endian", k.endian);
  r.read("source", k.source);
}

void read_elf(const Reader& r, HostElf& e) {
  r.read("path", e.path);
  r.read("machine", e.machine);
  r.read("arch", e.arch);
  r.read("bits", e.bits);
  r.read("endian", e.endian);
  r.read("flags", e.flags);
  r.read("interpreter", e.interpreter);
}

void read_cpu(const Reader& r, HostCpu& c) {
  r.read("vendor", c.vendor);
  r.read("model_name", c.model_name);
  r.read("architecture", c.architecture);
  r.read("part", c.part);
  r.read("hardware", c.hardware);
  r.read("model", c.model);
  r.read("processors", c.processors);
  r.read("features", c.features);
  r.read("level", c.level);
  r.read("variant", c.variant);
  r.read("go_env", c.go_env);
  r.read("fpu", c.fpu);
  r.read("missing", c.missing);
  r.read("notes", c.notes);
}

void read_libc(const Reader& r, HostLibc& l) {
  r.read("flavour", l.flavour);
  r.read("version", l.version);
  r.read("source", l.source);
  r.each("loaders", [&](const Reader& x) {
    HostLoader& loader = l.loaders.emplace_back();
    x.read("path", loader.path);
    x.read("libc", loader.libc);
    x.read("arch", loader.arch);
    x.read("bits", loader.bits);
    x.read("arch_source", loader.arch_source);
  });
  r.each("libraries", [&](const Reader& x) {
    HostLibcFile& file = l.libraries.emplace_back();
    x.read("path", file.path);
    x.read("libc", file.libc);
    x.read("arch", file.arch);
    x.read("version", file.version);
    x.read("build", file.build);
    x.read("source", file.source);
  });
}

void read_binfmt(const Reader& r, HostBinfmt& b) {
  r.read("mounted", b.mounted);
  r.read("enabled", b.enabled);
  r.each("entries", [&](const Reader& x) {
    BinfmtEntry& e = b.entries.emplace_back();
    x.read("name", e.name);
    x.read("enabled", e.enabled);
    x.read("interpreter", e.interpreter);
    x.read("interpreter_exists", e.interpreter_exists);
    x.read("flags", e.flags);  // fix_binary is derived from flags: written, never read
    std::optional<std::string> extension;
    x.read("extension", extension);
    e.by_extension = extension.has_value();
    e.extension = extension.value_or("");
    x.read("offset", e.offset);
    x.read("magic", e.magic);
    x.read("mask", e.mask);
  });
}

}  // namespace

nlohmann::ordered_json to_json(const HostInfo& host) {
  Json compat_evidence = host.compat32.evidence;
  Json mounts = Json::array();
  for (const MountInfo& m : host.noexec_mounts)
    mounts.push_back({{"mount_point", m.mount_point}, {"fs_type", m.fs_type}, {"source", m.source}, {"options", m.options}});
  const HostOsRelease& os = host.os_release;
  Json out = {
      {"record", "host"},
      {"root", host.root},
      {"kernel", to_json(host.kernel)},
      {"userland", host.userland ? to_json(*host.userland) : Json()},
      {"page_size", or_null(host.page_size)},
      {"page_size_source", host.page_size_source},
      {"compat32", {{"arch", arch_json(host.compat32.arch)}, {"support", to_string(host.compat32.support)},
                    {"evidence", compat_evidence}}},
      {"cpu", to_json(host.cpu)},
      {"os_release", {{"id", os.id}, {"id_like", os.id_like}, {"version_id", os.version_id},
                      {"pretty_name", os.pretty_name}, {"alpine_release", os.alpine_release},
                      {"debian_version", os.debian_version}}},
      {"libc", to_json(host.libc)},
      {"binfmt_misc", to_json(host.binfmt)},
      {"noexec_mounts", mounts},
      {"warnings", host.warnings},
  };
  add_system_facts(host, out);
  return out;
}

Result<HostInfo> host_from_json(std::string_view text, const Limits& limits) {
  if (auto bounded = check_json_limits(text, limits, "host JSON"); !bounded)
    return tl::unexpected(bounded.error());
  const Json json = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return make_error(ErrorCode::malformed, 0, "host JSON: not valid JSON");
  if (!json.is_object()) return make_error(ErrorCode::malformed, 0, "host JSON: expected an object");
  // `record` is "host" in what `host --json` writes; hosts recorded before it have none.
  if (const auto record = json.find("record"); record != json.end() && *record != "host")
    return make_error(ErrorCode::malformed, 0, "host JSON: record: expected \"host\" (enoexec host --json)");
  std::string error;
  const Reader top(&json, "", error);
  HostInfo host;
  top.read("root", host.root);
  read_kernel(top.child("kernel"), host.kernel);
  const Reader userland = top.child("userland");
  if (const auto found = json.find("userland"); found != json.end() && found->is_object())
    read_elf(userland, host.userland.emplace());
  top.read("page_size", host.page_size);
  top.read("page_size_source", host.page_size_source);
  const Reader compat = top.child("compat32");
  compat.read("arch", host.compat32.arch);
  compat.read("support", host.compat32.support);
  compat.read("evidence", host.compat32.evidence);
  read_cpu(top.child("cpu"), host.cpu);
  const Reader os = top.child("os_release");
  os.read("id", host.os_release.id);
  os.read("id_like", host.os_release.id_like);
  os.read("version_id", host.os_release.version_id);
  os.read("pretty_name", host.os_release.pretty_name);
  os.read("alpine_release", host.os_release.alpine_release);
  os.read("debian_version", host.os_release.debian_version);
  read_libc(top.child("libc"), host.libc);
  host.kernel.system = kernel_system(host.kernel.os, host.libc.flavour);
  read_binfmt(top.child("binfmt_misc"), host.binfmt);
  top.each("noexec_mounts", [&](const Reader& x) {
    MountInfo& m = host.noexec_mounts.emplace_back();
    x.read("mount_point", m.mount_point);
    x.read("fs_type", m.fs_type);
    x.read("source", m.source);
    x.read("options", m.options);
  });
  top.read("warnings", host.warnings);
  top.read("os_version", host.os_version);
  top.read("os_version_source", host.os_version_source);
  top.each("emulation", [&](const Reader& x) {
    HostEmulation& e = host.emulation.emplace_back();
    x.read("guest", e.guest);
    x.read("via", e.via);
    x.read("source", e.source);
  });
  if (!error.empty()) return make_error(ErrorCode::malformed, 0, error);
  return host;
}

}  // namespace enoexec
