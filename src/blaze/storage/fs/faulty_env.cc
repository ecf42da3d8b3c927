#include "blaze/storage/fs/faulty_env.h"

#include <cerrno>

namespace blaze::fs {
namespace {

class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(FaultyEnv& env, std::unique_ptr<WritableFile> base, std::string path)
      : env_(env), base_(std::move(base)), path_(std::move(path)) {}

  Status Append(std::string_view data) override {
    BLAZE_TRY_VOID(env_.ChargeWrite(path_, data.size()));
    return base_->Append(data);
  }
  Status Sync() override { return base_->Sync(); }
  Status Close() override { return base_->Close(); }

 private:
  FaultyEnv& env_;
  std::unique_ptr<WritableFile> base_;
  std::string path_;
};

}  // namespace

void FaultyEnv::FailWritesAfter(std::uint64_t bytes, WriteFault fault, std::string path_filter) {
  std::lock_guard lock(mu_);
  write_budget_armed_ = true;
  write_budget_ = bytes;
  write_fault_ = fault;
  write_filter_ = std::move(path_filter);
}

void FaultyEnv::FailRenames(std::string path_filter) {
  std::lock_guard lock(mu_);
  renames_fail_ = true;
  rename_filter_ = std::move(path_filter);
}

void FaultyEnv::Heal() {
  std::lock_guard lock(mu_);
  write_budget_armed_ = false;
  renames_fail_ = false;
}

bool FaultyEnv::Matches(const std::string& filter, const std::string& path) const {
  return filter.empty() || path.find(filter) != std::string::npos;
}

Status FaultyEnv::ChargeWrite(const std::string& path, std::size_t n) {
  std::lock_guard lock(mu_);
  if (!write_budget_armed_ || !Matches(write_filter_, path)) return Ok();
  if (n <= write_budget_) {
    write_budget_ -= n;
    return Ok();
  }
  write_budget_ = 0;
  faults_injected_++;
  return Fail(ErrnoError(write_fault_ == WriteFault::kDiskFull ? ENOSPC : EIO, "write", path));
}

Result<std::unique_ptr<WritableFile>> FaultyEnv::NewWritableFile(const std::string& path) {
  BLAZE_TRY(auto base, base_.NewWritableFile(path));
  return std::unique_ptr<WritableFile>(
      std::make_unique<FaultyWritableFile>(*this, std::move(base), path));
}

Status FaultyEnv::Rename(const std::string& from, const std::string& to) {
  {
    std::lock_guard lock(mu_);
    if (renames_fail_ && (Matches(rename_filter_, from) || Matches(rename_filter_, to))) {
      faults_injected_++;
      return Fail(ErrnoError(EIO, "rename", from));
    }
  }
  return base_.Rename(from, to);
}

}  // namespace blaze::fs
