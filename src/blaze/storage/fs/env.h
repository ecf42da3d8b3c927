// Env: every file-system call Blaze's storage makes outside SQLite goes through this interface
// (leveldb's pattern), so the same code runs on the real disk and under injected faults
// (FaultyEnv). SQLite's own I/O has the matching seam in storage/sqlite/faulty_vfs.h.
//
// Errors: NotFound (ENOENT), AlreadyExists (EEXIST), PermissionDenied (EACCES/EPERM),
// ResourceExhausted (ENOSPC/EDQUOT: "no space left on device"), Unavailable (EIO and the rest).
// Objects are not shared between threads unless noted; an Env itself is thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "blaze/base/result.h"

namespace blaze::fs {

class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  virtual Status Sync() = 0;   // fdatasync
  virtual Status Close() = 0;  // idempotent; the destructor closes without reporting
};

class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  // Reads up to `n` bytes into `buf`; returns the count, 0 at end of file.
  virtual Result<std::size_t> Read(char* buf, std::size_t n) = 0;
};

struct DirEntry {
  std::string name;
  bool is_dir = false;
};

class Env {
 public:
  virtual ~Env() = default;
  // Creates or truncates `path`, mode 0644 (0600 with `private_file`).
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) = 0;
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;  // NotFound if absent
  virtual Status CreateDirs(const std::string& path) = 0;  // like mkdir -p
  virtual Status RemoveDirIfEmpty(const std::string& path) = 0;
  virtual Result<std::vector<DirEntry>> ListDir(const std::string& path) = 0;  // sorted by name
  virtual Result<bool> Exists(const std::string& path) = 0;
  virtual Result<std::uint64_t> FileSize(const std::string& path) = 0;
  virtual Status SyncDir(const std::string& path) = 0;
};

// The real file system (POSIX calls). Thread-safe; one instance is enough for a process.
std::unique_ptr<Env> NewPosixEnv();

// Reads a whole file.
Result<std::string> ReadFile(Env& env, const std::string& path);

// Writes `path` so that a crash leaves either the old or the new contents: write to
// "<path>.tmp", fsync, rename over `path`, fsync the folder. On failure the temporary file is
// removed and `path` is untouched.
Status WriteFileAtomically(Env& env, const std::string& path, std::string_view contents);

// Turns errno into an Error that names the operation and the path.
Error ErrnoError(int err, std::string_view op, const std::string& path);

// "a/b" + "c" → "a/b/c".
std::string JoinPath(std::string_view a, std::string_view b);
std::string DirName(std::string_view path);

}  // namespace blaze::fs
