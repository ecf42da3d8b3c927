// Database: an RAII SQLite connection with the settings every Blaze database uses — WAL mode,
// synchronous=NORMAL, foreign keys on (as D1), a busy timeout — plus a prepared-statement cache,
// typed binding and a per-statement time limit enforced through the progress handler.
//
// Ownership: one Database belongs to one thread (one core) at a time; it is not thread-safe.
// Errors: SQLite result codes become Errors by ErrorFromSqlite (see there for the mapping);
// messages are SQLite's own ("no such table: x").
#pragma once

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/storage/sqlite/value.h"

namespace blaze::sqlite {

// Maps a SQLite result code to an Error carrying SQLite's message:
// SQLITE_CONSTRAINT → FailedPrecondition, BUSY/LOCKED → Unavailable, FULL → ResourceExhausted,
// INTERRUPT → DeadlineExceeded, CORRUPT/NOTADB → DataLoss, READONLY/PERM/AUTH → PermissionDenied,
// CANTOPEN → NotFound, TOOBIG/RANGE/MISMATCH/ERROR → InvalidArgument, IOERR and others → Unavailable.
Error ErrorFromSqlite(int rc, std::string message);

class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Parameters are 1-based, as in SQLite.
  Status Bind(int index, const Value& value);
  Status BindAll(std::span<const Value> values);  // binds ?1..?N; count must match
  int ParameterCount() const { return sqlite3_bind_parameter_count(stmt_); }

  // true: a row is ready; false: done.
  Result<bool> Step();
  Status Reset();  // also clears bindings

  int ColumnCount() const { return sqlite3_column_count(stmt_); }
  std::string ColumnName(int i) const;
  Value Column(int i) const;
  std::int64_t ColumnInt(int i) const { return sqlite3_column_int64(stmt_, i); }
  std::string ColumnText(int i) const;

  bool ReadOnly() const { return sqlite3_stmt_readonly(stmt_) != 0; }
  bool leased() const { return leased_; }
  std::string_view Sql() const { return sqlite3_sql(stmt_); }
  // Rows visited by full scans and sorts so far (for D1's rows_read estimate).
  int ScanSteps() const;
  sqlite3_stmt* raw() { return stmt_; }

 private:
  friend class CachedStatement;
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  bool leased_ = false;
};

// A statement borrowed from a Database's cache for one use. When the lease ends the statement
// is reset and its bindings cleared, so a statement stopped on a row never keeps a read
// snapshot open; a leased statement is never evicted from the cache.
class CachedStatement {
 public:
  explicit CachedStatement(Statement* stmt) : stmt_(stmt) { stmt_->leased_ = true; }
  CachedStatement(CachedStatement&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)) {}
  CachedStatement& operator=(CachedStatement&&) = delete;
  ~CachedStatement() {
    if (!stmt_) return;
    stmt_->leased_ = false;
    (void)stmt_->Reset();
  }

  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }
  Statement* get() const { return stmt_; }

 private:
  Statement* stmt_;
};

struct OpenOptions {
  enum class Mode { kReadWriteCreate, kReadWrite, kReadOnly };
  Mode mode = Mode::kReadWriteCreate;
  bool wal = true;                  // journal_mode=WAL (not for read-only opens)
  int busy_timeout_ms = 5000;
  const char* vfs = nullptr;        // nullptr = SQLite's default; tests pass FaultyVfs's name
  std::size_t statement_cache_size = 64;
};

class Database {
 public:
  static Result<std::unique_ptr<Database>> Open(const std::string& path, const OpenOptions& opts);
  // An empty private database held in one contiguous buffer (SQLite's memdb VFS): a place to
  // take a snapshot and read it back without touching the disk.
  static Result<std::unique_ptr<Database>> OpenInMemory();
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Lends a cached statement, reset and with bindings cleared; it is reset again when the lease
  // ends. Preparing the same SQL while a lease on it is held resets it under the first lease:
  // use one lease per SQL text at a time.
  Result<CachedStatement> Prepare(std::string_view sql);
  // Prepares the first statement of `sql`; `*tail` is set past it. nullptr (with Ok) when `sql`
  // holds only whitespace and comments.
  Result<std::unique_ptr<Statement>> PrepareNext(std::string_view sql, std::size_t* consumed);

  // Runs statements that return no rows (schema, pragmas, BEGIN/COMMIT).
  Status Exec(std::string_view sql);
  // One integer from the first column of the first row (PRAGMA page_count, COUNT(*)).
  Result<std::int64_t> QueryInt(std::string_view sql);

  // A policy over the SQL users write (D1's: d1/sql_policy.h). SQLite consults it for each
  // action as a statement is prepared, and again when it re-prepares one after a schema change
  // (sqlite3_set_authorizer); false fails the prepare with "not authorized" (SQLITE_AUTH).
  // Prepare and PrepareNext are what users' SQL goes through; Blaze's own statements — Exec,
  // QueryInt, SizeBytes — are exempt and cached apart, so a user's statement of the same text
  // is still checked. Never pass users' SQL to Exec or QueryInt.
  using SqlPolicy = bool (*)(int action, const char* arg1, const char* arg2);
  void SetSqlPolicy(SqlPolicy policy);

  // Statements started after this run at most `limit`, measured on `clock`; past it they stop
  // with DeadlineExceeded. nullopt removes the limit.
  void SetTimeLimit(const Clock& clock, std::optional<std::chrono::milliseconds> limit);
  // Starts the limit's countdown for the next statement.
  void ArmDeadline();

  std::int64_t Changes() const { return sqlite3_changes64(db_); }
  std::int64_t TotalChanges() const { return sqlite3_total_changes64(db_); }
  std::int64_t LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
  bool InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }
  // page_count * page_size.
  Result<std::int64_t> SizeBytes();
  // A copy of the main database's bytes, as a file of it would hold them (sqlite3_serialize).
  Result<std::string> Serialize();
  // The bytes of a database opened with OpenInMemory, without a copy. Valid until the next
  // write to it. FailedPrecondition for other databases.
  Result<std::string_view> InMemoryBytes();
  const std::string& path() const { return path_; }
  sqlite3* raw() { return db_; }

  // The last error on this connection as an Error.
  Error LastError(int rc) const;

 private:
  Database(sqlite3* db, std::string path, std::size_t cache_size)
      : db_(db), path_(std::move(path)), cache_size_(cache_size) {}
  static int OnProgress(void* self);
  static int Authorize(void* self, int action, const char* arg1, const char* arg2,
                       const char* schema, const char* trigger);
  Result<CachedStatement> PrepareCached(std::string_view sql, bool own);

  // While > 0 (inside Exec, QueryInt), statements are Blaze's own and the policy is not asked.
  class OwnStatements {
   public:
    explicit OwnStatements(Database& db) : db_(db) { ++db_.own_; }
    ~OwnStatements() { --db_.own_; }
    OwnStatements(const OwnStatements&) = delete;
    OwnStatements& operator=(const OwnStatements&) = delete;

   private:
    Database& db_;
  };

  sqlite3* db_;
  std::string path_;
  std::size_t cache_size_;
  // LRU: most recently used at the front.
  std::list<std::pair<std::string, std::unique_ptr<Statement>>> cache_;
  std::unordered_map<std::string_view, decltype(cache_)::iterator> cache_index_;

  const Clock* clock_ = nullptr;
  std::optional<std::chrono::milliseconds> limit_;
  Clock::MonoTime deadline_{};
  bool deadline_hit_ = false;
  SqlPolicy policy_ = nullptr;
  int own_ = 0;
};

// Copies every page of `from` into `to` with SQLite's online backup API (a consistent snapshot
// even while others write to `from`). `to`'s previous contents are replaced in one transaction,
// so on any error `to` keeps what it had.
Status CopyDatabase(Database& from, Database& to);

}  // namespace blaze::sqlite
