// ExecuteScript: runs a script of SQL statements (a `--command` or a `--file`) against one D1
// database and returns one result per statement, the shape `wrangler d1 execute --json` prints.
//
// Atomicity: with kOwnTransaction the whole script runs in one transaction — all or nothing.
// VACUUM cannot run inside a transaction, so it commits what came before it, runs on its own,
// and a new transaction starts after it. Explicit BEGIN/COMMIT/ROLLBACK/SAVEPOINT are refused:
// the script already is a transaction. With kCallerOwned the caller holds the transaction
// (migrations) and VACUUM is refused too.
//
// Errors: the failing statement's SQLite error, prefixed with its position and text:
// "statement 2 (SELECT * FROM nope): no such table: nope". Nothing of the script is kept.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::d1 {

struct StatementMeta {
  double duration_ms = 0;
  std::int64_t changes = 0;
  std::int64_t last_row_id = 0;
  bool changed_db = false;
  std::int64_t size_after = 0;
  std::int64_t rows_read = 0;
  std::int64_t rows_written = 0;
};

struct StatementResult {
  std::string sql;
  std::vector<std::string> columns;
  std::vector<std::vector<sqlite::Value>> rows;
  StatementMeta meta;
};

// kOwnTransaction: the script is one write transaction (VACUUM splits it). kCallerOwned: the
// caller's transaction (migrations). kReadOnly: one read transaction, a consistent snapshot; a
// statement that would change the database (sqlite3_stmt_readonly says so before it runs) is
// refused with PermissionDenied and nothing runs after it (`d1 execute --read-only`).
enum class TransactionMode { kOwnTransaction, kCallerOwned, kReadOnly };

Result<std::vector<StatementResult>> ExecuteScript(sqlite::Database& db, std::string_view sql,
                                                   const Clock& clock, TransactionMode mode);

// Runs one prepared statement to completion, collecting rows and meta. Exposed for the D1
// binding, which prepares and binds statements itself.
Result<StatementResult> RunStatement(sqlite::Database& db, sqlite::Statement& stmt,
                                     const Clock& clock);

// The same without collecting: `on_row` is called with the statement positioned on each row
// (read its columns there). Returns the meta; size_after only when `measure_size` (else 0, for
// a caller that knows it). For a statement reused from a cache too: its scan counters are reset
// first, so rows_read counts this run only.
Result<StatementMeta> StepStatement(sqlite::Database& db, sqlite::Statement& stmt,
                                    const Clock& clock, bool measure_size,
                                    const std::function<void(sqlite::Statement&)>& on_row);

}  // namespace blaze::d1
