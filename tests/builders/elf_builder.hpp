// ElfBuilder: synthesises ELF images in memory for tests — both classes, both byte orders,
// program headers, named sections with raw bytes, notes, a dynamic section with its string
// table, symbols, symbol versions (verneed/versym) and hash tables — and ElfImage lets a test
// patch any field afterwards to make it malformed.
//
// Layout: e_ident/header at 0, program headers at 64, content ("blobs") from kContentStart on,
// then .shstrtab and the section header table. Unless auto_load is off, one PT_LOAD maps the
// whole content at `base + offset`, so every blob's address is vaddr_of(offset).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "enoexec/platform.hpp"

namespace enoexec::test {

inline void put_bytes(std::vector<std::uint8_t>& out, std::uint64_t offset, std::uint64_t value,
                      unsigned size, Endian endian) {
  if (out.size() < offset + size) out.resize(offset + size);
  for (unsigned i = 0; i < size; ++i) {
    const unsigned shift = endian == Endian::little ? 8 * i : 8 * (size - 1 - i);
    out[offset + i] = static_cast<std::uint8_t>(value >> shift);
  }
}

// A built image and where its parts are, for patching.
struct ElfImage {
  std::vector<std::uint8_t> bytes;
  std::map<std::string, std::uint64_t> offsets;  // blob or section name -> file offset
  int bits = 64;
  Endian endian = Endian::little;

  std::uint64_t at(const std::string& name) const {
    auto found = offsets.find(name);
    if (found == offsets.end()) throw std::logic_error("no blob named " + name);
    return found->second;
  }
  void put16(std::uint64_t offset, std::uint64_t value) { put_bytes(bytes, offset, value, 2, endian); }
  void put32(std::uint64_t offset, std::uint64_t value) { put_bytes(bytes, offset, value, 4, endian); }
  void put64(std::uint64_t offset, std::uint64_t value) { put_bytes(bytes, offset, value, 8, endian); }
  // A class-sized word (Elf_Addr / Elf_Off).
  void put_word(std::uint64_t offset, std::uint64_t value) {
    put_bytes(bytes, offset, value, bits == 64 ? 8u : 4u, endian);
  }
  void truncate(std::uint64_t size) { bytes.resize(size); }

  // Header field offsets for this class.
  std::uint64_t e_phoff_at() const { return bits == 64 ? 32 : 28; }
  std::uint64_t e_shoff_at() const { return bits == 64 ? 40 : 32; }
  std::uint64_t e_phentsize_at() const { return bits == 64 ? 54 : 42; }
  std::uint64_t e_phnum_at() const { return e_phentsize_at() + 2; }
  std::uint64_t e_shentsize_at() const { return e_phentsize_at() + 4; }
  std::uint64_t e_shnum_at() const { return e_phentsize_at() + 6; }
  std::uint64_t e_shstrndx_at() const { return e_phentsize_at() + 8; }
  std::uint64_t phdr_size() const { return bits == 64 ? 56 : 32; }
  std::uint64_t shdr_size() const { return bits == 64 ? 64 : 40; }
  std::uint64_t phdr_at(std::uint64_t index) const { return 64 + index * phdr_size(); }
};

class ElfBuilder {
 public:
  struct Segment {
    std::uint32_t type = 0, flags = 4;  // PF_R
    std::uint64_t offset = 0, vaddr = 0, paddr = 0, filesz = 0, memsz = 0, align = 1;
  };
  struct Section {
    std::string name;
    std::uint32_t type = 0;
    std::uint64_t flags = 0, addr = 0, offset = 0, size = 0;
    std::string link;  // name of the linked section, resolved to its index
    std::uint32_t info = 0;
    std::uint64_t addralign = 1, entsize = 0;
  };
  enum class HashStyle { none, sysv, gnu, both };

  static constexpr std::uint64_t kContentStart = 0x1000;

  // Header fields (public: tests set what they need).
  std::uint16_t e_type = 2;  // ET_EXEC
  std::uint16_t e_machine = 62;
  std::uint32_t e_flags = 0;
  std::uint8_t osabi = 0;
  std::uint64_t e_entry = 0;
  // Layout options.
  std::uint64_t base = 0x10000;  // vaddr of file offset 0
  std::uint64_t load_align = 0x10000;
  bool auto_load = true;        // one PT_LOAD over the whole content
  bool section_headers = true;  // emit sections (and .shstrtab)
  bool note_segments = true;    // notes get a PT_NOTE too, not only a SHT_NOTE section
  bool dynamic_null = true;     // end the dynamic array with DT_NULL
  HashStyle hash_style = HashStyle::sysv;

  ElfBuilder(int bits = 64, Endian endian = Endian::little) : bits_(bits), endian_(endian) {
    content_.resize(kContentStart);
  }

  int bits() const { return bits_; }
  Endian endian() const { return endian_; }
  std::uint64_t vaddr_of(std::uint64_t offset) const { return base + offset; }

  // Appends raw bytes at the next multiple of `align`; returns their file offset.
  std::uint64_t blob(const std::string& name, const std::vector<std::uint8_t>& bytes,
                     std::uint64_t align = 8) {
    while (content_.size() % align != 0) content_.push_back(0);
    const std::uint64_t offset = content_.size();
    content_.insert(content_.end(), bytes.begin(), bytes.end());
    offsets_[name] = offset;
    sizes_[name] = bytes.size();
    return offset;
  }
  std::uint64_t offset_of(const std::string& name) const { return offsets_.at(name); }

  ElfBuilder& segment(const Segment& segment) {
    segments_.push_back(segment);
    return *this;
  }
  // A segment exactly over a blob, at its mapped address.
  ElfBuilder& segment_over(std::uint32_t type, const std::string& name, std::uint64_t align = 1) {
    const std::uint64_t offset = offsets_.at(name), size = sizes_.at(name);
    return segment({type, 4, offset, vaddr_of(offset), vaddr_of(offset), size, size, align});
  }
  ElfBuilder& section(const Section& section) {
    sections_.push_back(section);
    return *this;
  }
  // A section over a blob of raw bytes.
  ElfBuilder& section(const std::string& name, std::uint32_t type,
                      const std::vector<std::uint8_t>& bytes, std::uint64_t addralign = 1) {
    const std::uint64_t offset = blob(name, bytes, addralign == 0 ? 1 : addralign);
    return section({name, type, 2 /* SHF_ALLOC */, vaddr_of(offset), offset, bytes.size(), "", 0,
                    addralign, 0});
  }

  ElfBuilder& interp(const std::string& path) {
    std::vector<std::uint8_t> bytes(path.begin(), path.end());
    bytes.push_back(0);
    const std::uint64_t offset = blob(".interp", bytes, 1);
    segment_over(3 /* PT_INTERP */, ".interp");
    return section({".interp", 1, 2, vaddr_of(offset), offset, bytes.size(), "", 0, 1, 0});
  }

  // One note (namesz, descsz, type, name, desc; padded to `align`), in its own SHT_NOTE section
  // and PT_NOTE segment; `gnu_property` adds a PT_GNU_PROPERTY over the same bytes.
  ElfBuilder& note(const std::string& owner, std::uint32_t type,
                   const std::vector<std::uint8_t>& desc, std::uint64_t align = 4,
                   bool gnu_property = false) {
    std::vector<std::uint8_t> bytes;
    const std::uint64_t name_size = owner.empty() ? 0 : owner.size() + 1;
    append(bytes, name_size, 4);
    append(bytes, desc.size(), 4);
    append(bytes, type, 4);
    bytes.insert(bytes.end(), owner.begin(), owner.end());
    if (!owner.empty()) bytes.push_back(0);
    pad(bytes, align);
    bytes.insert(bytes.end(), desc.begin(), desc.end());
    pad(bytes, align);
    const std::string name = ".note." + std::to_string(note_count_++);
    const std::uint64_t offset = blob(name, bytes, align);
    if (note_segments) segment_over(4 /* PT_NOTE */, name, align);
    if (gnu_property) segment_over(0x6474e553 /* PT_GNU_PROPERTY */, name, align);
    return section({name, 7, 2, vaddr_of(offset), offset, bytes.size(), "", 0, align, 0});
  }

  // ---- dynamic section ----
  ElfBuilder& dynamic() {
    dynamic_ = true;
    return *this;
  }
  ElfBuilder& needed(const std::string& library) {
    dynamic_ = true;
    needed_.push_back(library);
    return *this;
  }
  ElfBuilder& soname(const std::string& name) { return string_entry(14, name); }
  ElfBuilder& rpath(const std::string& list) { return string_entry(15, list); }
  ElfBuilder& runpath(const std::string& list) { return string_entry(29, list); }
  ElfBuilder& dynamic_entry(std::uint64_t tag, std::uint64_t value) {
    dynamic_ = true;
    extra_entries_.emplace_back(tag, value);
    return *this;
  }
  // An undefined dynamic symbol bound to `version` of `library` (a Vernaux entry).
  ElfBuilder& versioned_symbol(const std::string& library, const std::string& version,
                               const std::string& symbol) {
    dynamic_ = true;
    symbols_.emplace_back(symbol, version_index(library, version));
    return *this;
  }
  // A version need with no symbol bound to it (GLIBC_ABI_DT_RELR, GLIBC_PRIVATE, ...).
  ElfBuilder& version_need(const std::string& library, const std::string& version) {
    dynamic_ = true;
    version_index(library, version);
    return *this;
  }
  ElfBuilder& unversioned_symbol(const std::string& symbol) {
    dynamic_ = true;
    symbols_.emplace_back(symbol, 1);
    return *this;
  }

  ElfImage build() {
    if (dynamic_) build_dynamic();
    std::vector<Segment> segments = segments_;
    const std::uint64_t end = content_.size();
    if (auto_load)
      segments.insert(segments.begin(),
                      Segment{1, 5, 0, base, base, end, end, load_align});
    if (64 + segments.size() * phdr_size() > kContentStart)
      throw std::logic_error("too many program headers for the builder's layout");

    std::vector<std::uint8_t> out = content_;
    std::uint64_t shoff = 0, shnum = 0, shstrndx = 0;
    if (section_headers) write_sections(out, shoff, shnum, shstrndx);
    write_header(out, segments.empty() ? 0 : 64, segments.size(), shoff, shnum, shstrndx);
    for (std::size_t i = 0; i < segments.size(); ++i)
      write_segment(out, 64 + i * phdr_size(), segments[i]);
    ElfImage image{std::move(out), offsets_, bits_, endian_};
    return image;
  }

  std::uint64_t word_size() const { return bits_ == 64 ? 8 : 4; }
  std::uint64_t phdr_size() const { return bits_ == 64 ? 56 : 32; }
  std::uint64_t shdr_size() const { return bits_ == 64 ? 64 : 40; }

 private:
  void append(std::vector<std::uint8_t>& out, std::uint64_t value, unsigned size) const {
    put_bytes(out, out.size(), value, size, endian_);
  }
  void append_word(std::vector<std::uint8_t>& out, std::uint64_t value) const {
    append(out, value, static_cast<unsigned>(word_size()));
  }
  static void pad(std::vector<std::uint8_t>& out, std::uint64_t align) {
    while (out.size() % align != 0) out.push_back(0);
  }

  ElfBuilder& string_entry(std::uint64_t tag, const std::string& text) {
    dynamic_ = true;
    string_entries_.emplace_back(tag, text);
    return *this;
  }

  std::uint16_t version_index(const std::string& library, const std::string& version) {
    for (auto& need : needs_)
      if (need.library == library) {
        for (auto& [name, index] : need.versions)
          if (name == version) return index;
        need.versions.emplace_back(version, next_version_++);
        return need.versions.back().second;
      }
    needs_.push_back({library, {{version, next_version_++}}});
    return needs_.back().versions.back().second;
  }

  std::uint32_t string_index(const std::string& text) {
    auto found = string_offsets_.find(text);
    if (found != string_offsets_.end()) return found->second;
    const auto offset = static_cast<std::uint32_t>(dynstr_.size());
    dynstr_.insert(dynstr_.end(), text.begin(), text.end());
    dynstr_.push_back(0);
    string_offsets_[text] = offset;
    return offset;
  }

  static std::uint32_t sysv_hash(const std::string& name) {
    std::uint32_t h = 0;
    for (char ch : name) {
      const auto c = static_cast<unsigned char>(ch);
      h = (h << 4) + c;
      const std::uint32_t g = h & 0xf0000000u;
      if (g != 0) h ^= g >> 24;
      h &= ~g;
    }
    return h;
  }
  static std::uint32_t gnu_hash(const std::string& name) {
    std::uint32_t h = 5381;
    for (char ch : name) h = h * 33 + static_cast<unsigned char>(ch);
    return h;
  }

  std::vector<std::uint8_t> symbol_table() const {
    std::vector<std::uint8_t> out(bits_ == 64 ? 24 : 16, 0);  // symbol 0
    for (const auto& [name, index] : symbols_) {
      (void)index;
      const std::uint32_t name_offset = string_offsets_.at(name);
      append(out, name_offset, 4);
      if (bits_ == 64) {
        append(out, 0x12, 1);  // STB_GLOBAL, STT_FUNC
        append(out, 0, 1);
        append(out, 0, 2);  // SHN_UNDEF
        append(out, 0, 8);
        append(out, 0, 8);
      } else {
        append(out, 0, 4);
        append(out, 0, 4);
        append(out, 0x12, 1);
        append(out, 0, 1);
        append(out, 0, 2);
      }
    }
    return out;
  }

  std::vector<std::uint8_t> versym_table() const {
    std::vector<std::uint8_t> out;
    append(out, 0, 2);
    for (const auto& symbol : symbols_) append(out, symbol.second, 2);
    return out;
  }

  std::vector<std::uint8_t> verneed_table() {
    std::vector<std::uint8_t> out;
    for (std::size_t n = 0; n < needs_.size(); ++n) {
      const auto& need = needs_[n];
      const std::uint64_t count = need.versions.size();
      append(out, 1, 2);  // vn_version
      append(out, count, 2);
      append(out, string_index(need.library), 4);
      append(out, 16, 4);  // vn_aux
      append(out, n + 1 == needs_.size() ? 0 : 16 + 16 * count, 4);
      for (std::size_t a = 0; a < count; ++a) {
        const auto& [version, index] = need.versions[a];
        append(out, sysv_hash(version), 4);
        append(out, 0, 2);  // vna_flags
        append(out, index, 2);
        append(out, string_index(version), 4);
        append(out, a + 1 == count ? 0 : 16, 4);
      }
    }
    return out;
  }

  std::vector<std::uint8_t> sysv_hash_table() const {
    const std::uint64_t count = symbols_.size() + 1;
    std::vector<std::uint8_t> out;
    append(out, 1, 4);      // nbucket
    append(out, count, 4);  // nchain
    append(out, count - 1, 4);
    append(out, 0, 4);  // chain[0]
    for (std::uint64_t i = 1; i < count; ++i) append(out, i - 1, 4);
    return out;
  }

  std::vector<std::uint8_t> gnu_hash_table() const {
    std::vector<std::uint8_t> out;
    append(out, 1, 4);  // nbuckets
    append(out, 1, 4);  // symoffset
    append(out, 1, 4);  // bloom_size
    append(out, 6, 4);  // bloom_shift
    append_word(out, ~std::uint64_t{0});
    append(out, symbols_.empty() ? 0 : 1, 4);
    for (std::size_t i = 0; i < symbols_.size(); ++i) {
      const std::uint32_t last = i + 1 == symbols_.size() ? 1 : 0;
      append(out, (gnu_hash(symbols_[i].first) & ~1u) | last, 4);
    }
    return out;
  }

  void build_dynamic() {
    dynstr_.assign(1, 0);
    for (const auto& library : needed_) string_index(library);
    for (const auto& entry : string_entries_) string_index(entry.second);
    for (const auto& symbol : symbols_) string_index(symbol.first);
    std::vector<std::uint8_t> verneed = verneed_table();  // adds its strings

    std::vector<std::pair<std::uint64_t, std::uint64_t>> entries;
    for (const auto& library : needed_) entries.emplace_back(1, string_index(library));
    for (const auto& [tag, text] : string_entries_) entries.emplace_back(tag, string_index(text));
    const std::uint64_t sym_entry = bits_ == 64 ? 24 : 16;
    const std::uint64_t dynstr = blob(".dynstr", dynstr_, 1);
    section({".dynstr", 3, 2, vaddr_of(dynstr), dynstr, dynstr_.size(), "", 0, 1, 0});
    entries.emplace_back(5, vaddr_of(dynstr));
    entries.emplace_back(10, dynstr_.size());
    const auto symbols = symbol_table();
    const std::uint64_t dynsym = blob(".dynsym", symbols, 8);
    section({".dynsym", 11, 2, vaddr_of(dynsym), dynsym, symbols.size(), ".dynstr", 1, 8,
             sym_entry});
    entries.emplace_back(6, vaddr_of(dynsym));
    entries.emplace_back(11, sym_entry);
    if (hash_style == HashStyle::sysv || hash_style == HashStyle::both) {
      const auto table = sysv_hash_table();
      const std::uint64_t at = blob(".hash", table, 8);
      section({".hash", 5, 2, vaddr_of(at), at, table.size(), ".dynsym", 0, 8, 4});
      entries.emplace_back(4, vaddr_of(at));
    }
    if (hash_style == HashStyle::gnu || hash_style == HashStyle::both) {
      const auto table = gnu_hash_table();
      const std::uint64_t at = blob(".gnu.hash", table, 8);
      section({".gnu.hash", 0x6ffffff6, 2, vaddr_of(at), at, table.size(), ".dynsym", 0, 8, 0});
      entries.emplace_back(0x6ffffef5, vaddr_of(at));
    }
    if (!needs_.empty()) {
      const auto versym = versym_table();
      const std::uint64_t at = blob(".gnu.version", versym, 2);
      section({".gnu.version", 0x6fffffff, 2, vaddr_of(at), at, versym.size(), ".dynsym", 0, 2, 2});
      entries.emplace_back(0x6ffffff0, vaddr_of(at));
      const std::uint64_t need_at = blob(".gnu.version_r", verneed, 8);
      section({".gnu.version_r", 0x6ffffffe, 2, vaddr_of(need_at), need_at, verneed.size(),
               ".dynstr", static_cast<std::uint32_t>(needs_.size()), 8, 0});
      entries.emplace_back(0x6ffffffe, vaddr_of(need_at));
      entries.emplace_back(0x6fffffff, needs_.size());
    }
    entries.insert(entries.end(), extra_entries_.begin(), extra_entries_.end());
    if (dynamic_null) entries.emplace_back(0, 0);
    std::vector<std::uint8_t> array;
    for (const auto& [tag, value] : entries) {
      append_word(array, tag);
      append_word(array, value);
    }
    const std::uint64_t at = blob(".dynamic", array, 8);
    segment_over(2 /* PT_DYNAMIC */, ".dynamic", 8);
    section({".dynamic", 6, 3, vaddr_of(at), at, array.size(), ".dynstr", 0, 8, 2 * word_size()});
  }

  void write_sections(std::vector<std::uint8_t>& out, std::uint64_t& shoff, std::uint64_t& shnum,
                      std::uint64_t& shstrndx) {
    std::vector<Section> all;
    all.push_back(Section{});
    all.insert(all.end(), sections_.begin(), sections_.end());
    std::vector<std::uint8_t> names(1, 0);
    std::vector<std::uint32_t> name_offsets;
    for (const Section& section : all) {
      if (section.name.empty()) {
        name_offsets.push_back(0);
        continue;
      }
      name_offsets.push_back(static_cast<std::uint32_t>(names.size()));
      names.insert(names.end(), section.name.begin(), section.name.end());
      names.push_back(0);
    }
    const std::uint64_t shstrtab_name = names.size();
    const std::string shstrtab = ".shstrtab";
    names.insert(names.end(), shstrtab.begin(), shstrtab.end());
    names.push_back(0);
    const std::uint64_t names_at = out.size();
    out.insert(out.end(), names.begin(), names.end());
    offsets_[".shstrtab"] = names_at;
    all.push_back({shstrtab, 3, 0, 0, names_at, names.size(), "", 0, 1, 0});
    name_offsets.push_back(static_cast<std::uint32_t>(shstrtab_name));
    while (out.size() % 8 != 0) out.push_back(0);
    shoff = out.size();
    shnum = all.size();
    shstrndx = all.size() - 1;
    offsets_["section headers"] = shoff;
    for (std::size_t i = 0; i < all.size(); ++i)
      write_section(out, shoff + i * shdr_size(), all[i], name_offsets[i], link_index(all, all[i]));
  }

  static std::uint32_t link_index(const std::vector<Section>& all, const Section& section) {
    if (section.link.empty()) return 0;
    for (std::size_t i = 0; i < all.size(); ++i)
      if (all[i].name == section.link) return static_cast<std::uint32_t>(i);
    return 0;
  }

  void put(std::vector<std::uint8_t>& out, std::uint64_t& at, std::uint64_t value,
           unsigned size) const {
    put_bytes(out, at, value, size, endian_);
    at += size;
  }
  void put_word(std::vector<std::uint8_t>& out, std::uint64_t& at, std::uint64_t value) const {
    put(out, at, value, static_cast<unsigned>(word_size()));
  }

  void write_header(std::vector<std::uint8_t>& out, std::uint64_t phoff, std::uint64_t phnum,
                    std::uint64_t shoff, std::uint64_t shnum, std::uint64_t shstrndx) const {
    const std::uint8_t ident[16] = {0x7f, 'E', 'L', 'F',
                                    static_cast<std::uint8_t>(bits_ == 64 ? 2 : 1),
                                    static_cast<std::uint8_t>(endian_ == Endian::little ? 1 : 2),
                                    1, osabi, 0, 0, 0, 0, 0, 0, 0, 0};
    for (std::size_t i = 0; i < 16; ++i) out[i] = ident[i];
    std::uint64_t at = 16;
    put(out, at, e_type, 2);
    put(out, at, e_machine, 2);
    put(out, at, 1, 4);
    put_word(out, at, e_entry);
    put_word(out, at, phoff);
    put_word(out, at, shoff);
    put(out, at, e_flags, 4);
    put(out, at, bits_ == 64 ? 64 : 52, 2);
    put(out, at, phdr_size(), 2);
    put(out, at, phnum, 2);
    put(out, at, shdr_size(), 2);
    put(out, at, shnum, 2);
    put(out, at, shstrndx, 2);
  }

  void write_segment(std::vector<std::uint8_t>& out, std::uint64_t at, const Segment& s) const {
    put(out, at, s.type, 4);
    if (bits_ == 64) put(out, at, s.flags, 4);
    put_word(out, at, s.offset);
    put_word(out, at, s.vaddr);
    put_word(out, at, s.paddr);
    put_word(out, at, s.filesz);
    put_word(out, at, s.memsz);
    if (bits_ == 32) put(out, at, s.flags, 4);
    put_word(out, at, s.align);
  }

  void write_section(std::vector<std::uint8_t>& out, std::uint64_t at, const Section& s,
                     std::uint32_t name, std::uint32_t link) const {
    put(out, at, name, 4);
    put(out, at, s.type, 4);
    put_word(out, at, s.flags);
    put_word(out, at, s.addr);
    put_word(out, at, s.offset);
    put_word(out, at, s.size);
    put(out, at, link, 4);
    put(out, at, s.info, 4);
    put_word(out, at, s.addralign);
    put_word(out, at, s.entsize);
  }

  struct Need {
    std::string library;
    std::vector<std::pair<std::string, std::uint16_t>> versions;
  };

  int bits_;
  Endian endian_;
  std::vector<std::uint8_t> content_;
  std::map<std::string, std::uint64_t> offsets_, sizes_;
  std::vector<Segment> segments_;
  std::vector<Section> sections_;
  int note_count_ = 0;

  bool dynamic_ = false;
  std::vector<std::string> needed_;
  std::vector<std::pair<std::uint64_t, std::string>> string_entries_;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> extra_entries_;
  std::vector<std::pair<std::string, std::uint16_t>> symbols_;  // name, version index
  std::vector<Need> needs_;
  std::uint16_t next_version_ = 2;
  std::vector<std::uint8_t> dynstr_;
  std::map<std::string, std::uint32_t> string_offsets_;
};

}  // namespace enoexec::test
