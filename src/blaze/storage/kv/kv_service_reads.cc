// KvService's reads: Get (through this thread's ReadCache), List (pages and their cursors) and
// Scan (`kv export`).
#include <algorithm>
#include <chrono>

#include "blaze/base/base64.h"
#include "blaze/storage/kv/kv_service.h"
#include "blaze/storage/kv/kv_service_state.h"

namespace blaze::kv {
namespace {

std::string ColumnBytes(sqlite::Statement& stmt, int i) {
  const void* p = sqlite3_column_blob(stmt.raw(), i);
  int n = sqlite3_column_bytes(stmt.raw(), i);
  return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

std::optional<std::int64_t> ColumnOptionalInt(sqlite::Statement& stmt, int i) {
  if (sqlite3_column_type(stmt.raw(), i) == SQLITE_NULL) return std::nullopt;
  return stmt.ColumnInt(i);
}

std::optional<std::string> ColumnOptionalText(sqlite::Statement& stmt, int i) {
  if (sqlite3_column_type(stmt.raw(), i) == SQLITE_NULL) return std::nullopt;
  return stmt.ColumnText(i);
}

// The smallest byte string greater than every string starting with `prefix`; nullopt when
// there is none (empty prefix, or all 0xFF bytes).
std::optional<std::string> PrefixEnd(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<unsigned char>(end.back()) == 0xFF) end.pop_back();
  if (end.empty()) return std::nullopt;
  end.back() = static_cast<char>(static_cast<unsigned char>(end.back()) + 1);
  return end;
}

}  // namespace

Result<std::optional<KvEntry>> KvService::Get(const std::string& ns, std::string_view key,
                                              const GetOptions& options) {
  BLAZE_TRY_VOID(ValidateKey(options.op, key));
  BLAZE_TRY_VOID(ValidateCacheTtl(options.cache_ttl));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  NoticeExternalWrites(*handle);
  ReadCache& cache = Local().cache;
  const std::int64_t now_s = NowSeconds();
  const Clock::MonoTime now = options_.clock->Monotonic();
  const NamespaceState& state = *handle->state;
  // Loaded before the read: a write committed after it bumps past this value.
  const std::uint64_t generation = state.generation.load(std::memory_order_acquire);
  if (const CachedRead* c = cache.Find(ns, key);
      c && c->incarnation == state.incarnation && c->generation == generation &&
      now < c->fresh_until && !(c->expiration && *c->expiration <= now_s)) {
    hits_.fetch_add(1, std::memory_order_relaxed);
    if (!c->found) return std::optional<KvEntry>();
    return std::optional<KvEntry>(KvEntry{c->value, c->expiration, c->metadata});
  }
  misses_.fetch_add(1, std::memory_order_relaxed);

  sqlite::Database& db = *handle->db;
  BLAZE_TRY(auto stmt, db.Prepare("SELECT value, expiration, metadata FROM kv WHERE key = ?1 AND "
                                  "(expiration IS NULL OR expiration > ?2)"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 2, now_s)));
  BLAZE_TRY(bool row, stmt->Step());
  CachedRead read;
  read.found = row;
  read.incarnation = state.incarnation;
  read.generation = generation;
  // A cacheTtl past a day buys nothing here (writes invalidate anyway) and must not overflow.
  constexpr std::int64_t kMaxCacheTtl = 24 * 3600;
  read.fresh_until = now + std::chrono::seconds(std::min(
                               options.cache_ttl.value_or(kDefaultCacheTtl), kMaxCacheTtl));
  std::optional<KvEntry> out;
  if (row) {
    out = KvEntry{ColumnBytes(*stmt, 0), ColumnOptionalInt(*stmt, 1), ColumnOptionalText(*stmt, 2)};
  }
  if (!row || out->value.size() <= options_.max_cached_value_bytes) {
    if (row) {
      read.value = out->value;
      read.expiration = out->expiration;
      read.metadata = out->metadata;
    }
    cache.Insert(ns, key, std::move(read));
  } else {
    cache.Erase(ns, key);
  }
  return out;
}

Result<ListPage> KvService::List(const std::string& ns, const ListOptions& options) {
  BLAZE_TRY(std::int64_t limit, ResolveListLimit(options.limit));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  sqlite::Database& db = *handle->db;
  // Keys after the cursor's: key > c is key >= c + "\0" for byte strings.
  std::string lower = options.prefix;
  if (!options.cursor.empty()) {
    std::string after = Base64DecodeLenient(options.cursor);
    after.push_back('\0');
    if (after > lower) lower = std::move(after);
  }
  std::optional<std::string> upper = PrefixEnd(options.prefix);
  BLAZE_TRY(auto stmt,
            db.Prepare(upper ? "SELECT key, expiration, metadata FROM kv WHERE key >= ?1 AND "
                               "key < ?4 AND (expiration IS NULL OR expiration > ?2) ORDER BY key "
                               "LIMIT ?3"
                             : "SELECT key, expiration, metadata FROM kv WHERE key >= ?1 AND "
                               "(expiration IS NULL OR expiration > ?2) ORDER BY key LIMIT ?3"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, lower));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 2, NowSeconds())));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 3, limit + 1)));
  if (upper) BLAZE_TRY_VOID(BindText(db, *stmt, 4, *upper));
  ListPage page;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    page.keys.push_back(
        {stmt->ColumnText(0), ColumnOptionalInt(*stmt, 1), ColumnOptionalText(*stmt, 2)});
  }
  if (static_cast<std::int64_t>(page.keys.size()) > limit) {
    page.keys.pop_back();
    page.list_complete = false;
    page.cursor = Base64Encode(page.keys.back().name);
  }
  return page;
}

Status KvService::Scan(const std::string& ns,
                       const std::function<Status(std::string_view, const KvEntry&)>& visit) {
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  sqlite::Database& db = *handle->db;
  BLAZE_TRY(auto stmt, db.Prepare("SELECT key, value, expiration, metadata FROM kv WHERE "
                                  "expiration IS NULL OR expiration > ?1 ORDER BY key"));
  BLAZE_TRY_VOID(Check(db, sqlite3_bind_int64(stmt->raw(), 1, NowSeconds())));
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) return Ok();
    KvEntry entry{ColumnBytes(*stmt, 1), ColumnOptionalInt(*stmt, 2), ColumnOptionalText(*stmt, 3)};
    BLAZE_TRY_VOID(visit(stmt->ColumnText(0), entry));
  }
}

}  // namespace blaze::kv
