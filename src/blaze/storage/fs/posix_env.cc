#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "blaze/storage/fs/env.h"

namespace blaze::fs {
namespace {

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixWritableFile() override {
    if (fd_ >= 0) ::close(fd_);
  }

  Status Append(std::string_view data) override {
    while (!data.empty()) {
      ssize_t n = ::write(fd_, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return Fail(ErrnoError(errno, "write", path_));
      }
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return Ok();
  }

  Status Sync() override {
    if (::fdatasync(fd_) != 0) return Fail(ErrnoError(errno, "fsync", path_));
    return Ok();
  }

  Status Close() override {
    if (fd_ < 0) return Ok();
    int rc = ::close(fd_);
    fd_ = -1;
    if (rc != 0) return Fail(ErrnoError(errno, "close", path_));
    return Ok();
  }

 private:
  int fd_;
  std::string path_;
};

class PosixSequentialFile final : public SequentialFile {
 public:
  PosixSequentialFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~PosixSequentialFile() override { ::close(fd_); }

  Result<std::size_t> Read(char* buf, std::size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<std::size_t>(r);
      if (errno != EINTR) return Fail(ErrnoError(errno, "read", path_));
    }
  }

 private:
  int fd_;
  std::string path_;
};

class PosixEnv final : public Env {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Fail(ErrnoError(errno, "open", path));
    return std::make_unique<PosixWritableFile>(fd, path);
  }

  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Fail(ErrnoError(errno, "open", path));
    return std::make_unique<PosixSequentialFile>(fd, path);
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return Fail(ErrnoError(errno, "rename", from));
    return Ok();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return Fail(ErrnoError(errno, "remove", path));
    return Ok();
  }

  Status CreateDirs(const std::string& path) override {
    std::string partial;
    std::size_t pos = 0;
    while (pos != std::string::npos) {
      pos = path.find('/', pos + 1);
      partial = path.substr(0, pos);
      if (partial.empty()) continue;
      if (::mkdir(partial.c_str(), 0755) != 0 && errno != EEXIST)
        return Fail(ErrnoError(errno, "mkdir", partial));
    }
    return Ok();
  }

  Status RemoveDirIfEmpty(const std::string& path) override {
    if (::rmdir(path.c_str()) != 0 && errno != ENOTEMPTY && errno != EEXIST && errno != ENOENT)
      return Fail(ErrnoError(errno, "rmdir", path));
    return Ok();
  }

  Result<std::vector<DirEntry>> ListDir(const std::string& path) override {
    DIR* dir = ::opendir(path.c_str());
    if (!dir) return Fail(ErrnoError(errno, "list", path));
    std::vector<DirEntry> out;
    while (dirent* e = ::readdir(dir)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      struct stat st{};
      bool is_dir = ::stat(JoinPath(path, name).c_str(), &st) == 0 && S_ISDIR(st.st_mode);
      out.push_back({std::move(name), is_dir});
    }
    ::closedir(dir);
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
    return out;
  }

  Result<bool> Exists(const std::string& path) override {
    struct stat st{};
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return Fail(ErrnoError(errno, "stat", path));
  }

  Result<std::uint64_t> FileSize(const std::string& path) override {
    struct stat st{};
    if (::stat(path.c_str(), &st) != 0) return Fail(ErrnoError(errno, "stat", path));
    return static_cast<std::uint64_t>(st.st_size);
  }

  Status SyncDir(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return Fail(ErrnoError(errno, "open", path));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Fail(ErrnoError(err, "fsync", path));
    return Ok();
  }
};

}  // namespace

std::unique_ptr<Env> NewPosixEnv() { return std::make_unique<PosixEnv>(); }

}  // namespace blaze::fs
