// Names for ELF numbers (machines, segment types, OS ABIs), and the machine -> Arch mapping.
// The tables live in elf_machines.def and elf_names.cpp; nothing here reads bytes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "enoexec/platform.hpp"

namespace enoexec::elf {

// "EM_AARCH64"; empty when the value is not in the table.
std::string_view machine_name(std::uint16_t machine);
// "EM_AARCH64", or "0x%04x" for values not in the table.
std::string machine_label(std::uint16_t machine);
// The architecture a machine value means in a file of this class and byte order.
Arch machine_arch(std::uint16_t machine, int bits, Endian endian);

// "PT_LOAD", "PT_ARM_EXIDX" (processor-specific values depend on e_machine), or "0x%x".
std::string segment_type_name(std::uint32_t type, std::uint16_t machine);

// "SYSV", "GNU/Linux", "FreeBSD", ...; "ARM EABI" for 64 on EM_ARM; "0x%02x" otherwise.
std::string osabi_name(std::uint8_t osabi, std::uint16_t machine);

}  // namespace enoexec::elf
