// CronSchedule: one cron trigger expression as Cloudflare reads it (`[triggers] crons` in
// wrangler.toml), with the next-fire computation the scheduler needs. All times are UTC, at
// minute resolution.
//
// Syntax (Cloudflare's, a Quartz-like dialect; five fields separated by spaces):
//   minute        0-59   * , - /
//   hour          0-23   * , - /
//   day-of-month  1-31   * , - /  L  LW  L-3  L-3W  15W   (L forms and W stand alone)
//   month         1-12 or JAN-DEC (any case)   * , - /
//   day-of-week   1-7 or SUN-SAT (any case; 1 = Sunday, as on Cloudflare)   * , - /
//                 L (= Saturday)  6L / FRIL (last Friday of the month)  MON#2 (second Monday)
// Ranges may wrap (FRI-MON, 22-2); "a/s" steps from a to the field's maximum. When both
// day-of-month and day-of-week are restricted (neither is a bare "*"), a day matching either
// fires, as in Vixie cron and Cloudflare.
//
// Errors: InvalidArgument naming the expression and the field at fault, e.g.
//   invalid cron expression "0 25 * * *": hour 25 is out of range 0-23
// Thread-safe: a parsed schedule is an immutable value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"

namespace blaze {

class CronSchedule {
 public:
  static Result<CronSchedule> Parse(std::string_view expression);

  // The expression as written (surrounding whitespace removed).
  const std::string& expression() const { return expression_; }

  // Whether the schedule fires in the minute containing `t`.
  bool Matches(Clock::WallTime t) const;

  // The first minute boundary strictly after `t` at which the schedule fires; nullopt only if it
  // does not fire within the next 29 years (Parse refuses schedules that never fire).
  std::optional<Clock::WallTime> NextAfter(Clock::WallTime t) const;

  // The day part of the match (day-of-month, day-of-week, month); public for tests.
  bool MatchesDay(int year, unsigned month, unsigned day) const;

  // Day-of-month and day-of-week rules; internal, public so the parser's helpers can fill them.
  struct DayOfMonth {
    enum class Kind : std::uint8_t { kAny, kSet, kLast, kLastWeekday, kNearestWeekday };
    Kind kind = Kind::kAny;
    std::uint32_t days = 0;  // kSet: bit d for day d (1-31)
    int offset = 0;          // kLast / kLastWeekday: days before the last day (L-3)
    int day = 0;             // kNearestWeekday: 15 in "15W"
  };
  struct DayOfWeek {
    enum class Kind : std::uint8_t { kAny, kSet, kLast, kNth };
    Kind kind = Kind::kAny;
    std::uint8_t days = 0;  // kSet: bit w for weekday w (0 = Sunday)
    int weekday = 0;        // kLast / kNth: 0 = Sunday
    int nth = 0;            // kNth: 1-5
  };

 private:
  CronSchedule() = default;
  bool DomMatches(int year, unsigned month, unsigned day, unsigned days_in_month) const;
  bool DowMatches(unsigned weekday, unsigned day, unsigned days_in_month) const;

  std::string expression_;
  std::uint64_t minutes_ = 0;  // bit m
  std::uint32_t hours_ = 0;    // bit h
  std::uint16_t months_ = 0;   // bit m for month m (1-12)
  DayOfMonth dom_;
  DayOfWeek dow_;
};

}  // namespace blaze
