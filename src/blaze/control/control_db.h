// ControlDb: the control plane's connection to <data-dir>/control.db and the schema of its
// tables — workers, versions and their modules, deployments, secrets, tokens and the audit log.
// D1's catalog lives in the same file behind its own connection (storage/d1); SQLite's WAL and
// busy timeout arbitrate between them.
//
// Threads: one connection guarded by a recursive mutex, so the stores built on it (VersionStore,
// SecretStore, TokenStore, AuditLog) are safe to call from any thread. Write() runs a function
// in one transaction; a Write() inside another on the same thread becomes a SAVEPOINT of the
// outer one, so a composite change (a secret, the version it creates, its audit record) commits
// or rolls back as a whole.
//
// Rule for callers: a CachedStatement lease must end before calling into another store (two
// leases on the same SQL text would share one statement).
// Errors: the storage errors of storage/sqlite (Unavailable when locked past the busy timeout,
// ResourceExhausted on a full disk, DataLoss on a corrupt file).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::control {

class ControlDb {
 public:
  // Opens (creating if needed) <data_dir>/control.db and brings the control tables up to date.
  // `vfs`: SQLite VFS name (nullptr = default); fault tests pass sqlite::FaultyVfs's.
  static Result<std::unique_ptr<ControlDb>> Open(const std::string& data_dir,
                                                 const char* vfs = nullptr);

  // Runs `fn` inside one write transaction: its result is committed when it succeeds and rolled
  // back when it fails. Nested calls on the same thread become savepoints of the outer one.
  template <typename F>
  auto Write(F&& fn) -> decltype(fn(std::declval<sqlite::Database&>()));

  // Runs `fn` with the connection to itself (for reads; each statement sees committed data).
  template <typename F>
  auto Read(F&& fn) -> decltype(fn(std::declval<sqlite::Database&>())) {
    std::lock_guard lock(mu_);
    return fn(*db_);
  }

  const std::string& data_dir() const { return data_dir_; }

 private:
  ControlDb(std::string data_dir, std::unique_ptr<sqlite::Database> db)
      : data_dir_(std::move(data_dir)), db_(std::move(db)) {}
  Status Begin();
  Status Finish(bool ok);

  std::string data_dir_;
  std::recursive_mutex mu_;
  int depth_ = 0;  // transactions and savepoints open on the owning thread
  std::unique_ptr<sqlite::Database> db_;
};

template <typename F>
auto ControlDb::Write(F&& fn) -> decltype(fn(std::declval<sqlite::Database&>())) {
  std::lock_guard lock(mu_);
  BLAZE_TRY_VOID(Begin());
  // Rolls back if `fn` throws (a bug, but the connection must stay usable).
  struct Abandon {
    ControlDb* db;
    bool armed = true;
    ~Abandon() {
      if (armed) (void)db->Finish(false);
    }
  } abandon{this};
  auto result = fn(*db_);
  abandon.armed = false;
  Status finished = Finish(result.has_value());
  if (result.has_value() && !finished.has_value()) return Fail(finished.error());
  return result;
}

// Small helpers over a connection: prepare `sql`, bind `args` as ?1..?N, and run it.
// Exec expects no rows; Query calls `row` for each row (stop early by returning an error).
Status Exec(sqlite::Database& db, std::string_view sql, const std::vector<sqlite::Value>& args);
Status Query(sqlite::Database& db, std::string_view sql, const std::vector<sqlite::Value>& args,
             const std::function<Status(sqlite::Statement&)>& row);
// The first column of the first row `sql` returns; nullopt when it returns no row.
Result<std::optional<std::int64_t>> QueryFirstInt(sqlite::Database& db, std::string_view sql,
                                                  const std::vector<sqlite::Value>& args);
Result<std::optional<std::string>> QueryFirstText(sqlite::Database& db, std::string_view sql,
                                                  const std::vector<sqlite::Value>& args);
// The text of a column that may be NULL (nullopt then).
std::optional<std::string> OptionalText(sqlite::Statement& stmt, int column);
sqlite::Value TextOrNull(const std::optional<std::string>& text);

}  // namespace blaze::control
