// Migrations, compatible with wrangler: numbered files `NNNN_message.sql` in a folder
// (`migrations/` by default), applied in name order and recorded in the database's
// `d1_migrations(id, name, applied_at)` table — the same table wrangler creates, so a project
// can move between the two tools.
//
// Apply takes a backup first, then runs each pending file and its d1_migrations row in one
// transaction; the first failing file is rolled back, names itself, and stops the run (files
// before it stay applied, as with wrangler).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/storage/d1/backup_store.h"
#include "blaze/storage/d1/d1_service.h"

namespace blaze::d1 {

// wrangler's tracking table, made on first use (the CLI's remote migrations make it too).
inline constexpr const char* kMigrationsTable =
    "CREATE TABLE IF NOT EXISTS d1_migrations(\n"
    "\t\tid         INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "\t\tname       TEXT UNIQUE,\n"
    "\t\tapplied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL\n"
    ")";

struct MigrationFile {
  std::string name;  // "0001_add_user_preferences.sql"
  std::string path;
};

// Creates `<dir>/NNNN_<message>.sql` (NNNN = highest number present + 1; spaces in the message
// become '_'), creating `dir` if needed. Returns the new file.
Result<MigrationFile> CreateMigrationFile(fs::Env& env, const std::string& dir,
                                          const std::string& message, const Clock& clock);

// The `.sql` files of `dir`, in name order. A missing folder is NotFound.
Result<std::vector<MigrationFile>> ListMigrationFiles(fs::Env& env, const std::string& dir);

struct ApplyReport {
  std::vector<MigrationFile> pending;           // what was to be applied, in order
  std::vector<std::string> applied;             // names applied by this run
  std::optional<BackupRecord> backup;           // taken before the first migration
  std::optional<std::string> failed;            // the file that failed
  std::optional<Error> error;                   // why it failed
};

class Migrator {
 public:
  Migrator(D1Service& d1, BackupStore& backups) : d1_(d1), backups_(backups) {}

  // Files in `dir` not yet recorded in `database`'s d1_migrations (created if missing).
  Result<std::vector<MigrationFile>> Pending(const std::string& database, const std::string& dir);
  // Applies the pending files. A failing migration is reported in the ApplyReport (not as
  // the Result's error) so the caller can show what was applied before it.
  Result<ApplyReport> Apply(const std::string& database, const std::string& dir);

 private:
  D1Service& d1_;
  BackupStore& backups_;
};

}  // namespace blaze::d1
