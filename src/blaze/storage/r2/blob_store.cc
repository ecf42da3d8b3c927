#include "blaze/storage/r2/blob_store.h"

#include <cstdio>

namespace blaze::r2 {
namespace {

constexpr std::size_t kReadChunk = 256 * 1024;

bool IsHexName(const std::string& name) {
  if (name.size() != 64) return false;
  for (char c : name) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace

std::string BlobStore::PathOf(const std::string& sha256) const {
  return fs::JoinPath(fs::JoinPath(dir_, sha256.substr(0, 2)), sha256);
}

Status BlobStore::Init() { return env_.CreateDirs(fs::JoinPath(dir_, "tmp")); }

Result<bool> BlobStore::Exists(const std::string& sha256) { return env_.Exists(PathOf(sha256)); }

Status BlobStore::Write(const std::string& sha256, std::string_view data) {
  BLAZE_TRY(bool exists, Exists(sha256));
  if (exists) return Ok();
  char name[40];
  std::snprintf(name, sizeof name, "%016llx.tmp", static_cast<unsigned long long>(random_.Next()));
  std::string tmp = fs::JoinPath(fs::JoinPath(dir_, "tmp"), name);
  std::string path = PathOf(sha256);
  auto write = [&]() -> Status {
    BLAZE_TRY_VOID(env_.CreateDirs(fs::DirName(path)));
    BLAZE_TRY(auto file, env_.NewWritableFile(tmp));
    BLAZE_TRY_VOID(file->Append(data));
    BLAZE_TRY_VOID(file->Sync());
    BLAZE_TRY_VOID(file->Close());
    // Two writers of the same content may race here: rename is atomic and both files hold the
    // same bytes, so either winning is fine.
    BLAZE_TRY_VOID(env_.Rename(tmp, path));
    return env_.SyncDir(fs::DirName(path));
  };
  Status s = write();
  if (!s.has_value()) (void)env_.RemoveFile(tmp);
  return s;
}

Result<std::string> BlobStore::Read(const std::string& sha256, ByteRange range) {
  BLAZE_TRY(auto file, env_.NewSequentialFile(PathOf(sha256)));
  // The Env offers sequential files only: skip to the offset by reading.
  std::string skip(std::min<std::int64_t>(range.offset, kReadChunk), '\0');
  for (std::int64_t left = range.offset; left > 0;) {
    auto want = static_cast<std::size_t>(std::min<std::int64_t>(left, kReadChunk));
    BLAZE_TRY(std::size_t n, file->Read(skip.data(), want));
    if (n == 0) return Fail(DataLoss("blob " + sha256 + " is shorter than its index says"));
    left -= static_cast<std::int64_t>(n);
  }
  std::string out(static_cast<std::size_t>(range.length), '\0');
  std::size_t at = 0;
  while (at < out.size()) {
    BLAZE_TRY(std::size_t n, file->Read(out.data() + at, out.size() - at));
    if (n == 0) return Fail(DataLoss("blob " + sha256 + " is shorter than its index says"));
    at += n;
  }
  return out;
}

Status BlobStore::Remove(const std::string& sha256) {
  std::string path = PathOf(sha256);
  BLAZE_TRY_VOID(env_.RemoveFile(path));
  (void)env_.RemoveDirIfEmpty(fs::DirName(path));
  return Ok();
}

Result<std::uint64_t> BlobStore::Size(const std::string& sha256) {
  return env_.FileSize(PathOf(sha256));
}

Result<std::vector<std::string>> BlobStore::ListAll() {
  std::vector<std::string> out;
  BLAZE_TRY(auto shards, env_.ListDir(dir_));
  for (const auto& shard : shards) {
    if (!shard.is_dir || shard.name.size() != 2) continue;
    BLAZE_TRY(auto files, env_.ListDir(fs::JoinPath(dir_, shard.name)));
    for (const auto& f : files) {
      if (!f.is_dir && IsHexName(f.name) && f.name.compare(0, 2, shard.name) == 0) {
        out.push_back(f.name);
      }
    }
  }
  return out;
}

Status BlobStore::RemoveTempFiles() {
  std::string tmp_dir = fs::JoinPath(dir_, "tmp");
  BLAZE_TRY(auto files, env_.ListDir(tmp_dir));
  for (const auto& f : files) {
    if (!f.is_dir) (void)env_.RemoveFile(fs::JoinPath(tmp_dir, f.name));
  }
  return Ok();
}

}  // namespace blaze::r2
