#include "blaze/storage/analytics/analytics_service.h"

#include <cmath>

#include "blaze/base/log.h"
#include "blaze/storage/sqlite/sql_text.h"

namespace blaze::analytics {
namespace {

std::string TableSql(const std::string& dataset) {
  std::string table = sqlite::QuoteIdentifier(dataset);
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table +
                    " (\n  timestamp DATETIME NOT NULL,\n  index1 TEXT NOT NULL DEFAULT ''";
  for (std::size_t i = 1; i <= kMaxBlobs; ++i) {
    sql += ",\n  blob" + std::to_string(i) + " TEXT NOT NULL DEFAULT ''";
  }
  for (std::size_t i = 1; i <= kMaxDoubles; ++i) {
    sql += ",\n  double" + std::to_string(i) + " REAL DEFAULT 0";
  }
  sql += ",\n  _sample_interval INTEGER NOT NULL DEFAULT 1,\n  dataset TEXT NOT NULL);\n";
  sql += "CREATE INDEX IF NOT EXISTS " + sqlite::QuoteIdentifier(dataset + "_by_timestamp") +
         " ON " + table + " (timestamp);";
  return sql;
}

// ?1 timestamp, ?2 index1, ?3.. blobs, then doubles, then dataset.
std::string InsertSql(const std::string& dataset) {
  std::string columns = "timestamp, index1";
  std::string values = "?1, ?2";
  int n = 2;
  for (std::size_t i = 1; i <= kMaxBlobs; ++i) {
    columns += ", blob" + std::to_string(i);
    values += ", ?" + std::to_string(++n);
  }
  for (std::size_t i = 1; i <= kMaxDoubles; ++i) {
    columns += ", double" + std::to_string(i);
    values += ", ?" + std::to_string(++n);
  }
  columns += ", _sample_interval, dataset";
  values += ", 1, ?" + std::to_string(++n);
  return "INSERT INTO " + sqlite::QuoteIdentifier(dataset) + " (" + columns + ") VALUES (" +
         values + ")";
}

Status BindRow(sqlite::Statement& stmt, const std::string& dataset, const std::string& timestamp,
               const DataPoint& p) {
  int n = 1;
  BLAZE_TRY_VOID(stmt.Bind(n++, timestamp));
  std::string index = p.indexes.empty() ? "" : p.indexes[0].value_or("");
  BLAZE_TRY_VOID(stmt.Bind(n++, index));
  for (std::size_t i = 0; i < kMaxBlobs; ++i) {
    std::string blob = i < p.blobs.size() ? p.blobs[i].value_or("") : "";
    BLAZE_TRY_VOID(stmt.Bind(n++, blob));
  }
  for (std::size_t i = 0; i < kMaxDoubles; ++i) {
    double d = i < p.doubles.size() ? p.doubles[i] : 0.0;
    if (std::isnan(d)) {
      BLAZE_TRY_VOID(stmt.Bind(n++, sqlite::Null{}));
    } else {
      BLAZE_TRY_VOID(stmt.Bind(n++, d));
    }
  }
  return stmt.Bind(n, dataset);
}

}  // namespace

std::string AnalyticsPath(std::string_view data_dir) {
  return fs::JoinPath(data_dir, "analytics.sqlite");
}

Result<std::unique_ptr<AnalyticsService>> AnalyticsService::Open(const AnalyticsOptions& options) {
  BLAZE_CHECK(options.env && options.clock);
  return std::unique_ptr<AnalyticsService>(new AnalyticsService(options));
}

Status AnalyticsService::Write(std::string_view dataset, const DataPoint& point) {
  BLAZE_TRY_VOID(ValidateDatasetName(dataset));
  BLAZE_TRY_VOID(ValidateDataPoint(point));
  Row row{std::string(dataset), FormatSqlTimestamp(options_.clock->Now()), point};
  std::unique_lock lock(mu_);
  if (queue_.size() >= options_.max_queued) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return Fail(ResourceExhausted("analytics: " + std::to_string(queue_.size()) +
                                  " data points are already waiting to be written"));
  }
  queue_.push_back(std::move(row));
  if (committing_) return Ok();  // the writer committing now takes it in its next batch
  committing_ = true;
  Status first = Ok();
  while (!queue_.empty()) {
    std::vector<Row> batch = std::move(queue_);
    queue_.clear();
    lock.unlock();
    Status s = Commit(batch);
    lock.lock();
    if (s) {
      written_.fetch_add(batch.size(), std::memory_order_relaxed);
    } else {
      dropped_.fetch_add(batch.size(), std::memory_order_relaxed);
      log::Warn("analytics.write_failed",
                {{"points", std::uint64_t{batch.size()}}, {"error", s.error().ToString()}});
      if (first) first = s;
    }
  }
  committing_ = false;
  return first;
}

Result<sqlite::Database*> AnalyticsService::Db() {
  if (db_) return db_.get();
  BLAZE_TRY_VOID(options_.env->CreateDirs(options_.data_dir));
  sqlite::OpenOptions opts;
  opts.vfs = options_.vfs;
  BLAZE_TRY(db_, sqlite::Database::Open(path(), opts));
  return db_.get();
}

Result<const std::string*> AnalyticsService::InsertFor(sqlite::Database& db,
                                                       const std::string& dataset) {
  auto it = inserts_.find(dataset);
  if (it == inserts_.end()) {
    BLAZE_TRY_VOID(db.Exec(TableSql(dataset)));  // its own transaction: kept by a rollback
    it = inserts_.emplace(dataset, InsertSql(dataset)).first;
  }
  return &it->second;
}

Status AnalyticsService::Commit(const std::vector<Row>& rows) {
  BLAZE_TRY(sqlite::Database * db, Db());
  for (const Row& row : rows) BLAZE_TRY_VOID(InsertFor(*db, row.dataset));
  BLAZE_TRY_VOID(db->Exec("BEGIN IMMEDIATE"));
  auto insert_all = [&]() -> Status {
    for (const Row& row : rows) {
      BLAZE_TRY(const std::string* sql, InsertFor(*db, row.dataset));
      BLAZE_TRY(auto stmt, db->Prepare(*sql));
      BLAZE_TRY_VOID(BindRow(*stmt, row.dataset, row.timestamp, row.point));
      BLAZE_TRY_VOID(stmt->Step());
    }
    return db->Exec("COMMIT");
  };
  Status s = insert_all();
  if (!s) (void)db->Exec("ROLLBACK");
  return s;
}

AnalyticsStats AnalyticsService::Stats() const {
  return {written_.load(std::memory_order_relaxed), dropped_.load(std::memory_order_relaxed)};
}

}  // namespace blaze::analytics
