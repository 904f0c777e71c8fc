// What Go build settings say about the platform a binary needs: GOOS, GOARCH, the one
// GOARCH-specific level variable cmd/go records (cmd/go/internal/cfg GetArchEnv), CGO_ENABLED.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "enoexec/details/go.hpp"
#include "enoexec/report.hpp"

namespace enoexec::go {

// The variable cmd/go records for `goarch` ("GOARM" for arm, "GOAMD64" for amd64, ...);
// "" when that GOARCH has none.
std::string_view arch_variable(std::string_view goarch);

// "GOOS=linux GOARCH=arm GOARM=6" from the recorded settings, for parse_platform; the level
// variable only when recorded. nullopt without GOOS and GOARCH (pre-1.18 and GOPATH builds) or
// when a value holds whitespace.
std::optional<std::string> platform_text(const GoBuildInfo& info);

// Settles report.platform's os, arch and variant from the build settings, with evidence
// ("Go build setting GOOS=linux"), when parse_platform understands them:
//  - bits, endian and libc stay as the format reader found them; a platform is created from
//    Go's alone when the reader found none;
//  - the variant is taken only when the level variable is recorded (otherwise the reader's
//    stays), and then the reader's "ARM architecture version not stated" warning goes;
//  - evidence of the format reader that disagrees with a fact Go settles is dropped;
//  - a GOARCH that contradicts the reader's architecture changes nothing but adds a warning;
//  - `links_nothing` (no program interpreter, no needed libraries) with CGO_ENABLED=0 sets libc
//    `none` ("Go build setting CGO_ENABLED=0, no PT_INTERP").
void apply_platform(const GoBuildInfo& info, bool links_nothing, FileReport& report);

}  // namespace enoexec::go
