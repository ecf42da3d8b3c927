// Small pieces of SQL text handling shared by the D1 executor, export and info.
#pragma once

#include <string>
#include <string_view>

#include "blaze/storage/sqlite/value.h"

namespace blaze::sqlite {

// "games" → "\"games\"", doubling embedded quotes.
std::string QuoteIdentifier(std::string_view name);

// A SQL literal that reads back as the same value: NULL, 42, 2.5 (round-trip precision),
// 'it''s', X'00ff'.
std::string Literal(const Value& value);

// The first keyword of a statement, upper-cased, after whitespace and comments ("VACUUM",
// "BEGIN", "SELECT"); empty if there is none.
std::string FirstKeyword(std::string_view sql);

}  // namespace blaze::sqlite
