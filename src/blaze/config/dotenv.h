// ParseDotenv: a `.dev.vars` file (dotenv syntax, as wrangler reads it for local secrets).
//   KEY=value            whitespace around the key and an unquoted value is trimmed
//   KEY="a\nb"           double quotes: \n \r \t \" \\ escapes, may span lines
//   KEY='raw $text'      single quotes: taken literally
//   KEY=value # note     an unquoted value ends at " #"
//   # comment, blank lines, and an optional leading `export ` are ignored.
// A later duplicate wins. Errors: InvalidArgument "path:line: message" for a line without `=`,
// a bad key, or an unterminated quote.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::config {

using DotenvEntries = std::vector<std::pair<std::string, std::string>>;

Result<DotenvEntries> ParseDotenv(std::string_view text, const std::string& path);

}  // namespace blaze::config
