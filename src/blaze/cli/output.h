// How the CLI speaks: wrangler-style tables (box drawing, a rule between rows), JSON with
// two-space indent, one-line errors on stderr, confirmation questions and human sizes.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "blaze/base/error.h"
#include "blaze/storage/sqlite/value.h"

namespace blaze::cli {

using Json = nlohmann::ordered_json;

// A table of strings, printed as wrangler does (cli-table3 look).
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
void PrintTable(std::ostream& out, const Table& table);

// Values as text (table cells) and as JSON (--json). Blobs print as "[1, 2]" in tables, as
// wrangler does, and as arrays of byte values in JSON.
std::string CellText(const sqlite::Value& value);
Json ToJson(const sqlite::Value& value);

void PrintJson(std::ostream& out, const Json& json);

// "✘ [ERROR] message" on stderr.
void PrintError(std::string_view message);
// `{"error": {"text": ..., "code": ...}}` on stdout, as wrangler's --json errors.
void PrintJsonError(const Error& error);

// 1536 → "1.5 kB" (SI units, like wrangler).
std::string HumanBytes(std::int64_t bytes);

enum class AssumeYes : bool { kNo, kYes };
// Asks `question` on a terminal and waits for y/N. Without a terminal (scripts, CI) the answer
// is yes, as wrangler does; so is it with -y/--yes.
bool Confirm(std::string_view question, AssumeYes assume_yes);

}  // namespace blaze::cli
