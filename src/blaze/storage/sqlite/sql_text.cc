#include "blaze/storage/sqlite/sql_text.h"

#include <cctype>
#include <cmath>
#include <cstdio>

#include <sqlite3.h>

namespace blaze::sqlite {

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string Literal(const Value& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
          return "NULL";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          if (std::isnan(v)) return "NULL";
          if (std::isinf(v)) return v > 0 ? "9e999" : "-9e999";
          char buf[32];
          std::snprintf(buf, sizeof buf, "%.17g", v);
          std::string s = buf;
          // Keep it a REAL when read back: "2" would come back as an INTEGER.
          if (s.find_first_of(".eE") == std::string::npos) s += ".0";
          return s;
        } else if constexpr (std::is_same_v<T, std::string>) {
          std::string out = "'";
          for (char c : v) {
            if (c == '\'') out += '\'';
            out += c;
          }
          out += '\'';
          return out;
        } else {
          static constexpr char kHex[] = "0123456789abcdef";
          std::string out = "X'";
          for (std::uint8_t b : v.bytes) {
            out += kHex[b >> 4];
            out += kHex[b & 15];
          }
          out += '\'';
          return out;
        }
      },
      value);
}

namespace {

std::size_t SkipSpaceAndComments(std::string_view sql) {
  std::size_t i = 0;
  while (i < sql.size()) {
    if (std::isspace(static_cast<unsigned char>(sql[i]))) {
      ++i;
    } else if (sql.substr(i, 2) == "--") {
      while (i < sql.size() && sql[i] != '\n') ++i;
    } else if (sql.substr(i, 2) == "/*") {
      auto end = sql.find("*/", i + 2);
      i = end == std::string_view::npos ? sql.size() : end + 2;
    } else {
      break;
    }
  }
  return i;
}

}  // namespace

std::string_view FirstStatement(std::string_view sql) {
  sql.remove_prefix(SkipSpaceAndComments(sql));
  std::string prefix;
  for (std::size_t pos = sql.find(';'); pos != std::string_view::npos;
       pos = sql.find(';', pos + 1)) {
    prefix.assign(sql.substr(0, pos + 1));
    if (sqlite3_complete(prefix.c_str())) return sql.substr(0, pos);
  }
  return sql;
}

std::string FirstKeyword(std::string_view sql) {
  std::size_t i = SkipSpaceAndComments(sql);
  std::string word;
  while (i < sql.size() && std::isalpha(static_cast<unsigned char>(sql[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(sql[i])));
    ++i;
  }
  return word;
}

}  // namespace blaze::sqlite
