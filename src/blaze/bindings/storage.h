// Storage: the storage services of one data directory (D1, KV, R2, ...), each opened on first
// use and then shared by every core and every worker that binds to it. The seam between the
// bindings and where the bytes live: a cluster would hand out network-backed services here.
//
// Threads: safe to call from any thread; the services it returns are thread-safe themselves.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/analytics/analytics_service.h"
#include "blaze/storage/cache/cache_service.h"
#include "blaze/storage/d1/d1_service.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/kv/kv_service.h"
#include "blaze/storage/r2/r2_service.h"

namespace blaze::bindings {

struct StorageOptions {
  std::string data_dir;
  fs::Env* env = nullptr;          // nullptr = the POSIX Env
  const Clock* clock = nullptr;    // nullptr = the system clock
  Random* random = nullptr;        // nullptr = a process-wide Random
};

class Storage {
 public:
  explicit Storage(StorageOptions options);

  Result<std::shared_ptr<d1::D1Service>> D1();
  Result<std::shared_ptr<kv::KvService>> Kv();
  Result<std::shared_ptr<r2::R2Service>> R2();
  // The Cache API of every worker (cache.sqlite, opened on first use; Stats() feeds metrics).
  Result<std::shared_ptr<cache::CacheService>> Cache();
  // Analytics Engine datasets (analytics.sqlite).
  Result<std::shared_ptr<analytics::AnalyticsService>> Analytics();

  const StorageOptions& options() const { return options_; }

 private:
  std::mutex mu_;
  std::unique_ptr<fs::Env> own_env_;
  SystemClock own_clock_;
  Random own_random_;
  StorageOptions options_;
  std::shared_ptr<d1::D1Service> d1_;
  std::shared_ptr<kv::KvService> kv_;
  std::shared_ptr<r2::R2Service> r2_;
  std::shared_ptr<cache::CacheService> cache_;
  std::shared_ptr<analytics::AnalyticsService> analytics_;
};

}  // namespace blaze::bindings
