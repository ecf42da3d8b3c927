#include "blaze/base/clock.h"

#include <ctime>

namespace blaze {

FakeClock::FakeClock()
    : FakeClock(WallTime(std::chrono::seconds(1735689600))) {}  // 2025-01-01T00:00:00Z

FakeClock::FakeClock(WallTime start) : wall_(start), mono_(std::chrono::hours(1)) {}

Clock::WallTime FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return wall_;
}

Clock::MonoTime FakeClock::Monotonic() const {
  std::lock_guard lock(mu_);
  return mono_;
}

void FakeClock::Advance(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  wall_ += std::chrono::duration_cast<std::chrono::system_clock::duration>(by);
  mono_ += by;
}

void FakeClock::SetNow(WallTime now) {
  std::lock_guard lock(mu_);
  wall_ = now;
}

std::int64_t UnixMillis(Clock::WallTime t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

namespace {
std::tm UtcParts(Clock::WallTime t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm parts{};
  gmtime_r(&secs, &parts);
  return parts;
}
}  // namespace

std::string FormatIso8601(Clock::WallTime t) {
  std::tm parts = UtcParts(t);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &parts);
  auto ms = UnixMillis(t) % 1000;
  if (ms < 0) ms += 1000;
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03lldZ", buf, static_cast<long long>(ms));
  return out;
}

std::string FormatSqlTimestamp(Clock::WallTime t) {
  std::tm parts = UtcParts(t);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &parts);
  return buf;
}

}  // namespace blaze
