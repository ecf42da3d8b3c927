#include "blaze/storage/analytics/query.h"

#include <cctype>
#include <cmath>
#include <filesystem>

#include "blaze/storage/sqlite/database.h"
#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::analytics {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kShowTables =
    "SELECT name AS dataset FROM sqlite_schema WHERE type = 'table' ORDER BY name";

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string_view TrimEnd(std::string_view s) {
  while (!s.empty() && (IsSpace(s.back()) || s.back() == ';')) s.remove_suffix(1);
  return s;
}

// The type of a column: from the dataset schema when it is a column, else from its values.
std::string TypeOf(sqlite::Statement& stmt, int i,
                   const std::vector<std::vector<sqlite::Value>>& rows) {
  const char* decl = sqlite3_column_decltype(stmt.raw(), i);
  if (decl) {
    std::string d = Upper(decl);
    if (d == "DATETIME") return "DateTime";
    if (d == "REAL") return "Float64";
    if (d == "INTEGER") return "UInt32";
    return "String";
  }
  bool any_int = false, any_real = false, any_text = false, negative = false;
  for (const auto& row : rows) {
    const sqlite::Value& v = row[static_cast<std::size_t>(i)];
    if (const auto* n = std::get_if<std::int64_t>(&v)) {
      any_int = true;
      negative = negative || *n < 0;
    } else if (std::holds_alternative<double>(v)) {
      any_real = true;
    } else if (!sqlite::IsNull(v)) {
      any_text = true;
    }
  }
  if (any_text || (!any_int && !any_real)) return "String";
  if (any_real) return "Float64";
  return negative ? "Int64" : "UInt64";
}

Json CellJson(const sqlite::Value& v, const std::string& type) {
  return std::visit(
      [&](const auto& x) -> Json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, sqlite::Null>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          if (type == "UInt64" || type == "Int64") return std::to_string(x);
          return x;
        } else if constexpr (std::is_same_v<T, double>) {
          if (!std::isfinite(x)) return nullptr;
          return x;
        } else if constexpr (std::is_same_v<T, std::string>) {
          return x;
        } else {
          return std::string(x.bytes.begin(), x.bytes.end());
        }
      },
      v);
}

Status CheckReadOnly(sqlite::Statement& stmt) {
  std::string keyword = sqlite::FirstKeyword(stmt.Sql());
  if (!stmt.ReadOnly() || (keyword != "SELECT" && keyword != "WITH")) {
    return Fail(
        PermissionDenied("analytics query: only SELECT (and SHOW TABLES) can be run; "
                         "the datasets are written by workers"));
  }
  return Ok();
}

}  // namespace

std::string NormalizeQuery(std::string_view sql) {
  std::string_view s = TrimEnd(sql);
  // A trailing `FORMAT <name>`: the last two words, the first of them FORMAT.
  std::size_t end = s.size();
  std::size_t name_start = end;
  while (name_start > 0 && (std::isalnum(static_cast<unsigned char>(s[name_start - 1])) ||
                            s[name_start - 1] == '_')) {
    --name_start;
  }
  std::size_t gap = name_start;
  while (gap > 0 && IsSpace(s[gap - 1])) --gap;
  if (name_start < end && gap < name_start && gap >= 6 && Upper(s.substr(gap - 6, 6)) == "FORMAT" &&
      (gap == 6 || IsSpace(s[gap - 7]))) {
    s = TrimEnd(s.substr(0, gap - 6));
  }
  std::string out(s);
  std::string words;
  for (char c : Upper(out)) {
    if (IsSpace(c)) {
      if (!words.empty() && words.back() != ' ') words += ' ';
    } else {
      words += c;
    }
  }
  if (words == "SHOW TABLES") return kShowTables;
  return out;
}

Result<QueryResult> RunQuery(const std::string& path, std::string_view sql,
                             const QueryOptions& options) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return Fail(NotFound("no Analytics Engine data here yet (" + path +
                         "): datasets appear when "
                         "a worker calls writeDataPoint()"));
  }
  sqlite::OpenOptions opts;
  opts.mode = sqlite::OpenOptions::Mode::kReadOnly;
  opts.wal = false;
  BLAZE_TRY(auto db, sqlite::Database::Open(path, opts));
  sqlite3_limit(db->raw(), SQLITE_LIMIT_ATTACHED, 0);
  if (options.clock) db->SetTimeLimit(*options.clock, options.time_limit);

  std::string text = NormalizeQuery(sql);
  std::size_t consumed = 0;
  BLAZE_TRY(auto stmt, db->PrepareNext(text, &consumed));
  if (!stmt) return Fail(InvalidArgument("analytics query: no SQL statement given"));
  std::size_t rest = 0;
  BLAZE_TRY(auto next, db->PrepareNext(std::string_view(text).substr(consumed), &rest));
  if (next) return Fail(InvalidArgument("analytics query: one statement at a time"));
  BLAZE_TRY_VOID(CheckReadOnly(*stmt));

  QueryResult result;
  db->ArmDeadline();
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    std::vector<sqlite::Value> values;
    for (int i = 0; i < stmt->ColumnCount(); ++i) values.push_back(stmt->Column(i));
    result.rows.push_back(std::move(values));
  }
  for (int i = 0; i < stmt->ColumnCount(); ++i) {
    result.meta.push_back({stmt->ColumnName(i), TypeOf(*stmt, i, result.rows)});
  }
  return result;
}

Json QueryResultJson(const QueryResult& result) {
  Json meta = Json::array();
  for (const QueryColumn& c : result.meta) meta.push_back({{"name", c.name}, {"type", c.type}});
  Json data = Json::array();
  for (const auto& row : result.rows) {
    Json obj = Json::object();
    for (std::size_t i = 0; i < result.meta.size() && i < row.size(); ++i) {
      obj[result.meta[i].name] = CellJson(row[i], result.meta[i].type);
    }
    data.push_back(std::move(obj));
  }
  Json out;
  out["meta"] = std::move(meta);
  out["data"] = std::move(data);
  out["rows"] = result.rows.size();
  out["rows_before_limit_at_least"] = result.rows.size();
  return out;
}

}  // namespace blaze::analytics
