#include "blaze/storage/sqlite/database.h"

#include <cstring>

namespace blaze::sqlite {

Error ErrorFromSqlite(int rc, std::string message) {
  switch (rc & 0xFF) {
    case SQLITE_CONSTRAINT: return FailedPrecondition(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return Unavailable(std::move(message));
    case SQLITE_FULL: return ResourceExhausted(std::move(message));
    case SQLITE_INTERRUPT: return DeadlineExceeded(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return DataLoss(std::move(message));
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH: return PermissionDenied(std::move(message));
    case SQLITE_CANTOPEN: return NotFound(std::move(message));
    case SQLITE_ERROR:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH: return InvalidArgument(std::move(message));
    case SQLITE_NOMEM: return ResourceExhausted(std::move(message));
    default: return Unavailable(std::move(message));
  }
}

// --- Statement ---------------------------------------------------------------------------------

Statement::~Statement() { sqlite3_finalize(stmt_); }

Status Statement::Bind(int index, const Value& value) {
  int rc = std::visit(
      [&](const auto& v) -> int {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, Null>) {
          return sqlite3_bind_null(stmt_, index);
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return sqlite3_bind_int64(stmt_, index, v);
        } else if constexpr (std::is_same_v<T, double>) {
          return sqlite3_bind_double(stmt_, index, v);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT,
                                     SQLITE_UTF8);
        } else {
          return sqlite3_bind_blob64(stmt_, index, v.bytes.data(), v.bytes.size(),
                                     SQLITE_TRANSIENT);
        }
      },
      value);
  if (rc != SQLITE_OK) return Fail(ErrorFromSqlite(rc, sqlite3_errmsg(db_)));
  return Ok();
}

Status Statement::BindAll(std::span<const Value> values) {
  if (static_cast<int>(values.size()) != ParameterCount()) {
    return Fail(InvalidArgument("wrong number of parameters: the statement has " +
                                std::to_string(ParameterCount()) + ", " +
                                std::to_string(values.size()) + " given"));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    BLAZE_TRY_VOID(Bind(static_cast<int>(i + 1), values[i]));
  }
  return Ok();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = sqlite3_errmsg(db_);
  if ((rc & 0xFF) == SQLITE_INTERRUPT) msg = "query exceeded its time limit (interrupted)";
  return Fail(ErrorFromSqlite(rc, std::move(msg)));
}

Status Statement::Reset() {
  sqlite3_reset(stmt_);  // its return code repeats the last Step's, already reported
  sqlite3_clear_bindings(stmt_);
  return Ok();
}

std::string Statement::ColumnName(int i) const {
  const char* name = sqlite3_column_name(stmt_, i);
  return name ? name : "";
}

Value Statement::Column(int i) const {
  switch (sqlite3_column_type(stmt_, i)) {
    case SQLITE_INTEGER: return sqlite3_column_int64(stmt_, i);
    case SQLITE_FLOAT: return sqlite3_column_double(stmt_, i);
    case SQLITE_TEXT: return ColumnText(i);
    case SQLITE_BLOB: {
      auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, i));
      int n = sqlite3_column_bytes(stmt_, i);
      return Blob{std::vector<std::uint8_t>(p, p + n)};
    }
    default: return Null{};
  }
}

std::string Statement::ColumnText(int i) const {
  auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  int n = sqlite3_column_bytes(stmt_, i);
  return p ? std::string(p, static_cast<std::size_t>(n)) : std::string();
}

int Statement::ScanSteps() const {
  return sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0) +
         sqlite3_stmt_status(stmt_, SQLITE_STMTSTATUS_SORT, 0);
}

// --- Database ----------------------------------------------------------------------------------

Result<std::unique_ptr<Database>> Database::Open(const std::string& path,
                                                 const OpenOptions& opts) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  switch (opts.mode) {
    case OpenOptions::Mode::kReadWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    case OpenOptions::Mode::kReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
    case OpenOptions::Mode::kReadOnly: flags |= SQLITE_OPEN_READONLY; break;
  }
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, opts.vfs);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
    sqlite3_close_v2(raw);
    return Fail(ErrorFromSqlite(rc, "cannot open " + path + ": " + msg));
  }
  std::unique_ptr<Database> db(new Database(raw, path, opts.statement_cache_size));
  sqlite3_busy_timeout(raw, opts.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 1);
  if (opts.mode != OpenOptions::Mode::kReadOnly) {
    // Reading the header here also turns "not a database" into an error at open time.
    std::string pragmas = "PRAGMA foreign_keys=ON;";
    if (opts.wal) pragmas += "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
    auto s = db->Exec(pragmas);
    if (!s.has_value()) return Fail(s.error().WithContext("cannot open " + path));
  } else {
    auto s = db->QueryInt("PRAGMA schema_version");
    if (!s.has_value()) return Fail(s.error().WithContext("cannot open " + path));
  }
  return db;
}

Result<std::unique_ptr<Database>> Database::OpenInMemory() {
  OpenOptions opts;
  opts.wal = false;
  opts.vfs = "memdb";
  BLAZE_TRY(auto db, Open("snapshot", opts));  // a name without '/' is private to this handle
  BLAZE_TRY_VOID(db->Exec("PRAGMA journal_mode=OFF"));
  return db;
}

Result<std::string> Database::Serialize() {
  OwnStatements own(*this);  // SQLite reads the pages with statements of its own
  sqlite3_int64 size = 0;
  unsigned char* bytes = sqlite3_serialize(db_, "main", &size, 0);
  if (!bytes) return Fail(LastError(sqlite3_errcode(db_)).WithContext("cannot serialize " + path_));
  std::string out(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(size));
  sqlite3_free(bytes);
  return out;
}

Result<std::string_view> Database::InMemoryBytes() {
  sqlite3_int64 size = 0;
  unsigned char* data = sqlite3_serialize(db_, "main", &size, SQLITE_SERIALIZE_NOCOPY);
  if (!data && size != 0) {
    return Fail(FailedPrecondition(path_ + " is not an in-memory database"));
  }
  return std::string_view(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size));
}

Database::~Database() {
  cache_index_.clear();
  cache_.clear();  // finalize statements before closing
  sqlite3_close_v2(db_);
}

Error Database::LastError(int rc) const { return ErrorFromSqlite(rc, sqlite3_errmsg(db_)); }

void Database::SetSqlPolicy(SqlPolicy policy) {
  policy_ = policy;
  sqlite3_set_authorizer(db_, policy ? &Database::Authorize : nullptr, this);
}

int Database::Authorize(void* self, int action, const char* arg1, const char* arg2,
                        const char* /*schema*/, const char* /*trigger*/) {
  auto* db = static_cast<Database*>(self);
  if (db->own_ > 0 || db->policy_ == nullptr) return SQLITE_OK;
  return db->policy_(action, arg1, arg2) ? SQLITE_OK : SQLITE_DENY;
}

Result<CachedStatement> Database::Prepare(std::string_view sql) { return PrepareCached(sql, false); }

// Under a policy, Blaze's own statements are cached under a key no SQL text has (a leading
// NUL), so a user's statement of the same text is prepared, and checked, on its own.
Result<CachedStatement> Database::PrepareCached(std::string_view sql, bool own) {
  std::string own_key;
  std::string_view key = sql;
  if (own && policy_ != nullptr) {
    own_key.reserve(sql.size() + 1);
    own_key.push_back('\0');
    own_key.append(sql);
    key = own_key;
  }
  if (auto it = cache_index_.find(key); it != cache_index_.end()) {
    cache_.splice(cache_.begin(), cache_, it->second);
    Statement* stmt = it->second->second.get();
    BLAZE_TRY_VOID(stmt->Reset());
    return CachedStatement(stmt);
  }
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, nullptr);
  if (rc != SQLITE_OK) return Fail(LastError(rc));
  if (!raw) return Fail(InvalidArgument("empty statement"));
  cache_.emplace_front(std::string(key), std::make_unique<Statement>(raw, db_));
  cache_index_[cache_.front().first] = cache_.begin();
  if (cache_.size() > cache_size_) {
    // Evict the least recently used statement that nobody holds.
    for (auto it = std::prev(cache_.end()); it != cache_.begin(); --it) {
      if (it->second->leased()) continue;
      cache_index_.erase(it->first);
      cache_.erase(it);
      break;
    }
  }
  return CachedStatement(cache_.front().second.get());
}

Result<std::unique_ptr<Statement>> Database::PrepareNext(std::string_view sql,
                                                         std::size_t* consumed) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, &tail);
  if (rc != SQLITE_OK) return Fail(LastError(rc));
  *consumed = tail ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
  if (!raw) return std::unique_ptr<Statement>();
  return std::make_unique<Statement>(raw, db_);
}

Status Database::Exec(std::string_view sql) {
  OwnStatements own(*this);
  ArmDeadline();
  std::string owned(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return Ok();
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return Fail(ErrorFromSqlite(rc, std::move(msg)));
}

Result<std::int64_t> Database::QueryInt(std::string_view sql) {
  OwnStatements own(*this);  // for the step too: SQLite may re-prepare there
  BLAZE_TRY(auto stmt, PrepareCached(sql, true));
  BLAZE_TRY(bool row, stmt->Step());
  return row ? stmt->ColumnInt(0) : 0;
}

Result<std::int64_t> Database::SizeBytes() {
  BLAZE_TRY(std::int64_t pages, QueryInt("PRAGMA page_count"));
  BLAZE_TRY(std::int64_t page_size, QueryInt("PRAGMA page_size"));
  return pages * page_size;
}

void Database::SetTimeLimit(const Clock& clock, std::optional<std::chrono::milliseconds> limit) {
  clock_ = &clock;
  limit_ = limit;
  ArmDeadline();
  sqlite3_progress_handler(db_, limit ? 1000 : 0, limit ? &Database::OnProgress : nullptr, this);
}

void Database::ArmDeadline() {
  if (clock_ && limit_) deadline_ = clock_->Monotonic() + *limit_;
}

int Database::OnProgress(void* self) {
  auto* db = static_cast<Database*>(self);
  return db->clock_->Monotonic() > db->deadline_ ? 1 : 0;
}

Status CopyDatabase(Database& from, Database& to) {
  sqlite3_backup* backup = sqlite3_backup_init(to.raw(), "main", from.raw(), "main");
  if (!backup) return Fail(to.LastError(sqlite3_errcode(to.raw())));
  int rc = sqlite3_backup_step(backup, -1);
  int finish = sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) return Fail(ErrorFromSqlite(rc, sqlite3_errmsg(to.raw())));
  if (finish != SQLITE_OK) return Fail(to.LastError(finish));
  return Ok();
}

}  // namespace blaze::sqlite
