#include "blaze/http/trace.h"

#include "blaze/base/ids.h"

namespace blaze::http {
namespace {

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool AllLowerHex(std::string_view s) {
  for (char c : s) {
    if (!IsLowerHex(c)) return false;
  }
  return true;
}

bool AllZero(std::string_view s) { return s.find_first_not_of('0') == std::string_view::npos; }

constexpr std::size_t kVersion00Size = 55;  // 2 + 1 + 32 + 1 + 16 + 1 + 2

}  // namespace

TraceId TraceId::FromBits(std::uint64_t hi, std::uint64_t lo) {
  static constexpr char kDigits[] = "0123456789abcdef";
  TraceId id;
  for (int i = 0; i < 16; ++i) {
    id.hex_[15 - i] = kDigits[(hi >> (4 * i)) & 0xF];
    id.hex_[31 - i] = kDigits[(lo >> (4 * i)) & 0xF];
  }
  return id;
}

std::optional<TraceId> TraceId::FromHex(std::string_view hex) {
  if (hex.size() != 32 || !AllLowerHex(hex) || AllZero(hex)) return std::nullopt;
  TraceId id;
  hex.copy(id.hex_.data(), id.hex_.size());
  return id;
}

std::optional<TraceId> ParseTraceparent(std::string_view h) {
  if (h.size() < kVersion00Size) return std::nullopt;
  std::string_view version = h.substr(0, 2);
  if (!AllLowerHex(version) || version == "ff") return std::nullopt;
  if (version == "00" && h.size() != kVersion00Size) return std::nullopt;
  if (h.size() > kVersion00Size && h[kVersion00Size] != '-') return std::nullopt;
  if (h[2] != '-' || h[35] != '-' || h[52] != '-') return std::nullopt;
  std::string_view trace_id = h.substr(3, 32);
  std::string_view parent_id = h.substr(36, 16);
  std::string_view flags = h.substr(53, 2);
  if (!AllLowerHex(trace_id) || !AllLowerHex(parent_id) || !AllLowerHex(flags)) {
    return std::nullopt;
  }
  if (AllZero(parent_id)) return std::nullopt;
  return TraceId::FromHex(trace_id);  // rejects the all-zero trace-id
}

TraceIdSource::TraceIdSource(Random& seed_source) : engine_(seed_source.Next()) {}

TraceId TraceIdSource::Next() {
  for (;;) {
    std::uint64_t hi = engine_();
    std::uint64_t lo = engine_();
    if (hi != 0 || lo != 0) return TraceId::FromBits(hi, lo);  // all zero is "invalid"
  }
}

}  // namespace blaze::http
