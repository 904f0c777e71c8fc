#include "formats/elf/elf_arch.hpp"

namespace enoexec::elf {

void decode_machine_flags(ElfDetails&, int) {}
void parse_arm_attributes(ByteView, Endian, ElfArm&, std::vector<std::string>&) {}
void parse_riscv_attributes(ByteView, Endian, ElfRiscv&, std::vector<std::string>&) {}
void parse_mips_abiflags(ByteView, Endian, ElfMips&, std::vector<std::string>&) {}

}  // namespace enoexec::elf
