// Verifying the embedded code signature as xnu does when it loads and pages in a signed file
// (bsd/kern/ubc_subr.c: cs_validate_codedirectory, csblob_find_special_slot_blob,
// cs_validate_hash): each CodeDirectory's structure, the hash of every code page of the slice
// up to codeLimit, and the special slots whose blobs sit in the SuperBlob itself. Hashes come
// from libcrypto (support/digest.hpp).
#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "formats/macho/codesign.hpp"
#include "formats/macho/load_commands.hpp"
#include "formats/macho/macho_constants.hpp"
#include "support/digest.hpp"

namespace enoexec::macho {
namespace {

constexpr Endian kBig = Endian::big;
// Bad pages listed per CodeDirectory (the rest are counted in bad_pages), and problems listed
// per slice: a hostile SuperBlob can name thousands of broken blobs.
constexpr std::size_t kListedPages = 8;
constexpr std::size_t kListedProblems = 64;
// CodeDirectories a signature can hold: slot 0 and the five alternate slots (cs_blobs.h
// CSSLOT_ALTERNATE_CODEDIRECTORY_MAX); a SuperBlob that names more repeats a slot.
constexpr std::size_t kMaxDirectories = 1 + CSSLOT_ALTERNATE_CODEDIRECTORY_MAX;
constexpr std::uint32_t VM_PROT_EXECUTE = 4;

// The CodeDirectory fields the hashes depend on (cs_blobs.h CS_CodeDirectory).
struct Fields {
  std::uint32_t slot = 0, version = 0, hash_offset = 0, ident_offset = 0;
  std::uint32_t n_special = 0, n_code = 0, scatter_offset = 0;
  std::uint64_t code_limit = 0;
  std::uint8_t hash_size = 0, hash_type = 0, page_shift = 0;
};

Fields read_fields(std::uint32_t slot, ByteView cd) {
  const auto u32 = [&](std::uint64_t at) { return cd.read_or<std::uint32_t>(at, kBig, 0); };
  const auto u8 = [&](std::uint64_t at) { return cd.read_or<std::uint8_t>(at, kBig, 0); };
  Fields f;
  f.slot = slot;
  f.version = u32(8);
  f.hash_offset = u32(16);
  f.ident_offset = u32(20);
  f.n_special = u32(24);
  f.n_code = u32(28);
  f.code_limit = u32(32);
  f.hash_size = u8(36);
  f.hash_type = u8(37);
  f.page_shift = u8(39);
  if (f.version >= CS_SUPPORTSSCATTER) f.scatter_offset = u32(44);
  if (f.version >= CS_SUPPORTSCODELIMIT64) {
    if (const auto limit64 = cd.read_or<std::uint64_t>(56, kBig, 0); limit64 != 0)
      f.code_limit = limit64;
  }
  return f;
}

// The digest a CodeDirectory hash type stands for, and how many of its bytes are stored.
struct HashKind {
  DigestAlgorithm algorithm;
  std::uint8_t stored;
};
std::optional<HashKind> hash_kind(std::uint8_t hash_type) {
  switch (hash_type) {
    case CS_HASHTYPE_SHA1: return HashKind{DigestAlgorithm::sha1, 20};
    case CS_HASHTYPE_SHA256: return HashKind{DigestAlgorithm::sha256, 32};
    case CS_HASHTYPE_SHA256_TRUNCATED: return HashKind{DigestAlgorithm::sha256, 20};
    case CS_HASHTYPE_SHA384: return HashKind{DigestAlgorithm::sha384, 48};
    default: return std::nullopt;
  }
}

std::string_view slot_name(std::uint32_t slot) {
  switch (slot) {
    case CSSLOT_INFOSLOT: return "info-plist";
    case CSSLOT_REQUIREMENTS: return "requirements";
    case CSSLOT_RESOURCEDIR: return "resource-dir";
    case CSSLOT_APPLICATION: return "application";
    case CSSLOT_ENTITLEMENTS: return "entitlements";
    case CSSLOT_REP_SPECIFIC: return "rep-specific";
    case CSSLOT_DER_ENTITLEMENTS: return "der-entitlements";
    case CSSLOT_LAUNCH_CONSTRAINT_SELF: return "launch-constraint-self";
    case CSSLOT_LAUNCH_CONSTRAINT_PARENT: return "launch-constraint-parent";
    case CSSLOT_LAUNCH_CONSTRAINT_RESPONSIBLE: return "launch-constraint-responsible";
    case CSSLOT_LIBRARY_CONSTRAINT: return "library-constraint";
    default: return "unknown";
  }
}

// Slots whose hash covers something outside the Mach-O file (the bundle's Info.plist,
// _CodeSignature/CodeResources, an application-specific blob) or that xnu does not define.
bool needs_other_files(std::uint32_t slot) {
  return slot == CSSLOT_INFOSLOT || slot == CSSLOT_RESOURCEDIR || slot == CSSLOT_APPLICATION ||
         slot == CSSLOT_REP_SPECIFIC;
}
constexpr std::uint32_t kLastKnownSlot = CSSLOT_LIBRARY_CONSTRAINT;

void add_unchecked(MachoCodeSignature& signature, std::string_view name) {
  if (std::find(signature.unchecked.begin(), signature.unchecked.end(), name) ==
      signature.unchecked.end())
    signature.unchecked.emplace_back(name);
}

class DirectoryCheck {
 public:
  DirectoryCheck(ByteView slice, ByteView cd, const Fields& fields, const SignatureParts& parts,
                 MachoFile& file, std::size_t index)
      : slice_(slice), cd_(cd), f_(fields), parts_(parts), file_(file), index_(index) {
    out_.slot = f_.slot;
    out_.hash_type_id = f_.hash_type;
    out_.hash_type = hash_type_name(f_.hash_type);
    out_.page_size = f_.page_shift < 64 ? std::uint64_t{1} << f_.page_shift : 0;
    out_.code_limit = f_.code_limit;
    out_.pages = f_.n_code;
    out_.special_slots = f_.n_special;
  }

  // True when xnu rejects the whole signature for this directory's structure.
  bool rejects_signature() const { return rejected_; }

  MachoCodeDirectory run() {
    if (!structure()) {
      rejected_ = true;
      out_.valid = false;
      return out_;
    }
    bool complete = pages();
    special_slots();
    if (failed_) out_.valid = false;
    else if (complete) out_.valid = true;
    return out_;
  }

 private:
  // cs_validate_codedirectory: what makes xnu reject the signature before any page is hashed.
  bool structure() {
    if (f_.page_shift != PAGE_SHIFT_4K && f_.page_shift != PAGE_SHIFT_16K)
      return fail_structure(fmt::format("pageSize 2^{}: xnu accepts 4 KiB (2^12) and 16 KiB "
                                        "(2^14) pages only",
                                        f_.page_shift));
    kind_ = hash_kind(f_.hash_type);
    if (!kind_)
      return fail_structure(fmt::format("hashType {}: not a hash xnu knows", f_.hash_type));
    if (f_.hash_size != kind_->stored)
      return fail_structure(fmt::format("hashSize {} does not match {} ({} bytes)", f_.hash_size,
                                        out_.hash_type, kind_->stored));
    const std::uint64_t length = cd_.size();
    if (f_.hash_offset > length)
      return fail_structure(fmt::format("hashOffset {:#x} lies outside the {}-byte "
                                        "CodeDirectory",
                                        f_.hash_offset, length));
    if (f_.hash_offset / f_.hash_size < f_.n_special)
      return fail_structure(fmt::format("nSpecialSlots {} do not fit before hashOffset {:#x}",
                                        f_.n_special, f_.hash_offset));
    if ((length - f_.hash_offset) / f_.hash_size < f_.n_code)
      return fail_structure(fmt::format("nCodeSlots {} do not fit after hashOffset {:#x} in the "
                                        "{}-byte CodeDirectory",
                                        f_.n_code, f_.hash_offset, length));
    return true;
  }

  // Every page [i * size, min((i + 1) * size, codeLimit)) against its stored hash. False when
  // some could not be hashed (a scatter vector, the signature bytes limit).
  bool pages() {
    if (f_.scatter_offset != 0) {
      add_unchecked(signature(), "code-pages-scatter");
      return false;
    }
    const std::uint64_t page = out_.page_size;
    const std::uint64_t needed = f_.code_limit / page + (f_.code_limit % page != 0);
    if (f_.code_limit > slice_.size()) {
      signature().truncated = true;
      fail_structure(fmt::format("codeLimit {:#x} runs past the end of the {}-byte file: the "
                                 "file was cut, or the signature belongs to a longer file",
                                 f_.code_limit, slice_.size()));
    }
    if (f_.n_code < needed)
      fail_structure(fmt::format("nCodeSlots {} hash only the first {} of the {} pages up to "
                                 "codeLimit {:#x}: the rest carry no hash",
                                 f_.n_code, f_.n_code, needed, f_.code_limit));
    uncovered_code();
    Digester digester(kind_->algorithm);
    const std::uint64_t count = std::min<std::uint64_t>(f_.n_code, needed);
    for (std::uint64_t i = 0; i < count; ++i) {
      const std::uint64_t begin = i * page;
      const std::uint64_t end = std::min(begin + page, f_.code_limit);
      // Pages the file is too short for were reported with codeLimit: the file was cut there.
      if (end > slice_.size()) break;
      if (!within_budget(end - begin)) return false;
      const Digest actual = digester.of(slice_.bytes().subspan(begin, end - begin));
      const auto stored = cd_.bytes().subspan(f_.hash_offset + i * f_.hash_size, f_.hash_size);
      if (std::equal(stored.begin(), stored.end(), actual.bytes.begin())) continue;
      ++out_.bad_pages;
      failed_ = true;
      if (out_.bad_pages > kListedPages) continue;
      MachoSignatureProblem problem = problem_for(SignatureCheck::page);
      problem.page = i;
      problem.offset = slice_.file_offset() + begin;
      problem.message = fmt::format("page {} (file offset {:#x}, {} bytes): its {} hash does not "
                                    "match the one the CodeDirectory stores: the file changed "
                                    "after it was signed",
                                    i, slice_.file_offset() + begin, end - begin,
                                    out_.hash_type);
      add_problem(signature(), std::move(problem));
    }
    return true;
  }

  // Executable segments whose file bytes run past codeLimit: those pages have no hash, and an
  // unvalidated executable page is what Apple silicon kills for.
  void uncovered_code() {
    for (const auto& segment : file_.details.segments) {
      if ((segment.initprot & VM_PROT_EXECUTE) == 0 || segment.filesize == 0) continue;
      const std::uint64_t end = segment.fileoff + std::min(segment.filesize, ~segment.fileoff);
      if (end <= f_.code_limit) continue;
      fail_structure(fmt::format("segment {} ends at file offset {:#x}, past codeLimit {:#x}: "
                                 "its last pages of code carry no hash",
                                 segment.name, end, f_.code_limit));
    }
  }

  // csblob_find_special_slot_blob: a blob in the SuperBlob must have a slot, and its hash must
  // match; a slot hash without its blob must be zero.
  void special_slots() {
    for (std::uint32_t slot = 1; slot <= kLastKnownSlot; ++slot) {
      const auto embedded = slot_hash(slot);
      if (needs_other_files(slot)) {
        if (embedded && !all_zero(*embedded)) add_unchecked(signature(), slot_name(slot));
        continue;
      }
      const SignatureBlob* blob = find_blob(slot);
      if (!embedded) {
        if (blob) fail_slot(slot, "the SuperBlob holds this blob, but the CodeDirectory has no "
                                  "slot for its hash");
        continue;
      }
      if (!blob) {
        if (!all_zero(*embedded))
          fail_slot(slot, "the CodeDirectory holds a hash for it, but the SuperBlob has no such "
                          "blob");
        continue;
      }
      if (!within_budget(blob->bytes.size())) return;
      const Digest actual = digest(kind_->algorithm, blob->bytes.bytes());
      if (!std::equal(embedded->begin(), embedded->end(), actual.bytes.begin()))
        fail_slot(slot, "its hash does not match the blob stored in the signature");
    }
  }

  std::optional<std::span<const std::uint8_t>> slot_hash(std::uint32_t slot) const {
    if (slot > f_.n_special) return std::nullopt;
    return cd_.bytes().subspan(f_.hash_offset - std::uint64_t{slot} * f_.hash_size, f_.hash_size);
  }

  const SignatureBlob* find_blob(std::uint32_t slot) const {
    for (const auto& blob : parts_.blobs)
      if (blob.type == slot) return &blob;
    return nullptr;
  }

  static bool all_zero(std::span<const std::uint8_t> bytes) {
    return std::all_of(bytes.begin(), bytes.end(), [](std::uint8_t b) { return b == 0; });
  }

  // Charges `bytes` to the file's signature bytes limit; false (with one warning) past it.
  bool within_budget(std::uint64_t bytes) {
    const std::uint64_t limit = file_.limits.signature_bytes;
    if (file_.signature_bytes_hashed <= limit && bytes <= limit - file_.signature_bytes_hashed) {
      file_.signature_bytes_hashed += bytes;
      return true;
    }
    if (!over_budget_)
      warn(file_.warnings,
           Error{ErrorCode::limit_exceeded, slice_.file_offset(),
                 fmt::format("signature bytes: more than {} bytes to hash; the "
                             "rest of the {} CodeDirectory is not checked",
                             limit, out_.hash_type)});
    over_budget_ = true;
    add_unchecked(signature(), "code-pages-over-limit");
    return false;
  }

  MachoSignatureProblem problem_for(SignatureCheck check) const {
    MachoSignatureProblem problem;
    problem.check = check;
    problem.code_directory = out_.hash_type;
    problem.directory = index_;
    return problem;
  }

  bool fail_structure(std::string what) {
    failed_ = true;
    MachoSignatureProblem problem = problem_for(SignatureCheck::structure);
    problem.offset = cd_.file_offset();
    problem.message = fmt::format("{} CodeDirectory: {}", out_.hash_type, what);
    warn(file_.warnings, Error{ErrorCode::malformed, cd_.file_offset(), problem.message});
    add_problem(signature(), std::move(problem));
    return false;
  }

  void fail_slot(std::uint32_t slot, std::string_view why) {
    failed_ = true;
    MachoSignatureProblem problem = problem_for(SignatureCheck::special_slot);
    problem.slot = slot;
    problem.message = fmt::format("special slot {} ({}) of the {} CodeDirectory: {}", slot,
                                  slot_name(slot), out_.hash_type, why);
    add_problem(signature(), std::move(problem));
  }

  MachoCodeSignature& signature() { return file_.details.code_signature; }

  ByteView slice_, cd_;
  Fields f_;
  const SignatureParts& parts_;
  MachoFile& file_;
  std::size_t index_;
  std::optional<HashKind> kind_;
  MachoCodeDirectory out_;
  bool failed_ = false;
  bool rejected_ = false;
  bool over_budget_ = false;
};

// xnu rejects a signature with two CodeDirectories of one hash type (cs_validate_csblob).
bool repeats(const std::vector<MachoCodeDirectory>& directories, std::uint8_t hash_type) {
  return std::any_of(directories.begin(), directories.end(),
                     [&](const MachoCodeDirectory& d) { return d.hash_type_id == hash_type; });
}

// The strongest CodeDirectory, the one xnu pages in with (hash_rank in ubc_subr.c).
std::optional<std::size_t> strongest(const std::vector<MachoCodeDirectory>& directories) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < directories.size(); ++i) {
    const auto rank = hash_type_rank(directories[i].hash_type_id);
    if (!best || rank > hash_type_rank(directories[*best].hash_type_id)) best = i;
  }
  return best;
}

}  // namespace

MachoSignatureProblem structure_problem(std::uint64_t offset, std::string message) {
  MachoSignatureProblem problem;
  problem.check = SignatureCheck::structure;
  problem.offset = offset;
  problem.message = std::move(message);
  return problem;
}

void add_problem(MachoCodeSignature& signature, MachoSignatureProblem problem) {
  if (signature.invalid.size() < kListedProblems) signature.invalid.push_back(std::move(problem));
}

void verify_code_signature(ByteView slice, const SignatureParts& parts, MachoFile& file) {
  MachoCodeSignature& signature = file.details.code_signature;
  // Faults found while reading the SuperBlob make xnu reject the whole signature.
  bool rejected = !signature.invalid.empty();
  for (std::size_t index : parts.code_directories) {
    const SignatureBlob& blob = parts.blobs[index];
    const std::size_t directory = signature.code_directories.size();
    if (directory == kMaxDirectories) {
      add_problem(signature, structure_problem(blob.bytes.file_offset(), fmt::format(
          "the SuperBlob names {} CodeDirectories; a signature has at most {} slots for them",
          parts.code_directories.size(), kMaxDirectories)));
      rejected = true;
      break;
    }
    const Fields fields = read_fields(blob.type, blob.bytes);
    if (repeats(signature.code_directories, fields.hash_type)) {
      // Not hashed again: xnu rejects the signature before looking at any page.
      MachoCodeDirectory repeat;
      repeat.slot = fields.slot;
      repeat.hash_type_id = fields.hash_type;
      repeat.hash_type = hash_type_name(fields.hash_type);
      repeat.valid = false;
      signature.code_directories.push_back(repeat);
      add_problem(signature, structure_problem(blob.bytes.file_offset(), fmt::format(
          "a second {} CodeDirectory: xnu rejects a signature that repeats a hash type",
          repeat.hash_type)));
      rejected = true;
      continue;
    }
    DirectoryCheck check(slice, blob.bytes, fields, parts, file, directory);
    signature.code_directories.push_back(check.run());
    rejected = rejected || check.rejects_signature();
  }
  if (signature.has_cms) add_unchecked(signature, "cms-signature");
  bool complete = !signature.code_directories.empty();
  for (const auto& directory : signature.code_directories)
    if (!directory.valid) complete = false;
  if (!signature.invalid.empty()) signature.valid = false;
  else if (complete) signature.valid = true;

  const auto best = strongest(signature.code_directories);
  if (rejected || !best) signature.kernel_valid = false;
  else signature.kernel_valid = signature.code_directories[*best].valid;
}

}  // namespace enoexec::macho
