#include "blaze/bindings/storage.h"

namespace blaze::bindings {

Storage::Storage(StorageOptions options) : options_(std::move(options)) {
  if (!options_.env) {
    own_env_ = fs::NewPosixEnv();
    options_.env = own_env_.get();
  }
  if (!options_.clock) options_.clock = &own_clock_;
  if (!options_.random) options_.random = &own_random_;
}

Result<std::shared_ptr<d1::D1Service>> Storage::D1() {
  std::lock_guard lock(mu_);
  if (!d1_) {
    d1::D1Options opts;
    opts.data_dir = options_.data_dir;
    opts.env = options_.env;
    opts.clock = options_.clock;
    opts.random = options_.random;
    BLAZE_TRY(auto service, d1::D1Service::Open(opts));
    d1_ = std::move(service);
  }
  return d1_;
}

Result<std::shared_ptr<kv::KvService>> Storage::Kv() {
  std::lock_guard lock(mu_);
  if (!kv_) {
    kv::KvOptions opts;
    opts.data_dir = options_.data_dir;
    opts.env = options_.env;
    opts.clock = options_.clock;
    opts.random = options_.random;
    BLAZE_TRY(auto service, kv::KvService::Open(opts));
    kv_ = std::move(service);
  }
  return kv_;
}

Result<std::shared_ptr<r2::R2Service>> Storage::R2() {
  std::lock_guard lock(mu_);
  if (!r2_) {
    r2::R2Options opts;
    opts.data_dir = options_.data_dir;
    opts.env = options_.env;
    opts.clock = options_.clock;
    opts.random = options_.random;
    BLAZE_TRY(auto service, r2::R2Service::Open(opts));
    r2_ = std::move(service);
  }
  return r2_;
}

Result<std::shared_ptr<cache::CacheService>> Storage::Cache() {
  std::lock_guard lock(mu_);
  if (!cache_) {
    cache::CacheOptions opts;
    opts.data_dir = options_.data_dir;
    opts.env = options_.env;
    opts.clock = options_.clock;
    BLAZE_TRY(auto service, cache::CacheService::Open(opts));
    cache_ = std::move(service);
  }
  return cache_;
}

Result<std::shared_ptr<analytics::AnalyticsService>> Storage::Analytics() {
  std::lock_guard lock(mu_);
  if (!analytics_) {
    analytics::AnalyticsOptions opts;
    opts.data_dir = options_.data_dir;
    opts.env = options_.env;
    opts.clock = options_.clock;
    BLAZE_TRY(auto service, analytics::AnalyticsService::Open(opts));
    analytics_ = std::move(service);
  }
  return analytics_;
}

}  // namespace blaze::bindings
