// Signs a synthesised Mach-O as ld64 and Go's linker do: one ad hoc SuperBlob after everything
// else, whose CodeDirectories hash every page before it. Hashes are computed with libcrypto's EVP
// interface directly, not through enoexec's own digest helper, so a test of the verifier does
// not check enoexec against itself.
#pragma once

#include <openssl/evp.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "builders/macho_builder.hpp"

namespace enoexec::test {

inline Bytes evp_hash(std::uint8_t hash_type, const std::uint8_t* data, std::size_t size) {
  const EVP_MD* md = hash_type == 1 ? EVP_sha1() : hash_type == 4 ? EVP_sha384() : EVP_sha256();
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int length = 0;
  if (EVP_Digest(data, size, out.data(), &length, md, nullptr) != 1)
    throw std::runtime_error("EVP_Digest failed");
  out.resize(hash_type == 3 ? 20 : length);  // CS_HASHTYPE_SHA256_TRUNCATED keeps 20 bytes
  return out;
}

inline std::uint8_t hash_size_of(std::uint8_t hash_type) {
  return hash_type == 2 ? 32 : hash_type == 4 ? 48 : 20;
}

struct SignatureSpec {
  CodeDirectorySpec cd;                  // version, flags, identifier, team
  std::vector<std::uint8_t> hash_types{2};  // one CodeDirectory each: slot 0, then 0x1000, ...
  std::uint8_t page_shift = 12;
  // Blobs the special slots hash (slot -> blob), stored in the SuperBlob too: requirements (2),
  // entitlements (5), ...
  std::map<std::uint32_t, Bytes> special_blobs;
  // Special slot hashes for what lies outside the file (slot -> hash bytes): Info.plist (1) ...
  std::map<std::uint32_t, Bytes> outside_hashes;
};

// A CodeDirectory (v0x20400) whose hashes cover file[0, code_limit).
inline Bytes hashed_code_directory(const SignatureSpec& spec, std::uint8_t hash_type,
                                   const Bytes& file, std::uint32_t code_limit) {
  const Endian be = Endian::big;
  const std::uint32_t page = 1u << spec.page_shift;
  const std::uint32_t pages = (code_limit + page - 1) / page;
  const std::uint8_t size = hash_size_of(hash_type);
  std::uint32_t specials = 0;
  for (const auto& [slot, bytes] : spec.special_blobs) specials = std::max(specials, slot);
  for (const auto& [slot, bytes] : spec.outside_hashes) specials = std::max(specials, slot);
  constexpr std::uint32_t header = 88;
  Bytes ident;
  put_cstring(ident, spec.cd.identifier);
  const std::uint32_t hash_offset = header + static_cast<std::uint32_t>(ident.size()) + specials * size;
  Bytes out;
  put<std::uint32_t>(out, 0xfade0c02u, be);
  put<std::uint32_t>(out, hash_offset + pages * size, be);
  put<std::uint32_t>(out, 0x20400, be);
  put<std::uint32_t>(out, spec.cd.flags, be);
  put<std::uint32_t>(out, hash_offset, be);
  put<std::uint32_t>(out, header, be);  // identOffset
  put<std::uint32_t>(out, specials, be);
  put<std::uint32_t>(out, pages, be);
  put<std::uint32_t>(out, code_limit, be);
  out.push_back(size);
  out.push_back(hash_type);
  out.push_back(0);  // platform
  out.push_back(spec.page_shift);
  put<std::uint32_t>(out, 0, be);  // spare2
  put<std::uint32_t>(out, 0, be);  // scatterOffset
  put<std::uint32_t>(out, 0, be);  // teamOffset
  put<std::uint32_t>(out, 0, be);  // spare3
  put<std::uint64_t>(out, 0, be);  // codeLimit64
  put<std::uint64_t>(out, 0, be);  // execSegBase
  put<std::uint64_t>(out, 0, be);  // execSegLimit
  put<std::uint64_t>(out, 1, be);  // execSegFlags: main binary
  out.insert(out.end(), ident.begin(), ident.end());
  for (std::uint32_t slot = specials; slot >= 1; --slot) {
    Bytes hash(size, 0);
    if (auto it = spec.special_blobs.find(slot); it != spec.special_blobs.end())
      hash = evp_hash(hash_type, it->second.data(), it->second.size());
    if (auto it = spec.outside_hashes.find(slot); it != spec.outside_hashes.end()) hash = it->second;
    hash.resize(size);
    out.insert(out.end(), hash.begin(), hash.end());
  }
  for (std::uint32_t i = 0; i < pages; ++i) {
    const std::size_t begin = std::size_t{i} * page;
    const std::size_t end = std::min<std::size_t>(begin + page, code_limit);
    Bytes hash = file.size() >= end ? evp_hash(hash_type, file.data() + begin, end - begin)
                                    : Bytes(size, 0);
    out.insert(out.end(), hash.begin(), hash.end());
  }
  return out;
}

inline Bytes signature_blob(const SignatureSpec& spec, const Bytes& file, std::uint32_t code_limit) {
  std::vector<std::pair<std::uint32_t, Bytes>> slots;
  for (std::size_t i = 0; i < spec.hash_types.size(); ++i)
    slots.emplace_back(i == 0 ? 0u : 0x1000u + static_cast<std::uint32_t>(i - 1),
                       hashed_code_directory(spec, spec.hash_types[i], file, code_limit));
  for (const auto& [slot, bytes] : spec.special_blobs) slots.emplace_back(slot, bytes);
  return super_blob(slots);
}

// `b` (without a code signature yet) built with an ad hoc signature over every byte before it.
inline Bytes build_signed(MachoBuilder b, const SignatureSpec& spec = {}) {
  // The signature's offset does not depend on its size; its size depends on the page count.
  const Bytes probe = MachoBuilder(b).code_signature(Bytes(16, 0)).build();
  const auto code_limit = static_cast<std::uint32_t>(probe.size() - 16);
  const Bytes placeholder = signature_blob(spec, {}, code_limit);
  Bytes file = b.code_signature(Bytes(placeholder.size(), 0)).build();
  const Bytes signature = signature_blob(spec, file, code_limit);
  std::copy(signature.begin(), signature.end(), file.begin() + code_limit);
  return file;
}

}  // namespace enoexec::test
