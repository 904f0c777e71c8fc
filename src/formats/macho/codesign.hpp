// Shared by the signature reader (codesign.cpp) and its verifier (codesign_verify.cpp): the
// blobs the SuperBlob's index names, and the one way both record a failed check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "formats/macho/macho_file.hpp"

namespace enoexec::macho {

// One blob of the SuperBlob, bounds-checked against it: `bytes` is exactly its stored length.
struct SignatureBlob {
  std::uint32_t type = 0;  // CSSLOT_*
  ByteView bytes;
};

// Everything the verifier needs: the slice whose pages are hashed, the blobs in index order,
// and the CodeDirectories among them (indexes into `blobs`).
struct SignatureParts {
  std::vector<SignatureBlob> blobs;
  std::vector<std::size_t> code_directories;
};

// Records a failed check in `signature.invalid` (at most a fixed number per slice).
void add_problem(MachoCodeSignature& signature, MachoSignatureProblem problem);
// A fault of the signature's structure at file offset `offset`.
MachoSignatureProblem structure_problem(std::uint64_t offset, std::string message);

// Recomputes every CodeDirectory's page hashes over `slice` and the special slots that can be
// checked from the file alone, and sets valid, kernel_valid, code_directories and unchecked.
// Hashes at most file.limits.signature_bytes in all; past that the rest stays unchecked.
void verify_code_signature(ByteView slice, const SignatureParts& parts, MachoFile& file);

}  // namespace enoexec::macho
