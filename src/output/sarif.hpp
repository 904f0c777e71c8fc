// `scan --sarif`: SARIF 2.1.0 for code scanning (docs/json.md, "SARIF"; docs/ci.md). One run;
// one rule per rule code met, described from the rules table (enoexec/rules.hpp) with an absolute
// helpUri; one result per problem, located by a plain URI relative to one base folder (the
// current directory, or --sarif-base), so code scanning, which reads a relative URI as relative
// to the repository root, puts each alert on its file. Streamed: results are written as the scan
// finds them, the tool and its rules after them.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "output/scan_printer.hpp"

namespace enoexec {

struct SarifOptions {
  std::string version;   // the tool's: tool.driver.version
  std::string help_uri;  // absolute URL of docs/rules.md; a rule's helpUri is it + "#" + its
                         // anchor. "" = rules carry no helpUri
  std::string base;      // locations are relative to this folder; "" = the current directory
  bool notes = false;    // also results of level note (problems of severity info)
};

// "error" -> "error", "warning" -> "warning", anything else -> "note".
std::string_view sarif_level(std::string_view severity);

// Percent-encodes what may not appear raw in a relative URI reference (RFC 3986): everything but
// unreserved characters, sub-delimiters, '@' and '/' (':' is escaped: in a first
// segment it would read as a scheme). Bytes, not characters: a file name
// that is not UTF-8 still gets a URI that names it.
std::string uri_escape(std::string_view path);

// Whether `uri` is an absolute URI SARIF consumers take as a help link: a scheme, ':', then
// no blanks, control characters or characters RFC 3986 excludes (<>"\^`{|}), and no fragment
// ('#' is where the rule's anchor goes).
bool is_absolute_uri(std::string_view uri);

std::unique_ptr<ScanPrinter> make_sarif_scan_printer(std::FILE* out, ScanPrintOptions options,
                                                     SarifOptions sarif);

}  // namespace enoexec
