#include "blaze/storage/cache/http_date.h"

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace blaze::cache {
namespace {

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kDays = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

// A cursor over the text; every reader returns false without consuming on a mismatch.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  bool Literal(std::string_view s) {
    if (text_.substr(pos_, s.size()) != s) return false;
    pos_ += s.size();
    return true;
  }
  // Exactly `digits` digits (or 1..digits when `at_least_one`).
  bool Number(int digits, int* out, bool at_least_one = false) {
    int value = 0;
    int n = 0;
    while (n < digits && pos_ + n < text_.size() &&
           std::isdigit(static_cast<unsigned char>(text_[pos_ + n]))) {
      value = value * 10 + (text_[pos_ + n] - '0');
      ++n;
    }
    if (n == 0 || (!at_least_one && n != digits)) return false;
    pos_ += n;
    *out = value;
    return true;
  }
  bool Month(int* out) {
    for (std::size_t i = 0; i < kMonths.size(); ++i) {
      if (Literal(kMonths[i])) {
        *out = static_cast<int>(i) + 1;
        return true;
      }
    }
    return false;
  }
  // A day name: the three-letter form, or (RFC 850) the full name.
  bool DayName() {
    std::size_t start = pos_;
    while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
    std::string_view name = text_.substr(start, pos_ - start);
    for (std::string_view day : kDays) {
      if (name.size() >= 3 && name.substr(0, 3) == day) return true;
    }
    pos_ = start;
    return false;
  }
  bool Time(int* h, int* m, int* s) {
    return Number(2, h) && Literal(":") && Number(2, m) && Literal(":") && Number(2, s);
  }
  bool AtEnd() const { return pos_ == text_.size(); }

 private:
  std::string_view text_;
  std::size_t pos_ = 0;
};

struct Parts {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

std::optional<Clock::WallTime> ToTime(const Parts& p) {
  using namespace std::chrono;
  year_month_day ymd{year{p.year}, month{static_cast<unsigned>(p.month)},
                     day{static_cast<unsigned>(p.day)}};
  if (!ymd.ok() || p.hour > 23 || p.minute > 59 || p.second > 60) return std::nullopt;
  sys_seconds t = sys_days(ymd) + hours(p.hour) + minutes(p.minute) + seconds(p.second);
  return Clock::WallTime(duration_cast<system_clock::duration>(t.time_since_epoch()));
}

bool ImfFixdate(std::string_view text, Parts* p) {
  Reader r(text);
  return r.DayName() && r.Literal(", ") && r.Number(2, &p->day) && r.Literal(" ") &&
         r.Month(&p->month) && r.Literal(" ") && r.Number(4, &p->year) && r.Literal(" ") &&
         r.Time(&p->hour, &p->minute, &p->second) && r.Literal(" GMT") && r.AtEnd();
}

bool Rfc850(std::string_view text, Parts* p, int now_year) {
  Reader r(text);
  int yy = 0;
  if (!(r.DayName() && r.Literal(", ") && r.Number(2, &p->day) && r.Literal("-") &&
        r.Month(&p->month) && r.Literal("-") && r.Number(2, &yy) && r.Literal(" ") &&
        r.Time(&p->hour, &p->minute, &p->second) && r.Literal(" GMT") && r.AtEnd())) {
    return false;
  }
  // RFC 9110: a two-digit year more than 50 years in the future is in the past century.
  p->year = now_year / 100 * 100 + yy;
  if (p->year > now_year + 50) p->year -= 100;
  return true;
}

bool Asctime(std::string_view text, Parts* p) {
  Reader r(text);
  if (!(r.DayName() && r.Literal(" ") && r.Month(&p->month) && r.Literal(" "))) return false;
  (void)r.Literal(" ");  // a one-digit day is padded with a space
  return r.Number(2, &p->day, /*at_least_one=*/true) && r.Literal(" ") &&
         r.Time(&p->hour, &p->minute, &p->second) && r.Literal(" ") && r.Number(4, &p->year) &&
         r.AtEnd();
}

}  // namespace

std::optional<Clock::WallTime> ParseHttpDate(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  Parts p;
  if (ImfFixdate(text, &p) || Asctime(text, &p)) return ToTime(p);
  // The century of an RFC 850 date is relative to "now"; 2000-2099 serves until 2050.
  if (Rfc850(text, &p, 2025)) return ToTime(p);
  return std::nullopt;
}

std::string FormatHttpDate(Clock::WallTime t) {
  std::time_t secs =
      std::chrono::system_clock::to_time_t(std::chrono::floor<std::chrono::seconds>(t));
  std::tm parts{};
  gmtime_r(&secs, &parts);
  char buf[40];
  // Day and month names from our own tables: strftime's %a/%b follow the locale.
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                std::string(kDays[parts.tm_wday]).c_str(), parts.tm_mday,
                std::string(kMonths[parts.tm_mon]).c_str(), parts.tm_year + 1900, parts.tm_hour,
                parts.tm_min, parts.tm_sec);
  return buf;
}

}  // namespace blaze::cache
