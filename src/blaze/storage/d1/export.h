// ExportSql: writes a database as SQL text that `blaze d1 execute --file` turns back into the same
// database — the statements `wrangler d1 export` writes: `PRAGMA defer_foreign_keys=TRUE;`, then
// every table's CREATE statement, then their `INSERT INTO "t" VALUES(...);` rows (all tables
// first, so rows may reference a table created later; generated columns are left out of the
// rows), then sqlite_sequence, then indexes, triggers and views. Internal tables (sqlite_*,
// _cf_*) are left out; d1_migrations is kept, so a restored database knows which migrations it
// has.
#pragma once

#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::d1 {

struct ExportOptions {
  bool schema = true;
  bool data = true;
  std::vector<std::string> tables;  // empty = all
};

struct ExportStats {
  int tables = 0;
  std::int64_t rows = 0;
  std::int64_t bytes = 0;
};

// Streams the dump into `out` (callers write to a temporary path and rename).
Result<ExportStats> ExportSql(sqlite::Database& db, const ExportOptions& options,
                              fs::WritableFile& out);

}  // namespace blaze::d1
