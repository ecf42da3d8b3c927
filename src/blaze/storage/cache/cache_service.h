// CacheService: the Cache API's storage for one data directory — every worker's `caches.default`
// and `caches.open(name)` caches in one SQLite file, `<data-dir>/cache.sqlite` (table `entries`,
// keyed by cache name + URL: status, headers as JSON, body BLOB, stored_at, expires_at, all
// times in ms since the epoch from the Clock). The cache binding (bindings/cache_binding) is its
// only user; the HTTP rules it applies are in http_cache.h.
//
// Size: bounded by `max_bytes` (default 512 MiB: body + headers + key per entry). A put that
// takes the total past it first drops expired entries, then the oldest ones. An entry larger
// than the whole cache is refused (ResourceExhausted). Expired entries are never served; they
// are deleted when met and on later puts.
//
// Threads: one CacheService is shared by every core; calls are serialized on one connection
// (cache operations are a single indexed row each). The file is opened on first use, so a
// worker that never touches `caches` costs nothing.
// Stats: lookups that found a fresh entry (hits) and that did not (misses), since the service
// was created — what the metrics' cache.hitRate reads, next to KV's.
// Errors: InvalidArgument (cache name too long, workerd's messages for 206 and Vary: *),
// ResourceExhausted (entry larger than the cache), and the storage errors of storage/sqlite.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/storage/cache/http_cache.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::cache {

struct CacheOptions {
  std::string data_dir;
  fs::Env* env = nullptr;        // creates the data directory
  const Clock* clock = nullptr;  // stored_at / expires_at
  std::int64_t max_bytes = std::int64_t{512} << 20;
  const char* vfs = nullptr;  // SQLite VFS (tests pass FaultyVfs's)
};

// Hits and misses of Lookup/Match since the service was created.
struct CacheStats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;
  double HitRate() const {
    return hits + misses == 0 ? 0.0
                              : static_cast<double>(hits) / static_cast<double>(hits + misses);
  }
};

// Cache names are shorter than 1024 bytes of UTF-8 (workerd: "Cache name is too long.").
// `caches.default` is the cache named "" (so is caches.open(""), as in wrangler dev).
Status ValidateCacheName(std::string_view name);

// The key of a URL: the URL without its fragment.
std::string_view CacheKey(std::string_view url);

class CacheService {
 public:
  static Result<std::unique_ptr<CacheService>> Open(const CacheOptions& options);
  CacheService(const CacheService&) = delete;
  CacheService& operator=(const CacheService&) = delete;

  // put(): plans with PlanStore at the clock's now and keeps the response when it may.
  // true when stored; false when HTTP says not to (an older entry under the key is kept).
  Result<bool> Store(std::string_view cache, std::string_view url, int status,
                     const HeaderList& headers, std::string body, bool request_has_authorization);
  // match(): the stored response shaped by ServeHit for this request, or nullopt (a miss).
  Result<std::optional<HitResponse>> Lookup(std::string_view cache, std::string_view url,
                                            const HeaderList& request_headers);
  // delete(): true when a fresh entry was removed.
  Result<bool> Delete(std::string_view cache, std::string_view url);

  // The storage underneath, for callers that plan themselves (and tests).
  Status Put(std::string_view cache, std::string_view url, const StoredResponse& entry);
  Result<std::optional<StoredResponse>> Match(std::string_view cache, std::string_view url);

  CacheStats Stats() const;
  // Bytes counted against max_bytes.
  Result<std::int64_t> TotalBytes();
  std::string path() const;
  const Clock& clock() const { return *options_.clock; }

 private:
  explicit CacheService(CacheOptions options) : options_(std::move(options)) {}
  Result<sqlite::Database*> Db();  // under mu_
  Status MakeRoom(sqlite::Database& db, std::int64_t needed, std::int64_t* total);

  CacheOptions options_;
  std::mutex mu_;  // guards db_ and total_bytes_
  std::unique_ptr<sqlite::Database> db_;
  std::int64_t total_bytes_ = 0;
  std::atomic<std::uint64_t> hits_{0};
  std::atomic<std::uint64_t> misses_{0};
};

}  // namespace blaze::cache
