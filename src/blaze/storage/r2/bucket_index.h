// BucketIndex: a bucket's metadata, `<data-dir>/r2/<bucket>/index.sqlite`.
//
//   versions(seq, key, version, deleted, blob, size, etag, uploaded, http_metadata,
//            custom_metadata, checksums, storage_class)   every version ever written, and a
//            delete marker (deleted = 1, blob NULL) for every delete: nothing is overwritten
//   objects(key, seq)   the current version of each live key (absent after a delete)
//
// Keys are TEXT compared bytewise (SQLite's BINARY collation), which is R2's UTF-8 order.
// The file runs in WAL mode with synchronous=FULL: a put that returned is on disk.
//
// Threads: not thread-safe; Bucket serializes every call under its mutex. Across processes
// (a CLI next to a server) SQLite's write lock orders the transactions.
// Errors: those of storage/sqlite; DataLoss for a metadata column that does not parse.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "blaze/base/result.h"
#include "blaze/storage/r2/r2_types.h"
#include "blaze/storage/sqlite/database.h"

namespace blaze::r2 {

// Keys in [lower, upper) strictly after `after`, for list scans.
struct KeyRange {
  std::string lower;                 // inclusive ("" = from the start)
  std::optional<std::string> upper;  // exclusive (nullopt = to the end)
  std::optional<std::string> after;  // exclusive
};

class BucketIndex {
 public:
  static Result<std::unique_ptr<BucketIndex>> Open(const std::string& path,
                                                   const char* vfs = nullptr);

  // BEGIN IMMEDIATE (takes SQLite's write lock at once) / COMMIT / ROLLBACK.
  Status Begin();
  Status Commit();
  void Rollback();

  Result<std::optional<ObjectInfo>> Current(const std::string& key);
  // Appends `info` as a new version and makes it current.
  Status InsertCurrent(const ObjectInfo& info);
  // Appends a delete marker for `key` and drops its current version.
  Status InsertDeleteMarker(const std::string& key, const std::string& version,
                            std::int64_t uploaded_ms);

  // Current objects in `range`, in key order, at most `limit`.
  Result<std::vector<ObjectInfo>> Scan(const KeyRange& range, std::int64_t limit);
  // The greatest current key in `range` (to skip a delimited prefix in one step).
  Result<std::optional<std::string>> LastKey(const KeyRange& range);
  Result<std::int64_t> CountCurrent();

  // Every version of `key`, newest first.
  Result<std::vector<VersionEntry>> Versions(const std::string& key);
  Result<std::optional<VersionEntry>> FindVersion(const std::string& key,
                                                  const std::string& version);

  // Versions that are not current (older versions and delete markers) of `key`, or of every
  // key when `key` is nullopt; RemoveVersions deletes them by version id.
  Result<std::vector<VersionEntry>> Noncurrent(const std::optional<std::string>& key);
  Status RemoveVersion(const std::string& version);

  // How many versions refer to blob `sha256`.
  Result<std::int64_t> BlobReferences(const std::string& sha256);

 private:
  explicit BucketIndex(std::unique_ptr<sqlite::Database> db) : db_(std::move(db)) {}
  Result<std::vector<VersionEntry>> QueryVersions(std::string_view sql,
                                                  const std::vector<sqlite::Value>& args);

  std::unique_ptr<sqlite::Database> db_;
};

}  // namespace blaze::r2
