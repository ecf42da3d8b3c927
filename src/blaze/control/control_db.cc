#include "blaze/control/control_db.h"

#include "blaze/storage/fs/env.h"

namespace blaze::control {
namespace {

// Version 1 of the control tables. Later versions add statements guarded by control_meta's
// schema_version; a table is never rewritten in place.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS control_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL);
INSERT OR IGNORE INTO control_meta(key, value) VALUES ('schema_version', '1');

CREATE TABLE IF NOT EXISTS workers (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS module_blobs (
  sha256 TEXT PRIMARY KEY,
  size INTEGER NOT NULL,
  data BLOB NOT NULL);

CREATE TABLE IF NOT EXISTS versions (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  worker TEXT NOT NULL REFERENCES workers(name),
  number INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  message TEXT NOT NULL,
  tag TEXT NOT NULL,
  source TEXT NOT NULL,
  main_module TEXT NOT NULL,
  config TEXT NOT NULL,
  UNIQUE (worker, number));

CREATE TABLE IF NOT EXISTS version_modules (
  version_id TEXT NOT NULL REFERENCES versions(id),
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES module_blobs(sha256),
  size INTEGER NOT NULL,
  PRIMARY KEY (version_id, path));

CREATE TABLE IF NOT EXISTS secret_values (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  worker TEXT NOT NULL,
  name TEXT NOT NULL,
  nonce BLOB NOT NULL,
  ciphertext BLOB NOT NULL,
  created_at TEXT NOT NULL);

CREATE TABLE IF NOT EXISTS secrets (
  worker TEXT NOT NULL,
  name TEXT NOT NULL,
  value_id INTEGER NOT NULL REFERENCES secret_values(id),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (worker, name));

CREATE TABLE IF NOT EXISTS version_secrets (
  version_id TEXT NOT NULL REFERENCES versions(id),
  name TEXT NOT NULL,
  value_id INTEGER NOT NULL REFERENCES secret_values(id),
  PRIMARY KEY (version_id, name));

CREATE TABLE IF NOT EXISTS deployments (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  worker TEXT NOT NULL REFERENCES workers(name),
  created_at TEXT NOT NULL,
  author TEXT NOT NULL,
  message TEXT NOT NULL,
  source TEXT NOT NULL,
  strategy TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS deployments_by_worker ON deployments(worker, seq);

CREATE TABLE IF NOT EXISTS deployment_versions (
  deployment_id TEXT NOT NULL REFERENCES deployments(id),
  position INTEGER NOT NULL,
  version_id TEXT NOT NULL REFERENCES versions(id),
  percentage REAL NOT NULL,
  PRIMARY KEY (deployment_id, position));

CREATE TABLE IF NOT EXISTS tokens (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  scopes TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at TEXT,
  last_used_ms INTEGER,
  revoked_at TEXT);

CREATE TABLE IF NOT EXISTS audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  time TEXT NOT NULL,
  time_ms INTEGER NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  detail TEXT NOT NULL);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
)sql";

}  // namespace

Result<std::unique_ptr<ControlDb>> ControlDb::Open(const std::string& data_dir, const char* vfs) {
  auto env = fs::NewPosixEnv();
  BLAZE_TRY_VOID(env->CreateDirs(data_dir));
  sqlite::OpenOptions options;
  options.vfs = vfs;
  BLAZE_TRY(auto db, sqlite::Database::Open(fs::JoinPath(data_dir, "control.db"), options));
  BLAZE_TRY_VOID(db->Exec("BEGIN IMMEDIATE"));
  auto schema = db->Exec(kSchema);
  if (!schema.has_value()) {
    (void)db->Exec("ROLLBACK");
    return Fail(schema.error().WithContext("control.db schema"));
  }
  BLAZE_TRY_VOID(db->Exec("COMMIT"));
  return std::unique_ptr<ControlDb>(new ControlDb(data_dir, std::move(db)));
}

Status ControlDb::Begin() {
  if (depth_ == 0) {
    BLAZE_TRY_VOID(db_->Exec("BEGIN IMMEDIATE"));
  } else {
    BLAZE_TRY_VOID(db_->Exec("SAVEPOINT nested_" + std::to_string(depth_)));
  }
  ++depth_;
  return Ok();
}

Status ControlDb::Finish(bool ok) {
  --depth_;
  if (depth_ > 0) {
    std::string name = "nested_" + std::to_string(depth_);
    if (!ok) (void)db_->Exec("ROLLBACK TO " + name);
    return db_->Exec("RELEASE " + name);
  }
  if (!ok) {
    (void)db_->Exec("ROLLBACK");
    return Ok();
  }
  auto committed = db_->Exec("COMMIT");
  if (!committed.has_value()) (void)db_->Exec("ROLLBACK");
  return committed;
}

Status Exec(sqlite::Database& db, std::string_view sql, const std::vector<sqlite::Value>& args) {
  BLAZE_TRY(auto stmt, db.Prepare(sql));
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  (void)row;
  return Ok();
}

Status Query(sqlite::Database& db, std::string_view sql, const std::vector<sqlite::Value>& args,
             const std::function<Status(sqlite::Statement&)>& row) {
  BLAZE_TRY(auto stmt, db.Prepare(sql));
  BLAZE_TRY_VOID(stmt->BindAll(args));
  while (true) {
    BLAZE_TRY(bool has_row, stmt->Step());
    if (!has_row) return Ok();
    BLAZE_TRY_VOID(row(*stmt));
  }
}

namespace {

// A lease on `sql` stepped to its first row; nullopt when it returns none.
Result<std::optional<sqlite::CachedStatement>> FirstRow(sqlite::Database& db, std::string_view sql,
                                                        const std::vector<sqlite::Value>& args) {
  BLAZE_TRY(auto stmt, db.Prepare(sql));
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool has_row, stmt->Step());
  if (!has_row) return std::optional<sqlite::CachedStatement>();
  return std::optional<sqlite::CachedStatement>(std::move(stmt));
}

}  // namespace

Result<std::optional<std::int64_t>> QueryFirstInt(sqlite::Database& db, std::string_view sql,
                                                  const std::vector<sqlite::Value>& args) {
  BLAZE_TRY(auto row, FirstRow(db, sql, args));
  if (!row) return std::optional<std::int64_t>();
  return std::optional<std::int64_t>((*row)->ColumnInt(0));
}

Result<std::optional<std::string>> QueryFirstText(sqlite::Database& db, std::string_view sql,
                                                  const std::vector<sqlite::Value>& args) {
  BLAZE_TRY(auto row, FirstRow(db, sql, args));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>((*row)->ColumnText(0));
}

std::optional<std::string> OptionalText(sqlite::Statement& stmt, int column) {
  if (sqlite::IsNull(stmt.Column(column))) return std::nullopt;
  return stmt.ColumnText(column);
}

sqlite::Value TextOrNull(const std::optional<std::string>& text) {
  if (!text) return sqlite::Null{};
  return *text;
}

}  // namespace blaze::control
