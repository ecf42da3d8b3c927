// Bucket::Put: digests and checks, then the write protocol described in bucket.h.
#include <array>

#include "blaze/storage/r2/bucket.h"
#include "blaze/storage/r2/conditional.h"
#include "blaze/storage/r2/digest.h"
#include "blaze/storage/r2/r2_errors.h"
#include "blaze/storage/r2/validation.h"

namespace blaze::r2 {
namespace {

struct RequestedDigest {
  DigestAlgorithm algorithm;
  const std::optional<std::string>* provided;
  std::optional<std::string>* stored;  // where the checksum is kept (md5 is always kept)
};

// Verifies the checksums the writer supplied and records them in `checksums`.
Status VerifyChecksums(const PutOptions& o, std::string_view data, Checksums* checksums) {
  const std::array<RequestedDigest, 4> requested = {{
      {DigestAlgorithm::kSha1, &o.sha1, &checksums->sha1},
      {DigestAlgorithm::kSha256, &o.sha256, &checksums->sha256},
      {DigestAlgorithm::kSha384, &o.sha384, &checksums->sha384},
      {DigestAlgorithm::kSha512, &o.sha512, &checksums->sha512},
  }};
  if (o.md5 && *o.md5 != checksums->md5) {
    return Fail(BadDigest(DigestName(DigestAlgorithm::kMd5), *o.md5, checksums->md5));
  }
  for (const RequestedDigest& r : requested) {
    if (!*r.provided) continue;
    std::string actual = HexDigest(r.algorithm, data);
    if (**r.provided != actual) {
      return Fail(BadDigest(DigestName(r.algorithm), **r.provided, actual));
    }
    *r.stored = std::move(actual);
  }
  return Ok();
}

}  // namespace

Result<std::optional<ObjectInfo>> Bucket::Put(const std::string& key, std::string_view data,
                                              const PutOptions& options) {
  BLAZE_TRY_VOID(ValidateKey(key));
  BLAZE_TRY_VOID(ValidatePutOptions(options));
  if (options.only_if) {
    // Cheap early answer; the condition is checked again inside the transaction.
    BLAZE_TRY(auto current, LockedCurrent(key));
    if (!ConditionHolds(*options.only_if, current ? &*current : nullptr)) {
      return std::optional<ObjectInfo>();
    }
  }
  ObjectInfo info;
  info.key = key;
  info.size = static_cast<std::int64_t>(data.size());
  info.checksums.md5 = HexDigest(DigestAlgorithm::kMd5, data);
  info.etag = info.checksums.md5;
  info.blob = HexDigest(DigestAlgorithm::kSha256, data);
  BLAZE_TRY_VOID(VerifyChecksums(options, data, &info.checksums));
  info.http = options.http;
  info.custom = options.custom;
  info.storage_class = options.storage_class;
  BLAZE_TRY_VOID(blobs_.Write(info.blob, data));
  return CommitPut(info, data, options);
}

Result<std::optional<ObjectInfo>> Bucket::CommitPut(const ObjectInfo& prepared,
                                                    std::string_view data,
                                                    const PutOptions& options) {
  std::optional<ObjectInfo> stored;
  bool condition_failed = false;
  BLAZE_TRY_VOID(InWriteTransaction([&]() -> Status {
    if (options.only_if) {
      BLAZE_TRY(auto current, index_->Current(prepared.key));
      if (!ConditionHolds(*options.only_if, current ? &*current : nullptr)) {
        condition_failed = true;
        return Ok();
      }
    }
    // A purge that ran between our blob write and this transaction removed the blob if nothing
    // referred to it yet; put it back (we hold the write lock, so it stays).
    BLAZE_TRY(bool present, blobs_.Exists(prepared.blob));
    if (!present) BLAZE_TRY_VOID(blobs_.Write(prepared.blob, data));
    ObjectInfo info = prepared;
    info.version = NewVersionId();
    info.uploaded_ms = NowMs();
    BLAZE_TRY_VOID(index_->InsertCurrent(info));
    stored = std::move(info);
    return Ok();
  }));
  if (condition_failed) {
    // The blob we wrote may now belong to nobody.
    PurgeStats ignored;
    (void)InWriteTransaction([&] { return RemoveIfUnreferenced(prepared.blob, &ignored); });
  }
  return stored;
}

}  // namespace blaze::r2
