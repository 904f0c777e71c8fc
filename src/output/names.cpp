#include "enoexec/report.hpp"

namespace enoexec {

std::string_view to_string(Format format) {
  switch (format) {
    case Format::unknown: return "unknown";
    case Format::elf: return "elf";
    case Format::macho: return "macho";
    case Format::macho_fat: return "macho-fat";
    case Format::pe: return "pe";
    case Format::script: return "script";
  }
  return "unknown";
}

std::string_view to_string(Linkage linkage) {
  switch (linkage) {
    case Linkage::static_exe: return "static";
    case Linkage::static_pie: return "static-pie";
    case Linkage::dynamic: return "dynamic";
  }
  return "unknown";
}

}  // namespace enoexec
