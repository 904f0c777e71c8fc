// Signatures of files that are not programs but get run as if they were. Sources: each format's
// own specification (gzip RFC 1952, xz file format 1.0.4, zstd RFC 8878, LZ4 frame format, PKWARE
// APPNOTE 4.3.4, 7z and RAR 5.0 format notes, deb(5), ar(5), RPM lead, WebAssembly core spec
// 5.5.16, PDF 1.7, PNG, JFIF, GIF89a, MS-SHLLINK 2.1, MS-CFB 2.2, PostScript Language Document
// Structuring Conventions 3.0, RTF 1.9.1, pcap draft-ietf-opsawg-pcap section 4), read for the magic
// bytes only.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace enoexec::impostor {

struct Magic {
  std::string_view kind;
  std::uint64_t offset;
  std::string_view bytes;  // compared byte for byte; may hold NULs
};

using namespace std::string_view_literals;

// Tried in order; the first that matches names the file. Longer and more specific signatures
// come before the shorter ones they share a prefix with (deb before ar-archive).
inline constexpr std::array<Magic, 28> MAGICS{{
    {"gzip", 0, "\x1f\x8b\x08"sv},  // ID1 ID2, CM = 8 (deflate, the only method defined)
    {"xz", 0, "\xfd" "7zXZ\x00"sv},
    {"zstd", 0, "\x28\xb5\x2f\xfd"sv},
    {"lz4", 0, "\x04\x22\x4d\x18"sv},
    {"7z", 0, "7z\xbc\xaf\x27\x1c"sv},
    {"rar", 0, "Rar!\x1a\x07\x00"sv},        // RAR 1.5-4.x
    {"rar", 0, "Rar!\x1a\x07\x01\x00"sv},    // RAR 5
    {"zip", 0, "PK\x03\x04"sv},              // local file header (jar, apk, wheel, ...)
    {"zip", 0, "PK\x05\x06"sv},              // end of central directory: an empty archive
    {"zip", 0, "PK\x07\x08"sv},              // spanned archive marker
    {"deb", 0, "!<arch>\ndebian-binary"sv},  // ar archive whose first member is debian-binary
    {"ar-archive", 0, "!<arch>\n"sv},        // static library (.a) or other ar archive
    {"ar-archive", 0, "!<thin>\n"sv},        // GNU thin archive
    {"rpm", 0, "\xed\xab\xee\xdb"sv},
    {"pdf", 0, "%PDF-"sv},
    {"png", 0, "\x89PNG\r\n\x1a\n"sv},
    {"jpeg", 0, "\xff\xd8\xff"sv},
    {"gif", 0, "GIF87a"sv},
    {"gif", 0, "GIF89a"sv},
    {"ole2-document", 0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"sv},  // compound file signature
    {"postscript", 0, "%!PS"sv},
    {"rtf", 0, "{\\rtf"sv},
    // pcap: magic 0xA1B2C3D4 (microseconds) or 0xA1B23C4D (nanoseconds), in the writer's order.
    {"pcap", 0, "\xd4\xc3\xb2\xa1"sv},
    {"pcap", 0, "\xa1\xb2\xc3\xd4"sv},
    {"pcap", 0, "\x4d\x3c\xb2\xa1"sv},
    {"pcap", 0, "\xa1\xb2\x3c\x4d"sv},
    {"windows-shortcut", 0, "\x4c\x00\x00\x00\x01\x14\x02\x00"sv},  // HeaderSize 0x4C, LinkCLSID
    {"git-lfs-pointer", 0, "version https://git-lfs.github.com/spec/v1\n"sv},
}};

}  // namespace enoexec::impostor
