// `scan --sarif`: SARIF 2.1.0 for code scanning (docs/json.md, "SARIF"). One run; one rule per
// rule code met; one result per problem, located by a URI relative to the scanned root it was
// found under (uriBaseId "SCANROOT", "SCANROOT2", ... per root, resolved in originalUriBaseIds).
// Streamed: results are written as the scan finds them, the tool and its rules after them.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "output/scan_printer.hpp"

namespace enoexec {

// "error" -> "error", "warning" -> "warning", anything else -> "note".
std::string_view sarif_level(std::string_view severity);

// The one-line description of a rule code, for reportingDescriptor.shortDescription.
std::string sarif_rule_description(std::string_view code);

// Percent-encodes what may not appear raw in a relative URI reference (RFC 3986): everything but
// unreserved characters, sub-delimiters, '@' and '/' (':' is escaped: in a first
// segment it would read as a scheme). Bytes, not characters: a file name
// that is not UTF-8 still gets a URI that names it.
std::string uri_escape(std::string_view path);

// `roots` as given on the command line; `version` is the tool's.
std::unique_ptr<ScanPrinter> make_sarif_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     std::vector<std::string> roots,
                                                     std::string version);

}  // namespace enoexec
