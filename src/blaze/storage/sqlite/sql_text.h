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

// The first statement of a script, for messages: leading whitespace and comments skipped, up
// to (not including) the ';' that completes it by SQLite's rules (sqlite3_complete), or the rest
// of the script when no ';' does.
std::string_view FirstStatement(std::string_view sql);

// The first keyword of a statement, upper-cased, after whitespace and comments ("VACUUM",
// "BEGIN", "SELECT"); empty if there is none.
std::string FirstKeyword(std::string_view sql);

}  // namespace blaze::sqlite
