#include "blaze/storage/d1/d1_service.h"

#include "blaze/base/log.h"
#include "blaze/storage/d1/sql_policy.h"

#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::d1 {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS d1_databases ("
    "  id TEXT PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at TEXT NOT NULL)";

DatabaseInfo RowToInfo(sqlite::Statement& stmt) {
  return {stmt.ColumnText(0), stmt.ColumnText(1), stmt.ColumnText(2)};
}

}  // namespace

Result<std::unique_ptr<D1Service>> D1Service::Open(const D1Options& options) {
  BLAZE_CHECK(options.env && options.clock && options.random);
  BLAZE_TRY_VOID(options.env->CreateDirs(fs::JoinPath(options.data_dir, "d1")));
  BLAZE_TRY(auto control,
            sqlite::Database::Open(fs::JoinPath(options.data_dir, "control.db"), {}));
  BLAZE_TRY_VOID(control->Exec(kSchema));
  return std::unique_ptr<D1Service>(new D1Service(options, std::move(control)));
}

std::string D1Service::PathOf(const DatabaseInfo& db) const {
  return fs::JoinPath(fs::JoinPath(options_.data_dir, "d1"), db.id + ".sqlite");
}

Result<DatabaseInfo> D1Service::Create(const std::string& name) {
  BLAZE_TRY_VOID(ValidateName(name, "database name"));
  return Insert(name, NewUuid(*options_.random));
}

Result<DatabaseInfo> D1Service::CreateWithId(const std::string& name, const std::string& id) {
  BLAZE_TRY_VOID(ValidateName(name, "database name"));
  if (!IsUuid(id)) return Fail(InvalidArgument("invalid database id '" + id + "'"));
  return Insert(name, id);
}

Result<DatabaseInfo> D1Service::Insert(const std::string& name, const std::string& id) {
  DatabaseInfo info{id, name, FormatIso8601(options_.clock->Now())};
  {
    std::lock_guard lock(mu_);
    BLAZE_TRY(auto stmt, control_->Prepare(
                              "INSERT INTO d1_databases(id, name, created_at) VALUES (?1, ?2, ?3)"));
    std::vector<sqlite::Value> args = {info.id, info.name, info.created_at};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    auto step = stmt->Step();
    if (!step.has_value()) {
      if (step.error().code() == ErrorCode::kFailedPrecondition) {
        return Fail(AlreadyExists("a database named '" + name + "' already exists"));
      }
      return Fail(step.error());
    }
  }
  // Create the file now, so `d1 info` and backups work on an empty database.
  auto conn = Connect(info);
  if (!conn.has_value()) {
    (void)Delete(info.id);
    return Fail(conn.error());
  }
  return info;
}

Result<std::vector<DatabaseInfo>> D1Service::List() {
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt,
            control_->Prepare("SELECT id, name, created_at FROM d1_databases ORDER BY name"));
  std::vector<DatabaseInfo> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    out.push_back(RowToInfo(*stmt));
  }
  return out;
}

Result<std::optional<DatabaseInfo>> D1Service::Lookup(const std::string& name_or_id) {
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt, control_->Prepare(
                            "SELECT id, name, created_at FROM d1_databases WHERE name = ?1 OR id = ?1"));
  std::vector<sqlite::Value> args = {name_or_id};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  if (!row) return std::optional<DatabaseInfo>();
  return std::optional<DatabaseInfo>(RowToInfo(*stmt));
}

Result<DatabaseInfo> D1Service::FindOrCreate(const std::string& name,
                                             const std::string& database_id) {
  BLAZE_TRY(auto found, Lookup(name));
  if (found) return *found;
  log::Info("d1.created_from_config", {{"db", name}});
  if (IsUuid(database_id)) return CreateWithId(name, database_id);
  return Create(name);
}

Result<DatabaseInfo> D1Service::Find(const std::string& name_or_id) {
  BLAZE_TRY(auto found, Lookup(name_or_id));
  if (!found) {
    return Fail(NotFound("database '" + name_or_id +
                         "' not found (`blaze d1 list` shows the databases; `blaze d1 create " +
                         name_or_id + "` makes it)"));
  }
  return *found;
}

Result<std::unique_ptr<sqlite::Database>> D1Service::Connect(const DatabaseInfo& db) {
  sqlite::OpenOptions opts;
  opts.vfs = options_.vfs;
  BLAZE_TRY(auto conn, sqlite::Database::Open(PathOf(db), opts));
  conn->SetTimeLimit(*options_.clock, options_.statement_time_limit);
  conn->SetSqlPolicy(&D1SqlPolicy);
  return conn;
}

Result<DatabaseStats> D1Service::Info(const std::string& name_or_id) {
  BLAZE_TRY(DatabaseInfo info, Find(name_or_id));
  BLAZE_TRY(auto conn, Connect(info));
  DatabaseStats stats{info, 0, {}};
  BLAZE_TRY(std::uint64_t main_size, options_.env->FileSize(PathOf(info)));
  stats.file_size = static_cast<std::int64_t>(main_size);
  if (auto wal = options_.env->FileSize(PathOf(info) + "-wal"); wal.has_value()) {
    stats.file_size += static_cast<std::int64_t>(*wal);
  }
  std::vector<std::string> names;
  {
    BLAZE_TRY(auto stmt, conn->Prepare(
                              "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT "
                              "LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_cf\\_%' "
                              "ESCAPE '\\' ORDER BY name"));
    while (true) {
      BLAZE_TRY(bool row, stmt->Step());
      if (!row) break;
      names.push_back(stmt->ColumnText(0));
    }
  }
  for (const auto& name : names) {
    BLAZE_TRY(std::int64_t rows,
              conn->QueryInt("SELECT count(*) FROM " + sqlite::QuoteIdentifier(name)));
    stats.tables.push_back({name, rows});
  }
  return stats;
}

Status D1Service::Delete(const std::string& name_or_id) {
  BLAZE_TRY(DatabaseInfo info, Find(name_or_id));
  {
    std::lock_guard lock(mu_);
    BLAZE_TRY(auto stmt, control_->Prepare("DELETE FROM d1_databases WHERE id = ?1"));
    std::vector<sqlite::Value> args = {info.id};
    BLAZE_TRY_VOID(stmt->BindAll(args));
    BLAZE_TRY(bool row, stmt->Step());
    (void)row;
  }
  std::string path = PathOf(info);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    auto s = options_.env->RemoveFile(path + suffix);
    if (!s.has_value() && s.error().code() != ErrorCode::kNotFound) return s;
  }
  return Ok();
}

}  // namespace blaze::d1
