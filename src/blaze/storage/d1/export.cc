#include "blaze/storage/d1/export.h"

#include <algorithm>

#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::d1 {
namespace {

struct SchemaObject {
  std::string type, name, table, sql;
};

Result<std::vector<SchemaObject>> ReadSchema(sqlite::Database& db) {
  BLAZE_TRY(auto stmt, db.Prepare(
                            "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT "
                            "NULL AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE "
                            "'\\_cf\\_%' ESCAPE '\\' ORDER BY rowid"));
  std::vector<SchemaObject> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    out.push_back({stmt->ColumnText(0), stmt->ColumnText(1), stmt->ColumnText(2),
                   stmt->ColumnText(3)});
  }
  return out;
}

class Writer {
 public:
  explicit Writer(fs::WritableFile& out) : out_(out) {}
  Status Line(std::string_view text) {
    buffer_.append(text);
    buffer_ += '\n';
    if (buffer_.size() >= (1 << 20)) return Flush();
    return Ok();
  }
  Status Flush() {
    bytes_ += static_cast<std::int64_t>(buffer_.size());
    auto s = out_.Append(buffer_);
    buffer_.clear();
    return s;
  }
  std::int64_t bytes() const { return bytes_; }

 private:
  fs::WritableFile& out_;
  std::string buffer_;
  std::int64_t bytes_ = 0;
};

// The quoted column list to dump, or "" when it is every column. Generated columns are left
// out: the import computes them again, and an INSERT may not name them.
Result<std::string> StoredColumns(sqlite::Database& db, const std::string& table) {
  BLAZE_TRY(auto stmt, db.Prepare("SELECT name, hidden FROM pragma_table_xinfo(?1)"));
  std::vector<sqlite::Value> args = {table};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  std::string columns;
  bool skipped = false;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    if (stmt->ColumnInt(1) != 0) {
      skipped = true;
      continue;
    }
    if (!columns.empty()) columns += ',';
    columns += sqlite::QuoteIdentifier(stmt->ColumnText(0));
  }
  return skipped ? columns : std::string();
}

// The text of a schema object as one statement. SQLite keeps what stood before the ';' of some
// CREATE statements (a view's trailing "-- comment"), which would swallow a ';' on that line.
std::string Terminated(const std::string& sql) {
  std::size_t line = sql.rfind('\n');
  bool comment = sql.find("--", line == std::string::npos ? 0 : line) != std::string::npos;
  return sql + (comment ? "\n;" : ";");
}

Result<std::int64_t> DumpRows(sqlite::Database& db, const std::string& table, Writer& w) {
  std::string quoted = sqlite::QuoteIdentifier(table);
  BLAZE_TRY(std::string columns, StoredColumns(db, table));
  std::string insert = "INSERT INTO " + quoted + (columns.empty() ? "" : "(" + columns + ")");
  BLAZE_TRY(auto stmt_owned, [&]() -> Result<std::unique_ptr<sqlite::Statement>> {
    std::size_t used = 0;
    return db.PrepareNext("SELECT " + (columns.empty() ? "*" : columns) + " FROM " + quoted, &used);
  }());
  std::int64_t rows = 0;
  std::string line;
  while (true) {
    BLAZE_TRY(bool row, stmt_owned->Step());
    if (!row) break;
    line = insert + " VALUES(";
    for (int i = 0; i < stmt_owned->ColumnCount(); ++i) {
      if (i) line += ',';
      line += sqlite::Literal(stmt_owned->Column(i));
    }
    line += ");";
    BLAZE_TRY_VOID(w.Line(line));
    ++rows;
  }
  return rows;
}

}  // namespace

Result<ExportStats> ExportSql(sqlite::Database& db, const ExportOptions& options,
                              fs::WritableFile& out) {
  BLAZE_TRY(auto schema, ReadSchema(db));
  auto wanted = [&](const std::string& table) {
    return options.tables.empty() ||
           std::find(options.tables.begin(), options.tables.end(), table) != options.tables.end();
  };
  for (const auto& t : options.tables) {
    bool found = std::any_of(schema.begin(), schema.end(),
                             [&](const SchemaObject& o) { return o.type == "table" && o.name == t; });
    if (!found) return Fail(NotFound("no table named '" + t + "' to export"));
  }

  Writer w(out);
  ExportStats stats;
  BLAZE_TRY_VOID(w.Line("PRAGMA defer_foreign_keys=TRUE;"));
  // Every table exists before the first row goes in: a table may reference one created after it
  // (SQLite's 12-step ALTER TABLE rebuilds a parent last), and inserting into it with foreign
  // keys on needs the parent table to exist, deferred checks or not.
  for (const auto& o : schema) {
    if (o.type != "table" || !wanted(o.name)) continue;
    ++stats.tables;
    if (options.schema) BLAZE_TRY_VOID(w.Line(Terminated(o.sql)));
  }
  for (const auto& o : schema) {
    if (o.type != "table" || !wanted(o.name) || !options.data) continue;
    BLAZE_TRY(std::int64_t rows, DumpRows(db, o.name, w));
    stats.rows += rows;
  }
  BLAZE_TRY(std::int64_t has_sequence,
            db.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'"));
  if (has_sequence && options.tables.empty()) {
    if (options.schema || options.data) BLAZE_TRY_VOID(w.Line("DELETE FROM sqlite_sequence;"));
    if (options.data) BLAZE_TRY_VOID(DumpRows(db, "sqlite_sequence", w));
  }
  if (options.schema) {
    for (const auto& o : schema) {
      if (o.type == "table" || !wanted(o.table)) continue;
      BLAZE_TRY_VOID(w.Line(Terminated(o.sql)));
    }
  }
  BLAZE_TRY_VOID(w.Flush());
  stats.bytes = w.bytes();
  return stats;
}

}  // namespace blaze::d1
