// The HTTP rules of the Cache API (Cloudflare's `caches`), apart from where the bytes live:
// whether and for how long cache.put() may keep a response, and how cache.match() answers
// from a stored one. Pinned against wrangler dev 4.86 (workerd + Miniflare's cache) in
// tests/workers/scenarios/cache; where that differs from RFC 9111 the comment says which wins.
//
// Pure functions of their arguments (time comes in as `now`); no locks, no I/O.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"

namespace blaze::cache {

// Header pairs as they travel from and to the JS Headers object: names lower-case, values as
// given, repeated names as repeated pairs.
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// The values of every `name` header joined with ", " (how HTTP combines repeated fields);
// nullopt when there is none.
std::optional<std::string> HeaderValue(const HeaderList& headers, std::string_view name);

// One Cache-Control directive: name lower-cased, value unquoted (nullopt for a bare name).
struct Directive {
  std::string name;
  std::optional<std::string> value;
};
std::vector<Directive> ParseCacheControl(std::string_view text);

// What put() does with a response.
struct StorePlan {
  bool store = false;
  std::chrono::seconds ttl{0};   // > 0 when store
  std::int64_t initial_age = 0;  // seconds: the response's own Age header
  HeaderList headers;            // what to keep: without Age, Date, CF-Cache-Status, Content-Length
                       // (recomputed on every hit) and a Set-Cookie that private= allows out
};

// Refused outright (InvalidArgument, workerd's TypeError messages): status 206 and `Vary: *`.
// Not stored (store = false), as wrangler dev does: a status outside 200 203 300 301 302 303
// 307 308 404 405 410 414 501; `no-store`, `no-cache` or `private` (unless it only names
// Set-Cookie, which is then dropped); any other Set-Cookie; a request with Authorization
// unless the response says public, s-maxage or must-revalidate; no explicit lifetime.
// The lifetime is s-maxage, else max-age, else Expires - now, minus the response's Age.
// Directive names are matched case-insensitively (RFC 9111; Miniflare matches them exactly).
Result<StorePlan> PlanStore(int status, const HeaderList& response_headers,
                            bool request_has_authorization, Clock::WallTime now);

// A response kept by put().
struct StoredResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
  std::int64_t initial_age = 0;
  Clock::WallTime stored_at{};
  Clock::WallTime expires_at{};
};

// What match() answers.
struct HitResponse {
  int status = 200;
  HeaderList headers;
  std::string body;
};

// Answers a request from a fresh stored response: its headers plus Age (initial age + whole
// seconds stored), Date (when stored), CF-Cache-Status: HIT and Content-Length. Then:
//   If-None-Match matching the ETag (weak comparison, `*` when there is an ETag), or else
//   If-Modified-Since not before Last-Modified → 304, same headers, no body;
//   Range: bytes=a-b | a- | -n (one range) → 206 with Content-Range; a range that cannot be
//   satisfied or parsed → 416 carrying only Content-Range: bytes */len and CF-Cache-Status;
//   several ranges → the whole 200 (Miniflare answers multipart/byteranges; Blaze does not).
HitResponse ServeHit(const StoredResponse& stored, const HeaderList& request_headers,
                     Clock::WallTime now);

}  // namespace blaze::cache
