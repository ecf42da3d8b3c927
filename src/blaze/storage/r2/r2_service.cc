#include "blaze/storage/r2/r2_service.h"

#include "blaze/base/log.h"
#include "blaze/storage/r2/r2_errors.h"
#include "blaze/storage/r2/validation.h"

namespace blaze::r2 {
namespace {

constexpr const char* kSchema =
    "CREATE TABLE IF NOT EXISTS r2_buckets ("
    "  name TEXT PRIMARY KEY,"
    "  created_at TEXT NOT NULL)";

}  // namespace

Result<std::unique_ptr<R2Service>> R2Service::Open(const R2Options& options) {
  BLAZE_CHECK(options.env && options.clock && options.random);
  BLAZE_TRY_VOID(options.env->CreateDirs(fs::JoinPath(options.data_dir, "r2")));
  BLAZE_TRY(auto control, sqlite::Database::Open(fs::JoinPath(options.data_dir, "control.db"), {}));
  BLAZE_TRY_VOID(control->Exec(kSchema));
  return std::unique_ptr<R2Service>(new R2Service(options, std::move(control)));
}

std::string R2Service::BucketDir(const std::string& name) const {
  return fs::JoinPath(fs::JoinPath(options_.data_dir, "r2"), name);
}

Result<BucketInfo> R2Service::CreateBucket(const std::string& name) {
  BLAZE_TRY_VOID(ValidateBucketName(name));
  BucketInfo info{name, FormatIso8601(options_.clock->Now())};
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt,
            control_->Prepare("INSERT INTO r2_buckets(name, created_at) VALUES (?1, ?2)"));
  std::vector<sqlite::Value> args = {info.name, info.created_at};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  auto step = stmt->Step();
  if (!step.has_value()) {
    if (step.error().code() == ErrorCode::kFailedPrecondition) {
      return Fail(AlreadyExists("A bucket named '" + name + "' already exists (10004)"));
    }
    return Fail(step.error());
  }
  // Create the files now, so the bucket is usable (and visible on disk) at once.
  BLAZE_TRY_VOID(OpenLocked(info));
  return info;
}

Result<std::vector<BucketInfo>> R2Service::ListBuckets() {
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt, control_->Prepare("SELECT name, created_at FROM r2_buckets ORDER BY name"));
  std::vector<BucketInfo> out;
  while (true) {
    BLAZE_TRY(bool row, stmt->Step());
    if (!row) break;
    out.push_back({stmt->ColumnText(0), stmt->ColumnText(1)});
  }
  return out;
}

Result<std::optional<BucketInfo>> R2Service::LookupBucket(const std::string& name) {
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt,
            control_->Prepare("SELECT name, created_at FROM r2_buckets WHERE name = ?1"));
  std::vector<sqlite::Value> args = {name};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY(bool row, stmt->Step());
  if (!row) return std::optional<BucketInfo>();
  return std::optional<BucketInfo>(BucketInfo{stmt->ColumnText(0), stmt->ColumnText(1)});
}

Result<std::shared_ptr<Bucket>> R2Service::OpenLocked(const BucketInfo& info) {
  if (auto it = open_.find(info.name); it != open_.end()) return it->second;
  BucketOptions opts{info.name,      BucketDir(info.name), options_.env,
                     options_.clock, options_.random,      options_.vfs};
  BLAZE_TRY(auto bucket, Bucket::Open(opts));
  open_[info.name] = bucket;
  return bucket;
}

Result<std::shared_ptr<Bucket>> R2Service::OpenBucket(const std::string& name) {
  BLAZE_TRY(auto info, LookupBucket(name));
  if (!info) return Fail(NoSuchBucket(name));
  std::lock_guard lock(mu_);
  return OpenLocked(*info);
}

Result<std::shared_ptr<Bucket>> R2Service::OpenOrCreateBucket(const std::string& name) {
  BLAZE_TRY(auto info, LookupBucket(name));
  if (!info) {
    auto created = CreateBucket(name);
    // Another thread or process may have created it meanwhile: that is fine.
    if (!created.has_value() && created.error().code() != ErrorCode::kAlreadyExists) {
      return Fail(created.error());
    }
    if (created.has_value()) log::Info("r2.bucket_created", {{"bucket", name}});
  }
  return OpenBucket(name);
}

Status R2Service::DeleteBucket(const std::string& name) {
  BLAZE_TRY(auto bucket, OpenBucket(name));
  BLAZE_TRY(std::int64_t objects, bucket->ObjectCount());
  if (objects > 0) return Fail(BucketNotEmpty(name));
  std::lock_guard lock(mu_);
  BLAZE_TRY(auto stmt, control_->Prepare("DELETE FROM r2_buckets WHERE name = ?1"));
  std::vector<sqlite::Value> args = {name};
  BLAZE_TRY_VOID(stmt->BindAll(args));
  BLAZE_TRY_VOID(stmt->Step());
  open_.erase(name);
  bucket.reset();  // closes the index if nobody else holds the bucket
  return RemoveTree(BucketDir(name));
}

// Removes `dir` and everything under it (bucket folders are two levels of blobs at most).
Status R2Service::RemoveTree(const std::string& dir) {
  auto entries = options_.env->ListDir(dir);
  if (!entries.has_value()) {
    return entries.error().code() == ErrorCode::kNotFound ? Ok() : Fail(entries.error());
  }
  for (const auto& e : *entries) {
    std::string path = fs::JoinPath(dir, e.name);
    if (e.is_dir) {
      BLAZE_TRY_VOID(RemoveTree(path));
    } else {
      auto s = options_.env->RemoveFile(path);
      if (!s.has_value() && s.error().code() != ErrorCode::kNotFound) return s;
    }
  }
  return options_.env->RemoveDirIfEmpty(dir);
}

}  // namespace blaze::r2
