// The import directory (IMAGE_IMPORT_DESCRIPTOR) and the delay-load import directory
// (ImgDelayDescr): which DLLs the image names and how many functions it takes from each.
//
// Like the Windows loader, the walk ends at the all-zero descriptor, not at the directory's Size
// (linkers disagree on what Size covers); it also ends at the end of the section's raw data and at
// kMaxImportedDlls. Lookup tables end at a zero entry, capped at kMaxImportsPerDll and, over the
// whole image, kMaxImportEntries, so a hostile file cannot make the walk slow.
#include <optional>
#include <vector>

#include <fmt/format.h>

#include "formats/pe/pe_constants.hpp"
#include "formats/pe/pe_file.hpp"

namespace enoexec::pe {
namespace {

constexpr std::uint64_t kImportDescriptorSize = 20;
constexpr std::uint64_t kDelayDescriptorSize = 32;
constexpr std::uint64_t kMaxImportEntries = std::uint64_t{1} << 20;

struct Descriptor {
  std::uint64_t offset = 0;        // file offset of the descriptor
  std::uint32_t name_rva = 0;      // RVA of the DLL name
  std::uint64_t name_field = 0;    // file offset of the field holding it
  std::uint32_t lookup_rva = 0;    // import lookup / name table
  std::uint64_t lookup_field = 0;
};

class ImportWalker {
 public:
  ImportWalker(PeImage& image, std::string_view table_name)
      : image_(image), table_name_(table_name) {}

  // The DLL a descriptor names, or nothing (with a warning) when the name cannot be read.
  std::optional<PeImport> read(const Descriptor& d, std::size_t index) {
    auto bytes = image_.at_rva(d.name_rva, "DLL name", d.name_field);
    if (!bytes) return warn(bytes.error(), index);
    auto name = bytes->cstring(0, kMaxDllNameLength, "DLL name");
    if (!name) return warn(name.error(), index);
    PeImport import{printable(*name), 0};
    if (d.lookup_rva != 0) import.functions = count_entries(d, index);
    return import;
  }

 private:
  // Every reader's message starts with what it read ("DLL name ..."); the descriptor that
  // named it goes in front only here, on the way to a warning, not for every descriptor read.
  std::nullopt_t warn(Error error, std::size_t index) {
    if (!image_.warnings_full()) error.what = fmt::format("{} {}: {}", table_name_, index, error.what);
    image_.warn(error);
    return std::nullopt;
  }

  std::uint32_t count_entries(const Descriptor& d, std::size_t index) {
    auto table = image_.at_rva(d.lookup_rva, "lookup table", d.lookup_field);
    if (!table) {
      warn(table.error(), index);
      return 0;
    }
    const auto what = [&] { return fmt::format("{} {}: lookup table", table_name_, index); };
    const std::uint64_t entry = image_.pe32_plus ? 8 : 4;
    std::uint32_t count = 0;
    for (std::uint64_t at = 0;; at += entry) {
      if (budget_ == 0) return limit(d, fmt::format("more than {} import entries in the image "
                                                    "(kMaxImportEntries); counts stop here",
                                                    kMaxImportEntries), count);
      if (count == kMaxImportsPerDll)
        return limit(d, fmt::format("{} has more than {} entries (kMaxImportsPerDll); counting "
                                    "stops there", what(), kMaxImportsPerDll), count);
      if (!table->contains(at, entry)) {
        image_.warn_with(table->file_offset() + at, [&] {
          return fmt::format("{} has no zero entry before the end of its section data", what());
        });
        return count;
      }
      --budget_;
      const std::uint64_t value = image_.pe32_plus
          ? table->read<std::uint64_t>(at, Endian::little, "").value_or(0)
          : table->read<std::uint32_t>(at, Endian::little, "").value_or(0);
      if (value == 0) return count;
      ++count;
    }
  }

  std::uint32_t limit(const Descriptor& d, std::string text, std::uint32_t count) {
    if (!limit_reported_) image_.warn(d.offset, text);
    limit_reported_ = true;
    return count;
  }

  PeImage& image_;
  std::string_view table_name_;
  std::uint64_t budget_ = kMaxImportEntries;
  bool limit_reported_ = false;
};

// Walks fixed-size descriptors from the directory's RVA until `decode` reports the terminator.
// `decode` returns nullopt for the terminator, else the descriptor's fields.
template <class Decode>
std::vector<PeImport> walk(PeImage& image, std::size_t directory, std::string_view directory_what,
                           std::string_view table_name, std::uint64_t descriptor_size,
                           Decode decode) {
  std::vector<PeImport> imports;
  const std::uint32_t rva = image.directories[directory].rva;
  if (rva == 0) return imports;
  auto table = image.at_rva(rva, directory_what, image.directory_offset(directory));
  if (!table) {
    image.warn(table.error());
    return imports;
  }
  ImportWalker walker(image, table_name);
  for (std::size_t i = 0;; ++i) {
    const std::uint64_t at = i * descriptor_size;
    if (i == image.limits.needed_libraries) {
      image.warn(table->file_offset() + at,
                 limit_exceeded("needed libraries",
                                fmt::format("{} lists more than {} DLLs; the rest are not read",
                                            directory_what, image.limits.needed_libraries)));
      break;
    }
    if (!table->contains(at, descriptor_size)) {
      image.warn(table->file_offset() + at,
                 fmt::format("{} has no null terminator after {} descriptors before the end of "
                             "its section data",
                             directory_what, i));
      break;
    }
    const ByteView bytes = table->clamp(at, descriptor_size);
    auto descriptor = decode(bytes, i);
    if (!descriptor) break;
    if (descriptor->name_rva == 0) {
      image.warn_with(descriptor->offset, [&] { return fmt::format("{} {} has no DLL name", table_name, i); });
      continue;
    }
    if (auto import = walker.read(*descriptor, i)) imports.push_back(std::move(*import));
  }
  return imports;
}

std::uint32_t u32(ByteView bytes, std::uint64_t at) {
  return bytes.read<std::uint32_t>(at, Endian::little, "").value_or(0);
}

bool all_zero(ByteView bytes) {
  for (const auto byte : bytes.bytes())
    if (byte != 0) return false;
  return true;
}

}  // namespace

void read_imports(PeImage& image) {
  // IMAGE_IMPORT_DESCRIPTOR: OriginalFirstThunk, TimeDateStamp, ForwarderChain, Name, FirstThunk.
  auto decode = [](ByteView bytes, std::size_t) -> std::optional<Descriptor> {
    if (all_zero(bytes)) return std::nullopt;
    const std::uint32_t original_first_thunk = u32(bytes, 0);
    const std::uint64_t base = bytes.file_offset();
    // Some linkers leave OriginalFirstThunk zero; FirstThunk then holds the names on disk.
    const bool use_iat = original_first_thunk == 0;
    return Descriptor{base, u32(bytes, 12), base + 12,
                      use_iat ? u32(bytes, 16) : original_first_thunk, base + (use_iat ? 16 : 0)};
  };
  image.details.imports =
      walk(image, IMAGE_DIRECTORY_ENTRY_IMPORT, "import directory",
                               "import descriptor", kImportDescriptorSize, decode);
}

void read_delay_imports(PeImage& image) {
  // ImgDelayDescr: Attributes, DllNameRVA, ModuleHandleRVA, ImportAddressTableRVA,
  // ImportNameTableRVA, BoundImportAddressTableRVA, UnloadInformationTableRVA, TimeDateStamp.
  // Attributes bit 0 clear: the "RVAs" are virtual addresses (Visual C++ 6 era).
  const std::uint64_t image_base = image.image_base;
  auto decode = [image_base](ByteView bytes, std::size_t) -> std::optional<Descriptor> {
    if (all_zero(bytes)) return std::nullopt;
    const bool rvas = (u32(bytes, 0) & 1) != 0;
    auto address = [&](std::uint64_t at) {
      const std::uint32_t value = u32(bytes, at);
      if (rvas || value == 0 || value < image_base) return value;
      return static_cast<std::uint32_t>(value - image_base);
    };
    const std::uint64_t base = bytes.file_offset();
    return Descriptor{base, address(4), base + 4, address(16), base + 16};
  };
  image.details.delay_imports = walk(image, IMAGE_DIRECTORY_ENTRY_DELAY_IMPORT,
                                     "delay import directory", "delay import descriptor",
                                     kDelayDescriptorSize, decode);
}

}  // namespace enoexec::pe
