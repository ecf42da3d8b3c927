// Queries over the Analytics Engine datasets, as Cloudflare's SQL API answers them: one
// read-only statement against `<data-dir>/analytics.sqlite` (a dataset is a table of the same
// name), answered as {meta, data, rows, rows_before_limit_at_least}. The dialect is SQLite's,
// not ClickHouse's (use datetime('now', '-1 day') rather than NOW() - INTERVAL '1' DAY); a
// trailing `FORMAT JSON` (or any FORMAT clause) is accepted and ignored, and `SHOW TABLES` lists
// the datasets.
//
// Errors: NotFound (no analytics data in this data directory yet), InvalidArgument (no
// statement, several statements, SQL errors), PermissionDenied (anything but a read: writes,
// ATTACH, PRAGMA, transactions), DeadlineExceeded (past the time limit).
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/storage/sqlite/value.h"

namespace blaze::analytics {

struct QueryColumn {
  std::string name;
  std::string type;  // ClickHouse's names, as Cloudflare reports them: String, Float64, DateTime,
                     // UInt32, UInt64/Int64 (integer expressions)
};

struct QueryResult {
  std::vector<QueryColumn> meta;
  std::vector<std::vector<sqlite::Value>> rows;
};

struct QueryOptions {
  const Clock* clock = nullptr;  // for the time limit; nullptr: no limit
  std::chrono::milliseconds time_limit{30000};
};

// The statement without a trailing `FORMAT <name>` clause, `;` and whitespace; `SHOW TABLES`
// becomes the SELECT that lists the datasets.
std::string NormalizeQuery(std::string_view sql);

Result<QueryResult> RunQuery(const std::string& path, std::string_view sql,
                             const QueryOptions& options);

// Cloudflare's JSON: 64-bit integers as strings (ClickHouse's default), non-finite floats as
// null, blobs as text.
nlohmann::ordered_json QueryResultJson(const QueryResult& result);

}  // namespace blaze::analytics
