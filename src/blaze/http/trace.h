// Trace ids: every request carries one, every response echoes it as `x-trace-id`, and worker
// logs use it. It comes from an incoming W3C `traceparent` header when that header is valid,
// else it is 32 fresh random hex characters.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>

namespace blaze {
class Random;
}

namespace blaze::http {

// 32 lowercase hex characters (128 bits), stored inline: no allocation per request.
class TraceId {
 public:
  TraceId() { hex_.fill('0'); }  // all zero: "no trace id"; never put on a request
  static TraceId FromBits(std::uint64_t hi, std::uint64_t lo);
  // 32 lowercase hex characters, not all zero; nullopt otherwise.
  static std::optional<TraceId> FromHex(std::string_view hex);

  std::string_view view() const { return {hex_.data(), hex_.size()}; }
  std::string ToString() const { return std::string(view()); }
  friend bool operator==(const TraceId&, const TraceId&) = default;

 private:
  std::array<char, 32> hex_;
};

// Parses `traceparent` strictly per W3C Trace Context level 1:
//   version "-" trace-id "-" parent-id "-" flags, all lowercase hex, 2-32-16-2 digits.
// Version "ff" is invalid; version "00" must be exactly 55 characters; a higher version may
// carry more fields after a "-". All-zero trace-id or parent-id is invalid.
// Returns the trace-id, or nullopt when the header is not valid (the caller then generates one).
std::optional<TraceId> ParseTraceparent(std::string_view header);

// Generates random trace ids. One per core, never shared: not thread-safe, takes no lock.
// Seeded once from the Random seam, so tests can make the sequence fixed.
class TraceIdSource {
 public:
  explicit TraceIdSource(Random& seed_source);
  TraceId Next();

 private:
  std::mt19937_64 engine_;
};

}  // namespace blaze::http
