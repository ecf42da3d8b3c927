// AnalyticsService: Workers Analytics Engine datasets of one data directory, in one SQLite file
// `<data-dir>/analytics.sqlite` with one table per dataset (table name = dataset name), whose
// columns are those of Cloudflare's SQL API: timestamp (UTC "YYYY-MM-DD HH:MM:SS"), index1,
// blob1..blob20 (absent = ''), double1..double20 (absent = 0, NaN = NULL), _sample_interval
// (always 1: nothing is sampled) and dataset. `blaze analytics query` reads it (query.h).
//
// Writes are group-committed: a writer that finds no commit under way commits its point and
// every point queued meanwhile in one transaction; writers arriving during that commit only
// queue and return. So a worker writing on every request costs one INSERT under load, and a
// lone write is committed (visible to queries) before Write returns.
// Threads: one service shared by every core; Write is thread-safe. The file is opened on the
// first write.
// Errors: InvalidArgument (limits of data_point.h, dataset name), ResourceExhausted (more than
// `max_queued` points waiting for a commit: the point is dropped and counted), and the storage
// errors of storage/sqlite (the batch's points are dropped and counted, WARN logged).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/result.h"
#include "blaze/storage/analytics/data_point.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::analytics {

struct AnalyticsOptions {
  std::string data_dir;
  fs::Env* env = nullptr;
  const Clock* clock = nullptr;  // each point's timestamp
  const char* vfs = nullptr;     // SQLite VFS (tests pass FaultyVfs's)
  std::size_t max_queued = 100000;
};

struct AnalyticsStats {
  std::uint64_t written = 0;  // points committed
  std::uint64_t dropped = 0;  // points lost to a full queue or a failed commit
};

// <data-dir>/analytics.sqlite
std::string AnalyticsPath(std::string_view data_dir);

class AnalyticsService {
 public:
  static Result<std::unique_ptr<AnalyticsService>> Open(const AnalyticsOptions& options);
  AnalyticsService(const AnalyticsService&) = delete;
  AnalyticsService& operator=(const AnalyticsService&) = delete;

  // Timestamps `point` now and appends it to `dataset` (its table is created on first use).
  Status Write(std::string_view dataset, const DataPoint& point);

  AnalyticsStats Stats() const;
  std::string path() const { return AnalyticsPath(options_.data_dir); }

 private:
  struct Row {
    std::string dataset;
    std::string timestamp;
    DataPoint point;
  };

  explicit AnalyticsService(AnalyticsOptions options) : options_(std::move(options)) {}
  Status Commit(const std::vector<Row>& rows);  // by the committing writer only
  Result<sqlite::Database*> Db();
  // The INSERT of `dataset`, its table created on first use.
  Result<const std::string*> InsertFor(sqlite::Database& db, const std::string& dataset);

  AnalyticsOptions options_;
  std::mutex mu_;  // guards queue_ and committing_
  std::vector<Row> queue_;
  bool committing_ = false;
  // Used by the committing writer only (one at a time, by committing_).
  std::unique_ptr<sqlite::Database> db_;
  std::map<std::string, std::string> inserts_;  // dataset → INSERT statement
  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> dropped_{0};
};

}  // namespace blaze::analytics
