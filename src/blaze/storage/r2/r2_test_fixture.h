// Shared setup for the storage/r2 tests: a fresh data directory, the real file system (or a
// FaultyEnv over it), a FakeClock, a fixed-seed Random and an R2Service with one bucket.
// Test-only; not part of the blaze_storage_r2 library.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <source_location>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/fs/faulty_env.h"
#include "blaze/storage/r2/r2_service.h"
#include "tests/testing/temp_dir.h"

namespace blaze::r2 {

// The value of a Result the test needs; a failure is reported at the caller's line.
template <typename T>
T Must(Result<T> r, std::source_location loc = std::source_location::current()) {
  if (!r.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << r.error().ToString();
  return std::move(r).value();
}

inline void MustOk(Status s, std::source_location loc = std::source_location::current()) {
  if (!s.has_value()) ADD_FAILURE_AT(loc.file_name(), loc.line()) << s.error().ToString();
}

class R2Fixture : public ::testing::Test {
 protected:
  R2Fixture() {
    R2Options options;
    options.data_dir = dir_.path();
    options.env = &faulty_;
    options.clock = &clock_;
    options.random = &random_;
    service_ = Must(R2Service::Open(options));
    bucket_ = Must(service_->OpenOrCreateBucket("photos"));
  }

  ObjectInfo Put(const std::string& key, std::string_view data, const PutOptions& options = {}) {
    auto put = Must(bucket_->Put(key, data, options));
    EXPECT_TRUE(put.has_value()) << key;
    return put.value_or(ObjectInfo{});
  }

  // The body of `key`'s current version, or "<missing>".
  std::string Body(const std::string& key) {
    auto got = Must(bucket_->Get(key, {}));
    return got ? got->body : "<missing>";
  }

  std::vector<std::string> Keys(const ListOptions& options = {}) {
    std::vector<std::string> keys;
    for (const auto& o : Must(bucket_->List(options)).objects) keys.push_back(o.key);
    return keys;
  }

  std::string BlobDir() const { return dir_.path() + "/r2/photos/blobs"; }

  testing::TempDir dir_;
  std::unique_ptr<fs::Env> env_ = fs::NewPosixEnv();
  fs::FaultyEnv faulty_{*env_};
  FakeClock clock_;
  Random random_{42};
  std::unique_ptr<R2Service> service_;
  std::shared_ptr<Bucket> bucket_;
};

}  // namespace blaze::r2
