#include "blaze/control/key_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "blaze/storage/fs/env.h"

namespace blaze::control {
namespace {

// Closes an fd on every path out.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(fs::ErrnoError(errno, "write", path));
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return Ok();
}

std::string OctalMode(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode);
  return buf;
}

}  // namespace

Status CreatePrivateFile(const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp-" + std::to_string(::getpid());
  ::unlink(tmp.c_str());  // a leftover of a crash of this same pid number
  Fd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (fd.get() < 0) return Fail(fs::ErrnoError(errno, "create", tmp));
  auto written = WriteAll(fd.get(), contents, tmp);
  if (written.has_value() && ::fsync(fd.get()) != 0) {
    written = Fail(fs::ErrnoError(errno, "fsync", tmp));
  }
  if (::close(fd.Release()) != 0 && written.has_value()) {
    written = Fail(fs::ErrnoError(errno, "close", tmp));
  }
  if (!written.has_value()) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (::link(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    if (err == EEXIST) return Fail(AlreadyExists(path + " already exists; it is never replaced"));
    return Fail(fs::ErrnoError(err, "link", path));
  }
  ::unlink(tmp.c_str());
  std::string dir = fs::DirName(path);
  Fd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() < 0 || ::fsync(dfd.get()) != 0) return Fail(fs::ErrnoError(errno, "fsync", dir));
  return Ok();
}

Result<unsigned> FileMode(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return Fail(fs::ErrnoError(errno, "stat", path));
  return static_cast<unsigned>(st.st_mode & 07777);
}

Result<std::string> ReadPrivateFile(const std::string& path, std::string_view what) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    int err = errno;
    if (err == EACCES || err == EPERM) {
      return Fail(PermissionDenied("the " + std::string(what) + " " + path +
                                   " cannot be read by this user; refusing to start (run Blaze "
                                   "as the user that owns the data directory)"));
    }
    if (err == ENOENT)
      return Fail(NotFound("the " + std::string(what) + " " + path + " does not exist"));
    return Fail(fs::ErrnoError(err, "open", path));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return Fail(fs::ErrnoError(errno, "stat", path));
  if (!S_ISREG(st.st_mode)) {
    return Fail(PermissionDenied("the " + std::string(what) + " " + path +
                                 " is not a regular file; refusing to start"));
  }
  unsigned mode = static_cast<unsigned>(st.st_mode & 07777);
  if ((mode & 077) != 0) {
    return Fail(PermissionDenied(
        "the " + std::string(what) + " " + path + " has mode " + OctalMode(mode) +
        ", readable beyond its owner; refusing to start (chmod 600 " + path + ")"));
  }
  std::string out;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Fail(fs::ErrnoError(errno, "read", path));
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (out.size() > (1 << 20)) {
      return Fail(DataLoss("the " + std::string(what) + " " + path + " is far too large"));
    }
  }
  return out;
}

}  // namespace blaze::control
