#include "blaze/storage/d1/executor.h"

#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::d1 {
namespace {

std::string Abbreviate(std::string_view sql) {
  sql = sqlite::FirstStatement(sql);
  std::string out;
  bool space = false;
  for (char c : sql) {
    bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (ws) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

Error StatementError(int index, std::string_view sql, const Error& e) {
  return e.WithContext("statement " + std::to_string(index) + " (" + Abbreviate(sql) + ")");
}

bool IsTransactionControl(const std::string& keyword) {
  return keyword == "BEGIN" || keyword == "COMMIT" || keyword == "END" ||
         keyword == "ROLLBACK" || keyword == "SAVEPOINT" || keyword == "RELEASE";
}

// Runs the script; the caller rolls back on error.
Result<std::vector<StatementResult>> RunAll(sqlite::Database& db, std::string_view sql,
                                            const Clock& clock, TransactionMode mode) {
  std::vector<StatementResult> results;
  const bool read_only = mode == TransactionMode::kReadOnly;
  const bool own = mode == TransactionMode::kOwnTransaction || read_only;
  int index = 0;
  bool wrapped = false, unwrapped = false;
  while (true) {
    // Prepare each statement only after the previous one ran: it may depend on its schema.
    std::size_t used = 0;
    auto prepared = db.PrepareNext(sql, &used);
    std::string_view text = sql.substr(0, used);
    if (!prepared.has_value()) return Fail(StatementError(index + 1, sql, prepared.error()));
    sql.remove_prefix(used);
    if (!*prepared) break;  // only whitespace and comments left
    ++index;
    std::string keyword = sqlite::FirstKeyword(text);
    if (IsTransactionControl(keyword)) {
      // Like wrangler, accept one BEGIN ... COMMIT around a whole file (sqlite3 .dump writes
      // one): the script is a transaction already, so the pair is dropped.
      if (own && keyword == "BEGIN" && !wrapped && results.empty()) {
        wrapped = true;
        continue;
      }
      if (own && (keyword == "COMMIT" || keyword == "END") && wrapped && !unwrapped) {
        unwrapped = true;
        continue;
      }
      return Fail(StatementError(
          index, text,
          InvalidArgument("explicit transactions are not allowed: the whole script already runs "
                          "in one transaction")));
    }
    if (unwrapped) {
      return Fail(StatementError(index, text,
                                 InvalidArgument("statements after the file's COMMIT; a script "
                                                 "may hold one transaction at most")));
    }
    if (read_only && !(*prepared)->ReadOnly()) {
      return Fail(StatementError(
          index, text,
          PermissionDenied("--read-only: this statement would change the database")));
    }
    bool vacuum = keyword == "VACUUM";
    if (vacuum && !own) {
      return Fail(StatementError(index, text, InvalidArgument("VACUUM cannot run in a migration")));
    }
    if (vacuum && db.InTransaction()) BLAZE_TRY_VOID(db.Exec("COMMIT"));
    if (!vacuum && own && !db.InTransaction()) {
      BLAZE_TRY_VOID(db.Exec(read_only ? "BEGIN" : "BEGIN IMMEDIATE"));
    }
    auto result = RunStatement(db, **prepared, clock);
    if (!result.has_value()) return Fail(StatementError(index, text, result.error()));
    results.push_back(std::move(result).value());
  }
  if (index == 0 && own) return Fail(InvalidArgument("no SQL statements to execute"));
  return results;
}

}  // namespace

Result<StatementMeta> StepStatement(sqlite::Database& db, sqlite::Statement& stmt,
                                    const Clock& clock, bool measure_size,
                                    const std::function<void(sqlite::Statement&)>& on_row) {
  sqlite3_stmt_status(stmt.raw(), SQLITE_STMTSTATUS_FULLSCAN_STEP, /*resetFlg=*/1);
  sqlite3_stmt_status(stmt.raw(), SQLITE_STMTSTATUS_SORT, /*resetFlg=*/1);
  auto start = clock.Monotonic();
  std::int64_t changes_before = db.TotalChanges();
  std::int64_t rows = 0;
  db.ArmDeadline();
  while (true) {
    BLAZE_TRY(bool row, stmt.Step());
    if (!row) break;
    ++rows;
    on_row(stmt);
  }
  StatementMeta m;
  m.duration_ms = std::chrono::duration<double, std::milli>(clock.Monotonic() - start).count();
  m.changes = db.TotalChanges() - changes_before;
  m.last_row_id = db.LastInsertRowId();
  m.changed_db = !stmt.ReadOnly();
  m.rows_written = m.changes;
  m.rows_read = std::max<std::int64_t>(rows, stmt.ScanSteps());
  if (measure_size) {
    BLAZE_TRY(m.size_after, db.SizeBytes());
  }
  return m;
}

Result<StatementResult> RunStatement(sqlite::Database& db, sqlite::Statement& stmt,
                                     const Clock& clock) {
  StatementResult out;
  out.sql = std::string(stmt.Sql());
  for (int i = 0; i < stmt.ColumnCount(); ++i) out.columns.push_back(stmt.ColumnName(i));
  BLAZE_TRY(out.meta, StepStatement(db, stmt, clock, /*measure_size=*/true,
                                    [&](sqlite::Statement& s) {
    std::vector<sqlite::Value> values;
    values.reserve(out.columns.size());
    for (int i = 0; i < s.ColumnCount(); ++i) values.push_back(s.Column(i));
    out.rows.push_back(std::move(values));
  }));
  return out;
}

Result<std::vector<StatementResult>> ExecuteScript(sqlite::Database& db, std::string_view sql,
                                                   const Clock& clock, TransactionMode mode) {
  auto results = RunAll(db, sql, clock, mode);
  if (mode != TransactionMode::kCallerOwned) {
    if (!results.has_value()) {
      if (db.InTransaction()) (void)db.Exec("ROLLBACK");
      return results;
    }
    if (db.InTransaction()) {
      auto commit = db.Exec("COMMIT");
      if (!commit.has_value()) {
        (void)db.Exec("ROLLBACK");
        return Fail(commit.error().WithContext("commit"));
      }
    }
  }
  return results;
}

}  // namespace blaze::d1
