// The host's dynamic loaders and C libraries (libc_probe.cpp).
#pragma once

#include <optional>

#include "enoexec/host.hpp"
#include "host/host_files.hpp"

namespace enoexec::host {

// Loaders in /lib, /lib32, /lib64, /libx32 and /system/bin, every libc.so.6 (with the version in
// its banner), musl's libc, and which flavour the userland uses.
HostLibc probe_libc(HostFiles& files, const std::optional<HostElf>& userland, Arch kernel_arch);

// Sets libc.flavour, .source and .version: the loader /bin/sh names (PT_INTERP) decides; without
// one, the loaders present for `arch` (glibc before musl before bionic).
void decide_flavour(HostLibc& libc, const std::optional<HostElf>& userland, Arch arch);

}  // namespace enoexec::host
