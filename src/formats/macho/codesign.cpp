// The embedded code signature: LC_CODE_SIGNATURE points at a SuperBlob (big-endian, whatever the
// file's byte order) whose index names a CodeDirectory (identifier, team, flags, hash type) and
// optionally alternate CodeDirectories, entitlements and a CMS signature.
// Layout: xnu osfmk/kern/cs_blobs.h (see /work/shared/reference/macho-pe.md A.6). What xnu's
// cs_validate_csblob (bsd/kern/ubc_subr.c) rejects the whole signature for is also recorded as a
// structure entry of `invalid`; the hashes are checked in codesign_verify.cpp.
#include <optional>

#include <fmt/format.h>

#include "formats/macho/codesign.hpp"
#include "formats/macho/load_commands.hpp"
#include "formats/macho/macho_constants.hpp"

namespace enoexec::macho {
namespace {

constexpr Endian kBig = Endian::big;
constexpr std::uint64_t kSuperBlobHeader = 12;  // magic, length, count
constexpr std::uint64_t kBlobIndexEntry = 8;    // type, offset
constexpr std::uint64_t kCodeDirectoryMin = 44; // through spare2 (v0x20001)

struct CodeDirectory {
  std::uint32_t version = 0;
  std::uint32_t flags = 0;
  std::uint8_t hash_type = 0;
  std::optional<std::string> identifier, team_id;
  std::uint32_t runtime = 0;
};

// A fault the kernel rejects the whole signature for (cs_validate_csblob answers EBADEXEC): a
// warning for the reader, and a structure entry of `invalid` for the verdict.
void reject(MachoFile& file, ErrorCode code, std::uint64_t offset, std::string what) {
  MachoSignatureProblem problem = structure_problem(offset, what);
  add_problem(file.details.code_signature, std::move(problem));
  warn(file.warnings, Error{code, offset, std::move(what)});
}

std::uint32_t be32(ByteView bytes, std::uint64_t at) {
  return bytes.read<std::uint32_t>(at, kBig, "code signature").value_or(0);
}

// A NUL-terminated string at `offset` inside the CodeDirectory blob (xnu: EBADEXEC without it).
std::optional<std::string> cd_string(ByteView cd, std::uint32_t offset, std::string_view field,
                                     MachoFile& file) {
  if (offset >= cd.size()) {
    reject(file, ErrorCode::out_of_bounds, cd.file_offset(),
           fmt::format("CodeDirectory: {} {:#x} lies outside the {}-byte CodeDirectory", field,
                       offset, cd.size()));
    return std::nullopt;
  }
  auto text = cd.cstring(offset, cd.size(), fmt::format("CodeDirectory {}", field));
  if (!text) {
    reject(file, text.error().code, text.error().offset, text.error().what);
    return std::nullopt;
  }
  return std::string(*text);
}

std::optional<CodeDirectory> read_code_directory(ByteView cd, MachoFile& file) {
  const auto magic = be32(cd, 0);
  if (magic != CSMAGIC_CODEDIRECTORY) {
    reject(file, ErrorCode::bad_magic, cd.file_offset(),
           fmt::format("CodeDirectory: magic {:#010x} is not CSMAGIC_CODEDIRECTORY", magic));
    return std::nullopt;
  }
  if (cd.size() < kCodeDirectoryMin) {
    reject(file, ErrorCode::truncated, cd.file_offset(),
           fmt::format("CodeDirectory: length {} is smaller than its {}-byte header", cd.size(),
                       kCodeDirectoryMin));
    return std::nullopt;
  }
  CodeDirectory out;
  out.version = be32(cd, 8);
  out.flags = be32(cd, 12);
  out.hash_type = cd.u8(37, "CodeDirectory hashType").value_or(0);
  if (const auto ident = be32(cd, 20); ident != 0)
    out.identifier = cd_string(cd, ident, "identOffset", file);
  if (out.version >= CS_SUPPORTSTEAMID && cd.size() >= 52) {
    if (const auto team = be32(cd, 48); team != 0)
      out.team_id = cd_string(cd, team, "teamOffset", file);
  }
  if (out.version >= CS_SUPPORTSRUNTIME && cd.size() >= 92) out.runtime = be32(cd, 88);
  return out;
}

// The blob that index entry `i` points at, checked against the SuperBlob.
std::optional<ByteView> blob_at(ByteView super, std::uint64_t i, std::uint32_t type,
                                std::uint32_t offset, MachoFile& file) {
  const std::string entry = fmt::format("code signature SuperBlob index {} (slot {:#x})", i, type);
  if (offset < kSuperBlobHeader || !super.contains(offset, 8)) {
    reject(file, ErrorCode::out_of_bounds, super.file_offset() + kSuperBlobHeader + i * 8,
           fmt::format("{}: offset {:#x} lies outside the {}-byte SuperBlob", entry, offset,
                       super.size()));
    return std::nullopt;
  }
  const auto length = be32(super, offset + 4);
  if (length < 8 || !super.contains(offset, length)) {
    reject(file, ErrorCode::out_of_bounds, super.file_offset() + offset,
           fmt::format("{}: blob length {} at offset {:#x} runs past the end of the {}-byte "
                       "SuperBlob",
                       entry, length, offset, super.size()));
    return std::nullopt;
  }
  return super.clamp(offset, length);
}

bool is_code_directory_slot(std::uint32_t type) {
  return type == CSSLOT_CODEDIRECTORY ||
         (type >= CSSLOT_ALTERNATE_CODEDIRECTORIES &&
          type < CSSLOT_ALTERNATE_CODEDIRECTORIES + CSSLOT_ALTERNATE_CODEDIRECTORY_MAX);
}

// The magic xnu insists on for the blobs it reads itself (0 for slots it does not look into).
std::uint32_t required_magic(std::uint32_t type) {
  switch (type) {
    case CSSLOT_ENTITLEMENTS: return CSMAGIC_EMBEDDED_ENTITLEMENTS;
    case CSSLOT_DER_ENTITLEMENTS: return CSMAGIC_EMBEDDED_DER_ENTITLEMENTS;
    case CSSLOT_LAUNCH_CONSTRAINT_SELF:
    case CSSLOT_LAUNCH_CONSTRAINT_PARENT:
    case CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE:
    case CSSLOT_LIBRARY_CONSTRAINT: return CSMAGIC_EMBEDDED_LAUNCH_CONSTRAINT;
    default: return 0;
  }
}

void apply_code_directory(const CodeDirectory& cd, MachoCodeSignature& signature) {
  signature.is_signed = true;
  signature.cd_version = hex(cd.version);
  signature.cd_flags = cd.flags;
  signature.flags = cs_flag_names(cd.flags);
  signature.adhoc = (cd.flags & CS_ADHOC) != 0;
  signature.linker_signed = (cd.flags & CS_LINKER_SIGNED) != 0;
  signature.runtime = (cd.flags & CS_RUNTIME) != 0;
  signature.enforced = (cd.flags & (CS_HARD | CS_KILL | CS_RUNTIME)) != 0;
  signature.identifier = cd.identifier;
  signature.team_id = cd.team_id;
  if (cd.runtime != 0) signature.runtime_version = os_version(cd.runtime);
}

// The SuperBlob view (its own length, cut to the data LC_CODE_SIGNATURE names) and its count of
// index entries that really fit, or nullopt (with a warning) when it cannot be read at all.
std::optional<std::pair<ByteView, std::uint64_t>> read_super_blob(ByteView data,
                                                                  MachoFile& file) {
  const auto magic = data.read<std::uint32_t>(0, kBig, "code signature SuperBlob");
  if (!magic) {
    reject(file, magic.error().code, magic.error().offset, magic.error().what);
    return std::nullopt;
  }
  if (*magic != CSMAGIC_EMBEDDED_SIGNATURE) {
    reject(file, ErrorCode::bad_magic, data.file_offset(),
           fmt::format("code signature: SuperBlob magic {:#010x} is not "
                       "CSMAGIC_EMBEDDED_SIGNATURE",
                       *magic));
    return std::nullopt;
  }
  if (data.size() < kSuperBlobHeader) {
    const Error error = data.fail_range(0, kSuperBlobHeader, "code signature SuperBlob").value();
    reject(file, error.code, error.offset, error.what);
    return std::nullopt;
  }
  std::uint64_t length = be32(data, 4);
  const std::uint32_t count = be32(data, 8);
  if (length < kSuperBlobHeader || length > data.size()) {
    reject(file, ErrorCode::malformed, data.file_offset(),
           fmt::format("code signature SuperBlob: length {} does not fit the {} bytes of "
                       "LC_CODE_SIGNATURE data",
                       length, data.size()));
    length = data.size();
  }
  const std::uint64_t room = (length - kSuperBlobHeader) / kBlobIndexEntry;
  if (count > room)
    reject(file, ErrorCode::malformed, data.file_offset() + 8,
           fmt::format("code signature SuperBlob: count {} index entries do not fit its length {} "
                       "(room for {})",
                       count, length, room));
  return std::pair{data.clamp(0, length), std::min<std::uint64_t>(count, room)};
}

// Walks the index: every blob that fits, the CodeDirectories read, the primary one applied.
SignatureParts read_index(ByteView blob, std::uint64_t count, MachoFile& file) {
  MachoCodeSignature& signature = file.details.code_signature;
  SignatureParts parts;
  std::optional<CodeDirectory> primary;
  int best_rank = 0;
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto type = be32(blob, kSuperBlobHeader + i * kBlobIndexEntry);
    const auto offset = be32(blob, kSuperBlobHeader + i * kBlobIndexEntry + 4);
    const auto part = blob_at(blob, i, type, offset, file);
    if (!part) continue;
    if (const auto magic = required_magic(type); magic != 0 && be32(*part, 0) != magic)
      reject(file, ErrorCode::bad_magic, part->file_offset(),
             fmt::format("code signature SuperBlob slot {:#x}: magic {:#010x}, not {:#010x}", type,
                         be32(*part, 0), magic));
    if (is_code_directory_slot(type)) {
      auto cd = read_code_directory(*part, file);
      if (!cd) continue;
      parts.code_directories.push_back(parts.blobs.size());
      signature.hash_types.push_back(hash_type_name(cd->hash_type));
      if (hash_type_rank(cd->hash_type) >= best_rank) {
        best_rank = hash_type_rank(cd->hash_type);
        signature.hash_type = hash_type_name(cd->hash_type);
      }
      if (!primary || type == CSSLOT_CODEDIRECTORY) primary = std::move(cd);
    } else if (type == CSSLOT_ENTITLEMENTS || type == CSSLOT_DER_ENTITLEMENTS) {
      signature.has_entitlements = true;
    } else if (type == CSSLOT_SIGNATURESLOT) {
      signature.has_cms = be32(*part, 0) == CSMAGIC_BLOBWRAPPER && part->size() > 8;
    }
    parts.blobs.push_back({type, *part});
  }
  if (primary) apply_code_directory(*primary, signature);
  return parts;
}

}  // namespace

void read_code_signature(ByteView slice, MachoFile& file) {
  if (!file.signature_command) return;
  MachoCodeSignature& signature = file.details.code_signature;
  const ByteView data = slice.clamp(signature.dataoff, signature.datasize);
  if (data.size() < signature.datasize) {
    // xnu reads datasize bytes of the file (load_code_signature); a short read is no signature.
    signature.truncated = true;
    reject(file, ErrorCode::truncated, slice.file_offset() + signature.dataoff,
           fmt::format("LC_CODE_SIGNATURE: [dataoff {:#x}, datasize {:#x}] runs past the end of "
                       "the file ({} bytes): the file was cut inside its signature",
                       signature.dataoff, signature.datasize, slice.size()));
  }
  SignatureParts parts;
  if (!data.empty()) {
    if (const auto super = read_super_blob(data, file)) {
      const auto& [blob, count] = *super;
      parts = read_index(blob, count, file);
    }
  } else if (signature.datasize == 0) {
    reject(file, ErrorCode::malformed, slice.file_offset(),
           "LC_CODE_SIGNATURE: datasize 0: the command names no signature");
  }
  if (parts.code_directories.empty() && signature.invalid.empty())
    reject(file, ErrorCode::malformed, slice.file_offset() + signature.dataoff,
           "code signature: the SuperBlob holds no CodeDirectory");
  verify_code_signature(slice, parts, file);
}

}  // namespace enoexec::macho
