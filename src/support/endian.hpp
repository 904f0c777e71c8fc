// Loading integers of either byte order from unaligned bytes, via memcpy (no aliasing UB).
#pragma once

#include <bit>
#include <concepts>
#include <cstdint>
#include <cstring>

#include "enoexec/platform.hpp"

namespace enoexec {

template <std::unsigned_integral T>
constexpr T byteswap(T value) {
  if constexpr (sizeof(T) == 1) {
    return value;
  } else {
    T out = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i) {
      out = static_cast<T>((out << 8) | (value & 0xff));
      value = static_cast<T>(value >> 8);
    }
    return out;
  }
}

template <std::unsigned_integral T>
T load(const std::uint8_t* p, Endian endian) {
  T value;
  std::memcpy(&value, p, sizeof(T));
  const Endian native = std::endian::native == std::endian::little ? Endian::little : Endian::big;
  return endian == native ? value : byteswap(value);
}

}  // namespace enoexec
