#include "blaze/storage/fs/env.h"

#include <cerrno>
#include <cstring>

namespace blaze::fs {

Error ErrnoError(int err, std::string_view op, const std::string& path) {
  std::string msg = std::string(op) + " " + path + ": " + std::strerror(err);
  switch (err) {
    case ENOENT: return NotFound(msg);
    case EEXIST: return AlreadyExists(msg);
    case EACCES:
    case EPERM:
    case EROFS: return PermissionDenied(msg);
    case ENOSPC:
    case EDQUOT: return ResourceExhausted(msg);
    default: return Unavailable(msg);
  }
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

std::string DirName(std::string_view path) {
  auto pos = path.rfind('/');
  if (pos == std::string_view::npos) return ".";
  if (pos == 0) return "/";
  return std::string(path.substr(0, pos));
}

Result<std::string> ReadFile(Env& env, const std::string& path) {
  BLAZE_TRY(auto file, env.NewSequentialFile(path));
  std::string out;
  char buf[64 * 1024];
  while (true) {
    BLAZE_TRY(std::size_t n, file->Read(buf, sizeof buf));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Status WriteFileAtomically(Env& env, const std::string& path, std::string_view contents) {
  std::string tmp = path + ".tmp";
  auto write = [&]() -> Status {
    BLAZE_TRY(auto file, env.NewWritableFile(tmp));
    BLAZE_TRY_VOID(file->Append(contents));
    BLAZE_TRY_VOID(file->Sync());
    BLAZE_TRY_VOID(file->Close());
    BLAZE_TRY_VOID(env.Rename(tmp, path));
    return env.SyncDir(DirName(path));
  };
  Status s = write();
  if (!s.has_value()) (void)env.RemoveFile(tmp);  // best effort; `path` is untouched
  return s;
}

}  // namespace blaze::fs
