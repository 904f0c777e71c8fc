#include "formats/identify.hpp"

#include <algorithm>
#include <array>

namespace enoexec {
namespace {

bool starts_with(ByteView file, std::initializer_list<std::uint8_t> magic) {
  return file.size() >= magic.size() && std::equal(magic.begin(), magic.end(), file.data());
}

// CAFEBABE starts both universal Mach-O and Java class files. In a class file the next word is
// minor/major version (major >= 45); in a universal binary it is the slice count, which is small.
// file(1) and Go's debug/macho draw the same line.
bool is_universal_macho(ByteView file) {
  auto count = file.read<std::uint32_t>(4, Endian::big, "fat_header.nfat_arch");
  return count && *count > 0 && *count < 45;
}

}  // namespace

Format identify(ByteView file) {
  if (starts_with(file, {0x7f, 'E', 'L', 'F'})) return Format::elf;
  for (std::uint32_t magic : {0xfeedfaceu, 0xfeedfacfu, 0xcefaedfeu, 0xcffaedfeu})
    if (file.read<std::uint32_t>(0, Endian::big, "magic") == magic) return Format::macho;
  if (starts_with(file, {0xca, 0xfe, 0xba, 0xbe}))
    return is_universal_macho(file) ? Format::macho_fat : Format::unknown;
  // FAT_MAGIC_64 is never a class file: send it to the reader, whose slice limit then speaks.
  if (starts_with(file, {0xca, 0xfe, 0xba, 0xbf})) return Format::macho_fat;
  if (starts_with(file, {'M', 'Z'})) return Format::pe;
  if (starts_with(file, {'#', '!'}) || starts_with(file, {0xef, 0xbb, 0xbf, '#', '!'}))
    return Format::script;
  return Format::unknown;
}

}  // namespace enoexec
