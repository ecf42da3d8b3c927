// Bucket::Purge: the only way bytes leave a bucket short of deleting it (see bucket.h for why
// it takes two transactions).
#include <set>

#include "blaze/storage/r2/bucket.h"

namespace blaze::r2 {

Status Bucket::RemoveIfUnreferenced(const std::string& sha256, PurgeStats* stats) {
  BLAZE_TRY(std::int64_t refs, index_->BlobReferences(sha256));
  if (refs > 0) return Ok();
  auto size = blobs_.Size(sha256);
  if (!size.has_value()) {
    if (size.error().code() == ErrorCode::kNotFound) return Ok();
    return Fail(size.error());
  }
  auto removed = blobs_.Remove(sha256);
  if (!removed.has_value() && removed.error().code() != ErrorCode::kNotFound) return removed;
  stats->blobs_removed += 1;
  stats->bytes_freed += static_cast<std::int64_t>(*size);
  return Ok();
}

Result<PurgeStats> Bucket::Purge(const std::optional<std::string>& key) {
  PurgeStats stats;
  std::set<std::string> candidates;
  BLAZE_TRY_VOID(InWriteTransaction([&]() -> Status {
    BLAZE_TRY(auto old, index_->Noncurrent(key));
    for (const VersionEntry& e : old) {
      BLAZE_TRY_VOID(index_->RemoveVersion(e.info.version));
      if (!e.info.blob.empty()) candidates.insert(e.info.blob);
      stats.versions_removed += 1;
    }
    return Ok();
  }));
  if (!key) {
    // Blobs a crash left behind between their write and their index transaction.
    BLAZE_TRY(auto on_disk, blobs_.ListAll());
    candidates.insert(on_disk.begin(), on_disk.end());
  }
  BLAZE_TRY_VOID(InWriteTransaction([&]() -> Status {
    for (const std::string& sha : candidates) BLAZE_TRY_VOID(RemoveIfUnreferenced(sha, &stats));
    return Ok();
  }));
  return stats;
}

}  // namespace blaze::r2
