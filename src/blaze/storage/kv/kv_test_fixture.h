// Shared setup for the storage/kv tests (and bindings/kv_binding_test): a fresh data directory
// per test, the real file system, a FakeClock, a fixed-seed Random and a KvService over them.
// Test-only; not part of the blaze_storage_kv library.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <source_location>
#include <string>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/kv/kv_service.h"
#include "tests/testing/temp_dir.h"

namespace blaze::kv {

// The value of a Result the test needs; a failure is reported at the caller's line.
template <typename T>
T Must(Result<T> r, std::source_location loc = std::source_location::current()) {
  if (!r.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << r.error().ToString();
  return std::move(r).value();
}

inline void MustOk(Status s, std::source_location loc = std::source_location::current()) {
  if (!s.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << s.error().ToString();
}

class KvFixture : public ::testing::Test {
 protected:
  KvFixture() { kv_ = Open(Options()); }

  KvOptions Options() {
    KvOptions options;
    options.data_dir = dir_.path();
    options.env = env_.get();
    options.clock = &clock_;
    options.random = &random_;
    return options;
  }

  std::unique_ptr<KvService> Open(const KvOptions& options) {
    return Must(KvService::Open(options));
  }

  // The seconds-since-epoch the FakeClock reads now.
  std::int64_t NowSeconds() const { return UnixMillis(clock_.Now()) / 1000; }

  // The value under `key`, or "<none>".
  std::string ValueOf(KvService& kv, const std::string& ns, const std::string& key) {
    auto entry = Must(kv.Get(ns, key));
    return entry ? entry->value : "<none>";
  }

  testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  FakeClock clock_;
  Random random_{7};
  std::unique_ptr<KvService> kv_;
};

}  // namespace blaze::kv
