#include "formats/impostor/impostor.hpp"

namespace enoexec::impostor {

std::string classify(ByteView file) {
  (void)file;
  return {};
}

}  // namespace enoexec::impostor
