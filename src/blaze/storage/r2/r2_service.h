// R2Service: the R2 buckets of one data directory. The catalog (name, creation time) is the
// `r2_buckets` table of `<data-dir>/control.db`; each bucket lives in `<data-dir>/r2/<name>/`
// (index.sqlite + blobs/). The CLI's `--local` path and the R2 binding both go through here.
//
// Threads: thread-safe. Buckets are opened once and shared (every core of a server, every
// binding naming the same bucket, get the same Bucket).
// Errors: InvalidArgument (bad bucket name), NotFound (NoSuchBucket, with how to create it),
// AlreadyExists, FailedPrecondition (deleting a bucket that still has objects), and the storage
// errors of storage/sqlite and storage/fs.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::r2 {

struct R2Options {
  std::string data_dir;
  fs::Env* env = nullptr;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  // SQLite VFS for the bucket indexes (nullptr = default); tests pass FaultyVfs's name.
  const char* vfs = nullptr;
};

struct BucketInfo {
  std::string name;
  std::string created_at;  // ISO 8601 UTC
};

class R2Service {
 public:
  static Result<std::unique_ptr<R2Service>> Open(const R2Options& options);

  Result<BucketInfo> CreateBucket(const std::string& name);
  Result<std::vector<BucketInfo>> ListBuckets();
  Result<std::optional<BucketInfo>> LookupBucket(const std::string& name);
  // Removes the bucket and every version in it. FailedPrecondition while it has objects.
  Status DeleteBucket(const std::string& name);

  // The bucket, opened once and cached. NotFound when the catalog does not have it.
  Result<std::shared_ptr<Bucket>> OpenBucket(const std::string& name);
  // As OpenBucket, creating the bucket first when it is missing (wrangler dev's local buckets).
  Result<std::shared_ptr<Bucket>> OpenOrCreateBucket(const std::string& name);

  std::string BucketDir(const std::string& name) const;
  const R2Options& options() const { return options_; }

 private:
  R2Service(R2Options options, std::unique_ptr<sqlite::Database> control)
      : options_(std::move(options)), control_(std::move(control)) {}
  Result<std::shared_ptr<Bucket>> OpenLocked(const BucketInfo& info);
  Status RemoveTree(const std::string& dir);

  R2Options options_;
  std::mutex mu_;  // guards control_ and open_
  std::unique_ptr<sqlite::Database> control_;
  std::map<std::string, std::shared_ptr<Bucket>> open_;
};

}  // namespace blaze::r2
