// Bucket: one R2 bucket — its index (bucket_index.h) and its content-addressed blobs
// (blob_store.h) under `<data-dir>/r2/<name>/`. Versioning is always on: a put appends a
// version, a delete appends a delete marker, and older versions stay readable through
// Versions/Restore until an explicit Purge.
//
// Write protocol (why a crash or a full disk never loses the current version):
//   put:   check onlyIf → write the blob (temp file, fsync, rename) → in one index
//          transaction: re-check onlyIf, make sure the blob is still there (a concurrent purge
//          may have swept it as unreferenced: write it again), insert the version.
//          A failure before the commit leaves the index as it was: the old version is current.
//   purge: transaction 1 drops non-current versions; transaction 2 removes each blob that no
//          version refers to any more. Both run under the index's write lock, which every put
//          takes before it refers to a blob, so a blob is never removed while referenced.
// Reads take the lock only to read the index; the blob is read after, and a read that races a
// purge simply looks the key up again.
//
// Threads: thread-safe; one Bucket is shared by every core (its index connection is guarded by
// a mutex). Errors: r2_errors.h for bad input, the Env's and SQLite's for storage failures.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/clock.h"
#include "blaze/base/ids.h"
#include "blaze/base/result.h"
#include "blaze/storage/fs/env.h"
#include "blaze/storage/r2/blob_store.h"
#include "blaze/storage/r2/bucket_index.h"
#include "blaze/storage/r2/r2_types.h"

namespace blaze::r2 {

struct BucketOptions {
  std::string name;
  std::string dir;  // <data-dir>/r2/<name>
  fs::Env* env = nullptr;
  const Clock* clock = nullptr;
  Random* random = nullptr;
  const char* vfs = nullptr;  // SQLite VFS for the index (nullptr = default)
};

class Bucket {
 public:
  static Result<std::shared_ptr<Bucket>> Open(const BucketOptions& options);

  // nullopt when `options.only_if` does not hold (Cloudflare's put returns null).
  Result<std::optional<ObjectInfo>> Put(const std::string& key, std::string_view data,
                                        const PutOptions& options);
  // nullopt for a missing key; a result without body when onlyIf does not hold.
  Result<std::optional<GetResult>> Get(const std::string& key, const GetOptions& options);
  Result<std::optional<ObjectInfo>> Head(const std::string& key);
  // Missing keys are ignored. All keys are checked first; then one transaction.
  Status Delete(const std::vector<std::string>& keys);
  Result<ListResult> List(const ListOptions& options);

  // Every version of `key` (including delete markers), newest first.
  Result<std::vector<VersionEntry>> Versions(const std::string& key);
  // Makes `version` current again as a new version (same bytes and metadata, new id and time).
  // NotFound for an unknown version; FailedPrecondition for a delete marker.
  Result<ObjectInfo> Restore(const std::string& key, const std::string& version);
  // Drops the non-current versions (of `key`, or of every key) and the blobs no version uses
  // any more; a whole-bucket purge also sweeps blobs a crash left unreferenced.
  Result<PurgeStats> Purge(const std::optional<std::string>& key);
  Result<std::int64_t> ObjectCount();

  const std::string& name() const { return options_.name; }
  const std::string& dir() const { return options_.dir; }
  BlobStore& blobs() { return blobs_; }

 private:
  Bucket(BucketOptions options, std::unique_ptr<BucketIndex> index);
  std::string NewVersionId();
  std::int64_t NowMs() const;
  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT under mu_; rolls back when it fails.
  Status InWriteTransaction(const std::function<Status()>& body);
  Result<std::optional<ObjectInfo>> LockedCurrent(const std::string& key);
  Result<std::optional<ObjectInfo>> CommitPut(const ObjectInfo& info, std::string_view data,
                                              const PutOptions& options);
  Status RemoveIfUnreferenced(const std::string& sha256, PurgeStats* stats);

  BucketOptions options_;
  BlobStore blobs_;
  std::mutex mu_;  // guards index_
  std::unique_ptr<BucketIndex> index_;
};

}  // namespace blaze::r2
