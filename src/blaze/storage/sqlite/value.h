// Value: one SQLite value as Blaze passes it around (bindings, result rows, JSON output).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace blaze::sqlite {

struct Null {
  bool operator==(const Null&) const = default;
};

struct Blob {
  std::vector<std::uint8_t> bytes;
  bool operator==(const Blob&) const = default;
};

using Value = std::variant<Null, std::int64_t, double, std::string, Blob>;

inline bool IsNull(const Value& v) { return std::holds_alternative<Null>(v); }

}  // namespace blaze::sqlite
