// KvService's writes: Put, PutMany, Delete, DeleteMany, each bumping its namespace's write
// generation after the commit, and the purge of expired rows that puts trigger.
#include <functional>

#include "blaze/base/log.h"
#include "blaze/storage/kv/kv_service.h"
#include "blaze/storage/kv/kv_service_state.h"

namespace blaze::kv {
namespace {

constexpr std::int64_t kPurgeEverySeconds = 60;

Status BindBlob(sqlite::Database& db, sqlite::Statement& stmt, int i, std::string_view bytes) {
  // A zero-length blob still needs a non-null pointer to be a blob rather than NULL.
  static const char kEmpty = 0;
  return Check(db, sqlite3_bind_blob64(stmt.raw(), i, bytes.empty() ? &kEmpty : bytes.data(),
                                       bytes.size(), SQLITE_STATIC));
}

Status BindOptionalInt(sqlite::Database& db, sqlite::Statement& stmt, int i,
                       std::optional<std::int64_t> v) {
  return Check(db, v ? sqlite3_bind_int64(stmt.raw(), i, *v) : sqlite3_bind_null(stmt.raw(), i));
}

Status BindOptionalText(sqlite::Database& db, sqlite::Statement& stmt, int i,
                        const std::optional<std::string>& v) {
  if (!v) return Check(db, sqlite3_bind_null(stmt.raw(), i));
  return BindText(db, stmt, i, *v);
}

// Commits what `body` did in one transaction, or rolls all of it back.
Status InTransaction(sqlite::Database& db, const std::function<Status()>& body) {
  BLAZE_TRY_VOID(db.Exec("BEGIN IMMEDIATE"));
  Status s = body();
  if (s.has_value()) s = db.Exec("COMMIT");
  if (!s.has_value() && db.InTransaction()) (void)db.Exec("ROLLBACK");
  return s;
}

// The expiration a write asks for, after every check a put makes.
Result<std::optional<std::int64_t>> CheckWrite(std::string_view key, std::size_t value_size,
                                               const PutOptions& options, std::int64_t now_s) {
  BLAZE_TRY_VOID(ValidateKey(Op::kPut, key));
  BLAZE_TRY_VOID(ValidateValueSize(value_size));
  if (options.metadata) BLAZE_TRY_VOID(ValidateMetadata(*options.metadata));
  return ResolveExpiration(options.expiration, options.expiration_ttl, now_s);
}

Status UpsertRow(sqlite::Database& db, std::string_view key, std::string_view value,
                 std::optional<std::int64_t> expiration,
                 const std::optional<std::string>& metadata) {
  BLAZE_TRY(auto stmt, db.Prepare("INSERT INTO kv(key, value, expiration, metadata) VALUES "
                                  "(?1, ?2, ?3, ?4) ON CONFLICT(key) DO UPDATE SET value = "
                                  "excluded.value, expiration = excluded.expiration, metadata = "
                                  "excluded.metadata"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY_VOID(BindBlob(db, *stmt, 2, value));
  BLAZE_TRY_VOID(BindOptionalInt(db, *stmt, 3, expiration));
  BLAZE_TRY_VOID(BindOptionalText(db, *stmt, 4, metadata));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return Ok();
}

Result<std::int64_t> DeleteRow(sqlite::Database& db, std::string_view key) {
  BLAZE_TRY(auto stmt, db.Prepare("DELETE FROM kv WHERE key = ?1"));
  BLAZE_TRY_VOID(BindText(db, *stmt, 1, key));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return db.Changes();
}

}  // namespace

// Expired rows are invisible already; removing them only gives the space back, so it is done
// at most once a minute per thread and namespace, and a failure only warns.
void KvService::Purge(Handle& handle, std::int64_t now_s) {
  if (now_s < handle.next_purge_s) return;
  handle.next_purge_s = now_s + kPurgeEverySeconds;
  auto stmt =
      handle.db->Prepare("DELETE FROM kv WHERE expiration IS NOT NULL AND expiration <= ?1");
  Status s = stmt.has_value() ? Check(*handle.db, sqlite3_bind_int64((*stmt)->raw(), 1, now_s))
                              : Fail(stmt.error());
  if (s.has_value()) {
    auto step = (*stmt)->Step();
    if (!step.has_value()) s = Fail(step.error());
  }
  if (!s.has_value()) {
    log::Warn("kv.purge_failed", {{"path", handle.db->path()}, {"error", s.error().ToString()}});
  }
}

Status KvService::Put(const std::string& ns, std::string_view key, std::string_view value,
                      const PutOptions& options) {
  const std::int64_t now_s = NowSeconds();
  BLAZE_TRY(auto expiration, CheckWrite(key, value.size(), options, now_s));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  Purge(*handle, now_s);
  BLAZE_TRY_VOID(UpsertRow(*handle->db, key, value, expiration, options.metadata));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::PutMany(const std::string& ns, const std::vector<KvWrite>& writes) {
  const std::int64_t now_s = NowSeconds();
  std::vector<std::optional<std::int64_t>> expirations;
  expirations.reserve(writes.size());
  for (const KvWrite& w : writes) {
    BLAZE_TRY(auto expiration, CheckWrite(w.key, w.value.size(), w.options, now_s));
    expirations.push_back(expiration);
  }
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  Purge(*handle, now_s);
  BLAZE_TRY_VOID(InTransaction(*handle->db, [&]() -> Status {
    for (std::size_t i = 0; i < writes.size(); ++i) {
      const KvWrite& w = writes[i];
      BLAZE_TRY_VOID(UpsertRow(*handle->db, w.key, w.value, expirations[i], w.options.metadata));
    }
    return Ok();
  }));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::Delete(const std::string& ns, std::string_view key) {
  BLAZE_TRY_VOID(ValidateKey(Op::kDelete, key));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  BLAZE_TRY(std::int64_t changes, DeleteRow(*handle->db, key));
  if (changes > 0) handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

Status KvService::DeleteMany(const std::string& ns, const std::vector<std::string>& keys) {
  for (const auto& key : keys) BLAZE_TRY_VOID(ValidateKey(Op::kDelete, key));
  BLAZE_TRY(Handle * handle, HandleFor(ns));
  BLAZE_TRY_VOID(InTransaction(*handle->db, [&]() -> Status {
    for (const auto& key : keys) BLAZE_TRY_VOID(DeleteRow(*handle->db, key));
    return Ok();
  }));
  handle->state->generation.fetch_add(1, std::memory_order_acq_rel);
  return Ok();
}

}  // namespace blaze::kv
