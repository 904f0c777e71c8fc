// An image's index, manifests and configs, read into platform entries (image-spec
// image-layout.md, image-index.md, manifest.md, config.md; moby's docker-image-spec for the
// legacy `docker save`). Every JSON document is untrusted: bounded by the json limits before it
// is parsed, and a field of the wrong type reads as absent. An entry that cannot be read is
// listed with why (`skipped`), never dropped silently and never fatal to its siblings.
#pragma once

#include <string>
#include <vector>

#include "enoexec/error.hpp"
#include "enoexec/image.hpp"
#include "image/image_store.hpp"

namespace enoexec::image {

struct ImageMetadata {
  ImageShape shape = ImageShape::oci_layout;
  std::vector<ImageEntry> entries;
  std::vector<std::string> warnings;
};

// Fails only when the store holds no image at all (no index.json, no manifest.json) or its
// top-level document is unreadable.
Result<ImageMetadata> read_metadata(const ImageStore& store, const ImageOptions& options);

// "blobs/sha256/<hex>" for "sha256:<hex>"; "" for a digest that is no safe file name.
std::string blob_member(std::string_view digest);

}  // namespace enoexec::image
