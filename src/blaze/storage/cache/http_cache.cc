#include "blaze/storage/cache/http_cache.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include "blaze/storage/cache/http_date.h"

namespace blaze::cache {
namespace {

using std::chrono::seconds;

// The statuses wrangler dev keeps given an explicit lifetime (observed; 204 and 304 are not).
constexpr std::array<int, 13> kCacheableStatuses = {200, 203, 300, 301, 302, 303, 307,
                                                    308, 404, 405, 410, 414, 501};
// RFC 9111 §1.2.2: a delta-seconds too large to represent is taken as 2^31.
constexpr std::int64_t kMaxDeltaSeconds = std::int64_t{1} << 31;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Comma-separated items, commas inside double quotes kept.
std::vector<std::string_view> SplitList(std::string_view text) {
  std::vector<std::string_view> items;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] == '"') quoted = !quoted;
    if (i == text.size() || (text[i] == ',' && !quoted)) {
      std::string_view item = Trim(text.substr(start, i - start));
      if (!item.empty()) items.push_back(item);
      start = i + 1;
    }
  }
  return items;
}

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
    std::string out;
    for (std::size_t i = 1; i + 1 < v.size(); ++i) {
      if (v[i] == '\\' && i + 2 < v.size()) ++i;
      out += v[i];
    }
    return out;
  }
  return std::string(v);
}

// delta-seconds; nullopt unless the whole value is digits.
std::optional<std::int64_t> DeltaSeconds(const std::optional<std::string>& value) {
  if (!value || value->empty()) return std::nullopt;
  std::int64_t n = 0;
  for (char c : *value) {
    if (c < '0' || c > '9') return std::nullopt;
    n = std::min(kMaxDeltaSeconds, n * 10 + (c - '0'));
  }
  return n;
}

const Directive* Find(const std::vector<Directive>& cc, std::string_view name) {
  for (const Directive& d : cc) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

bool HasHeader(const HeaderList& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const auto& h) { return h.first == name; });
}

// `private` that names only Set-Cookie lets the response be kept without its cookies.
bool OnlyPrivateCookies(const Directive& d) {
  if (!d.value) return false;
  std::vector<std::string_view> fields = SplitList(*d.value);
  return !fields.empty() && std::all_of(fields.begin(), fields.end(), [](std::string_view f) {
    return Lower(Trim(f)) == "set-cookie";
  });
}

// The explicit freshness lifetime and whether one was given.
std::optional<std::int64_t> Lifetime(const std::vector<Directive>& cc, const HeaderList& headers,
                                     Clock::WallTime now) {
  if (const Directive* d = Find(cc, "s-maxage")) return DeltaSeconds(d->value).value_or(0);
  if (const Directive* d = Find(cc, "max-age")) return DeltaSeconds(d->value).value_or(0);
  if (auto expires = HeaderValue(headers, "expires")) {
    auto when = ParseHttpDate(*expires);
    if (!when) return 0;  // an invalid Expires means "already expired" (RFC 9111 §5.3)
    return std::chrono::duration_cast<seconds>(*when - now).count();
  }
  return std::nullopt;
}

bool IsRecomputed(std::string_view name) {
  return name == "age" || name == "date" || name == "cf-cache-status" || name == "content-length";
}

// Weak comparison (RFC 9110 §8.8.3.2): opaque tags equal once a W/ prefix is dropped.
std::string_view Opaque(std::string_view tag) {
  tag = Trim(tag);
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  return tag;
}

bool NoneMatch(std::string_view condition, const std::optional<std::string>& etag) {
  if (!etag) return false;
  if (Trim(condition) == "*") return true;
  for (std::string_view tag : SplitList(condition)) {
    if (Opaque(tag) == Opaque(*etag)) return true;
  }
  return false;
}

bool NotModifiedSince(std::string_view condition, const std::optional<std::string>& modified) {
  if (!modified) return false;
  auto since = ParseHttpDate(condition);
  auto last = ParseHttpDate(*modified);
  return since && last && *last <= *since;
}

struct ByteRange {
  std::size_t first = 0, last = 0;
};
enum class RangeKind { kNone, kOne, kMany, kUnsatisfiable };

std::optional<std::size_t> Digits(std::string_view s) {
  std::size_t n = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

RangeKind ParseRange(std::string_view header, std::size_t size, ByteRange* out) {
  header = Trim(header);
  if (!header.starts_with("bytes=")) return RangeKind::kUnsatisfiable;
  std::vector<std::string_view> specs = SplitList(header.substr(6));
  if (specs.size() > 1) return RangeKind::kMany;
  if (specs.empty() || size == 0) return RangeKind::kUnsatisfiable;
  std::string_view spec = specs[0];
  std::size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return RangeKind::kUnsatisfiable;
  std::string_view a = Trim(spec.substr(0, dash)), b = Trim(spec.substr(dash + 1));
  if (a.empty()) {  // suffix: the last n bytes
    auto n = Digits(b);
    if (!n || *n == 0) return RangeKind::kUnsatisfiable;
    *out = {size - std::min(*n, size), size - 1};
    return RangeKind::kOne;
  }
  auto first = Digits(a);
  auto last = b.empty() ? std::optional<std::size_t>(size - 1) : Digits(b);
  if (!first || !last || *first > *last || *first >= size) return RangeKind::kUnsatisfiable;
  *out = {*first, std::min(*last, size - 1)};
  return RangeKind::kOne;
}

}  // namespace

std::optional<std::string> HeaderValue(const HeaderList& headers, std::string_view name) {
  std::optional<std::string> out;
  for (const auto& [k, v] : headers) {
    if (k != name) continue;
    out = out ? *out + ", " + v : v;
  }
  return out;
}

std::vector<Directive> ParseCacheControl(std::string_view text) {
  std::vector<Directive> out;
  for (std::string_view item : SplitList(text)) {
    std::size_t eq = item.find('=');
    Directive d{Lower(Trim(item.substr(0, eq))), std::nullopt};
    if (eq != std::string_view::npos) d.value = Unquote(Trim(item.substr(eq + 1)));
    if (!d.name.empty()) out.push_back(std::move(d));
  }
  return out;
}

Result<StorePlan> PlanStore(int status, const HeaderList& response_headers,
                            bool request_has_authorization, Clock::WallTime now) {
  if (status == 206) {
    return Fail(InvalidArgument("Cannot cache response to a range request (206 Partial Content)."));
  }
  if (auto vary = HeaderValue(response_headers, "vary")) {
    for (std::string_view field : SplitList(*vary)) {
      if (field == "*")
        return Fail(InvalidArgument("Cannot cache response with 'Vary: *' header."));
    }
  }
  StorePlan plan;
  if (std::find(kCacheableStatuses.begin(), kCacheableStatuses.end(), status) ==
      kCacheableStatuses.end()) {
    return plan;
  }
  std::vector<Directive> cc =
      ParseCacheControl(HeaderValue(response_headers, "cache-control").value_or(""));
  if (Find(cc, "no-store") || Find(cc, "no-cache")) return plan;
  bool drop_cookies = false;
  if (const Directive* p = Find(cc, "private")) {
    if (!OnlyPrivateCookies(*p)) return plan;
    drop_cookies = true;
  }
  if (!drop_cookies && HasHeader(response_headers, "set-cookie")) return plan;
  if (request_has_authorization && !Find(cc, "public") && !Find(cc, "s-maxage") &&
      !Find(cc, "must-revalidate")) {
    return plan;
  }
  std::optional<std::int64_t> lifetime = Lifetime(cc, response_headers, now);
  if (!lifetime) return plan;
  auto age = HeaderValue(response_headers, "age");
  plan.initial_age = age ? DeltaSeconds(std::string(Trim(*age))).value_or(0) : 0;
  std::int64_t ttl = *lifetime - plan.initial_age;
  if (ttl <= 0) return plan;
  for (const auto& [name, value] : response_headers) {
    if (IsRecomputed(name) || (drop_cookies && name == "set-cookie")) continue;
    plan.headers.emplace_back(name, value);
  }
  plan.store = true;
  plan.ttl = seconds(ttl);
  return plan;
}

HitResponse ServeHit(const StoredResponse& stored, const HeaderList& request_headers,
                     Clock::WallTime now) {
  std::int64_t stored_for = std::max<std::int64_t>(
      0, std::chrono::duration_cast<seconds>(now - stored.stored_at).count());
  HitResponse hit{stored.status, stored.headers, {}};
  hit.headers.emplace_back("age", std::to_string(stored.initial_age + stored_for));
  hit.headers.emplace_back("date", FormatHttpDate(stored.stored_at));
  hit.headers.emplace_back("cf-cache-status", "HIT");
  hit.headers.emplace_back("content-length", std::to_string(stored.body.size()));

  // RFC 9110 §13.2.2: If-None-Match, when present, decides alone.
  auto none_match = HeaderValue(request_headers, "if-none-match");
  bool not_modified = none_match
                          ? NoneMatch(*none_match, HeaderValue(stored.headers, "etag"))
                          : HeaderValue(request_headers, "if-modified-since") &&
                                NotModifiedSince(*HeaderValue(request_headers, "if-modified-since"),
                                                 HeaderValue(stored.headers, "last-modified"));
  if (not_modified) {
    hit.status = 304;
    return hit;
  }
  auto range = HeaderValue(request_headers, "range");
  ByteRange r;
  RangeKind kind = range ? ParseRange(*range, stored.body.size(), &r) : RangeKind::kNone;
  std::string total = std::to_string(stored.body.size());
  switch (kind) {
    case RangeKind::kNone:
    case RangeKind::kMany:
      hit.body = stored.body;
      return hit;
    case RangeKind::kUnsatisfiable:
      return HitResponse{
          416, {{"content-range", "bytes */" + total}, {"cf-cache-status", "HIT"}}, {}};
    case RangeKind::kOne:
      break;
  }
  hit.status = 206;
  std::erase_if(hit.headers, [](const auto& h) { return h.first == "content-length"; });
  hit.headers.emplace_back("content-length", std::to_string(r.last - r.first + 1));
  hit.headers.emplace_back("content-range", "bytes " + std::to_string(r.first) + "-" +
                                                std::to_string(r.last) + "/" + total);
  hit.body = stored.body.substr(r.first, r.last - r.first + 1);
  return hit;
}

}  // namespace blaze::cache
