// Shared setup for the storage/d1 tests: a fresh data directory per test, the real file system,
// a FakeClock, a fixed-seed Random and a D1Service over them, plus small helpers to run SQL.
// Test-only; not part of the blaze_storage_d1 library.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <source_location>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/d1/d1_service.h"
#include "blaze/storage/d1/executor.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/sqlite/database.h"
#include "tests/testing/temp_dir.h"

namespace blaze::d1 {

// The value of a Result the test needs; a failure is reported with the caller's line and then
// stops the test (value() throws, and GoogleTest turns the exception into a failure).
template <typename T>
T Must(Result<T> r, std::source_location loc = std::source_location::current()) {
  if (!r.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << r.error().ToString();
  return std::move(r).value();
}

// A clock that moves 1 ms every time it is read. A statement's deadline (armed when it starts)
// then passes after a known number of progress callbacks: time limits are tested without
// waiting and without advancing a clock from inside a running statement.
class TickingClock final : public Clock {
 public:
  WallTime Now() const override { return WallTime(std::chrono::hours(1)) + Tick(); }
  MonoTime Monotonic() const override { return MonoTime{} + Tick(); }

 private:
  std::chrono::milliseconds Tick() const { return std::chrono::milliseconds(++ticks_); }
  mutable std::atomic<std::int64_t> ticks_{0};
};

using Rows = std::vector<std::vector<sqlite::Value>>;

class D1Fixture : public ::testing::Test {
 protected:
  D1Fixture() { OpenService(Options()); }

  // Options over this test's data dir, env, clock and random.
  D1Options Options() {
    D1Options options;
    options.data_dir = dir_.path();
    options.env = env_.get();
    options.clock = &clock_;
    options.random = &random_;
    return options;
  }

  // (Re)opens the service; the old one (if any) is closed first.
  void OpenService(const D1Options& options) {
    d1_.reset();
    d1_ = Must(D1Service::Open(options));
  }

  DatabaseInfo CreateDatabase(const std::string& name) { return Must(d1_->Create(name)); }

  std::unique_ptr<sqlite::Database> Connect(const std::string& name) {
    return Must(d1_->Connect(Must(d1_->Find(name))));
  }

  Result<std::vector<StatementResult>> TryExecute(const std::string& name, std::string_view sql) {
    auto db = Connect(name);
    return ExecuteScript(*db, sql, clock_, TransactionMode::kOwnTransaction);
  }

  std::vector<StatementResult> Execute(const std::string& name, std::string_view sql,
                                       std::source_location loc = std::source_location::current()) {
    return Must(TryExecute(name, sql), loc);
  }

  // Every row of the last statement of `sql`.
  Rows Query(const std::string& name, std::string_view sql,
             std::source_location loc = std::source_location::current()) {
    auto results = Execute(name, sql, loc);
    return results.empty() ? Rows{} : results.back().rows;
  }

  std::int64_t QueryInt(const std::string& name, std::string_view sql) {
    return Must(Connect(name)->QueryInt(sql));
  }

  std::string D1Dir() const { return fs::JoinPath(dir_.path(), "d1"); }
  std::string BackupDir(const std::string& name) const {
    return fs::JoinPath(fs::JoinPath(dir_.path(), "backups/d1"), name);
  }

  testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  FakeClock clock_;
  Random random_{42};
  std::unique_ptr<D1Service> d1_;
};

}  // namespace blaze::d1
