// The host probe over a root file system that is not a directory of this machine (probe.cpp).
// Internal: an image's flattened layers are its one user, so it stays out of enoexec/host.hpp.
#pragma once

#include <memory>
#include <string>

#include "enoexec/host.hpp"
#include "support/root_fs.hpp"

namespace enoexec {

// probe_host() over any root file system that is not this live machine (an image's flattened
// layers): the same facts from the same files; `display_root` fills HostInfo::root.
HostInfo probe_root(std::shared_ptr<const RootFileSystem> root, std::string display_root);

}  // namespace enoexec
