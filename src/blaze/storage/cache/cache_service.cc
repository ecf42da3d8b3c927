#include "blaze/storage/cache/cache_service.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "blaze/base/log.h"

namespace blaze::cache {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxCacheNameBytes = 1023;
// Bytes an entry costs beyond its key, headers and body (row and index overhead, roughly).
constexpr std::int64_t kEntryOverhead = 64;
// Expired rows removed per put, so one put never pays for a long-idle cache all at once.
constexpr int kPurgeBatch = 128;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS entries (
  cache TEXT NOT NULL,
  url TEXT NOT NULL,
  status INTEGER NOT NULL,
  headers TEXT NOT NULL,
  body BLOB NOT NULL,
  initial_age INTEGER NOT NULL,
  stored_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  size INTEGER NOT NULL,
  PRIMARY KEY (cache, url));
CREATE INDEX IF NOT EXISTS entries_by_stored_at ON entries (stored_at);
CREATE INDEX IF NOT EXISTS entries_by_expires_at ON entries (expires_at);
)sql";

std::int64_t Millis(Clock::WallTime t) { return UnixMillis(t); }
Clock::WallTime FromMillis(std::int64_t ms) {
  return Clock::WallTime(
      std::chrono::duration_cast<Clock::WallTime::duration>(std::chrono::milliseconds(ms)));
}

std::string HeadersJson(const HeaderList& headers) {
  json pairs = json::array();
  for (const auto& [k, v] : headers) pairs.push_back({k, v});
  return pairs.dump(-1, ' ', false, json::error_handler_t::replace);
}

HeaderList HeadersFromJson(const std::string& text) {
  HeaderList out;
  json pairs = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!pairs.is_array()) return out;
  for (const json& p : pairs) {
    if (p.is_array() && p.size() == 2 && p[0].is_string() && p[1].is_string()) {
      out.emplace_back(p[0].get<std::string>(), p[1].get<std::string>());
    }
  }
  return out;
}

Status Bind(sqlite::Statement& stmt, int index, std::string_view cache, std::string_view url) {
  BLAZE_TRY_VOID(stmt.Bind(index, std::string(cache)));
  return stmt.Bind(index + 1, std::string(url));
}

// Rolls back unless committed.
class Transaction {
 public:
  explicit Transaction(sqlite::Database& db) : db_(db) {}
  ~Transaction() {
    if (open_) (void)db_.Exec("ROLLBACK");
  }
  Status Begin() {
    BLAZE_TRY_VOID(db_.Exec("BEGIN IMMEDIATE"));
    open_ = true;
    return Ok();
  }
  Status Commit() {
    BLAZE_TRY_VOID(db_.Exec("COMMIT"));
    open_ = false;
    return Ok();
  }

 private:
  sqlite::Database& db_;
  bool open_ = false;
};

}  // namespace

Status ValidateCacheName(std::string_view name) {
  if (name.size() > kMaxCacheNameBytes) return Fail(InvalidArgument("Cache name is too long."));
  return Ok();
}

std::string_view CacheKey(std::string_view url) { return url.substr(0, url.find('#')); }

Result<std::unique_ptr<CacheService>> CacheService::Open(const CacheOptions& options) {
  BLAZE_CHECK(options.env && options.clock && options.max_bytes > 0);
  return std::unique_ptr<CacheService>(new CacheService(options));
}

std::string CacheService::path() const { return fs::JoinPath(options_.data_dir, "cache.sqlite"); }

Result<sqlite::Database*> CacheService::Db() {
  if (db_) return db_.get();
  BLAZE_TRY_VOID(options_.env->CreateDirs(options_.data_dir));
  sqlite::OpenOptions opts;
  opts.vfs = options_.vfs;
  BLAZE_TRY(auto db, sqlite::Database::Open(path(), opts));
  BLAZE_TRY_VOID(db->Exec(kSchema));
  BLAZE_TRY(total_bytes_, db->QueryInt("SELECT COALESCE(SUM(size), 0) FROM entries"));
  db_ = std::move(db);
  return db_.get();
}

Result<bool> CacheService::Store(std::string_view cache, std::string_view url, int status,
                                 const HeaderList& headers, std::string body,
                                 bool request_has_authorization) {
  BLAZE_TRY_VOID(ValidateCacheName(cache));
  Clock::WallTime now = options_.clock->Now();
  BLAZE_TRY(StorePlan plan, PlanStore(status, headers, request_has_authorization, now));
  if (!plan.store) return false;
  StoredResponse entry{status, std::move(plan.headers), std::move(body), plan.initial_age,
                       now,    now + plan.ttl};
  BLAZE_TRY_VOID(Put(cache, url, entry));
  return true;
}

Result<std::optional<HitResponse>> CacheService::Lookup(std::string_view cache,
                                                        std::string_view url,
                                                        const HeaderList& request_headers) {
  BLAZE_TRY(auto stored, Match(cache, url));
  if (!stored) return std::optional<HitResponse>();
  return std::optional<HitResponse>(ServeHit(*stored, request_headers, options_.clock->Now()));
}

Status CacheService::Put(std::string_view cache, std::string_view url,
                         const StoredResponse& entry) {
  BLAZE_TRY_VOID(ValidateCacheName(cache));
  std::string_view key = CacheKey(url);
  std::string headers = HeadersJson(entry.headers);
  std::int64_t size =
      static_cast<std::int64_t>(cache.size() + key.size() + headers.size() + entry.body.size()) +
      kEntryOverhead;
  if (size > options_.max_bytes) {
    return Fail(ResourceExhausted("cache entry of " + std::to_string(size) +
                                  " bytes is larger than the cache (" +
                                  std::to_string(options_.max_bytes) + " bytes)"));
  }
  std::lock_guard lock(mu_);
  BLAZE_TRY(sqlite::Database * db, Db());
  Transaction tx(*db);
  BLAZE_TRY_VOID(tx.Begin());
  std::int64_t total = total_bytes_;
  {  // the entry it replaces goes first, so eviction never counts it twice
    BLAZE_TRY(auto old, db->Prepare("DELETE FROM entries WHERE cache = ?1 AND url = ?2 "
                                    "RETURNING size"));
    BLAZE_TRY_VOID(Bind(*old, 1, cache, key));
    while (true) {
      BLAZE_TRY(bool row, old->Step());
      if (!row) break;
      total -= old->ColumnInt(0);
    }
  }
  BLAZE_TRY_VOID(MakeRoom(*db, size, &total));
  BLAZE_TRY(auto insert, db->Prepare("INSERT INTO entries (cache, url, status, headers, body, "
                                     "initial_age, stored_at, expires_at, size) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
  BLAZE_TRY_VOID(Bind(*insert, 1, cache, key));
  BLAZE_TRY_VOID(insert->Bind(3, std::int64_t{entry.status}));
  BLAZE_TRY_VOID(insert->Bind(4, headers));
  int rc =
      sqlite3_bind_blob64(insert->raw(), 5, entry.body.data(), entry.body.size(), SQLITE_STATIC);
  if (rc != SQLITE_OK) return Fail(db->LastError(rc));
  BLAZE_TRY_VOID(insert->Bind(6, entry.initial_age));
  BLAZE_TRY_VOID(insert->Bind(7, Millis(entry.stored_at)));
  BLAZE_TRY_VOID(insert->Bind(8, Millis(entry.expires_at)));
  BLAZE_TRY_VOID(insert->Bind(9, size));
  BLAZE_TRY_VOID(insert->Step());
  BLAZE_TRY_VOID(tx.Commit());
  total_bytes_ = total + size;
  return Ok();
}

// Drops expired entries (a batch), then the oldest ones until `needed` more bytes fit.
// `total` is updated; the caller's transaction makes it all or nothing.
Status CacheService::MakeRoom(sqlite::Database& db, std::int64_t needed, std::int64_t* total) {
  struct Victim {
    std::int64_t rowid, size;
  };
  auto drop = [&](std::string_view select, std::optional<std::int64_t> now) -> Result<int> {
    std::vector<Victim> victims;
    {
      BLAZE_TRY(auto stmt, db.Prepare(select));
      if (now) BLAZE_TRY_VOID(stmt->Bind(1, *now));
      std::int64_t freed = 0;
      while (true) {
        BLAZE_TRY(bool row, stmt->Step());
        if (!row) break;
        victims.push_back({stmt->ColumnInt(0), stmt->ColumnInt(1)});
        freed += victims.back().size;
        if (!now && *total - freed + needed <= options_.max_bytes) break;
      }
    }
    BLAZE_TRY(auto del, db.Prepare("DELETE FROM entries WHERE rowid = ?1"));
    for (const Victim& v : victims) {
      BLAZE_TRY_VOID(del->Bind(1, v.rowid));
      BLAZE_TRY_VOID(del->Step());
      BLAZE_TRY_VOID(del->Reset());
      *total -= v.size;
    }
    return static_cast<int>(victims.size());
  };
  BLAZE_TRY_VOID(drop(
      "SELECT rowid, size FROM entries WHERE expires_at <= ?1 LIMIT " + std::to_string(kPurgeBatch),
      Millis(options_.clock->Now())));
  if (*total + needed <= options_.max_bytes) return Ok();
  BLAZE_TRY(int evicted,
            drop("SELECT rowid, size FROM entries ORDER BY stored_at, rowid", std::nullopt));
  log::Debug("cache.evicted", {{"entries", evicted}, {"total_bytes", *total}});
  return Ok();
}

Result<std::optional<StoredResponse>> CacheService::Match(std::string_view cache,
                                                          std::string_view url) {
  BLAZE_TRY_VOID(ValidateCacheName(cache));
  std::string_view key = CacheKey(url);
  std::lock_guard lock(mu_);
  BLAZE_TRY(sqlite::Database * db, Db());
  std::optional<StoredResponse> out;
  std::int64_t expired_size = -1;
  {
    BLAZE_TRY(auto stmt,
              db->Prepare("SELECT status, headers, body, initial_age, stored_at, expires_at, "
                          "size FROM entries WHERE cache = ?1 AND url = ?2"));
    BLAZE_TRY_VOID(Bind(*stmt, 1, cache, key));
    BLAZE_TRY(bool found, stmt->Step());
    if (found && stmt->ColumnInt(5) > Millis(options_.clock->Now())) {
      StoredResponse r;
      r.status = static_cast<int>(stmt->ColumnInt(0));
      r.headers = HeadersFromJson(stmt->ColumnText(1));
      const void* body = sqlite3_column_blob(stmt->raw(), 2);
      int body_size = sqlite3_column_bytes(stmt->raw(), 2);
      if (body) r.body.assign(static_cast<const char*>(body), static_cast<std::size_t>(body_size));
      r.initial_age = stmt->ColumnInt(3);
      r.stored_at = FromMillis(stmt->ColumnInt(4));
      r.expires_at = FromMillis(stmt->ColumnInt(5));
      out = std::move(r);
    } else if (found) {
      expired_size = stmt->ColumnInt(6);
    }
  }
  if (expired_size >= 0) {  // met an expired entry: it goes now
    BLAZE_TRY(auto del, db->Prepare("DELETE FROM entries WHERE cache = ?1 AND url = ?2"));
    BLAZE_TRY_VOID(Bind(*del, 1, cache, key));
    BLAZE_TRY_VOID(del->Step());
    total_bytes_ -= expired_size;
  }
  (out ? hits_ : misses_).fetch_add(1, std::memory_order_relaxed);
  return out;
}

Result<bool> CacheService::Delete(std::string_view cache, std::string_view url) {
  BLAZE_TRY_VOID(ValidateCacheName(cache));
  std::string_view key = CacheKey(url);
  std::lock_guard lock(mu_);
  BLAZE_TRY(sqlite::Database * db, Db());
  BLAZE_TRY(auto stmt, db->Prepare("DELETE FROM entries WHERE cache = ?1 AND url = ?2 "
                                   "RETURNING size, expires_at"));
  BLAZE_TRY_VOID(Bind(*stmt, 1, cache, key));
  BLAZE_TRY(bool found, stmt->Step());
  if (!found) return false;
  std::int64_t size = stmt->ColumnInt(0);
  bool fresh = stmt->ColumnInt(1) > Millis(options_.clock->Now());
  BLAZE_TRY(bool more, stmt->Step());  // finishes the statement (the delete commits)
  (void)more;
  total_bytes_ -= size;
  return fresh;
}

CacheStats CacheService::Stats() const {
  return {hits_.load(std::memory_order_relaxed), misses_.load(std::memory_order_relaxed)};
}

Result<std::int64_t> CacheService::TotalBytes() {
  std::lock_guard lock(mu_);
  BLAZE_TRY_VOID(Db());
  return total_bytes_;
}

}  // namespace blaze::cache
