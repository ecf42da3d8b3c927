#include "blaze/storage/r2/range.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

#include "blaze/storage/r2/r2_errors.h"

namespace blaze::r2 {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A non-negative decimal, digits only.
std::optional<std::int64_t> ParseDigits(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

// One "first-last" / "first-" / "-suffix" spec against `size`.
std::optional<ByteRange> ParseSpec(std::string_view spec, std::int64_t size) {
  spec = Trim(spec);
  auto dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  std::string_view first = spec.substr(0, dash), last = spec.substr(dash + 1);
  if (first.empty()) {
    auto suffix = ParseDigits(last);
    if (!suffix || *suffix == 0 || size == 0) return std::nullopt;
    std::int64_t n = std::min(*suffix, size);
    return ByteRange{size - n, n};
  }
  auto start = ParseDigits(first);
  if (!start || *start >= size) return std::nullopt;
  std::int64_t end = size - 1;
  if (!last.empty()) {
    auto parsed = ParseDigits(last);
    if (!parsed || *parsed < *start) return std::nullopt;
    end = std::min(*parsed, size - 1);
  }
  return ByteRange{*start, end - *start + 1};
}

}  // namespace

Result<ByteRange> ResolveRange(const RangeRequest& request, std::int64_t size) {
  std::int64_t offset = request.offset.value_or(0);
  std::optional<std::int64_t> length = request.length;
  if (request.suffix) {
    if (*request.suffix <= 0) return Fail(InvalidRange());
    std::int64_t n = std::min(*request.suffix, size);
    offset = size - n;
    length = n;
  }
  if (offset < 0 || offset > size) return Fail(InvalidRange());
  std::int64_t len = length.value_or(size - offset);
  if (len <= 0) return Fail(InvalidRange());
  return ByteRange{offset, std::min(len, size - offset)};
}

std::optional<ByteRange> ParseRangeHeader(std::string_view header, std::int64_t size) {
  header = Trim(header);
  constexpr std::string_view kUnit = "bytes=";
  if (header.size() < kUnit.size()) return std::nullopt;
  for (std::size_t i = 0; i < kUnit.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kUnit[i]) return std::nullopt;
  }
  std::string_view specs = header.substr(kUnit.size());
  if (specs.find(',') != std::string_view::npos) return std::nullopt;  // one range only
  return ParseSpec(specs, size);
}

Result<ByteRange> SelectRange(const GetOptions& options, std::int64_t size) {
  if (options.range) return ResolveRange(*options.range, size);
  if (options.range_header) {
    if (auto r = ParseRangeHeader(*options.range_header, size)) return *r;
  }
  return ByteRange{0, size};
}

}  // namespace blaze::r2
