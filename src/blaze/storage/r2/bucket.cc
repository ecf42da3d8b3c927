#include "blaze/storage/r2/bucket.h"

#include <cstdio>

#include "blaze/storage/r2/conditional.h"
#include "blaze/storage/r2/r2_errors.h"
#include "blaze/storage/r2/range.h"
#include "blaze/storage/r2/validation.h"

namespace blaze::r2 {
namespace {

// A read that finds its blob gone raced a purge of that version: look the key up again.
constexpr int kReadAttempts = 3;

}  // namespace

Result<std::shared_ptr<Bucket>> Bucket::Open(const BucketOptions& options) {
  BLAZE_CHECK(options.env && options.clock && options.random);
  BLAZE_TRY_VOID(options.env->CreateDirs(options.dir));
  BLAZE_TRY(auto index, BucketIndex::Open(fs::JoinPath(options.dir, "index.sqlite"), options.vfs));
  std::shared_ptr<Bucket> bucket(new Bucket(options, std::move(index)));
  BLAZE_TRY_VOID(bucket->blobs_.Init());
  return bucket;
}

Bucket::Bucket(BucketOptions options, std::unique_ptr<BucketIndex> index)
    : options_(std::move(options)),
      blobs_(*options_.env, *options_.random, fs::JoinPath(options_.dir, "blobs")),
      index_(std::move(index)) {}

std::string Bucket::NewVersionId() {
  char id[33];
  std::snprintf(id, sizeof id, "%016llx%016llx",
                static_cast<unsigned long long>(options_.random->Next()),
                static_cast<unsigned long long>(options_.random->Next()));
  return id;
}

std::int64_t Bucket::NowMs() const { return UnixMillis(options_.clock->Now()); }

Status Bucket::InWriteTransaction(const std::function<Status()>& body) {
  std::lock_guard lock(mu_);
  BLAZE_TRY_VOID(index_->Begin());
  Status s = body();
  if (s.has_value()) s = index_->Commit();
  if (!s.has_value()) index_->Rollback();
  return s;
}

Result<std::optional<ObjectInfo>> Bucket::LockedCurrent(const std::string& key) {
  std::lock_guard lock(mu_);
  return index_->Current(key);
}

Result<std::optional<ObjectInfo>> Bucket::Head(const std::string& key) {
  BLAZE_TRY_VOID(ValidateKey(key));
  return LockedCurrent(key);
}

Result<std::optional<GetResult>> Bucket::Get(const std::string& key, const GetOptions& options) {
  BLAZE_TRY_VOID(ValidateKey(key));
  for (int attempt = 1;; ++attempt) {
    BLAZE_TRY(auto current, LockedCurrent(key));
    if (!current) return std::optional<GetResult>();
    GetResult result;
    result.info = std::move(*current);
    if (options.only_if && !ConditionHolds(*options.only_if, &result.info)) {
      result.precondition_failed = true;
      result.range = {0, result.info.size};
      return std::optional<GetResult>(std::move(result));
    }
    BLAZE_TRY(result.range, SelectRange(options, result.info.size));
    auto body = blobs_.Read(result.info.blob, result.range);
    if (body.has_value()) {
      result.body = std::move(*body);
      return std::optional<GetResult>(std::move(result));
    }
    if (body.error().code() != ErrorCode::kNotFound) return Fail(body.error());
    if (attempt == kReadAttempts) {
      return Fail(DataLoss("the bytes of '" + key + "' (version " + result.info.version +
                           ") are missing: " + body.error().message()));
    }
  }
}

Status Bucket::Delete(const std::vector<std::string>& keys) {
  for (const auto& key : keys) BLAZE_TRY_VOID(ValidateKey(key));
  return InWriteTransaction([&]() -> Status {
    for (const auto& key : keys) {
      BLAZE_TRY(auto current, index_->Current(key));
      if (current) BLAZE_TRY_VOID(index_->InsertDeleteMarker(key, NewVersionId(), NowMs()));
    }
    return Ok();
  });
}

Result<std::vector<VersionEntry>> Bucket::Versions(const std::string& key) {
  BLAZE_TRY_VOID(ValidateKey(key));
  std::lock_guard lock(mu_);
  return index_->Versions(key);
}

Result<ObjectInfo> Bucket::Restore(const std::string& key, const std::string& version) {
  BLAZE_TRY_VOID(ValidateKey(key));
  ObjectInfo restored;
  BLAZE_TRY_VOID(InWriteTransaction([&]() -> Status {
    BLAZE_TRY(auto found, index_->FindVersion(key, version));
    if (!found) return Fail(NoSuchVersion(key, version));
    if (found->deleted) {
      return Fail(FailedPrecondition("version '" + version + "' of '" + key +
                                     "' is a delete marker: restore a version before it"));
    }
    BLAZE_TRY(bool present, blobs_.Exists(found->info.blob));
    if (!present) {
      return Fail(DataLoss("the bytes of version '" + version + "' of '" + key +
                           "' are missing from " + blobs_.PathOf(found->info.blob)));
    }
    restored = std::move(found->info);
    restored.version = NewVersionId();
    restored.uploaded_ms = NowMs();
    return index_->InsertCurrent(restored);
  }));
  return restored;
}

Result<std::int64_t> Bucket::ObjectCount() {
  std::lock_guard lock(mu_);
  return index_->CountCurrent();
}

}  // namespace blaze::r2
