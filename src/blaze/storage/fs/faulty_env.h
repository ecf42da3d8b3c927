// FaultyEnv: wraps another Env and injects failures, for tests of "a clean error or the old
// state". Faults are armed by the test and apply to every path containing `path_filter`
// (empty = all paths):
//   - a write budget: once more than N bytes have been appended, Append fails with ENOSPC
//     (disk full) or EIO;
//   - failing renames (the commit step of WriteFileAtomically and of restores).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "blaze/storage/fs/env.h"

namespace blaze::fs {

class FaultyEnv final : public Env {
 public:
  enum class WriteFault { kDiskFull, kIoError };

  explicit FaultyEnv(Env& base) : base_(base) {}

  void FailWritesAfter(std::uint64_t bytes, WriteFault fault, std::string path_filter = "");
  void FailRenames(std::string path_filter = "");
  void Heal();  // disarms every fault

  std::uint64_t faults_injected() const { return faults_injected_.load(); }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    return base_.NewSequentialFile(path);
  }
  Status Rename(const std::string& from, const std::string& to) override;
  Status RemoveFile(const std::string& path) override { return base_.RemoveFile(path); }
  Status CreateDirs(const std::string& path) override { return base_.CreateDirs(path); }
  Status RemoveDirIfEmpty(const std::string& path) override {
    return base_.RemoveDirIfEmpty(path);
  }
  Result<std::vector<DirEntry>> ListDir(const std::string& path) override {
    return base_.ListDir(path);
  }
  Result<bool> Exists(const std::string& path) override { return base_.Exists(path); }
  Result<std::uint64_t> FileSize(const std::string& path) override {
    return base_.FileSize(path);
  }
  Status SyncDir(const std::string& path) override { return base_.SyncDir(path); }

  // Called by the files this Env hands out: may `n` more bytes be written to `path`?
  Status ChargeWrite(const std::string& path, std::size_t n);

 private:
  bool Matches(const std::string& filter, const std::string& path) const;

  Env& base_;
  std::mutex mu_;
  bool write_budget_armed_ = false;
  std::uint64_t write_budget_ = 0;
  WriteFault write_fault_ = WriteFault::kDiskFull;
  std::string write_filter_;
  bool renames_fail_ = false;
  std::string rename_filter_;
  std::atomic<std::uint64_t> faults_injected_{0};
};

}  // namespace blaze::fs
