// Profiles: the table rows read into values, and lookup by id or alias.
#include "targets/profiles.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <charconv>

#include <fmt/format.h>

#include "targets/text.hpp"

namespace enoexec {
namespace targets {
namespace {

constexpr std::array<Libc, 9> KNOWN_LIBCS = {Libc::none, Libc::glibc, Libc::musl, Libc::bionic, Libc::uclibc,
                                             Libc::newlib, Libc::libsystem, Libc::msvcrt, Libc::ucrt};
constexpr std::array<Support, 4> SUPPORTS = {Support::unknown, Support::no, Support::likely, Support::yes};

// Reads one row; every failure names the row and the cell.
class RowReader {
 public:
  explicit RowReader(const ProfileRow& row) : row_(row) {}

  Result<Profile> read() {
    profile_.id = std::string(row_.id);
    profile_.aliases = words_of(row_.aliases);
    profile_.name = std::string(row_.name);
    if (auto ok = read_cells(); !ok) return tl::unexpected(ok.error());
    profile_.notes = split_notes(row_.notes);
    return std::move(profile_);
  }

 private:
  tl::expected<void, Error> read_cells() {
    text(ProfileFact::system, row_.system, profile_.system);
    if (auto ok = os_version(); !ok) return ok;
    if (auto ok = platform(); !ok) return ok;
    if (auto ok = libc(); !ok) return ok;
    text(ProfileFact::libc_version, row_.libc_version, profile_.libc_version);
    text(ProfileFact::cpu, row_.cpu, profile_.cpu);
    text(ProfileFact::cpu_level, row_.cpu_level, profile_.cpu_level);
    if (known(ProfileFact::cpu_features, row_.cpu_features)) profile_.cpu_features = words_of(row_.cpu_features.value);
    if (auto ok = float_abi(); !ok) return ok;
    if (auto ok = page_size(); !ok) return ok;
    if (auto ok = compat32(); !ok) return ok;
    text(ProfileFact::kernel, row_.kernel, profile_.kernel);
    text(ProfileFact::kernel_machine, row_.kernel_machine, profile_.kernel_machine);
    if (known(ProfileFact::loader, row_.loader)) profile_.loaders = words_of(row_.loader.value);
    return emulation();
  }

  // Records the cell's source when the cell states a fact; false for an unknown fact.
  bool known(ProfileFact fact, const Cell& cell) {
    if (cell.value.empty()) return false;
    profile_.sources.push_back(
        FactSource{fact, std::string(cell.value), std::string(cell.source), cell.inferred});
    return true;
  }

  void text(ProfileFact fact, const Cell& cell, std::string& out) {
    if (known(fact, cell)) out = std::string(cell.value);
  }

  tl::unexpected<Error> bad(ProfileFact fact, std::string_view value, std::string_view why) const {
    return make_error(ErrorCode::malformed, 0,
                      fmt::format("profile {}: {} \"{}\" {}", row_.id, to_string(fact), value, why));
  }

  // Dotted numbers: "13.0", "10.0.22000".
  tl::expected<void, Error> os_version() {
    const auto value = row_.os_version.value;
    if (value.empty()) return {};
    const bool dotted = value.find_first_not_of("0123456789.") == std::string_view::npos &&
                        value.front() != '.' && value.back() != '.' && value.find("..") == std::string_view::npos;
    if (!dotted) return bad(ProfileFact::os_version, value, "is not a dotted version number");
    text(ProfileFact::os_version, row_.os_version, profile_.os_version);
    return {};
  }

  tl::expected<void, Error> platform() {
    const auto parsed = parse_platform(row_.platform.value);
    if (!parsed) return bad(ProfileFact::platform, row_.platform.value, "is not a platform name");
    known(ProfileFact::platform, row_.platform);
    profile_.platform = *parsed;
    return {};
  }

  tl::expected<void, Error> libc() {
    if (row_.libc.value.empty()) return {};
    const auto* found = std::find_if(KNOWN_LIBCS.begin(), KNOWN_LIBCS.end(),
                                     [&](Libc libc) { return to_string(libc) == row_.libc.value; });
    if (found == KNOWN_LIBCS.end()) return bad(ProfileFact::libc, row_.libc.value, "is not a C library name");
    known(ProfileFact::libc, row_.libc);
    profile_.platform.libc = *found;
    return {};
  }

  tl::expected<void, Error> float_abi() {
    const auto value = row_.float_abi.value;
    if (value.empty()) return {};
    if (value != "hard" && value != "soft") return bad(ProfileFact::float_abi, value, "is neither hard nor soft");
    text(ProfileFact::float_abi, row_.float_abi, profile_.float_abi);
    return {};
  }

  tl::expected<void, Error> page_size() {
    const auto value = row_.page_size.value;
    if (value.empty()) return {};
    std::uint64_t bytes = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), bytes);
    if (ec != std::errc() || end != value.data() + value.size() || !std::has_single_bit(bytes)) {
      return bad(ProfileFact::page_size, value, "is not a power-of-two number of bytes");
    }
    known(ProfileFact::page_size, row_.page_size);
    profile_.page_size = bytes;
    return {};
  }

  // "<support> <arch>": "yes arm", "likely 386".
  tl::expected<void, Error> compat32() {
    const auto value = row_.compat32.value;
    if (value.empty()) return {};
    const auto parts = words_of(value);
    const auto* support = parts.size() != 2 ? SUPPORTS.end()
                                            : std::find_if(SUPPORTS.begin(), SUPPORTS.end(), [&](Support s) {
                                                return to_string(s) == parts.front();
                                              });
    const auto arch = parts.size() == 2 ? parse_platform(fmt::format("linux/{}", parts.back())) : std::nullopt;
    if (support == SUPPORTS.end() || !arch) return bad(ProfileFact::compat32, value, "is not \"<support> <arch>\"");
    known(ProfileFact::compat32, row_.compat32);
    profile_.compat32 = *support;
    profile_.compat32_arch = arch->arch;
    return {};
  }

  tl::expected<void, Error> emulation() {
    const auto value = row_.emulation.value;
    if (value.empty()) return {};
    if (row_.emulator.empty()) return bad(ProfileFact::emulation, value, "names no emulator");
    for (const auto& guest : words_of(value)) {
      const auto parsed = parse_platform(guest);
      if (!parsed) return bad(ProfileFact::emulation, guest, "is not a platform name");
      profile_.emulation.push_back(Emulation{*parsed, std::string(row_.emulator)});
    }
    known(ProfileFact::emulation, row_.emulation);
    return {};
  }

  const ProfileRow& row_;
  Profile profile_;
};

// Built once: the rows are constant, and tests check that every one of them reads.
const std::vector<Profile>& all_profiles() {
  static const std::vector<Profile> table = [] {
    std::vector<Profile> out;
    for (const ProfileRow& row : profile_rows()) {
      if (auto profile = profile_from_row(row)) out.push_back(std::move(*profile));
    }
    return out;
  }();
  return table;
}

}  // namespace

Result<Profile> profile_from_row(const ProfileRow& row) { return RowReader(row).read(); }

}  // namespace targets

std::string_view to_string(ProfileFact fact) {
  switch (fact) {
    case ProfileFact::system: return "system";
    case ProfileFact::os_version: return "OS version";
    case ProfileFact::platform: return "platform";
    case ProfileFact::libc: return "libc";
    case ProfileFact::libc_version: return "libc version";
    case ProfileFact::cpu: return "cpu";
    case ProfileFact::cpu_level: return "cpu level";
    case ProfileFact::cpu_features: return "cpu features";
    case ProfileFact::float_abi: return "float ABI";
    case ProfileFact::page_size: return "page size";
    case ProfileFact::compat32: return "32-bit programs";
    case ProfileFact::kernel: return "kernel";
    case ProfileFact::kernel_machine: return "kernel machine";
    case ProfileFact::loader: return "loader";
    case ProfileFact::emulation: return "emulation";
  }
  return "unknown";
}

const FactSource* Profile::source_of(ProfileFact fact) const {
  const auto found = std::find_if(sources.begin(), sources.end(), [&](const FactSource& s) { return s.fact == fact; });
  return found == sources.end() ? nullptr : &*found;
}

std::span<const Profile> profiles() { return targets::all_profiles(); }

const Profile* find_profile(std::string_view name) {
  const auto table = profiles();
  const auto matches = [&](std::string_view candidate) { return targets::equals_ignore_case(candidate, name); };
  const auto found = std::find_if(table.begin(), table.end(), [&](const Profile& p) {
    return matches(p.id) || std::any_of(p.aliases.begin(), p.aliases.end(), matches);
  });
  return found == table.end() ? nullptr : &*found;
}

std::vector<const Profile*> profiles_on(const Platform& platform) {
  std::vector<const Profile*> out;
  for (const Profile& p : profiles()) {
    const Platform& q = p.platform;
    const bool libc_matches = platform.libc == Libc::unknown || platform.libc == q.libc;
    if (q.os == platform.os && q.arch == platform.arch && q.variant == platform.variant && libc_matches) {
      out.push_back(&p);
    }
  }
  return out;
}

}  // namespace enoexec
