#include "blaze/storage/d1/migrations.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>

#include "blaze/base/log.h"
#include "blaze/storage/d1/executor.h"

namespace blaze::d1 {
namespace {

bool IsMigrationFile(const std::string& name) {
  return name.size() > 4 && name.compare(name.size() - 4, 4, ".sql") == 0;
}

int NumberOf(const std::string& name) {
  int n = 0;
  for (char c : name) {
    if (!std::isdigit(static_cast<unsigned char>(c))) break;
    n = n * 10 + (c - '0');
    if (n > 1000000) break;
  }
  return n;
}

Result<std::set<std::string>> AppliedNames(sqlite::Database& db) {
  BLAZE_TRY_VOID(db.Exec(kMigrationsTable));
  BLAZE_TRY(auto stmt, db.Prepare("SELECT name FROM d1_migrations"));
  std::set<std::string> names;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    names.insert(stmt->ColumnText(0));
  }
  return names;
}

Status ApplyOne(sqlite::Database& db, const MigrationFile& file, const std::string& sql,
                const Clock& clock) {
  BLAZE_TRY_VOID(db.Exec("BEGIN IMMEDIATE"));
  auto run = [&]() -> Status {
    BLAZE_TRY_VOID(ExecuteScript(db, sql, clock, TransactionMode::kCallerOwned));
    BLAZE_TRY(auto ins, db.Prepare("INSERT INTO d1_migrations(name, applied_at) VALUES (?1, ?2)"));
    std::vector<sqlite::Value> args = {file.name, FormatSqlTimestamp(clock.Now())};
    BLAZE_TRY_VOID(ins->BindAll(args));
    BLAZE_TRY_VOID(ins->Step());
    return db.Exec("COMMIT");
  };
  Status s = run();
  if (!s.has_value() && db.InTransaction()) (void)db.Exec("ROLLBACK");
  return s;
}

}  // namespace

Result<MigrationFile> CreateMigrationFile(fs::Env& env, const std::string& dir,
                                          const std::string& message, const Clock& clock) {
  std::string slug;
  for (char c : message) slug += c == ' ' ? '_' : c;
  if (slug.empty() || slug.find('/') != std::string::npos || slug.find("..") != std::string::npos) {
    return Fail(InvalidArgument("invalid migration message '" + message +
                                "': it becomes part of a file name"));
  }
  BLAZE_TRY_VOID(env.CreateDirs(dir));
  BLAZE_TRY(auto entries, env.ListDir(dir));
  int highest = 0;
  for (const auto& e : entries) {
    if (IsMigrationFile(e.name)) highest = std::max(highest, NumberOf(e.name));
  }
  char number[16];
  std::snprintf(number, sizeof number, "%04d", highest + 1);
  MigrationFile file{std::string(number) + "_" + slug + ".sql", ""};
  file.path = fs::JoinPath(dir, file.name);
  std::string header =
      "-- Migration number: " + std::string(number) + " \t " + FormatIso8601(clock.Now()) + "\n";
  BLAZE_TRY_VOID(fs::WriteFileAtomically(env, file.path, header));
  return file;
}

Result<std::vector<MigrationFile>> ListMigrationFiles(fs::Env& env, const std::string& dir) {
  BLAZE_TRY(bool exists, env.Exists(dir));
  if (!exists) {
    return Fail(NotFound("no migrations folder at " + dir +
                         " (`blaze d1 migrations create DATABASE MESSAGE` makes one)"));
  }
  BLAZE_TRY(auto entries, env.ListDir(dir));
  std::vector<MigrationFile> out;
  for (const auto& e : entries) {
    if (!e.is_dir && IsMigrationFile(e.name)) out.push_back({e.name, fs::JoinPath(dir, e.name)});
  }
  return out;
}

Result<std::vector<MigrationFile>> Migrator::Pending(const std::string& database,
                                                     const std::string& dir) {
  BLAZE_TRY(DatabaseInfo info, d1_.Find(database));
  BLAZE_TRY(auto files, ListMigrationFiles(d1_.env(), dir));
  BLAZE_TRY(auto conn, d1_.Connect(info));
  BLAZE_TRY(auto applied, AppliedNames(*conn));
  std::erase_if(files, [&](const MigrationFile& f) { return applied.contains(f.name); });
  return files;
}

Result<ApplyReport> Migrator::Apply(const std::string& database, const std::string& dir) {
  ApplyReport report;
  BLAZE_TRY(report.pending, Pending(database, dir));
  if (report.pending.empty()) return report;
  BLAZE_TRY(report.backup,
            backups_.Create(database, "pre-migrations-" + FormatIso8601(d1_.clock().Now())));
  BLAZE_TRY(DatabaseInfo info, d1_.Find(database));
  BLAZE_TRY(auto conn, d1_.Connect(info));
  for (const auto& file : report.pending) {
    BLAZE_TRY(std::string sql, fs::ReadFile(d1_.env(), file.path));
    Status s = ApplyOne(*conn, file, sql, d1_.clock());
    if (!s.has_value()) {
      report.failed = file.name;
      report.error = s.error();
      log::Warn("d1.migration.failed", {{"db", info.name}, {"file", file.name}});
      break;
    }
    report.applied.push_back(file.name);
  }
  return report;
}

}  // namespace blaze::d1
