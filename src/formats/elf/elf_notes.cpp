// ELF notes: Elf_Nhdr {u32 namesz, descsz, type}, then the name and the description, each padded
// to the note alignment (8 only for 8-aligned note segments, else 4: glibc ELF_NOTE_NEXT_OFFSET
// and the kernel do the same). Owners and types: glibc elf.h, binutils include/elf/common.h,
// FreeBSD/NetBSD/OpenBSD elf_common.h / note headers, Android NDK abi-note, Go cmd/link.
#include "formats/elf/elf_notes.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "formats/elf/elf_arch_names.hpp"
#include "formats/elf/elf_arch_text.hpp"

namespace enoexec::elf {
namespace {

constexpr std::uint32_t NT_GNU_ABI_TAG = 1;
constexpr std::uint32_t NT_GNU_BUILD_ID = 3;
constexpr std::uint32_t NT_GNU_GOLD_VERSION = 4;
constexpr std::uint32_t NT_GNU_PROPERTY_TYPE_0 = 5;
constexpr std::uint32_t NT_GO_BUILDID = 4;           // owner "Go" (ELF_NOTE_GOBUILDID_TAG)
constexpr std::uint32_t NT_FREEBSD_ABI_TAG = 1;      // owner "FreeBSD", desc: __FreeBSD_version
constexpr std::uint32_t NT_NETBSD_IDENT = 1;         // owner "NetBSD", desc: __NetBSD_Version__
constexpr std::uint32_t NT_OPENBSD_IDENT = 1;        // owner "OpenBSD"
constexpr std::uint32_t NT_ANDROID_TYPE_IDENT = 1;   // owner "Android", desc: u32 API level

// GNU property types (pr_type). 0xc0000000..0xdfffffff belong to the processor.
constexpr std::uint32_t GNU_PROPERTY_LOPROC = 0xc0000000;
constexpr std::uint32_t GNU_PROPERTY_HIPROC = 0xdfffffff;
constexpr std::uint32_t GNU_PROPERTY_AARCH64_FEATURE_1_AND = 0xc0000000;
constexpr std::uint32_t GNU_PROPERTY_X86_FEATURE_1_AND = 0xc0000002;
// binutils >= 2.36: bit 0 baseline, 1 x86-64-v2, 2 v3, 3 v4. The older encodings
// (GNU_PROPERTY_X86_COMPAT_ISA_1_NEEDED 0xc0000001 and COMPAT_2 0xc0008000) list single
// instruction-set extensions, not levels; they are left alone.
constexpr std::uint32_t GNU_PROPERTY_X86_ISA_1_NEEDED = 0xc0008002;

constexpr std::size_t max_other_entries = 64;   // distinct "owner/type" strings kept for -v
constexpr std::size_t max_owner_length = 64;
// A build id is a hash (GNU: 8 to 20 bytes; Go: about 80 characters). Longer ones are garbage
// or hostile and are cut, so reports stay readable.
constexpr std::uint64_t max_id_bytes = 256;

struct NoteContext {
  Endian endian;
  int bits;
  std::uint16_t e_machine;  // 0 when the caller did not say
  std::uint64_t note_offset;
  ElfNotes& out;
  std::vector<std::string>& warnings;

  // Errors name the part of the note ("description"); the warning names the note as well. The
  // prefix is added only on failure, so reading a healthy note formats no text.
  void warn(Error error) const {
    error.what = fmt::format("note at offset {:#x}: {}", note_offset, error.what);
    warnings.push_back(to_string(error));
  }
};

void add_unique(std::vector<std::string>& list, std::string value) {
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// The one u32 most notes carry at the start of their description.
std::optional<std::uint32_t> first_word(ByteView desc, const NoteContext& note,
                                        std::string_view name) {
  auto word = desc.read<std::uint32_t>(0, note.endian, name);
  if (!word) {
    note.warn(word.error());
    return std::nullopt;
  }
  return *word;
}

std::string_view abi_tag_os_name(std::uint32_t os) {
  switch (os) {  // ELF_NOTE_OS_* in glibc, GNU_ABI_TAG_* in binutils
    case 0: return "Linux";
    case 1: return "GNU/Hurd";
    case 2: return "Solaris";
    case 3: return "FreeBSD";
    case 4: return "NetBSD";
    case 5: return "Syllable";
    case 6: return "NaCl";
    default: return "";
  }
}

// NT_GNU_ABI_TAG: u32 os, then the oldest kernel version the C library supports.
void read_abi_tag(ByteView desc, const NoteContext& note) {
  auto words = desc.sub(0, 16, "GNU ABI tag");
  if (!words) return note.warn(words.error());
  Cursor cursor(*words, note.endian);
  const auto os = cursor.read<std::uint32_t>("os").value_or(0);
  const auto major = cursor.read<std::uint32_t>("major").value_or(0);
  const auto minor = cursor.read<std::uint32_t>("minor").value_or(0);
  const auto subminor = cursor.read<std::uint32_t>("subminor").value_or(0);
  const std::string_view name = abi_tag_os_name(os);
  note.out.abi_tag_os = name.empty() ? fmt::format("OS {}", os) : std::string(name);
  note.out.abi_tag_kernel = fmt::format("{}.{}.{}", major, minor, subminor);
}

ByteView capped_id(ByteView desc, std::string_view name, const NoteContext& note) {
  if (desc.size() <= max_id_bytes) return desc;
  note.warn(Error{ErrorCode::limit_exceeded, desc.file_offset(),
                  fmt::format("{} is {} bytes, only the first {} are kept", name, desc.size(),
                              max_id_bytes)});
  return desc.clamp(0, max_id_bytes);
}

std::string lower_hex(ByteView bytes) {
  return fmt::format("{:02x}", fmt::join(bytes.bytes(), ""));
}

// Text up to the first NUL, made printable.
std::string note_text(ByteView bytes) {
  const std::string_view chars = bytes.as_chars();
  return printable_text(chars.substr(0, chars.find('\0')));
}

void add_feature_bits(std::uint32_t bits, std::initializer_list<std::string_view> names,
                      std::vector<std::string>& list) {
  unsigned bit = 0;
  for (const std::string_view name : names) {
    if (bits & (1u << bit)) add_unique(list, std::string(name));
    ++bit;
  }
}

// Highest set bit + 1: the x86-64 level a GNU_PROPERTY_X86_ISA_1_NEEDED mask asks for.
int highest_isa_level(std::uint32_t mask) {
  int level = 0;
  for (int bit = 0; bit < 32; ++bit)
    if (mask & (std::uint32_t{1} << bit)) level = bit + 1;
  return level;
}

bool is_x86(std::uint16_t machine) {
  return machine == arch_spec::EM_386 || machine == arch_spec::EM_X86_64 ||
         machine == arch_spec::EM_IAMCU;
}

// One processor-specific u32 property. With e_machine unknown (0), only the x86 numbers that no
// other machine uses are read.
void apply_processor_property(std::uint32_t type, std::uint32_t value, const NoteContext& note) {
  const bool x86 = is_x86(note.e_machine) || note.e_machine == 0;
  if (x86 && type == GNU_PROPERTY_X86_ISA_1_NEEDED) {
    const int level = highest_isa_level(value);
    if (level > 0) note.out.x86_isa_needed = std::max(note.out.x86_isa_needed.value_or(0), level);
  } else if (x86 && type == GNU_PROPERTY_X86_FEATURE_1_AND) {
    add_feature_bits(value, {"IBT", "SHSTK"}, note.out.x86_features);
  } else if (note.e_machine == arch_spec::EM_AARCH64 &&
             type == GNU_PROPERTY_AARCH64_FEATURE_1_AND) {
    add_feature_bits(value, {"BTI", "PAC", "GCS"}, note.out.aarch64_features);
  }
}

bool is_u32_property_we_read(std::uint32_t type) {
  return type == GNU_PROPERTY_X86_ISA_1_NEEDED || type == GNU_PROPERTY_X86_FEATURE_1_AND ||
         type == GNU_PROPERTY_AARCH64_FEATURE_1_AND;
}

// NT_GNU_PROPERTY_TYPE_0: {u32 pr_type, u32 pr_datasz, data} records, each padded to 8 bytes in
// ELFCLASS64 files and 4 in ELFCLASS32.
void read_gnu_properties(ByteView desc, const NoteContext& note) {
  Cursor cursor(desc, note.endian);
  const std::uint64_t padding = note.bits == 64 ? 8 : 4;
  while (!cursor.at_end()) {  // every property consumes at least its 8-byte header
    const std::uint64_t property_offset = cursor.file_offset();
    auto header = cursor.take(8, "GNU property header");
    if (!header) return note.warn(header.error());
    const auto type = header->read<std::uint32_t>(0, note.endian, "pr_type").value_or(0);
    const auto size = header->read<std::uint32_t>(4, note.endian, "pr_datasz").value_or(0);
    // The label names the type; it is formatted only when the take fails.
    auto data = size <= cursor.remaining()
                    ? cursor.take(size, "GNU property data")
                    : cursor.take(size, fmt::format("GNU property {:#x} data", type));
    if (!data) return note.warn(data.error());
    cursor.align(padding);
    if (type < GNU_PROPERTY_LOPROC || type > GNU_PROPERTY_HIPROC) continue;
    if (!is_u32_property_we_read(type)) continue;
    if (size != 4) {
      note.warn(Error{ErrorCode::malformed, property_offset,
                      fmt::format("GNU property {:#x} has {} data bytes, expected 4", type,
                                  size)});
      continue;
    }
    apply_processor_property(type, data->read<std::uint32_t>(0, note.endian, "").value_or(0),
                             note);
  }
}

// __NetBSD_Version__ is MMmmrrpp00 (903000000 = 9.3); older values are printed as they are.
std::string netbsd_version(std::uint32_t value) {
  if (value < 100000000) return std::to_string(value);
  return fmt::format("{}.{}", value / 100000000, value / 1000000 % 100);
}

void add_other(std::string_view owner, std::uint32_t type, const NoteContext& note) {
  if (note.out.other.size() >= max_other_entries) return;
  std::string name = owner.empty() ? std::string("(no name)")
                                   : printable_text(owner.substr(0, max_owner_length));
  add_unique(note.out.other, fmt::format("{}/{}", name, type));
}

void read_gnu_note(std::uint32_t type, ByteView desc, const NoteContext& note) {
  switch (type) {
    case NT_GNU_ABI_TAG: return read_abi_tag(desc, note);
    case NT_GNU_BUILD_ID:
      note.out.build_id = lower_hex(capped_id(desc, "build id", note));
      return;
    case NT_GNU_GOLD_VERSION: return;  // the linker's version: nothing about where the file runs
    case NT_GNU_PROPERTY_TYPE_0: return read_gnu_properties(desc, note);
    default: return add_other("GNU", type, note);
  }
}

void read_note(std::string_view owner, std::uint32_t type, ByteView desc,
               const NoteContext& note) {
  if (owner == "GNU") return read_gnu_note(type, desc, note);
  if (owner == "Go" && type == NT_GO_BUILDID) {
    note.out.go_build_id = note_text(capped_id(desc, "Go build id", note));
  } else if (owner == "FreeBSD") {  // NOINIT, ARCH and FEATURE_CTL notes say nothing we use
    if (type != NT_FREEBSD_ABI_TAG) return;
    if (auto version = first_word(desc, note, "FreeBSD ABI tag"))
      note.out.freebsd_version = std::to_string(*version);
  } else if (owner == "NetBSD" || owner == "PaX") {  // PaX and MARCH notes: nothing we use
    if (owner != "NetBSD" || type != NT_NETBSD_IDENT) return;
    if (auto version = first_word(desc, note, "NetBSD ident"))
      note.out.netbsd_version = netbsd_version(*version);
  } else if (owner == "OpenBSD" && type == NT_OPENBSD_IDENT) {
    note.out.openbsd = true;
  } else if (owner == "Android" && type == NT_ANDROID_TYPE_IDENT) {
    if (auto api = first_word(desc, note, "Android ident"); api && *api <= 0x7fffffff)
      note.out.android_api = static_cast<int>(*api);
  } else {
    add_other(owner, type, note);
  }
}

}  // namespace

void parse_notes(ByteView notes, Endian endian, std::uint64_t alignment, int bits,
                 std::uint16_t e_machine, ElfNotes& out, std::vector<std::string>& warnings,
                 std::uint64_t max_notes) {
  const std::uint64_t align = alignment == 8 ? 8 : 4;
  Cursor cursor(notes, endian);
  for (std::uint64_t count = 0; !cursor.at_end(); ++count) {  // each note consumes >= 12 bytes
    NoteContext note{endian, bits, e_machine, cursor.file_offset(), out, warnings};
    if (count == max_notes) {
      warnings.push_back(to_string(Error{ErrorCode::limit_exceeded, note.note_offset,
                                         fmt::format("notes: more than {} in one segment",
                                                     max_notes)}));
      return;
    }
    auto header = cursor.take(12, "header");
    if (!header) return note.warn(header.error());
    const auto namesz = header->read<std::uint32_t>(0, endian, "n_namesz").value_or(0);
    const auto descsz = header->read<std::uint32_t>(4, endian, "n_descsz").value_or(0);
    const auto type = header->read<std::uint32_t>(8, endian, "n_type").value_or(0);
    auto name = cursor.take(namesz, "name");
    if (!name) return note.warn(name.error());
    cursor.align(align);
    auto desc = cursor.take(descsz, "description");
    if (!desc) return note.warn(desc.error());
    cursor.align(align);
    const std::string_view owner = name->as_chars().substr(0, name->as_chars().find('\0'));
    read_note(owner, type, *desc, note);
  }
}

void parse_notes(ByteView notes, Endian endian, std::uint64_t alignment, int bits, ElfNotes& out,
                 std::vector<std::string>& warnings) {
  parse_notes(notes, endian, alignment, bits, 0, out, warnings);
}

}  // namespace enoexec::elf
