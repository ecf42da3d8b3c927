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

namespace {

// Opens `slot`'s service on first use with the data directory's seams; `Options` is the
// service's own options struct (every one has data_dir, env and clock; some take a Random).
template <typename Service, typename Options>
Result<std::shared_ptr<Service>> OpenOnce(std::mutex& mu, std::shared_ptr<Service>& slot,
                                          const StorageOptions& from) {
  std::lock_guard lock(mu);
  if (!slot) {
    Options opts;
    opts.data_dir = from.data_dir;
    opts.env = from.env;
    opts.clock = from.clock;
    if constexpr (requires { opts.random; }) opts.random = from.random;
    BLAZE_TRY(auto service, Service::Open(opts));
    slot = std::move(service);
  }
  return slot;
}

}  // namespace

Result<std::shared_ptr<d1::D1Service>> Storage::D1() {
  return OpenOnce<d1::D1Service, d1::D1Options>(mu_, d1_, options_);
}

Result<std::shared_ptr<kv::KvService>> Storage::Kv() {
  return OpenOnce<kv::KvService, kv::KvOptions>(mu_, kv_, options_);
}

Result<std::shared_ptr<r2::R2Service>> Storage::R2() {
  return OpenOnce<r2::R2Service, r2::R2Options>(mu_, r2_, options_);
}

Result<std::shared_ptr<cache::CacheService>> Storage::Cache() {
  return OpenOnce<cache::CacheService, cache::CacheOptions>(mu_, cache_, options_);
}

Result<std::shared_ptr<analytics::AnalyticsService>> Storage::Analytics() {
  return OpenOnce<analytics::AnalyticsService, analytics::AnalyticsOptions>(mu_, analytics_,
                                                                             options_);
}

}  // namespace blaze::bindings
