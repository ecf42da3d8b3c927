// Clock: the seam through which time enters Blaze. Production code takes a Clock&; tests pass a
// FakeClock and advance it instead of sleeping.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace blaze {

class Clock {
 public:
  using WallTime = std::chrono::system_clock::time_point;
  using MonoTime = std::chrono::steady_clock::time_point;

  virtual ~Clock() = default;
  virtual WallTime Now() const = 0;       // wall clock: timestamps users see
  virtual MonoTime Monotonic() const = 0;  // for durations and deadlines
};

class SystemClock final : public Clock {
 public:
  WallTime Now() const override { return std::chrono::system_clock::now(); }
  MonoTime Monotonic() const override { return std::chrono::steady_clock::now(); }
};

// Starts at a fixed instant (2025-01-01T00:00:00Z) unless told otherwise; moves only on Advance.
// Thread-safe, so a test may advance it while another thread reads it.
class FakeClock final : public Clock {
 public:
  FakeClock();
  explicit FakeClock(WallTime start);

  WallTime Now() const override;
  MonoTime Monotonic() const override;
  void Advance(std::chrono::nanoseconds by);
  void SetNow(WallTime now);

 private:
  mutable std::mutex mu_;
  WallTime wall_;
  MonoTime mono_;
};

// Milliseconds since the Unix epoch.
std::int64_t UnixMillis(Clock::WallTime t);
// "2025-01-01T00:00:00.000Z"
std::string FormatIso8601(Clock::WallTime t);
// "2025-01-01 00:00:00" (SQLite's CURRENT_TIMESTAMP format, UTC)
std::string FormatSqlTimestamp(Clock::WallTime t);

}  // namespace blaze
