#include "blaze/base/cron.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <vector>

namespace blaze {
namespace {

using std::chrono::days;
using std::chrono::floor;
using std::chrono::minutes;
using std::chrono::sys_days;

constexpr std::array<std::string_view, 12> kMonthNames = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kDayNames = {"SUN", "MON", "TUE", "WED",
                                                       "THU", "FRI", "SAT"};

struct Field {
  const char* name;
  int min;
  int max;
  const std::string_view* names = nullptr;  // names[i] means min + i
  std::size_t name_count = 0;
};

constexpr Field kMinute{"minute", 0, 59};
constexpr Field kHour{"hour", 0, 23};
constexpr Field kDayOfMonth{"day-of-month", 1, 31};
constexpr Field kMonth{"month", 1, 12, kMonthNames.data(), kMonthNames.size()};
constexpr Field kDayOfWeek{"day-of-week", 1, 7, kDayNames.data(), kDayNames.size()};

// Builds the errors of one expression.
class Parser {
 public:
  explicit Parser(std::string_view expression) : expression_(expression) {}

  Error Bad(const std::string& what) const {
    return InvalidArgument("invalid cron expression \"" + std::string(expression_) + "\": " + what);
  }

  Result<int> Number(std::string_view text, const Field& f, const char* what = nullptr) const {
    int v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
      return Fail(Bad(std::string(f.name) + " " + (what ? what : "value") + " \"" +
                      std::string(text) + "\" is not a number"));
    }
    return v;
  }

  // One value of field `f`: a number in range or, for months and weekdays, a 3-letter name.
  Result<int> Value(std::string_view text, const Field& f) const {
    if (!text.empty() && !std::isdigit(static_cast<unsigned char>(text[0])) && f.names) {
      for (std::size_t i = 0; i < f.name_count; ++i) {
        if (text.size() == 3 && std::equal(text.begin(), text.end(), f.names[i].begin(),
                                           [](char a, char b) { return std::toupper(a) == b; })) {
          return f.min + static_cast<int>(i);
        }
      }
      return Fail(Bad(std::string(f.name) + " \"" + std::string(text) + "\" is not a " +
                      (f.names == kMonthNames.data() ? "month (1-12 or JAN-DEC)"
                                                     : "weekday (1-7 or SUN-SAT, 1 = Sunday)")));
    }
    BLAZE_TRY(int v, Number(text, f));
    if (v < f.min || v > f.max) {
      std::string hint = &f == &kDayOfWeek ? " (1 = Sunday, as on Cloudflare)" : "";
      return Fail(Bad(std::string(f.name) + " " + std::to_string(v) + " is out of range " +
                      std::to_string(f.min) + "-" + std::to_string(f.max) + hint));
    }
    return v;
  }

  // "*", "*/s", "a", "a-b", "a/s", "a-b/s", and comma lists of them: bit v for each value v.
  Result<std::uint64_t> List(std::string_view text, const Field& f) const {
    std::uint64_t bits = 0;
    while (true) {
      std::size_t comma = text.find(',');
      std::string_view item = text.substr(0, comma);
      if (item.empty()) return Fail(Bad(std::string(f.name) + " has an empty list item"));
      BLAZE_TRY(std::uint64_t item_bits, Item(item, f));
      bits |= item_bits;
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
    return bits;
  }

 private:
  Result<std::uint64_t> Item(std::string_view item, const Field& f) const {
    std::size_t slash = item.find('/');
    std::string_view base = item.substr(0, slash);
    int step = 0;
    if (slash != std::string_view::npos) {
      BLAZE_TRY(step, Number(item.substr(slash + 1), f, "step"));
      if (step < 1 || step > f.max - f.min) {
        return Fail(Bad(std::string(f.name) + " step " + std::to_string(step) +
                        " is out of range 1-" + std::to_string(f.max - f.min)));
      }
    }
    int start = f.min, end = f.max;
    if (base != "*") {
      std::size_t dash = base.find('-');
      BLAZE_TRY(start, Value(base.substr(0, dash), f));
      if (dash != std::string_view::npos) {
        BLAZE_TRY(end, Value(base.substr(dash + 1), f));
      } else if (step == 0) {
        end = start;
      }
    }
    // A range whose start is past its end wraps around the field (FRI-MON, 22-2).
    std::vector<int> sequence;
    if (start <= end) {
      for (int v = start; v <= end; ++v) sequence.push_back(v);
    } else {
      for (int v = start; v <= f.max; ++v) sequence.push_back(v);
      for (int v = f.min; v <= end; ++v) sequence.push_back(v);
    }
    std::uint64_t bits = 0;
    std::size_t stride = step == 0 ? 1 : static_cast<std::size_t>(step);
    for (std::size_t i = 0; i < sequence.size(); i += stride)
      bits |= std::uint64_t{1} << sequence[i];
    return bits;
  }

  std::string_view expression_;
};

bool HasAny(std::string_view text, std::string_view chars) {
  return text.find_first_of(chars) != std::string_view::npos;
}

Result<CronSchedule::DayOfMonth> ParseDayOfMonth(const Parser& p, std::string_view text) {
  using Kind = CronSchedule::DayOfMonth::Kind;
  CronSchedule::DayOfMonth dom;
  if (text == "*") return dom;
  if (!HasAny(text, "LWlw")) {
    BLAZE_TRY(std::uint64_t bits, p.List(text, kDayOfMonth));
    dom.kind = Kind::kSet;
    dom.days = static_cast<std::uint32_t>(bits);
    return dom;
  }
  std::string upper(text);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string_view t = upper;
  auto bad = [&] {
    return Fail(p.Bad("day-of-month \"" + std::string(text) +
                      "\" is not understood (the special forms are L, LW, L-3, L-3W and 15W, "
                      "each standing alone)"));
  };
  if (t[0] == 'L') {
    t.remove_prefix(1);
    bool weekday = !t.empty() && t.back() == 'W';
    if (weekday) t.remove_suffix(1);
    dom.kind = weekday ? Kind::kLastWeekday : Kind::kLast;
    if (t.empty()) return dom;
    if (t[0] != '-') return bad();
    BLAZE_TRY(dom.offset, p.Number(t.substr(1), kDayOfMonth, "offset"));
    if (dom.offset < 1 || dom.offset > 30) {
      return Fail(
          p.Bad("day-of-month offset L-" + std::to_string(dom.offset) + " is out of range 1-30"));
    }
    return dom;
  }
  if (t.back() != 'W' || HasAny(t, ",-/L")) return bad();
  BLAZE_TRY(dom.day, p.Value(t.substr(0, t.size() - 1), kDayOfMonth));
  dom.kind = Kind::kNearestWeekday;
  return dom;
}

Result<CronSchedule::DayOfWeek> ParseDayOfWeek(const Parser& p, std::string_view text) {
  using Kind = CronSchedule::DayOfWeek::Kind;
  CronSchedule::DayOfWeek dow;
  if (text == "*") return dow;
  if (text == "L" || text == "l") {  // the last day of the week: Saturday
    dow.kind = Kind::kSet;
    dow.days = 1 << 6;
    return dow;
  }
  std::size_t hash = text.find('#');
  bool last = text.size() > 1 && (text.back() == 'L' || text.back() == 'l');
  if (hash != std::string_view::npos || last) {
    if (HasAny(text, ",-/")) {
      return Fail(p.Bad("day-of-week \"" + std::string(text) +
                        "\": L and # forms stand alone (no lists, ranges or steps)"));
    }
    std::string_view day = last ? text.substr(0, text.size() - 1) : text.substr(0, hash);
    BLAZE_TRY(int v, p.Value(day, kDayOfWeek));
    dow.weekday = v - 1;
    if (last) {
      dow.kind = Kind::kLast;
      return dow;
    }
    BLAZE_TRY(dow.nth, p.Number(text.substr(hash + 1), kDayOfWeek, "occurrence"));
    if (dow.nth < 1 || dow.nth > 5) {
      return Fail(
          p.Bad("day-of-week occurrence #" + std::to_string(dow.nth) + " is out of range 1-5"));
    }
    dow.kind = Kind::kNth;
    return dow;
  }
  BLAZE_TRY(std::uint64_t bits, p.List(text, kDayOfWeek));
  dow.kind = Kind::kSet;
  dow.days = static_cast<std::uint8_t>(bits >> 1);  // value 1 (Sunday) -> bit 0
  return dow;
}

std::vector<std::string_view> SplitFields(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    std::size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) out.push_back(text.substr(start, i - start));
  }
  return out;
}

unsigned DaysInMonth(int year, unsigned month) {
  using namespace std::chrono;
  return static_cast<unsigned>(
      year_month_day_last(std::chrono::year(year), month_day_last(std::chrono::month(month)))
          .day());
}

// The weekday (Monday to Friday) nearest to `day` without leaving the month (Quartz's W).
unsigned NearestWeekday(int year, unsigned month, unsigned day, unsigned days_in_month) {
  using namespace std::chrono;
  unsigned wd =
      weekday(sys_days(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day)))
          .c_encoding();
  if (wd == 6) return day == 1 ? 3 : day - 1;                    // Saturday
  if (wd == 0) return day == days_in_month ? day - 2 : day + 1;  // Sunday
  return day;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view expression) {
  while (!expression.empty() && std::isspace(static_cast<unsigned char>(expression.front())))
    expression.remove_prefix(1);
  while (!expression.empty() && std::isspace(static_cast<unsigned char>(expression.back())))
    expression.remove_suffix(1);
  Parser p(expression);
  std::vector<std::string_view> fields = SplitFields(expression);
  if (fields.size() != 5) {
    return Fail(p.Bad("has " + std::to_string(fields.size()) +
                      " fields; a cron trigger has 5: minute hour day-of-month month day-of-week"));
  }
  CronSchedule s;
  s.expression_ = std::string(expression);
  BLAZE_TRY(s.minutes_, p.List(fields[0], kMinute));
  BLAZE_TRY(std::uint64_t hours, p.List(fields[1], kHour));
  s.hours_ = static_cast<std::uint32_t>(hours);
  BLAZE_TRY(s.dom_, ParseDayOfMonth(p, fields[2]));
  BLAZE_TRY(std::uint64_t months, p.List(fields[3], kMonth));
  s.months_ = static_cast<std::uint16_t>(months);
  BLAZE_TRY(s.dow_, ParseDayOfWeek(p, fields[4]));
  // 29 years hold every weekday alignment of every month, leap or not, so a schedule without a
  // day in them never fires ("0 0 30 2 *").
  using namespace std::chrono;
  sys_days from = sys_days(2000y / January / 1), to = sys_days(2029y / January / 1);
  for (sys_days d = from; d < to; d += days(1)) {
    year_month_day ymd(d);
    if (s.MatchesDay(int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()))) return s;
  }
  return Fail(p.Bad("it never fires (no month has such a day)"));
}

bool CronSchedule::DomMatches(int year, unsigned month, unsigned day, unsigned dim) const {
  switch (dom_.kind) {
    case DayOfMonth::Kind::kAny:
      return true;
    case DayOfMonth::Kind::kSet:
      return (dom_.days >> day) & 1;
    case DayOfMonth::Kind::kLast:
      return static_cast<int>(day) == static_cast<int>(dim) - dom_.offset;
    case DayOfMonth::Kind::kLastWeekday: {
      int target = static_cast<int>(dim) - dom_.offset;
      if (target < 1) return false;
      return day == NearestWeekday(year, month, static_cast<unsigned>(target), dim);
    }
    case DayOfMonth::Kind::kNearestWeekday:
      if (static_cast<unsigned>(dom_.day) > dim) return false;
      return day == NearestWeekday(year, month, static_cast<unsigned>(dom_.day), dim);
  }
  return false;
}

bool CronSchedule::DowMatches(unsigned weekday, unsigned day, unsigned dim) const {
  switch (dow_.kind) {
    case DayOfWeek::Kind::kAny:
      return true;
    case DayOfWeek::Kind::kSet:
      return (dow_.days >> weekday) & 1;
    case DayOfWeek::Kind::kLast:
      return static_cast<int>(weekday) == dow_.weekday && day + 7 > dim;
    case DayOfWeek::Kind::kNth:
      return static_cast<int>(weekday) == dow_.weekday &&
             static_cast<int>((day - 1) / 7 + 1) == dow_.nth;
  }
  return false;
}

bool CronSchedule::MatchesDay(int year, unsigned month, unsigned day) const {
  if (!((months_ >> month) & 1)) return false;
  unsigned dim = DaysInMonth(year, month);
  if (day < 1 || day > dim) return false;
  bool dom_any = dom_.kind == DayOfMonth::Kind::kAny;
  bool dow_any = dow_.kind == DayOfWeek::Kind::kAny;
  if (dom_any && dow_any) return true;
  bool dom = !dom_any && DomMatches(year, month, day, dim);
  using namespace std::chrono;
  unsigned wd =
      weekday(sys_days(std::chrono::year(year) / std::chrono::month(month) / std::chrono::day(day)))
          .c_encoding();
  bool dow = !dow_any && DowMatches(wd, day, dim);
  return dom || dow;
}

bool CronSchedule::Matches(Clock::WallTime t) const {
  using namespace std::chrono;
  auto minute = floor<minutes>(t);
  sys_days day = floor<days>(minute);
  auto in_day = duration_cast<minutes>(minute - day).count();
  if (!((minutes_ >> (in_day % 60)) & 1) || !((hours_ >> (in_day / 60)) & 1)) return false;
  year_month_day ymd(day);
  return MatchesDay(int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()));
}

std::optional<Clock::WallTime> CronSchedule::NextAfter(Clock::WallTime t) const {
  using namespace std::chrono;
  auto start = floor<minutes>(t) + minutes(1);
  sys_days day = floor<days>(start);
  long first = duration_cast<minutes>(start - day).count();  // minute of the day to start at
  for (int i = 0; i < 366 * 29; ++i, day += days(1), first = 0) {
    year_month_day ymd(day);
    if (!MatchesDay(int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()))) continue;
    for (long h = first / 60; h < 24; ++h) {
      if (!((hours_ >> h) & 1)) continue;
      for (long m = (h == first / 60 ? first % 60 : 0); m < 60; ++m) {
        if ((minutes_ >> m) & 1) {
          return time_point_cast<Clock::WallTime::duration>(day + hours(h) + minutes(m));
        }
      }
    }
  }
  return std::nullopt;
}

}  // namespace blaze
