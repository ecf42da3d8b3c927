// D1Service: the D1 databases of one data directory. Each database is a SQLite file
// `<data-dir>/d1/<id>.sqlite`; the catalog (name ↔ id, creation time) is the `d1_databases`
// table of `<data-dir>/control.db`. The CLI's `--local` path and, later, the D1 binding and the
// admin API all go through this class.
//
// Threads: a D1Service may be shared; each connection it hands out belongs to one thread.
// Errors: InvalidArgument (bad name), NotFound (unknown database, naming how to create it),
// AlreadyExists (name taken), and the storage errors of storage/sqlite and storage/fs.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::d1 {

struct D1Options {
  std::string data_dir;
  fs::Env* env = nullptr;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  // SQLite VFS for database connections (nullptr = default); tests pass FaultyVfs's name.
  const char* vfs = nullptr;
  // Longest a single statement may run (D1 allows 30 s).
  std::chrono::milliseconds statement_time_limit{30000};
};

struct DatabaseInfo {
  std::string id;          // UUID, as Cloudflare's database_id
  std::string name;
  std::string created_at;  // ISO 8601 UTC
};

struct TableStats {
  std::string name;
  std::int64_t rows = 0;
};

struct DatabaseStats {
  DatabaseInfo info;
  std::int64_t file_size = 0;  // bytes on disk (main file + WAL)
  std::vector<TableStats> tables;
};

class D1Service {
 public:
  static Result<std::unique_ptr<D1Service>> Open(const D1Options& options);

  Result<DatabaseInfo> Create(const std::string& name);
  // Recreates a catalog entry with a known id (disaster recovery from backups).
  Result<DatabaseInfo> CreateWithId(const std::string& name, const std::string& id);
  Result<std::vector<DatabaseInfo>> List();
  // Looks a database up by name, or by id when `name_or_id` is a UUID.
  Result<std::optional<DatabaseInfo>> Lookup(const std::string& name_or_id);
  // Lookup, with NotFound for absence.
  Result<DatabaseInfo> Find(const std::string& name_or_id);
  // The database named in a wrangler.toml binding, created on first use as `wrangler --local`
  // does: with `database_id` when it is a UUID, else with a fresh id.
  Result<DatabaseInfo> FindOrCreate(const std::string& name, const std::string& database_id);
  Result<DatabaseStats> Info(const std::string& name_or_id);
  // Removes the catalog entry and the files. Backups stay (they are the way back).
  Status Delete(const std::string& name_or_id);

  // A new connection to the database, configured with the statement time limit.
  Result<std::unique_ptr<sqlite::Database>> Connect(const DatabaseInfo& db);
  std::string PathOf(const DatabaseInfo& db) const;

  const D1Options& options() const { return options_; }
  fs::Env& env() const { return *options_.env; }
  const Clock& clock() const { return *options_.clock; }
  Random& random() const { return *options_.random; }

 private:
  D1Service(D1Options options, std::unique_ptr<sqlite::Database> control)
      : options_(std::move(options)), control_(std::move(control)) {}
  Result<DatabaseInfo> Insert(const std::string& name, const std::string& id);

  D1Options options_;
  std::mutex mu_;  // guards control_
  std::unique_ptr<sqlite::Database> control_;
};

}  // namespace blaze::d1
